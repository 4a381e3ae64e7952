package main

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/scrub837/scrub837/reports"
	"github.com/scrub837/scrub837/scrubber"
	"github.com/scrub837/scrub837/scrubber/finding"
)

// Logs never carry claim data: only file paths, sizes, counts, durations,
// statuses, rule IDs and error messages with every quoted fragment removed
// (x12io quotes the bytes of a segment it cannot read, which could be
// patient data).

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// logSink serialises writes to stderr, and clears the progress bar before a
// log line so the two never share a line.
type logSink struct {
	mu   sync.Mutex // also guards the progress bar, which draws on w
	w    io.Writer
	prog *progress
}

func (s *logSink) setProgress(p *progress) {
	s.mu.Lock()
	s.prog = p
	s.mu.Unlock()
}

func (s *logSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.prog != nil {
		_ = s.prog.bar.Clear()
	}
	return s.w.Write(p)
}

// newLogger returns the run's logger: console on a terminal, JSON
// otherwise, unless --log-format says; warnings and errors only with -q.
func newLogger(o *options, terminal bool, w io.Writer) zerolog.Logger {
	format := o.logFormat
	if format == "" {
		format = logFormatJSON
		if terminal {
			format = logFormatConsole
		}
	}
	out := w
	if format == logFormatConsole {
		out = zerolog.ConsoleWriter{Out: w, TimeFormat: "15:04:05", NoColor: !terminal}
	}
	level := zerolog.InfoLevel
	if o.quiet {
		level = zerolog.WarnLevel
	}
	return zerolog.New(out).Level(level).With().Timestamp().Logger()
}

// quoted matches a Go-quoted ("...") or single-quoted fragment.
var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'`)

// safeError is an error message fit for a log line or the stdout summary:
// quoted fragments, which may quote file content, become "…", and the
// message is one line of bounded length.
func safeError(msg string) string {
	msg = quoted.ReplaceAllString(oneLine(msg), `"…"`)
	const limit = 300
	if len(msg) > limit {
		msg = msg[:limit] + "…"
	}
	return msg
}

// logFile logs the one event of a file.
// counts are all of the file's findings (res may hold only the last ones:
// the others went to the spool while it was scrubbed).
func logFile(log zerolog.Logger, in input, res *scrubber.FileResult, meta fileMeta, counts findingCounts) {
	ev := log.Info()
	if res.Status == scrubber.StatusFailed {
		ev = log.Warn()
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
	if res.Error != "" {
		ev = ev.Str("error", safeError(res.Error))
	}
	if !meta.gzipped && hasGzipName(in.name) && res.Status != scrubber.StatusFailed {
		ev = ev.Str("note", "named .gz but not gzip data: read as plain X12")
	}
	ev.Msg("file scrubbed")
}

// logRun logs the one event of the run.
func logRun(log zerolog.Logger, r *reports.Report, written []string, took time.Duration, code int) {
	s := &r.Summary
	ev := log.Info()
	if code == exitInputFailed {
		ev = log.Warn()
	}
	ev.Str("run_id", r.Run.ID).
		Str("rules", r.Run.Rules.Name+" "+r.Run.Rules.Version).
		Bool("seed_only", r.Run.Rules.SeedOnly).
		Int("files", s.Files).
		Int("files_failed", s.FilesFailed).
		Int("transactions", s.Transactions).
		Int("transactions_skipped", s.TransactionsSkipped).
		Int("claims", s.Claims).
		Int("target_claims", s.TargetClaims).
		Int("clean_target_claims", s.CleanTargetClaims).
		Int("errors", s.FindingsBySeverity["error"]).
		Int("warnings", s.FindingsBySeverity["warning"]).
		Int("infos", s.FindingsBySeverity["info"]).
		Strs("reports", written).
		Dur("duration_ms", took).
		Int("exit_code", code).
		Msg("run finished")
}

// progress is the terminal progress bar: bytes read against the total size
// of the inputs, with files and claims in its description. Workers only
// bump counters; a ticker redraws, so the bar never slows scrubbing.
type progress struct {
	mu     *sync.Mutex // the log sink's: bar and log lines take turns
	bar    *progressbar.ProgressBar
	files  int
	bytes  atomic.Int64
	done   atomic.Int64
	claims atomic.Int64
	stop   chan struct{}
	wg     sync.WaitGroup
}

func newProgress(sink *logSink, inputs []input) *progress {
	total := int64(0)
	for _, in := range inputs {
		if in.err != nil {
			continue // nothing will be read
		}
		if in.size < 0 {
			total = -1 // stdin or a pipe: size unknown, spinner
			break
		}
		total += in.size
	}
	p := &progress{mu: &sink.mu, files: len(inputs), stop: make(chan struct{})}
	p.bar = progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(sink.w),
		progressbar.OptionShowBytes(true),
		progressbar.OptionShowTotalBytes(true),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(20),
		progressbar.OptionSpinnerType(14),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetDescription(p.description()),
	)
	p.wg.Add(1)
	go p.loop()
	return p
}

func (p *progress) description() string {
	return fmt.Sprintf("files %d/%d  claims %d", p.done.Load(), p.files, p.claims.Load())
}

func (p *progress) addBytes(n int64) { p.bytes.Add(n) }

func (p *progress) fileDone(claims int) {
	p.done.Add(1)
	p.claims.Add(int64(claims))
}

func (p *progress) loop() {
	defer p.wg.Done()
	t := time.NewTicker(150 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.redraw()
		}
	}
}

func (p *progress) redraw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	// Both render (the bar shows counts); Set64 goes last so the line
	// left on screen has fresh counts and bytes. The ticker is the throttle.
	p.bar.Describe(p.description())
	_ = p.bar.Set64(p.bytes.Load())
}

// finish stops the redraws and removes the bar.
func (p *progress) finish() {
	close(p.stop)
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.bar.Clear()
	_ = p.bar.Exit()
}
