package scrubber

import (
	"strings"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// Rules of scrubber/RULES.md "Modifiers" (SV101-3 to SV101-6 of a target line).

// modifiers runs the modifier rules on target line i. Each distinct
// modifier is judged once: a repeated one is MOD-DUPLICATE, not a second
// MOD-UNLISTED.
func (k *claimCheck) modifiers(i int) {
	l := &k.c.Lines[i]
	proc, line := k.p.Procedure, lineNumber(l)
	mods := l.Modifiers
	for j, m := range mods {
		if before := indexOf(mods[:j], m); before >= 0 {
			if indexOf(mods[before+1:j], m) < 0 { // the first repeat
				k.fire(rules.ModDuplicate, l, l.SV1Pos, "",
					"modifier "+m+" appears more than once on "+proc+" line "+line+" (modifiers "+strings.Join(mods, ", ")+")",
					"remove the repeated "+m+" from SV101 of line "+line)
			}
			continue
		}
		k.modifierListed(l, m)
		if e, ok := k.p.AnesthesiaModifier(m); ok {
			fix := "remove " + m + " from SV101 of line " + line
			if e.Text != "" {
				fix += "; " + e.Text
			}
			k.fire(rules.ModAnesthesia, l, l.SV1Pos, e.Source,
				"modifier "+m+" ("+k.modifierMeaning(m)+") on "+proc+" line "+line+" is an anesthesia modifier: it belongs on the anesthesia service, not on a surgical line",
				fix)
		}
		for t := j + 1; t < len(mods); t++ {
			n := mods[t]
			if indexOf(mods[:t], n) >= 0 {
				continue // m itself, or a repeat: judged once
			}
			if pair, ok := k.p.ModifierConflict(m, n); ok {
				k.fire(rules.ModConflict, l, l.SV1Pos, pair.Source,
					"modifiers "+m+" and "+n+" may not be used together on "+proc+" line "+line+parenthesized(pair.Reason),
					"keep the one the operative note supports and remove the other ("+m+" or "+n+") from SV101 of line "+line)
			}
		}
	}
	k.lateralityModifiers(l)
	if indexOf(mods, "51") >= 0 {
		k.singleProcedure51(i)
	}
	if k.mod50Units(l) {
		k.fire(rules.Mod50Units, l, l.SV1Pos, "",
			proc+" on line "+line+" carries 50 (bilateral) with "+l.Units+" units; a bilateral procedure is billed as 1 unit",
			"set SV104 of line "+line+" to 1")
	}
}

// mod50Units reports whether MOD-50-UNITS fires on line l: 50 with units
// that are a number other than 1, unless they are above the MUE of the data
// files (MUE-EXCEEDED's, which says 50 is 1 unit).
func (k *claimCheck) mod50Units(l *claim.Line) bool {
	return bilateralUnits(l) && !k.mueExceedsAlone(l)
}

// bilateralUnits reports whether line l carries 50 with units that are a
// number other than 1.
func bilateralUnits(l *claim.Line) bool {
	if indexOf(l.Modifiers, "50") < 0 {
		return false
	}
	u, ok := parseFixed(l.Units, unitDecimals)
	return ok && u != unitScale
}

// modifierListed is MOD-UNLISTED and MOD-NO-GUIDANCE for modifier m. Payer
// and liability modifiers (the pack's payer_modifiers) are the payer's
// business: never flagged. The suggestion says where a modifier belongs
// when the pack knows (25 on the E/M line, 59 on the column-two code).
func (k *claimCheck) modifierListed(l *claim.Line, m string) {
	proc, line := k.p.Procedure, lineNumber(l)
	e, listed := k.p.Modifier(m)
	if !listed {
		if _, payer := k.p.PayerModifier(m); payer {
			return
		}
		meaning := ""
		if seed, codeset := k.p.ModifierDescription(m); seed != "" || codeset != "" {
			meaning = " (" + describe(seed, codeset) + ")"
		}
		fix := "check that " + m + " applies to " + proc + "; remove it from SV101 of line " + line + " if it does not"
		if adv, ok := k.p.MisplacedModifier(m); ok {
			fix = "remove " + m + " from SV101 of line " + line + " (" + adv.Text + ")"
		}
		k.fire(rules.ModUnlisted, l, l.SV1Pos, "",
			"modifier "+m+meaning+" on "+proc+" line "+line+" is not one the rule pack lists for "+proc, fix)
		return
	}
	if seed, codeset := k.p.ModifierDescription(m); seed == "" && codeset == "" {
		k.fire(rules.ModNoGuidance, l, l.SV1Pos, e.Source,
			"modifier "+m+" on "+proc+" line "+line+" is listed for "+proc+", but the rule pack has no description of when to use it",
			"no change needed; confirm "+m+" against the payer's modifier policy")
	}
}

// lateralityModifiers is MOD-LATERALITY-MISSING and -CONFLICT.
func (k *claimCheck) lateralityModifiers(l *claim.Line) {
	proc, line := k.p.Procedure, lineNumber(l)
	has := func(m string) bool { return indexOf(l.Modifiers, m) >= 0 }
	lt, rt, bi := has("LT"), has("RT"), has("50")
	switch {
	case !lt && !rt && !bi:
		k.fire(rules.ModLateralityMissing, l, l.SV1Pos, "",
			proc+" on line "+line+" has no laterality modifier (LT, RT or 50), so the payer cannot tell which leg was treated",
			k.lateralitySuggestion(l))
	case bi && (lt || rt):
		side := "LT"
		switch {
		case lt && rt:
			side = "LT and RT"
		case rt:
			side = "RT"
		}
		k.fire(rules.ModLateralityConflict, l, l.SV1Pos, "",
			proc+" on line "+line+" carries 50 (bilateral) together with "+side,
			"use 50 alone, not with "+side+", in SV101 of line "+line)
	case lt && rt:
		k.fire(rules.ModLateralityConflict, l, l.SV1Pos, "",
			proc+" on line "+line+" carries both LT and RT",
			"in SV101 of line "+line+", use 50 alone for both legs, or keep only the side that was treated")
	}
}

// lateralitySuggestion proposes the side modifier the pointed diagnoses
// show, when they all show one.
func (k *claimCheck) lateralitySuggestion(l *claim.Line) string {
	var buf [4]pointedDx
	pts, _ := k.resolved(l, buf[:])
	var s uint8
	for _, pt := range pts {
		ds, _ := k.side(pt.dx.Code)
		s |= ds
	}
	where := " to SV101 of line " + lineNumber(l)
	switch s {
	case sideLeft, sideRight:
		return "add " + sideModifier(s) + where + " (the diagnoses are " + sideWord(s) + "-sided), or 50 if both legs were treated"
	}
	return "add LT or RT" + where + " (or 50 for both legs)"
}

// singleProcedure51 is MOD-51-SINGLE-PROCEDURE: 51 says "one of several
// procedures", but no other line of the claim on the same date bills a
// procedure that is not bundled into the target (an `included` code).
// Lines whose date is unknown are taken as possibly the same date, so they
// keep the rule quiet: it fires only on evidence.
func (k *claimCheck) singleProcedure51(i int) {
	rs, ok := k.p.Rule(rules.Mod51SingleProcedure)
	if !ok {
		return
	}
	another, bundled, n, source := k.lines.anotherProcedure(i)
	if another {
		return
	}
	l := &k.c.Lines[i]
	msg := k.p.Procedure + " on line " + lineNumber(l) + " carries 51 (multiple procedures), but it is the only procedure billed that day"
	if n > 0 {
		codes := make([]string, len(bundled))
		for x, j := range bundled {
			codes[x] = k.c.Lines[j].Procedure
		}
		list := joinCodes(codes)
		if n > len(bundled) {
			list += " and " + itoa(n-len(bundled)) + " more"
		}
		msg += " (the other lines that day, " + list + ", are included in " + k.p.Procedure + ")"
	} else {
		source = ""
	}
	k.emit(rs, l, l.SV1Pos, source, msg, "remove 51 from SV101 of line "+lineNumber(l))
}

// modifierMeaning is what the pack says a modifier means (seed and CMS
// when they disagree).
func (k *claimCheck) modifierMeaning(m string) string {
	seed, codeset := k.p.ModifierDescription(m)
	if d := describe(seed, codeset); d != "" {
		return d
	}
	return "no description in the rule pack"
}

// indexOf is the position of s in list, or -1.
func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}
