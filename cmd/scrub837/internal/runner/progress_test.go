package runner

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The claim counter counts CLM segments as the stream goes by, whatever
// the reads' sizes and the delimiters, and nothing in a stream that does
// not start with ISA.
func TestClaimCounter(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "01-dx.837"))
	if err != nil {
		t.Fatal(err)
	}
	want := bytes.Count(data, []byte("\nCLM*")) + bytes.Count(data, []byte("~CLM*"))
	if want < 10 {
		t.Fatalf("the sample has %d claims", want)
	}
	oneLine := bytes.ReplaceAll(data, []byte("~\n"), []byte("~"))
	pipes := bytes.ReplaceAll(bytes.ReplaceAll(oneLine, []byte("*"), []byte("|")), []byte("~"), []byte("'"))
	for name, in := range map[string][]byte{"lines": data, "one line": oneLine, "| and '": pipes, "not X12": append([]byte("XX"), data...)} {
		wantHere := want
		if name == "not X12" {
			wantHere = 0
		}
		for _, chunk := range []int{1, 2, 3, 5, 7, 64, 1 << 20} {
			added := 0
			c := &claimCounter{r: &chunked{data: in, n: chunk}, add: func(n int) { added += n }}
			if _, err := io.Copy(io.Discard, c); err != nil {
				t.Fatal(err)
			}
			if c.seen != wantHere || added != wantHere {
				t.Errorf("%s, reads of %d: counted %d (added %d), want %d", name, chunk, c.seen, added, wantHere)
			}
		}
	}
	if strings.Count(string(pipes), "'CLM|") != want {
		t.Fatal("the | and ' variant is not what it should be")
	}
}

// chunked reads data n bytes at a time.
type chunked struct {
	data []byte
	n    int
}

func (c *chunked) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	k := copy(p[:min(len(p), c.n)], c.data)
	c.data = c.data[k:]
	return k, nil
}

// The progress bar is told the claims as they are read, corrected file by
// file to the scrubber's count, and the phases after the scrubbing.
func TestRunTellsProgress(t *testing.T) {
	cfg := testConfig(t, samples(t)...)
	p := &countingProgress{}
	cfg.Progress = p
	res, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if p.claims != res.Report.Summary.Claims || p.claims < 50 {
		t.Errorf("progress counted %d claims, the run %d", p.claims, res.Report.Summary.Claims)
	}
	if strings.Join(p.phases, ",") != PhaseCrossClaims+","+PhaseReports {
		t.Errorf("phases %q", p.phases)
	}
}
