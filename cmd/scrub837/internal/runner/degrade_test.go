package runner

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// bigDrop is one 837P file of n 0620T claims, each for its own patient
// but every dupEvery-th, which repeats the claim before it for the same
// patient, date and side (LINE-DUPLICATE across claims). Large enough n
// makes the cross-claim index spill to the temporary folder.
func bigDrop(n, dupEvery int) []byte {
	var b bytes.Buffer
	segs := 0
	seg := func(format string, args ...any) {
		fmt.Fprintf(&b, format+"~\n", args...)
		segs++
	}
	b.WriteString("ISA*00*          *00*          *ZZ*SYNTHSUBMIT    *ZZ*SYNTHRECEIVE   *260120*0300*^*00501*000000901*0*T*:~\n")
	b.WriteString("GS*HC*SYNTHSUBMIT*SYNTHRECEIVE*20260120*0300*901*X*005010X222A1~\n")
	segs = 0
	seg("ST*837*0001*005010X222A1")
	seg("BHT*0019*00*BIG*20260120*0300*CH")
	seg("NM1*41*2*SYNTHETIC BILLING SERVICE*****46*SYNTHSUBMIT")
	seg("PER*IC*SYNTHETIC CONTACT*TE*5555550100")
	seg("NM1*40*2*SYNTHETIC CLEARINGHOUSE*****46*SYNTHRECEIVE")
	seg("HL*1**20*1")
	seg("PRV*BI*PXC*2086S0129X")
	seg("NM1*85*2*SYNTHETIC VASCULAR ASSOCIATES*****XX*1234567893")
	seg("N3*100 SYNTHETIC AVENUE")
	seg("N4*SPRINGFIELD*IL*627010000")
	seg("REF*EI*990000001")
	member := 0
	for i := range n {
		if dupEvery == 0 || i%dupEvery != dupEvery-1 {
			member++
		}
		seg("HL*%d*1*22*0", i+2)
		seg("SBR*P*18*******MB")
		seg("NM1*IL*1*ZZBIG*PAT****MI*SYNBIG%07d", member)
		seg("DMG*D8*19391231*M")
		seg("NM1*PR*2*NOVITAS SOLUTIONS MEDICARE*****PI*12302")
		seg("CLM*BIG-%d*12500***22:B:1*Y*A*Y*Y", i+1)
		seg("HI*ABK:I70244")
		seg("LX*1")
		seg("SV1*HC:0620T:LT*12500*UN*1***1")
		seg("DTP*472*D8*20260112")
	}
	fmt.Fprintf(&b, "SE*%d*0001~\nGE*1*901~\nIEA*1*000000901~\n", segs+1)
	return b.Bytes()
}

// ruleCounts counts the findings of each rule in a run's exceptions.csv.
func ruleCounts(t *testing.T, out string) map[string]int {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, "exceptions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, name := range rows[0] {
		if name == "rule_id" {
			col = i
		}
	}
	counts := map[string]int{}
	for _, row := range rows[1:] {
		counts[row[col]]++
	}
	return counts
}

// Issue 14, reproducer 3: when the temporary folder could not take the
// cross-claim index or the findings spool, the run exited 3 and wrote
// nothing. Now it writes its reports: the cross-claim rules are skipped
// with a FILE-CROSS-CLAIM-SKIPPED finding on the file, every other finding
// is there (kept in memory), and the Result says what was left out.
func TestRunDegradesWhenTheTemporaryFolderFails(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "big.837")
	writeFile(t, path, bigDrop(30000, 1000))

	cfg := testConfig(t, path)
	cfg.Formats = []string{"csv"}
	cfg.TempDir = t.TempDir()
	res, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Degraded) != 0 {
		t.Fatalf("a run with a working temporary folder degraded: %v", res.Degraded)
	}
	whole := ruleCounts(t, cfg.Out)
	if whole["LINE-DUPLICATE"] == 0 {
		t.Fatalf("the drop has no cross-claim duplicate: %v", whole)
	}

	broken := testConfig(t, path)
	broken.Formats = []string{"csv"}
	broken.TempDir = filepath.Join(dir, "big.837") // a file: nothing can be created in it
	res, err = Run(broken)
	if err != nil {
		t.Fatalf("no reports: %v", err)
	}
	if len(res.Degraded) != 3 || !strings.Contains(res.Degraded[0], "cross-claim rules skipped") ||
		!strings.Contains(res.Degraded[1], "findings kept in memory") || !strings.Contains(res.Degraded[2], "claim summaries kept in memory") {
		t.Errorf("degraded: %q", res.Degraded)
	}
	got := ruleCounts(t, broken.Out)
	want := whole
	delete(want, "LINE-DUPLICATE")
	want["FILE-CROSS-CLAIM-SKIPPED"] = 1
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("findings by rule:\n got %v\nwant %v", got, want)
	}
	if res.Report.Files[0].Status != "ok" || res.Report.Summary.FindingsByRule["FILE-CROSS-CLAIM-SKIPPED"] != 1 {
		t.Errorf("file %+v, summary %v", res.Report.Files[0], res.Report.Summary.FindingsByRule)
	}
}

