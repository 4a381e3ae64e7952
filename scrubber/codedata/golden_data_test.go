package codedata

import (
	"strings"
	"testing"
)

// TestGoldenDataFolder pins what testdata/data (the golden run's data
// folder, described in its README) answers for the sample claims, so that
// the folder, its README and the future rules' golden reports agree.
func TestGoldenDataFolder(t *testing.T) {
	s, err := Load("../../testdata/data", target)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.Files()); n != 12 {
		t.Errorf("%d files, want 12 (8 PTP parts, 2 MUE, 1 ICD-10-CM, 1 NUCC)", n)
	}
	if n := s.Notes(); len(n) != 0 {
		t.Errorf("notes %q", n)
	}
	ptp := []struct {
		col2, dos string
		status    Status
		ind       Indicator
	}{
		{"36200", "20260114", Found, NotAllowed},
		{"76937", "20260114", Found, NotAllowed},
		{"75710", "20260114", Found, Allowed},
		{"36475", "20260114", Absent, 0},
		{"37224", "20251215", Found, Allowed},
		{"37224", "20260114", Absent, 0},
		{"37280", "20260114", Absent, 0},
		{"37280", "20260101", Found, NotApplicable},
	}
	for _, c := range ptp {
		e, st := s.PTP("0620T", c.col2, c.dos)
		if st != c.status || st == Found && e.Indicator != c.ind {
			t.Errorf("0620T/%s on %s: %v %+v, want %v indicator %d", c.col2, c.dos, st, e, c.status, c.ind)
		}
	}
	if e, _ := s.PTP("0620T", "37224", "20251215"); e.Version != "v320r0" || e.Deletion != "20251231" {
		t.Errorf("0620T/37224 comes from %s deleted %q, want the newer quarter's row", e.Version, e.Deletion)
	}
	if m, _ := BypassModifier("59"); m.Code != "59" {
		t.Error("59 is NCCI-associated")
	}
	for _, dos := range []string{"20251215", "20260114"} {
		if m, st := s.MUE("0620T", dos); st != Found || m.Value != 1 || m.Adjudication != DateEditPolicy {
			t.Errorf("MUE 0620T on %s: %v %+v", dos, st, m)
		}
	}
	for code, billable := range map[string]bool{"I70244": true, "I70234": true, "I70262": true, "I96": true,
		"I10": true, "N186": true, "E1152": true, "I7024": false} {
		if d := s.Diagnosis(code, "20260114"); d.Status != Found || d.Billable != billable {
			t.Errorf("%s: %+v, want billable %v", code, d, billable)
		}
	}
	if d := s.Diagnosis("I70.244", "20260114"); d.Status != Absent {
		t.Errorf("I70.244: %+v, want Absent", d)
	}
	if _, st := s.Taxonomy("2080S0002X"); st != Absent {
		t.Errorf("2080S0002X is not a NUCC code: %v", st)
	}
	for _, code := range []string{"2086S0129X", "207Q00000X", "282N00000X", "333600000X", "101Y00000X",
		"207RH0000X", "2084P0800X", "363L00000X", "207RI0011X", "2085R0204X", "213E00000X", "213ES0103X",
		"213ES0131X", "207RC0000X", "2085R0202X", "208G00000X", "193200000X", "193400000X"} {
		if _, st := s.Taxonomy(code); st != Found {
			t.Errorf("%s: %v, want a NUCC code", code, st)
		}
	}
	for _, u := range s.Unrecognised() {
		if u.Path != "README.md" && !strings.HasSuffix(u.Member, "icd10cm-codes-2026.txt") {
			t.Errorf("unexpected unrecognised file %+v", u)
		}
	}
}
