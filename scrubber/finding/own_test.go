package finding

import (
	"reflect"
	"testing"
)

// The strings Read and ReadClaim return are their own: the bytes they were
// read from may be reused at once (the spool's reader does). They share
// one copy of the value's bytes, so a value costs one string allocation,
// not one a field.
func TestDecodedStringsOutliveTheirBytes(t *testing.T) {
	f := Finding{FileIndex: 2, ClaimOffset: 77, File: "a.837", ClaimID: "C1", RuleID: "DX-POINTER-MISSING", Severity: Error,
		Message: "m", Suggestion: "s", Modifiers: []string{"LT", "59"}, DxPointers: []string{"1", ""}, MemberID: "W1"}
	c := ClaimSummary{File: "in/a.837", ClaimID: "C1", PayerGroup: "Aetna", TotalCharge: "1250.00",
		Lines: []ClaimLine{{Number: 1, ServiceDate: "20260115", Side: SideRight, RenderingNPI: "1245319599"}}}
	buf := Append(nil, &f)
	got, _, err := Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	clear(buf)
	if !reflect.DeepEqual(got, f) {
		t.Fatalf("after the bytes were cleared: %+v", got)
	}
	buf = AppendClaim(nil, &c)
	gotC, _, err := ReadClaim(buf)
	if err != nil {
		t.Fatal(err)
	}
	clear(buf)
	if !reflect.DeepEqual(gotC, c) {
		t.Fatalf("after the bytes were cleared: %+v", gotC)
	}

	buf = Append(nil, &f)
	// The copy, and the Modifiers and DxPointers slices.
	if n := testing.AllocsPerRun(100, func() { Read(buf) }); n > 3 {
		t.Errorf("Read: %.0f allocations, want at most 3", n)
	}
	buf = AppendClaim(nil, &c)
	// The copy and the Lines slice.
	if n := testing.AllocsPerRun(100, func() { ReadClaim(buf) }); n > 2 {
		t.Errorf("ReadClaim: %.0f allocations, want at most 2", n)
	}
}
