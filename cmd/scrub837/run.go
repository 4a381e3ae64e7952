package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/scrub837/scrub837/cmd/scrub837/internal/rundir"
	"github.com/scrub837/scrub837/cmd/scrub837/internal/runner"
	"github.com/scrub837/scrub837/reports"
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/history"
)

// runClock gives the run's start and finish times: the wall clock, or
// SOURCE_DATE_EPOCH for both when it is set (reproducible reports).
type runClock struct {
	fixed *time.Time
}

func newRunClock(getenv func(string) string) (runClock, error) {
	v := strings.TrimSpace(getenv("SOURCE_DATE_EPOCH"))
	if v == "" {
		return runClock{}, nil
	}
	secs, err := strconv.ParseInt(v, 10, 64)
	if err != nil || secs < 0 {
		return runClock{}, fmt.Errorf("SOURCE_DATE_EPOCH %q is not a number of seconds since 1970", v)
	}
	t := time.Unix(secs, 0).UTC()
	return runClock{fixed: &t}, nil
}

func (c runClock) now() time.Time {
	if c.fixed != nil {
		return *c.fixed
	}
	return time.Now().UTC().Truncate(time.Second)
}

// defaultRunID is the run ID when --run-id is not given: the UTC start time.
func defaultRunID(started time.Time) string {
	return started.UTC().Format("20060102T150405Z")
}

// scrub runs a scrub (runner.Run) and returns the exit code.
func (e *env) scrub(o *options) int {
	clock, err := newRunClock(e.getenv)
	if err != nil {
		return e.usageError(err)
	}
	started := clock.now()
	wallStart := time.Now()
	runID := o.runID
	if runID == "" {
		runID = defaultRunID(started)
	}

	sink := &logSink{w: e.stderr}
	log := newLogger(o, e.stderrIsTerminal, sink)

	rulePack, err := loadPack(o.rules, o.seedOnly)
	if err != nil {
		// The error names the pack file and line; it never holds claim data.
		log.Error().Str("rules", o.rules).Msg(err.Error())
		return exitUsage
	}
	// The claim history, opened before anything is scrubbed: what it
	// refuses is a usage error, with no reports.
	var hist *history.Store
	if target := historyTarget(o.history, e.getenv); target != "" {
		hist, err = openHistory(context.Background(), target, e.getenv)
		if err != nil {
			log.Error().Str("error", runner.SafeText(err.Error())).Msg("cannot use the claim history: no reports written")
			return exitUsage
		}
		defer hist.Close()
	} else if o.skipSeen {
		return e.usageError(errors.New("--skip-seen needs a claim history: give --history (or set " + historyEnv + ")"))
	}
	cfg := runner.Config{
		Paths:         o.paths,
		Recursive:     o.recursive,
		Stdin:         e.stdin,
		Out:           o.out,
		Formats:       o.formats,
		Pack:          rulePack,
		Workers:       o.workers,
		RunID:         runID,
		ToolVersion:   version,
		ShowIDs:       o.showIDs,
		Started:       started,
		Now:           clock.now,
		Log:           log,
		MemoryCeiling: ownGCSettings(e.getenv),
		HoldOn:        o.holdLevel,
		Split:         o.split,
	}
	// The run's private temporary folder: made here rather than by the
	// runner so that a signal can remove it (see rundir).
	if tmp, removed, err := rundir.Create(""); err != nil {
		log.Error().Err(err).Msg("cannot create the run's temporary folder")
	} else {
		defer tmp.Remove()
		cfg.TempDir = tmp.Path()
		if len(removed) > 0 {
			log.Warn().Strs("folders", removed).Msg("removed the temporary folders of earlier runs that did not finish")
		}
	}
	if e.stderrIsTerminal && !o.quiet {
		cfg.Progress = &progress{sink: sink}
	}
	var rh *runHistory
	if hist != nil {
		rh = &runHistory{store: hist, packSHA256: rulePack.SHA256, failLevel: o.failLevel, keepDays: o.historyKeep, log: log}
		cfg.History = rh
		cfg.SkipSeen = o.skipSeen
		if cfg.Trend, err = trend(context.Background(), hist); err != nil {
			log.Warn().Str("history", hist.String()).Str("error", runner.SafeText(err.Error())).
				Msg("cannot read the claim history's last runs: report.html shows no trend")
		}
	}
	res, err := runner.Run(cfg)
	if err != nil {
		return runFailed(log, o, err)
	}

	code := exitCode(res.Report, o.failLevel)
	if res.HistoryErr != nil {
		// Not recorded, the run would be missing from tomorrow's duplicate
		// checks with nobody told: cron must hear of it, and 3 is "reports
		// written, something failed".
		log.Error().Str("history", hist.String()).Str("error", runner.SafeText(res.HistoryErr.Error())).
			Msg("the claim history was not updated: the reports are complete, but this run is not in the history (run it again to record it)")
		code = exitInputFailed
	}
	logRun(log, res.Report, res.Written, time.Since(wallStart), code, worklistFields(res.Totals, res.Split))
	if !o.quiet {
		fmt.Fprint(e.stdout, summaryText(res.Report, rulePack.Procedure, res.Written))
		fmt.Fprint(e.stdout, worklistText(res.Totals, res.Split))
		if rh != nil {
			fmt.Fprint(e.stdout, rh.summaryText(rulePack.Procedure))
		}
	}
	return code
}

// ownGCSettings reports whether the run may set its own memory ceiling:
// not when the user set GOGC or GOMEMLIMIT (their settings win).
func ownGCSettings(getenv func(string) string) bool {
	return getenv("GOGC") == "" && getenv("GOMEMLIMIT") == ""
}

// runFailed logs why a run wrote no reports and returns its exit code: 2
// for a report folder that cannot be used, 3 when the run itself failed.
func runFailed(log zerolog.Logger, o *options, err error) int {
	var re *runner.Error
	if !errors.As(err, &re) {
		log.Error().Err(err).Msg("the run failed")
		return exitInputFailed
	}
	switch re.Stage {
	case runner.StageOut:
		log.Error().Str("out", o.out).Err(re.Err).Msg("cannot create the report folder")
		return exitUsage
	case runner.StageReports:
		log.Error().Str("out", o.out).Err(re.Err).Msg("cannot write the reports")
		return exitUsage
	case runner.StageStart:
		log.Error().Err(re.Err).Msg("cannot start the run")
	case runner.StageCrossClaims:
		// The cross-claim rules could not run: reports without them would
		// look complete, so none.
		log.Error().Err(re.Err).Msg("cannot run the cross-claim rules")
	case runner.StageFindings:
		log.Error().Err(re.Err).Msg("cannot keep the findings")
	case runner.StageHistory:
		// Reports without HIST-DUPLICATE would look complete, so none.
		log.Error().Str("error", runner.SafeText(re.Err.Error())).
			Msg("cannot check the claim history for duplicates: no reports written (run again, or without --history for reports without the check)")
	}
	return exitInputFailed
}

// exitCode is the run's exit code: 3 when an input failed (it wins over 1),
// else 1 when a finding is at or above failLevel, else 0.
func exitCode(r *reports.Report, failLevel finding.Severity) int {
	if r.Summary.FilesFailed > 0 {
		return exitInputFailed
	}
	if failLevel == 0 {
		return exitOK
	}
	for sev := failLevel; sev <= finding.Error; sev++ {
		if r.Summary.FindingsBySeverity[sev.String()] > 0 {
			return exitFindings
		}
	}
	return exitOK
}
