package main

import (
	"strconv"
	"strings"

	"github.com/scrub837/scrub837/scrubber/rules"
)

// Building clean claims. A clean target claim passes every error and
// warning rule of the default pack: each 0620T line has RT, LT or 50, one
// unit, a positive charge, a date in 2026, and points first to its own
// supporting diagnosis of its side; no related code shares a date with it;
// the claim balances; the rendering (or billing) taxonomy is listed; the
// place of service is typical.

// supportingPrefixes are the supporting diagnoses of the default pack
// (without the point), weak ones (claudication, I70.x1) not among them.
var supportingPrefixes = []string{"I7022", "I7023", "I7024", "I7026", "I7032", "I7033", "I7034", "I7036",
	"I7042", "I7043", "I7044", "I7046", "I7052", "I7053", "I7054", "I7056", "I7062", "I7063", "I7064", "I7066",
	"I7072", "I7073", "I7074", "I7076", "E0851", "E0852", "E0951", "E0952", "E1051", "E1052", "E1151", "E1152",
	"E1351", "E1352", "I96"}

// isSupporting reports whether a diagnosis supports 0620T in the default pack.
func isSupporting(code string) bool {
	for _, p := range supportingPrefixes {
		if strings.HasPrefix(code, p) {
			return true
		}
	}
	return false
}

// infoRules are the info-level rules that must fire on target claim c of
// provider prov as it will be written: LINE-TAXONOMY-MISSING when no
// individual taxonomy is on it (the billing provider's missing or a
// group's, no 2310B or 2420A PRV*PE). A void gets the claim-level rules
// only.
func infoRules(c *claim, prov *provider) []rules.ID {
	if !c.isTarget() || c.freq == "8" || prov.tax != "" && prov.tax != groupTaxonomy || c.renderTax != "" {
		return nil
	}
	for i := range c.lines {
		if c.lines[i].lineTax != "" {
			return nil
		}
	}
	return []rules.ID{rules.LineTaxonomyMissing}
}

// excludesConflict reports whether adding code would pair I96 with I70.26-
// on the claim (DX-EXCLUDES1).
func (c *claim) excludesConflict(code string) bool {
	for _, d := range c.dx {
		if strings.HasPrefix(code, "I96") && strings.HasPrefix(d.code, "I7026") ||
			strings.HasPrefix(code, "I7026") && strings.HasPrefix(d.code, "I96") {
			return true
		}
	}
	return false
}

// pickSupport picks a supporting diagnosis of side s ('R', 'L', 'B') that
// the claim does not have yet.
func (g *generator) pickSupport(c *claim, s byte, unsidedOK bool) string {
	for {
		var list []string
		switch {
		case unsidedOK && g.rng.IntN(7) == 0:
			list = supportUnsided
		case s == 'R':
			list = supportRight
		case s == 'L':
			list = supportLeft
		default:
			list = supportBoth
		}
		code := pick(g.rng, list)
		if c.dxIndex(code) == 0 && !c.excludesConflict(code) {
			return code
		}
	}
}

func (g *generator) randomSide() byte {
	if g.rng.IntN(2) == 0 {
		return 'R'
	}
	return 'L'
}

func (g *generator) dollars(min, max int64) int64 {
	c := (min + g.rng.Int64N(max-min+1)) * 100
	if g.rng.IntN(4) == 0 {
		c += g.rng.Int64N(100)
	}
	return c
}

