package reports

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

func writeJSON(t *testing.T, r *Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func decodeJSON(t *testing.T, data []byte) map[string]any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var doc map[string]any
	if err := d.Decode(&doc); err != nil {
		t.Fatalf("exceptions.json does not parse: %v\n%s", err, data)
	}
	if d.More() {
		t.Fatal("data after the document")
	}
	return doc
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func sorted(s ...string) []string { s = slices.Clone(s); sort.Strings(s); return s }

func TestJSONDocument(t *testing.T) {
	doc := decodeJSON(t, writeJSON(t, sampleReport()))
	if got := keys(doc); !reflect.DeepEqual(got, sorted("schema_version", "run", "summary", "files", "findings")) {
		t.Fatalf("top-level keys %v", got)
	}
	if doc["schema_version"] != json.Number("1") {
		t.Errorf("schema_version = %#v", doc["schema_version"])
	}
	run := doc["run"].(map[string]any)
	wantRun := map[string]any{
		"id": "run-42", "tool_version": "v1.2.3",
		"rules":      map[string]any{"name": "default", "version": "2026.1", "sha256": "abc123", "seed_only": true},
		"started_at": "2026-03-01T14:30:00Z", "finished_at": "2026-03-01T14:31:05Z",
	}
	if !reflect.DeepEqual(run, wantRun) {
		t.Errorf("run = %#v\nwant %#v", run, wantRun)
	}
	sum := doc["summary"].(map[string]any)
	wantSum := map[string]any{
		"files": json.Number("2"), "files_failed": json.Number("1"), "interchanges": json.Number("3"),
		"transactions": json.Number("4"), "transactions_skipped": json.Number("5"), "claims": json.Number("6"),
		"service_lines": json.Number("7"), "target_claims": json.Number("8"), "target_lines": json.Number("9"),
		"clean_target_claims":  json.Number("10"),
		"findings_by_severity": map[string]any{"error": json.Number("2"), "warning": json.Number("1"), "info": json.Number("0")},
		"findings_by_rule":     map[string]any{"A-RULE": json.Number("1"), "M-RULE": json.Number("1"), "Z-RULE": json.Number("1")},
		"target_claims_by_payer_group": map[string]any{
			"Aetna": json.Number("2"), "Medicare": json.Number("5"), "Other": json.Number("1"),
		},
	}
	if !reflect.DeepEqual(sum, wantSum) {
		t.Errorf("summary = %#v\nwant %#v", sum, wantSum)
	}
	files := doc["files"].([]any)
	wantFile := map[string]any{
		"path": "in/b.837.gz", "bytes": json.Number("9"), "sha256": "feed", "status": "failed",
		"error": "not an X12 file", "transactions": json.Number("0"), "claims": json.Number("0"),
	}
	if len(files) != 2 || !reflect.DeepEqual(files[1], wantFile) {
		t.Errorf("files = %#v", files)
	}
}

func TestJSONFindings(t *testing.T) {
	data := writeJSON(t, sampleReport())
	fs := decodeJSON(t, data)["findings"].([]any)
	if len(fs) != 3 {
		t.Fatalf("%d findings, want 3", len(fs))
	}
	f0, f1, f2 := fs[0].(map[string]any), fs[1].(map[string]any), fs[2].(map[string]any)
	if got := keys(f0); !reflect.DeepEqual(got, sorted(CSVHeader...)) {
		t.Errorf("finding fields %v, want the CSV columns", got)
	}
	want0 := map[string]any{
		"run_id": "run-42", "file": "in/a.837", "isa_control": "000000001", "gs_control": "1",
		"st_control": "0001", "claim_id": "CLM,001", "line_number": json.Number("2"),
		"segment_number": json.Number("37"), "byte_offset": json.Number("1024"),
		"rule_id": "A-RULE", "severity": "error", "source": "seed",
		"message":    "modifier \"25\" on a line, with a comma\nand a second line",
		"suggestion": "Remove 25 | or add a distinct E/M", "procedure": "99213",
		"modifiers": []any{"25", "59"}, "units": json.Number("1"), "charge": json.Number("-5.00"),
		"service_date": "20260102", "place_of_service": "11", "dx_pointers": []any{"1", "2"},
		"pointed_diagnoses": []any{"E119", "I10"}, "payer_name": "AETNA", "payer_id": "60054",
		"payer_group": "Aetna", "billing_npi": "1234567893", "rendering_npi": "1245319599",
		"rendering_taxonomy": "207Q00000X", "member_id": "******6789",
	}
	if !reflect.DeepEqual(f0, want0) {
		t.Errorf("finding 1 = %#v\nwant %#v", f0, want0)
	}
	// File level: no line, no segment, no numbers; lists are empty arrays.
	for k, want := range map[string]any{
		"line_number": nil, "segment_number": nil, "byte_offset": json.Number("0"),
		"units": nil, "charge": nil, "modifiers": []any{}, "dx_pointers": []any{},
		"pointed_diagnoses": []any{}, "claim_id": "", "member_id": "", "severity": "warning",
	} {
		if got, ok := f1[k]; !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("finding 2 %s = %#v (present %v), want %#v", k, got, ok, want)
		}
	}
	// Units ".5" is the number 0.5; charge "=1+2" is not a number.
	if f2["units"] != json.Number("0.5") || f2["charge"] != nil {
		t.Errorf("finding 3 units %#v charge %#v", f2["units"], f2["charge"])
	}
	// JSON is not a spreadsheet: no formula guard.
	if f2["claim_id"] != `=HYPERLINK("http://x")` || f2["member_id"] != "@SUM" {
		t.Errorf("finding 3 claim_id %#v member_id %#v", f2["claim_id"], f2["member_id"])
	}
	if bytes.Contains(data, []byte("W123456789")) {
		t.Error("whole member ID in a masked report")
	}
	if bytes.Contains(data, []byte("held")) {
		t.Error("HeldTargetClaimsByPayerGroup is not in the schema")
	}
}

