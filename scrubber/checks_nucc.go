package scrubber

import (
	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/codedata"
	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// nuccTaxonomies is TAXONOMY-INVALID: every provider taxonomy on the claim
// (PRV03 of 2000A PRV*BI, 2310B PRV*PE and each line's 2420A PRV*PE) that
// the newest NUCC file loaded does not have. About its PRV segment.
func (k *claimCheck) nuccTaxonomies() {
	c := k.c
	k.nuccTaxonomy(c.BillingTaxonomy, c.BillingTaxonomyPos, nil, "the billing provider (2000A PRV*BI)")
	k.nuccTaxonomy(c.RenderingTaxonomy, c.RenderingTaxonomyPos, nil, "the claim's rendering provider (2310B PRV*PE)")
	for i := range c.Lines {
		l := &c.Lines[i]
		if l.RenderingTaxonomy != "" {
			k.nuccTaxonomy(l.RenderingTaxonomy, l.RenderingTaxonomyPos, l, "")
		}
	}
}

// nuccTaxonomy checks one taxonomy; where names its provider ("": line l's
// rendering provider).
func (k *claimCheck) nuccTaxonomy(code string, pos claim.Pos, l *claim.Line, where string) {
	if code == "" {
		return
	}
	t, st := k.d.Taxonomy(code)
	if st != codedata.Absent {
		return
	}
	if where == "" {
		where = "the rendering provider of line " + lineNumber(l) + " (2420A PRV*PE)"
	}
	msg := "taxonomy " + code + " of " + where + " is not a NUCC health care provider taxonomy code (NUCC " + t.Version + ")"
	if k.p.TaxonomyListed(code) {
		msg += "; the rule pack lists it for " + k.p.Procedure + ", but payers reject a code NUCC does not have"
	}
	k.fireData(rules.TaxonomyInvalid, l, pos, msg,
		"correct PRV03 to the provider's taxonomy code on their NPPES record"+k.listedSpecialties())
}

// listedSpecialties names the NUCC codes among the pack's taxonomies for
// the procedure, with their specialties, the first two: "; for 0620T the
// rule pack lists 2086S0129X (Vascular Surgery Physician), … and 7 more".
func (k *claimCheck) listedSpecialties() string {
	var names []string
	n := 0
	// The code set's entries first: the seed's own taxonomies are not
	// always the specialties it names (scrubber/RULES.md).
	for _, src := range [...]pack.Source{pack.SourceCodeset, pack.SourceSeed} {
		for _, e := range k.p.Taxonomies() {
			t, st := k.d.Taxonomy(e.Code)
			if e.Source != src || st != codedata.Found {
				continue
			}
			n++
			if len(names) < 2 {
				names = append(names, e.Code+" ("+t.Specialty()+")")
			}
		}
	}
	if n == 0 {
		return ""
	}
	return "; for " + k.p.Procedure + " the rule pack lists " + capList(names, n)
}
