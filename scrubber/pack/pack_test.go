package pack

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// The old lookups' shapes, on Diagnosis.
func supporting(p *Pack, dx string) (*CodeEntry, bool) {
	e := p.Diagnosis(dx).Supporting
	return e, e != nil
}

func side(p *Pack, dx string) (Side, Source) {
	f := p.Diagnosis(dx)
	return f.Side, f.SideSource
}

func minLength(p *Pack, dx string) (int, Source, bool) {
	f := p.Diagnosis(dx)
	return f.MinLength, f.MinLengthSource, f.MinLength > 0
}

func excludes1(p *Pack, a, b string) (*CodePair, bool) {
	return p.Diagnosis(a).Excludes1With(p.Diagnosis(b))
}

func mustDefaultPack(t *testing.T, seedOnly bool) *Pack {
	t.Helper()
	p, err := Default(seedOnly)
	if err != nil {
		t.Fatalf("Default(%v): %v", seedOnly, err)
	}
	return p
}

// The rules table of scrubber/RULES.md: every pack-configured rule, its severity and
// source. The default pack must say exactly this.
var wantPackRules = map[string]struct {
	sev    finding.Severity
	source Source
}{
	"DX-POINTER-MISSING":         {finding.Error, SourceSeed},
	"DX-POINTER-INVALID":         {finding.Error, SourceSeed},
	"DX-POINTER-DANGLING":        {finding.Error, SourceSeed},
	"DX-POINTER-DUPLICATE":       {finding.Warning, SourceSeed},
	"DX-NOT-SUPPORTING":          {finding.Error, SourceSeed},
	"DX-WEAK-SUPPORT":            {finding.Warning, SourceCodeset},
	"DX-ULCER-SEVERITY-MISSING":  {finding.Warning, SourceCodeset},
	"DX-LATERALITY-UNSPECIFIED":  {finding.Warning, SourceCodeset},
	"CLAIM-FREQUENCY-INVALID":    {finding.Error, SourceSeed},
	"CLAIM-ORIGINAL-REF-MISSING": {finding.Error, SourceSeed},
	"NPI-INVALID":                {finding.Error, SourceSeed},
	"DX-PRIMARY-NOT-SUPPORTING":  {finding.Warning, SourceSeed},
	"DX-CODE-INVALID":            {finding.Error, SourceSeed},
	"DX-CODE-INCOMPLETE":         {finding.Error, SourceCodeset},
	"DX-EXCLUDES1":               {finding.Error, SourceSeed},
	"DX-LATERALITY-CONFLICT":     {finding.Error, SourceSeed},
	"MOD-UNLISTED":               {finding.Warning, SourceSeed},
	"MOD-NO-GUIDANCE":            {finding.Info, SourceSeed},
	"MOD-LATERALITY-MISSING":     {finding.Warning, SourceSeed},
	"MOD-LATERALITY-CONFLICT":    {finding.Error, SourceSeed},
	"MOD-CONFLICT":               {finding.Error, SourceSeed},
	"MOD-DUPLICATE":              {finding.Warning, SourceSeed},
	"MOD-51-SINGLE-PROCEDURE":    {finding.Warning, SourceSeed},
	"MOD-50-UNITS":               {finding.Warning, SourceSeed},
	"MOD-ANESTHESIA":             {finding.Warning, SourceCodeset},
	"BUNDLE-INCLUDED":            {finding.Error, SourceSeed},
	"BUNDLE-OVERRIDE":            {finding.Warning, SourceSeed},
	"BUNDLE-REVIEW":              {finding.Warning, SourceSeed},
	"BUNDLE-CROSS-CLAIM":         {finding.Warning, SourceSeed},
	"LINE-DUPLICATE":             {finding.Error, SourceSeed},
	"CODE-NOT-VALID-ON-DOS":      {finding.Error, SourceSeed},
	"LINE-DOS-MISSING":           {finding.Error, SourceSeed},
	"LINE-DOS-INVALID":           {finding.Error, SourceSeed},
	"LINE-CHARGE-INVALID":        {finding.Error, SourceSeed},
	"LINE-UNITS":                 {finding.Warning, SourceSeed},
	"LINE-POS-ATYPICAL":          {finding.Warning, SourceSeed},
	"LINE-TAXONOMY-ATYPICAL":     {finding.Warning, SourceSeed},
	"LINE-TAXONOMY-MISSING":      {finding.Info, SourceSeed},
	"CLAIM-CHARGE-MISMATCH":      {finding.Error, SourceSeed},
}

func TestPackDefaultLoads(t *testing.T) {
	p := mustDefaultPack(t, false)
	if p.Procedure != "0620T" || p.Name == "" || p.Version == "" || p.SeedOnly {
		t.Errorf("metadata: %q %q %q seedOnly=%v", p.Name, p.Version, p.Procedure, p.SeedOnly)
	}
	sum := sha256.Sum256(defaultPackYAML)
	if p.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("SHA256 = %s", p.SHA256)
	}
	configured := 0
	for _, r := range rules.All() {
		if !r.Builtin && r.Data == "" {
			configured++
		}
	}
	if len(p.ruleOrder) != len(wantPackRules) || configured != len(wantPackRules) {
		t.Errorf("pack has %d rules, the catalogue %d, RULES.md has %d", len(p.ruleOrder), configured, len(wantPackRules))
	}
	for name, want := range wantPackRules {
		id, _ := rules.Lookup(name)
		r, ok := p.Rule(id)
		if !ok || r.ID != id || r.Severity != want.sev || r.Source != want.source {
			t.Errorf("Rule(%s) = %+v, %v; want %v %s", id, r, ok, want.sev, want.source)
		}
	}
	r, _ := p.Rule(rules.DxLateralityConflict)
	if got := r.Case(rules.CaseBilateral).Severity; got != finding.Warning {
		t.Errorf("DX-LATERALITY-CONFLICT bilateral = %v, want warning", got)
	}
	if got := r.Case("nonesuch").Severity; got != finding.Error {
		t.Errorf("unknown case changed severity to %v", got)
	}
	if _, ok := p.Rule(rules.X12Envelope); ok {
		t.Error("built-in rule X12-ENVELOPE is in the pack")
	}
}

