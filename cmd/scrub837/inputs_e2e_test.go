package main

// The inputs as a cron job's drop folder presents them: sidecar files,
// hidden files, named pipes, devices.

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// dropFolder is a drop as senders leave it: a claim file, its .done
// marker, a manifest.json, a hidden partial upload and a hidden folder.
func dropFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	dx, err := os.ReadFile(fixture("01-dx.837"))
	if err != nil {
		t.Fatal(err)
	}
	writeTemp(t, dir, "claims.837", dx)
	writeTemp(t, dir, "claims.837.done", nil)
	writeTemp(t, dir, "manifest.json", []byte(`{"files":["claims.837"]}`))
	writeTemp(t, dir, ".claims2.837.part", dx[:100])
	if err := os.Mkdir(filepath.Join(dir, ".cache"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeTemp(t, filepath.Join(dir, ".cache"), "old.837", dx)
	return dir
}

// Issue 15: a drop folder with sidecar files (.done markers, a
// manifest.json) failed every night with exit 3 and no hint. The sidecars
// still fail (they are not X12), and their errors say how to leave them
// out; hidden entries are skipped and listed; with --exclude the night is
// clean of failures.
func TestE2EDropFolderSidecarsAndHiddenFiles(t *testing.T) {
	dir := dropFolder(t)
	r := run(t, runOpts{}, "-r", dir)
	expectCode(t, r, exitInputFailed)
	rep := parseReport(t, r.json(t))
	got := map[string]string{}
	for _, f := range rep.Files {
		got[filepath.Base(f.Path)] = f.Status + ": " + f.Error
	}
	for name, want := range map[string]string{
		"claims.837":        "ok: ",
		"claims.837.done":   "failed: ",
		"manifest.json":     "failed: ",
		".claims2.837.part": "skipped: hidden",
		".cache":            "skipped: hidden",
	} {
		if !strings.HasPrefix(got[name], want) {
			t.Errorf("%s: %q, want %q…", name, got[name], want)
		}
	}
	if len(rep.Files) != 5 {
		t.Errorf("files: %v (the hidden folder is listed, not entered)", got)
	}
	for _, name := range []string{"claims.837.done", "manifest.json"} {
		ext := filepath.Ext(name)
		if !strings.Contains(got[name], "--exclude=*"+ext) {
			t.Errorf("%s: the error does not suggest --exclude=*%s: %q", name, ext, got[name])
		}
	}
	if !strings.Contains(r.stdout, "--exclude=*.done") {
		t.Errorf("the summary does not carry the hint:\n%s", r.stdout)
	}

	r = run(t, runOpts{}, "-r", "--exclude", "*.done", "--exclude", "*.json", dir)
	expectCode(t, r, exitFindings) // 01-dx.837 has errors; nothing failed
	rep = parseReport(t, r.json(t))
	if rep.Summary.FilesFailed != 0 || len(rep.Files) != 5 {
		t.Errorf("with --exclude: %+v", rep.Files)
	}
	for _, f := range rep.Files {
		if base := filepath.Base(f.Path); (base == "manifest.json" || base == "claims.837.done") && (f.Status != "skipped" || !strings.Contains(f.Error, "--exclude")) {
			t.Errorf("%s: %s %q, want skipped by --exclude", base, f.Status, f.Error)
		}
	}

	r = run(t, runOpts{}, "--include", "*.837", filepath.Join(dir, "manifest.json"), dir)
	expectCode(t, r, exitInputFailed) // manifest.json named on the command line: scrubbed, and failed
	rep = parseReport(t, r.json(t))
	if rep.Files[0].Status != "failed" || rep.Summary.FilesFailed != 1 {
		t.Errorf("a file named on the command line is always scrubbed: %+v", rep.Files)
	}
	expectCode(t, run(t, runOpts{}, "--exclude", "[a-", dir), exitUsage)
}

// Issue 14, reproducer 6: a FIFO or a device named on the command line
// (scrub837 dir/* with a FIFO in it; /dev/zero) blocked for ever. Now it
// is a failed input, at once, and the rest is scrubbed.
func TestE2ERefusesPipesAndDevices(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Fatal("this test needs named pipes and /dev/zero")
	}
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.837")
	if err := mkfifo(fifo); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r := run(t, runOpts{}, fixture("01-dx.837"), fifo, "/dev/zero", dir)
	expectCode(t, r, exitInputFailed)
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %v", d)
	}
	rep := parseReport(t, r.json(t))
	want := []string{"ok", "failed: not a regular file (a named pipe)", "failed: not a regular file (a device)", "skipped: not a regular file (a named pipe)"}
	for i, f := range rep.Files {
		if i >= len(want) || !strings.HasPrefix(f.Status+": "+f.Error, want[i]) {
			t.Errorf("file %d %s: %s %q", i, f.Path, f.Status, f.Error)
		}
	}
	if len(rep.Files) != len(want) {
		t.Errorf("%d files, want %d", len(rep.Files), len(want))
	}
}