// addTargetLine adds a clean 0620T line for side s on date d.
func (g *generator) addTargetLine(c *claim, s byte, d int32) int {
	l := c.newLine()
	l.proc, l.units, l.date, l.charge = "0620T", "1", d, g.dollars(14000, 32000)
	switch s {
	case 'B':
		l.mods = append(l.mods, "50")
		if g.rng.IntN(2) == 0 {
			l.pointers = append(l.pointers, strconv.Itoa(c.addDx(g.pickSupport(c, 'B', false))))
		} else {
			l.pointers = append(l.pointers, strconv.Itoa(c.addDx(g.pickSupport(c, 'R', false))))
			l.pointers = append(l.pointers, strconv.Itoa(c.addDx(g.pickSupport(c, 'L', false))))
		}
	default:
		l.mods = append(l.mods, sideModifier(s))
		code := g.pickSupport(c, s, true)
		if strings.HasPrefix(code, "I70") && code[len(code)-1] == '8' && ulcerSide(code) == 0 {
			// an other-extremity code on a sided line (a defect planted
			// later may still change it: the count says it was made)
			g.man.LookAlikes[lookUnsided]++
		}
		l.pointers = append(l.pointers, strconv.Itoa(c.addDx(code)))
	}
	if g.rng.IntN(10) == 0 {
		l.mods = append(l.mods, pick(g.rng, cleanExtraModifiers))
	}
	for n := g.rng.IntN(3); n > 0 && len(l.pointers) < 4; n-- {
		p := strconv.Itoa(c.addDx(pick(g.rng, secondaryDx)))
		if !contains(l.pointers, p) {
			l.pointers = append(l.pointers, p)
		}
	}
	return len(c.lines) - 1
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// otherLine adds a non-target line of code p on date d. The pointer is
// valid until the next line is added.
func (g *generator) otherLine(c *claim, p proc, d int32) *line {
	n := len(c.dx)
	if n == 0 {
		c.addDx(pick(g.rng, generalDx))
		n = 1
	}
	l := c.newLine()
	l.proc, l.units, l.date, l.charge = p.code, "1", d, g.dollars(p.min, p.max)
	if p.sideModifier && g.rng.IntN(2) == 0 {
		l.mods = append(l.mods, sideModifier(g.randomSide()))
	}
	l.pointers = append(l.pointers, strconv.Itoa(1+g.rng.IntN(n)))
	if n > 1 && g.rng.IntN(3) == 0 {
		q := strconv.Itoa(1 + g.rng.IntN(n))
		if q != l.pointers[0] {
			l.pointers = append(l.pointers, q)
		}
	}
	return l
}

// targetClaim builds a clean target claim.
func (g *generator) targetClaim(prov *provider) *claim {
	c := &g.cl
	c.reset()
	c.id, c.target, c.pos = g.claimID(), true, pick(g.rng, targetPOS)
	g.clearinghouse(c)
	x := jan2026 + 31 + g.rng.IntN(273) // 2026-02-01 .. 2026-10-31
	X := day(x)
	switch r := g.rng.IntN(100); {
	case r < 72:
		g.addTargetLine(c, g.randomSide(), X)
	case r < 86: // both legs on one day
		first := g.randomSide()
		g.addTargetLine(c, first, X)
		g.addTargetLine(c, 'R'+'L'-first, X)
	case r < 94: // staged: the same leg again weeks later
		s := g.randomSide()
		g.addTargetLine(c, s, X)
		g.addTargetLine(c, s, day(x+7+g.rng.IntN(40)))
	default:
		g.addTargetLine(c, 'B', X)
	}
	if len(c.dx) < 8 && g.rng.IntN(2) == 0 {
		c.addDx(pick(g.rng, secondaryDx))
	}

	// other lines, up to 5 lines in all (a planted defect may add one)
	if g.rng.IntN(100) < 35 && len(c.lines) < 5 {
		l := g.otherLine(c, pick(g.rng, targetEM), X)
		if g.rng.IntN(3) == 0 {
			l.mods = append(l.mods[:0], "57")
		}
	}
	if g.rng.IntN(100) < 12 && len(c.lines) < 5 {
		g.otherLine(c, pick(g.rng, sameDayProcs), X)
		if g.rng.IntN(2) == 0 && len(c.lines[0].mods) < 4 && !contains(c.lines[0].mods, "51") {
			c.lines[0].mods = append(c.lines[0].mods, "51")
		}
	}
	if g.rng.IntN(100) < 25 && len(c.lines) < 5 {
		g.otherLine(c, pick(g.rng, targetEM), day(x-1-g.rng.IntN(20)))
	}
	if g.rng.IntN(100) < 20 && len(c.lines) < 5 {
		g.otherLine(c, pick(g.rng, imagingCodes), day(x-1-g.rng.IntN(30)))
	}
	if g.rng.IntN(100) < 8 && len(c.lines) < 5 {
		// diagnostic angiography or access on an earlier day: related, but
		// not on the day of 0620T
		p := proc{code: pick(g.rng, stagedCodes), min: 300, max: 1400}
		g.otherLine(c, p, day(x-1-g.rng.IntN(14)))
	}
	if g.rng.IntN(20) == 0 {
		// SV105 written out, equal to CLM05-1
		c.lines[0].pos = c.pos
	}

	g.rendering(c, prov, true)
	if c.pos != "11" && g.rng.IntN(100) < 85 {
		c.facility = 1 + g.rng.IntN(len(hospitalNames))
	}
	if g.rng.IntN(10) < 3 {
		c.priorAuth = "PA" + g.digits(8)
	}
	g.data.clean(g, c, prov.npi)
	return c
}

// clearinghouse sets the identifiers most claims carry: a trace number
// (REF*D9) and line item control numbers (REF*6R).
func (g *generator) clearinghouse(c *claim) {
	r := g.rng.IntN(10)
	if r < 7 {
		c.trace = 100000000000 + g.trace*7919%900000000000
	}
	c.lineControl = r >= 2
}

// rendering sets the 2310B rendering provider: on a target claim one with a
// listed taxonomy, or none when the billing provider's taxonomy will do.
func (g *generator) rendering(c *claim, prov *provider, target bool) {
	if target {
		if prov.taxOK && g.rng.IntN(5) == 0 {
			return
		}
		for {
			r := pick(g.rng, prov.renderers)
			if r.listed {
				c.renderNPI, c.renderFirst, c.renderLast, c.renderTax = r.npi, r.first, r.last, r.tax
				return
			}
		}
	}
	if g.rng.IntN(10) < 6 {
		r := pick(g.rng, prov.renderers)
		c.renderNPI, c.renderFirst, c.renderLast = r.npi, r.first, r.last
		if g.rng.IntN(4) > 0 {
			c.renderTax = r.tax
		}
	}
}

var lineCounts = []int{1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4, 5, 6}

// ordinaryClaim builds a claim that bills neither 0620T nor a related code.
func (g *generator) ordinaryClaim(prov *provider) *claim {
	c := &g.cl
	c.reset()
	c.id, c.pos = g.claimID(), pick(g.rng, ordinaryPOS)
	g.clearinghouse(c)
	for n := 1 + g.rng.IntN(4); n > 0; n-- {
		c.addDx(pick(g.rng, generalDx))
	}
	x := jan2026 - 60 + g.rng.IntN(390)
	nl := pick(g.rng, lineCounts)
	for i := 0; i < nl; i++ {
		var p proc
		switch r := g.rng.IntN(100); {
		case r < 40:
			p = pick(g.rng, emCodes)
		case r < 75:
			p = pick(g.rng, imagingCodes)
		default:
			p = pick(g.rng, otherCodes)
		}
		l := g.otherLine(c, p, day(x+g.rng.IntN(3)))
		switch {
		case p.code[0] == '9' && p.code[1] == '9' && nl > 1 && g.rng.IntN(3) == 0:
			l.mods = append(l.mods, "25")
		case p.code[0] == '7' && g.rng.IntN(5) == 0:
			l.mods = append(l.mods, "26")
		}
	}
	g.rendering(c, prov, false)
	if c.pos == "21" || c.pos == "22" || c.pos == "23" {
		c.facility = 1 + g.rng.IntN(len(hospitalNames))
	}
	return c
}

// partnerClaim builds the second claim of a cross-claim defect: a claim
// with a related code (BUNDLE-CROSS-CLAIM) or a repeated 0620T
// (LINE-DUPLICATE) for the original's patient and date.
func (g *generator) partnerClaim(p *partner) *claim {
	prov := &g.providers[p.prov]
	switch p.kind {
	case crossBundle:
		c := &claim{id: g.claimID(), pos: pick(g.rng, targetPOS)}
		g.clearinghouse(c)
		for _, code := range p.sideDx {
			c.addDx(code)
		}
		if len(c.dx) == 0 || g.rng.IntN(3) == 0 {
			c.addDx(pick(g.rng, secondaryDx))
		}
		var code string
		if g.rng.IntN(3) == 0 {
			code = pick(g.rng, reviewCodes2026)
		} else {
			code = pick(g.rng, includedCodes)
		}
		l := g.otherLine(c, proc{code: code, min: 200, max: 1800}, p.date)
		if g.rng.IntN(3) == 0 {
			l.mods = append(l.mods[:0], sideModifier(g.randomSide()))
		}
		if g.rng.IntN(6) == 0 {
			l.mods = append(l.mods, pick(g.rng, overrideModifiers))
		}
		if g.rng.IntN(3) == 0 {
			g.otherLine(c, pick(g.rng, targetEM), p.date)
		}
		g.rendering(c, prov, false)
		c.facility = 1 + g.rng.IntN(len(hospitalNames))
		return c
	default: // crossDuplicate, and the look-alikes of two people's work
		c := &claim{id: g.claimID(), target: true, pos: pick(g.rng, targetPOS)}
		g.clearinghouse(c)
		l := c.newLine()
		l.proc, l.units, l.date, l.charge = "0620T", "1", p.date, g.dollars(14000, 32000)
		l.mods = append(l.mods, p.side)
		for _, code := range p.sideDx {
			l.pointers = append(l.pointers, strconv.Itoa(c.addDx(code)))
		}
		if len(l.pointers) == 0 {
			s := p.side[0]
			if p.side == "50" {
				s = 'B'
			}
			l.pointers = append(l.pointers, strconv.Itoa(c.addDx(g.pickSupport(c, s, false))))
		}
		if g.rng.IntN(3) == 0 {
			g.otherLine(c, pick(g.rng, targetEM), p.date)
		}
		g.rendering(c, prov, true)
		switch p.kind {
		case lookCoSurgeons, lookAssistant:
			// the other person's own claim: their NPI, their modifier (on
			// the 0620T line, the first: l may be stale after otherLine)
			tl := &c.lines[0]
			if p.kind == lookCoSurgeons {
				tl.mods = append(tl.mods, "62")
			} else {
				tl.mods = append(tl.mods, pick(g.rng, assistantModifiers))
			}
			c.renderNPI, c.renderTax = g.npi(), pick(g.rng, listedTaxonomies)
			c.renderFirst, c.renderLast = pick(g.rng, firstNames), pick(g.rng, lastNames)
		}
		if c.pos != "11" {
			c.facility = 1 + g.rng.IntN(len(hospitalNames))
		}
		g.data.clean(g, c, prov.npi)
		return c
	}
}
