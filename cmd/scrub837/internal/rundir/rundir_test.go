package rundir

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scrub837/scrub837/reports"
)

func TestCreateAndRemove(t *testing.T) {
	parent := t.TempDir()
	d, removed, err := Create(parent)
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 0 {
		t.Errorf("removed %v from an empty folder", removed)
	}
	name := filepath.Base(d.Path())
	if filepath.Dir(d.Path()) != parent || !strings.HasPrefix(name, Prefix+strconv.Itoa(os.Getpid())+"-") {
		t.Errorf("folder %s: want %s/%s%d-…", d.Path(), parent, Prefix, os.Getpid())
	}
	info, err := os.Stat(d.Path())
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && info.Mode().Perm() != 0o700 {
		t.Errorf("mode %v, want 0700: the folder holds claim data", info.Mode().Perm())
	}
	if err := os.WriteFile(filepath.Join(d.Path(), "claims"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A second run does not take a live run's folder for a dead one's.
	d2, removed, err := Create(parent)
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 0 {
		t.Errorf("a live run's folder was removed: %v", removed)
	}
	if err := d.Remove(); err != nil {
		t.Fatal(err)
	}
	if err := d2.Remove(); err != nil {
		t.Fatal(err)
	}
	if err := d.Remove(); err != nil {
		t.Errorf("a second Remove: %v", err)
	}
	left, _ := os.ReadDir(parent)
	if len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}

// A folder whose lock nobody holds is a dead run's (killed with -9): the
// next run removes it, whatever PID its name carries. A folder without a
// lock file is removed only when it is old: a run may be between creating
// and locking it.
func TestRemoveStale(t *testing.T) {
	parent := t.TempDir()
	dead := filepath.Join(parent, Prefix+"999999-dead")
	mkdir(t, dead)
	unlock, err := reports.LockDir(dead, false) // creates the lock file, as a run does
	if err != nil {
		t.Fatal(err)
	}
	unlock() // the process "died"
	if err := os.WriteFile(filepath.Join(dead, "excelize-123"), []byte("claim rows"), 0o600); err != nil {
		t.Fatal(err)
	}

	live := filepath.Join(parent, Prefix+"1-live")
	mkdir(t, live)
	unlockLive, err := reports.LockDir(live, false)
	if err != nil {
		t.Fatal(err)
	}
	defer unlockLive()

	young := filepath.Join(parent, Prefix+"2-young") // no lock file yet
	mkdir(t, young)
	old := filepath.Join(parent, Prefix+"3-old")
	mkdir(t, old)
	long := time.Now().Add(-time.Hour)
	if err := os.Chtimes(old, long, long); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(parent, "scrub837-findings-1") // not a run folder
	mkdir(t, other)
	if err := os.Symlink(dead, filepath.Join(parent, Prefix+"4-link")); err != nil {
		t.Fatal(err)
	}

	removed, err := RemoveStale(parent)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{old, dead} // in name order
	if strings.Join(removed, " ") != strings.Join(want, " ") {
		t.Errorf("removed %v, want %v", removed, want)
	}
	for _, p := range []string{live, young, other} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	if _, err := os.Lstat(filepath.Join(parent, Prefix+"4-link")); err != nil {
		t.Errorf("a symbolic link was removed: %v", err)
	}
}

func mkdir(t *testing.T, path string) {
	t.Helper()
	if err := os.Mkdir(path, 0o700); err != nil {
		t.Fatal(err)
	}
}
