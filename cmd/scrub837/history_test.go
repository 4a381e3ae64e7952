package main

// End-to-end tests of the claim history (--history): the binary on a SQLite
// file and on PostgreSQL. The PostgreSQL tests need a server: .ci/run starts
// one (.ci/install-postgres.sh prints SCRUB837_TEST_POSTGRES); outside CI
// they skip without it, under CI=true they fail.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/scrub837/scrub837/scrubber/history"
	"github.com/scrub837/scrub837/scrubber/history/historytest"
)

// historyTestKey is the patient-key secret of the PostgreSQL tests.
const historyTestKey = "8e3b1d5f7a9c2e4b6d8f0a1c3e5b7d9f1a3c5e7b9d2f4a6c8e0b2d4f6a8c1e3b"

// historyStore is a kind of history the tests run the command on.
type historyStore struct {
	name string
	// open makes a new, empty history and returns it.
	open func(t *testing.T) testHistory
}

// testHistory is one history: its target (--history), the environment a
// run on it needs (the key), and how to read it back.
type testHistory struct {
	target string
	env    []string
	key    string // the key history.Open needs ("" for a SQLite key file)
	sqlite bool
}

var historyStores = []historyStore{
	{"sqlite", newSQLiteTestHistory},
	{"postgres", newPostgresTestHistory},
}

func forEachStore(t *testing.T, f func(t *testing.T, h testHistory)) {
	t.Helper()
	for _, s := range historyStores {
		t.Run(s.name, func(t *testing.T) { f(t, s.open(t)) })
	}
}

// newSQLiteTestHistory is a SQLite file in a new folder; the first run
// creates it and its key file.
func newSQLiteTestHistory(t *testing.T) testHistory {
	return testHistory{target: historytest.SQLite(t), sqlite: true}
}

// newPostgresTestHistory is a schema of its own on the test server, dropped
// after the test: the URL's search_path names it.
func newPostgresTestHistory(t *testing.T) testHistory {
	t.Helper()
	return testHistory{target: historytest.Postgres(t, "scrub837_e2e_"), env: []string{history.KeyEnv + "=" + historyTestKey}, key: historyTestKey}
}

