package codedata

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// Options says what Load keeps.
type Options struct {
	// Procedures are the HCPCS/CPT codes the rule pack checks (0620T): Load
	// keeps the NCCI PTP pairs that involve one of them and their MUE values.
	// The PTP practitioner set is millions of rows; everything else is read,
	// checked and counted, never kept. With none, PTP and MUE files are only
	// checked and counted (enough for a listing).
	Procedures []string
}

// FileInfo describes one data file Load recognised: what `scrub837 data`
// lists and what run.data in exceptions.json records, so that a finding can
// be traced to the quarter that produced it.
type FileInfo struct {
	Kind    Kind
	Path    string // relative to the data folder, with / separators
	Member  string // the member inside the ZIP at Path, or ""
	Version string // v321r0 (PTP), Eff 20260401 (MUE), FY2026 (ICD-10-CM), 26.0 (NUCC)
	Part    int    // PTP part number (ccipra-…-f1 is 1); 0 for other kinds
	// Effective and Through (CCYYMMDD): for PTP the quarter the file was
	// published for (its rows carry their own dates, back to 1996); for MUE
	// the dates it applies, until the next file's effective date; for
	// ICD-10-CM from the file's date to the end of its fiscal year; "" for
	// NUCC, which has no dates.
	Effective string
	Through   string
	RowsRead  int    // data rows in the file (header lines not counted)
	RowsKept  int    // rows kept for lookups
	SHA256    string // of the file's bytes (of the member's bytes, for a ZIP member)
	Note      string // e.g. "same content as …: not read twice"
}

// Unrecognised is a file in the data folder that Load does not read.
type Unrecognised struct {
	Path   string
	Member string
	Reason string
	// Renamed: the content looks like a table Load reads, and only its name
	// (which carries the quarter or year) keeps it from being read. A run
	// warns about it: the team may think the edits are in force.
	Renamed bool
}

// Set is the loaded data. A nil *Set is valid and holds nothing: every
// lookup answers NoFile, so the caller keeps to its rule pack.
type Set struct {
	files        []FileInfo
	unrecognised []Unrecognised
	notes        []string
	ptp          ptpTable
	mue          mueTable
	icd          icdTable
	nucc         nuccTable
}

// Status says what a lookup found.
type Status uint8

const (
	// NoFile: no loaded file speaks for that code on that date (no file of
	// the kind, none for the quarter or fiscal year, a date that is not
	// CCYYMMDD, or a PTP/MUE code that Options.Procedures did not ask for).
	// The caller falls back to the rule pack.
	NoFile Status = iota
	// Absent: a file speaks for the date and has no entry: no PTP edit in
	// force for the pair, no MUE for the code, a diagnosis that is not an
	// ICD-10-CM code of that fiscal year, a taxonomy that is not a NUCC code.
	Absent
	// Found: the returned value holds the file's entry.
	Found
)

// maxTableBytes bounds the CSV files (MUE, NUCC; real ones are about 1 MB):
// an unterminated quote in a stray file must not make a field the size of
// the disk.
const maxTableBytes = 64 << 20

