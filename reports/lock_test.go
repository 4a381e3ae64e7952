//go:build unix || windows

package reports

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestLockDirConflict(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	unlock, err := LockDir(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, LockFileName)); err != nil {
		t.Errorf("no lock file: %v", err)
	}
	_, err = LockDir(dir, false)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second lock: err = %v, want ErrLocked", err)
	}
	want := "another scrub837 run holds the lock on " + dir + "; try again later"
	if err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	var le *LockedError
	if !errors.As(err, &le) || le.Dir != dir {
		t.Errorf("error %#v is not a LockedError for %s", err, dir)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	if err := unlock(); err != nil {
		t.Errorf("second unlock: %v", err)
	}
	unlock2, err := LockDir(dir, false)
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	if err := unlock2(); err != nil {
		t.Fatal(err)
	}
}

func TestLockDirWait(t *testing.T) {
	dir := t.TempDir()
	unlock, err := LockDir(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() {
		unlock2, err := LockDir(dir, true)
		if err == nil {
			err = unlock2()
		}
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("waiting lock returned while the lock was held: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-got:
		if err != nil {
			t.Fatalf("waiting lock: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("waiting lock not granted after unlock")
	}
}
