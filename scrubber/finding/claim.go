package finding

import "encoding/binary"

// ClaimSummary is what the scrubber knows of one target claim (a claim that
// bills the pack's procedure): one per target claim, in input order.
// With the findings (which carry FileIndex and ClaimOffset) it makes the
// claim's worklist row in the reports; the claim history records it.
type ClaimSummary struct {
	FileIndex   int    // the input's place in the run, as Finding.FileIndex
	File        string // the input as named on the command line
	ClaimOffset int64  // byte offset of the CLM segment, as Finding.ClaimOffset
	ClaimID     string // CLM01
	ISAControl  string // ISA13, as Finding.ISAControl
	GSControl   string // GS06
	STControl   string // ST02
	Frequency   string // CLM05-3: 1 original, 7 replacement, 8 void
	// OriginalRef is the 2300 REF*F8 (REF02): the payer's number of the
	// claim a replacement or void stands for; "" when absent.
	OriginalRef string
	ServiceDate string // the earliest service date of its target lines, as billed (CCYYMMDD, or a range)
	TargetLines int    // its lines that bill the target procedure (len(Lines) when the scrubber made it)
	TotalCharge string // CLM02 as billed
	PayerName   string
	PayerID     string
	PayerGroup  string
	BillingNPI  string
	// RenderingNPI is the claim's rendering provider (2310B), else "".
	RenderingNPI string
	MemberID     string // whole; writers mask it unless told to show IDs
	// Lines are its target lines, in line order.
	Lines []ClaimLine
}

// ClaimLine is one target line of a claim.
type ClaimLine struct {
	Number  int   // LX01 (0 when missing or not a number)
	Segment int64 // the SV1 segment's 1-based number in the file
	Offset  int64 // the SV1 segment's byte offset, as Finding.ByteOffset
	// ServiceDate is the first date of service, CCYYMMDD: DTP*472's date,
	// or the start of its range; "" when the line has none.
	ServiceDate string
	Side        Side
	// RenderingNPI is the line's rendering provider (2420A), else the
	// claim's (2310B), else "".
	RenderingNPI string
}

// Side is the body side a line bills, from its modifiers.
type Side string

// Sides: RT gives right, LT left, 50 (bilateral) or both RT and LT both;
// none of them, no side.
const (
	SideNone  Side = ""
	SideRight Side = "R"
	SideLeft  Side = "L"
	SideBoth  Side = "B"
)

// SideOf is the side modifiers bill (SV101-3..6 as billed).
func SideOf(modifiers []string) Side {
	var right, left bool
	for _, m := range modifiers {
		switch m {
		case "50":
			return SideBoth
		case "RT":
			right = true
		case "LT":
			left = true
		}
	}
	switch {
	case right && left:
		return SideBoth
	case right:
		return SideRight
	case left:
		return SideLeft
	}
	return SideNone
}

func claimStrings(c *ClaimSummary) [15]*string {
	return [...]*string{&c.File, &c.ClaimID, &c.ISAControl, &c.GSControl, &c.STControl, &c.Frequency, &c.OriginalRef, &c.ServiceDate,
		&c.TotalCharge, &c.PayerName, &c.PayerID, &c.PayerGroup, &c.BillingNPI, &c.RenderingNPI, &c.MemberID}
}

// AppendClaim appends the encoding of c to dst.
func AppendClaim(dst []byte, c *ClaimSummary) []byte {
	for _, s := range claimStrings(c) {
		dst = appendString(dst, *s)
	}
	dst = binary.AppendVarint(dst, int64(c.FileIndex))
	dst = binary.AppendVarint(dst, c.ClaimOffset)
	dst = binary.AppendVarint(dst, int64(c.TargetLines))
	dst = binary.AppendUvarint(dst, uint64(len(c.Lines)))
	for i := range c.Lines {
		l := &c.Lines[i]
		dst = binary.AppendVarint(dst, int64(l.Number))
		dst = binary.AppendVarint(dst, l.Segment)
		dst = binary.AppendVarint(dst, l.Offset)
		dst = appendString(dst, l.ServiceDate)
		dst = appendString(dst, string(l.Side))
		dst = appendString(dst, l.RenderingNPI)
	}
	return dst
}

// ReadClaim decodes the claim summary AppendClaim wrote at the start of b
// and returns the rest of b. The summary's strings are its own.
func ReadClaim(b []byte) (ClaimSummary, []byte, error) {
	var c ClaimSummary
	d := decoder{b: b, view: true}
	for _, s := range claimStrings(&c) {
		*s = d.str()
	}
	c.FileIndex = int(d.varint())
	c.ClaimOffset = d.varint()
	c.TargetLines = int(d.varint())
	if n := d.count(); n > 0 {
		c.Lines = make([]ClaimLine, n)
		for i := range c.Lines {
			l := &c.Lines[i]
			l.Number, l.Segment, l.Offset = int(d.varint()), d.varint(), d.varint()
			l.ServiceDate, l.Side, l.RenderingNPI = d.str(), Side(d.str()), d.str()
		}
	}
	if d.bad {
		return ClaimSummary{}, nil, ErrCorrupt
	}
	o := d.owner(b)
	for _, s := range claimStrings(&c) {
		o.own(s)
	}
	for i := range c.Lines {
		l := &c.Lines[i]
		o.own(&l.ServiceDate)
		o.own((*string)(&l.Side))
		o.own(&l.RenderingNPI)
	}
	return c, d.b, nil
}
