package scrubber

import (
	"strings"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/codedata"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// claimDOS is the date of service a claim's diagnoses are read for: its
// first target line's with a usable date, CCYYMMDD; "" when none has one.
// The fiscal year of that date chooses the ICD-10-CM file.
func (k *claimCheck) claimDOS() string {
	for i := range k.c.Lines {
		if k.isTarget(i) && k.dates[i].valid() {
			return k.dos(i)
		}
	}
	return ""
}

// icd looks claim diagnosis d up in the ICD-10-CM file of the claim's
// fiscal year. ok is false for the codes the pack judges: without data
// (or on a void) or a usable date, a code with a point or under an ICD-9
// qualifier (BK, BF) — DX-CODE-INVALID says what to change there.
func (k *claimCheck) icd(d *claim.Diagnosis) (res codedata.Diagnosis, ok bool) {
	if !k.dataOn() || d.Qualifier == "BK" || d.Qualifier == "BF" || strings.IndexByte(d.Code, '.') >= 0 {
		return codedata.Diagnosis{}, false
	}
	dos := k.claimDOS()
	if dos == "" {
		return codedata.Diagnosis{}, false
	}
	return k.d.Diagnosis(d.Code, dos), true
}

// billableDiagnoses is DX-CODE-NOT-BILLABLE: every claim diagnosis (HI,
// pointed or not) that the ICD-10-CM file of the claim's fiscal year
// flags as a header, or does not have. About the HI segment, once a code.
func (k *claimCheck) billableDiagnoses() {
	c := k.c
	for i := range c.Diagnoses {
		d := &c.Diagnoses[i]
		res, ok := k.icd(d)
		if !ok || res.Status == codedata.NoFile || res.Status == codedata.Found && res.Billable {
			continue
		}
		where := " (" + d.Qualifier + ", position " + itoa(d.Pointer) + ")"
		fy := "FY" + itoa(res.FiscalYear)
		var msg, sugg string
		if res.Status == codedata.Found {
			msg = "diagnosis " + d.Code + where + " is a category header in ICD-10-CM " + fy + ", not a billable code: \"" +
				res.Description + "\" (" + res.File + ")"
			if f := k.dx(d.Code); f.MinLength > 0 && len(d.Code) >= f.MinLength {
				msg += "; the rule pack's min_length (" + itoa(f.MinLength) + " characters) takes it for complete: the ICD-10-CM file decides"
			}
			sugg = "replace " + d.Code + " in HI with the billable code the record supports: " + k.codesUnder(d.Code, res.FiscalYear)
		} else {
			msg = "diagnosis " + d.Code + where + " is not an ICD-10-CM code in " + fy + " (" + res.File + ")"
			if !wellFormedICD10(d.Code) {
				msg += "; it is not shaped like one either (a letter, two more characters, then up to four letters or digits, in capitals)"
			}
			sugg = "correct the code in HI to the " + fy + " ICD-10-CM code the record supports (a code deleted that year has a successor; a typing slip has the right one)"
		}
		k.fireData(rules.DxCodeNotBillable, nil, d.Pos, msg, sugg)
	}
}

// codeChars are the characters an ICD-10-CM code may continue with.
const codeChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// codesUnder lists the codes one character longer than header code in the
// claim's ICD-10-CM file: the billable ones (at most 8, then how many
// more), or, when they are headers too, those.
func (k *claimCheck) codesUnder(code string, fy int) string {
	dos := k.claimDOS()
	var billable, headers []string
	nb := 0
	for i := 0; i < len(codeChars) && len(code) < 7; i++ {
		child := code + codeChars[i:i+1]
		res := k.d.Diagnosis(child, dos)
		switch {
		case res.Status != codedata.Found:
		case res.Billable:
			nb++
			if len(billable) < 8 {
				billable = append(billable, child)
			}
		case len(headers) < 8:
			headers = append(headers, child)
		}
	}
	switch {
	case nb > 0:
		return "the billable codes under it in FY" + itoa(fy) + " are " + capList(billable, nb)
	case len(headers) > 0:
		return "the codes under it are headers too (" + strings.Join(headers, ", ") + "): code down to a billable one"
	}
	return "the file lists no code under it: check the category"
}
