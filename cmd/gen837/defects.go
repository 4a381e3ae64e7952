package main

import (
	"slices"
	"strconv"
	"strings"

	"github.com/scrub837/scrub837/scrubber/rules"
)

// Planted defects. Each one breaks exactly one thing in a clean target
// claim and returns the rules that must then fire on that claim because of
// it (a rule that fires twice is listed twice). The info-level rules a
// claim draws whatever its defect (LINE-TAXONOMY-MISSING) are infoRules'.
//
// What fires is decided by the default rule pack (scrubber/packs/0620T.yaml)
// and the checks in scrubber/; a defect that must fire two rules says why.
// Every rule of the catalogue (scrubber/rules) that can fire on a claim at
// warning or above is planted (the oracle test checks it).

// Cross-claim defects: the original claim stays clean and a second claim
// (the partner) carries the finding.
const (
	crossBundle    = "bundle-cross-claim"         // a related code on another claim, same patient, NPI and day
	crossDuplicate = "line-duplicate-cross-claim" // 0620T again on another claim, same patient, leg and day
)

type defectKind struct {
	name  string
	cross string // crossBundle or crossDuplicate; apply is nil then
	apply func(g *generator, c *claim) []rules.ID
}

// allDefects lists every defect the generator plants, one or more per rule.
func allDefects() []defectKind {
	return []defectKind{
		{name: "dx-pointer-missing", apply: plantPointerMissing},
		{name: "dx-pointer-invalid", apply: plantPointerInvalid},
		{name: "dx-pointer-dangling", apply: plantPointerDangling},
		{name: "dx-pointer-duplicate", apply: plantPointerDuplicate},
		{name: "dx-not-supporting", apply: plantNotSupporting},
		{name: "dx-primary-not-supporting", apply: plantPrimaryNotSupporting},
		{name: "dx-code-invalid", apply: plantCodeInvalid},
		{name: "dx-code-incomplete", apply: plantCodeIncomplete},
		{name: "dx-excludes1", apply: plantExcludes1},
		{name: "dx-weak-support", apply: plantWeakSupport},
		{name: "dx-ulcer-severity-missing", apply: plantUlcerSeverityMissing},
		{name: "dx-laterality-unspecified", apply: plantLateralityUnspecified},
		{name: "dx-laterality-conflict", apply: plantLateralityConflict},
		{name: "dx-laterality-conflict-bilateral", apply: plantLateralityConflictBilateral},
		{name: "mod-unlisted", apply: plantModUnlisted},
		{name: "mod-laterality-missing", apply: plantLateralityMissing},
		{name: "mod-laterality-conflict", apply: plantModLateralityConflict},
		{name: "mod-conflict", apply: plantModConflict},
		{name: "mod-duplicate", apply: plantModDuplicate},
		{name: "mod-51-single-procedure", apply: plantMod51},
		{name: "mod-50-units", apply: plantMod50Units},
		{name: "mod-anesthesia", apply: plantModAnesthesia},
		{name: "bundle-included", apply: plantBundleIncluded},
		{name: "bundle-override", apply: plantBundleOverride},
		{name: "bundle-review", apply: plantBundleReview},
		{name: "code-not-valid-on-dos-same-day", apply: plantNotValidSameDay},
		{name: "code-not-valid-on-dos", apply: plantNotValidOtherDay},
		{name: "line-duplicate", apply: plantLineDuplicate},
		{name: "line-dos-missing", apply: plantDOSMissing},
		{name: "line-dos-invalid", apply: plantDOSInvalid},
		{name: "line-charge-invalid", apply: plantChargeInvalid},
		{name: "line-units", apply: plantUnits},
		{name: "line-pos-atypical", apply: plantPOS},
		{name: "line-taxonomy-atypical", apply: plantTaxonomy},
		{name: "claim-charge-mismatch", apply: plantChargeMismatch},
		{name: "claim-frequency-invalid", apply: plantFrequencyInvalid},
		{name: "claim-original-ref-missing", apply: plantOriginalRefMissing},
		{name: "npi-invalid", apply: plantNPIInvalid},
		{name: "x12-syntax-sv1-without-lx", apply: plantStraySV1},
		{name: crossBundle, cross: crossBundle},
		{name: crossDuplicate, cross: crossDuplicate},
	}
}

