package reports

import (
	"strings"
	"testing"
)

// The page's run section names the data files' versions by kind, leaving
// out files not used; without data files it has no such row.
func TestHTMLRunData(t *testing.T) {
	files := []DataFile{
		{Kind: "ncci-ptp", Version: "v313r0", Part: 1}, {Kind: "ncci-ptp", Version: "v313r0", Part: 2},
		{Kind: "ncci-ptp", Version: "v320r0", Part: 1}, {Kind: "icd10cm", Version: "FY2026"},
		{Kind: "nucc-taxonomy", Version: "25.0", Note: "superseded by NUCC 26.0"}, {Kind: "nucc-taxonomy", Version: "26.0"},
	}
	if got, want := htmlDataFiles(files), "NCCI PTP v313r0, v320r0 · ICD-10-CM FY2026 · NUCC 26.0"; got != want {
		t.Errorf("htmlDataFiles = %q, want %q", got, want)
	}
	r := sampleReport()
	var b strings.Builder
	if err := WriteHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "Data files (--data)") {
		t.Error("the page has a data files row without data files")
	}
	r = sampleReport()
	r.Run.Data = files
	b.Reset()
	if err := WriteHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "<dt>Data files (--data)</dt><dd>NCCI PTP v313r0, v320r0 · ICD-10-CM FY2026 · NUCC 26.0") {
		t.Error("the page does not name the data files")
	}
}
