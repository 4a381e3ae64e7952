package main

import (
	"slices"
	"strconv"
	"strings"

	"github.com/scrub837/scrub837/scrubber/codedata"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// expectData adjusts ids, the rules that must fire on target claim c of a
// billing provider (NPI npi, PRV*BI taxonomy tax), to the data files: it
// adds what the data rules fire and takes out the pack's findings they
// replace (scrubber/RULES.md, "Reported once, from the data file"). A void
// gets only TAXONOMY-INVALID.
func (d *dataFiles) expectData(c *claim, npi, tax string, ids []rules.ID) []rules.ID {
	if d == nil || !c.isTarget() {
		return ids
	}
	ids = d.expectTaxonomies(c, tax, ids)
	if c.freq == "8" {
		return ids
	}
	ids = d.expectPTP(c, npi, ids)
	ids = d.expectMUE(c, npi, ids)
	return d.expectDiagnoses(c, ids)
}

// expectPTP: NCCI-PTP or NCCI-PTP-BYPASSED on each line that forms an edit
// with a target line of its day by the same practitioner, instead of the
// pack's BUNDLE-* finding about that line.
func (d *dataFiles) expectPTP(c *claim, npi string, ids []rules.ID) []rules.ID {
	for j := range c.lines {
		o := &c.lines[j]
		dos, ok := lineDate(o)
		if !ok || o.isTarget() || o.proc == "" {
			continue
		}
		best := ptpNone
		for i := range c.lines {
			t := &c.lines[i]
			if tdos, ok := lineDate(t); !ok || !t.isTarget() || tdos != dos || practitionerOf(c, t, npi) != practitionerOf(c, o, npi) {
				continue
			}
			best = max(best, d.ptp(o, t, dos))
		}
		switch best {
		case ptpNone:
			continue
		case ptpDenied:
			ids = append(ids, rules.NcciPTP)
		case ptpBypassed:
			ids = append(ids, rules.NcciPTPBypassed)
		}
		ids = removeOne(ids, rules.BundleOverride, rules.BundleIncluded, rules.BundleReview)
	}
	return ids
}

// expectMUE: MUE-EXCEEDED on each target line above the MUE of its date
// (MAI 1: its own units; MAI 2 and 3: the claim's units of that day by the
// same practitioner so far), instead of LINE-UNITS above max_units and, on
// a 50 line above the MUE, MOD-50-UNITS.
func (d *dataFiles) expectMUE(c *claim, npi string, ids []rules.ID) []rules.ID {
	type day struct {
		dos, npi string
	}
	sums := map[day]int64{}
	for i := range c.lines {
		l := &c.lines[i]
		dos, ok := lineDate(l)
		u, uok := thousandths(l.units)
		if !ok || !l.isTarget() || !uok {
			continue
		}
		m, st := d.set.MUE(procedure, dos)
		if st != codedata.Found {
			continue
		}
		limit := int64(m.Value) * 1000
		total := u
		if m.Adjudication.PerDateOfService() {
			k := day{dos, practitionerOf(c, l, npi)}
			sums[k] += u
			total = sums[k]
		}
		if total > limit {
			ids = append(ids, rules.MueExceeded)
		}
		if u > 1000 { // above the pack's max_units (1)
			ids = removeOne(ids, rules.LineUnits)
		}
		if u > limit && slices.Contains(l.mods, "50") {
			ids = removeOne(ids, rules.Mod50Units)
		}
	}
	return ids
}

// claimDOS is the date the claim's diagnoses are read for: its first target
// line's usable date.
func claimDOS(c *claim) (string, bool) {
	for i := range c.lines {
		if dos, ok := lineDate(&c.lines[i]); ok && c.lines[i].isTarget() {
			return dos, true
		}
	}
	return "", false
}

// icd is what the ICD-10-CM file of the claim's fiscal year says of a
// diagnosis, and whether it speaks for it (not for ICD-9 qualifiers or a
// code with a point: DX-CODE-INVALID's).
func (d *dataFiles) icd(x dx, dos string) (codedata.Diagnosis, bool) {
	if x.qual == "BK" || x.qual == "BF" || strings.Contains(x.code, ".") {
		return codedata.Diagnosis{}, false
	}
	res := d.set.Diagnosis(x.code, dos)
	return res, res.Status != codedata.NoFile
}

// expectDiagnoses: DX-CODE-NOT-BILLABLE on each claim diagnosis that is a
// header or not in the file, instead of the pack's DX-CODE-INCOMPLETE
// (once per target line that points to it) and DX-CODE-INVALID for its
// shape.
func (d *dataFiles) expectDiagnoses(c *claim, ids []rules.ID) []rules.ID {
	dos, ok := claimDOS(c)
	if !ok {
		return ids
	}
	for n, x := range c.dx {
		res, covered := d.icd(x, dos)
		if !covered {
			continue
		}
		// The file judges the code, billable or not: the pack's length
		// and shape checks stand aside.
		if !wellFormed(x.code) {
			ids = removeOne(ids, rules.DxCodeInvalid)
		}
		for i := range c.lines {
			if c.lines[i].isTarget() && slices.Contains(c.lines[i].pointers, strconv.Itoa(n+1)) {
				ids = removeOne(ids, rules.DxCodeIncomplete)
			}
		}
		if res.Status != codedata.Found || !res.Billable {
			ids = append(ids, rules.DxCodeNotBillable)
		}
	}
	return ids
}

// wellFormed is the shape of an ICD-10-CM code without its point: a
// capital letter, a digit, a capital or digit, then up to four more.
func wellFormed(code string) bool {
	if len(code) < 3 || len(code) > 7 || code[0] < 'A' || code[0] > 'Z' || code[1] < '0' || code[1] > '9' {
		return false
	}
	for i := 2; i < len(code); i++ {
		if !(code[i] >= '0' && code[i] <= '9' || code[i] >= 'A' && code[i] <= 'Z') {
			return false
		}
	}
	return true
}

// expectTaxonomies: TAXONOMY-INVALID on each PRV taxonomy NUCC does not
// have (2000A, 2310B, 2420A), instead of LINE-TAXONOMY-ATYPICAL for a
// target line whose rendering taxonomy it is.
func (d *dataFiles) expectTaxonomies(c *claim, tax string, ids []rules.ID) []rules.ID {
	invalid := func(code string) bool {
		if code == "" {
			return false
		}
		_, st := d.set.Taxonomy(code)
		return st == codedata.Absent
	}
	for _, code := range []string{tax, c.renderTax} {
		if invalid(code) {
			ids = append(ids, rules.TaxonomyInvalid)
		}
	}
	for i := range c.lines {
		l := &c.lines[i]
		if invalid(l.lineTax) {
			ids = append(ids, rules.TaxonomyInvalid)
		}
		if c.freq == "8" || !l.isTarget() {
			continue
		}
		eff := l.lineTax
		switch {
		case eff == "" && c.renderTax != "":
			eff = c.renderTax
		case eff == "" && tax != groupTaxonomy:
			eff = tax
		}
		if invalid(eff) {
			ids = removeOne(ids, rules.LineTaxonomyAtypical)
		}
	}
	return ids
}

// removeOne removes the first of ids that is one of the rules, trying them
// in order; ids is unchanged when none is there.
func removeOne(ids []rules.ID, which ...rules.ID) []rules.ID {
	for _, w := range which {
		if k := slices.Index(ids, w); k >= 0 {
			return slices.Delete(ids, k, k+1)
		}
	}
	return ids
}

// expectPartnerMUE adds MUE-EXCEEDED to the rules of partner claim pc of a
// cross-claim defect when its 0620T units and those of the original claim
// orig on the partner's date, by the same practitioner, pass the MUE while
// pc's alone do not (the original comes first in the drop).
func (d *dataFiles) expectPartnerMUE(pc, orig *claim, pcNPI, origNPI string, ids []rules.ID) []rules.ID {
	if d == nil || pc.freq != "" || orig.freq != "" {
		return ids
	}
	type day struct{ dos, npi string }
	origUnits := map[day]int64{}
	for i := range orig.lines {
		l := &orig.lines[i]
		dos, ok := lineDate(l)
		u, uok := thousandths(l.units)
		if ok && uok && l.isTarget() {
			origUnits[day{dos, practitionerOf(orig, l, origNPI)}] += u
		}
	}
	own := map[day]int64{}
	for i := range pc.lines {
		l := &pc.lines[i]
		dos, ok := lineDate(l)
		u, uok := thousandths(l.units)
		if !ok || !uok || !l.isTarget() {
			continue
		}
		m, st := d.set.MUE(procedure, dos)
		if st != codedata.Found || !m.Adjudication.PerDateOfService() {
			continue
		}
		k := day{dos, practitionerOf(pc, l, pcNPI)}
		own[k] += u
		limit := int64(m.Value) * 1000
		if origUnits[k]+own[k] > limit && own[k] <= limit {
			ids = append(ids, rules.MueExceeded)
		}
	}
	return ids
}

// expect is ids with what the data files make of target claim c of
// provider prov (ids as they are without data files).
func (g *generator) expect(c *claim, prov *provider, ids []rules.ID) []rules.ID {
	return g.data.expectData(c, prov.npi, prov.tax, ids)
}

// expectPartner is expect for the partner claim pc of p, with the units
// the original claim bills that day (MUE-EXCEEDED across claims).
func (g *generator) expectPartner(pc *claim, p *partner, prov *provider, ids []rules.ID) []rules.ID {
	ids = g.expect(pc, prov, ids)
	if p.orig == nil {
		return ids
	}
	return g.data.expectPartnerMUE(pc, p.orig, prov.npi, p.origNPI, ids)
}
