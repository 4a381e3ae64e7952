package pack

import (
	"strings"

	"github.com/scrub837/scrub837/scrubber/rules"
)

// The lookups the checks make. They do not allocate (but Diagnosis, whose
// result a caller keeps per code): they run for every claim line.

// Rule returns an enabled rule; false when the pack does not list it or
// seed-only loading dropped it (a codeset rule).
func (p *Pack) Rule(id rules.ID) (Rule, bool) {
	if int(id) >= len(p.rules) {
		return Rule{}, false
	}
	r := p.rules[id]
	return r, r.ID != 0
}

// DiagnosisFacts is everything the pack says about one claim diagnosis
// code: whether it supports the procedure, its side, its billable length,
// what may follow it, its part in the ulcer-severity note and its
// Excludes1 partners. Each comes from the pack entry with the longest
// prefix of the code (the most specific entry decides).
type DiagnosisFacts struct {
	Code       string     // the code normalised (normalizeDiagnosis)
	Supporting *CodeEntry // the supporting-diagnosis entry; nil: not an indication
	// Weak is the weak-diagnosis entry (an indication payers do not accept
	// for the procedure alone) when it wins: it is at least as long as the
	// supporting entry, if any. Supporting is then nil.
	Weak            *CodeEntry
	Side            Side
	SideSource      Source
	MinLength       int // shortest billable length without the point; 0: no entry
	MinLengthSource Source
	// Next lists the characters that may follow the code when it is a
	// category header ("1 thigh, 2 calf, ..."); "" when the pack does not
	// say (an exact match of the code).
	Next       string
	NextSource Source
	// Ulceration: the code is one of atherosclerosis with ulceration, which
	// needs an ulcer severity code; UlcerSeverity: it is one.
	Ulceration, UlcerSeverity bool
	UlcerSource               Source
	// excludes1 are the pair halves of the code's prefixes, longest prefix
	// first.
	excludes1 []pairSide
}

// Diagnosis works out the facts of a claim diagnosis code (e.g. I70234).
// It allocates: callers that ask about a code often keep the result.
func (p *Pack) Diagnosis(code string) *DiagnosisFacts {
	f := &DiagnosisFacts{Code: normalizeDiagnosis(code)}
	sup, supLen := longestPrefixLen(&p.supporting, f.Code)
	weak, weakLen := longestPrefixLen(&p.weak, f.Code)
	switch {
	case weakLen > 0 && weakLen >= supLen:
		f.Weak = weak // the code set's claudication over the seed's "ulceration" (I70.31)
	case supLen > 0:
		f.Supporting = sup
	}
	if e, ok := longestPrefix(&p.sides, f.Code); ok {
		f.Side, f.SideSource = e.side, e.Source
	}
	if e, ok := longestPrefix(&p.minLength, f.Code); ok {
		f.MinLength, f.MinLengthSource = e.Length, e.Source
	}
	if e, ok := p.next[f.Code]; ok {
		f.Next, f.NextSource = e.Next, e.Source
	}
	if e, ok := longestPrefix(&p.ulceration, f.Code); ok {
		f.Ulceration, f.UlcerSource = true, e.Source
	}
	if e, ok := longestPrefix(&p.severity, f.Code); ok {
		f.UlcerSeverity, f.UlcerSource = true, e.Source
	}
	if p.excludes1.covers(f.Code) {
		for n := len(f.Code); n >= p.excludes1.short; n-- {
			sides, _ := p.excludes1.at(f.Code, n)
			f.excludes1 = append(f.excludes1, sides...)
		}
	}
	return f
}

// Excludes1With reports whether the two diagnoses (either order) form an
// Excludes1 pair of the pack, each matching its half by category, and
// returns the pair (with its reason and source).
func (f *DiagnosisFacts) Excludes1With(o *DiagnosisFacts) (*CodePair, bool) {
	for _, s := range f.excludes1 {
		if strings.HasPrefix(o.Code, s.other) {
			return s.pair, true
		}
	}
	return nil, false
}

// Excludes1Partners calls fn with the normalised code each Excludes1 pair
// of the diagnosis names on its other side (a claim diagnosis starting
// with it forms the pair), longest prefix of the diagnosis first, until fn
// returns false.
func (f *DiagnosisFacts) Excludes1Partners(fn func(other string, pair *CodePair) bool) {
	for _, s := range f.excludes1 {
		if !fn(s.other, s.pair) {
			return
		}
	}
}

// SupportingDiagnoses returns the supporting-diagnosis entries in pack
// order. Callers must not change them.
func (p *Pack) SupportingDiagnoses() []*CodeEntry { return p.doc.Diagnoses }

// UlcerSeverityNote returns the pack's ulcer-severity entry's severity
// codes and text (DX-ULCER-SEVERITY-MISSING); ok is false when the pack has
// none.
func (p *Pack) UlcerSeverityNote() (severity []string, text string, ok bool) {
	u := p.doc.UlcerSeverity
	if u == nil {
		return nil, "", false
	}
	return u.Severity, u.Text, true
}

// SideOf returns the side the pack gives a diagnosis code (longest prefix)
// and the entry's source, without the rest of Diagnosis's facts.
func (p *Pack) SideOf(code string) (Side, Source) {
	if e, ok := longestPrefix(&p.sides, normalizeDiagnosis(code)); ok {
		return e.side, e.Source
	}
	return SideNone, ""
}

// Modifier returns the entry of a modifier listed for the procedure.
func (p *Pack) Modifier(code string) (*CodeEntry, bool) {
	e, ok := p.modifiers[code]
	return e, ok
}