func TestPackDiagnoses(t *testing.T) {
	p := mustDefaultPack(t, false)
	supports := []struct {
		dx, entry string
		source    Source
	}{
		{"I70234", "I70.23", SourceSeed}, // category match
		{"I70.234", "I70.23", SourceSeed},
		{"i70241", "I70.24", SourceSeed},
		{"I70329", "I70.32", SourceSeed},
		{"I70335", "I70.33", SourceSeed},
		{"I70341", "I70.34", SourceSeed},
		{"E1151", "E11.51", SourceSeed},
		{"I96", "I96", SourceSeed},
		{"I70221", "I70.22", SourceCodeset},
		{"I70263", "I70.26", SourceCodeset},
		{"E1152", "E11.52", SourceCodeset},
		{"I70369", "I70.36", SourceCodeset}, // bypass-graft gangrene
		{"I70461", "I70.46", SourceCodeset},
		{"I70538", "I70.53", SourceCodeset},
		{"I70642", "I70.64", SourceCodeset},
		{"I70722", "I70.72", SourceCodeset},
		{"E1052", "E10.52", SourceCodeset}, // type 1 diabetes with gangrene
		{"E1351", "E13.51", SourceCodeset},
		{"E0852", "E08.52", SourceCodeset},
		{"E0951", "E09.51", SourceCodeset},
	}
	for _, c := range supports {
		e, ok := supporting(p, c.dx)
		if !ok || e.Code != c.entry || e.Source != c.source {
			t.Errorf("Supporting(%s) = %+v, %v; want %s (%s)", c.dx, e, ok, c.entry, c.source)
		}
	}
	for _, dx := range []string{"I7025", "I70211", "I70313", "I70711", "I70451", "E1159", "I9", "I70", "Z992", ""} {
		if e, ok := supporting(p, dx); ok {
			t.Errorf("Supporting(%s) = %+v, want none", dx, e)
		}
	}
	// Weak indications: claudication, including the seed's I70.31 (a weak
	// entry wins over a supporting one of equal or shorter code).
	for _, dx := range []string{"I70211", "I70313", "I70319", "I70418", "I70511", "I70612", "I70713"} {
		if f := p.Diagnosis(dx); f.Weak == nil || f.Supporting != nil || f.Weak.Source != SourceCodeset {
			t.Errorf("Diagnosis(%s): weak %+v, supporting %+v", dx, f.Weak, f.Supporting)
		}
	}
	if f := p.Diagnosis("I70221"); f.Weak != nil {
		t.Errorf("I70221 is weak: %+v", f.Weak)
	}
	if e, _ := supporting(p, "E1151"); e.CodesetDescription == "" || !strings.Contains(e.Description, "with gangrene") {
		t.Errorf("E11.51 descriptions: %+v", e)
	}

	// Laterality: the longest matching entry decides.
	sides := []struct {
		dx     string
		side   Side
		source Source
	}{
		{"I70234", SideRight, SourceSeed},
		{"I70245", SideLeft, SourceSeed},
		{"I70311", SideRight, SourceCodeset},
		{"I70312", SideLeft, SourceCodeset}, // the 6th character beats the seed's R
		{"I70313", SideBoth, SourceCodeset},
		{"I70318", SideOther, SourceCodeset},       // other extremity: unsided, though the seed's I70.31 is R
		{"I70329", SideUnspecified, SourceCodeset}, // unspecified extremity, though the seed's I70.32 is L
		{"I70339", SideRight, SourceSeed},          // x3: right whatever the 6th character (site)
		{"I70438", SideRight, SourceCodeset},
		{"I70749", SideLeft, SourceCodeset},
		{"I70268", SideOther, SourceCodeset},
		{"I70692", SideLeft, SourceCodeset},
		{"I70203", SideBoth, SourceCodeset},
		{"I70322", SideLeft, SourceCodeset},
		{"I70323", SideBoth, SourceCodeset},
		{"I70221", SideRight, SourceCodeset},
		{"I70262", SideLeft, SourceCodeset},
		{"I70263", SideBoth, SourceCodeset},
		{"I70269", SideUnspecified, SourceCodeset},
		{"I7025", SideNone, ""},
		{"I7075", SideNone, ""},
		{"E1151", SideNone, ""},
		{"I96", SideNone, ""},
	}
	for _, c := range sides {
		if s, src := side(p, c.dx); s != c.side || src != c.source {
			t.Errorf("Side(%s) = %q %s, want %q %s", c.dx, s, src, c.side, c.source)
		}
	}

	lengths := []struct {
		dx string
		n  int
		ok bool
	}{
		{"I7023", 6, true}, {"I70234", 6, true}, {"I7031", 6, true}, {"I703", 6, true},
		{"I7025", 5, true}, {"I7035", 5, true}, // complete at 5 in ICD-10-CM
		{"E1151", 5, true}, {"E1152", 5, true}, {"I96", 3, true},
		{"I704", 6, true}, {"I7074", 6, true}, {"I7065", 5, true}, {"E105", 5, true}, {"E0852", 5, true},
		{"Z992", 0, false},
	}
	for _, c := range lengths {
		n, src, ok := minLength(p, c.dx)
		if n != c.n || ok != c.ok || (ok && src != SourceCodeset) {
			t.Errorf("MinLength(%s) = %d %s %v, want %d %v", c.dx, n, src, ok, c.n, c.ok)
		}
	}

	excl := []struct {
		a, b string
		ok   bool
	}{
		{"I96", "I70261", true}, {"I70262", "I96", true}, {"I96", "I7026", true},
		{"I96", "I70234", false}, {"I96", "I96", false}, {"I70261", "I70262", false},
	}
	for _, c := range excl {
		e, ok := excludes1(p, c.a, c.b)
		if ok != c.ok || (ok && e.Source != SourceCodeset) {
			t.Errorf("Excludes1(%s, %s) = %+v %v, want %v", c.a, c.b, e, ok, c.ok)
		}
	}
	if e, ok := excludes1(p, "I96", "I70261"); !ok || e.Reason == "" {
		t.Errorf("Excludes1Pair: %+v %v", e, ok)
	}
}

