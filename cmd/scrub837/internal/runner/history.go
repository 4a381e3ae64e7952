package runner

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/scrub837/scrub837/reports"
	"github.com/scrub837/scrub837/scrubber"
	"github.com/scrub837/scrub837/scrubber/finding"
)

// NightClaim is one of tonight's target claims, for the history's lookup.
type NightClaim struct {
	Summary    *finding.ClaimSummary
	FileSHA256 string // its input's, as files[] shows it
}

// LineDuplicate is a target line of tonight's (Line indexes the claim's
// Summary.Lines) that earlier runs' claims already billed, oldest first.
type LineDuplicate struct {
	Claim, Line int
	Earlier     []Earlier
}

// Earlier is a claim an earlier run recorded as gone out.
type Earlier = scrubber.EarlierClaim

// historyBatch is how many target claims go to History.Duplicates at a
// time: memory stays bounded on a large night, and each call is still
// dozens of the store's 500-line queries' worth. (A variable: tests make
// it small.)
var historyBatch = 20000

// checkHistory adds the night's HIST-DUPLICATE findings to the spool,
// after the cross-claim rules and before the hand-off, so that they are in
// every report, in the claims' statuses and in --split's held/. It moves
// the target-claim tallies of the claims a finding makes held.
func checkHistory(ctx context.Context, cfg *Config, results []*scrubber.FileResult, metas []fileMeta,
	spool *findingSpool, claims *claimSpool) error {
	start := time.Now()
	procedure := ""
	if cfg.Pack != nil {
		procedure = cfg.Pack.Procedure
	}
	// The rows give each claim's worst finding so far, for the tallies.
	merged := &reports.Report{Source: spoolSource{sp: spool, results: results}, Claims: claims, HoldOn: holdOn(cfg)}
	var (
		batch  []NightClaim
		worst  []finding.Severity
		found  []finding.Finding
		lines  int
		dupped int
	)
	lookup := func() error {
		if len(batch) == 0 {
			return nil
		}
		dups, err := cfg.History.Duplicates(ctx, batch)
		if err != nil {
			return err
		}
		flagged := map[int]bool{}
		for _, d := range dups {
			c := batch[d.Claim].Summary
			found = append(found, scrubber.HistDuplicate(procedure, c, &c.Lines[d.Line], d.Earlier))
			flagged[d.Claim] = true
		}
		spoolFindings(spool, found)
		clear(found) // the strings are the spool's now
		found = found[:0]
		for i := range batch {
			if flagged[i] {
				dupped++
				moveTally(results[batch[i].Summary.FileIndex], batch[i].Summary.PayerGroup, worst[i])
			}
		}
		batch, worst = batch[:0], worst[:0]
		return nil
	}
	err := merged.EachClaim(func(row *reports.ClaimRow) error {
		c := row.ClaimSummary // a copy: the row is valid only during the call
		c.Lines = slices.Clone(c.Lines)
		lines += len(c.Lines)
		batch = append(batch, NightClaim{Summary: &c, FileSHA256: metas[c.FileIndex].sha256})
		worst = append(worst, row.Worst)
		if len(batch) == historyBatch {
			return lookup()
		}
		return nil
	})
	if err == nil {
		err = lookup()
	}
	if err != nil {
		return fmt.Errorf("checking the claim history: %w", err)
	}
	cfg.Log.Info().Int("target_lines", lines).Int("duplicate_claims", dupped).Dur("duration_ms", time.Since(start)).
		Msg("claim history checked for duplicates")
	return nil
}

// spoolFindings puts a batch's findings into the spool as a sorted run
// per file (the reports merge a file's runs), so that memory holds one
// batch's findings at most.
func spoolFindings(spool *findingSpool, found []finding.Finding) {
	finding.Sort(found)
	for len(found) > 0 {
		n := 1
		for n < len(found) && found[n].FileIndex == found[0].FileIndex {
			n++
		}
		spool.putRun(found[0].FileIndex, found[:n])
		found = found[n:]
	}
}

// moveTally counts a target claim of payer group, whose worst finding
// was worst, as held: HIST-DUPLICATE is an error.
func moveTally(res *scrubber.FileResult, group string, worst finding.Severity) {
	if worst >= finding.Error {
		return
	}
	t := res.Targets[group]
	if worst < finding.Warning {
		t.Clean--
	}
	t.Held++
	res.Targets[group] = t
}
