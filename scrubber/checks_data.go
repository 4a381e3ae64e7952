package scrubber

import (
	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/codedata"
	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// Rules of scrubber/RULES.md "Payers' edits from the public data files"
// (Options.Data): NCCI-PTP and NCCI-PTP-BYPASSED (checks_ncci.go),
// MUE-EXCEEDED (checks_mue.go; across claims crossmue.go),
// DX-CODE-NOT-BILLABLE (checks_icd.go) and TAXONOMY-INVALID
// (checks_nucc.go). A lookup answers NoFile when no file speaks for the
// code on the date: the pack's rules then apply as they do without data.
// Where a file does speak, the pack's rules that say the same thing give
// way (each asks the helpers here), so the claim hears it once, from the
// payer's edit.

// dataOn reports whether the data files judge this claim's lines and
// diagnoses: with data, unless the claim is a void (see dataRules).
func (k *claimCheck) dataOn() bool { return k.d != nil && k.c.Frequency != frequencyVoid }

// dataClaim is what the data files decided for one claim that the pack's
// rules need to know.
type dataClaim struct {
	// ptpLines marks the lines (by index) that an NCCI PTP edit in force
	// reports: BUNDLE-INCLUDED, -OVERRIDE and -REVIEW leave them alone. nil
	// when there are none (no allocation on a clean claim).
	ptpLines []bool
}

// dataRules runs the data-file rules on the claim (d is set). A void
// (CLM05-3 = 8) cancels a claim the payer has: like NPI-INVALID, only the
// provider's taxonomy is checked on it; its lines are not billed again.
func (k *claimCheck) dataRules() {
	if k.c.Frequency == frequencyVoid {
		k.nuccTaxonomies()
		return
	}
	// A claim with one target line (most claims) needs no sums per day:
	// days stays nil and costs nothing.
	var days *mueDays
	targets := 0
	for i := range k.c.Lines {
		if k.isTarget(i) {
			targets++
		}
	}
	if targets > 1 {
		days = new(mueDays)
	}
	for i := range k.c.Lines {
		if k.isTarget(i) {
			k.mueLine(i, days)
		}
	}
	k.ncciEdits()
	k.billableDiagnoses()
	k.nuccTaxonomies()
}

// dataRule is a data-file rule as the checks emit it: the catalogue's
// severity, and its publisher as the source. The data-file rules are on
// whenever data files are loaded.
func dataRule(id rules.ID) pack.Rule {
	r := id.Rule()
	return pack.Rule{ID: id, Severity: r.Severity, Source: pack.Source(r.Data)}
}

// fireData emits a finding of data-file rule id.
func (k *claimCheck) fireData(id rules.ID, l *claim.Line, pos claim.Pos, message, suggestion string) {
	k.emit(dataRule(id), l, pos, "", message, suggestion)
}

// dos is line i's date of service as the data files are looked up by:
// its first day, CCYYMMDD (a substring of the claim's value: no
// allocation); "" when the line has no usable date.
func (k *claimCheck) dos(i int) string {
	if !k.dates[i].valid() {
		return ""
	}
	return k.c.Lines[i].ServiceDate[:8] // a valid D8 or RD8 value starts with its first day
}

// dataFile names a data file for a message: "CMS NCCI PTP v320r0,
// medicare-ncci-….zip[ccipra-v320r0-f1.TXT]".
func dataFile(what, version, file string) string {
	if version != "" {
		what += " " + version
	}
	return what + ", " + file
}

// mueCovers reports whether the MUE files speak for the procedure's units
// on target line l's date: then MUE-EXCEEDED, not the pack's max_units,
// judges them (LINE-UNITS keeps missing and non-positive units).
func (k *claimCheck) mueCovers(l *claim.Line) bool {
	if !k.dataOn() || !lineDate(l).valid() {
		return false
	}
	_, st := k.d.MUE(l.Procedure, l.ServiceDate[:8])
	return st == codedata.Found
}

// icdCovers reports whether the ICD-10-CM file of the claim's fiscal year
// speaks for claim diagnosis d: then DX-CODE-NOT-BILLABLE, not the pack's
// min_length (DX-CODE-INCOMPLETE) or its shape check (DX-CODE-INVALID),
// judges the code. A code with a point or an ICD-9 qualifier is the pack's
// (DX-CODE-INVALID says what to change).
func (k *claimCheck) icdCovers(d *claim.Diagnosis) bool {
	res, ok := k.icd(d)
	return ok && res.Status != codedata.NoFile
}

// taxonomyInvalid reports whether the NUCC file says code is not a
// taxonomy code (TAXONOMY-INVALID reports it: LINE-TAXONOMY-ATYPICAL
// leaves it alone).
func (k *claimCheck) taxonomyInvalid(code string) bool {
	if k.d == nil || code == "" {
		return false
	}
	_, st := k.d.Taxonomy(code)
	return st == codedata.Absent
}

// taxonomyWords is " (Vascular Surgery Physician)" for a NUCC code, for
// messages about a taxonomy; "" without data or for a code NUCC does not
// have.
func (k *claimCheck) taxonomyWords(code string) string {
	if k.d == nil {
		return ""
	}
	t, st := k.d.Taxonomy(code)
	if st != codedata.Found {
		return ""
	}
	return parenthesized(t.Specialty())
}
