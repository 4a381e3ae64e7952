// Package rules is the rule catalogue: every rule scrub837 has, with its
// ID, default severity, whether a rule pack configures it or it is built
// in, the named cases a pack may give their own severity, and what it
// checks. The contract the table follows is scrubber/RULES.md.
//
// The checks, the rule pack's validator, gen837's oracle and the golden
// tests read this table; adding a rule is adding its row (and its check).
package rules

import "github.com/scrub837/scrub837/scrubber/finding"

// ID names a rule. Its String is the rule ID that reports show.
type ID uint8

// Rule is one row of the catalogue.
type Rule struct {
	ID ID
	// Severity is the default of scrubber/RULES.md; a pack sets the
	// severity of the rules it configures.
	Severity finding.Severity
	// Builtin rules (X12 structure, unreadable files, the claim history)
	// are not configured in a rule pack; the others are on when the pack
	// lists them.
	Builtin bool
	// History rules compare a claim with earlier runs' (--history): the
	// command checks them after the scrub, and only with a history.
	History bool
	// OnClaim rules can fire on a claim (the others are about a file,
	// interchange or transaction).
	OnClaim bool
	// Cases are the named variants a pack may give a severity of their own.
	Cases []string
	// Data is, for a rule of the public data files (scrubber/codedata,
	// --data), who publishes them: "cms" or "nucc", its findings' source.
	// Such a rule is on when --data loads the files it reads, with the
	// severity here; a pack does not configure it. "" for the other rules.
	Data string
	// Checks says in one line what the rule checks.
	Checks string
	// PackLists are the top-level lists of the rule pack the rule's check
	// compares against (scrub837 explain prints them); none for a rule
	// that reads no list.
	PackLists []string
}

// CaseBilateral is the DX-LATERALITY-CONFLICT case of modifier 50 on the
// line (a warning in the default pack).
const CaseBilateral = "bilateral"

// The rules, in the catalogue's order.
const (
	DxPointerMissing ID = iota + 1
	DxPointerInvalid
	DxPointerDangling
	DxPointerDuplicate
	DxNotSupporting
	DxWeakSupport
	DxPrimaryNotSupporting
	DxCodeInvalid
	DxCodeIncomplete
	DxUlcerSeverityMissing
	DxExcludes1
	DxLateralityConflict
	DxLateralityUnspecified
	ModUnlisted
	ModNoGuidance
	ModLateralityMissing
	ModLateralityConflict
	ModConflict
	ModDuplicate
	Mod51SingleProcedure
	Mod50Units
	ModAnesthesia
	BundleIncluded
	BundleOverride
	BundleReview
	BundleCrossClaim
	LineDuplicate
	CodeNotValidOnDOS
	LineDOSMissing
	LineDOSInvalid
	LineChargeInvalid
	LineUnits
	LinePOSAtypical
	LineTaxonomyAtypical
	LineTaxonomyMissing
	ClaimChargeMismatch
	ClaimFrequencyInvalid
	ClaimOriginalRefMissing
	NPIInvalid
	X12Envelope
	X12Syntax
	X12Not837P
	X12Version
	FileUnreadable
	FileCrossClaimSkipped // the run's (cmd/scrub837/internal/runner), when temporary space or open files ran out
	FileHistorySkipped    // the run's, when the claim history could not be checked
	// The rules of the public data files (--data).
	NcciPTP
	NcciPTPBypassed
	MueExceeded
	DxCodeNotBillable
	TaxonomyInvalid
	// The claim history's rule (--history).
	HistDuplicate

	numIDs
)

// row is a Rule and its name.
type row struct {
	name string
	Rule
}

const (
	err  = finding.Error
	warn = finding.Warning
	info = finding.Info
)

