package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/scrub837/scrub837/scrubber/codedata"
)

// Drops against the public data files (gen837 --data DIR; scrubber/RULES.md
// "Payers' edits from the public data files"). With a data folder the
// generator
//   - keeps clean claims clean against it (this file): a diagnosis the
//     ICD-10-CM file does not have as billable, or a taxonomy NUCC does not
//     have, is replaced by another of its list; a line on 0620T's day whose
//     code forms an NCCI edit with it gets another code of its list or
//     goes; of both legs on one day, one goes when the MUE allows one unit
//     a day;
//   - plants the data rules' defects (datadefects.go): those the folder
//     has an edit, MUE, header or missing taxonomy for;
//   - lists in the manifest what the data rules make of every target claim
//     (dataexpect.go), worked out from the claim as written by the rules'
//     definitions in RULES.md, not with scrubber's code: the data findings,
//     and the pack's findings they replace.

// dataFiles is a loaded data folder and what the generator looks up in it.
type dataFiles struct {
	set  *codedata.Set
	cand *dataCandidates // looked up on first use
}

func newDataFiles(set *codedata.Set) *dataFiles { return &dataFiles{set: set} }

// procedure is the pack's procedure: the generator writes 0620T only.
const procedure = "0620T"

// lineDate is a line's date of service as the scrubber reads it, and
// whether it is usable: the generator's own dates are; a missing one or
// one written raw (the planted LINE-DOS-INVALID values) is not.
func lineDate(l *line) (string, bool) {
	if l.noDate || l.dateRaw != "" || l.dateQual != "" && l.dateQual != "D8" {
		return "", false
	}
	return dateString(l.date), true
}

// practitionerOf is the NPI of whoever performed line l of c: 2420A, else
// 2310B, else the billing provider.
func practitionerOf(c *claim, l *line, billingNPI string) string {
	switch {
	case l.lineNPI != "":
		return l.lineNPI
	case c.renderNPI != "":
		return c.renderNPI
	}
	return billingNPI
}

// thousandths reads SV104 as thousandths of a unit (0, false when it is
// not a positive number).
func thousandths(s string) (int64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f <= 0 {
		return 0, false
	}
	return int64(f*1000 + 0.5), true
}

// ptpVerdict is what an NCCI PTP edit makes of a line and a target line.
type ptpVerdict int

const (
	ptpNone ptpVerdict = iota
	ptpBypassed
	ptpDenied
)

// ptp judges line o (not a target line) against target line t of c, both
// on o's date: the edit in force with 0620T in either column; indicator 0
// denies, indicator 1 lets an NCCI-associated modifier on the column 2
// line bypass it (an anatomic one only against a different site of the
// same kind on the other line).
func (d *dataFiles) ptp(o, t *line, dos string) ptpVerdict {
	best := ptpNone
	for _, col := range [2]struct {
		c1, c2 string
		l1, l2 *line
	}{{procedure, o.proc, t, o}, {o.proc, procedure, o, t}} {
		e, st := d.set.PTP(col.c1, col.c2, dos)
		if st != codedata.Found || e.Indicator == codedata.NotApplicable {
			continue
		}
		v := ptpDenied
		if e.Indicator == codedata.Allowed && bypasses(col.l2, col.l1) {
			v = ptpBypassed
		}
		best = max(best, v)
	}
	return best
}

// bypasses reports whether column 2 line l2 carries an NCCI-associated
// modifier that bypasses an indicator-1 edit with column 1 line l1.
func bypasses(l2, l1 *line) bool {
	for _, m := range l2.mods {
		mod, ok := codedata.BypassModifier(m)
		if ok && (mod.Group != "anatomic" || otherSite(m, l1)) {
			return true
		}
	}
	return false
}

// site is the kind of site an anatomic modifier names and which one:
// sides (LT, RT; 50 is both), eyelids, fingers, toes, coronary arteries.
func site(m string) (kind byte, sides string) {
	switch {
	case m == "LT":
		return 'S', "L"
	case m == "RT":
		return 'S', "R"
	case m == "50":
		return 'S', "LR"
	case len(m) == 2 && m[0] == 'E' && m[1] >= '1' && m[1] <= '4',
		len(m) == 2 && (m[0] == 'F' || m[0] == 'T') && (m[1] == 'A' || m[1] >= '1' && m[1] <= '9'):
		return m[0], m
	case m == "LC" || m == "LD" || m == "LM" || m == "RC" || m == "RI":
		return 'C', m
	}
	return 0, ""
}

