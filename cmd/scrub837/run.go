package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/scrub837/scrub837/reports"
	"github.com/scrub837/scrub837/scrubber"
	"github.com/scrub837/scrub837/scrubber/finding"
)

// fileMeta is what the command itself learns about an input while the
// scrubber reads it: the raw (on-disk, still compressed for .gz) bytes and
// their SHA-256, and how long it took.
type fileMeta struct {
	bytes    int64
	sha256   string // "" when the input could not be opened
	gzipped  bool
	duration time.Duration
	// replaced: the scrubber panicked and the result is a failed file's,
	// so what the file spooled before does not count
	replaced bool
}

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

// scrub runs a scrub: expand inputs, scrub them on -j workers, run the
// cross-claim rules, write the reports under the folder lock, and return
// the exit code.
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
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		log.Error().Str("out", o.out).Err(cleanPathError(err)).Msg("cannot create the report folder")
		return exitUsage
	}

	inputs := expandInputs(o.paths, o.recursive, o.out, func(path, why string) {
		log.Info().Str("file", path).Str("reason", why).Msg("not scrubbed")
	})
	if len(inputs) == 0 {
		log.Warn().Strs("paths", o.paths).Msg("no input files found")
	}

	var prog *progress
	if e.stderrIsTerminal && !o.quiet {
		prog = newProgress(sink, inputs)
		sink.setProgress(prog)
	}
	// Fewer files at once than CPUs: let each file use more goroutines.
	spareCPU := min(o.workers, len(inputs)) < runtime.GOMAXPROCS(0)
	spool, err := newFindingSpool("", len(inputs))
	if err != nil {
		log.Error().Err(err).Msg("cannot start the run")
		return exitInputFailed
	}
	defer spool.close()
	// A large file's findings go to the spool while it is scrubbed.
	s := scrubber.New(rulePack, scrubber.Options{Overlap: spareCPU, FindingSink: spool.putRun, SinkEvery: spoolRunFindings})
	defer s.Close() // removes the cross-claim index's temporary files if Finish did not
	stopTuning := tuneGC(e.getenv, min(o.workers, len(inputs)))
	results, metas := scrubAll(s, inputs, o.workers, spareCPU, e.stdin, prog, log, spool)
	if prog != nil {
		prog.finish()
		sink.setProgress(nil)
	}
	// The memory ceiling holds for the cross-claim matching too: it loads
	// a bounded piece of the index per CPU at a time, and without the
	// ceiling the pacer let some runs on a 4 GB drop peak 10 MB higher.
	err = s.Finish(results)
	stopTuning()
	if err != nil {
		// The cross-claim rules could not run (the disk their index spills
		// to failed): reports without them would look complete, so none.
		log.Error().Err(err).Msg("cannot run the cross-claim rules")
		return exitInputFailed
	}
	if err := spool.flush(); err != nil {
		// Findings were lost on the way to disk: reports would be wrong.
		log.Error().Err(err).Msg("cannot keep the findings")
		return exitInputFailed
	}

	report := buildReport(results, metas, reportMeta{
		runID:    runID,
		pack:     rulePack,
		started:  started,
		finished: clock.now(),
		showIDs:  o.showIDs,
		spool:    spool,
	})

	written, err := writeReports(o.out, o.formats, report, log)
	if err != nil {
		log.Error().Str("out", o.out).Err(err).Msg("cannot write the reports")
		return exitUsage
	}

	code := exitCode(report, o.failLevel)
	logRun(log, report, written, time.Since(wallStart), code)
	if !o.quiet {
		fmt.Fprint(e.stdout, summaryText(report, rulePack.Procedure, written))
	}
	return code
}

