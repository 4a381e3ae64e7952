package codedata

import "fmt"

// FileError is a data file that scrub837 recognised (by its published name)
// but cannot use: malformed content, an unreadable ZIP member, or two
// different files that claim to be the same edition. A nightly run must not
// scrub quietly without the edits the team thinks it has, so Load stops on
// it; the caller reports it as a usage error (exit 2).
type FileError struct {
	Path   string // the file, relative to the data folder
	Member string // the member inside the ZIP at Path, or ""
	Line   int    // 1-based line of the file (or member), 0 for the file as a whole
	Reason string // what is wrong, in words an analyst can act on
	Err    error  // the underlying I/O error, if any
}

func (e *FileError) Error() string {
	where := e.Path
	if e.Member != "" {
		where += "[" + e.Member + "]"
	}
	if e.Line > 0 {
		where += fmt.Sprintf(":%d", e.Line)
	}
	if e.Err != nil {
		return where + ": " + e.Reason + ": " + e.Err.Error()
	}
	return where + ": " + e.Reason
}

func (e *FileError) Unwrap() error { return e.Err }
