package finding

import (
	"reflect"
	"testing"
)

func TestFindingCodec(t *testing.T) {
	f := Finding{FileIndex: 2, ClaimOffset: 77, File: "a.837", ClaimID: "C1", LineNumber: 3, SegmentNumber: 9, ByteOffset: 300,
		RuleID: "DX-POINTER-MISSING", Severity: Error, Source: "seed", Message: "m", Suggestion: "s",
		Modifiers: []string{"LT"}, DxPointers: []string{"1", ""}, MemberID: "W1"}
	var buf []byte
	buf = Append(buf, &f)
	buf = Append(buf, &Finding{RuleID: "X12-SYNTAX", Severity: Warning})
	got, rest, err := Read(buf)
	if err != nil || !reflect.DeepEqual(got, f) {
		t.Fatalf("first: %v %+v", err, got)
	}
	second, rest, err := Read(rest)
	if err != nil || second.RuleID != "X12-SYNTAX" || second.Severity != Warning || len(rest) != 0 {
		t.Fatalf("second: %v %+v rest %d", err, second, len(rest))
	}
	for cut := 0; cut < len(buf)/2; cut++ {
		if _, _, err := Read(buf[:cut]); err == nil {
			t.Fatalf("a finding cut at %d bytes decoded without error", cut)
		}
	}
}
