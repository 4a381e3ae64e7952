package reports

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
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
		"rendering_taxonomy": "207Q00000X", "member_id": "******6789",
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
	if got := readCSV(t, writeCSV(t, r))[0]["member_id"]; got != "******6789" {
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
		{2, "member_id", "'@SUM"}, // short IDs are not masked
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
