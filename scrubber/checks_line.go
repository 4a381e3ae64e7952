package scrubber

import (
	"math"
	"strconv"
	"strings"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/internal/d8"
	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// Rules of scrubber/RULES.md "The target line itself", and CLAIM-CHARGE-MISMATCH.

// Amounts are compared exactly in cents, units in thousandths of a unit.
const (
	centsDecimals = 2
	unitDecimals  = 3
	unitScale     = 1000 // 10^unitDecimals: one unit
)

// targetLine runs the rules about target line i's own values.
func (k *claimCheck) targetLine(i int) {
	c := k.c
	l := &c.Lines[i]
	proc, line := k.p.Procedure, lineNumber(l)

	switch {
	case l.DatePos.IsZero() && l.ServiceDate == "":
		k.fire(rules.LineDOSMissing, l, l.SV1Pos, "",
			proc+" on line "+line+" has no service date (DTP*472 is required on every 837P service line)",
			"add DTP*472*D8*CCYYMMDD with the date of the procedure after the SV1 of line "+line)
	case !k.dates[i].valid():
		pos := l.DatePos
		if pos.IsZero() {
			pos = l.SV1Pos
		}
		k.fire(rules.LineDOSInvalid, l, pos, "",
			"the service date of "+proc+" on line "+line+" ("+l.DateQualifier+"*"+l.ServiceDate+") "+dateProblem(l.DateQualifier, l.ServiceDate),
			"write DTP*472 as D8*CCYYMMDD (a real date) or RD8*CCYYMMDD-CCYYMMDD (start on or before end)")
	}

	if cents, ok := parseFixed(l.Charge, centsDecimals); !ok || cents <= 0 {
		why := "is missing"
		switch {
		case l.Charge != "" && !ok:
			why = "is \"" + l.Charge + "\", not an amount in dollars and cents"
		case l.Charge != "":
			why = "is " + l.Charge + "; it must be more than zero"
		}
		k.fire(rules.LineChargeInvalid, l, l.SV1Pos, "",
			"the charge (SV102) of "+proc+" on line "+line+" "+why,
			"enter the billed charge for "+proc+" in SV102 of line "+line+" (a positive amount, e.g. 1500.00), and the claim total in CLM02 to match")
	}

	k.units(l)

	if rs, ok := k.p.Rule(rules.LinePOSAtypical); ok {
		pos, at, where := l.PlaceOfService, l.SV1Pos, "SV105"
		if pos == "" {
			pos, at, where = c.PlaceOfService, c.Pos, "CLM05-1"
		}
		if !k.p.TypicalPOS(pos) {
			what := "place of service " + pos + " (" + where + ") of " + proc + " on line " + line + " is not a typical setting"
			if pos == "" {
				what = proc + " on line " + line + " has no place of service (SV105 and CLM05-1 are empty)"
			}
			k.emit(rs, l, at, "", what+"; typical: "+k.typicalPOSList(),
				"check the place of service: correct "+where+" if it is wrong; if it is right, expect the payer to ask why")
		}
	}

	if rs, ok := k.p.Rule(rules.LineTaxonomyAtypical); ok {
		tax, at, where := l.RenderingTaxonomy, l.RenderingTaxonomyPos, "line rendering provider (2420A PRV*PE)"
		switch {
		case tax == "" && c.RenderingTaxonomy != "":
			tax, at, where = c.RenderingTaxonomy, c.RenderingTaxonomyPos, "claim rendering provider (2310B PRV*PE)"
		case tax == "" && !k.groupTaxonomy(c.BillingTaxonomy):
			// A group's taxonomy names no specialty: LINE-TAXONOMY-MISSING.
			tax, at, where = c.BillingTaxonomy, c.BillingTaxonomyPos, "billing provider (2000A PRV*BI)"
		}
		// A code NUCC does not have is TAXONOMY-INVALID's.
		if tax != "" && !k.p.TaxonomyListed(tax) && !k.taxonomyInvalid(tax) {
			k.emit(rs, l, at, "",
				"taxonomy "+tax+k.taxonomyWords(tax)+" of the "+where+" for "+proc+" on line "+line+" is not a specialty the rule pack lists for "+proc,
				"check the provider's taxonomy: correct it if it is wrong, otherwise confirm the payer accepts this specialty for "+proc)
		}
	}
}

func formatUnits(u float64) string { return strconv.FormatFloat(u, 'f', -1, 64) }

// typicalPOSList names the pack's typical places of service:
// "21 Hospital inpatient, 19 Hospital outpatient".
func (k *claimCheck) typicalPOSList() string {
	var b strings.Builder
	for i, e := range k.p.PlacesOfService() {
		if i > 0 {
			b.WriteString(", ")
		}
		// Seed and CMS name the same settings in other words: one will do.
		d := e.Description
		if d == "" {
			d = e.CodesetDescription
		}
		b.WriteString(e.Code + " " + strings.ToLower(d))
	}
	if b.Len() == 0 {
		return "none listed"
	}
	return b.String()
}

// groupTaxonomy reports whether the pack lists tax as a group's taxonomy.
func (k *claimCheck) groupTaxonomy(tax string) bool {
	_, ok := k.p.GroupTaxonomy(tax)
	return ok
}

// dateProblem says why a DTP*472 value is not a usable date.
func dateProblem(qualifier, value string) string {
	switch qualifier {
	case "D8":
		return "is not a real calendar date in CCYYMMDD form"
	case "RD8":
		if len(value) == 17 && value[8] == '-' {
			if from, ok := d8.Parse(value[:8]); ok {
				if to, ok := d8.Parse(value[9:]); ok && from > to {
					return "ends before it starts"
				}
			}
		}
		return "is not a date range CCYYMMDD-CCYYMMDD of real dates"
	}
	return "has qualifier \"" + qualifier + "\"; it must be D8 (one date) or RD8 (a range)"
}

// units is LINE-UNITS: SV104 missing, not a positive number, or above the
// pack's max_units. Units that MOD-50-UNITS reports (50 with a number other
// than 1) are not reported twice.
func (k *claimCheck) units(l *claim.Line) {
	rs, ok := k.p.Rule(rules.LineUnits)
	if !ok {
		return
	}
	if _, on := k.p.Rule(rules.Mod50Units); on && k.mod50Units(l) {
		return
	}
	max := k.p.MaxUnits()
	u, ok := parseFixed(l.Units, unitDecimals)
	var why string
	switch {
	case l.Units == "":
		why = "has no units (SV104 is missing)"
	case !ok || u <= 0:
		why = "has units \"" + l.Units + "\", which is not a positive number"
	case max > 0 && u > int64(math.Round(max*unitScale)) && !k.mueCovers(l): // with an MUE: MUE-EXCEEDED
		why = "is billed with " + l.Units + " units, more than the " + formatUnits(max) + " allowed (it is reported once per limb)"
	default:
		return
	}
	sugg := "set SV104 of line " + lineNumber(l) + " to " + formatUnits(max)
	if max == 1 {
		sugg += "; for both legs, bill one line with modifier 50 and 1 unit"
	}
	k.emit(rs, l, l.SV1Pos, "", k.p.Procedure+" on line "+lineNumber(l)+" "+why, sugg)
}

// taxonomyMissing is LINE-TAXONOMY-MISSING: no individual taxonomy on the
// claim (no 2420A or 2310B PRV*PE, and no 2000A PRV*BI or only a group's).
// Reported once for the claim, at its CLM.
func (k *claimCheck) taxonomyMissing() {
	c := k.c
	g, group := k.p.GroupTaxonomy(c.BillingTaxonomy)
	if c.BillingTaxonomy != "" && !group || c.RenderingTaxonomy != "" {
		return
	}
	for i := range c.Lines {
		if c.Lines[i].RenderingTaxonomy != "" {
			return
		}
	}
	what := "names no provider taxonomy (no PRV*PE for the rendering provider, no PRV*BI for the billing provider)"
	var src pack.Source
	if group {
		// The finding stands on the pack's group entry (codeset).
		what = "names only the billing group's taxonomy " + c.BillingTaxonomy + " (2000A PRV*BI), which is no specialty, and no PRV*PE for the rendering provider"
		src = g.Source
	}
	k.fire(rules.LineTaxonomyMissing, nil, c.Pos, src,
		"claim "+c.ID+" "+what+", so the specialty billing "+k.p.Procedure+" cannot be checked",
		"no change needed; adding PRV*PE with the rendering provider's taxonomy (2310B) lets payers and this check confirm the specialty")
}

// chargeBalance is CLAIM-CHARGE-MISMATCH: CLM02 against the sum of every
// line's SV102, exactly, in cents. A missing line charge counts as zero.
// A line charge that is not an amount cannot be summed: on a target line
// LINE-CHARGE-INVALID already holds the claim and this rule stays quiet; on
// another line this rule says the claim cannot be balanced.
func (k *claimCheck) chargeBalance() {
	rs, ok := k.p.Rule(rules.ClaimChargeMismatch)
	if !ok {
		return
	}
	c := k.c
	var sum int64
	var bad *claim.Line
	for i := range c.Lines {
		l := &c.Lines[i]
		v, ok := parseFixed(l.Charge, centsDecimals)
		switch {
		case ok:
			sum += v
		case l.Charge == "":
		case k.isTarget(i):
			return
		case bad == nil:
			bad = l
		}
	}
	total, ok := parseFixed(c.TotalCharge, centsDecimals)
	switch {
	case bad != nil:
		k.emit(rs, nil, c.Pos, "",
			"the claim total (CLM02) cannot be balanced: the charge of line "+lineNumber(bad)+" ("+bad.Procedure+") is \""+bad.Charge+"\", not an amount",
			"correct SV102 of line "+lineNumber(bad)+", then set CLM02 to the sum of the line charges")
	case !ok:
		k.emit(rs, nil, c.Pos, "",
			"the claim total (CLM02) \""+c.TotalCharge+"\" is not an amount; the line charges add up to "+formatCents(sum),
			"set CLM02 to "+formatCents(sum)+", the sum of the line charges")
	case total != sum:
		k.emit(rs, nil, c.Pos, "",
			"the claim total (CLM02) "+formatCents(total)+" differs from the sum of the line charges (SV102) "+formatCents(sum)+" by "+formatCents(total-sum),
			"set CLM02 to "+formatCents(sum)+", or correct the line charge that is wrong")
	}
}
