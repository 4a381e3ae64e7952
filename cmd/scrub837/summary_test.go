package main

import (
	"strings"
	"testing"
	"time"

	"github.com/scrub837/scrub837/scrubber"
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/pack"
)

func mkFinding(file int, offset int64, rule string, sev finding.Severity) finding.Finding {
	return finding.Finding{FileIndex: file, ByteOffset: offset, RuleID: rule, Severity: sev}
}

func sampleResults() ([]*scrubber.FileResult, []fileMeta) {
	results := []*scrubber.FileResult{
		{
			Index: 0, Name: "a.837", Status: scrubber.StatusOK,
			Interchanges: 1, Transactions: 2, Claims: 5, ServiceLines: 9, TargetLines: 4,
			// Four target claims: Aetna held and clean, Medicare clean (info
			// only), one with no payer group and a warning.
			TargetClaims: 4,
			Targets: map[string]scrubber.TargetTally{
				"Aetna":    {Claims: 2, Clean: 1, Held: 1},
				"Medicare": {Claims: 1, Clean: 1},
				"":         {Claims: 1},
			},
			Findings: []finding.Finding{
				mkFinding(0, 10, "DX-POINTER-MISSING", finding.Error),
				mkFinding(0, 20, "MOD-UNLISTED", finding.Warning),
				mkFinding(0, 30, "LINE-TAXONOMY-MISSING", finding.Info),
			},
		},
		{
			Index: 1, Name: "b.837", Status: scrubber.StatusFailed, Error: `expected an ISA segment at the start, found "DOE^JANE"`,
			Findings: []finding.Finding{mkFinding(1, 0, "FILE-UNREADABLE", finding.Error)},
		},
		{
			Index: 2, Name: "c.837", Status: scrubber.StatusSkipped, Interchanges: 1, Transactions: 1, TransactionsSkipped: 1,
			Findings: []finding.Finding{mkFinding(2, 5, "X12-NOT-837P", finding.Warning)},
		},
	}
	metas := []fileMeta{{bytes: 100, sha256: "aa"}, {bytes: 7, sha256: "bb"}, {bytes: 50, sha256: "cc"}}
	return results, metas
}

func TestBuildReportSummary(t *testing.T) {
	results, metas := sampleResults()
	start := time.Unix(0, 0).UTC()
	p := &pack.Pack{Name: "0620T", Version: "7", SHA256: "ff", SeedOnly: true}
	r := buildReport(results, metas, reportMeta{runID: "golden", pack: p, started: start, finished: start, showIDs: true})

	s := r.Summary
	if s.Files != 3 || s.FilesFailed != 1 || s.Interchanges != 2 || s.Transactions != 3 || s.TransactionsSkipped != 1 ||
		s.Claims != 5 || s.ServiceLines != 9 || s.TargetClaims != 4 || s.TargetLines != 4 || s.CleanTargetClaims != 2 {
		t.Errorf("summary: %+v", s)
	}
	if s.FindingsBySeverity["error"] != 2 || s.FindingsBySeverity["warning"] != 2 || s.FindingsBySeverity["info"] != 1 {
		t.Errorf("by severity: %v", s.FindingsBySeverity)
	}
	if s.FindingsByRule["DX-POINTER-MISSING"] != 1 || s.FindingsByRule["X12-NOT-837P"] != 1 || len(s.FindingsByRule) != 5 {
		t.Errorf("by rule: %v", s.FindingsByRule)
	}
	if s.TargetClaimsByPayerGroup["Aetna"] != 2 || s.TargetClaimsByPayerGroup["Medicare"] != 1 || s.TargetClaimsByPayerGroup["Other"] != 1 {
		t.Errorf("by payer group: %v", s.TargetClaimsByPayerGroup)
	}
	if s.HeldTargetClaimsByPayerGroup["Aetna"] != 1 || len(s.HeldTargetClaimsByPayerGroup) != 1 {
		t.Errorf("held by payer group: %v", s.HeldTargetClaimsByPayerGroup)
	}
	if r.Run.ID != "golden" || r.Run.Rules.Name != "0620T" || r.Run.Rules.Version != "7" || !r.Run.Rules.SeedOnly || !r.ShowIDs {
		t.Errorf("run: %+v", r.Run)
	}
	if len(r.Files) != 3 || r.Files[1].Status != "failed" || r.Files[1].Bytes != 7 || r.Files[1].SHA256 != "bb" || r.Files[0].Claims != 5 {
		t.Errorf("files: %+v", r.Files)
	}
	if len(r.Findings) != 5 || r.Findings[3].RuleID != "FILE-UNREADABLE" || r.Findings[4].FileIndex != 2 {
		t.Errorf("findings out of order: %+v", r.Findings)
	}
}

func TestBuildReportEmptyRun(t *testing.T) {
	r := buildReport(nil, nil, reportMeta{runID: "x"})
	if r.Summary.Files != 0 || r.Summary.FindingsBySeverity == nil || r.Summary.FindingsByRule == nil ||
		r.Summary.TargetClaimsByPayerGroup == nil || r.Files == nil || r.Findings == nil {
		t.Errorf("empty run: %+v", r)
	}
	if exitCode(r, finding.Error) != exitOK {
		t.Error("an empty run should exit 0")
	}
}

func TestExitCode(t *testing.T) {
	results, metas := sampleResults()
	r := buildReport(results, metas, reportMeta{})
	if got := exitCode(r, finding.Error); got != exitInputFailed {
		t.Errorf("failed input with errors: %d, want 3 (3 wins over 1)", got)
	}
	results, metas = sampleResults() // buildReport takes the results' findings
	ok := buildReport(results[:1], metas[:1], reportMeta{})
	for level, want := range map[finding.Severity]int{finding.Error: 1, finding.Warning: 1, finding.Info: 1, 0: 0} {
		if got := exitCode(ok, level); got != want {
			t.Errorf("level %v: exit %d, want %d", level, got, want)
		}
	}
	onlyInfo := buildReport([]*scrubber.FileResult{{Name: "x", Status: "ok",
		Findings: []finding.Finding{mkFinding(0, 1, "LINE-TAXONOMY-MISSING", finding.Info)}}}, nil, reportMeta{})
	if exitCode(onlyInfo, finding.Warning) != exitOK || exitCode(onlyInfo, finding.Info) != exitFindings {
		t.Error("info finding: want 0 with --fail-on warning, 1 with --fail-on info")
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
	results, metas := sampleResults()
	r := buildReport(results, metas, reportMeta{runID: "r1"})
	text := summaryText(r, "0620T", []string{"out/exceptions.csv", "out/exceptions.json"})
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