func TestPackModifiers(t *testing.T) {
	p := mustDefaultPack(t, false)
	for _, m := range strings.Fields("22 23 50 51 52 53 62 78 79 LT RT QK QX QY") {
		e, ok := p.Modifier(m)
		if !ok || e.Source != SourceSeed {
			t.Errorf("Modifier(%s) = %+v, %v", m, e, ok)
			continue
		}
		seed, codeset := p.ModifierDescription(m)
		if seed == "" && codeset == "" {
			t.Errorf("modifier %s is undescribed in the default pack", m)
		}
	}
	for _, m := range []string{"59", "XE", "QZ", "GA", "25", "lt"} {
		if _, ok := p.Modifier(m); ok {
			t.Errorf("Modifier(%s) listed", m)
		}
	}
	for _, m := range strings.Fields("66 80 81 82 AS") {
		if e, ok := p.Modifier(m); !ok || e.Source != SourceCodeset || e.Description == "" {
			t.Errorf("Modifier(%s) = %+v, %v", m, e, ok)
		}
	}
	for _, m := range strings.Fields("GA GX GY GZ KX Q0 Q1") {
		if e, ok := p.PayerModifier(m); !ok || e.Source != SourceCodeset {
			t.Errorf("PayerModifier(%s) = %+v, %v", m, e, ok)
		}
	}
	if _, ok := p.PayerModifier("22"); ok {
		t.Error("22 is a payer modifier")
	}
	for m, want := range map[string]string{"25": "E/M services only", "59": "column-two code", "XS": "column-two code"} {
		if e, ok := p.MisplacedModifier(m); !ok || !strings.Contains(e.Text, want) {
			t.Errorf("MisplacedModifier(%s) = %+v, %v", m, e, ok)
		}
	}
	for _, m := range []string{"22", "LT", "GA"} {
		if e, ok := p.MisplacedModifier(m); ok {
			t.Errorf("MisplacedModifier(%s) = %+v", m, e)
		}
	}
	for _, m := range []string{"79", "RT", "QY"} {
		if seed, codeset := p.ModifierDescription(m); seed != "" || codeset == "" {
			t.Errorf("ModifierDescription(%s) = %q, %q; want only the CMS meaning", m, seed, codeset)
		}
	}
	if seed, codeset := p.ModifierDescription("QK"); seed == "" || !strings.Contains(codeset, "anesthesia") {
		t.Errorf("ModifierDescription(QK) = %q, %q", seed, codeset)
	}
	if seed, codeset := p.ModifierDescription("XS"); seed != "" || codeset == "" {
		t.Errorf("ModifierDescription(XS) = %q, %q", seed, codeset)
	}

	conflicts := []struct {
		a, b string
		ok   bool
	}{
		{"52", "53", true}, {"53", "52", true}, {"22", "52", true}, {"53", "22", true},
		{"59", "XE", true}, {"XS", "59", true}, {"59", "XP", true}, {"XU", "59", true},
		{"50", "LT", false}, {"XE", "XS", false}, {"59", "59", false},
	}
	for _, c := range conflicts {
		e, ok := p.ModifierConflict(c.a, c.b)
		if ok != c.ok || (ok && e.Source != SourceCodeset) {
			t.Errorf("ModifierConflict(%s, %s) = %+v %v, want %v", c.a, c.b, e, ok, c.ok)
		}
	}
	for _, m := range strings.Fields("59 XE XS XP XU LT RT") {
		if _, ok := p.OverrideModifier(m); !ok {
			t.Errorf("OverrideModifier(%s) not found", m)
		}
	}
	if _, ok := p.OverrideModifier("51"); ok {
		t.Error("51 is an override modifier")
	}
	for _, m := range strings.Fields("QK QX QY QZ 23") {
		if e, ok := p.AnesthesiaModifier(m); !ok || e.Source != SourceCodeset {
			t.Errorf("AnesthesiaModifier(%s) = %+v %v", m, e, ok)
		}
	}
	if _, ok := p.AnesthesiaModifier("AS"); ok {
		t.Error("AS is an anesthesia modifier")
	}
}

func TestPackRelatedAndValidity(t *testing.T) {
	p := mustDefaultPack(t, false)
	want := map[string]struct {
		rel    Relationship
		source Source
	}{
		"36200": {RelIncluded, SourceSeed}, "75710": {RelIncluded, SourceSeed}, "76140": {RelIncluded, SourceSeed},
		"76937": {RelIncluded, SourceCodeset}, "75820": {RelIncluded, SourceCodeset}, "75822": {RelIncluded, SourceCodeset},
		"37252": {RelIncluded, SourceCodeset}, "37253": {RelIncluded, SourceCodeset},
		"37224": {RelReview, SourceSeed}, "36475": {RelReview, SourceSeed},
	}
	for _, r := range [][2]int{{37228, 37235}, {37280, 37299}} {
		for code := r[0]; code <= r[1]; code++ {
			want[fmt.Sprint(code)] = struct {
				rel    Relationship
				source Source
			}{RelReview, SourceCodeset}
		}
	}
	for code, w := range want {
		r, ok := p.Related(code)
		if !ok || r.Code != code || r.Relationship != w.rel || r.Source != w.source || r.Description == "" || r.Text == "" {
			t.Errorf("Related(%s) = %+v, %v; want %v", code, r, ok, w)
		}
	}
	for _, code := range []string{"37279", "37227", "37254", "0620T", "99213"} {
		if _, ok := p.Related(code); ok {
			t.Errorf("Related(%s) found", code)
		}
	}
	for _, code := range []string{"76140", "37224", "36475"} {
		r, _ := p.Related(code)
		if seed, codeset := r.Descriptions(); seed == "" || codeset == "" {
			t.Errorf("%s descriptions: %q, %q", code, seed, codeset)
		}
	}

	valid := []struct {
		code, date string
		ok         bool
		source     Source
	}{
		{"37224", "20251231", true, ""},
		{"37224", "20260101", false, SourceCodeset},
		{"37280", "20251231", false, SourceCodeset},
		{"37295", "20260101", true, ""},
		{"0620T", "20260101", true, ""},
		{"0620T", "20200701", true, ""},
		{"0620T", "20200630", false, SourceCodeset},
		{"37220", "20260101", false, SourceCodeset},
		{"37235", "20251231", true, ""},
		{"37254", "20251231", false, SourceCodeset},
		{"37299", "20260101", true, ""},
		{"37224", "2026-01-01", true, ""}, // not CCYYMMDD: not judged here
	}
	for _, c := range valid {
		ok, e := p.ValidOn(c.code, c.date)
		if ok != c.ok || (e == nil) != ok || (e != nil && (e.Source != c.source || e.Code != c.code)) {
			t.Errorf("ValidOn(%s, %s) = %v %+v, want %v %s", c.code, c.date, ok, e, c.ok, c.source)
		}
	}
	if _, e := p.ValidOn("37224", "20260101"); e.ValidTo != "2025-12-31" || e.ValidFrom != "" {
		t.Errorf("37224 validity entry: %+v", e)
	}
	if _, e := p.ValidOn("37280", "20251231"); e.ValidFrom != "2026-01-01" {
		t.Errorf("37280 validity entry: %+v", e)
	}
}