// pickTarget picks one of the claim's target lines.
func (g *generator) pickTarget(c *claim) int {
	ts := c.targets()
	return ts[g.rng.IntN(len(ts))]
}

// isRelated reports whether code is a related code of the pack.
func isRelated(code string) bool {
	if code == "37224" || contains(includedCodes, code) || contains(reviewCodes2026, code) {
		return true
	}
	return false
}

// isolate removes the lines that share target line t's date and are other
// target lines or related codes (all of them when alone is set, so that t is
// the only procedure that day), and returns t's new index. A defect that
// changes t's side or modifiers calls it, so no other 0620T that day turns
// the change into a LINE-DUPLICATE too.
func isolate(c *claim, t int, alone bool) int {
	d := c.lines[t].date
	out := c.lines[:0]
	nt := 0
	for i := range c.lines {
		l := c.lines[i]
		if i != t && l.date == d && (alone || l.isTarget() || isRelated(l.proc)) {
			continue
		}
		if i == t {
			nt = len(out)
		}
		out = append(out, l)
	}
	for i := len(out); i < len(c.lines); i++ {
		c.lines[i] = line{} // freed places must not share slices with kept lines
	}
	c.lines = out
	return nt
}

// simpleSide makes target line t an RT or LT line whose first pointer is a
// fresh supporting diagnosis of its side and whose other pointers are
// secondary (unsided, not supporting) diagnoses. It returns the side.
func (g *generator) simpleSide(c *claim, t int) byte {
	l := &c.lines[t]
	s := l.side()
	if s != 'R' && s != 'L' {
		s = g.randomSide()
		l.setSide(sideModifier(s))
	}
	fresh := strconv.Itoa(c.addDx(g.pickSupport(c, s, false)))
	ptrs := []string{fresh}
	for _, p := range l.pointers {
		n, _ := strconv.Atoi(p)
		if n >= 1 && n <= len(c.dx) && !isSupporting(c.dx[n-1].code) && len(ptrs) < 3 {
			ptrs = append(ptrs, p)
		}
	}
	l.pointers = ptrs
	return s
}

// stripExtras drops the line's modifiers other than its side.
func stripExtras(l *line) {
	s := sideModifier(l.side())
	l.mods = nil
	if s != "" {
		l.mods = []string{s}
	}
}

// secondaryPos returns the position of a secondary (not supporting)
// diagnosis on the claim, adding one when there is none or at random.
func (g *generator) secondaryPos(c *claim, not []string) string {
	for i, d := range c.dx {
		p := strconv.Itoa(i + 1)
		if !isSupporting(d.code) && !contains(not, p) && d.qual != "BF" && g.rng.IntN(2) == 0 {
			return p
		}
	}
	for {
		code := pick(g.rng, secondaryDx)
		p := strconv.Itoa(c.addDx(code))
		if !contains(not, p) {
			return p
		}
	}
}

func plantPointerMissing(g *generator, c *claim) []rules.ID {
	c.lines[g.pickTarget(c)].pointers = nil
	return []rules.ID{rules.DxPointerMissing}
}

func plantPointerInvalid(g *generator, c *claim) []rules.ID {
	l := &c.lines[g.pickTarget(c)]
	switch {
	case len(l.pointers) >= 2 && len(l.pointers) < 4 && g.rng.IntN(2) == 0:
		// an empty pointer between two others: 1::3
		l.pointers = append([]string{l.pointers[0], ""}, l.pointers[1:]...)
	default:
		bad := pick(g.rng, []string{"13", "0", "A", "99"})
		if len(l.pointers) >= 4 {
			l.pointers[3] = bad
		} else {
			l.pointers = append(l.pointers, bad)
		}
	}
	return []rules.ID{rules.DxPointerInvalid}
}

func plantPointerDangling(g *generator, c *claim) []rules.ID {
	l := &c.lines[g.pickTarget(c)]
	p := strconv.Itoa(len(c.dx) + 1 + g.rng.IntN(12-len(c.dx)))
	if len(l.pointers) >= 4 {
		l.pointers[3] = p
	} else {
		l.pointers = append(l.pointers, p)
	}
	return []rules.ID{rules.DxPointerDangling}
}