// store opens the history in the test, as the command does.
func (h testHistory) store(t *testing.T) *history.Store {
	t.Helper()
	s, err := history.Open(context.Background(), h.target, h.key)
	if err != nil {
		t.Fatalf("opening the history: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// db opens the history's database past the store, for what its API does
// not show.
func (h testHistory) db(t *testing.T) *sql.DB { return historytest.DB(t, h.target) }

// runs are the history's runs, oldest first.
func (h testHistory) runs(t *testing.T) []history.RunCounts {
	t.Helper()
	runs, err := h.store(t).Runs(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	return runs
}

// night is the epoch of a run on day n of 2026 at 03:15 UTC, for
// SOURCE_DATE_EPOCH.
func night(n int) string {
	return strconv.FormatInt(time.Date(2026, 1, n, 3, 15, 0, 0, time.UTC).Unix(), 10)
}

// scrubWith runs the binary with the history h on night n, from the
// repository root.
func scrubWith(t *testing.T, h testHistory, n int, args ...string) result {
	t.Helper()
	env := append([]string{"SOURCE_DATE_EPOCH=" + night(n)}, h.env...)
	return run(t, runOpts{dir: repoRoot, env: env}, append([]string{"--history", h.target, "--fail-on", "never"}, args...)...)
}

// reportFiles is files[] of exceptions.json.
type reportFile struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Status string `json:"status"`
	Error  string `json:"error"`
	Claims int    `json:"claims"`
}

func reportFiles(t *testing.T, r result) map[string]reportFile {
	t.Helper()
	var rep struct {
		Files []reportFile `json:"files"`
	}
	if err := json.Unmarshal(r.json(t), &rep); err != nil {
		t.Fatal(err)
	}
	out := map[string]reportFile{}
	for _, f := range rep.Files {
		out[f.Path] = f
	}
	return out
}

// claimRows is the number of rows of claims.csv (the run's target claims).
func claimRows(t *testing.T, r result) int {
	t.Helper()
	return len(parseCSV(t, readOut(t, r.out, "claims.csv"))) - 1
}

func TestHistorySkipSeen(t *testing.T) {
	forEachStore(t, func(t *testing.T, h testHistory) {
		dx, mods, bundling, garbage := "testdata/01-dx.837", "testdata/02-modifiers.837", "testdata/03-bundling.837", "testdata/07-garbage.837"
		first := scrubWith(t, h, 10, "--run-id", "night-10", dx, mods, garbage)
		expectCode(t, first, exitInputFailed)

		// Seen files are skipped unread, with the run that scrubbed them;
		// a new file is scrubbed, and so is one that failed (it was never
		// read whole).
		second := scrubWith(t, h, 11, "--run-id", "night-11", "--skip-seen", dx, mods, bundling, garbage)
		expectCode(t, second, exitInputFailed)
		files := reportFiles(t, second)
		for _, p := range []string{dx, mods} {
			f := files[p]
			if f.Status != "skipped" || f.Error != "scrubbed in run night-10 on 2026-01-10 03:15 UTC" || f.Claims != 0 || f.SHA256 == "" {
				t.Errorf("%s: %+v, want skipped as scrubbed in run night-10", p, f)
			}
		}
		if f := files[bundling]; f.Status != "ok" || f.Claims == 0 {
			t.Errorf("%s: %+v, want scrubbed", bundling, f)
		}
		if f := files[garbage]; f.Status != "failed" {
			t.Errorf("%s: %+v, want scrubbed again (failed)", garbage, f)
		}
		rows := parseCSV(t, second.csv(t))
		for _, row := range rows[1:] {
			if row[1] == dx || row[1] == mods {
				t.Fatalf("a skipped file has findings: %v", row)
			}
		}
		if !strings.Contains(second.stdout, "4 files (1 failed, 2 skipped)") {
			t.Errorf("summary: %s", second.stdout)
		}
		if !strings.Contains(second.stderr, `"file skipped: scrubbed before (--skip-seen)"`) {
			t.Errorf("no log event for the skipped files:\n%s", second.stderr)
		}

		// Without --skip-seen, or under another rule pack, nothing is
		// skipped; nor is standard input, which cannot be read twice.
		dxBytes, err := os.ReadFile(filepath.Join(repoRoot, dx))
		if err != nil {
			t.Fatal(err)
		}
		env := append([]string{"SOURCE_DATE_EPOCH=" + night(12)}, h.env...)
		again := run(t, runOpts{dir: repoRoot, env: env, stdin: bytes.NewReader(dxBytes)},
			"--history", h.target, "--fail-on", "never", "--run-id", "night-12", dx, "-")
		if files := reportFiles(t, again); files[dx].Status != "ok" || files["-"].Status != "ok" {
			t.Errorf("without --skip-seen: %+v", files)
		}
		stdin := run(t, runOpts{dir: repoRoot, env: env, stdin: bytes.NewReader(dxBytes)},
			"--history", h.target, "--skip-seen", "--fail-on", "never", "--run-id", "night-12b", "-")
		if f := reportFiles(t, stdin)["-"]; f.Status != "ok" {
			t.Errorf("standard input with --skip-seen: %+v, want scrubbed", f)
		}
		pack := filepath.Join(t.TempDir(), "pack.yaml")
		if err := os.WriteFile(pack, []byte(run(t, runOpts{}, "rules").stdout), 0o644); err != nil {
			t.Fatal(err)
		}
		other := scrubWith(t, h, 13, "--run-id", "night-13", "--skip-seen", "--rules", pack, dx)
		if f := reportFiles(t, other)[dx]; f.Status != "ok" {
			t.Errorf("under another pack: %+v, want scrubbed", f)
		}

		// Every run is in the history, skipped files counted.
		runs := h.runs(t)
		if len(runs) != 5 || runs[1].ID != "night-11" || runs[1].Files != 4 || runs[1].FilesSkipped != 2 || runs[1].FilesFailed != 1 {
			t.Errorf("runs: %+v", runs)
		}
	})
}

func TestHistoryUsageErrors(t *testing.T) {
	dir := t.TempDir()
	sqlitePath := filepath.Join(dir, "history.db")
	created := run(t, runOpts{}, "--history", sqlitePath, "--fail-on", "never", fixture("01-dx.837"))
	expectCode(t, created, exitOK)

	for _, tc := range []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"not a history", nil, []string{"--history", "mysql://u:pw0rd1@host/db"}, "a SQLite file path or a postgres:// URL"},
		{"skip-seen without history", nil, []string{"--skip-seen"}, "--skip-seen needs a claim history"},
		{"PostgreSQL without a key", nil, []string{"--history", "postgres://u:pw0rd1@127.0.0.1:1/db"}, history.KeyEnv},
		{"a short key", []string{history.KeyEnv + "=abcd"}, []string{"--history", filepath.Join(dir, "new.db")}, "at least 32"},
		{"another key", []string{history.KeyEnv + "=" + historyTestKey}, []string{"--history", sqlitePath}, "another key"},
		{"from the environment", []string{historyEnv + "=" + "ftp://x"}, nil, "a SQLite file path or a postgres:// URL"},
		{"no server", []string{history.KeyEnv + "=" + historyTestKey}, []string{"--history", "postgres://u:pw0rd1@127.0.0.1:1/db?connect_timeout=5"}, "cannot open the claim history"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			r := run(t, runOpts{env: tc.env}, append(append([]string{"-o", out}, tc.args...), fixture("01-dx.837"))...)
			expectCode(t, r, exitUsage)
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr lacks %q:\n%s", tc.want, r.stderr)
			}
			if strings.Contains(r.stderr, "pw0rd1") {
				t.Errorf("the password is in the log:\n%s", r.stderr)
			}
			if entries, _ := os.ReadDir(out); len(entries) > 0 {
				t.Errorf("reports written on a usage error: %v", entries)
			}
		})
	}

	// The key file must be the owner's alone.
	if err := os.Chmod(sqlitePath+".key", 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, runOpts{}, "--history", sqlitePath, fixture("01-dx.837"))
	expectCode(t, r, exitUsage)
	if !strings.Contains(r.stderr, "chmod 600") {
		t.Errorf("stderr: %s", r.stderr)
	}
}

