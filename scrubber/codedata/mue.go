package codedata

import (
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// The MUE practitioner services table, as CMS publishes it (confirmed
// against public records of the real files):
//
//   - Name MCR_MUE_PractitionerServices_Eff_<MM-DD-YYYY>.csv, one a quarter,
//     in a ZIP such as medicare-ncci-2026-q3-practitioner-services-mue-table.zip
//     with an .xlsx copy (the Excel copy is not read).
//   - Latin-1 CSV (® is byte 0xAE). The first record is the AMA copyright
//     notice, one quoted field over several lines followed by three empty
//     fields; the second is the header, whose first field "HCPCS/\nCPT Code"
//     holds a line break: HCPCS/CPT Code, Practitioner Services MUE Values,
//     MUE Adjudication Indicator, MUE Rationale. Real excerpt:
//     reuven-ops/Biller evals/fixtures/cms_ncci_mue/MCR_MUE_PractitionerServices_Eff_07-01-2026.excerpt.csv.
//   - The adjudication indicator is written with its meaning: "1 Line Edit",
//     "2 Date of Service Edit: Policy", "3 Date of Service Edit: Clinical"
//     (the column layout and the MAI meanings: Noridian JF "Medically
//     Unlikely Edits", med.noridianmedicare.com/web/jfb/topics/claim-submission/medically-unlikely-edits).
//
// A file applies from its effective date until the next file's; the newest
// until the end of its quarter.

// MAI is an MUE adjudication indicator.
type MAI uint8

const (
	LineEdit         MAI = 1 // units on one claim line are compared with the value
	DateEditPolicy   MAI = 2 // units of all lines of the date of service are summed; no appeal pays more
	DateEditClinical MAI = 3 // summed per date of service; payable above the value only on appeal with records
)

// PerDateOfService reports whether units are summed over the date of
// service (MAI 2 and 3) rather than compared line by line.
func (m MAI) PerDateOfService() bool { return m == DateEditPolicy || m == DateEditClinical }

// MUE is the medically unlikely edit of one code in one quarterly file.
type MUE struct {
	Code         string
	Value        int    // the most units a practitioner would report for one patient on one date
	Adjudication MAI    // how units are counted against Value
	MAIText      string // the indicator as published, e.g. "2 Date of Service Edit: Policy"
	Rationale    string // e.g. "Code Descriptor / CPT Instruction"
	Effective    string // the file's effective date, CCYYMMDD
	File         string // the file (and ZIP member)
}

type mueFile struct {
	start, through date
	values         map[hcpcs]MUE
}

type mueTable struct {
	files []*mueFile
	want  codeSet
}

func readMUE(r io.Reader, ed edition, info *FileInfo, want codeSet, fail failFunc) (*mueFile, error) {
	mf := &mueFile{start: ed.start, values: map[hcpcs]MUE{}}
	name := info.name()
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header := false
	for rec := 0; ; rec++ {
		fields, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(err, fail)
		}
		line, _ := cr.FieldPos(0) // only after a record was read: it panics otherwise
		if !header {
			if len(fields) >= 4 && squash(fields[0]) == "hcpcs/cptcode" && strings.Contains(strings.ToLower(fields[1]), "mue") {
				header = true
			} else if rec >= 4 {
				return nil, fail(line, `no "HCPCS/CPT Code, … MUE Values, MUE Adjudication Indicator, MUE Rationale" header in the first records: not an MUE table`, nil)
			}
			continue
		}
		if allBlank(fields) {
			continue
		}
		info.RowsRead++
		m, err := parseMUE(fields)
		if err != nil {
			return nil, fail(line, err.Error(), nil)
		}
		code, _ := hcpcsOf(m.Code)
		if !want.has(code) {
			continue
		}
		m.Code, m.MAIText, m.Rationale = latin1([]byte(m.Code)), latin1([]byte(m.MAIText)), latin1([]byte(m.Rationale))
		m.Effective, m.File = info.Effective, name
		if _, dup := mf.values[code]; dup {
			return nil, fail(line, "code "+m.Code+" listed twice", nil)
		}
		mf.values[code] = m
		info.RowsKept++
	}
	if !header {
		return nil, fail(0, `no "HCPCS/CPT Code, … MUE Values, MUE Adjudication Indicator, MUE Rationale" header: not an MUE table`, nil)
	}
	return mf, nil
}

// parseMUE checks one data record. The strings it returns still alias the
// CSV reader's buffer.
func parseMUE(f []string) (MUE, error) {
	if len(f) < 4 {
		return MUE{}, fmt.Errorf("%d fields, want 4 (code, MUE value, adjudication indicator, rationale)", len(f))
	}
	code := strings.TrimSpace(f[0])
	if _, ok := hcpcsOf(code); !ok {
		return MUE{}, fmt.Errorf("code %q: not a 5-character HCPCS/CPT code", f[0])
	}
	v, err := strconv.Atoi(strings.TrimSpace(f[1]))
	if err != nil || v < 0 {
		return MUE{}, fmt.Errorf("MUE value %q: want a whole number of units", f[1])
	}
	mai := strings.TrimSpace(f[2])
	if mai == "" || mai[0] < '1' || mai[0] > '3' || len(mai) > 1 && mai[1] != ' ' {
		return MUE{}, fmt.Errorf("MUE adjudication indicator %q: want 1, 2 or 3 (with its meaning)", f[2])
	}
	return MUE{Code: code, Value: v, Adjudication: MAI(mai[0] - '0'), MAIText: mai, Rationale: strings.TrimSpace(f[3])}, nil
}

// csvError turns an error of encoding/csv into a *FileError at its line.
func csvError(err error, fail failFunc) error {
	if pe, ok := err.(*csv.ParseError); ok {
		return fail(pe.Line, "not valid CSV", pe.Err)
	}
	return fail(0, "cannot be read", err)
}

// squash lower-cases s without its white space ("HCPCS/\nCPT Code" → "hcpcs/cptcode").
func squash(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}

func allBlank(f []string) bool {
	for _, s := range f {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

func (t *mueTable) add(f *mueFile, want codeSet) {
	t.want = want
	t.files = append(t.files, f)
}

func (t *mueTable) finish(files []FileInfo) {
	sort.Slice(t.files, func(i, j int) bool { return t.files[i].start < t.files[j].start })
	for i, f := range t.files {
		if i+1 < len(t.files) {
			f.through = dayBefore(t.files[i+1].start)
		} else {
			f.through = quarterEnd(f.start)
		}
	}
	for i := range files {
		if files[i].Kind != KindMUE {
			continue
		}
		for _, f := range t.files {
			if files[i].Effective == f.start.String() {
				files[i].Through = f.through.String()
			}
		}
	}
}

// MUE returns the medically unlikely edit of code on dos (CCYYMMDD) from
// the quarterly file in force then. Absent: that file has no MUE for the
// code (CMS does not publish every MUE). NoFile: no file is in force on
// dos, or code is not one of Options.Procedures. It does not allocate.
func (s *Set) MUE(code, dos string) (MUE, Status) {
	if s == nil {
		return MUE{}, NoFile
	}
	d, ok := parseDate(dos)
	c, okc := hcpcsOf(code)
	if !ok || !okc || !s.mue.want.has(c) {
		return MUE{}, NoFile
	}
	for _, f := range s.mue.files {
		if f.start <= d && d <= f.through {
			if m, ok := f.values[c]; ok {
				return m, Found
			}
			return MUE{}, Absent
		}
	}
	return MUE{}, NoFile
}
