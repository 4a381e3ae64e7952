//go:build !unix

package main

// ignoreFileSizeSignal: only Unix has SIGXFSZ.
func ignoreFileSizeSignal() {}
