package history

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Run is one scrub837 run as the history keeps it.
type Run struct {
	ID          string // --run-id; several runs may share one
	Started     time.Time
	Finished    time.Time
	ToolVersion string
	PackVersion string
	PackSHA256  string // hex
	ExitCode    int
}

// File is one input of a run.
type File struct {
	Path   string // as the reports show it
	SHA256 string // hex
	Bytes  int64
	Status string // FileOK, FileFailed or FileSkipped
}

// File statuses, as in exceptions.json's files[].
const (
	FileOK      = "ok"
	FileFailed  = "failed"
	FileSkipped = "skipped"
)

// Claim is one target claim (a claim with a 0620T line).
type Claim struct {
	ClaimID       string // CLM01
	FileSHA256    string // the SHA256 of one of the run's files
	Frequency     string // CLM05-3: "1" original, "7" replacement, "8" void
	Status        string // StatusHeld, StatusReview, StatusReady or StatusVoid
	PayerClaimRef string // REF*F8, the payer's claim number a replacement or void refers to
	BillingNPI    string
	RenderingNPI  string
	PayerID       string
	Patient       PatientKey // from Store.PatientKey; never the member ID itself
	Lines         []Line     // the claim's target lines
}

// Line is a target line's date of service and side (leg). A claim with two
// lines on the same date and side is kept as one Line.
type Line struct {
	Date string // DTP*472 DTP03: CCYYMMDD, or a range CCYYMMDD-CCYYMMDD (its first date is kept)
	Side string // e.g. "LT" or "RT"; compared as is ("" matches only "")
}

// Claim statuses, as in claims.csv. Held claims did not go out; ready and
// review ones did.
const (
	StatusHeld   = "held"
	StatusReview = "review"
	StatusReady  = "ready"
	StatusVoid   = "void"
)

// FrequencyOriginal is CLM05-3 of an original claim, the only frequency
// compared for duplicates.
const FrequencyOriginal = "1"

const timeLayout = "2006-01-02T15:04:05Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) { return time.Parse(timeLayout, s) }

// serviceDate reads a Line's Date as the integer CCYYMMDD.
func serviceDate(date string) (int, bool) {
	if len(date) != 8 && !(len(date) == 17 && date[8] == '-') {
		return 0, false
	}
	n, err := strconv.Atoi(date[:8])
	if err != nil || n < 10000101 || date[0] == '+' || date[0] == '-' {
		return 0, false
	}
	return n, true
}

// lineKey is a Line as stored: the date as CCYYMMDD, deduplicated.
type lineKey struct {
	date int
	side string
}

// storedLines returns a claim's lines as they are kept: those with a date of
// service (a line without one can be compared with nothing), each
// (date, side) once.
func storedLines(lines []Line) []lineKey {
	out := make([]lineKey, 0, len(lines))
	for _, l := range lines {
		d, ok := serviceDate(l.Date)
		if !ok {
			continue
		}
		k := lineKey{d, l.Side}
		dup := false
		for _, o := range out {
			dup = dup || o == k
		}
		if !dup {
			out = append(out, k)
		}
	}
	return out
}

// Record keeps a run with its files and target claims, in one transaction
// that waits for any other writer: on any error, nothing of the run is kept.
// Every claim's FileSHA256 must be one of files'. The run's counts (files,
// failed, skipped, target claims by status) are taken from files and claims.
func (s *Store) Record(ctx context.Context, run Run, files []File, claims []Claim) error {
	if err := s.recordRun(ctx, run, files, claims); err != nil {
		return err
	}
	s.refreshStats(ctx)
	return nil
}

// recordRun is Record but the statistics' refresh.
func (s *Store) recordRun(ctx context.Context, run Run, files []File, claims []Claim) error {
	row, err := runRow(run, files, claims)
	if err != nil {
		return err
	}
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.record(ctx, tx, row, files, claims); err != nil {
		return fmt.Errorf("history: recording run %s: %w", run.ID, err)
	}
	if testHookBeforeCommit != nil {
		testHookBeforeCommit(ctx)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("history: recording run %s: %w", run.ID, err)
	}
	return nil
}

// testHookBeforeCommit, set by tests only, runs inside Record's transaction
// once every row is written.
var testHookBeforeCommit func(context.Context)

// runRow validates a run and returns its row, less the id.
func runRow(run Run, files []File, claims []Claim) ([]any, error) {
	var failed, skipped int
	shas := make(map[string]bool, len(files))
	for _, f := range files {
		switch f.Status {
		case FileOK:
		case FileFailed:
			failed++
		case FileSkipped:
			skipped++
		default:
			return nil, fmt.Errorf("history: file %s has status %q (want ok, failed or skipped)", f.Path, f.Status)
		}
		shas[f.SHA256] = true
	}
	byStatus := map[string]int{}
	for _, c := range claims {
		switch c.Status {
		case StatusHeld, StatusReview, StatusReady, StatusVoid:
			byStatus[c.Status]++
		default:
			return nil, fmt.Errorf("history: claim %s has status %q (want held, review, ready or void)", c.ClaimID, c.Status)
		}
		if !shas[c.FileSHA256] {
			return nil, fmt.Errorf("history: claim %s is from a file (SHA-256 %s) that is not among the run's files", c.ClaimID, c.FileSHA256)
		}
	}
	return []any{
		run.ID, formatTime(run.Started), formatTime(run.Finished),
		run.ToolVersion, run.PackVersion, run.PackSHA256, run.ExitCode,
		len(files), failed, skipped, len(claims),
		byStatus[StatusHeld], byStatus[StatusReview], byStatus[StatusReady], byStatus[StatusVoid],
	}, nil
}