func plantPointerDuplicate(g *generator, c *claim) []rules.ID {
	l := &c.lines[g.pickTarget(c)]
	p := l.pointers[g.rng.IntN(len(l.pointers))]
	if len(l.pointers) >= 4 {
		l.pointers[3] = l.pointers[0]
	} else {
		l.pointers = append(l.pointers, p)
	}
	return []rules.ID{rules.DxPointerDuplicate}
}

func plantNotSupporting(g *generator, c *claim) []rules.ID {
	l := &c.lines[g.pickTarget(c)]
	first := g.secondaryPos(c, nil)
	l.pointers = []string{first}
	if g.rng.IntN(2) == 0 {
		if p := g.secondaryPos(c, l.pointers); p != first {
			l.pointers = append(l.pointers, p)
		}
	}
	return []rules.ID{rules.DxNotSupporting}
}

func plantPrimaryNotSupporting(g *generator, c *claim) []rules.ID {
	t := g.pickTarget(c)
	l := &c.lines[t]
	sec := g.secondaryPos(c, nil)
	ptrs := []string{sec}
	for _, p := range l.pointers {
		if p != sec && len(ptrs) < 4 {
			ptrs = append(ptrs, p)
		}
	}
	l.pointers = ptrs
	return []rules.ID{rules.DxPrimaryNotSupporting}
}

func plantCodeInvalid(g *generator, c *claim) []rules.ID {
	code := pick(g.rng, secondaryDx)
	for c.dxIndex(code) > 0 {
		code = pick(g.rng, secondaryDx)
	}
	switch g.rng.IntN(3) {
	case 0: // with the decimal point
		c.dx = append(c.dx, dx{qual: "ABF", code: code[:3] + "." + code[3:]})
	case 1: // ICD-9 qualifier on a 2026 service
		c.dx = append(c.dx, dx{qual: "BF", code: pick(g.rng, []string{"4439", "25070", "7854", "4019"})})
	default: // lower case
		c.dx = append(c.dx, dx{qual: "ABF", code: strings.ToLower(code)})
	}
	return []rules.ID{rules.DxCodeInvalid}
}

// safeTruncation: the side the pack gives a 5-character I70 header; a
// truncated code must keep its line's side or have none. (I70.31 is weak:
// a header of it would be DX-WEAK-SUPPORT too.)
var safeTruncation = map[string]byte{
	"I7023": 'R', "I7024": 'L', "I7033": 'R', "I7034": 'L', "I7032": 'L', "I7022": 0, "I7026": 0,
	"I7043": 'R', "I7044": 'L', "I7036": 0, "I7046": 0, "I7056": 0, "I7066": 0, "I7076": 0,
}

func plantCodeIncomplete(g *generator, c *claim) []rules.ID {
	t := isolate(c, g.pickTarget(c), false)
	s := g.simpleSide(c, t)
	l := &c.lines[t]
	n, _ := strconv.Atoi(l.pointers[0])
	code := c.dx[n-1].code
	head := code[:5]
	if side, ok := safeTruncation[head]; !ok || (side != 0 && side != s) {
		head = map[byte]string{'R': "I7023", 'L': "I7024"}[s]
	}
	if c.dxIndex(head) > 0 {
		head = map[byte]string{'R': "I7033", 'L': "I7034"}[s]
	}
	c.dx[n-1].code = head
	c.ensureSeverity() // a header of ulceration needs its severity code too
	return []rules.ID{rules.DxCodeIncomplete}
}

