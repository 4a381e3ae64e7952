package reports

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/scrub837/scrub837/scrubber/finding"
)

func init() {
	Register(Format{Name: "xlsx", Files: []FormatFile{{Name: "exceptions.xlsx", Write: WriteXLSX, Streams: true}}})
}

// Sheet names of exceptions.xlsx, in workbook order.
const (
	XLSXClaimsSheet   = "Claims"
	XLSXFindingsSheet = "Findings"
	XLSXSummarySheet  = "Summary"
)

// xlsxMaxRows is how many claims or findings fit on a sheet under its
// header row. A run with more keeps the first ones there and says so on the
// Summary sheet; claims.csv and exceptions.csv have them all.
var xlsxMaxRows = excelize.TotalRows - 1

// xlsxColumn is one column of a streamed sheet: its header, its width in
// characters, and whether it is printed.
type xlsxColumn struct {
	header string
	width  float64
	wrap   bool // long text: wrapped, top-aligned
}

// xlsxClaimColumns are the Claims sheet's columns: the claim and what to do
// first, then the team's own Status, Owner and Note (left empty for them),
// then the claims.csv columns. The first xlsxClaimPrintCols are printed.
// Claim is 22 characters wide: a patient control number (CLM01, up to 38)
// is rarely longer than 20.
var xlsxClaimColumns = []xlsxColumn{
	{"Claim", 22, false}, {"Result", 9, false}, {"Problem", 46, true}, {"First fix", 46, true},
	{"Status", 12, false}, {"Owner", 12, false}, {"Note", 28, true},
	{"Rules", 30, true}, {"Worst severity", 10, false}, {"Errors", 8, false}, {"Warnings", 9, false}, {"Infos", 7, false},
	{"Service date", 12, false}, {"Total charge", 13, false}, {"Payer", 24, false}, {"Payer group", 16, false},
	{"Member ID", 13, false}, {"Frequency", 10, false}, {"Target lines", 8, false},
	{"Billing NPI", 12, false}, {"Rendering NPI", 13, false}, {"Payer ID", 10, false},
	{"File", 30, false}, {"ST control", 10, false}, {"Run ID", 18, false},
}

const xlsxClaimPrintCols = 7 // Claim .. Note

// xlsxFindingColumns are the Findings sheet's columns: the claim, severity,
// rule, message and suggestion first, technical columns last. The first
// xlsxFindingPrintCols are printed.
var xlsxFindingColumns = []xlsxColumn{
	{"Claim", 22, false}, {"Severity", 9, false}, {"Rule", 24, false}, {"Message", 60, true}, {"Suggestion", 52, true},
	{"Line", 6, false}, {"Procedure", 10, false}, {"Modifiers", 10, false}, {"Units", 7, false}, {"Charge", 12, false},
	{"Service date", 12, false}, {"Place of service", 9, false}, {"Dx pointers", 9, false}, {"Diagnoses", 16, false},
	{"Payer", 24, false}, {"Payer ID", 10, false}, {"Payer group", 16, false},
	{"Billing NPI", 12, false}, {"Rendering NPI", 13, false}, {"Rendering taxonomy", 13, false}, {"Member ID", 13, false},
	{"File", 30, false}, {"ISA control", 11, false}, {"GS control", 10, false}, {"ST control", 10, false},
	{"Segment", 9, false}, {"Byte offset", 12, false}, {"Source", 9, false}, {"Run ID", 18, false},
}

const xlsxFindingPrintCols = 6 // Claim .. Line

