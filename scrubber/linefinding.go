package scrubber

import (
	"slices"
	"strings"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/pack"
)

// lineFinding fills a finding's columns from the claim and, when l is not
// nil, the service line it is about. pos is the segment that proves it. The
// finding owns its lists: the claim's are reused by the next claim.
func lineFinding(c *claim.Claim, l *claim.Line, rule pack.Rule, pos claim.Pos, message, suggestion string) finding.Finding {
	f := lineFindingView(c, l, rule, pos, message, suggestion)
	f.Modifiers = slices.Clip(slices.Clone(f.Modifiers))
	f.DxPointers = slices.Clip(slices.Clone(f.DxPointers))
	return f
}

// detach gives the finding's claim values (ClaimID, the line's codes and
// amounts, payer, providers, member, the listed modifiers, pointers and
// diagnoses) storage of their own, one string for all. They are substrings
// of the claim's bytes (one string per claim, see package claim), which a
// kept finding would otherwise keep alive whole: about 1 KB per finding
// for a few bytes of values. The lists must be the finding's own (as
// lineFinding makes them).
func detach(f *finding.Finding) {
	fields := [...]*string{&f.ClaimID, &f.Procedure, &f.Units, &f.Charge, &f.ServiceDate, &f.PlaceOfService,
		&f.PayerName, &f.PayerID, &f.BillingNPI, &f.RenderingNPI, &f.RenderingTaxonomy, &f.MemberID}
	lists := [...][]string{f.Modifiers, f.DxPointers, f.PointedDiagnoses}
	n := 0
	for _, p := range fields {
		n += len(*p)
	}
	for _, l := range lists {
		for _, s := range l {
			n += len(s)
		}
	}
	if n == 0 {
		return
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range fields {
		b.WriteString(*p)
	}
	for _, l := range lists {
		for _, s := range l {
			b.WriteString(s)
		}
	}
	all, at := b.String(), 0
	take := func(s string) string {
		at += len(s)
		return all[at-len(s) : at]
	}
	for _, p := range fields {
		*p = take(*p)
	}
	for _, l := range lists {
		for i := range l {
			l[i] = take(l[i])
		}
	}
}

// lineFindingView is lineFinding whose Modifiers and DxPointers are the
// line's own: valid only while the claim is, for callers that pack the
// finding at once.
func lineFindingView(c *claim.Claim, l *claim.Line, rule pack.Rule, pos claim.Pos, message, suggestion string) finding.Finding {
	f := finding.Finding{
		FileIndex:         c.FileIndex,
		ClaimOffset:       c.Pos.Offset,
		File:              c.File,
		ISAControl:        c.Envelope.ISAControl,
		GSControl:         c.Envelope.GSControl,
		STControl:         c.Envelope.STControl,
		ClaimID:           c.ID,
		SegmentNumber:     pos.Segment,
		ByteOffset:        pos.Offset,
		RuleID:            rule.ID.String(),
		Severity:          rule.Severity,
		Source:            string(rule.Source),
		Message:           message,
		Suggestion:        suggestion,
		PlaceOfService:    c.PlaceOfService,
		PayerName:         c.PayerName,
		PayerID:           c.PayerID,
		PayerGroup:        c.PayerGroup,
		BillingNPI:        c.BillingNPI,
		RenderingNPI:      c.RenderingNPI,
		RenderingTaxonomy: c.RenderingTaxonomy,
		MemberID:          c.MemberID,
	}
	if f.RenderingTaxonomy == "" {
		f.RenderingTaxonomy = c.BillingTaxonomy
	}
	if l == nil {
		return f
	}
	f.LineNumber = l.Number
	f.Procedure = l.Procedure
	f.Modifiers = l.Modifiers
	f.Units = l.Units
	f.Charge = l.Charge
	f.ServiceDate = l.ServiceDate
	if l.PlaceOfService != "" {
		f.PlaceOfService = l.PlaceOfService
	}
	f.DxPointers = l.Pointers
	f.PointedDiagnoses = c.PointedDiagnoses(l)
	if l.RenderingNPI != "" {
		f.RenderingNPI = l.RenderingNPI
	}
	if l.RenderingTaxonomy != "" {
		f.RenderingTaxonomy = l.RenderingTaxonomy
	}
	return f
}
