package runner

import (
	"regexp"
	"strings"
)

// Logs never carry claim data: only file paths, sizes, counts, durations,
// statuses, rule IDs and error messages with every quoted fragment removed
// (x12io quotes the bytes of a segment it cannot read, which could be
// patient data).

// quoted matches a Go-quoted ("...") or single-quoted fragment.
var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'`)

// SafeText is an error message fit for a log line or the command's
// summary: quoted fragments, which may quote file content, become "…", and
// the message is one line of bounded length.
func SafeText(msg string) string {
	msg = strings.ReplaceAll(strings.ReplaceAll(msg, "\r", " "), "\n", " ")
	msg = quoted.ReplaceAllString(msg, `"…"`)
	const limit = 300
	if len(msg) > limit {
		msg = msg[:limit] + "…"
	}
	return msg
}
