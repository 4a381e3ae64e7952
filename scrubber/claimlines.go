package scrubber

import (
	"slices"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/pack"
)

// claimLines answers what the per-claim rules and the cross-claim index ask
// about the other lines of a line's dates: which target line a target line
// repeats (LINE-DUPLICATE), which target lines share a related line's date
// (BUNDLE-*), whether another procedure shares a 51 line's date
// (MOD-51-SINGLE-PROCEDURE). A small claim is answered by scanning its
// lines, which is fastest for the few lines real claims have; a large one
// by an index built in one pass, so that no answer rescans the claim and
// the work grows with the claim's lines, not with their square.
type claimLines struct {
	p     *pack.Pack
	c     *claim.Claim
	dates []dateRange // per line, zero when missing or invalid
	idx   *lineIndex  // nil: scan
	dupOf []int       // index mode: per target line, the line it repeats, or -1
}

// smallClaim is the most lines of a claim answered by scanning.
var smallClaim = 16

// maxListed is how many lines a message names before "and N more".
const maxListed = 5

// lineIndex is the index of a large claim's lines by date: buckets of the
// lines with the same first and last day.
type lineIndex struct {
	buckets map[[2]int32]*dayBucket
	starts  map[int32][]*dayBucket // by first day
	maxSpan int32                  // the longest last-first of a bucket
	undated dayBucket              // lines without a usable date
}

// dayBucket sums up the lines of one date range.
type dayBucket struct {
	first, last int32

	targets      int   // target lines
	firstTargets []int // the first maxListed of them, in line order
	left, right  int   // target lines whose one side modifier is LT / RT

	others      int   // lines of another procedure than an included code (MOD-51)
	included    int   // lines of an included code
	firstIncl   []int // the first maxListed of them
	inclSource  pack.Source
	firstByKind map[dupKey]int // LINE-DUPLICATE: the first target line of each kind
}

// newClaimLines prepares the answers for claim c; dates is reused scratch.
func newClaimLines(p *pack.Pack, c *claim.Claim, dates []dateRange) *claimLines {
	cl := &claimLines{p: p, c: c, dates: dates[:0]}
	for i := range c.Lines {
		cl.dates = append(cl.dates, lineDate(&c.Lines[i]))
	}
	if len(c.Lines) > smallClaim {
		cl.buildIndex()
	}
	return cl
}

// target reports whether line i bills the pack's procedure.
func (cl *claimLines) target(i int) bool { return isTargetLine(cl.p, &cl.c.Lines[i]) }

// included reports whether line j bills a code the pack includes in the
// procedure, with the entry's source.
func (cl *claimLines) included(j int) (pack.Source, bool) {
	rel, ok := relatedLine(cl.p, &cl.c.Lines[j])
	if !ok || rel.Relationship != pack.RelIncluded {
		return "", false
	}
	return rel.Source, true
}

// duplicateOf is the earlier target line that target line i repeats
// (earlierDuplicate), or -1.
func (cl *claimLines) duplicateOf(i int) int {
	if cl.idx == nil {
		return earlierDuplicate(cl.p, cl.c, cl.dates, i)
	}
	return cl.dupOf[i]
}

// sameDateTargets counts the target lines other than line j that share its
// date, and lists the first maxListed of them in line order. None when j's
// date is unusable.
func (cl *claimLines) sameDateTargets(j int) (n int, first []int) {
	d := cl.dates[j]
	if !d.valid() {
		return 0, nil
	}
	if cl.idx == nil {
		for i := range cl.c.Lines {
			if i != j && cl.target(i) && cl.dates[i].overlaps(d) {
				if n < maxListed {
					first = append(first, i)
				}
				n++
			}
		}
		return n, first
	}
	self := cl.target(j)
	cl.idx.overlapping(d, func(b *dayBucket) {
		n += b.targets
		first = append(first, b.firstTargets...)
	})
	if self {
		n--
		first = slices.DeleteFunc(first, func(i int) bool { return i == j })
	}
	slices.Sort(first)
	return n, first[:min(len(first), maxListed)]
}

// otherLimb reports whether related line j is on the other leg from every
// target line of its date: j carries exactly one of LT and RT and each of
// them the other one. It returns that side's bits.
func (cl *claimLines) otherLimb(j int) (uint8, bool) {
	_, side := sideModifierOf(&cl.c.Lines[j])
	if side != sideLeft && side != sideRight {
		return 0, false
	}
	other := sideBoth ^ side
	n, _ := cl.sameDateTargets(j)
	if n == 0 {
		return 0, false
	}
	if cl.idx == nil {
		for i := range cl.c.Lines {
			if i != j && cl.target(i) && cl.dates[i].overlaps(cl.dates[j]) {
				if _, s := sideModifierOf(&cl.c.Lines[i]); s != other {
					return 0, false
				}
			}
		}
		return other, true
	}
	opposite := 0
	cl.idx.overlapping(cl.dates[j], func(b *dayBucket) {
		if other == sideLeft {
			opposite += b.left
		} else {
			opposite += b.right
		}
	})
	return other, opposite == n
}

