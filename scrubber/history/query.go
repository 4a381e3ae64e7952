package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Duplicate is an earlier claim that went out for the same patient, date of
// service and side as one of tonight's original target lines.
type Duplicate struct {
	Claim int  // index of tonight's claim in the slice given to Duplicates
	Line  Line // tonight's line (Date as CCYYMMDD)

	RunID      string    // the earlier run
	RunStarted time.Time // and when it started
	ClaimID    string    // the earlier claim's CLM01
}

// lookupKeys is how many lines one duplicate query carries (4 parameters
// each).
const lookupKeys = 500

// duplicatesQuery finds, for each key of the VALUES list k, the recorded
// original claims that went out (ready or review) with that patient, date of
// service and side. Each key must cost one probe of claims_patient, then one
// of claim_lines' primary key per claim of that patient, whatever the
// history's size; each store is told so its own way. In SQLite, CROSS JOIN
// fixes the join order (left to itself, with hundreds of keys, it builds an
// automatic index over all of claim_lines instead). PostgreSQL reorders CROSS
// JOINs and, where a date and side are common, hash-joins the keys with the
// whole of claim_lines for every 500 lines (200 ms a query on 355,000 lines,
// growing with the history): the lateral subquery, fenced by OFFSET 0 so that
// it is not pulled up, makes it probe the indexes key by key. The CASTs give
// PostgreSQL the types of the parameters.
const duplicatesQuery = `WITH k (i, patient_key, service_date, side) AS (VALUES %s)
SELECT k.i, r.run_id, r.started_at, c.claim_id, f.sha256
FROM k CROSS JOIN claims c CROSS JOIN claim_lines l CROSS JOIN files f CROSS JOIN runs r
WHERE c.patient_key = k.patient_key
  AND c.frequency = '` + FrequencyOriginal + `'
  AND c.status IN ('` + StatusReady + `', '` + StatusReview + `')
  AND l.claim_ref = c.id AND l.service_date = k.service_date AND l.side = k.side
  AND f.id = c.file_ref
  AND r.id = f.run_ref
ORDER BY k.i, r.started_at, r.id, c.id`

// duplicatesQueryLateral is duplicatesQuery for PostgreSQL.
const duplicatesQueryLateral = `WITH k (i, patient_key, service_date, side) AS (VALUES %s)
SELECT k.i, r.run_id, r.started_at, c.claim_id, f.sha256
FROM k CROSS JOIN LATERAL (
    SELECT c.id, c.claim_id, c.file_ref FROM claims c JOIN claim_lines l ON l.claim_ref = c.id
    WHERE c.patient_key = k.patient_key
      AND c.frequency = '` + FrequencyOriginal + `'
      AND c.status IN ('` + StatusReady + `', '` + StatusReview + `')
      AND l.service_date = k.service_date AND l.side = k.side
    OFFSET 0) c
  JOIN files f ON f.id = c.file_ref
  JOIN runs r ON r.id = f.run_ref
ORDER BY k.i, r.started_at, r.id, c.id`

const duplicatesKey = "(CAST(? AS INTEGER), CAST(? AS {blob}), CAST(? AS INTEGER), CAST(? AS TEXT))"

// lookup is one line of tonight's to look up.
type lookup struct {
	claim int
	line  lineKey
}

// Duplicates looks up tonight's claims (not yet recorded) in the history.
// Only originals (Frequency "1") with a patient key are looked up, and only
// recorded originals that went out (ready or review) are found: held claims
// did not go out, and replacements and voids are never compared. A recorded
// claim with the same claim ID from a file with the same SHA-256 is the same
// claim seen again, not a duplicate. A line found in several earlier runs
// gives one Duplicate each, oldest first; the result is ordered by claim,
// then line, then run.
//
// Lines are sent 500 to a query, so a night of 100,000 lines is 200
// queries; each line costs one probe of the patient index, plus one probe
// of claim_lines per earlier target claim of that patient, whatever the
// history's size.
func (s *Store) Duplicates(ctx context.Context, claims []Claim) ([]Duplicate, error) {
	var keys []lookup
	for i, c := range claims {
		if c.Frequency != FrequencyOriginal || c.Patient.IsZero() {
			continue
		}
		for _, l := range storedLines(c.Lines) {
			keys = append(keys, lookup{i, l})
		}
	}
	var out []Duplicate
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	args := make([]any, 0, 4*lookupKeys)
	for start := 0; start < len(keys); start += lookupKeys {
		chunk := keys[start:min(start+lookupKeys, len(keys))]
		args = args[:0]
		for j, k := range chunk {
			args = append(args, start+j, claims[k.claim].Patient[:], k.line.date, k.line.side)
		}
		var rows *sql.Rows
		var err error
		if len(chunk) == lookupKeys {
			if full == nil {
				if full, err = s.db.PrepareContext(ctx, s.duplicatesSQL(lookupKeys)); err != nil {
					return nil, fmt.Errorf("history: looking up duplicates: %w", err)
				}
			}
			rows, err = full.QueryContext(ctx, args...)
		} else {
			rows, err = s.db.QueryContext(ctx, s.duplicatesSQL(len(chunk)), args...)
		}
		if err != nil {
			return nil, fmt.Errorf("history: looking up duplicates: %w", err)
		}
		if out, err = scanDuplicates(rows, keys, claims, out); err != nil {
			return nil, fmt.Errorf("history: looking up duplicates: %w", err)
		}
	}
	return out, nil
}

