//go:build unix

package runner

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/scrub837/scrub837/reports"
	"github.com/scrub837/scrub837/scrubber/finding"
)

// Some runs need a process of their own: a file-size limit (ulimit -f)
// holds for every file the process writes. TestMain runs such a run when
// the test binary is started again with childEnv set (see runChild).
const childEnv = "SCRUB837_RUNNER_TEST_CHILD"

func TestMain(m *testing.M) {
	if spec := os.Getenv(childEnv); spec != "" {
		os.Exit(childRun(spec))
	}
	os.Exit(m.Run())
}

// childSpec is a run in a child process.
type childSpec struct {
	LimitFileSize bool
	FileSizeLimit uint64 // bytes; RLIMIT_FSIZE, when LimitFileSize
	Paths         []string
	Out, TempDir  string
	Formats       []string
}

// childResult is what it gave.
type childResult struct {
	Stage    Stage // of the run's error; 0 when it wrote its reports
	Err      string
	Started  bool // scrubbing began
	Degraded []string
	Digest   string // the findings, as the test-digest report saw them
}

// runChild runs spec in a new process of this test binary.
func runChild(t *testing.T, spec childSpec) childResult {
	t.Helper()
	data, _ := json.Marshal(spec)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+string(data))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child run: %v\n%s", err, stderr.String())
	}
	var res childResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("child run said %q: %v\n%s", out, err, stderr.String())
	}
	return res
}

func childRun(specJSON string) int {
	var spec childSpec
	if err := json.Unmarshal([]byte(specJSON), &spec); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	signal.Ignore(syscall.SIGXFSZ) // as the command does: EFBIG, not a kill
	if spec.LimitFileSize {
		lim := unix.Rlimit{Cur: spec.FileSizeLimit, Max: spec.FileSizeLimit}
		if err := unix.Setrlimit(unix.RLIMIT_FSIZE, &lim); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
	}
	cfg := childConfig(spec)
	progress := &countingProgress{}
	cfg.Progress = progress
	res, err := Run(cfg)
	var out childResult
	out.Started = progress.started
	var re *Error
	switch {
	case errors.As(err, &re):
		out.Stage, out.Err = re.Stage, re.Error()
	case err != nil:
		out.Err = err.Error()
	default:
		out.Degraded = res.Degraded
		data, _ := os.ReadFile(filepath.Join(spec.Out, "digest.txt"))
		out.Digest = string(data)
	}
	json.NewEncoder(os.Stdout).Encode(out)
	return 0
}

// init registers test-digest: a report of a few bytes (so that a small
// file-size limit leaves it alone) that sums up every finding.
func init() {
	reports.Register(reports.Format{Name: "test-digest", Files: []reports.FormatFile{{
		Name: "digest.txt",
		Write: func(w io.Writer, r *reports.Report) error {
			h := sha256.New()
			n := 0
			var rec []byte
			err := r.EachFinding(func(f *finding.Finding) error {
				rec = finding.Append(rec[:0], f)
				h.Write(rec)
				n++
				return nil
			})
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(w, "%d %s\n", n, hex.EncodeToString(h.Sum(nil))[:16])
			return err
		},
	}}})
}

// Issue 14, reproducer 3: the findings spool could not be written (here:
// a file-size limit cuts it off part-way) and the run wrote no reports.
// Now the findings that did not fit are kept in memory: the reports hold
// every finding, the same as a run without the limit, and the run says it
// degraded.
func TestRunKeepsFindingsWhenTheSpoolFillsUp(t *testing.T) {
	var paths []string
	for range 40 {
		paths = append(paths, samples(t)...)
	}
	spec := childSpec{Paths: paths, Formats: []string{"test-digest"}}
	spec.Out, spec.TempDir = filepath.Join(t.TempDir(), "out"), t.TempDir()
	whole := runChild(t, spec)
	if n, _ := strconv.Atoi(strings.Fields(whole.Digest + " 0")[0]); whole.Err != "" || len(whole.Degraded) != 0 || n < 1000 {
		t.Fatalf("without a limit: %+v", whole)
	}
	spec.Out, spec.TempDir = filepath.Join(t.TempDir(), "out"), t.TempDir()
	spec.LimitFileSize, spec.FileSizeLimit = true, 64<<10
	limited := runChild(t, spec)
	if limited.Err != "" {
		t.Fatalf("with a 64 KiB file-size limit the run wrote no reports: %+v", limited)
	}
	if len(limited.Degraded) != 2 || !strings.Contains(limited.Degraded[0], "findings kept in memory") ||
		!strings.Contains(limited.Degraded[1], "claim summaries kept in memory") {
		t.Errorf("degraded: %q", limited.Degraded)
	}
	if limited.Digest != whole.Digest {
		t.Errorf("findings: %q with the limit, %q without", limited.Digest, whole.Digest)
	}
}

// Issue 14, reproducer 8: a report folder that cannot be written to was
// found only after the whole scrub. Now the run fails before it starts.
func TestRunFindsAnUnwritableReportFolderFirst(t *testing.T) {
	spec := childSpec{Paths: samples(t), Formats: []string{"csv"}}
	spec.Out, spec.TempDir = filepath.Join(t.TempDir(), "out"), t.TempDir()
	if os.Geteuid() == 0 {
		// root writes into a read-only folder: a file-size limit of zero
		// stands for it (no byte can be written into the folder).
		spec.LimitFileSize = true
	} else {
		if err := os.MkdirAll(spec.Out, 0o500); err != nil {
			t.Fatal(err)
		}
	}
	res := runChild(t, spec)
	if res.Stage != StageOut || res.Started {
		t.Errorf("run: %+v; want a StageOut error before scrubbing", res)
	}
}

func childConfig(spec childSpec) Config {
	cfg := Config{Paths: spec.Paths, Out: spec.Out, TempDir: spec.TempDir, Formats: spec.Formats, Workers: 2, RunID: "child"}
	p, err := packDefault()
	if err != nil {
		panic(err)
	}
	cfg.Pack = p
	return cfg
}
