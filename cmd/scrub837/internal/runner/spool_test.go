package runner

import (
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/scrub837/scrub837/scrubber"
	"github.com/scrub837/scrub837/scrubber/finding"
)

// TestSpoolGivesReportOrder: spooled findings come back merged with the
// ones Finish adds later, in report order, file by file, as often as asked.
func TestSpoolGivesReportOrder(t *testing.T) {
	sp := testSpool(t, 3)
	results := []*scrubber.FileResult{
		{Index: 0, Findings: []finding.Finding{mkFinding(0, 10, "A", finding.Error), mkFinding(0, 30, "C", finding.Info)}},
		{Index: 1}, // no findings at all
		{Index: 2, Findings: []finding.Finding{mkFinding(2, 5, "X12-SYNTAX", finding.Error)}},
	}
	var want []finding.Finding
	for _, res := range results {
		want = append(want, res.Findings...)
	}
	for i, res := range results {
		sp.put(i, res)
		if res.Findings != nil {
			t.Fatal("put must take the findings out of the result")
		}
	}
	// What Finish adds: before, between and after the spooled ones.
	results[0].Findings = []finding.Finding{mkFinding(0, 1, "Z", finding.Warning), mkFinding(0, 20, "B", finding.Warning), mkFinding(0, 99, "D", finding.Warning)}
	results[1].Findings = []finding.Finding{mkFinding(1, 7, "E", finding.Warning)}
	want = append(want, results[0].Findings...)
	want = append(want, results[1].Findings...)
	finding.Sort(want)

	src := spoolSource{sp: sp, results: results, n: sp.n + 4}
	if src.Len() != len(want) {
		t.Fatalf("Len = %d, want %d", src.Len(), len(want))
	}
	for round := 0; round < 2; round++ {
		var got []finding.Finding
		if err := src.Each(func(f *finding.Finding) error { got = append(got, *f); return nil }); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d:\n got %+v\nwant %+v", round, got, want)
		}
	}
	stop := errors.New("stop")
	calls := 0
	if err := src.Each(func(*finding.Finding) error { calls++; return stop }); err != stop || calls != 1 {
		t.Fatalf("Each must stop at fn's first error: %v after %d calls", err, calls)
	}
	if sp.bySeverity["error"] != 2 || sp.byRule["C"] != 1 || sp.n != 3 {
		t.Errorf("spool counts %v %v %d", sp.bySeverity, sp.byRule, sp.n)
	}
}