// otherSite reports whether line l names a site of the same kind as
// anatomic modifier m and none that m's site shares.
func otherSite(m string, l *line) bool {
	kind, mine := site(m)
	named := false
	for _, o := range l.mods {
		k, theirs := site(o)
		if k != kind {
			continue
		}
		named = true
		for _, s := range mine {
			if kind == 'S' && strings.ContainsRune(theirs, s) || kind != 'S' && theirs == mine {
				return false
			}
		}
	}
	return named
}

// Keeping clean claims clean.

// vocabulary are the code lists a target claim's diagnoses come from: a
// code the ICD-10-CM file does not have as billable is replaced by another
// of its list.
var vocabulary = [][]string{supportRight, supportLeft, supportBoth, supportUnsided, secondaryDx, weakRight, weakLeft}

// procLists are the lists a same-day line's code comes from.
var procLists = [][]proc{targetEM, sameDayProcs, emCodes, imagingCodes, otherCodes}

// fixProviders gives every provider and renderer a taxonomy NUCC has: one
// of the same list (listed for 0620T or not), the group taxonomy or none.
func (d *dataFiles) fixProviders(g *generator) error {
	listed, unlisted := d.nucc(listedTaxonomies), d.nucc(unlistedTaxonomies)
	if len(listed) == 0 {
		return fmt.Errorf("the data folder's NUCC taxonomy has none of the taxonomies the rule pack lists for %s (%s)", procedure, strings.Join(listedTaxonomies, ", "))
	}
	fix := func(tax string) string {
		if tax == "" || !d.taxonomyAbsent(tax) {
			return tax
		}
		switch {
		case slices.Contains(listedTaxonomies, tax):
			return pick(g.rng, listed)
		case len(unlisted) > 0 && slices.Contains(unlistedTaxonomies, tax):
			return pick(g.rng, unlisted)
		}
		return ""
	}
	for i := range g.providers {
		p := &g.providers[i]
		p.tax = fix(p.tax)
		for k := range p.renderers {
			r := &p.renderers[k]
			if t := fix(r.tax); t != "" || !r.listed {
				r.tax = t
			}
		}
	}
	return nil
}

// nucc is the codes of list that NUCC has.
func (d *dataFiles) nucc(list []string) []string {
	var out []string
	for _, code := range list {
		if !d.taxonomyAbsent(code) {
			out = append(out, code)
		}
	}
	return out
}

func (d *dataFiles) taxonomyAbsent(code string) bool {
	_, st := d.set.Taxonomy(code)
	return st == codedata.Absent
}

// clean makes target claim c (of a billing provider with NPI npi) clean
// against the data files where it can: both legs of one day on one 50
// line when the MUE allows one unit, same-day lines without an NCCI edit
// with 0620T, billable diagnoses, NUCC taxonomies. What it cannot change,
// expectData lists.
func (d *dataFiles) clean(g *generator, c *claim, npi string) {
	if d == nil {
		return
	}
	d.oneLinePerDay(c, npi)
	d.sameDayLines(g, c, npi)
	d.billable(g, c)
	listed := d.nucc(listedTaxonomies)
	if c.renderTax != "" && d.taxonomyAbsent(c.renderTax) {
		c.renderTax = pick(g.rng, listed)
	}
	for i := range c.lines {
		if l := &c.lines[i]; l.lineTax != "" && d.taxonomyAbsent(l.lineTax) {
			l.lineTax = pick(g.rng, listed)
		}
	}
}

// oneLinePerDay keeps one target line a day by one practitioner when a
// date-of-service MUE allows one unit: the other leg's line goes (billing
// both legs on one 50 line would need both legs' diagnoses, which a claim
// whose other leg points to an unsided code does not have).
func (d *dataFiles) oneLinePerDay(c *claim, npi string) {
	for i := 0; i < len(c.lines); i++ {
		t := &c.lines[i]
		dos, ok := lineDate(t)
		if !ok || !t.isTarget() {
			continue
		}
		m, st := d.set.MUE(procedure, dos)
		if st != codedata.Found || !m.Adjudication.PerDateOfService() || m.Value != 1 {
			continue
		}
		for j := len(c.lines) - 1; j > i; j-- {
			o := &c.lines[j]
			if odos, ok := lineDate(o); ok && o.isTarget() && odos == dos && practitionerOf(c, o, npi) == practitionerOf(c, &c.lines[i], npi) {
				c.lines = slices.Delete(c.lines, j, j+1)
			}
		}
	}
}