// Load reads every recognised file under dir (and its subfolders, and
// inside ZIPs, which need not be unpacked). dir "" means no data: Load
// returns a nil *Set and nil, and nothing changes for the caller. A folder
// that does not exist is an error; an empty one gives an empty Set.
// Unrecognised files are listed (Unrecognised), not fatal; a recognised file
// that is malformed is a *FileError naming the file, line and reason.
// Files are streamed: no file is read whole into memory.
func Load(dir string, opts Options) (*Set, error) {
	if dir == "" {
		return nil, nil
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s: not a folder", dir)
	}
	l := &loader{set: &Set{}, seen: map[string]int{}, want: newCodeSet(opts.Procedures)}
	l.set.ptp.init(l.want)
	var paths []string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() || d.Type()&fs.ModeSymlink != 0 {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Recognise every file and ZIP member in lexical order (WalkDir's), read
	// the recognised ones in parallel (inflating, hashing and parsing the PTP
	// parts is the cost), then merge the results in that same order: the
	// outcome, errors included, does not depend on which read ends first.
	var entries []*entry
	for _, p := range paths {
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		var es []*entry
		if strings.EqualFold(path.Ext(rel), ".zip") {
			es, err = l.zipEntries(p, rel)
		} else {
			es = l.plainEntry(p, rel)
		}
		if err != nil {
			return nil, err
		}
		entries = append(entries, es...)
	}
	readAll(entries, l.want)
	for _, e := range entries {
		if err := l.merge(e); err != nil {
			return nil, err
		}
	}
	l.finish()
	return l.set, nil
}

type loader struct {
	set  *Set
	seen map[string]int // edition key → index in set.files
	want codeSet
}

// entry is one recognised file or ZIP member, and what reading it gave.
type entry struct {
	osPath, rel, member string // member "" for a plain file
	ed                  edition
	info                FileInfo
	ptp                 *ptpPart
	mue                 *mueFile
	icd                 *icdFile
	nucc                map[[10]byte]Taxonomy
	err                 error
}

func (e *entry) name() string { return FileInfo{Path: e.rel, Member: e.member}.name() }

// name is how findings and messages name the file: path[member].
func (f FileInfo) name() string {
	if f.Member != "" {
		return f.Path + "[" + f.Member + "]"
	}
	return f.Path
}

func (l *loader) plainEntry(p, rel string) []*entry {
	ed, reason := recognise(rel, rel)
	if reason != "" {
		f, err := os.Open(p)
		if err != nil {
			l.unrecognised(Unrecognised{Path: rel, Reason: "cannot be opened: " + err.Error()})
			return nil
		}
		defer f.Close()
		l.unrecognised(withSniff(Unrecognised{Path: rel, Reason: reason}, f))
		return nil
	}
	return []*entry{{osPath: p, rel: rel, ed: ed}}
}

func (l *loader) zipEntries(p, rel string) ([]*entry, error) {
	zr, err := zip.OpenReader(p)
	if err != nil {
		if looksPublished(path.Base(rel)) {
			return nil, &FileError{Path: rel, Reason: "not a readable ZIP", Err: err}
		}
		l.unrecognised(Unrecognised{Path: rel, Reason: "not a readable ZIP: " + err.Error()})
		return nil, nil
	}
	defer zr.Close()
	members := make([]*zip.File, 0, len(zr.File))
	for _, zf := range zr.File {
		if !zf.FileInfo().IsDir() {
			members = append(members, zf)
		}
	}
	sort.Slice(members, func(i, j int) bool { return members[i].Name < members[j].Name })
	var es []*entry
	for _, zf := range members {
		ed, reason := recognise(zf.Name, rel+"/"+zf.Name)
		if reason == "" && strings.EqualFold(path.Ext(zf.Name), ".zip") {
			reason = "a ZIP inside a ZIP: unpack the outer one"
		}
		if reason == "" {
			es = append(es, &entry{osPath: p, rel: rel, member: zf.Name, ed: ed})
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			l.unrecognised(Unrecognised{Path: rel, Member: zf.Name, Reason: "cannot be read: " + err.Error()})
			continue
		}
		l.unrecognised(withSniff(Unrecognised{Path: rel, Member: zf.Name, Reason: reason}, rc))
		rc.Close()
	}
	return es, nil
}

// readAll reads the entries, as many at a time as there are CPUs.
func readAll(entries []*entry, want codeSet) {
	work := make(chan *entry)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(1, len(entries))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for e := range work {
				e.read(want)
			}
		}()
	}
	for _, e := range entries {
		work <- e
	}
	close(work)
	wg.Wait()
}

// read streams one recognised file through its reader, hashing the bytes
// as they go by.
func (e *entry) read(want codeSet) {
	fail := func(line int, reason string, err error) error {
		return &FileError{Path: e.rel, Member: e.member, Line: line, Reason: reason, Err: err}
	}
	r, closeFn, err := e.open()
	if err != nil {
		e.err = fail(0, "cannot be read", err)
		return
	}
	defer closeFn()
	h := sha256.New()
	tr := io.TeeReader(r, h)
	e.info = FileInfo{Kind: e.ed.kind, Path: e.rel, Member: e.member, Version: e.ed.version, Part: e.ed.part}
	switch e.ed.kind {
	case KindPTP:
		e.info.Effective, e.info.Through = e.ed.start.String(), quarterEnd(e.ed.start).String()
		e.ptp, e.err = readPTP(tr, &e.info, want, fail)
	case KindMUE:
		e.info.Effective = e.ed.start.String()
		e.mue, e.err = readMUE(&capReader{r: tr, left: maxTableBytes}, e.ed, &e.info, want, fail)
	case KindICD10CM:
		e.info.Effective, e.info.Through = e.ed.start.String(), fiscalYearEnd(e.ed.fy).String()
		e.icd, e.err = readICD(tr, e.ed, &e.info, fail)
	case KindNUCC:
		e.nucc, e.err = readNUCC(&capReader{r: tr, left: maxTableBytes}, e.ed, &e.info, fail)
	}
	if e.err != nil {
		return
	}
	if _, err := io.Copy(io.Discard, tr); err != nil { // the hash covers every byte
		e.err = fail(0, "cannot be read", err)
		return
	}
	e.info.SHA256 = hex.EncodeToString(h.Sum(nil))
}

