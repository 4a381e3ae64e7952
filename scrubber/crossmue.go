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
// patient's day, in input order, on two claims or more. The lines are taken
// practitioner by practitioner (crossEntry.rendering); only a practitioner
// with lines on two claims or more has units to add up, and only then are
// the lines' columns decoded: co-surgeons and assistants, who bill the same
// day under their own NPIs, cost no decoding.
func mueDayAcrossClaims(p *pack.Pack, d *codedata.Set, day []*crossEntry, out []crossFound) []crossFound {
	var mue *codedata.MUE // looked up once, for the first practitioner that needs it
	done := make([]bool, len(day))
	var lines []int
	for a := range day {
		if done[a] {
			continue
		}
		lines = lines[:0]
		claims := 0
		for b := a; b < len(day); b++ {
			if !done[b] && day[b].rendering == day[a].rendering {
				done[b] = true
				if len(lines) == 0 || !day[b].sameClaim(day[lines[len(lines)-1]]) {
					claims++
				}
				lines = append(lines, b)
			}
		}
		if claims < 2 {
			continue
		}
		cols := make([]finding.Finding, len(lines))
		for k, b := range lines {
			cols[k] = unpackColumns(day[b].cols)
		}
		if mue == nil {
			m, st := d.MUE(cols[0].Procedure, cols[0].ServiceDate[:8])
			if st != codedata.Found || !m.Adjudication.PerDateOfService() {
				return out
			}
			mue = &m
		}
		out = mueAcrossPractitioner(p, *mue, day, lines, cols, out)
	}
	return out
}

// mueAcrossPractitioner adds up one practitioner's lines of a patient's day
// (indexes into day, in input order, with their columns) against MUE m.
func mueAcrossPractitioner(p *pack.Pack, m codedata.MUE, day []*crossEntry, lines []int, cols []finding.Finding, out []crossFound) []crossFound {
	limit := int64(m.Value) * unitScale
	var total, claimTotal int64
	first, prev := -1, -1 // the first and last counted lines
	for k, b := range lines {
		u, ok := parseFixed(cols[k].Units, unitDecimals)
		if !ok || u <= 0 {
			continue
		}
		if prev < 0 || !day[b].sameClaim(day[lines[prev]]) {
			claimTotal = 0
		}
		if first < 0 {
			first = k
		}
		prev = k
		total += u
		claimTotal += u
		// Reported here only when the other claims take the day over the
		// limit: then this claim is not the first one counted, and the
		// first counted line is on another claim.
		if total > limit && claimTotal <= limit {
			out = append(out, mueCrossFinding(p, m, day[b], cols[k], &cols[first], day[b].rendering, total))
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
