package scrubber

import (
	"strings"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/finding"
)

// claimSinkEvery is how many claim summaries a Scrub keeps before it hands
// them to Options.ClaimSink: their strings keep each claim's bytes alive,
// so a few hundred at a time, not a file's worth.
const claimSinkEvery = 256

// summaries gathers a Scrub's claim summaries until they go to the sink.
type summaries struct {
	run   []finding.ClaimSummary
	lines []finding.ClaimLine // the Lines of run's summaries, one after the other
}

// summarize adds the summary of target claim c, and hands the run so far
// to the sink when it is long enough.
func (f *fileScrub) summarize(c *claim.Claim) {
	sink := f.s.o.ClaimSink
	if sink == nil {
		return
	}
	sm := &f.summaries
	start := len(sm.lines)
	date := ""
	for i := range c.Lines {
		l := &c.Lines[i]
		if !isTargetLine(f.s.pack, l) {
			continue
		}
		npi := l.RenderingNPI
		if l.RenderingNPIPos.IsZero() {
			npi = c.RenderingNPI
		}
		first := firstDate(l.ServiceDate)
		if first != "" && (date == "" || first < firstDate(date)) {
			date = l.ServiceDate
		}
		sm.lines = append(sm.lines, finding.ClaimLine{
			Number:       l.Number,
			Segment:      l.SV1Pos.Segment,
			Offset:       l.SV1Pos.Offset,
			ServiceDate:  first,
			Side:         finding.SideOf(l.Modifiers),
			RenderingNPI: npi,
		})
	}
	res := f.res
	sm.run = append(sm.run, finding.ClaimSummary{
		FileIndex:    res.Index,
		File:         res.Name,
		ClaimOffset:  c.Pos.Offset,
		ClaimID:      c.ID,
		ISAControl:   c.Envelope.ISAControl,
		GSControl:    c.Envelope.GSControl,
		STControl:    c.Envelope.STControl,
		Frequency:    c.Frequency,
		OriginalRef:  c.OriginalRef,
		ServiceDate:  date,
		TargetLines:  c.TargetLines,
		TotalCharge:  c.TotalCharge,
		PayerName:    c.PayerName,
		PayerID:      c.PayerID,
		PayerGroup:   c.PayerGroup,
		BillingNPI:   c.BillingNPI,
		RenderingNPI: c.RenderingNPI,
		MemberID:     c.MemberID,
		// A full slice expression: appending the next claim's lines
		// cannot overwrite these.
		Lines: sm.lines[start:len(sm.lines):len(sm.lines)],
	})
	if len(sm.run) >= claimSinkEvery {
		f.handOverClaims()
	}
}

// handOverClaims gives the summaries so far to the sink.
func (f *fileScrub) handOverClaims() {
	sm := &f.summaries
	if len(sm.run) == 0 {
		return
	}
	f.s.o.ClaimSink(f.res.Index, sm.run)
	clear(sm.run) // let the claims' bytes go
	clear(sm.lines)
	sm.run, sm.lines = sm.run[:0], sm.lines[:0]
}

// firstDate is the first date of a DTP*472 value: the date itself
// (CCYYMMDD), or the start of a range (CCYYMMDD-CCYYMMDD).
func firstDate(date string) string {
	if i := strings.IndexByte(date, '-'); i >= 0 {
		return date[:i]
	}
	return date
}
