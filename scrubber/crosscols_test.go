package scrubber

import (
	"reflect"
	"testing"
)

func TestPackColumnsRoundTrip(t *testing.T) {
	f := Finding{FileIndex: 3, ClaimOffset: 1 << 40, File: "drops/a.837", ISAControl: "000000001", GSControl: "7",
		STControl: "0001", ClaimID: "CLM\x1f1", LineNumber: 2, SegmentNumber: 99, ByteOffset: 12345,
		Procedure: "36200", Modifiers: []string{"59", "LT"}, Units: "1", Charge: "-5.00", ServiceDate: "20260115-20260116",
		PlaceOfService: "22", DxPointers: []string{"1", "", "2"}, PointedDiagnoses: []string{"I70234"},
		PayerName: "AETNA", PayerID: "60054", PayerGroup: "Aetna", BillingNPI: "1234567893",
		RenderingNPI: "1987654321", RenderingTaxonomy: "2086S0129X", MemberID: "W123456789"}
	cols, member, npi := packColumns(&f)
	if member != f.MemberID || npi != f.BillingNPI {
		t.Fatalf("member %q npi %q", member, npi)
	}
	if got := unpackColumns(cols); !reflect.DeepEqual(got, f) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, f)
	}
	empty := Finding{}
	cols, member, npi = packColumns(&empty)
	if got := unpackColumns(cols); !reflect.DeepEqual(got, empty) || member != "" || npi != "" {
		t.Fatalf("empty round trip: %+v", got)
	}
}

func TestFindingCodec(t *testing.T) {
	f := Finding{FileIndex: 2, ClaimOffset: 77, File: "a.837", ClaimID: "C1", LineNumber: 3, SegmentNumber: 9, ByteOffset: 300,
		RuleID: "DX-POINTER-MISSING", Severity: Error, Source: "seed", Message: "m", Suggestion: "s",
		Modifiers: []string{"LT"}, DxPointers: []string{"1", ""}, MemberID: "W1"}
	var buf []byte
	buf = AppendFinding(buf, &f)
	buf = AppendFinding(buf, &Finding{RuleID: "X12-SYNTAX", Severity: Warning})
	got, rest, err := ReadFinding(buf)
	if err != nil || !reflect.DeepEqual(got, f) {
		t.Fatalf("first: %v %+v", err, got)
	}
	second, rest, err := ReadFinding(rest)
	if err != nil || second.RuleID != "X12-SYNTAX" || second.Severity != Warning || len(rest) != 0 {
		t.Fatalf("second: %v %+v rest %d", err, second, len(rest))
	}
	for cut := 0; cut < len(buf)/2; cut++ {
		if _, _, err := ReadFinding(buf[:cut]); err == nil {
			t.Fatalf("a finding cut at %d bytes decoded without error", cut)
		}
	}
}