// record writes the rows. Ids follow the largest in each table: the write
// lock is held, so no one else is adding rows.
func (s *Store) record(ctx context.Context, tx *sql.Tx, runRow []any, files []File, claims []Claim) error {
	runID, err := nextID(ctx, tx, "runs")
	if err != nil {
		return err
	}
	fileID, err := nextID(ctx, tx, "files")
	if err != nil {
		return err
	}
	claimID, err := nextID(ctx, tx, "claims")
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s.d.sql(`INSERT INTO runs (id, run_id, started_at, finished_at,
		tool_version, pack_version, pack_sha256, exit_code, files, files_failed, files_skipped,
		target_claims, held, review, ready, void)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`), append([]any{runID}, runRow...)...); err != nil {
		return err
	}

	fileIDs := make(map[string]int64, len(files))
	fb := s.newBatch(tx, "files", "id, run_ref, path, sha256, bytes, status")
	for i, f := range files {
		id := fileID + int64(i)
		if _, seen := fileIDs[f.SHA256]; !seen {
			fileIDs[f.SHA256] = id // a file given twice: its claims go with the first
		}
		if err := fb.add(ctx, id, runID, f.Path, f.SHA256, f.Bytes, f.Status); err != nil {
			return err
		}
	}
	if err := fb.flush(ctx); err != nil {
		return err
	}

	cb := s.newBatch(tx, "claims", "id, file_ref, claim_id, frequency, status, payer_claim_ref, billing_npi, rendering_npi, payer_id, patient_key")
	for i, c := range claims {
		var patient any // NULL: no member ID, never compared
		if !c.Patient.IsZero() {
			patient = c.Patient[:]
		}
		if err := cb.add(ctx, claimID+int64(i), fileIDs[c.FileSHA256], c.ClaimID, c.Frequency, c.Status,
			c.PayerClaimRef, c.BillingNPI, c.RenderingNPI, c.PayerID, patient); err != nil {
			return err
		}
	}
	if err := cb.flush(ctx); err != nil {
		return err
	}
	// Lines after every claim is in: each INSERT's foreign keys are checked
	// when it runs.
	lb := s.newBatch(tx, "claim_lines", "claim_ref, service_date, side")
	for i, c := range claims {
		for _, l := range storedLines(c.Lines) {
			if err := lb.add(ctx, claimID+int64(i), l.date, l.side); err != nil {
				return err
			}
		}
	}
	return lb.flush(ctx)
}

func nextID(ctx context.Context, tx *sql.Tx, table string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM `+table).Scan(&id)
	return id, err
}

// batchRows is how many rows one INSERT carries: a night's 100,000 claims
// take 200 statements, not 100,000 round trips to a server. (SQLite allows
// 32,766 parameters a statement, PostgreSQL 65,535; claims have 10 columns.)
const batchRows = 500

// batch inserts rows into one table, batchRows at a time.
type batch struct {
	s     *Store
	tx    *sql.Tx
	table string
	cols  string
	ncols int
	args  []any
	full  *sql.Stmt
}

func (s *Store) newBatch(tx *sql.Tx, table, cols string) *batch {
	return &batch{s: s, tx: tx, table: table, cols: cols, ncols: strings.Count(cols, ",") + 1}
}

// add queues a row, and writes the batch when it is full.
func (b *batch) add(ctx context.Context, vals ...any) error {
	b.args = append(b.args, vals...)
	if len(b.args) < b.ncols*batchRows {
		return nil
	}
	if b.full == nil {
		var err error
		if b.full, err = b.tx.PrepareContext(ctx, b.insert(batchRows)); err != nil {
			return err
		}
	}
	_, err := b.full.ExecContext(ctx, b.args...)
	b.args = b.args[:0]
	return err
}

// flush writes the rows left and releases the batch.
func (b *batch) flush(ctx context.Context) error {
	if b.full != nil {
		defer b.full.Close()
	}
	if len(b.args) == 0 {
		return nil
	}
	_, err := b.tx.ExecContext(ctx, b.insert(len(b.args)/b.ncols), b.args...)
	b.args = b.args[:0]
	return err
}

func (b *batch) insert(rows int) string {
	one := "(" + strings.Repeat("?, ", b.ncols-1) + "?)"
	var q strings.Builder
	q.WriteString("INSERT INTO " + b.table + " (" + b.cols + ") VALUES ")
	for i := range rows {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(one)
	}
	return b.s.d.sql(q.String())
}

// DefaultKeepDays is how long runs are kept by default (--history-keep):
// about the longest timely-filing window.
const DefaultKeepDays = 400

// Prune deletes the runs that started before cutoff, with their files and
// claims, and returns how many runs it deleted.
func (s *Store) Prune(ctx context.Context, cutoff time.Time) (int, error) {
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, s.d.sql(`DELETE FROM runs WHERE started_at < ?`), formatTime(cutoff))
	if err != nil {
		return 0, fmt.Errorf("history: pruning: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("history: pruning: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("history: pruning: %w", err)
	}
	return int(n), nil
}
