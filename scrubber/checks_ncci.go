package scrubber

import (
	"strings"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/codedata"
	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// ncciVerdict is what an NCCI PTP edit in force makes of two lines,
// weakest first.
type ncciVerdict uint8

const (
	ncciNone     ncciVerdict = iota // no edit in force for the pair (or indicator 9)
	ncciBypassed                    // indicator 1, and the column 2 line carries a modifier that bypasses it
	ncciDenied                      // indicator 0, or 1 without such a modifier
)

// ncciPair is an NCCI PTP edit between a line and a target line, and what
// it makes of them.
type ncciPair struct {
	verdict    ncciVerdict
	edit       codedata.Edit
	col1, col2 int               // line indexes: column 1 is paid, column 2 denied
	mod        codedata.Modifier // ncciBypassed: the modifier that bypasses the edit
	// anatomic: ncciDenied with indicator 1 where the column 2 line's
	// anatomic modifier does not bypass the edit (the other line is on the
	// same site, or names none)
	anatomic string
}

// ncciEdits is NCCI-PTP and NCCI-PTP-BYPASSED: for every line that is not
// a target line, the NCCI PTP edit in force on its date between its code
// and the procedure (either column), with a target line on the same date
// by the same practitioner. One finding per such line, about the column 2
// line (the one the payer denies), from the strongest edit over the target
// lines. Indicator 9 (deleted retroactively) is no edit.
func (k *claimCheck) ncciEdits() {
	c, proc := k.c, k.p.Procedure
	for j := range c.Lines {
		o := &c.Lines[j]
		if o.Qualifier != "HC" || o.Procedure == "" || !k.dates[j].valid() || k.isTarget(j) {
			continue
		}
		// The lookups first: most lines have no edit with the procedure,
		// and then no target line needs comparing.
		dos := k.dos(j)
		asCol2, st2 := k.d.PTP(proc, o.Procedure, dos)
		asCol1, st1 := k.d.PTP(o.Procedure, proc, dos)
		col2Edit := st2 == codedata.Found && asCol2.Indicator != codedata.NotApplicable
		col1Edit := st1 == codedata.Found && asCol1.Indicator != codedata.NotApplicable
		if !col2Edit && !col1Edit {
			continue
		}
		npi := renderingNPI(c, o)
		var best ncciPair
		for i := range c.Lines {
			if best.verdict == ncciDenied {
				break
			}
			if !k.isTarget(i) || !k.dates[i].overlaps(k.dates[j]) || renderingNPI(c, &c.Lines[i]) != npi {
				continue
			}
			if col2Edit {
				best = stronger(best, judgeNCCI(c, asCol2, i, j))
			}
			if col1Edit {
				best = stronger(best, judgeNCCI(c, asCol1, j, i))
			}
		}
		if best.verdict == ncciNone {
			continue
		}
		if k.data.ptpLines == nil {
			k.data.ptpLines = make([]bool, len(c.Lines))
		}
		k.data.ptpLines[j] = true
		k.reportNCCI(j, &best)
	}
}

// ptpReports reports whether an NCCI-PTP or NCCI-PTP-BYPASSED finding is
// about line j's pair with the procedure: the pack's bundling rules then
// stay quiet about the line.
func (k *claimCheck) ptpReports(j int) bool {
	return k.data.ptpLines != nil && k.data.ptpLines[j]
}

func stronger(a, b ncciPair) ncciPair {
	if b.verdict > a.verdict {
		return b
	}
	return a
}

// judgeNCCI applies edit e (in force) to lines col1 and col2 of claim c.
// Indicator 0 denies the column 2 code. Indicator 1 lets an NCCI-associated
// modifier on the column 2 line bypass it; an anatomic one only when the
// column 1 line names a different site of the same kind (RT against LT,
// T1 against T2): the same site, or none named, is no distinct service.
func judgeNCCI(c *claim.Claim, e codedata.Edit, col1, col2 int) ncciPair {
	p := ncciPair{verdict: ncciDenied, edit: e, col1: col1, col2: col2}
	if e.Indicator != codedata.Allowed {
		return p
	}
	l1, l2 := &c.Lines[col1], &c.Lines[col2]
	for _, m := range l2.Modifiers {
		mod, ok := codedata.BypassModifier(m)
		if !ok {
			continue
		}
		if mod.Group != "anatomic" || differentSite(m, l1) {
			p.verdict, p.mod = ncciBypassed, mod
			return p
		}
		if p.anatomic == "" {
			p.anatomic = m
		}
	}
	return p
}

// Kinds of anatomic modifiers: a site is different only from another of
// the same kind.
const (
	siteSide     = 'S' // LT, RT (and 50, both sides)
	siteEyelid   = 'E' // E1-E4
	siteFinger   = 'F' // FA, F1-F9
	siteToe      = 'T' // TA, T1-T9
	siteCoronary = 'C' // LC, LD, LM, RC, RI
)

// siteKind is the kind of anatomic site modifier m names, or 0.
func siteKind(m string) byte {
	if len(m) != 2 {
		return 0
	}
	digit := m[1] >= '1' && m[1] <= '9'
	switch {
	case m == "LT" || m == "RT" || m == "50":
		return siteSide
	case m[0] == 'E' && m[1] >= '1' && m[1] <= '4':
		return siteEyelid
	case m[0] == 'F' && (m[1] == 'A' || digit):
		return siteFinger
	case m[0] == 'T' && (m[1] == 'A' || digit):
		return siteToe
	case m == "LC" || m == "LD" || m == "LM" || m == "RC" || m == "RI":
		return siteCoronary
	}
	return 0
}

// differentSite reports whether line other names a site of the same kind
// as anatomic modifier m, and none that m's site shares: RT against LT,
// not against LT and RT, nor against 50 (both sides), nor against nothing.
func differentSite(m string, other *claim.Line) bool {
	kind := siteKind(m)
	if kind == siteSide {
		sides := uint8(0)
		for _, o := range other.Modifiers {
			sides |= modifierSide(o)
		}
		return sides != 0 && sides&modifierSide(m) == 0
	}
	named := false
	for _, o := range other.Modifiers {
		if o == m {
			return false
		}
		if siteKind(o) == kind {
			named = true
		}
	}
	return named
}

// reportNCCI writes the finding of pair pr, found for line j.
func (k *claimCheck) reportNCCI(j int, pr *ncciPair) {
	c := k.c
	l1, l2 := &c.Lines[pr.col1], &c.Lines[pr.col2]
	e := &pr.edit
	n1, n2 := lineNumber(l1), lineNumber(l2)
	msg := l2.Procedure + " on line " + n2 + " is the column 2 code of an NCCI procedure-to-procedure edit with " +
		l1.Procedure + " on line " + n1 + " (column 1), both on " + formatDate(k.dates[j].From) +
		" by the same practitioner (NPI " + renderingNPI(c, l2) + ")"
	var sugg string
	id := rules.NcciPTP
	switch {
	case pr.verdict == ncciBypassed:
		id = rules.NcciPTPBypassed
		why := pr.mod.Why
		if pr.mod.Group == "anatomic" {
			why = "another site than line " + n1 + "'s " + siteNames(l1, pr.mod.Code)
		}
		msg += ": modifier indicator 1, and line " + n2 + " carries " + pr.mod.Code + " (" + why + "), which bypasses the edit"
		sugg = "keep " + pr.mod.Code + " on line " + n2 + " only if the operative note documents it (" + why + "); otherwise remove " + l2.Procedure + ": the payer denies it with " + l1.Procedure + " and audits this modifier"
	case e.Indicator == codedata.NotAllowed:
		msg += ": modifier indicator 0, no modifier allows both codes"
		sugg = k.removeCol2(l1, l2, n2) + "; no modifier changes that"
	default:
		msg += ": modifier indicator 1, so an NCCI-associated modifier on line " + n2 + " could bypass it when the record documents a distinct service"
		if pr.anatomic != "" {
			msg += "; its " + pr.anatomic + " bypasses the edit only when line " + n1 + " is on a different site, and " + siteOf(l1, pr.anatomic)
		} else {
			msg += ", and it carries none"
		}
		sugg = k.removeCol2(l1, l2, n2) + "; only if the record documents a distinct service (another site, session or encounter), add the modifier that says which to line " + n2 + " (XS, XE, XP, XU or 59; RT or LT for the other leg)"
	}
	msg += "; in force from " + formatD8(e.Effective)
	if e.Deletion != "" {
		msg += " to " + formatD8(e.Deletion)
	}
	if e.Rationale != "" {
		msg += "; CMS rationale: \"" + e.Rationale + "\""
	}
	msg += " (" + dataFile("CMS NCCI PTP", e.Version, e.File) + ")" + k.ncciPackNote(j, pr)
	k.fireData(id, l2, l2.SV1Pos, msg, sugg)
}

// removeCol2 is the suggestion's start for a denied column 2 line.
func (k *claimCheck) removeCol2(l1, l2 *claim.Line, n2 string) string {
	if isTargetLine(k.p, l2) {
		return "the payer pays " + l1.Procedure + " (line " + lineNumber(l1) + ") and denies " + l2.Procedure + " with it: bill the one code the operative note supports"
	}
	return "remove " + l2.Procedure + " from line " + n2 + " and take its charge out of CLM02: the payer pays " + l1.Procedure + " and denies " + l2.Procedure + " with it"
}

// siteOf says what site line l names against anatomic modifier m.
func siteOf(l *claim.Line, m string) string {
	if names := siteNames(l, m); names != "" {
		return "it is on the same site (" + names + ")"
	}
	return "it names no site"
}

// siteNames are line l's modifiers of the same kind of site as anatomic
// modifier m: "RT", "T1+T2".
func siteNames(l *claim.Line, m string) string {
	kind := siteKind(m)
	var same []string
	for _, o := range l.Modifiers {
		if siteKind(o) == kind {
			same = append(same, o)
		}
	}
	return strings.Join(same, "+")
}

// ncciPackNote says where the rule pack, about line j, disagrees with the
// CMS edit that replaces its finding ("" when they agree or the pack says
// nothing of the code).
func (k *claimCheck) ncciPackNote(j int, pr *ncciPair) string {
	o := &k.c.Lines[j]
	rel, ok := k.related(o)
	if !ok {
		return ""
	}
	code := o.Procedure
	if pr.col2 != j && rel.Relationship == pack.RelIncluded {
		return "; the rule pack has " + code + " included in " + k.p.Procedure + ", but CMS's edit pays " + code + " and denies " + k.p.Procedure + ": the CMS edit decides"
	}
	// What the pack would accept as a distinct service (BUNDLE-OVERRIDE):
	// an override modifier, or the other limb from the target lines.
	override := overrideModifier(k.p, o)
	if override == nil {
		override, _ = k.otherLimbOverride(j)
	}
	switch {
	case rel.Relationship == pack.RelReview && pr.verdict == ncciDenied:
		return "; the rule pack only asks for a review of " + code + " (" + rules.BundleReview.String() + "): the CMS edit decides"
	case rel.Relationship == pack.RelIncluded && pr.verdict == ncciDenied && override != nil:
		return "; the rule pack would accept its " + override.Code + " as a distinct service (" + rules.BundleOverride.String() + "), but this edit's modifier indicator 0 lets no modifier bypass it: the CMS edit decides"
	case rel.Relationship == pack.RelIncluded && pr.verdict == ncciBypassed && override == nil:
		return "; the rule pack does not accept " + pr.mod.Code + " as a distinct service for a code included in " + k.p.Procedure + " (" + rules.BundleIncluded.String() + "), but CMS's edit does: the CMS edit decides"
	}
	return ""
}

// formatD8 writes CCYYMMDD as YYYY-MM-DD for messages.
func formatD8(s string) string {
	if len(s) != 8 {
		return s
	}
	return s[:4] + "-" + s[4:6] + "-" + s[6:]
}
