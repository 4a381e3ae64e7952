package history

import (
	"context"
	"crypto/hmac"
	"fmt"
)

// CopyTo copies every run of s, with its files and claims, into dst, oldest
// first, one transaction per run, and returns how many it copied: how a team
// moves its SQLite history to PostgreSQL. dst must hold no run yet and use
// the same key as s (for a SQLite history with a key file, the file's text
// as SCRUB837_HISTORY_KEY), else patients would not match across the two.
func (s *Store) CopyTo(ctx context.Context, dst *Store) (int, error) {
	if !hmac.Equal(s.key, dst.key) {
		return 0, usageErrorf("%s and %s have different keys: give %s the key of %s", s.where, dst.where, dst.where, s.where)
	}
	var n int
	if err := dst.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM runs`).Scan(&n); err != nil {
		return 0, fmt.Errorf("history: copying: %w", err)
	}
	if n > 0 {
		return 0, usageErrorf("%s already holds %d runs: copy into an empty history", dst.where, n)
	}
	ids, err := s.runIDs(ctx)
	if err != nil {
		return 0, err
	}
	for i, id := range ids {
		run, files, claims, err := s.readRun(ctx, id)
		if err != nil {
			return i, fmt.Errorf("history: copying: %w", err)
		}
		if err := dst.recordRun(ctx, run, files, claims); err != nil {
			return i, err
		}
	}
	dst.refreshStats(ctx) // once, not a run at a time
	return len(ids), nil
}

// runIDs are the history's run rows, in the order they were recorded.
func (s *Store) runIDs(ctx context.Context) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM runs ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("history: copying: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("history: copying: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// readRun reads run row id back as Record was given it.
func (s *Store) readRun(ctx context.Context, id int64) (Run, []File, []Claim, error) {
	var run Run
	var started, finished string
	err := s.db.QueryRowContext(ctx, s.d.sql(`SELECT run_id, started_at, finished_at, tool_version,
		pack_version, pack_sha256, exit_code FROM runs WHERE id = ?`), id).Scan(
		&run.ID, &started, &finished, &run.ToolVersion, &run.PackVersion, &run.PackSHA256, &run.ExitCode)
	if err == nil {
		run.Started, err = parseTime(started)
	}
	if err == nil {
		run.Finished, err = parseTime(finished)
	}
	if err != nil {
		return run, nil, nil, err
	}

	rows, err := s.db.QueryContext(ctx, s.d.sql(`SELECT path, sha256, bytes, status FROM files WHERE run_ref = ? ORDER BY id`), id)
	if err != nil {
		return run, nil, nil, err
	}
	var files []File
	for rows.Next() {
		var f File
		if err := rows.Scan(&f.Path, &f.SHA256, &f.Bytes, &f.Status); err != nil {
			rows.Close()
			return run, nil, nil, err
		}
		files = append(files, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return run, nil, nil, err
	}

	// One row per line (a claim without a line gives one row of NULLs).
	rows, err = s.db.QueryContext(ctx, s.d.sql(`SELECT c.id, c.claim_id, f.sha256, c.frequency, c.status,
		c.payer_claim_ref, c.billing_npi, c.rendering_npi, c.payer_id, c.patient_key, l.service_date, l.side
		FROM files f JOIN claims c ON c.file_ref = f.id LEFT JOIN claim_lines l ON l.claim_ref = c.id
		WHERE f.run_ref = ? ORDER BY c.id, l.service_date, l.side`), id)
	if err != nil {
		return run, nil, nil, err
	}
	defer rows.Close()
	var claims []Claim
	last := int64(-1)
	for rows.Next() {
		var (
			c       Claim
			cid     int64
			patient []byte
			date    *int
			side    *string
		)
		if err := rows.Scan(&cid, &c.ClaimID, &c.FileSHA256, &c.Frequency, &c.Status, &c.PayerClaimRef,
			&c.BillingNPI, &c.RenderingNPI, &c.PayerID, &patient, &date, &side); err != nil {
			return run, nil, nil, err
		}
		if cid != last {
			copy(c.Patient[:], patient)
			claims = append(claims, c)
			last = cid
		}
		if date != nil && side != nil {
			cl := &claims[len(claims)-1]
			cl.Lines = append(cl.Lines, Line{Date: fmt.Sprintf("%08d", *date), Side: *side})
		}
	}
	return run, files, claims, rows.Err()
}
