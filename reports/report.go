// Package reports writes a scrub run's findings as exception reports
// (exceptions.csv, exceptions.json, and later formats). It only formats:
// what goes in a report is decided by package scrubber and the command.
package reports

import (
	"errors"
	"time"

	"github.com/scrub837/scrub837/scrubber/finding"
)

// Report is everything one run writes. Findings must already be in report
// order (input order of files, then byte offset, then rule ID).
type Report struct {
	Run      Run
	Summary  Summary
	Files    []File
	Findings []finding.Finding
	// Source, when set, gives the findings instead of Findings: a large run
	// keeps them on disk, not in memory. Writers read findings through
	// NumFindings and EachFinding, which look at Source first.
	Source FindingSource
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
	Name      string
	Version   string
	Procedure string // the procedure code the pack checks, e.g. 0620T
	SHA256    string
	SeedOnly  bool
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
func (r *Report) MemberID(f *finding.Finding) string {
	if r.ShowIDs {
		return f.MemberID
	}
	return MaskMemberID(f.MemberID)
}

// FindingSource gives a run's findings in report order without holding them
// all in memory.
type FindingSource interface {
	Len() int
	// Each calls fn for every finding in report order and stops at the
	// first error fn returns. It may be called more than once. The
	// *Finding is valid only during the call.
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

// inMemory returns r with its findings in memory (a shallow copy when they
// come from a Source), for writers that need them all at once (html).
func (r *Report) inMemory() (*Report, error) {
	if r.Source == nil {
		return r, nil
	}
	c := *r
	c.Source = nil
	c.Findings = make([]finding.Finding, 0, r.Source.Len())
	err := r.Source.Each(func(f *finding.Finding) error {
		c.Findings = append(c.Findings, *f)
		return nil
	})
	return &c, err
}
