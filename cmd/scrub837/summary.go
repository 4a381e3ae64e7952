package main

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scrub837/scrub837/cmd/scrub837/internal/runner"
	"github.com/scrub837/scrub837/reports"
	"github.com/scrub837/scrub837/scrubber"
)

// summaryText is the short summary printed on stdout after a run;
// procedure names the pack's target code (0620T), worklist the lines about
// the worklist (worklistText), code is the exit code and failOn the
// --fail-on level as given. It ends with what the exit code means and what
// to do next.
func summaryText(r *reports.Report, procedure, worklist string, written, degraded []string, code int, failOn string) string {
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
	fmt.Fprintf(&b, "scrub837 run %s: %s (%s failed, %s skipped), %s, %s\n",
		printable(r.Run.ID), plural(s.Files, "file", "files"), thousands(s.FilesFailed), thousands(skipped),
		plural(s.Claims, "claim", "claims"), plural(s.ServiceLines, "service line", "service lines"))
	fmt.Fprintf(&b, "  %s claims: %s (%s clean, %s with an error), %s lines: %s\n",
		procedure, thousands(s.TargetClaims), thousands(s.CleanTargetClaims), thousands(sumValues(s.HeldTargetClaimsByPayerGroup)),
		procedure, thousands(s.TargetLines))
	b.WriteString(worklist)
	fmt.Fprintf(&b, "  findings: %s, %s, %s info\n",
		plural(s.FindingsBySeverity["error"], "error", "errors"), plural(s.FindingsBySeverity["warning"], "warning", "warnings"),
		thousands(s.FindingsBySeverity["info"]))
	if len(s.FindingsByRule) > 0 {
		fmt.Fprintf(&b, "  top rules: %s\n", topCounts(s.FindingsByRule, 5))
	}
	for _, f := range r.Files {
		if f.Status == string(scrubber.StatusFailed) {
			fmt.Fprintf(&b, "  failed: %s: %s\n", printable(f.Path), printable(runner.SafeText(f.Error)))
		}
	}
	for _, d := range degraded {
		fmt.Fprintf(&b, "  left out: %s\n", printable(d))
	}
	if len(written) > 0 {
		paths := make([]string, len(written))
		for i, p := range written {
			paths[i] = printable(p)
		}
		fmt.Fprintf(&b, "  reports: %s\n", strings.Join(paths, " "))
	}
	b.WriteString(exitMeaning(code, s, failOn, written))
	return b.String()
}

// exitMeaning says in a line what the run's exit code means and what to
// do next.
func exitMeaning(code int, s *reports.Summary, failOn string, written []string) string {
	where := "the reports"
	if len(written) > 0 {
		where = printable(written[0])
	}
	for _, w := range written {
		if filepath.Base(w) == "claims.csv" { // the worklist: claim by claim, held first
			where = printable(w)
		}
	}
	findings := 0
	for _, n := range s.FindingsBySeverity {
		findings += n
	}
	failOn = strings.ToLower(failOn)
	switch code {
	case exitOK:
		head := fmt.Sprintf("exit 0: no finding at or above %s.", failOn)
		if failOn == "never" {
			head = "exit 0: --fail-on never (findings do not set the exit code)."
		}
		if findings == 0 {
			return head + " Nothing to fix.\n"
		}
		return fmt.Sprintf("%s Next: review the %s in %s.\n", head, plural(findings, "finding", "findings"), where)
	case exitFindings:
		return fmt.Sprintf("exit 1: findings at or above %s. Next: work them in %s, the worst first.\n", failOn, where)
	case exitInputFailed:
		if s.FilesFailed == 0 {
			return "exit 3: the run had to leave something out (above); the reports hold everything else. Next: fix the cause and run again.\n"
		}
		it := "it"
		if s.FilesFailed > 1 {
			it = "them"
		}
		return fmt.Sprintf("exit 3: %s could not be read to the end (above); the reports hold everything else. "+
			"Next: have %s resent (or --exclude what is not X12) and run again.\n", plural(s.FilesFailed, "input", "inputs"), it)
	}
	return fmt.Sprintf("exit %d\n", code)
}

// printable is s as it can be shown on one line: s itself, or, when it
// holds a control character (a newline in a file name could forge a
// "failed:" line) or bytes that are not UTF-8, s quoted with escapes.
func printable(s string) string {
	if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
	}) {
		return strconv.Quote(s)
	}
	return s
}

// plural is "1 file", "2 files", "1,234 files".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}

// thousands writes n with commas between thousands: 602,628.
func thousands(n int) string {
	digits := strconv.Itoa(n)
	sign := ""
	if n < 0 {
		sign, digits = "-", digits[1:]
	}
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return sign + b.String()
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
			parts = append(parts, fmt.Sprintf("(+%s)", plural(len(keys)-n, "more rule", "more rules")))
			break
		}
		parts = append(parts, k+"="+thousands(m[k]))
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
