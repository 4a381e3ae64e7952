package main

// The run's lifecycle as cron sees it: its private temporary folder,
// signals, and what is left behind.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/scrub837/scrub837/cmd/scrub837/internal/rundir"
	"github.com/scrub837/scrub837/reports"
)

// tmpEntries lists what is in a TMPDIR.
func tmpEntries(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// Issue 14, reproducer 4: a run leaves nothing in $TMPDIR (the XLSX
// library's scratch files and the spools live in the run's private folder,
// which it removes), and removes the private folder a run killed with -9
// left (its lock is free), but not a live run's.
func TestE2ETempFolderLeavesNothing(t *testing.T) {
	tmp := t.TempDir()
	dead := filepath.Join(tmp, rundir.Prefix+"424242-killed")
	if err := os.Mkdir(dead, 0o700); err != nil {
		t.Fatal(err)
	}
	unlock, err := reports.LockDir(dead, false)
	if err != nil {
		t.Fatal(err)
	}
	unlock() // its run died
	if err := os.WriteFile(filepath.Join(dead, "excelize-1"), []byte("claim rows"), 0o600); err != nil {
		t.Fatal(err)
	}
	live := filepath.Join(tmp, rundir.Prefix+"1-running")
	if err := os.Mkdir(live, 0o700); err != nil {
		t.Fatal(err)
	}
	unlockLive, err := reports.LockDir(live, false)
	if err != nil {
		t.Fatal(err)
	}
	defer unlockLive()

	args := append([]string{"--format", "csv,json,html,xlsx", "--fail-on", "never"}, allFixtures(t)...)
	r := run(t, runOpts{dir: repoRoot, env: []string{"TMPDIR=" + tmp}}, args...)
	expectCode(t, r, exitInputFailed) // the samples hold broken files
	if left := tmpEntries(t, tmp); strings.Join(left, " ") != filepath.Base(live) {
		t.Errorf("TMPDIR holds %v after the run, want only the live run's %s", left, filepath.Base(live))
	}
	if !strings.Contains(r.stderr, "removed the temporary folders of earlier runs") || !strings.Contains(r.stderr, filepath.Base(dead)) {
		t.Errorf("the log does not say the dead run's folder was removed:\n%s", r.stderr)
	}
}

// startRun starts the binary with args and stdin from a pipe the test
// holds, with TMPDIR set to tmp; it returns once the run has made its
// private temporary folder (it is scrubbing).
func startRun(t *testing.T, tmp string, args ...string) (*exec.Cmd, *os.File, *syncWriter) {
	t.Helper()
	stdinR, stdinW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binPath, args...)
	cmd.Stdin = stdinR
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "SOURCE_DATE_EPOCH=")
	stderr := &syncWriter{}
	cmd.Stderr, cmd.Stdout = stderr, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stdinR.Close()
	t.Cleanup(func() {
		stdinW.Close()
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		if m, _ := filepath.Glob(filepath.Join(tmp, rundir.Prefix+"*")); len(m) > 0 {
			return cmd, stdinW, stderr
		}
		if time.Now().After(deadline) {
			t.Fatalf("the run made no temporary folder:\n%s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitExit waits for cmd and returns its exit code.
func waitExit(t *testing.T, cmd *exec.Cmd, within time.Duration) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(within):
		cmd.Process.Kill()
		<-done
		t.Fatalf("the run did not end within %v of the signal", within)
	}
	return -1
}

// closingEvent finds the "run finished" event in a JSON log.
func closingEventOf(t *testing.T, log string) map[string]any {
	t.Helper()
	var found map[string]any
	for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
		var ev map[string]any
		if json.Unmarshal([]byte(line), &ev) == nil && ev["message"] == "run finished" {
			if found != nil {
				t.Errorf("two closing events:\n%s", log)
			}
			found = ev
		}
	}
	if found == nil {
		t.Fatalf("no closing event in the log:\n%s", log)
	}
	return found
}

// Issue 14, reproducer 4: no SIGTERM/SIGINT handling (no cleanup, no log
// line; cron's timeout sends SIGTERM). A signal now stops the run: exit
// 143 or 130, a closing log event that names the signal (with -q too),
// nothing left in TMPDIR, and last night's reports as they were (no
// staged set left in --out).
func TestE2ESignalStopsTheRun(t *testing.T) {
	for _, c := range []struct {
		name   string
		sig    syscall.Signal
		code   int
		feed   bool // stdin keeps delivering bytes (the run stops at its next read); else it blocks
		forced bool
	}{
		{"SIGTERM while reading", syscall.SIGTERM, exitSIGTERM, true, false},
		{"SIGINT while reading", syscall.SIGINT, exitSIGINT, true, false},
		{"SIGTERM while blocked on stdin", syscall.SIGTERM, exitSIGTERM, false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			tmp := t.TempDir()
			out := filepath.Join(t.TempDir(), "out")
			last := run(t, runOpts{}, "-o", out, "--format", "csv,json,xlsx", fixture("01-dx.837"))
			expectCode(t, last, exitFindings)
			before := snapshot(t, out)

			cmd, stdin, stderr := startRun(t, tmp, "-q", "-o", out, "--format", "csv,json,xlsx", "-")
			stop := make(chan struct{})
			defer close(stop)
			if c.feed {
				go feedClaims(stdin, stop)
			}
			time.Sleep(100 * time.Millisecond)
			if err := cmd.Process.Signal(c.sig); err != nil {
				t.Fatal(err)
			}
			code := waitExit(t, cmd, stopGrace+10*time.Second)
			if code != c.code {
				t.Fatalf("exit %d, want %d\n%s", code, c.code, stderr.String())
			}
			ev := closingEventOf(t, stderr.String())
			if ev["signal"] != strings.ToUpper(unix.SignalName(c.sig)) || ev["exit_code"] != float64(c.code) || ev["level"] != "error" ||
				ev["forced"] != c.forced || ev["run_id"] == nil {
				t.Errorf("closing event %v", ev)
			}
			if left := tmpEntries(t, tmp); len(left) != 0 {
				t.Errorf("TMPDIR holds %v after the signal", left)
			}
			if after := snapshot(t, out); after != before {
				t.Errorf("--out changed:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

// feedClaims writes an interchange header and then one claim every 10 ms
// until stop: standard input that keeps a run reading.
func feedClaims(w io.Writer, stop <-chan struct{}) {
	whole := string(tiny837("LT"))
	head := whole[:strings.Index(whole, "\nHL*2")+1]
	claim := whole[strings.Index(whole, "\nHL*2")+1 : strings.Index(whole, "\nSE*")+1]
	if _, err := io.WriteString(w, head); err != nil {
		return
	}
	for {
		select {
		case <-stop:
			return
		case <-time.After(10 * time.Millisecond):
		}
		if _, err := io.WriteString(w, claim); err != nil {
			return
		}
	}
}

// snapshot describes a folder's entries (hidden ones included) and their
// contents' hashes, to tell whether a run changed it.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		fmt.Fprintf(&b, "%s:%s ", rel, sha256Hex(data)[:12])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// Issue 14, reproducers 3 and 7: -j had no upper bound, and with more
// files at once than the open-file limit allows (-j 1000, ulimit -n 256)
// inputs failed with "too many open files". Now -j is capped by the CPUs
// and the limit: every file is scrubbed and the run exits as it should.
func TestE2EManyWorkersFewFileHandles(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Fatal("no sh to set the open-file limit with")
	}
	dir := t.TempDir()
	for i := range 300 {
		claim := bytes.ReplaceAll(tiny837("LT"), []byte("SYNE2E00001"), fmt.Appendf(nil, "SYNE2E%05d", i)) // a patient each
		writeTemp(t, dir, fmt.Sprintf("f%03d.837", i), claim)
	}
	out := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command("sh", "-c", `ulimit -n 64 && exec "$0" "$@"`, binPath, "-o", out, "-j", "1000", "--format", "csv,json,xlsx", dir)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	if err != nil {
		t.Fatalf("exit %v (want 0: every file is clean)\n%s", err, stderr.String())
	}
	rep := parseReport(t, readOut(t, out, "exceptions.json"))
	if rep.Summary.Files != 300 || rep.Summary.FilesFailed != 0 {
		t.Errorf("summary %+v", rep.Summary)
	}
	if !strings.Contains(stderr.String(), "fewer files at once than -j asks") {
		t.Errorf("the cap is not logged:\n%s", stderr.String())
	}
}
