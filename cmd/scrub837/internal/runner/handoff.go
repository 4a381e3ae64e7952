package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/rs/zerolog"

	"github.com/scrub837/scrub837/reports"
	"github.com/scrub837/scrub837/scrubber"
	"github.com/scrub837/scrub837/scrubber/finding"
)

// handOff is the end of a run: under the report folder's lock, the
// reports and (with --split) ready/ and held/ are staged and put in place
// as one set (reports.Stage), replacing the last run's.
type handOff struct {
	ctx     context.Context // done: discard the staged set (a commit under way is finished first)
	cfg     *Config
	inputs  []input
	results []*scrubber.FileResult
	metas   []fileMeta
	spool   *findingSpool
	claims  *claimSpool
	tee     *stdinTee
	s       *scrubber.Scrubber
	atOnce  int
}

func (h *handOff) write() (*Result, error) {
	cfg, log := h.cfg, h.cfg.Log
	unlock, err := lockOut(h.ctx, cfg.Out, log)
	if err != nil {
		return nil, &Error{StageReports, err}
	}
	defer func() {
		if err := unlock(); err != nil {
			log.Warn().Str("out", cfg.Out).Err(err).Msg("releasing the report folder lock failed")
		}
	}()
	if err := recoverOut(cfg.Out, log); err != nil {
		return nil, &Error{StageReports, err}
	}
	st, err := reports.NewStage(cfg.Out)
	if err != nil {
		return nil, &Error{StageReports, err}
	}
	defer st.Abort() // does nothing once committed
	stopAbort := context.AfterFunc(h.ctx, st.Abort)
	defer stopAbort()

	var split *SplitCounts
	if cfg.Split {
		counts, err := h.split(st)
		if err != nil {
			return nil, &Error{StageSplit, err}
		}
		split = &counts
	}
	report := buildReport(h.results, h.metas, cfg, h.spool)
	report.Claims = h.claims
	report.HoldOn = holdOn(cfg)
	written, err := st.WriteFormats(cfg.Formats, report)
	if err == nil {
		err = h.ctx.Err()
	}
	if err != nil {
		return nil, &Error{StageReports, err}
	}
	// The worklist's totals, for the summary and the logs: computed once
	// (a writer may have), while the spools are open.
	totals, err := report.Totals()
	if err != nil {
		return nil, &Error{StageReports, err}
	}
	if err := st.Commit(); errors.Is(err, reports.ErrSetIncomplete) {
		// The reports were written: say what is missing, and go on.
		log.Error().Str("out", cfg.Out).Err(err).Msg("the new reports are written but not all in place: the next run into this folder puts them in place")
	} else if err != nil {
		return nil, &Error{StageReports, err}
	}
	return &Result{Report: report, Written: written, Totals: totals, Split: split}, nil
}

func holdOn(cfg *Config) finding.Severity {
	if cfg.HoldOn == 0 {
		return finding.Error
	}
	return cfg.HoldOn
}

// split stages ready/ and held/ and writes every input into them. An input
// whose bytes changed between the scrub and the split is failed in the
// reports, with a FILE-UNREADABLE finding that says so.
func (h *handOff) split(st *reports.Stage) (SplitCounts, error) {
	readyDir, err := st.Dir(reports.ReadyDir)
	if err != nil {
		return SplitCounts{}, err
	}
	heldDir, err := st.Dir(reports.HeldDir)
	if err != nil {
		return SplitCounts{}, err
	}
	names := splitNames(h.inputs)
	inputs := make([]splitInput, len(h.inputs))
	for i, in := range h.inputs {
		inputs[i] = splitInput{index: i, in: in, res: h.results[i], meta: h.metas[i], stem: names[i], path: in.name}
		if in.stdin {
			if h.tee != nil {
				inputs[i].path = h.tee.path
			} else {
				inputs[i].path = "" // its copy could not be kept: it cannot be read again
			}
		}
	}
	sp := splitter{ctx: h.ctx, readyDir: readyDir, heldDir: heldDir, holdOn: holdOn(h.cfg), log: h.cfg.Log,
		findings: spoolSource{sp: h.spool, results: h.results}, claims: h.claims}
	counts, changed, err := sp.splitAll(inputs, h.atOnce)
	if err != nil {
		return counts, err
	}
	for i := range h.results { // in input order: the log and the spool stay deterministic
		why := changed[i]
		if why == nil {
			continue
		}
		res := h.results[i]
		h.cfg.Log.Error().Str("file", res.Name).Str("error", SafeText(why.Error())).Msg("the input changed while it was scrubbed: copied whole to held/, failed in the reports")
		failed := h.s.Unreadable(i, res.Name, why)
		res.Status, res.Error = failed.Status, failed.Error
		h.spool.putRun(i, failed.Findings)
	}
	return counts, nil
}

// lockOut takes the report folder's lock. When another run holds it, it
// says so once and waits for it, until ctx is done.
func lockOut(ctx context.Context, out string, log zerolog.Logger) (unlock func() error, err error) {
	unlock, err = reports.LockDir(out, false)
	if !errors.Is(err, reports.ErrLocked) {
		return unlock, err
	}
	log.Warn().Str("out", out).Str("reason", err.Error()).Msg("another run is writing reports into this folder: waiting for it to finish")
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-tick.C:
		}
		unlock, err = reports.LockDir(out, false)
		if !errors.Is(err, reports.ErrLocked) {
			return unlock, err
		}
	}
}

// recoverOut completes or clears what a run killed while writing into out
// left there, and logs what it did. Hold the lock.
func recoverOut(out string, log zerolog.Logger) error {
	rec, err := reports.Recover(out)
	if rec.Completed {
		log.Warn().Str("out", out).Msg("put in place the report set of an earlier run that was stopped while putting it in place")
	}
	if rec.BadJournal {
		log.Warn().Str("out", out).Msg("discarded the unreadable journal of an earlier run: the folder keeps the set it had")
	}
	if len(rec.Removed) > 0 {
		log.Warn().Str("out", out).Int("files", len(rec.Removed)).Msg("removed temporary reports left by an earlier run that did not finish")
	}
	if err != nil {
		return fmt.Errorf("completing what an earlier run left in the report folder: %w", err)
	}
	return nil
}

// stdinTee keeps a copy of standard input in the run's temporary folder
// (mode 0600: it holds claims) while the scrub reads it, so that --split
// can read it again. A write error does not stop the scrub: it is reported
// when the copy is needed.
type stdinTee struct {
	f    *os.File
	path string
	err  error
}

func newStdinTee(dir string) (*stdinTee, error) {
	f, err := os.CreateTemp(dir, "scrub837-stdin-*.x12") // mode 0600
	if err != nil {
		return nil, fmt.Errorf("cannot keep standard input for --split: %w", err)
	}
	return &stdinTee{f: f, path: f.Name()}, nil
}

func (t *stdinTee) Write(p []byte) (int, error) {
	if t.err == nil {
		_, t.err = t.f.Write(p)
	}
	return len(p), nil
}

// finish closes the copy; its error is the first write's, if any.
func (t *stdinTee) finish() error {
	err := errors.Join(t.err, t.f.Close())
	if err != nil {
		return fmt.Errorf("cannot keep standard input for --split: %w", err)
	}
	return nil
}

func (t *stdinTee) remove() {
	t.f.Close()
	os.Remove(t.path)
}

func hasStdin(inputs []input) bool {
	for _, in := range inputs {
		if in.stdin {
			return true
		}
	}
	return false
}
