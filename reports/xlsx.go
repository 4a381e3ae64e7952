package reports

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/scrub837/scrub837/scrubber/finding"
)

func init() {
	Register(Format{Name: "xlsx", FileName: "exceptions.xlsx", Write: WriteXLSX})
}

// Sheet names of exceptions.xlsx.
const (
	XLSXSummarySheet  = "Summary"
	XLSXFindingsSheet = "Findings"
)

// xlsxMaxFindings is how many findings fit on the Findings sheet under its
// header row. A run with more keeps the first ones there and says so on the
// Summary sheet; exceptions.csv has them all.
var xlsxMaxFindings = excelize.TotalRows - 1

// Column widths of the Findings sheet, in characters: fitted to the header
// and the first xlsxWidthRows rows, within these bounds.
const (
	xlsxWidthRows = 10000
	xlsxMinWidth  = 8
	xlsxMaxWidth  = 48
	xlsxTextWidth = 72 // message and suggestion
)

// WriteXLSX writes r as exceptions.xlsx: a Summary sheet (the run, the
// totals, counts by severity, rule and payer group, the files that failed)
// and a Findings sheet with the exceptions.csv columns under the same header
// names, one finding a row, streamed with excelize's StreamWriter. The
// Findings header is frozen and carries an autofilter; line_number,
// segment_number, byte_offset, units and charge are numbers (units and charge
// when they are plain decimals; anything else is kept as the text billed).
// Cells hold values, never formulas, so text from an 837 cannot become a
// formula, and it is written as it came (no quote prefix, unlike the CSV).
func WriteXLSX(w io.Writer, r *Report) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	st, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	if err = f.SetSheetName("Sheet1", XLSXSummarySheet); err != nil {
		return err
	}
	if _, err = f.NewSheet(XLSXFindingsSheet); err != nil {
		return err
	}
	written, err := writeXLSXFindings(f, r, st)
	if err != nil {
		return err
	}
	if err = writeXLSXSummary(f, r, st, written); err != nil {
		return err
	}
	// Summary, the first sheet, is the active one already. (SetActiveSheet
	// would parse the streamed Findings sheet back into memory.)
	props := &excelize.DocProperties{
		Creator:        "scrub837",
		LastModifiedBy: "scrub837",
		Title:          "scrub837 exceptions, run " + r.Run.ID,
		Description:    "Findings of scrub837 run " + r.Run.ID + " with rule pack " + strings.TrimSpace(r.Run.Rules.Name+" "+r.Run.Rules.Version),
		Version:        r.Run.ToolVersion,
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
	return f.Write(w)
}

type xlsxStyles struct {
	title, section, header, headerNum int
	int, money, percent, datetime     int
	sev                               map[finding.Severity]int
	wrap                              int
}

func newXLSXStyles(f *excelize.File) (*xlsxStyles, error) {
	var st xlsxStyles
	var err error
	add := func(s *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(s)
		return id
	}
	headerFill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E4E7EC"}}
	headerBorder := []excelize.Border{{Type: "bottom", Color: "98A2B3", Style: 1}}
	moneyFmt := "#,##0.00"
	percentFmt := "0.0%"
	dateFmt := "yyyy-mm-dd hh:mm:ss"
	st.title = add(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14, Color: "101828"}})
	st.section = add(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12, Color: "101828"}})
	st.header = add(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "101828"}, Fill: headerFill, Border: headerBorder})
	st.headerNum = add(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "101828"}, Fill: headerFill, Border: headerBorder,
		Alignment: &excelize.Alignment{Horizontal: "right"}})
	st.int = add(&excelize.Style{NumFmt: 3}) // #,##0
	st.money = add(&excelize.Style{CustomNumFmt: &moneyFmt})
	st.percent = add(&excelize.Style{CustomNumFmt: &percentFmt})
	st.datetime = add(&excelize.Style{CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Horizontal: "left"}})
	st.wrap = add(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	st.sev = map[finding.Severity]int{
		finding.Error:   add(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "B42318"}}),
		finding.Warning: add(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "B54708"}}),
		finding.Info:    add(&excelize.Style{Font: &excelize.Font{Color: "175CD3"}}),
	}
	return &st, err
}

// xlsxNumericColumns are the CSV columns stored as numbers.
var xlsxNumericColumns = map[string]bool{
	"line_number": true, "segment_number": true, "byte_offset": true, "units": true, "charge": true,
}

// writeXLSXFindings streams the Findings sheet and returns how many findings
// it holds.
func writeXLSXFindings(f *excelize.File, r *Report, st *xlsxStyles) (int, error) {
	n := min(r.NumFindings(), xlsxMaxFindings)
	lastCol, err := excelize.ColumnNumberToName(len(CSVHeader))
	if err != nil {
		return 0, err
	}
	// The autofilter goes on the sheet before it is streamed: the stream
	// writer then writes it with the sheet.
	if err := f.AutoFilter(XLSXFindingsSheet, "A1:"+lastCol+strconv.Itoa(n+1), nil); err != nil {
		return 0, err
	}
	sw, err := f.NewStreamWriter(XLSXFindingsSheet)
	if err != nil {
		return 0, err
	}
	for i, w := range xlsxColumnWidths(r, n) {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return 0, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return 0, err
	}
	header := make([]any, len(CSVHeader))
	for i, h := range CSVHeader {
		style := st.header
		if xlsxNumericColumns[h] {
			style = st.headerNum
		}
		header[i] = excelize.Cell{StyleID: style, Value: h}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return 0, err
	}
	row := make([]any, len(CSVHeader))
	err = r.eachFirst(n, func(i int, f *finding.Finding) error {
		xlsxFindingRow(row, r, f, st)
		return sw.SetRow("A"+strconv.Itoa(i+2), row)
	})
	if err != nil {
		return 0, err
	}
	return n, sw.Flush()
}

