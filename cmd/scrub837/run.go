package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

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

// stopGrace is how long a run stopped by a signal has to unwind (discard
// its staged reports, finish a commit under way) before the command
// removes its temporary folder and exits anyway. A second signal does not
// wait.
const stopGrace = 3 * time.Second

// scrub runs a scrub (runner.Run) and returns the exit code.
func (e *env) scrub(o *options) int {
	clock, err := newRunClock(e.getenv)
	if err != nil {
		return e.usageError(err)
	}
	if err := checkPathsExist(o.paths); err != nil {
		return e.usageError(err)
	}
	started := clock.now()
	wallStart := time.Now()
	runID := o.runID
	if runID == "" {
		runID = defaultRunID(started)
	}

	sink := &logSink{w: e.stderr}
	log := newLogger(o, runID, e.stderrIsTerminal, sink)
	closing := closingEvent{log: log, started: wallStart}

	rulePack, err := loadPack(o.rules, o.seedOnly)
	if err != nil {
		// The error names the pack file and line; it never holds claim data.
		return e.fatal(sink, closing, exitUsage, err.Error())
	}
	data, err := e.loadRunData(o, rulePack, log)
	if err != nil {
		return e.fatal(sink, closing, exitUsage, err.Error())
	}

	// The claim history, opened before anything is scrubbed: what it
	// refuses is a usage error, with no reports.
	var hist *history.Store
	if target := historyTarget(o.history, e.getenv); target != "" {
		if hist, err = openHistory(context.Background(), target, e.getenv); err != nil {
			return e.fatal(sink, closing, exitUsage, runner.SafeText(err.Error()))
		}
		defer hist.Close()
	} else if o.skipSeen {
		return e.usageError(errors.New("--skip-seen needs a claim history: give --history (or set " + historyEnv + ")"))
	}

	// From here on a signal stops the run cleanly: temporary files and a
	// staged report set are removed, and the exit code says which signal.
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	ignoreFileSizeSignal()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	cfg := runner.Config{
		Context:       ctx,
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
		Include:       o.include,
		Exclude:       o.exclude,
		HoldOn:        o.holdLevel,
		Split:         o.split,
		Data:          data,
	}
	// The run's private temporary folder: made here rather than by the
	// runner so that a signal can remove it (see rundir).
	tmp, removed, err := rundir.Create("")
	if err != nil {
		log.Error().Err(err).Msg("cannot create the run's temporary folder")
	} else {
		defer tmp.Remove()
		cfg.TempDir = tmp.Path()
		if len(removed) > 0 {
			log.Warn().Strs("folders", removed).Msg("removed the temporary folders of earlier runs that did not finish")
		}
	}
	var bar *progress
	if e.stderrIsTerminal && !o.quiet {
		bar = &progress{sink: sink}
		cfg.Progress = bar
	}
	var rh *runHistory
	if hist != nil {
		rh = &runHistory{store: hist, packSHA256: rulePack.SHA256, failLevel: o.failLevel, keepDays: o.historyKeep, log: log}
		cfg.History = rh
		cfg.SkipSeen = o.skipSeen
		if cfg.Trend, err = trend(ctx, hist); err != nil {
			log.Warn().Str("history", hist.String()).Str("error", runner.SafeText(err.Error())).
				Msg("cannot read the claim history's last runs: report.html shows no trend")
		}
	}

	done := make(chan runOutcome, 1)
	go func() {
		res, err := runner.Run(cfg)
		done <- runOutcome{res, err}
	}()
	var out runOutcome
	select {
	case out = <-done:
		if bar != nil {
			bar.Done()
		}
	case sig := <-sigs:
		cancel()
		forced := false
		select {
		case out = <-done:
		case <-time.After(stopGrace):
			forced = true
		case <-sigs:
			forced = true
		}
		if bar != nil {
			bar.Done()
		}
		if tmp != nil {
			tmp.Remove() // before the closing event: it says the run is over
		}
		code := signalExitCode(sig)
		ev := closing.event(code).Str("signal", signalName(sig)).Bool("forced", forced)
		if out.err == nil && out.res != nil {
			// The set was committed before the run could stop.
			ev = ev.Strs("reports", out.res.Written)
		}
		ev.Msg("run finished")
		return code
	}
	if out.err != nil {
		return e.runFailed(sink, closing, o, out.err)
	}
	res := out.res
	code := runExitCode(res, o.failLevel)
	if res.HistoryErr != nil {
		// Not recorded, the run would be missing from tomorrow's duplicate
		// checks with nobody told: cron must hear of it, and 3 is "reports
		// written, something failed".
		log.Error().Str("history", hist.String()).Str("error", runner.SafeText(res.HistoryErr.Error())).
			Msg("the claim history was not updated: the reports are complete, but this run is not in the history (run it again to record it)")
		code = exitInputFailed
	}
	closing.finished(res.Report, res.Written, res.Degraded, code, worklistFields(res.Totals, res.Split))
	if !o.quiet {
		lines := worklistText(res.Totals, res.Split)
		if rh != nil {
			lines += rh.summaryText(rulePack.Procedure)
		}
		fmt.Fprint(e.stdout, summaryText(res.Report, rulePack.Procedure, lines, res.Written, res.Degraded, code, o.failOn))
	}
	return code
}

