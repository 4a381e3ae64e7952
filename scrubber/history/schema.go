package history

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// dialect holds every difference between the two stores; every statement is
// written once, in SQLite's spelling with ? placeholders and {…} tokens, and
// passed through sql.
type dialect struct {
	name   string // "sqlite" or "postgres"
	driver string // database/sql driver name
	tokens *strings.Replacer
	// lockWrites is run first in every writing transaction. SQLite needs none:
	// its transactions begin IMMEDIATE (the DSN's _txlock), which waits for the
	// write lock under busy_timeout. PostgreSQL takes a transaction-scoped
	// advisory lock, so two writers queue and the second one's statements see
	// the first one's rows (READ COMMITTED reads anew after the wait).
	lockWrites string
	numbered   bool // placeholders are $1, $2, … instead of ?
	// analyze refreshes the planner's statistics after a bulk write (a
	// new history, a CopyTo), before autovacuum comes round to it.
	analyze string
	// lateral: the duplicate lookup is duplicatesQueryLateral.
	lateral bool
}

// writeLockKey is the PostgreSQL advisory lock of the history's writers: an
// arbitrary number, 837 and issue 17.
const writeLockKey = 83717

var (
	sqliteDialect = &dialect{
		name:   "sqlite",
		driver: "sqlite",
		tokens: strings.NewReplacer(
			"{id}", "INTEGER", // INTEGER PRIMARY KEY is the rowid: no second index
			"{blob}", "BLOB",
			"{without_rowid}", " WITHOUT ROWID",
		),
	}
	postgresDialect = &dialect{
		name:   "postgres",
		driver: "pgx",
		tokens: strings.NewReplacer(
			"{id}", "BIGINT",
			"{blob}", "BYTEA",
			"{without_rowid}", "",
		),
		lockWrites: "SELECT pg_advisory_xact_lock(" + strconv.Itoa(writeLockKey) + ")",
		numbered:   true,
		analyze:    "ANALYZE runs, files, claims, claim_lines",
		lateral:    true,
	}
)