func TestPackPlacesTaxonomiesUnits(t *testing.T) {
	p := mustDefaultPack(t, false)
	for _, pos := range []string{"21", "19", "22"} {
		if !p.TypicalPOS(pos) {
			t.Errorf("TypicalPOS(%s) = false", pos)
		}
	}
	for _, pos := range []string{"11", "24", "2"} {
		if p.TypicalPOS(pos) {
			t.Errorf("TypicalPOS(%s) = true", pos)
		}
	}
	for _, tx := range strings.Fields("2080S0002X 207RH0000X 2084P0800X 363L00000X 2086S0129X 207RI0011X 2085R0204X 213E00000X 213ES0103X 213ES0131X 207RC0000X 2085R0202X 208G00000X") {
		if !p.TaxonomyListed(tx) {
			t.Errorf("TaxonomyListed(%s) = false", tx)
		}
	}
	if p.TaxonomyListed("207R00000X") {
		t.Error("207R00000X listed")
	}
	for _, tx := range []string{"193200000X", "193400000X"} {
		if e, ok := p.GroupTaxonomy(tx); !ok || e.Source != SourceCodeset || p.TaxonomyListed(tx) {
			t.Errorf("GroupTaxonomy(%s) = %+v, %v", tx, e, ok)
		}
	}
	if _, ok := p.GroupTaxonomy("2086S0129X"); ok {
		t.Error("2086S0129X is a group taxonomy")
	}
	if p.MaxUnits() != 1 {
		t.Errorf("MaxUnits = %v", p.MaxUnits())
	}
	if len(p.PlacesOfService()) != 3 || len(p.doc.Taxonomies) != 13 || len(p.SupportingDiagnoses()) != 36 {
		t.Errorf("lists: %d places, %d taxonomies, %d diagnoses", len(p.PlacesOfService()), len(p.doc.Taxonomies), len(p.SupportingDiagnoses()))
	}
}

func TestPackPayerGroup(t *testing.T) {
	p := mustDefaultPack(t, false)
	cases := []struct{ id, name, want string }{
		{"60054", "", "Aetna"},
		{"87726", "SOME TPA", "UnitedHealthcare"},
		{"62308", "", "Cigna"},
		{" 60054 ", "Cigna", "Aetna"}, // the payer ID wins over the name
		{"", "Aetna Better Health", "Aetna"},
		{"", "UNITED HEALTHCARE", "UnitedHealthcare"},
		{"", "UnitedHealthcare Community Plan", "UnitedHealthcare"},
		{"", "Cigna Health", "Cigna"},
		{"", "Blue Cross Blue Shield of Texas", "BCBS"},
		{"", "BLUE-SHIELD OF CALIFORNIA", "BCBS"},
		{"", "BCBS IL", "BCBS"},
		{"", "Anthem Inc", "BCBS"},
		{"", "BlueCross BlueShield of Tennessee", "BCBS"},
		{"", "MEDICARE PART B", "Medicare"},
		{"", "Novitas Solutions", "Medicare"},
		{"", "Palmetto GBA", "Medicare"},
		{"", "Noridian JE", "Medicare"},
		{"", "CGS Administrators, LLC", "Medicare"},
		{"", "WPS Government Health Administrators", "Medicare"},
		{"", "First Coast Service Options", "Medicare"},
		{"", "NGS", "Medicare"},
		{"", "Aetna Medicare Advantage", "Aetna"}, // commercial groups come first
		// Whole words only: short MAC names inside other words do not match.
		{"", "RCGS HEALTH PLAN", "Other"},
		{"", "KINGS COUNTY HEALTH", "Other"},
		{"", "WPSX", "Other"},
		{"", "FIRSTCOAST", "Other"},
		{"", "Humana", "Other"},
		{"99999", "", "Other"},
		{"", "", "Other"},
	}
	for _, c := range cases {
		if got := p.PayerGroup(c.id, c.name); got != c.want {
			t.Errorf("PayerGroup(%q, %q) = %s, want %s", c.id, c.name, got, c.want)
		}
	}
}