func TestHistoryRecordsEachRun(t *testing.T) {
	forEachStore(t, func(t *testing.T, h testHistory) {
		files := allFixtures(t)
		first := scrubWith(t, h, 5, append([]string{"--run-id", "night-5"}, files...)...)
		second := scrubWith(t, h, 6, append([]string{"--run-id", "night-6", "--fail-on", "error"}, files...)...)
		expectCode(t, first, exitInputFailed)
		expectCode(t, second, exitInputFailed)
		if !strings.Contains(first.stderr, `"run recorded in the claim history"`) {
			t.Errorf("no log event for the record:\n%s", first.stderr)
		}
		runs := h.runs(t)
		if len(runs) != 2 {
			t.Fatalf("%d runs recorded, want 2: %+v", len(runs), runs)
		}
		rep := parseReport(t, first.json(t))
		for i, r := range runs {
			if r.ID != []string{"night-5", "night-6"}[i] || r.ExitCode != exitInputFailed || r.Files != len(files) ||
				r.FilesFailed != rep.Summary.FilesFailed || r.TargetClaims != claimRows(t, first) ||
				r.Held+r.Review+r.Ready+r.Void != r.TargetClaims || r.PackSHA256 == "" {
				t.Errorf("run %d: %+v; the report has %d files (%d failed), %d target claims", i, r, len(files), rep.Summary.FilesFailed, claimRows(t, first))
			}
		}
		if !runs[0].Started.Equal(time.Date(2026, 1, 5, 3, 15, 0, 0, time.UTC)) {
			t.Errorf("started %v", runs[0].Started)
		}

		// scrub837 history lists them, oldest first.
		list := run(t, runOpts{env: h.env}, "history", "--history", h.target)
		expectCode(t, list, exitOK)
		lines := strings.Split(strings.TrimSpace(list.stdout), "\n")
		if len(lines) != 3 || !strings.HasPrefix(lines[0], "run ") || !strings.HasPrefix(lines[1], "night-5 ") ||
			!strings.HasPrefix(lines[2], "night-6 ") || !strings.Contains(lines[1], "2026-01-05 03:15") {
			t.Errorf("scrub837 history:\n%s", list.stdout)
		}
		if h.sqlite {
			typo := h.target + "x"
			r := run(t, runOpts{}, "history", "--history", typo)
			if _, err := os.Stat(typo); r.code != exitUsage || err == nil || !strings.Contains(r.stderr, "no claim history at") {
				t.Errorf("scrub837 history on a file that does not exist: exit %d, %v, %s", r.code, err, r.stderr)
			}
		}
		last := run(t, runOpts{env: append([]string{historyEnv + "=" + h.target}, h.env...)}, "history", "--last", "1")
		if lines := strings.Split(strings.TrimSpace(last.stdout), "\n"); len(lines) != 2 || !strings.HasPrefix(lines[1], "night-6 ") {
			t.Errorf("scrub837 history --last 1 (SCRUB837_HISTORY):\n%s%s", last.stdout, last.stderr)
		}
	})
}