// catalogue is the table, indexed by ID.
var catalogue = [numIDs]row{
	DxPointerMissing:       {"DX-POINTER-MISSING", Rule{Severity: err, OnClaim: true, Checks: "the target line has no diagnosis pointer (SV107)"}},
	DxPointerInvalid:       {"DX-POINTER-INVALID", Rule{Severity: err, OnClaim: true, Checks: "a pointer is not a number from 1 to 12, or is empty between pointers"}},
	DxPointerDangling:      {"DX-POINTER-DANGLING", Rule{Severity: err, OnClaim: true, Checks: "a pointer names a position with no diagnosis in the claim's HI"}},
	DxPointerDuplicate:     {"DX-POINTER-DUPLICATE", Rule{Severity: warn, OnClaim: true, Checks: "the same pointer appears twice on one line"}},
	DxNotSupporting:        {"DX-NOT-SUPPORTING", Rule{Severity: err, OnClaim: true, Checks: "no pointed diagnosis is a supporting diagnosis of the pack", PackLists: []string{"diagnoses", "weak_diagnoses"}}},
	DxWeakSupport:          {"DX-WEAK-SUPPORT", Rule{Severity: warn, OnClaim: true, Checks: "the pointed diagnoses support the procedure only weakly (claudication, not limb-threatening ischemia)", PackLists: []string{"weak_diagnoses", "diagnoses"}}},
	DxPrimaryNotSupporting: {"DX-PRIMARY-NOT-SUPPORTING", Rule{Severity: warn, OnClaim: true, Checks: "the first pointer is not supporting but a later one is", PackLists: []string{"diagnoses"}}},
	DxCodeInvalid:          {"DX-CODE-INVALID", Rule{Severity: err, OnClaim: true, Checks: "a claim diagnosis is malformed, or ICD-9 on a service date from 2015-10-01"}},
	DxCodeIncomplete:       {"DX-CODE-INCOMPLETE", Rule{Severity: err, OnClaim: true, Checks: "a pointed diagnosis is shorter than its category's billable length", PackLists: []string{"min_length", "next_characters"}}},
	DxUlcerSeverityMissing: {"DX-ULCER-SEVERITY-MISSING", Rule{Severity: warn, OnClaim: true, Checks: "atherosclerosis with ulceration coded without an ulcer severity code (L97.-, L98.4-)", PackLists: []string{"ulcer_severity"}}},
	DxExcludes1:            {"DX-EXCLUDES1", Rule{Severity: err, OnClaim: true, Checks: "two claim diagnoses form an Excludes1 pair of the pack", PackLists: []string{"excludes1"}}},
	DxLateralityConflict: {"DX-LATERALITY-CONFLICT", Rule{Severity: err, OnClaim: true, Cases: []string{CaseBilateral},
		Checks: "the line's side modifier against the sides of the diagnoses it points to", PackLists: []string{"laterality"}}},
	DxLateralityUnspecified: {"DX-LATERALITY-UNSPECIFIED", Rule{Severity: warn, OnClaim: true, Checks: "a sided line points to a supporting diagnosis coded for an unspecified extremity", PackLists: []string{"laterality", "diagnoses"}}},
	ModUnlisted:             {"MOD-UNLISTED", Rule{Severity: warn, OnClaim: true, Checks: "a modifier is neither in the pack's list for the procedure nor a payer modifier", PackLists: []string{"modifiers", "payer_modifiers", "other_modifiers"}}},
	ModNoGuidance:           {"MOD-NO-GUIDANCE", Rule{Severity: info, OnClaim: true, Checks: "a listed modifier has no description of when to use it", PackLists: []string{"modifiers"}}},
	ModLateralityMissing:    {"MOD-LATERALITY-MISSING", Rule{Severity: warn, OnClaim: true, Checks: "none of LT, RT, 50 on the target line"}},
	ModLateralityConflict:   {"MOD-LATERALITY-CONFLICT", Rule{Severity: err, OnClaim: true, Checks: "50 with LT or RT, or LT with RT"}},
	ModConflict:             {"MOD-CONFLICT", Rule{Severity: err, OnClaim: true, Checks: "two modifiers the pack forbids together", PackLists: []string{"modifier_conflicts"}}},
	ModDuplicate:            {"MOD-DUPLICATE", Rule{Severity: warn, OnClaim: true, Checks: "the same modifier twice on the line"}},
	Mod51SingleProcedure:    {"MOD-51-SINGLE-PROCEDURE", Rule{Severity: warn, OnClaim: true, Checks: "51 on the line, but no other procedure that day that is not bundled into it", PackLists: []string{"related"}}},
	Mod50Units:              {"MOD-50-UNITS", Rule{Severity: warn, OnClaim: true, Checks: "50 with units other than 1"}},
	ModAnesthesia:           {"MOD-ANESTHESIA", Rule{Severity: warn, OnClaim: true, Checks: "an anesthesia modifier on the surgical line", PackLists: []string{"anesthesia_modifiers"}}},
	BundleIncluded:          {"BUNDLE-INCLUDED", Rule{Severity: err, OnClaim: true, Checks: "a code included in the procedure on the claim for the same date", PackLists: []string{"related", "includes", "override_modifiers"}}},
	BundleOverride:          {"BUNDLE-OVERRIDE", Rule{Severity: warn, OnClaim: true, Checks: "an included code billed as a distinct service (59, XE, XS, XP, XU) or on the other limb", PackLists: []string{"related", "override_modifiers"}}},
	BundleReview:            {"BUNDLE-REVIEW", Rule{Severity: warn, OnClaim: true, Checks: "a code that may be separately reportable on the same date", PackLists: []string{"related"}}},
	BundleCrossClaim:        {"BUNDLE-CROSS-CLAIM", Rule{Severity: warn, OnClaim: true, Checks: "a related code for the same patient, billing NPI and date on another claim of the run", PackLists: []string{"related"}}},
	LineDuplicate:           {"LINE-DUPLICATE", Rule{Severity: err, OnClaim: true, Checks: "the procedure twice for the same patient, date and side, in a claim or across original claims, unless two people's work"}},
	CodeNotValidOnDOS:       {"CODE-NOT-VALID-ON-DOS", Rule{Severity: err, OnClaim: true, Checks: "a code on the target claim does not exist on its date of service", PackLists: []string{"validity", "related"}}},
	LineDOSMissing:          {"LINE-DOS-MISSING", Rule{Severity: err, OnClaim: true, Checks: "the target line has no DTP*472"}},
	LineDOSInvalid:          {"LINE-DOS-INVALID", Rule{Severity: err, OnClaim: true, Checks: "DTP*472 is not a valid D8 date or RD8 range"}},
	LineChargeInvalid:       {"LINE-CHARGE-INVALID", Rule{Severity: err, OnClaim: true, Checks: "SV102 missing, not a number, zero or negative"}},
	LineUnits:               {"LINE-UNITS", Rule{Severity: warn, OnClaim: true, Checks: "SV104 missing, not positive, or above the pack's max_units", PackLists: []string{"max_units"}}},
	LinePOSAtypical:         {"LINE-POS-ATYPICAL", Rule{Severity: warn, OnClaim: true, Checks: "the place of service is not in the pack's typical set", PackLists: []string{"places_of_service"}}},
	LineTaxonomyAtypical:    {"LINE-TAXONOMY-ATYPICAL", Rule{Severity: warn, OnClaim: true, Checks: "the rendering taxonomy is not in the pack's list", PackLists: []string{"taxonomies", "group_taxonomies"}}},
	LineTaxonomyMissing:     {"LINE-TAXONOMY-MISSING", Rule{Severity: info, OnClaim: true, Checks: "no provider taxonomy anywhere on the claim"}},
	ClaimChargeMismatch:     {"CLAIM-CHARGE-MISMATCH", Rule{Severity: err, OnClaim: true, Checks: "CLM02 differs from the sum of the line charges"}},
	ClaimFrequencyInvalid:   {"CLAIM-FREQUENCY-INVALID", Rule{Severity: err, OnClaim: true, Checks: "CLM05-3 is not 1 (original), 7 (replacement) or 8 (void)"}},
	ClaimOriginalRefMissing: {"CLAIM-ORIGINAL-REF-MISSING", Rule{Severity: err, OnClaim: true, Checks: "a replacement or void has no REF*F8 naming the claim it stands for"}},
	NPIInvalid:              {"NPI-INVALID", Rule{Severity: err, OnClaim: true, Checks: "a provider NPI is not 10 digits or fails its check digit"}},
	X12Envelope:             {"X12-ENVELOPE", Rule{Severity: err, Builtin: true, Checks: "control numbers or counts of the envelope do not match, or a trailer is missing"}},
	X12Syntax:               {"X12-SYNTAX", Rule{Severity: err, Builtin: true, OnClaim: true, Checks: "a segment the reader cannot read or place"}},
	X12Not837P:              {"X12-NOT-837P", Rule{Severity: warn, Builtin: true, Checks: "a transaction that is not an 837P: skipped and counted"}},
	X12Version:              {"X12-VERSION", Rule{Severity: info, Builtin: true, Checks: "an 837P of another 005010X222 guide than 005010X222A1"}},
	FileUnreadable:          {"FILE-UNREADABLE", Rule{Severity: err, Builtin: true, Checks: "the file cannot be read, decompressed or holds no ISA"}},
	FileCrossClaimSkipped:   {"FILE-CROSS-CLAIM-SKIPPED", Rule{Severity: warn, Builtin: true, Checks: "the run could not match claims across claims and files (temporary space or open files ran out): the file's target claims were not compared with other claims"}},
	FileHistorySkipped:      {"FILE-HISTORY-SKIPPED", Rule{Severity: warn, Builtin: true, History: true, Checks: "the run could not check the claim history for duplicates (HIST-DUPLICATE): the file's target claims were not compared with earlier nights'"}},

	NcciPTP:           {"NCCI-PTP", Rule{Severity: err, OnClaim: true, Data: cms, Checks: "the procedure and another line's code form an NCCI PTP edit in force on their date (CMS practitioner edits)"}},
	NcciPTPBypassed:   {"NCCI-PTP-BYPASSED", Rule{Severity: warn, OnClaim: true, Data: cms, Checks: "an NCCI PTP edit with modifier indicator 1, bypassed by an NCCI-associated modifier: documentation needed"}},
	MueExceeded:       {"MUE-EXCEEDED", Rule{Severity: err, OnClaim: true, Data: cms, Checks: "units of the procedure above CMS's medically unlikely edit, per line or per date of service"}},
	DxCodeNotBillable: {"DX-CODE-NOT-BILLABLE", Rule{Severity: err, OnClaim: true, Data: cms, Checks: "a claim diagnosis is a header or not in the ICD-10-CM order file of its fiscal year"}},
	TaxonomyInvalid:   {"TAXONOMY-INVALID", Rule{Severity: err, OnClaim: true, Data: nucc, Checks: "a provider taxonomy on the claim is not a NUCC code"}},

	// The claim history's (--history).
	HistDuplicate: {"HIST-DUPLICATE", Rule{Severity: err, Builtin: true, OnClaim: true, History: true,
		Checks: "an original target line for a patient, date and side that an earlier run recorded on a claim that went out"}},
}

