package scrubber

import (
	"cmp"
	"slices"

	"github.com/scrub837/scrub837/scrubber/codedata"
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// mueAcrossClaims appends MUE-EXCEEDED across claims (MAI 2 and 3: units
// summed per date of service) to out. The target lines of one patient
// (member ID and patient flag, as LINE-DUPLICATE) on one first date of
// service by one practitioner are summed in input order; a line is
// reported when the day's units so far pass the MUE while its own claim's
// do not: a line its claim takes over the limit alone, mueLine already
// reports. The finding names the earliest other claim of that day.
//
// Only days with target lines on two claims or more are looked at, so a
// drop without such days costs one pass over the entries. Without data
// files (d nil) it does nothing.
func mueAcrossClaims(p *pack.Pack, d *codedata.Set, all []*crossEntry, out []crossFound) []crossFound {
	if d == nil {
		return out
	}
	var days []*crossEntry
	for _, e := range all {
		// Originals only, as LINE-DUPLICATE: a replacement's units stand
		// for its original's, not beside them (voids have no entries).
		if e.kind == crossTarget && e.original {
			days = append(days, e)
		}
	}
	slices.SortFunc(days, func(a, b *crossEntry) int {
		if c := cmp.Compare(a.member, b.member); c != 0 {
			return c
		}
		if a.patient != b.patient {
			if !a.patient {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(a.dates.From, b.dates.From); c != 0 {
			return c
		}
		if a.before(b) {
			return -1
		}
		return 1
	})
	for start := 0; start < len(days); {
		end, claims := start+1, 1
		for end < len(days) && days[end].member == days[start].member && days[end].patient == days[start].patient &&
			days[end].dates.From == days[start].dates.From {
			if !days[end].sameClaim(days[end-1]) {
				claims++
			}
			end++
		}
		if claims > 1 {
			out = mueDayAcrossClaims(p, d, days[start:end], out)
		}
		start = end
	}
	return out
}

// mueDayAcrossClaims is mueAcrossClaims for the target lines of one
// patient's day, in input order, on two claims or more.
func mueDayAcrossClaims(p *pack.Pack, d *codedata.Set, day []*crossEntry, out []crossFound) []crossFound {
	cols := make([]finding.Finding, len(day))
	for i, e := range day {
		cols[i] = unpackColumns(e.cols)
	}
	m, st := d.MUE(cols[0].Procedure, cols[0].ServiceDate[:8])
	if st != codedata.Found || !m.Adjudication.PerDateOfService() {
		return out
	}
	limit := int64(m.Value) * unitScale
	done := make([]bool, len(day))
	for a := range day {
		if done[a] {
			continue
		}
		npi := findingPractitioner(&cols[a])
		var total, claimTotal int64
		first, prev := -1, -1 // the practitioner's first and last counted lines of the day
		for b := a; b < len(day); b++ {
			if done[b] || findingPractitioner(&cols[b]) != npi {
				continue
			}
			done[b] = true
			u, ok := parseFixed(cols[b].Units, unitDecimals)
			if !ok || u <= 0 {
				continue
			}
			if prev < 0 || !day[b].sameClaim(day[prev]) {
				claimTotal = 0
			}
			if first < 0 {
				first = b
			}
			prev = b
			total += u
			claimTotal += u
			// Reported here only when the other claims take the day over
			// the limit: then b's claim is not the first one counted, and
			// the first counted line is on another claim.
			if total > limit && claimTotal <= limit {
				out = append(out, mueCrossFinding(p, m, day[b], cols[b], &cols[first], npi, total))
			}
		}
	}
	return out
}

// mueCrossFinding is the MUE-EXCEEDED finding about line e (columns f),
// which takes the practitioner's day to total units with other's claim.
func mueCrossFinding(p *pack.Pack, m codedata.MUE, e *crossEntry, f finding.Finding, other *finding.Finding, npi string, total int64) crossFound {
	rs := dataRule(rules.MueExceeded)
	line := itoa(f.LineNumber)
	what := f.Procedure + " on line " + line + " brings the units billed for the patient on " + formatRange(dateRange{e.dates.From, e.dates.From}) +
		" by the same practitioner (NPI " + npi + ") to " + formatUnits(float64(total)/unitScale) + " with " + claimName(other)
	f.Message, f.Suggestion = mueText(p, m, what, indexOf(f.Modifiers, "50") >= 0, line)
	f.RuleID, f.Severity, f.Source = rs.ID.String(), rs.Severity, string(rs.Source)
	return crossFound{Finding: f, target: e.target, claimWorst: e.claimWorst}
}

// findingPractitioner is practitioner for a line's report columns, which
// hold its rendering NPI (2420A, else 2310B) and the billing NPI.
func findingPractitioner(f *finding.Finding) string {
	if f.RenderingNPI != "" {
		return f.RenderingNPI
	}
	return f.BillingNPI
}