// sameDayLines gives a line on a 0620T day that forms an NCCI edit with it
// another code of its list, or takes it out (and 51 with it when 0620T is
// then alone that day).
func (d *dataFiles) sameDayLines(g *generator, c *claim, npi string) {
	for j := 0; j < len(c.lines); j++ {
		o := &c.lines[j]
		if o.isTarget() || d.pairedOn(c, o, npi) == ptpNone {
			continue
		}
		code := o.proc
		for _, list := range procLists {
			if k := slices.IndexFunc(list, func(p proc) bool { return p.code == code }); k >= 0 {
				start := g.rng.IntN(len(list))
				for n := range list {
					if o.proc = list[(start+n)%len(list)].code; d.pairedOn(c, o, npi) == ptpNone {
						break
					}
				}
				break
			}
		}
		if d.pairedOn(c, o, npi) == ptpNone {
			continue
		}
		dos, _ := lineDate(o)
		c.lines = slices.Delete(c.lines, j, j+1) // o is another line now
		j--
		alone := true
		for i := range c.lines {
			if ldos, ok := lineDate(&c.lines[i]); ok && ldos == dos && !c.lines[i].isTarget() {
				alone = false
			}
		}
		for i := range c.lines {
			if l := &c.lines[i]; alone && l.isTarget() && dateString(l.date) == dos {
				l.mods = slices.DeleteFunc(l.mods, func(m string) bool { return m == "51" })
			}
		}
	}
}

// pairedOn is the strongest NCCI verdict of line o with the target lines
// of its day by its practitioner.
func (d *dataFiles) pairedOn(c *claim, o *line, npi string) ptpVerdict {
	dos, ok := lineDate(o)
	best := ptpNone
	if !ok {
		return best
	}
	for i := range c.lines {
		t := &c.lines[i]
		if tdos, ok := lineDate(t); ok && t.isTarget() && tdos == dos && practitionerOf(c, t, npi) == practitionerOf(c, o, npi) {
			best = max(best, d.ptp(o, t, dos))
		}
	}
	return best
}

// billable replaces each diagnosis the ICD-10-CM file of the claim's
// fiscal year has as a header or not at all with a billable code of its
// list (same side, same kind).
func (d *dataFiles) billable(g *generator, c *claim) {
	dos, ok := claimDOS(c)
	if !ok {
		return
	}
	isBillable := func(code string) bool {
		res, covered := d.icd(dx{code: code}, dos)
		return !covered || res.Status == codedata.Found && res.Billable
	}
	for i := range c.dx {
		x := c.dx[i]
		if _, covered := d.icd(x, dos); !covered || isBillable(x.code) {
			continue
		}
		for _, list := range vocabulary {
			if !slices.Contains(list, x.code) {
				continue
			}
			start := g.rng.IntN(len(list))
			for n := range list {
				alt := list[(start+n)%len(list)]
				if alt != x.code && c.dxIndex(alt) == 0 && !c.excludesConflict(alt) && isBillable(alt) {
					c.dx[i].code = alt
					break
				}
			}
			break
		}
	}
	c.ensureSeverity() // a replacement may code an ulceration
}

// otherLimbCode picks the code of an other-limb look-alike (a related code
// on the other leg from 0620T's, which the pack accepts) among codes; with
// data files, among those no NCCI edit with 0620T denies on day d whatever
// the modifier (indicator 0), when there is one.
func (d *dataFiles) otherLimbCode(g *generator, codes []string, day int32) string {
	if d == nil {
		return pick(g.rng, codes)
	}
	dos := dateString(day)
	ok := slices.DeleteFunc(slices.Clone(codes), func(code string) bool {
		for _, c := range [2][2]string{{procedure, code}, {code, procedure}} {
			if e, st := d.set.PTP(c[0], c[1], dos); st == codedata.Found && e.Indicator == codedata.NotAllowed {
				return true
			}
		}
		return false
	})
	if len(ok) == 0 {
		ok = codes
	}
	return pick(g.rng, ok)
}
