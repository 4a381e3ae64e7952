package reports

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/scrub837/scrub837/scrubber/finding"
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
	if got := keys(doc); !reflect.DeepEqual(got, sorted("schema_version", "run", "summary", "files", "claims", "findings")) {
		t.Fatalf("top-level keys %v", got)
	}
	if doc["schema_version"] != json.Number("2") {
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
		"hold_on":             "error",
		"claims_by_status":    map[string]any{"held": json.Number("0"), "review": json.Number("0"), "ready": json.Number("0"), "void": json.Number("0")},
		"held_charge":         json.Number("0.00"),
		"held_charge_by_rule": map[string]any{},
		"held_claims_by_rule": map[string]any{},
		"text_repaired":       json.Number("0"),
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
	// No claims[] in this report: every finding has the CSV columns but
	// run_id (run.id says it once).
	if got := keys(f0); !reflect.DeepEqual(got, sorted(CSVHeader[1:]...)) {
		t.Errorf("finding fields %v, want the CSV columns but run_id", got)
	}
	want0 := map[string]any{
		"file": "in/a.837", "isa_control": "000000001", "gs_control": "1",
		"st_control": "0001", "claim_id": "CLM,001", "line_number": json.Number("2"),
		"segment_number": json.Number("37"), "byte_offset": json.Number("1024"),
		"rule_id": "A-RULE", "severity": "error", "source": "seed",
		"message":    "modifier \"25\" on a line, with a comma\nand a second line",
		"suggestion": "Remove 25 | or add a distinct E/M", "procedure": "99213",
		"modifiers": []any{"25", "59"}, "units": json.Number("1"), "charge": json.Number("-5.00"),
		"service_date": "20260102", "place_of_service": "11", "dx_pointers": []any{"1", "2"},
		"pointed_diagnoses": []any{"E119", "I10"}, "payer_name": "AETNA", "payer_id": "60054",
		"payer_group": "Aetna", "billing_npi": "1234567893", "rendering_npi": "1245319599",
		"rendering_taxonomy": "207Q00000X", "member_id": "****6789",
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
	if f2["claim_id"] != `=HYPERLINK("http://x")` || f2["member_id"] != "****" {
		t.Errorf("finding 3 claim_id %#v member_id %#v", f2["claim_id"], f2["member_id"])
	}
	if bytes.Contains(data, []byte("W123456789")) {
		t.Error("whole member ID in a masked report")
	}
	if bytes.Contains(data, []byte("by_payer_group\": {\n      \"Aetna\": 1")) {
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
	if got := jsonFieldOrder(t, doc.Findings[0]); !reflect.DeepEqual(got, CSVHeader[1:]) {
		t.Errorf("field order %v\nwant %v", got, CSVHeader[1:])
	}
}

// jsonFieldOrder is the field names of one JSON object, in order.
func jsonFieldOrder(t *testing.T, obj json.RawMessage) []string {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(obj))
	if tok, err := d.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("object starts with %v, %v", tok, err)
	}
	var names []string
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, tok.(string))
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return names
}

