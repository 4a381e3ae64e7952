package scrubber

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// The rule pack: every code list, description, modifier, pair and severity
// the checks use, as data. The default pack is packs/0620T.yaml, embedded;
// a user's file replaces it. Loading validates the whole file and reports
// every problem as "file:line: path: what is wrong". Lookups are built once
// at load time because the checks call them for every claim line.

//go:embed packs/0620T.yaml
var defaultPackYAML []byte

// defaultPackFile is how errors and EffectiveYAML name the embedded pack.
const defaultPackFile = "packs/0620T.yaml"

// Sources of pack entries.
const (
	SourceSeed    = "seed"    // the customer's seed document
	SourceCodeset = "codeset" // a public code set (ICD-10-CM, CPT, NUCC, CMS)
)

// Relationships of a related code to the procedure.
const (
	RelIncluded = "included" // part of the procedure: BUNDLE-INCLUDED / BUNDLE-OVERRIDE
	RelReview   = "review"   // may be separately reportable: BUNDLE-REVIEW
)

// Side is the laterality of a diagnosis: 0 when unknown or unsided, else
// 'R', 'L' or 'B' (both).
type Side byte

// Sides.
const (
	SideNone  Side = 0
	SideRight Side = 'R'
	SideLeft  Side = 'L'
	SideBoth  Side = 'B'
)

func (s Side) String() string {
	if s == SideNone {
		return ""
	}
	return string(rune(s))
}

// RuleSpec is one enabled rule: its severity and the source that makes it
// exist.
type RuleSpec struct {
	ID       rules.ID
	Severity finding.Severity
	Source   string
	// Cases are severities for named variants of the rule, e.g.
	// DX-LATERALITY-CONFLICT "bilateral"; nil for most rules.
	Cases map[string]finding.Severity
}

// Case returns the rule with the severity the pack gives the named variant,
// or the rule unchanged when the pack gives none.
func (r RuleSpec) Case(name string) RuleSpec {
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
	Source string `yaml:"source"`
}

// Descriptions returns what the seed and the public code set say the code
// means; either may be "".
func (e *CodeEntry) Descriptions() (seed, codeset string) {
	return descriptions(e.Source, e.Description, e.CodesetDescription)
}

// descriptions sorts an entry's own description and its codeset_description
// into the seed's words and the public code set's.
func descriptions(source, own, codesetDescription string) (seed, codeset string) {
	if source == SourceSeed {
		return own, codesetDescription
	}
	return "", own
}

// Modifier is a modifier listed for the procedure.
type Modifier = CodeEntry

// DiagnosisEntry is a supporting diagnosis. (Diagnosis is a claim's HI code.)
type DiagnosisEntry = CodeEntry

// SideEntry gives the side of every diagnosis starting with Code.
type SideEntry struct {
	Code   string `yaml:"code"`
	Side   string `yaml:"side"` // R, L or B
	Source string `yaml:"source"`
	side   Side
}

// MinLengthEntry is the shortest billable length (without the point) of
// the diagnoses starting with Code.
type MinLengthEntry struct {
	Code   string `yaml:"code"`
	Length int    `yaml:"length"`
	Source string `yaml:"source"`
}

// CodePair is two codes that may not be billed together: an Excludes1 pair
// of diagnoses or a modifier conflict.
type CodePair struct {
	Codes  []string `yaml:"pair"`
	Reason string   `yaml:"reason,omitempty"`
	Source string   `yaml:"source"`
}

// RelatedCode is a code billed with the procedure that is part of it
// (included) or may be separately reportable (review).
type RelatedCode struct {
	Code string `yaml:"code,omitempty"`
	// Codes lists several codes sharing the entry, instead of Code. Lookups
	// return a copy per code with Code set.
	Codes              []string `yaml:"codes,omitempty"`
	Relationship       string   `yaml:"relationship"`
	Description        string   `yaml:"description,omitempty"`
	CodesetDescription string   `yaml:"codeset_description,omitempty"`
	Text               string   `yaml:"text,omitempty"` // relationship to the procedure
	ValidFrom          string   `yaml:"valid_from,omitempty"`
	ValidTo            string   `yaml:"valid_to,omitempty"`
	Source             string   `yaml:"source"`
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
	Source    string   `yaml:"source"`
	from, to  string   // CCYYMMDD, to compare with claim dates as text
}

// MaxUnits is the most units one target line may bill.
type MaxUnits struct {
	Value  float64 `yaml:"value"`
	Source string  `yaml:"source"`
}

// PayerGroup maps payer IDs and name words to a report group.
type PayerGroup struct {
	Group    string   `yaml:"group"`
	PayerIDs []string `yaml:"payer_ids,omitempty"`
	Names    []string `yaml:"names,omitempty"`
	Source   string   `yaml:"source"`
}

// PayerGroupOther is the group of a payer no pattern matches.
const PayerGroupOther = "Other"

// ruleEntry is a rule as written in the pack.
type ruleEntry struct {
	ID       string            `yaml:"id"`
	Severity string            `yaml:"severity"`
	Cases    map[string]string `yaml:"cases,omitempty"`
	Source   string            `yaml:"source"`
}