func plantExcludes1(g *generator, c *claim) []rules.ID {
	t := g.pickTarget(c)
	s := c.lines[t].side()
	if s != 'R' && s != 'L' {
		s = g.randomSide()
	}
	has := func(prefix string) bool {
		return slices.ContainsFunc(c.dx, func(d dx) bool { return strings.HasPrefix(d.code, prefix) })
	}
	if !has("I96") {
		c.dx = append(c.dx, dx{qual: "ABF", code: "I96"})
	}
	if !has("I7026") {
		code := "I70261"
		if s == 'L' {
			code = "I70262"
		}
		c.dx = append(c.dx, dx{qual: "ABF", code: code})
	}
	// One finding per diagnosis that an earlier one excludes (RULES.md):
	// an I96 after an I70.26-, or an I70.26- after an I96.
	var out []rules.ID
	var seen96, seen7026 bool
	for _, d := range c.dx {
		is96, is7026 := strings.HasPrefix(d.code, "I96"), strings.HasPrefix(d.code, "I7026")
		if is96 && seen7026 || is7026 && seen96 {
			out = append(out, rules.DxExcludes1)
		}
		seen96, seen7026 = seen96 || is96, seen7026 || is7026
	}
	return out
}

func plantLateralityConflict(g *generator, c *claim) []rules.ID {
	t := isolate(c, g.pickTarget(c), false)
	s := g.simpleSide(c, t)
	l := &c.lines[t]
	other := byte('R' + 'L' - s)
	if g.rng.IntN(2) == 0 {
		l.setSide(sideModifier(other)) // the wrong leg on the line
	} else {
		// the line's leg, the other leg's diagnosis
		c.dx[mustAtoi(l.pointers[0])-1].code = g.pickSupport(c, other, false)
		c.ensureSeverity()
	}
	return []rules.ID{rules.DxLateralityConflict}
}

// freshUnique picks a code of list the claim does not have yet and that
// forms no Excludes1 pair with its codes.
func (g *generator) freshUnique(c *claim, list []string) string {
	for {
		if code := pick(g.rng, list); c.dxIndex(code) == 0 && !c.excludesConflict(code) {
			return code
		}
	}
}

// plantWeakSupport: the line's only indication is claudication (I70.x1-),
// of its leg, including the seed's I70.31.
func plantWeakSupport(g *generator, c *claim) []rules.ID {
	t := isolate(c, g.pickTarget(c), false)
	s := g.simpleSide(c, t)
	list := weakRight
	if s == 'L' {
		list = weakLeft
	}
	c.dx[mustAtoi(c.lines[t].pointers[0])-1].code = g.freshUnique(c, list)
	return []rules.ID{rules.DxWeakSupport}
}

// plantUlcerSeverityMissing: the claim codes atherosclerosis with
// ulceration and no ulcer severity code; its severity codes become other
// secondary diagnoses (in place: pointers keep their positions).
func plantUlcerSeverityMissing(g *generator, c *claim) []rules.ID {
	ulcer := false
	for _, d := range c.dx {
		ulcer = ulcer || ulcerSide(d.code) != 0
	}
	if !ulcer {
		t := isolate(c, g.pickTarget(c), false)
		s := g.simpleSide(c, t)
		code := map[byte]string{'R': "I70235", 'L': "I70245"}[s]
		if c.dxIndex(code) > 0 {
			code = map[byte]string{'R': "I70331", 'L': "I70341"}[s]
		}
		c.dx[mustAtoi(c.lines[t].pointers[0])-1].code = code
	}
	for i := range c.dx {
		if isSeverity(c.dx[i].code) {
			c.dx[i].code = g.freshUnique(c, plainSecondaryDx)
		}
	}
	return []rules.ID{rules.DxUlcerSeverityMissing}
}

// plantLateralityUnspecified: an RT or LT line points to a supporting code
// of an unspecified extremity (6th character 9).
func plantLateralityUnspecified(g *generator, c *claim) []rules.ID {
	t := isolate(c, g.pickTarget(c), false)
	g.simpleSide(c, t)
	c.dx[mustAtoi(c.lines[t].pointers[0])-1].code = g.freshUnique(c, supportUnspecified)
	return []rules.ID{rules.DxLateralityUnspecified}
}

func mustAtoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// plantLateralityConflictBilateral: 50 on a line whose sided diagnoses are
// all one leg (the warning case of DX-LATERALITY-CONFLICT).
func plantLateralityConflictBilateral(g *generator, c *claim) []rules.ID {
	t := isolate(c, g.pickTarget(c), false)
	g.simpleSide(c, t)
	c.lines[t].setSide("50")
	return []rules.ID{rules.DxLateralityConflict}
}