// anotherProcedure reports whether a line other than target line i bills a
// procedure that is not included in the pack's on i's date; a line whose
// date is unknown may be on it, and any line may be when i's is. If not,
// it lists (the first maxListed, in line order) and counts the lines of
// included codes that are, with their combined source.
func (cl *claimLines) anotherProcedure(i int) (another bool, bundled []int, n int, src pack.Source) {
	d := cl.dates[i]
	if cl.idx == nil {
		for j := range cl.c.Lines {
			o := &cl.c.Lines[j]
			if j == i || o.Procedure == "" {
				continue
			}
			if d.valid() && cl.dates[j].valid() && !d.overlaps(cl.dates[j]) {
				continue
			}
			s, ok := cl.included(j)
			if !ok {
				return true, nil, 0, ""
			}
			src = combineSource(src, s)
			if n < maxListed {
				bundled = append(bundled, j)
			}
			n++
		}
		return false, bundled, n, src
	}
	others := -1 // i itself is another procedure's line
	add := func(b *dayBucket) {
		others += b.others
		n += b.included
		bundled = append(bundled, b.firstIncl...)
		if b.included > 0 {
			src = combineSource(src, b.inclSource)
		}
	}
	add(&cl.idx.undated)
	if d.valid() {
		cl.idx.overlapping(d, add)
	} else {
		for _, b := range cl.idx.buckets {
			add(b)
		}
	}
	if others > 0 {
		return true, nil, 0, ""
	}
	slices.Sort(bundled)
	return false, bundled[:min(len(bundled), maxListed)], n, src
}

// overlapping calls fn with every bucket whose days meet d's. A bucket's
// first day is at most maxSpan before its last, so only the buckets that
// start from d.first-maxSpan to d.last can: at most 2*maxRangeDays days to
// look at, whatever the claim holds.
func (x *lineIndex) overlapping(d dateRange, fn func(b *dayBucket)) {
	for s := d.first - x.maxSpan; s <= d.last; s++ {
		for _, b := range x.starts[s] {
			if b.last >= d.first {
				fn(b)
			}
		}
	}
}

// bucket returns the bucket of date d, making it.
func (x *lineIndex) bucket(d dateRange) *dayBucket {
	if !d.valid() {
		return &x.undated
	}
	k := [2]int32{d.first, d.last}
	b := x.buckets[k]
	if b == nil {
		b = &dayBucket{first: d.first, last: d.last}
		x.buckets[k] = b
		x.starts[d.first] = append(x.starts[d.first], b)
		x.maxSpan = max(x.maxSpan, d.last-d.first)
	}
	return b
}

// buildIndex indexes the lines in line order. A target line looks for the
// line it repeats among the lines indexed before it (earlier lines only),
// then is indexed itself.
func (cl *claimLines) buildIndex() {
	x := &lineIndex{buckets: map[[2]int32]*dayBucket{}, starts: map[int32][]*dayBucket{}}
	cl.idx = x
	cl.dupOf = make([]int, len(cl.c.Lines))
	for i := range cl.c.Lines {
		l := &cl.c.Lines[i]
		d := cl.dates[i]
		b := x.bucket(d)
		cl.dupOf[i] = -1
		if l.Procedure != "" {
			if s, ok := cl.included(i); ok {
				b.included++
				if len(b.firstIncl) < maxListed {
					b.firstIncl = append(b.firstIncl, i)
				}
				b.inclSource = combineSource(b.inclSource, s)
			} else {
				b.others++
			}
		}
		if !cl.target(i) || !d.valid() {
			continue
		}
		b.targets++
		if len(b.firstTargets) < maxListed {
			b.firstTargets = append(b.firstTargets, i)
		}
		switch _, s := sideModifierOf(l); s {
		case sideLeft:
			b.left++
		case sideRight:
			b.right++
		}
		k := newDupKey(cl.c, l)
		cl.dupOf[i] = x.earliestConflict(d, k)
		if b.firstByKind == nil {
			b.firstByKind = map[dupKey]int{}
		}
		for _, key := range [2]dupKey{k, k.withAnyNPI()} {
			if _, ok := b.firstByKind[key]; !ok {
				b.firstByKind[key] = i
			}
		}
	}
}

// dupKey is the kind of a target line for LINE-DUPLICATE: whether two lines
// conflict depends only on their kinds (twoPeoplesWork and sides). A line
// is indexed under its own kind and under the same kind with any NPI.
type dupKey struct {
	roles  uint8 // surgeryRole
	sides  uint8 // lineSides
	npi    string
	anyNPI bool // the key stands for every NPI
}

func newDupKey(c *claim.Claim, l *claim.Line) dupKey {
	return dupKey{roles: surgeryRole(l), sides: lineSides(l), npi: renderingNPI(c, l)}
}

func (k dupKey) withAnyNPI() dupKey {
	k.npi, k.anyNPI = "", true
	return k
}

// conflictKeys lists the keys under which the lines that line kind k
// repeats are indexed: every kind whose sides meet k's and that is not two
// people's work with k (twoPeoplesWork: an assistant's line and another's
// never; two assistants, co-surgeons or team members only with the same
// NPI or one unknown; any other two lines always).
func (k dupKey) conflictKeys(buf []dupKey) []dupKey {
	out := buf[:0]
	for sides := uint8(1); sides <= sideBoth; sides++ {
		if sides&k.sides == 0 {
			continue
		}
		for roles := uint8(0); roles < 8; roles++ {
			if roles&roleAssistant != k.roles&roleAssistant {
				continue
			}
			o := dupKey{roles: roles, sides: sides}
			shared := k.roles&roleAssistant != 0 || roles&k.roles&(roleCoSurgeon|roleTeam) != 0
			switch {
			case !shared || k.npi == "":
				out = append(out, o.withAnyNPI())
			default:
				o.npi = k.npi
				out = append(out, o, dupKey{roles: roles, sides: sides}) // the same NPI, or none
			}
		}
	}
	return out
}

// earliestConflict is the first line indexed so far, of a date that meets
// d, that a line of kind k repeats; -1 when none.
func (x *lineIndex) earliestConflict(d dateRange, k dupKey) int {
	var buf [48]dupKey
	keys := k.conflictKeys(buf[:0])
	best := -1
	x.overlapping(d, func(b *dayBucket) {
		for _, key := range keys {
			if j, ok := b.firstByKind[key]; ok && (best < 0 || j < best) {
				best = j
			}
		}
	})
	return best
}