// runExitCode is the exit code of a run that wrote its reports (before
// the claim history's record, which the history keeps): exitCode's, or 3
// when the run had to leave something out.
func runExitCode(res *runner.Result, failLevel finding.Severity) int {
	if len(res.Degraded) > 0 {
		return exitInputFailed // the reports lack what the run had to leave out
	}
	return exitCode(res.Report, failLevel)
}

// checkPathsExist: a PATH named on the command line that does not exist is
// a usage error (a typo in a crontab), not an input that failed: nothing
// is scrubbed and last night's reports stay as they were.
func checkPathsExist(paths []string) error {
	for _, p := range paths {
		if p == "-" {
			continue
		}
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s does not exist (nothing was scrubbed; the reports in --out were left as they were)", printable(p))
		}
	}
	return nil
}

// runOutcome is what runner.Run returned.
type runOutcome struct {
	res *runner.Result
	err error
}

// signalExitCode is the exit code of a run stopped by sig: 128 + its
// number, as a shell reports a process killed by it.
func signalExitCode(sig os.Signal) int {
	if sig == syscall.SIGTERM {
		return exitSIGTERM
	}
	return exitSIGINT
}

func signalName(sig os.Signal) string {
	if sig == syscall.SIGTERM {
		return "SIGTERM"
	}
	return "SIGINT"
}

// fatal prints a run's fatal error as a usage error is printed, logs the
// closing event, and returns code.
func (e *env) fatal(sink *logSink, closing closingEvent, code int, msg string) int {
	fmt.Fprintf(sink, "scrub837: %s\n", msg)
	closing.event(code).Str("error", msg).Msg("run finished")
	return code
}

// ownGCSettings reports whether the run may set its own memory ceiling:
// not when the user set GOGC or GOMEMLIMIT (their settings win).
func ownGCSettings(getenv func(string) string) bool {
	return getenv("GOGC") == "" && getenv("GOMEMLIMIT") == ""
}

// runFailed reports why a run wrote no reports and returns its exit code:
// 2 for a report folder that cannot be used, 3 when the run itself failed.
// Error texts are safe for logs (runner.SafeText).
func (e *env) runFailed(sink *logSink, closing closingEvent, o *options, err error) int {
	var re *runner.Error
	if !errors.As(err, &re) {
		return e.fatal(sink, closing, exitInputFailed, "the run failed: "+runner.SafeText(err.Error()))
	}
	why := runner.SafeText(re.Err.Error())
	switch re.Stage {
	case runner.StageOut:
		return e.fatal(sink, closing, exitUsage, why) // names the folder
	case runner.StageReports:
		return e.fatal(sink, closing, exitUsage, fmt.Sprintf("cannot write the reports into %s: %s", o.out, why))
	}
	return e.fatal(sink, closing, exitInputFailed, "the run failed: "+why)
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
