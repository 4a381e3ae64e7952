// Package reports writes a scrub run's findings as exception reports
// (exceptions.csv, exceptions.json, and later formats). It only formats:
// what goes in a report is decided by package scrubber and the command.
package reports

import (
	"time"

	"github.com/scrub837/scrub837/scrubber"
)

// Report is everything one run writes. Findings must already be in report
// order (input order of files, then byte offset, then rule ID).
type Report struct {
	Run      Run
	Summary  Summary
	Files    []File
	Findings []scrubber.Finding
	// ShowIDs writes member IDs whole; otherwise they are masked to their last
	// four characters (HIPAA minimum necessary).
	ShowIDs bool
}

// Run identifies the run and the rule pack it applied.
type Run struct {
	ID          string
	ToolVersion string
	Rules       RulesInfo
	StartedAt   time.Time
	FinishedAt  time.Time
}

// RulesInfo names the effective rule pack.
type RulesInfo struct {
	Name     string
	Version  string
	SHA256   string
	SeedOnly bool
}

// Summary holds the run's totals (REPORTS.md, "summary").
type Summary struct {
	Files                    int
	FilesFailed              int
	Interchanges             int
	Transactions             int
	TransactionsSkipped      int
	Claims                   int
	ServiceLines             int
	TargetClaims             int
	TargetLines              int
	CleanTargetClaims        int
	FindingsBySeverity       map[string]int // "error", "warning", "info"
	FindingsByRule           map[string]int
	TargetClaimsByPayerGroup map[string]int
	// HeldTargetClaimsByPayerGroup counts target claims with at least one
	// error-level finding, by payer group (for charts; not in the JSON schema).
	HeldTargetClaimsByPayerGroup map[string]int
	// CleanTargetClaimsByPayerGroup counts clean target claims (worst finding
	// below warning), by payer group (for charts; not in the JSON schema).
	// Optional: when nil, charts show held against not held.
	CleanTargetClaimsByPayerGroup map[string]int
}

// File is one input and what became of it.
type File struct {
	Path         string
	Bytes        int64
	SHA256       string
	Status       string // "ok", "failed" or "skipped"
	Error        string
	Transactions int
	Claims       int
}

// MaskMemberID keeps the last four characters of id and replaces the rest
// with '*', so an analyst can still tell claims apart.
func MaskMemberID(id string) string {
	if len(id) <= 4 {
		return id
	}
	masked := make([]byte, len(id))
	for i := range masked {
		masked[i] = '*'
	}
	copy(masked[len(id)-4:], id[len(id)-4:])
	return string(masked)
}

// MemberID is the member ID of f as this report shows it.
func (r *Report) MemberID(f *scrubber.Finding) string {
	if r.ShowIDs {
		return f.MemberID
	}
	return MaskMemberID(f.MemberID)
}
