package codedata

// Modifier is an NCCI-associated modifier: one that, under the clinical
// circumstances it names, lets both codes of an indicator-1 PTP edit be paid.
// The list is the NCCI Policy Manual's (chapter I, "Modifiers and Modifier
// Indicators"; reproduced by Find-A-Code, findacode.com/tools/ncci-edit-modifiers.php,
// and the Texas Medical Association's "Use Modifiers to Override Correct
// Coding Initiative Edits"). Indicator 0 edits cannot be bypassed, and an
// indicator 9 edit is no edit at all.
type Modifier struct {
	Code  string
	Group string // "anatomic", "global surgery" or "other"
	Why   string // when it bypasses an edit, for the finding's message
}

const anatomicWhy = "anatomic modifier: bypasses the edit only when the two codes are on different sites, so the other line must carry a different site modifier"

var bypassModifiers = func() map[string]Modifier {
	m := map[string]Modifier{}
	add := func(group, why string, codes ...string) {
		for _, c := range codes {
			m[c] = Modifier{Code: c, Group: group, Why: why}
		}
	}
	add("anatomic", anatomicWhy,
		"E1", "E2", "E3", "E4", // eyelids
		"FA", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", // fingers
		"TA", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", // toes
		"LT", "RT", // sides of the body
		"LC", "LD", "LM", "RC", "RI") // coronary arteries
	add("global surgery", "unrelated E/M service in the postoperative period", "24")
	add("global surgery", "significant, separately identifiable E/M service on the day of a procedure (on the E/M code)", "25")
	add("global surgery", "E/M service that resulted in the decision for surgery", "57")
	add("global surgery", "staged or related procedure in the postoperative period", "58")
	add("global surgery", "unplanned return to the operating room for a related procedure in the postoperative period", "78")
	add("global surgery", "unrelated procedure in the postoperative period", "79")
	add("other", "multiple outpatient hospital E/M encounters on the same date (a hospital modifier)", "27")
	add("other", "distinct procedural service: a different session, site, lesion or injury; CMS prefers the more specific XE, XS, XP, XU", "59")
	add("other", "repeat clinical laboratory test on the same day", "91")
	add("other", "separate encounter", "XE")
	add("other", "separate structure (organ or site)", "XS")
	add("other", "separate practitioner", "XP")
	add("other", "unusual non-overlapping service", "XU")
	return m
}()

// BypassModifier reports whether code (a claim modifier, SV101-3…6) is an
// NCCI-associated modifier, and why it may bypass an indicator-1 edit.
// Medicare expects it on the line that would be denied, and only when the
// clinical facts justify it: a bypassed edit still wants documentation.
func BypassModifier(code string) (Modifier, bool) {
	m, ok := bypassModifiers[code]
	return m, ok
}
