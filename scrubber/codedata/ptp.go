package codedata

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
)

// The NCCI PTP practitioner file, as CMS publishes it (confirmed against
// public records of the real files):
//
//   - Name ccipra-v<NN><Q>r<R>-f<P>.TXT (also .txt): version NN.Q revision R,
//     part P of 4. CMS used to put the four parts in one ZIP; it now ships
//     one ZIP a part, medicare-ncci-2026q2-practitioner-ptp-edits-ccipra-v321r0-f1.zip
//     (the download URLs listed in public loaders: reuven-ops/Biller
//     evals/fixtures/cms_ncci_ptp/README.md, and a loader's list of the
//     2026q2 ZIPs). v321r0 is 2026 Q2, v322r0 2026 Q3, v313r0 2025 Q4: the
//     version is (year − 1994) then the quarter − 1.
//   - Latin-1 text, CR LF, tab-delimited. Six header lines: an AMA copyright
//     line, "Column1/Column2 Edits", then the column titles wrapped over four
//     lines ("Column 1", "Column 2", "*=in existence / prior to 1996",
//     "Effective / Date", "Deletion / Date / *=no data", "Modifier /
//     0=not allowed / 1=allowed / 9=not applicable", "PTP Edit Rationale"),
//     each continuation line starting with a tab. Real excerpt of
//     ccipra-v322r0-f1.TXT: reuven-ops/Biller evals/fixtures/cms_ncci_ptp/ccipra-v322r0-f1.excerpt.txt.
//   - Rows: column 1 code, column 2 code, "*" or empty (in existence before
//     1996), effective date CCYYMMDD, deletion date CCYYMMDD or "*", modifier
//     indicator 0/1/9, rationale text.
//   - Deletion dates are the last day of a quarter (20231231, 20260630): the
//     edit is in force through that day. A pair deleted retroactively keeps
//     its row with deletion date = effective date and indicator 9 (AAPC's
//     reading of the CMS convention). One file may list a pair on several
//     rows (13121/13120 appears with indicator 9 and again with 0 in v322r0):
//     the row in force on the date of service decides; when two are, the
//     later effective date, then the later deletion date wins.
//
// Each quarterly file is complete: every pair with its whole history,
// corrections included. So for a pair, the newest version that lists it
// speaks for every date; older versions only matter for a pair the newer
// ones dropped, and then only before the newer version's quarter.

// Indicator is a PTP edit's modifier indicator.
type Indicator uint8

const (
	NotAllowed    Indicator = 0 // no modifier lets both codes be paid
	Allowed       Indicator = 1 // an NCCI-associated modifier may, when the clinical facts justify it
	NotApplicable Indicator = 9 // the edit was deleted retroactively: it never applies
)

// Edit is one NCCI PTP edit row in force on a date of service.
type Edit struct {
	Column1, Column2 string // the column 1 code is paid, the column 2 code denied
	PriorTo1996      bool   // the "*" of "in existence prior to 1996"
	Effective        string // CCYYMMDD
	Deletion         string // CCYYMMDD, or "" when the row has no deletion date ("*")
	Indicator        Indicator
	Rationale        string // CMS's PTP edit rationale, e.g. "Misuse of Column Two code with Column One code"
	Version          string // the quarterly release the row comes from (v321r0)
	File             string // the file (and ZIP member) the row comes from

	from, through date
}

type pairKey struct{ col1, col2 hcpcs }

type ptpRow struct {
	effective, deletion date
	indicator           Indicator
	prior1996           bool
	rationale           string
}

type ptpVersion struct {
	order    int
	version  string
	start    date
	parts    map[int]bool
	fileName map[int]string // part → file name for Edit.File
	rows     map[pairKey][]ptpRow
	partOf   map[pairKey]int
}

type ptpTable struct {
	versions  map[int]*ptpVersion
	edits     map[pairKey][]Edit // settled by finish
	through   date               // the last date of the newest quarter
	rationale interner
	want      codeSet
}

func (t *ptpTable) wanted(c1, c2 hcpcs) bool { return t.want.has(c1) || t.want.has(c2) }

func (t *ptpTable) init(want codeSet) {
	t.want = want
	t.versions = map[int]*ptpVersion{}
	t.edits = map[pairKey][]Edit{}
	t.rationale = interner{}
}

