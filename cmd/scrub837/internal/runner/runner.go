// Package runner is one scrub run: it expands the command line's paths into
// inputs, scrubs them on a pool of workers (each file's bytes read ahead
// and hashed when a CPU is spare, its findings spooled to disk), runs the
// cross-claim rules, checks the claim history when given one (History),
// assembles the report, writes it into the report folder under its lock,
// and records the run in the history. The command keeps its flags, logging
// setup, exit codes and summary; tests call Run in-process. The contract is
// cmd/scrub837/REPORTS.md.
package runner

import (
	"context"
	"fmt"
	"github.com/scrub837/scrub837/scrubber/rules"
	"io"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/scrub837/scrub837/cmd/scrub837/internal/rundir"
	"github.com/scrub837/scrub837/reports"
	"github.com/scrub837/scrub837/scrubber"
	"github.com/scrub837/scrub837/scrubber/codedata"
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/pack"
)

// Config is one run.
type Config struct {
	Paths     []string  // files, folders, and "-" for Stdin, in order
	Recursive bool      // folders: descend into sub-folders
	Stdin     io.Reader // read for the path "-"
	Out       string    // the report folder: created if missing, never scrubbed
	Formats   []string  // the reports to write (reports.ParseFormats)
	Pack      *pack.Pack
	Workers   int // files scrubbed at once

	RunID       string
	ToolVersion string
	ShowIDs     bool             // member IDs whole in the reports
	Started     time.Time        // the run's start (started_at)
	Now         func() time.Time // the run's clock, for finished_at

	// Log takes one event per input, per input left out, and about the
	// report folder's lock and leftovers. Its error texts pass through
	// SafeText: no claim data in logs.
	Log zerolog.Logger
	// Progress, when set, is told how far the scrubbing is.
	Progress Progress
	// MemoryCeiling sets a soft memory limit while files are scrubbed and
	// matched, so that the heap's peak does not grow with the number of
	// GC cycles (see memlimit.go). The command turns it off when GOGC or
	// GOMEMLIMIT is set: the user's settings win.
	MemoryCeiling bool
	// SpoolEvery is how many findings a file keeps in memory before they
	// go to the spool as a run; 0 is 4096.
	SpoolEvery int

	// The run's inputs and lifecycle: folder filters, stopping, temporary
	// files.

	// Include and Exclude (--include, --exclude) choose the files of
	// folders by name, or by path below the folder named when the pattern
	// has a "/" (path.Match patterns): only files matching an Include (when
	// any), and no entry matching an Exclude. Files named in Paths are
	// always scrubbed.
	Include, Exclude []string
	// Context stops the run when it is done (a signal): the workers take no
	// more files, reading stops, a report set being staged is discarded
	// (one being committed is finished first), and Run returns an *Error
	// of StageInterrupted. Nil: never.
	Context context.Context
	// TempDir is the run's private temporary folder (package rundir): every
	// temporary file of the run goes there (the findings spool, the
	// cross-claim index, the XLSX library's scratch files, the claim
	// spool, the tee of standard input for Split). Empty: Run makes one
	// under os.TempDir() and removes it before it returns. The command
	// makes its own, so that it can remove it when a signal stops the run.
	TempDir string

	// The worklist and the hand-off (REPORTS.md: claims.csv, --hold-on,
	// --split).
	// HoldOn is --hold-on: a target claim with a finding at or above it is
	// held (finding.Error when 0).
	HoldOn finding.Severity
	// Split writes the inputs back out, claim by claim, into ready/ and
	// held/ in Out, with the reports.
	Split bool

	// Data are the public data files (--data) the run applies
	// (scrubber.Options.Data), listed in the report's run.data; nil: none.
	Data *codedata.Set

	// The claim history (--history; REPORTS.md, "History"). History is nil
	// without one; with one, the run is recorded once its reports are in
	// place (Result.HistoryErr). With SkipSeen, each input file (standard
	// input excepted: it cannot be read twice) is hashed before it is
	// scrubbed, and skipped when History has seen its bytes.
	History  History
	SkipSeen bool
	// Trend is the history's last runs before this one, oldest first, for
	// report.html's trend chart (reports.Report.Trend); nil: no chart.
	Trend []reports.TrendRun
}

