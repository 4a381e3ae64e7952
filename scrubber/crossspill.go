package scrubber

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unsafe"

	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/pack"
)

// The cross-claim store holds the cross-index entries of every Scrub of a
// run until Finish matches them. It is shared by the Scrub calls of a
// Scrubber, which may run concurrently.
//
// Small runs keep the entries in memory. Once they pass a threshold, the
// store spills: the entries so far, and every later one, are written to
// temporary files, one per partition, partitioned by a hash of the match
// key (member ID and patient flag). Entries only match within one patient,
// so Finish can read and match one partition at a time: its memory is one
// partition's entries, not the run's. The order entries reach the store in
// (which goroutine wrote first) does not matter: crossMatch sorts them by
// patient, date and input position.

const (
	crossSpillAt     = 4 << 20  // bytes of in-memory entries above which the store spills
	crossPartitions  = 64       // spill files
	crossSpillBuffer = 32 << 10 // write buffer per spill file

	// crossLoadMax is the most bytes of spill records Finish loads at
	// once: a bigger partition is split first (splitPart). A partition
	// grows with the drop (about 1 MB per partition per GB of the bench
	// drops), and loaded it costs about three times its bytes, so without
	// the split Finish's memory grows with the input.
	crossLoadMax        = 1 << 20
	crossSplitBuffer    = 256 << 10 // write buffers of the pieces of one split partition, together
	crossSplitMaxPieces = 256       // open files per split partition

	// crossMatchWorkers bounds the partitions matched at once (at most
	// one a CPU): each holds one piece of at most about crossLoadMax bytes
	// in memory, three times that once loaded.
	crossMatchWorkers = 4
)

// crossEntrySize is what an entry's struct costs in memory.
const crossEntrySize = int(unsafe.Sizeof(crossEntry{}))

type crossStore struct {
	mu      sync.Mutex
	limit   int    // spill above this many bytes in memory; 0: crossSpillAt
	loadMax int    // split partitions above this many bytes; 0: crossLoadMax
	dir     string // where spill folders go; "": os.TempDir()

	mem      []crossEntry // before spilling
	memBytes int

	spill *crossSpill // once spilling: every entry goes there
	err   error       // the first spill error; later entries are dropped
	buf   []byte      // encoding scratch
}

// crossSpill is the open partition files (unlinked: see createSpill).
type crossSpill struct {
	parts [crossPartitions]spillPart
}

type spillPart struct {
	f    *os.File
	w    *bufio.Writer
	n    int   // entries written
	size int64 // bytes written
}

// add indexes the claim's target and related-code lines (see
// appendCrossEntries) for the Scrub call with serial scrub.
//
// scratch is the caller's packing buffer, reused from claim to claim: a
// spilled entry goes from it to its file without becoming strings.
func (s *crossStore) add(p *pack.Pack, c *Claim, scrub uint32, target bool, worst finding.Severity, scratch *[]byte) {
	var buf [4]crossEntry
	es, packed := packCrossEntries(buf[:0], p, c, (*scratch)[:0])
	*scratch = packed
	if len(es) == 0 {
		return
	}
	for i := range es {
		es[i].scrub, es[i].target, es[i].claimWorst = scrub, target, worst
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.err != nil:
		// Finish reports the error: the rest of the entries do not matter.
	case s.spill == nil:
		for i := range es {
			es[i].own()
		}
		s.mem = append(s.mem, es...)
		for i := range es {
			s.memBytes += crossEntrySize + len(es[i].cols) + len(es[i].sideText)
		}
		limit := s.limit
		if limit <= 0 {
			limit = crossSpillAt
		}
		if s.memBytes > limit {
			s.startSpill()
		}
	default:
		for i := range es {
			s.write(&es[i])
		}
	}
}

// startSpill creates the spill files and moves the in-memory entries there.
func (s *crossStore) startSpill() {
	mem := s.mem
	s.mem, s.memBytes = nil, 0
	sp, err := createSpill(s.dir)
	if err != nil {
		s.fail(err)
		return
	}
	s.spill = sp
	for i := range mem {
		s.write(&mem[i])
	}
}

// createSpill opens the partition files in a new folder under dir (see
// createParts).
func createSpill(dir string) (*crossSpill, error) {
	parts, err := createParts(dir, "scrub837-cross-", crossPartitions, crossSpillBuffer)
	if err != nil {
		return nil, err
	}
	sp := &crossSpill{}
	copy(sp.parts[:], parts)
	return sp, nil
}

// createParts opens n part files in a new folder under dir, then removes
// the folder: the open files stay usable and their space is freed when
// they are closed, so a run that is killed (a cron timeout, say) leaves
// nothing behind in the temporary folder.
func createParts(dir, prefix string, n, bufSize int) ([]spillPart, error) {
	folder, err := os.MkdirTemp(dir, prefix)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(folder)
	parts := make([]spillPart, n)
	for i := range parts {
		f, err := os.Create(filepath.Join(folder, fmt.Sprintf("part-%02d", i)))
		if err != nil {
			closeParts(parts)
			return nil, err
		}
		parts[i] = spillPart{f: f, w: bufio.NewWriterSize(f, bufSize)}
	}
	return parts, nil
}

