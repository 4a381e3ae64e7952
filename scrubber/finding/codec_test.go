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

func TestClaimCodec(t *testing.T) {
	c := ClaimSummary{FileIndex: 3, File: "in/a.837", ClaimOffset: 1234, ClaimID: "C1", ISAControl: "000000007", GSControl: "7", STControl: "0001", Frequency: "7",
		OriginalRef: "PAYER123", ServiceDate: "20260115", TargetLines: 2, TotalCharge: "1250.00", PayerName: "AETNA",
		PayerID: "60054", PayerGroup: "Aetna", BillingNPI: "1234567893", RenderingNPI: "1245319599", MemberID: "W123456789",
		Lines: []ClaimLine{
			{Number: 1, Segment: 40, Offset: 1400, ServiceDate: "20260115", Side: SideRight, RenderingNPI: "1245319599"},
			{Number: 3, Segment: 52, Offset: 1800, Side: SideBoth},
		}}
	var buf []byte
	buf = AppendClaim(buf, &c)
	buf = AppendClaim(buf, &ClaimSummary{ClaimID: "C2"})
	got, rest, err := ReadClaim(buf)
	if err != nil || !reflect.DeepEqual(got, c) {
		t.Fatalf("first: %v\n got %+v\nwant %+v", err, got, c)
	}
	second, rest, err := ReadClaim(rest)
	if err != nil || !reflect.DeepEqual(second, ClaimSummary{ClaimID: "C2"}) || len(rest) != 0 {
		t.Fatalf("second: %v %+v rest %d", err, second, len(rest))
	}
	first := len(AppendClaim(nil, &c))
	for cut := range first {
		if _, _, err := ReadClaim(buf[:cut]); err == nil {
			t.Fatalf("a claim cut at %d of %d bytes decoded without error", cut, first)
		}
	}
}

func TestSideOf(t *testing.T) {
	for _, tc := range []struct {
		mods []string
		want Side
	}{
		{nil, SideNone},
		{[]string{"59"}, SideNone},
		{[]string{"RT"}, SideRight},
		{[]string{"59", "LT"}, SideLeft},
		{[]string{"RT", "LT"}, SideBoth},
		{[]string{"50", "RT"}, SideBoth},
		{[]string{"rt"}, SideNone}, // as billed: X12 codes are upper case
	} {
		if got := SideOf(tc.mods); got != tc.want {
			t.Errorf("SideOf(%q) = %q, want %q", tc.mods, got, tc.want)
		}
	}
}

// BenchmarkRead decodes a typical target-line finding, as the reports do
// several times for each finding of a run.
func BenchmarkRead(b *testing.B) {
	f := Finding{FileIndex: 1, ClaimOffset: 123456, File: "drop/drop-0001.837", ISAControl: "000000001", GSControl: "1",
		STControl: "0001", ClaimID: "F001C0000050", LineNumber: 1, SegmentNumber: 4321, ByteOffset: 234567,
		RuleID: "DX-POINTER-MISSING", Severity: Error, Source: "seed",
		Message:    "0620T on line 1 has no diagnosis pointer (SV107 is empty), so no diagnosis supports it",
		Suggestion: "set SV107 to 1 (I70244)", Procedure: "0620T", Modifiers: []string{"RT"}, Units: "1", Charge: "27726.14",
		ServiceDate: "20260317", PlaceOfService: "22", DxPointers: []string{"1", "2"}, PointedDiagnoses: []string{"I70244", "E1152"},
		PayerName: "MEDICARE PART B", PayerID: "12202", PayerGroup: "Medicare", BillingNPI: "1234567893",
		RenderingNPI: "1987654321", RenderingTaxonomy: "207RI0011X", MemberID: "W000000042"}
	rec := Append(nil, &f)
	b.ReportAllocs()
	b.SetBytes(int64(len(rec)))
	for b.Loop() {
		if _, _, err := Read(rec); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadClaim decodes a claim summary with one target line.
func BenchmarkReadClaim(b *testing.B) {
	c := ClaimSummary{FileIndex: 1, File: "drop/drop-0001.837", ClaimOffset: 123456, ClaimID: "F001C0000050", STControl: "0001",
		Frequency: "1", ServiceDate: "20260317", TargetLines: 1, TotalCharge: "27726.14", PayerName: "MEDICARE PART B",
		PayerID: "12202", PayerGroup: "Medicare", BillingNPI: "1234567893", RenderingNPI: "1987654321", MemberID: "W000000042",
		Lines: []ClaimLine{{Number: 1, Segment: 4321, Offset: 234567, ServiceDate: "20260317", Side: SideRight, RenderingNPI: "1987654321"}}}
	rec := AppendClaim(nil, &c)
	b.ReportAllocs()
	b.SetBytes(int64(len(rec)))
	for b.Loop() {
		if _, _, err := ReadClaim(rec); err != nil {
			b.Fatal(err)
		}
	}
}