// sql returns a statement in the dialect's spelling.
func (d *dialect) sql(stmt string) string {
	stmt = d.tokens.Replace(stmt)
	if !d.numbered {
		return stmt
	}
	var b strings.Builder
	b.Grow(len(stmt) + len(stmt)/8)
	n := 0
	for i := 0; i < len(stmt); i++ {
		if stmt[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(stmt[i])
	}
	return b.String()
}

// migrations are the schema's versions: migrations[N-1] brings a history to
// version N. Never edit one that has shipped; add the next.
//
// Times are UTC text, timeLayout (the same in both stores and readable in
// sqlite3 or psql; fixed width, so they compare as text). Dates of service
// are integers CCYYMMDD. Ids are assigned by Record under the write lock.
var migrations = [][]string{
	{ // 1
		`CREATE TABLE meta (
			name  TEXT PRIMARY KEY,
			value TEXT NOT NULL
		)`,
		`CREATE TABLE runs (
			id            {id} PRIMARY KEY,
			run_id        TEXT NOT NULL,
			started_at    TEXT NOT NULL,
			finished_at   TEXT NOT NULL,
			tool_version  TEXT NOT NULL,
			pack_version  TEXT NOT NULL,
			pack_sha256   TEXT NOT NULL,
			exit_code     INTEGER NOT NULL,
			files         INTEGER NOT NULL,
			files_failed  INTEGER NOT NULL,
			files_skipped INTEGER NOT NULL,
			target_claims INTEGER NOT NULL,
			held          INTEGER NOT NULL,
			review        INTEGER NOT NULL,
			ready         INTEGER NOT NULL,
			void          INTEGER NOT NULL
		)`,
		`CREATE INDEX runs_started ON runs (started_at)`,
		`CREATE TABLE files (
			id      {id} PRIMARY KEY,
			run_ref {id} NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
			path    TEXT NOT NULL,
			sha256  TEXT NOT NULL,
			bytes   BIGINT NOT NULL,
			status  TEXT NOT NULL
		)`,
		`CREATE INDEX files_run ON files (run_ref)`,
		`CREATE INDEX files_sha256 ON files (sha256)`,
		// patient_key is NULL when the claim had no member ID: never compared.
		`CREATE TABLE claims (
			id              {id} PRIMARY KEY,
			file_ref        {id} NOT NULL REFERENCES files (id) ON DELETE CASCADE,
			claim_id        TEXT NOT NULL,
			frequency       TEXT NOT NULL,
			status          TEXT NOT NULL,
			payer_claim_ref TEXT NOT NULL,
			billing_npi     TEXT NOT NULL,
			rendering_npi   TEXT NOT NULL,
			payer_id        TEXT NOT NULL,
			patient_key     {blob}
		)`,
		`CREATE INDEX claims_file ON claims (file_ref)`,
		`CREATE INDEX claims_patient ON claims (patient_key)`,
		// One row per distinct (date of service, side) of a claim's target lines.
		`CREATE TABLE claim_lines (
			claim_ref    {id} NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
			service_date INTEGER NOT NULL,
			side         TEXT NOT NULL,
			PRIMARY KEY (claim_ref, service_date, side)
		){without_rowid}`,
	},
}

// SchemaVersion is the schema version this package writes.
func SchemaVersion() int { return len(migrations) }

// migrate brings the history to SchemaVersion, one transaction per version,
// each under the write lock, so two processes opening a new history at once
// apply each migration once.
func (s *Store) migrate(ctx context.Context) error {
	for {
		done, err := s.migrateOne(ctx)
		if err != nil || done {
			return err
		}
	}
}

// migrateOne applies the next migration, if any; done when none is left.
func (s *Store) migrateOne(ctx context.Context) (done bool, err error) {
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, s.d.sql(`CREATE TABLE IF NOT EXISTS schema_version (
		version    INTEGER PRIMARY KEY,
		applied_at TEXT NOT NULL
	)`)); err != nil {
		return false, fmt.Errorf("history: creating schema_version: %w", err)
	}
	var current int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&current); err != nil {
		return false, fmt.Errorf("history: reading the schema version: %w", err)
	}
	if current > SchemaVersion() {
		return false, usageErrorf("%s has schema version %d, newer than this scrub837 knows (%d): use a newer scrub837", s.where, current, SchemaVersion())
	}
	if current == SchemaVersion() {
		return true, tx.Commit()
	}
	next := current + 1
	for _, stmt := range migrations[next-1] {
		if _, err := tx.ExecContext(ctx, s.d.sql(stmt)); err != nil {
			return false, fmt.Errorf("history: migration %d: %w", next, err)
		}
	}
	if _, err := tx.ExecContext(ctx, s.d.sql(`INSERT INTO schema_version (version, applied_at) VALUES (?, ?)`),
		next, formatTime(time.Now())); err != nil {
		return false, fmt.Errorf("history: migration %d: %w", next, err)
	}
	return false, tx.Commit()
}

// beginWrite starts a transaction holding the history's write lock.
func (s *Store) beginWrite(ctx context.Context) (*sql.Tx, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("history: waiting for the write lock: %w", err)
	}
	if s.d.lockWrites != "" {
		if _, err := tx.ExecContext(ctx, s.d.lockWrites); err != nil {
			tx.Rollback()
			return nil, fmt.Errorf("history: waiting for the write lock: %w", err)
		}
	}
	return tx, nil
}

// refreshStats runs the dialect's analyze, if any. Its error is dropped:
// the rows are written, and statistics only speed later lookups up
// (autovacuum gathers them too, later).
func (s *Store) refreshStats(ctx context.Context) {
	if s.d.analyze != "" {
		_, _ = s.db.ExecContext(ctx, s.d.analyze)
	}
}
