package scrubber

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unsafe"

	"github.com/scrub837/scrub837/scrubber/codedata"
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/scrubber/spill"
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
// (which goroutine wrote first) does not matter: every match is the
// earliest in input position.

const (
	crossSpillAt     = 4 << 20  // bytes of in-memory entries above which the store spills
	crossPartitions  = 64       // spill files
	crossSpillBuffer = 32 << 10 // write buffer per spill file

	// crossLoadMax is the most bytes of spill records Finish matches as one
	// piece: a bigger partition is split first (splitPart). A piece is
	// streamed, not loaded, but the sums of its target lines
	// (crossMatcher) grow with the patients in it (a partition grows with
	// the drop, about 1 MB per partition per GB of the bench drops), so
	// without the split Finish's memory would grow with the input. One
	// patient's entries stay in one piece; their sums grow with the dates
	// and kinds of their lines, not with their number.
	crossLoadMax        = 1 << 20
	crossSplitBuffer    = 256 << 10 // write buffers of the pieces of one split partition, together
	crossSplitMaxPieces = 256       // open files per split partition

	// crossMatchWorkers bounds the partitions matched at once (at most
	// one a CPU): each holds the sums of one piece of at most about
	// crossLoadMax bytes.
	crossMatchWorkers = 4
)

// crossEntrySize is what an entry's struct costs in memory.
const crossEntrySize = int(unsafe.Sizeof(crossEntry{}))

// newCrossStore is an empty store that spills into dir ("" for
// os.TempDir()).
func newCrossStore(dir string) *crossStore {
	return &crossStore{limit: crossSpillAt, loadMax: crossLoadMax, dir: dir}
}

type crossStore struct {
	mu      sync.Mutex
	limit   int    // spill above this many bytes in memory (crossSpillAt)
	loadMax int    // split partitions above this many bytes (crossLoadMax)
	dir     string // where spill files go; "": os.TempDir()
	// data are the data files (Options.Data), for MUE-EXCEEDED across
	// claims (crossmue.go); nil: none
	data *codedata.Set

	mem      []crossEntry // before spilling
	memBytes int

	parts []*spill.File // once spilling, crossPartitions of them: every entry goes there
	err   error         // the first spill error; later entries are dropped
	buf   []byte        // encoding scratch
}

// add indexes the claim's target and related-code lines (see
// packCrossEntries) for the Scrub call with serial scrub.
//
// scratch is the caller's packing buffer, reused from claim to claim: a
// spilled entry goes from it to its file without becoming strings.
func (s *crossStore) add(cl *claimLines, scrub uint32, target bool, worst finding.Severity, scratch *[]byte) {
	var buf [4]crossEntry
	es, packed := packCrossEntries(buf[:0], cl, (*scratch)[:0])
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
	case s.parts == nil:
		for i := range es {
			es[i].own()
		}
		s.mem = append(s.mem, es...)
		for i := range es {
			s.memBytes += crossEntrySize + len(es[i].cols) + len(es[i].sideText) + len(es[i].rendering)
		}
		if s.memBytes > s.limit {
			s.startSpill()
		}
	default:
		for i := range es {
			s.write(&es[i])
		}
	}
}

