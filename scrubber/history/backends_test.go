package history_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/scrub837/scrub837/scrubber/history"
	"github.com/scrub837/scrub837/scrubber/history/historytest"
)

// testKey is the patient-key secret of the tests (64 hex digits).
const testKey = "5c0b1e7d9a4f2c6e8b3d1a0f7e5c9b2d4a6f8e1c3b5d7a9f0e2c4b6d8a1f3e5c"

// backend makes new, empty histories of one kind.
type backend struct {
	name string
	// newHistory returns the target of a new history, dropped after the test.
	newHistory func(t *testing.T) string
}

var backends = []backend{
	{"sqlite", func(t *testing.T) string { return historytest.SQLite(t) }},
	{"postgres", newPostgresHistory},
}

// forEachBackend runs f as a subtest on each kind of history.
func forEachBackend(t *testing.T, f func(t *testing.T, b backend)) {
	t.Helper()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { f(t, b) })
	}
}

// newPostgresHistory is a schema of its own on the test server (see
// historytest.Postgres).
func newPostgresHistory(t *testing.T) string { return historytest.Postgres(t, "history_test_") }

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
	db := historytest.DB(t, target)
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