// packDoc is the pack file. Field order is the order EffectiveYAML writes.
type packDoc struct {
	Name                string            `yaml:"name"`
	Version             string            `yaml:"version"`
	Procedure           string            `yaml:"procedure"`
	Description         string            `yaml:"description,omitempty"`
	Rules               []*ruleEntry      `yaml:"rules"`
	Diagnoses           []*CodeEntry      `yaml:"diagnoses,omitempty"`
	Laterality          []*SideEntry      `yaml:"laterality,omitempty"`
	MinLength           []*MinLengthEntry `yaml:"min_length,omitempty"`
	Excludes1           []*CodePair       `yaml:"excludes1,omitempty"`
	Modifiers           []*CodeEntry      `yaml:"modifiers,omitempty"`
	ModifierConflicts   []*CodePair       `yaml:"modifier_conflicts,omitempty"`
	OverrideModifiers   []*CodeEntry      `yaml:"override_modifiers,omitempty"`
	AnesthesiaModifiers []*CodeEntry      `yaml:"anesthesia_modifiers,omitempty"`
	Related             []*RelatedCode    `yaml:"related,omitempty"`
	Validity            []*Validity       `yaml:"validity,omitempty"`
	PlacesOfService     []*CodeEntry      `yaml:"places_of_service,omitempty"`
	Taxonomies          []*CodeEntry      `yaml:"taxonomies,omitempty"`
	MaxUnits            *MaxUnits         `yaml:"max_units,omitempty"`
	PayerGroups         []*PayerGroup     `yaml:"payer_groups,omitempty"`
}

// Pack is a loaded, validated rule pack, after seed-only filtering. It is
// read-only and safe for concurrent use.
type Pack struct {
	Name        string
	Version     string
	Procedure   string // the code the pack checks, e.g. 0620T
	Description string
	File        string // where it was loaded from; packs/0620T.yaml when embedded
	SeedOnly    bool   // codeset entries, fields and rules were dropped
	SHA256      string // hex SHA-256 of the YAML bytes loaded

	doc *packDoc // the effective pack, for EffectiveYAML

	rules      []RuleSpec // by rules.ID; a zero ID: not enabled
	ruleOrder  []RuleSpec
	supporting prefixMap[*CodeEntry]      // by normalised diagnosis
	sides      prefixMap[*SideEntry]      // by normalised diagnosis
	minLength  prefixMap[*MinLengthEntry] // by normalised diagnosis
	excludes1  prefixMap[[]pairSide]      // by each normalised code of a pair
	modifiers  map[string]*CodeEntry
	modDesc    map[string][2]string // code -> seed, codeset description
	conflicts  map[[2]string]*CodePair
	overrides  map[string]*CodeEntry
	anesthesia map[string]*CodeEntry
	related    map[string]*RelatedCode
	validity   map[string][]*Validity
	pos        map[string]*CodeEntry
	taxonomies map[string]*CodeEntry
	maxUnits   float64
	payerIDs   map[string]string // upper-case payer ID -> group
	payerNames []namePattern     // in pack order
}

// pairSide is one half of an Excludes1 pair, seen from the other code.
type pairSide struct {
	other string // normalised
	pair  *CodePair
}

// namePattern is a payer-name pattern as " WORD WORD ": padded with spaces
// so it matches whole words of a padded name (see payerWords).
type namePattern struct {
	words string
	group string
}

// DefaultPack loads the embedded pack.
func DefaultPack(seedOnly bool) (*Pack, error) {
	return ParsePack(defaultPackFile, defaultPackYAML, seedOnly)
}

// LoadPackFile loads a user's pack from path.
func LoadPackFile(path string, seedOnly bool) (*Pack, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err // *PathError names the file
	}
	return ParsePack(path, data, seedOnly)
}

// ParsePack decodes, validates and indexes a pack; name is used in errors.
// With seedOnly every codeset entry, codeset_description and codeset rule
// is dropped.
func ParsePack(name string, data []byte, seedOnly bool) (*Pack, error) {
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, yamlError(name, err)
	}
	var body ast.Node
	for _, d := range file.Docs {
		if d == nil || d.Body == nil {
			continue
		}
		if body != nil {
			return nil, fmt.Errorf("%s:%d: a pack is one YAML document; this is a second", name, d.Body.GetToken().Position.Line)
		}
		body = d.Body
	}
	if body == nil {
		return nil, fmt.Errorf("%s: the rule pack is empty", name)
	}
	keepText(body, false)

	doc := new(packDoc)
	// DisallowUnknownField: a misspelt key must fail, not silently disable
	// what it meant to set. Duplicate keys are refused by the parser.
	if err := yaml.NodeToValue(body, doc, yaml.DisallowUnknownField()); err != nil {
		return nil, yamlError(name, err)
	}
	v := &validator{name: name, file: file, bodyLine: body.GetToken().Position.Line}
	v.pack(doc)
	if err := v.err(); err != nil {
		return nil, err
	}

	sum := sha256.Sum256(data)
	p := &Pack{
		Name:        doc.Name,
		Version:     doc.Version,
		Procedure:   doc.Procedure,
		Description: doc.Description,
		File:        name,
		SeedOnly:    seedOnly,
		SHA256:      hex.EncodeToString(sum[:]),
	}
	if seedOnly {
		doc = doc.seedOnly()
	}
	p.index(doc)
	return p, nil
}

// yamlError turns a go-yaml error into "file:line: message".
func yamlError(name string, err error) error {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		return fmt.Errorf("%s:%d: %s", name, ye.GetToken().Position.Line, ye.GetMessage())
	}
	return fmt.Errorf("%s: %v", name, err)
}

// numericFields are the only pack fields that hold numbers.
var numericFields = map[string]bool{"length": true, "value": true}

