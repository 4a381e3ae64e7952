package main

// The claim history of a scrub run (cmd/scrub837/REPORTS.md, "History"):
// opened before anything is scrubbed, asked about files (--skip-seen) and
// the night's claims (HIST-DUPLICATE) by the runner, written once the
// reports are in place, and listed by `scrub837 history`.

import (
	"context"
	"errors"
	"fmt"
	"github.com/scrub837/scrub837/scrubber/rules"
	"io"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/rs/zerolog"

	"github.com/scrub837/scrub837/cmd/scrub837/internal/runner"
	"github.com/scrub837/scrub837/reports"
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/history"
)

// historyEnv names the variable that gives the history when --history is
// not given.
const historyEnv = "SCRUB837_HISTORY"

// trendRuns is how many runs report.html's trend chart shows, this one
// included.
const trendRuns = 30

// historyTarget is the history the run was given: --history, else
// SCRUB837_HISTORY; "" for none.
func historyTarget(flag string, getenv func(string) string) string {
	if flag != "" {
		return flag
	}
	return getenv(historyEnv)
}

// openHistory opens the history target names. Every failure is the
// user's to fix before a run can be trusted (a bad URL or key, a history
// newer than this tool, a server that does not answer), so the caller
// exits 2 and writes no reports: a night scrubbed without its history
// would miss duplicates and say nothing.
func openHistory(ctx context.Context, target string, getenv func(string) string) (*history.Store, error) {
	s, err := history.Open(ctx, target, getenv(history.KeyEnv))
	if err != nil {
		var ue *history.UsageError
		if errors.As(err, &ue) {
			return nil, err
		}
		return nil, fmt.Errorf("cannot open the claim history: %w", err)
	}
	return s, nil
}

// runHistory is the history as a run sees it (runner.History): lookups
// under this run's rule pack, and the run's record with the exit code its
// report gives under --fail-on.
type runHistory struct {
	store      *history.Store
	packSHA256 string
	failLevel  finding.Severity
	keepDays   int
	log        zerolog.Logger

	// for the summary: files skipped as seen, claims and lines found
	// already sent, and whether the run was recorded
	seen                atomic.Int64
	dupClaims, dupLines int
	recorded            bool
}

// Seen implements runner.History.
func (h *runHistory) Seen(ctx context.Context, fileSHA256 string) (string, bool, error) {
	run, ok, err := h.store.Seen(ctx, fileSHA256, h.packSHA256)
	if err != nil || !ok {
		return "", false, err
	}
	h.seen.Add(1)
	return fmt.Sprintf("scrubbed in run %s on %s", run.ID, run.Started.UTC().Format("2006-01-02 15:04 UTC")), true, nil
}

// Duplicates implements runner.History: it looks tonight's claims up in
// the history and gives each line found its earlier claims, oldest first.
func (h *runHistory) Duplicates(ctx context.Context, night []runner.NightClaim) ([]runner.LineDuplicate, error) {
	claims := make([]history.Claim, len(night))
	for i, n := range night {
		c := n.Summary
		claims[i] = history.Claim{ClaimID: c.ClaimID, FileSHA256: n.FileSHA256, Frequency: c.Frequency,
			Patient: h.store.PatientKey(c.PayerID, c.MemberID), Lines: historyLines(c.Lines)}
	}
	dups, err := h.store.Duplicates(ctx, claims)
	if err != nil {
		return nil, err
	}
	var out []runner.LineDuplicate
	for _, d := range dups {
		line := lineOf(night[d.Claim].Summary.Lines, d.Line)
		if line < 0 {
			return nil, fmt.Errorf("history: a duplicate of claim %s names a line it does not have", night[d.Claim].Summary.ClaimID)
		}
		earlier := runner.Earlier{RunID: d.RunID, Started: d.RunStarted, ClaimID: d.ClaimID}
		if k := len(out) - 1; k >= 0 && out[k].Claim == d.Claim && out[k].Line == line {
			out[k].Earlier = append(out[k].Earlier, earlier) // the same line found in another earlier run
			continue
		}
		out = append(out, runner.LineDuplicate{Claim: d.Claim, Line: line, Earlier: []runner.Earlier{earlier}})
		if len(out) == 1 || out[len(out)-2].Claim != d.Claim {
			h.dupClaims++
		}
	}
	h.dupLines += len(out)
	return out, nil
}

// historyLines are a claim's target lines as the history keeps them: the
// first date of service and the side.
func historyLines(lines []finding.ClaimLine) []history.Line {
	out := make([]history.Line, len(lines))
	for i, l := range lines {
		out[i] = history.Line{Date: l.ServiceDate, Side: string(l.Side)}
	}
	return out
}

