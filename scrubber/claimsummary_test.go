package scrubber

import (
	"bytes"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/x12io/benchdrop"
)

// collectClaims scrubs data with a claim sink and returns what it got, as
// copies (the sink must not keep the runs).
func collectClaims(t *testing.T, data []byte, overlap bool) (*FileResult, []finding.ClaimSummary, int) {
	t.Helper()
	var mu sync.Mutex
	var got []finding.ClaimSummary
	runs := 0
	s := New(testPack(t), Options{Overlap: overlap, ClaimSink: func(index int, run []finding.ClaimSummary) {
		mu.Lock()
		defer mu.Unlock()
		if index != 4 {
			t.Errorf("sink called with index %d, want 4", index)
		}
		runs++
		for _, c := range run {
			c.Lines = append([]finding.ClaimLine(nil), c.Lines...)
			got = append(got, c)
		}
	}})
	defer s.Close()
	res := s.Scrub(4, "drop.837", bytes.NewReader(data))
	return res, got, runs
}

// One summary per target claim, in input order, in several runs; its
// offsets point at the claim's CLM and its target lines' SV1.
func TestClaimSinkDrop(t *testing.T) {
	data := benchdrop.Claims(1200, 3)
	for _, overlap := range []bool{false, true} {
		res, got, runs := collectClaims(t, data, overlap)
		if res.TargetClaims != 400 || len(got) != res.TargetClaims {
			t.Fatalf("overlap %v: %d summaries for %d target claims", overlap, len(got), res.TargetClaims)
		}
		if runs < 2 {
			t.Errorf("overlap %v: %d runs: the summaries were not handed over as the file was read", overlap, runs)
		}
		for i, c := range got {
			if i > 0 && c.ClaimOffset <= got[i-1].ClaimOffset {
				t.Fatalf("summary %d at byte %d after byte %d", i, c.ClaimOffset, got[i-1].ClaimOffset)
			}
			if !bytes.HasPrefix(data[c.ClaimOffset:], []byte("CLM*"+c.ClaimID+"*")) {
				t.Fatalf("claim %s: byte %d is not its CLM", c.ClaimID, c.ClaimOffset)
			}
			if c.FileIndex != 4 || c.File != "drop.837" || c.TargetLines != 1 || len(c.Lines) != 1 {
				t.Fatalf("summary %+v", c)
			}
			l := c.Lines[0]
			if !bytes.HasPrefix(data[l.Offset:], []byte("SV1*HC:0620T:RT*")) || l.Number != 1 || l.Side != finding.SideRight ||
				l.ServiceDate != "20260115" || l.RenderingNPI != "1987654321" {
				t.Fatalf("claim %s: line %+v", c.ClaimID, l)
			}
		}
	}
}

// What a summary holds, from the claim reader's model file (with a REF*F8
// and a void): sides, dates, the rendering NPI of each line.
func TestClaimSinkSummary(t *testing.T) {
	text := string(readFixture(t, "claims.txt"))
	for _, edit := range [][2]string{
		{"REF*D9*TRACE1~", "REF*F8*PAYERCLAIM1~"},
		{"CLM*C1*2300***22:B:1*", "CLM*C1*2300***22:B:7*"},
		{"SV1*HC:0620T:LT:RT:50:KX*500*UN*2*21**4:1:3:2~", "SV1*HC:0620T:LT:KX*500*UN*2*21**4:1:3:2~\nNM1*82*1*LINE*LARRY****XX*4444444442~"},
	} {
		if !strings.Contains(text, edit[0]) {
			t.Fatalf("fixture has no %q", edit[0])
		}
		text = strings.Replace(text, edit[0], edit[1], 1)
	}
	data := []byte(text)
	_, got, _ := collectClaims(t, data, false)
	at := func(n int) (int64, int64) { p := linePos(data, n); return p.Segment, p.Offset }
	seg1, off1 := at(40)
	seg3, off3 := at(50)
	seg21, off21 := at(67)
	_, clm1 := at(24)
	_, clm2 := at(60)
	want := []finding.ClaimSummary{
		{FileIndex: 4, File: "drop.837", ClaimOffset: clm1, ClaimID: "C1", ISAControl: "000000101", GSControl: "101", STControl: "0001", Frequency: "7", OriginalRef: "PAYERCLAIM1",
			// The earliest first date: line 3's range starts on the 15th too,
			// line 1's comes first.
			ServiceDate: "20260115", TargetLines: 2, TotalCharge: "2300", PayerName: "AETNA", PayerID: "60054", PayerGroup: "Aetna",
			BillingNPI: "1234567893", RenderingNPI: "2222222224", MemberID: "W00000001",
			Lines: []finding.ClaimLine{
				{Number: 1, Segment: seg1, Offset: off1, ServiceDate: "20260115", Side: finding.SideRight, RenderingNPI: "2222222224"},
				{Number: 3, Segment: seg3, Offset: off3, ServiceDate: "20260115", Side: finding.SideLeft, RenderingNPI: "4444444442"},
			}},
		{FileIndex: 4, File: "drop.837", ClaimOffset: clm2, ClaimID: "C2", ISAControl: "000000101", GSControl: "101", STControl: "0001", Frequency: "1",
			ServiceDate: "20260201", TargetLines: 1, TotalCharge: "750", PayerName: "BLUE CROSS", PayerID: "BC001", PayerGroup: "BCBS",
			BillingNPI: "1234567893", MemberID: "W00000002",
			Lines: []finding.ClaimLine{{Number: 1, Segment: seg21, Offset: off21, ServiceDate: "20260201"}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("summaries\n got %+v\nwant %+v", got, want)
	}
}
