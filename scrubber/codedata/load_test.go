package codedata

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var target = Options{Procedures: []string{"0620T"}}

func loadSet(t *testing.T) *Set {
	t.Helper()
	s, err := Load("testdata/set", target)
	if err != nil {
		t.Fatalf("Load(testdata/set): %v", err)
	}
	return s
}

func TestNoDataFolderChangesNothing(t *testing.T) {
	s, err := Load("", target)
	if s != nil || err != nil {
		t.Fatalf(`Load("") = %v, %v; want nil, nil`, s, err)
	}
	if _, st := s.PTP("0620T", "36200", "20260114"); st != NoFile {
		t.Errorf("nil set PTP: %v, want NoFile", st)
	}
	if _, st := s.MUE("0620T", "20260114"); st != NoFile {
		t.Errorf("nil set MUE: %v, want NoFile", st)
	}
	if d := s.Diagnosis("I70244", "20260114"); d.Status != NoFile {
		t.Errorf("nil set Diagnosis: %+v, want NoFile", d)
	}
	if _, st := s.Taxonomy("2086S0129X"); st != NoFile {
		t.Errorf("nil set Taxonomy: %v, want NoFile", st)
	}
	if s.Files() != nil || s.Unrecognised() != nil || s.Notes() != nil {
		t.Error("nil set lists something")
	}
}

func TestEmptyAndMissingFolder(t *testing.T) {
	s, err := Load(t.TempDir(), target)
	if err != nil || s == nil {
		t.Fatalf("empty folder: %v, %v; want an empty set", s, err)
	}
	if len(s.Files()) != 0 || len(s.Unrecognised()) != 0 {
		t.Errorf("empty folder lists %v %v", s.Files(), s.Unrecognised())
	}
	if _, st := s.PTP("0620T", "36200", "20260114"); st != NoFile {
		t.Errorf("empty folder PTP: %v, want NoFile", st)
	}
	if d := s.Diagnosis("I70244", "20260114"); d.Status != NoFile || d.FiscalYear != 2026 {
		t.Errorf("empty folder Diagnosis: %+v, want NoFile for FY2026", d)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "absent"), target); err == nil {
		t.Error("a folder that does not exist loads without error")
	}
	f := filepath.Join(t.TempDir(), "file")
	os.WriteFile(f, nil, 0o644)
	if _, err := Load(f, target); err == nil {
		t.Error("a file given as the data folder loads without error")
	}
}

