package history_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/scrub837/scrub837/scrubber/history"
)

// postgresEnv names the PostgreSQL URL the tests use (a database the role
// may create schemas in); .ci/install-postgres.sh prints it.
const postgresEnv = "SCRUB837_TEST_POSTGRES"

// testKey is the patient-key secret of the tests (64 hex digits).
const testKey = "5c0b1e7d9a4f2c6e8b3d1a0f7e5c9b2d4a6f8e1c3b5d7a9f0e2c4b6d8a1f3e5c"

// backend makes new, empty histories of one kind.
type backend struct {
	name string
	// newHistory returns the target of a new history, dropped after the test.
	newHistory func(t *testing.T) string
}

var backends = []backend{
	{"sqlite", newSQLiteHistory},
	{"postgres", newPostgresHistory},
}

// forEachBackend runs f as a subtest on each kind of history.
func forEachBackend(t *testing.T, f func(t *testing.T, b backend)) {
	t.Helper()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { f(t, b) })
	}
}

func newSQLiteHistory(t *testing.T) string {
	return filepath.Join(t.TempDir(), "history.db")
}

// postgresURL is the test server's URL; without one the test skips, or
// fails under CI=true, where .ci/run starts the server.
func postgresURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv(postgresEnv)
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set under CI=true: .ci/run starts PostgreSQL with .ci/install-postgres.sh", postgresEnv)
		}
		t.Skipf("no PostgreSQL server: set %s (eval \"$(bash .ci/install-postgres.sh)\") to run the PostgreSQL tests", postgresEnv)
	}
	return u
}

// newPostgresHistory makes a schema of its own for the test and returns a
// URL whose search_path is that schema.
func newPostgresHistory(t *testing.T) string {
	t.Helper()
	base := postgresURL(t)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL at %s: %v", postgresEnv, err)
		}
		t.Skipf("no PostgreSQL server at %s: %v", postgresEnv, err)
	}
	var suffix [6]byte
	rand.Read(suffix[:])
	schema := "history_test_" + hex.EncodeToString(suffix[:])
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("creating schema: %v", err)
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

func openHistory(t *testing.T, target string) *history.Store {
	t.Helper()
	s, err := history.Open(context.Background(), target, testKey)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// day is a run start time: day n of 2026 at 02:00 UTC.
func day(n int) time.Time {
	return time.Date(2026, 1, 1, 2, 0, 0, 0, time.UTC).AddDate(0, 0, n-1)
}

// sha is a made-up SHA-256 (of the name) for a file or pack.
func sha(name string) string {
	sum := sha256.Sum256([]byte(name))
	return hex.EncodeToString(sum[:])
}

// run returns a run that started on day n.
func run(id string, n int) history.Run {
	return history.Run{
		ID: id, Started: day(n), Finished: day(n).Add(3 * time.Minute),
		ToolVersion: "v1.2.3", PackVersion: "2026.1", PackSHA256: sha("pack-1"), ExitCode: 1,
	}
}

func okFile(name string) history.File {
	return history.File{Path: "/drops/" + name, SHA256: sha(name), Bytes: 1234, Status: history.FileOK}
}

// claim is an original, ready target claim of one line.
func claim(s *history.Store, id, file, member, date, side string) history.Claim {
	return history.Claim{
		ClaimID: id, FileSHA256: sha(file), Frequency: "1", Status: history.StatusReady,
		BillingNPI: "1234567893", RenderingNPI: "1245319599", PayerID: "60054",
		Patient: s.PatientKey("60054", member),
		Lines:   []history.Line{{Date: date, Side: side}},
	}
}

func record(t *testing.T, s *history.Store, r history.Run, files []history.File, claims ...history.Claim) {
	t.Helper()
	if err := s.Record(context.Background(), r, files, claims); err != nil {
		t.Fatalf("Record %s: %v", r.ID, err)
	}
}

func duplicates(t *testing.T, s *history.Store, claims ...history.Claim) []history.Duplicate {
	t.Helper()
	d, err := s.Duplicates(context.Background(), claims)
	if err != nil {
		t.Fatalf("Duplicates: %v", err)
	}
	return d
}

// tableRows counts the rows of each table.
func tableRows(t *testing.T, target string) map[string]int {
	t.Helper()
	db := rawDB(t, target)
	out := map[string]int{}
	for _, table := range []string{"runs", "files", "claims", "claim_lines"} {
		var n int
		if err := db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
			t.Fatalf("counting %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

// rawDB opens a history's database directly, past the package.
func rawDB(t *testing.T, target string) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", target
	if filepath.IsAbs(target) {
		driver, dsn = "sqlite", target
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