// Publishers of the data files, as Rule.Data names them.
const (
	cms  = "cms"
	nucc = "nucc"
)

// byName finds an ID by its name.
var byName = func() map[string]ID {
	m := make(map[string]ID, numIDs)
	for id := ID(1); id < numIDs; id++ {
		m[catalogue[id].name] = id
	}
	return m
}()

// String is the rule ID as reports show it, e.g. "DX-POINTER-MISSING".
func (id ID) String() string {
	if id == 0 || id >= numIDs {
		return "unknown"
	}
	return catalogue[id].name
}

// Rule is the catalogue's row of id.
func (id ID) Rule() Rule {
	if id == 0 || id >= numIDs {
		return Rule{}
	}
	r := catalogue[id].Rule
	r.ID = id
	return r
}

// HasCase reports whether a pack may give the rule's case name a severity.
func (id ID) HasCase(name string) bool {
	for _, c := range id.Rule().Cases {
		if c == name {
			return true
		}
	}
	return false
}

// Lookup finds a rule by its ID as reports show it.
func Lookup(name string) (ID, bool) {
	id, ok := byName[name]
	return id, ok
}

// All returns every rule in the catalogue's order.
func All() []Rule {
	out := make([]Rule, 0, numIDs-1)
	for id := ID(1); id < numIDs; id++ {
		out = append(out, id.Rule())
	}
	return out
}