// scrubAll scrubs every input on workers goroutines. Results are placed by
// input index, so nothing downstream depends on scheduling.
//
// Each file's findings go to spool as soon as it is done (when spool is not
// nil), so memory does not grow with the findings of a large drop.
func scrubAll(s *scrubber.Scrubber, inputs []input, workers int, readAhead bool, stdin io.Reader, prog *progress, log zerolog.Logger, spool *findingSpool) ([]*scrubber.FileResult, []fileMeta) {
	results := make([]*scrubber.FileResult, len(inputs))
	metas := make([]fileMeta, len(inputs))
	workers = max(1, min(workers, len(inputs)))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				res, meta := scrubOne(s, i, inputs[i], readAhead, stdin, prog)
				results[i], metas[i] = res, meta
				var counts findingCounts
				if spool != nil {
					if meta.replaced {
						spool.drop(i)
					}
					counts = spool.put(i, res)
				} else {
					counts.add(res.Findings)
				}
				logFile(log, inputs[i], res, meta, counts)
				if prog != nil {
					prog.fileDone(res.Claims)
				}
			}
		}()
	}
	for i := range inputs {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return results, metas
}

// scrubOne scrubs one input. It never panics and never returns nil: an
// input that cannot be read, or a scrubber panic, is a failed file.
func scrubOne(s *scrubber.Scrubber, index int, in input, readAhead bool, stdin io.Reader, prog *progress) (res *scrubber.FileResult, meta fileMeta) {
	start := time.Now()
	defer func() {
		meta.duration = time.Since(start)
		if r := recover(); r != nil {
			// One file must not end the nightly run: report it as failed.
			res = s.Unreadable(index, in.name, fmt.Errorf("internal error while scrubbing (please report it): %v", r))
			meta.replaced = true
		}
	}()
	if in.err != nil {
		return s.Unreadable(index, in.name, in.err), fileMeta{}
	}
	var onBytes func(int64)
	if prog != nil {
		onBytes = prog.addBytes
	}
	opened, err := openInput(in, stdin, onBytes, readAhead)
	if opened == nil {
		return s.Unreadable(index, in.name, err), fileMeta{}
	}
	defer opened.close()
	if err != nil {
		res = s.Unreadable(index, in.name, err)
	} else {
		res = s.Scrub(index, in.name, opened.x12)
	}
	// The scrubber may stop early (not X12, a fatal read error): read the
	// rest so the hash and byte count describe the whole file.
	if derr := opened.drain(); derr != nil && res.Status != scrubber.StatusFailed {
		// Read to the end of its X12 but not of its bytes: still failed,
		// with a finding that says so.
		u := s.Unreadable(index, in.name, fmt.Errorf("reading the input failed: %w", cleanPathError(derr)))
		res.Status, res.Error = u.Status, u.Error
		res.Findings = append(res.Findings, u.Findings...)
		finding.Sort(res.Findings)
	}
	meta.bytes = opened.counter.n
	meta.sha256 = opened.counter.sum()
	meta.gzipped = opened.gzipped
	return res, meta
}

// writeReports writes the reports into out while holding its lock. When
// another run holds it, this one says so once and waits for it.
func writeReports(out string, formats []string, report *reports.Report, log zerolog.Logger) ([]string, error) {
	unlock, err := reports.LockDir(out, false)
	if errors.Is(err, reports.ErrLocked) {
		log.Warn().Str("out", out).Str("reason", err.Error()).Msg("another run is writing reports into this folder: waiting for it to finish")
		unlock, err = reports.LockDir(out, true)
		if err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	// A run killed while writing left its temporary files: nobody else
	// writes here while we hold the lock, so they are stale.
	if stale, err := reports.RemoveStaleTemps(out); err != nil {
		log.Warn().Str("out", out).Err(err).Msg("removing temporary reports of an earlier run failed")
	} else if len(stale) > 0 {
		log.Warn().Str("out", out).Int("files", len(stale)).Msg("removed temporary reports left by an earlier run that did not finish")
	}
	written, werr := reports.Write(out, formats, report)
	if uerr := unlock(); uerr != nil && werr == nil {
		log.Warn().Str("out", out).Err(uerr).Msg("releasing the report folder lock failed")
	}
	return written, werr
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
