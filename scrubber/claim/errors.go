package claim

import (
	"fmt"
	"strings"

	"github.com/scrub837/scrub837/x12io"
)

// Kind is what a structure problem is about.
type Kind uint8

// Kinds of structure problems.
const (
	// KindReader is an error of the X12 reader: Error.Err holds it.
	KindReader Kind = iota + 1
	// KindHLParent is an HL whose parent is missing, of the wrong level,
	// or not the loop open before it.
	KindHLParent
	// KindClaimOutsideHL is a CLM not under a subscriber or patient HL.
	KindClaimOutsideHL
	// KindLineOutsideClaim is an LX that is not inside a claim.
	KindLineOutsideClaim
	// KindSV1WithoutLX is an SV1 before its claim's first LX, or outside a
	// claim: it is not read as a line.
	KindSV1WithoutLX
	// KindNotProfessional is a transaction that is not an 837P: its claims
	// are counted, not returned. Pos is its ST.
	KindNotProfessional
	// KindGuideVersion is an 837P transaction of another 005010X222 guide
	// than 005010X222A1: read as 837P. Pos is its ST.
	KindGuideVersion
)

// Error is a problem of the claims' structure, or an error of the X12
// reader, where it is and, when it is inside one, the claim it is about.
type Error struct {
	Kind     Kind
	Pos      Pos            // the segment at fault (a transaction's ST)
	Envelope x12io.Envelope // the envelope it is in; zero for a broken ISA
	ClaimID  string         // CLM01 of the claim it is about; "" for none
	ClaimPos Pos            // that claim's CLM; zero for none
	// Message says what is wrong, in words, without a final period; for a
	// reader error, what the reader said and how far reading got.
	Message string
	Err     *x12io.Error // KindReader: the reader's error
}

func (e *Error) Error() string {
	return fmt.Sprintf("segment %d at byte %d: %s", e.Pos.Segment, e.Pos.Offset, e.Message)
}

// Unwrap returns the reader's error, if any.
func (e *Error) Unwrap() error {
	if e.Err == nil {
		return nil
	}
	return e.Err
}

// Fatal reports whether reading stopped at the error: Next returns io.EOF
// after it.
func (e *Error) Fatal() bool { return e.Err != nil && e.Err.Fatal }

// The 837P implementation guide HIPAA adopted, and its family.
const (
	Guide837P       = "005010X222A1"
	guide837PFamily = "005010X222"
)

// transactionKind is what an ST says the transaction is.
type transactionKind struct {
	is837P  bool
	version bool   // 837P, but not the HIPAA-adopted 005010X222A1
	what    string // "an 837I institutional claim"
	guide   string // ST03, else GS08
}

// otherGuides are the 837 guides that are not 837P, by prefix, first
// match wins.
var otherGuides = []struct{ prefix, what string }{
	{"005010X223", "an 837I institutional claim"},
	{"005010X224", "an 837D dental claim"},
	{"004010X098", "a 4010-era 837P professional claim"},
	{"004010X096", "a 4010-era 837I institutional claim"},
	{"004010X097", "a 4010-era 837D dental claim"},
	{"00401", "a 4010-era 837 claim"},
}

// classifyTransaction decides from ST01 and ST03 (else GS08) whether a
// transaction is an 837P to read.
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
	if strings.HasPrefix(guide, guide837PFamily) {
		k.is837P = true
		k.version = guide != Guide837P
		k.what = "an 837P professional claim"
		return k
	}
	switch guide {
	case "":
		k.what = "an 837 that names no implementation guide in ST03 or GS08"
	default:
		k.what = "an 837 with an unrecognised implementation guide"
		for _, g := range otherGuides {
			if strings.HasPrefix(guide, g.prefix) {
				k.what = g.what
				break
			}
		}
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
	m += ", not 837P (" + Guide837P + "): skipped"
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

func versionMessage(env x12io.Envelope, guide string) string {
	return fmt.Sprintf("transaction %s declares implementation guide %s, not the HIPAA-adopted %s: scrubbed as 837P", env.STControl, guide, Guide837P)
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

// plainMessage trims a trailing period, so that a message can go on.
func plainMessage(m string) string { return strings.TrimSuffix(m, ".") }

// hlName names an HL for messages: "HL 3" when its ID is a number, as
// real files write them; otherwise the segment by its place, because the
// bytes of a malformed segment are not quoted into reports.
func hlName(id []byte, pos Pos) string {
	if _, ok := numericID(id); ok {
		return "HL " + string(id)
	}
	return fmt.Sprintf("the HL segment at byte %d (its ID is not a number)", pos.Offset)
}

// hlParentName names the HL an HL02 points to: "HL 2", or a description.
func hlParentName(parent []byte) string {
	if _, ok := numericID(parent); ok {
		return "HL " + string(parent)
	}
	return "an HL whose ID is not a number"
}

func hlNoParentMessage(id []byte, pos Pos, level uint8) string {
	want := "billing provider HL (20)"
	if level == levelPatient {
		want = "subscriber HL (22)"
	}
	return fmt.Sprintf("%s is %s but names no parent (HL02 is empty); it must name its %s", hlName(id, pos), levelNames[level], want)
}

func hlMissingParentMessage(id []byte, pos Pos, parent []byte) string {
	return fmt.Sprintf("%s names parent %s, which has not been read in this transaction", hlName(id, pos), hlParentName(parent))
}

func hlWrongParentMessage(id []byte, pos Pos, parent []byte, level, got uint8) string {
	want := levelNames[levelBilling]
	if level == levelPatient {
		want = levelNames[levelSubscriber]
	}
	return fmt.Sprintf("%s is %s, so its parent must be %s, but parent %s is %s", hlName(id, pos), levelNames[level], want, hlParentName(parent), levelNames[got])
}

func hlNotOpenParentMessage(id []byte, pos Pos, parent []byte, level uint8, open []byte) string {
	what := "billing provider"
	if level == levelPatient {
		what = "subscriber"
	}
	name, parentName := hlName(id, pos), hlParentName(parent)
	if len(open) == 0 {
		return fmt.Sprintf("%s names parent %s, but no %s loop is open here: child loops must follow their parent", name, parentName, what)
	}
	openName := hlParentName(open)
	return fmt.Sprintf("%s names parent %s, but the %s loop open here is %s: child loops must follow their parent (its claims are read with %s's context)", name, parentName, what, openName, openName)
}

// clmOutsideMessage describes the claim by its place, not its CLM01: the
// finding's claim column names the claim.
func clmOutsideMessage(level uint8, pos Pos) string {
	where := "before any HL"
	if level != levelNone {
		where = "under " + levelNames[level]
	}
	return fmt.Sprintf("the CLM segment at byte %d is %s, not under a subscriber HL (22) or patient HL (23): its claim has no subscriber or payer", pos.Offset, where)
}

func lxOutsideMessage(pos Pos) string {
	return fmt.Sprintf("the service line (LX) at byte %d is not inside a claim (no CLM since the last HL)", pos.Offset)
}

func sv1WithoutLXMessage(inClaim bool) string {
	if inClaim {
		return "SV1 comes before any LX in its claim: a service line must start with LX; this SV1 was not read as a line"
	}
	return "SV1 is not inside a claim and has no LX before it: it was not read as a line"
}