// lineOf is the index of the first of lines with l's date and side; -1
// when none has.
func lineOf(lines []finding.ClaimLine, l history.Line) int {
	for i := range lines {
		if lines[i].ServiceDate == l.Date && string(lines[i].Side) == l.Side {
			return i
		}
	}
	return -1
}

// trend is the history's last runs for report.html's chart, oldest first:
// trendRuns less one, as this run is drawn from its own report.
func trend(ctx context.Context, s *history.Store) ([]reports.TrendRun, error) {
	runs, err := s.Runs(ctx, trendRuns-1)
	if err != nil {
		return nil, err
	}
	out := make([]reports.TrendRun, 0, len(runs)+1) // never nil: a history was given
	for _, r := range runs {
		out = append(out, reports.TrendRun{
			ID: r.ID, Started: r.Started, ExitCode: r.ExitCode,
			Files: r.Files, FilesFailed: r.FilesFailed, FilesSkipped: r.FilesSkipped,
			TargetClaims: r.TargetClaims, Held: r.Held, Review: r.Review, Ready: r.Ready, Void: r.Void,
		})
	}
	return out, nil
}

// Record implements runner.History: it writes the run into the history in
// one transaction, then prunes the runs that started more than keepDays
// before this one. A failed prune is only logged: the history is complete,
// only larger, and the next run prunes it.
func (h *runHistory) Record(ctx context.Context, res *runner.Result) error {
	start := time.Now()
	s, r := h.store, res.Report
	run := history.Run{
		ID: r.Run.ID, Started: r.Run.StartedAt, Finished: r.Run.FinishedAt,
		ToolVersion: r.Run.ToolVersion, PackVersion: r.Run.Rules.Version, PackSHA256: r.Run.Rules.SHA256,
		ExitCode: runExitCode(res, h.failLevel),
	}
	files := make([]history.File, len(r.Files))
	for i, f := range r.Files {
		files[i] = history.File{Path: f.Path, SHA256: f.SHA256, Bytes: f.Bytes, Status: f.Status}
	}
	claims, err := historyClaims(s, r)
	if err != nil {
		return err
	}
	if err := s.Record(ctx, run, files, claims); err != nil {
		return err
	}
	pruned, err := s.Prune(ctx, r.Run.StartedAt.AddDate(0, 0, -h.keepDays))
	if err != nil {
		h.log.Warn().Str("history", s.String()).Str("error", runner.SafeText(err.Error())).
			Msg("cannot prune the claim history: older runs are kept until a run prunes them")
	}
	h.log.Info().Str("history", s.String()).Int("files", len(files)).Int("target_claims", len(claims)).
		Int("pruned_runs", pruned).Dur("duration_ms", time.Since(start)).Msg("run recorded in the claim history")
	h.recorded = true
	return nil
}

// summaryText is the summary's line about the history.
func (h *runHistory) summaryText(procedure string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "  history %s: %s already sent (%s on %s)", h.store,
		plural(h.dupClaims, "claim", "claims"), rules.HistDuplicate, plural(h.dupLines, procedure+" line", procedure+" lines"))
	if n := int(h.seen.Load()); n > 0 {
		fmt.Fprintf(&b, ", %s skipped as scrubbed before", plural(n, "file", "files"))
	}
	if h.recorded {
		b.WriteString("; this run recorded\n")
	} else {
		b.WriteString("; this run NOT recorded\n")
	}
	return b.String()
}

// historyClaims are the run's target claims as the history keeps them,
// with the statuses of the worklist.
func historyClaims(s *history.Store, r *reports.Report) ([]history.Claim, error) {
	var out []history.Claim
	err := r.EachClaim(func(c *reports.ClaimRow) error {
		// The row is valid only during the call: keep copies.
		out = append(out, history.Claim{
			ClaimID:       strings.Clone(c.ClaimID),
			FileSHA256:    r.Files[c.FileIndex].SHA256,
			Frequency:     strings.Clone(c.Frequency),
			Status:        c.Status.String(),
			BillingNPI:    strings.Clone(c.BillingNPI),
			RenderingNPI:  strings.Clone(c.RenderingNPI),
			PayerID:       strings.Clone(c.PayerID),
			PayerClaimRef: strings.Clone(c.OriginalRef),
			Patient:       s.PatientKey(c.PayerID, c.MemberID),
			Lines:         historyLines(c.Lines),
		})
		return nil
	})
	return out, err
}