func plantModUnlisted(g *generator, c *claim) []rules.ID {
	l := &c.lines[g.pickTarget(c)]
	stripExtras(l)
	l.mods = append(l.mods, pick(g.rng, unlistedModifiers))
	return []rules.ID{rules.ModUnlisted}
}

func plantLateralityMissing(g *generator, c *claim) []rules.ID {
	t := isolate(c, g.pickTarget(c), false)
	c.lines[t].setSide("")
	return []rules.ID{rules.ModLateralityMissing}
}

func plantModLateralityConflict(g *generator, c *claim) []rules.ID {
	t := isolate(c, g.pickTarget(c), false)
	l := &c.lines[t]
	stripExtras(l)
	switch s := l.side(); {
	case s == 'B':
		l.mods = append(l.mods, pick(g.rng, []string{"RT", "LT"}))
	case g.rng.IntN(2) == 0:
		l.mods = append(l.mods, sideModifier('R'+'L'-s))
	default:
		l.mods = append([]string{"50"}, l.mods...)
	}
	return []rules.ID{rules.ModLateralityConflict}
}

func plantModConflict(g *generator, c *claim) []rules.ID {
	l := &c.lines[g.pickTarget(c)]
	stripExtras(l)
	pair := pick(g.rng, [][2]string{{"52", "53"}, {"22", "52"}, {"22", "53"}})
	l.mods = append(l.mods, pair[0], pair[1])
	return []rules.ID{rules.ModConflict}
}

func plantModDuplicate(g *generator, c *claim) []rules.ID {
	l := &c.lines[g.pickTarget(c)]
	stripExtras(l)
	m := pick(g.rng, []string{"22", "62", "78", ""})
	if m == "" {
		m = l.mods[0] // the side twice
		l.mods = append(l.mods, m)
	} else {
		l.mods = append(l.mods, m, m)
	}
	return []rules.ID{rules.ModDuplicate}
}

func plantMod51(g *generator, c *claim) []rules.ID {
	t := isolate(c, g.pickTarget(c), true)
	l := &c.lines[t]
	stripExtras(l)
	l.mods = append(l.mods, "51")
	return []rules.ID{rules.Mod51SingleProcedure}
}

// plantMod50Units: 50 with units other than 1; LINE-UNITS does not fire for
// the same units.
func plantMod50Units(g *generator, c *claim) []rules.ID {
	t := isolate(c, g.pickTarget(c), false)
	s := g.simpleSide(c, t)
	l := &c.lines[t]
	l.setSide("50")
	// diagnoses of both legs, so the side rules stay quiet
	other := strconv.Itoa(c.addDx(g.pickSupport(c, 'R'+'L'-s, false)))
	l.pointers = append([]string{l.pointers[0], other}, l.pointers[1:]...)
	if len(l.pointers) > 4 {
		l.pointers = l.pointers[:4]
	}
	l.units = pick(g.rng, []string{"2", "2", "3", "0.5"})
	return []rules.ID{rules.Mod50Units}
}

func plantModAnesthesia(g *generator, c *claim) []rules.ID {
	l := &c.lines[g.pickTarget(c)]
	stripExtras(l)
	if g.rng.IntN(4) == 0 {
		// QZ is not in the pack's modifier list either
		l.mods = append(l.mods, "QZ")
		return []rules.ID{rules.ModAnesthesia, rules.ModUnlisted}
	}
	l.mods = append(l.mods, pick(g.rng, []string{"QK", "QX", "QY"}))
	return []rules.ID{rules.ModAnesthesia}
}

// addRelated adds a line billing code on date d.
func (g *generator) addRelated(c *claim, code string, d int32, mods ...string) {
	l := g.otherLine(c, proc{code: code, min: 150, max: 1600}, d)
	l.mods = append(l.mods[:0], mods...)
}

