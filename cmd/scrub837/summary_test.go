package main

import (
	"strings"
	"testing"

	"github.com/scrub837/scrub837/reports"
	"github.com/scrub837/scrub837/scrubber/finding"
)

// sampleReport is a run of three files: one ok with findings of every
// severity, one failed (its error quotes file content), one skipped.
func sampleReport() *reports.Report {
	return &reports.Report{
		Run: reports.Run{ID: "r1"},
		Summary: reports.Summary{
			Files: 3, FilesFailed: 1, Claims: 5, ServiceLines: 9, TargetClaims: 4, TargetLines: 4, CleanTargetClaims: 2,
			FindingsBySeverity:           map[string]int{"error": 2, "warning": 2, "info": 1},
			FindingsByRule:               map[string]int{"DX-POINTER-MISSING": 1, "MOD-UNLISTED": 1, "LINE-TAXONOMY-MISSING": 1, "FILE-UNREADABLE": 1, "X12-NOT-837P": 1},
			HeldTargetClaimsByPayerGroup: map[string]int{"Aetna": 1},
		},
		Files: []reports.File{
			{Path: "a.837", Status: "ok", Claims: 5},
			{Path: "b.837", Status: "failed", Error: `expected an ISA segment at the start, found "DOE^JANE"`},
			{Path: "c.837", Status: "skipped"},
		},
	}
}

func TestExitCode(t *testing.T) {
	r := sampleReport()
	if got := exitCode(r, finding.Error); got != exitInputFailed {
		t.Errorf("failed input with errors: %d, want 3 (3 wins over 1)", got)
	}
	r.Summary.FilesFailed = 0
	for level, want := range map[finding.Severity]int{finding.Error: 1, finding.Warning: 1, finding.Info: 1, 0: 0} {
		if got := exitCode(r, level); got != want {
			t.Errorf("level %v: exit %d, want %d", level, got, want)
		}
	}
	r.Summary.FindingsBySeverity = map[string]int{"error": 0, "warning": 0, "info": 1}
	if exitCode(r, finding.Warning) != exitOK || exitCode(r, finding.Info) != exitFindings {
		t.Error("info finding: want 0 with --fail-on warning, 1 with --fail-on info")
	}
	r.Summary.FindingsBySeverity = map[string]int{"error": 0, "warning": 0, "info": 0}
	if exitCode(r, finding.Error) != exitOK {
		t.Error("a run without findings should exit 0")
	}
}

func TestTopCounts(t *testing.T) {
	m := map[string]int{"A": 1, "B": 5, "C": 5, "D": 2, "E": 1}
	if got := topCounts(m, 3); got != "B=5 C=5 D=2 (+2 more rules)" {
		t.Errorf("topCounts = %q", got)
	}
	if got := topCounts(map[string]int{"A": 1}, 3); got != "A=1" {
		t.Errorf("topCounts = %q", got)
	}
	if got := topCounts(map[string]int{"A": 1234567, "B": 1}, 1); got != "A=1,234,567 (+1 more rule)" {
		t.Errorf("topCounts = %q", got)
	}
}

func TestSummaryTextHasNoQuotedData(t *testing.T) {
	text := summaryText(sampleReport(), "0620T", "", []string{"out/exceptions.csv", "out/exceptions.json"}, nil, exitInputFailed, "error")
	for _, want := range []string{"3 files (1 failed, 1 skipped)", "5 claims", "0620T claims: 4 (2 clean, 1 with an error)",
		"findings: 2 errors, 2 warnings, 1 info", "reports: out/exceptions.csv out/exceptions.json", "failed: b.837"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if len(line) > 160 {
			t.Errorf("summary line longer than 160: %q", line)
		}
	}
	if strings.Contains(text, "DOE") {
		t.Errorf("summary quotes file content:\n%s", text)
	}
}

// Issue 15: "1 files" and 602628 without separators; the summary did not
// say what the exit code means.
func TestSummaryTextPluralsAndThousands(t *testing.T) {
	r := sampleReport()
	r.Files = r.Files[:1]
	r.Summary.Files, r.Summary.FilesFailed, r.Summary.Claims, r.Summary.ServiceLines = 1, 0, 602628, 1
	r.Summary.FindingsBySeverity = map[string]int{"error": 1, "warning": 1234, "info": 0}
	text := summaryText(r, "0620T", "", nil, nil, exitFindings, "error")
	for _, want := range []string{": 1 file (0 failed, 0 skipped), 602,628 claims, 1 service line\n",
		"findings: 1 error, 1,234 warnings, 0 info\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 602628: "602,628", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// The summary's last line says what the exit code means and what to do.
func TestSummaryTextExitMeaning(t *testing.T) {
	written := []string{"out/claims.csv"}
	for _, c := range []struct {
		code   int
		failOn string
		failed int
		want   string
	}{
		{exitOK, "error", 0, "exit 0: no finding at or above error. Next: review the 5 findings in out/claims.csv.\n"},
		{exitOK, "NEVER", 0, "exit 0: --fail-on never (findings do not set the exit code). Next: review the 5 findings in out/claims.csv.\n"},
		{exitFindings, "warning", 0, "exit 1: findings at or above warning. Next: work them in out/claims.csv, the worst first.\n"},
		{exitInputFailed, "error", 1, "exit 3: 1 input could not be read to the end (above)"},
		{exitInputFailed, "error", 2, "exit 3: 2 inputs could not be read to the end (above)"},
	} {
		r := sampleReport()
		r.Summary.FilesFailed = c.failed
		text := summaryText(r, "0620T", "", written, nil, c.code, c.failOn)
		last := text[strings.LastIndex(strings.TrimSuffix(text, "\n"), "\n")+1:]
		if !strings.HasPrefix(last, c.want) {
			t.Errorf("exit %d --fail-on %s: last line %q, want %q", c.code, c.failOn, last, c.want)
		}
	}
	r := sampleReport()
	r.Summary.FindingsBySeverity = map[string]int{}
	if text := summaryText(r, "0620T", "", written, nil, exitOK, "error"); !strings.HasSuffix(text, "exit 0: no finding at or above error. Nothing to fix.\n") {
		t.Errorf("a clean run:\n%s", text)
	}
}

// Issue 14, reproducer 8: a newline in a path forged a "failed:" line in
// the summary. Paths with control characters are quoted, escapes and all.
func TestSummaryTextEscapesControlCharacters(t *testing.T) {
	r := sampleReport()
	r.Files[1].Path = "in/x.837\n  failed: in/forged.837: not X12"
	r.Files[1].Error = "bad\x1b[31m byte"
	text := summaryText(r, "0620T", "", []string{"out\r/exceptions.csv"}, nil, exitInputFailed, "error")
	if strings.Count(text, "\n  failed: ") != 1 || strings.Contains(text, "\n  failed: in/forged") {
		t.Errorf("a newline in a path forged a line:\n%s", text)
	}
	for _, want := range []string{`failed: "in/x.837\n  failed: in/forged.837: not X12": "bad\x1b[31m byte"`, `reports: "out\r/exceptions.csv"`} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %s:\n%s", want, text)
		}
	}
	if strings.ContainsAny(text, "\r\x1b") {
		t.Errorf("a control character reached the summary: %q", text)
	}
	for in, want := range map[string]string{"plain/path.837": "plain/path.837", "ünïcode.837": "ünïcode.837", "bad\xff.837": `"bad\xff.837"`, "tab\t.837": `"tab\t.837"`} {
		if got := printable(in); got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
	}
}
