// Package rundir is a scrub run's private temporary folder: every
// temporary file of the run (the findings spool, the cross-claim index, the
// XLSX library's scratch files, the claim-summary spool, a copy of standard
// input) goes into it, so that nothing holding claim data outlives the run.
//
// The folder is created under the system's temporary folder ($TMPDIR) with
// mode 0700 and a name that says whose it is: scrub837-run-PID-RANDOM. The
// run holds a lock on a file in it for as long as it lives; the kernel
// releases that lock when the process ends however it ends (kill -9
// included). The next run removes every folder whose lock is free: its run
// died without removing it. A lock, unlike a PID, cannot be fooled by the
// PID being reused by another process.
package rundir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/scrub837/scrub837/reports"
)

// Prefix starts the name of every run's folder.
const Prefix = "scrub837-run-"

// Dir is a run's private temporary folder, locked while the run lives.
type Dir struct {
	path   string
	unlock func() error
	once   sync.Once
	err    error
}

// Create makes a new private folder for this process under parent ("" for
// os.TempDir()), first removing the folders of runs that died (see
// RemoveStale) and returning what it removed.
func Create(parent string) (*Dir, []string, error) {
	if parent == "" {
		parent = os.TempDir()
	}
	removed, _ := RemoveStale(parent) // best effort: a folder that cannot go stays for a later run
	for range 3 {
		d, err := create(parent)
		if !errors.Is(err, errRaced) {
			return d, removed, err
		}
	}
	return nil, removed, fmt.Errorf("creating the run's temporary folder in %s: %w", parent, errRaced)
}

// errRaced: another run took the new folder for a dead run's (possible only
// between creating the folder and locking it) and removed it.
var errRaced = errors.New("the new folder was removed by another run while it was being created")

func create(parent string) (*Dir, error) {
	path, err := os.MkdirTemp(parent, fmt.Sprintf("%s%d-", Prefix, os.Getpid())) // mode 0700
	if err != nil {
		return nil, fmt.Errorf("creating the run's temporary folder: %w", err)
	}
	unlock, err := reports.LockDir(path, false)
	if err != nil {
		os.RemoveAll(path)
		if errors.Is(err, reports.ErrLocked) || errors.Is(err, os.ErrNotExist) {
			return nil, errRaced
		}
		return nil, fmt.Errorf("locking the run's temporary folder: %w", err)
	}
	// A stale-folder sweep of another run may have locked and removed the
	// folder between MkdirTemp and the lock: then the lock is on a file
	// that is no longer the folder's.
	if !lockFileIsOurs(path) {
		unlock()
		os.RemoveAll(path)
		return nil, errRaced
	}
	return &Dir{path: path, unlock: unlock}, nil
}

// lockFileIsOurs reports whether path still holds a lock file (the one
// just locked: nobody else creates one in a folder they did not make).
func lockFileIsOurs(path string) bool {
	_, err := os.Lstat(filepath.Join(path, reports.LockFileName))
	return err == nil
}

// Path is the folder.
func (d *Dir) Path() string { return d.path }

// Remove removes the folder and everything in it, and releases its lock.
// It tries a few times: a file that was being created in the folder while
// it was emptied (a run stopped by a signal) makes the first try fail.
// Calling it again returns the first call's error.
func (d *Dir) Remove() error {
	d.once.Do(func() {
		d.unlock()
		for try := range 5 {
			if d.err = os.RemoveAll(d.path); d.err == nil {
				return
			}
			time.Sleep(time.Duration(try+1) * 20 * time.Millisecond)
		}
	})
	return d.err
}

// staleAfter is how old a run's folder without a lock file must be to be
// taken for a dead run's: a live run locks its folder right after creating
// it, so one without a lock is a run killed in between (it holds nothing).
const staleAfter = time.Minute

// RemoveStale removes the folders under parent of runs that died: those
// whose lock no process holds. It leaves the folders of live runs, and
// those it cannot lock or remove (another user's, say). It returns the
// folders it removed.
func RemoveStale(parent string) ([]string, error) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return nil, err
	}
	var removed []string
	var errs []error
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), Prefix) {
			continue // a symbolic link is never followed here
		}
		path := filepath.Join(parent, e.Name())
		if err := removeIfStale(path); err != nil {
			if !errors.Is(err, errLive) {
				errs = append(errs, err)
			}
			continue
		}
		removed = append(removed, path)
	}
	return removed, errors.Join(errs...)
}

// errLive: the folder is a live run's (or not ours to lock).
var errLive = errors.New("the folder belongs to a live run")

// removeIfStale removes path if the run that made it is gone. It removes
// it while holding its lock, so that a run creating a folder of that name
// at the same moment (see create) either holds the lock first, and the
// folder stays, or finds its lock file gone, and makes another.
func removeIfStale(path string) error {
	if _, err := os.Lstat(filepath.Join(path, reports.LockFileName)); errors.Is(err, os.ErrNotExist) {
		info, err := os.Lstat(path)
		if err != nil || time.Since(info.ModTime()) <= staleAfter {
			return errLive
		}
		return os.RemoveAll(path)
	}
	unlock, err := reports.LockDir(path, false)
	if err != nil {
		return errLive // locked by a live run, or not ours to open
	}
	err = os.RemoveAll(path)
	unlock()
	if err != nil {
		err = os.RemoveAll(path) // where an open file cannot be removed (Windows)
	}
	return err
}