// close closes the partition files still open (their space is freed).
func (sp *crossSpill) close() { closeParts(sp.parts[:]) }

// rewind flushes what part buffered and goes back to its first byte, for
// reading it back.
func (part *spillPart) rewind() error {
	if err := part.w.Flush(); err != nil {
		return err
	}
	_, err := part.f.Seek(0, io.SeekStart)
	return err
}

func closeParts(parts []spillPart) {
	for i := range parts {
		if f := parts[i].f; f != nil {
			f.Close()
			parts[i] = spillPart{}
		}
	}
}

func (s *crossStore) fail(err error) {
	if s.err == nil {
		s.err = fmt.Errorf("cross-claim rules: spilling the index to disk: %w", err)
	}
	s.mem, s.memBytes = nil, 0
}

// crossKeyHash hashes a match key (FNV-1a). Its remainder by
// crossPartitions is the key's partition; splitPart uses the rest.
func crossKeyHash(member string, patient bool) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(member); i++ {
		h = (h ^ uint64(member[i])) * 1099511628211
	}
	if patient {
		h = (h ^ 1) * 1099511628211
	}
	return h
}

// crossPartition is the partition of a match key.
func crossPartition(member string, patient bool) int {
	return int(crossKeyHash(member, patient) % crossPartitions)
}

// Entry flags in a spill record.
const (
	spillPatient = 1 << iota
	spillDupInClaim
	spillTarget
)

// write appends e to its partition's file. A record is: kind, sides, flags,
// the claim's worst severity (bytes); dates From and To, claim offset and line offset (varints); file
// index and scrub serial (uvarints); then the related code (the pack entry's
// code, "" for none), override modifier, side text and packed columns, each
// as a uvarint length and its bytes. Member ID and billing NPI are read back
// from the columns.
func (s *crossStore) write(e *crossEntry) {
	if s.err != nil {
		return
	}
	var flags byte
	if e.patient {
		flags |= spillPatient
	}
	if e.dupInClaim {
		flags |= spillDupInClaim
	}
	if e.target {
		flags |= spillTarget
	}
	relCode := ""
	if e.rel != nil {
		relCode = e.rel.Code
	}
	b := append(s.buf[:0], e.kind, e.sides, flags, byte(e.claimWorst))
	b = binary.AppendVarint(b, int64(e.dates.From))
	b = binary.AppendVarint(b, int64(e.dates.To))
	b = binary.AppendVarint(b, e.claimOffset)
	b = binary.AppendVarint(b, e.lineSeg)
	b = binary.AppendUvarint(b, uint64(e.fileIndex))
	b = binary.AppendUvarint(b, uint64(e.scrub))
	for _, str := range [...]string{relCode, e.override, e.sideText} {
		b = binary.AppendUvarint(b, uint64(len(str)))
		b = append(b, str...)
	}
	// The columns are in one of the two: colsRaw until own, cols after.
	b = binary.AppendUvarint(b, uint64(len(e.colsRaw)+len(e.cols)))
	b = append(append(b, e.colsRaw...), e.cols...)
	s.buf = b
	part := &s.spill.parts[crossPartition(e.member, e.patient)]
	if _, err := part.w.Write(b); err != nil {
		s.fail(err)
		return
	}
	part.n++
	part.size += int64(len(b))
}

// findings matches the entries that keep accepts and returns their
// cross-claim findings in report order. It empties the store, spilled or
// not, and removes its files.
func (s *crossStore) findings(p *pack.Pack, keep func(*crossEntry) bool) ([]crossFound, error) {
	var out []crossFound
	if err := s.eachFindings(p, keep, func(fs []crossFound) { out = append(out, fs...) }); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return finding.Less(&out[i].Finding, &out[j].Finding) })
	return out, nil
}

// eachFindings matches the entries that keep accepts and hands their
// cross-claim findings to emit, a partition's (unsorted) at a time, in
// partition order, so that they need not all be in memory at once. On an
// error, emit may have had some of them. It empties the store, spilled or
// not, and removes its files.
func (s *crossStore) eachFindings(p *pack.Pack, keep func(*crossEntry) bool, emit func([]crossFound)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.match(p, keep, emit)
	s.reset()
	return err
}

func (s *crossStore) match(p *pack.Pack, keep func(*crossEntry) bool, emit func([]crossFound)) error {
	if s.err != nil {
		return s.err
	}
	if s.spill == nil {
		emit(matchKept(p, s.mem, keep, nil))
		return nil
	}
	loadMax := s.loadMax
	if loadMax <= 0 {
		loadMax = crossLoadMax
	}
	// Partitions are matched crossMatchWorkers at a time, each into its own
	// slice, and emitted in partition order after each round: the findings
	// do not depend on timing, and at most a round's are held.
	workers := min(runtime.GOMAXPROCS(0), crossMatchWorkers)
	outs := make([][]crossFound, workers)
	errs := make([]error, workers)
	for first := 0; first < len(s.spill.parts); first += workers {
		n := min(workers, len(s.spill.parts)-first)
		var wg sync.WaitGroup
		for k := range n {
			wg.Go(func() {
				outs[k], errs[k] = s.spill.matchPartition(p, first+k, loadMax, s.dir, keep)
			})
		}
		wg.Wait()
		if err := errors.Join(errs[:n]...); err != nil {
			return err
		}
		for k := range n {
			if len(outs[k]) > 0 {
				emit(outs[k])
			}
			outs[k] = nil
		}
	}
	return nil
}