// Runs put while a file is scrubbed come back merged with each other and
// with the late findings; a dropped file's runs are gone, counts included.
// Runs put after a file is done (Finish's cross-claim findings) are read
// back merged with its other runs and count into the run's totals once.
func TestSpoolTakesRunsAfterPut(t *testing.T) {
	sp := testSpool(t, 2)
	results := []*scrubber.FileResult{
		{Index: 0, Findings: []finding.Finding{mkFinding(0, 10, "A", finding.Error)}},
		{Index: 1, Findings: []finding.Finding{mkFinding(1, 3, "B", finding.Info)}},
	}
	want := append(slices.Clone(results[0].Findings), results[1].Findings...)
	if c := sp.put(0, results[0]); c.n != 1 {
		t.Fatalf("file 0 counts %d findings, want 1", c.n)
	}
	sp.put(1, results[1])
	late := []finding.Finding{mkFinding(0, 5, "LINE-DUPLICATE", finding.Error), mkFinding(0, 20, "BUNDLE-CROSS-CLAIM", finding.Warning)}
	sp.putRun(0, late)
	want = append(want, late...)
	finding.Sort(want)
	if sp.n != 4 || sp.bySeverity["error"] != 2 || sp.bySeverity["warning"] != 1 || sp.byRule["LINE-DUPLICATE"] != 1 {
		t.Fatalf("run counts after a late run: %d %v %v", sp.n, sp.bySeverity, sp.byRule)
	}
	src := spoolSource{sp: sp, results: results, n: sp.n}
	var got []finding.Finding
	if err := src.Each(func(f *finding.Finding) error { got = append(got, *f); return nil }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

func TestSpoolMergesRunsAndDrops(t *testing.T) {
	sp := testSpool(t, 2)
	runs := [][]finding.Finding{
		{mkFinding(0, 10, "A", finding.Error), mkFinding(0, 50, "C", finding.Info)},
		{mkFinding(0, 5, "X", finding.Warning), mkFinding(0, 30, "B", finding.Error), mkFinding(0, 60, "C", finding.Info)},
	}
	var want []finding.Finding
	for _, run := range runs {
		want = append(want, run...)
		sp.putRun(0, run)
	}
	res0 := &scrubber.FileResult{Index: 0, Findings: []finding.Finding{mkFinding(0, 40, "D", finding.Warning)}}
	want = append(want, res0.Findings...)
	if c := sp.put(0, res0); c.n != 6 || c.bySev[finding.Error] != 2 || c.bySev[finding.Info] != 2 {
		t.Fatalf("file counts %+v", c)
	}
	sp.putRun(1, []finding.Finding{mkFinding(1, 3, "A", finding.Error)})
	res1 := &scrubber.FileResult{Index: 1, Findings: []finding.Finding{mkFinding(1, 9, "A", finding.Error)}}
	sp.drop(1)
	if c := sp.put(1, res1); c.n != 1 {
		t.Fatalf("file 1 counts after drop: %+v", c)
	}
	want = append(want, mkFinding(1, 9, "A", finding.Error))
	// What Finish adds.
	res0.Findings = []finding.Finding{mkFinding(0, 1, "Z", finding.Warning), mkFinding(0, 45, "E", finding.Warning)}
	want = append(want, res0.Findings...)
	finding.Sort(want)
	src := spoolSource{sp: sp, results: []*scrubber.FileResult{res0, res1}, n: sp.n + 2}
	var got []finding.Finding
	if err := src.Each(func(f *finding.Finding) error { got = append(got, *f); return nil }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("\n got %+v\nwant %+v", got, want)
	}
	if sp.n != 7 || sp.bySeverity["error"] != 3 || sp.byRule["A"] != 2 || sp.byRule["C"] != 2 {
		t.Errorf("spool counts %d %v %v", sp.n, sp.bySeverity, sp.byRule)
	}
}

// testSpool is a spool for inputs files in a test's temporary folder,
// closed when the test ends.
func testSpool(t *testing.T, inputs int) *findingSpool {
	t.Helper()
	sp := newFindingSpool(t.TempDir(), inputs)
	if _, err := sp.degraded(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sp.close() })
	return sp
}

// A spool whose file cannot be created keeps every run in memory and gives
// the same findings back; it says why and how many.
func TestSpoolInMemory(t *testing.T) {
	notADir := filepath.Join(t.TempDir(), "file")
	writeFile(t, notADir, nil)
	sp := newFindingSpool(notADir, 2)
	defer sp.close()
	results := []*scrubber.FileResult{
		{Index: 0, Findings: []finding.Finding{mkFinding(0, 10, "A", finding.Error), mkFinding(0, 30, "C", finding.Info)}},
		{Index: 1, Findings: []finding.Finding{mkFinding(1, 5, "B", finding.Warning)}},
	}
	var want []finding.Finding
	for _, res := range results {
		want = append(want, res.Findings...)
	}
	sp.putRun(0, []finding.Finding{mkFinding(0, 20, "B", finding.Warning)})
	want = append(want, mkFinding(0, 20, "B", finding.Warning))
	for i, res := range results {
		sp.put(i, res)
	}
	finding.Sort(want)
	var got []finding.Finding
	src := spoolSource{sp: sp, results: results, n: sp.n}
	if err := src.Each(func(f *finding.Finding) error { got = append(got, *f); return nil }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if n, err := sp.degraded(); err == nil || n != 4 {
		t.Errorf("degraded() = %d, %v; want 4 findings and the reason", n, err)
	}
}

// rollback forgets the runs put after mark, counts included: what a
// Finish that failed half-way handed over.
func TestSpoolRollback(t *testing.T) {
	sp := testSpool(t, 2)
	res := []*scrubber.FileResult{
		{Index: 0, Findings: []finding.Finding{mkFinding(0, 10, "A", finding.Error)}},
		{Index: 1, Findings: []finding.Finding{mkFinding(1, 3, "B", finding.Info)}},
	}
	want := append(slices.Clone(res[0].Findings), res[1].Findings...)
	sp.put(0, res[0])
	sp.put(1, res[1])
	m := sp.mark()
	sp.putRun(0, []finding.Finding{mkFinding(0, 5, "LINE-DUPLICATE", finding.Error)})
	sp.putRun(1, []finding.Finding{mkFinding(1, 1, "BUNDLE-CROSS-CLAIM", finding.Warning)})
	if sp.n != 4 {
		t.Fatalf("n = %d before the rollback", sp.n)
	}
	sp.rollback(m)
	if sp.n != 2 || sp.bySeverity["warning"] != 0 || sp.byRule["LINE-DUPLICATE"] != 0 || sp.bySeverity["error"] != 1 {
		t.Errorf("counts after the rollback: %d %v %v", sp.n, sp.bySeverity, sp.byRule)
	}
	var got []finding.Finding
	src := spoolSource{sp: sp, results: res, n: sp.n}
	if err := src.Each(func(f *finding.Finding) error { got = append(got, *f); return nil }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}
