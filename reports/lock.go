package reports

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// LockFileName is the lock file LockDir creates in the output folder. It is
// left in place after unlocking: removing it would let two runs lock two
// different files of the same name.
const LockFileName = ".scrub837.lock"

// ErrLocked is what a LockDir error wraps when another run holds the lock.
var ErrLocked = errors.New("report folder is locked by another run")

// LockedError says which folder another run holds locked.
type LockedError struct{ Dir string }

func (e *LockedError) Error() string {
	return fmt.Sprintf("another scrub837 run holds the lock on %s; try again later", e.Dir)
}

// Unwrap makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Unwrap() error { return ErrLocked }

// LockDir takes an advisory exclusive lock on dir (on dir/.scrub837.lock:
// flock on Unix, LockFileEx on Windows), creating dir if missing, so that two
// runs writing into the same output folder never interleave. With wait false
// it fails at once with a *LockedError (errors.Is ErrLocked) when another run
// holds the lock; with wait true it blocks until the lock is free. The lock
// belongs to the open file, so it is released by unlock or when the process
// ends, even if it crashes. A second LockDir on the same folder conflicts
// even within one process. unlock may be called more than once.
func LockDir(dir string, wait bool) (unlock func() error, err error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("creating report folder: %w", err)
	}
	path := filepath.Join(dir, LockFileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("opening lock file: %w", err)
	}
	held, err := lockFile(f, wait)
	if err != nil || held {
		f.Close()
		if held {
			return nil, &LockedError{Dir: dir}
		}
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	var once sync.Once
	var uerr error
	return func() error {
		once.Do(func() {
			uerr = unlockFile(f)
			if cerr := f.Close(); uerr == nil {
				uerr = cerr
			}
		})
		return uerr
	}, nil
}