func TestPackSeedOnly(t *testing.T) {
	full := mustDefaultPack(t, false)
	p := mustDefaultPack(t, true)
	if !p.SeedOnly || p.SHA256 != full.SHA256 {
		t.Errorf("SeedOnly=%v SHA256 %s vs %s", p.SeedOnly, p.SHA256, full.SHA256)
	}

	// Exactly the seed entries remain in every list.
	count := func(d *packDoc) map[string][2]int { // list -> seed, codeset
		m := map[string][2]int{}
		countSources(m, "rules", d.Rules)
		for name, l := range map[string]codeList{"diagnoses": d.Diagnoses, "weak": d.WeakDiagnoses, "modifiers": d.Modifiers,
			"payer_modifiers": d.PayerModifiers, "other_modifiers": d.OtherModifiers, "override": d.OverrideModifiers,
			"anesthesia": d.AnesthesiaModifiers, "pos": d.PlacesOfService, "taxonomies": d.Taxonomies, "groups": d.GroupTaxonomies} {
			countSources(m, name, l)
		}
		countSources(m, "laterality", d.Laterality)
		countSources(m, "min_length", d.MinLength)
		countSources(m, "next_characters", d.NextCharacters)
		countSources(m, "includes", d.Includes)
		countSources(m, "excludes1", d.Excludes1)
		countSources(m, "conflicts", d.ModifierConflicts)
		countSources(m, "related", d.Related)
		countSources(m, "validity", d.Validity)
		countSources(m, "payer_groups", d.PayerGroups)
		return m
	}
	fc, sc := count(full.doc), count(p.doc)
	for list, c := range fc {
		if sc[list] != [2]int{c[0], 0} {
			t.Errorf("%s: full pack %d seed + %d codeset, seed-only %v", list, c[0], c[1], sc[list])
		}
	}
	for _, list := range []string{"diagnoses", "weak", "laterality", "min_length", "next_characters", "excludes1", "conflicts", "override", "anesthesia",
		"payer_modifiers", "other_modifiers", "includes", "related", "validity", "taxonomies", "groups", "rules"} {
		if fc[list][1] == 0 {
			t.Errorf("%s: the default pack has no codeset entries", list)
		}
	}
	y, err := p.EffectiveYAML()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(y), "source: codeset") || strings.Contains(string(y), "codeset_description") {
		t.Error("seed-only EffectiveYAML still has codeset data")
	}

	if p.doc.UlcerSeverity != nil || full.doc.UlcerSeverity == nil {
		t.Error("ulcer_severity (codeset) with seed-only, or none in the full pack")
	}
	if what, src := p.Includes(); src != SourceSeed || !strings.Contains(what, "catheterization") {
		t.Errorf("Includes() with seed-only = %q %s", what, src)
	}
	if what, src := full.Includes(); src != SourceCodeset || !strings.Contains(what, "radiological supervision") {
		t.Errorf("Includes() = %q %s", what, src)
	}
	if f := p.Diagnosis("I70311"); f.Weak != nil || f.Supporting == nil || f.Supporting.Source != SourceSeed {
		t.Errorf("seed-only I70311: weak %+v, supporting %+v; want the seed's support back", f.Weak, f.Supporting)
	}
	if _, ok := p.PayerModifier("GA"); ok {
		t.Error("PayerModifier(GA) with seed-only")
	}
	if _, ok := p.GroupTaxonomy("193200000X"); ok {
		t.Error("GroupTaxonomy with seed-only")
	}

	// Rules whose existence comes from code sets are gone.
	for _, id := range []rules.ID{rules.DxCodeIncomplete, rules.ModAnesthesia, rules.DxWeakSupport, rules.DxUlcerSeverityMissing, rules.DxLateralityUnspecified} {
		if _, ok := p.Rule(id); ok {
			t.Errorf("Rule(%s) enabled with seed-only", id)
		}
	}
	if r, ok := p.Rule(rules.DxNotSupporting); !ok || r.Severity != finding.Error {
		t.Errorf("Rule(DX-NOT-SUPPORTING) = %+v %v", r, ok)
	}
	for _, dx := range []string{"E1152", "I70221", "I70261"} {
		if _, ok := supporting(p, dx); ok {
			t.Errorf("Supporting(%s) with seed-only", dx)
		}
	}
	if e, ok := supporting(p, "E1151"); !ok || e.CodesetDescription != "" {
		t.Errorf("Supporting(E1151) = %+v %v", e, ok)
	}
	if s, src := side(p, "I70312"); s != SideRight || src != SourceSeed {
		t.Errorf("Side(I70312) = %q %s, want R seed", s, src)
	}
	if _, _, ok := minLength(p, "I70234"); ok {
		t.Error("MinLength with seed-only")
	}
	if _, ok := excludes1(p, "I96", "I70261"); ok {
		t.Error("Excludes1 with seed-only")
	}
	for _, m := range []string{"79", "RT", "QY"} {
		if _, ok := p.Modifier(m); !ok {
			t.Errorf("Modifier(%s) not listed with seed-only", m)
		}
		if seed, codeset := p.ModifierDescription(m); seed != "" || codeset != "" {
			t.Errorf("ModifierDescription(%s) = %q, %q; want undescribed", m, seed, codeset)
		}
	}
	if seed, codeset := p.ModifierDescription("QK"); seed == "" || codeset != "" {
		t.Errorf("ModifierDescription(QK) = %q, %q", seed, codeset)
	}
	if _, ok := p.ModifierConflict("52", "53"); ok {
		t.Error("ModifierConflict with seed-only")
	}
	if _, ok := p.OverrideModifier("59"); ok {
		t.Error("OverrideModifier(59) with seed-only")
	}
	if _, ok := p.AnesthesiaModifier("QK"); ok {
		t.Error("AnesthesiaModifier(QK) with seed-only")
	}
	if ok, e := p.ValidOn("37224", "20260115"); !ok {
		t.Errorf("37224 not valid in 2026 with seed-only: %+v", e)
	}
	for _, code := range []string{"37280", "76937", "37252"} {
		if _, ok := p.Related(code); ok {
			t.Errorf("Related(%s) with seed-only", code)
		}
	}
	if r, ok := p.Related("76140"); !ok || r.CodesetDescription != "" {
		t.Errorf("Related(76140) = %+v %v", r, ok)
	}
	if p.TaxonomyListed("2086S0129X") || !p.TaxonomyListed("2080S0002X") {
		t.Error("taxonomies with seed-only")
	}
	if p.MaxUnits() != 1 || !p.TypicalPOS("21") || p.PayerGroup("", "Novitas") != "Medicare" {
		t.Error("seed entries lost with seed-only")
	}
	// The full pack is untouched by loading a seed-only one.
	if _, codeset := full.ModifierDescription("79"); codeset == "" {
		t.Error("seed-only loading changed the full pack")
	}
}