// keepText makes every plain number or boolean outside numericFields a
// string holding the text as written. Codes are text: YAML would read 0620
// as octal 400, 01 as 1 and NO as false, and the pack would silently hold
// the wrong code.
func keepText(n ast.Node, numeric bool) ast.Node {
	switch v := n.(type) {
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		if !numeric {
			return ast.String(n.GetToken())
		}
	case *ast.MappingNode:
		for _, mv := range v.Values {
			keepText(mv, false)
		}
	case *ast.MappingValueNode:
		v.Value = keepText(v.Value, numericFields[v.Key.GetToken().Value])
	case *ast.SequenceNode:
		for i := range v.Values {
			v.Values[i] = keepText(v.Values[i], numeric)
		}
	case *ast.AnchorNode:
		v.Value = keepText(v.Value, numeric)
	}
	return n
}

// seedOnly returns the pack without codeset entries, codeset descriptions
// and codeset rules.
func (d *packDoc) seedOnly() *packDoc {
	out := *d
	out.Rules = seedEntries(d.Rules)
	out.Diagnoses = seedCodeEntries(d.Diagnoses)
	out.Laterality = seedEntries(d.Laterality)
	out.MinLength = seedEntries(d.MinLength)
	out.Excludes1 = seedEntries(d.Excludes1)
	out.Modifiers = seedCodeEntries(d.Modifiers)
	out.ModifierConflicts = seedEntries(d.ModifierConflicts)
	out.OverrideModifiers = seedCodeEntries(d.OverrideModifiers)
	out.AnesthesiaModifiers = seedCodeEntries(d.AnesthesiaModifiers)
	out.Related = nil
	for _, r := range seedEntries(d.Related) {
		c := *r
		c.CodesetDescription = ""
		out.Related = append(out.Related, &c)
	}
	out.Validity = seedEntries(d.Validity)
	out.PlacesOfService = seedCodeEntries(d.PlacesOfService)
	out.Taxonomies = seedCodeEntries(d.Taxonomies)
	if d.MaxUnits != nil && d.MaxUnits.Source != SourceSeed {
		out.MaxUnits = nil
	}
	out.PayerGroups = seedEntries(d.PayerGroups)
	return &out
}

// sourced is a pack entry: it names its source.
type sourced interface{ source() string }

func (e *ruleEntry) source() string      { return e.Source }
func (e *CodeEntry) source() string      { return e.Source }
func (e *SideEntry) source() string      { return e.Source }
func (e *MinLengthEntry) source() string { return e.Source }
func (e *CodePair) source() string       { return e.Source }
func (e *RelatedCode) source() string    { return e.Source }
func (e *Validity) source() string       { return e.Source }
func (e *PayerGroup) source() string     { return e.Source }

func seedEntries[T sourced](list []T) []T {
	var out []T
	for _, e := range list {
		if e.source() == SourceSeed {
			out = append(out, e)
		}
	}
	return out
}

func seedCodeEntries(list []*CodeEntry) []*CodeEntry {
	var out []*CodeEntry
	for _, e := range seedEntries(list) {
		c := *e
		c.CodesetDescription = ""
		out = append(out, &c)
	}
	return out
}

// index builds the lookups from a validated, effective document.
func (p *Pack) index(d *packDoc) {
	p.doc = d

	p.rules = make([]RuleSpec, len(rules.All())+1)
	for _, r := range d.Rules {
		id, _ := rules.Lookup(r.ID)
		spec := RuleSpec{ID: id, Source: r.Source}
		spec.Severity, _ = finding.ParseSeverity(r.Severity)
		r.Severity = spec.Severity.String() // EffectiveYAML writes it canonically
		for name, s := range r.Cases {
			sev, _ := finding.ParseSeverity(s)
			if spec.Cases == nil {
				spec.Cases = map[string]finding.Severity{}
			}
			spec.Cases[name] = sev
			r.Cases[name] = sev.String()
		}
		p.rules[id] = spec
		p.ruleOrder = append(p.ruleOrder, spec)
	}

	supporting := map[string]*CodeEntry{}
	for _, e := range d.Diagnoses {
		supporting[NormalizeDiagnosis(e.Code)] = e
	}
	p.supporting = newPrefixMap(supporting)
	sides := map[string]*SideEntry{}
	for _, e := range d.Laterality {
		e.side = Side(e.Side[0])
		sides[NormalizeDiagnosis(e.Code)] = e
	}
	p.sides = newPrefixMap(sides)
	minLength := map[string]*MinLengthEntry{}
	for _, e := range d.MinLength {
		minLength[NormalizeDiagnosis(e.Code)] = e
	}
	p.minLength = newPrefixMap(minLength)
	excludes1 := map[string][]pairSide{}
	for _, e := range d.Excludes1 {
		a, b := NormalizeDiagnosis(e.Codes[0]), NormalizeDiagnosis(e.Codes[1])
		excludes1[a] = append(excludes1[a], pairSide{b, e})
		excludes1[b] = append(excludes1[b], pairSide{a, e})
	}
	p.excludes1 = newPrefixMap(excludes1)

	p.modifiers = codeMap(d.Modifiers)
	p.overrides = codeMap(d.OverrideModifiers)
	p.anesthesia = codeMap(d.AnesthesiaModifiers)
	// A modifier is described if any entry in any modifier list describes it.
	p.modDesc = map[string][2]string{}
	for _, list := range [][]*CodeEntry{d.Modifiers, d.OverrideModifiers, d.AnesthesiaModifiers} {
		for _, e := range list {
			seed, codeset := e.Descriptions()
			have := p.modDesc[e.Code]
			if have[0] == "" {
				have[0] = seed
			}
			if have[1] == "" {
				have[1] = codeset
			}
			p.modDesc[e.Code] = have
		}
	}
	p.conflicts = map[[2]string]*CodePair{}
	for _, e := range d.ModifierConflicts {
		p.conflicts[pairKey(e.Codes[0], e.Codes[1])] = e
	}

	p.related = map[string]*RelatedCode{}
	p.validity = map[string][]*Validity{}
	for _, r := range d.Related {
		for _, code := range entryCodes(r.Code, r.Codes) {
			c := *r
			c.Code, c.Codes = code, nil
			p.related[code] = &c
			if r.ValidFrom != "" || r.ValidTo != "" {
				p.addValidity(&Validity{Code: code, ValidFrom: r.ValidFrom, ValidTo: r.ValidTo,
					Text: "dates of the related-code entry", Source: r.Source})
			}
		}
	}
	for _, v := range d.Validity {
		for _, code := range entryCodes(v.Code, v.Codes) {
			c := *v
			c.Code, c.Codes = code, nil
			p.addValidity(&c)
		}
	}

	p.pos = codeMap(d.PlacesOfService)
	p.taxonomies = codeMap(d.Taxonomies)
	if d.MaxUnits != nil {
		p.maxUnits = d.MaxUnits.Value
	}

	p.payerIDs = map[string]string{}
	for _, g := range d.PayerGroups {
		for _, id := range g.PayerIDs {
			p.payerIDs[strings.ToUpper(strings.TrimSpace(id))] = g.Group
		}
		for _, n := range g.Names {
			p.payerNames = append(p.payerNames, namePattern{" " + payerWords(n) + " ", g.Group})
		}
	}
}

