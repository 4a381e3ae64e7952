package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"modernc.org/sqlite"               // registers the "sqlite" database/sql driver
	sqlite3 "modernc.org/sqlite/lib"
)

// Store is an open claim history. It is safe for concurrent use.
type Store struct {
	db    *sql.DB
	d     *dialect
	key   []byte
	where string // the history as named to the user, without a password
	// keyFile is a SQLite history's PATH.key, used when no key was given.
	keyFile string
}

// UsageError is an error in what the user asked for (a bad URL, a missing or
// wrong key, a history newer than this tool): the command exits 2 on it.
type UsageError struct{ msg string }

func (e *UsageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &UsageError{msg: "history: " + fmt.Sprintf(format, args...)}
}

// sqliteBusyTimeout is how long a SQLite writer waits for another one (a
// second nightly run recording at the same time) before it gives up.
const sqliteBusyTimeout = 10 * time.Minute

// Open opens the history named by target, creating and migrating it when
// needed: a postgres:// or postgresql:// URL, or else the path of a SQLite
// file (created, mode 0600, if missing).
//
// key is the secret of the patient keys as hex (the command passes
// os.Getenv(KeyEnv)). When it is empty, a SQLite history uses the key file
// beside it, PATH.key, created on first use; PostgreSQL has no such file and
// an empty key is a *UsageError. So is a malformed URL or key, and a key
// other than the one the history was created with.
func Open(ctx context.Context, target, key string) (*Store, error) {
	if target == "" {
		return nil, usageErrorf("no history given")
	}
	if isPostgresURL(target) {
		return openPostgres(ctx, target, key)
	}
	if strings.Contains(target, "://") {
		return nil, usageErrorf("%q: a history is a SQLite file path or a postgres:// URL", target)
	}
	return openSQLite(ctx, target, key)
}

func isPostgresURL(target string) bool {
	return strings.HasPrefix(target, "postgres://") || strings.HasPrefix(target, "postgresql://")
}

func openPostgres(ctx context.Context, target, key string) (*Store, error) {
	cfg, err := pgx.ParseConfig(target)
	if err != nil {
		return nil, usageErrorf("bad PostgreSQL URL: %v", err)
	}
	where := fmt.Sprintf("postgres://%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
	if key == "" {
		return nil, usageErrorf("a PostgreSQL history (%s) needs the patient-key secret in %s (64 hex digits, e.g. openssl rand -hex 32)", where, KeyEnv)
	}
	secret, err := parseKey(key, KeyEnv)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open(postgresDialect.driver, target)
	if err != nil {
		return nil, usageErrorf("bad PostgreSQL URL: %v", err)
	}
	s := &Store{db: db, d: postgresDialect, key: secret, where: where}
	if err := s.setUp(ctx, KeyEnv); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func openSQLite(ctx context.Context, path, key string) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	// Created here, not by SQLite, so that it is 0600 like the key: the
	// history holds claim IDs and dates of service (its -wal and -shm files
	// take the same mode).
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case err == nil:
		f.Close()
	case !errors.Is(err, fs.ErrExist):
		return nil, fmt.Errorf("history: creating %s: %w", path, err)
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	q := url.Values{}
	q.Set("_txlock", "immediate")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", sqliteBusyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	// A 64 MiB page cache (the default is 2 MiB): fewer of a night's changed
	// index pages spill to the WAL mid-transaction. (Statement journals stay
	// in temporary files: in memory, modernc's allocator returns each freed
	// chunk to the system, and a night's record took 2.3 times as long.)
	q.Add("_pragma", "cache_size(-65536)")
	// A big night's WAL (every page of a random-keyed index) is cut back to
	// 64 MiB once checkpointed, not left at its largest beside the file.
	q.Add("_pragma", "journal_size_limit(67108864)")
	// Every query has the index it needs; an automatic one is SQLite
	// misjudging a join, and costs a pass over millions of rows.
	q.Add("_pragma", "automatic_index(0)")
	u.RawQuery = q.Encode()
	db, err := sql.Open(sqliteDialect.driver, u.String())
	if err != nil {
		return nil, fmt.Errorf("history: opening %s: %w", path, err)
	}
	s := &Store{db: db, d: sqliteDialect, where: path}
	keySource := KeyEnv
	if key != "" {
		if s.key, err = parseKey(key, KeyEnv); err != nil {
			db.Close()
			return nil, err
		}
	} else {
		s.keyFile = abs + ".key"
		keySource = s.keyFile
	}
	if err := s.setUp(ctx, keySource); err != nil {
		db.Close()
		var notDB *sqlite.Error
		if errors.As(err, &notDB) && notDB.Code() == sqlite3.SQLITE_NOTADB {
			return nil, usageErrorf("%s is not a SQLite history (%v)", path, notDB)
		}
		return nil, err
	}
	return s, nil
}

// setUp migrates the history and checks the key; with no key yet (a SQLite
// history using its key file), it reads or makes the key file first.
func (s *Store) setUp(ctx context.Context, keySource string) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("history: opening %s: %w", s.where, err)
	}
	if err := s.migrate(ctx); err != nil {
		return err
	}
	if s.key == nil {
		check, err := s.storedKeyCheck(ctx)
		if err != nil {
			return err
		}
		if s.key, err = readKeyFile(s.keyFile, s.where, check == ""); err != nil {
			return err
		}
	}
	return s.checkKey(ctx, keySource)
}

// Close closes the history.
func (s *Store) Close() error { return s.db.Close() }

// String names the history for messages and logs: the SQLite path, or the
// PostgreSQL URL without its password and parameters.
func (s *Store) String() string { return s.where }
