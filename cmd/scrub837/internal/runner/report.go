package runner

import (
	"github.com/scrub837/scrub837/reports"
	"github.com/scrub837/scrub837/scrubber"
	"github.com/scrub837/scrub837/scrubber/codedata"
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/pack"
)

// buildReport assembles the run's report from the results (in input order),
// what the run measured of each input, and the spool that holds the
// results' findings but those Finish added.
//
// Summary counts: every total is the sum over files; a target claim is
// clean when its worst finding is below warning (none, or info only); held
// target claims are those with at least one error.
func buildReport(results []*scrubber.FileResult, metas []fileMeta, cfg *Config, spool *findingSpool) *reports.Report {
	finished := cfg.Started
	if cfg.Now != nil {
		finished = cfg.Now()
	}
	r := &reports.Report{
		Run: reports.Run{
			ID:          cfg.RunID,
			ToolVersion: cfg.ToolVersion,
			StartedAt:   cfg.Started,
			FinishedAt:  finished,
		},
		ShowIDs: cfg.ShowIDs,
		TempDir: cfg.TempDir,
		Trend:   cfg.Trend,
	}
	if p := cfg.Pack; p != nil {
		r.Run.Rules = reports.RulesInfo{
			Name:      p.Name,
			Version:   p.Version,
			Procedure: p.Procedure,
			SHA256:    p.SHA256,
			SeedOnly:  p.SeedOnly,
		}
	}
	r.Run.Data = DataFiles(cfg.Data)
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
	// The spooled findings stay on disk; the results hold only what Finish
	// added. The report reads both, merged, through its Source.
	for k, v := range spool.bySeverity {
		sum.FindingsBySeverity[k] += v
	}
	for k, v := range spool.byRule {
		sum.FindingsByRule[k] += v
	}
	r.Source = spoolSource{sp: spool, results: results, n: spool.n + nFindings, ctx: cfg.Context}

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
				group = pack.PayerGroupOther
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
	}
	return r
}

// DataFiles lists the files of a data set as the reports name them (run.data);
// none for a nil set.
func DataFiles(d *codedata.Set) []reports.DataFile {
	var out []reports.DataFile
	for _, f := range d.Files() {
		out = append(out, reports.DataFile{Kind: string(f.Kind), Path: f.Path, Member: f.Member, Version: f.Version,
			Part: f.Part, Effective: f.Effective, Through: f.Through, Rows: f.RowsRead, RowsKept: f.RowsKept,
			SHA256: f.SHA256, Note: f.Note})
	}
	return out
}
