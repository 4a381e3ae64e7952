package pack

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// Validation: every problem of a decoded pack, with its line.

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
	problems []Problem
}

// errorf records a problem at path ("$.diagnoses[3].side"): the line is the
// path's own, or its nearest parent's when the field is absent.
func (v *validator) errorf(path, format string, args ...any) {
	v.problems = append(v.problems, Problem{Line: v.line(path), Path: strings.TrimPrefix(path, "$."), Message: fmt.Sprintf(format, args...)})
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

// err is the problems found, in line order; nil when there are none.
func (v *validator) err() error {
	if len(v.problems) == 0 {
		return nil
	}
	sortProblems(v.problems)
	return &Error{File: v.name, Problems: v.problems}
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

func (v *validator) source(path string, s Source) {
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
func (v *validator) codesetDescription(path string, source Source, codesetDesc string) {
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
			v.errorf(path+".id", "%s is built in: X12-*, FILE-* and HIST-* rules are not configured in a pack", r.ID)
		case id.Rule().Data != "":
			v.errorf(path+".id", "%s comes with the public data files: it is on when --data loads them, and is not configured in a pack", r.ID)
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
	for _, l := range []struct {
		path string
		list []*CodeEntry
	}{
		{"$.diagnoses", d.Diagnoses},
		{"$.weak_diagnoses", d.WeakDiagnoses},
	} {
		s := v.newSeen()
		for i, e := range l.list {
			path := fmt.Sprintf("%s[%d]", l.path, i)
			if v.code(path+".code", e.Code, diagnosisRE, diagnosisShape) {
				s.add(normalizeDiagnosis(e.Code), path, "diagnosis "+e.Code)
			}
			v.source(path, e.Source)
			v.codesetDescription(path, e.Source, e.CodesetDescription)
		}
	}
	s := v.newSeen()
	for i, e := range d.Laterality {
		path := fmt.Sprintf("$.laterality[%d]", i)
		codes, paths := v.codeOrCodes(path, e.Code, e.Codes, diagnosisRE, diagnosisShape)
		for j, c := range codes {
			s.add(normalizeDiagnosis(c), paths[j], "laterality of "+c)
		}
		switch e.Side {
		case "R", "L", "B", "U", "O":
		default:
			v.errorf(path+".side", "side %q is not R, L, B (both legs), U (unspecified extremity) or O (other extremity)", e.Side)
		}
		v.source(path, e.Source)
	}
	s = v.newSeen()
	for i, e := range d.MinLength {
		path := fmt.Sprintf("$.min_length[%d]", i)
		codes, paths := v.codeOrCodes(path, e.Code, e.Codes, diagnosisRE, diagnosisShape)
		for j, c := range codes {
			s.add(normalizeDiagnosis(c), paths[j], "min_length of "+c)
			if n := len(normalizeDiagnosis(c)); e.Length < n || e.Length > 7 {
				v.errorf(path+".length", "length %d must be from %d (the length of %s) to 7", e.Length, n, c)
			}
		}
		v.source(path, e.Source)
	}
	s = v.newSeen()
	for i, e := range d.NextCharacters {
		path := fmt.Sprintf("$.next_characters[%d]", i)
		codes, paths := v.codeOrCodes(path, e.Code, e.Codes, diagnosisRE, diagnosisShape)
		for j, c := range codes {
			s.add(normalizeDiagnosis(c), paths[j], "next characters of "+c)
		}
		if strings.TrimSpace(e.Next) == "" {
			v.errorf(path+".next", "next is missing: the characters that may follow the code, with their meaning")
		}
		v.source(path, e.Source)
	}
	if u := d.UlcerSeverity; u != nil {
		for _, l := range []struct {
			name  string
			codes []string
		}{{"ulceration", u.Ulceration}, {"severity", u.Severity}} {
			if len(l.codes) == 0 {
				v.errorf("$.ulcer_severity."+l.name, "%s codes are missing", l.name)
			}
			s := v.newSeen()
			for j, c := range l.codes {
				p := fmt.Sprintf("$.ulcer_severity.%s[%d]", l.name, j)
				if v.code(p, c, diagnosisRE, diagnosisShape) {
					s.add(normalizeDiagnosis(c), p, c)
				}
			}
		}
		v.source("$.ulcer_severity", u.Source)
	}
	v.pairs("$.excludes1", d.Excludes1, diagnosisRE, diagnosisShape, normalizeDiagnosis)
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
		{"$.payer_modifiers", d.PayerModifiers},
		{"$.other_modifiers", d.OtherModifiers},
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
	for i, e := range d.Includes {
		path := fmt.Sprintf("$.includes[%d]", i)
		if strings.TrimSpace(e.Description) == "" {
			v.errorf(path+".description", "description is missing: what the procedure's descriptor includes")
		}
		v.source(path, e.Source)
	}
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
		{"$.group_taxonomies", d.GroupTaxonomies, taxonomyRE, taxonomyShape},
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

func (v *validator) payerGroups(groups []*payerGroup) {
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
