package codedata

import (
	"bytes"
	"fmt"
	"os"
	"testing"
)

// FuzzReaders feeds arbitrary bytes to each reader as if a file of its kind
// had them: a reader returns a *FileError or a table, never panics, and
// lookups on what it kept do not panic either. Run it with
//
//	go test -run '^$' -fuzz FuzzReaders -fuzztime 30s ./scrubber/codedata/
func FuzzReaders(f *testing.F) {
	for kind, path := range []string{
		"testdata/set/ccipra-v320r0-f1.TXT",
		"testdata/set/MCR_MUE_PractitionerServices_Eff_01-01-2026.csv",
		"testdata/set/icd10cm_order_2025.txt",
		"testdata/set/nucc_taxonomy_251.csv",
		"testdata/malformed/ptp-bad-date/ccipra-v320r0-f1.TXT",
		"testdata/malformed/mue-bad-mai/MCR_MUE_PractitionerServices_Eff_01-01-2026.csv",
		"testdata/malformed/icd-short-line/icd10cm-order-2026.txt",
		"testdata/malformed/nucc-bad-code/nucc_taxonomy_251.csv",
	} {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(kind%4), b)
	}
	f.Add(uint8(0), []byte("Column 1\tColumn 2\n0620T\t36200\t\t20200701\t*\t0\tx\n"))
	f.Add(uint8(2), []byte("00001 A00     0 Cholera"))
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		s := &Set{}
		want := newCodeSet([]string{"0620T"})
		s.ptp.init(want)
		var info FileInfo
		fail := func(line int, reason string, err error) error {
			return &FileError{Path: "fuzz", Line: line, Reason: reason, Err: err}
		}
		var err error
		r := bytes.NewReader(data)
		switch kind % 4 {
		case 0:
			ed, _ := recognise("ccipra-v320r0-f1.TXT", "")
			var part *ptpPart
			if part, err = readPTP(r, &info, want, fail); err == nil {
				s.ptp.add(ed, part, "fuzz")
			}
		case 1:
			ed, _ := recognise("MCR_MUE_PractitionerServices_Eff_01-01-2026.csv", "")
			var f *mueFile
			if f, err = readMUE(&capReader{r: r, left: maxTableBytes}, ed, &info, want, fail); err == nil {
				s.mue.add(f, want)
			}
		case 2:
			ed, _ := recognise("icd10cm-order-2026.txt", "")
			var f *icdFile
			if f, err = readICD(r, ed, &info, fail); err == nil {
				s.icd.files = append(s.icd.files, f)
			}
		case 3:
			ed, _ := recognise("nucc_taxonomy_251.csv", "")
			var codes map[[10]byte]Taxonomy
			if codes, err = readNUCC(&capReader{r: r, left: maxTableBytes}, ed, &info, fail); err == nil {
				s.nucc.add(ed, codes)
			}
		}
		if err != nil {
			if _, ok := err.(*FileError); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if info.RowsKept > info.RowsRead {
			t.Fatalf("kept %d of %d rows", info.RowsKept, info.RowsRead)
		}
		s.ptp.finish()
		s.mue.finish(nil)
		s.icd.finish(nil)
		for _, dos := range []string{"20200701", "20260114", "20251001"} {
			s.PTP("0620T", "36200", dos)
			s.MUE("0620T", dos)
			s.Diagnosis("A00", dos)
		}
		s.Taxonomy("207Q00000X")
		_ = fmt.Sprint(info)
	})
}