// Runs older than --history-keep days before the run's start are pruned.
func TestHistoryKeep(t *testing.T) {
	h := newSQLiteTestHistory(t)
	for _, n := range []int{1, 5, 9} {
		scrubWith(t, h, n, "--run-id", "night-"+strconv.Itoa(n), "--history-keep", "5", "testdata/01-dx.837")
	}
	runs := h.runs(t)
	if len(runs) != 2 || runs[0].ID != "night-5" || runs[1].ID != "night-9" {
		t.Errorf("after night 9 with --history-keep 5: %+v", runs)
	}
}

// A record that fails after the reports are in place leaves the reports
// and exits 3, with an error event; the run is not in the history.
func TestHistoryRecordFailureExits3(t *testing.T) {
	h := newSQLiteTestHistory(t)
	expectCode(t, scrubWith(t, h, 1, "--run-id", "night-1", "testdata/01-dx.837"), exitOK)
	if _, err := h.db(t).Exec(`CREATE TRIGGER refuse_runs BEFORE INSERT ON runs BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`); err != nil {
		t.Fatal(err)
	}
	r := scrubWith(t, h, 2, "--run-id", "night-2", "testdata/01-dx.837")
	expectCode(t, r, exitInputFailed)
	if !strings.Contains(r.stderr, "the claim history was not updated") || !strings.Contains(r.stderr, `"exit_code":3`) {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	if rep := parseReport(t, r.json(t)); rep.Run.ID != "night-2" {
		t.Errorf("the reports are not this run's: %+v", rep.Run)
	}
	if runs := h.runs(t); len(runs) != 1 {
		t.Errorf("runs: %+v", runs)
	}
}

// bigDrop is a synthetic 837P of n clean 0620T claims (prefix-000001, …),
// one patient each, in one transaction: some hundreds of KB.
func bigDrop(n int, prefix string) []byte {
	var subscribers []string
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("%06d", i)
		subscribers = append(subscribers, fmt.Sprintf("HL*%d*1*22*0", i+1), "SBR*P*18*******MB",
			"NM1*IL*1*ZZBIG*BO****MI*SYNBIG"+id, "DMG*D8*19400101*M", "NM1*PR*2*NOVITAS SOLUTIONS MEDICARE*****PI*12302",
			"CLM*"+prefix+"-"+id+"*12500***22:B:1*Y*A*Y*Y", "HI*ABK:I70244", "LX*1", "SV1*HC:0620T:LT*12500*UN*1***1", "DTP*472*D8*20260112")
	}
	return synthFile("BIG", subscribers)
}

// heldRun is a run of the binary reading standard input, held part way.
type heldRun struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	rest   []byte
	stderr *syncWriter
}

