package main

import (
	"slices"
	"strconv"

	"github.com/scrub837/scrub837/scrubber/codedata"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// The data rules' defects.

// dataCandidates are the codes, days and headers the data folder offers
// the data rules' defects, looked up once: days are calendar indexes in
// the window of target claims' dates.
type dataCandidates struct {
	denied, bypassable []ptpCandidate // an edit in force with 0620T on that day: any indicator 0 or 1 / indicator 1
	mueDays            []int          // days with an MUE for 0620T
	headers            map[int][]string
	headerDays         []int // days whose fiscal year has an ICD-10-CM file with one of the headers
	invalidTaxonomy    string
}

type ptpCandidate struct {
	code string
	day  int
}

// safeHeaders are ICD-10-CM headers that draw no rule of the pack when a
// claim lists them without pointing to them (no ulceration, so no
// DX-ULCER-SEVERITY-MISSING; not I70.26, so no DX-EXCLUDES1 with I96).
var safeHeaders = []string{"I702", "I7022", "I70", "E115", "E11", "E105", "E10", "N18", "I73"}

// firstTargetDay and lastTargetDay bound the dates of target claims
// (targetClaim).
const (
	firstTargetDay = jan2026 + 31
	lastTargetDay  = jan2026 + 31 + 272
)

func (d *dataFiles) candidates() *dataCandidates {
	if d.cand != nil {
		return d.cand
	}
	cd := &dataCandidates{headers: map[int][]string{}}
	var codes []string
	for _, list := range procLists {
		for _, p := range list {
			codes = append(codes, p.code)
		}
	}
	codes = append(append(codes, includedCodes...), reviewCodes2026...)
	slices.Sort(codes)
	codes = slices.Compact(codes)
	t := &line{proc: procedure}
	for n := firstTargetDay; n <= lastTargetDay; n++ {
		dos := dateString(day(n))
		for _, code := range codes {
			o := &line{proc: code}
			if d.ptp(o, t, dos) == ptpDenied {
				cd.denied = append(cd.denied, ptpCandidate{code, n})
			}
			for _, c := range [2][2]string{{procedure, code}, {code, procedure}} {
				if e, st := d.set.PTP(c[0], c[1], dos); st == codedata.Found && e.Indicator == codedata.Allowed {
					cd.bypassable = append(cd.bypassable, ptpCandidate{code, n})
					break
				}
			}
		}
		if m, st := d.set.MUE(procedure, dos); st == codedata.Found && m.Value < 99 {
			cd.mueDays = append(cd.mueDays, n)
		}
		var hs []string
		for _, h := range safeHeaders {
			if res := d.set.Diagnosis(h, dos); res.Status == codedata.Found && !res.Billable {
				hs = append(hs, h)
			}
		}
		if len(hs) > 0 {
			cd.headers[n] = hs
			cd.headerDays = append(cd.headerDays, n)
		}
	}
	for _, code := range append([]string{"2080S0002X"}, listedTaxonomies...) {
		if _, st := d.set.Taxonomy(code); st == codedata.Absent {
			cd.invalidTaxonomy = code
			break
		}
	}
	d.cand = cd
	return cd
}

// defects are the data rules' defects this folder can plant.
func (d *dataFiles) defects() []defectKind {
	if d == nil {
		return nil
	}
	cd := d.candidates()
	var out []defectKind
	if len(cd.denied) > 0 {
		out = append(out, defectKind{name: "ncci-ptp", apply: plantNCCI})
	}
	if len(cd.bypassable) > 0 {
		out = append(out, defectKind{name: "ncci-ptp-bypassed", apply: plantNCCIBypassed})
	}
	if len(cd.mueDays) > 0 {
		out = append(out, defectKind{name: "mue-exceeded", apply: plantMUE})
	}
	if len(cd.headerDays) > 0 {
		out = append(out, defectKind{name: "dx-code-not-billable", apply: plantNotBillable})
	}
	if cd.invalidTaxonomy != "" {
		out = append(out, defectKind{name: "taxonomy-invalid", apply: plantTaxonomyInvalid})
	}
	return out
}

// moveTarget moves target line t of c to calendar day n, alone that day
// (other lines of that day go), with its side modifier only; it returns
// t's index. The data rules' defects need a day the data speaks for.
func moveTarget(c *claim, t, n int) int {
	d := day(n)
	out := c.lines[:0]
	nt := 0
	for i := range c.lines {
		l := c.lines[i]
		if i != t && l.date == d {
			continue
		}
		if i == t {
			nt = len(out)
		}
		out = append(out, l)
	}
	for i := len(out); i < len(c.lines); i++ {
		c.lines[i] = line{}
	}
	c.lines = out
	c.lines[nt].date = d
	stripExtras(&c.lines[nt])
	return nt
}

// plantNCCI: a line whose code and 0620T form an edit that denies it on
// the day (indicator 0, or 1 without a modifier). The data rule's finding
// replaces the pack's bundling one: no rule of the pack is expected.
func plantNCCI(g *generator, c *claim) []rules.ID {
	return g.plantEdit(c, pick(g.rng, g.data.candidates().denied), "")
}

// plantNCCIBypassed: the same with an indicator-1 edit and a modifier
// that bypasses it (59 or an X modifier) on the line.
func plantNCCIBypassed(g *generator, c *claim) []rules.ID {
	return g.plantEdit(c, pick(g.rng, g.data.candidates().bypassable), pick(g.rng, overrideModifiers))
}

func (g *generator) plantEdit(c *claim, pc ptpCandidate, mod string) []rules.ID {
	t := moveTarget(c, g.pickTarget(c), pc.day)
	tl := c.lines[t]
	l := g.otherLine(c, proc{code: pc.code, min: 150, max: 1600}, tl.date)
	l.mods = l.mods[:0]
	if mod != "" {
		l.mods = append(l.mods, mod)
	}
	// the same practitioner as the 0620T line
	l.lineNPI, l.lineTax, l.lineFirst, l.lineLast = tl.lineNPI, tl.lineTax, tl.lineFirst, tl.lineLast
	g.data.billable(g, c)
	return nil
}

// plantMUE: 0620T with one unit more than the MUE of its day. LINE-UNITS,
// which the pack would fire, gives way to MUE-EXCEEDED.
func plantMUE(g *generator, c *claim) []rules.ID {
	n := pick(g.rng, g.data.candidates().mueDays)
	t := moveTarget(c, g.pickTarget(c), n)
	g.simpleSide(c, t)
	m, _ := g.data.set.MUE(procedure, dateString(day(n)))
	c.lines[t].units = strconv.Itoa(m.Value + 1)
	g.data.billable(g, c)
	return []rules.ID{rules.LineUnits}
}

// plantNotBillable: a header the ICD-10-CM file of the claim's fiscal year
// has, listed in HI and pointed to by no line (so no rule of the pack
// fires on it). The claim's first 0620T line moves to a day of a fiscal
// year with a file when it is not on one.
func plantNotBillable(g *generator, c *claim) []rules.ID {
	cd := g.data.candidates()
	dos, ok := claimDOS(c)
	n := -1
	if ok {
		n = dayOf(int32(must(strconv.Atoi(dos))))
	}
	if _, has := cd.headers[n]; !has {
		first := slices.IndexFunc(c.lines, func(l line) bool { _, ok := lineDate(&l); return ok && l.isTarget() })
		if first < 0 {
			first = g.pickTarget(c)
			c.lines[first].noDate, c.lines[first].dateRaw, c.lines[first].dateQual = false, "", ""
		}
		n = pick(g.rng, cd.headerDays)
		moveTarget(c, first, n)
		g.data.billable(g, c)
	}
	hs := slices.DeleteFunc(slices.Clone(cd.headers[n]), func(h string) bool { return c.dxIndex(h) > 0 })
	if len(hs) > 0 && len(c.dx) < 12 {
		c.dx = append(c.dx, dx{qual: "ABF", code: pick(g.rng, hs)})
	}
	return nil
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// plantTaxonomyInvalid: the claim's rendering provider (2310B) carries a
// taxonomy NUCC does not have (the seed's 2080S0002X when the folder's
// NUCC file lacks it, as the real one does).
func plantTaxonomyInvalid(g *generator, c *claim) []rules.ID {
	if c.renderNPI == "" {
		c.renderNPI, c.renderFirst, c.renderLast = g.npi(), pick(g.rng, firstNames), pick(g.rng, lastNames)
	}
	c.renderTax = g.data.candidates().invalidTaxonomy
	return nil
}
