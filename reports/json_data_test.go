package reports

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// run.data lists the data files of a run with --data, dates as
// YYYY-MM-DD; a run without has no run.data at all, so its report is what
// it was before the data files existed.
func TestJSONRunData(t *testing.T) {
	r := sampleReport()
	without := writeJSON(t, r)
	if _, ok := decodeJSON(t, without)["run"].(map[string]any)["data"]; ok || bytes.Contains(without, []byte(`"data"`)) {
		t.Fatalf("run.data without data files:\n%s", without)
	}
	r.Run.Data = []DataFile{
		{Kind: "ncci-ptp", Path: "medicare-ncci-2026q1-practitioner-ptp-edits-ccipra-v320r0-f1.zip", Member: "ccipra-v320r0-f1.TXT",
			Version: "v320r0", Part: 1, Effective: "20260101", Through: "20260331", Rows: 25, RowsKept: 9, SHA256: "ab"},
		{Kind: "nucc-taxonomy", Path: "nucc_taxonomy_250.csv", Version: "25.0", Rows: 18, RowsKept: 18, SHA256: "cd",
			Note: "superseded by NUCC 26.0"},
	}
	got := decodeJSON(t, writeJSON(t, r))["run"].(map[string]any)["data"]
	want := []any{
		map[string]any{"kind": "ncci-ptp", "file": "medicare-ncci-2026q1-practitioner-ptp-edits-ccipra-v320r0-f1.zip",
			"member": "ccipra-v320r0-f1.TXT", "version": "v320r0", "part": json.Number("1"), "effective": "2026-01-01",
			"through": "2026-03-31", "rows": json.Number("25"), "rows_kept": json.Number("9"), "sha256": "ab"},
		map[string]any{"kind": "nucc-taxonomy", "file": "nucc_taxonomy_250.csv", "version": "25.0", "rows": json.Number("18"),
			"rows_kept": json.Number("18"), "sha256": "cd", "note": "superseded by NUCC 26.0"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("run.data = %#v\nwant %#v", got, want)
	}
}