// plantBundleIncluded: an included code on 0620T's day and limb (the other
// limb would be BUNDLE-OVERRIDE: see the other-limb look-alike).
func plantBundleIncluded(g *generator, c *claim) []rules.ID {
	t := g.pickTarget(c)
	var mods []string
	if g.rng.IntN(3) == 0 {
		side := []string{"RT", "LT", "26"}
		switch s := c.lines[t].side(); s {
		case 'R', 'L':
			side = []string{sideModifier(s), "26"}
		}
		mods = []string{pick(g.rng, side)}
	}
	g.addRelated(c, pick(g.rng, includedCodes), c.lines[t].date, mods...)
	return []rules.ID{rules.BundleIncluded}
}

func plantBundleOverride(g *generator, c *claim) []rules.ID {
	t := g.pickTarget(c)
	g.addRelated(c, pick(g.rng, includedCodes), c.lines[t].date, pick(g.rng, overrideModifiers))
	return []rules.ID{rules.BundleOverride}
}

func plantBundleReview(g *generator, c *claim) []rules.ID {
	t := g.pickTarget(c)
	g.addRelated(c, pick(g.rng, reviewCodes2026), c.lines[t].date)
	return []rules.ID{rules.BundleReview}
}

// plantNotValidSameDay: 37224 or 37228-37235 (deleted 2026-01-01) on the
// day of 0620T: they are review codes, but a code that does not exist on
// its date is not reviewed, only CODE-NOT-VALID-ON-DOS.
func plantNotValidSameDay(g *generator, c *claim) []rules.ID {
	t := g.pickTarget(c)
	g.addRelated(c, pick(g.rng, []string{"37224", "37228", "37229", "37230", "37231", "37232", "37233", "37234", "37235"}), c.lines[t].date)
	return []rules.ID{rules.CodeNotValidOnDOS}
}

// plantNotValidOtherDay: a code outside its valid dates on a day without
// 0620T: 37224 in 2026, or 37280-37295 (new in 2026) in 2025.
func plantNotValidOtherDay(g *generator, c *claim) []rules.ID {
	t := g.pickTarget(c)
	td := dayOf(c.lines[t].date)
	if g.rng.IntN(2) == 0 {
		d := day(jan2026 - 1 - g.rng.IntN(20))
		g.addRelated(c, pick(g.rng, reviewCodes2026[1:]), d)
		return []rules.ID{rules.CodeNotValidOnDOS}
	}
	for {
		d := day(max(jan2026, td-1-g.rng.IntN(25)))
		clash := false
		for i := range c.lines {
			if c.lines[i].isTarget() && c.lines[i].date == d {
				clash = true
			}
		}
		if !clash {
			g.addRelated(c, "37224", d)
			return []rules.ID{rules.CodeNotValidOnDOS}
		}
	}
}

func plantLineDuplicate(g *generator, c *claim) []rules.ID {
	t := g.pickTarget(c)
	l := c.lines[t]
	l.mods = append([]string(nil), l.mods...)
	l.pointers = append([]string(nil), l.pointers...)
	l.charge = g.dollars(14000, 32000)
	c.lines = append(c.lines, l)
	return []rules.ID{rules.LineDuplicate}
}

func plantDOSMissing(g *generator, c *claim) []rules.ID {
	c.lines[g.pickTarget(c)].noDate = true
	return []rules.ID{rules.LineDOSMissing}
}

func plantDOSInvalid(g *generator, c *claim) []rules.ID {
	l := &c.lines[g.pickTarget(c)]
	d := dateString(l.date)
	switch g.rng.IntN(5) {
	case 0:
		l.dateRaw = d[:4] + "0230" // February 30
	case 1:
		l.dateRaw = d[:7] // 7 digits
	case 2:
		l.dateRaw = d[:4] + "13" + d[6:] // month 13
	case 3:
		l.dateQual = "RD8" // ends before it starts
		l.dateRaw = d + "-" + dateString(day(dayOf(l.date)-3))
	default:
		l.dateQual = "DT"
	}
	return []rules.ID{rules.LineDOSInvalid}
}

func plantChargeInvalid(g *generator, c *claim) []rules.ID {
	l := &c.lines[g.pickTarget(c)]
	switch g.rng.IntN(3) {
	case 0:
		l.chargeRaw = "0"
	case 1:
		l.chargeRaw = "0.00"
	default:
		l.noCharge = true
	}
	return []rules.ID{rules.LineChargeInvalid}
}

