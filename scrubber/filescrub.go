package scrubber

import (
	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/finding"
)

// fileScrub is what one Scrub keeps while it reads a file: the result so
// far and what makes checking its claims cheap.
type fileScrub struct {
	s   *Scrubber
	res *FileResult

	dxMemo       dxMemo      // what the pack says of each diagnosis code seen
	crossScratch []byte      // packs a claim's cross-index entries
	dates        []dateRange // the claim's line dates, reused

	// the worst structure finding about the claim at worstAt, which the
	// reader reports before it returns the claim
	worstAt claim.Pos
	worst   finding.Severity

	// payerGroups remembers the pack's group for each payer ID and name
	// seen in the file: a drop has few payers and many claims, and the
	// pack's name patterns are too slow to match on every claim.
	payerGroups map[string]string
	payerKey    []byte

	summaries summaries // for Options.ClaimSink
}

// related is claim.Options.Related: the pack lists code as a related code.
func (f *fileScrub) related(code []byte) bool {
	_, ok := f.s.pack.Related(string(code))
	return ok
}

// payerGroup is claim.Options.PayerGroup: the pack's payer group,
// remembered per payer ID and name.
func (f *fileScrub) payerGroup(id, name string) string {
	f.payerKey = append(append(append(f.payerKey[:0], id...), 0), name...)
	if g, ok := f.payerGroups[string(f.payerKey)]; ok {
		return g
	}
	g := f.s.pack.PayerGroup(id, name)
	if f.payerGroups == nil {
		f.payerGroups = map[string]string{}
	}
	if len(f.payerGroups) < 4096 { // a bound, in case every claim names its own payer
		f.payerGroups[string(f.payerKey)] = g
	}
	return g
}

// check checks a target claim, and adds target and related-code claims to
// the cross-claim index.
func (f *fileScrub) check(c *claim.Claim) {
	res := f.res
	var worst finding.Severity
	if c.Pos == f.worstAt {
		worst = f.worst
	}
	cl := newClaimLines(f.s.pack, c, f.dates)
	f.dates = cl.dates
	if c.TargetLines > 0 {
		before := len(res.Findings)
		res.Findings = checkClaimLines(f.s.o.Data, &f.dxMemo, cl, res.Findings)
		for i := before; i < len(res.Findings); i++ {
			worst = max(worst, res.Findings[i].Severity)
			// Kept until the file is done: not the claim's bytes.
			detach(&res.Findings[i])
		}
		f.handOver()
		f.summarize(c)
		// Counts, not a list: memory does not grow with target claims.
		res.TargetClaims++
		res.tally(c.PayerGroup, worst, +1)
	}
	f.s.cross.add(cl, res.scrub, c.TargetLines > 0, worst, &f.crossScratch)
}

// add records a finding of the file's own (not a claim's checks).
func (f *fileScrub) add(fd finding.Finding) {
	f.res.Findings = append(f.res.Findings, fd)
	f.handOver()
}

// handOver gives the findings so far to the Scrubber's sink once there are
// enough of them (see Options.FindingSink).
func (f *fileScrub) handOver() {
	o, res := &f.s.o, f.res
	if o.FindingSink == nil || len(res.Findings) < o.SinkEvery {
		return
	}
	finding.Sort(res.Findings)
	o.FindingSink(res.Index, res.Findings)
	clear(res.Findings) // the strings are the sink's business now
	res.Findings = res.Findings[:0]
}