type failFunc func(line int, reason string, err error) error

// ptpPart is what one part file holds for the wanted codes.
type ptpPart struct {
	rows      map[pairKey][]ptpRow
	rationale interner
}

// readPTP streams one part. It checks every row and keeps the rows of
// pairs that involve a wanted code.
func readPTP(r io.Reader, info *FileInfo, want codeSet, fail failFunc) (*ptpPart, error) {
	part := &ptpPart{rows: map[pairKey][]ptpRow{}, rationale: interner{}}
	lr := newLineReader(r)
	inHeader, sawTitles := true, false
	var f [8][]byte
	for {
		line, err := lr.nextRow()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fail(lr.line, "cannot be read", err)
		}
		if inHeader {
			n := splitTabs(line, f[:])
			switch {
			case n >= 2 && string(bytes.TrimSpace(f[0])) == "Column 1" && string(bytes.TrimSpace(f[1])) == "Column 2":
				sawTitles = true
				continue
			case sawTitles && len(bytes.TrimSpace(f[0])) == 0:
				continue // the wrapped column titles
			case sawTitles:
				inHeader = false // the first row
			case lr.line >= 10:
				return nil, fail(lr.line, `no "Column 1 / Column 2" title line in the first lines: not an NCCI PTP table`, nil)
			default:
				continue // the copyright and title lines
			}
		}
		info.RowsRead++
		row, key, err := parsePTPRow(line, &f, part.rationale, want)
		if err != nil {
			return nil, fail(lr.line, err.Error(), nil)
		}
		if row == nil {
			continue
		}
		part.rows[key] = append(part.rows[key], *row)
		info.RowsKept++
	}
	if !sawTitles {
		return nil, fail(0, `no "Column 1 / Column 2" title line: not an NCCI PTP table`, nil)
	}
	return part, nil
}

// add files a part under its version.
func (t *ptpTable) add(ed edition, part *ptpPart, name string) {
	v := t.versions[ed.order]
	if v == nil {
		v = &ptpVersion{order: ed.order, version: ed.version, start: ed.start, parts: map[int]bool{},
			fileName: map[int]string{}, rows: map[pairKey][]ptpRow{}, partOf: map[pairKey]int{}}
		t.versions[ed.order] = v
	}
	v.parts[ed.part] = true
	v.fileName[ed.part] = name
	for key, rows := range part.rows {
		for i := range rows {
			rows[i].rationale = t.rationale.share(rows[i].rationale)
		}
		v.rows[key] = append(v.rows[key], rows...)
		v.partOf[key] = ed.part
	}
}

// parsePTPRow checks one data row; it returns a row only for a pair that
// involves a wanted code (and allocates only then).
func parsePTPRow(line []byte, f *[8][]byte, rat interner, want codeSet) (*ptpRow, pairKey, error) {
	n := splitTabs(line, f[:])
	if n < 6 || n == 8 && !blank(f[7]) {
		return nil, pairKey{}, fmt.Errorf("%d tab-separated fields, want 7 (column 1, column 2, *, effective, deletion, modifier, rationale)", n)
	}
	c1, ok1 := hcpcsOf(f[0])
	c2, ok2 := hcpcsOf(f[1])
	if !ok1 || !ok2 {
		return nil, pairKey{}, fmt.Errorf("column 1 %q / column 2 %q: not 5-character HCPCS/CPT codes", f[0], f[1])
	}
	prior := bytes.TrimSpace(f[2])
	if len(prior) > 0 && string(prior) != "*" {
		return nil, pairKey{}, fmt.Errorf("prior-to-1996 field %q: want * or nothing", f[2])
	}
	eff, ok := parseDate(f[3])
	if !ok {
		return nil, pairKey{}, fmt.Errorf("effective date %q: want CCYYMMDD", f[3])
	}
	del := openEnd
	if string(f[4]) != "*" {
		if del, ok = parseDate(f[4]); !ok {
			return nil, pairKey{}, fmt.Errorf("deletion date %q: want CCYYMMDD or *", f[4])
		}
		if del < eff {
			return nil, pairKey{}, fmt.Errorf("deletion date %s before effective date %s", f[4], f[3])
		}
	}
	if len(f[5]) != 1 || f[5][0] != '0' && f[5][0] != '1' && f[5][0] != '9' {
		return nil, pairKey{}, fmt.Errorf("modifier indicator %q: want 0, 1 or 9", f[5])
	}
	if !want.has(c1) && !want.has(c2) {
		return nil, pairKey{}, nil
	}
	row := &ptpRow{effective: eff, deletion: del, indicator: Indicator(f[5][0] - '0'), prior1996: len(prior) > 0}
	if n >= 7 {
		row.rationale = rat.get(bytes.TrimSpace(f[6]))
	}
	return row, pairKey{c1, c2}, nil
}

