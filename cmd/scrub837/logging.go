package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/scrub837/scrub837/reports"
)

// Logs never carry claim data: only file paths, sizes, counts, durations,
// statuses, rule IDs and error messages with every quoted fragment removed
// (runner.SafeText).

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

func (s *logSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.prog != nil {
		s.prog.clear()
	}
	return s.w.Write(p)
}

// newLogger returns the run's logger: console on a terminal, JSON
// otherwise, unless --log-format says; warnings and errors only with -q.
// Every event carries the run's ID.
func newLogger(o *options, runID string, terminal bool, w io.Writer) zerolog.Logger {
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
	return zerolog.New(out).Level(level).With().Timestamp().Str("run_id", runID).Logger()
}

// closingEvent is the run's last log event, "run finished" with its exit
// code: written whatever the level (-q included), so that a log shipper
// always has a heartbeat. It is at error when the run did not end with
// its reports and no input failure.
type closingEvent struct {
	log     zerolog.Logger
	started time.Time
}

func (c closingEvent) event(code int) *zerolog.Event {
	level := zerolog.InfoLevel
	if code != exitOK && code != exitFindings {
		level = zerolog.ErrorLevel
	}
	log := c.log.Level(zerolog.InfoLevel)
	return log.WithLevel(level).
		Int("exit_code", code).
		Dur("duration_ms", time.Since(c.started))
}

// finished logs the closing event of a run that wrote its reports.
// worklist are the fields of the worklist and the hand-off
// (worklistFields).
func (c closingEvent) finished(r *reports.Report, written, degraded []string, code int, worklist []any) {
	s := &r.Summary
	// A key-value list keeps the fields in this order.
	fields := []any{
		"rules", r.Run.Rules.Name + " " + r.Run.Rules.Version,
		"seed_only", r.Run.Rules.SeedOnly,
		"files", s.Files, "files_failed", s.FilesFailed,
		"transactions", s.Transactions, "transactions_skipped", s.TransactionsSkipped,
		"claims", s.Claims, "target_claims", s.TargetClaims, "clean_target_claims", s.CleanTargetClaims,
		"errors", s.FindingsBySeverity["error"], "warnings", s.FindingsBySeverity["warning"], "infos", s.FindingsBySeverity["info"],
	}
	fields = append(fields, worklist...)
	fields = append(fields,
		"reports", written,
		"degraded", degraded,
	)
	c.event(code).Fields(fields).Msg("run finished")
}

// progress is the terminal progress bar (a runner.Progress): bytes read
// against the total size of the inputs, with files and claims (counted as
// they are read) in its description; then a line with a spinner that says
// what the run does (matching claims across files, writing reports). With
// standard input (size unknown) that line shows from the start. Workers
// only bump counters; a ticker redraws, so the bar never slows scrubbing.
type progress struct {
	sink   *logSink // the bar, the line and log lines take turns on its lock
	bar    *progressbar.ProgressBar
	phase  string    // what the spinner line says; "" while the bar shows
	since  time.Time // when the phase began
	shown  bool      // the spinner line is on screen
	frame  int
	files  int
	bytes  atomic.Int64
	done   atomic.Int64
	claims atomic.Int64
	stop   chan struct{}
	wg     sync.WaitGroup
	ended  sync.Once
}

// phaseReading is the spinner line's phase while standard input (of
// unknown size) is read.
const phaseReading = "reading"

// Start shows the bar: size bytes (-1: unknown, the spinner line) in files
// inputs.
func (p *progress) Start(size int64, files int) {
	p.files, p.stop = files, make(chan struct{})
	p.sink.mu.Lock()
	if size < 0 {
		p.phase, p.since = phaseReading, time.Now()
	} else {
		p.bar = progressbar.NewOptions64(size,
			progressbar.OptionSetWriter(p.sink.w),
			progressbar.OptionShowBytes(true),
			progressbar.OptionShowTotalBytes(true),
			progressbar.OptionShowCount(),
			progressbar.OptionSetWidth(20),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetDescription(p.description()),
		)
		// The bar's clock starts now, with the reading, not at its first
		// frame: else the first frame divides every byte read so far by a
		// few microseconds (a rate spike).
		p.bar.StartWithoutRender()
	}
	p.sink.prog = p
	p.sink.mu.Unlock()
	p.wg.Add(1)
	go p.loop()
}

func (p *progress) description() string {
	return fmt.Sprintf("files %s/%s  claims %s", thousands(int(p.done.Load())), thousands(p.files), thousands(int(p.claims.Load())))
}

// AddBytes counts bytes read.
func (p *progress) AddBytes(n int64) { p.bytes.Add(n) }

// AddClaims counts claims read.
func (p *progress) AddClaims(n int) { p.claims.Add(int64(n)) }

// FileDone counts a file scrubbed.
func (p *progress) FileDone() { p.done.Add(1) }

// Phase replaces the bar with the spinner line, which says what the run
// does now.
func (p *progress) Phase(name string) {
	p.sink.mu.Lock()
	defer p.sink.mu.Unlock()
	p.clear()
	if p.bar != nil {
		_ = p.bar.Exit()
		p.bar = nil
	}
	p.phase, p.since = name, time.Now()
	p.draw()
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
			p.sink.mu.Lock()
			p.draw()
			p.sink.mu.Unlock()
		}
	}
}

var spinnerFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// draw redraws the bar or the spinner line. Hold sink.mu.
func (p *progress) draw() {
	if p.bar != nil {
		// Both render (the bar shows counts); Set64 goes last so the line
		// left on screen has fresh counts and bytes. The ticker is the
		// throttle.
		p.bar.Describe(p.description())
		_ = p.bar.Set64(p.bytes.Load())
		return
	}
	if p.phase == "" {
		return
	}
	p.frame++
	text := fmt.Sprintf("%s %s: %s, %s", spinnerFrames[p.frame%len(spinnerFrames)], p.phase,
		plural(p.files, "file", "files"), plural(int(p.claims.Load()), "claim", "claims"))
	if p.phase == phaseReading {
		text += fmt.Sprintf(", %.1f MB", float64(p.bytes.Load())/1e6)
	}
	text += fmt.Sprintf(", %ds", int(time.Since(p.since).Seconds()))
	fmt.Fprintf(p.sink.w, "\r%s\x1b[K", text)
	p.shown = true
}

// clear takes the bar or the line off the screen, for a log line. Hold
// sink.mu.
func (p *progress) clear() {
	if p.bar != nil {
		_ = p.bar.Clear()
	}
	if p.shown {
		fmt.Fprint(p.sink.w, "\r\x1b[K")
		p.shown = false
	}
}

// Done stops the redraws and removes the bar. It may be called more than
// once (when the run returns, and when a signal stops it).
func (p *progress) Done() {
	p.ended.Do(func() {
		if p.stop == nil {
			return // never started
		}
		close(p.stop)
		p.wg.Wait()
		p.sink.mu.Lock()
		p.clear()
		if p.bar != nil {
			_ = p.bar.Exit()
		}
		p.sink.prog = nil
		p.sink.mu.Unlock()
	})
}
