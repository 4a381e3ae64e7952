//go:build !unix && !windows

package reports

import "os"

// lockFile does not lock where the platform has no file locks (js, wasip1,
// plan9): runs sharing an output folder are then not kept apart.
func lockFile(f *os.File, wait bool) (held bool, err error) { return false, nil }

func unlockFile(f *os.File) error { return nil }
