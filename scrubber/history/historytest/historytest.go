// Package historytest makes claim histories for the tests of the history
// store and of the command that keeps one: a SQLite file, or a schema of
// its own on the PostgreSQL test server; and it reads a history's tables
// past the store, for what the store's API does not show. It is for tests
// only.
package historytest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // the "sqlite" database/sql driver
)

// PostgresEnv names the PostgreSQL URL the tests use: a database the role
// may create schemas in. .ci/install-postgres.sh prints it.
const PostgresEnv = "SCRUB837_TEST_POSTGRES"

// SQLite is the path of a new SQLite history in the test's temporary
// folder; the first Open creates it.
func SQLite(t testing.TB) string {
	return filepath.Join(t.TempDir(), "history.db")
}

// Postgres makes a new, empty schema on the test server, named prefix and
// random hex digits, and returns a URL whose search_path is that schema;
// the schema is dropped after the test. Without a server the test skips,
// or fails under CI=true, where .ci/run starts one.
func Postgres(t testing.TB, prefix string) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set under CI=true: .ci/run starts PostgreSQL with .ci/install-postgres.sh", PostgresEnv)
		}
		t.Skipf("no PostgreSQL server: set %s (eval \"$(bash .ci/install-postgres.sh)\") to run the PostgreSQL tests", PostgresEnv)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL at %s: %v", PostgresEnv, err)
		}
		t.Skipf("no PostgreSQL server at %s: %v", PostgresEnv, err)
	}
	var suffix [6]byte
	rand.Read(suffix[:])
	schema := prefix + hex.EncodeToString(suffix[:])
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("PostgreSQL at %s: creating a schema: %v", PostgresEnv, err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("dropping schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// DB opens the database of the history at target (a SQLite file's path
// or a postgres:// URL) past the store; it is closed after the test.
func DB(t testing.TB, target string) *sql.DB {
	t.Helper()
	driver := "sqlite"
	if strings.Contains(target, "://") {
		driver = "pgx"
	}
	db, err := sql.Open(driver, target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Tables lists the tables of a PostgreSQL history: those of the schema its
// URL's search_path names.
func Tables(t testing.TB, db *sql.DB) []string {
	t.Helper()
	return Column[string](t, db, `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`)
}

// Rows is every row of a PostgreSQL history's table as PostgreSQL writes a
// row as text ("(1,CLM-1,…)"): all the table holds, for the tests that
// look for what it must not.
func Rows(t testing.TB, db *sql.DB, table string) []string {
	t.Helper()
	return Column[string](t, db, "SELECT t::text FROM "+table+" t")
}

// Column is the one column query selects, a value a row; an error fails
// the test.
func Column[T any](t testing.TB, db *sql.DB, query string, args ...any) []T {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
