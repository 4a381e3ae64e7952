package reports

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

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
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{TmpDir: t.TempDir()})
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

// sheetCells reads a streamed sheet as header -> value, one map a row,
// checking the header against cols.
func sheetCells(t *testing.T, f *excelize.File, sheet string, cols []xlsxColumn) []map[string]string {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	var header []string
	for _, c := range cols {
		header = append(header, c.header)
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != strings.Join(header, ",") {
		t.Fatalf("%s header = %q, want %q", sheet, rows, header)
	}
	var out []map[string]string
	for _, row := range rows[1:] {
		m := map[string]string{}
		for i, h := range header {
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
	if !ok || len(f.Files) != 1 || f.Files[0].Name != "exceptions.xlsx" || !f.Files[0].Streams {
		t.Fatalf("xlsx format = %+v, %v", f, ok)
	}
}

// colOf is the column letter of header h in cols.
func colOf(t *testing.T, cols []xlsxColumn, h string) string {
	t.Helper()
	for i, c := range cols {
		if c.header == h {
			name, _ := excelize.ColumnNumberToName(i + 1)
			return name
		}
	}
	t.Fatalf("no column %q", h)
	return ""
}

func TestXLSXClaimsSheet(t *testing.T) {
	data := writeXLSXBytes(t, analystReport())
	f := openXLSX(t, data)
	if got := strings.Join(f.GetSheetList(), ","); got != "Claims,Findings,Summary" {
		t.Errorf("sheets = %s", got)
	}
	if i := f.GetActiveSheetIndex(); i != 0 {
		t.Errorf("active sheet %d, want Claims (0)", i)
	}
	rows := sheetCells(t, f, XLSXClaimsSheet, xlsxClaimColumns)
	if len(rows) != 8 {
		t.Fatalf("%d claim rows, want 8", len(rows))
	}
	first := rows[0]
	for col, want := range map[string]string{
		"Claim": "CLM-1001", "Result": "held", "Problem": "0620T is billed without RT or LT",
		"First fix": "Add RT or LT for the treated side", "Status": "", "Owner": "", "Note": "",
		"Rules": "MOD-LATERALITY-MISSING DX-NOT-SUPPORTING", "Worst severity": "error",
		"Errors": "1", "Warnings": "1", "Infos": "0", "Service date": "46027", "Total charge": "1250",
		"Payer": "MEDICARE PART B", "Payer group": "Medicare", "Member ID": "****4321", "Frequency": "1",
		"Target lines": "1", "Billing NPI": "1234567893", "File": "in/mon/batch-a.837", "Run ID": "run-2026-03-02",
	} {
		if first[col] != want {
			t.Errorf("claim row 1 %s = %q, want %q", col, first[col], want)
		}
	}
	var results []string
	for _, r := range rows {
		results = append(results, r["Result"])
	}
	if got := strings.Join(results, ","); got != "held,review,ready,held,held,void,ready,ready" {
		t.Errorf("results %s", got)
	}
	// Shown as a date and as money.
	if v, _ := f.GetCellValue(XLSXClaimsSheet, colOf(t, xlsxClaimColumns, "Service date")+"2"); v != "2026-01-05" {
		t.Errorf("service date shows %q", v)
	}
	if v, _ := f.GetCellValue(XLSXClaimsSheet, colOf(t, xlsxClaimColumns, "Total charge")+"2"); v != "$1,250.00" {
		t.Errorf("total charge shows %q", v)
	}
	checkSheetSetup(t, f, data, XLSXClaimsSheet, "xl/worksheets/sheet1.xml", xlsxClaimColumns, 8, "G")
}

// checkSheetSetup: A:B and the header frozen, autofilter over the rows,
// landscape one page wide, the analyst's columns printed with the header
// on every page.
func checkSheetSetup(t *testing.T, f *excelize.File, data []byte, sheet, part string, cols []xlsxColumn, rows int, printLast string) {
	t.Helper()
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 2 || panes.TopLeftCell != "C2" {
		t.Errorf("%s panes = %+v, %v; want A:B and row 1 frozen", sheet, panes, err)
	}
	last, _ := excelize.ColumnNumberToName(len(cols))
	xml := xlsxZipPart(t, data, part)
	if !strings.Contains(xml, fmt.Sprintf(`<autoFilter ref="$A$1:$%s$%d"`, last, rows+1)) {
		t.Errorf("%s has no autofilter over A1:%s%d:\n%.800s", sheet, last, rows+1, xml)
	}
	for _, want := range []string{`orientation="landscape"`, `fitToWidth="1"`, `fitToHeight="0"`, `fitToPage="true"`} {
		if !strings.Contains(xml, want) {
			t.Errorf("%s lacks %s", sheet, want)
		}
	}
	names := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		if dn.Scope == sheet {
			names[dn.Name] = dn.RefersTo
		}
	}
	if names["_xlnm.Print_Area"] != "'"+sheet+"'!$A:$"+printLast || names["_xlnm.Print_Titles"] != "'"+sheet+"'!$1:$1" {
		t.Errorf("%s print names %v", sheet, names)
	}
}

func TestXLSXFindingsSheet(t *testing.T) {
	r := analystReport()
	r.Findings[4].Charge = "=1+2" // not a decimal: kept as text, never a formula
	data := writeXLSXBytes(t, r)
	f := openXLSX(t, data)
	rows := sheetCells(t, f, XLSXFindingsSheet, xlsxFindingColumns)
	if len(rows) != len(r.Findings) {
		t.Fatalf("%d finding rows, want %d", len(rows), len(r.Findings))
	}
	for col, want := range map[string]string{
		"Claim": "CLM-1001", "Severity": "error", "Rule": "MOD-LATERALITY-MISSING",
		"Message": "0620T is billed without RT or LT", "Suggestion": "Add RT or LT for the treated side",
		"Line": "1", "Procedure": "0620T", "Modifiers": "RT", "Units": "1", "Charge": "1250",
		"Service date": "46027", "Place of service": "22", "Dx pointers": "1|2", "Diagnoses": "I5022 I10",
		"Payer ID": "12202", "Payer group": "Medicare", "Billing NPI": "1234567893", "Rendering taxonomy": "207RC0000X",
		"Member ID": "****4321", "File": "in/mon/batch-a.837", "ISA control": "000000101", "Segment": "31",
		"Byte offset": "1800", "Source": "seed", "Run ID": "run-2026-03-02",
	} {
		if rows[0][col] != want {
			t.Errorf("row 1 %s = %q, want %q", col, rows[0][col], want)
		}
	}
	// Input text comes back exactly as it was: no escaping left in the cell.
	if rows[3]["Claim"] != evilClaimID || rows[3]["Payer"] != evilPayer || rows[3]["Procedure"] != evilCode {
		t.Errorf("row 4 = %q / %q / %q", rows[3]["Claim"], rows[3]["Payer"], rows[3]["Procedure"])
	}
	if rows[4]["Charge"] != "=1+2" || rows[6]["Claim"] != "(file)" || rows[6]["Line"] != "" {
		t.Errorf("rows 5, 7 = %v %v", rows[4], rows[6])
	}
	// Numbers are numbers, dates dates; nothing is a formula.
	numeric := map[string]bool{"Line": true, "Units": true, "Charge": true, "Service date": true, "Segment": true, "Byte offset": true}
	for i, c := range xlsxFindingColumns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		for row := 2; row <= len(rows)+1; row++ {
			cell := col + strconv.Itoa(row)
			typ, _ := f.GetCellType(XLSXFindingsSheet, cell)
			v, _ := f.GetCellValue(XLSXFindingsSheet, cell, excelize.Options{RawCellValue: true})
			if formula, _ := f.GetCellFormula(XLSXFindingsSheet, cell); formula != "" {
				t.Errorf("%s is a formula: %q", cell, formula)
			}
			switch {
			case v == "":
			case numeric[c.header] && !(c.header == "Charge" && row == 6):
				if _, err := strconv.ParseFloat(v, 64); err != nil || (typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber) {
					t.Errorf("%s (%s) = %q type %v, want a number", cell, c.header, v, typ)
				}
			default:
				if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
					t.Errorf("%s (%s) = %q has type %v, want text", cell, c.header, v, typ)
				}
			}
		}
	}
	if v, _ := f.GetCellValue(XLSXFindingsSheet, colOf(t, xlsxFindingColumns, "Charge")+"2"); v != "$1,250.00" {
		t.Errorf("charge shows %q", v)
	}
	if v, _ := f.GetCellValue(XLSXFindingsSheet, colOf(t, xlsxFindingColumns, "Service date")+"2"); v != "2026-01-05" {
		t.Errorf("service date shows %q", v)
	}
	checkSheetSetup(t, f, data, XLSXFindingsSheet, "xl/worksheets/sheet2.xml", xlsxFindingColumns, len(rows), "F")
}

