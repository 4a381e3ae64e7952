package codedata

import (
	"encoding/csv"
	"io"
	"strings"
)

// The NUCC health care provider taxonomy, as NUCC publishes it (confirmed
// against public records of the file and loaders that read it):
//
//   - Name nucc_taxonomy_<NNN>.csv, twice a year: nucc_taxonomy_251.csv is
//     version 25.1 (www.nucc.org/images/stories/CSV/nucc_taxonomy_251.csv in
//     public loaders).
//   - CSV with one header row: Code, Grouping, Classification,
//     Specialization, Definition, Notes, Display Name, Section. Older
//     versions had other columns (Effective Date, Deactivation Date…), so
//     columns are found by their header names; Code, Grouping and
//     Classification are required.
//   - Encoding is not stated: public loaders read it as UTF-8 with a byte
//     order mark, so a BOM is skipped and a field that is not valid UTF-8 is
//     read as Windows-1252.
//
// NUCC files carry no dates: the newest version loaded answers.

// Taxonomy is a NUCC provider taxonomy code.
type Taxonomy struct {
	Code           string
	Grouping       string // Allopathic & Osteopathic Physicians
	Classification string // Surgery
	Specialization string // Vascular Surgery; "" for a classification code
	DisplayName    string // Vascular Surgery Physician (versions that have the column)
	Version        string // the NUCC version that answered (26.0)
}

// Specialty is the taxonomy in words, for messages: the display name, or
// classification and specialization.
func (t Taxonomy) Specialty() string {
	switch {
	case t.DisplayName != "":
		return t.DisplayName
	case t.Specialization != "":
		return t.Classification + ", " + t.Specialization
	}
	return t.Classification
}

type nuccTable struct {
	order   int
	version string
	codes   map[[10]byte]Taxonomy
}

func readNUCC(r io.Reader, ed edition, info *FileInfo, fail failFunc) (map[[10]byte]Taxonomy, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fail(1, "no header row: not the NUCC taxonomy", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, need := range []string{"code", "grouping", "classification"} {
		if _, ok := col[need]; !ok {
			return nil, fail(1, `header without a "`+need+`" column: not the NUCC taxonomy`, nil)
		}
	}
	get := func(f []string, name string) string {
		if i, ok := col[name]; ok && i < len(f) {
			return utf8OrCP1252(strings.TrimSpace(f[i]))
		}
		return ""
	}
	codes := map[[10]byte]Taxonomy{}
	for {
		f, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(err, fail)
		}
		line, _ := cr.FieldPos(0) // only after a record was read: it panics otherwise
		if allBlank(f) {
			continue
		}
		info.RowsRead++
		code := get(f, "code")
		var key [10]byte
		if len(code) != 10 || !allCodeChars(code) {
			return nil, fail(line, "code "+quote(code)+": want 10 letters and digits (a NUCC taxonomy code)", nil)
		}
		copy(key[:], code)
		tx := Taxonomy{Code: code, Grouping: get(f, "grouping"), Classification: get(f, "classification"),
			Specialization: get(f, "specialization"), DisplayName: get(f, "display name"), Version: ed.version}
		if tx.Classification == "" {
			return nil, fail(line, "code "+code+" has no classification", nil)
		}
		if _, dup := codes[key]; dup {
			return nil, fail(line, "code "+code+" listed twice", nil)
		}
		codes[key] = tx
		info.RowsKept++
	}
	if len(codes) == 0 {
		return nil, fail(0, "no codes: an empty NUCC taxonomy", nil)
	}
	return codes, nil
}

// add keeps the newest version's codes.
func (t *nuccTable) add(ed edition, codes map[[10]byte]Taxonomy) {
	if t.codes == nil || ed.order > t.order {
		t.order, t.version, t.codes = ed.order, ed.version, codes
	}
}

func allCodeChars(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isCodeChar(s[i]) {
			return false
		}
	}
	return true
}

func quote(s string) string { return `"` + s + `"` }

func (t *nuccTable) finish(files []FileInfo) {
	for i := range files {
		if files[i].Kind == KindNUCC && files[i].Note == "" && files[i].Version != t.version {
			files[i].Note = "superseded by NUCC " + t.version
		}
	}
}

// Taxonomy looks a provider taxonomy code (PRV03) up in the newest NUCC
// file loaded. Absent: not a NUCC code (the result's Version says which
// version answered). NoFile: no NUCC file. It does not allocate.
func (s *Set) Taxonomy(code string) (Taxonomy, Status) {
	if s == nil || s.nucc.codes == nil {
		return Taxonomy{}, NoFile
	}
	var key [10]byte
	if len(code) != 10 {
		return Taxonomy{Version: s.nucc.version}, Absent
	}
	copy(key[:], code)
	if tx, ok := s.nucc.codes[key]; ok {
		return tx, Found
	}
	return Taxonomy{Version: s.nucc.version}, Absent
}