// A report folder that cannot be written fails the run before anything
// is scrubbed (issue 14, reproducer 8: a read-only --out was found only
// after the whole scrub).
func TestRunChecksTheReportFolderFirst(t *testing.T) {
	cfg := testConfig(t, samples(t)...)
	notADir := filepath.Join(t.TempDir(), "file")
	writeFile(t, notADir, nil)
	cfg.Out = filepath.Join(notADir, "out")
	progress := &countingProgress{}
	cfg.Progress = progress
	_, err := Run(cfg)
	var re *Error
	if !errors.As(err, &re) || re.Stage != StageOut {
		t.Fatalf("Run = %v, want a StageOut error", err)
	}
	if progress.started {
		t.Error("the run started scrubbing before it knew it could write its reports")
	}
}

func TestFilesAtOnce(t *testing.T) {
	for _, c := range []struct {
		workers, inputs, cpus int
		limit                 uint64
		want                  int
	}{
		{100000, 20000, 2, 1 << 20, 8}, // issue 14, reproducer 7: -j 100000 took 2 GB
		{1, 10, 2, 1024, 1},
		{2, 1, 2, 1024, 1},
		{0, 5, 2, 0, 1},
		{1000, 5000, 64, 256, 80},      // ulimit -n 256
		{1000, 5000, 64, 64, 1},        // fewer handles than the run keeps for itself
		{16, 5000, 64, 0, 16},          // no known limit
		{1000, 5000, 64, 1 << 62, 256}, // a huge limit
	} {
		if got := filesAtOnce(c.workers, c.inputs, c.cpus, c.limit); got != c.want {
			t.Errorf("filesAtOnce(%d, %d, %d, %d) = %d, want %d", c.workers, c.inputs, c.cpus, c.limit, got, c.want)
		}
	}
}

// countingProgress records what a run tells its Progress. Its methods may
// be called from several goroutines (the workers), so they lock; read the
// fields once Run has returned.
type countingProgress struct {
	mu      sync.Mutex
	started bool
	claims  int
	phases  []string
}

func (p *countingProgress) Start(int64, int) { p.mu.Lock(); p.started = true; p.mu.Unlock() }
func (p *countingProgress) AddBytes(int64)   {}
func (p *countingProgress) AddClaims(n int)  { p.mu.Lock(); p.claims += n; p.mu.Unlock() }
func (p *countingProgress) FileDone()        {}
func (p *countingProgress) Phase(name string) {
	p.mu.Lock()
	p.phases = append(p.phases, name)
	p.mu.Unlock()
}

// --split keeps a copy of standard input to read it twice. When the copy
// cannot be made (a temporary folder that is not a folder), standard input
// is still scrubbed and reported, the other inputs are split, and the run
// says it left standard input out of ready/ and held/ (exit 3), instead of
// writing no reports.
func TestRunSplitWithoutACopyOfStandardInput(t *testing.T) {
	dx, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "01-dx.837"))
	if err != nil {
		t.Fatal(err)
	}
	notAFolder := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notAFolder, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t, "-", filepath.Join(repoRoot, "testdata", "03-bundling.837"))
	cfg.Stdin = bytes.NewReader(dx)
	cfg.Formats = []string{"csv"}
	cfg.Split = true
	cfg.TempDir = notAFolder
	res, err := Run(cfg)
	if err != nil {
		t.Fatalf("no reports: %v", err)
	}
	left := false
	for _, d := range res.Degraded {
		left = left || strings.Contains(d, "standard input left out of ready/ and held/")
	}
	if !left {
		t.Errorf("degraded: %q", res.Degraded)
	}
	if res.Report.Files[0].Claims == 0 || res.Split == nil || res.Split.Files != 1 {
		t.Errorf("standard input's claims %d, split %+v", res.Report.Files[0].Claims, res.Split)
	}
	for _, dir := range []string{"ready", "held"} {
		if _, err := os.Stat(filepath.Join(cfg.Out, dir, "stdin")); err == nil {
			t.Errorf("%s/stdin written", dir)
		}
	}
}
