package scrubber

import (
	"fmt"
	"strings"
	"time"

	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// HIST-DUPLICATE (scrubber/RULES.md, "Claim history") compares a night's
// target lines with the claims earlier runs recorded. The lookup is the
// command's (it owns the history, package scrubber/history); the finding's
// words are here, with every other rule's.

// EarlierClaim is a claim that an earlier run recorded as gone out (ready
// or review) for the same patient, date of service and side as a line of
// tonight's.
type EarlierClaim struct {
	RunID   string
	Started time.Time // the earlier run's start
	ClaimID string    // its CLM01
}

var ruleHistDuplicate = builtin(rules.HistDuplicate)

// HistDuplicate is the HIST-DUPLICATE finding of target line line of claim
// c, which earlier claims (oldest first, at least one) already billed.
// procedure is the pack's target code.
func HistDuplicate(procedure string, c *finding.ClaimSummary, line *finding.ClaimLine, earlier []EarlierClaim) finding.Finding {
	first := earlier[0]
	when := first.Started.UTC().Format("2006-01-02")
	msg := fmt.Sprintf("%s for this patient on %s, %s, already went out on claim %s in run %s of %s",
		procedure, isoDate(line.ServiceDate), sideWords(line.Side), first.ClaimID, first.RunID, when)
	if more := len(earlier) - 1; more > 0 {
		msg += fmt.Sprintf(" (and in %d later run%s)", more, plural(more))
	}
	suggestion := fmt.Sprintf("if it corrects %s, send it as a replacement (CLM05-3 = 7, REF*F8 = the payer's claim number) or void %s first; "+
		"if it is another service, check the date and side; else hold it: the payer denies duplicates. "+
		"(Patients match by payer and member ID: for a dependant, check it is the same person.)", first.ClaimID, first.ClaimID)
	return finding.Finding{
		FileIndex:     c.FileIndex,
		ClaimOffset:   c.ClaimOffset,
		File:          c.File,
		ISAControl:    c.ISAControl,
		GSControl:     c.GSControl,
		STControl:     c.STControl,
		ClaimID:       c.ClaimID,
		LineNumber:    line.Number,
		SegmentNumber: line.Segment,
		ByteOffset:    line.Offset,
		RuleID:        ruleHistDuplicate.ID.String(),
		Severity:      ruleHistDuplicate.Severity,
		Message:       msg,
		Suggestion:    suggestion,
		Procedure:     procedure,
		ServiceDate:   line.ServiceDate,
		PayerName:     c.PayerName,
		PayerID:       c.PayerID,
		PayerGroup:    c.PayerGroup,
		BillingNPI:    c.BillingNPI,
		RenderingNPI:  line.RenderingNPI,
		MemberID:      c.MemberID,
	}
}

// isoDate writes CCYYMMDD as CCYY-MM-DD (anything else as it is).
func isoDate(d string) string {
	if len(d) != 8 || strings.Trim(d, "0123456789") != "" {
		return d
	}
	return d[:4] + "-" + d[4:6] + "-" + d[6:]
}

// sideWords names a line's side for a message.
func sideWords(s finding.Side) string {
	switch s {
	case finding.SideRight:
		return "right side (RT)"
	case finding.SideLeft:
		return "left side (LT)"
	case finding.SideBoth:
		return "both sides (50)"
	}
	return "no side modifier"
}