func (p *Pack) addValidity(v *Validity) {
	v.from = strings.ReplaceAll(v.ValidFrom, "-", "")
	v.to = strings.ReplaceAll(v.ValidTo, "-", "")
	p.validity[v.Code] = append(p.validity[v.Code], v)
}

func codeMap(list []*CodeEntry) map[string]*CodeEntry {
	m := make(map[string]*CodeEntry, len(list))
	for _, e := range list {
		m[e.Code] = e
	}
	return m
}

// entryCodes is the code or codes an entry names.
func entryCodes(code string, codes []string) []string {
	if code != "" {
		return []string{code}
	}
	return codes
}

// pairKey makes an order-independent key for a pair of codes.
func pairKey(a, b string) [2]string {
	if b < a {
		a, b = b, a
	}
	return [2]string{a, b}
}

// prefixMap is a map of pack diagnoses looked up by prefix: a pack
// diagnosis covers every claim code that starts with it. The checks look up
// every diagnosis of every target claim several times, and most codes match
// nothing: the first `short` bytes of every key (heads) rule those out in
// one probe, and lens skips the lengths no key has.
type prefixMap[T any] struct {
	m     map[string]T
	heads map[string]struct{}
	short int    // the shortest key's length
	lens  uint64 // bit n: some key is n bytes long (n < 64)
}

func newPrefixMap[T any](m map[string]T) prefixMap[T] {
	pm := prefixMap[T]{m: m, heads: map[string]struct{}{}, short: -1}
	for k := range m {
		if k == "" {
			continue // no claim code is looked up by its empty prefix
		}
		if pm.short < 0 || len(k) < pm.short {
			pm.short = len(k)
		}
		if len(k) < 64 {
			pm.lens |= 1 << len(k)
		}
	}
	for k := range m {
		if k != "" {
			pm.heads[k[:pm.short]] = struct{}{}
		}
	}
	return pm
}

// covers reports whether some key may be a prefix of code (false: none is).
func (pm *prefixMap[T]) covers(code string) bool {
	if pm.short < 0 || len(code) < pm.short {
		return false
	}
	_, ok := pm.heads[code[:pm.short]]
	return ok
}

// at returns the entry of the prefix of code n bytes long.
func (pm *prefixMap[T]) at(code string, n int) (T, bool) {
	if n < 64 && pm.lens&(1<<n) == 0 {
		var zero T
		return zero, false
	}
	v, ok := pm.m[code[:n]]
	return v, ok
}

// longestPrefix finds the entry of pm for the longest prefix of code: the
// most specific entry decides.
func longestPrefix[T any](pm *prefixMap[T], code string) (T, bool) {
	if pm.covers(code) {
		for n := len(code); n >= pm.short; n-- {
			if v, ok := pm.at(code, n); ok {
				return v, true
			}
		}
	}
	var zero T
	return zero, false
}

// NormalizeDiagnosis removes the point and upper-cases a diagnosis code:
// "i70.23" -> "I7023". A code already in that form is returned as is,
// without allocating.
func NormalizeDiagnosis(code string) string {
	code = strings.TrimSpace(code)
	for i := 0; i < len(code); i++ {
		if c := code[i]; c == '.' || c >= 'a' && c <= 'z' {
			return strings.ToUpper(strings.ReplaceAll(code, ".", ""))
		}
	}
	return code
}

// Rule returns an enabled rule; false when the pack does not list it or
// seed-only loading dropped it (a codeset rule).
func (p *Pack) Rule(id rules.ID) (RuleSpec, bool) {
	if int(id) >= len(p.rules) {
		return RuleSpec{}, false
	}
	r := p.rules[id]
	return r, r.ID != 0
}