// finish settles, for every kept pair, which version speaks for it and on
// which dates, and returns notes for versions with parts missing.
func (t *ptpTable) finish() []string {
	var vs []*ptpVersion
	for _, v := range t.versions {
		vs = append(vs, v)
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i].order > vs[j].order }) // newest first
	var notes []string
	for _, v := range vs {
		if !v.complete() {
			var have []string
			for p := 1; p <= 9; p++ {
				if v.parts[p] {
					have = append(have, fmt.Sprintf("f%d", p))
				}
			}
			notes = append(notes, fmt.Sprintf("NCCI PTP %s: only parts %s of 4 were found; pairs of the missing parts are not checked against this quarter",
				v.version, strings.Join(have, ", ")))
		}
	}
	if len(vs) > 0 {
		t.through = quarterEnd(vs[0].start)
	}
	done := map[pairKey]bool{}
	for i, v := range vs {
		for key, rows := range v.rows {
			if done[key] {
				continue // a newer version speaks for the pair
			}
			done[key] = true
			// A complete newer version that does not list the pair dropped
			// it: the older rows apply only before that quarter.
			limit := openEnd
			for _, newer := range vs[:i] {
				if newer.complete() {
					limit = dayBefore(newer.start)
				}
			}
			for _, r := range rows {
				through := min(r.deletion, limit)
				if through < r.effective {
					continue
				}
				e := Edit{Column1: string(key.col1[:]), Column2: string(key.col2[:]), PriorTo1996: r.prior1996,
					Effective: r.effective.String(), Deletion: r.deletion.String(), Indicator: r.indicator,
					Rationale: r.rationale, Version: v.version, File: v.fileName[v.partOf[key]],
					from: r.effective, through: through}
				t.edits[key] = append(t.edits[key], e)
			}
		}
	}
	t.versions = nil // the rows now live in edits
	return notes
}

// complete: all four parts were read (CMS splits the practitioner set in four).
func (v *ptpVersion) complete() bool {
	return v.parts[1] && v.parts[2] && v.parts[3] && v.parts[4]
}

// PTP returns the NCCI PTP edit in force on dos (CCYYMMDD) for the pair
// with col1 in column 1 and col2 in column 2; the pair in the other order
// is another edit, so ask both orders. Found: the edit (whose Indicator says
// whether an NCCI-associated modifier may bypass it; NotApplicable means no
// edit). Absent: the PTP files of that quarter have no edit in force for the
// pair. NoFile: no PTP file speaks for dos (a date after the newest
// quarter loaded, or no PTP file), or neither code is one of
// Options.Procedures. It does not allocate.
func (s *Set) PTP(col1, col2, dos string) (Edit, Status) {
	if s == nil {
		return Edit{}, NoFile
	}
	d, ok := parseDate(dos)
	if !ok || s.ptp.through == 0 || d > s.ptp.through {
		return Edit{}, NoFile
	}
	c1, ok1 := hcpcsOf(col1)
	c2, ok2 := hcpcsOf(col2)
	if !ok1 || !ok2 {
		return Edit{}, Absent
	}
	if !s.ptp.wanted(c1, c2) {
		return Edit{}, NoFile
	}
	best := -1
	edits := s.ptp.edits[pairKey{c1, c2}]
	for i := range edits {
		e := &edits[i]
		if e.from > d || e.through < d {
			continue
		}
		if best < 0 || e.from > edits[best].from || e.from == edits[best].from && e.through > edits[best].through {
			best = i
		}
	}
	if best < 0 {
		return Edit{}, Absent
	}
	return edits[best], Found
}