// A target claim's findings name their claim by its place in claims[]
// and leave its own columns to it; other findings (files, envelopes,
// claims that are not target claims) have every column. Findings that lie
// before their claim's CLM (in a loop claims share) name it too, also when
// it is several claims ahead.
func TestJSONClaimFindings(t *testing.T) {
	r := analystReport()
	early := func(id string, claimAt, at int64, rule string) finding.Finding {
		f := r.Findings[0]
		f.ClaimID, f.ClaimOffset, f.ByteOffset, f.RuleID, f.LineNumber = id, claimAt, at, rule, 0
		return f
	}
	r.Findings = append(r.Findings,
		early("CLM-1002", 2600, 1760, "EARLY-NEXT"),  // the next claim
		early(evilClaimID, 4000, 1770, "EARLY-FAR"),  // the fourth claim
		early("N-1", 2900, 2650, "EARLY-NOT-TARGET"), // a claim at 2900 is not a target claim
		early("N-2", 3000, 3050, "OTHER-CLAIM"),      // neither is one at 3000
	)
	finding.Sort(r.Findings)
	data := writeJSON(t, r)
	var doc struct {
		Claims   []map[string]any
		Findings []json.RawMessage
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != len(r.Findings) {
		t.Fatalf("%d findings, want %d", len(doc.Findings), len(r.Findings))
	}
	targets := map[claimKey]int{}
	r.Claims.Each(func(c *finding.ClaimSummary) error {
		targets[claimKey{c.FileIndex, c.ClaimOffset}] = len(targets)
		return nil
	})
	own := []string{"claim", "isa_control", "gs_control", "claim_id", "line_number", "segment_number", "byte_offset",
		"rule_id", "severity", "source", "message", "suggestion", "procedure", "modifiers", "units", "charge",
		"service_date", "place_of_service", "dx_pointers", "pointed_diagnoses", "rendering_npi", "rendering_taxonomy"}
	for i, raw := range doc.Findings {
		f := &r.Findings[i]
		var got map[string]any
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatal(err)
		}
		place, target := targets[claimKey{f.FileIndex, f.ClaimOffset}]
		if !target || f.ClaimOffset == 0 {
			if names := jsonFieldOrder(t, raw); !reflect.DeepEqual(names, CSVHeader[1:]) || got["rule_id"] != f.RuleID {
				t.Errorf("finding %d (%s, no target claim): fields %v", i, f.RuleID, names)
			}
			continue
		}
		if names := jsonFieldOrder(t, raw); !reflect.DeepEqual(names, own) {
			t.Errorf("finding %d (%s): fields %v\nwant %v", i, f.RuleID, names, own)
		}
		if got["claim"] != float64(place) || got["rule_id"] != f.RuleID {
			t.Errorf("finding %d (%s of the claim at %d): claim %v, want %d", i, f.RuleID, f.ClaimOffset, got["claim"], place)
			continue
		}
		if c := doc.Claims[place]; c["claim_id"] != got["claim_id"] || c["file"] != f.File {
			t.Errorf("finding %d (%s) names claims[%d] = %v", i, f.RuleID, place, c["claim_id"])
		}
	}
	for _, rule := range []string{"EARLY-NEXT", "EARLY-FAR", "EARLY-NOT-TARGET", "OTHER-CLAIM", "X12-SE-COUNT"} {
		if !bytes.Contains(data, []byte(`"rule_id":"`+rule+`"`)) {
			t.Errorf("no %s finding", rule)
		}
	}
}

// The head is laid out as encoding/json indents it; then each claim and
// each finding is one compact line (with a comma but the last of its
// array), so line tools work on the file.
func TestJSONLayout(t *testing.T) {
	for name, r := range map[string]*Report{"sample": sampleReport(), "analyst": analystReport(), "empty": {}} {
		data := writeJSON(t, r)
		if !json.Valid(data) {
			t.Fatalf("%s: not JSON", name)
		}
		head, rest, ok := bytes.Cut(data, []byte(",\n  \"claims\": ["))
		if !ok {
			t.Fatalf("%s: no claims array:\n%s", name, data)
		}
		var compact, indented bytes.Buffer
		json.Compact(&compact, append(bytes.Clone(head), '}'))
		json.Indent(&indented, compact.Bytes(), "", "  ")
		if want := bytes.TrimSuffix(indented.Bytes(), []byte("\n}")); !bytes.Equal(head, want) {
			t.Errorf("%s: head is not indented as json.Indent:\n%s\nwant\n%s", name, head, want)
		}
		claims, findings, ok := bytes.Cut(rest, []byte(",\n  \"findings\": ["))
		if !ok || !bytes.HasSuffix(findings, []byte("\n}\n")) {
			t.Fatalf("%s: layout:\n%s", name, rest)
		}
		findings = bytes.TrimSuffix(findings, []byte("\n}\n"))
		for arr, want := range map[string]int{string(claims): claimCount(r), string(findings): r.NumFindings()} {
			lines := strings.Split(arr, "\n")
			if want == 0 {
				if arr != "]" {
					t.Errorf("%s: empty array written %q", name, arr)
				}
				continue
			}
			if lines[0] != "" || lines[len(lines)-1] != "  ]" || len(lines) != want+2 {
				t.Errorf("%s: %d lines for %d elements:\n%s", name, len(lines), want, arr)
				continue
			}
			for i, l := range lines[1 : len(lines)-1] {
				last := i == want-1
				if strings.HasSuffix(l, ",") == last {
					t.Errorf("%s: line %d comma: %q", name, i, l)
				}
				var m map[string]any
				if err := json.Unmarshal([]byte(strings.TrimSuffix(l, ",")), &m); err != nil || !strings.HasPrefix(l, "{") {
					t.Errorf("%s: line %q is not one object: %v", name, l, err)
				}
			}
		}
	}
}