// WriteXLSX writes r as exceptions.xlsx, for analysts who work the queue in
// a spreadsheet:
//
//   - Claims (the first sheet, open on start): the worklist, one target
//     claim a row in input order, with empty Status, Owner and Note columns
//     for the team;
//   - Findings: one finding a row, claim, severity, rule, message and
//     suggestion first, technical columns last;
//   - Summary: the run, its totals, the worklist's totals, counts by
//     severity, rule and payer group, the files that failed.
//
// Headers are words, not column names; service dates are dates, charges
// currency, counts numbers. Columns A:B and the header row are frozen, the
// header carries an autofilter, and pages print landscape, one page wide,
// with the analyst's columns only and the header on every page. Cells hold
// values, never formulas, so text from an 837 cannot become a formula, and
// it is written as it came (no quote prefix, unlike the CSV), cleaned as
// the other reports clean text.
//
// Memory stays flat whatever the number of rows: the Claims and Findings
// sheets are streamed (excelize's StreamWriter keeps its rows in temporary
// files in r.TempDir, which Close removes before WriteXLSX returns), and the
// workbook's zip goes straight to w rather than through a buffer in memory
// (excelize's Write would build the whole file in memory first).
func WriteXLSX(w io.Writer, r *Report) (err error) {
	totals, err := r.Totals()
	if err != nil {
		return err
	}
	f := excelize.NewFile(excelize.Options{TmpDir: r.TempDir})
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	st, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	if err = f.SetSheetName("Sheet1", XLSXClaimsSheet); err != nil {
		return err
	}
	for _, name := range []string{XLSXFindingsSheet, XLSXSummarySheet} {
		if _, err = f.NewSheet(name); err != nil {
			return err
		}
	}
	claims, err := writeXLSXClaims(f, r, st)
	if err != nil {
		return err
	}
	findings, err := writeXLSXFindings(f, r, st)
	if err != nil {
		return err
	}
	if err = writeXLSXSummary(f, r, st, totals, claims, findings); err != nil {
		return err
	}
	// Claims, the first sheet, is the active one already. (SetActiveSheet
	// would parse a streamed sheet back into memory.)
	props := &excelize.DocProperties{
		Creator:        "scrub837",
		LastModifiedBy: "scrub837",
		Title:          cleanText("scrub837 exceptions, run " + r.Run.ID),
		Description:    cleanText("Worklist and findings of scrub837 run " + r.Run.ID + " with rule pack " + strings.TrimSpace(r.Run.Rules.Name+" "+r.Run.Rules.Version)),
		Version:        cleanText(r.Run.ToolVersion),
	}
	if !r.Run.StartedAt.IsZero() {
		props.Created = jsonTime(r.Run.StartedAt)
		props.Modified = props.Created
	}
	if !r.Run.FinishedAt.IsZero() {
		props.Modified = jsonTime(r.Run.FinishedAt)
	}
	if err = f.SetDocProps(props); err != nil {
		return err
	}
	return writeXLSXZip(f, w, r.TempDir)
}

// writeXLSXZip writes the workbook to w with memory flat and bytes
// deterministic. excelize's Write builds the whole zip in memory, so the
// zip goes to a temporary file instead (through SetZipWriter); and excelize
// writes its streamed sheets in map order, so the entries are copied from
// that file to w sorted by name (compressed data copied as it is).
func writeXLSXZip(f *excelize.File, w io.Writer, tmpDir string) (err error) {
	tmp, err := os.CreateTemp(tmpDir, "scrub837-xlsx-*")
	if err != nil {
		return err
	}
	defer func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}()
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(tmp) })
	if err := f.Write(io.Discard); err != nil {
		return err
	}
	size, err := tmp.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	zr, err := zip.NewReader(tmp, size)
	if err != nil {
		return err
	}
	entries := slices.Clone(zr.File)
	slices.SortFunc(entries, func(a, b *zip.File) int { return strings.Compare(a.Name, b.Name) })
	zw := zip.NewWriter(w)
	for _, e := range entries {
		if err := zw.Copy(e); err != nil {
			return err
		}
	}
	return zw.Close()
}

// xlsxFont is the workbook's font (excelize's default).
const xlsxFont = "Calibri"

type xlsxStyles struct {
	title, section, header, headerNum int
	int, money, percent, datetime     int
	date, wrap, team, top, topNum     int
	sev                               map[finding.Severity]int
	status                            map[Status]int
}