// Findings fields come in CSV column order.
func TestJSONFindingFieldOrder(t *testing.T) {
	data := writeJSON(t, sampleReport())
	var doc struct{ Findings []json.RawMessage }
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	d := json.NewDecoder(bytes.NewReader(doc.Findings[0]))
	if tok, err := d.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("finding starts with %v, %v", tok, err)
	}
	var got []string
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, tok.(string))
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(got, CSVHeader) {
		t.Errorf("field order %v\nwant %v", got, CSVHeader)
	}
}

// The hand-written findings array is laid out exactly as encoding/json
// would indent the whole document, two spaces a level.
func TestJSONLayout(t *testing.T) {
	for name, r := range map[string]*Report{"sample": sampleReport(), "empty": {}} {
		data := writeJSON(t, r)
		var compact, indented bytes.Buffer
		if err := json.Compact(&compact, data); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := json.Indent(&indented, compact.Bytes(), "", "  "); err != nil {
			t.Fatal(err)
		}
		indented.WriteByte('\n')
		if !bytes.Equal(data, indented.Bytes()) {
			t.Errorf("%s: layout differs from json.Indent:\n%s\nwant\n%s", name, data, indented.Bytes())
		}
	}
}

func TestJSONEmptyReport(t *testing.T) {
	data := writeJSON(t, &Report{})
	doc := decodeJSON(t, data)
	if f, ok := doc["findings"].([]any); !ok || len(f) != 0 {
		t.Errorf("findings = %#v, want []", doc["findings"])
	}
	if f, ok := doc["files"].([]any); !ok || len(f) != 0 {
		t.Errorf("files = %#v, want []", doc["files"])
	}
	sum := doc["summary"].(map[string]any)
	for _, k := range []string{"findings_by_severity", "findings_by_rule", "target_claims_by_payer_group"} {
		if m, ok := sum[k].(map[string]any); !ok || len(m) != 0 {
			t.Errorf("summary %s = %#v, want {}", k, sum[k])
		}
	}
	if strings.Contains(string(data), "null") {
		t.Errorf("null in an empty report:\n%s", data)
	}
}

func TestReportsDeterministic(t *testing.T) {
	big := sampleReport()
	for i := 0; i < 200; i++ {
		k := string(rune('a'+i%26)) + strings.Repeat("x", i)
		big.Summary.FindingsByRule[k] = i
		big.Summary.TargetClaimsByPayerGroup[k] = i
		big.Findings = append(big.Findings, big.Findings[i%3])
	}
	for _, w := range []func(*testing.T, *Report) []byte{writeCSV, writeJSON} {
		a, b := w(t, big), w(t, big)
		if !bytes.Equal(a, b) {
			t.Error("two writes of the same report differ")
		}
	}
	// Map keys come out sorted.
	data := writeJSON(t, sampleReport())
	if a, m, z := bytes.Index(data, []byte(`"A-RULE"`)), bytes.Index(data, []byte(`"M-RULE": 1`)), bytes.Index(data, []byte(`"Z-RULE": 1`)); !(a < m && m < z) {
		t.Errorf("findings_by_rule keys not sorted:\n%s", data)
	}
}