func (s *Store) duplicatesSQL(keys int) string {
	list := strings.Repeat(duplicatesKey+", ", keys-1) + duplicatesKey
	query := duplicatesQuery
	if s.d.lateral {
		query = duplicatesQueryLateral
	}
	return s.d.sql(fmt.Sprintf(query, list))
}

func scanDuplicates(rows *sql.Rows, keys []lookup, claims []Claim, out []Duplicate) ([]Duplicate, error) {
	defer rows.Close()
	for rows.Next() {
		var (
			i                   int
			runID, started, cid string
			fileSHA             string
		)
		if err := rows.Scan(&i, &runID, &started, &cid, &fileSHA); err != nil {
			return out, err
		}
		k := keys[i]
		night := claims[k.claim]
		if cid == night.ClaimID && fileSHA == night.FileSHA256 {
			continue // the same claim seen again
		}
		t, err := parseTime(started)
		if err != nil {
			return out, err
		}
		out = append(out, Duplicate{
			Claim:      k.claim,
			Line:       Line{Date: strconv.Itoa(k.line.date), Side: k.line.side},
			RunID:      runID,
			RunStarted: t,
			ClaimID:    cid,
		})
	}
	return out, rows.Err()
}

// Seen tells when a file was scrubbed before with the same rule pack: the
// first recorded run in which a file with this SHA-256 was read whole (status
// ok) under a pack with this SHA-256; of the run, only ID and Started are
// set. ok is false when there is none.
func (s *Store) Seen(ctx context.Context, fileSHA256, packSHA256 string) (run Run, ok bool, err error) {
	var started string
	err = s.db.QueryRowContext(ctx, s.d.sql(`SELECT r.run_id, r.started_at
		FROM files f JOIN runs r ON r.id = f.run_ref
		WHERE f.sha256 = ? AND f.status = '`+FileOK+`' AND r.pack_sha256 = ?
		ORDER BY r.started_at, r.id LIMIT 1`), fileSHA256, packSHA256).Scan(&run.ID, &started)
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, false, nil
	}
	if err == nil {
		run.Started, err = parseTime(started)
	}
	if err != nil {
		return Run{}, false, fmt.Errorf("history: looking up file %s: %w", fileSHA256, err)
	}
	return run, true, nil
}

// RunCounts is a recorded run with its counts, for trends.
type RunCounts struct {
	Run
	Files, FilesFailed, FilesSkipped int
	TargetClaims                     int
	Held, Review, Ready, Void        int
}

// Runs returns the last n recorded runs (by start time), oldest first.
func (s *Store) Runs(ctx context.Context, n int) ([]RunCounts, error) {
	rows, err := s.db.QueryContext(ctx, s.d.sql(`SELECT run_id, started_at, finished_at,
		tool_version, pack_version, pack_sha256, exit_code, files, files_failed, files_skipped,
		target_claims, held, review, ready, void
		FROM runs ORDER BY started_at DESC, id DESC LIMIT ?`), n)
	if err != nil {
		return nil, fmt.Errorf("history: reading runs: %w", err)
	}
	defer rows.Close()
	var out []RunCounts
	for rows.Next() {
		var r RunCounts
		var started, finished string
		if err := rows.Scan(&r.ID, &started, &finished, &r.ToolVersion, &r.PackVersion, &r.PackSHA256,
			&r.ExitCode, &r.Files, &r.FilesFailed, &r.FilesSkipped,
			&r.TargetClaims, &r.Held, &r.Review, &r.Ready, &r.Void); err != nil {
			return nil, fmt.Errorf("history: reading runs: %w", err)
		}
		if r.Started, err = parseTime(started); err == nil {
			r.Finished, err = parseTime(finished)
		}
		if err != nil {
			return nil, fmt.Errorf("history: reading runs: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("history: reading runs: %w", err)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}
