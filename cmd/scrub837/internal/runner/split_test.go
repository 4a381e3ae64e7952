package runner

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/scrub837/scrub837/reports"
	"github.com/scrub837/scrub837/scrubber"
	"github.com/scrub837/scrub837/scrubber/finding"
)

func TestSplitNames(t *testing.T) {
	inputs := []input{
		{name: "a/x.837"},
		{name: "b/x.837"},   // taken: x-2.837
		{name: "c/X.837"},   // taken whatever the case
		{name: "x.837.gz"},  // a half is plain X12: x-4.837
		{name: "d/y.GZ.gz"}, // every .gz goes: y
		{name: "-", stdin: true},
		{name: "e/x-2.837"}, // a name the scheme gave already: x-2-2.837
		{name: "f/.837"},    // a hidden name has no extension to keep at the end
		{name: "g/.837"},
		{name: "h/README"},
		{name: "i/README"},
	}
	want := []string{"x.837", "x-2.837", "X-3.837", "x-4.837", "y", "stdin", "x-2-2.837", ".837", ".837-2", "README", "README-2"}
	if got := splitNames(inputs); !reflect.DeepEqual(got, want) {
		t.Errorf("splitNames:\n got %q\nwant %q", got, want)
	}
}

// spoolClaims puts summaries for input 0 into a new claim spool.
func spoolClaims(t *testing.T, inputs int, cs ...finding.ClaimSummary) *claimSpool {
	t.Helper()
	sp := newClaimSpool(t.TempDir(), inputs)
	t.Cleanup(func() { sp.close() })
	sp.putRun(0, cs)
	if _, err := sp.degraded(); err != nil {
		t.Fatal(err)
	}
	return sp
}

// The claim spool gives back every summary, whole, file by file in input
// order, as often as asked; a dropped file's summaries are gone. It does
// so too when its file cannot be created (a temporary folder that is not
// a folder): then it keeps them in memory and says so.
func TestClaimSpool(t *testing.T) {
	notAFolder := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notAFolder, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{t.TempDir(), notAFolder} {
		testClaimSpool(t, dir, dir == notAFolder)
	}
}

func testClaimSpool(t *testing.T, dir string, inMemory bool) {
	sp := newClaimSpool(dir, 3)
	defer sp.close()
	c := func(file int, off int64, id string) finding.ClaimSummary {
		return finding.ClaimSummary{FileIndex: file, ClaimOffset: off, ClaimID: id, MemberID: "W" + id,
			Lines: []finding.ClaimLine{{Number: 1, Offset: off + 100, Side: finding.SideLeft}}}
	}
	// Files finish in any order; each file's runs come in its order.
	sp.putRun(2, []finding.ClaimSummary{c(2, 10, "E")})
	sp.putRun(0, []finding.ClaimSummary{c(0, 10, "A"), c(0, 20, "B")})
	sp.putRun(1, []finding.ClaimSummary{c(1, 10, "dropped")})
	sp.putRun(0, []finding.ClaimSummary{c(0, 30, "C")})
	sp.drop(1)
	sp.putRun(1, []finding.ClaimSummary{c(1, 15, "D")}) // the replaced file's own
	want := []finding.ClaimSummary{c(0, 10, "A"), c(0, 20, "B"), c(0, 30, "C"), c(1, 15, "D"), c(2, 10, "E")}
	if sp.Len() != len(want) {
		t.Fatalf("Len %d, want %d", sp.Len(), len(want))
	}
	for range 2 {
		var got []finding.ClaimSummary
		if err := sp.Each(func(c *finding.ClaimSummary) error { got = append(got, *c); return nil }); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("got %+v\nwant %+v", got, want)
		}
	}
	n, err := sp.degraded()
	if inMemory != (err != nil) || (inMemory && n != len(want)) {
		t.Errorf("in %s: %d summaries kept in memory (%v)", dir, n, err)
	}
}

