package scrubber

import (
	"strconv"
	"strings"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/codedata"
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// checkClaimLines runs every per-claim rule of the pack, and of the data files d
// (nil: none), on a target claim and appends its findings to out; memo
// remembers what the pack says of each diagnosis code (nil: nothing is
// remembered).
//
// Order of findings (deterministic; reports re-sort them anyway): for each
// target line in claim order, its pointer and diagnosis rules, modifier
// rules, the line's own rules, then the same-claim duplicate; after the
// lines, the claim's diagnosis codes, the bundled lines, codes not valid on
// their date, the taxonomy, then the claim-level rules: charge balance,
// frequency and NPIs.
//
// A void (CLM05-3 = 8) cancels a claim the payer already has: it gets the
// claim-level rules only, never a DX, MOD, BUNDLE, CODE or LINE finding,
// nor a data-file rule's.
//
// The claim's lines come prepared (newClaimLines): the cross-claim index
// asks them too.
func checkClaimLines(d *codedata.Set, memo *dxMemo, cl *claimLines, out []finding.Finding) []finding.Finding {
	c := cl.c
	k := claimCheck{p: cl.p, d: d, c: c, out: out, memo: memo, lines: cl, dates: cl.dates}
	if c.Frequency != frequencyVoid {
		for i := range c.Lines {
			if !k.isTarget(i) {
				continue
			}
			l := &c.Lines[i]
			k.pointers(l)
			k.pointedDiagnoses(l)
			k.modifiers(i)
			k.targetLine(i)
			k.duplicateLine(i)
		}
		k.claimDiagnoses()
	}
	// The data-file rules (checks_data.go; a void's taxonomies only) before
	// bundles: an NCCI edit found for a line replaces the pack's bundling
	// finding about it.
	if d != nil {
		k.dataRules()
	}
	if c.Frequency != frequencyVoid {
		k.bundles()
		k.codesValidOnDOS()
		k.taxonomyMissing()
	}
	k.chargeBalance()
	k.frequency()
	k.npis()
	return k.out
}

// claimCheck is the state of checkClaimLines on one claim: the pack, the claim,
// each line's parsed service date, and the findings so far.
type claimCheck struct {
	p     *pack.Pack
	d     *codedata.Set // the data files; nil: none
	c     *claim.Claim
	lines *claimLines
	dates []dateRange // per line, zero when missing or invalid (= lines.dates)
	out   []finding.Finding
	memo  *dxMemo

	// set by dataRules: what the data files decided for this claim, for
	// the pack's rules that give way to them
	data dataClaim

	// supporting are the positions (1-based) of the claim's first
	// supporting diagnoses, found once when a suggestion needs them
	supporting []int
	supportSet bool
}

// dx is what the pack says of a claim diagnosis code.
func (k *claimCheck) dx(code string) *pack.DiagnosisFacts { return k.memo.facts(k.p, code) }

// isTarget reports whether line i bills the pack's procedure.
func (k *claimCheck) isTarget(i int) bool {
	return isTargetLine(k.p, &k.c.Lines[i])
}

func isTargetLine(p *pack.Pack, l *claim.Line) bool {
	return l.Qualifier == "HC" && l.Procedure == p.Procedure
}

// emit appends a finding of rule rs about line l (nil for the claim). A
// non-empty source replaces the rule's own: it is the source of the pack
// entry that made the rule fire.
func (k *claimCheck) emit(rs pack.Rule, l *claim.Line, pos claim.Pos, source pack.Source, message, suggestion string) {
	if source != "" {
		rs.Source = source
	}
	k.out = append(k.out, lineFinding(k.c, l, rs, pos, message, suggestion))
}

// fire is emit for rules that need no preparation: it looks the rule up and
// does nothing when the pack does not apply it (absent, or a codeset rule
// under --seed-only).
func (k *claimCheck) fire(id rules.ID, l *claim.Line, pos claim.Pos, source pack.Source, message, suggestion string) {
	if rs, ok := k.p.Rule(id); ok {
		k.emit(rs, l, pos, source, message, suggestion)
	}
}

// lineNumber is LX01 as text, or "?" when it was missing.
func lineNumber(l *claim.Line) string {
	if l.Number <= 0 {
		return "?"
	}
	return itoa(l.Number)
}

// combineSource is the source of a finding that depends on several pack
// entries: codeset when any of them is, so that --seed-only (which drops
// codeset entries) is exactly what makes the finding change.
func combineSource(a, b pack.Source) pack.Source {
	if a == pack.SourceCodeset || b == pack.SourceCodeset {
		return pack.SourceCodeset
	}
	if a != "" {
		return a
	}
	return b
}

// joinCodes lists codes for messages: "I70234, E1152".
func joinCodes(codes []string) string { return strings.Join(codes, ", ") }

func itoa(n int) string { return strconv.Itoa(n) }

// describe is a code's meaning for messages. What the public code set says
// leads; the seed's words follow only where they differ, and say whose they
// are: "Atherosclerosis of native arteries of right leg with ulceration;
// the seed calls it atherosclerosis of native arteries of the right leg
// with rest pain". With no code-set words (the seed's are right, or
// --seed-only), the seed's alone.
func describe(seed, codeset string) string {
	switch {
	case codeset == "":
		return seed
	case seed == "" || sameWords(seed, codeset):
		return codeset
	}
	return codeset + "; the seed calls it " + lowerFirst(seed)
}

// sameWords reports whether the seed's description says what the code
// set's does: the same words, or the start of them ("Left side" of "Left
// side (used to identify ...)").
func sameWords(seed, codeset string) bool {
	return len(seed) <= len(codeset) && strings.EqualFold(seed, codeset[:len(seed)])
}

// lowerFirst lower-cases a description's first letter when it starts an
// ordinary word ("Atherosclerosis" but not "CRNA").
func lowerFirst(s string) string {
	if len(s) > 1 && isUpper(s[0]) && s[1] >= 'a' && s[1] <= 'z' {
		return string(s[0]+'a'-'A') + s[1:]
	}
	return s
}

// parenthesized is " (text)", or "" for no text.
func parenthesized(text string) string {
	if text == "" {
		return ""
	}
	return " (" + text + ")"
}
