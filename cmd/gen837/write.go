package main

import (
	"strconv"
	"unsafe"
)

// scratch holds the values of the segments being written: a string it
// returns shares its buffer, with no allocation, and is valid until the
// next reset. The write functions reset it when they start, and
// x12io.Writer.Segment copies its arguments before returning, so no
// scratch string outlives the segment it is written in. Strings that are
// kept (claim and member IDs, manifest keys) are never scratch strings.
type scratch struct{ b []byte }

func (s *scratch) reset() { s.b = s.b[:0] }

// since returns what was appended from start on as a string.
func (s *scratch) since(start int) string {
	if len(s.b) == start {
		return ""
	}
	// The bytes from start on are never written again before reset, and
	// a reallocation leaves them in the old array, which the string keeps.
	return unsafe.String(&s.b[start], len(s.b)-start)
}

func (s *scratch) int(n int64) string {
	start := len(s.b)
	s.b = strconv.AppendInt(s.b, n, 10)
	return s.since(start)
}

func (s *scratch) cents(c int64) string {
	start := len(s.b)
	s.b = appendCents(s.b, c)
	return s.since(start)
}

// join joins parts with sep.
func (s *scratch) join(sep byte, parts ...string) string {
	start := len(s.b)
	for i, p := range parts {
		if i > 0 {
			s.b = append(s.b, sep)
		}
		s.b = append(s.b, p...)
	}
	return s.since(start)
}

func (s *scratch) date(d int32) string { return s.int(int64(d)) }

// padded is prefix and n with at least width digits.
func (s *scratch) padded(prefix string, n int64, width int) string {
	start := len(s.b)
	s.b = append(s.b, prefix...)
	var tmp [20]byte
	d := strconv.AppendInt(tmp[:0], n, 10)
	for i := len(d); i < width; i++ {
		s.b = append(s.b, '0')
	}
	s.b = append(s.b, d...)
	return s.since(start)
}

// street is "1234 MAIN ST".
func (s *scratch) street(no int, name string) string {
	start := len(s.b)
	s.b = strconv.AppendInt(s.b, int64(no), 10)
	s.b = append(s.b, ' ')
	s.b = append(s.b, name...)
	return s.since(start)
}

// Writing the loops of an 837P (005010X222A1) with x12io.Writer, which
// keeps the SE/GE/IEA counts. Strings are built in a scratch buffer, not
// with fmt: this is the hot loop of a many-GB drop.

// comp joins components with the component separator (a scratch value).
func (g *generator) comp(parts ...string) string { return g.sc.join(g.d.Component, parts...) }

// writeBilling writes a 2000A billing provider loop and returns its HL ID.
func (g *generator) writeBilling(p *provider) string {
	g.sc.reset()
	id := strconv.Itoa(g.hl + 1) // kept: the subscribers' parent
	g.hl++
	g.w.Segment("HL", id, "", "20", "1")
	if p.tax != "" {
		g.w.Segment("PRV", "BI", "PXC", p.tax)
	}
	g.w.Segment("NM1", "85", "2", p.name, "", "", "", "", "XX", p.npi)
	g.w.Segment("N3", p.street)
	g.w.Segment("N4", p.city.name, p.city.state, p.city.zip)
	g.w.Segment("REF", "EI", p.tin)
	g.w.Segment("PER", "IC", "BILLING OFFICE", "TE", p.phone)
	return id
}

// writeSubscriber writes a 2000B subscriber loop (and its 2000C patient).
func (g *generator) writeSubscriber(parent string, s *subscriber) {
	g.sc.reset()
	id := g.nextHL()
	child, rel := "0", "18"
	if s.patient {
		child, rel = "1", ""
	}
	py := &payers[s.payer]
	g.w.Segment("HL", id, parent, "22", child)
	g.w.Segment("SBR", "P", rel, g.sc.padded("G", int64(s.group), 6), "", "", "", "", "", py.filing)
	g.w.Segment("NM1", "IL", "1", s.last, s.first, "", "", "", "MI", s.member)
	street := g.sc.street(s.streetNo, s.street)
	g.w.Segment("N3", street)
	g.w.Segment("N4", s.city.name, s.city.state, s.city.zip)
	g.w.Segment("DMG", "D8", g.sc.date(s.dob), s.gender)
	g.w.Segment("NM1", "PR", "2", py.name, "", "", "", "", "PI", py.id)
	if s.patient {
		g.w.Segment("HL", g.nextHL(), id, "23", "0")
		g.w.Segment("PAT", s.rel)
		g.w.Segment("NM1", "QC", "1", s.pLast, s.pFirst)
		g.w.Segment("N3", street)
		g.w.Segment("N4", s.city.name, s.city.state, s.city.zip)
		g.w.Segment("DMG", "D8", g.sc.date(s.pDob), s.pGender)
	}
}

