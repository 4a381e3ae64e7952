package reports

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/scrub837/scrub837/scrubber/finding"
)

func init() {
	Register(Format{Name: "csv", Files: []FormatFile{
		{Name: "exceptions.csv", Write: WriteCSV, Streams: true},
		{Name: "claims.csv", Write: WriteClaimsCSV, Streams: true},
	}})
}

// CSVHeader is the header row of exceptions.csv, in REPORTS.md order. The
// JSON findings use the same names, in the same order, but run_id (and a
// target claim's findings leave its own columns to claims[]: see
// WriteJSON).
var CSVHeader = []string{
	"run_id", "file", "isa_control", "gs_control", "st_control", "claim_id",
	"line_number", "segment_number", "byte_offset",
	"rule_id", "severity", "source", "message", "suggestion",
	"procedure", "modifiers", "units", "charge", "service_date",
	"place_of_service", "dx_pointers", "pointed_diagnoses",
	"payer_name", "payer_id", "payer_group",
	"billing_npi", "rendering_npi", "rendering_taxonomy", "member_id",
}

// ClaimsCSVHeader is the header row of claims.csv, in REPORTS.md order. The
// JSON claims use the same names, in the same order, but run_id.
var ClaimsCSVHeader = []string{
	"run_id", "file", "st_control", "claim_id", "status", "worst_severity",
	"errors", "warnings", "infos", "rules", "first_fix", "frequency",
	"service_date", "target_lines", "total_charge",
	"payer_name", "payer_id", "payer_group", "billing_npi", "rendering_npi", "member_id",
}

// listSeparator joins lists inside one cell (modifiers, pointers, diagnoses).
const listSeparator = "|"

// WriteCSV writes r as exceptions.csv: RFC 4180 quoting through
// encoding/csv, a header row, one finding a row.
//
// Records end in "\n" (encoding/csv's default, UseCRLF false), not the CRLF
// RFC 4180 names: Excel, LibreOffice and every CSV reader we know accept
// both, and "\n" keeps the file diff-friendly and golden files portable.
//
// Formula injection: Excel runs a cell that starts with = + - @ (or a tab or
// carriage return, per OWASP) as a formula, and a submitter controls most
// text in an 837. Cells whose text comes from the input files (envelope
// controls, claim ID, codes, payer, NPIs, member ID, file name) get a leading
// single quote when they start with one of those characters, so Excel shows
// them as text. Columns the tool writes itself (run ID, rule ID, severity,
// source, message, suggestion, the integer positions, payer group from the
// rule pack) are left alone. Units and charge come from the input but are
// numeric: a value that is a plain X12 decimal (such as -5.00) is written
// as is so that it stays a number in Excel; anything else in those columns
// is treated as input text and guarded like it. The file "-" (standard
// input) is left alone: a lone minus is not a formula.
//
// Every cell is valid UTF-8 without NUL bytes (see cleanText).
func WriteCSV(w io.Writer, r *Report) error {
	return writeCSVRows(w, CSVHeader, func(put func([]string) error) error {
		return r.EachFinding(func(f *finding.Finding) error { return put(csvFindingRow(r, f)) })
	})
}