// ModifierDescription returns what the seed and the public code set say a
// modifier means, from any modifier list of the pack; either may be "". A
// listed modifier with both "" has no guidance (MOD-NO-GUIDANCE).
func (p *Pack) ModifierDescription(code string) (seed, codeset string) {
	d := p.modDesc[code]
	return d[0], d[1]
}

// ModifierConflict returns the pair entry (with its reason) when modifiers
// a and b (either order) may not be billed together on one line.
func (p *Pack) ModifierConflict(a, b string) (*CodePair, bool) {
	e, ok := p.conflicts[pairKey(a, b)]
	return e, ok
}

// OverrideModifier returns the entry of a modifier that claims a bundled
// line is a distinct service (59, XE, XS, XP, XU in the default pack). The
// checks need its source: BUNDLE-OVERRIDE exists only because of it.
func (p *Pack) OverrideModifier(code string) (*CodeEntry, bool) {
	e, ok := p.overrides[code]
	return e, ok
}

// PayerModifier returns the entry of a payer or liability modifier (GA,
// GZ, KX, Q0 ... in the default pack): MOD-UNLISTED never flags them.
func (p *Pack) PayerModifier(code string) (*CodeEntry, bool) {
	e, ok := p.payerMods[code]
	return e, ok
}

// MisplacedModifier returns the entry of a modifier the pack knows belongs
// on another line than the procedure's, with that advice in its Text: an
// other_modifiers entry (25: E/M lines only), or an override modifier (59,
// X{EPSU}: the column-two code). ok is false when the pack has no advice.
func (p *Pack) MisplacedModifier(code string) (*CodeEntry, bool) {
	if e, ok := p.otherMods[code]; ok && e.Text != "" {
		return e, true
	}
	if e, ok := p.overrides[code]; ok && e.Text != "" {
		return e, true
	}
	return nil, false
}

// Includes says in words what the procedure's descriptor includes (the
// code set's words when the pack has them, else the seed's), with the
// entry's source; "" when the pack does not say.
func (p *Pack) Includes() (string, Source) {
	if p.includes == nil {
		return "", ""
	}
	return p.includes.Description, p.includes.Source
}

// AnesthesiaModifier returns the entry of an anesthesia medical-direction
// modifier (MOD-ANESTHESIA).
func (p *Pack) AnesthesiaModifier(code string) (*CodeEntry, bool) {
	e, ok := p.anesthesia[code]
	return e, ok
}

// Related returns the related-code entry of a procedure code (exact match).
func (p *Pack) Related(code string) (*RelatedCode, bool) {
	r, ok := p.related[code]
	return r, ok
}

// ValidOn reports whether code exists on date (CCYYMMDD). It is false, with
// the entry whose dates exclude the date, when the date is before an
// entry's valid_from or after its valid_to; a code must be inside every
// dated entry it has. Codes without dates, and dates that are not 8
// characters, are valid (other rules judge bad dates).
func (p *Pack) ValidOn(code string, date string) (ok bool, entry *Validity) {
	if len(date) != 8 {
		return true, nil
	}
	for _, v := range p.validity[code] {
		if v.from != "" && date < v.from || v.to != "" && date > v.to {
			return false, v
		}
	}
	return true, nil
}

// TypicalPOS reports whether a place of service is typical for the
// procedure.
func (p *Pack) TypicalPOS(pos string) bool {
	_, ok := p.pos[pos]
	return ok
}

// PlacesOfService returns the typical places of service in pack order.
// Callers must not change them.
func (p *Pack) PlacesOfService() []*CodeEntry { return p.doc.PlacesOfService }

// TaxonomyListed reports whether a provider taxonomy is expected for the
// procedure.
func (p *Pack) TaxonomyListed(code string) bool {
	_, ok := p.taxonomies[code]
	return ok
}

// GroupTaxonomy returns the entry of a group's taxonomy (193200000X
// multi-specialty, 193400000X single-specialty): it names no specialty, so
// the taxonomy rules look past it.
func (p *Pack) GroupTaxonomy(code string) (*CodeEntry, bool) {
	e, ok := p.groupTax[code]
	return e, ok
}

// Taxonomies returns the provider taxonomies expected for the procedure,
// in pack order. Callers must not change them.
func (p *Pack) Taxonomies() []*CodeEntry { return p.doc.Taxonomies }

// MaxUnits is the most units a target line may bill; 0 when the pack sets
// no limit.
func (p *Pack) MaxUnits() float64 { return p.maxUnits }

// PayerGroupOther is the group of a payer no pattern matches.
const PayerGroupOther = "Other"

// PayerGroup returns the report group of a payer: a payer ID match first,
// then the first group (in pack order) with a name pattern whose words
// appear as whole words in the name; else PayerGroupOther.
func (p *Pack) PayerGroup(payerID, payerName string) string {
	if g, ok := p.payerIDs[strings.ToUpper(strings.TrimSpace(payerID))]; ok {
		return g
	}
	name := " " + payerWords(payerName) + " "
	for _, pat := range p.payerNames {
		if strings.Contains(name, pat.words) {
			return pat.group
		}
	}
	return PayerGroupOther
}

// payerWords upper-cases s and turns every run of characters other than
// letters and digits into one space, trimmed: "Blue-Cross  of Idaho" ->
// "BLUE CROSS OF IDAHO". Padded with spaces, patterns then match whole
// words only: " CGS " is in " CGS ADMINISTRATORS " but not " RCGS ".
func payerWords(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToUpper(s) {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
	}
	return b.String()
}
