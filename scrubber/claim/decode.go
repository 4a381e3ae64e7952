package claim

import (
	"bytes"

	"github.com/scrub837/scrub837/x12io"
)

// rawClaim is a kept claim as bytes: its segments in an arena and the
// header context it was read in. The walker hands out views of its own
// buffers; the concurrent walk copies them into batches.
type rawClaim struct {
	arena       []byte
	segs        []segRef
	targetLines int
	env         x12io.Envelope
	delims      x12io.Delimiters
	billing     bool // a 2000A loop was open
	subscr      bool // a 2000B loop was open
	patient     bool // a 2000C loop was open
	headers     [numHeaders]savedSeg
}

// decoder turns raw claims into Claims. It allocates one string per claim
// (the arena's) and one per change of header context: the Claim, its
// lines, diagnoses, modifiers and pointers live in its scratch and are
// valid until the next claim.
type decoder struct {
	file      string
	fileIndex int
	group     func(id, name string) string // Options.PayerGroup

	claim       Claim
	lineScratch []Line
	strScratch  []string
	modSpans    []span
	ptrSpans    []span
	diagScratch []Diagnosis
	npiScratch  []ProviderNPI
	parts       [][]byte
	mseg        x12io.Segment
	hdrScratch  []byte

	// the header segments of the last claim and their values, remade only
	// when the segments change (a billing provider or subscriber has many
	// claims)
	headers    [numHeaders]savedSeg
	values     [numHeaders]headerValues
	payerGroup string // of the subscriber's payer
}

// headerValues are the values a header segment gives its claims.
type headerValues struct {
	a, b string // the elements headerElements names
	pos  Pos
}

// headerElements are the elements each header segment gives: PRV03 of
// PRV*BI (taxonomy), NM108 and NM109 of NM1*85 (ID qualifier, NPI), NM109 of
// NM1*IL (member ID), NM103 and NM109 of NM1*PR (payer name and ID).
var headerElements = [numHeaders][2]int{
	hdrPRVBI: {3, 0},
	hdrNM185: {8, 9},
	hdrNM1IL: {9, 0},
	hdrNM1PR: {3, 9},
}

// materializer turns kept bytes into strings: the buffer is converted to
// one string, and every value is a substring of it (one allocation for all
// the values).
type materializer struct {
	buf []byte
	str string
}

func newMaterializer(buf []byte) materializer { return materializer{buf: buf, str: string(buf)} }

// of returns the string of b, a sub-slice of buf. Values split from a
// segment kept in buf share its backing array, so their capacity tells
// where they start.
func (m *materializer) of(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	i := cap(m.buf) - cap(b)
	if i < 0 || i+len(b) > len(m.str) {
		return string(b) // not from buf: never expected, stay correct
	}
	return m.str[i : i+len(b)]
}

// span is a line's list (modifiers or pointers) in the claim's string
// scratch, until they are copied out.
type span struct{ start, end int }