func newXLSXStyles(f *excelize.File) (*xlsxStyles, error) {
	var st xlsxStyles
	var err error
	add := func(s *excelize.Style) int {
		if err != nil {
			return 0
		}
		if s.Font != nil && s.Font.Family == "" {
			// The workbook's own font: without a family a reader
			// picks its default (a serif in LibreOffice).
			s.Font.Family = xlsxFont
		}
		var id int
		id, err = f.NewStyle(s)
		return id
	}
	headerFill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E4E7EC"}}
	headerBorder := []excelize.Border{{Type: "bottom", Color: "98A2B3", Style: 1}}
	moneyFmt := `"$"#,##0.00`
	percentFmt := "0.0%"
	datetimeFmt := "yyyy-mm-dd hh:mm:ss"
	dateFmt := "yyyy-mm-dd"
	top := &excelize.Alignment{Vertical: "top"}
	st.title = add(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14, Color: "101828"}})
	st.section = add(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12, Color: "101828"}})
	st.header = add(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "101828"}, Fill: headerFill, Border: headerBorder,
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	st.headerNum = add(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "101828"}, Fill: headerFill, Border: headerBorder,
		Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "top", WrapText: true}})
	st.int = add(&excelize.Style{NumFmt: 3, Alignment: top}) // #,##0
	st.money = add(&excelize.Style{CustomNumFmt: &moneyFmt, Alignment: top})
	st.percent = add(&excelize.Style{CustomNumFmt: &percentFmt})
	st.datetime = add(&excelize.Style{CustomNumFmt: &datetimeFmt, Alignment: &excelize.Alignment{Horizontal: "left"}})
	st.date = add(&excelize.Style{CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top"}})
	st.wrap = add(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	st.top = add(&excelize.Style{Alignment: top})
	st.topNum = add(&excelize.Style{NumFmt: 1, Alignment: top}) // 0
	st.team = add(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFFCF0"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	sevStyle := func(color string, bold bool) int {
		return add(&excelize.Style{Font: &excelize.Font{Bold: bold, Color: color}, Alignment: top})
	}
	st.sev = map[finding.Severity]int{
		finding.Error:   sevStyle("B42318", true),
		finding.Warning: sevStyle("B54708", true),
		finding.Info:    sevStyle("175CD3", false),
	}
	st.status = map[Status]int{
		StatusHeld:   sevStyle("B42318", true),
		StatusReview: sevStyle("B54708", true),
		StatusVoid:   sevStyle("475467", false),
		StatusReady:  sevStyle("027A48", false),
	}
	return &st, err
}

// xlsxSheetSetup readies a sheet for streaming: widths, frozen A:B and
// header row, autofilter over rows+1 rows, landscape printing one page wide
// of the first printCols columns with the header row on every page. All of
// it is set before the stream writer starts, which writes it with the sheet.
func xlsxSheetSetup(f *excelize.File, sheet string, cols []xlsxColumn, rows, printCols int, st *xlsxStyles) (*excelize.StreamWriter, error) {
	last, err := excelize.ColumnNumberToName(len(cols))
	if err != nil {
		return nil, err
	}
	printLast, err := excelize.ColumnNumberToName(printCols)
	if err != nil {
		return nil, err
	}
	if err := f.AutoFilter(sheet, "A1:"+last+strconv.Itoa(rows+1), nil); err != nil {
		return nil, err
	}
	landscape, one, tall := "landscape", 1, 0
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &one, FitToHeight: &tall}); err != nil {
		return nil, err
	}
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return nil, err
	}
	quoted := "'" + sheet + "'"
	for _, dn := range []excelize.DefinedName{
		{Name: "_xlnm.Print_Area", RefersTo: quoted + "!$A:$" + printLast, Scope: sheet},
		{Name: "_xlnm.Print_Titles", RefersTo: quoted + "!$1:$1", Scope: sheet},
	} {
		if err := f.SetDefinedName(&dn); err != nil {
			return nil, err
		}
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return nil, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{
		Freeze: true, XSplit: 2, YSplit: 1, TopLeftCell: "C2", ActivePane: "bottomRight",
		Selection: []excelize.Selection{{SQRef: "C2", ActiveCell: "C2", Pane: "bottomRight"}},
	}); err != nil {
		return nil, err
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = excelize.Cell{StyleID: st.header, Value: c.header}
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{Height: 30}); err != nil {
		return nil, err
	}
	return sw, nil
}

// writeXLSXClaims streams the Claims sheet and returns how many claims it
// holds.
func writeXLSXClaims(f *excelize.File, r *Report, st *xlsxStyles) (int, error) {
	n := 0
	if r.Claims != nil {
		n = min(r.Claims.Len(), xlsxMaxRows)
	}
	sw, err := xlsxSheetSetup(f, XLSXClaimsSheet, xlsxClaimColumns, n, xlsxClaimPrintCols, st)
	if err != nil {
		return 0, err
	}
	row := make([]any, len(xlsxClaimColumns))
	i := 0
	err = r.EachClaim(func(c *ClaimRow) error {
		if i >= n {
			return errStopEach
		}
		i++
		xlsxClaimRow(row, r, c, st)
		return sw.SetRow("A"+strconv.Itoa(i+1), row, xlsxRowHeight(row, xlsxClaimColumns))
	})
	if err != nil && err != errStopEach {
		return 0, err
	}
	return i, sw.Flush()
}

