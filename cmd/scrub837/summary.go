package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/scrub837/scrub837/cmd/scrub837/internal/runner"
	"github.com/scrub837/scrub837/reports"
	"github.com/scrub837/scrub837/scrubber"
)

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
			fmt.Fprintf(&b, "  failed: %s: %s\n", f.Path, runner.SafeText(f.Error))
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