// writeClaim writes a 2300 claim with its 2310B/C and 2400 lines.
func (g *generator) writeClaim(c *claim) {
	w := g.w
	g.sc.reset()
	freq := c.freq
	switch {
	case c.noFreq:
		freq = ""
	case freq == "":
		freq = "1"
	}
	clm05 := g.comp(c.pos, "B", freq)
	if c.noFreq {
		clm05 = g.comp(c.pos, "B") // CLM05-3 left out
	}
	w.Segment("CLM", c.id, g.sc.cents(c.total()), "", "", clm05, "Y", "A", "Y", "Y")
	if c.priorAuth != "" {
		w.Segment("REF", "G1", c.priorAuth)
	}
	if c.origRef != "" {
		// the payer's claim control number of the claim replaced or voided
		w.Segment("REF", "F8", c.origRef)
	}
	if c.trace != 0 {
		// the clearinghouse's claim identifier (2300 REF*D9)
		w.Segment("REF", "D9", g.sc.padded("T", c.trace, 12))
	}
	// HI: the first code ABK, the others ABF (a planted defect may change
	// a qualifier); at most 12 in one HI.
	var hi [12]string
	n := 0
	for _, d := range c.dx {
		if n == len(hi) {
			break
		}
		hi[n] = g.comp(d.qual, d.code)
		n++
	}
	w.Segment("HI", hi[:n]...)
	if c.renderNPI != "" {
		w.Segment("NM1", "82", "1", c.renderLast, c.renderFirst, "", "", "", "XX", c.renderNPI)
		if c.renderTax != "" {
			w.Segment("PRV", "PE", "PXC", c.renderTax)
		}
	}
	if c.facility > 0 {
		h := c.facility - 1
		w.Segment("NM1", "77", "2", hospitalNames[h], "", "", "", "", "XX", hospitalNPIs[h])
		w.Segment("N3", g.sc.street(1000+h*111, "HOSPITAL DR"))
		w.Segment("N4", "CHICAGO", "IL", "606110001")
	}
	if c.straySV1 {
		// an SV1 with no LX before it (X12-SYNTAX)
		w.Segment("SV1", g.comp("HC", "99223"), "350", "UN", "1", "", "", "1")
	}
	target := false
	for i := range c.lines {
		l := &c.lines[i]
		target = target || l.isTarget()
		w.Segment("LX", strconv.Itoa(i+1))
		var parts [6]string
		parts[0], parts[1] = "HC", l.proc
		np := 2
		for _, m := range l.mods {
			if np < len(parts) {
				parts[np] = m
				np++
			}
		}
		charge := l.chargeRaw
		if !l.noCharge && charge == "" {
			charge = g.sc.cents(l.charge)
		}
		ptrs := g.comp(l.pointers...)
		w.Segment("SV1", g.comp(parts[:np]...), charge, "UN", l.units, l.pos, "", ptrs)
		if !l.noDate {
			q, v := l.dateQual, l.dateRaw
			if q == "" {
				q = "D8"
			}
			if v == "" {
				v = g.sc.date(l.date)
			}
			w.Segment("DTP", "472", q, v)
		}
		if c.lineControl {
			// line item control number (2400 REF*6R)
			w.Segment("REF", "6R", g.sc.join('L', c.id, g.sc.int(int64(i+1))))
		}
		if l.lineTax != "" {
			w.Segment("NM1", "82", "1", l.lineLast, l.lineFirst, "", "", "", "XX", l.lineNPI)
			w.Segment("PRV", "PE", "PXC", l.lineTax)
		}
	}
	g.stClaims++
	g.fileSum.Claims++
	g.fileSum.ServiceLines += int64(len(c.lines))
	g.man.Totals.Claims++
	g.man.Totals.ServiceLines += int64(len(c.lines))
	if target {
		g.fileSum.TargetClaims++
		g.man.Totals.TargetClaims++
	}
}

// Service facilities (2310C) of the hospital claims.
var hospitalNPIs = func() []string {
	out := make([]string, len(hospitalNames))
	for i := range out {
		out[i] = withCheckDigit("10" + strconv.Itoa(3000012+i*1000001))
	}
	return out
}()