// Rules returns the enabled rules in pack order.
func (p *Pack) Rules() []RuleSpec { return p.ruleOrder }

// Supporting returns the longest supporting-diagnosis entry that dx (a
// claim code, e.g. I70234) starts with.
func (p *Pack) Supporting(dx string) (*DiagnosisEntry, bool) {
	return longestPrefix(&p.supporting, NormalizeDiagnosis(dx))
}

// SupportingDiagnoses returns the supporting-diagnosis entries in pack
// order. Callers must not change them.
func (p *Pack) SupportingDiagnoses() []*DiagnosisEntry { return p.doc.Diagnoses }

// Side returns the side of dx from its longest matching laterality entry,
// and that entry's source; SideNone and "" when no entry matches.
func (p *Pack) Side(dx string) (Side, string) {
	if e, ok := longestPrefix(&p.sides, NormalizeDiagnosis(dx)); ok {
		return e.side, e.Source
	}
	return SideNone, ""
}

// MinLength returns the shortest billable length (without the point) of
// dx's category from its longest matching entry.
func (p *Pack) MinLength(dx string) (n int, source string, ok bool) {
	if e, ok := longestPrefix(&p.minLength, NormalizeDiagnosis(dx)); ok {
		return e.Length, e.Source, true
	}
	return 0, "", false
}

// Excludes1 reports whether claim diagnoses a and b (either order) form an
// Excludes1 pair of the pack, each matching its half by category.
func (p *Pack) Excludes1(a, b string) (source string, ok bool) {
	if e, ok := p.Excludes1Pair(a, b); ok {
		return e.Source, true
	}
	return "", false
}

// Excludes1Pair is Excludes1 returning the pair entry (with its reason).
func (p *Pack) Excludes1Pair(a, b string) (*CodePair, bool) {
	a, b = NormalizeDiagnosis(a), NormalizeDiagnosis(b)
	if !p.excludes1.covers(a) {
		return nil, false
	}
	for n := len(a); n >= p.excludes1.short; n-- {
		sides, _ := p.excludes1.at(a, n)
		for _, s := range sides {
			if strings.HasPrefix(b, s.other) {
				return s.pair, true
			}
		}
	}
	return nil, false
}

// Modifier returns the entry of a modifier listed for the procedure.
func (p *Pack) Modifier(code string) (*Modifier, bool) {
	e, ok := p.modifiers[code]
	return e, ok
}

// ModifierDescription returns what the seed and the public code set say a
// modifier means, from any modifier list of the pack; either may be "". A
// listed modifier with both "" has no guidance (MOD-NO-GUIDANCE).
func (p *Pack) ModifierDescription(code string) (seed, codeset string) {
	d := p.modDesc[code]
	return d[0], d[1]
}

// ModifierConflict reports whether modifiers a and b (either order) may not
// be billed together on one line.
func (p *Pack) ModifierConflict(a, b string) (source string, ok bool) {
	if e, ok := p.ModifierConflictPair(a, b); ok {
		return e.Source, true
	}
	return "", false
}

// ModifierConflictPair is ModifierConflict returning the pair entry (with
// its reason).
func (p *Pack) ModifierConflictPair(a, b string) (*CodePair, bool) {
	e, ok := p.conflicts[pairKey(a, b)]
	return e, ok
}

// IsOverrideModifier reports whether a modifier claims a distinct service
// (59, XE, XS, XP, XU in the default pack).
func (p *Pack) IsOverrideModifier(code string) bool {
	_, ok := p.overrides[code]
	return ok
}

// IsAnesthesiaModifier reports whether a modifier is an anesthesia
// medical-direction modifier (MOD-ANESTHESIA), and the entry's source.
func (p *Pack) IsAnesthesiaModifier(code string) (source string, ok bool) {
	if e, ok := p.anesthesia[code]; ok {
		return e.Source, true
	}
	return "", false
}

// Related returns the related-code entry of a procedure code (exact match).
func (p *Pack) Related(code string) (*RelatedCode, bool) {
	r, ok := p.related[code]
	return r, ok
}

// ValidOn reports whether code exists on date (CCYYMMDD). It is false, with
// the entry whose dates exclude the date, when the date is before an
// entry's valid_from or after its valid_to; a code must be inside every
// dated entry it has. Codes without dates, and dates that are not 8
// characters, are valid (other rules judge bad dates).
func (p *Pack) ValidOn(code string, date string) (ok bool, entry *Validity) {
	if len(date) != 8 {
		return true, nil
	}
	for _, v := range p.validity[code] {
		if v.from != "" && date < v.from || v.to != "" && date > v.to {
			return false, v
		}
	}
	return true, nil
}

// TypicalPOS reports whether a place of service is typical for the
// procedure.
func (p *Pack) TypicalPOS(pos string) bool {
	_, ok := p.pos[pos]
	return ok
}

// PlacesOfService returns the typical places of service in pack order.
// Callers must not change them.
func (p *Pack) PlacesOfService() []*CodeEntry { return p.doc.PlacesOfService }

// TaxonomyListed reports whether a provider taxonomy is expected for the
// procedure.
func (p *Pack) TaxonomyListed(code string) bool {
	_, ok := p.taxonomies[code]
	return ok
}

// Taxonomies returns the listed taxonomies in pack order. Callers must not
// change them.
func (p *Pack) Taxonomies() []*CodeEntry { return p.doc.Taxonomies }

