package codedata

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// The ICD-10-CM order file, as CDC (NCHS) and CMS publish it (confirmed
// against public records of the real files and of loaders that read them):
//
//   - Names: CDC icd10cm-order-2026.txt in icd10cm-Code Descriptions-2026.zip
//     (hyphens since FY2023, icd10cm_order_YYYY.txt before), mid-year update
//     icd10cm-order-April-1-2026.txt in icd10cm-Code Descriptions-April-1-2026.zip;
//     CMS icd10cm_order_2026.txt in 2026-code-descriptions-tabular-order.zip
//     and, for the April update, the same name in
//     april-1-2026-code-descriptions-tabular-order.zip (so the update's date
//     is read from the ZIP or folder name). The ZIPs also hold the codes
//     file, the order addenda (changes only) and icd10OrderFiles.pdf, which
//     are not read.
//   - Fixed width (icd10OrderFiles.pdf; a real excerpt of
//     icd10cm_order_2026.txt: reuven-ops/Biller evals/fixtures/cms_icd10cm/icd10cm_order_2026.excerpt.txt):
//     columns 1–5 order number (zero-filled), 6 blank, 7–13 code without
//     its point (left-aligned, space-filled), 14 blank, 15 "0" header (not
//     valid for HIPAA transactions) or "1" valid, 16 blank, 17–76 short
//     description, 77 blank, 78– long description. ASCII.
//   - About 98,000 rows a year, 74,000 of them valid codes.
//
// Each file is the code set of one fiscal year (October 1 – September 30);
// an update applies from its date to the end of that fiscal year.

// Diagnosis is what the ICD-10-CM order file of the fiscal year of a date
// of service says of a code.
type Diagnosis struct {
	Status      Status // Found, Absent (not an ICD-10-CM code that year), NoFile (no file for that fiscal year)
	Billable    bool   // Found and flagged 1: valid for HIPAA transactions; Found and not Billable: a header
	Description string // the long description
	FiscalYear  int    // 2026 for a date from 2025-10-01 to 2026-09-30
	File        string // the file (and ZIP member) that answered
}

type icdEntry struct {
	off      uint32 // of the long description in the file's text
	n        uint16
	billable bool
}

type icdFile struct {
	fy    int
	start date
	codes map[[7]byte]icdEntry
	text  string // every long description, one after the other
	name  string
}

type icdTable struct{ files []*icdFile }

func readICD(r io.Reader, ed edition, info *FileInfo, fail failFunc) (*icdFile, error) {
	f := &icdFile{fy: ed.fy, start: ed.start, codes: make(map[[7]byte]icdEntry, 100000), name: info.name()}
	var text strings.Builder
	lr := newLineReader(r)
	for {
		line, err := lr.nextRow()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fail(lr.line, "cannot be read", err)
		}
		info.RowsRead++
		code, billable, long, err := parseOrderLine(line)
		if err != nil {
			if lr.line == 1 {
				err = fmt.Errorf("%v: not an ICD-10-CM order file", err)
			}
			return nil, fail(lr.line, err.Error(), nil)
		}
		if _, dup := f.codes[code]; dup {
			return nil, fail(lr.line, "code "+strings.TrimRight(string(code[:]), "\x00")+" listed twice", nil)
		}
		desc := latin1(long)
		if text.Len()+len(desc) > 1<<32-1 || len(desc) > 1<<16-1 {
			return nil, fail(lr.line, "descriptions too long for an ICD-10-CM order file", nil)
		}
		f.codes[code] = icdEntry{off: uint32(text.Len()), n: uint16(len(desc)), billable: billable}
		text.WriteString(desc)
		info.RowsKept++
	}
	if info.RowsRead == 0 {
		return nil, fail(0, "no codes: an empty ICD-10-CM order file", nil)
	}
	f.text = text.String()
	return f, nil
}

// parseOrderLine checks one fixed-width line.
func parseOrderLine(line []byte) (code [7]byte, billable bool, long []byte, err error) {
	if len(line) < 78 {
		return code, false, nil, fmt.Errorf("%d characters, want at least 78 (order number, code, flag, short and long description in fixed columns)", len(line))
	}
	for _, c := range line[:5] {
		if c < '0' || c > '9' {
			return code, false, nil, fmt.Errorf("order number %q: want 5 digits", line[:5])
		}
	}
	if line[5] != ' ' || line[13] != ' ' || line[15] != ' ' || line[76] != ' ' {
		return code, false, nil, fmt.Errorf("columns 6, 14, 16 and 77 must be blank")
	}
	raw := line[6:13]
	n := 0
	for n < 7 && raw[n] != ' ' {
		if !isCodeChar(raw[n]) {
			return code, false, nil, fmt.Errorf("code %q: want letters and digits", raw)
		}
		code[n] = raw[n]
		n++
	}
	for _, c := range raw[n:] {
		if c != ' ' {
			return code, false, nil, fmt.Errorf("code %q: a space inside the code", raw)
		}
	}
	if n < 3 || code[0] < 'A' || code[0] > 'Z' {
		return code, false, nil, fmt.Errorf("code %q: want a letter and 2 to 6 more characters", raw)
	}
	switch line[14] {
	case '0':
	case '1':
		billable = true
	default:
		return code, false, nil, fmt.Errorf("flag %q: want 0 (header) or 1 (valid for HIPAA transactions)", line[14:15])
	}
	long = trimSpaces(line[77:])
	if len(long) == 0 {
		return code, false, nil, fmt.Errorf("no long description")
	}
	return code, billable, long, nil
}

func trimSpaces(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

func (t *icdTable) finish([]FileInfo) {
	sort.Slice(t.files, func(i, j int) bool { return t.files[i].start < t.files[j].start })
}

// Diagnosis looks a claim diagnosis (as in the claim: no point, I70244) up
// in the ICD-10-CM order file of the fiscal year of dos (CCYYMMDD): the
// year's latest file in force on dos (an April update from April 1). It
// does not allocate.
func (s *Set) Diagnosis(code, dos string) Diagnosis {
	d, ok := parseDate(dos)
	if s == nil || !ok {
		return Diagnosis{Status: NoFile}
	}
	fy := fiscalYear(d)
	var file *icdFile
	for _, f := range s.icd.files {
		if f.fy == fy && f.start <= d {
			file = f // sorted by date: the last one wins
		}
	}
	if file == nil {
		return Diagnosis{Status: NoFile, FiscalYear: fy}
	}
	var key [7]byte
	if len(code) < 3 || len(code) > 7 {
		return Diagnosis{Status: Absent, FiscalYear: fy, File: file.name}
	}
	copy(key[:], code)
	e, ok := file.codes[key]
	if !ok {
		return Diagnosis{Status: Absent, FiscalYear: fy, File: file.name}
	}
	return Diagnosis{Status: Found, Billable: e.billable, Description: file.text[e.off : e.off+uint32(e.n)],
		FiscalYear: fy, File: file.name}
}
