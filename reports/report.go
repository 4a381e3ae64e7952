// Package reports writes a scrub run's reports: the exception reports (one
// finding a row: exceptions.csv, exceptions.json, report.html,
// exceptions.xlsx) and the analysts' worklist (one target claim a row:
// claims.csv, claims[] in exceptions.json, the workbook's Claims sheet and
// report.html's claims view), and puts them in the output folder as one
// set (see Stage). It only formats and places: what is found is decided by
// package scrubber and the command.
package reports

import (
	"errors"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/scrub837/scrub837/scrubber/finding"
)

// Report is everything one run writes. Findings must already be in report
// order (input order of files, then byte offset, then rule ID), and claims
// in input order (file, then CLM byte offset).
type Report struct {
	Run      Run
	Summary  Summary
	Files    []File
	Findings []finding.Finding
	// Source, when set, gives the findings instead of Findings: a large run
	// keeps them on disk, not in memory. Writers read findings through
	// NumFindings and EachFinding, which look at Source first.
	Source FindingSource
	// Claims gives one summary per target claim, in input order; the
	// worklist (claims.csv, claims[], the Claims sheet, the claims view)
	// merges them with the findings (see EachClaim). Nil: no worklist rows.
	Claims ClaimSource
	// HoldOn is the --hold-on level: a target claim with a finding at or
	// above it is held (see ClaimStatusOf). Error when zero.
	HoldOn finding.Severity
	// ShowIDs writes member IDs whole; otherwise they are masked (see
	// MaskMemberID: HIPAA minimum necessary).
	ShowIDs bool
	// TempDir is where writers that need scratch files put them (the XLSX
	// library's row buffers and its zip, which hold claim data in plain
	// text; removed before the writer returns): the run's private temporary
	// folder, which a killed run leaves for the next run to remove. Empty:
	// the system's temporary folder.
	TempDir string
	// Trend is the claim history's last runs before this one, oldest first
	// (--history): report.html draws them and this run as a chart. Nil
	// without a history; empty for a history's first run.
	Trend []TrendRun

	totalsOnce sync.Once
	totals     Totals
	totalsErr  error
}

// Run identifies the run and the rule pack it applied.
type Run struct {
	ID          string
	ToolVersion string
	Rules       RulesInfo
	StartedAt   time.Time
	FinishedAt  time.Time
	// Data are the public data files the run applied (--data), so that a
	// finding can be traced to its quarter; none without --data.
	Data []DataFile
}

// DataFile is one public data file a run read (scrubber/codedata).
type DataFile struct {
	Kind      string // ncci-ptp, ncci-mue, icd10cm, nucc-taxonomy
	Path      string // relative to the data folder
	Member    string // the member inside the ZIP at Path, or ""
	Version   string // v321r0 (PTP), Eff 20260401 (MUE), FY2026 (ICD-10-CM), 26.0 (NUCC)
	Part      int    // PTP part (1-4); 0 for the other kinds
	Effective string // CCYYMMDD, or ""
	Through   string // CCYYMMDD, or ""
	Rows      int    // data rows read
	RowsKept  int    // rows kept for the checks
	SHA256    string // of the file's (or member's) bytes
	Note      string // e.g. "same content as …: not read twice"
}

// RulesInfo names the effective rule pack.
type RulesInfo struct {
	Name      string
	Version   string
	Procedure string // the procedure code the pack checks, e.g. 0620T
	SHA256    string
	SeedOnly  bool
}

// Summary holds the run's totals (REPORTS.md, "summary"). The worklist's
// totals (claims held, in review, ready, void, dollars held) are computed
// from the claims and findings: see Report.Totals.
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
	// error-level finding, by payer group (for charts when the report has
	// no Claims; not in the JSON schema).
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

// memberMask is what stands for the hidden part of a masked member ID.
const memberMask = "****"

// MaskMemberID hides a member ID but its last four characters (runes, not
// bytes: a multi-byte character is never split) behind a mask of fixed
// length, so the ID's length is not shown either: "W123456789" becomes
// "****6789". An ID of four characters or fewer would be shown whole by
// that rule, so it is hidden whole: "****". An empty ID stays empty.
func MaskMemberID(id string) string {
	if id == "" {
		return ""
	}
	n := utf8.RuneCountInString(id)
	if n <= 4 {
		return memberMask
	}
	i := len(id)
	for k := 0; k < 4; k++ {
		_, size := utf8.DecodeLastRuneInString(id[:i])
		i -= size
	}
	return memberMask + id[i:]
}

// memberID is id as this report shows it.
func (r *Report) memberID(id string) string {
	if r.ShowIDs {
		return id
	}
	return MaskMemberID(id)
}

// MemberID is the member ID of f as this report shows it.
func (r *Report) MemberID(f *finding.Finding) string { return r.memberID(f.MemberID) }

// holdOn is the report's --hold-on level.
func (r *Report) holdOn() finding.Severity {
	if r.HoldOn == 0 {
		return finding.Error
	}
	return r.HoldOn
}

// FindingSource gives a run's findings in report order without holding them
// all in memory.
type FindingSource interface {
	Len() int
	// Each calls fn for every finding in report order and stops at the
	// first error fn returns. It may be called more than once, also from
	// several goroutines at once. The *Finding is valid only during the
	// call.
	Each(fn func(*finding.Finding) error) error
}

// errStopEach ends an EachFinding early without an error.
var errStopEach = errors.New("reports: stop")

// NumFindings is the number of findings in the report.
func (r *Report) NumFindings() int {
	if r.Source != nil {
		return r.Source.Len()
	}
	return len(r.Findings)
}

// EachFinding calls fn for each finding in report order (see FindingSource).
func (r *Report) EachFinding(fn func(f *finding.Finding) error) error {
	var err error
	if r.Source != nil {
		err = r.Source.Each(fn)
	} else {
		for i := range r.Findings {
			if err = fn(&r.Findings[i]); err != nil {
				break
			}
		}
	}
	if errors.Is(err, errStopEach) {
		return nil
	}
	return err
}

// eachFirst calls fn for the first n findings at most.
func (r *Report) eachFirst(n int, fn func(i int, f *finding.Finding) error) error {
	i := 0
	return r.EachFinding(func(f *finding.Finding) error {
		if i >= n {
			return errStopEach
		}
		err := fn(i, f)
		i++
		return err
	})
}