// matchPartition splits partition i if it is big (splitPart), then loads
// and matches its pieces one at a time.
func (sp *crossSpill) matchPartition(p *pack.Pack, i, loadMax int, dir string, keep func(*crossEntry) bool) ([]crossFound, error) {
	pieces, err := splitPart(&sp.parts[i], loadMax, dir)
	if err != nil {
		return nil, fmt.Errorf("cross-claim rules: splitting the spilled index: %w", err)
	}
	var out []crossFound
	for k := range pieces {
		entries, err := loadPart(p, &pieces[k])
		if err != nil {
			closeParts(pieces)
			return nil, fmt.Errorf("cross-claim rules: reading the spilled index: %w", err)
		}
		out = matchKept(p, entries, keep, out)
	}
	return out, nil
}

// matchKept appends the cross-claim findings of the entries keep accepts.
func matchKept(p *pack.Pack, entries []crossEntry, keep func(*crossEntry) bool, out []crossFound) []crossFound {
	all := make([]*crossEntry, 0, len(entries))
	for k := range entries {
		if keep(&entries[k]) {
			all = append(all, &entries[k])
		}
	}
	return crossMatch(p, all, out)
}

// loadPart reads a part file back, then closes it.
func loadPart(p *pack.Pack, part *spillPart) ([]crossEntry, error) {
	if part.f == nil {
		return nil, nil
	}
	defer func() {
		part.f.Close()
		*part = spillPart{}
	}()
	if part.n == 0 {
		return nil, nil
	}
	if err := part.rewind(); err != nil {
		return nil, err
	}
	// One string for the partition: the entries' strings are substrings.
	var b strings.Builder
	b.Grow(int(part.size))
	if _, err := io.CopyN(&b, part.f, part.size); err != nil {
		return nil, err
	}
	r := spillReader{s: b.String()}
	entries := make([]crossEntry, part.n)
	for k := range entries {
		if err := r.entry(p, &entries[k]); err != nil {
			return nil, fmt.Errorf("%s: entry %d: %w", part.f.Name(), k, err)
		}
	}
	if r.pos != len(r.s) {
		return nil, fmt.Errorf("%s: %d bytes after the last entry", part.f.Name(), len(r.s)-r.pos)
	}
	return entries, nil
}

var errSpillCorrupt = errors.New("corrupt spill record")

// spillReader decodes the records write wrote.
type spillReader struct {
	s   string
	pos int
	bad bool
}

func (r *spillReader) byte() byte {
	if r.pos >= len(r.s) {
		r.bad = true
		return 0
	}
	r.pos++
	return r.s[r.pos-1]
}

func (r *spillReader) uvarint() uint64 {
	v, n := uvarintString(r.s[r.pos:])
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.pos += n
	return v
}

func (r *spillReader) varint() int64 {
	u := r.uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

func (r *spillReader) string() string {
	n := r.uvarint()
	if r.bad || n > uint64(len(r.s)-r.pos) {
		r.bad = true
		return ""
	}
	str := r.s[r.pos : r.pos+int(n)]
	r.pos += int(n)
	return str
}

func (r *spillReader) entry(p *pack.Pack, e *crossEntry) error {
	e.kind, e.sides = r.byte(), r.byte()
	flags := r.byte()
	e.claimWorst = finding.Severity(r.byte())
	e.patient, e.dupInClaim, e.target = flags&spillPatient != 0, flags&spillDupInClaim != 0, flags&spillTarget != 0
	e.dates.From, e.dates.To = int32(r.varint()), int32(r.varint())
	e.claimOffset, e.lineSeg = r.varint(), r.varint()
	e.fileIndex, e.scrub = int(r.uvarint()), uint32(r.uvarint())
	relCode, override := r.string(), r.string()
	e.sideText, e.cols = r.string(), r.string()
	if r.bad {
		return errSpillCorrupt
	}
	e.override = override
	if relCode != "" {
		rel, ok := p.Related(relCode)
		if !ok {
			return fmt.Errorf("related code %q is not in the rule pack", relCode)
		}
		e.rel = rel
	}
	var ok bool
	if e.member, e.npi, ok = packedKey(e.cols); !ok {
		return errSpillCorrupt
	}
	return nil
}

// reset empties the store and removes its spill files. The settings (limit,
// dir) stay.
func (s *crossStore) reset() {
	if s.spill != nil {
		s.spill.close()
	}
	s.mem, s.memBytes, s.spill, s.err, s.buf = nil, 0, nil, nil, nil
}