func TestPackEffectiveYAMLRoundTrip(t *testing.T) {
	for _, seedOnly := range []bool{false, true} {
		p := mustDefaultPack(t, seedOnly)
		y, err := p.EffectiveYAML()
		if err != nil {
			t.Fatal(err)
		}
		q, err := Parse("effective.yaml", y, false)
		if err != nil {
			t.Fatalf("seedOnly=%v: effective YAML does not load: %v\n%s", seedOnly, err, y)
		}
		if !reflect.DeepEqual(p.doc, q.doc) || !reflect.DeepEqual(p.ruleOrder, q.ruleOrder) {
			t.Errorf("seedOnly=%v: round trip changed the pack", seedOnly)
		}
		y2, err := q.EffectiveYAML()
		if err != nil {
			t.Fatal(err)
		}
		if stripComments(y) != stripComments(y2) {
			t.Errorf("seedOnly=%v: EffectiveYAML is not stable:\n%s\n----\n%s", seedOnly, y, y2)
		}
	}
}

func stripComments(b []byte) string {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestPackOtherProcedure(t *testing.T) {
	p, err := Load("testdata/packs/other-procedure.yaml", false)
	if err != nil {
		t.Fatal(err)
	}
	if p.Procedure != "0621T" || p.File != "testdata/packs/other-procedure.yaml" {
		t.Errorf("procedure %s, file %s", p.Procedure, p.File)
	}
	if r, ok := p.Rule(rules.ModUnlisted); !ok || r.Severity != finding.Info {
		t.Errorf("MOD-UNLISTED = %+v %v", r, ok)
	}
	if _, ok := p.Rule(rules.DxExcludes1); ok {
		t.Error("a rule the pack leaves out is enabled")
	}
	if p.MaxUnits() != 0 || p.PayerGroup("60054", "AETNA") != "Other" {
		t.Error("a pack without max_units / payer groups has them")
	}
}

// Codes are text: numbers and booleans in code fields keep their spelling.
func TestPackCodesKeepText(t *testing.T) {
	data := packHead + `places_of_service:
  - {code: 01, source: seed}
payer_groups:
  - {group: X, payer_ids: [00123], names: [NO], source: seed}
max_units: {value: 2, source: seed}
`
	p, err := Parse("t.yaml", []byte(data), false)
	if err != nil {
		t.Fatal(err)
	}
	if !p.TypicalPOS("01") || p.PayerGroup("00123", "") != "X" || p.PayerGroup("", "NO NAME") != "X" || p.MaxUnits() != 2 {
		t.Errorf("codes changed: %+v", p.doc)
	}
}

// packHead is a minimal valid pack, 5 lines; test cases add lines from 6.
const packHead = `name: t
version: "1"
procedure: 0620T
rules:
  - {id: DX-NOT-SUPPORTING, severity: error, source: seed}
`

func TestPackValidationErrors(t *testing.T) {
	cases := []struct {
		name string
		yaml string // appended to packHead unless it starts with "!"
		line int
		want string
	}{
		{"unknown top-level field", "colour: red\n", 6, `unknown field "colour"`},
		{"unknown entry field", "diagnoses:\n  - {code: I70.23, source: seed, sided: R}\n", 7, `unknown field "sided"`},
		{"bad source", "diagnoses:\n  - code: I70.23\n    source: public\n", 8, `diagnoses[0].source: source "public" is not seed or codeset`},
		{"missing source", "diagnoses:\n  - code: I70.23\n", 7, "diagnoses[0].source: source is missing"},
		{"bad severity", "  - {id: DX-EXCLUDES1, severity: fatal, source: seed}\n", 6, `rules[1].severity: severity "fatal" is not one of error, warning, info`},
		{"unknown rule", "  - {id: DX-MADE-UP, severity: error, source: seed}\n", 6, `unknown rule ID "DX-MADE-UP"`},
		{"built-in rule", "  - {id: X12-ENVELOPE, severity: error, source: seed}\n", 6, "X12-ENVELOPE is built in"},
		{"data-file rule", "  - {id: NCCI-PTP, severity: warning, source: codeset}\n", 6, "NCCI-PTP comes with the public data files"},
		{"duplicate rule", "  - {id: DX-NOT-SUPPORTING, severity: warning, source: seed}\n", 6, "rule DX-NOT-SUPPORTING is listed twice (first at line 5)"},
		{"unknown case", "  - {id: MOD-UNLISTED, severity: warning, cases: {bilateral: info}, source: seed}\n", 6, `rule MOD-UNLISTED has no case "bilateral"`},
		{"bad case severity", "  - {id: DX-LATERALITY-CONFLICT, severity: error, cases: {bilateral: low}, source: seed}\n", 6, `severity "low"`},
		{"bad relationship", "related:\n  - code: \"36200\"\n    relationship: bundled\n    source: seed\n", 8, `relationship "bundled" is not included or review`},
		{"impossible date", "related:\n  - code: \"37224\"\n    relationship: review\n    valid_to: 2025-02-30\n    source: seed\n", 9, `related[0].valid_to: date "2025-02-30" is not a real YYYY-MM-DD date`},
		{"date format", "validity:\n  - {code: \"37224\", valid_to: 2025/12/31, source: codeset}\n", 7, `date "2025/12/31" is not a real YYYY-MM-DD date`},
		{"from after to", "validity:\n  - code: \"37224\"\n    valid_from: 2026-01-01\n    valid_to: 2025-12-31\n    source: codeset\n", 8, "valid_from 2026-01-01 is after valid_to 2025-12-31"},
		{"validity without dates", "validity:\n  - {code: \"37224\", source: codeset}\n", 7, "needs valid_from, valid_to or both"},
		{"bad side", "laterality:\n  - {code: I70.23, side: X, source: seed}\n", 7, `side "X" is not R, L, B (both legs), U (unspecified extremity) or O (other extremity)`},
		{"missing side", "laterality:\n  - {code: I70.23, source: seed}\n", 7, `side "" is not R, L, B`},
		{"bad code in laterality codes", "laterality:\n  - {codes: [I70.231, I70232], side: R, source: codeset}\n", 7, `laterality[0].codes[1]: "I70232" is malformed`},
		{"duplicate laterality via codes", "laterality:\n  - {code: I70.231, side: R, source: seed}\n  - {codes: [I70.232, I70.231], side: R, source: codeset}\n", 8, "laterality of I70.231 is listed twice (first at line 7)"},
		{"next without text", "next_characters:\n  - {code: I70.23, source: codeset}\n", 7, "next is missing"},
		{"ulcer_severity without severity", "ulcer_severity:\n  ulceration: [I70.23]\n  source: codeset\n", 7, "severity codes are missing"},
		{"bad ulceration code", "ulcer_severity:\n  ulceration: [I7023]\n  severity: [L97]\n  source: codeset\n", 7, `ulcer_severity.ulceration[0]: "I7023" is malformed`},
		{"includes without description", "includes:\n  - {source: seed}\n", 7, "description is missing"},
		{"duplicate weak diagnosis", "weak_diagnoses:\n  - {code: I70.21, source: codeset}\n  - {code: I70.21, source: codeset}\n", 8, "diagnosis I70.21 is listed twice"},
		{"bad payer modifier", "payer_modifiers:\n  - {code: GAX, source: codeset}\n", 7, `payer_modifiers[0].code: "GAX" is malformed`},
		{"bad group taxonomy", "group_taxonomies:\n  - {code: 1932, source: codeset}\n", 7, "a taxonomy is 10 characters"},
		{"diagnosis without point", "diagnoses:\n  - {code: I7023, source: seed}\n", 7, `"I7023" is malformed: a diagnosis is`},
		{"lower-case diagnosis", "diagnoses:\n  - {code: i70.23, source: seed}\n", 7, `"i70.23" is malformed`},
		{"bad modifier", "modifiers:\n  - {code: LTX, source: seed}\n", 7, `modifiers[0].code: "LTX" is malformed: a modifier is`},
		{"bad code in codes", "related:\n  - codes: [\"37280\",\n      \"3728\"]\n    relationship: review\n    source: codeset\n", 8, `related[0].codes[1]: "3728" is malformed: a procedure code is`},
		{"code and codes", "related:\n  - {code: \"37280\", codes: [\"37281\"], relationship: review, source: codeset}\n", 7, "give code or codes, not both"},
		{"procedure related to itself", "related:\n  - {code: 0620T, relationship: review, source: seed}\n", 7, "cannot be related to itself"},
		{"bad taxonomy", "taxonomies:\n  - {code: 2080S0002, source: seed}\n", 7, "a taxonomy is 10 characters"},
		{"bad place of service", "places_of_service:\n  - {code: \"2\", source: seed}\n", 7, "a place of service is 2 digits"},
		{"duplicate diagnosis", "diagnoses:\n  - {code: I70.23, source: seed}\n  - {code: I70.23, source: codeset}\n", 8, "diagnosis I70.23 is listed twice (first at line 7)"},
		{"duplicate related via codes", "related:\n  - {code: \"37224\", relationship: review, source: seed}\n  - {codes: [\"37223\", \"37224\"], relationship: review, source: codeset}\n", 8, "related code 37224 is listed twice (first at line 7)"},
		{"duplicate pair reversed", "modifier_conflicts:\n  - {pair: [\"52\", \"53\"], source: codeset}\n  - {pair: [\"53\", \"52\"], source: codeset}\n", 8, "pair 53 + 52 is listed twice (first at line 7)"},
		{"pair of one", "excludes1:\n  - {pair: [I96], source: codeset}\n", 7, "a pair has 2 codes, not 1"},
		{"pair of the same", "excludes1:\n  - {pair: [I96, I96], source: codeset}\n", 7, "a pair needs two different codes"},
		{"min_length too short", "min_length:\n  - {code: I70.23, length: 4, source: codeset}\n", 7, "length 4 must be from 5"},
		{"codeset_description on codeset entry", "modifiers:\n  - code: \"79\"\n    codeset_description: x\n    source: codeset\n", 8, "codeset_description is for seed entries"},
		{"duplicate payer ID", "payer_groups:\n  - {group: A, payer_ids: [\"1\"], source: seed}\n  - {group: B, payer_ids: [\"1\"], source: seed}\n", 8, "payer ID 1 is listed twice"},
		{"duplicate payer name", "payer_groups:\n  - {group: A, names: [BLUE CROSS], source: seed}\n  - {group: B, names: [blue-cross], source: seed}\n", 8, "name pattern BLUE CROSS is listed twice"},
		{"empty payer group", "payer_groups:\n  - {group: A, source: seed}\n", 7, "needs payer_ids, names or both"},
		{"zero max_units", "max_units: {value: 0, source: seed}\n", 6, "max_units value must be above 0"},
		{"max_units not a mapping", "max_units: 1\n", 6, "used where mapping is expected"},
		{"duplicate key", "name: again\n", 6, `mapping key "name" already defined at [1:1]`},
		{"second document", "---\nname: x\n", 7, "a pack is one YAML document"},
		{"missing procedure", "!# comment\nname: t\nversion: \"1\"\nrules:\n  - {id: DX-NOT-SUPPORTING, severity: error, source: seed}\n", 2, "procedure is missing"},
		{"malformed procedure", "!name: t\nversion: \"1\"\nprocedure: 620T\nrules:\n  - {id: DX-NOT-SUPPORTING, severity: error, source: seed}\n", 3, `procedure: "620T" is malformed`},
		{"missing rules", "!name: t\nversion: \"1\"\nprocedure: 0620T\n", 1, "rules are missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := packHead + c.yaml
			if strings.HasPrefix(c.yaml, "!") {
				data = c.yaml[1:]
			}
			_, err := Parse("bad.yaml", []byte(data), false)
			if err == nil {
				t.Fatalf("loaded:\n%s", data)
			}
			first := problems(t, err, "bad.yaml")[0]
			if first.Line != c.line || !strings.Contains(first.Path+": "+first.Message, c.want) {
				t.Errorf("problem %+v, want line %d and %q", first, c.line, c.want)
			}
		})
	}
}

