package main

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/scrub837/scrub837/reports"
	"github.com/scrub837/scrub837/scrubber"
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/pack"
)

// reportMeta is what the report needs besides the scrub results.
type reportMeta struct {
	runID    string
	pack     *pack.Pack
	started  time.Time
	finished time.Time
	showIDs  bool
	spool    *findingSpool // where the findings of the results went, if anywhere
}

// otherPayerGroup is the group of a claim whose payer no pack pattern names.
const otherPayerGroup = "Other"

// buildReport assembles the run's report from the results (in input order)
// and what the command measured of each input.
//
// Summary counts: every total is the sum over files; a target claim is
// clean when its worst finding is below warning (none, or info only); held
// target claims are those with at least one error. Without a spool the
// findings move from the results into the report (each result's Findings is
// nil afterwards); with one, the report reads them from the spool and the
// results.
func buildReport(results []*scrubber.FileResult, metas []fileMeta, m reportMeta) *reports.Report {
	r := &reports.Report{
		Run: reports.Run{
			ID:          m.runID,
			ToolVersion: version,
			StartedAt:   m.started,
			FinishedAt:  m.finished,
		},
		ShowIDs: m.showIDs,
	}
	if m.pack != nil {
		r.Run.Rules = reports.RulesInfo{
			Name:     m.pack.Name,
			Version:  m.pack.Version,
			SHA256:   m.pack.SHA256,
			SeedOnly: m.pack.SeedOnly,
		}
	}
	sum := &r.Summary
	sum.FindingsBySeverity = map[string]int{
		finding.Error.String():   0,
		finding.Warning.String(): 0,
		finding.Info.String():    0,
	}
	sum.FindingsByRule = map[string]int{}
	sum.TargetClaimsByPayerGroup = map[string]int{}
	sum.HeldTargetClaimsByPayerGroup = map[string]int{}
	sum.CleanTargetClaimsByPayerGroup = map[string]int{}

	r.Files = make([]reports.File, 0, len(results))
	nFindings := 0
	for _, res := range results {
		nFindings += len(res.Findings)
	}
	if sp := m.spool; sp != nil {
		// The spooled findings stay on disk; the results hold only what
		// Finish added. The report reads both, merged, through its Source.
		for k, v := range sp.bySeverity {
			sum.FindingsBySeverity[k] += v
		}
		for k, v := range sp.byRule {
			sum.FindingsByRule[k] += v
		}
		r.Source = spoolSource{sp: sp, results: results, n: sp.n + nFindings}
	} else {
		r.Findings = make([]finding.Finding, 0, nFindings)
	}

	for i, res := range results {
		var meta fileMeta
		if i < len(metas) {
			meta = metas[i]
		}
		r.Files = append(r.Files, reports.File{
			Path:         res.Name,
			Bytes:        meta.bytes,
			SHA256:       meta.sha256,
			Status:       string(res.Status),
			Error:        res.Error,
			Transactions: res.Transactions,
			Claims:       res.Claims,
		})
		sum.Files++
		if res.Status == scrubber.StatusFailed {
			sum.FilesFailed++
		}
		sum.Interchanges += res.Interchanges
		sum.Transactions += res.Transactions
		sum.TransactionsSkipped += res.TransactionsSkipped
		sum.Claims += res.Claims
		sum.ServiceLines += res.ServiceLines
		sum.TargetLines += res.TargetLines
		sum.TargetClaims += res.TargetClaims
		for group, t := range res.Targets {
			if group == "" {
				group = otherPayerGroup
			}
			sum.TargetClaimsByPayerGroup[group] += t.Claims
			sum.CleanTargetClaims += t.Clean
			if t.Clean > 0 {
				sum.CleanTargetClaimsByPayerGroup[group] += t.Clean
			}
			if t.Held > 0 {
				sum.HeldTargetClaimsByPayerGroup[group] += t.Held
			}
		}
		for j := range res.Findings {
			f := &res.Findings[j]
			sum.FindingsBySeverity[f.Severity.String()]++
			sum.FindingsByRule[f.RuleID]++
		}
		if m.spool == nil {
			r.Findings = append(r.Findings, res.Findings...)
			res.Findings = nil // the report holds them now: don't keep two copies
		}
	}
	// Each result's findings are in report order already; sorting the whole
	// (stable, by file index first) guards the contract whatever a result
	// holds.
	finding.Sort(r.Findings)
	return r
}

// summaryText is the short summary printed on stdout after a run;
// procedure names the pack's target code (0620T).
func summaryText(r *reports.Report, procedure string, written []string) string {
	if procedure == "" {
		procedure = "target"
	}
	s := &r.Summary
	var b strings.Builder
	skipped := 0
	for _, f := range r.Files {
		if f.Status == string(scrubber.StatusSkipped) {
			skipped++
		}
	}
	fmt.Fprintf(&b, "scrub837 run %s: %d files (%d failed, %d skipped), %d claims, %d service lines\n",
		r.Run.ID, s.Files, s.FilesFailed, skipped, s.Claims, s.ServiceLines)
	fmt.Fprintf(&b, "  %s claims: %d (%d clean, %d with an error), %s lines: %d\n",
		procedure, s.TargetClaims, s.CleanTargetClaims, sumValues(s.HeldTargetClaimsByPayerGroup), procedure, s.TargetLines)
	fmt.Fprintf(&b, "  findings: %d error, %d warning, %d info\n",
		s.FindingsBySeverity["error"], s.FindingsBySeverity["warning"], s.FindingsBySeverity["info"])
	if len(s.FindingsByRule) > 0 {
		fmt.Fprintf(&b, "  top rules: %s\n", topCounts(s.FindingsByRule, 5))
	}
	for _, f := range r.Files {
		if f.Status == string(scrubber.StatusFailed) {
			fmt.Fprintf(&b, "  failed: %s: %s\n", f.Path, safeError(f.Error))
		}
	}
	if len(written) > 0 {
		fmt.Fprintf(&b, "  reports: %s\n", strings.Join(written, " "))
	}
	return b.String()
}

// topCounts writes the n largest counts as "A=3 B=2 C=2 (+4 more rules)",
// largest first, ties by key.
func topCounts(m map[string]int, n int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	var parts []string
	for i, k := range keys {
		if i == n {
			parts = append(parts, fmt.Sprintf("(+%d more rules)", len(keys)-n))
			break
		}
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	return strings.Join(parts, " ")
}

func sumValues(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\r", " ")
	return strings.ReplaceAll(s, "\n", " ")
}
