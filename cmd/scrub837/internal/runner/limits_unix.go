//go:build unix

package runner

import "golang.org/x/sys/unix"

// openFileLimit is the process's limit of open files (RLIMIT_NOFILE); 0
// when unknown.
func openFileLimit() uint64 {
	var l unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &l); err != nil || l.Cur == unix.RLIM_INFINITY {
		return 0
	}
	return uint64(l.Cur)
}
