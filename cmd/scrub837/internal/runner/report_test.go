package runner

import (
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
	p := &pack.Pack{Name: "0620T", Version: "7", Procedure: "0620T", SHA256: "ff", SeedOnly: true}
	r := buildReport(results, metas, &Config{RunID: "golden", Pack: p, Started: start, ShowIDs: true}, spooled(t, results))

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
	if r.Run.ID != "golden" || r.Run.Rules.Name != "0620T" || r.Run.Rules.Version != "7" || r.Run.Rules.Procedure != "0620T" ||
		!r.Run.Rules.SeedOnly || !r.ShowIDs || !r.Run.StartedAt.Equal(start) || !r.Run.FinishedAt.Equal(start) {
		t.Errorf("run: %+v", r.Run)
	}
	if len(r.Files) != 3 || r.Files[1].Status != "failed" || r.Files[1].Bytes != 7 || r.Files[1].SHA256 != "bb" || r.Files[0].Claims != 5 {
		t.Errorf("files: %+v", r.Files)
	}
	var fs []finding.Finding
	if err := r.EachFinding(func(f *finding.Finding) error { fs = append(fs, *f); return nil }); err != nil {
		t.Fatal(err)
	}
	if r.NumFindings() != 5 || len(fs) != 5 || fs[3].RuleID != "FILE-UNREADABLE" || fs[4].FileIndex != 2 {
		t.Errorf("findings out of order: %+v", fs)
	}
}

// spooled puts the results' findings in a spool, as the workers do.
func spooled(t *testing.T, results []*scrubber.FileResult) *findingSpool {
	sp := testSpool(t, len(results))
	for i, res := range results {
		sp.put(i, res)
	}
	return sp
}

func TestBuildReportEmptyRun(t *testing.T) {
	r := buildReport(nil, nil, &Config{RunID: "x"}, spooled(t, nil))
	if r.Summary.Files != 0 || r.Summary.FindingsBySeverity == nil || r.Summary.FindingsByRule == nil ||
		r.Summary.TargetClaimsByPayerGroup == nil || r.Files == nil || r.NumFindings() != 0 {
		t.Errorf("empty run: %+v", r)
	}
}
