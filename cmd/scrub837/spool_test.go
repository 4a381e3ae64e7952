package main

import (
	"errors"
	"reflect"
	"testing"

	"github.com/scrub837/scrub837/scrubber"
)

// TestSpoolGivesReportOrder: spooled findings come back merged with the
// ones Finish adds later, in report order, file by file, as often as asked.
func TestSpoolGivesReportOrder(t *testing.T) {
	sp, err := newFindingSpool(t.TempDir(), 3)
	if err != nil {
		t.Fatal(err)
	}
	defer sp.close()
	results := []*scrubber.FileResult{
		{Index: 0, Findings: []scrubber.Finding{finding(0, 10, "A", scrubber.Error), finding(0, 30, "C", scrubber.Info)}},
		{Index: 1}, // no findings at all
		{Index: 2, Findings: []scrubber.Finding{finding(2, 5, "X12-SYNTAX", scrubber.Error)}},
	}
	var want []scrubber.Finding
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
	results[0].Findings = []scrubber.Finding{finding(0, 1, "Z", scrubber.Warning), finding(0, 20, "B", scrubber.Warning), finding(0, 99, "D", scrubber.Warning)}
	results[1].Findings = []scrubber.Finding{finding(1, 7, "E", scrubber.Warning)}
	want = append(want, results[0].Findings...)
	want = append(want, results[1].Findings...)
	scrubber.SortFindings(want)

	src := spoolSource{sp: sp, results: results, n: sp.n + 4}
	if src.Len() != len(want) {
		t.Fatalf("Len = %d, want %d", src.Len(), len(want))
	}
	for round := 0; round < 2; round++ {
		var got []scrubber.Finding
		if err := src.Each(func(f *scrubber.Finding) error { got = append(got, *f); return nil }); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d:\n got %+v\nwant %+v", round, got, want)
		}
	}
	stop := errors.New("stop")
	calls := 0
	if err := src.Each(func(*scrubber.Finding) error { calls++; return stop }); err != stop || calls != 1 {
		t.Fatalf("Each must stop at fn's first error: %v after %d calls", err, calls)
	}
	if sp.bySeverity["error"] != 2 || sp.byRule["C"] != 1 || sp.n != 3 {
		t.Errorf("spool counts %v %v %d", sp.bySeverity, sp.byRule, sp.n)
	}
}