func TestPackValidationReportsEveryProblem(t *testing.T) {
	data := packHead + "laterality:\n  - {code: I70.23, side: Q, source: seed}\n  - {code: I70.24, side: L, source: other}\n"
	_, err := Parse("bad.yaml", []byte(data), false)
	if err == nil {
		t.Fatal("loaded")
	}
	ps := problems(t, err, "bad.yaml")
	if len(ps) != 2 || ps[0].Line != 7 || ps[0].Path != "laterality[0].side" || ps[1].Line != 8 || ps[1].Path != "laterality[1].source" {
		t.Errorf("problems %+v", ps)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "bad.yaml:7: laterality[0].side: ") || !strings.HasPrefix(lines[1], "bad.yaml:8: laterality[1].source: ") {
		t.Errorf("error text:\n%v", err)
	}
}

// countSources adds the seed and codeset entries of list to m[name].
func countSources[T sourced](m map[string][2]int, name string, list []T) {
	c := m[name]
	for _, e := range list {
		if e.source() == SourceSeed {
			c[0]++
		} else {
			c[1]++
		}
	}
	m[name] = c
}

// problems is the problem list of a pack error, which must be an *Error
// naming file.
func problems(t *testing.T, err error, file string) []Problem {
	t.Helper()
	var pe *Error
	if !errors.As(err, &pe) || pe.File != file || len(pe.Problems) == 0 {
		t.Fatalf("error %v (%T) is not a pack error about %s", err, err, file)
	}
	return pe.Problems
}

