package scrubber

import "strings"

// dxFacts is everything the pack says about one claim diagnosis code, for
// the checks that ask about each pointed diagnosis several times (is it
// supporting, its side, its billable length, its Excludes1 partners).
type dxFacts struct {
	norm       string          // NormalizeDiagnosis of the code
	supporting *DiagnosisEntry // nil: not an indication
	side       Side
	sideSource string
	minLength  int // 0: no entry
	minSource  string
	// excludes1 are the pair halves of the code's prefixes, longest prefix
	// first: the order Excludes1Pair tries them in.
	excludes1 []pairSide
}

// dxFacts works out the facts of code, as Supporting, Side, MinLength and
// Excludes1Pair would.
func (p *Pack) dxFacts(code string) *dxFacts {
	f := &dxFacts{norm: NormalizeDiagnosis(code)}
	if e, ok := longestPrefix(&p.supporting, f.norm); ok {
		f.supporting = e
	}
	if e, ok := longestPrefix(&p.sides, f.norm); ok {
		f.side, f.sideSource = e.side, e.Source
	} else {
		f.side = SideNone
	}
	if e, ok := longestPrefix(&p.minLength, f.norm); ok {
		f.minLength, f.minSource = e.Length, e.Source
	}
	if p.excludes1.covers(f.norm) {
		for n := len(f.norm); n >= p.excludes1.short; n-- {
			sides, _ := p.excludes1.at(f.norm, n)
			f.excludes1 = append(f.excludes1, sides...)
		}
	}
	return f
}

// excludes1With is Excludes1Pair(a, b) for a's and b's facts.
func (a *dxFacts) excludes1With(b *dxFacts) (*CodePair, bool) {
	for _, s := range a.excludes1 {
		if strings.HasPrefix(b.norm, s.other) {
			return s.pair, true
		}
	}
	return nil, false
}

// maxDxMemo bounds a memo: a drop names a few thousand distinct codes at
// most; past the bound, facts are worked out each time.
const maxDxMemo = 8192

// dxMemo remembers the facts of the codes a walker has seen. It belongs to
// one goroutine.
type dxMemo struct {
	m map[string]*dxFacts
}

// facts returns the facts of code under p; a nil memo works them out.
func (d *dxMemo) facts(p *Pack, code string) *dxFacts {
	if d == nil {
		return p.dxFacts(code)
	}
	if f, ok := d.m[code]; ok {
		return f
	}
	f := p.dxFacts(code)
	if d.m == nil {
		d.m = make(map[string]*dxFacts)
	}
	if len(d.m) < maxDxMemo {
		// Copies: code (and its normal form) is a slice of the claim's
		// bytes, which the memo must not keep alive.
		f.norm = strings.Clone(f.norm)
		d.m[strings.Clone(code)] = f
	}
	return f
}
