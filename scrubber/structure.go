package scrubber

import (
	"fmt"
	"strings"

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

// The 837P implementation guide HIPAA adopted, and its family.
const (
	guide837P       = "005010X222A1"
	guide837PFamily = "005010X222"
)

// structureFinding records a structure finding. inClaim attributes it to
// the open claim (claim ID and offset, and the claim's worst severity).
func (w *walker) structureFinding(rule pack.Rule, env x12io.Envelope, pos Pos, inClaim bool, message, suggestion string) {
	f := finding.Finding{
		FileIndex:     w.res.Index,
		File:          w.res.Name,
		ISAControl:    env.ISAControl,
		GSControl:     env.GSControl,
		STControl:     env.STControl,
		SegmentNumber: pos.Segment,
		ByteOffset:    pos.Offset,
		RuleID:        rule.ID.String(),
		Severity:      rule.Severity,
		Source:        string(rule.Source),
		Message:       message,
		Suggestion:    suggestion,
	}
	if inClaim && w.inClaim {
		f.ClaimID = w.claimID()
		f.ClaimOffset = w.claimPos.Offset
		w.claimWorst = max(w.claimWorst, rule.Severity)
	}
	w.res.Findings = append(w.res.Findings, f)
	w.handOverFindings()
}

// syntax records an X12-SYNTAX finding of the walker's own (a segment it
// cannot place) in the open transaction.
func (w *walker) syntax(pos Pos, inClaim bool, message, suggestion string) {
	w.structureFinding(ruleX12Syntax, w.txEnv, pos, inClaim, message, suggestion)
}

// readerProblem turns a non-fatal reader error into a finding.
func (w *walker) readerProblem(e *x12io.Error) {
	rule := ruleX12Syntax
	if e.Kind.IsEnvelope() {
		rule = ruleX12Envelope
	}
	env := w.r.Envelope()
	if e.Kind == x12io.KindISALayout || e.Kind == x12io.KindBadISA {
		// About the ISA being read: the envelope so far is the previous one.
		env = x12io.Envelope{}
	}
	message := e.Message
	if e.Kind == x12io.KindMissingTrailer && w.inTx && strings.HasPrefix(message, "transaction") {
		message += "; " + claimsReadIn(w.txClaims, w.scrub) + " before the end"
	}
	// A malformed segment inside the open claim is about that claim.
	inClaim := false
	switch e.Kind {
	case x12io.KindBadSegmentID, x12io.KindSegmentTooLong, x12io.KindUnterminated:
		inClaim = w.inClaim && e.Offset > w.claimPos.Offset
	}
	w.structureFinding(rule, env, Pos{Segment: e.Segment, Offset: e.Offset}, inClaim,
		plainMessage(message), readerSuggestion(e))
	if e.Truncated && w.res.Status != StatusFailed {
		// A cut-off file was not read to its end: it fails (exit 3), though
		// what it held was scrubbed.
		w.res.Status = StatusFailed
		w.res.Error = "truncated: " + e.Error()
	}
}

// fatal ends the file: the open transaction is closed with what was read
// and the finding says how far reading got.
func (w *walker) fatal(e *x12io.Error) {
	inTx, scrub, txClaims, stControl := w.inTx, w.scrub, w.txClaims, w.txEnv.STControl
	w.endTransaction()
	rule := ruleFileUnreadable
	if e.Kind == x12io.KindBadISA {
		rule = ruleX12Syntax
	}
	env := w.r.Envelope()
	if e.Kind == x12io.KindBadISA {
		env = x12io.Envelope{}
	}
	message := plainMessage(e.Message)
	if e.Segment > 0 || w.res.Claims > 0 {
		message += fmt.Sprintf(". Reading stopped at byte %d: %s before the fault", e.Offset, plural(w.res.Claims, "claim was", "claims were")+" read")
		if inTx {
			message += fmt.Sprintf(" (%s in transaction %s, which was not read to its end)", claimsIn(txClaims, scrub), stControl)
		}
		message += "; the rest of the file was not read"
	}
	w.res.Status = StatusFailed
	w.res.Error = e.Error()
	w.structureFinding(rule, env, Pos{Segment: e.Segment, Offset: e.Offset}, false, message, fatalSuggestion(e))
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

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func claimsIn(n int, scrubbed bool) string {
	s := plural(n, "claim", "claims")
	if !scrubbed && n > 0 {
		s += ", not scrubbed"
	}
	return s
}

func claimsReadIn(n int, scrubbed bool) string {
	s := plural(n, "claim in it was read", "claims in it were read")
	if !scrubbed && n > 0 {
		s += " (not scrubbed: not 837P)"
	}
	return s
}

// plainMessage capitalises nothing and trims a trailing period, so the
// walker can append to reader messages.
func plainMessage(m string) string { return strings.TrimSuffix(m, ".") }

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

// transactionKind is what an ST says the transaction is.
type transactionKind struct {
	is837P  bool
	version bool   // 837P, but not the HIPAA-adopted 005010X222A1
	what    string // "an 837I institutional claim"
	guide   string // ST03, else GS08
}

// classifyTransaction decides from ST01 and ST03 (else GS08) whether a
// transaction is an 837P to scrub.
func classifyTransaction(env x12io.Envelope) transactionKind {
	guide := strings.TrimSpace(env.STVersion)
	if guide == "" {
		guide = strings.TrimSpace(env.GSVersion)
	}
	k := transactionKind{guide: guide}
	if env.STType != "837" {
		k.what = describeTransactionSet(env.STType)
		return k
	}
	switch {
	case strings.HasPrefix(guide, guide837PFamily):
		k.is837P = true
		k.version = guide != guide837P
		k.what = "an 837P professional claim"
	case strings.HasPrefix(guide, "005010X223"):
		k.what = "an 837I institutional claim"
	case strings.HasPrefix(guide, "005010X224"):
		k.what = "an 837D dental claim"
	case strings.HasPrefix(guide, "004010X098"):
		k.what = "a 4010-era 837P professional claim"
	case strings.HasPrefix(guide, "004010X096"):
		k.what = "a 4010-era 837I institutional claim"
	case strings.HasPrefix(guide, "004010X097"):
		k.what = "a 4010-era 837D dental claim"
	case strings.HasPrefix(guide, "00401"):
		k.what = "a 4010-era 837 claim"
	case guide == "":
		k.what = "an 837 that names no implementation guide in ST03 or GS08"
	default:
		k.what = "an 837 with an unrecognised implementation guide"
	}
	return k
}

func describeTransactionSet(st01 string) string {
	switch st01 {
	case "835":
		return "an 835 claim payment/remittance advice"
	case "999":
		return "a 999 implementation acknowledgment"
	case "997":
		return "a 997 functional acknowledgment"
	case "270":
		return "a 270 eligibility inquiry"
	case "271":
		return "a 271 eligibility response"
	case "276":
		return "a 276 claim status request"
	case "277":
		return "a 277 claim status response"
	case "278":
		return "a 278 services review"
	case "834":
		return "an 834 benefit enrollment"
	case "820":
		return "an 820 premium payment"
	case "":
		return "a transaction with no type (ST01 is empty)"
	}
	return "a " + st01 + " transaction"
}

func not837PMessage(env x12io.Envelope, what, guide string, claims int) string {
	m := fmt.Sprintf("transaction %s is %s", env.STControl, what)
	if guide != "" {
		m += " (" + guide + ")"
	}
	m += ", not 837P (" + guide837P + "): skipped"
	switch {
	case claims == 1:
		m += ", its 1 claim not scrubbed (it is still counted in claims)"
	case claims > 1:
		m += fmt.Sprintf(", its %d claims not scrubbed (they are still counted in claims)", claims)
	case env.STType == "837":
		m += " (it holds no claims)"
	}
	if strings.HasPrefix(guide, "00401") {
		m += "; HIPAA replaced 4010 with 5010 in 2012"
	}
	return m
}

func not837PSuggestion(env x12io.Envelope) string {
	if env.STType == "837" {
		return "scrub837 checks 837P (" + guide837P + ") only: check this transaction with the tool for its type, or ask the sender for the 837P version"
	}
	return "scrub837 checks 837P claims only: this is not a claim file for it; check that the right file was sent"
}

func versionMessage(env x12io.Envelope, guide string) string {
	return fmt.Sprintf("transaction %s declares implementation guide %s, not the HIPAA-adopted %s: scrubbed as 837P", env.STControl, guide, guide837P)
}

const versionSuggestion = "confirm with the sender which 837P guide the file follows; HIPAA transactions must use " + guide837P

// Messages and suggestions of the walker's own X12-SYNTAX findings.

const (
	hlParentSuggestion     = "fix HL02 to name the HL01 of the parent loop read before it (a subscriber HL 22 names its billing provider HL 20, a patient HL 23 its subscriber HL 22)"
	clmOutsideSuggestion   = "put each claim (CLM) under a subscriber HL (HL03 22) or a patient HL (HL03 23)"
	lxOutsideSuggestion    = "put each service line (LX) after the CLM of its claim"
	sv1WithoutLXSuggestion = "start each service line with an LX (line counter) before its SV1"
)

func hlNoParentMessage(id []byte, level uint8) string {
	want := "billing provider HL (20)"
	if level == levelPatient {
		want = "subscriber HL (22)"
	}
	return fmt.Sprintf("HL %s is %s but names no parent (HL02 is empty); it must name its %s", id, levelNames[level], want)
}

func hlMissingParentMessage(id, parent []byte) string {
	return fmt.Sprintf("HL %s names parent HL %s, which has not been read in this transaction", id, parent)
}

func hlWrongParentMessage(id, parent []byte, level, got uint8) string {
	want := levelNames[levelBilling]
	if level == levelPatient {
		want = levelNames[levelSubscriber]
	}
	return fmt.Sprintf("HL %s is %s, so its parent must be %s, but parent HL %s is %s", id, levelNames[level], want, parent, levelNames[got])
}

func hlNotOpenParentMessage(id, parent []byte, level uint8, open []byte) string {
	what := "billing provider"
	if level == levelPatient {
		what = "subscriber"
	}
	if len(open) == 0 {
		return fmt.Sprintf("HL %s names parent HL %s, but no %s loop is open here: child loops must follow their parent", id, parent, what)
	}
	return fmt.Sprintf("HL %s names parent HL %s, but the %s loop open here is HL %s: child loops must follow their parent (its claims are read with HL %s's context)", id, parent, what, open, open)
}

func clmOutsideMessage(level uint8, seg *x12io.Segment) string {
	where := "before any HL"
	if level != levelNone {
		where = "under " + levelNames[level]
	}
	return fmt.Sprintf("claim %q (CLM) is %s, not under a subscriber HL (22) or patient HL (23): it has no subscriber or payer", seg.Element(1), where)
}

func lxOutsideMessage(seg *x12io.Segment) string {
	return fmt.Sprintf("service line LX %q is not inside a claim (no CLM since the last HL)", seg.Element(1))
}

func sv1WithoutLXMessage(inClaim bool) string {
	if inClaim {
		return "SV1 comes before any LX in its claim: a service line must start with LX; this SV1 was not read as a line"
	}
	return "SV1 is not inside a claim and has no LX before it: it was not read as a line"
}
