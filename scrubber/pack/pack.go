// Package pack is the rule pack: every code list, description, modifier,
// pair and severity the checks use, as data. The default pack is
// packs/0620T.yaml, embedded; a user's file replaces it. Loading validates
// the whole file and reports every problem with its line (*Error). Lookups
// are built once at load time because the checks call them for every claim
// line.
package pack

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/rules"
)

//go:embed packs/0620T.yaml
var defaultPackYAML []byte

// defaultPackFile is how errors and EffectiveYAML name the embedded pack.
const defaultPackFile = "packs/0620T.yaml"

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

	rules      []Rule // by rules.ID; a zero ID: not enabled
	ruleOrder  []Rule
	supporting prefixMap[*CodeEntry]      // by normalised diagnosis
	weak       prefixMap[*CodeEntry]      // by normalised diagnosis
	sides      prefixMap[*sideEntry]      // by normalised diagnosis
	minLength  prefixMap[*minLengthEntry] // by normalised diagnosis
	next       map[string]*nextEntry      // by normalised header
	ulceration prefixMap[*ulcerEntry]     // by normalised diagnosis
	severity   prefixMap[*ulcerEntry]     // by normalised diagnosis
	excludes1  prefixMap[[]pairSide]      // by each normalised code of a pair
	modifiers  map[string]*CodeEntry
	payerMods  map[string]*CodeEntry
	otherMods  map[string]*CodeEntry
	modDesc    map[string][2]string // code -> seed, codeset description
	conflicts  map[[2]string]*CodePair
	overrides  map[string]*CodeEntry
	anesthesia map[string]*CodeEntry
	includes   *includesEntry
	related    map[string]*RelatedCode
	validity   map[string][]*Validity
	pos        map[string]*CodeEntry
	taxonomies map[string]*CodeEntry
	groupTax   map[string]*CodeEntry
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

// Default loads the embedded pack.
func Default(seedOnly bool) (*Pack, error) {
	return Parse(defaultPackFile, defaultPackYAML, seedOnly)
}

// Load loads a user's pack from path.
func Load(path string, seedOnly bool) (*Pack, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err // *PathError names the file
	}
	return Parse(path, data, seedOnly)
}

// Parse decodes, validates and indexes a pack; name is used in errors.
// With seedOnly every codeset entry, codeset_description and codeset rule
// is dropped. An invalid pack's error is an *Error listing every problem
// with its line.
func Parse(name string, data []byte, seedOnly bool) (*Pack, error) {
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, yamlError(name, data, err)
	}
	var body ast.Node
	for _, d := range file.Docs {
		if d == nil || d.Body == nil {
			continue
		}
		if body != nil {
			return nil, problem(name, d.Body.GetToken().Position.Line, "", "a pack is one YAML document; this is a second")
		}
		body = d.Body
	}
	if body == nil {
		return nil, problem(name, 0, "", "the rule pack is empty")
	}
	keepText(body, false)

	doc := new(packDoc)
	// DisallowUnknownField: a misspelt key must fail, not silently disable
	// what it meant to set. Duplicate keys are refused by the parser.
	if err := yaml.NodeToValue(body, doc, yaml.DisallowUnknownField()); err != nil {
		return nil, yamlError(name, data, err)
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
	out.Diagnoses = d.Diagnoses.seedOnly()
	out.WeakDiagnoses = d.WeakDiagnoses.seedOnly()
	out.Laterality = seedEntries(d.Laterality)
	out.MinLength = seedEntries(d.MinLength)
	out.NextCharacters = seedEntries(d.NextCharacters)
	if d.UlcerSeverity != nil && d.UlcerSeverity.Source != SourceSeed {
		out.UlcerSeverity = nil
	}
	out.Excludes1 = seedEntries(d.Excludes1)
	out.Modifiers = d.Modifiers.seedOnly()
	out.PayerModifiers = d.PayerModifiers.seedOnly()
	out.OtherModifiers = d.OtherModifiers.seedOnly()
	out.ModifierConflicts = seedEntries(d.ModifierConflicts)
	out.OverrideModifiers = d.OverrideModifiers.seedOnly()
	out.AnesthesiaModifiers = d.AnesthesiaModifiers.seedOnly()
	out.Includes = seedEntries(d.Includes)
	out.Related = nil
	for _, r := range seedEntries(d.Related) {
		c := *r
		c.CodesetDescription = ""
		out.Related = append(out.Related, &c)
	}
	out.Validity = seedEntries(d.Validity)
	out.PlacesOfService = d.PlacesOfService.seedOnly()
	out.Taxonomies = d.Taxonomies.seedOnly()
	out.GroupTaxonomies = d.GroupTaxonomies.seedOnly()
	if d.MaxUnits != nil && d.MaxUnits.Source != SourceSeed {
		out.MaxUnits = nil
	}
	out.PayerGroups = seedEntries(d.PayerGroups)
	return &out
}

// sourced is a pack entry: it names its source.
type sourced interface{ source() Source }