// writeCSVRows writes header, then each row put is given, cleaned (see
// cleanText), through encoding/csv.
func writeCSVRows(w io.Writer, header []string, each func(put func(row []string) error) error) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	err := each(func(row []string) error {
		cleanAll(row)
		return cw.Write(row)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// csvFindingRow is the exceptions.csv row of f.
func csvFindingRow(r *Report, f *finding.Finding) []string {
	file := f.File
	if file != "-" {
		file = guardCell(file)
	}
	return []string{
		r.Run.ID,
		file,
		guardCell(f.ISAControl),
		guardCell(f.GSControl),
		guardCell(f.STControl),
		guardCell(f.ClaimID),
		positiveInt(int64(f.LineNumber)),
		positiveInt(f.SegmentNumber),
		strconv.FormatInt(f.ByteOffset, 10),
		f.RuleID,
		f.Severity.String(),
		f.Source,
		f.Message,
		f.Suggestion,
		guardCell(f.Procedure),
		guardCell(strings.Join(f.Modifiers, listSeparator)),
		numericCell(f.Units),
		numericCell(f.Charge),
		guardCell(f.ServiceDate),
		guardCell(f.PlaceOfService),
		guardCell(strings.Join(f.DxPointers, listSeparator)),
		guardCell(strings.Join(f.PointedDiagnoses, listSeparator)),
		guardCell(f.PayerName),
		guardCell(f.PayerID),
		f.PayerGroup,
		guardCell(f.BillingNPI),
		guardCell(f.RenderingNPI),
		guardCell(f.RenderingTaxonomy),
		guardCell(r.MemberID(f)),
	}
}

// WriteClaimsCSV writes r's worklist as claims.csv: a header row, then one
// target claim a row in input order (see EachClaim), quoted and guarded
// against formulas as exceptions.csv is. Counts are plain integers, rules
// are joined with "|" worst first, the total charge is written as billed
// (a number when it is one).
func WriteClaimsCSV(w io.Writer, r *Report) error {
	return writeCSVRows(w, ClaimsCSVHeader, func(put func([]string) error) error {
		return r.EachClaim(func(c *ClaimRow) error { return put(csvClaimRow(r, c)) })
	})
}

// csvClaimRow is the claims.csv row of c.
func csvClaimRow(r *Report, c *ClaimRow) []string {
	file := c.File
	if file != "-" {
		file = guardCell(file)
	}
	worst := ""
	if c.Worst != 0 {
		worst = c.Worst.String()
	}
	return []string{
		r.Run.ID,
		file,
		guardCell(c.STControl),
		guardCell(c.ClaimID),
		c.Status.String(),
		worst,
		strconv.Itoa(c.Errors),
		strconv.Itoa(c.Warnings),
		strconv.Itoa(c.Infos),
		strings.Join(c.Rules, listSeparator),
		c.FirstFix,
		guardCell(c.Frequency),
		guardCell(c.ServiceDate),
		strconv.Itoa(c.TargetLines),
		numericCell(c.TotalCharge),
		guardCell(c.PayerName),
		guardCell(c.PayerID),
		c.PayerGroup,
		guardCell(c.BillingNPI),
		guardCell(c.RenderingNPI),
		guardCell(r.memberID(c.MemberID)),
	}
}

// guardCell prefixes s with a single quote when a spreadsheet would take it
// for a formula.
func guardCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// numericCell is an input value that should be a number: written as is when
// it is a plain decimal, guarded as text otherwise.
func numericCell(s string) string {
	if _, ok := jsonDecimal(s); ok {
		return s
	}
	return guardCell(s)
}

// positiveInt writes n, or an empty cell when n is 0 (line and segment
// numbers are 1-based, so 0 means "none").
func positiveInt(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

// jsonDecimal checks that s is an X12 decimal (type R: an optional minus,
// digits with an optional decimal point, an optional exponent) and returns it
// as a valid JSON number with the same value: a missing integer part becomes
// 0 (".5" -> "0.5"), leading zeros are dropped ("007" -> "7") and so is a
// trailing point ("5." -> "5"). Trailing zeros are kept ("5.00").
func jsonDecimal(s string) (string, bool) {
	i := 0
	neg := false
	if i < len(s) && s[i] == '-' {
		neg = true
		i++
	}
	intStart := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intPart := s[intStart:i]
	frac := ""
	hasPoint := false
	if i < len(s) && s[i] == '.' {
		hasPoint = true
		i++
		fracStart := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		frac = s[fracStart:i]
	}
	if intPart == "" && frac == "" {
		return "", false
	}
	exp := ""
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		expStart := i
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		digits := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == digits {
			return "", false
		}
		exp = s[expStart:i]
	}
	if i != len(s) {
		return "", false
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	if neg {
		b.WriteByte('-')
	}
	b.WriteString(intPart)
	if hasPoint && frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	b.WriteString(exp)
	return b.String(), true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