// sha256Of hashes a fixture file, or a member of a fixture ZIP, on its own.
func sha256Of(t *testing.T, path, member string) string {
	t.Helper()
	var data []byte
	if member == "" {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		data = b
	} else {
		zr, err := zip.OpenReader(path)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		for _, f := range zr.File {
			if f.Name == member {
				rc, _ := f.Open()
				data, _ = io.ReadAll(rc)
				rc.Close()
			}
		}
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func TestFilesListing(t *testing.T) {
	s := loadSet(t)
	type want struct {
		kind              Kind
		path, member, ver string
		part              int
		eff, through      string
		read, kept        int
		note              string
	}
	wants := []want{
		{KindICD10CM, "april-1-2026-code-descriptions-tabular-order.zip", "Code Descriptions/icd10cm_order_2026.txt", "FY2026 update 20260401", 0, "20260401", "20260930", 38, 38, ""},
		{KindICD10CM, "icd10cm-Code Descriptions-2026.zip", "icd10cm-code-descriptions-2026/icd10cm-order-2026.txt", "FY2026", 0, "20251001", "20260930", 37, 37, ""},
		{KindICD10CM, "icd10cm_order_2025.txt", "", "FY2025", 0, "20241001", "20250930", 35, 35, ""},
		{KindMUE, "MCR_MUE_PractitionerServices_Eff_01-01-2026.csv", "", "Eff 20260101", 0, "20260101", "20260331", 12, 1, ""},
		{KindMUE, "medicare-ncci-2026-q2-practitioner-services-mue-table.zip", "MCR_MUE_PractitionerServices_Eff_04-01-2026.csv", "Eff 20260401", 0, "20260401", "20260630", 12, 1, ""},
		{KindPTP, "ccipra-v320r0-f1.TXT", "", "v320r0", 1, "20260101", "20260331", 13, 8, ""},
		{KindPTP, "ccipra-v320r0-f2.TXT", "", "v320r0", 2, "20260101", "20260331", 5, 1, ""},
		{KindPTP, "ccipra-v320r0-f3.TXT", "", "v320r0", 3, "20260101", "20260331", 2, 0, ""},
		{KindPTP, "ccipra-v320r0-f4.TXT", "", "v320r0", 4, "20260101", "20260331", 3, 0, ""},
		{KindPTP, "medicare-ncci-2026q2-practitioner-ptp-edits-ccipra-v321r0-f1.zip", "ccipra-v321r0-f1.TXT", "v321r0", 1, "20260401", "20260630", 13, 8, ""},
		{KindPTP, "medicare-ncci-2026q2-practitioner-ptp-edits-ccipra-v321r0-f2.zip", "ccipra-v321r0-f2.TXT", "v321r0", 2, "20260401", "20260630", 5, 1, ""},
		{KindPTP, "medicare-ncci-2026q2-practitioner-ptp-edits-ccipra-v321r0-f3.zip", "ccipra-v321r0-f3.TXT", "v321r0", 3, "20260401", "20260630", 2, 0, ""},
		{KindPTP, "medicare-ncci-2026q2-practitioner-ptp-edits-ccipra-v321r0-f4.zip", "ccipra-v321r0-f4.TXT", "v321r0", 4, "20260401", "20260630", 3, 0, ""},
		{KindNUCC, "nucc_taxonomy_250.csv", "", "25.0", 0, "", "", 17, 17, "superseded by NUCC 25.1"},
		{KindNUCC, "nucc_taxonomy_251.csv", "", "25.1", 0, "", "", 18, 18, ""},
	}
	files := s.Files()
	if len(files) != len(wants) {
		for _, f := range files {
			t.Logf("%+v", f)
		}
		t.Fatalf("%d files, want %d", len(files), len(wants))
	}
	for i, w := range wants {
		f := files[i]
		got := want{f.Kind, f.Path, f.Member, f.Version, f.Part, f.Effective, f.Through, f.RowsRead, f.RowsKept, f.Note}
		if got != w {
			t.Errorf("file %d:\n got %+v\nwant %+v", i, got, w)
		}
		if sum := sha256Of(t, filepath.Join("testdata/set", f.Path), f.Member); f.SHA256 != sum {
			t.Errorf("%s[%s]: SHA256 %s, want %s", f.Path, f.Member, f.SHA256, sum)
		}
	}
	if n := s.Notes(); len(n) != 0 {
		t.Errorf("notes %q, want none (both PTP quarters have 4 parts)", n)
	}
}

func TestUnrecognisedAreListed(t *testing.T) {
	s := loadSet(t)
	wants := map[string]string{
		"ccioph-v321r0-f1.TXT": "outpatient hospitals",
		"icd10cm-Code Descriptions-2026.zip[icd10cm-code-descriptions-2026/icd10cm-codes-2026.txt]":         "other than the order file",
		"icd10cm-Code Descriptions-2026.zip[icd10cm-code-descriptions-2026/icd10cm-order-addenda-2026.txt]": "addenda",
		"notes.txt":           "not a file scrub837 reads",
		"old/ptp-q1-copy.txt": "looks like an NCCI PTP table",
	}
	got := map[string]string{}
	for _, u := range s.Unrecognised() {
		k := u.Path
		if u.Member != "" {
			k += "[" + u.Member + "]"
		}
		got[k] = u.Reason
		if u.Renamed != strings.HasPrefix(u.Reason, "looks like") {
			t.Errorf("%s: renamed %v, reason %q", k, u.Renamed, u.Reason)
		}
	}
	for k, w := range wants {
		if !strings.Contains(got[k], w) {
			t.Errorf("%s: reason %q, want it to say %q", k, got[k], w)
		}
	}
	if len(got) != len(wants) {
		t.Errorf("unrecognised: %v, want %d entries", got, len(wants))
	}
}

func TestPTPAcrossQuarters(t *testing.T) {
	s := loadSet(t)
	cases := []struct {
		name           string
		col1, col2     string
		dos            string
		status         Status
		indicator      Indicator
		version        string
		effective, del string
	}{
		{"pair in both quarters", "0620T", "36200", "20260114", Found, NotAllowed, "v321r0", "20200701", ""},
		{"deleted in Q2: in force before", "0620T", "93925", "20260331", Found, Allowed, "v321r0", "20200701", "20260331"},
		{"deleted in Q2: not after", "0620T", "93925", "20260401", Absent, 0, "", "", ""},
		{"Q2 corrects the indicator for every date", "0620T", "99213", "20260115", Found, NotAllowed, "v321r0", "20200701", ""},
		{"dropped from a complete Q2: Q1 speaks before Q2", "0620T", "36000", "20260331", Found, Allowed, "v320r0", "20200701", ""},
		{"dropped from a complete Q2: nothing in Q2", "0620T", "36000", "20260401", Absent, 0, "", "", ""},
		{"new in Q2: not before its effective date", "0620T", "37252", "20260331", Absent, 0, "", "", ""},
		{"new in Q2", "0620T", "37252", "20260401", Found, Allowed, "v321r0", "20260401", ""},
		{"deleted at the end of 2025: in force on its deletion date", "0620T", "37224", "20251231", Found, Allowed, "v321r0", "20200701", "20251231"},
		{"deleted at the end of 2025: not in 2026", "0620T", "37224", "20260114", Absent, 0, "", "", ""},
		{"deleted retroactively", "0620T", "37280", "20260101", Found, NotApplicable, "v321r0", "20260101", "20260101"},
		{"0620T in column 2", "37225", "0620T", "20251201", Found, NotAllowed, "v321r0", "20200701", "20251231"},
		{"the other order is another edit", "0620T", "37225", "20251201", Absent, 0, "", "", ""},
		{"a pair not asked for", "36200", "36000", "20260114", NoFile, 0, "", "", ""},
		{"after the newest quarter", "0620T", "36200", "20260701", NoFile, 0, "", "", ""},
		{"a date that is not CCYYMMDD", "0620T", "36200", "2026-01-14", NoFile, 0, "", "", ""},
		{"not a HCPCS code", "0620T", "3620", "20260114", Absent, 0, "", "", ""},
	}
	for _, c := range cases {
		e, st := s.PTP(c.col1, c.col2, c.dos)
		if st != c.status {
			t.Errorf("%s: PTP(%s, %s, %s) status %v, want %v (%+v)", c.name, c.col1, c.col2, c.dos, st, c.status, e)
			continue
		}
		if st != Found {
			continue
		}
		if e.Indicator != c.indicator || e.Version != c.version || e.Effective != c.effective || e.Deletion != c.del ||
			e.Column1 != c.col1 || e.Column2 != c.col2 {
			t.Errorf("%s: got %+v, want indicator %d version %s effective %s deletion %q", c.name, e, c.indicator, c.version, c.effective, c.del)
		}
	}
	e, _ := s.PTP("0620T", "36200", "20260114")
	if e.Rationale != "Misuse of Column Two code with Column One code" ||
		e.File != "medicare-ncci-2026q2-practitioner-ptp-edits-ccipra-v321r0-f1.zip[ccipra-v321r0-f1.TXT]" {
		t.Errorf("rationale or file: %+v", e)
	}
}

func TestPTPSeveralRowsForOnePair(t *testing.T) {
	// ccipra files list 13121/13120 twice (deleted retroactively, and in
	// force since 1996 with indicator 0): the row in force decides, and of
	// two in force the later deletion date.
	s, err := Load("testdata/set", Options{Procedures: []string{"13121"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, dos := range []string{"19960101", "20260114"} {
		e, st := s.PTP("13121", "13120", dos)
		if st != Found || e.Indicator != NotAllowed || !e.PriorTo1996 {
			t.Errorf("13121/13120 on %s: %v %+v, want the * row with indicator 0", dos, st, e)
		}
	}
	if _, st := s.PTP("0620T", "36200", "20260114"); st != NoFile {
		t.Errorf("0620T pairs are not kept when only 13121 is asked for: %v", st)
	}
}

func TestPTPIncompleteQuarter(t *testing.T) {
	// A newer quarter with parts missing cannot say a pair was dropped: the
	// older complete quarter keeps speaking for it, and a note says so.
	dir := t.TempDir()
	for p := 1; p <= 4; p++ {
		copyFile(t, filepath.Join("testdata/set", "ccipra-v320r0-f"+string(rune('0'+p))+".TXT"), dir)
	}
	copyFile(t, "testdata/set/medicare-ncci-2026q2-practitioner-ptp-edits-ccipra-v321r0-f1.zip", dir)
	s, err := Load(dir, target)
	if err != nil {
		t.Fatal(err)
	}
	if e, st := s.PTP("0620T", "36000", "20260401"); st != Found || e.Version != "v320r0" {
		t.Errorf("0620T/36000 in Q2 with Q2 incomplete: %v %+v, want Q1's row", st, e)
	}
	if n := s.Notes(); len(n) != 1 || !strings.Contains(n[0], "v321r0") || !strings.Contains(n[0], "only parts f1 of 4") {
		t.Errorf("notes %q, want one about v321r0's missing parts", n)
	}
}

func TestMUEByQuarter(t *testing.T) {
	s, err := Load("testdata/set", Options{Procedures: []string{"0620T", "99999"}})
	if err != nil {
		t.Fatal(err)
	}
	m, st := s.MUE("0620T", "20260114")
	if st != Found || m.Value != 1 || m.Adjudication != DateEditPolicy || !m.Adjudication.PerDateOfService() ||
		m.MAIText != "2 Date of Service Edit: Policy" || m.Rationale != "Code Descriptor / CPT Instruction" ||
		m.Effective != "20260101" || m.File != "MCR_MUE_PractitionerServices_Eff_01-01-2026.csv" {
		t.Errorf("Q1: %v %+v", st, m)
	}
	m, st = s.MUE("0620T", "20260401")
	if st != Found || m.Value != 2 || m.Adjudication != DateEditClinical || m.Effective != "20260401" {
		t.Errorf("Q2: %v %+v", st, m)
	}
	if _, st := s.MUE("0620T", "20260701"); st != NoFile {
		t.Errorf("after the newest quarter: %v, want NoFile", st)
	}
	if _, st := s.MUE("0620T", "20251231"); st != NoFile {
		t.Errorf("before the oldest file: %v, want NoFile", st)
	}
	if _, st := s.MUE("99999", "20260114"); st != Absent {
		t.Errorf("a code without a published MUE: %v, want Absent", st)
	}
	if _, st := s.MUE("36200", "20260114"); st != NoFile {
		t.Errorf("a code not asked for: %v, want NoFile", st)
	}
	if LineEdit.PerDateOfService() {
		t.Error("MAI 1 is a line edit")
	}
}

func TestMUEFileAppliesUntilTheNext(t *testing.T) {
	// Q1 and Q3 files: Q1 speaks until Q3 begins.
	dir := t.TempDir()
	copyFile(t, "testdata/set/MCR_MUE_PractitionerServices_Eff_01-01-2026.csv", dir)
	b, _ := os.ReadFile("testdata/set/MCR_MUE_PractitionerServices_Eff_01-01-2026.csv")
	os.WriteFile(filepath.Join(dir, "MCR_MUE_PractitionerServices_Eff_07-01-2026.csv"), bytes.Replace(b, []byte("0620T,1,"), []byte("0620T,3,"), 1), 0o644)
	s, err := Load(dir, target)
	if err != nil {
		t.Fatal(err)
	}
	for dos, want := range map[string]int{"20260115": 1, "20260515": 1, "20260630": 1, "20260701": 3, "20260930": 3} {
		if m, st := s.MUE("0620T", dos); st != Found || m.Value != want {
			t.Errorf("%s: %v %+v, want value %d", dos, st, m, want)
		}
	}
}

func TestDiagnosisByFiscalYear(t *testing.T) {
	s := loadSet(t)
	cases := []struct {
		code, dos string
		status    Status
		billable  bool
		fy        int
	}{
		{"I7029", "20250930", Found, true, 2025},  // billable in FY2025 only
		{"I7029", "20251001", Found, false, 2026}, // a header in FY2026
		{"I70291", "20250930", Absent, false, 2025},
		{"I70291", "20251001", Found, true, 2026},
		{"I70293", "20260331", Absent, false, 2026}, // added by the April update
		{"I70293", "20260401", Found, true, 2026},
		{"I7024", "20260114", Found, false, 2026},
		{"I70244", "20260114", Found, true, 2026},
		{"I70.244", "20260114", Absent, false, 2026},
		{"E1152", "20240930", NoFile, false, 2024},
		{"E1152", "20261001", NoFile, false, 2027},
		{"E1152", "2026011", NoFile, false, 0},
	}
	for _, c := range cases {
		d := s.Diagnosis(c.code, c.dos)
		if d.Status != c.status || d.Billable != c.billable || d.FiscalYear != c.fy {
			t.Errorf("Diagnosis(%s, %s) = %+v, want status %v billable %v FY%d", c.code, c.dos, d, c.status, c.billable, c.fy)
		}
	}
	d := s.Diagnosis("I70244", "20260114")
	if d.Description != "Atherosclerosis of native arteries of left leg with ulceration of heel and midfoot" ||
		d.File != "icd10cm-Code Descriptions-2026.zip[icd10cm-code-descriptions-2026/icd10cm-order-2026.txt]" {
		t.Errorf("I70244 in January: %+v", d)
	}
	if d := s.Diagnosis("I70244", "20260401"); d.File != "april-1-2026-code-descriptions-tabular-order.zip[Code Descriptions/icd10cm_order_2026.txt]" {
		t.Errorf("I70244 in April comes from %s, want the April update", d.File)
	}
}

func TestTaxonomy(t *testing.T) {
	s := loadSet(t)
	tx, st := s.Taxonomy("2086S0129X")
	if st != Found || tx.Classification != "Surgery" || tx.Specialization != "Vascular Surgery" ||
		tx.Specialty() != "Vascular Surgery Physician" || tx.Version != "25.1" || tx.Grouping != "Allopathic & Osteopathic Physicians" {
		t.Errorf("2086S0129X: %v %+v", st, tx)
	}
	if _, st := s.Taxonomy("213ES0131X"); st != Found {
		t.Errorf("a code of the newest version only: %v, want Found", st)
	}
	for _, code := range []string{"2080S0002X", "207Q0000X", ""} {
		if _, st := s.Taxonomy(code); st != Absent {
			t.Errorf("%q: %v, want Absent", code, st)
		}
	}
	if got := (Taxonomy{Classification: "Surgery", Specialization: "Vascular Surgery"}).Specialty(); got != "Surgery, Vascular Surgery" {
		t.Errorf("Specialty without a display name: %q", got)
	}
}

func copyFile(t *testing.T, src, dir string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.Base(src)), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func zipInto(t *testing.T, zipPath string, members map[string][]byte) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range members {
		w, _ := zw.Create(name)
		w.Write(data)
	}
	zw.Close()
	if err := os.WriteFile(zipPath, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestZippedEqualsPlain(t *testing.T) {
	plain, zipped := t.TempDir(), t.TempDir()
	for _, name := range []string{"ccipra-v320r0-f1.TXT", "ccipra-v320r0-f2.TXT", "ccipra-v320r0-f3.TXT", "ccipra-v320r0-f4.TXT",
		"MCR_MUE_PractitionerServices_Eff_01-01-2026.csv", "icd10cm_order_2025.txt", "nucc_taxonomy_251.csv"} {
		copyFile(t, filepath.Join("testdata/set", name), plain)
		b, _ := os.ReadFile(filepath.Join("testdata/set", name))
		zipInto(t, filepath.Join(zipped, name+".zip"), map[string][]byte{"sub/" + name: b})
	}
	a, err := Load(plain, target)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Load(zipped, target)
	if err != nil {
		t.Fatal(err)
	}
	fa, fb := a.Files(), b.Files()
	if len(fa) != 7 || len(fa) != len(fb) {
		t.Fatalf("plain %d files, zipped %d", len(fa), len(fb))
	}
	for i := range fa {
		x, y := fa[i], fb[i]
		if y.Path != x.Path+".zip" || y.Member != "sub/"+x.Path {
			t.Errorf("zipped file %d named %s[%s]", i, y.Path, y.Member)
		}
		x.Path, x.Member, y.Path, y.Member = "", "", "", ""
		if x != y {
			t.Errorf("plain %+v\nzipped %+v", x, y)
		}
	}
	for _, p := range [][3]string{{"0620T", "36200", "20260114"}, {"0620T", "93925", "20260114"}, {"0620T", "37224", "20251231"}} {
		ea, sa := a.PTP(p[0], p[1], p[2])
		eb, sb := b.PTP(p[0], p[1], p[2])
		ea.File, eb.File = "", ""
		if ea != eb || sa != sb {
			t.Errorf("PTP %v: plain %v %+v, zipped %v %+v", p, sa, ea, sb, eb)
		}
	}
	ma, _ := a.MUE("0620T", "20260114")
	mb, _ := b.MUE("0620T", "20260114")
	ma.File, mb.File = "", ""
	if ma != mb || ma.Value != 1 {
		t.Errorf("MUE plain %+v zipped %+v", ma, mb)
	}
	da, db := a.Diagnosis("I7029", "20250101"), b.Diagnosis("I7029", "20250101")
	da.File, db.File = "", ""
	if da != db || !da.Billable {
		t.Errorf("Diagnosis plain %+v zipped %+v", da, db)
	}
	ta, _ := a.Taxonomy("207RI0011X")
	tb, _ := b.Taxonomy("207RI0011X")
	if ta != tb || ta.Specialty() != "Interventional Cardiology Physician" {
		t.Errorf("Taxonomy plain %+v zipped %+v", ta, tb)
	}
}

func TestSameFileTwiceIsReadOnce(t *testing.T) {
	dir := t.TempDir()
	copyFile(t, "testdata/set/MCR_MUE_PractitionerServices_Eff_01-01-2026.csv", dir)
	b, _ := os.ReadFile("testdata/set/MCR_MUE_PractitionerServices_Eff_01-01-2026.csv")
	zipInto(t, filepath.Join(dir, "mue.zip"), map[string][]byte{"MCR_MUE_PractitionerServices_Eff_01-01-2026.csv": b})
	s, err := Load(dir, target)
	if err != nil {
		t.Fatal(err)
	}
	f := s.Files()
	if len(f) != 2 || f[0].RowsRead != 12 || f[1].RowsRead != 0 || f[1].SHA256 != f[0].SHA256 ||
		!strings.HasPrefix(f[1].Note, "same content as MCR_MUE_PractitionerServices_Eff_01-01-2026.csv") || f[1].Through != "20260331" {
		t.Errorf("files %+v", f)
	}
}

func TestMalformedFilesStopTheLoad(t *testing.T) {
	cases := []struct {
		dir, path, member string
		line              int
		reason            string
	}{
		{"ptp-bad-date", "ccipra-v320r0-f1.TXT", "", 9, `effective date "20261301"`},
		{"ptp-bad-indicator", "ccipra-v320r0-f1.TXT", "", 11, `modifier indicator "2"`},
		{"ptp-deleted-before-effective", "ccipra-v320r0-f1.TXT", "", 7, "deletion date 20100101 before effective date 20180701"},
		{"ptp-not-a-ptp-table", "ccipra-v320r0-f1.TXT", "", 10, "not an NCCI PTP table"},
		{"ptp-zip-member", "medicare-ncci-2026q2-practitioner-ptp-edits-ccipra-v321r0-f3.zip", "ccipra-v321r0-f3.TXT", 8, "4 tab-separated fields"},
		{"mue-bad-mai", "MCR_MUE_PractitionerServices_Eff_01-01-2026.csv", "", 11, `adjudication indicator "4 Date of Service Edit"`},
		{"mue-bad-value", "MCR_MUE_PractitionerServices_Eff_01-01-2026.csv", "", 8, `MUE value "one"`},
		{"mue-not-a-mue-table", "MCR_MUE_PractitionerServices_Eff_01-01-2026.csv", "", 5, "not an MUE table"},
		{"icd-bad-flag", "icd10cm-order-2026.txt", "", 5, `flag "X"`},
		{"icd-short-line", "icd10cm-order-2026.txt", "", 10, "40 characters, want at least 78"},
		{"nucc-bad-code", "nucc_taxonomy_251.csv", "", 5, `code "207Q0000X"`},
		{"nucc-no-code-column", "nucc_taxonomy_251.csv", "", 1, `without a "code" column`},
		{"conflict", "medicare-ncci-2026-q1-practitioner-services-mue-table.zip", "MCR_MUE_PractitionerServices_Eff_01-01-2026.csv", 0, "with different content"},
		{"broken-zip", "medicare-ncci-2026q2-practitioner-ptp-edits-ccipra-v321r0-f1.zip", "", 0, "not a readable ZIP"},
	}
	for _, c := range cases {
		s, err := Load(filepath.Join("testdata/malformed", c.dir), target)
		var fe *FileError
		if !errors.As(err, &fe) {
			t.Errorf("%s: Load = %v, %v; want a *FileError", c.dir, s, err)
			continue
		}
		if fe.Path != c.path || fe.Member != c.member || fe.Line != c.line || !strings.Contains(fe.Error(), c.reason) {
			t.Errorf("%s: %q (path %q member %q line %d), want %s[%s]:%d saying %q", c.dir, fe, fe.Path, fe.Member, fe.Line, c.path, c.member, c.line, c.reason)
		}
	}
}

func TestErrorNamesFileMemberAndLine(t *testing.T) {
	e := &FileError{Path: "a.zip", Member: "ccipra-v321r0-f3.TXT", Line: 8, Reason: "4 tab-separated fields, want 7"}
	if got := e.Error(); got != "a.zip[ccipra-v321r0-f3.TXT]:8: 4 tab-separated fields, want 7" {
		t.Errorf("Error() = %q", got)
	}
	io := &FileError{Path: "x.csv", Reason: "cannot be read", Err: errors.New("boom")}
	if io.Error() != "x.csv: cannot be read: boom" || !errors.Is(io, io.Err) {
		t.Errorf("Error() = %q", io.Error())
	}
}

func TestBypassModifiers(t *testing.T) {
	for code, group := range map[string]string{"59": "other", "XS": "other", "XU": "other", "91": "other", "27": "other",
		"LT": "anatomic", "RT": "anatomic", "F9": "anatomic", "TA": "anatomic", "LM": "anatomic", "E4": "anatomic",
		"24": "global surgery", "25": "global surgery", "57": "global surgery", "58": "global surgery", "78": "global surgery", "79": "global surgery"} {
		m, ok := BypassModifier(code)
		if !ok || m.Group != group || m.Code != code || m.Why == "" {
			t.Errorf("%s: %+v %v, want an NCCI-associated %s modifier", code, m, ok, group)
		}
	}
	for _, code := range []string{"51", "50", "76", "QK", "26", "", "lt"} {
		if m, ok := BypassModifier(code); ok {
			t.Errorf("%q bypasses PTP edits: %+v", code, m)
		}
	}
}

func TestTextDecoding(t *testing.T) {
	if got := latin1([]byte("CPT\xae")); got != "CPT®" {
		t.Errorf("latin1: %q", got)
	}
	if got := utf8OrCP1252("2024 \x96 2025"); got != "2024 – 2025" {
		t.Errorf("cp1252: %q", got)
	}
	if got := utf8OrCP1252("Counselor – Addiction"); got != "Counselor – Addiction" {
		t.Errorf("utf-8 kept: %q", got)
	}
}

func TestStatusString(t *testing.T) {
	if NoFile.String() != "no file" || Absent.String() != "absent" || Found.String() != "found" {
		t.Errorf("%v %v %v", NoFile, Absent, Found)
	}
}

func TestLookupsDoNotAllocate(t *testing.T) {
	s := loadSet(t)
	allocs := testing.AllocsPerRun(100, func() {
		s.PTP("0620T", "36200", "20260114")
		s.PTP("36200", "0620T", "20260114")
		s.MUE("0620T", "20260114")
		s.Diagnosis("I70244", "20260114")
		s.Taxonomy("2086S0129X")
		BypassModifier("59")
	})
	if allocs != 0 {
		t.Errorf("lookups allocate %.1f times a run", allocs)
	}
}
