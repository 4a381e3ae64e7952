package reports

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func writeCSV(t *testing.T, r *Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteCSV(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func readCSV(t *testing.T, data []byte) []map[string]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("exceptions.csv does not parse: %v", err)
	}
	if strings.Join(recs[0], ",") != strings.Join(CSVHeader, ",") {
		t.Fatalf("header = %q", recs[0])
	}
	var rows []map[string]string
	for _, rec := range recs[1:] {
		if len(rec) != len(CSVHeader) {
			t.Fatalf("row has %d cells, want %d", len(rec), len(CSVHeader))
		}
		row := map[string]string{}
		for i, h := range CSVHeader {
			row[h] = rec[i]
		}
		rows = append(rows, row)
	}
	return rows
}

func TestCSVHeader(t *testing.T) {
	data := writeCSV(t, &Report{})
	want := "run_id,file,isa_control,gs_control,st_control,claim_id,line_number,segment_number,byte_offset," +
		"rule_id,severity,source,message,suggestion,procedure,modifiers,units,charge,service_date," +
		"place_of_service,dx_pointers,pointed_diagnoses,payer_name,payer_id,payer_group,billing_npi," +
		"rendering_npi,rendering_taxonomy,member_id\n"
	if string(data) != want {
		t.Fatalf("empty report:\n%s\nwant\n%s", data, want)
	}
}

func TestCSVRows(t *testing.T) {
	data := writeCSV(t, sampleReport())
	if bytes.Contains(data, []byte("\r\n")) {
		t.Error("CSV has CRLF line endings, want \\n")
	}
	// The message with quotes, a comma and a newline is one quoted cell.
	if !bytes.Contains(data, []byte(`"modifier ""25"" on a line, with a comma`+"\nand a second line\"")) {
		t.Errorf("message not quoted per RFC 4180:\n%s", data)
	}
	rows := readCSV(t, data)
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3", len(rows))
	}
	want := map[string]string{
		"run_id": "run-42", "file": "in/a.837", "isa_control": "000000001", "gs_control": "1",
		"st_control": "0001", "claim_id": "CLM,001", "line_number": "2", "segment_number": "37",
		"byte_offset": "1024", "rule_id": "A-RULE", "severity": "error", "source": "seed",
		"message":    "modifier \"25\" on a line, with a comma\nand a second line",
		"suggestion": "Remove 25 | or add a distinct E/M",
		"procedure":  "99213", "modifiers": "25|59", "units": "1", "charge": "-5.00",
		"service_date": "20260102", "place_of_service": "11", "dx_pointers": "1|2",
		"pointed_diagnoses": "E119|I10", "payer_name": "AETNA", "payer_id": "60054",
		"payer_group": "Aetna", "billing_npi": "1234567893", "rendering_npi": "1245319599",
		"rendering_taxonomy": "207Q00000X", "member_id": "****6789",
	}
	for k, v := range want {
		if rows[0][k] != v {
			t.Errorf("row 1 %s = %q, want %q", k, rows[0][k], v)
		}
	}
	// A file-level finding leaves claim columns empty, line and segment
	// number 0 included; byte_offset 0 is a real offset.
	for _, h := range CSVHeader {
		got := rows[1][h]
		switch h {
		case "run_id", "file", "rule_id", "severity", "message", "suggestion":
			if got == "" {
				t.Errorf("row 2 %s is empty", h)
			}
		case "byte_offset":
			if got != "0" {
				t.Errorf("row 2 byte_offset = %q, want 0", got)
			}
		default:
			if got != "" {
				t.Errorf("row 2 %s = %q, want empty", h, got)
			}
		}
	}
	if rows[1]["severity"] != "warning" || rows[2]["severity"] != "info" {
		t.Errorf("severities %q %q", rows[1]["severity"], rows[2]["severity"])
	}
}