func xlsxClaimRow(row []any, r *Report, c *ClaimRow, st *xlsxStyles) {
	worst := any(nil)
	if c.Worst != 0 {
		worst = excelize.Cell{StyleID: st.sev[c.Worst], Value: c.Worst.String()}
	}
	text := func(s string) any { return xlsxText(s, st.top) }
	copy(row, []any{
		text(c.ClaimID),
		excelize.Cell{StyleID: st.status[c.Status], Value: c.Status.String()},
		xlsxText(c.FirstProblem, st.wrap),
		xlsxText(c.FirstFix, st.wrap),
		excelize.Cell{StyleID: st.team}, excelize.Cell{StyleID: st.team}, excelize.Cell{StyleID: st.team},
		xlsxText(strings.Join(c.Rules, " "), st.wrap),
		worst,
		excelize.Cell{StyleID: st.int, Value: c.Errors},
		excelize.Cell{StyleID: st.int, Value: c.Warnings},
		excelize.Cell{StyleID: st.int, Value: c.Infos},
		xlsxDate(c.ServiceDate, st),
		xlsxMoney(c.TotalCharge, st),
		text(c.PayerName),
		text(c.PayerGroup),
		text(r.memberID(c.MemberID)),
		text(c.Frequency),
		excelize.Cell{StyleID: st.int, Value: c.TargetLines},
		text(c.BillingNPI),
		text(c.RenderingNPI),
		text(c.PayerID),
		text(c.File),
		text(c.STControl),
		text(r.Run.ID),
	})
}

// writeXLSXFindings streams the Findings sheet and returns how many
// findings it holds.
func writeXLSXFindings(f *excelize.File, r *Report, st *xlsxStyles) (int, error) {
	n := min(r.NumFindings(), xlsxMaxRows)
	sw, err := xlsxSheetSetup(f, XLSXFindingsSheet, xlsxFindingColumns, n, xlsxFindingPrintCols, st)
	if err != nil {
		return 0, err
	}
	row := make([]any, len(xlsxFindingColumns))
	err = r.eachFirst(n, func(i int, fd *finding.Finding) error {
		xlsxFindingRow(row, r, fd, st)
		return sw.SetRow("A"+strconv.Itoa(i+2), row, xlsxRowHeight(row, xlsxFindingColumns))
	})
	if err != nil {
		return 0, err
	}
	return n, sw.Flush()
}

// xlsxFindingRow fills row with the cells of one finding, in
// xlsxFindingColumns order. Empty cells are nil (not written).
func xlsxFindingRow(row []any, r *Report, f *finding.Finding, st *xlsxStyles) {
	sev := any(f.Severity.String())
	if id, ok := st.sev[f.Severity]; ok {
		sev = excelize.Cell{StyleID: id, Value: f.Severity.String()}
	}
	text := func(s string) any { return xlsxText(s, st.top) }
	claim := text(f.ClaimID)
	if f.ClaimID == "" {
		claim = excelize.Cell{StyleID: st.top, Value: "(file)"}
	}
	positive := func(n int64) any {
		if n == 0 {
			return nil
		}
		return excelize.Cell{StyleID: st.topNum, Value: n}
	}
	units := xlsxNumber(f.Units)
	if units != nil {
		units = excelize.Cell{StyleID: st.top, Value: units}
	}
	copy(row, []any{
		claim,
		sev,
		text(f.RuleID),
		xlsxText(f.Message, st.wrap),
		xlsxText(f.Suggestion, st.wrap),
		positive(int64(f.LineNumber)),
		text(f.Procedure),
		text(strings.Join(f.Modifiers, " ")),
		units,
		xlsxMoney(f.Charge, st),
		xlsxDate(f.ServiceDate, st),
		text(f.PlaceOfService),
		text(strings.Join(f.DxPointers, listSeparator)),
		text(strings.Join(f.PointedDiagnoses, " ")),
		text(f.PayerName),
		text(f.PayerID),
		text(f.PayerGroup),
		text(f.BillingNPI),
		text(f.RenderingNPI),
		text(f.RenderingTaxonomy),
		text(r.MemberID(f)),
		text(f.File),
		text(f.ISAControl),
		text(f.GSControl),
		text(f.STControl),
		positive(f.SegmentNumber),
		excelize.Cell{StyleID: st.topNum, Value: f.ByteOffset},
		text(f.Source),
		text(r.Run.ID),
	})
}

