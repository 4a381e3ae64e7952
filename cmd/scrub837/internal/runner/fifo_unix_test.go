//go:build unix

package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// Issue 14, reproducer 6: a FIFO or a device named on the command line
// blocked the run for ever. It is a failed input now, never opened; in a
// folder such entries are skipped and listed.
func TestExpandInputsRefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.837")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	got := names(expandInputs([]string{fifo, os.DevNull, dir}, expansion{}))
	want := []string{fifo + " (error)", os.DevNull + " (error)", fifo + " (skipped: not a regular file (a named pipe))"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	ins := expandInputs([]string{fifo, os.DevNull}, expansion{})
	if !strings.Contains(ins[0].err.Error(), "a named pipe") || !strings.Contains(ins[1].err.Error(), "a device") {
		t.Errorf("errors: %v, %v", ins[0].err, ins[1].err)
	}
}