func TestCSVMemberIDMasking(t *testing.T) {
	r := sampleReport()
	if got := readCSV(t, writeCSV(t, r))[0]["member_id"]; got != "****6789" {
		t.Errorf("masked member_id = %q", got)
	}
	if bytes.Contains(writeCSV(t, r), []byte("W123456789")) {
		t.Error("whole member ID in a masked report")
	}
	r.ShowIDs = true
	if got := readCSV(t, writeCSV(t, r))[0]["member_id"]; got != "W123456789" {
		t.Errorf("ShowIDs member_id = %q", got)
	}
}

func TestCSVFormulaInjection(t *testing.T) {
	rows := readCSV(t, writeCSV(t, sampleReport()))
	cases := []struct {
		row       int
		col, want string
	}{
		// input text that starts like a formula is guarded
		{2, "claim_id", `'=HYPERLINK("http://x")`},
		{2, "procedure", "'+99213"},
		{2, "modifiers", "'@x"},
		{2, "payer_name", "'-2+3"},
		{2, "rendering_taxonomy", "'\tTAB"},
		{2, "member_id", "****"}, // an ID of 4 characters is hidden whole
		// a numeric column that is not a number is input text
		{2, "charge", "'=1+2"},
		// numbers stay numbers, negative ones included
		{2, "units", ".5"},
		{0, "charge", "-5.00"},
		// the stdin name and our own text are left alone
		{2, "file", "-"},
		{1, "message", "-- file is empty"},
		{1, "suggestion", "=resend it"},
	}
	for _, c := range cases {
		if got := rows[c.row][c.col]; got != c.want {
			t.Errorf("row %d %s = %q, want %q", c.row+1, c.col, got, c.want)
		}
	}
}

// With IDs shown, a member ID that looks like a formula is guarded.
func TestCSVFormulaInjectionShownID(t *testing.T) {
	r := sampleReport()
	r.ShowIDs = true
	if got := readCSV(t, writeCSV(t, r))[2]["member_id"]; got != "'@SUM" {
		t.Errorf("member_id = %q", got)
	}
}

func TestMaskMemberID(t *testing.T) {
	for in, want := range map[string]string{
		"":                  "",
		"W123456789":        "****6789",
		"12345":             "****2345",
		"1234":              "****",
		"12":                "****",
		"ÄÖÜ-éèêë":          "****éèêë", // characters, not bytes
		"W1234567890123456": "****3456", // the length does not show
		"漢字漢字漢字":            "****漢字漢字",
	} {
		if got := MaskMemberID(in); got != want {
			t.Errorf("MaskMemberID(%q) = %q, want %q", in, got, want)
		}
	}
	if got := MaskMemberID("ab\xffcdef"); got != "****cdef" {
		t.Errorf("invalid UTF-8: %q", got)
	}
}

// Invalid UTF-8 is replaced and NUL bytes dropped in every cell; Totals
// counts the values repaired.
func TestCSVValidUTF8(t *testing.T) {
	r := sampleReport()
	r.Findings[0].PayerName = "M\xfcller\x00 HEALTH"
	r.Findings[0].Message = "quote \xff\xfe of a bad segment"
	r.Files[0].Path = "in/\xe9t\xe9.837"
	data := writeCSV(t, r)
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		t.Fatalf("exceptions.csv is not clean UTF-8: %q", data)
	}
	rows := readCSV(t, data)
	if rows[0]["payer_name"] != "M\uFFFDller HEALTH" || rows[0]["message"] != "quote \uFFFD of a bad segment" {
		t.Errorf("repaired: %q, %q", rows[0]["payer_name"], rows[0]["message"])
	}
	tot, err := r.Totals()
	if err != nil || tot.TextRepaired != 3 {
		t.Errorf("TextRepaired = %d, %v; want 3", tot.TextRepaired, err)
	}
}