func TestXLSXSummarySheet(t *testing.T) {
	f := openXLSX(t, writeXLSXBytes(t, analystReport()))
	for label, want := range map[string]string{
		"Held 0620T claims (fix before sending)": "3",
		"In review (warnings only)":              "1",
		"Ready to send":                          "3",
		"Void":                                   "1",
		"Charges held":                           "6250",
		"Run ID":                                 "run-2026-03-02",
		"Rule pack":                              "0620T-policy",
		"Seed only (--seed-only)":                "yes",
		"Files":                                  "3",
		"Files failed":                           "1",
		"Claims":                                 "120",
		"0620T claims":                           "8",
		"Clean share of 0620T claims":            "0.375",
		"Findings":                               "7",
		"error":                                  "3",
		"LINE-UNITS":                             "1",
		"in/mon/<broken>.837":                    "failed",
	} {
		if got := summaryValue(t, f, label); got != want {
			t.Errorf("Summary %q = %q, want %q", label, got, want)
		}
	}
	rows, _ := f.GetRows(XLSXSummarySheet)
	var groups, held []string
	for _, row := range rows {
		if len(row) == 5 && (row[0] == "Medicare" || row[0] == "Aetna" || row[0] == "BCBS" || row[0] == "Other") {
			groups = append(groups, strings.Join(row, "/"))
		}
		if len(row) == 3 && (row[0] == "LINE-UNITS" || row[0] == "MOD-LATERALITY-MISSING") {
			held = append(held, strings.Join(row, "/"))
		}
	}
	// Aetna's void counts in none of held, review, ready.
	if got := strings.Join(groups, " "); got != "Medicare/4/1/1/2 Aetna/2/1/0/0 BCBS/1/0/0/1 Other/1/1/0/0" {
		t.Errorf("payer groups = %s", got)
	}
	if got := strings.Join(held, " "); got != "MOD-LATERALITY-MISSING/2/$2,500.00 LINE-UNITS/1/$3,750.00" {
		t.Errorf("held by rule = %s", got)
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
	// Entries in name order: the streamed sheets are not in map order.
	zr, _ := zip.NewReader(bytes.NewReader(first), int64(len(first)))
	for i := 1; i < len(zr.File); i++ {
		if zr.File[i-1].Name > zr.File[i].Name {
			t.Errorf("zip entries out of order: %s before %s", zr.File[i-1].Name, zr.File[i].Name)
		}
	}
}

func TestXLSXEmptyRun(t *testing.T) {
	f := openXLSX(t, writeXLSXBytes(t, &Report{Run: Run{ID: "empty"}}))
	if rows := sheetCells(t, f, XLSXFindingsSheet, xlsxFindingColumns); len(rows) != 0 {
		t.Errorf("empty run has %d finding rows", len(rows))
	}
	if rows := sheetCells(t, f, XLSXClaimsSheet, xlsxClaimColumns); len(rows) != 0 {
		t.Errorf("empty run has %d claim rows", len(rows))
	}
	if got := summaryValue(t, f, "Findings"); got != "0" {
		t.Errorf("Findings = %q", got)
	}
	if got := summaryValue(t, f, "Started (UTC)"); got != "" {
		t.Errorf("zero start time shows %q", got)
	}
}

// Text that XML cannot hold (control characters, invalid UTF-8, NUL) does
// not break the workbook.
func TestXLSXDirtyText(t *testing.T) {
	r := analystReport()
	r.Findings[0].Message = "bell\x07 nul\x00 bad\xff end"
	r.Claims.(ClaimSlice)[0].PayerName = "\x01\x02P\xe4yer"
	f := openXLSX(t, writeXLSXBytes(t, r))
	rows := sheetCells(t, f, XLSXFindingsSheet, xlsxFindingColumns)
	if rows[0]["Message"] != "bell nul bad\uFFFD end" {
		t.Errorf("message %q", rows[0]["Message"])
	}
	if c := sheetCells(t, f, XLSXClaimsSheet, xlsxClaimColumns); c[0]["Payer"] != "P\uFFFDyer" {
		t.Errorf("payer %q", c[0]["Payer"])
	}
}

func TestXLSXLargeRun(t *testing.T) {
	const n = 30000
	data := writeXLSXBytes(t, manyFindingsReport(n))
	f := openXLSX(t, data)
	rows := sheetCells(t, f, XLSXFindingsSheet, xlsxFindingColumns)
	if len(rows) != n {
		t.Fatalf("%d rows, want %d", len(rows), n)
	}
	if last := rows[n-1]; last["Claim"] != "C029999" || last["Segment"] != strconv.Itoa(10+n-1) || last["Byte offset"] != strconv.Itoa(100*(n-1)) {
		t.Errorf("last row = %v", last)
	}
	if !regexp.MustCompile(`<autoFilter ref="\$A\$1:\$AC\$30001"`).MatchString(xlsxZipPart(t, data, "xl/worksheets/sheet2.xml")) {
		t.Error("autofilter does not cover every row")
	}
}

func TestXLSXTooManyRows(t *testing.T) {
	defer func(n int) { xlsxMaxRows = n }(xlsxMaxRows)
	xlsxMaxRows = 4
	f := openXLSX(t, writeXLSXBytes(t, analystReport()))
	if rows := sheetCells(t, f, XLSXFindingsSheet, xlsxFindingColumns); len(rows) != 4 {
		t.Errorf("%d finding rows, want the first 4", len(rows))
	}
	if rows := sheetCells(t, f, XLSXClaimsSheet, xlsxClaimColumns); len(rows) != 4 {
		t.Errorf("%d claim rows, want the first 4", len(rows))
	}
	rows, _ := f.GetRows(XLSXSummarySheet)
	var notes []string
	for _, row := range rows {
		if len(row) > 0 && strings.Contains(row[0], "sheet holds the first 4") {
			notes = append(notes, row[0])
		}
	}
	if len(notes) != 2 || !strings.Contains(notes[0], "4 of 8 claims") || !strings.Contains(notes[1], "4 of 7 findings") {
		t.Errorf("Summary notes %q", notes)
	}
}

func TestXLSXUnknownSeverity(t *testing.T) {
	r := analystReport()
	r.Findings = []finding.Finding{{File: "x", RuleID: "R"}}
	r.Claims = nil
	rows := sheetCells(t, openXLSX(t, writeXLSXBytes(t, r)), XLSXFindingsSheet, xlsxFindingColumns)
	if len(rows) != 1 || rows[0]["Severity"] != "unknown" || rows[0]["Byte offset"] != "0" {
		t.Errorf("rows = %v", rows)
	}
}

// The library's row buffers (claim data in plain text) go to the folder
// the caller gives, and none outlives WriteXLSX.
func TestXLSXTempFiles(t *testing.T) {
	tmp := t.TempDir()
	r := manyFindingsReport(60000) // past excelize's 16 MB in-memory chunk
	r.TempDir = tmp
	seen := 0
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if ents, _ := os.ReadDir(tmp); len(ents) > seen {
				seen = len(ents)
			}
			time.Sleep(time.Millisecond)
		}
	}()
	if err := WriteXLSX(io.Discard, r); err != nil {
		t.Fatal(err)
	}
	close(stop)
	<-done
	if seen == 0 {
		t.Error("no temporary file was made in TempDir: the test does not see where they go")
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("left in TempDir: %v", ents)
	}
}
