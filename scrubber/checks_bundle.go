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
//
// An included line is BUNDLE-OVERRIDE instead of BUNDLE-INCLUDED when it
// carries an override modifier, or when it is on the other limb: it carries
// RT or LT, every target line of its date carries the other one, and the
// pack lists that side modifier as an override (CMS counts anatomic
// modifiers among those that bypass a PTP edit). A review line that
// CODE-NOT-VALID-ON-DOS reports is not reviewed: its code does not exist on
// that date.
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
					what+" is included in "+proc+" ("+targets+"), but carries "+m.Code+" ("+k.modifierMeaning(m.Code)+") to bill it as a distinct service",
					"keep "+code+"-"+m.Code+" only if the record documents a separate service (another site, session or encounter); otherwise "+k.removeLine(o))
				continue
			}
			if m, tside := k.otherLimbOverride(j); m != nil {
				k.fire(rules.BundleOverride, o, o.SV1Pos, combineSource(rel.Source, m.Source),
					what+" is included in "+proc+" on the same limb, but it is billed for the "+sideWord(modifierSide(m.Code))+" leg ("+m.Code+") and "+targets+" for the "+sideWord(tside)+" leg ("+sideModifier(tside)+"): CMS counts anatomic modifiers among those that bypass a PTP edit",
					"keep "+code+"-"+m.Code+" only if the record documents it as a separate service on the "+sideWord(modifierSide(m.Code))+" leg; if it was done for the "+proc+" limb, "+k.removeLine(o))
				continue
			}
			k.fire(rules.BundleIncluded, o, o.SV1Pos, rel.Source,
				what+" is included in "+proc+" ("+targets+") and is not billed separately"+k.includesReason(),
				k.removeLine(o))
		case pack.RelReview:
			if k.reportsNotValid(j) {
				continue
			}
			msg := what + " is billed with " + proc + " (" + targets + ") and needs review"
			if rel.Text != "" {
				msg += "; the rule pack says: \"" + rel.Text + "\""
			}
			k.fire(rules.BundleReview, o, o.SV1Pos, rel.Source, msg,
				"confirm in the operative note that "+code+" on line "+lineNumber(o)+" was a separate service from "+proc+"; if it was part of it, "+k.removeLine(o))
		}
	}
}

// includesReason says why an included code is not billed: what the
// procedure's descriptor includes, in the pack's words.
func (k *claimCheck) includesReason() string {
	what, src := k.p.Includes()
	switch {
	case what == "":
		return ""
	case src == pack.SourceSeed:
		return ": the seed says " + k.p.Procedure + " includes " + what
	}
	return ": " + k.p.Procedure + "'s descriptor includes " + what
}

// removeLine is the suggestion to drop line o from the claim: where, and
// what becomes of CLM02.
func (k *claimCheck) removeLine(o *claim.Line) string {
	s := "remove line " + lineNumber(o) + " (" + o.Procedure + ") and take its charge"
	charge, ok1 := parseFixed(o.Charge, centsDecimals)
	total, ok2 := parseFixed(k.c.TotalCharge, centsDecimals)
	if ok1 && ok2 && charge > 0 {
		return s + ", " + formatCents(charge) + ", out of CLM02 (" + formatCents(total) + " becomes " + formatCents(total-charge) + ")"
	}
	return s + " out of CLM02"
}

// otherLimbOverride returns the side modifier entry of related line j when
// the line is on the other limb from every target line of its date (see
// bundles), with those lines' side; nil otherwise.
func (k *claimCheck) otherLimbOverride(j int) (*pack.CodeEntry, uint8) {
	mod, _ := sideModifierOf(&k.c.Lines[j])
	m, ok := k.p.OverrideModifier(mod)
	if !ok {
		return nil, 0
	}
	other, ok := k.lines.otherLimb(j)
	if !ok {
		return nil, 0
	}
	return m, other
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
	return describe(seed, codeset)
}

// textAfter is "; text" without the text's final period, or "".
func textAfter(text string) string {
	if text == "" {
		return ""
	}
	return "; " + strings.TrimSuffix(text, ".")
}

// earlierDuplicate is the first target line before target line i that has
// the same date and side (LINE-DUPLICATE) and is not another person's share
// of the work (twoPeoplesWork), or -1. Sides are sets (LT left, RT right, 50
// both; no side modifier is unknown and matches any side), so 0620T-50 and
// 0620T-LT on one date bill the left leg twice.
func earlierDuplicate(p *pack.Pack, c *claim.Claim, dates []dateRange, i int) int {
	lines := c.Lines
	l := &lines[i]
	side, role, npi := lineSides(l), surgeryRole(l), renderingNPI(c, l)
	for j := 0; j < i; j++ {
		o := &lines[j]
		if isTargetLine(p, o) && dates[i].overlaps(dates[j]) && lineSides(o)&side != 0 &&
			!twoPeoplesWork(role, surgeryRole(o), npi, renderingNPI(c, o)) {
			return j
		}
	}
	return -1
}

// Roles a surgeon's modifiers give a line (CMS): several people may bill
// the same procedure for their share of it.
const (
	roleCoSurgeon uint8 = 1 << iota // 62: two surgeons
	roleTeam                        // 66: a surgical team
	roleAssistant                   // 80, 81, 82, AS: an assistant at surgery
)

