package scrubber

import (
	"strconv"
	"strings"

	"github.com/scrub837/scrub837/scrubber/codedata"
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// mueMatcher finds MUE-EXCEEDED across claims (MAI 2 and 3: units summed
// per date of service). The target lines of one patient (member ID and
// patient flag, as LINE-DUPLICATE) on one first date of service by one
// practitioner make a day; their units are summed in input order. A line
// is reported when the day's units up to it pass the MUE while its own
// claim's do not: a line its claim takes over the limit alone, mueLine
// already reports. The finding names the day's earliest line, on another
// claim, and the day's units in all.
//
// Originals only, as LINE-DUPLICATE: a replacement's units stand for its
// original's, not beside them (voids have no entries).
//
// Like crossMatcher it reads the entries twice and keeps sums, not
// entries: per day, its earliest line, its units in all, and the earliest
// lines whose units first pass the limit (the crossing: at most as many as
// the limit has thousandths of a unit, whatever the day's number of lines).
// A line is at or after the crossing, or not; its claim's units up to it
// are summed as the entries go by, a claim's entries being consecutive in
// the store (crossStore.add writes them together, in line order).
type mueMatcher struct {
	p    *pack.Pack
	d    *codedata.Set
	days map[mueKey]*mueDayUnits

	// the match pass: the claim of the previous entry, and its units so
	// far per day
	claimFile   int
	claimOffset int64
	claimUnits  map[*mueDayUnits]int64
}

// mueKey is a day: patient, first date of service and practitioner.
type mueKey struct {
	member  string
	patient bool
	from    int32
	npi     string // renderingNPI: the line's, the claim's 2310B, else billing
}

// mueDayUnits sums a day up.
type mueDayUnits struct {
	mue   codedata.MUE
	limit int64 // in thousandths of a unit; < 0: no MUE per day for the date
	total int64
	first *crossEntry // the earliest line counted
	// cross are the earliest lines counted, as few as pass the limit (all
	// of them while the total does not): a max-heap by input order
	cross []mueLine
	sum   int64 // the units of cross
}

// mueLine is a counted line of a day: where it is, and its units.
type mueLine struct {
	fileIndex          int
	claimOffset, lines int64
	units              int64
}

func (a mueLine) before(b mueLine) bool {
	if a.fileIndex != b.fileIndex {
		return a.fileIndex < b.fileIndex
	}
	if a.claimOffset != b.claimOffset {
		return a.claimOffset < b.claimOffset
	}
	return a.lines < b.lines
}

func lineOf(e *crossEntry) mueLine {
	return mueLine{fileIndex: e.fileIndex, claimOffset: e.claimOffset, lines: e.lineSeg, units: e.units}
}

// newMueMatcher is nil without data files: the rule needs CMS's MUE file.
func newMueMatcher(p *pack.Pack, d *codedata.Set) *mueMatcher {
	if d == nil {
		return nil
	}
	return &mueMatcher{p: p, d: d, days: map[mueKey]*mueDayUnits{}, claimFile: -1, claimUnits: map[*mueDayUnits]int64{}}
}

func counted(e *crossEntry) bool {
	return e.kind == crossTarget && e.original && e.units > 0
}

// index counts e; own gives what the matcher keeps of it.
func (m *mueMatcher) index(e *crossEntry, own func(*crossEntry) *crossEntry) {
	if !counted(e) {
		return
	}
	key := mueKey{e.member, e.patient, e.dates.From, e.rendering}
	day := m.days[key]
	if day == nil {
		day = &mueDayUnits{limit: -1}
		mue, st := m.d.MUE(m.p.Procedure, strconv.Itoa(int(e.dates.From)))
		if st == codedata.Found && mue.Adjudication.PerDateOfService() {
			day.mue, day.limit = mue, int64(mue.Value)*unitScale
		}
		key.member, key.npi = strings.Clone(key.member), strings.Clone(key.npi) // e may be scratch
		m.days[key] = day
	}
	if day.limit < 0 {
		return
	}
	day.total += e.units
	if day.first == nil || e.before(day.first) {
		day.first = own(e)
	}
	l := lineOf(e)
	if day.sum > day.limit && !l.before(day.cross[0]) {
		return // after the crossing
	}
	day.push(l)
	for len(day.cross) > 1 && day.sum-day.cross[0].units > day.limit {
		day.pop()
	}
}

// push and pop keep cross a max-heap by input order, and sum its units.
func (day *mueDayUnits) push(l mueLine) {
	h := append(day.cross, l)
	for i := len(h) - 1; i > 0; {
		parent := (i - 1) / 2
		if !h[parent].before(h[i]) {
			break
		}
		h[parent], h[i] = h[i], h[parent]
		i = parent
	}
	day.cross, day.sum = h, day.sum+l.units
}

func (day *mueDayUnits) pop() {
	h := day.cross
	day.sum -= h[0].units
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	for i := 0; ; {
		big, l, r := i, 2*i+1, 2*i+2
		if l < n && h[big].before(h[l]) {
			big = l
		}
		if r < n && h[big].before(h[r]) {
			big = r
		}
		if big == i {
			break
		}
		h[i], h[big] = h[big], h[i]
		i = big
	}
	day.cross = h
}

// match returns e's finding, if the units of its day pass the limit by e
// (e is at or after the crossing) while its claim's up to e do not. The
// entries come in the order indexed.
func (m *mueMatcher) match(e *crossEntry) (crossFound, bool) {
	if !counted(e) {
		return crossFound{}, false
	}
	day := m.days[mueKey{e.member, e.patient, e.dates.From, e.rendering}]
	if day == nil || day.limit < 0 || day.sum <= day.limit {
		return crossFound{}, false
	}
	if e.fileIndex != m.claimFile || e.claimOffset != m.claimOffset {
		m.claimFile, m.claimOffset = e.fileIndex, e.claimOffset
		clear(m.claimUnits)
	}
	claimUnits := m.claimUnits[day] + e.units
	m.claimUnits[day] = claimUnits
	if lineOf(e).before(day.cross[0]) || claimUnits > day.limit {
		return crossFound{}, false
	}
	// e's claim is not the first counted: the day's first line is on
	// another claim.
	first := unpackColumns(day.first.cols)
	return mueCrossFinding(m.p, day.mue, e, unpackColumns(e.cols), &first, e.rendering, day.total), true
}

// mueCrossFinding is the MUE-EXCEEDED finding about line e (columns f),
// whose day holds total units with other's claim.
func mueCrossFinding(p *pack.Pack, m codedata.MUE, e *crossEntry, f finding.Finding, other *finding.Finding, npi string, total int64) crossFound {
	rs := dataRule(rules.MueExceeded)
	line := itoa(f.LineNumber)
	what := f.Procedure + " on line " + line + " is billed for the patient on " + formatRange(dateRange{From: e.dates.From, To: e.dates.From}) +
		" by the same practitioner (NPI " + npi + ") as on " + claimName(other) + ": " + formatUnits(float64(total)/unitScale) + " units that day in all"
	f.Message, f.Suggestion = mueText(p, m, what, indexOf(f.Modifiers, "50") >= 0, line)
	f.RuleID, f.Severity, f.Source = rs.ID.String(), rs.Severity, string(rs.Source)
	return crossFound{Finding: f, target: e.target, claimWorst: e.claimWorst}
}
