package main

import (
	"testing"

	"github.com/scrub837/scrub837/cmd/scrub837/internal/runner"
	"github.com/scrub837/scrub837/reports"
	"github.com/scrub837/scrub837/scrubber/finding"
)

func TestWorklistText(t *testing.T) {
	totals := reports.Totals{HoldOn: finding.Warning, StatusCounts: reports.StatusCounts{Held: 1234, Review: 0, Ready: 1, Void: 2},
		HeldCharge: 123456789, HeldUnpriced: 1}
	split := &runner.SplitCounts{Files: 1, Whole: 2, WholeClaims: 1, Ready: 2001, Held: 1233, Changed: 1}
	want := "  worklist (--hold-on warning): 1,234 held, 0 review, 1 ready, 2 void; $1,234,567.89 held (and 1 held claim with no amount)\n" +
		"  split: 2,001 claims to ready/, 1,233 to held/ (1 file split); 2 files copied whole to held/ (1 claim); 1 changed while scrubbed (failed)\n"
	if got := worklistText(totals, split); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	want = "  worklist (--hold-on error): 0 held, 0 review, 0 ready, 0 void; $0.00 held\n"
	if got := worklistText(reports.Totals{HoldOn: finding.Error}, nil); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if dollars(-5) != "-$0.05" {
		t.Errorf("dollars(-5) = %s", dollars(-5))
	}
}
