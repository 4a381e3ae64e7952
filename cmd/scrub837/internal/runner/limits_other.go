//go:build !unix

package runner

// openFileLimit: unknown where there is no RLIMIT_NOFILE.
func openFileLimit() uint64 { return 0 }
