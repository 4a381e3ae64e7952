//go:build unix

package main

import (
	"os/signal"
	"syscall"
)

// ignoreFileSizeSignal makes a write past the file-size limit (ulimit -f)
// fail with an error the run can handle (EFBIG), instead of the signal
// that kills the process by default.
func ignoreFileSizeSignal() { signal.Ignore(syscall.SIGXFSZ) }