// MaxUnits is the most units a target line may bill; 0 when the pack sets
// no limit.
func (p *Pack) MaxUnits() float64 { return p.maxUnits }

// PayerGroup returns the report group of a payer: a payer ID match first,
// then the first group (in pack order) with a name pattern whose words
// appear as whole words in the name; else "Other".
func (p *Pack) PayerGroup(payerID, payerName string) string {
	if g, ok := p.payerIDs[strings.ToUpper(strings.TrimSpace(payerID))]; ok {
		return g
	}
	name := " " + payerWords(payerName) + " "
	for _, pat := range p.payerNames {
		if strings.Contains(name, pat.words) {
			return pat.group
		}
	}
	return PayerGroupOther
}

// payerWords upper-cases s and turns every run of characters other than
// letters and digits into one space, trimmed: "Blue-Cross  of Idaho" ->
// "BLUE CROSS OF IDAHO". Padded with spaces, patterns then match whole
// words only: " CGS " is in " CGS ADMINISTRATORS " but not " RCGS ".
func payerWords(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToUpper(s) {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
	}
	return b.String()
}

// EffectiveYAML writes the effective pack (after seed-only filtering) as a
// pack file that ParsePack reads back to the same pack.
func (p *Pack) EffectiveYAML() ([]byte, error) {
	body, err := yaml.MarshalWithOptions(p.doc, yaml.IndentSequence(true))
	if err != nil {
		return nil, err
	}
	mode := "all entries"
	if p.SeedOnly {
		mode = "seed only: codeset entries, descriptions and rules dropped"
	}
	header := fmt.Sprintf("# Effective rule pack %s %s for %s (%s).\n# Loaded from %s, sha256 %s.\n",
		p.Name, p.Version, p.Procedure, mode, p.File, p.SHA256)
	return append([]byte(header), body...), nil
}

// Validation.

// Code shapes. Diagnosis codes keep their point as in the seed.
var (
	diagnosisRE = regexp.MustCompile(`^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$`)
	procedureRE = regexp.MustCompile(`^([0-9]{4}[0-9A-Z]|[A-Z][0-9]{4})$`) // CPT, CPT II/III, HCPCS
	modifierRE  = regexp.MustCompile(`^[0-9A-Z]{2}$`)
	taxonomyRE  = regexp.MustCompile(`^[0-9]{3}[0-9A-Z]{6}X$`)
	posRE       = regexp.MustCompile(`^[0-9]{2}$`)
)

const (
	diagnosisShape = "a diagnosis is a letter and 2 digits, then a point and up to 4 letters or digits, upper case (I70.23)"
	procedureShape = "a procedure code is 5 characters: 5 digits, 4 digits and a letter, or a letter and 4 digits (0620T)"
	modifierShape  = "a modifier is 2 upper-case letters or digits"
	taxonomyShape  = "a taxonomy is 10 characters: 3 digits, 6 upper-case letters or digits, X"
	posShape       = "a place of service is 2 digits"
)

// validator collects every problem of a decoded pack with the line of the
// entry or field that has it.
type validator struct {
	name     string
	file     *ast.File
	bodyLine int // where the pack's mapping starts, for missing top-level fields
	errs     []lineMsg
}

type lineMsg struct {
	line int
	msg  string
}

// errorf records a problem at path ("$.diagnoses[3].side"): the line is the
// path's own, or its nearest parent's when the field is absent.
func (v *validator) errorf(path, format string, args ...any) {
	where := strings.TrimPrefix(path, "$.")
	v.errs = append(v.errs, lineMsg{v.line(path), where + ": " + fmt.Sprintf(format, args...)})
}

func (v *validator) line(path string) int {
	for len(path) > 1 {
		if p, err := yaml.PathString(path); err == nil {
			if n, err := p.FilterFile(v.file); err == nil && n != nil && n.GetToken() != nil {
				return n.GetToken().Position.Line
			}
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 1 {
			break
		}
		path = path[:i]
	}
	return v.bodyLine
}

// err joins the problems, in line order, as "file:line: path: message".
func (v *validator) err() error {
	if len(v.errs) == 0 {
		return nil
	}
	sort.SliceStable(v.errs, func(i, j int) bool { return v.errs[i].line < v.errs[j].line })
	lines := make([]string, len(v.errs))
	for i, e := range v.errs {
		lines[i] = fmt.Sprintf("%s:%d: %s", v.name, e.line, e.msg)
	}
	return errors.New(strings.Join(lines, "\n"))
}

// seen records keys of one list to find duplicates.
type seen struct {
	v     *validator
	paths map[string]string
}

func (v *validator) newSeen() *seen { return &seen{v, map[string]string{}} }

// add reports a key already listed, naming the first entry's line.
func (s *seen) add(key, path, what string) {
	if first, dup := s.paths[key]; dup {
		s.v.errorf(path, "%s is listed twice (first at line %d)", what, s.v.line(first))
		return
	}
	s.paths[key] = path
}

func (v *validator) source(path, s string) {
	switch s {
	case SourceSeed, SourceCodeset:
	case "":
		v.errorf(path+".source", "source is missing (seed or codeset)")
	default:
		v.errorf(path+".source", "source %q is not seed or codeset", s)
	}
}

// code checks a code field against its shape.
func (v *validator) code(path, code string, re *regexp.Regexp, shape string) bool {
	switch {
	case code == "":
		v.errorf(path, "code is missing")
	case !re.MatchString(code):
		v.errorf(path, "%q is malformed: %s", code, shape)
	default:
		return true
	}
	return false
}

// codesetDescription checks that codeset_description is only on seed entries: on
// a codeset entry the description already is the code set's.
func (v *validator) codesetDescription(path, source, codesetDesc string) {
	if source == SourceCodeset && codesetDesc != "" {
		v.errorf(path+".codeset_description", "codeset_description is for seed entries; on a codeset entry use description")
	}
}

func (v *validator) date(path, s string) (time.Time, bool) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil || len(s) != 10 {
		v.errorf(path, "date %q is not a real YYYY-MM-DD date", s)
		return time.Time{}, false
	}
	return t, true
}

