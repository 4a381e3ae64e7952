package scrubber

import (
	"strings"
	"testing"
	"time"

	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/rules"
)

func TestHistDuplicateFinding(t *testing.T) {
	c := &finding.ClaimSummary{FileIndex: 2, File: "in/b.837", ClaimOffset: 700, ClaimID: "CLM-9",
		ISAControl: "000000101", GSControl: "101", STControl: "0001", PayerName: "AETNA", PayerID: "60054", PayerGroup: "Aetna",
		BillingNPI: "1234567893", MemberID: "W123456789",
		Lines: []finding.ClaimLine{{Number: 1, Segment: 30, Offset: 800, ServiceDate: "20260112", Side: finding.SideRight, RenderingNPI: "1245319599"}}}
	day := func(d int) time.Time { return time.Date(2026, 1, d, 3, 15, 0, 0, time.UTC) }
	earlier := []EarlierClaim{{RunID: "night-5", Started: day(5), ClaimID: "CLM-1"}, {RunID: "night-7", Started: day(7), ClaimID: "CLM-4"}}

	f := HistDuplicate("0620T", c, &c.Lines[0], earlier)
	if f.RuleID != rules.HistDuplicate.String() || f.Severity != finding.Error || f.Source != "" {
		t.Errorf("rule %s %v %q", f.RuleID, f.Severity, f.Source)
	}
	// It sits on the line's SV1 in the claim, so the worklist counts it for the claim.
	if f.FileIndex != 2 || f.ClaimOffset != 700 || f.ByteOffset != 800 || f.SegmentNumber != 30 || f.LineNumber != 1 ||
		f.ClaimID != "CLM-9" || f.ISAControl != "000000101" || f.GSControl != "101" || f.STControl != "0001" ||
		f.ServiceDate != "20260112" || f.RenderingNPI != "1245319599" || f.MemberID != "W123456789" || f.Procedure != "0620T" {
		t.Errorf("placed at %+v", f)
	}
	want := "0620T for this patient on 2026-01-12, right side (RT), already went out on claim CLM-1 in run night-5 of 2026-01-05 (and in 1 later run)"
	if f.Message != want {
		t.Errorf("message %q\nwant    %q", f.Message, want)
	}
	if !strings.Contains(f.Suggestion, "replacement (CLM05-3 = 7") || !strings.Contains(f.Suggestion, "void CLM-1") ||
		!strings.Contains(f.Suggestion, "hold it") {
		t.Errorf("suggestion %q", f.Suggestion)
	}
	if strings.Contains(f.Message+f.Suggestion, "W123456789") {
		t.Error("the member ID is in the text")
	}

	for side, words := range map[finding.Side]string{finding.SideLeft: "left side (LT)", finding.SideBoth: "both sides (50)", finding.SideNone: "no side modifier"} {
		c.Lines[0].Side = side
		if f := HistDuplicate("0620T", c, &c.Lines[0], earlier[:1]); !strings.Contains(f.Message, words) || strings.Contains(f.Message, "later run") {
			t.Errorf("side %q: %q", side, f.Message)
		}
	}
}