// xlsxLineHeight is the height of one line of the workbook's font, in
// points.
const xlsxLineHeight = 15

// xlsxRowHeight sizes a row to its wrapped text: spreadsheet programs
// keep the height a file gives (Excel and LibreOffice do not fit rows to
// wrapped text when they open a file), so a row of default height would
// show one line of a three-line message over the rows below it. The
// number of lines is estimated from the text's length and the column's
// width (in characters of the font's widest digit; text runs a little
// narrower, so the estimate errs on the side of room).
func xlsxRowHeight(row []any, cols []xlsxColumn) excelize.RowOpts {
	lines := 1
	for i, c := range cols {
		if !c.wrap {
			continue
		}
		var s string
		switch v := row[i].(type) {
		case string:
			s = v
		case excelize.Cell:
			s, _ = v.Value.(string)
		}
		if s == "" {
			continue
		}
		perLine := max(int(c.width)-1, 1)
		n := 0
		for _, part := range strings.Split(s, "\n") {
			n += max(1, (utf8.RuneCountInString(part)+perLine-1)/perLine)
		}
		lines = max(lines, n)
	}
	return excelize.RowOpts{Height: min(float64(lines*xlsxLineHeight), excelize.MaxRowHeight)}
}

// xlsxText is s cleaned for the workbook (see xlsxClean) with a style, nil
// when empty.
func xlsxText(s string, style int) any {
	if s == "" {
		return nil
	}
	return excelize.Cell{StyleID: style, Value: xlsxClean(s)}
}

// xlsxClean is cleanText without the control characters XML 1.0 cannot
// hold (a workbook with one does not open).
func xlsxClean(s string) string {
	s = cleanText(s)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return strings.Map(func(r rune) rune {
				if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
					return -1
				}
				return r
			}, s)
		}
	}
	return s
}

// xlsxNumber is s as a number when it is a plain decimal, nil when empty,
// else s as text (the value as billed).
func xlsxNumber(s string) any {
	if s == "" {
		return nil
	}
	if d, ok := jsonDecimal(s); ok {
		if v, err := strconv.ParseFloat(d, 64); err == nil {
			return v
		}
	}
	return xlsxClean(s)
}

// xlsxMoney is an amount as a currency cell, or the text billed when it is
// not an amount.
func xlsxMoney(s string, st *xlsxStyles) any {
	switch v := xlsxNumber(s).(type) {
	case float64:
		return excelize.Cell{StyleID: st.money, Value: v}
	case string:
		return excelize.Cell{StyleID: st.top, Value: v}
	}
	return nil
}

// xlsxDate is a CCYYMMDD date as a date cell; a range or anything else is
// kept as the text billed.
func xlsxDate(s string, st *xlsxStyles) any {
	if s == "" {
		return nil
	}
	if len(s) == 8 {
		if t, err := time.Parse("20060102", s); err == nil {
			return excelize.Cell{StyleID: st.date, Value: t}
		}
	}
	return excelize.Cell{StyleID: st.top, Value: xlsxClean(s)}
}

// xlsxSheet writes a sheet row by row with the plain (not streaming) API.
type xlsxSheet struct {
	f     *excelize.File
	name  string
	row   int
	err   error
	style *xlsxStyles
}

// put writes values from column A on the next row; a value that is an
// excelize.Cell gets its style.
func (s *xlsxSheet) put(values ...any) {
	s.row++
	for i, v := range values {
		if s.err != nil || v == nil {
			continue
		}
		cell, err := excelize.CoordinatesToCellName(i+1, s.row)
		if err != nil {
			s.err = err
			return
		}
		style := 0
		if c, ok := v.(excelize.Cell); ok {
			style, v = c.StyleID, c.Value
		}
		if str, ok := v.(string); ok {
			v = xlsxClean(str)
		}
		if s.err = s.f.SetCellValue(s.name, cell, v); s.err == nil && style != 0 {
			s.err = s.f.SetCellStyle(s.name, cell, cell, style)
		}
	}
}

func (s *xlsxSheet) blank() { s.row++ }

func (s *xlsxSheet) section(title string) {
	s.put(excelize.Cell{StyleID: s.style.section, Value: title})
}