// historyCommand lists the history's last runs, one a line, or copies the
// history into another (--copy-to): how a team moves from the SQLite file
// to PostgreSQL.
func (e *env) historyCommand(args []string) int {
	fs := newFlagSet("scrub837 history")
	target := fs.String("history", "", "the claim history: a SQLite file's `PATH` or a postgres:// URL (default: $"+historyEnv+")")
	last := fs.IntP("last", "n", trendRuns, "list the last `N` runs")
	copyTo := fs.String("copy-to", "", "copy every run into another, empty history (a postgres:// `URL` or a SQLite file) instead of listing")
	help := fs.BoolP("help", "h", false, "show this help")
	if code, done := e.parseSubcommand(fs, help, args, "Usage: scrub837 history [--history PATH|URL] [--last N] [--copy-to PATH|URL]\n\n"+
		"Lists the claim history's last runs, oldest first: ID, start, files, target claims by status, exit code.\n"+
		"With --copy-to, copies the whole history into another, empty one under the same key."); done {
		return code
	}
	if fs.NArg() > 0 {
		return e.usageError(fmt.Errorf("history takes no arguments, got %q", fs.Args()))
	}
	if *last < 1 {
		return e.usageError(fmt.Errorf("--last must be at least 1, got %d", *last))
	}
	where := historyTarget(*target, e.getenv)
	if where == "" {
		return e.usageError(errors.New("no claim history given: --history PATH|URL, or set " + historyEnv))
	}
	if !strings.Contains(where, "://") {
		// Listing must not create a history (a typo would leave one).
		if _, err := os.Stat(where); err != nil {
			fmt.Fprintf(e.stderr, "scrub837: no claim history at %s: %v\n", where, err)
			return exitUsage
		}
	}
	ctx := context.Background()
	s, err := openHistory(ctx, where, e.getenv)
	if err != nil {
		fmt.Fprintf(e.stderr, "scrub837: %v\n", err)
		return exitUsage
	}
	defer s.Close()
	if *copyTo != "" {
		return e.copyHistory(ctx, s, where, *copyTo)
	}
	runs, err := s.Runs(ctx, *last)
	if err != nil {
		fmt.Fprintf(e.stderr, "scrub837: %v\n", err)
		return exitUsage
	}
	if err := writeRuns(e.stdout, runs); err != nil {
		return exitUsage
	}
	return exitOK
}

// writeRuns lists runs as a table, one a line: run ID and start on the
// left, counts aligned on the right.
func writeRuns(w io.Writer, runs []history.RunCounts) error {
	rows := [][]string{{"run", "started (UTC)", "files", "failed", "skipped", "target claims", "held", "review", "ready", "void", "exit"}}
	for _, r := range runs {
		row := []string{r.ID, r.Started.UTC().Format("2006-01-02 15:04")}
		for _, n := range []int{r.Files, r.FilesFailed, r.FilesSkipped, r.TargetClaims, r.Held, r.Review, r.Ready, r.Void, r.ExitCode} {
			row = append(row, strconv.Itoa(n))
		}
		rows = append(rows, row)
	}
	width := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			width[i] = max(width[i], utf8.RuneCountInString(cell))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		for i, cell := range row {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(cell))
			switch {
			case i == len(row)-1:
				b.WriteString(pad + cell + "\n")
			case i < 2:
				b.WriteString(cell + pad + "  ")
			default:
				b.WriteString(pad + cell + "  ")
			}
		}
	}
	if len(runs) == 0 {
		b.WriteString("(no runs yet)\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// copyHistory copies src (opened from where) into the history dstTarget.
// The copy must use src's key: SCRUB837_HISTORY_KEY when set, else, from a
// SQLite history with a key file, that file's text.
func (e *env) copyHistory(ctx context.Context, src *history.Store, where, dstTarget string) int {
	key := e.getenv(history.KeyEnv)
	getenv := e.getenv
	if key == "" && !strings.Contains(where, "://") {
		text, err := os.ReadFile(where + ".key")
		if err != nil {
			fmt.Fprintf(e.stderr, "scrub837: reading the key of %s: %v\n", src, err)
			return exitUsage
		}
		key = strings.TrimSpace(string(text))
		getenv = func(name string) string {
			if name == history.KeyEnv {
				return key
			}
			return e.getenv(name)
		}
	}
	dst, err := openHistory(ctx, dstTarget, getenv)
	if err != nil {
		fmt.Fprintf(e.stderr, "scrub837: %v\n", err)
		return exitUsage
	}
	defer dst.Close()
	n, err := src.CopyTo(ctx, dst)
	if err != nil {
		fmt.Fprintf(e.stderr, "scrub837: %v (%d runs were copied into %s before it: empty it before trying again)\n", err, n, dst)
		return exitUsage
	}
	fmt.Fprintf(e.stdout, "copied %d runs from %s into %s\n", n, src, dst)
	if e.getenv(history.KeyEnv) == "" {
		fmt.Fprintf(e.stdout, "%s holds them under the key in %s.key: set %s to that text wherever scrub837 uses %s\n", dst, where, history.KeyEnv, dst)
	}
	return exitOK
}
