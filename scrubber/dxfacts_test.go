package scrubber

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/scrub837/scrub837/scrubber/rules"
)

// dxFactsPack is the default pack with Excludes1 pairs whose halves overlap
// by prefix, so that the order of the halves matters.
func dxFactsPack(t *testing.T) *Pack {
	t.Helper()
	extra := `  - pair: [I70.2, E11.5]
    reason: test pair on a short prefix
    source: seed
  - pair: [I70.23, E11.52]
    reason: test pair on a longer prefix
    source: codeset
  - pair: [I70.234, I96]
    reason: test pair on a whole code
    source: seed
`
	yaml := strings.Replace(string(defaultPackYAML), "excludes1:\n", "excludes1:\n"+extra, 1)
	p, err := ParsePack("dxfacts.yaml", []byte(yaml), false)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// dxFactsCodes are claim codes for the facts tests: the pack's own codes,
// their prefixes and extensions, other codes, and malformed ones.
func dxFactsCodes(p *Pack) []string {
	codes := []string{"", " ", "I", "I7", "I70", "I702", "I7023", "I70234", "I702341", "I70.234", "i70234",
		" I70234 ", "I7025", "I70261", "I70262", "I7035", "I70361", "E1152", "E115", "E11", "E11.52", "I96",
		"I9", "I961", "I10", "Z0000", "R079", "S8251XA", "M1712", "L97.419", "I70.22", "7", "??", "I70234 X"}
	for _, e := range p.SupportingDiagnoses() {
		c := NormalizeDiagnosis(e.Code)
		codes = append(codes, c, c+"1", c[:len(c)-1])
	}
	return codes
}

// The facts of a code are exactly what the pack's lookups say, with or
// without a memo, and the memo hands back what it worked out the first time.
func TestDxFactsMatchThePackLookups(t *testing.T) {
	p := dxFactsPack(t)
	codes := dxFactsCodes(p)
	var memo dxMemo
	for _, code := range codes {
		for _, f := range []*dxFacts{(*dxMemo)(nil).facts(p, code), memo.facts(p, code)} {
			sup, ok := p.Supporting(code)
			if (f.supporting != nil) != ok || ok && f.supporting != sup {
				t.Errorf("%q: supporting %v, Supporting says %v, %v", code, f.supporting, sup, ok)
			}
			side, src := p.Side(code)
			if f.side != side || f.sideSource != src {
				t.Errorf("%q: side %v %q, Side says %v %q", code, f.side, f.sideSource, side, src)
			}
			n, src, ok := p.MinLength(code)
			if !ok {
				n, src = 0, ""
			}
			if f.minLength != n || f.minSource != src {
				t.Errorf("%q: min length %d %q, MinLength says %d %q (%v)", code, f.minLength, f.minSource, n, src, ok)
			}
		}
		if memo.facts(p, code) != memo.facts(p, code) {
			t.Errorf("%q: the memo worked the facts out again", code)
		}
	}
	pairs := 0
	for _, a := range codes {
		for _, b := range codes {
			got, gotOK := memo.facts(p, a).excludes1With(memo.facts(p, b))
			want, wantOK := p.Excludes1Pair(a, b)
			if got != want || gotOK != wantOK {
				t.Errorf("Excludes1 of %q and %q: %v %v, Excludes1Pair says %v %v", a, b, got, gotOK, want, wantOK)
			}
			if wantOK {
				pairs++
			}
		}
	}
	if pairs < 8 {
		t.Fatalf("only %d code pairs are Excludes1 pairs: the test does not exercise the halves", pairs)
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
		if inArena(k) || inArena(kf.norm) {
			t.Fatal("the memo keeps the claim's string alive")
		}
	}
	if f.supporting == nil {
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
	c := &Claim{ID: next("C1"), File: "drop.837", PayerGroup: "Other"}
	l := Line{Number: 1, Procedure: next("0620T"), Modifiers: []string{next("LT"), next("RT")}, Pointers: []string{next("1"), next("2")},
		Charge: next("1500"), ServiceDate: next("20260115"), PlaceOfService: next("11"), Units: "1"}
	c.PayerName, c.PayerID, c.BillingNPI, c.RenderingNPI = next("PAYER"), next("P1"), next("NPI1"), next("NPI2")
	c.RenderingTaxonomy, c.MemberID = next("TAX"), next("MEMBER")
	c.Diagnoses = []Diagnosis{{Code: next("I70234")}, {Code: next("I10")}}
	c.Lines = []Line{l}
	f := lineFinding(c, &c.Lines[0], RuleSpec{ID: rules.X12Syntax}, Pos{}, "message", "suggestion")
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