// startSpill creates the partition files and moves the in-memory entries
// there.
func (s *crossStore) startSpill() {
	mem := s.mem
	s.mem, s.memBytes = nil, 0
	parts, err := spill.CreateN(s.dir, "scrub837-cross-", crossPartitions, crossSpillBuffer)
	if err != nil {
		s.fail(err)
		return
	}
	s.parts = parts
	for i := range mem {
		s.write(&mem[i])
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
	spillOriginal
)

// appendRecord appends e's spill record to b: kind, sides, roles, flags,
// the claim's worst severity (bytes); dates From and To, claim offset and
// line offset (varints); file index and scrub serial (uvarints); then the
// related code (the pack entry's code, "" for none), override modifier,
// side text, rendering NPI and packed columns, each as a uvarint length and
// its bytes.
// Member ID and billing NPI are read back from the columns.
func appendRecord(b []byte, e *crossEntry) []byte {
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
	if e.original {
		flags |= spillOriginal
	}
	relCode := ""
	if e.rel != nil {
		relCode = e.rel.Code
	}
	b = append(b, e.kind, e.sides, e.roles, flags, byte(e.claimWorst))
	b = binary.AppendVarint(b, int64(e.dates.From))
	b = binary.AppendVarint(b, int64(e.dates.To))
	b = binary.AppendVarint(b, e.claimOffset)
	b = binary.AppendVarint(b, e.lineSeg)
	b = binary.AppendVarint(b, e.units)
	b = binary.AppendUvarint(b, uint64(e.fileIndex))
	b = binary.AppendUvarint(b, uint64(e.scrub))
	for _, str := range [...]string{relCode, e.override, e.sideText, e.rendering} {
		b = binary.AppendUvarint(b, uint64(len(str)))
		b = append(b, str...)
	}
	// The columns are in one of the two: colsRaw until own, cols after.
	b = binary.AppendUvarint(b, uint64(len(e.colsRaw)+len(e.cols)))
	return append(append(b, e.colsRaw...), e.cols...)
}

// write appends e to its partition's file.
func (s *crossStore) write(e *crossEntry) {
	if s.err != nil {
		return
	}
	s.buf = appendRecord(s.buf[:0], e)
	if err := s.parts[crossPartition(e.member, e.patient)].Append(s.buf); err != nil {
		s.fail(err)
	}
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
	if s.parts == nil {
		emit(matchKept(p, s.data, s.mem, keep, nil))
		return nil
	}
	if err := flushAll(s.parts); err != nil {
		return fmt.Errorf("cross-claim rules: spilling the index to disk: %w", err)
	}
	loadMax := s.loadMax
	// Partitions are matched crossMatchWorkers at a time. Each hands its
	// findings on in chunks as it makes them (emit is called under a lock),
	// so no partition's findings are all held at once: a million claims of
	// one patient are a million findings. Their order does not matter: the
	// callers sort (findings) or sort each run (the sink's reader merges).
	workers := min(runtime.GOMAXPROCS(0), crossMatchWorkers)
	var mu sync.Mutex
	emitLocked := func(fs []crossFound) {
		mu.Lock()
		defer mu.Unlock()
		emit(fs)
	}
	errs := make([]error, workers)
	for first := 0; first < len(s.parts); first += workers {
		n := min(workers, len(s.parts)-first)
		var wg sync.WaitGroup
		for k := range n {
			part := s.parts[first+k]
			s.parts[first+k] = nil // matchPartition closes it
			wg.Go(func() {
				errs[k] = matchPartition(p, s.data, part, loadMax, s.dir, keep, emitLocked)
			})
		}
		wg.Wait()
		if err := errors.Join(errs[:n]...); err != nil {
			return err
		}
	}
	return nil
}

func flushAll(files []*spill.File) error {
	for _, f := range files {
		if err := f.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// crossEmitEvery is how many cross-claim findings a partition hands on at
// once.
var crossEmitEvery = 4096 // a variable for the tests

// matchPartition splits a partition if it is big (splitPart), then matches
// its pieces one at a time, reading each twice: once to sum its target
// lines up (crossMatcher.index), once to match every entry against the
// sums. Memory holds the sums, never a piece's entries, so one patient's
// entries need not fit in memory, nor be split. It hands the findings to
// emit in chunks, and closes the partition's files.
func matchPartition(p *pack.Pack, d *codedata.Set, part *spill.File, loadMax int, dir string, keep func(*crossEntry) bool, emit func([]crossFound)) error {
	pieces, err := splitPart(part, loadMax, dir)
	if err != nil {
		return fmt.Errorf("cross-claim rules: splitting the spilled index: %w", err)
	}
	defer spill.CloseAll(pieces)
	var run claimRun
	for _, piece := range pieces {
		m := newCrossMatcher(p, d)
		err := eachEntry(p, piece, func(e *crossEntry) {
			if keep(e) {
				m.index(e, ownEntry)
			}
		})
		if err == nil {
			err = eachEntry(p, piece, func(e *crossEntry) {
				if !keep(e) {
					return
				}
				run.add(m, e)
				if run.start >= crossEmitEvery {
					emit(run.take())
				}
			})
		}
		if err != nil {
			return fmt.Errorf("cross-claim rules: reading the spilled index: %w", err)
		}
		piece.Close()
	}
	run.endClaim()
	if out := run.take(); len(out) > 0 {
		emit(out)
	}
	return nil
}

// splitPart returns part as pieces of about loadMax bytes each, so that
// Finish loads one piece at a time. A part that is small enough is its own
// only piece. A bigger one is split by the rest of its match key's hash
// (crossKeyHash): entries only match within one key, so matching piece by
// piece finds what matching the whole part would.
func splitPart(part *spill.File, loadMax int, dir string) ([]*spill.File, error) {
	if part.Size() <= int64(loadMax) {
		return []*spill.File{part}, nil
	}
	n := splitPieces(part.Size(), loadMax)
	// The write buffers share crossSplitBuffer: big buffers mean few
	// write calls (the calls were most of the split's time with 8 KiB).
	pieceBuffer := min(max(crossSplitBuffer/n, 4<<10), 64<<10)
	return part.Split(n, dir, "scrub837-cross-split-", pieceBuffer, func(rec []byte) (int, error) {
		// The string only lives for this call.
		var e crossEntry
		if _, err := decodeRecord(unsafe.String(unsafe.SliceData(rec), len(rec)), &e); err != nil {
			return 0, err
		}
		return int((crossKeyHash(e.member, e.patient) / crossPartitions) % uint64(n)), nil
	})
}

// splitPieces is how many pieces a part of size bytes is split into: one
// per loadMax bytes, but at most crossSplitMaxPieces (each is an open file).
func splitPieces(size int64, loadMax int) int {
	return int(min((size+int64(loadMax)-1)/int64(loadMax), crossSplitMaxPieces))
}

// matchKept appends the cross-claim findings of the entries keep accepts
// (with the data files d, MUE-EXCEEDED's too).
func matchKept(p *pack.Pack, d *codedata.Set, entries []crossEntry, keep func(*crossEntry) bool, out []crossFound) []crossFound {
	all := make([]*crossEntry, 0, len(entries))
	for k := range entries {
		if keep(&entries[k]) {
			all = append(all, &entries[k])
		}
	}
	return crossMatch(p, d, all, out)
}

// eachEntry streams a part's entries to fn, in the order written. An entry
// and its strings are scratch, valid during the call: fn copies what it
// keeps (ownEntry).
func eachEntry(p *pack.Pack, part *spill.File, fn func(e *crossEntry)) error {
	if err := part.Flush(); err != nil {
		return err
	}
	r := part.Records(0, part.Size())
	for k := 0; ; k++ {
		rec, err := r.Next()
		if err == io.EOF {
			if k != part.Len() {
				return fmt.Errorf("%d entries, want %d: %w", k, part.Len(), errSpillCorrupt)
			}
			return nil
		}
		if err != nil {
			return err
		}
		var e crossEntry
		relCode, err := decodeRecord(unsafe.String(unsafe.SliceData(rec), len(rec)), &e)
		if err == nil && relCode != "" {
			var ok bool
			if e.rel, ok = p.Related(relCode); !ok {
				err = fmt.Errorf("related code %q is not in the rule pack", relCode)
			}
		}
		if err != nil {
			return fmt.Errorf("entry %d: %w", k, err)
		}
		fn(&e)
	}
}

// ownEntry copies a scratch entry with strings of its own.
func ownEntry(e *crossEntry) *crossEntry {
	c := *e
	c.cols = strings.Clone(e.cols)
	c.member, c.npi, _ = packedKey(c.cols)
	c.sideText, c.rendering, c.override = strings.Clone(e.sideText), strings.Clone(e.rendering), strings.Clone(e.override)
	c.other = nil
	return &c
}

var errSpillCorrupt = errors.New("corrupt spill record")

// decodeRecord reads the record appendRecord wrote into e, whose strings
// are substrings of rec, and returns its related code.
func decodeRecord(rec string, e *crossEntry) (relCode string, err error) {
	r := recordReader{s: rec}
	e.kind, e.sides, e.roles = r.byte(), r.byte(), r.byte()
	flags := r.byte()
	e.claimWorst = finding.Severity(r.byte())
	e.patient, e.dupInClaim, e.target = flags&spillPatient != 0, flags&spillDupInClaim != 0, flags&spillTarget != 0
	e.original = flags&spillOriginal != 0
	if from, to := int32(r.varint()), int32(r.varint()); from != 0 {
		e.dates = newDateRange(from, to)
	}
	e.claimOffset, e.lineSeg, e.units = r.varint(), r.varint(), r.varint()
	e.fileIndex, e.scrub = int(r.uvarint()), uint32(r.uvarint())
	relCode, e.override = r.string(), r.string()
	e.sideText, e.rendering, e.cols = r.string(), r.string(), r.string()
	if r.bad || r.pos != len(r.s) {
		return "", errSpillCorrupt
	}
	var ok bool
	if e.member, e.npi, ok = packedKey(e.cols); !ok {
		return "", errSpillCorrupt
	}
	return relCode, nil
}

// recordReader decodes the fields of a record.
type recordReader struct {
	s   string
	pos int
	bad bool
}

func (r *recordReader) byte() byte {
	if r.pos >= len(r.s) {
		r.bad = true
		return 0
	}
	r.pos++
	return r.s[r.pos-1]
}

func (r *recordReader) uvarint() uint64 {
	v, n := uvarintString(r.s[r.pos:])
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.pos += n
	return v
}

func (r *recordReader) varint() int64 {
	u := r.uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

func (r *recordReader) string() string {
	n := r.uvarint()
	if r.bad || n > uint64(len(r.s)-r.pos) {
		r.bad = true
		return ""
	}
	str := r.s[r.pos : r.pos+int(n)]
	r.pos += int(n)
	return str
}

// reset empties the store and removes its spill files. The settings (limit,
// dir) stay.
func (s *crossStore) reset() {
	spill.CloseAll(s.parts)
	s.mem, s.memBytes, s.parts, s.err, s.buf = nil, 0, nil, nil, nil
}
