package scrubber

import (
	"strings"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/codedata"
	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// mueDay is the units a claim bills on one date of service by one
// practitioner, so far in line order (MUE-EXCEEDED with MAI 2 or 3).
type mueDay struct {
	from  int32
	npi   string
	units int64 // thousandths
	lines int   // lines counted
}

// mueDays are a claim's mueDay sums. A claim has one or two dates, so a
// slice searched in order is enough (a claim with thousands of dates costs
// its lines times its dates).
type mueDays []mueDay

func (s *mueDays) add(from int32, npi string, units int64) *mueDay {
	for i := range *s {
		d := &(*s)[i]
		if d.from == from && d.npi == npi {
			d.units += units
			d.lines++
			return d
		}
	}
	*s = append(*s, mueDay{from: from, npi: npi, units: units, lines: 1})
	return &(*s)[len(*s)-1]
}

// mueLine is MUE-EXCEEDED within the claim for target line i: its units
// against the MUE in force on its date; days sums the claim's days (nil:
// the claim has one target line). MAI 1 compares the line's units;
// MAI 2 and 3 the units of the claim's target lines on that date by the
// same practitioner, up to this line, so the finding is on each line that
// takes the day above the value. Missing or non-positive units are
// LINE-UNITS's. Across claims, crossmue.go adds the units of the patient's
// other claims.
func (k *claimCheck) mueLine(i int, days *mueDays) {
	l := &k.c.Lines[i]
	dos := k.dos(i)
	if dos == "" {
		return
	}
	m, st := k.d.MUE(l.Procedure, dos)
	u, ok := parseFixed(l.Units, unitDecimals)
	if st != codedata.Found || !ok || u <= 0 {
		return
	}
	limit := int64(m.Value) * unitScale
	if !m.Adjudication.PerDateOfService() {
		if u > limit {
			k.reportMUE(l, m, k.p.Procedure+" on line "+lineNumber(l)+" is billed with "+l.Units+" units")
		}
		return
	}
	npi := renderingNPI(k.c, l)
	day := &mueDay{units: u, lines: 1}
	if days != nil {
		day = days.add(k.dates[i].From, npi, u)
	}
	switch {
	case day.units <= limit:
	case day.lines == 1:
		k.reportMUE(l, m, k.p.Procedure+" on line "+lineNumber(l)+" is billed with "+l.Units+" units on "+formatDate(k.dates[i].From))
	default:
		earlier := day.lines - 1
		k.reportMUE(l, m, k.p.Procedure+" on line "+lineNumber(l)+" brings the units billed on "+formatDate(k.dates[i].From)+
			" by the same practitioner (NPI "+npi+") on this claim to "+formatUnits(float64(day.units)/unitScale)+
			" (with line"+plural(earlier)+" "+capList(k.mueEarlierLines(i, npi, 5), earlier)+")")
	}
}

// mueEarlierLines names the first max target lines before line i that
// mueLine counted in line i's day.
func (k *claimCheck) mueEarlierLines(i int, npi string, max int) []string {
	var out []string
	for j := 0; j < i && len(out) < max; j++ {
		l := &k.c.Lines[j]
		u, ok := parseFixed(l.Units, unitDecimals)
		if k.isTarget(j) && k.dates[j].From == k.dates[i].From && ok && u > 0 && renderingNPI(k.c, l) == npi {
			out = append(out, lineNumber(l))
		}
	}
	return out
}

// reportMUE writes MUE-EXCEEDED on line l; what says how many units the
// line brings to its day or line.
func (k *claimCheck) reportMUE(l *claim.Line, m codedata.MUE, what string) {
	msg, sugg := mueText(k.p, m, what, indexOf(l.Modifiers, "50") >= 0, lineNumber(l))
	k.fireData(rules.MueExceeded, l, l.SV1Pos, msg, sugg)
}

// mueText is MUE-EXCEEDED's message and suggestion: what, then the MUE and
// where it comes from, and what the analyst can do, which depends on the
// adjudication indicator. bilateral: the line carries 50.
func mueText(p *pack.Pack, m codedata.MUE, what string, bilateral bool, line string) (msg, sugg string) {
	per := "a day for the patient"
	if !m.Adjudication.PerDateOfService() {
		per = "a claim line"
	}
	msg = what + ", above CMS's medically unlikely edit for " + m.Code + ": at most " + unitsText(m.Value) + " " + per +
		" (MAI " + m.MAIText
	if m.Rationale != "" {
		msg += "; rationale \"" + m.Rationale + "\""
	}
	msg += "; " + dataFile("CMS MUE", "effective "+formatD8(m.Effective), m.File) + ")"
	if bilateral {
		msg += "; with 50 (bilateral) the procedure is billed as 1 unit"
	}
	if max := p.MaxUnits(); max > 0 && max != float64(m.Value) {
		msg += "; the rule pack's max_units is " + formatUnits(max) + ": CMS's MUE for the date decides"
	}
	limit := unitsText(m.Value)
	switch m.Adjudication {
	case codedata.LineEdit:
		sugg = "bill at most " + limit + " on line " + line + "; more units go on a separate line only with a modifier that shows a distinct service (76, 77, XS, 59 or a site modifier) when the record supports it"
	case codedata.DateEditPolicy:
		sugg = "bill at most " + limit + " of " + m.Code + " for the patient on this date: MAI 2 is a policy limit and no appeal pays more; remove line " + line + " or correct its units"
	default:
		sugg = "bill at most " + limit + " of " + m.Code + " for the patient on this date: under MAI 3 more units are paid only on appeal with records showing they were necessary; correct the units of line " + line + " unless the record supports more"
	}
	if m.Value == 1 {
		sugg += "; for both legs, bill one line with modifier 50 and 1 unit"
	}
	return msg, sugg
}

// mueExceedsAlone reports whether target line l's own units are above the
// MUE in force on its date: MUE-EXCEEDED then reports them, and
// MOD-50-UNITS, which would say the same of a 50 line, stays quiet.
func (k *claimCheck) mueExceedsAlone(l *claim.Line) bool {
	if !k.dataOn() || !lineDate(l).valid() {
		return false
	}
	m, st := k.d.MUE(l.Procedure, l.ServiceDate[:8])
	u, ok := parseFixed(l.Units, unitDecimals)
	return st == codedata.Found && ok && u > int64(m.Value)*unitScale
}

func unitsText(n int) string {
	if n == 1 {
		return "1 unit"
	}
	return itoa(n) + " units"
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// capList joins the first items of a list of n with ", ", then says how
// many more there are: "1, 2, 3 and 7 more".
func capList(first []string, n int) string {
	if n <= len(first) {
		return strings.Join(first, ", ")
	}
	return strings.Join(first, ", ") + " and " + itoa(n-len(first)) + " more"
}
