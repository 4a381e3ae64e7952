package main

// The run's lifecycle as cron sees it: its private temporary folder,
// signals, and what is left behind.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	r := run(t, runOpts{env: []string{"TMPDIR=" + tmp}}, args...)
	expectCode(t, r, exitInputFailed) // the samples hold broken files
	if left := tmpEntries(t, tmp); strings.Join(left, " ") != filepath.Base(live) {
		t.Errorf("TMPDIR holds %v after the run, want only the live run's %s", left, filepath.Base(live))
	}
	if !strings.Contains(r.stderr, "removed the temporary folders of earlier runs") || !strings.Contains(r.stderr, filepath.Base(dead)) {
		t.Errorf("the log does not say the dead run's folder was removed:\n%s", r.stderr)
	}
}
