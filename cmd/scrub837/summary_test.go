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
}

func TestSummaryTextHasNoQuotedData(t *testing.T) {
	text := summaryText(sampleReport(), "0620T", []string{"out/exceptions.csv", "out/exceptions.json"})
	for _, want := range []string{"3 files (1 failed, 1 skipped)", "5 claims", "0620T claims: 4 (2 clean, 1 with an error)",
		"findings: 2 error, 2 warning, 1 info", "reports: out/exceptions.csv out/exceptions.json", "failed: b.837"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if len(line) > 120 {
			t.Errorf("summary line longer than 120: %q", line)
		}
	}
	if strings.Contains(text, "DOE") {
		t.Errorf("summary quotes file content:\n%s", text)
	}
}