func (e *ruleEntry) source() Source      { return e.Source }
func (e *CodeEntry) source() Source      { return e.Source }
func (e *sideEntry) source() Source      { return e.Source }
func (e *minLengthEntry) source() Source { return e.Source }
func (e *nextEntry) source() Source      { return e.Source }
func (e *includesEntry) source() Source  { return e.Source }
func (e *CodePair) source() Source       { return e.Source }
func (e *RelatedCode) source() Source    { return e.Source }
func (e *Validity) source() Source       { return e.Source }
func (e *payerGroup) source() Source     { return e.Source }

func seedEntries[T sourced](list []T) []T {
	var out []T
	for _, e := range list {
		if e.source() == SourceSeed {
			out = append(out, e)
		}
	}
	return out
}

// seedOnly is the list without codeset entries and codeset descriptions.
func (l codeList) seedOnly() codeList {
	var out codeList
	for _, e := range seedEntries(l) {
		c := *e
		c.CodesetDescription = ""
		out = append(out, &c)
	}
	return out
}

// index builds the lookups from a validated, effective document.
func (p *Pack) index(d *packDoc) {
	p.doc = d

	p.rules = make([]Rule, len(rules.All())+1)
	for _, r := range d.Rules {
		id, _ := rules.Lookup(r.ID)
		spec := Rule{ID: id, Source: r.Source}
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
		supporting[normalizeDiagnosis(e.Code)] = e
	}
	p.supporting = newPrefixMap(supporting)
	weak := map[string]*CodeEntry{}
	for _, e := range d.WeakDiagnoses {
		weak[normalizeDiagnosis(e.Code)] = e
	}
	p.weak = newPrefixMap(weak)
	sides := map[string]*sideEntry{}
	for _, e := range d.Laterality {
		e.side = Side(e.Side[0])
		for _, code := range entryCodes(e.Code, e.Codes) {
			sides[normalizeDiagnosis(code)] = e
		}
	}
	p.sides = newPrefixMap(sides)
	minLength := map[string]*minLengthEntry{}
	for _, e := range d.MinLength {
		for _, code := range entryCodes(e.Code, e.Codes) {
			minLength[normalizeDiagnosis(code)] = e
		}
	}
	p.minLength = newPrefixMap(minLength)
	p.next = map[string]*nextEntry{}
	for _, e := range d.NextCharacters {
		for _, code := range entryCodes(e.Code, e.Codes) {
			p.next[normalizeDiagnosis(code)] = e
		}
	}
	ulceration, severity := map[string]*ulcerEntry{}, map[string]*ulcerEntry{}
	if u := d.UlcerSeverity; u != nil {
		for _, code := range u.Ulceration {
			ulceration[normalizeDiagnosis(code)] = u
		}
		for _, code := range u.Severity {
			severity[normalizeDiagnosis(code)] = u
		}
	}
	p.ulceration, p.severity = newPrefixMap(ulceration), newPrefixMap(severity)
	excludes1 := map[string][]pairSide{}
	for _, e := range d.Excludes1 {
		a, b := normalizeDiagnosis(e.Codes[0]), normalizeDiagnosis(e.Codes[1])
		excludes1[a] = append(excludes1[a], pairSide{b, e})
		excludes1[b] = append(excludes1[b], pairSide{a, e})
	}
	p.excludes1 = newPrefixMap(excludes1)

	p.modifiers = d.Modifiers.byCode()
	p.payerMods = d.PayerModifiers.byCode()
	p.otherMods = d.OtherModifiers.byCode()
	p.overrides = d.OverrideModifiers.byCode()
	p.anesthesia = d.AnesthesiaModifiers.byCode()
	// A modifier is described if any entry in any modifier list describes it.
	p.modDesc = map[string][2]string{}
	for _, list := range [][]*CodeEntry{d.Modifiers, d.OverrideModifiers, d.AnesthesiaModifiers, d.PayerModifiers, d.OtherModifiers} {
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

	// The code set's words win: the seed's are kept for --seed-only.
	for _, e := range d.Includes {
		if p.includes == nil || e.Source == SourceCodeset && p.includes.Source != SourceCodeset {
			p.includes = e
		}
	}

	// The validity entries come first: ValidOn names the first entry that
	// excludes a date, and theirs say why (a related entry's dates do not).
	p.validity = map[string][]*Validity{}
	for _, v := range d.Validity {
		for _, code := range entryCodes(v.Code, v.Codes) {
			c := *v
			c.Code, c.Codes = code, nil
			p.addValidity(&c)
		}
	}
	p.related = map[string]*RelatedCode{}
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

	p.pos = d.PlacesOfService.byCode()
	p.taxonomies = d.Taxonomies.byCode()
	p.groupTax = d.GroupTaxonomies.byCode()
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

// byCode indexes the list by code.
func (l codeList) byCode() map[string]*CodeEntry {
	m := make(map[string]*CodeEntry, len(l))
	for _, e := range l {
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

// EffectiveYAML writes the effective pack (after seed-only filtering) as a
// pack file that Parse reads back to the same pack.
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
