package pack

import (
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// Source is where a pack entry comes from: its `source` field.
type Source string

// Sources of pack entries.
const (
	SourceSeed    Source = "seed"    // the customer's seed document
	SourceCodeset Source = "codeset" // a public code set (ICD-10-CM, CPT, NUCC, CMS)
)

// Sources of the findings of the data-file rules (--data; rules.Rule.Data):
// the publisher of the file that made the rule fire. No pack entry has them.
const (
	SourceCMS  Source = "cms"  // CMS NCCI PTP and MUE tables, the CDC/CMS ICD-10-CM order file
	SourceNUCC Source = "nucc" // the NUCC health care provider taxonomy
)

// Relationship is how a related code relates to the procedure.
type Relationship string

// Relationships of a related code to the procedure.
const (
	RelIncluded Relationship = "included" // part of the procedure: BUNDLE-INCLUDED / BUNDLE-OVERRIDE
	RelReview   Relationship = "review"   // may be separately reportable: BUNDLE-REVIEW
)

// Side is the laterality of a diagnosis: 0 when the pack gives none, else
// 'R', 'L' or 'B' (both legs), or one of the two unsided values ICD-10-CM
// codes in the 6th character of its side-coded subcategories: 'U'
// (unspecified extremity, 9) and 'O' (other extremity, 8).
type Side byte

// Sides.
const (
	SideNone        Side = 0
	SideRight       Side = 'R'
	SideLeft        Side = 'L'
	SideBoth        Side = 'B'
	SideUnspecified Side = 'U' // side-coded, but the side is not given
	SideOther       Side = 'O' // side-coded: an extremity other than the legs
)

// Leg reports whether the side names a leg or both (R, L or B).
func (s Side) Leg() bool { return s == SideRight || s == SideLeft || s == SideBoth }

func (s Side) String() string {
	if s == SideNone {
		return ""
	}
	return string(rune(s))
}

// Rule is one enabled rule: its severity and the source that makes it
// exist.
type Rule struct {
	ID       rules.ID
	Severity finding.Severity
	Source   Source
	// Cases are severities for named variants of the rule, e.g.
	// DX-LATERALITY-CONFLICT "bilateral"; nil for most rules.
	Cases map[string]finding.Severity
}

// Case returns the rule with the severity the pack gives the named variant,
// or the rule unchanged when the pack gives none.
func (r Rule) Case(name string) Rule {
	if s, ok := r.Cases[name]; ok {
		r.Severity = s
	}
	return r
}

// CodeEntry is one listed code: a supporting diagnosis, modifier, override
// or anesthesia modifier, place of service or taxonomy.
type CodeEntry struct {
	Code string `yaml:"code"`
	// Description is in the entry's own source's words: the seed's for a seed
	// entry, the code set's for a codeset entry.
	Description string `yaml:"description,omitempty"`
	// CodesetDescription is, on a seed entry, what the public code set says
	// the code means. It is codeset data: seed-only loading clears it.
	CodesetDescription string `yaml:"codeset_description,omitempty"`
	// Text is the seed's third column: clinical relevance, when to use,
	// notes.
	Text   string `yaml:"text,omitempty"`
	Source Source `yaml:"source"`
}

// Descriptions returns what the seed and the public code set say the code
// means; either may be "".
func (e *CodeEntry) Descriptions() (seed, codeset string) {
	return descriptions(e.Source, e.Description, e.CodesetDescription)
}

// descriptions sorts an entry's own description and its codeset_description
// into the seed's words and the public code set's.
func descriptions(source Source, own, codesetDescription string) (seed, codeset string) {
	if source == SourceSeed {
		return own, codesetDescription
	}
	return "", own
}

// sideEntry gives the side of every diagnosis starting with Code (or with
// one of Codes).
type sideEntry struct {
	Code   string   `yaml:"code,omitempty"`
	Codes  []string `yaml:"codes,omitempty"`
	Side   string   `yaml:"side"` // R, L, B, U or O
	Source Source   `yaml:"source"`
	side   Side
}

// minLengthEntry is the shortest billable length (without the point) of
// the diagnoses starting with Code (or with one of Codes).
type minLengthEntry struct {
	Code   string   `yaml:"code,omitempty"`
	Codes  []string `yaml:"codes,omitempty"`
	Length int      `yaml:"length"`
	Source Source   `yaml:"source"`
}

// nextEntry says which characters may follow a category header (Code, or
// each of Codes): DX-CODE-INCOMPLETE's suggestion quotes Next.
type nextEntry struct {
	Code   string   `yaml:"code,omitempty"`
	Codes  []string `yaml:"codes,omitempty"`
	Next   string   `yaml:"next"` // "1 thigh, 2 calf, ..."
	Source Source   `yaml:"source"`
}

// ulcerEntry is ICD-10-CM's "use additional code to identify severity of
// ulcer": a claim with a diagnosis starting with one of Ulceration needs one
// starting with one of Severity (DX-ULCER-SEVERITY-MISSING).
type ulcerEntry struct {
	Ulceration []string `yaml:"ulceration"`
	Severity   []string `yaml:"severity"`
	Text       string   `yaml:"text,omitempty"`
	Source     Source   `yaml:"source"`
}

// includesEntry says in words what the procedure's descriptor includes, for
// BUNDLE-INCLUDED's message.
type includesEntry struct {
	Description string `yaml:"description"`
	Source      Source `yaml:"source"`
}

// CodePair is two codes that may not be billed together: an Excludes1 pair
// of diagnoses or a modifier conflict.
type CodePair struct {
	Codes  []string `yaml:"pair"`
	Reason string   `yaml:"reason,omitempty"`
	Source Source   `yaml:"source"`
}

// RelatedCode is a code billed with the procedure that is part of it
// (included) or may be separately reportable (review).
type RelatedCode struct {
	Code string `yaml:"code,omitempty"`
	// Codes lists several codes sharing the entry, instead of Code. Lookups
	// return a copy per code with Code set.
	Codes              []string     `yaml:"codes,omitempty"`
	Relationship       Relationship `yaml:"relationship"`
	Description        string       `yaml:"description,omitempty"`
	CodesetDescription string       `yaml:"codeset_description,omitempty"`
	Text               string       `yaml:"text,omitempty"` // relationship to the procedure
	ValidFrom          string       `yaml:"valid_from,omitempty"`
	ValidTo            string       `yaml:"valid_to,omitempty"`
	Source             Source       `yaml:"source"`
}

// Descriptions returns what the seed and the public code set say the code
// means; either may be "".
func (r *RelatedCode) Descriptions() (seed, codeset string) {
	return descriptions(r.Source, r.Description, r.CodesetDescription)
}

// Validity bounds the dates of service on which a code exists. Either date
// may be "" (open).
type Validity struct {
	Code      string   `yaml:"code,omitempty"`
	Codes     []string `yaml:"codes,omitempty"`
	ValidFrom string   `yaml:"valid_from,omitempty"` // YYYY-MM-DD
	ValidTo   string   `yaml:"valid_to,omitempty"`   // YYYY-MM-DD
	Text      string   `yaml:"text,omitempty"`
	Source    Source   `yaml:"source"`
	from, to  string   // CCYYMMDD, to compare with claim dates as text
}

// maxUnitsEntry is the most units one target line may bill.
type maxUnitsEntry struct {
	Value  float64 `yaml:"value"`
	Source Source  `yaml:"source"`
}

// payerGroup maps payer IDs and name words to a report group.
type payerGroup struct {
	Group    string   `yaml:"group"`
	PayerIDs []string `yaml:"payer_ids,omitempty"`
	Names    []string `yaml:"names,omitempty"`
	Source   Source   `yaml:"source"`
}

// ruleEntry is a rule as written in the pack.
type ruleEntry struct {
	ID       string            `yaml:"id"`
	Severity string            `yaml:"severity"`
	Cases    map[string]string `yaml:"cases,omitempty"`
	Source   Source            `yaml:"source"`
}

// codeList is a list of code entries: supporting diagnoses, modifiers,
// places of service, taxonomies.
type codeList []*CodeEntry

// packDoc is the pack file. Field order is the order EffectiveYAML writes.
type packDoc struct {
	Name                string            `yaml:"name"`
	Version             string            `yaml:"version"`
	Procedure           string            `yaml:"procedure"`
	Description         string            `yaml:"description,omitempty"`
	Rules               []*ruleEntry      `yaml:"rules"`
	Diagnoses           codeList          `yaml:"diagnoses,omitempty"`
	WeakDiagnoses       codeList          `yaml:"weak_diagnoses,omitempty"`
	Laterality          []*sideEntry      `yaml:"laterality,omitempty"`
	MinLength           []*minLengthEntry `yaml:"min_length,omitempty"`
	NextCharacters      []*nextEntry      `yaml:"next_characters,omitempty"`
	UlcerSeverity       *ulcerEntry       `yaml:"ulcer_severity,omitempty"`
	Excludes1           []*CodePair       `yaml:"excludes1,omitempty"`
	Modifiers           codeList          `yaml:"modifiers,omitempty"`
	PayerModifiers      codeList          `yaml:"payer_modifiers,omitempty"`
	OtherModifiers      codeList          `yaml:"other_modifiers,omitempty"`
	ModifierConflicts   []*CodePair       `yaml:"modifier_conflicts,omitempty"`
	OverrideModifiers   codeList          `yaml:"override_modifiers,omitempty"`
	AnesthesiaModifiers codeList          `yaml:"anesthesia_modifiers,omitempty"`
	Includes            []*includesEntry  `yaml:"includes,omitempty"`
	Related             []*RelatedCode    `yaml:"related,omitempty"`
	Validity            []*Validity       `yaml:"validity,omitempty"`
	PlacesOfService     codeList          `yaml:"places_of_service,omitempty"`
	Taxonomies          codeList          `yaml:"taxonomies,omitempty"`
	GroupTaxonomies     codeList          `yaml:"group_taxonomies,omitempty"`
	MaxUnits            *maxUnitsEntry    `yaml:"max_units,omitempty"`
	PayerGroups         []*payerGroup     `yaml:"payer_groups,omitempty"`
}
