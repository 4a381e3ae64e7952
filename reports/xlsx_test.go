package reports

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/scrub837/scrub837/scrubber/finding"
)

func writeXLSXBytes(t *testing.T, r *Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteXLSX(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func openXLSX(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("exceptions.xlsx does not open: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// xlsxZipPart is one part of the workbook package, as stored.
func xlsxZipPart(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("workbook has no part %s", name)
	return ""
}

// findingsCells reads the Findings sheet as header name -> value, one map a
// row, checking the header on the way.
func findingsCells(t *testing.T, f *excelize.File) []map[string]string {
	t.Helper()
	rows, err := f.GetRows(XLSXFindingsSheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != strings.Join(CSVHeader, ",") {
		t.Fatalf("Findings header = %q, want the CSV header", rows)
	}
	var out []map[string]string
	for _, row := range rows[1:] {
		m := map[string]string{}
		for i, h := range CSVHeader {
			if i < len(row) {
				m[h] = row[i]
			}
		}
		out = append(out, m)
	}
	return out
}

// summaryValue is the value next to label in column A of the Summary sheet.
func summaryValue(t *testing.T, f *excelize.File, label string) string {
	t.Helper()
	rows, err := f.GetRows(XLSXSummarySheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows {
		if len(row) > 0 && row[0] == label {
			if len(row) < 2 {
				return ""
			}
			return row[1]
		}
	}
	t.Errorf("Summary has no row %q", label)
	return ""
}

func TestXLSXRegistered(t *testing.T) {
	f, ok := lookupFormat("xlsx")
	if !ok || f.FileName != "exceptions.xlsx" {
		t.Fatalf("xlsx format = %+v, %v", f, ok)
	}
}

func TestXLSXFindingsSheet(t *testing.T) {
	r := analystReport()
	r.Findings[4].Charge = "=1+2" // not a decimal: kept as text, never a formula
	data := writeXLSXBytes(t, r)
	f := openXLSX(t, data)

	if got := strings.Join(f.GetSheetList(), ","); got != "Summary,Findings" {
		t.Errorf("sheets = %s", got)
	}
	if i := f.GetActiveSheetIndex(); i != 0 {
		t.Errorf("active sheet %d, want Summary (0)", i)
	}
	rows := findingsCells(t, f)
	if len(rows) != len(r.Findings) {
		t.Fatalf("%d finding rows, want %d", len(rows), len(r.Findings))
	}
	first := rows[0]
	for col, want := range map[string]string{
		"run_id": "run-2026-03-02", "file": "in/mon/batch-a.837", "isa_control": "000000101",
		"claim_id": "CLM-1001", "line_number": "1", "segment_number": "31", "byte_offset": "1800",
		"rule_id": "MOD-LATERALITY-MISSING", "severity": "error", "source": "seed",
		"message": "0620T is billed without RT or LT", "procedure": "0620T", "modifiers": "RT",
		"units": "1", "charge": "1250", "service_date": "20260105", "place_of_service": "22",
		"dx_pointers": "1|2", "pointed_diagnoses": "I5022|I10", "payer_id": "12202", "payer_group": "Medicare",
		"billing_npi": "1234567893", "rendering_taxonomy": "207RC0000X", "member_id": "******4321",
	} {
		if first[col] != want {
			t.Errorf("row 1 %s = %q, want %q", col, first[col], want)
		}
	}
	// Input text comes back exactly as it was: no escaping left in the cell.
	if rows[2]["claim_id"] != evilClaimID || rows[2]["payer_name"] != evilPayer || rows[2]["procedure"] != evilCode {
		t.Errorf("row 3 = %q / %q / %q", rows[2]["claim_id"], rows[2]["payer_name"], rows[2]["procedure"])
	}

	// Numbers are numbers; text is text; nothing is a formula.
	for i, h := range CSVHeader {
		col, _ := excelize.ColumnNumberToName(i + 1)
		for row := 2; row <= len(rows)+1; row++ {
			cell := col + strconv.Itoa(row)
			typ, err := f.GetCellType(XLSXFindingsSheet, cell)
			if err != nil {
				t.Fatal(err)
			}
			v, _ := f.GetCellValue(XLSXFindingsSheet, cell, excelize.Options{RawCellValue: true})
			if formula, _ := f.GetCellFormula(XLSXFindingsSheet, cell); formula != "" {
				t.Errorf("%s is a formula: %q", cell, formula)
			}
			numeric := xlsxNumericColumns[h] && !(h == "charge" && row == 6)
			switch {
			case v == "":
			case numeric:
				if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
					t.Errorf("%s (%s) = %q has type %v, want a number", cell, h, v, typ)
				}
				if _, err := strconv.ParseFloat(v, 64); err != nil {
					t.Errorf("%s (%s) = %q is not a number", cell, h, v)
				}
			default:
				if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
					t.Errorf("%s (%s) = %q has type %v, want text", cell, h, v, typ)
				}
			}
		}
	}
	if rows[4]["charge"] != "=1+2" || rows[4]["modifiers"] != "" || rows[4]["line_number"] != "1" {
		t.Errorf("row 5 = %v", rows[4])
	}
	// The charge shows as money.
	if v, _ := f.GetCellValue(XLSXFindingsSheet, "R2"); v != "1,250.00" {
		t.Errorf("charge R2 shows %q, want 1,250.00", v)
	}

	// Frozen header, autofilter over the table, fitted widths.
	panes, err := f.GetPanes(XLSXFindingsSheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 || panes.TopLeftCell != "A2" {
		t.Errorf("panes = %+v, %v; want the header row frozen", panes, err)
	}
	sheetXML := xlsxZipPart(t, data, "xl/worksheets/sheet2.xml")
	if !strings.Contains(sheetXML, `<autoFilter ref="$A$1:$AC$6"`) {
		t.Errorf("Findings sheet has no autofilter over A1:AC6:\n%.600s", sheetXML)
	}
	filterDB := false
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm._FilterDatabase" && strings.HasSuffix(dn.RefersTo, "Findings'!$A$1:$AC$6") {
			filterDB = true
		}
	}
	if !filterDB {
		t.Errorf("no filter database name over the findings: %+v", f.GetDefinedName())
	}
	for col, bounds := range map[string][2]float64{
		"A":  {14, 20},                     // run_id
		"G":  {xlsxMinWidth, 16},           // line_number
		"M":  {30, xlsxTextWidth},          // message
		"W":  {20, xlsxMaxWidth},           // payer_name
		"AC": {xlsxMinWidth, xlsxMaxWidth}, // member_id
	} {
		w, err := f.GetColWidth(XLSXFindingsSheet, col)
		if err != nil || w < bounds[0] || w > bounds[1] {
			t.Errorf("column %s width %v (%v), want %v..%v", col, w, err, bounds[0], bounds[1])
		}
	}
}

func TestXLSXSummarySheet(t *testing.T) {
	f := openXLSX(t, writeXLSXBytes(t, analystReport()))
	for label, want := range map[string]string{
		"Run ID":                            "run-2026-03-02",
		"Rule pack":                         "0620T-policy",
		"Seed only (--seed-only)":           "yes",
		"Files":                             "3",
		"Files failed":                      "1",
		"Claims":                            "120",
		"Service lines":                     "310",
		"0620T claims":                      "8",
		"0620T lines":                       "9",
		"Clean 0620T claims":                "4",
		"Clean share of 0620T claims":       "0.5",
		"Held 0620T claims (with an error)": "3",
		"Findings":                          "5",
		"error":                             "3",
		"MOD-LATERALITY-MISSING":            "2",
		"Medicare":                          "4",
		"in/mon/<broken>.837":               "failed",
	} {
		if got := summaryValue(t, f, label); got != want {
			t.Errorf("Summary %q = %q, want %q", label, got, want)
		}
	}
	if v, _ := f.GetCellValue(XLSXSummarySheet, "B10"); v != "2026-03-02 06:00:00" {
		t.Errorf("Started shows %q", v)
	}
	if v, _ := f.GetCellValue(XLSXSummarySheet, "A10"); v != "Started (UTC)" {
		t.Errorf("A10 = %q", v)
	}
	// Counts are numbers.
	rows, _ := f.GetRows(XLSXSummarySheet)
	for i, row := range rows {
		if len(row) > 1 && row[0] == "Claims" {
			if typ, _ := f.GetCellType(XLSXSummarySheet, "B"+strconv.Itoa(i+1)); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
				t.Errorf("Claims count has type %v", typ)
			}
		}
	}
	// Payer groups: most claims first, with held and clean.
	var groups []string
	for _, row := range rows {
		if len(row) == 4 && (row[0] == "Medicare" || row[0] == "Aetna" || row[0] == "BCBS" || row[0] == "Other") {
			groups = append(groups, strings.Join(row, "/"))
		}
	}
	if got := strings.Join(groups, " "); got != "Medicare/4/1/2 Aetna/2/1/1 BCBS/1/0/1 Other/1/1/0" {
		t.Errorf("payer groups = %s", got)
	}
	props, err := f.GetDocProps()
	if err != nil || props.Created != "2026-03-02T06:00:00Z" || props.Creator != "scrub837" {
		t.Errorf("doc props = %+v, %v", props, err)
	}
}

func TestXLSXDeterministic(t *testing.T) {
	first := writeXLSXBytes(t, analystReport())
	for i := 0; i < 3; i++ {
		if !bytes.Equal(writeXLSXBytes(t, analystReport()), first) {
			t.Fatal("two writes of the same report differ")
		}
	}
}

func TestXLSXEmptyRun(t *testing.T) {
	data := writeXLSXBytes(t, &Report{Run: Run{ID: "empty"}})
	f := openXLSX(t, data)
	if rows := findingsCells(t, f); len(rows) != 0 {
		t.Errorf("empty run has %d finding rows", len(rows))
	}
	if got := summaryValue(t, f, "Findings"); got != "0" {
		t.Errorf("Findings = %q", got)
	}
	if got := summaryValue(t, f, "Started (UTC)"); got != "" {
		t.Errorf("zero start time shows %q", got)
	}
}

func TestXLSXLargeRun(t *testing.T) {
	const n = 30000
	data := writeXLSXBytes(t, manyFindingsReport(n))
	f := openXLSX(t, data)
	rows := findingsCells(t, f)
	if len(rows) != n {
		t.Fatalf("%d rows, want %d", len(rows), n)
	}
	if last := rows[n-1]; last["claim_id"] != "C029999" || last["segment_number"] != strconv.Itoa(10+n-1) || last["byte_offset"] != strconv.Itoa(100*(n-1)) {
		t.Errorf("last row = %v", last)
	}
	if !regexp.MustCompile(`<autoFilter ref="\$A\$1:\$AC\$30001"`).MatchString(xlsxZipPart(t, data, "xl/worksheets/sheet2.xml")) {
		t.Error("autofilter does not cover every row")
	}
}

func TestXLSXTooManyFindings(t *testing.T) {
	defer func(n int) { xlsxMaxFindings = n }(xlsxMaxFindings)
	xlsxMaxFindings = 4
	r := analystReport()
	f := openXLSX(t, writeXLSXBytes(t, r))
	if rows := findingsCells(t, f); len(rows) != 4 {
		t.Errorf("%d rows, want the first 4", len(rows))
	}
	found := false
	rows, _ := f.GetRows(XLSXSummarySheet)
	for _, row := range rows {
		if len(row) > 0 && strings.HasPrefix(row[0], "The Findings sheet holds the first 4 of 5 findings") {
			found = true
		}
	}
	if !found {
		t.Error("Summary does not say the Findings sheet is cut")
	}
}

func TestXLSXUnknownSeverity(t *testing.T) {
	r := analystReport()
	r.Findings = []finding.Finding{{File: "x", RuleID: "R"}}
	rows := findingsCells(t, openXLSX(t, writeXLSXBytes(t, r)))
	if len(rows) != 1 || rows[0]["severity"] != "unknown" || rows[0]["byte_offset"] != "0" {
		t.Errorf("rows = %v", rows)
	}
}
