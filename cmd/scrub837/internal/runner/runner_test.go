package runner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/scrub837/scrub837/reports"
	"github.com/scrub837/scrub837/scrubber"
	"github.com/scrub837/scrub837/scrubber/pack"
)

// The workers place results by input index, whatever their number, and
// spool every finding; stdin and an input that could not be expanded are
// inputs too.
func TestScrubAllKeepsInputOrder(t *testing.T) {
	p, err := pack.Default(false)
	if err != nil {
		t.Fatal(err)
	}
	s := scrubber.New(p, scrubber.Options{})
	dir := t.TempDir()
	var inputs []input
	for i := range 40 {
		path := filepath.Join(dir, strings.Repeat("f", i%7+1)+string(rune('a'+i%26))+".837")
		writeFile(t, path, bytes.Repeat([]byte("ISA"), i*100))
		inputs = append(inputs, input{name: path, size: int64(i * 300)})
	}
	inputs = append(inputs, input{name: "-", stdin: true, size: -1}, input{name: "gone", err: io.ErrUnexpectedEOF})
	spooledWith1 := -1
	for _, n := range []int{1, 4, 100} {
		spool := testSpool(t, len(inputs))
		w := workers{s: s, inputs: inputs, readAhead: n == 1, stdin: strings.NewReader("stdin bytes"), log: zerolog.Nop(), spool: spool}
		results, metas := w.scrubAll(n)
		left := 0
		for _, res := range results {
			left += len(res.Findings)
		}
		if n == 1 {
			spooledWith1 = spool.n
		}
		if left != 0 || spool.n != spooledWith1 || spool.n < len(inputs) || spool.err != nil {
			t.Errorf("-j %d: %d findings left in results, %d spooled (%d with -j 1), err %v", n, left, spool.n, spooledWith1, spool.err)
		}
		for i, res := range results {
			if res == nil || res.Index != i || res.Name != inputs[i].name {
				t.Fatalf("-j %d: result %d is %+v", n, i, res)
			}
		}
		if metas[1].bytes != 300 || metas[40].bytes != int64(len("stdin bytes")) || metas[41].sha256 != "" {
			t.Errorf("-j %d: metas %+v %+v %+v", n, metas[1], metas[40], metas[41])
		}
		if results[41].Status != scrubber.StatusFailed {
			t.Errorf("an input that could not be expanded is not failed: %+v", results[41])
		}
	}
}

// samples are the sample files of testdata/samples.txt (broken ones
// included), from this package's folder.
func samples(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "samples.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			paths = append(paths, filepath.Join(repoRoot, line))
		}
	}
	return paths
}

const repoRoot = "../../../.."

// testConfig is a run of paths into a new report folder, every format, with
// a fixed run ID and clock.
func testConfig(t *testing.T, paths ...string) Config {
	t.Helper()
	p, err := pack.Default(false)
	if err != nil {
		t.Fatal(err)
	}
	return Config{
		Paths:   paths,
		Out:     filepath.Join(t.TempDir(), "out"),
		Formats: reports.Formats(),
		Pack:    p,
		Workers: 2,
		RunID:   "test",
		Started: time.Unix(0, 0).UTC(),
		Log:     zerolog.Nop(),
	}
}

// Every temporary file of a run goes into its private folder: with $TMPDIR
// unusable (a regular file, not a folder) a run given its own folder writes
// every report, the workbook included (the XLSX library's scratch files).
func TestRunKeepsTemporaryFilesInItsFolder(t *testing.T) {
	cfg := testConfig(t, samples(t)...)
	cfg.TempDir = t.TempDir()
	cfg.SpoolEvery = 1
	notADir := filepath.Join(t.TempDir(), "file")
	writeFile(t, notADir, nil)
	t.Setenv("TMPDIR", notADir)
	res, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Written) != len(reports.Formats())+1 { // csv writes two files
		t.Errorf("written: %v", res.Written)
	}
	left, _ := os.ReadDir(cfg.TempDir)
	if len(left) != 0 {
		t.Errorf("the run left %d files in its folder (the command removes it; spools are unlinked at once)", len(left))
	}
}

// stopWhileWriting is a report format whose writer stops the run (as a
// signal would) and waits until the run has seen it.
var stopWhileWriting struct {
	mu     sync.Mutex
	cancel context.CancelFunc
	ctx    context.Context
}

func init() {
	reports.Register(reports.Format{Name: "test-stop", Files: []reports.FormatFile{{
		Name: "stop.txt",
		Write: func(w io.Writer, r *reports.Report) error {
			stopWhileWriting.mu.Lock()
			cancel, ctx := stopWhileWriting.cancel, stopWhileWriting.ctx
			stopWhileWriting.mu.Unlock()
			if cancel != nil {
				cancel()
				<-ctx.Done()
			}
			_, err := io.WriteString(w, "x")
			return err
		},
	}}})
}

// A run stopped while its reports are being written discards the staged
// set: the report folder holds the last run's set, and no hidden staging
// folder.
func TestRunStoppedWhileWritingKeepsTheLastSet(t *testing.T) {
	cfg := testConfig(t, samples(t)[0])
	cfg.Formats = []string{"csv", "json"}
	if _, err := Run(cfg); err != nil {
		t.Fatal(err)
	}
	before := listTree(t, cfg.Out)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stopWhileWriting.mu.Lock()
	stopWhileWriting.cancel, stopWhileWriting.ctx = cancel, ctx
	stopWhileWriting.mu.Unlock()
	defer func() {
		stopWhileWriting.mu.Lock()
		stopWhileWriting.cancel, stopWhileWriting.ctx = nil, nil
		stopWhileWriting.mu.Unlock()
	}()
	cfg.Context = ctx
	cfg.Formats = []string{"csv", "json", "xlsx", "test-stop"}
	_, err := Run(cfg)
	var re *Error
	if !errors.As(err, &re) || re.Stage != StageInterrupted {
		t.Fatalf("Run = %v, want a StageInterrupted error", err)
	}
	if after := listTree(t, cfg.Out); after != before {
		t.Errorf("the report folder changed:\nbefore: %s\nafter:  %s", before, after)
	}
}

// A run whose context is done before it starts scrubs nothing and writes
// nothing.
func TestRunStoppedBeforeItStarts(t *testing.T) {
	cfg := testConfig(t, samples(t)...)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cfg.Context = ctx
	_, err := Run(cfg)
	var re *Error
	if !errors.As(err, &re) || re.Stage != StageInterrupted {
		t.Fatalf("Run = %v, want a StageInterrupted error", err)
	}
	if _, err := os.Stat(filepath.Join(cfg.Out, "exceptions.csv")); err == nil {
		t.Error("reports written by a stopped run")
	}
}

// listTree names every entry under dir, hidden ones included, with sizes.
func listTree(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		fmt.Fprintf(&b, "%s:%d ", rel, info.Size())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func packDefault() (*pack.Pack, error) { return pack.Default(false) }
