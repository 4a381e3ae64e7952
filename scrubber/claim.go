package scrubber

import (
	"slices"

	"github.com/scrub837/scrub837/x12io"
)

// Pos is where a value was read: the segment's 1-based number in the file
// and the byte offset of its first byte. A finding points at the Pos of the
// segment that proves it. The zero Pos means "not present".
type Pos struct {
	Segment int64
	Offset  int64
}

// IsZero reports whether the value was absent.
func (p Pos) IsZero() bool { return p.Segment == 0 }

// Claim is one 2300 claim with its context, as the checks see it. Values are
// as written in the file (trimmed of nothing); absent values are "".
type Claim struct {
	File      string // input name as given by the user
	FileIndex int
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
	PayerGroup  string // from the pack's payer-group patterns

	// 2300 claim
	ID             string      // CLM01
	Pos            Pos         // the CLM segment
	TotalCharge    string      // CLM02
	PlaceOfService string      // CLM05-1
	Diagnoses      []Diagnosis // HI codes qualified ABK, ABF (or ICD-9 BK, BF), in order; others are not pointable

	// 2310B rendering provider
	RenderingNPI         string // NM1*82 NM109
	RenderingNPIPos      Pos
	RenderingTaxonomy    string // PRV*PE*PXC*code
	RenderingTaxonomyPos Pos

	Lines []Line
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

// clone is a deep copy of c, whose lists may live in the walker's scratch.
func (c *Claim) clone() *Claim {
	out := *c
	out.Diagnoses = slices.Clone(c.Diagnoses)
	out.Lines = slices.Clone(c.Lines)
	for i := range out.Lines {
		out.Lines[i].Modifiers = slices.Clip(slices.Clone(out.Lines[i].Modifiers))
		out.Lines[i].Pointers = slices.Clip(slices.Clone(out.Lines[i].Pointers))
	}
	return &out
}