func TestClaimsCSV(t *testing.T) {
	r := analystReport()
	var b bytes.Buffer
	if err := WriteClaimsCSV(&b, r); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != "run_id,file,st_control,claim_id,status,worst_severity,errors,warnings,infos,rules,first_fix,frequency,"+
		"service_date,target_lines,total_charge,payer_name,payer_id,payer_group,billing_npi,rendering_npi,member_id" {
		t.Fatalf("header %q", recs[0])
	}
	if len(recs) != 9 {
		t.Fatalf("%d rows, want 8 claims", len(recs)-1)
	}
	want := [][]string{
		{"run-2026-03-02", "in/mon/batch-a.837", "0001", "CLM-1001", "held", "error", "1", "1", "0", "MOD-LATERALITY-MISSING|DX-NOT-SUPPORTING",
			"Add RT or LT for the treated side", "1", "20260105", "1", "1250.00", "MEDICARE PART B", "12202", "Medicare", "1234567893", "1245319599", "****4321"},
		{"run-2026-03-02", "in/mon/batch-a.837", "0001", "CLM-1002", "review", "warning", "0", "1", "0", "DX-NOT-SUPPORTING",
			"Point the line at a diagnosis from the policy list", "1", "20260105", "1", "1250.00", "MEDICARE PART B", "12202", "Medicare", "1234567893", "1245319599", "****4321"},
		{"run-2026-03-02", "in/mon/batch-a.837", "0001", "CLM-1003", "ready", "", "0", "0", "0", "", "", "1", "20260105", "1", "980",
			"MEDICARE PART B", "12202", "Medicare", "1234567893", "1245319599", "****4321"},
	}
	for i, w := range want {
		if !reflect.DeepEqual(recs[i+1], w) {
			t.Errorf("row %d = %q\nwant %q", i+1, recs[i+1], w)
		}
	}
	statuses := []string{}
	for _, rec := range recs[1:] {
		statuses = append(statuses, rec[4])
	}
	if got := strings.Join(statuses, ","); got != "held,review,ready,held,held,void,ready,ready" {
		t.Errorf("statuses %s", got)
	}
	if recs[4][3] != `<script>window.__pwned=1</script>` || recs[4][15] != evilPayer {
		t.Errorf("input text changed: %q %q", recs[4][3], recs[4][15])
	}
	// A claim ID that looks like a formula is guarded.
	r.Claims.(ClaimSlice)[0].ClaimID = "=cmd"
	b.Reset()
	WriteClaimsCSV(&b, r)
	if recs, _ := csv.NewReader(&b).ReadAll(); recs[1][3] != "'=cmd" {
		t.Errorf("claim_id %q", recs[1][3])
	}
	// Without claims: the header only.
	r.Claims = nil
	b.Reset()
	WriteClaimsCSV(&b, r)
	if strings.Count(b.String(), "\n") != 1 {
		t.Errorf("no claims: %q", b.String())
	}
}

func TestGuardCell(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "abc": "abc", "=1": "'=1", "+1": "'+1", "-1": "'-1", "@a": "'@a",
		"\t1": "'\t1", "\r1": "'\r1", "a=1": "a=1", " =1": " =1", "'x": "'x",
	} {
		if got := guardCell(in); got != want {
			t.Errorf("guardCell(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"-5.00": "-5.00", "12": "12", "1.5E3": "1.5E3", "": "", "-": "'-", "--5": "'--5", "+5": "'+5", "5-": "5-",
	} {
		if got := numericCell(in); got != want {
			t.Errorf("numericCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestJSONDecimal(t *testing.T) {
	for in, want := range map[string]string{
		"0": "0", "5": "5", "5.00": "5.00", "-5.00": "-5.00", ".5": "0.5", "-.5": "-0.5",
		"5.": "5", "007": "7", "-00.10": "-0.10", "1E3": "1E3", "1.5e-2": "1.5e-2", "2E+05": "2E+05", "-0": "-0",
	} {
		got, ok := jsonDecimal(in)
		if !ok || got != want {
			t.Errorf("jsonDecimal(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "-", ".", "-.", "+5", "5-", " 5", "5 ", "1,000", "1E", "E3", "0x10", "1.2.3", "NaN", "=1+2", "1e+"} {
		if got, ok := jsonDecimal(in); ok {
			t.Errorf("jsonDecimal(%q) = %q, accepted", in, got)
		}
	}
}