func (e *entry) open() (io.Reader, func(), error) {
	if e.member == "" {
		f, err := os.Open(e.osPath)
		if err != nil {
			return nil, nil, err
		}
		return f, func() { f.Close() }, nil
	}
	zr, err := zip.OpenReader(e.osPath)
	if err != nil {
		return nil, nil, err
	}
	for _, zf := range zr.File {
		if zf.Name == e.member {
			rc, err := zf.Open()
			if err != nil {
				zr.Close()
				return nil, nil, err
			}
			return rc, func() { rc.Close(); zr.Close() }, nil
		}
	}
	zr.Close()
	return nil, nil, fs.ErrNotExist
}

// merge adds one read entry to the set. The same edition twice with the
// same bytes (a ZIP and its unpacked copy side by side) is listed and not
// used twice; with different bytes it is an error, since scrub837 cannot
// know which one the team means.
func (l *loader) merge(e *entry) error {
	if i, dup := l.seen[e.ed.key()]; dup && e.err == nil {
		first := l.set.files[i]
		firstName := first.name()
		if e.info.SHA256 != first.SHA256 {
			return &FileError{Path: e.rel, Member: e.member,
				Reason: fmt.Sprintf("%s %s is also %s, with different content: keep one of them", e.info.Kind, e.info.Version, firstName)}
		}
		info := e.info
		info.RowsRead, info.RowsKept = 0, 0
		info.Effective, info.Through = first.Effective, first.Through
		info.Note = "same content as " + firstName + ": not read twice"
		l.set.files = append(l.set.files, info)
		return nil
	}
	if e.err != nil {
		return e.err
	}
	switch e.ed.kind {
	case KindPTP:
		l.set.ptp.add(e.ed, e.ptp, e.name())
	case KindMUE:
		l.set.mue.add(e.mue, l.want)
	case KindICD10CM:
		l.set.icd.files = append(l.set.icd.files, e.icd)
	case KindNUCC:
		l.set.nucc.add(e.ed, e.nucc)
	}
	l.seen[e.ed.key()] = len(l.set.files)
	l.set.files = append(l.set.files, e.info)
	return nil
}

// looksPublished: a ZIP named as CMS, CDC or NUCC name theirs, which the team
// means as data, so that an unreadable one stops the run.
func looksPublished(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"ccipra", "ncci", "mue", "icd10cm", "code-descriptions", "code descriptions", "nucc"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// withSniff replaces the generic reason with what the content looks like
// (then u is Renamed); a specific reason (an outpatient table, the
// addenda) stands.
func withSniff(u Unrecognised, r io.Reader) Unrecognised {
	if u.Reason != genericReason {
		return u
	}
	head := make([]byte, 4096)
	n, _ := io.ReadFull(r, head)
	if s := sniff(head[:n]); s != "" {
		u.Reason, u.Renamed = s, true
	}
	return u
}

func (l *loader) unrecognised(u Unrecognised) {
	l.set.unrecognised = append(l.set.unrecognised, u)
}

// finish settles what depends on all files: which PTP quarter speaks for a
// pair, until when each MUE file applies.
func (l *loader) finish() {
	s := l.set
	s.notes = append(s.notes, s.ptp.finish()...)
	s.mue.finish(s.files)
	s.icd.finish(s.files)
	s.nucc.finish(s.files)
	sort.SliceStable(s.files, func(i, j int) bool {
		a, b := s.files[i], s.files[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Path+"\x00"+a.Member < b.Path+"\x00"+b.Member
	})
}

// Files lists the recognised files, by kind and then path.
func (s *Set) Files() []FileInfo {
	if s == nil {
		return nil
	}
	return append([]FileInfo(nil), s.files...)
}

// Unrecognised lists the files Load did not read, with the reason.
func (s *Set) Unrecognised() []Unrecognised {
	if s == nil {
		return nil
	}
	return append([]Unrecognised(nil), s.unrecognised...)
}

// Notes are remarks on the set as a whole that a run should log once, such
// as a PTP quarter with parts missing.
func (s *Set) Notes() []string {
	if s == nil {
		return nil
	}
	return append([]string(nil), s.notes...)
}

// capReader stops a reader after left bytes with an error.
type capReader struct {
	r    io.Reader
	left int64
}

var errTooBig = errors.New("larger than any published table of its kind")

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errTooBig
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

func (st Status) String() string {
	switch st {
	case Absent:
		return "absent"
	case Found:
		return "found"
	}
	return "no file"
}
