package history_test

import (
	"context"
	"errors"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/scrub837/scrub837/scrubber/history"
	"github.com/scrub837/scrub837/scrubber/history/historytest"
)

func wantUsageError(t *testing.T, what string, s *history.Store, err error) {
	t.Helper()
	if s != nil {
		s.Close()
	}
	var usage *history.UsageError
	if !errors.As(err, &usage) {
		t.Fatalf("%s: got %v, want a *UsageError", what, err)
	}
	t.Logf("%s: %v", what, err)
}

func TestSQLiteKeyFile(t *testing.T) {
	ctx := context.Background()
	path := historytest.SQLite(t)
	s, err := history.Open(ctx, path, "")
	if err != nil {
		t.Fatal(err)
	}
	k := s.PatientKey("60054", "W1")
	record(t, s, run("night-1", 1), []history.File{okFile("a")}, claim(s, "A", "a", "W1", "20260105", "RT"))
	s.Close()

	for name, mode := range map[string]os.FileMode{path: 0o600, path + ".key": 0o600} {
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != mode {
			t.Errorf("%s: mode %04o, want %04o", name, fi.Mode().Perm(), mode)
		}
	}
	text, err := os.ReadFile(path + ".key")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}\n$`).Match(text) {
		t.Errorf("key file holds %q, want 64 hex digits and a newline", text)
	}

	// Reopened, with the file or with its text in the variable: the same key.
	for _, key := range []string{"", strings.TrimSpace(string(text))} {
		s, err := history.Open(ctx, path, key)
		if err != nil {
			t.Fatalf("reopen with key %q: %v", key, err)
		}
		if s.PatientKey("60054", "W1") != k {
			t.Errorf("reopen with key %q: another patient key", key)
		}
		if got := duplicates(t, s, claim(s, "B", "b", "W1", "20260105", "RT")); len(got) != 1 {
			t.Errorf("reopen with key %q: got %+v, want the earlier claim", key, got)
		}
		s.Close()
	}

	s, err = history.Open(ctx, path, testKey)
	wantUsageError(t, "another key", s, err)

	if err := os.Chmod(path+".key", 0o644); err != nil {
		t.Fatal(err)
	}
	s, err = history.Open(ctx, path, "")
	wantUsageError(t, "a key file others can read", s, err)

	if err := os.Remove(path + ".key"); err != nil {
		t.Fatal(err)
	}
	s, err = history.Open(ctx, path, "")
	wantUsageError(t, "a lost key file", s, err)
	if _, err := os.Stat(path + ".key"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a new key file was made for a history recorded under another: %v", err)
	}
}

func TestSQLiteKeyFileMadeOnceByConcurrentOpens(t *testing.T) {
	path := historytest.SQLite(t)
	keys := make([]history.PatientKey, 4)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			s, err := history.Open(context.Background(), path, "")
			if err != nil {
				t.Error(err)
				return
			}
			defer s.Close()
			keys[i] = s.PatientKey("60054", "W1")
		})
	}
	wg.Wait()
	for i := range keys {
		if keys[i] != keys[0] || keys[i].IsZero() {
			t.Fatalf("concurrent opens of a new history got different keys: %x", keys)
		}
	}
}

func TestKeyMismatch(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		target := b.newHistory(t)
		openHistory(t, target).Close()
		s, err := history.Open(context.Background(), target, "0b"+testKey[2:])
		wantUsageError(t, "another key", s, err)
	})
}

func TestMigrations(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		target := b.newHistory(t)
		s := openHistory(t, target)
		record(t, s, run("night-1", 1), []history.File{okFile("a")}, claim(s, "A", "a", "W1", "20260105", "RT"))
		s.Close()
		versions := func() []int {
			return historytest.Column[int](t, historytest.DB(t, target), "SELECT version FROM schema_version ORDER BY version")
		}
		want := make([]int, history.SchemaVersion())
		for i := range want {
			want[i] = i + 1
		}
		if got := versions(); !equalInts(got, want) {
			t.Fatalf("schema versions of a new history: %v, want %v", got, want)
		}

		// Reopened: nothing migrates again, the rows are there.
		s = openHistory(t, target)
		if got := versions(); !equalInts(got, want) {
			t.Fatalf("schema versions after reopening: %v, want %v", got, want)
		}
		if runs, err := s.Runs(context.Background(), 10); err != nil || len(runs) != 1 {
			t.Fatalf("runs after reopening: %+v, %v", runs, err)
		}
		s.Close()

		// A history from a newer scrub837 is refused.
		if _, err := historytest.DB(t, target).Exec("INSERT INTO schema_version (version, applied_at) VALUES (999, 'later')"); err != nil {
			t.Fatal(err)
		}
		s, err := history.Open(context.Background(), target, testKey)
		wantUsageError(t, "a newer schema", s, err)
	})
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestNotAHistory(t *testing.T) {
	path := historytest.SQLite(t)
	if err := os.WriteFile(path, []byte("ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *260101*1200*^*00501*000000001*0*P*:~\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := history.Open(context.Background(), path, testKey)
	wantUsageError(t, "an X12 file given as the history", s, err)
}