// xlsxFindingRow fills row with the cells of one finding, in CSVHeader
// order. Empty cells are nil (not written).
func xlsxFindingRow(row []any, r *Report, f *finding.Finding, st *xlsxStyles) {
	text := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	positive := func(n int64) any {
		if n == 0 {
			return nil
		}
		return n
	}
	sev := any(f.Severity.String())
	if id, ok := st.sev[f.Severity]; ok {
		sev = excelize.Cell{StyleID: id, Value: f.Severity.String()}
	}
	charge := xlsxNumber(f.Charge)
	if v, ok := charge.(float64); ok {
		charge = excelize.Cell{StyleID: st.money, Value: v}
	}
	copy(row, []any{
		text(r.Run.ID),
		text(f.File),
		text(f.ISAControl),
		text(f.GSControl),
		text(f.STControl),
		text(f.ClaimID),
		positive(int64(f.LineNumber)),
		positive(f.SegmentNumber),
		f.ByteOffset,
		text(f.RuleID),
		sev,
		text(f.Source),
		text(f.Message),
		text(f.Suggestion),
		text(f.Procedure),
		text(strings.Join(f.Modifiers, listSeparator)),
		xlsxNumber(f.Units),
		charge,
		text(f.ServiceDate),
		text(f.PlaceOfService),
		text(strings.Join(f.DxPointers, listSeparator)),
		text(strings.Join(f.PointedDiagnoses, listSeparator)),
		text(f.PayerName),
		text(f.PayerID),
		text(f.PayerGroup),
		text(f.BillingNPI),
		text(f.RenderingNPI),
		text(f.RenderingTaxonomy),
		text(r.MemberID(f)),
	})
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
	return s
}

// xlsxColumnWidths fits each Findings column to its header and the first
// rows' values.
func xlsxColumnWidths(r *Report, n int) []float64 {
	widths := make([]int, len(CSVHeader))
	for i, h := range CSVHeader {
		widths[i] = len(h) + 3 // room for the autofilter button
	}
	row := make([]any, len(CSVHeader))
	st := &xlsxStyles{}
	r.eachFirst(min(n, xlsxWidthRows), func(_ int, f *finding.Finding) error {
		xlsxFindingRow(row, r, f, st)
		for j, v := range row {
			widths[j] = max(widths[j], xlsxCellWidth(v))
		}
		return nil
	})
	out := make([]float64, len(widths))
	for i, w := range widths {
		hi := xlsxMaxWidth
		if h := CSVHeader[i]; h == "message" || h == "suggestion" {
			hi = xlsxTextWidth
		}
		out[i] = float64(min(max(w+1, xlsxMinWidth), hi))
	}
	return out
}

func xlsxCellWidth(v any) int {
	switch v := v.(type) {
	case nil:
		return 0
	case excelize.Cell:
		if f, ok := v.Value.(float64); ok {
			return len(strconv.FormatFloat(f, 'f', 2, 64)) + 1
		}
		return xlsxCellWidth(v.Value)
	case string:
		return utf8.RuneCountInString(v)
	case float64:
		return len(strconv.FormatFloat(v, 'f', -1, 64))
	case int64:
		return len(strconv.FormatInt(v, 10))
	}
	return len(fmt.Sprint(v))
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

func writeXLSXSummary(f *excelize.File, r *Report, st *xlsxStyles, written int) error {
	target := targetCode(r)
	sum := &r.Summary
	s := &xlsxSheet{f: f, name: XLSXSummarySheet, style: st}
	for col, w := range []float64{38, 24, 14, 14} {
		name, _ := excelize.ColumnNumberToName(col + 1)
		if err := f.SetColWidth(XLSXSummarySheet, name, name, w); err != nil {
			return err
		}
	}

	s.put(excelize.Cell{StyleID: st.title, Value: "scrub837 exceptions: " + target + " claims"})
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
	for _, t := range []struct {
		label string
		at    time.Time
	}{{"Started (UTC)", r.Run.StartedAt}, {"Finished (UTC)", r.Run.FinishedAt}} {
		if t.at.IsZero() {
			s.put(t.label)
			continue
		}
		s.put(t.label, excelize.Cell{StyleID: st.datetime, Value: t.at.UTC()})
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
	s.count("Held "+target+" claims (with an error)", sumByGroup(sum.HeldTargetClaimsByPayerGroup))
	s.count("Findings", r.NumFindings())
	if written < r.NumFindings() {
		s.put(fmt.Sprintf("The Findings sheet holds the first %s of %s findings (the most a sheet holds); exceptions.csv has them all.",
			fmtThousands(int64(written)), fmtThousands(int64(r.NumFindings()))))
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
	withClean := sum.CleanTargetClaimsByPayerGroup != nil
	if withClean {
		s.header("Payer group", target+" claims", "Held", "Clean")
	} else {
		s.header("Payer group", target+" claims", "Held")
	}
	for _, kv := range xlsxSortedCounts(sum.TargetClaimsByPayerGroup, nil) {
		cells := []any{kv.key,
			excelize.Cell{StyleID: st.int, Value: kv.n},
			excelize.Cell{StyleID: st.int, Value: sum.HeldTargetClaimsByPayerGroup[kv.key]}}
		if withClean {
			cells = append(cells, excelize.Cell{StyleID: st.int, Value: sum.CleanTargetClaimsByPayerGroup[kv.key]})
		}
		s.put(cells...)
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