// surgeryRole is the role bits of a line's modifiers.
func surgeryRole(l *claim.Line) uint8 {
	var r uint8
	for _, m := range l.Modifiers {
		switch m {
		case "62":
			r |= roleCoSurgeon
		case "66":
			r |= roleTeam
		case "80", "81", "82", "AS":
			r |= roleAssistant
		}
	}
	return r
}

// renderingNPI is who performed line l: its 2420A rendering provider, else
// the claim's 2310B, else the billing provider (837P leaves out the
// rendering loops when the billing provider rendered).
func renderingNPI(c *claim.Claim, l *claim.Line) string {
	switch {
	case l.RenderingNPI != "":
		return l.RenderingNPI
	case c.RenderingNPI != "":
		return c.RenderingNPI
	}
	return c.BillingNPI
}

// twoPeoplesWork reports whether two lines of the same procedure, patient,
// date and side are legitimately two people's shares (scrubber/RULES.md,
// LINE-DUPLICATE): an assistant's line beside a surgeon's; two assistants,
// two co-surgeons (62 on both) or two team members (66 on both) with
// different rendering NPIs. Without both NPIs nothing says the people
// differ.
func twoPeoplesWork(roleA, roleB uint8, npiA, npiB string) bool {
	differ := npiA != "" && npiB != "" && npiA != npiB
	switch {
	case roleA&roleAssistant != roleB&roleAssistant:
		return true
	case roleA&roleAssistant != 0:
		return differ
	case roleA&roleB&(roleCoSurgeon|roleTeam) != 0:
		return differ
	}
	return false
}

// describeTargets names the target lines on the same date as line j, with
// the date: "0620T on line 1, same date 2026-01-15"; "0620T on lines 1, 2,
// 3, 4, 5 and 95 more, same date ..."; "" when there is none.
func (k *claimCheck) describeTargets(j int) string {
	n, first := k.lines.sameDateTargets(j)
	if n == 0 {
		return ""
	}
	word := "line "
	if n > 1 {
		word = "lines "
	}
	return k.p.Procedure + " on " + word + k.listLines(first, n) + ", same date " + formatRange(k.dates[j])
}

// listLines names lines for messages: the first ones' numbers, then how
// many more there are of n in all: "1, 2, 3, 4, 5 and 95 more".
func (k *claimCheck) listLines(first []int, n int) string {
	var b strings.Builder
	for i, j := range first {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(lineNumber(&k.c.Lines[j]))
	}
	if n > len(first) {
		b.WriteString(" and " + itoa(n-len(first)) + " more")
	}
	return b.String()
}

// overrideModifier is the entry of l's first modifier that overrides
// bundling by itself (59, X{EPSU}), or nil. The side modifiers the pack
// lists as overrides count only against the other limb (otherLimb).
func overrideModifier(p *pack.Pack, l *claim.Line) *pack.CodeEntry {
	for _, m := range l.Modifiers {
		if modifierSide(m) != 0 {
			continue
		}
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
	j := k.lines.duplicateOf(i)
	if j < 0 {
		return
	}
	l, o := &k.c.Lines[i], &k.c.Lines[j]
	k.fire(rules.LineDuplicate, l, l.SV1Pos, "",
		k.p.Procedure+" on line "+lineNumber(l)+" ("+sideText(l)+", "+formatRange(k.dates[i])+") repeats line "+lineNumber(o)+" ("+sideText(o)+", "+formatRange(k.dates[j])+"): the same leg on the same date",
		"if line "+lineNumber(l)+" repeats the same service, "+k.removeLine(l)+"; "+duplicateAdvice)
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

// duplicateAdvice is the rest of LINE-DUPLICATE's suggestion: how lines
// that are not a repeat must be billed.
const duplicateAdvice = "if the other leg was treated, mark each line LT or RT (or bill one line with 50); if two surgeons operated, each bills with 62 (co-surgeons) or 66 (team) and their own rendering NPI, an assistant with 80, 81, 82 or AS"

// invalidOnDOS returns the validity entry that excludes line j's code on
// its date (its first day), or nil. Lines without a usable date are not
// judged.
func (k *claimCheck) invalidOnDOS(j int) *pack.Validity {
	o := &k.c.Lines[j]
	if o.Qualifier != "HC" || o.Procedure == "" || !k.dates[j].valid() {
		return nil
	}
	// The date is valid, so its first 8 characters are the from date.
	ok, v := k.p.ValidOn(o.Procedure, o.ServiceDate[:8])
	if ok {
		return nil
	}
	return v
}

// reportsNotValid reports whether CODE-NOT-VALID-ON-DOS reports line j.
func (k *claimCheck) reportsNotValid(j int) bool {
	_, on := k.p.Rule(rules.CodeNotValidOnDOS)
	return on && k.invalidOnDOS(j) != nil
}

// codesValidOnDOS is CODE-NOT-VALID-ON-DOS: every procedure code on the
// target claim against the pack's valid_from/valid_to, on its own line's
// date. An RD8 range is judged on its first day (the line's "from" date).
// The finding points at the SV1: the code is what must change.
func (k *claimCheck) codesValidOnDOS() {
	c := k.c
	for j := range c.Lines {
		o := &c.Lines[j]
		v := k.invalidOnDOS(j)
		if v == nil {
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
			"replace "+o.Procedure+" in SV101 of line "+lineNumber(o)+" with the code valid on "+formatDate(k.dates[j].From)+" for the service performed")
	}
}