// dates checks a valid_from / valid_to pair.
func (v *validator) dates(path, from, to string) {
	var f, t time.Time
	okF, okT := from != "", to != ""
	if okF {
		f, okF = v.date(path+".valid_from", from)
	}
	if okT {
		t, okT = v.date(path+".valid_to", to)
	}
	if okF && okT && f.After(t) {
		v.errorf(path+".valid_from", "valid_from %s is after valid_to %s", from, to)
	}
}

// codeOrCodes checks an entry that names one code or a list of codes, and
// returns the codes with their paths.
func (v *validator) codeOrCodes(path, code string, codes []string, re *regexp.Regexp, shape string) (out, paths []string) {
	switch {
	case code != "" && len(codes) > 0:
		v.errorf(path, "give code or codes, not both")
	case code == "" && len(codes) == 0:
		v.errorf(path+".code", "code is missing")
	case code != "":
		if v.code(path+".code", code, re, shape) {
			out, paths = append(out, code), append(paths, path+".code")
		}
	default:
		for i, c := range codes {
			p := fmt.Sprintf("%s.codes[%d]", path, i)
			if v.code(p, c, re, shape) {
				out, paths = append(out, c), append(paths, p)
			}
		}
	}
	return out, paths
}

func (v *validator) pack(d *packDoc) {
	if d.Name == "" {
		v.errorf("$.name", "name is missing")
	}
	if d.Version == "" {
		v.errorf("$.version", "version is missing")
	}
	if d.Procedure == "" {
		v.errorf("$.procedure", "procedure is missing: a pack names the procedure code it checks (0620T)")
	} else {
		v.code("$.procedure", d.Procedure, procedureRE, procedureShape)
	}
	v.rules(d.Rules)
	v.diagnoses(d)
	v.modifiers(d)
	v.related(d)
	v.simpleLists(d)
	v.payerGroups(d.PayerGroups)
}

func (v *validator) rules(list []*ruleEntry) {
	if len(list) == 0 {
		v.errorf("$.rules", "rules are missing: a pack with no rules checks nothing")
	}
	ids := v.newSeen()
	for i, r := range list {
		path := fmt.Sprintf("$.rules[%d]", i)
		id, known := rules.Lookup(r.ID)
		switch {
		case r.ID == "":
			v.errorf(path+".id", "id is missing")
		case !known:
			v.errorf(path+".id", "unknown rule ID %q", r.ID)
		case id.Rule().Builtin:
			v.errorf(path+".id", "%s is built in: X12-* and FILE-* rules are not configured in a pack", r.ID)
		default:
			ids.add(r.ID, path, "rule "+r.ID)
		}
		if _, err := finding.ParseSeverity(r.Severity); err != nil {
			v.errorf(path+".severity", "%v", err)
		}
		for name, s := range r.Cases {
			cpath := path + ".cases." + name
			if !id.HasCase(name) {
				v.errorf(cpath, "rule %s has no case %q", r.ID, name)
			}
			if _, err := finding.ParseSeverity(s); err != nil {
				v.errorf(cpath, "%v", err)
			}
		}
		v.source(path, r.Source)
	}
}

func (v *validator) diagnoses(d *packDoc) {
	s := v.newSeen()
	for i, e := range d.Diagnoses {
		path := fmt.Sprintf("$.diagnoses[%d]", i)
		if v.code(path+".code", e.Code, diagnosisRE, diagnosisShape) {
			s.add(NormalizeDiagnosis(e.Code), path, "diagnosis "+e.Code)
		}
		v.source(path, e.Source)
		v.codesetDescription(path, e.Source, e.CodesetDescription)
	}
	s = v.newSeen()
	for i, e := range d.Laterality {
		path := fmt.Sprintf("$.laterality[%d]", i)
		if v.code(path+".code", e.Code, diagnosisRE, diagnosisShape) {
			s.add(NormalizeDiagnosis(e.Code), path, "laterality of "+e.Code)
		}
		if e.Side != "R" && e.Side != "L" && e.Side != "B" {
			v.errorf(path+".side", "side %q is not R, L or B", e.Side)
		}
		v.source(path, e.Source)
	}
	s = v.newSeen()
	for i, e := range d.MinLength {
		path := fmt.Sprintf("$.min_length[%d]", i)
		if v.code(path+".code", e.Code, diagnosisRE, diagnosisShape) {
			s.add(NormalizeDiagnosis(e.Code), path, "min_length of "+e.Code)
			if n := len(NormalizeDiagnosis(e.Code)); e.Length < n || e.Length > 7 {
				v.errorf(path+".length", "length %d must be from %d (the code's own length) to 7", e.Length, n)
			}
		}
		v.source(path, e.Source)
	}
	v.pairs("$.excludes1", d.Excludes1, diagnosisRE, diagnosisShape, NormalizeDiagnosis)
}