// A quote left open is reported on its own line, not where the YAML it
// swallowed breaks further down (issue 14).
func TestPackUnclosedQuote(t *testing.T) {
	lines := strings.Split(string(defaultPackYAML), "\n")
	for _, quote := range []string{`"`, `'`} {
		at := slices.Index(lines, `version: "2026.2"`)
		if at < 0 {
			t.Fatal("no version line in the default pack")
		}
		broken := slices.Clone(lines)
		broken[at] = "version: " + quote + "2026.2"
		_, err := Parse("quote.yaml", []byte(strings.Join(broken, "\n")), false)
		if err == nil {
			t.Fatalf("%s: loaded", quote)
		}
		p := problems(t, err, "quote.yaml")[0]
		if p.Line != at+1 || !strings.Contains(p.Message, "quote opened on this line is not closed") {
			t.Errorf("%s: %+v, want line %d", quote, p, at+1)
		}
	}
	// A quote that runs to the end of the file is found where it opens too.
	if _, err := Parse("end.yaml", []byte("name: t\nversion: \"1\nprocedure: 0620T\n"), false); problems(t, err, "end.yaml")[0].Line != 2 {
		t.Errorf("quote to the end: %v", err)
	}
}

func TestPackEmpty(t *testing.T) {
	for _, data := range []string{"", "# nothing\n"} {
		_, err := Parse("empty.yaml", []byte(data), false)
		if p := problems(t, err, "empty.yaml"); p[0].Line != 0 || p[0].Message != "the rule pack is empty" || err.Error() != "empty.yaml: the rule pack is empty" {
			t.Errorf("%q: %v", data, err)
		}
	}
	if _, err := Parse("syntax.yaml", []byte("name: [\n"), false); problems(t, err, "syntax.yaml")[0].Line != 1 {
		t.Errorf("syntax error: %v", err)
	}
}

func TestPackLoadFileErrors(t *testing.T) {
	cases := []struct{ file, want string }{
		{"testdata/packs/bad-severity.yaml", `testdata/packs/bad-severity.yaml:6: rules[0].severity: severity "eror" is not one of error, warning, info`},
		{"testdata/packs/unknown-field.yaml", `testdata/packs/unknown-field.yaml:9: unknown field "descripton"`},
	}
	for _, c := range cases {
		_, err := Load(c.file, false)
		if err == nil || err.Error() != c.want {
			t.Errorf("Load(%s) = %v, want %s", c.file, err, c.want)
		}
	}
	if _, err := Load("testdata/packs/no-such-pack.yaml", false); err == nil || !strings.Contains(err.Error(), "no-such-pack.yaml") {
		t.Errorf("missing file: %v", err)
	}
}

func TestPackNormalizeDiagnosis(t *testing.T) {
	for in, want := range map[string]string{"I70.234": "I70234", "i70.234": "I70234", "I70234": "I70234", " E11.51 ": "E1151", "": ""} {
		if got := normalizeDiagnosis(in); got != want {
			t.Errorf("normalizeDiagnosis(%q) = %q, want %q", in, got, want)
		}
	}
}

// The per-line lookups must not allocate: they run for every claim line.
// (Diagnosis does, once per code: the checks keep its result.)
func TestPackLookupsDoNotAllocate(t *testing.T) {
	p := mustDefaultPack(t, false)
	i96, i70261 := p.Diagnosis("I96"), p.Diagnosis("I70261")
	allocs := testing.AllocsPerRun(100, func() {
		i96.Excludes1With(i70261)
		p.Modifier("LT")
		p.ModifierDescription("79")
		p.ModifierConflict("52", "53")
		p.OverrideModifier("59")
		p.AnesthesiaModifier("QK")
		p.Related("37224")
		p.ValidOn("37224", "20260101")
		p.TypicalPOS("21")
		p.TaxonomyListed("2080S0002X")
		p.Rule(rules.DxNotSupporting)
	})
	if allocs != 0 {
		t.Errorf("lookups allocate %v times", allocs)
	}
}
