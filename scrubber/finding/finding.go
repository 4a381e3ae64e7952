// Package finding is what a scrub run reports: one Finding per exception,
// its Severity, the report order, and a compact encoding for findings that
// are kept on disk. Report writers need nothing else from the rule engine.
package finding

import (
	"fmt"
	"sort"
	"strings"
)

// Severity orders findings: Info < Warning < Error.
type Severity int8

// Severities.
const (
	Info Severity = iota + 1
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "unknown"
}

// ParseSeverity reads "error", "warning" or "info" (any case).
func ParseSeverity(text string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(text)) {
	case "error":
		return Error, nil
	case "warning":
		return Warning, nil
	case "info":
		return Info, nil
	}
	return 0, fmt.Errorf("severity %q is not one of error, warning, info", text)
}

// Finding is one exception: a rule that fired, where, and what to do about
// it. Its fields are the report columns of cmd/scrub837/REPORTS.md, in
// order. Claim fields are empty for file- and envelope-level findings;
// LineNumber is 0 for findings that are not about one service line.
type Finding struct {
	// FileIndex is the input's place on the command line (after folders are
	// expanded); reports sort by it. Not a report column.
	FileIndex int
	// ClaimOffset is the byte offset of the claim's CLM segment: with
	// FileIndex it identifies the claim (claim IDs can repeat). 0 for
	// findings not about a claim. Not a report column.
	ClaimOffset int64

	File       string // the input as named on the command line (or "-" for stdin)
	ISAControl string // ISA13
	GSControl  string // GS06
	STControl  string // ST02
	ClaimID    string // CLM01
	LineNumber int    // LX01 of the line the finding is about; 0 if none

	SegmentNumber int64 // 1-based number in the file of the segment that proves it
	ByteOffset    int64 // offset in the (decompressed) file of that segment's first byte

	RuleID     string
	Severity   Severity
	Source     string // the pack entry's source ("seed", "codeset"), or the data file's publisher ("cms", "nucc"); "" for built-in rules
	Message    string
	Suggestion string

	Procedure         string   // SV101-2 of the line
	Modifiers         []string // SV101-3..6 as billed
	Units             string   // SV104 as billed (numeric text) or ""
	Charge            string   // SV102 as billed (numeric text) or ""
	ServiceDate       string   // DTP*472 value: CCYYMMDD or CCYYMMDD-CCYYMMDD
	PlaceOfService    string   // SV105, else CLM05-1
	DxPointers        []string // SV107 pointers as billed
	PointedDiagnoses  []string // the diagnosis codes those pointers name
	PayerName         string
	PayerID           string
	PayerGroup        string
	BillingNPI        string
	RenderingNPI      string
	RenderingTaxonomy string
	MemberID          string // whole; report writers mask it unless told to show IDs
}

// Less is report order: file, byte offset, rule ID, line, message.
func Less(a, b *Finding) bool {
	if a.FileIndex != b.FileIndex {
		return a.FileIndex < b.FileIndex
	}
	if a.ByteOffset != b.ByteOffset {
		return a.ByteOffset < b.ByteOffset
	}
	if a.RuleID != b.RuleID {
		return a.RuleID < b.RuleID
	}
	if a.LineNumber != b.LineNumber {
		return a.LineNumber < b.LineNumber
	}
	return a.Message < b.Message
}

// Sort puts findings in report order (Less), keeping the order of findings
// that compare equal, so equal inputs always sort the same.
func Sort(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool { return Less(&fs[i], &fs[j]) })
}