// pairs checks a list of code pairs: two well-formed, different codes,
// each pair once in either order.
func (v *validator) pairs(list string, pairs []*CodePair, re *regexp.Regexp, shape string, norm func(string) string) {
	s := v.newSeen()
	for i, e := range pairs {
		path := fmt.Sprintf("%s[%d]", list, i)
		v.source(path, e.Source)
		if len(e.Codes) != 2 {
			v.errorf(path+".pair", "a pair has 2 codes, not %d", len(e.Codes))
			continue
		}
		ok0 := v.code(path+".pair[0]", e.Codes[0], re, shape)
		ok1 := v.code(path+".pair[1]", e.Codes[1], re, shape)
		if !ok0 || !ok1 {
			continue
		}
		a, b := norm(e.Codes[0]), norm(e.Codes[1])
		if a == b {
			v.errorf(path+".pair", "a pair needs two different codes")
			continue
		}
		k := pairKey(a, b)
		s.add(k[0]+"+"+k[1], path, "pair "+e.Codes[0]+" + "+e.Codes[1])
	}
}

func (v *validator) modifiers(d *packDoc) {
	same := func(s string) string { return s }
	for _, l := range []struct {
		path string
		list []*CodeEntry
	}{
		{"$.modifiers", d.Modifiers},
		{"$.override_modifiers", d.OverrideModifiers},
		{"$.anesthesia_modifiers", d.AnesthesiaModifiers},
	} {
		s := v.newSeen()
		for i, e := range l.list {
			path := fmt.Sprintf("%s[%d]", l.path, i)
			if v.code(path+".code", e.Code, modifierRE, modifierShape) {
				s.add(e.Code, path, "modifier "+e.Code)
			}
			v.source(path, e.Source)
			v.codesetDescription(path, e.Source, e.CodesetDescription)
		}
	}
	v.pairs("$.modifier_conflicts", d.ModifierConflicts, modifierRE, modifierShape, same)
}

func (v *validator) related(d *packDoc) {
	s := v.newSeen()
	for i, r := range d.Related {
		path := fmt.Sprintf("$.related[%d]", i)
		codes, paths := v.codeOrCodes(path, r.Code, r.Codes, procedureRE, procedureShape)
		for j, c := range codes {
			if c == d.Procedure {
				v.errorf(paths[j], "%s is the pack's procedure; it cannot be related to itself", c)
				continue
			}
			s.add(c, paths[j], "related code "+c)
		}
		if r.Relationship != RelIncluded && r.Relationship != RelReview {
			v.errorf(path+".relationship", "relationship %q is not included or review", r.Relationship)
		}
		v.dates(path, r.ValidFrom, r.ValidTo)
		v.source(path, r.Source)
		v.codesetDescription(path, r.Source, r.CodesetDescription)
	}
	s = v.newSeen()
	for i, e := range d.Validity {
		path := fmt.Sprintf("$.validity[%d]", i)
		codes, paths := v.codeOrCodes(path, e.Code, e.Codes, procedureRE, procedureShape)
		for j, c := range codes {
			s.add(c, paths[j], "validity of "+c)
		}
		if e.ValidFrom == "" && e.ValidTo == "" {
			v.errorf(path, "a validity entry needs valid_from, valid_to or both")
		}
		v.dates(path, e.ValidFrom, e.ValidTo)
		v.source(path, e.Source)
	}
}

func (v *validator) simpleLists(d *packDoc) {
	for _, l := range []struct {
		path  string
		list  []*CodeEntry
		re    *regexp.Regexp
		shape string
	}{
		{"$.places_of_service", d.PlacesOfService, posRE, posShape},
		{"$.taxonomies", d.Taxonomies, taxonomyRE, taxonomyShape},
	} {
		s := v.newSeen()
		for i, e := range l.list {
			path := fmt.Sprintf("%s[%d]", l.path, i)
			if v.code(path+".code", e.Code, l.re, l.shape) {
				s.add(e.Code, path, e.Code)
			}
			v.source(path, e.Source)
			v.codesetDescription(path, e.Source, e.CodesetDescription)
		}
	}
	if m := d.MaxUnits; m != nil {
		if m.Value <= 0 {
			v.errorf("$.max_units.value", "max_units value must be above 0")
		}
		v.source("$.max_units", m.Source)
	}
}

func (v *validator) payerGroups(groups []*PayerGroup) {
	ids, names := v.newSeen(), v.newSeen()
	for i, g := range groups {
		path := fmt.Sprintf("$.payer_groups[%d]", i)
		if strings.TrimSpace(g.Group) == "" {
			v.errorf(path+".group", "group is missing")
		}
		if len(g.PayerIDs) == 0 && len(g.Names) == 0 {
			v.errorf(path, "a payer group needs payer_ids, names or both")
		}
		for j, id := range g.PayerIDs {
			p := fmt.Sprintf("%s.payer_ids[%d]", path, j)
			if id = strings.ToUpper(strings.TrimSpace(id)); id == "" {
				v.errorf(p, "payer ID is empty")
				continue
			}
			ids.add(id, p, "payer ID "+id)
		}
		for j, n := range g.Names {
			p := fmt.Sprintf("%s.names[%d]", path, j)
			w := payerWords(n)
			if w == "" {
				v.errorf(p, "name pattern %q has no letters or digits", n)
				continue
			}
			names.add(w, p, "name pattern "+w)
		}
		v.source(path, g.Source)
	}
}
