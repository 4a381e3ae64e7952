package scrubber

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// The memo hands back what the pack says of a code, and the same facts
// the second time.
func TestDxMemoMatchesThePack(t *testing.T) {
	p := testPack(t)
	var memo dxMemo
	for _, code := range []string{"", "I70234", "I70.234", "i70234", "I7023", "E1152", "I96", "I10", "??"} {
		got := memo.facts(p, code)
		if want := p.Diagnosis(code); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: memo %+v, pack %+v", code, got, want)
		}
		if memo.facts(p, code) != got {
			t.Errorf("%q: the memo worked the facts out again", code)
		}
	}
}

// The memo stops growing at its bound and keeps no claim bytes alive.
func TestDxMemoIsBounded(t *testing.T) {
	p := testPack(t)
	var memo dxMemo
	for i := 0; i < maxDxMemo+100; i++ {
		memo.facts(p, "Z"+itoa(10000+i))
	}
	if len(memo.m) != maxDxMemo {
		t.Fatalf("memo holds %d codes, want %d", len(memo.m), maxDxMemo)
	}
	arena := "HI*ABK:I70234~"
	code := arena[7:13]
	var small dxMemo
	f := small.facts(p, code)
	inArena := func(s string) bool {
		start := uintptr(unsafe.Pointer(unsafe.StringData(arena)))
		at := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		return at >= start && at < start+uintptr(len(arena))
	}
	for k, kf := range small.m {
		if inArena(k) || inArena(kf.Code) {
			t.Fatal("the memo keeps the claim's string alive")
		}
	}
	if f.Supporting == nil {
		t.Fatalf("I70234 is a supporting diagnosis of the default pack")
	}
}

// A kept finding holds none of its claim's bytes after detach, and its
// values are unchanged.
func TestDetachKeepsNoClaimBytes(t *testing.T) {
	arena := strings.Repeat("x", 64) + "C1|0620T|LT|RT|1|2|1500|20260115|11|PAYER|P1|NPI1|NPI2|TAX|MEMBER|I70234|I10"
	at := 64
	next := func(s string) string {
		i := strings.Index(arena[at:], s)
		if i < 0 {
			t.Fatalf("%q not in the arena", s)
		}
		at += i + len(s)
		return arena[at-len(s) : at]
	}
	c := &claim.Claim{ID: next("C1"), File: "drop.837", PayerGroup: "Other"}
	l := claim.Line{Number: 1, Procedure: next("0620T"), Modifiers: []string{next("LT"), next("RT")}, Pointers: []string{next("1"), next("2")},
		Charge: next("1500"), ServiceDate: next("20260115"), PlaceOfService: next("11"), Units: "1"}
	c.PayerName, c.PayerID, c.BillingNPI, c.RenderingNPI = next("PAYER"), next("P1"), next("NPI1"), next("NPI2")
	c.RenderingTaxonomy, c.MemberID = next("TAX"), next("MEMBER")
	c.Diagnoses = []claim.Diagnosis{{Code: next("I70234")}, {Code: next("I10")}}
	c.Lines = []claim.Line{l}
	f := lineFinding(c, &c.Lines[0], pack.Rule{ID: rules.X12Syntax}, claim.Pos{}, "message", "suggestion")
	want := f
	want.Modifiers = slices.Clone(f.Modifiers)
	want.DxPointers = slices.Clone(f.DxPointers)
	want.PointedDiagnoses = slices.Clone(f.PointedDiagnoses)
	detach(&f)
	if !reflect.DeepEqual(f, want) {
		t.Fatalf("detach changed the finding:\n%+v\nwant\n%+v", f, want)
	}
	start := uintptr(unsafe.Pointer(unsafe.StringData(arena)))
	check := func(name, s string) {
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		if len(s) > 0 && p >= start && p < start+uintptr(len(arena)) {
			t.Errorf("%s %q still points into the claim's bytes", name, s)
		}
	}
	for name, s := range map[string]string{"ClaimID": f.ClaimID, "Procedure": f.Procedure, "Charge": f.Charge,
		"ServiceDate": f.ServiceDate, "PlaceOfService": f.PlaceOfService, "PayerName": f.PayerName, "PayerID": f.PayerID,
		"BillingNPI": f.BillingNPI, "RenderingNPI": f.RenderingNPI, "RenderingTaxonomy": f.RenderingTaxonomy, "MemberID": f.MemberID} {
		check(name, s)
	}
	for _, list := range [][]string{f.Modifiers, f.DxPointers, f.PointedDiagnoses} {
		for _, s := range list {
			check("list value", s)
		}
	}
	if len(f.PointedDiagnoses) != 2 || len(f.Modifiers) != 2 {
		t.Fatalf("the test claim gave %v and %v", f.PointedDiagnoses, f.Modifiers)
	}
}