// History is what a run asks of the claim history.
type History interface {
	// Seen says whether a file with these bytes (their SHA-256, hex) was
	// scrubbed before under the run's rule pack and, when it was, the
	// reason its files[] entry gives ("scrubbed in run … on …").
	Seen(ctx context.Context, fileSHA256 string) (reason string, seen bool, err error)
	// Duplicates returns the lines of claims (tonight's target claims,
	// some thousands a call) that earlier runs' claims already billed
	// (HIST-DUPLICATE), in the order of claims and their lines.
	Duplicates(ctx context.Context, claims []NightClaim) ([]LineDuplicate, error)
	// Record keeps the run once its reports are in place. The report's
	// findings and claims can be read only during the call.
	Record(ctx context.Context, res *Result) error
}

// Stage is the part of a run that failed.
type Stage int

// Stages a run fails at.
const (
	StageOut         Stage = iota + 1 // the report folder cannot be created or written
	StageReports                      // the reports could not be written
	StageSplit                        // ready/ and held/ could not be written
	StageInterrupted                  // Config.Context was done before the reports were in place
)

// Error is a run that failed: no reports, or not all of them, were
// written.
type Error struct {
	Stage Stage
	Err   error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Result is a run that wrote its reports.
type Result struct {
	Report  *reports.Report
	Written []string // the report files, in the order of Config.Formats
	// Totals are the worklist's (held, review, ready, void, dollars held).
	Totals reports.Totals
	// Split is what --split wrote into ready/ and held/ (nil without it).
	Split *SplitCounts
	// Degraded says what the run had to do without, in a few words each,
	// because its temporary space or file handles ran out: the cross-claim
	// rules (each file with target claims has a FILE-CROSS-CLAIM-SKIPPED
	// finding), the findings spool (they were kept in memory). The reports
	// are written; the command exits 3.
	Degraded []string
	// HistoryErr is why the run could not be recorded in the claim
	// history (Config.History) after its reports were written.
	HistoryErr error
}

// Run runs one scrub: every input is in the report, including those that
// could not be read (failed). It returns an *Error when no reports could be
// written.
func Run(cfg Config) (*Result, error) {
	res, err := run(cfg)
	if err != nil && cfg.Context != nil && cfg.Context.Err() != nil {
		// Whatever failed, it failed because the run was being stopped.
		return nil, &Error{StageInterrupted, cfg.Context.Err()}
	}
	return res, err
}

func run(cfg Config) (*Result, error) {
	if cfg.Context == nil {
		cfg.Context = context.Background()
	}
	ctx, log := cfg.Context, cfg.Log
	// A report folder that cannot take the reports fails the run now, not
	// after the night's work.
	if err := reports.CheckWritable(cfg.Out); err != nil {
		return nil, &Error{StageOut, err}
	}
	inputs := expandInputs(cfg.Paths, expansion{recursive: cfg.Recursive, out: cfg.Out, include: cfg.Include, exclude: cfg.Exclude,
		notScrubbed: func(path, why string) {
			log.Info().Str("file", path).Str("reason", why).Msg("not scrubbed")
		}})
	if len(inputs) == 0 {
		log.Warn().Strs("paths", cfg.Paths).Msg("no input files found")
	}
	var degraded []string
	if cfg.TempDir == "" {
		dir, removed, err := rundir.Create("")
		if err != nil {
			// Each temporary file will try the system's folder, and the run
			// does without those that cannot be made there.
			log.Error().Err(err).Msg("cannot create the run's temporary folder")
			degraded = append(degraded, "no temporary folder of its own: "+SafeText(err.Error()))
			cfg.TempDir = os.TempDir()
		} else {
			defer dir.Remove()
			logStaleTempDirs(log, removed)
			cfg.TempDir = dir.Path()
		}
	}
	if cfg.Progress != nil {
		cfg.Progress.Start(totalSize(inputs), len(inputs))
	}
	spool := newFindingSpool(cfg.TempDir, len(inputs))
	defer spool.close()
	claims := newClaimSpool(cfg.TempDir, len(inputs))
	defer claims.close()
	var tee *stdinTee
	if cfg.Split && hasStdin(inputs) {
		// Standard input cannot be read twice: keep its bytes for the split.
		// Without the copy, standard input is scrubbed and reported but left
		// out of ready/ and held/ (the run says so: exit 3).
		var err error
		if tee, err = newStdinTee(cfg.TempDir); err != nil {
			log.Error().Err(err).Msg("standard input cannot be kept for --split: it is left out of ready/ and held/")
			degraded = append(degraded, "standard input left out of ready/ and held/ ("+SafeText(err.Error())+")")
			tee = nil
		} else {
			defer tee.remove()
		}
	}
	spoolEvery := cfg.SpoolEvery
	if spoolEvery <= 0 {
		spoolEvery = 4096
	}
	atOnce := filesAtOnce(cfg.Workers, len(inputs), runtime.GOMAXPROCS(0), openFileLimit())
	if atOnce < min(cfg.Workers, len(inputs)) {
		log.Info().Int("workers", cfg.Workers).Int("used", atOnce).Uint64("open_file_limit", openFileLimit()).
			Msg("fewer files at once than -j asks: more would not be faster (CPUs) or would run out of file handles")
	}
	// Fewer files at once than CPUs: let each file use more goroutines.
	spareCPU := atOnce < runtime.GOMAXPROCS(0)
	// A large file's findings and claim summaries go to their spools while
	// it is scrubbed.
	s := scrubber.New(cfg.Pack, scrubber.Options{TempDir: cfg.TempDir, Overlap: spareCPU, FindingSink: spool.putRun, SinkEvery: spoolEvery, ClaimSink: claims.putRun, Data: cfg.Data})
	defer s.Close() // removes the cross-claim index's temporary files if Finish did not
	stopLimit := func() {}
	if cfg.MemoryCeiling {
		stopLimit = limitMemory(atOnce)
	}
	w := workers{ctx: ctx, s: s, inputs: inputs, readAhead: spareCPU, stdin: cfg.Stdin, progress: cfg.Progress, log: log, spool: spool, claims: claims, tee: tee}
	if cfg.SkipSeen && cfg.History != nil {
		w.seen = cfg.History
	}
	results, metas := w.scrubAll(atOnce)
	if cfg.Progress != nil {
		cfg.Progress.Phase(PhaseCrossClaims)
	}
	if err := ctx.Err(); err != nil {
		stopLimit()
		return nil, err
	}
	// The memory ceiling holds for the cross-claim matching too: it loads
	// a bounded piece of the index per CPU at a time, and without the
	// ceiling the pacer let some runs on a 4 GB drop peak 10 MB higher.
	beforeFinish := spool.mark()
	err := s.Finish(results)
	stopLimit()
	if err != nil {
		// The cross-claim rules could not run (the disk their index spills
		// to filled up, or file handles ran out): the reports go without
		// them, and say so on every file whose claims they would check.
		spool.rollback(beforeFinish)
		n := skipCrossClaims(results, err)
		log.Error().Err(err).Int("files", n).Msg("the cross-claim rules could not run: the reports are written without them")
		degraded = append(degraded, "cross-claim rules skipped ("+SafeText(err.Error())+")")
	}
	if n, err := spool.degraded(); err != nil {
		log.Error().Err(err).Int("findings", n).Msg("findings kept in memory: the temporary folder could not take them")
		degraded = append(degraded, fmt.Sprintf("%d findings kept in memory (%s)", n, SafeText(err.Error())))
	}
	if n, err := claims.degraded(); err != nil {
		log.Error().Err(err).Int("claims", n).Msg("claim summaries kept in memory: the temporary folder could not take them")
		degraded = append(degraded, fmt.Sprintf("%d claim summaries kept in memory (%s)", n, SafeText(err.Error())))
	}
	if tee != nil {
		if err := tee.finish(); err != nil {
			log.Error().Err(err).Msg("standard input could not be kept for --split: it is left out of ready/ and held/")
			degraded = append(degraded, "standard input left out of ready/ and held/ ("+SafeText(err.Error())+")")
			tee = nil
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if cfg.History != nil {
		// HIST-DUPLICATE, once every claim is scrubbed. When the history
		// cannot be asked, the reports go without it and say so on every
		// file whose claims it would check (exit 3), as when the
		// cross-claim rules cannot run.
		beforeHistory := spool.mark()
		if err := checkHistory(ctx, &cfg, results, metas, spool, claims); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			spool.rollback(beforeHistory)
			n := skipHistory(results, err)
			log.Error().Err(err).Int("files", n).Msg("the claim history could not be checked for duplicates: the reports are written without " + rules.HistDuplicate.String())
			degraded = append(degraded, "claim history not checked ("+SafeText(err.Error())+")")
		}
	}
	if cfg.Progress != nil {
		cfg.Progress.Phase(PhaseReports)
	}
	h := handOff{ctx: ctx, cfg: &cfg, inputs: inputs, results: results, metas: metas, spool: spool, claims: claims, tee: tee, s: s, atOnce: atOnce}
	res, err := h.write()
	if res != nil {
		res.Degraded = degraded
	}
	if err == nil && cfg.History != nil {
		// Here, not by the caller: the spools close when Run returns.
		res.HistoryErr = cfg.History.Record(ctx, res)
	}
	return res, err
}

// logStaleTempDirs logs the temporary folders of dead runs that a new run
// removed.
func logStaleTempDirs(log zerolog.Logger, removed []string) {
	if len(removed) > 0 {
		log.Warn().Strs("folders", removed).Msg("removed the temporary folders of earlier runs that did not finish")
	}
}

// totalSize is the bytes of the inputs on disk; -1 when one's is unknown.
func totalSize(inputs []input) int64 {
	total := int64(0)
	for _, in := range inputs {
		if in.err != nil {
			continue // nothing will be read
		}
		if in.size < 0 {
			return -1 // stdin or a pipe
		}
		total += in.size
	}
	return total
}

// fileMeta is what the run itself learns about an input while the scrubber
// reads it: the raw (on-disk, still compressed for .gz) bytes and their
// SHA-256, and how long it took.
type fileMeta struct {
	bytes    int64
	sha256   string // "" when the input could not be opened
	gzipped  bool
	duration time.Duration
	// replaced: the scrubber panicked and the result is a failed file's,
	// so what the file spooled before does not count
	replaced bool
	// claimsSeen: the claims the progress bar was told of while the file
	// was read (claimCounter)
	claimsSeen int
	// seen: skipped unread, as the history has seen its bytes (--skip-seen)
	seen bool
}

// workers scrub the inputs of a run.
type workers struct {
	ctx       context.Context // done: take no more files, stop reading
	s         *scrubber.Scrubber
	inputs    []input
	readAhead bool
	stdin     io.Reader
	progress  Progress
	log       zerolog.Logger
	spool     *findingSpool
	claims    *claimSpool
	tee       *stdinTee // keeps standard input for --split; nil: not kept
	// seen, when set, is asked about each file before it is scrubbed
	// (--skip-seen).
	seen History
}

// scrubAll scrubs every input, n at a time. Results are placed by input
// index, so nothing downstream depends on scheduling. Each file's findings
// go to the spool as soon as it is done, so memory does not grow with the
// findings of a large drop.
func (w *workers) scrubAll(n int) ([]*scrubber.FileResult, []fileMeta) {
	results := make([]*scrubber.FileResult, len(w.inputs))
	metas := make([]fileMeta, len(w.inputs))
	if w.ctx == nil {
		w.ctx = context.Background()
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range max(1, n) {
		wg.Go(func() {
			for i := range jobs {
				if w.ctx.Err() != nil {
					continue // the run is being stopped: its results do not matter
				}
				res, meta := w.scrubOne(i)
				results[i], metas[i] = res, meta
				if meta.replaced {
					w.spool.drop(i)
					w.claims.drop(i)
				}
				counts := w.spool.put(i, res)
				logFile(w.log, w.inputs[i], res, meta, counts)
				if w.progress != nil {
					w.progress.AddClaims(res.Claims - meta.claimsSeen) // the estimate, corrected
					w.progress.FileDone()
				}
			}
		})
	}
	for i := range w.inputs {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return results, metas
}

// scrubOne scrubs input i. It never panics and never returns nil: an input
// that cannot be read, or a scrubber panic, is a failed file.
func (w *workers) scrubOne(i int) (res *scrubber.FileResult, meta fileMeta) {
	s, in := w.s, w.inputs[i]
	start := time.Now()
	defer func() {
		meta.duration = time.Since(start)
		if r := recover(); r != nil {
			// One file must not end the nightly run: report it as failed.
			res = s.Unreadable(i, in.name, fmt.Errorf("internal error while scrubbing (please report it): %v", r))
			meta.replaced = true
		}
	}()
	if in.skip != "" {
		return &scrubber.FileResult{Index: i, Name: in.name, Status: scrubber.StatusSkipped, Error: in.skip}, fileMeta{}
	}
	if in.err != nil {
		return s.Unreadable(i, in.name, in.err), fileMeta{}
	}
	if w.seen != nil && !in.stdin {
		if res, meta, ok := w.skipSeen(i); ok {
			return res, meta
		}
	}
	var onBytes func(int64)
	if w.progress != nil {
		onBytes = w.progress.AddBytes
	}
	stdin := w.stdin
	if in.stdin && w.tee != nil {
		stdin = io.TeeReader(stdin, w.tee)
	}
	opened, err := openInput(w.ctx, in, stdin, onBytes, w.readAhead)
	for wait, waited := 10*time.Millisecond, time.Duration(0); opened == nil && isOutOfHandles(err) && waited < openRetryFor; wait *= 2 {
		// Out of file handles: other files give theirs back as they end.
		time.Sleep(wait)
		waited += wait
		opened, err = openInput(w.ctx, in, stdin, onBytes, w.readAhead)
	}
	if opened == nil {
		return s.Unreadable(i, in.name, err), fileMeta{}
	}
	defer opened.close()
	if err != nil {
		res = s.Unreadable(i, in.name, err)
	} else {
		x12 := opened.x12
		if w.progress != nil {
			counter := &claimCounter{r: x12, add: w.progress.AddClaims}
			defer func() { meta.claimsSeen = counter.seen }()
			x12 = counter
		}
		res = s.Scrub(i, in.name, x12)
	}
	// The scrubber may stop early (not X12, a fatal read error): read the
	// rest so the hash and byte count describe the whole file.
	if derr := opened.drain(); derr != nil && res.Status != scrubber.StatusFailed {
		// Read to the end of its X12 but not of its bytes: still failed,
		// with a finding that says so.
		failWith(s, res, fmt.Errorf("reading the input failed: %w", cleanPathError(derr)))
	}
	// A file still being written can end at an interchange boundary and
	// look complete, with half its claims.
	if cerr := opened.changed(); cerr != nil {
		if res.Status == scrubber.StatusFailed {
			res.Error += " (" + cerr.Error() + ")"
		} else {
			failWith(s, res, cerr)
		}
	}
	if res.Status == scrubber.StatusFailed {
		suggestExclude(res, in.name)
	}
	meta.bytes = opened.counter.n
	meta.sha256 = opened.counter.sum()
	meta.gzipped = opened.gzipped
	return res, meta
}

// skipSeen hashes input i and asks the history whether it has seen those
// bytes: ok when it has, with the skipped file's result. A file that cannot
// be hashed or looked up is scrubbed (ok false): scrubbing it again does no
// harm, and the scrub says why a file cannot be read.
//
// The file is read twice when it is scrubbed, once to hash it and once to
// scrub it; the second read comes from the page cache as it follows at once.
// Hashing costs a fraction of scrubbing (SHA-256 runs at over 1 GB/s on
// CPUs with SHA extensions, scrubbing at about 0.4 GB/s).
func (w *workers) skipSeen(i int) (*scrubber.FileResult, fileMeta, bool) {
	in := w.inputs[i]
	bytes, sum, err := hashFile(in.name)
	if err != nil {
		return nil, fileMeta{}, false
	}
	reason, seen, err := w.seen.Seen(context.Background(), sum)
	if err != nil {
		w.log.Warn().Str("file", in.name).Str("error", SafeText(err.Error())).
			Msg("cannot ask the history whether the file was scrubbed before: scrubbing it")
		return nil, fileMeta{}, false
	}
	if !seen {
		return nil, fileMeta{}, false
	}
	if w.progress != nil {
		w.progress.AddBytes(bytes)
	}
	res := &scrubber.FileResult{Index: i, Name: in.name, Status: scrubber.StatusSkipped, Error: reason}
	return res, fileMeta{bytes: bytes, sha256: sum, seen: true}, true
}

// logFile logs the one event of a file. counts are all of the file's
// findings (res holds none: they went to the spool).
func logFile(log zerolog.Logger, in input, res *scrubber.FileResult, meta fileMeta, counts findingCounts) {
	if in.skip != "" {
		log.Info().Str("file", in.name).Int("index", res.Index).Str("status", string(res.Status)).Str("reason", in.skip).Msg("not scrubbed")
		return
	}
	ev := log.Info()
	if res.Status == scrubber.StatusFailed {
		ev = log.Error() // with -q too: an input the night could not scrub
	}
	bySev := counts.bySev
	ev = ev.Str("file", res.Name).
		Int("index", res.Index).
		Str("status", string(res.Status)).
		Int64("bytes", meta.bytes).
		Bool("gzip", meta.gzipped).
		Int("transactions", res.Transactions).
		Int("claims", res.Claims).
		Int("target_claims", res.TargetClaims).
		Int("findings", counts.n).
		Int("errors", bySev[finding.Error]).
		Int("warnings", bySev[finding.Warning]).
		Int("infos", bySev[finding.Info]).
		Dur("duration_ms", meta.duration)
	if meta.seen {
		ev.Str("reason", SafeText(res.Error)).Msg("file skipped: scrubbed before (--skip-seen)")
		return
	}
	if res.Error != "" {
		ev = ev.Str("error", SafeText(res.Error))
	}
	if !meta.gzipped && hasGzipName(in.name) && res.Status != scrubber.StatusFailed {
		ev = ev.Str("note", "named .gz but not gzip data: read as plain X12")
	}
	ev.Msg("file scrubbed")
}
