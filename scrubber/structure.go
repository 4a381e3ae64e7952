package scrubber

import (
	"fmt"
	"strings"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/scrubber/rules"
	"github.com/scrub837/scrub837/x12io"
)

// X12 structure rules: built in, not in the pack (their source is "").
var (
	ruleX12Envelope    = builtin(rules.X12Envelope)
	ruleX12Syntax      = builtin(rules.X12Syntax)
	ruleX12Not837P     = builtin(rules.X12Not837P)
	ruleX12Version     = builtin(rules.X12Version)
	ruleFileUnreadable = builtin(rules.FileUnreadable)
)

// builtin is a built-in rule at its catalogue severity.
func builtin(id rules.ID) pack.Rule { return pack.Rule{ID: id, Severity: id.Rule().Severity} }

// problem records the finding of a claim reader's *claim.Error. One about a
// claim (ClaimPos) makes that claim's worst severity at least the rule's; a
// fatal or truncating reader error fails the file.
func (f *fileScrub) problem(e *claim.Error) {
	rule, suggestion := structureRule(e)
	res := f.res
	fd := finding.Finding{
		FileIndex:     res.Index,
		File:          res.Name,
		ISAControl:    e.Envelope.ISAControl,
		GSControl:     e.Envelope.GSControl,
		STControl:     e.Envelope.STControl,
		SegmentNumber: e.Pos.Segment,
		ByteOffset:    e.Pos.Offset,
		RuleID:        rule.ID.String(),
		Severity:      rule.Severity,
		Message:       e.Message,
		Suggestion:    suggestion,
	}
	if !e.ClaimPos.IsZero() {
		fd.ClaimID, fd.ClaimOffset = e.ClaimID, e.ClaimPos.Offset
		if f.worstAt != e.ClaimPos {
			f.worstAt, f.worst = e.ClaimPos, 0
		}
		f.worst = max(f.worst, rule.Severity)
	}
	switch {
	case e.Fatal():
		res.Status, res.Error = StatusFailed, e.Err.Error()
	case e.Err != nil && e.Err.Truncated && res.Status != StatusFailed:
		// A cut-off file was not read to its end: it fails (exit 3), though
		// what it held was scrubbed.
		res.Status, res.Error = StatusFailed, "truncated: "+e.Err.Error()
	}
	f.add(fd)
}

// structureRule is the rule and the suggestion of a claim reader's error.
func structureRule(e *claim.Error) (pack.Rule, string) {
	switch e.Kind {
	case claim.KindReader:
		switch {
		case e.Fatal() && e.Err.Kind == x12io.KindBadISA:
			return ruleX12Syntax, fatalSuggestion(e.Err)
		case e.Fatal():
			return ruleFileUnreadable, fatalSuggestion(e.Err)
		case e.Err.Kind.IsEnvelope():
			return ruleX12Envelope, readerSuggestion(e.Err)
		}
		return ruleX12Syntax, readerSuggestion(e.Err)
	case claim.KindNotProfessional:
		return ruleX12Not837P, not837PSuggestion(e.Envelope)
	case claim.KindGuideVersion:
		return ruleX12Version, versionSuggestion
	}
	return ruleX12Syntax, syntaxSuggestions[e.Kind]
}

// Unreadable's finding.
func unreadableFinding(index int, name string, err error) finding.Finding {
	return finding.Finding{
		FileIndex:  index,
		File:       name,
		RuleID:     ruleFileUnreadable.ID.String(),
		Severity:   ruleFileUnreadable.Severity,
		Message:    fmt.Sprintf("the file could not be read: %v", err),
		Suggestion: "check that the file exists, is readable and, if compressed, is a complete gzip file; else ask the sender to resend it",
	}
}

func readerSuggestion(e *x12io.Error) string {
	switch e.Kind {
	case x12io.KindControlMismatch:
		return "make each trailer repeat its header's control number (SE02 = ST02, GE02 = GS06, IEA02 = ISA13): ask the sender to correct and resend the file"
	case x12io.KindCountMismatch:
		var name string
		var said, counted int
		if n, _ := fmt.Sscanf(e.Message, "%s says %d but %d", &name, &said, &counted); n == 3 {
			return fmt.Sprintf("fix %s to %d (ask the sender to correct and resend the file)", name, counted)
		}
		if i := strings.Index(e.Message, "counted "); i >= 0 {
			var counted int
			if _, err := fmt.Sscanf(e.Message[i:], "counted %d", &counted); err == nil {
				return fmt.Sprintf("fix %s to %d (ask the sender to correct and resend the file)", strings.Fields(e.Message)[0], counted)
			}
		}
		return "fix the trailer's count to what the envelope holds (ask the sender to correct and resend the file)"
	case x12io.KindMissingTrailer:
		return "the file looks truncated or badly assembled: ask the sender to resend the complete file"
	case x12io.KindUnexpectedSegment:
		return "envelopes must nest ISA > GS > ST ... SE > GE > IEA: ask the sender to fix the envelope and resend the file"
	case x12io.KindBadISA, x12io.KindISALayout:
		return "the ISA must be the fixed 106 bytes with padded elements: ask the sender to fix their translator and resend the file"
	case x12io.KindSegmentTooLong:
		return "a segment terminator is probably missing or wrong here: ask the sender to resend the file"
	case x12io.KindBadSegmentID:
		return "correct or remove the segment (IDs are 2-3 upper-case letters or digits) and ask the sender to resend the file"
	case x12io.KindUnterminated:
		return "the file looks truncated: ask the sender to resend the complete file"
	}
	return "ask the sender to resend the file"
}

func fatalSuggestion(e *x12io.Error) string {
	switch e.Kind {
	case x12io.KindIO:
		return "check the file or the storage it is on, then scrub it again; else ask the sender to resend the file"
	case x12io.KindBadISA:
		return "the ISA must be the fixed 106 bytes with its 16 elements and separators: ask the sender to resend the file"
	}
	if strings.Contains(e.Message, "gzip") {
		return "name the file with .gz so it is decompressed, or decompress it first"
	}
	if e.Segment > 0 {
		return "the file is damaged from this point on: ask the sender to resend the file"
	}
	return "check that this is the 837P file you meant to scrub (it must start with ISA); else ask the sender to resend the file"
}

func not837PSuggestion(env x12io.Envelope) string {
	if env.STType == "837" {
		return "scrub837 checks 837P (" + claim.Guide837P + ") only: check this transaction with the tool for its type, or ask the sender for the 837P version"
	}
	return "scrub837 checks 837P claims only: this is not a claim file for it; check that the right file was sent"
}

const versionSuggestion = "confirm with the sender which 837P guide the file follows; HIPAA transactions must use " + claim.Guide837P

// syntaxSuggestions are the suggestions of the claim reader's own
// X12-SYNTAX findings.
var syntaxSuggestions = map[claim.Kind]string{
	claim.KindHLParent:         "fix HL02 to name the HL01 of the parent loop read before it (a subscriber HL 22 names its billing provider HL 20, a patient HL 23 its subscriber HL 22)",
	claim.KindClaimOutsideHL:   "put each claim (CLM) under a subscriber HL (HL03 22) or a patient HL (HL03 23)",
	claim.KindLineOutsideClaim: "put each service line (LX) after the CLM of its claim",
	claim.KindSV1WithoutLX:     "start each service line with an LX (line counter) before its SV1",
}