// holdPlan holds a claim with a finding at or above --hold-on, a target
// claim as its status says (a void without error is not held), and the
// whole file for a file-level finding at or above --hold-on.
func TestHoldPlan(t *testing.T) {
	f := func(claim, at int64, rule string, sev finding.Severity) finding.Finding {
		return finding.Finding{ClaimOffset: claim, ByteOffset: at, RuleID: rule, Severity: sev}
	}
	findings := []finding.Finding{
		f(0, 5, "X12-VERSION", finding.Info),
		f(300, 50, "LINE-TAXONOMY-ATYPICAL", finding.Warning), // early: in a loop before its claim
		f(100, 110, "MOD-UNLISTED", finding.Warning),
		f(200, 210, "DX-POINTER-MISSING", finding.Error),
		f(200, 220, "MOD-UNLISTED", finding.Warning),
		f(300, 310, "LINE-UNITS", finding.Info),
		f(400, 410, "MOD-UNLISTED", finding.Warning),        // a void
		f(500, 510, "CLAIM-CHARGE-MISMATCH", finding.Error), // a void with an error
		f(600, 610, "X12-SYNTAX", finding.Error),            // a claim that is not a target claim
		f(700, 710, "LINE-UNITS", finding.Info),
	}
	claims := []finding.ClaimSummary{
		{ClaimOffset: 100, Frequency: "1"}, {ClaimOffset: 200, Frequency: "7"}, {ClaimOffset: 300, Frequency: "1"},
		{ClaimOffset: 400, Frequency: "8"}, {ClaimOffset: 500, Frequency: "8"}, {ClaimOffset: 700, Frequency: "1"},
		{ClaimOffset: 800, Frequency: "1"},
	}
	slices.SortStableFunc(findings, func(a, b finding.Finding) int { return int(a.ByteOffset - b.ByteOffset) })
	for _, tc := range []struct {
		holdOn finding.Severity
		extra  []finding.Finding
		held   []int64
		whole  bool
	}{
		{holdOn: finding.Error, held: []int64{200, 500, 600}},
		{holdOn: finding.Warning, held: []int64{100, 200, 300, 500, 600}},
		{holdOn: finding.Error, extra: []finding.Finding{f(0, 0, "X12-NOT-837P", finding.Warning)}, held: []int64{200, 500, 600}},
		{holdOn: finding.Warning, extra: []finding.Finding{f(0, 0, "X12-NOT-837P", finding.Warning)}, held: []int64{100, 200, 300, 500, 600}, whole: true},
		{holdOn: finding.Error, extra: []finding.Finding{f(0, 0, "X12-ENVELOPE", finding.Error)}, held: []int64{200, 500, 600}, whole: true},
	} {
		spool := testSpool(t, 1)
		res := &scrubber.FileResult{Findings: append(slices.Clone(tc.extra), findings...)}
		spool.put(0, res)
		sp := splitter{holdOn: tc.holdOn, findings: spoolSource{sp: spool, results: []*scrubber.FileResult{res}}, claims: spoolClaims(t, 1, claims...)}
		plan, err := sp.plan(0, res)
		if err != nil {
			t.Fatal(err)
		}
		var held []int64
		decide := plan.held(tc.holdOn)
		for off := int64(0); off <= 900; off += 100 {
			if decide(off) {
				held = append(held, off)
			}
		}
		if !slices.Equal(held, tc.held) || plan.whole != tc.whole {
			t.Errorf("hold on %s, extra %v: held %v whole %v; want %v %v", tc.holdOn, tc.extra, held, plan.whole, tc.held, tc.whole)
		}
	}
}

// changingProgress rewrites a file once every input is scrubbed, before
// the split reads it again.
type changingProgress struct {
	path string
	data []byte
	t    *testing.T
}

func (p *changingProgress) Start(int64, int) {}
func (p *changingProgress) AddBytes(int64)   {}
func (p *changingProgress) AddClaims(int)    {}
func (p *changingProgress) FileDone()        {}
func (p *changingProgress) Phase(name string) {
	if name == PhaseCrossClaims { // the files are scrubbed
		writeFile(p.t, p.path, p.data)
	}
}

// A file whose bytes change between the scrub and the split is not split:
// it is copied whole to held/ (as it is now) and failed in the reports,
// with a finding that says why; the other inputs are split.
func TestSplitFileChangedWhileScrubbed(t *testing.T) {
	dir := t.TempDir()
	changing := filepath.Join(dir, "changing.837")
	original, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "01-dx.837"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, changing, original)
	// Same length, same claims: only the hash can tell.
	changed := bytes.Replace(original, []byte("NOVITAS"), []byte("NOVITAZ"), 1)
	if len(changed) != len(original) || bytes.Equal(changed, original) {
		t.Fatal("the sample has no NOVITAS to change")
	}
	cfg := testConfig(t, filepath.Join(repoRoot, "testdata", "02-modifiers.837"), changing)
	cfg.Formats = []string{"csv"}
	cfg.Split = true
	cfg.Progress = &changingProgress{path: changing, data: changed, t: t}
	res, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Split == nil || res.Split.Changed != 1 || res.Split.Whole != 1 || res.Split.Files != 1 || res.Split.WholeClaims != 15 {
		t.Fatalf("split counts %+v", res.Split)
	}
	if f := res.Report.Files[1]; f.Status != "failed" || !strings.Contains(f.Error, "changed while it was scrubbed") {
		t.Errorf("the changed file is %q: %s", f.Status, f.Error)
	}
	if res.Report.Summary.FilesFailed != 1 || res.Report.Summary.FindingsByRule["FILE-UNREADABLE"] != 1 {
		t.Errorf("summary: %d failed, rules %v", res.Report.Summary.FilesFailed, res.Report.Summary.FindingsByRule)
	}
	got, err := os.ReadFile(filepath.Join(cfg.Out, reports.HeldDir, "changing.837"))
	if err != nil || !bytes.Equal(got, changed) {
		t.Errorf("held/changing.837 is not the file as it is now (%v)", err)
	}
	if _, err := os.Stat(filepath.Join(cfg.Out, reports.ReadyDir, "changing.837")); err == nil {
		t.Error("ready/ holds a half of the changed file")
	}
	if _, err := os.Stat(filepath.Join(cfg.Out, reports.ReadyDir, "02-modifiers.837")); err != nil {
		t.Errorf("the other input was not split: %v", err)
	}
	csv, err := os.ReadFile(filepath.Join(cfg.Out, "exceptions.csv"))
	if err != nil || !bytes.Contains(csv, []byte("FILE-UNREADABLE")) {
		t.Errorf("exceptions.csv has no FILE-UNREADABLE finding (%v)", err)
	}
}
