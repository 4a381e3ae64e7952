package runner

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
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
