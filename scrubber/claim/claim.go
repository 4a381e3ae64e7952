// Package claim reads 837P (005010X222A1) claims from X12 segments: the
// HL loops of billing provider, subscriber and patient, the 2300 claim and
// its 2400 service lines, as the checks need them.
//
// A Reader streams: it holds the header context of the open loops and the
// segments of the open claim, nothing more, and builds no strings while it
// reads. It returns only the claims the caller asked for (a line billing
// the procedure of interest, or a related code); every other claim costs a
// few byte copies and is only counted. Problems of the claims' structure
// (an HL whose parent is missing, a claim outside a subscriber, a service
// line without LX, a transaction that is not 837P) and the X12 reader's own
// errors come from Next as *Error, positioned, in file order with the
// claims.
package claim

import "github.com/scrub837/scrub837/x12io"

// Pos is where a value was read: the segment's 1-based number in the file
// and the byte offset of its first byte. A finding points at the Pos of the
// segment that proves it. The zero Pos means "not present".
type Pos struct {
	Segment int64
	Offset  int64
}

// IsZero reports whether the value was absent.
func (p Pos) IsZero() bool { return p.Segment == 0 }

// Claim is one 2300 claim with its context. Values are as written in the
// file (trimmed of nothing); absent values are "".
type Claim struct {
	File      string         // Options.File
	FileIndex int            // Options.FileIndex
	Envelope  x12io.Envelope // ISA13, GS06/GS08, ST01/ST02/ST03

	// 2000A billing provider
	BillingTaxonomy    string // PRV*BI*PXC*code (PRV03)
	BillingTaxonomyPos Pos
	BillingNPI         string // 2010AA NM1*85 NM109 (when NM108 is XX)
	BillingNPIPos      Pos

	// 2000B subscriber / 2000C patient
	MemberID    string // 2010BA NM1*IL NM109
	MemberIDPos Pos
	HasPatient  bool   // the claim sits under a 2000C patient HL
	PayerName   string // 2010BB NM1*PR NM103
	PayerID     string // 2010BB NM1*PR NM109
	PayerPos    Pos
	PayerGroup  string // Options.PayerGroup of the payer

	// 2300 claim
	ID             string      // CLM01
	Pos            Pos         // the CLM segment
	TotalCharge    string      // CLM02
	PlaceOfService string      // CLM05-1
	Frequency      string      // CLM05-3 as written: 1 original, 7 replacement, 8 void
	OriginalRef    string      // 2300 REF*F8, REF02: the payer's number of the claim a replacement or void stands for
	Diagnoses      []Diagnosis // HI codes qualified ABK, ABF (or ICD-9 BK, BF), in order; others are not pointable

	// 2310B rendering provider
	RenderingNPI         string // NM1*82 NM109
	RenderingNPIPos      Pos
	RenderingTaxonomy    string // PRV*PE*PXC*code
	RenderingTaxonomyPos Pos

	Lines []Line
	// TargetLines is how many lines bill Options.Procedure (SV101 HC:code).
	TargetLines int

	// NPIs are the claim's provider NPIs (NM109 of an NM1 whose NM108 is
	// XX) in file order: 2010AA billing, 2310A referring or primary care,
	// 2310B rendering, 2310C service facility, then each line's 2420A
	// rendering. NPI-INVALID checks them.
	NPIs []ProviderNPI
}

// ProviderNPI is one NPI of a claim's providers.
type ProviderNPI struct {
	Loop   string // 2010AA, 2310A, 2310B, 2310C or 2420A
	Entity string // NM101: 85 billing, DN referring, P3 primary care, 82 rendering, 77 service facility
	NPI    string // NM109 as written
	Pos    Pos    // the NM1 segment
	Line   int    // 2420A: the index of its line in Claim.Lines; -1 for the claim's own loops
}

// Diagnosis is one HI code. Pointer is its 1-based position among the
// claim's diagnoses, the number an SV107 pointer names.
type Diagnosis struct {
	Qualifier string // ABK, ABF, or ICD-9 BK, BF (other HI qualifiers are not diagnoses)
	Code      string // as written, e.g. I70234
	Pointer   int
	Pos       Pos // the HI segment
}

// Line is one 2400 service line.
type Line struct {
	Number         int // LX01 (0 if missing or not a number)
	LXPos          Pos
	SV1Pos         Pos
	Qualifier      string   // SV101-1, e.g. HC
	Procedure      string   // SV101-2
	Modifiers      []string // SV101-3..6 in order, empty ones dropped
	Charge         string   // SV102
	UnitBasis      string   // SV103
	Units          string   // SV104
	PlaceOfService string   // SV105 ("" when not given: use the claim's)
	// Pointers are SV107-1..4 as written, in order; an empty pointer between
	// two others is kept as "" so DX-POINTER-INVALID can see it.
	Pointers []string

	DateQualifier string // DTP02: D8 or RD8
	ServiceDate   string // DTP03, e.g. 20260115 or 20260115-20260116
	DatePos       Pos    // the DTP*472 segment; zero when missing

	RenderingNPI         string // 2420A NM1*82
	RenderingNPIPos      Pos
	RenderingTaxonomy    string // 2420A PRV*PE
	RenderingTaxonomyPos Pos
}

// PointedDiagnoses are the codes the line's pointers name, in pointer
// order; pointers that name nothing are left out.
func (c *Claim) PointedDiagnoses(l *Line) []string {
	var out []string
	for _, p := range l.Pointers {
		n := 0
		for _, ch := range []byte(p) {
			if ch < '0' || ch > '9' {
				n = 0
				break
			}
			n = n*10 + int(ch-'0')
		}
		if n >= 1 && n <= len(c.Diagnoses) {
			out = append(out, c.Diagnoses[n-1].Code)
		}
	}
	return out
}
