package scrubber

import (
	"strings"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// Rules of scrubber/RULES.md "Related codes and bundling" that look at one claim.
// The cross-claim ones are in crossclaim.go.

// bundles is BUNDLE-INCLUDED, BUNDLE-OVERRIDE and BUNDLE-REVIEW: a line of
// the claim billing a related code on the same date as a target line. The
// finding is about the related line (its LX, its SV1): that is the line the
// analyst changes; the message names the target line. One finding per
// related line, however many target lines share its date. A line whose date
// is missing or invalid is not compared (nothing proves the same date).
func (k *claimCheck) bundles() {
	c := k.c
	for j := range c.Lines {
		o := &c.Lines[j]
		rel, ok := k.related(o)
		if !ok || k.ptpReports(j) { // an NCCI edit says it, from the payer's table
			continue
		}
		targets := k.describeTargets(j)
		if targets == "" {
			continue
		}
		proc, code := k.p.Procedure, o.Procedure
		what := code + " on line " + lineNumber(o) + parenthesized(describeRelated(rel))
		switch rel.Relationship {
		case pack.RelIncluded:
			if m := overrideModifier(k.p, o); m != nil {
				k.fire(rules.BundleOverride, o, o.SV1Pos, combineSource(rel.Source, m.Source),
					what+" is included in "+proc+" ("+targets+"), but carries "+m.Code+" to bill it as a distinct service",
					"keep "+code+"-"+m.Code+" only if the record documents a separate service (another site, session or encounter); otherwise remove "+code+": included in "+proc)
				continue
			}
			k.fire(rules.BundleIncluded, o, o.SV1Pos, rel.Source,
				what+" is included in "+proc+" ("+targets+") and is not billed separately",
				"remove "+code+": included in "+proc)
		case pack.RelReview:
			msg := what + " is billed with " + proc + " (" + targets + ") and needs review"
			if rel.Text != "" {
				msg += "; the rule pack says: \"" + rel.Text + "\""
			}
			k.fire(rules.BundleReview, o, o.SV1Pos, rel.Source, msg,
				"confirm in the operative note that "+code+" was a separate service from "+proc+"; remove "+code+" if it was part of it")
		}
	}
}

// relatedLine returns the related-code entry of line l's procedure; only
// HCPCS/CPT lines (SV101-1 HC) are related codes.
func relatedLine(p *pack.Pack, l *claim.Line) (*pack.RelatedCode, bool) {
	if l.Qualifier != "HC" || l.Procedure == "" {
		return nil, false
	}
	return p.Related(l.Procedure)
}

func (k *claimCheck) related(l *claim.Line) (*pack.RelatedCode, bool) { return relatedLine(k.p, l) }

// describeRelated is what a related code means, with both the seed's and
// CPT's words when they disagree.
func describeRelated(rel *pack.RelatedCode) string {
	seed, codeset := rel.Descriptions()
	return describe(seed, codeset, "CPT")
}

// textAfter is "; text" without the text's final period, or "".
func textAfter(text string) string {
	if text == "" {
		return ""
	}
	return "; " + strings.TrimSuffix(text, ".")
}

// sameDateTargets lists the target lines (indexes) other than line j on
// the same date as line j; none when j's date is unusable.
func sameDateTargets(p *pack.Pack, lines []claim.Line, dates []dateRange, j int) []int {
	var out []int
	for i := range lines {
		if i != j && isTargetLine(p, &lines[i]) && dates[i].overlaps(dates[j]) {
			out = append(out, i)
		}
	}
	return out
}

// earlierDuplicate is the first target line before target line i that has
// the same date and side (LINE-DUPLICATE), or -1. Sides are sets (LT left,
// RT right, 50 both; no side modifier is unknown and matches any side), so
// 0620T-50 and 0620T-LT on one date bill the left leg twice.
func earlierDuplicate(p *pack.Pack, lines []claim.Line, dates []dateRange, i int) int {
	side := lineSides(&lines[i])
	for j := 0; j < i; j++ {
		if isTargetLine(p, &lines[j]) && dates[i].overlaps(dates[j]) && lineSides(&lines[j])&side != 0 {
			return j
		}
	}
	return -1
}

// describeTargets names the target lines on the same date as line j, with
// the date: "0620T on line 1, same date 2026-01-15"; "" when there is none.
func (k *claimCheck) describeTargets(j int) string {
	var lines []string
	for _, i := range sameDateTargets(k.p, k.c.Lines, k.dates, j) {
		lines = append(lines, lineNumber(&k.c.Lines[i]))
	}
	if len(lines) == 0 {
		return ""
	}
	word := "line "
	if len(lines) > 1 {
		word = "lines "
	}
	return k.p.Procedure + " on " + word + strings.Join(lines, ", ") + ", same date " + formatRange(k.dates[j])
}

// overrideModifier is the entry of l's first modifier that overrides
// bundling, or nil.
func overrideModifier(p *pack.Pack, l *claim.Line) *pack.CodeEntry {
	for _, m := range l.Modifiers {
		if e, ok := p.OverrideModifier(m); ok {
			return e
		}
	}
	return nil
}

// duplicateLine is LINE-DUPLICATE within the claim: target line i repeats
// an earlier target line for the same date and side (earlierDuplicate).
// The finding is about the later line and names the earlier one.
func (k *claimCheck) duplicateLine(i int) {
	j := earlierDuplicate(k.p, k.c.Lines, k.dates, i)
	if j < 0 {
		return
	}
	l, o := &k.c.Lines[i], &k.c.Lines[j]
	k.fire(rules.LineDuplicate, l, l.SV1Pos, "",
		k.p.Procedure+" on line "+lineNumber(l)+" ("+sideText(l)+", "+formatRange(k.dates[i])+") repeats line "+lineNumber(o)+" ("+sideText(o)+", "+formatRange(k.dates[j])+"): the same leg on the same date",
		"remove line "+lineNumber(l)+" if it repeats the same service; if the other leg was treated, mark each line LT or RT (or bill one line with 50)")
}

// lineSides is the set of legs a line's modifiers name; with none, the side
// is unknown and counts as either.
func lineSides(l *claim.Line) uint8 {
	var s uint8
	for _, m := range l.Modifiers {
		s |= modifierSide(m)
	}
	if s == 0 {
		return sideBoth
	}
	return s
}

// sideText describes a line's side modifiers for messages.
func sideText(l *claim.Line) string {
	var mods []string
	for _, m := range l.Modifiers {
		if modifierSide(m) != 0 {
			mods = append(mods, m)
		}
	}
	if len(mods) == 0 {
		return "no side modifier"
	}
	return strings.Join(mods, "+")
}

// codesValidOnDOS is CODE-NOT-VALID-ON-DOS: every procedure code on the
// target claim against the pack's valid_from/valid_to, on its own line's
// date. An RD8 range is judged on its first day (the line's "from" date).
// The finding points at the SV1: the code is what must change.
func (k *claimCheck) codesValidOnDOS() {
	c := k.c
	for j := range c.Lines {
		o := &c.Lines[j]
		if o.Qualifier != "HC" || o.Procedure == "" || !k.dates[j].valid() {
			continue
		}
		// The date is valid, so its first 8 characters are the from date.
		ok, v := k.p.ValidOn(o.Procedure, o.ServiceDate[:8])
		if ok || v == nil {
			continue
		}
		when := "exists only "
		switch {
		case v.ValidFrom != "" && v.ValidTo != "":
			when += "from " + v.ValidFrom + " to " + v.ValidTo
		case v.ValidFrom != "":
			when += "from " + v.ValidFrom
		default:
			when += "up to " + v.ValidTo
		}
		k.fire(rules.CodeNotValidOnDOS, o, o.SV1Pos, v.Source,
			o.Procedure+" on line "+lineNumber(o)+" is billed for "+formatDate(k.dates[j].From)+", but it "+when+textAfter(v.Text),
			"replace "+o.Procedure+" with the code valid on "+formatDate(k.dates[j].From)+" for the service performed")
	}
}