// decode builds the Claim of raw.
func (d *decoder) decode(raw *rawClaim) *Claim {
	d.loadHeaders(raw)
	m := newMaterializer(raw.arena)
	delims := raw.delims
	seg := &d.mseg
	c := &d.claim
	*c = Claim{
		File:        d.file,
		FileIndex:   d.fileIndex,
		Envelope:    raw.env,
		HasPatient:  raw.patient,
		TargetLines: raw.targetLines,
	}
	if v := &d.values; raw.billing {
		c.BillingTaxonomy, c.BillingTaxonomyPos = v[hdrPRVBI].a, v[hdrPRVBI].pos
		if v[hdrNM185].a == "XX" {
			c.BillingNPI, c.BillingNPIPos = v[hdrNM185].b, v[hdrNM185].pos
		}
	}
	if v := &d.values; raw.subscr {
		// Under a 2000C patient too: member and payer are the subscriber's.
		c.MemberID, c.MemberIDPos = v[hdrNM1IL].a, v[hdrNM1IL].pos
		c.PayerName, c.PayerID, c.PayerPos = v[hdrNM1PR].a, v[hdrNM1PR].b, v[hdrNM1PR].pos
		c.PayerGroup = d.payerGroup
	} else if d.group != nil {
		c.PayerGroup = d.group("", "")
	}

	lines := 0
	for i := range raw.segs {
		if raw.segs[i].kind == segLX {
			lines++
		}
	}
	if lines > 0 {
		c.Lines = d.lineScratch[:0]
	}
	strs := d.strScratch[:0]
	mods := d.modSpans[:0]
	ptrs := d.ptrSpans[:0]
	diags := d.diagScratch[:0]
	npis := d.npiScratch[:0]
	if c.BillingNPI != "" {
		npis = append(npis, ProviderNPI{Loop: "2010AA", Entity: "85", NPI: c.BillingNPI, Pos: c.BillingNPIPos, Line: -1})
	}
	// npi adds the NPI of an NM1 whose NM108 is XX.
	npi := func(loop, entity string, line int) {
		if string(seg.Element(8)) == "XX" {
			npis = append(npis, ProviderNPI{Loop: loop, Entity: entity, NPI: m.of(seg.Element(9)), Pos: Pos{Segment: seg.Number, Offset: seg.Offset}, Line: line})
		}
	}
	var line *Line
	for i := range raw.segs {
		ref := &raw.segs[i]
		// Not a full slice expression: values keep the arena's capacity,
		// which materializer.of relies on.
		seg.Reset(raw.arena[ref.start:ref.end], delims, ref.pos.Segment, ref.pos.Offset)
		switch ref.kind {
		case segCLM:
			c.ID = m.of(seg.Element(1))
			c.Pos = ref.pos
			c.TotalCharge = m.of(seg.Element(2))
			c.PlaceOfService = m.of(seg.Component(5, 1))
			c.Frequency = m.of(seg.Component(5, 3))
		case segREFF8:
			if c.OriginalRef == "" {
				c.OriginalRef = m.of(seg.Element(2))
			}
		case segHI:
			for e := 1; e <= seg.NumElements(); e++ {
				d.parts = seg.Repetitions(e, d.parts[:0])
				for _, rep := range d.parts {
					q, code := splitQualifier(rep, delims.Component)
					if !pointable(q) {
						continue
					}
					diags = append(diags, Diagnosis{
						Qualifier: m.of(q), Code: m.of(code), Pointer: len(diags) + 1, Pos: ref.pos,
					})
				}
			}
		case segNM182:
			if c.RenderingNPIPos.IsZero() {
				c.RenderingNPI, c.RenderingNPIPos = m.of(seg.Element(9)), ref.pos
				npi("2310B", "82", -1)
			}
		case segNM1Referring:
			npi("2310A", m.of(seg.Element(1)), -1)
		case segNM1Facility:
			npi("2310C", "77", -1)
		case segPRVPE:
			if c.RenderingTaxonomyPos.IsZero() {
				c.RenderingTaxonomy, c.RenderingTaxonomyPos = m.of(seg.Element(3)), ref.pos
			}
		case segLX:
			c.Lines = append(c.Lines, Line{LXPos: ref.pos})
			line = &c.Lines[len(c.Lines)-1]
			line.Number = lxNumber(seg.Element(1))
			mods = append(mods, span{})
			ptrs = append(ptrs, span{})
		case segSV1:
			if line == nil {
				continue
			}
			k := len(c.Lines) - 1
			line.SV1Pos = ref.pos
			d.parts = seg.Components(1, d.parts[:0])
			mods[k].start = len(strs)
			for j, p := range d.parts {
				switch {
				case j == 0:
					line.Qualifier = m.of(p)
				case j == 1:
					line.Procedure = m.of(p)
				case j <= 5 && len(p) > 0:
					strs = append(strs, m.of(p))
				}
			}
			mods[k].end = len(strs)
			line.Charge = m.of(seg.Element(2))
			line.UnitBasis = m.of(seg.Element(3))
			line.Units = m.of(seg.Element(4))
			line.PlaceOfService = m.of(seg.Element(5))
			d.parts = seg.Components(7, d.parts[:0])
			last := len(d.parts) - 1
			for last >= 0 && len(d.parts[last]) == 0 {
				last--
			}
			ptrs[k].start = len(strs)
			for j := 0; j <= last; j++ {
				strs = append(strs, m.of(d.parts[j]))
			}
			ptrs[k].end = len(strs)
		case segDTP472:
			if line == nil || !line.DatePos.IsZero() {
				continue
			}
			line.DateQualifier = m.of(seg.Element(2))
			line.ServiceDate = m.of(seg.Element(3))
			line.DatePos = ref.pos
		case segLineNM182:
			if line != nil && line.RenderingNPIPos.IsZero() {
				line.RenderingNPI, line.RenderingNPIPos = m.of(seg.Element(9)), ref.pos
				npi("2420A", "82", len(c.Lines)-1)
			}
		case segLinePRVPE:
			if line != nil && line.RenderingTaxonomyPos.IsZero() {
				line.RenderingTaxonomy, line.RenderingTaxonomyPos = m.of(seg.Element(3)), ref.pos
			}
		}
	}
	if len(diags) > 0 {
		c.Diagnoses = diags
	}
	if len(npis) > 0 {
		c.NPIs = npis
	}
	// Full slice expressions: appending to one line's list cannot
	// overwrite the next.
	for k := range c.Lines {
		if s := mods[k]; s.end > s.start {
			c.Lines[k].Modifiers = strs[s.start:s.end:s.end]
		}
		if s := ptrs[k]; s.end > s.start {
			c.Lines[k].Pointers = strs[s.start:s.end:s.end]
		}
	}
	if lines > 0 {
		d.lineScratch = c.Lines[:0] // keep what appending grew
	}
	d.strScratch, d.modSpans, d.ptrSpans, d.diagScratch, d.npiScratch = strs[:0], mods[:0], ptrs[:0], diags[:0], npis[:0]
	return c
}