func (s *xlsxSheet) header(names ...string) {
	cells := make([]any, len(names))
	for i, n := range names {
		style := s.style.header
		if i > 0 {
			style = s.style.headerNum
		}
		cells[i] = excelize.Cell{StyleID: style, Value: n}
	}
	s.put(cells...)
}

func (s *xlsxSheet) count(label string, n int) {
	s.put(label, excelize.Cell{StyleID: s.style.int, Value: n})
}

func (s *xlsxSheet) money(label string, cents int64) {
	s.put(label, excelize.Cell{StyleID: s.style.money, Value: float64(cents) / 100})
}

func writeXLSXSummary(f *excelize.File, r *Report, st *xlsxStyles, t Totals, claims, findings int) error {
	target := targetCode(r)
	sum := &r.Summary
	s := &xlsxSheet{f: f, name: XLSXSummarySheet, style: st}
	one, tall, fit := 1, 0, true
	if err := f.SetPageLayout(XLSXSummarySheet, &excelize.PageLayoutOptions{FitToWidth: &one, FitToHeight: &tall}); err != nil {
		return err
	}
	if err := f.SetSheetProps(XLSXSummarySheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	for col, w := range []float64{44, 24, 14, 14, 14} {
		name, _ := excelize.ColumnNumberToName(col + 1)
		if err := f.SetColWidth(XLSXSummarySheet, name, name, w); err != nil {
			return err
		}
	}

	s.put(excelize.Cell{StyleID: st.title, Value: "scrub837 worklist: " + target + " claims"})
	s.blank()
	s.section("Worklist (--hold-on " + t.HoldOn.String() + ")")
	s.count("Held "+target+" claims (fix before sending)", t.Held)
	s.count("In review (warnings only)", t.Review)
	s.count("Ready to send", t.Ready)
	s.count("Void", t.Void)
	s.money("Charges held", t.HeldCharge)
	if t.HeldUnpriced > 0 {
		s.count("Held claims whose total charge is not an amount", t.HeldUnpriced)
	}
	if claims < t.Total() {
		s.put(fmt.Sprintf("The Claims sheet holds the first %s of %s claims (the most a sheet holds); claims.csv has them all.",
			fmtThousands(int64(claims)), fmtThousands(int64(t.Total()))))
	}

	s.blank()
	s.section("Run")
	s.put("Run ID", r.Run.ID)
	s.put("Tool version", r.Run.ToolVersion)
	s.put("Rule pack", r.Run.Rules.Name)
	s.put("Rule pack version", r.Run.Rules.Version)
	s.put("Rule pack SHA-256", r.Run.Rules.SHA256)
	seedOnly := "no"
	if r.Run.Rules.SeedOnly {
		seedOnly = "yes"
	}
	s.put("Seed only (--seed-only)", seedOnly)
	for _, tm := range []struct {
		label string
		at    time.Time
	}{{"Started (UTC)", r.Run.StartedAt}, {"Finished (UTC)", r.Run.FinishedAt}} {
		if tm.at.IsZero() {
			s.put(tm.label)
			continue
		}
		s.put(tm.label, excelize.Cell{StyleID: st.datetime, Value: tm.at.UTC()})
	}

	s.blank()
	s.section("Totals")
	s.count("Files", sum.Files)
	s.count("Files failed", sum.FilesFailed)
	s.count("Interchanges", sum.Interchanges)
	s.count("Transactions", sum.Transactions)
	s.count("Transactions skipped", sum.TransactionsSkipped)
	s.count("Claims", sum.Claims)
	s.count("Service lines", sum.ServiceLines)
	s.count(target+" claims", sum.TargetClaims)
	s.count(target+" lines", sum.TargetLines)
	s.count("Clean "+target+" claims", sum.CleanTargetClaims)
	if sum.TargetClaims > 0 {
		s.put("Clean share of "+target+" claims", excelize.Cell{StyleID: st.percent,
			Value: float64(sum.CleanTargetClaims) / float64(sum.TargetClaims)})
	} else {
		s.put("Clean share of " + target + " claims")
	}
	s.count("Findings", r.NumFindings())
	if findings < r.NumFindings() {
		s.put(fmt.Sprintf("The Findings sheet holds the first %s of %s findings (the most a sheet holds); exceptions.csv has them all.",
			fmtThousands(int64(findings)), fmtThousands(int64(r.NumFindings()))))
	}
	if t.TextRepaired > 0 {
		s.count("Text values with invalid characters (repaired)", t.TextRepaired)
	}

	if len(t.HeldClaimsByRule) > 0 {
		s.blank()
		s.section("Held claims by rule (a claim held by two rules counts under both)")
		s.header("Rule", "Held claims", "Charges held")
		for _, kv := range xlsxSortedCounts(t.HeldClaimsByRule, nil) {
			s.put(kv.key, excelize.Cell{StyleID: st.int, Value: kv.n},
				excelize.Cell{StyleID: st.money, Value: float64(t.HeldChargeByRule[kv.key]) / 100})
		}
	}

	s.blank()
	s.section("Findings by severity")
	s.header("Severity", "Findings")
	for _, kv := range xlsxSortedCounts(sum.FindingsBySeverity, xlsxSeverityOrder) {
		s.count(kv.key, kv.n)
	}

	s.blank()
	s.section("Findings by rule")
	s.header("Rule", "Findings")
	for _, kv := range xlsxSortedCounts(sum.FindingsByRule, nil) {
		s.count(kv.key, kv.n)
	}

	s.blank()
	s.section(target + " claims by payer group")
	s.header("Payer group", target+" claims", "Held", "Review", "Ready")
	for _, kv := range xlsxSortedCounts(sum.TargetClaimsByPayerGroup, nil) {
		g := payerStatus(r, t, kv.key)
		s.put(kv.key,
			excelize.Cell{StyleID: st.int, Value: kv.n},
			excelize.Cell{StyleID: st.int, Value: g.Held},
			excelize.Cell{StyleID: st.int, Value: g.Review},
			excelize.Cell{StyleID: st.int, Value: g.Ready})
	}

	var problems []File
	for _, fl := range r.Files {
		if fl.Status != "ok" && fl.Status != "" {
			problems = append(problems, fl)
		}
	}
	if len(problems) > 0 {
		s.blank()
		s.section("Files that failed or were skipped")
		s.put(excelize.Cell{StyleID: st.header, Value: "File"}, excelize.Cell{StyleID: st.header, Value: "Status"},
			excelize.Cell{StyleID: st.header, Value: "Error"})
		for _, fl := range problems {
			s.put(fl.Path, fl.Status, fl.Error)
		}
	}
	return s.err
}

// payerStatus is payer group g's claims by status: from the worklist when
// the report has claims, else from the summary's held and clean counts
// (review then counts the rest).
func payerStatus(r *Report, t Totals, g string) StatusCounts {
	if r.Claims != nil {
		group := g
		if group == otherPayerGroupName {
			// Claims with no group are counted under Other in the summary.
			c := t.ByPayerGroup[group]
			e := t.ByPayerGroup[""]
			return StatusCounts{Held: c.Held + e.Held, Review: c.Review + e.Review, Void: c.Void + e.Void, Ready: c.Ready + e.Ready}
		}
		return t.ByPayerGroup[group]
	}
	held, clean := r.Summary.HeldTargetClaimsByPayerGroup[g], r.Summary.CleanTargetClaimsByPayerGroup[g]
	return StatusCounts{Held: held, Ready: clean, Review: max(0, r.Summary.TargetClaimsByPayerGroup[g]-held-clean)}
}

// otherPayerGroupName is the summary's group of claims whose payer no pack
// pattern names.
const otherPayerGroupName = "Other"

// xlsxSeverityOrder puts error, warning, info first, then anything else by name.
var xlsxSeverityOrder = map[string]int{"error": 1, "warning": 2, "info": 3}

type xlsxCount struct {
	key string
	n   int
}

// xlsxSortedCounts orders m by rank (when given, keys with a rank first), then by
// count, largest first, then by key.
func xlsxSortedCounts(m map[string]int, rank map[string]int) []xlsxCount {
	out := make([]xlsxCount, 0, len(m))
	for k, n := range m {
		out = append(out, xlsxCount{k, n})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if rank != nil {
			ra, rb := rank[a.key], rank[b.key]
			if ra == 0 {
				ra = len(rank) + 1
			}
			if rb == 0 {
				rb = len(rank) + 1
			}
			if ra != rb {
				return ra < rb
			}
			if ra <= len(rank) {
				return false
			}
		}
		if a.n != b.n {
			return a.n > b.n
		}
		return a.key < b.key
	})
	return out
}
