package scrubber

import (
	"strings"

	"github.com/scrub837/scrub837/scrubber/codedata"
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// The cross-claim index keeps only what the cross-claim rules need: the
// target lines and related-code lines with their patient, provider and
// date. A Scrubber keeps its entries in a crossStore (crossstore.go), which
// spills them to disk on large runs.
//
// Each entry is one line, with the key the rules match on (member ID,
// whether the patient is a 2000C dependant, billing NPI, dates, side) and a
// Finding template holding the report columns of that line. Strings are
// copied out of the claim: the reader's values share one buffer per claim,
// and the index must not keep whole claims alive.

// Kinds of cross-index entries.
const (
	crossTarget  uint8 = iota + 1 // a target line
	crossRelated                  // a line billing an included or review code
)

type crossEntry struct {
	kind    uint8
	sides   uint8 // target lines: lineSides
	roles   uint8 // target lines: surgeryRole
	patient bool  // the claim is under a 2000C patient HL
	// original: a target line of an original claim (CLM05-3 = 1), the only
	// ones compared for duplicates.
	original bool
	// dupInClaim: a target line that the per-claim LINE-DUPLICATE already
	// reports (it repeats an earlier line of its own claim).
	dupInClaim bool
	// The line's claim: whether it is a target claim, and its worst
	// finding before the cross-claim rules (Finish updates the tallies).
	target     bool
	claimWorst finding.Severity
	// scrub is the serial of the Scrub call that indexed the line (see
	// FileResult.scrub); 0 outside a Scrubber.
	scrub       uint32
	sideText    string // target lines: their side modifiers, for messages
	rendering   string // target lines: renderingNPI, for twoPeoplesWork
	member      string // = tmpl.MemberID
	npi         string // = tmpl.BillingNPI
	dates       dateRange
	fileIndex   int
	claimOffset int64
	lineSeg     int64             // SV1 offset: orders lines within a claim
	units       int64             // target lines: SV104 in thousandths, 0 unless positive
	rel         *pack.RelatedCode // related line: the pack's entry for its code
	override    string            // related line: its override modifier, if any
	// cols are the line's report columns packed into one string (an
	// encoded Finding, see crosscols.go): one small allocation per entry
	// instead of a Finding, so the index stays compact on drops with many
	// target lines.
	cols string

	// colsRaw are the packed columns in the packer's scratch, until own
	// (in memory) or the spill file's write.
	colsRaw []byte

	// set by crossMatch: the earliest other claim's entry matched
	other *crossEntry
}

// packCrossEntries appends the entries of a claim that has target lines or
// lines with related codes to dst. Lines without a usable date or member ID
// cannot match and are left out; so are related lines that share a date
// with a target line of their own claim (the per-claim BUNDLE-* rules
// report those), and every line of a void (it takes no part in cross-claim
// matching). Each entry's packed columns are appended to scratch, and
// its colsRaw and sideText refer to scratch and the claim until own is
// called: the store writes a spilled entry straight from them.
func packCrossEntries(dst []crossEntry, cl *claimLines, scratch []byte) ([]crossEntry, []byte) {
	p, c := cl.p, cl.c
	if c.MemberID == "" || c.Frequency == frequencyVoid {
		return dst, scratch
	}
	first := len(dst)
	var bounds [8]int
	spans := bounds[:0]
	dates := cl.dates
	for i := range c.Lines {
		l := &c.Lines[i]
		if !dates[i].valid() {
			continue
		}
		e := crossEntry{patient: c.HasPatient, dates: dates[i], lineSeg: l.SV1Pos.Offset}
		switch {
		case isTargetLine(p, l):
			e.kind, e.sides, e.sideText = crossTarget, lineSides(l), sideText(l)
			e.roles, e.rendering, e.original = surgeryRole(l), renderingNPI(c, l), c.Frequency == frequencyOriginal
			e.dupInClaim = cl.duplicateOf(i) >= 0
			if u, ok := parseFixed(l.Units, unitDecimals); ok && u > 0 {
				e.units = u
			}
		case c.BillingNPI != "":
			rel, ok := relatedLine(p, l)
			if !ok {
				continue
			}
			if n, _ := cl.sameDateTargets(i); n > 0 {
				continue
			}
			e.kind, e.rel = crossRelated, rel
			if m := overrideModifier(p, l); m != nil {
				e.override = m.Code // the pack's string, not the claim's
			}
		default:
			continue
		}
		tmpl := lineFindingView(c, l, pack.Rule{}, l.SV1Pos, "", "")
		e.fileIndex, e.claimOffset = tmpl.FileIndex, tmpl.ClaimOffset
		e.member, e.npi = c.MemberID, c.BillingNPI
		spans = append(spans, len(scratch))
		scratch = finding.Append(scratch, &tmpl)
		dst = append(dst, e)
	}
	spans = append(spans, len(scratch))
	for i := first; i < len(dst); i++ {
		k := i - first
		dst[i].colsRaw = scratch[spans[k]:spans[k+1]]
	}
	return dst, scratch
}

// own gives e its own strings (packed columns, and member and NPI as
// substrings of them), for an entry kept in memory: it then refers to
// neither the claim nor the scratch it was packed in.
func (e *crossEntry) own() {
	if e.colsRaw == nil {
		return
	}
	e.cols = string(e.colsRaw)
	e.colsRaw = nil
	e.member, e.npi, _ = packedKey(e.cols)
	e.sideText = strings.Clone(e.sideText)
	e.rendering = strings.Clone(e.rendering)
}

// before orders entries by input order: file, claim, line.
func (e *crossEntry) before(o *crossEntry) bool {
	if e.fileIndex != o.fileIndex {
		return e.fileIndex < o.fileIndex
	}
	if e.claimOffset != o.claimOffset {
		return e.claimOffset < o.claimOffset
	}
	return e.lineSeg < o.lineSeg
}

func (e *crossEntry) sameClaim(o *crossEntry) bool {
	return e.fileIndex == o.fileIndex && e.claimOffset == o.claimOffset
}

// crossMatch matches entries (in any order) and appends their cross-claim
// findings to out, unsorted:
//   - LINE-DUPLICATE: two target lines of original claims on different
//     claims for the same patient (member ID, and subscriber or 2000C
//     dependant), overlapping dates and sides, and not two people's work
//     (as in the per-claim rule); reported on the later claim in input
//     order, naming the earliest claim it repeats. A line that already
//     repeats a line of its own claim is not reported again.
//   - BUNDLE-CROSS-CLAIM: a related-code line and a target line on
//     different claims for the same patient, billing NPI and date;
//     reported on the related line, naming the earliest such target line.
//
// The result does not depend on the order of the entries: each match is
// the earliest in input order. Entries only match within one patient
// (member ID and patient flag), so any set of entries that holds every
// entry of its patients (a spill partition) can be matched on its own.
//
// The work grows with the entries, not with their pairs: a crossMatcher
// first sums the target lines up by patient, date and kind (the earliest
// two of each, on different claims), then each entry asks the sums of the
// dates that meet its own.
//
// With data files (d not nil), MUE-EXCEEDED across claims too (mueMatcher).
func crossMatch(p *pack.Pack, d *codedata.Set, all []*crossEntry, out []crossFound) []crossFound {
	m := newCrossMatcher(p, d)
	for _, e := range all {
		m.index(e, keepEntry)
	}
	run := claimRun{out: out}
	for _, e := range all {
		run.add(m, e)
	}
	run.endClaim()
	return run.out
}

// claimRun collects the cross-claim findings of entries that come a claim
// at a time (a claim's entries are consecutive in the store: crossStore.add
// writes them together), and marks the last finding of each claim with the
// worst of them: Finish moves the claim's tally once, without keeping a set
// of the claims it moved.
type claimRun struct {
	out         []crossFound
	start       int // the current claim's first finding in out
	file        int
	claimOffset int64
}

// add matches e; at a new claim it ends the last one first.
func (r *claimRun) add(m *crossMatcher, e *crossEntry) {
	if len(r.out) > r.start && (e.fileIndex != r.file || e.claimOffset != r.claimOffset) {
		r.endClaim()
	}
	r.file, r.claimOffset = e.fileIndex, e.claimOffset
	r.out = m.findings(e, r.out)
}

// endClaim marks the current claim's last finding, if it has any: the
// findings up to it can then be handed on.
func (r *claimRun) endClaim() {
	if len(r.out) == r.start {
		return
	}
	worst := finding.Severity(0)
	for i := r.start; i < len(r.out); i++ {
		worst = max(worst, r.out[i].Severity)
	}
	r.out[len(r.out)-1].claimCross = worst
	r.start = len(r.out)
}

// take returns the findings of the claims ended so far and keeps the rest.
func (r *claimRun) take() []crossFound {
	done := r.out[:r.start]
	r.out = append([]crossFound(nil), r.out[r.start:]...)
	r.start = 0
	return done
}

// keepEntry keeps an entry the matcher sums up as it is (entries in
// memory, not a reader's scratch).
func keepEntry(e *crossEntry) *crossEntry { return e }

// crossMatcher holds the sums of the target lines of a set of entries.
type crossMatcher struct {
	p      *pack.Pack
	mue    *mueMatcher // nil without data files
	groups map[crossPatient]*crossGroup
	keys   [48]dupKey // conflictKeys scratch
}

// crossPatient is whose entries can match: the member ID, and whether the
// claim is a 2000C dependant's under it.
type crossPatient struct {
	member  string
	patient bool
}

// crossGroup sums one patient's target lines up by date: one bucket per
// first and last day, found by the first day (see lineIndex.overlapping).
type crossGroup struct {
	buckets map[[2]int32]*crossBucket
	starts  map[int32][]*crossBucket
	maxSpan int32
}

// crossBucket sums up the target lines of one patient and date range.
type crossBucket struct {
	first, last int32
	dups        map[dupKey]*firstTwo // original claims' target lines by kind (LINE-DUPLICATE)
	byNPI       map[string]*firstTwo // target lines by billing NPI (BUNDLE-CROSS-CLAIM)
}

// firstTwo are the earliest entry (input order) of a set and the earliest
// one on another claim than the first's: between them, the earliest entry
// on any claim but a given one.
type firstTwo struct{ a, b *crossEntry }

// add considers e; own gives the entry to keep (a copy, when e is a
// reader's scratch).
func (t *firstTwo) add(e *crossEntry, own func(*crossEntry) *crossEntry) {
	switch {
	case t.a == nil:
		t.a = own(e)
	case e.before(t.a):
		if !e.sameClaim(t.a) {
			t.b = t.a
		}
		t.a = own(e)
	case e.sameClaim(t.a):
	case t.b == nil || e.before(t.b):
		t.b = own(e)
	}
}

// otherThan is the earliest entry on another claim than e's, or nil.
func (t *firstTwo) otherThan(e *crossEntry) *crossEntry {
	if t.a != nil && !t.a.sameClaim(e) {
		return t.a
	}
	return t.b
}

func newCrossMatcher(p *pack.Pack, d *codedata.Set) *crossMatcher {
	return &crossMatcher{p: p, mue: newMueMatcher(p, d), groups: map[crossPatient]*crossGroup{}}
}

// findings appends e's cross-claim findings to out. The entries come in
// the order indexed (see mueMatcher).
func (m *crossMatcher) findings(e *crossEntry, out []crossFound) []crossFound {
	if m.match(e) {
		if f, ok := crossFinding(m.p, e); ok {
			out = append(out, f)
		}
	}
	if m.mue != nil {
		if f, ok := m.mue.match(e); ok {
			out = append(out, f)
		}
	}
	return out
}

// index sums target entry e up (related entries are not indexed); own
// gives what the matcher keeps of it.
func (m *crossMatcher) index(e *crossEntry, own func(*crossEntry) *crossEntry) {
	if m.mue != nil {
		m.mue.index(e, own)
	}
	if e.kind != crossTarget {
		return
	}
	key := crossPatient{e.member, e.patient}
	g := m.groups[key]
	if g == nil {
		key.member = strings.Clone(key.member) // e may be scratch
		g = &crossGroup{buckets: map[[2]int32]*crossBucket{}, starts: map[int32][]*crossBucket{}}
		m.groups[key] = g
	}
	d := e.dates
	b := g.buckets[[2]int32{d.first, d.last}]
	if b == nil {
		b = &crossBucket{first: d.first, last: d.last, byNPI: map[string]*firstTwo{}}
		g.buckets[[2]int32{d.first, d.last}] = b
		g.starts[d.first] = append(g.starts[d.first], b)
		g.maxSpan = max(g.maxSpan, d.last-d.first)
	}
	t := b.byNPI[e.npi]
	if t == nil {
		t = &firstTwo{}
		b.byNPI[strings.Clone(e.npi)] = t
	}
	t.add(e, own)
	if !e.original {
		return
	}
	if b.dups == nil {
		b.dups = map[dupKey]*firstTwo{}
	}
	k := dupKey{roles: e.roles, sides: e.sides, npi: e.rendering}
	for _, key := range [2]dupKey{k, k.withAnyNPI()} {
		t := b.dups[key]
		if t == nil {
			t = &firstTwo{}
			key.npi = strings.Clone(key.npi)
			b.dups[key] = t
		}
		t.add(e, own)
	}
}

// match sets e.other to the entry e matches, the earliest in input order,
// and reports whether there is one.
func (m *crossMatcher) match(e *crossEntry) bool {
	e.other = nil
	g := m.groups[crossPatient{e.member, e.patient}]
	if g == nil {
		return false
	}
	var keys []dupKey
	switch {
	case e.kind == crossTarget:
		if e.dupInClaim || !e.original {
			return false
		}
		keys = dupKey{roles: e.roles, sides: e.sides, npi: e.rendering}.conflictKeys(m.keys[:0])
	case e.kind != crossRelated:
		return false
	}
	consider := func(o *crossEntry) {
		if o != nil && (e.kind == crossRelated || o.before(e)) && (e.other == nil || o.before(e.other)) {
			e.other = o
		}
	}
	d := e.dates
	for s := d.first - g.maxSpan; s <= d.last; s++ {
		for _, b := range g.starts[s] {
			if b.last < d.first {
				continue
			}
			if e.kind == crossRelated {
				if t := b.byNPI[e.npi]; t != nil {
					consider(t.otherThan(e))
				}
				continue
			}
			for _, k := range keys {
				if t := b.dups[k]; t != nil {
					consider(t.otherThan(e))
				}
			}
		}
	}
	return e.other != nil
}

// crossFound is a cross-claim finding with what Finish needs of its
// claim: whether it bills the target, and its worst finding before the
// cross-claim rules ran.
type crossFound struct {
	finding.Finding
	target     bool
	claimWorst finding.Severity
	// claimCross is set on the last cross-claim finding of a claim: the
	// worst of them (0 on the others; see claimRun).
	claimCross finding.Severity
}

// crossFinding builds the finding for entry e, which matched e.other.
func crossFinding(p *pack.Pack, e *crossEntry) (crossFound, bool) {
	o := e.other
	id := rules.LineDuplicate
	if e.kind == crossRelated {
		id = rules.BundleCrossClaim
	}
	rs, ok := p.Rule(id)
	if !ok {
		return crossFound{}, false
	}
	f := crossFound{Finding: unpackColumns(e.cols), target: e.target, claimWorst: e.claimWorst} // copies: keeps no spill partition alive
	f.RuleID, f.Severity, f.Source = rs.ID.String(), rs.Severity, string(rs.Source)
	otherCols := unpackColumns(o.cols)
	other := claimName(&otherCols)
	proc := p.Procedure
	if e.kind == crossTarget {
		f.Message = proc + " on line " + itoa(f.LineNumber) + " (" + e.sideText + ", " + formatRange(e.dates) +
			") repeats " + proc + " for the same patient, leg and date on " + other +
			" (" + o.sideText + ", " + formatRange(o.dates) + ")"
		f.Suggestion = "if it repeats " + other + ", remove line " + itoa(f.LineNumber) + " and take its charge out of CLM02 (or do not send the claim again); " + duplicateAdvice
		return f, true
	}
	rel, code := e.rel, f.Procedure
	f.Source = string(rel.Source)
	f.Message = code + " on line " + itoa(f.LineNumber) + parenthesized(describeRelated(rel)) +
		" is billed for the same patient, billing provider and date (" + formatRange(e.dates) + ") as " + proc + " on " + other
	switch rel.Relationship {
	case pack.RelIncluded:
		f.Message += ", which includes it"
		if e.override != "" {
			f.Message += "; it carries " + e.override + " as a distinct service"
		}
		f.Suggestion = "remove " + code + ": included in " + proc + " (" + other + "), unless the record documents a separate service"
	default:
		if rel.Text != "" {
			f.Message += "; the rule pack says: \"" + rel.Text + "\""
		}
		f.Suggestion = "confirm in the operative note that " + code + " was a separate service from " + proc + " (" + other + "); remove it if it was part of it"
	}
	return f, true
}

// claimName names another claim's line for messages:
// `claim CLM01 line 1 in file b.837`.
func claimName(f *finding.Finding) string {
	return "claim " + f.ClaimID + " line " + itoa(f.LineNumber) + " in file " + f.File
}