func claimCount(r *Report) int {
	if r.Claims == nil {
		return 0
	}
	return r.Claims.Len()
}

func TestJSONClaims(t *testing.T) {
	r := analystReport()
	doc := decodeJSON(t, writeJSON(t, r))
	cs := doc["claims"].([]any)
	if len(cs) != 8 {
		t.Fatalf("%d claims", len(cs))
	}
	c0 := cs[0].(map[string]any)
	if got := keys(c0); !reflect.DeepEqual(got, sorted(ClaimsCSVHeader[1:]...)) {
		t.Errorf("claim fields %v", got)
	}
	want := map[string]any{
		"file": "in/mon/batch-a.837", "st_control": "0001", "claim_id": "CLM-1001",
		"status": "held", "worst_severity": "error", "errors": json.Number("1"), "warnings": json.Number("1"), "infos": json.Number("0"),
		"rules": []any{"MOD-LATERALITY-MISSING", "DX-NOT-SUPPORTING"}, "first_fix": "Add RT or LT for the treated side",
		"frequency": "1", "service_date": "20260105", "target_lines": json.Number("1"), "total_charge": json.Number("1250.00"),
		"payer_name": "MEDICARE PART B", "payer_id": "12202", "payer_group": "Medicare", "billing_npi": "1234567893",
		"rendering_npi": "1245319599", "member_id": "****4321",
	}
	if !reflect.DeepEqual(c0, want) {
		t.Errorf("claim 1 = %#v\nwant %#v", c0, want)
	}
	ready := cs[2].(map[string]any)
	if ready["status"] != "ready" || ready["worst_severity"] != "" || !reflect.DeepEqual(ready["rules"], []any{}) {
		t.Errorf("ready claim %#v", ready)
	}
	sum := doc["summary"].(map[string]any)
	if !reflect.DeepEqual(sum["claims_by_status"], map[string]any{"held": json.Number("3"), "review": json.Number("1"),
		"ready": json.Number("3"), "void": json.Number("1")}) {
		t.Errorf("claims_by_status %v", sum["claims_by_status"])
	}
	if sum["held_charge"] != json.Number("6250.00") || !reflect.DeepEqual(sum["held_charge_by_rule"], map[string]any{
		"MOD-LATERALITY-MISSING": json.Number("2500.00"), "LINE-UNITS": json.Number("3750.00")}) {
		t.Errorf("held charge %v %v", sum["held_charge"], sum["held_charge_by_rule"])
	}
	// Field order is claims.csv's.
	var raw struct{ Claims []json.RawMessage }
	if err := json.Unmarshal(writeJSON(t, r), &raw); err != nil {
		t.Fatal(err)
	}
	if order := jsonFieldOrder(t, raw.Claims[0]); !reflect.DeepEqual(order, ClaimsCSVHeader[1:]) {
		t.Errorf("claim field order %v", order)
	}
}

// Text is valid UTF-8 without NUL, and the summary says how many values
// were repaired.
func TestJSONValidUTF8(t *testing.T) {
	r := analystReport()
	r.Findings[0].ClaimID = "CLM\x00\xff-1"
	r.Claims.(ClaimSlice)[0].PayerName = "B\xe4r"
	data := writeJSON(t, r)
	if !utf8.Valid(data) || bytes.Contains(data, []byte(`\u0000`)) || bytes.Contains(data, []byte(`\ufffd`)) {
		t.Fatalf("not clean: %s", data)
	}
	doc := decodeJSON(t, data)
	if got := doc["findings"].([]any)[0].(map[string]any)["claim_id"]; got != "CLM\uFFFD-1" {
		t.Errorf("claim_id %q", got)
	}
	if got := doc["summary"].(map[string]any)["text_repaired"]; got != json.Number("2") {
		t.Errorf("text_repaired %v", got)
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
