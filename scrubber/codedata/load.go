package codedata

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
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
	// Effective and Through are the dates of service (CCYYMMDD) the file
	// speaks for; Through is "" for a NUCC file, which has no dates.
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
	l := &loader{root: dir, set: &Set{}, seen: map[string]int{}, want: newCodeSet(opts.Procedures)}
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
	for _, p := range paths { // WalkDir visits in lexical order: deterministic
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if strings.EqualFold(path.Ext(rel), ".zip") {
			err = l.zipFile(p, rel)
		} else {
			err = l.plainFile(p, rel)
		}
		if err != nil {
			return nil, err
		}
	}
	l.finish()
	return l.set, nil
}

type loader struct {
	root string
	set  *Set
	seen map[string]int // edition key → index in set.files
	want codeSet
}

func (l *loader) plainFile(p, rel string) error {
	ed, reason := recognise(rel, rel)
	f, err := os.Open(p)
	if err != nil {
		if reason != "" {
			l.unrecognised(rel, "", "cannot be opened: "+err.Error())
			return nil
		}
		return &FileError{Path: rel, Reason: "cannot be opened", Err: err}
	}
	defer f.Close()
	if reason != "" {
		l.unrecognised(rel, "", withSniff(reason, f))
		return nil
	}
	return l.read(f, ed, rel, "")
}

func (l *loader) zipFile(p, rel string) error {
	zr, err := zip.OpenReader(p)
	if err != nil {
		if looksPublished(path.Base(rel)) {
			return &FileError{Path: rel, Reason: "not a readable ZIP", Err: err}
		}
		l.unrecognised(rel, "", "not a readable ZIP: "+err.Error())
		return nil
	}
	defer zr.Close()
	members := make([]*zip.File, 0, len(zr.File))
	for _, zf := range zr.File {
		if !zf.FileInfo().IsDir() {
			members = append(members, zf)
		}
	}
	sort.Slice(members, func(i, j int) bool { return members[i].Name < members[j].Name })
	for _, zf := range members {
		ed, reason := recognise(zf.Name, rel+"/"+zf.Name)
		if reason == "" && strings.EqualFold(path.Ext(zf.Name), ".zip") {
			reason = "a ZIP inside a ZIP: unpack the outer one"
		}
		rc, err := zf.Open()
		if err != nil {
			if reason != "" {
				l.unrecognised(rel, zf.Name, "cannot be read: "+err.Error())
				continue
			}
			return &FileError{Path: rel, Member: zf.Name, Reason: "cannot be read from the ZIP", Err: err}
		}
		if reason != "" {
			l.unrecognised(rel, zf.Name, withSniff(reason, rc))
			rc.Close()
			continue
		}
		err = l.read(rc, ed, rel, zf.Name)
		rc.Close()
		if err != nil {
			return err
		}
	}
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

// withSniff replaces the generic reason with what the content looks like;
// a specific reason (an outpatient table, the addenda) stands.
func withSniff(reason string, r io.Reader) string {
	if reason != genericReason {
		return reason
	}
	head := make([]byte, 4096)
	n, _ := io.ReadFull(r, head)
	if s := sniff(head[:n]); s != "" {
		return s
	}
	return reason
}

func (l *loader) unrecognised(p, member, reason string) {
	l.set.unrecognised = append(l.set.unrecognised, Unrecognised{Path: p, Member: member, Reason: reason})
}

// read streams one recognised file through its reader, hashing the bytes
// as they go by.
func (l *loader) read(r io.Reader, ed edition, rel, member string) error {
	h := sha256.New()
	tr := io.TeeReader(r, h)
	info := FileInfo{Kind: ed.kind, Path: rel, Member: member, Version: ed.version, Part: ed.part}
	if i, dup := l.seen[ed.key()]; dup {
		return l.duplicate(tr, h, info, l.set.files[i])
	}
	fe := func(line int, reason string, err error) error {
		return &FileError{Path: rel, Member: member, Line: line, Reason: reason, Err: err}
	}
	var err error
	switch ed.kind {
	case KindPTP:
		err = l.set.ptp.read(tr, ed, &info, fe)
	case KindMUE:
		err = l.set.mue.read(&capReader{r: tr, left: maxTableBytes}, ed, &info, l.want, fe)
	case KindICD10CM:
		err = l.set.icd.read(tr, ed, &info, fe)
	case KindNUCC:
		err = l.set.nucc.read(&capReader{r: tr, left: maxTableBytes}, ed, &info, fe)
	}
	if err != nil {
		return err
	}
	if _, err := io.Copy(io.Discard, tr); err != nil { // the hash covers every byte
		return fe(0, "cannot be read", err)
	}
	info.SHA256 = hex.EncodeToString(h.Sum(nil))
	l.seen[ed.key()] = len(l.set.files)
	l.set.files = append(l.set.files, info)
	return nil
}

// duplicate handles a second file of an edition already read: the same
// bytes (a ZIP and its unpacked copy side by side) are listed and skipped;
// different bytes are an error, since scrub837 cannot know which one the
// team means.
func (l *loader) duplicate(r io.Reader, h hash.Hash, info FileInfo, first FileInfo) error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return &FileError{Path: info.Path, Member: info.Member, Reason: "cannot be read", Err: err}
	}
	info.SHA256 = hex.EncodeToString(h.Sum(nil))
	firstName := first.Path
	if first.Member != "" {
		firstName += "[" + first.Member + "]"
	}
	if info.SHA256 != first.SHA256 {
		return &FileError{Path: info.Path, Member: info.Member,
			Reason: fmt.Sprintf("%s %s is also %s, with different content: keep one of them", info.Kind, info.Version, firstName)}
	}
	info.Effective, info.Through = first.Effective, first.Through
	info.Note = "same content as " + firstName + ": not read twice"
	l.set.files = append(l.set.files, info)
	return nil
}

// finish settles what depends on all files: which PTP quarter speaks for a
// pair, until when each MUE and ICD-10-CM file applies.
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