// lxNumber reads LX01 (0 when missing or not a number).
func lxNumber(b []byte) int {
	if len(b) == 0 || len(b) > 6 {
		return 0
	}
	n := 0
	for _, ch := range b {
		if ch < '0' || ch > '9' {
			return 0
		}
		n = n*10 + int(ch-'0')
	}
	return n
}

// splitQualifier splits an HI composite into qualifier and code.
func splitQualifier(b []byte, comp byte) (q, code []byte) {
	i := bytes.IndexByte(b, comp)
	if i < 0 {
		return b, nil
	}
	code = b[i+1:]
	if j := bytes.IndexByte(code, comp); j >= 0 {
		code = code[:j]
	}
	return b[:i], code
}

// pointable reports whether an HI qualifier is a diagnosis an SV107
// pointer can name: ICD-10 ABK (principal) / ABF, or ICD-9 BK / BF.
func pointable(q []byte) bool {
	switch string(q) {
	case "ABK", "ABF", "BK", "BF":
		return true
	}
	return false
}

// loadHeaders keeps the claim's header segments and makes the values of
// those that changed, as substrings of one string.
func (d *decoder) loadHeaders(raw *rawClaim) {
	var changed [numHeaders]bool
	var at [numHeaders + 1]int
	buf := d.hdrScratch[:0]
	for i := range raw.headers {
		h, have := &raw.headers[i], &d.headers[i]
		at[i] = len(buf)
		if have.ok == h.ok && have.pos == h.pos && bytes.Equal(have.data, h.data) {
			continue
		}
		have.data = append(have.data[:0], h.data...)
		have.pos, have.ok = h.pos, h.ok
		changed[i] = true
		buf = append(buf, h.data...)
	}
	at[numHeaders] = len(buf)
	d.hdrScratch = buf
	if len(buf) == 0 && changed == [numHeaders]bool{} {
		return
	}
	m := newMaterializer(buf)
	seg := &d.mseg
	for i, h := range d.headers {
		if !changed[i] {
			continue
		}
		d.values[i] = headerValues{}
		if h.ok {
			// Not a full slice expression: see decode.
			seg.Reset(buf[at[i]:at[i+1]], raw.delims, h.pos.Segment, h.pos.Offset)
			el := headerElements[i]
			d.values[i] = headerValues{a: m.of(seg.Element(el[0])), pos: h.pos}
			if el[1] > 0 {
				d.values[i].b = m.of(seg.Element(el[1]))
			}
		}
	}
	if (changed[hdrNM1IL] || changed[hdrNM1PR]) && d.group != nil {
		d.payerGroup = d.group(d.values[hdrNM1PR].b, d.values[hdrNM1PR].a)
	}
}
