package scrubber

import (
	"strings"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// Rules of scrubber/RULES.md "Diagnosis pointers and diagnoses".

// icd10Start is the first service date on which ICD-9 qualifiers are wrong.
const icd10Start = 20151001

// maxPointer is the highest diagnosis a pointer may name (HI holds 12).
const maxPointer = 12

// pointerValue is pointer text as a position 1-12, or 0 when it is not one.
func pointerValue(s string) int {
	n, ok := parsePointer(s)
	if !ok || n < 1 || n > maxPointer {
		return 0
	}
	return n
}

// pointers checks SV107 of target line l: DX-POINTER-MISSING, -INVALID,
// -DANGLING and -DUPLICATE. An empty pointer before another one ("1::2",
// or ":1") is invalid; the claim reader drops trailing empty ones.
func (k *claimCheck) pointers(l *claim.Line) {
	c := k.c
	if len(l.Pointers) == 0 {
		if rs, ok := k.p.Rule(rules.DxPointerMissing); ok {
			k.emit(rs, l, l.SV1Pos, "",
				k.p.Procedure+" on line "+lineNumber(l)+" has no diagnosis pointer (SV107 is empty), so no diagnosis supports it",
				"set SV107 of line "+lineNumber(l)+" to "+k.supportingTarget(l, "the position of a diagnosis that supports "+k.p.Procedure+" (add one to HI: "+k.supportingExamples()+")"))
		}
		return
	}
	var seen, dupReported uint16 // bit n: pointer n read / reported as duplicate
	for i, s := range l.Pointers {
		n := pointerValue(s)
		switch {
		case s == "":
			k.fire(rules.DxPointerInvalid, l, l.SV1Pos, "",
				"diagnosis pointer "+itoa(i+1)+" of "+k.p.Procedure+" on line "+lineNumber(l)+" is empty (SV107 reads "+sv107(l)+")",
				"remove the empty pointer: set SV107 of line "+lineNumber(l)+" to "+k.pointerFix(l))
		case n == 0:
			k.fire(rules.DxPointerInvalid, l, l.SV1Pos, "",
				"diagnosis pointer "+quote(s)+" of "+k.p.Procedure+" on line "+lineNumber(l)+" is not a number from 1 to 12 (SV107 reads "+sv107(l)+")",
				"set SV107 of line "+lineNumber(l)+" to "+k.pointerFix(l))
		case n > len(c.Diagnoses):
			k.fire(rules.DxPointerDangling, l, l.SV1Pos, "",
				"diagnosis pointer "+s+" of "+k.p.Procedure+" on line "+lineNumber(l)+" names diagnosis "+itoa(n)+", but the claim has "+countDiagnoses(len(c.Diagnoses)),
				"set SV107 of line "+lineNumber(l)+" to "+k.pointerFix(l)+", or add the missing diagnosis to HI as diagnosis "+itoa(n))
		}
		if n == 0 {
			continue
		}
		bit := uint16(1) << n
		if seen&bit != 0 && dupReported&bit == 0 {
			dupReported |= bit
			k.fire(rules.DxPointerDuplicate, l, l.SV1Pos, "",
				"diagnosis pointer "+itoa(n)+" appears more than once on "+k.p.Procedure+" line "+lineNumber(l)+" (SV107 reads "+sv107(l)+")",
				"set SV107 of line "+lineNumber(l)+" to "+k.pointerFix(l))
		}
		seen |= bit
	}
}

// pointerFix is what SV107 should read: the usable pointers (1-12, naming
// a diagnosis, first time seen) in their order; with none, a supporting
// diagnosis of the claim.
func (k *claimCheck) pointerFix(l *claim.Line) string {
	var keep []string
	var seen uint16
	for _, s := range l.Pointers {
		n := pointerValue(s)
		if n == 0 || n > len(k.c.Diagnoses) || seen&(1<<n) != 0 {
			continue
		}
		seen |= 1 << n
		keep = append(keep, itoa(n))
	}
	if len(keep) == 0 {
		return k.supportingTarget(l, "the position (1-12) of the diagnosis in HI that supports "+k.p.Procedure)
	}
	return strings.Join(keep, ":")
}

// supportingTarget names a claim diagnosis that supports the procedure and
// that l does not point to yet, as "3 (I70234)"; otherwise it returns
// fallback.
func (k *claimCheck) supportingTarget(l *claim.Line, fallback string) string {
	for _, n := range k.supportingPositions() {
		if !pointsTo(l, n) {
			return itoa(n) + " (" + k.c.Diagnoses[n-1].Code + ")"
		}
	}
	return fallback
}

// supportingPositions are the positions of the claim's first supporting
// diagnoses, found once per claim: 13 of them, as a line points to at most
// 12, so one it does not point to is among them if the claim has one.
func (k *claimCheck) supportingPositions() []int {
	if !k.supportSet {
		k.supportSet = true
		for i := range k.c.Diagnoses {
			if k.dx(k.c.Diagnoses[i].Code).Supporting != nil {
				k.supporting = append(k.supporting, i+1)
				if len(k.supporting) == maxPointer+1 {
					break
				}
			}
		}
	}
	return k.supporting
}

func pointsTo(l *claim.Line, n int) bool {
	for _, s := range l.Pointers {
		if pointerValue(s) == n {
			return true
		}
	}
	return false
}

// pointedDx is a diagnosis a target line's pointer resolves to.
type pointedDx struct {
	n  int // pointer value
	dx *claim.Diagnosis
}

// resolved returns the diagnoses l's pointers name, in pointer order, each
// once; first is whether the line's first pointer is among them.
func (k *claimCheck) resolved(l *claim.Line, buf []pointedDx) (out []pointedDx, first bool) {
	out = buf[:0]
	var seen uint16
	for i, s := range l.Pointers {
		n := pointerValue(s)
		if n == 0 || n > len(k.c.Diagnoses) || seen&(1<<n) != 0 {
			continue
		}
		seen |= 1 << n
		if i == 0 {
			first = true
		}
		out = append(out, pointedDx{n, &k.c.Diagnoses[n-1]})
	}
	return out, first
}

// pointedDiagnoses runs the rules about the diagnoses target line l points
// to: DX-NOT-SUPPORTING, DX-WEAK-SUPPORT, DX-PRIMARY-NOT-SUPPORTING,
// DX-CODE-INCOMPLETE, DX-LATERALITY-CONFLICT and DX-LATERALITY-UNSPECIFIED.
// Pointers that name nothing are the pointer rules' business; with none
// usable these rules stay quiet.
func (k *claimCheck) pointedDiagnoses(l *claim.Line) {
	var buf [4]pointedDx
	pts, first := k.resolved(l, buf[:])
	if len(pts) == 0 {
		return
	}
	// supporting: index in pts of the first supporting diagnosis. The
	// source of DX-PRIMARY-NOT-SUPPORTING is seed when a seed entry supports
	// a later pointed diagnosis (the finding stands on the seed alone).
	supporting, supportSource, weak := -1, pack.Source(""), -1
	for i := range pts {
		f := k.dx(pts[i].dx.Code)
		if f.Weak != nil && weak < 0 {
			weak = i
		}
		e := f.Supporting
		if e == nil {
			continue
		}
		if supporting < 0 {
			supporting, supportSource = i, e.Source
		}
		if e.Source == pack.SourceSeed {
			supportSource = pack.SourceSeed
			break
		}
	}
	switch {
	case supporting < 0 && weak >= 0:
		k.weakSupport(l, pts, weak)
	case supporting < 0:
		if rs, ok := k.p.Rule(rules.DxNotSupporting); ok {
			k.emit(rs, l, l.SV1Pos, "",
				"no diagnosis that "+k.p.Procedure+" on line "+lineNumber(l)+" points to is an indication for it in the rule pack: "+describePointed(pts),
				k.notSupportingFix(l))
		}
	case supporting > 0 && first:
		if rs, ok := k.p.Rule(rules.DxPrimaryNotSupporting); ok {
			k.emit(rs, l, l.SV1Pos, supportSource,
				"the first diagnosis pointer of "+k.p.Procedure+" on line "+lineNumber(l)+" names "+pts[0].dx.Code+", which does not support it; "+pts[supporting].dx.Code+" (pointer "+itoa(pts[supporting].n)+") does",
				"put "+itoa(pts[supporting].n)+" ("+pts[supporting].dx.Code+") first: SV107 of line "+lineNumber(l)+" "+reorderPointers(pts, pts[supporting].n))
		}
	}
	if rs, ok := k.p.Rule(rules.DxCodeIncomplete); ok {
		for _, pt := range pts {
			code := pt.dx.Code
			f := k.dx(code)
			min, src := f.MinLength, f.MinLengthSource
			if len(code) >= min || k.icdCovers(pt.dx) { // the ICD-10-CM file decides: DX-CODE-NOT-BILLABLE
				continue
			}
			k.emit(rs, l, pt.dx.Pos, src,
				"diagnosis "+code+parenthesized(k.diagnosisDescription(code))+", pointer "+itoa(pt.n)+" of "+k.p.Procedure+" on line "+lineNumber(l)+
					", is a category header, not a billable code: its category needs "+itoa(min)+" characters, it has "+itoa(len(code)),
				completeCodeFix(code, pt.dx.Pointer, min, f.Next))
		}
	}
	k.lateralityConflict(l, pts)
	k.lateralityUnspecified(l, pts)
}

// completeCodeFix is DX-CODE-INCOMPLETE's suggestion: where to code what,
// with the characters that may come next when the pack lists them.
func completeCodeFix(code string, position, min int, next string) string {
	fix := "code " + code + " in full in HI (diagnosis " + itoa(position) + "): it needs " + itoa(min) + " characters"
	if next == "" {
		return fix + "; the missing characters give the site or side (see ICD-10-CM)"
	}
	return fix + "; its character " + itoa(len(code)+1) + " is " + next
}

// weakSupport is DX-WEAK-SUPPORT: no pointed diagnosis supports the
// procedure, but pts[weak] is a weak indication (claudication).
func (k *claimCheck) weakSupport(l *claim.Line, pts []pointedDx, weak int) {
	rs, ok := k.p.Rule(rules.DxWeakSupport)
	if !ok {
		return
	}
	pt := pts[weak]
	e := k.dx(pt.dx.Code).Weak
	why := ""
	if e.Text != "" {
		why = ": " + lowerFirst(strings.TrimSuffix(e.Text, "."))
	}
	fix := "if the record documents rest pain, ulceration or gangrene, code it in HI and point SV107 of line " + lineNumber(l) + " to it; otherwise expect the payer to deny " + k.p.Procedure
	if t := k.supportingTarget(l, ""); t != "" {
		fix = "point SV107 of line " + lineNumber(l) + " to " + t + ", which supports " + k.p.Procedure
	}
	k.emit(rs, l, l.SV1Pos, e.Source,
		k.p.Procedure+" on line "+lineNumber(l)+" points only to a weak indication: "+pt.dx.Code+" (pointer "+itoa(pt.n)+"; "+k.weakDescription(pt.dx.Code)+")"+why,
		fix)
}

// weakDescription is what a weak diagnosis means, with the seed's words
// when the seed lists it as supporting.
func (k *claimCheck) weakDescription(code string) string {
	e := k.dx(code).Weak
	var seed string
	for _, s := range k.p.SupportingDiagnoses() {
		if s.Source == pack.SourceSeed && strings.HasPrefix(normalizedCode(code), normalizedCode(s.Code)) {
			seed = s.Description
		}
	}
	return e.Code + ": " + describe(seed, e.Description)
}

// normalizedCode drops the point of a pack diagnosis ("I70.31" -> "I7031").
func normalizedCode(code string) string { return strings.ReplaceAll(code, ".", "") }

// notSupportingFix is the DX-NOT-SUPPORTING suggestion: point to the
// claim's supporting diagnosis, or add one.
func (k *claimCheck) notSupportingFix(l *claim.Line) string {
	if t := k.supportingTarget(l, ""); t != "" {
		return "point SV107 of line " + lineNumber(l) + " to " + t
	}
	return "add the diagnosis that supports " + k.p.Procedure + " to HI (" + k.supportingExamples() + ") and point SV107 of line " + lineNumber(l) + " to it"
}

// describePointed lists pointed diagnoses for messages:
// "I10 (pointer 1), E785 (pointer 2)".
func describePointed(pts []pointedDx) string {
	var b strings.Builder
	for i, pt := range pts {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(pt.dx.Code + " (pointer " + itoa(pt.n) + ")")
	}
	return b.String()
}

// reorderPointers writes SV107 as the usable pointers with n first.
func reorderPointers(pts []pointedDx, n int) string {
	out := []string{itoa(n)}
	for _, pt := range pts {
		if pt.n != n {
			out = append(out, itoa(pt.n))
		}
	}
	return strings.Join(out, ":")
}

// Sides of a line or diagnosis, as bits: a diagnosis or line may be left,
// right or both.
const (
	sideLeft  uint8 = 1
	sideRight uint8 = 2
	sideBoth        = sideLeft | sideRight
)

// lateralityConflict is DX-LATERALITY-CONFLICT: the line's side modifier
// against the sides of the diagnoses it points to. It is judged only when
// the line carries exactly one of LT, RT, 50 (several are
// MOD-LATERALITY-CONFLICT, none MOD-LATERALITY-MISSING). LT or RT against
// diagnoses all of the other side is the rule's severity (error); 50
// against diagnoses all of one side is the same rule at the pack's
// "bilateral" case severity (warning: both legs billed, one leg diagnosed,
// perhaps a missing diagnosis). Bilateral or unsided diagnoses never
// conflict. The source is codeset when any side that decided came from a
// codeset entry (the ICD-10-CM 6th character), else seed.
func (k *claimCheck) lateralityConflict(l *claim.Line, pts []pointedDx) {
	mod, lineSide := sideModifierOf(l)
	if mod == "" {
		return
	}
	rs, ok := k.p.Rule(rules.DxLateralityConflict)
	if !ok {
		return
	}
	var dxSides uint8
	sided, source := 0, pack.Source("")
	for _, pt := range pts {
		s, src := k.side(pt.dx.Code)
		if s == 0 {
			continue
		}
		if s == sideBoth {
			return
		}
		sided++
		dxSides |= s
		source = combineSource(source, src)
	}
	if sided == 0 || dxSides == sideBoth {
		return
	}
	if lineSide == dxSides {
		return
	}
	proc, line, dxList := k.p.Procedure, lineNumber(l), k.describeSided(pts)
	switch {
	case lineSide == sideBoth:
		rs = rs.Case(rules.CaseBilateral)
		k.emit(rs, l, l.SV1Pos, source,
			proc+" on line "+line+" is billed for both legs (50), but the diagnoses it points to are all "+sideWord(dxSides)+"-sided: "+dxList,
			"if both legs were treated, add the "+sideWord(sideBoth^dxSides)+"-leg diagnosis to HI and point SV107 of line "+line+" to it; if only the "+sideWord(dxSides)+" leg was, use "+sideModifier(dxSides)+" instead of 50 in SV101")
	default:
		k.emit(rs, l, l.SV1Pos, source,
			proc+" on line "+line+" is billed for the "+sideWord(lineSide)+" leg ("+mod+"), but the diagnoses it points to are all "+sideWord(dxSides)+"-sided: "+dxList,
			"if the "+sideWord(dxSides)+" leg was treated, change "+mod+" to "+sideModifier(dxSides)+" in SV101 of line "+line+"; otherwise point SV107 of line "+line+" to the "+sideWord(lineSide)+"-leg diagnosis")
	}
}

// sideModifierOf is the line's one side modifier (LT, RT or 50) and its
// side bits; "" when it has none or several (MOD-LATERALITY-MISSING or
// -CONFLICT).
func sideModifierOf(l *claim.Line) (string, uint8) {
	mod, side := "", uint8(0)
	for _, m := range l.Modifiers {
		s := modifierSide(m)
		if s == 0 {
			continue
		}
		if mod != "" && m != mod {
			return "", 0
		}
		mod, side = m, s
	}
	return mod, side
}

// lateralityUnspecified is DX-LATERALITY-UNSPECIFIED: the line names its
// leg (one of LT, RT, 50) but a supporting diagnosis it points to is coded
// for an unspecified extremity (the 6th character 9 of a side-coded I70
// subcategory). The finding is at the HI, where the code changes.
func (k *claimCheck) lateralityUnspecified(l *claim.Line, pts []pointedDx) {
	mod, lineSide := sideModifierOf(l)
	if mod == "" {
		return
	}
	rs, ok := k.p.Rule(rules.DxLateralityUnspecified)
	if !ok {
		return
	}
	for _, pt := range pts {
		code := pt.dx.Code
		f := k.dx(code)
		if f.Side != pack.SideUnspecified || f.Supporting == nil {
			continue
		}
		fix := "code " + legPhrase(lineSide) + " in HI (diagnosis " + itoa(pt.dx.Pointer) + ")"
		if sided := k.sidedSibling(code, lineSide); sided != "" {
			fix = "replace " + code + " with " + sided + " (" + legWords(lineSide) + ") in HI (diagnosis " + itoa(pt.dx.Pointer) + ")"
		}
		k.emit(rs, l, pt.dx.Pos, f.SideSource,
			"diagnosis "+code+parenthesized(k.diagnosisDescription(code))+", pointer "+itoa(pt.n)+" of "+k.p.Procedure+" on line "+lineNumber(l)+
				", is coded for an unspecified extremity, but the line is billed for "+legPhrase(lineSide)+" ("+mod+"): the side is known, so code it",
			fix)
	}
}

// sidedSibling is the code that differs from code in its last character
// only and names side s (I70229 -> I70221 for the right leg), when the
// pack knows one; "".
func (k *claimCheck) sidedSibling(code string, s uint8) string {
	want := map[uint8]pack.Side{sideRight: pack.SideRight, sideLeft: pack.SideLeft, sideBoth: pack.SideBoth}[s]
	for c := byte('1'); c <= '9'; c++ {
		cand := code[:len(code)-1] + string(c)
		if side, _ := k.p.SideOf(cand); side == want && len(cand) == len(code) {
			f := k.dx(cand)
			if f.Supporting != nil {
				return cand
			}
		}
	}
	return ""
}

// legPhrase names side bits as legs: "the right leg", "both legs".
func legPhrase(s uint8) string {
	if s == sideBoth {
		return "both legs"
	}
	return "the " + legWords(s)
}

// legWords names side bits as legs: "right leg", "left leg", "both legs".
func legWords(s uint8) string {
	if s == sideBoth {
		return "both legs"
	}
	return sideWord(s) + " leg"
}

// side is the leg a claim diagnosis names as side bits, with the source of
// the pack entry that gives it; 0 for an unsided code (no entry, or
// unspecified or other extremity).
func (k *claimCheck) side(code string) (uint8, pack.Source) {
	f := k.dx(code)
	s, src := f.Side, f.SideSource
	switch s {
	case pack.SideLeft:
		return sideLeft, src
	case pack.SideRight:
		return sideRight, src
	case pack.SideBoth:
		return sideBoth, src
	}
	return 0, ""
}

// diagnosisDescription is what the pack says the category of a claim
// diagnosis means (seed and ICD-10-CM when they disagree); "" when the
// pack does not list it.
func (k *claimCheck) diagnosisDescription(code string) string {
	f := k.dx(code)
	if f.Weak != nil {
		return k.weakDescription(code)
	}
	e := f.Supporting
	if e == nil {
		return ""
	}
	seed, codeset := e.Descriptions()
	return e.Code + ": " + describe(seed, codeset)
}

// maxExamples is how many supporting diagnoses a suggestion names.
const maxExamples = 8

// supportingExamples names the pack's supporting diagnoses for suggestions:
// the first few in pack order that are not weak, then how many more.
func (k *claimCheck) supportingExamples() string {
	var codes []string
	more := 0
	for _, e := range k.p.SupportingDiagnoses() {
		if k.p.Diagnosis(e.Code).Supporting == nil {
			continue // a weak entry wins over it (the seed's I70.31)
		}
		if len(codes) == maxExamples {
			more++
			continue
		}
		codes = append(codes, e.Code)
	}
	if len(codes) == 0 {
		return "the rule pack lists none"
	}
	s := "one of " + joinCodes(codes)
	if more > 0 {
		s += " and " + itoa(more) + " more in the rule pack"
	}
	return s
}

// describeSided lists the pointed diagnoses that have a side, with the side
// and, where the seed and the code set describe the code differently, both
// descriptions.
func (k *claimCheck) describeSided(pts []pointedDx) string {
	var b strings.Builder
	for _, pt := range pts {
		s, _ := k.side(pt.dx.Code)
		if s == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(pt.dx.Code + " (" + sideWord(s))
		if d := k.diagnosisDescription(pt.dx.Code); d != "" {
			b.WriteString("; " + d)
		}
		b.WriteString(")")
	}
	return b.String()
}

func sideWord(s uint8) string {
	switch s {
	case sideLeft:
		return "left"
	case sideRight:
		return "right"
	case sideBoth:
		return "both"
	}
	return "unknown"
}

func sideModifier(s uint8) string {
	switch s {
	case sideLeft:
		return "LT"
	case sideRight:
		return "RT"
	}
	return "50"
}

// modifierSide is the side a laterality modifier names (0 for others).
func modifierSide(m string) uint8 {
	switch m {
	case "LT":
		return sideLeft
	case "RT":
		return sideRight
	case "50":
		return sideBoth
	}
	return 0
}

// claimDiagnoses runs the rules about the claim's diagnosis codes
// themselves, once per claim: DX-CODE-INVALID, DX-ULCER-SEVERITY-MISSING
// and DX-EXCLUDES1.
func (k *claimCheck) claimDiagnoses() {
	k.ulcerSeverity()
	c := k.c
	if rs, ok := k.p.Rule(rules.DxCodeInvalid); ok {
		latest := int32(0)
		for _, d := range k.dates {
			latest = max(latest, d.To)
		}
		for i := range c.Diagnoses {
			d := &c.Diagnoses[i]
			// Where the ICD-10-CM file speaks for the code it decides
			// (DX-CODE-NOT-BILLABLE): asked only of a code with a problem.
			if msg, sugg := dxCodeProblem(d, latest); msg != "" && !k.icdCovers(d) {
				k.emit(rs, nil, d.Pos, "", msg, sugg)
			}
		}
	}
	if rs, ok := k.p.Rule(rules.DxExcludes1); ok {
		k.excludes1(rs)
	}
}

// excludes1 is DX-EXCLUDES1: one finding per claim diagnosis that an
// earlier one excludes, naming the first that does (a claim with many
// diagnoses gets findings in proportion to them, not to their pairs).
// Few diagnoses are compared pair by pair; many through an index of the
// earlier codes' prefixes.
func (k *claimCheck) excludes1(rs pack.Rule) {
	c := k.c
	var firstWith map[string]int // code prefix -> the first diagnosis with it
	if len(c.Diagnoses) > smallClaim {
		firstWith = map[string]int{}
	}
	for j := range c.Diagnoses {
		b := &c.Diagnoses[j]
		fb := k.dx(b.Code)
		i, pair := -1, (*pack.CodePair)(nil)
		if firstWith == nil {
			for a := 0; a < j && i < 0; a++ {
				if p, ok := k.dx(c.Diagnoses[a].Code).Excludes1With(fb); ok {
					i, pair = a, p
				}
			}
		} else {
			fb.Excludes1Partners(func(other string, p *pack.CodePair) bool {
				if a, ok := firstWith[other]; ok && (i < 0 || a < i) {
					i, pair = a, p
				}
				return true
			})
			for n := 3; n <= len(fb.Code); n++ {
				if _, ok := firstWith[fb.Code[:n]]; !ok {
					firstWith[strings.Clone(fb.Code[:n])] = j
				}
			}
		}
		if i < 0 {
			continue
		}
		a := &c.Diagnoses[i]
		k.emit(rs, nil, b.Pos, pair.Source,
			"diagnoses "+a.Code+" (position "+itoa(i+1)+") and "+b.Code+" (position "+itoa(j+1)+") may not be coded together"+parenthesized(pair.Reason),
			"keep the one the record supports and remove the other from HI (and from the SV107 pointers)")
	}
}

// ulcerSeverity is DX-ULCER-SEVERITY-MISSING: the claim codes
// atherosclerosis with ulceration, and ICD-10-CM asks for an additional
// code giving the ulcer's severity, which no diagnosis of the claim is.
// Reported once, at the HI of the first such diagnosis.
func (k *claimCheck) ulcerSeverity() {
	rs, ok := k.p.Rule(rules.DxUlcerSeverityMissing)
	if !ok {
		return
	}
	c := k.c
	var ulcer *claim.Diagnosis
	var src pack.Source
	for i := range c.Diagnoses {
		f := k.dx(c.Diagnoses[i].Code)
		if f.UlcerSeverity {
			return
		}
		if f.Ulceration && ulcer == nil {
			ulcer, src = &c.Diagnoses[i], f.UlcerSource
		}
	}
	if ulcer == nil {
		return
	}
	codes, text, _ := k.p.UlcerSeverityNote()
	var want []string
	for _, code := range codes {
		// ICD-10-CM writes a category "L97.-", a subcategory "L98.4-".
		if strings.IndexByte(code, '.') < 0 {
			code += "."
		}
		want = append(want, code+"-")
	}
	msg := "diagnosis " + itoa(ulcer.Pointer) + ", " + ulcer.Code + parenthesized(k.diagnosisDescription(ulcer.Code)) +
		", codes atherosclerosis with ulceration, but no diagnosis of the claim gives the ulcer's severity (" + strings.Join(want, " or ") + ")"
	if text != "" {
		msg += ": " + lowerFirst(strings.TrimSuffix(text, "."))
	}
	k.emit(rs, nil, ulcer.Pos, src, msg,
		"add the code of the ulcer's site and depth from the record ("+strings.Join(want, " or ")+") to HI")
}

// dxCodeProblem says what is wrong with a claim diagnosis, if anything:
// ICD-10-CM codes are written without the point, a letter, a digit, a
// letter or digit, then up to four letters or digits (3-7 characters);
// ICD-9 qualifiers (BK, BF) are wrong on services from 2015-10-01 on.
// latest is the claim's latest service date (0 when none is usable).
func dxCodeProblem(d *claim.Diagnosis, latest int32) (message, suggestion string) {
	icd9 := d.Qualifier == "BK" || d.Qualifier == "BF"
	if strings.IndexByte(d.Code, '.') < 0 && (icd9 && latest < icd10Start || !icd9 && wellFormedICD10(d.Code)) {
		return "", "" // the common case: built no strings
	}
	where := " (" + d.Qualifier + ", position " + itoa(d.Pointer) + ")"
	if strings.IndexByte(d.Code, '.') >= 0 {
		return "diagnosis " + quote(d.Code) + where + " contains a decimal point; X12 diagnosis codes are sent without it",
			"write " + strings.ReplaceAll(d.Code, ".", "") + " (no point) in HI"
	}
	if icd9 {
		if latest >= icd10Start {
			return "diagnosis " + d.Code + where + " is coded in ICD-9 (qualifier " + d.Qualifier + "), but the service date " + formatDate(latest) + " is after ICD-10-CM replaced ICD-9 on 2015-10-01",
				"code the diagnosis in ICD-10-CM with qualifier " + icd10Qualifier(d.Qualifier)
		}
		return "", ""
	}
	if !wellFormedICD10(d.Code) {
		return "diagnosis " + quote(d.Code) + where + " is not a well-formed ICD-10-CM code (a letter, two more characters, then up to four letters or digits, in capitals)",
			"correct the code in HI to the ICD-10-CM code from the record"
	}
	return "", ""
}

func icd10Qualifier(q string) string {
	if q == "BK" {
		return "ABK"
	}
	return "ABF"
}

// wellFormedICD10 checks the shape of an ICD-10-CM code without its point:
// letter, digit, letter or digit (C7A, M1A, Z3A are real categories), then
// up to four letters or digits.
func wellFormedICD10(code string) bool {
	if len(code) < 3 || len(code) > 7 {
		return false
	}
	if !isUpper(code[0]) || !isDigit(code[1]) {
		return false
	}
	for i := 2; i < len(code); i++ {
		if !isUpper(code[i]) && !isDigit(code[i]) {
			return false
		}
	}
	return true
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// countDiagnoses is "3 diagnoses" / "1 diagnosis" / "no diagnosis".
func countDiagnoses(n int) string {
	switch n {
	case 0:
		return "no diagnosis"
	case 1:
		return "only 1 diagnosis"
	}
	return "only " + itoa(n) + " diagnoses"
}

// sv107 is the line's pointers as written.
func sv107(l *claim.Line) string { return strings.Join(l.Pointers, ":") }

func quote(s string) string { return "\"" + s + "\"" }