func plantUnits(g *generator, c *claim) []rules.ID {
	l := &c.lines[g.pickTarget(c)]
	if l.side() == 'B' || g.rng.IntN(3) == 0 {
		l.units = "" // missing (with 50, 2 units would be MOD-50-UNITS too)
	} else {
		l.units = pick(g.rng, []string{"2", "3", "1.5"})
	}
	return []rules.ID{rules.LineUnits}
}

func plantPOS(g *generator, c *claim) []rules.ID {
	if g.rng.IntN(2) == 0 {
		c.lines[g.pickTarget(c)].pos = pick(g.rng, atypicalPOS)
		return []rules.ID{rules.LinePOSAtypical}
	}
	// CLM05-1: every target line without its own SV105 fires
	c.pos = pick(g.rng, atypicalPOS)
	var out []rules.ID
	for _, t := range c.targets() {
		if c.lines[t].pos != "" {
			c.lines[t].pos = c.pos // SV105 repeated CLM05-1: keep it equal
		}
		out = append(out, rules.LinePOSAtypical)
	}
	return out
}

func plantTaxonomy(g *generator, c *claim) []rules.ID {
	tax := pick(g.rng, unlistedTaxonomies)
	if g.rng.IntN(2) == 0 {
		l := &c.lines[g.pickTarget(c)]
		l.lineNPI, l.lineTax = g.npi(), tax
		l.lineFirst, l.lineLast = pick(g.rng, firstNames), pick(g.rng, lastNames)
		return []rules.ID{rules.LineTaxonomyAtypical}
	}
	// 2310B: every target line without a 2420A taxonomy fires
	if c.renderNPI == "" {
		c.renderNPI, c.renderFirst, c.renderLast = g.npi(), pick(g.rng, firstNames), pick(g.rng, lastNames)
	}
	c.renderTax = tax
	var out []rules.ID
	for range c.targets() {
		out = append(out, rules.LineTaxonomyAtypical)
	}
	return out
}

func plantChargeMismatch(g *generator, c *claim) []rules.ID {
	delta := 1 + g.rng.Int64N(50000)
	if g.rng.IntN(2) == 0 && delta < c.total() {
		delta = -delta
	}
	c.totalDelta = delta
	return []rules.ID{rules.ClaimChargeMismatch}
}

// plantFrequencyInvalid: CLM05-3 not 1, 7 or 8 (or empty).
func plantFrequencyInvalid(g *generator, c *claim) []rules.ID {
	if g.rng.IntN(4) == 0 {
		c.noFreq = true
	} else {
		c.freq = pick(g.rng, []string{"2", "3", "5", "6", "0"})
	}
	return []rules.ID{rules.ClaimFrequencyInvalid}
}

// plantOriginalRefMissing: a replacement or void without REF*F8. A void
// gets the claim-level rules only, so its clean lines stay clean.
func plantOriginalRefMissing(g *generator, c *claim) []rules.ID {
	c.freq = pick(g.rng, []string{"7", "8"})
	return []rules.ID{rules.ClaimOriginalRefMissing}
}

// plantNPIInvalid: the claim's rendering NPI (2310B), or a line's (2420A),
// fails its check digit or is not 10 digits.
func plantNPIInvalid(g *generator, c *claim) []rules.ID {
	bad := g.npi()
	if g.rng.IntN(4) == 0 {
		bad = bad[:9] // 9 digits
	} else {
		bad = bad[:9] + string(rune('0'+(bad[9]-'0'+1+byte(g.rng.IntN(9)))%10)) // another check digit
	}
	if c.renderNPI != "" {
		c.renderNPI = bad
		return []rules.ID{rules.NPIInvalid}
	}
	l := &c.lines[g.pickTarget(c)]
	l.lineNPI, l.lineTax = bad, pick(g.rng, listedTaxonomies)
	l.lineFirst, l.lineLast = pick(g.rng, firstNames), pick(g.rng, lastNames)
	return []rules.ID{rules.NPIInvalid}
}

func plantStraySV1(g *generator, c *claim) []rules.ID {
	c.straySV1 = true
	return []rules.ID{rules.X12Syntax}
}