// startHeld starts the binary with the history h on standard input (data,
// at least 256 KB), reports into out, and returns once the run is reading
// its input, so past opening the history: 192 KB written through a pipe
// that holds 64 KB have been read. The rest waits for finish.
func startHeld(t *testing.T, h testHistory, n int, runID, out string, data []byte) *heldRun {
	t.Helper()
	const before = 192 << 10
	if len(data) < before+(64<<10) {
		t.Fatalf("startHeld needs more than %d bytes, has %d", before+(64<<10), len(data))
	}
	cmd := exec.Command(binPath, "--history", h.target, "-o", out, "--run-id", runID, "--fail-on", "never", "-")
	cmd.Env = append(append(os.Environ(), historyEnv+"=", history.KeyEnv+"=", "SOURCE_DATE_EPOCH="+night(n)), h.env...)
	r := &heldRun{cmd: cmd, rest: data[before:], stderr: &syncWriter{}}
	cmd.Stderr = r.stderr
	var err error
	if r.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	wrote := make(chan error, 1)
	go func() {
		_, err := r.stdin.Write(data[:before])
		wrote <- err
	}()
	select {
	case err := <-wrote:
		if err != nil {
			t.Fatalf("writing to the run: %v\n%s", err, r.stderr)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("the run never read its input:\n%s", r.stderr)
	}
	return r
}

// finish writes the rest of the run's input and closes it.
func (r *heldRun) finish() error {
	_, err := r.stdin.Write(r.rest)
	if cerr := r.stdin.Close(); err == nil {
		err = cerr
	}
	return err
}

// holdWriteLock takes the history's write lock, as a run recording does,
// until the returned func is called.
func holdWriteLock(t *testing.T, h testHistory) (release func()) {
	t.Helper()
	ctx := context.Background()
	conn, err := h.db(t).Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	begin := []string{"BEGIN", "SELECT pg_advisory_xact_lock(83717)"}
	if h.sqlite {
		begin = []string{"BEGIN IMMEDIATE"}
	}
	for _, stmt := range begin {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	return func() {
		conn.ExecContext(ctx, "ROLLBACK")
		conn.Close()
	}
}

func TestHistoryKilledRunRecordsNothing(t *testing.T) {
	data := bigDrop(2000, "KILLED")
	forEachStore(t, func(t *testing.T, h testHistory) {
		// Killed while scrubbing: part of its input read.
		out := filepath.Join(t.TempDir(), "out")
		r := startHeld(t, h, 1, "killed-scrubbing", out, data)
		r.cmd.Process.Signal(syscall.SIGKILL)
		r.cmd.Wait()
		if runs := h.runs(t); len(runs) != 0 {
			t.Fatalf("a run killed while scrubbing was recorded: %+v", runs)
		}

		// Killed with its reports in place, waiting for the history's
		// write lock: the reports stand, the history has nothing of it.
		r = startHeld(t, h, 2, "killed-recording", out, data)
		release := holdWriteLock(t, h)
		if err := r.finish(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(60 * time.Second)
		for {
			if rep, err := os.ReadFile(filepath.Join(out, "exceptions.json")); err == nil && bytes.Contains(rep, []byte(`"killed-recording"`)) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no reports:\n%s", r.stderr)
			}
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(300 * time.Millisecond) // into Record, waiting for the lock
		if strings.Contains(r.stderr.String(), "run finished") {
			t.Fatalf("the run ended without waiting for the lock:\n%s", r.stderr)
		}
		r.cmd.Process.Signal(syscall.SIGKILL)
		r.cmd.Wait()
		release()
		if strings.Contains(r.stderr.String(), "run recorded") {
			t.Fatalf("the run says it recorded:\n%s", r.stderr)
		}
		if runs := h.runs(t); len(runs) != 0 {
			t.Fatalf("a run killed before its record was recorded: %+v", runs)
		}
		var files, claims int
		db := h.db(t)
		if err := db.QueryRow(`SELECT COUNT(*) FROM files`).Scan(&files); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow(`SELECT COUNT(*) FROM claims`).Scan(&claims); err != nil {
			t.Fatal(err)
		}
		if files+claims != 0 {
			t.Errorf("%d files and %d claims left by killed runs", files, claims)
		}

		// Run again, it is recorded as if the first never happened.
		expectCode(t, scrubWith(t, h, 3, "--run-id", "again", "--skip-seen", "testdata/01-dx.837"), exitOK)
		if runs := h.runs(t); len(runs) != 1 || runs[0].FilesSkipped != 0 {
			t.Errorf("runs: %+v", runs)
		}
	})
}

func TestHistoryConcurrentRuns(t *testing.T) {
	forEachStore(t, func(t *testing.T, h testHistory) {
		// Create the history first: both runs then open an existing one.
		expectCode(t, scrubWith(t, h, 1, "--run-id", "first", "testdata/02-modifiers.837"), exitOK)
		type started struct {
			run    *heldRun
			out    string
			claims int
		}
		runs := map[string]started{}
		for id, n := range map[string]int{"left": 2000, "right": 2500} {
			out := filepath.Join(t.TempDir(), "out")
			runs[id] = started{startHeld(t, h, 2, id, out, bigDrop(n, strings.ToUpper(id))), out, n}
		}
		// Both hold the history open; let them go at once.
		for _, s := range runs {
			go s.run.finish()
		}
		for id, s := range runs {
			if err := s.run.cmd.Wait(); err != nil {
				t.Fatalf("%s: %v\n%s", id, err, s.run.stderr)
			}
		}
		recorded := map[string]history.RunCounts{}
		for _, r := range h.runs(t) {
			recorded[r.ID] = r
		}
		if len(recorded) != 3 {
			t.Fatalf("runs: %+v", recorded)
		}
		for id, s := range runs {
			r := recorded[id]
			if r.Files != 1 || r.FilesFailed != 0 || r.TargetClaims != s.claims || r.TargetClaims != claimRows(t, result{out: s.out}) {
				t.Errorf("%s: %+v; it sent %d target claims, its report has %d", id, r, s.claims, claimRows(t, result{out: s.out}))
			}
		}
		// Each run's rows hang together: its files, and their claims.
		db := h.db(t)
		rows, err := db.Query(`SELECT r.run_id, r.files, r.target_claims,
			(SELECT COUNT(*) FROM files f WHERE f.run_ref = r.id),
			(SELECT COUNT(*) FROM claims c JOIN files f ON f.id = c.file_ref WHERE f.run_ref = r.id)
			FROM runs r`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			var files, claims, fileRows, claimRows int
			if err := rows.Scan(&id, &files, &claims, &fileRows, &claimRows); err != nil {
				t.Fatal(err)
			}
			if files != fileRows || claims != claimRows {
				t.Errorf("run %s counts %d files and %d claims, has %d and %d rows", id, files, claims, fileRows, claimRows)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	})
}

// scrub837 history --copy-to moves a SQLite history (key file and all) to
// PostgreSQL, where the runs read back the same.
func TestHistoryCopyToPostgres(t *testing.T) {
	src := newSQLiteTestHistory(t)
	dst := newPostgresTestHistory(t)
	for n := 1; n <= 2; n++ {
		scrubWith(t, src, n, "--run-id", "night-"+strconv.Itoa(n), "testdata/01-dx.837", "testdata/03-bundling.837")
	}
	r := run(t, runOpts{}, "history", "--history", src.target, "--copy-to", dst.target)
	expectCode(t, r, exitOK)
	if !strings.Contains(r.stdout, "copied 2 runs") || !strings.Contains(r.stdout, history.KeyEnv) {
		t.Errorf("stdout: %s", r.stdout)
	}
	key, err := os.ReadFile(src.target + ".key")
	if err != nil {
		t.Fatal(err)
	}
	dst.key = strings.TrimSpace(string(key))
	dst.env = []string{history.KeyEnv + "=" + dst.key}
	want, got := src.runs(t), dst.runs(t)
	if len(got) != 2 || len(want) != 2 {
		t.Fatalf("copied %+v from %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("run %d: copied %+v, want %+v", i, got[i], want[i])
		}
	}
	// The copy holds the same patients under the same key: a run on it
	// skips what the SQLite history saw.
	next := scrubWith(t, dst, 3, "--run-id", "night-3", "--skip-seen", "testdata/01-dx.837")
	if f := reportFiles(t, next)["testdata/01-dx.837"]; f.Status != "skipped" {
		t.Errorf("after the copy: %+v", f)
	}
	// A second copy into a history that has runs is refused.
	again := run(t, runOpts{}, "history", "--history", src.target, "--copy-to", dst.target)
	expectCode(t, again, exitUsage)
	if !strings.Contains(again.stderr, "copy into an empty history") {
		t.Errorf("stderr: %s", again.stderr)
	}
}

// histFindings are the HIST-DUPLICATE rows of exceptions.csv by claim ID,
// each its message.
func histFindings(t *testing.T, r result) map[string][]string {
	t.Helper()
	rows := parseCSV(t, r.csv(t))
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	out := map[string][]string{}
	for _, row := range rows[1:] {
		if row[col["rule_id"]] == "HIST-DUPLICATE" {
			out[row[col["claim_id"]]] = append(out[row[col["claim_id"]]], row[col["message"]])
		}
	}
	return out
}

// claimStatuses are claims.csv's statuses by claim ID.
func claimStatuses(t *testing.T, r result) map[string]string {
	t.Helper()
	rows := parseCSV(t, readOut(t, r.out, "claims.csv"))
	out := map[string]string{}
	for _, row := range rows[1:] {
		out[row[3]] = row[4]
	}
	return out
}

// An earlier night sent one claim, held one and sent a replacement; the
// samples hold an original for each one's patient, date and side. Only the
// one that went out as an original makes a duplicate; the same file
// scrubbed again is not its own duplicate, but a changed copy of it is.
func TestHistoryDuplicates(t *testing.T) {
	forEachStore(t, func(t *testing.T, h testHistory) {
		dx, mods := "testdata/01-dx.837", "testdata/02-modifiers.837"
		expectCode(t, scrubWith(t, h, 10, "--run-id", "night-10", "testdata/history/earlier-night.837"), exitOK)

		n11 := scrubWith(t, h, 11, "--run-id", "night-11", "--fail-on", "error", dx, mods)
		expectCode(t, n11, exitFindings)
		found := histFindings(t, n11)
		want := "0620T for this patient on 2026-01-12, left side (LT), already went out on claim HIST-EARLIER-SENT in run night-10 of 2026-01-10"
		if len(found) != 1 || len(found["DX-CLEAN"]) != 1 || found["DX-CLEAN"][0] != want {
			t.Errorf("night 11: HIST-DUPLICATE %q, want only DX-CLEAN's %q (MOD-CLEAN-BILATERAL's was held, MOD-UNLISTED's a replacement)", found, want)
		}
		st := claimStatuses(t, n11)
		if st["DX-CLEAN"] != "held" || st["MOD-CLEAN-BILATERAL"] != "ready" || st["DX-CLEAN-PATIENT"] != "ready" {
			t.Errorf("night 11 statuses: %v", st)
		}
		if !strings.Contains(n11.stdout, ": 1 claim already sent (HIST-DUPLICATE on 1 0620T line); this run recorded") {
			t.Errorf("summary:\n%s", n11.stdout)
		}
		if !strings.Contains(n11.stderr, `"duplicate_claims":1`) {
			t.Errorf("no log event for the lookup:\n%s", n11.stderr)
		}

		// The same file again: its claims are the ones recorded, not
		// duplicates of themselves (DX-CLEAN-PATIENT went out on night 11).
		n12 := scrubWith(t, h, 12, "--run-id", "night-12", dx)
		if found := histFindings(t, n12); len(found) != 1 || len(found["DX-CLEAN"]) != 1 || found["DX-CLEAN"][0] != want {
			t.Errorf("night 12, the same file: %q", found)
		}

		// A changed copy (another SHA-256): the claims that went out on
		// nights 11 and 12 are duplicates, the first night named.
		data, err := os.ReadFile(filepath.Join(repoRoot, dx))
		if err != nil {
			t.Fatal(err)
		}
		copyPath := writeTemp(t, t.TempDir(), "resent.837", bytes.Replace(data, []byte("SYNDX01"), []byte("SYNDX02"), 1))
		n13 := scrubWith(t, h, 13, "--run-id", "night-13", copyPath)
		found = histFindings(t, n13)
		wantPatient := "0620T for this patient on 2026-01-12, right side (RT), already went out on claim DX-CLEAN-PATIENT in run night-11 of 2026-01-11 (and in 1 later run)"
		if len(found["DX-CLEAN-PATIENT"]) != 1 || found["DX-CLEAN-PATIENT"][0] != wantPatient {
			t.Errorf("night 13, a changed copy: DX-CLEAN-PATIENT %q, want %q", found["DX-CLEAN-PATIENT"], wantPatient)
		}
		if len(found["DX-CLEAN"]) != 1 || len(found["DX-POINTER-MISSING"]) != 0 {
			t.Errorf("night 13: %q (DX-CLEAN went out on night 10 only; DX-POINTER-MISSING was always held)", found)
		}
	})
}

// Tonight's replacements and voids are not compared; an original with
// another claim ID is.
func TestHistoryReplacementsAndVoidsAreNotCompared(t *testing.T) {
	forEachStore(t, func(t *testing.T, h testHistory) {
		dir := t.TempDir()
		original := writeTemp(t, dir, "original.837", tiny837("LT"))
		expectCode(t, scrubWith(t, h, 12, "--run-id", "night-12", original), exitOK)
		variant := func(name, claimID, frequency string) string {
			b := bytes.Replace(tiny837("LT"), []byte("CLM*E2E-1*12500***22:B:1*Y*A*Y*Y~\n"),
				[]byte("CLM*"+claimID+"*12500***22:B:"+frequency+"*Y*A*Y*Y~\nREF*F8*SYNPAYER0001~\n"), 1)
			// One segment more: SE01 too.
			b = bytes.Replace(b, []byte("SE*22*0001"), []byte("SE*23*0001"), 1)
			return writeTemp(t, dir, name, b)
		}
		replacement := variant("replacement.837", "E2E-1R", "7")
		void := variant("void.837", "E2E-1V", "8")
		again := variant("again.837", "E2E-2", "1")
		// One run each: within a run, LINE-DUPLICATE is the rule.
		for i, tc := range []struct{ path, claim, status string }{
			{replacement, "E2E-1R", "ready"}, {void, "E2E-1V", "void"}, {again, "E2E-2", "held"},
		} {
			r := scrubWith(t, h, 13+i, "--run-id", "night-"+strconv.Itoa(13+i), tc.path)
			found := histFindings(t, r)
			if dup := tc.claim == "E2E-2"; dup != (len(found) == 1) || dup && (len(found[tc.claim]) != 1 || !strings.Contains(found[tc.claim][0], "claim E2E-1 in run night-12")) {
				t.Errorf("%s: HIST-DUPLICATE %q", tc.claim, found)
			}
			if st := claimStatuses(t, r); st[tc.claim] != tc.status {
				t.Errorf("%s: status %q, want %s\n%s", tc.claim, st[tc.claim], tc.status, r.csv(t))
			}
		}
		// Recorded as they are: the replacement's REF*F8 with it.
		var ref string
		if err := h.db(t).QueryRow(`SELECT payer_claim_ref FROM claims WHERE claim_id = 'E2E-1R'`).Scan(&ref); err != nil || ref != "SYNPAYER0001" {
			t.Errorf("the replacement's REF*F8 is recorded as %q (%v)", ref, err)
		}
	})
}

// The history holds no member ID, name, birth date or diagnosis of the
// samples, in its files (SQLite) or its rows (PostgreSQL), even from a run
// with --show-ids; it does hold their claims.
func TestHistoryHoldsNoPHI(t *testing.T) {
	p := fixturePHI(t)
	forEachStore(t, func(t *testing.T, h testHistory) {
		r := scrubWith(t, h, 20, append([]string{"--run-id", "phi", "--show-ids"}, allFixtures(t)...)...)
		expectCode(t, r, exitInputFailed)
		var dump []byte
		if h.sqlite {
			files, err := filepath.Glob(h.target + "*")
			if err != nil || len(files) < 2 {
				t.Fatalf("history files %v (%v)", files, err)
			}
			for _, name := range files {
				b, err := os.ReadFile(name)
				if err != nil {
					t.Fatal(err)
				}
				dump = append(dump, b...)
			}
		} else {
			db := h.db(t)
			tables := historytest.Tables(t, db)
			if len(tables) < 6 {
				t.Fatalf("tables in the history's schema: %v", tables)
			}
			for _, table := range tables {
				for _, row := range historytest.Rows(t, db, table) {
					dump = append(append(dump, row...), '\n')
				}
			}
		}
		if !bytes.Contains(dump, []byte("DX-CLEAN-PATIENT")) || !bytes.Contains(dump, []byte("MOD-UNLISTED")) {
			t.Fatal("the claims are not in what was scanned: the scan reads the wrong thing")
		}
		for what, list := range map[string][]string{"name": p.names, "birth date": p.births, "member ID": p.memberIDs, "diagnosis": p.diagnoses} {
			for _, v := range list {
				if inClaimID(t, v) {
					continue // the history keeps claim IDs (CODESET-DX-E1152 names a diagnosis)
				}
				for _, form := range []string{v, strings.ToLower(v), hex.EncodeToString([]byte(v))} {
					if bytes.Contains(dump, []byte(form)) {
						t.Errorf("the history holds the %s %q (as %q)", what, v, form)
					}
				}
			}
		}
	})
}

// inClaimID reports whether v is part of a sample's claim ID (CLM01).
func inClaimID(t *testing.T, v string) bool {
	t.Helper()
	for _, f := range allFixtures(t) {
		if strings.HasSuffix(f, ".gz") {
			continue // 04-line.837.gz: its claim IDs name no patient data
		}
		data, err := os.ReadFile(filepath.Join(repoRoot, f))
		if err != nil {
			t.Fatal(err)
		}
		for _, seg := range strings.Split(string(data), "~") {
			if el := strings.Split(strings.TrimSpace(seg), "*"); el[0] == "CLM" && len(el) > 1 && strings.Contains(el[1], v) {
				return true
			}
		}
	}
	return false
}

// With --split, a claim HIST-DUPLICATE holds goes to held/, and a file
// --skip-seen skipped goes nowhere: the run that scrubbed it wrote it out.
func TestHistoryWithSplit(t *testing.T) {
	h := newSQLiteTestHistory(t)
	dir := t.TempDir()
	first := writeTemp(t, dir, "first.837", tiny837("LT"))
	expectCode(t, scrubWith(t, h, 12, "--run-id", "night-12", "--split", first), exitOK)
	resent := writeTemp(t, dir, "resent.837", bytes.Replace(tiny837("LT"), []byte("CLM*E2E-1*"), []byte("CLM*E2E-9*"), 1))
	r := scrubWith(t, h, 13, "--run-id", "night-13", "--split", "--skip-seen", first, resent)
	expectCode(t, r, exitOK) // --fail-on never
	if f := reportFiles(t, r)[first]; f.Status != "skipped" {
		t.Fatalf("first.837: %+v", f)
	}
	held, err := os.ReadFile(filepath.Join(r.out, "held", "resent.837"))
	if err != nil || !bytes.Contains(held, []byte("CLM*E2E-9*")) {
		t.Errorf("held/resent.837: %v\n%s", err, held)
	}
	for _, name := range []string{"ready/first.837", "held/first.837", "ready/resent.837"} {
		if _, err := os.Stat(filepath.Join(r.out, name)); err == nil {
			t.Errorf("%s was written", name)
		}
	}
}
