package scrubber

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/codedata"
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/scrubber/rules"
	"github.com/scrub837/scrub837/x12io"
)

// checkClaim is checkClaimLines on a claim whose lines are not prepared
// yet: the tests' entry to the per-claim rules.
func checkClaim(p *pack.Pack, d *codedata.Set, memo *dxMemo, c *claim.Claim, out []finding.Finding) []finding.Finding {
	return checkClaimLines(d, memo, newClaimLines(p, c, nil), out)
}

// Per-claim rule tests. Claims are Go values built by tclaim and tline, so
// these tests do not depend on the claim reader; checks_e2e_test.go runs the
// same rules through it on fixture files.

var (
	packOnce  [2]sync.Once
	packCache [2]*pack.Pack
	packErr   [2]error
)

// defaultPackYAML is the default pack's text, for tests that edit it.
var defaultPackYAML = func() []byte {
	b, err := os.ReadFile(filepath.Join("pack", "packs", "0620T.yaml"))
	if err != nil {
		panic(err)
	}
	return b
}()

// rulesPack is the embedded pack, loaded once per seed-only setting.
func rulesPack(t testing.TB, seedOnly bool) *pack.Pack {
	t.Helper()
	i := 0
	if seedOnly {
		i = 1
	}
	packOnce[i].Do(func() { packCache[i], packErr[i] = pack.Default(seedOnly) })
	if packErr[i] != nil {
		t.Fatal(packErr[i])
	}
	return packCache[i]
}

// tdx is an ABK/ABF diagnosis.
func tdx(code string) claim.Diagnosis { return claim.Diagnosis{Qualifier: "ABF", Code: code} }

// Ulcer severity codes (L97.-) that go with the ulceration diagnoses of the
// tests (DX-ULCER-SEVERITY-MISSING): non-pressure chronic ulcer of the
// right / left heel and midfoot, limited to breakdown of skin.
const (
	ulcerRight = "L97411"
	ulcerLeft  = "L97421"
)

// tline is a service line on 2026-01-15 with 1 unit, charge 100 and
// pointer 1.
func tline(proc string, mods ...string) claim.Line {
	return claim.Line{
		Qualifier: "HC", Procedure: proc, Modifiers: mods,
		Charge: "100", UnitBasis: "UN", Units: "1",
		Pointers:      []string{"1"},
		DateQualifier: "D8", ServiceDate: "20260115",
	}
}

// tclaim is a clean target claim: one 0620T-RT line for a right-leg
// diagnosis (an ulcer of the heel, with the ulcer's severity coded as
// diagnosis 2), in a hospital outpatient setting, by a vascular surgeon. No
// rule fires on it. Tests change it, then call build.
func tclaim() *claim.Claim {
	l := tline("0620T", "RT")
	l.Charge = "1500"
	return &claim.Claim{
		File: "unit.837", Envelope: x12io.Envelope{ISAControl: "000000001", GSControl: "1", STControl: "0001"},
		BillingTaxonomy: "2086S0129X", BillingNPI: "1234567893", MemberID: "W00000001",
		PayerName: "AETNA", PayerID: "60054", PayerGroup: "Aetna",
		ID: "C1", PlaceOfService: "22", Frequency: "1",
		Diagnoses: []claim.Diagnosis{{Qualifier: "ABK", Code: "I70234"}, tdx(ulcerRight)},
		Lines:     []claim.Line{l},
	}
}

// build numbers the claim like a file: CLM is segment 10 at byte 1000, HI
// segment 11, line i's LX, SV1, DTP (and PRV) segments 20+10i... It
// numbers lines from 1, sets diagnosis pointers, and sets CLM02 to the sum
// of the line charges unless the test gave one.
func build(c *claim.Claim) *claim.Claim {
	c.Pos = claim.Pos{Segment: 10, Offset: 1000}
	for i := range c.Diagnoses {
		c.Diagnoses[i].Pointer = i + 1
		c.Diagnoses[i].Pos = claim.Pos{Segment: 11, Offset: 1100}
	}
	if c.RenderingTaxonomy != "" {
		c.RenderingTaxonomyPos = claim.Pos{Segment: 12, Offset: 1200}
	}
	if c.BillingTaxonomy != "" {
		c.BillingTaxonomyPos = claim.Pos{Segment: 5, Offset: 500}
	}
	var sum int64
	for i := range c.Lines {
		l := &c.Lines[i]
		seg := int64(20 + 10*i)
		if l.Number == 0 {
			l.Number = i + 1
		}
		l.LXPos = claim.Pos{Segment: seg, Offset: seg * 100}
		l.SV1Pos = claim.Pos{Segment: seg + 1, Offset: (seg + 1) * 100}
		if l.ServiceDate != "" || l.DateQualifier != "" {
			l.DatePos = claim.Pos{Segment: seg + 2, Offset: (seg + 2) * 100}
		}
		if l.RenderingTaxonomy != "" {
			l.RenderingTaxonomyPos = claim.Pos{Segment: seg + 3, Offset: (seg + 3) * 100}
		}
		v, _ := parseFixed(l.Charge, 2)
		sum += v
	}
	if c.TotalCharge == "" {
		c.TotalCharge = formatCents(sum)
	}
	return c
}

func check(p *pack.Pack, c *claim.Claim) []finding.Finding {
	return checkClaim(p, nil, nil, build(c), nil)
}

func ruleIDs(fs []finding.Finding) []string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.RuleID)
	}
	sort.Strings(ids)
	return ids
}

func ofRule(fs []finding.Finding, id string) []finding.Finding {
	var out []finding.Finding
	for _, f := range fs {
		if f.RuleID == id {
			out = append(out, f)
		}
	}
	return out
}

func dump(fs []finding.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("\n  " + f.RuleID + " " + f.Severity.String() + " " + f.Source + " line " + itoa(f.LineNumber) +
			" seg " + itoa(int(f.SegmentNumber)) + ": " + f.Message + " => " + f.Suggestion)
	}
	return b.String()
}

func TestCheckCleanClaim(t *testing.T) {
	for _, seedOnly := range []bool{false, true} {
		p := rulesPack(t, seedOnly)
		c := tclaim()
		if seedOnly {
			c.Lines[0].Modifiers = []string{"LT"} // RT has no seed guidance
			c.Diagnoses[0].Code = "I70244"
			c.BillingTaxonomy = "207RH0000X"
		}
		if fs := check(p, c); len(fs) != 0 {
			t.Errorf("seedOnly=%v: clean claim has findings:%s", seedOnly, dump(fs))
		}
	}
}

// ruleCase is one claim for one rule: the rule fires on it (want > 0
// findings of the rule) or not (want == 0).
type ruleCase struct {
	name   string
	edit   func(c *claim.Claim)
	want   int              // findings of the rule
	also   []rules.ID       // other rules that fire too (exactly these)
	sev    finding.Severity // of the rule's findings, when set
	source string           // of the rule's findings, when set
	line   int              // LineNumber of the first finding, when set (-1: 0)
	seg    int64            // SegmentNumber of the first finding, when set
	text   []string         // substrings of the first finding's message or suggestion
	seed   bool             // use the seed-only pack
}

// checkCases lists, for every per-claim rule, claims where it fires and
// near-identical claims where it does not.
var checkCases = map[rules.ID][]ruleCase{
	rules.DxPointerMissing: {
		{name: "no SV107", edit: func(c *claim.Claim) { c.Lines[0].Pointers = nil }, want: 1, sev: finding.Error, source: "seed", line: 1, seg: 21,
			text: []string{"no diagnosis pointer", "set SV107 of line 1 to 1 (I70234)"}},
		{name: "pointer 1", edit: func(c *claim.Claim) {}, want: 0},
	},
	rules.DxPointerInvalid: {
		{name: "empty between", edit: func(c *claim.Claim) {
			c.Diagnoses = append(c.Diagnoses, tdx("E1151"))
			c.Lines[0].Pointers = []string{"1", "", "2"}
		}, want: 1, sev: finding.Error, seg: 21, text: []string{"pointer 2", "is empty", "1::2", "set SV107 of line 1 to 1:2"}},
		{name: "leading empty", edit: func(c *claim.Claim) { c.Lines[0].Pointers = []string{"", "1"} }, want: 1},
		{name: "13", edit: func(c *claim.Claim) { c.Lines[0].Pointers = []string{"1", "13"} }, want: 1, text: []string{`pointer "13"`, "not a number from 1 to 12"}},
		{name: "0", edit: func(c *claim.Claim) { c.Lines[0].Pointers = []string{"0"} }, want: 1, text: []string{"set SV107 of line 1 to 1 (I70234)"}},
		{name: "letter", edit: func(c *claim.Claim) { c.Lines[0].Pointers = []string{"A"} }, want: 1},
		{name: "decimal", edit: func(c *claim.Claim) { c.Lines[0].Pointers = []string{"1.0"} }, want: 1},
		{name: "two bad", edit: func(c *claim.Claim) { c.Lines[0].Pointers = []string{"1", "X", "-2"} }, want: 2},
		{name: "1:2", edit: func(c *claim.Claim) {
			c.Diagnoses = append(c.Diagnoses, tdx("E1151"))
			c.Lines[0].Pointers = []string{"1", "2"}
		}, want: 0},
		{name: "leading zero", edit: func(c *claim.Claim) { c.Lines[0].Pointers = []string{"01"} }, want: 0},
	},
	rules.DxPointerDangling: {
		{name: "4 of 3", edit: func(c *claim.Claim) {
			c.Diagnoses = append(c.Diagnoses, tdx("E1151"))
			c.Lines[0].Pointers = []string{"1", "4"}
		}, want: 1, sev: finding.Error, seg: 21, text: []string{"names diagnosis 4", "only 3 diagnoses", "set SV107 of line 1 to 1, or add"}},
		{name: "12 of 1", edit: func(c *claim.Claim) { c.Lines[0].Pointers = []string{"12"} }, want: 1},
		{name: "2 of 2", edit: func(c *claim.Claim) {
			c.Diagnoses = append(c.Diagnoses, tdx("E1151"))
			c.Lines[0].Pointers = []string{"1", "2"}
		}, want: 0},
	},
	rules.DxPointerDuplicate: {
		{name: "1:1", edit: func(c *claim.Claim) { c.Lines[0].Pointers = []string{"1", "1"} }, want: 1, sev: finding.Warning, seg: 21,
			text: []string{"pointer 1 appears more than once", "set SV107 of line 1 to 1"}},
		{name: "1:01:1 once", edit: func(c *claim.Claim) { c.Lines[0].Pointers = []string{"1", "01", "1"} }, want: 1},
		{name: "1:2", edit: func(c *claim.Claim) {
			c.Diagnoses = append(c.Diagnoses, tdx("E1151"))
			c.Lines[0].Pointers = []string{"1", "2"}
		}, want: 0},
	},
	rules.DxNotSupporting: {
		{name: "points to I10, I70234 at 3", edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I10"), tdx("E785"), tdx("I70234"), tdx(ulcerRight)}
			c.Lines[0].Pointers = []string{"1", "2"}
		}, want: 1, sev: finding.Error, source: "seed", seg: 21, text: []string{"I10 (pointer 1), E785 (pointer 2)", "point SV107 of line 1 to 3 (I70234)"}},
		{name: "nothing supporting on the claim", edit: func(c *claim.Claim) { c.Diagnoses = []claim.Diagnosis{tdx("I10")} },
			want: 1, text: []string{"add the diagnosis that supports 0620T to HI (one of I70.23, I70.24, I70.32", "and 27 more in the rule pack"}},
		{name: "a weak diagnosis is DX-WEAK-SUPPORT", edit: func(c *claim.Claim) { c.Diagnoses = []claim.Diagnosis{tdx("I70211")} },
			want: 0, also: []rules.ID{rules.DxWeakSupport}},
		{name: "E11.52 supports (codeset)", edit: func(c *claim.Claim) { c.Diagnoses = []claim.Diagnosis{tdx("E1152")} }, want: 0},
		{name: "points to I70234", edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I10"), tdx("E785"), tdx("I70234"), tdx(ulcerRight)}
			c.Lines[0].Pointers = []string{"3"}
		}, want: 0},
		{name: "bypass-graft gangrene I70.46- (codeset)", edit: func(c *claim.Claim) { c.Diagnoses = []claim.Diagnosis{tdx("I70461")} }, want: 0},
		{name: "type 1 diabetes with gangrene E10.52 (codeset)", edit: func(c *claim.Claim) { c.Diagnoses = []claim.Diagnosis{tdx("E1052"), tdx("I70221")} }, want: 0},
		{name: "only dangling pointers", edit: func(c *claim.Claim) { c.Lines[0].Pointers = []string{"5"} }, want: 0, also: []rules.ID{rules.DxPointerDangling}},
	},
	rules.DxWeakSupport: {
		{name: "claudication only", edit: func(c *claim.Claim) { c.Diagnoses = []claim.Diagnosis{tdx("I70211")} }, want: 1, sev: finding.Warning, source: "codeset", line: 1, seg: 21,
			text: []string{"points only to a weak indication: I70211 (pointer 1; I70.21: Atherosclerosis of native arteries of extremities with intermittent claudication)",
				"claudication alone does not meet them", "if the record documents rest pain, ulceration or gangrene, code it in HI and point SV107 of line 1 to it"}},
		{name: "the seed's I70.31 is claudication in ICD-10-CM", edit: func(c *claim.Claim) { c.Diagnoses = []claim.Diagnosis{tdx("I70311")} }, want: 1,
			text: []string{"I70.31: Atherosclerosis of unspecified type of bypass graft(s) of the extremities with intermittent claudication; the seed calls it atherosclerosis of native arteries of the right leg with ulceration"}},
		{name: "a supporting diagnosis not pointed to", edit: func(c *claim.Claim) { c.Diagnoses = []claim.Diagnosis{tdx("I70711"), tdx("I70221")} }, want: 1,
			text: []string{"point SV107 of line 1 to 2 (I70221), which supports 0620T"}},
		{name: "weak and supporting both pointed", edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I70211"), tdx("I70221")}
			c.Lines[0].Pointers = []string{"2", "1"}
		}, want: 0},
		{name: "seed-only: the seed's I70.31 supports", seed: true, edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I70311")}
		}, want: 0, also: []rules.ID{rules.ModNoGuidance}},
	},
	rules.DxPrimaryNotSupporting: {
		{name: "I10 first", edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I10"), tdx("I70234"), tdx(ulcerRight)}
			c.Lines[0].Pointers = []string{"1", "2"}
		}, want: 1, sev: finding.Warning, source: "seed", seg: 21, text: []string{"first diagnosis pointer", "names I10", "SV107 of line 1 2:1"}},
		{name: "supporting via codeset E11.52", edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I10"), tdx("E1152")}
			c.Lines[0].Pointers = []string{"1", "2"}
		}, want: 1, source: "codeset"},
		{name: "supporting via E11.52 and seed I70234", edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I10"), tdx("E1152"), tdx("I70234"), tdx(ulcerRight)}
			c.Lines[0].Pointers = []string{"1", "2", "3"}
		}, want: 1, source: "seed", text: []string{"E1152 (pointer 2) does", "SV107 of line 1 2:1:3"}},
		{name: "I70234 first", edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I10"), tdx("I70234"), tdx(ulcerRight)}
			c.Lines[0].Pointers = []string{"2", "1"}
		}, want: 0},
		{name: "weak first, supporting second", edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I70211"), tdx("I70221")}
			c.Lines[0].Pointers = []string{"1", "2"}
		}, want: 1, source: "codeset", text: []string{"names I70211", "I70221 (pointer 2) does"}},
	},
	rules.DxCodeInvalid: {
		{name: "point", edit: func(c *claim.Claim) { c.Diagnoses = append(c.Diagnoses, tdx("I10.")) }, want: 1, sev: finding.Error, source: "seed", line: -1, seg: 11,
			text: []string{"decimal point", "write I10 (no point)"}},
		{name: "digit first", edit: func(c *claim.Claim) { c.Diagnoses = append(c.Diagnoses, tdx("110")) }, want: 1, text: []string{"not a well-formed ICD-10-CM code"}},
		{name: "too short", edit: func(c *claim.Claim) { c.Diagnoses = append(c.Diagnoses, tdx("I1")) }, want: 1},
		{name: "too long", edit: func(c *claim.Claim) { c.Diagnoses = append(c.Diagnoses, tdx("I702345X")) }, want: 1},
		{name: "lower case", edit: func(c *claim.Claim) { c.Diagnoses = append(c.Diagnoses, tdx("i10")) }, want: 1},
		{name: "ICD-9 in 2026", edit: func(c *claim.Claim) {
			c.Diagnoses = append(c.Diagnoses, claim.Diagnosis{Qualifier: "BF", Code: "44023"})
		}, want: 1, text: []string{"ICD-9 (qualifier BF)", "2026-01-15", "qualifier ABF"}},
		{name: "two bad", edit: func(c *claim.Claim) { c.Diagnoses = append(c.Diagnoses, tdx("I10."), tdx("ZZZ")) }, want: 2},
		// The ICD-10-CM cut-over day itself is ICD-10 (issue 18: a ">" for
		// ">=" let a BF code dated 2015-10-01 pass). 0620T did not exist in
		// 2015: CODE-NOT-VALID-ON-DOS too.
		{name: "ICD-9 on 2015-10-01", edit: func(c *claim.Claim) {
			c.Diagnoses = append(c.Diagnoses, claim.Diagnosis{Qualifier: "BF", Code: "44023"})
			c.Lines[0].ServiceDate = "20151001"
		}, want: 1, also: []rules.ID{rules.CodeNotValidOnDOS}, text: []string{"2015-10-01", "ICD-9 (qualifier BF)"}},
		{name: "ICD-9 in 2015-09", edit: func(c *claim.Claim) {
			c.Diagnoses = append(c.Diagnoses, claim.Diagnosis{Qualifier: "BF", Code: "44023"})
			c.Lines[0].ServiceDate = "20150930"
		}, want: 0, also: []rules.ID{rules.CodeNotValidOnDOS}},
		{name: "M1A (letter third)", edit: func(c *claim.Claim) { c.Diagnoses = append(c.Diagnoses, tdx("M1A0710")) }, want: 0},
		{name: "E11.9 seven-character forms", edit: func(c *claim.Claim) { c.Diagnoses = append(c.Diagnoses, tdx("E119"), tdx("S91301A")) }, want: 0},
	},
	rules.DxCodeIncomplete: {
		{name: "I7023 header", edit: func(c *claim.Claim) { c.Diagnoses[0].Code = "I7023" }, want: 1, sev: finding.Error, source: "codeset", line: 1, seg: 11,
			text: []string{"I7023", "category header", "needs 6 characters, it has 5",
				"I70.23: Atherosclerosis of native arteries of right leg with ulceration; the seed calls it atherosclerosis of native arteries of the right leg with rest pain",
				"code I7023 in full in HI (diagnosis 1): it needs 6 characters; its character 6 is 1 thigh, 2 calf, 3 ankle, 4 heel and midfoot, 5 other part of foot, 8 other part of lower leg, 9 unspecified site"}},
		{name: "I704 (5th character missing)", edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I70221"), tdx("I704")}
			c.Lines[0].Pointers = []string{"1", "2"}
		},
			want: 1, text: []string{"its character 5 is 0 unspecified atherosclerosis, 1 with intermittent claudication"}},
		{name: "E10.5 header", edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I70221"), tdx("E105")}
			c.Lines[0].Pointers = []string{"1", "2"}
		},
			want: 1, text: []string{"1 peripheral angiopathy without gangrene, 2 peripheral angiopathy with gangrene"}},
		{name: "not pointed", edit: func(c *claim.Claim) { c.Diagnoses = append(c.Diagnoses, tdx("I7023")) }, want: 0},
		{name: "I70234", edit: func(c *claim.Claim) {}, want: 0},
		{name: "I70.25 complete at 5", edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I70234"), tdx("I7025"), tdx(ulcerRight)}
			c.Lines[0].Pointers = []string{"1", "2"}
		}, want: 0},
		{name: "I70.65 complete at 5", edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I70234"), tdx("I7065"), tdx(ulcerRight)}
			c.Lines[0].Pointers = []string{"1", "2"}
		}, want: 0},
	},
	rules.DxUlcerSeverityMissing: {
		{name: "I70234 alone", edit: func(c *claim.Claim) { c.Diagnoses = c.Diagnoses[:1] }, want: 1, sev: finding.Warning, source: "codeset", line: -1, seg: 11,
			text: []string{"diagnosis 1, I70234", "codes atherosclerosis with ulceration, but no diagnosis of the claim gives the ulcer's severity (L97.- or L98.4-)",
				"use an additional code to identify the severity of the ulcer", "add the code of the ulcer's site and depth from the record (L97.- or L98.4-) to HI"}},
		{name: "bypass graft I70.43- (codeset)", edit: func(c *claim.Claim) { c.Diagnoses = []claim.Diagnosis{tdx("I70431")} }, want: 1},
		{name: "an ulcer code not pointed: the claim names it", edit: func(c *claim.Claim) { c.Diagnoses = []claim.Diagnosis{tdx("I70221"), tdx("I70243")} }, want: 1, text: []string{"diagnosis 2, I70243"}},
		{name: "with L97", edit: func(c *claim.Claim) {}, want: 0},
		{name: "with L98.4", edit: func(c *claim.Claim) { c.Diagnoses[1].Code = "L98491" }, want: 0},
		{name: "rest pain, no ulcer", edit: func(c *claim.Claim) { c.Diagnoses = []claim.Diagnosis{tdx("I70221")} }, want: 0},
	},
	rules.DxExcludes1: {
		{name: "I96 with I70.26", edit: func(c *claim.Claim) { c.Diagnoses = []claim.Diagnosis{tdx("I70261"), tdx("I96")} }, want: 1, sev: finding.Error, source: "codeset", line: -1, seg: 11,
			text: []string{"I70261 (position 1) and I96 (position 2)", "Excludes1"}},
		{name: "I96 with I70.23", edit: func(c *claim.Claim) { c.Diagnoses = []claim.Diagnosis{tdx("I70234"), tdx("I96"), tdx(ulcerRight)} }, want: 0},
	},
	rules.DxLateralityConflict: {
		{name: "LT with right I70234", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"LT"} }, want: 1, sev: finding.Error, source: "seed", seg: 21,
			text: []string{"left leg (LT)", "I70234 (right", "change LT to RT"}},
		{name: "RT with left I70322 (codeset 6th character)", edit: func(c *claim.Claim) { c.Diagnoses[0].Code = "I70322" }, want: 1, source: "codeset",
			text: []string{"I70322 (left; I70.32: Atherosclerosis of unspecified type of bypass graft(s) of the extremities with rest pain; the seed calls it atherosclerosis of native arteries of the left leg with ulceration"}},
		{name: "LT with right I70431 (codeset x3: right whatever the 6th character)", edit: func(c *claim.Claim) {
			c.Diagnoses[0].Code = "I70438"
			c.Lines[0].Modifiers = []string{"LT"}
		}, want: 1, source: "codeset"},
		{name: "50 with right only", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"50"} }, want: 1, sev: finding.Warning, source: "seed",
			text: []string{"both legs (50)", "add the left-leg diagnosis"}},
		{name: "LT with right and unsided", edit: func(c *claim.Claim) {
			c.Diagnoses = append(c.Diagnoses, tdx("I10"))
			c.Lines[0].Pointers = []string{"1", "2"}
			c.Lines[0].Modifiers = []string{"LT"}
		}, want: 1},
		{name: "LT with left I70244", edit: func(c *claim.Claim) {
			c.Diagnoses[0].Code = "I70244"
			c.Lines[0].Modifiers = []string{"LT"}
		}, want: 0},
		{name: "LT with right and left", edit: func(c *claim.Claim) {
			c.Diagnoses = append(c.Diagnoses, tdx("I70244"), tdx(ulcerLeft))
			c.Lines[0].Pointers = []string{"1", "3"}
			c.Lines[0].Modifiers = []string{"LT"}
		}, want: 0},
		{name: "50 with right and left", edit: func(c *claim.Claim) {
			c.Diagnoses = append(c.Diagnoses, tdx("I70244"), tdx(ulcerLeft))
			c.Lines[0].Pointers = []string{"1", "3"}
			c.Lines[0].Modifiers = []string{"50"}
		}, want: 0},
		{name: "LT with bilateral I70323", edit: func(c *claim.Claim) {
			c.Diagnoses[0].Code = "I70323"
			c.Lines[0].Modifiers = []string{"LT"}
		}, want: 0},
		// 6th character 8 (other extremity) and 9 (unspecified) are unsided,
		// though the seed's 5-character I70.31 (right) and I70.32 (left)
		// cover them.
		{name: "RT with I70328 (6th character 8, the seed's left I70.32)", edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I70328")}
		}, want: 0},
		{name: "LT with I70318 (6th character 8, the seed's right I70.31)", edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I70318")}
			c.Lines[0].Modifiers = []string{"LT"}
		}, want: 0, also: []rules.ID{rules.DxWeakSupport}},
		{name: "LT with I70329 (unspecified extremity: unsided)", edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I70329")}
			c.Lines[0].Modifiers = []string{"LT"}
		}, want: 0, also: []rules.ID{rules.DxLateralityUnspecified}},
		{name: "LT with unsided I96", edit: func(c *claim.Claim) {
			c.Diagnoses[0].Code = "I96"
			c.Lines[0].Modifiers = []string{"LT"}
		}, want: 0},
		{name: "right pointed, left not pointed", edit: func(c *claim.Claim) {
			c.Diagnoses = append(c.Diagnoses, tdx("I70244"), tdx(ulcerLeft))
			c.Lines[0].Modifiers = []string{"LT"}
		}, want: 1},
	},
	rules.DxLateralityUnspecified: {
		{name: "RT with I70229", edit: func(c *claim.Claim) { c.Diagnoses = []claim.Diagnosis{tdx("I70229")} }, want: 1, sev: finding.Warning, source: "codeset", line: 1, seg: 11,
			text: []string{"diagnosis I70229 (I70.22: Atherosclerosis of native arteries of extremities with rest pain), pointer 1 of 0620T on line 1, is coded for an unspecified extremity, but the line is billed for the right leg (RT)",
				"replace I70229 with I70221 (right leg) in HI (diagnosis 1)"}},
		{name: "LT with bypass-graft gangrene I70569", edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I70569")}
			c.Lines[0].Modifiers = []string{"LT"}
		}, want: 1, text: []string{"replace I70569 with I70562 (left leg)"}},
		{name: "50 with I70269", edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I70269")}
			c.Lines[0].Modifiers = []string{"50"}
		}, want: 1, text: []string{"billed for both legs (50)", "replace I70269 with I70263 (both legs)"}},
		{name: "RT with I70221", edit: func(c *claim.Claim) { c.Diagnoses = []claim.Diagnosis{tdx("I70221")} }, want: 0},
		{name: "RT with I70228 (other extremity)", edit: func(c *claim.Claim) { c.Diagnoses = []claim.Diagnosis{tdx("I70228")} }, want: 0},
		{name: "RT with weak I70219", edit: func(c *claim.Claim) { c.Diagnoses = []claim.Diagnosis{tdx("I70219")} }, want: 0, also: []rules.ID{rules.DxWeakSupport}},
		{name: "no side modifier", edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I70229")}
			c.Lines[0].Modifiers = nil
		}, want: 0, also: []rules.ID{rules.ModLateralityMissing}},
		{name: "seed-only: no 6th-character sides", seed: true, edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I70329")} // left by the seed's I70.32
			c.Lines[0].Modifiers = []string{"LT"}
		}, want: 0},
	},
	rules.ModUnlisted: {
		{name: "76", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "76"} }, want: 1, sev: finding.Warning, source: "seed", seg: 21,
			text: []string{"modifier 76 on 0620T line 1", "not one the rule pack lists for 0620T", "remove it from SV101 of line 1 if it does not"}},
		{name: "76 twice: once", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "76", "76"} }, want: 1, also: []rules.ID{rules.ModDuplicate}},
		{name: "76 and GC", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "76", "GC"} }, want: 2},
		{name: "25: E/M lines only", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "25"} }, want: 1,
			text: []string{"modifier 25 (Significant, separately identifiable evaluation and management service", "remove 25 from SV101 of line 1 (E/M services only: move it to the E/M line)"}},
		{name: "59: the column-two code", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "59"} }, want: 1,
			text: []string{"modifier 59 (Distinct procedural service)", "remove 59 from SV101 of line 1 (it belongs on the column-two code"}},
		{name: "XU: the column-two code", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "XU"} }, want: 1, text: []string{"it belongs on the column-two code"}},
		{name: "25 seed-only: no advice", seed: true, edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"LT", "25"}
			c.Diagnoses = []claim.Diagnosis{tdx("I70244"), tdx(ulcerLeft)}
		}, want: 1, text: []string{"check that 25 applies to 0620T"}},
		{name: "GA seed-only (no payer modifiers)", seed: true, edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"LT", "GA"}
			c.Diagnoses = []claim.Diagnosis{tdx("I70244"), tdx(ulcerLeft)}
		}, want: 1},
		{name: "22", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "22"} }, want: 0},
		{name: "assistant 80, AS, team 66 (codeset)", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "80", "AS", "66"} }, want: 0},
		{name: "payer modifiers GA, GZ, KX, Q0 never", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "GA", "GZ", "KX"} }, want: 0},
		{name: "Q1 and GX", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "Q1", "GX", "GY"} }, want: 0},
	},
	rules.ModNoGuidance: {
		{name: "79 seed-only", seed: true, edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"LT", "79"}
			c.Diagnoses[0].Code = "I70244"
		}, want: 1, sev: finding.Info, source: "seed", seg: 21, text: []string{"modifier 79", "no description"}},
		{name: "RT and QY seed-only", seed: true, edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "QY"} }, want: 2},
		{name: "79 default pack (CMS meaning)", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "79"} }, want: 0},
		{name: "22 seed-only", seed: true, edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"LT", "22"}
			c.Diagnoses[0].Code = "I70244"
		}, want: 0},
	},
	rules.ModLateralityMissing: {
		{name: "none", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = nil }, want: 1, sev: finding.Warning, source: "seed", seg: 21,
			text: []string{"no laterality modifier", "add RT to SV101 of line 1 (the diagnoses are right-sided)"}},
		{name: "22 only, unsided diagnosis", edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"22"}
			c.Diagnoses[0].Code = "I96"
		}, want: 1, text: []string{"add LT or RT to SV101 of line 1 (or 50 for both legs)"}},
		{name: "RT", edit: func(c *claim.Claim) {}, want: 0},
		{name: "50", edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"50"}
			c.Diagnoses = append(c.Diagnoses, tdx("I70244"), tdx(ulcerLeft))
			c.Lines[0].Pointers = []string{"1", "3"}
		}, want: 0},
	},
	rules.ModLateralityConflict: {
		{name: "50 LT", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"50", "LT"} }, want: 1, sev: finding.Error, source: "seed", seg: 21,
			text: []string{"use 50 alone, not with LT"}},
		{name: "RT 50", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "50"} }, want: 1, text: []string{"use 50 alone, not with RT"}},
		{name: "LT RT", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"LT", "RT"} }, want: 1, text: []string{"both LT and RT", "use 50 alone for both legs"}},
		{name: "50 LT RT", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"50", "LT", "RT"} }, want: 1, text: []string{"not with LT and RT"}},
		{name: "RT RT is a duplicate, not a conflict", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "RT"} }, want: 0, also: []rules.ID{rules.ModDuplicate}},
		{name: "RT", edit: func(c *claim.Claim) {}, want: 0},
	},
	rules.ModConflict: {
		{name: "22 52", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "22", "52"} }, want: 1, sev: finding.Error, source: "codeset", seg: 21,
			text: []string{"modifiers 22 and 52", "contradict"}},
		{name: "52 53 22: three pairs", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "52", "53", "22"} }, want: 3},
		{name: "22 52 52: once", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"22", "52", "52", "RT"} }, want: 1, also: []rules.ID{rules.ModDuplicate}},
		{name: "59 XS", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "59", "XS"} }, want: 1, also: []rules.ID{rules.ModUnlisted, rules.ModUnlisted}},
		{name: "22 62", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "22", "62"} }, want: 0},
	},
	rules.ModDuplicate: {
		{name: "RT RT", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "RT"} }, want: 1, sev: finding.Warning, source: "seed", seg: 21, text: []string{"remove the repeated RT"}},
		{name: "RT 22 RT 22", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "22", "RT", "22"} }, want: 2},
		{name: "RT 22", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "22"} }, want: 0},
	},
	rules.Mod51SingleProcedure: {
		{name: "51 alone", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "51"} }, want: 1, sev: finding.Warning, source: "seed", seg: 21, text: []string{"only procedure", "remove 51"}},
		{name: "51 with only an included code (seed 36200)", edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"RT", "51"}
			c.Lines = append(c.Lines, tline("36200"))
		}, want: 1, source: "seed", also: []rules.ID{rules.BundleIncluded}, text: []string{"the other lines that day, 36200, are included in 0620T"}},
		{name: "51 with only an included code (codeset 76937)", edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"RT", "51"}
			c.Lines = append(c.Lines, tline("76937"))
		}, want: 1, source: "codeset", also: []rules.ID{rules.BundleIncluded}},
		{name: "51 with another procedure on another date", edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"RT", "51"}
			o := tline("93922")
			o.ServiceDate = "20260120"
			c.Lines = append(c.Lines, o)
		}, want: 1},
		{name: "51 with another procedure that day", edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"RT", "51"}
			c.Lines = append(c.Lines, tline("93922"))
		}, want: 0},
		{name: "51 with a review code that day", edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"RT", "51"}
			o := tline("37224")
			o.ServiceDate, c.Lines[0].ServiceDate = "20251215", "20251215"
			c.Lines = append(c.Lines, o)
		}, want: 0, also: []rules.ID{rules.BundleReview}},
		{name: "51 with a line of unknown date", edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"RT", "51"}
			o := tline("93922")
			o.DateQualifier, o.ServiceDate = "", ""
			c.Lines = append(c.Lines, o)
		}, want: 0},
	},
	rules.Mod50Units: {
		{name: "50 x2", edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"50"}
			c.Lines[0].Units = "2"
			c.Diagnoses = append(c.Diagnoses, tdx("I70244"), tdx(ulcerLeft))
			c.Lines[0].Pointers = []string{"1", "3"}
		}, want: 1, sev: finding.Warning, source: "seed", seg: 21, text: []string{"with 2 units", "set SV104 of line 1 to 1"}},
		{name: "50 x1.0", edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"50"}
			c.Lines[0].Units = "1.0"
			c.Diagnoses = append(c.Diagnoses, tdx("I70244"), tdx(ulcerLeft))
			c.Lines[0].Pointers = []string{"1", "3"}
		}, want: 0},
		// Any number but 1 (issue 18: "> 1" for "!= 1" let 0.5 pass).
		{name: "50 x0.5", edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"50"}
			c.Lines[0].Units = "0.5"
			c.Diagnoses = append(c.Diagnoses, tdx("I70244"), tdx(ulcerLeft))
			c.Lines[0].Pointers = []string{"1", "3"}
		}, want: 1, text: []string{"with 0.5 units"}},
		{name: "50 x0: not LINE-UNITS too", edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"50"}
			c.Lines[0].Units = "0"
			c.Diagnoses = append(c.Diagnoses, tdx("I70244"), tdx(ulcerLeft))
			c.Lines[0].Pointers = []string{"1", "3"}
		}, want: 1},
		{name: "50 without units is LINE-UNITS", edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"50"}
			c.Lines[0].Units = ""
			c.Diagnoses = append(c.Diagnoses, tdx("I70244"), tdx(ulcerLeft))
			c.Lines[0].Pointers = []string{"1", "3"}
		}, want: 0, also: []rules.ID{rules.LineUnits}},
		{name: "RT x2 is LINE-UNITS only", edit: func(c *claim.Claim) { c.Lines[0].Units = "2" }, want: 0, also: []rules.ID{rules.LineUnits}},
	},
	rules.ModAnesthesia: {
		{name: "QK", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "QK"} }, want: 1, sev: finding.Warning, source: "codeset", seg: 21,
			text: []string{"modifier QK (Medical direction of two, three, or four concurrent anesthesia procedures involving qualified individuals; the seed calls it medical direction of two, three, or four assistants)",
				"remove QK from SV101 of line 1; an assisting surgeon bills with 80, 81, 82 or AS"}},
		{name: "23 (the seed lists it; it goes on the anesthesia code)", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "23"} }, want: 1, source: "codeset",
			text: []string{"modifier 23 (Unusual anesthesia)", "the anesthesia provider reports 23 with the anesthesia code"}},
		{name: "QZ (not listed either)", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "QZ"} }, want: 1, also: []rules.ID{rules.ModUnlisted}},
		{name: "QK seed-only (codeset rule dropped)", seed: true, edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"LT", "QK"}
			c.Diagnoses[0].Code = "I70244"
		}, want: 0},
		{name: "62", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "62"} }, want: 0},
	},
	rules.BundleIncluded: {
		{name: "36200 same date", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("36200")) }, want: 1, sev: finding.Error, source: "seed", line: 2, seg: 31,
			text: []string{"36200 on line 2", "0620T on line 1, same date 2026-01-15", "0620T's descriptor includes percutaneous or open vascular access",
				"remove line 2 (36200) and take its charge, 100.00, out of CLM02 (1600.00 becomes 1500.00)"}},
		{name: "76937 same date (codeset)", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("76937")) }, want: 1, source: "codeset"},
		{name: "76140: seed and CPT descriptions", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("76140")) }, want: 1, source: "seed",
			text: []string{"76140 on line 2 (Consultation on X-ray examination made elsewhere, written report; the seed calls it radiologic supervision and interpretation of peripheral intravascular ultrasound (IVUS))"}},
		{name: "36200 and 75710, two target lines: one finding each", edit: func(c *claim.Claim) {
			c.Lines = append(c.Lines, tline("0620T", "LT"), tline("36200"), tline("75710"))
			c.Diagnoses = append(c.Diagnoses, tdx("I70244"), tdx(ulcerLeft))
			c.Lines[1].Pointers = []string{"3"}
		}, want: 2, text: []string{"0620T on lines 1, 2"}},
		{name: "RD8 overlapping", edit: func(c *claim.Claim) {
			o := tline("36200")
			o.DateQualifier, o.ServiceDate = "RD8", "20260114-20260116"
			c.Lines = append(c.Lines, o)
		}, want: 1},
		{name: "36200 another date", edit: func(c *claim.Claim) {
			o := tline("36200")
			o.ServiceDate = "20260116"
			c.Lines = append(c.Lines, o)
		}, want: 0},
		{name: "36200 without a date", edit: func(c *claim.Claim) {
			o := tline("36200")
			o.DateQualifier, o.ServiceDate = "", ""
			c.Lines = append(c.Lines, o)
		}, want: 0},
		{name: "36200 with XS is BUNDLE-OVERRIDE", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("36200", "XS")) }, want: 0, also: []rules.ID{rules.BundleOverride}},
		{name: "75710-RT with 0620T-RT: the same limb", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("75710", "RT")) }, want: 1},
		{name: "75710-LT with 0620T-RT is BUNDLE-OVERRIDE", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("75710", "LT")) }, want: 0, also: []rules.ID{rules.BundleOverride}},
		{name: "37252 IVUS (codeset)", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("37252")) }, want: 1, source: "codeset"},
		{name: "75822 (codeset)", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("75822")) }, want: 1, source: "codeset"},
		{name: "36200 seed-only: the seed's words", seed: true, edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"LT"}
			c.Diagnoses = []claim.Diagnosis{tdx("I70244"), tdx(ulcerLeft)}
			c.Lines = append(c.Lines, tline("36200"))
		}, want: 1, text: []string{"the seed says 0620T includes vascular access, catheterization and imaging guidance"}},
	},
	rules.BundleOverride: {
		{name: "36200-XS (codeset: the override modifiers)", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("36200", "XS")) }, want: 1, sev: finding.Warning, source: "codeset", line: 2, seg: 31,
			text: []string{"carries XS", "documents a separate service"}},
		{name: "75710-59", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("75710", "59")) }, want: 1, text: []string{"carries 59 (Distinct procedural service)"}},
		{name: "75710-LT with 0620T-RT: the other limb", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("75710", "LT")) }, want: 1, source: "codeset",
			text: []string{"billed for the left leg (LT) and 0620T on line 1, same date 2026-01-15 for the right leg (RT)", "CMS counts anatomic modifiers",
				"keep 75710-LT only if the record documents it as a separate service on the left leg"}},
		{name: "75710-RT with 0620T-RT and 0620T-LT: one is the same limb", edit: func(c *claim.Claim) {
			c.Diagnoses = append(c.Diagnoses, tdx("I70244"), tdx(ulcerLeft))
			c.Lines = append(c.Lines, tline("0620T", "LT"), tline("75710", "RT"))
			c.Lines[1].Pointers = []string{"3"}
		}, want: 0, also: []rules.ID{rules.BundleIncluded}},
		{name: "75710-LT with 0620T-50", edit: func(c *claim.Claim) {
			c.Diagnoses = append(c.Diagnoses, tdx("I70244"), tdx(ulcerLeft))
			c.Lines[0].Modifiers = []string{"50"}
			c.Lines[0].Pointers = []string{"1", "3"}
			c.Lines = append(c.Lines, tline("75710", "LT"))
		}, want: 0, also: []rules.ID{rules.BundleIncluded}},
		{name: "75710-LT with 0620T-RT, seed-only: included", seed: true, edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"LT"}
			c.Diagnoses = []claim.Diagnosis{tdx("I70244"), tdx(ulcerLeft)}
			c.Lines = append(c.Lines, tline("75710", "RT"))
		}, want: 0, also: []rules.ID{rules.BundleIncluded}},
		{name: "36200-XS another date", edit: func(c *claim.Claim) {
			o := tline("36200", "XS")
			o.ServiceDate = "20260116"
			c.Lines = append(c.Lines, o)
		}, want: 0},
		{name: "36200-XS seed-only: no override modifiers", seed: true, edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"LT"}
			c.Diagnoses[0].Code = "I70244"
			c.BillingTaxonomy = "207RH0000X"
			c.Lines = append(c.Lines, tline("36200", "XS"))
		}, want: 0, also: []rules.ID{rules.BundleIncluded}},
	},
	rules.BundleReview: {
		{name: "37224 same date in 2025", edit: func(c *claim.Claim) {
			c.Lines[0].ServiceDate = "20251215"
			o := tline("37224")
			o.ServiceDate = "20251215"
			c.Lines = append(c.Lines, o)
		}, want: 1, sev: finding.Warning, source: "seed", line: 2, seg: 31,
			text: []string{`the rule pack says: "May be performed for concomitant tibial/peroneal`, "37224 on line 2 (Revascularization, endovascular, open or percutaneous, femoral, popliteal artery(s), unilateral; with transluminal angioplasty; the seed calls it revascularization"}},
		{name: "37280 same date in 2026 (codeset)", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("37280")) }, want: 1, source: "codeset"},
		{name: "37298 same date in 2026 (codeset)", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("37298")) }, want: 1, source: "codeset"},
		{name: "37229 same date in 2025 (codeset)", edit: func(c *claim.Claim) {
			c.Lines[0].ServiceDate = "20251215"
			o := tline("37229")
			o.ServiceDate = "20251215"
			c.Lines = append(c.Lines, o)
		}, want: 1, source: "codeset", text: []string{"if it was part of it, remove line 2 (37229)"}},
		{name: "37229 same date in 2026: not valid, not reviewed", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("37229")) }, want: 0, also: []rules.ID{rules.CodeNotValidOnDOS}},
		{name: "36475 another date", edit: func(c *claim.Claim) {
			o := tline("36475")
			o.ServiceDate = "20260201"
			c.Lines = append(c.Lines, o)
		}, want: 0},
	},
	rules.CodeNotValidOnDOS: {
		{name: "37224 in 2026", edit: func(c *claim.Claim) {
			o := tline("37224")
			o.ServiceDate = "20260116"
			c.Lines = append(c.Lines, o)
		}, want: 1, sev: finding.Error, source: "codeset", line: 2, seg: 31, text: []string{"37224 on line 2 is billed for 2026-01-16", "up to 2025-12-31", "Deleted from CPT"}},
		{name: "37224 on the 0620T date in 2026: not reviewed too", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("37224")) }, want: 1},
		{name: "37230 (tibial/peroneal, CPT 2025) in 2026", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("37230")) }, want: 1, source: "codeset"},
		{name: "37296 (inframalleolar, CPT 2026) in 2025", edit: func(c *claim.Claim) {
			c.Lines[0].ServiceDate = "20251201"
			c.Lines = append(c.Lines, tline("37296"))
			c.Lines[1].ServiceDate = "20251201"
		}, want: 1, text: []string{"exists only from 2026-01-01"}},
		{name: "37254 (CPT 2026, not related) in 2025", edit: func(c *claim.Claim) {
			o := tline("37254")
			o.ServiceDate = "20251201"
			c.Lines = append(c.Lines, o)
		}, want: 1},
		{name: "0620T before 2020-07-01", edit: func(c *claim.Claim) { c.Lines[0].ServiceDate = "20200630" }, want: 1, line: 1, text: []string{"0620T on line 1 is billed for 2020-06-30, but it exists only from 2020-07-01"}},
		{name: "0620T on 2020-07-01", edit: func(c *claim.Claim) { c.Lines[0].ServiceDate = "20200701" }, want: 0},
		{name: "37230 in 2025", edit: func(c *claim.Claim) {
			c.Lines[0].ServiceDate = "20251201"
			o := tline("37230")
			o.ServiceDate = "20251202"
			c.Lines = append(c.Lines, o)
		}, want: 0},
		{name: "37280 in 2025", edit: func(c *claim.Claim) {
			o := tline("37280")
			o.ServiceDate = "20251230"
			c.Lines = append(c.Lines, o)
		}, want: 1, source: "codeset", text: []string{"from 2026-01-01"}},
		{name: "RD8 starting 2025-12-31", edit: func(c *claim.Claim) {
			o := tline("37224")
			o.DateQualifier, o.ServiceDate = "RD8", "20251231-20260102"
			c.Lines = append(c.Lines, o)
		}, want: 0},
		{name: "37224 on 2025-12-31", edit: func(c *claim.Claim) {
			o := tline("37224")
			o.ServiceDate = "20251231"
			c.Lines = append(c.Lines, o)
		}, want: 0},
		{name: "37280 in 2026", edit: func(c *claim.Claim) {
			o := tline("37280")
			o.ServiceDate = "20260301"
			c.Lines = append(c.Lines, o)
		}, want: 0},
	},
	rules.LineDuplicate: {
		{name: "RT twice", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("0620T", "RT")) }, want: 1, sev: finding.Error, source: "seed", line: 2, seg: 31,
			text: []string{"0620T on line 2 (RT, 2026-01-15) repeats line 1 (RT, 2026-01-15)", "if line 2 repeats the same service, remove line 2 (0620T) and take its charge, 100.00, out of CLM02 (1600.00 becomes 1500.00)"}},
		{name: "RT and no side", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("0620T")) }, want: 1, line: 2, also: []rules.ID{rules.ModLateralityMissing}},
		{name: "no side twice", edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = nil
			c.Lines = append(c.Lines, tline("0620T"))
		}, want: 1, also: []rules.ID{rules.ModLateralityMissing, rules.ModLateralityMissing}},
		{name: "50 and LT", edit: func(c *claim.Claim) {
			c.Diagnoses = append(c.Diagnoses, tdx("I70244"), tdx(ulcerLeft))
			c.Lines[0].Modifiers = []string{"50"}
			c.Lines[0].Pointers = []string{"1", "3"}
			c.Lines = append(c.Lines, tline("0620T", "LT"))
			c.Lines[1].Pointers = []string{"3"}
		}, want: 1},
		{name: "three RT: two findings", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("0620T", "RT"), tline("0620T", "RT")) }, want: 2},
		{name: "RT and LT", edit: func(c *claim.Claim) {
			c.Diagnoses = append(c.Diagnoses, tdx("I70244"), tdx(ulcerLeft))
			c.Lines = append(c.Lines, tline("0620T", "LT"))
			c.Lines[1].Pointers = []string{"3"}
		}, want: 0},
		{name: "RT on two dates", edit: func(c *claim.Claim) {
			o := tline("0620T", "RT")
			o.ServiceDate = "20260301"
			c.Lines = append(c.Lines, o)
		}, want: 0},
		// Two people's shares of one procedure (RULES.md): co-surgeons and
		// team members each with their own rendering NPI, an assistant.
		{name: "co-surgeons: 62 on both, other NPI", edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"RT", "62"}
			c.Lines = append(c.Lines, tline("0620T", "RT", "62"))
			c.Lines[1].RenderingNPI = "1003000126"
		}, want: 0},
		{name: "co-surgeons: 62 on both, the same NPI", edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"RT", "62"}
			c.Lines = append(c.Lines, tline("0620T", "RT", "62"))
			c.Lines[1].RenderingNPI = c.BillingNPI
		}, want: 1, text: []string{"each bills with 62 (co-surgeons) or 66 (team) and their own rendering NPI"}},
		{name: "62 on one line only", edit: func(c *claim.Claim) {
			c.Lines = append(c.Lines, tline("0620T", "RT", "62"))
			c.Lines[1].RenderingNPI = "1003000126"
		}, want: 1},
		{name: "team: 66 on both, other NPI", edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"RT", "66"}
			c.Lines = append(c.Lines, tline("0620T", "RT", "66"))
			c.Lines[1].RenderingNPI = "1003000126"
		}, want: 0},
		{name: "assistant 80", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("0620T", "RT", "80")) }, want: 0},
		{name: "assistant AS, the same NPI as the surgeon's claim", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("0620T", "RT", "AS")) }, want: 0},
		{name: "two assistants, the same NPI", edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"RT", "80"}
			c.Lines = append(c.Lines, tline("0620T", "RT", "82"))
		}, want: 1},
	},
	rules.ClaimFrequencyInvalid: {
		{name: "2", edit: func(c *claim.Claim) { c.Frequency = "2" }, want: 1, sev: finding.Error, source: "seed", line: -1, seg: 10,
			text: []string{`claim C1 has frequency code "2" in CLM05-3; an 837P claim is 1 (original), 7 (replacement) or 8 (void)`, "set CLM05-3 to 1 for a new claim"}},
		{name: "missing", edit: func(c *claim.Claim) { c.Frequency = "" }, want: 1, text: []string{"has no frequency code (CLM05-3 is empty)"}},
		{name: "long: described, not quoted", edit: func(c *claim.Claim) { c.Frequency = "ROE123" }, want: 1, text: []string{"has frequency code of 6 characters"}},
		{name: "1", edit: func(c *claim.Claim) {}, want: 0},
		{name: "7 with REF*F8", edit: func(c *claim.Claim) { c.Frequency, c.OriginalRef = "7", "PCCN0001" }, want: 0},
		{name: "8 with REF*F8", edit: func(c *claim.Claim) { c.Frequency, c.OriginalRef = "8", "PCCN0001" }, want: 0},
	},
	rules.ClaimOriginalRefMissing: {
		{name: "7", edit: func(c *claim.Claim) { c.Frequency = "7" }, want: 1, sev: finding.Error, source: "seed", line: -1, seg: 10,
			text: []string{"claim C1 is a replacement (CLM05-3 = 7) but has no REF*F8: the payer cannot tell which claim it replaces", "add REF*F8"}},
		{name: "8", edit: func(c *claim.Claim) { c.Frequency = "8" }, want: 1, text: []string{"a void (CLM05-3 = 8)", "which claim it voids"}},
		// A void gets the claim-level rules only: its broken lines are the
		// voided claim's, not this one's business.
		{name: "8 with broken lines: claim rules only", edit: func(c *claim.Claim) {
			c.Frequency = "8"
			c.Lines[0].Pointers, c.Lines[0].Modifiers, c.Lines[0].Units = nil, nil, "3"
			c.Diagnoses = []claim.Diagnosis{tdx("I70.23")}
			c.Lines = append(c.Lines, tline("36200"), tline("0620T", "RT"))
			c.BillingTaxonomy = ""
		}, want: 1},
		{name: "8 with broken lines and the charge off", edit: func(c *claim.Claim) {
			c.Frequency = "8"
			c.Lines[0].Pointers = nil
			c.TotalCharge = "1"
		}, want: 1, also: []rules.ID{rules.ClaimChargeMismatch}},
		{name: "7 with REF*F8", edit: func(c *claim.Claim) { c.Frequency, c.OriginalRef = "7", "PCCN0001" }, want: 0},
		{name: "7 scrubbed in full", edit: func(c *claim.Claim) {
			c.Frequency, c.OriginalRef = "7", "PCCN0001"
			c.Lines[0].Pointers = nil
		}, want: 0, also: []rules.ID{rules.DxPointerMissing}},
		{name: "1", edit: func(c *claim.Claim) {}, want: 0},
	},
	rules.NPIInvalid: {
		{name: "billing NPI check digit", edit: func(c *claim.Claim) {
			c.NPIs = []claim.ProviderNPI{{Loop: "2010AA", Entity: "85", NPI: "1234567890", Pos: claim.Pos{Segment: 5, Offset: 500}, Line: -1}}
		}, want: 1, sev: finding.Error, source: "seed", line: -1, seg: 5,
			text: []string{"NPI 1234567890 of the billing provider (2010AA NM1*85) fails its check digit: the Luhn check over 80840 and its first 9 digits gives 3, not 0",
				"correct NM109 of the billing provider (2010AA NM1*85) to the provider's 10-digit NPI"}},
		{name: "9 digits: described, not quoted", edit: func(c *claim.Claim) {
			c.NPIs = []claim.ProviderNPI{{Loop: "2310A", Entity: "DN", NPI: "123456789", Pos: claim.Pos{Segment: 12, Offset: 1200}, Line: -1}}
		}, want: 1, seg: 12, text: []string{"the NPI of the referring provider (2310A NM1*DN) is not 10 digits: NM109 has 9 characters"}},
		{name: "line rendering provider", edit: func(c *claim.Claim) {
			c.NPIs = []claim.ProviderNPI{{Loop: "2420A", Entity: "82", NPI: "1999999999", Pos: claim.Pos{Segment: 24, Offset: 2400}, Line: 0}}
		}, want: 1, line: 1, seg: 24, text: []string{"NPI 1999999999 of the rendering provider of line 1 (2420A NM1*82)"}},
		{name: "letters", edit: func(c *claim.Claim) {
			c.NPIs = []claim.ProviderNPI{{Loop: "2310C", Entity: "77", NPI: "12345678AB", Pos: claim.Pos{Segment: 12, Offset: 1200}, Line: -1}}
		}, want: 1, text: []string{"service facility (2310C NM1*77) is not 10 digits: NM109 has 10 characters, not all digits"}},
		{name: "on a void too", edit: func(c *claim.Claim) {
			c.Frequency, c.OriginalRef = "8", "PCCN0001"
			c.NPIs = []claim.ProviderNPI{{Loop: "2310B", Entity: "82", NPI: "1234567890", Pos: claim.Pos{Segment: 12, Offset: 1200}, Line: -1}}
		}, want: 1},
		{name: "valid NPIs", edit: func(c *claim.Claim) {
			c.NPIs = []claim.ProviderNPI{
				{Loop: "2010AA", Entity: "85", NPI: "1234567893", Pos: claim.Pos{Segment: 5, Offset: 500}, Line: -1},
				{Loop: "2310B", Entity: "82", NPI: "1003000126", Pos: claim.Pos{Segment: 12, Offset: 1200}, Line: -1},
			}
		}, want: 0},
	},
	rules.LineDOSMissing: {
		{name: "no DTP", edit: func(c *claim.Claim) { c.Lines[0].DateQualifier, c.Lines[0].ServiceDate = "", "" }, want: 1, sev: finding.Error, source: "seed", seg: 21, text: []string{"no service date", "DTP*472*D8*CCYYMMDD"}},
		{name: "D8", edit: func(c *claim.Claim) {}, want: 0},
	},
	rules.LineDOSInvalid: {
		{name: "Feb 30", edit: func(c *claim.Claim) { c.Lines[0].ServiceDate = "20260230" }, want: 1, sev: finding.Error, source: "seed", seg: 22, text: []string{"D8*20260230", "not a real calendar date"}},
		{name: "Feb 29 2026", edit: func(c *claim.Claim) { c.Lines[0].ServiceDate = "20260229" }, want: 1},
		{name: "short", edit: func(c *claim.Claim) { c.Lines[0].ServiceDate = "2026011" }, want: 1},
		{name: "range backwards", edit: func(c *claim.Claim) { c.Lines[0].DateQualifier, c.Lines[0].ServiceDate = "RD8", "20260120-20260115" }, want: 1, text: []string{"ends before it starts"}},
		{name: "D8 with a range", edit: func(c *claim.Claim) { c.Lines[0].ServiceDate = "20260115-20260116" }, want: 1},
		{name: "qualifier", edit: func(c *claim.Claim) { c.Lines[0].DateQualifier = "DT" }, want: 1, text: []string{`qualifier "DT"`}},
		{name: "empty value", edit: func(c *claim.Claim) { c.Lines[0].ServiceDate = "" }, want: 1},
		{name: "Feb 29 2028", edit: func(c *claim.Claim) { c.Lines[0].ServiceDate = "20280229" }, want: 0},
		{name: "RD8", edit: func(c *claim.Claim) { c.Lines[0].DateQualifier, c.Lines[0].ServiceDate = "RD8", "20260115-20260116" }, want: 0},
		{name: "RD8 one day", edit: func(c *claim.Claim) { c.Lines[0].DateQualifier, c.Lines[0].ServiceDate = "RD8", "20260115-20260115" }, want: 0},
	},
	rules.LineChargeInvalid: {
		{name: "missing", edit: func(c *claim.Claim) { c.Lines[0].Charge = "" }, want: 1, sev: finding.Error, source: "seed", seg: 21, text: []string{"is missing"}},
		{name: "text", edit: func(c *claim.Claim) { c.Lines[0].Charge = "1,500"; c.TotalCharge = "1500" }, want: 1, text: []string{`is "1,500", not an amount`}},
		{name: "zero", edit: func(c *claim.Claim) { c.Lines[0].Charge = "0.00" }, want: 1, text: []string{"is 0.00; it must be more than zero"}},
		{name: "negative", edit: func(c *claim.Claim) { c.Lines[0].Charge = "-5" }, want: 1},
		{name: "tenth of a cent", edit: func(c *claim.Claim) { c.Lines[0].Charge = "10.005"; c.TotalCharge = "10.01" }, want: 1},
		{name: "one cent", edit: func(c *claim.Claim) { c.Lines[0].Charge = "0.01" }, want: 0},
		{name: "no decimals", edit: func(c *claim.Claim) { c.Lines[0].Charge = "1500" }, want: 0},
	},
	rules.LineUnits: {
		{name: "missing", edit: func(c *claim.Claim) { c.Lines[0].Units = "" }, want: 1, sev: finding.Warning, source: "seed", seg: 21, text: []string{"no units", "set SV104 of line 1 to 1"}},
		{name: "2", edit: func(c *claim.Claim) { c.Lines[0].Units = "2" }, want: 1, text: []string{"more than the 1 allowed"}},
		{name: "1.5", edit: func(c *claim.Claim) { c.Lines[0].Units = "1.5" }, want: 1},
		{name: "0", edit: func(c *claim.Claim) { c.Lines[0].Units = "0" }, want: 1},
		{name: "text", edit: func(c *claim.Claim) { c.Lines[0].Units = "one" }, want: 1},
		{name: "1", edit: func(c *claim.Claim) {}, want: 0},
		{name: "1.000", edit: func(c *claim.Claim) { c.Lines[0].Units = "1.000" }, want: 0},
	},
	rules.LinePOSAtypical: {
		{name: "SV105 office", edit: func(c *claim.Claim) { c.Lines[0].PlaceOfService = "11" }, want: 1, sev: finding.Warning, source: "seed", seg: 21,
			text: []string{"place of service 11 (SV105)", "21 hospital inpatient, 19 hospital outpatient, 22 hospital outpatient"}},
		{name: "CLM05-1 office", edit: func(c *claim.Claim) { c.PlaceOfService = "11" }, want: 1, seg: 10, text: []string{"(CLM05-1)"}},
		{name: "none", edit: func(c *claim.Claim) { c.PlaceOfService = "" }, want: 1, text: []string{"has no place of service"}},
		{name: "SV105 21 over CLM05-1 11", edit: func(c *claim.Claim) { c.PlaceOfService, c.Lines[0].PlaceOfService = "11", "21" }, want: 0},
		{name: "CLM05-1 19", edit: func(c *claim.Claim) { c.PlaceOfService = "19" }, want: 0},
	},
	rules.LineTaxonomyAtypical: {
		{name: "2420A family medicine", edit: func(c *claim.Claim) { c.Lines[0].RenderingTaxonomy = "207Q00000X" }, want: 1, sev: finding.Warning, source: "seed", seg: 23,
			text: []string{"taxonomy 207Q00000X", "2420A PRV*PE"}},
		{name: "2310B family medicine", edit: func(c *claim.Claim) { c.RenderingTaxonomy = "207Q00000X" }, want: 1, seg: 12, text: []string{"2310B"}},
		{name: "2000A only", edit: func(c *claim.Claim) { c.BillingTaxonomy = "207Q00000X" }, want: 1, seg: 5, text: []string{"2000A PRV*BI"}},
		{name: "2420A vascular over 2310B family", edit: func(c *claim.Claim) {
			c.RenderingTaxonomy, c.Lines[0].RenderingTaxonomy = "207Q00000X", "2086S0129X"
		}, want: 0},
		{name: "2310B seed code over 2000A family", edit: func(c *claim.Claim) {
			c.BillingTaxonomy, c.RenderingTaxonomy = "207Q00000X", "2080S0002X"
		}, want: 0},
		{name: "none anywhere is LINE-TAXONOMY-MISSING", edit: func(c *claim.Claim) { c.BillingTaxonomy = "" }, want: 0, also: []rules.ID{rules.LineTaxonomyMissing}},
		{name: "2000A group taxonomy is no specialty: LINE-TAXONOMY-MISSING", edit: func(c *claim.Claim) { c.BillingTaxonomy = "193200000X" }, want: 0, also: []rules.ID{rules.LineTaxonomyMissing}},
		{name: "2000A group, 2310B vascular", edit: func(c *claim.Claim) { c.BillingTaxonomy, c.RenderingTaxonomy = "193400000X", "2086S0129X" }, want: 0},
		{name: "2000A group, seed-only: atypical", seed: true, edit: func(c *claim.Claim) {
			c.BillingTaxonomy = "193200000X"
			c.Lines[0].Modifiers = []string{"LT"}
			c.Diagnoses = []claim.Diagnosis{tdx("I70244"), tdx(ulcerLeft)}
		}, want: 1},
		{name: "cardiovascular disease 207RC0000X (codeset)", edit: func(c *claim.Claim) { c.BillingTaxonomy = "207RC0000X" }, want: 0},
		{name: "diagnostic radiology 2085R0202X (codeset)", edit: func(c *claim.Claim) { c.RenderingTaxonomy = "2085R0202X" }, want: 0},
		{name: "thoracic surgery 208G00000X (codeset)", edit: func(c *claim.Claim) { c.Lines[0].RenderingTaxonomy = "208G00000X" }, want: 0},
	},
	rules.LineTaxonomyMissing: {
		{name: "none", edit: func(c *claim.Claim) { c.BillingTaxonomy = "" }, want: 1, sev: finding.Info, source: "seed", line: -1, seg: 10},
		{name: "on a non-target line only", edit: func(c *claim.Claim) {
			c.BillingTaxonomy = ""
			o := tline("93922")
			o.RenderingTaxonomy = "2086S0129X"
			c.Lines = append(c.Lines, o)
		}, want: 0},
		{name: "billing only", edit: func(c *claim.Claim) {}, want: 0},
		{name: "a group taxonomy only", edit: func(c *claim.Claim) { c.BillingTaxonomy = "193200000X" }, want: 1, text: []string{"names only the billing group's taxonomy 193200000X (2000A PRV*BI)"}},
		// Issue 18: the claim's 2310B rendering taxonomy counts when 2000A
		// has none.
		{name: "2310B only", edit: func(c *claim.Claim) { c.BillingTaxonomy, c.RenderingTaxonomy = "", "2086S0129X" }, want: 0},
		{name: "2420A only", edit: func(c *claim.Claim) { c.BillingTaxonomy, c.Lines[0].RenderingTaxonomy = "", "2086S0129X" }, want: 0},
	},
	rules.ClaimChargeMismatch: {
		{name: "off by a cent", edit: func(c *claim.Claim) {
			c.Lines = append(c.Lines, tline("93922"))
			c.Lines[1].Charge = "500.01"
			c.TotalCharge = "2000"
		}, want: 1, sev: finding.Error, source: "seed", line: -1, seg: 10, text: []string{"2000.00 differs from the sum of the line charges (SV102) 2000.01 by -0.01", "set CLM02 to 2000.01"}},
		{name: "total not a number", edit: func(c *claim.Claim) { c.TotalCharge = "15OO" }, want: 1, text: []string{`"15OO" is not an amount`}},
		{name: "other line not a number", edit: func(c *claim.Claim) {
			c.Lines = append(c.Lines, tline("93922"))
			c.Lines[1].Charge = "ten"
			c.TotalCharge = "1510"
		}, want: 1, text: []string{"cannot be balanced", `line 2 (93922) is "ten"`}},
		{name: "no float rounding: 0.10 + 0.20 = 0.30", edit: func(c *claim.Claim) {
			c.Lines[0].Charge = "0.10"
			c.Lines = append(c.Lines, tline("93922"))
			c.Lines[1].Charge = "0.2"
			c.TotalCharge = "0.30"
		}, want: 0},
		{name: "1500 = 1000.00 + 500", edit: func(c *claim.Claim) {
			c.Lines[0].Charge = "1000.00"
			c.Lines = append(c.Lines, tline("93922"))
			c.Lines[1].Charge = "500"
			c.TotalCharge = "1500"
		}, want: 0},
		{name: "target line charge not a number: LINE-CHARGE-INVALID only", edit: func(c *claim.Claim) {
			c.Lines[0].Charge = "abc"
			c.TotalCharge = "1500"
		}, want: 0, also: []rules.ID{rules.LineChargeInvalid}},
	},
}

// perClaimRules are the rules this package checks per claim: every rule
// a pack configures but BUNDLE-CROSS-CLAIM, which needs two claims. The
// data-file rules have their own tests (checks_data_test.go).
func perClaimRules() []rules.ID {
	var out []rules.ID
	for _, r := range rules.All() {
		if !r.Builtin && r.Data == "" && r.ID != rules.BundleCrossClaim {
			out = append(out, r.ID)
		}
	}
	return out
}

func TestCheckRules(t *testing.T) {
	for _, id := range perClaimRules() {
		cases := checkCases[id]
		fires, quiet := 0, 0
		for _, tc := range cases {
			if tc.want > 0 {
				fires++
			} else {
				quiet++
			}
		}
		if fires == 0 || quiet == 0 {
			t.Errorf("%s: needs a case where it fires and one where it does not (have %d, %d)", id, fires, quiet)
		}
		for _, tc := range cases {
			t.Run(id.String()+"/"+tc.name, func(t *testing.T) {
				c := tclaim()
				if tc.seed {
					// RT has no seed guidance; keep the claim clean otherwise.
					c.BillingTaxonomy = "207RH0000X"
				}
				tc.edit(c)
				fs := check(rulesPack(t, tc.seed), c)
				got := ofRule(fs, id.String())
				if len(got) != tc.want {
					t.Fatalf("%d findings of %s, want %d:%s", len(got), id, tc.want, dump(fs))
				}
				var want []string
				for _, also := range tc.also {
					want = append(want, also.String())
				}
				for range tc.want {
					want = append(want, id.String())
				}
				sort.Strings(want)
				if ids := ruleIDs(fs); !slices.Equal(ids, want) {
					t.Errorf("rules %v, want %v:%s", ids, want, dump(fs))
				}
				if tc.want == 0 {
					return
				}
				f := got[0]
				if tc.sev != 0 && f.Severity != tc.sev {
					t.Errorf("severity %v, want %v", f.Severity, tc.sev)
				}
				if tc.source != "" && f.Source != tc.source {
					t.Errorf("source %q, want %q", f.Source, tc.source)
				}
				switch {
				case tc.line == -1 && f.LineNumber != 0:
					t.Errorf("line %d, want none (claim-level)", f.LineNumber)
				case tc.line > 0 && f.LineNumber != tc.line:
					t.Errorf("line %d, want %d", f.LineNumber, tc.line)
				}
				if tc.seg != 0 && f.SegmentNumber != tc.seg {
					t.Errorf("segment %d, want %d", f.SegmentNumber, tc.seg)
				}
				if f.ByteOffset != f.SegmentNumber*100 && f.SegmentNumber != 10 && f.SegmentNumber != 11 && f.SegmentNumber != 12 && f.SegmentNumber != 5 {
					t.Errorf("byte offset %d does not go with segment %d", f.ByteOffset, f.SegmentNumber)
				}
				for _, s := range tc.text {
					if !strings.Contains(f.Message, s) && !strings.Contains(f.Suggestion, s) {
						t.Errorf("finding does not say %q:%s", s, dump(got[:1]))
					}
				}
				if f.Message == "" || f.Suggestion == "" || f.ClaimID != "C1" || f.File != "unit.837" || f.ClaimOffset != 1000 {
					t.Errorf("finding columns incomplete: %+v", f)
				}
			})
		}
	}
	for id := range checkCases {
		if !slices.Contains(perClaimRules(), id) {
			t.Errorf("cases for unknown rule %s", id)
		}
	}
}

// The default pack configures every rule that is not built in.
func TestCheckRuleIDsKnownToPack(t *testing.T) {
	p := rulesPack(t, false)
	for _, id := range append(perClaimRules(), rules.BundleCrossClaim) {
		if _, ok := p.Rule(id); !ok {
			t.Errorf("default pack has no rule %s", id)
		}
	}
}

// A rule the pack does not list never fires.
func TestCheckRuleDisabled(t *testing.T) {
	yaml := strings.Replace(string(defaultPackYAML), "  - {id: LINE-UNITS, severity: warning, source: seed}\n", "", 1)
	p, err := pack.Parse("no-units.yaml", []byte(yaml), false)
	if err != nil {
		t.Fatal(err)
	}
	c := tclaim()
	c.Lines[0].Units = "5"
	if fs := check(p, c); len(fs) != 0 {
		t.Errorf("LINE-UNITS is not in the pack but fired:%s", dump(fs))
	}
}

// The line columns of a BUNDLE-* finding are the related line's; the
// finding names the 0620T line in its message.
func TestCheckBundleColumns(t *testing.T) {
	c := tclaim()
	c.Lines = append(c.Lines, tline("36200", "XS"))
	c.Lines[1].Number = 7
	fs := check(rulesPack(t, false), c)
	if len(fs) != 1 {
		t.Fatalf("want 1 finding:%s", dump(fs))
	}
	f := fs[0]
	if f.LineNumber != 7 || f.Procedure != "36200" || !slices.Equal(f.Modifiers, []string{"XS"}) || f.SegmentNumber != 31 {
		t.Errorf("columns are not the 36200 line's: %+v", f)
	}
	if !strings.Contains(f.Message, "0620T on line 1") {
		t.Errorf("message does not name the 0620T line: %s", f.Message)
	}
}

// Findings come out in the same order for the same claim.
func TestCheckDeterministic(t *testing.T) {
	mk := func() *claim.Claim {
		c := tclaim()
		c.Diagnoses = append(c.Diagnoses, tdx("I96"), tdx("I70.26"))
		c.Lines[0].Modifiers = []string{"LT", "RT", "QK", "80", "51"}
		c.Lines[0].Pointers = []string{"1", "", "9", "1"}
		c.Lines = append(c.Lines, tline("36200"), tline("0620T"), tline("37224"))
		c.TotalCharge = "1"
		return c
	}
	p := rulesPack(t, false)
	a, b := check(p, mk()), check(p, mk())
	if len(a) < 10 {
		t.Fatalf("expected many findings:%s", dump(a))
	}
	if dump(a) != dump(b) {
		t.Errorf("two runs differ:%s\nvs%s", dump(a), dump(b))
	}
}

func TestCheckParseFixed(t *testing.T) {
	for _, tc := range []struct {
		in    string
		scale int
		want  int64
		ok    bool
	}{
		{"1500", 2, 150000, true}, {"1500.5", 2, 150050, true}, {"0.10", 2, 10, true}, {".5", 2, 50, true},
		{"5.", 2, 500, true}, {"-5", 2, -500, true}, {"10.000", 2, 1000, true}, {"10.001", 2, 0, false},
		{"", 2, 0, false}, {"-", 2, 0, false}, {".", 2, 0, false}, {"1,5", 2, 0, false}, {"1e3", 2, 0, false},
		{"1.2.3", 2, 0, false}, {"+1", 2, 0, false}, {"99999999999999999999", 2, 0, false}, {"1.5", 3, 1500, true},
	} {
		got, ok := parseFixed(tc.in, tc.scale)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseFixed(%q, %d) = %d, %v; want %d, %v", tc.in, tc.scale, got, ok, tc.want, tc.ok)
		}
	}
}

func TestCheckParseServiceDate(t *testing.T) {
	for _, tc := range []struct {
		q, v string
		ok   bool
	}{
		{"D8", "20260115", true}, {"D8", "20240229", true}, {"D8", "20000229", true}, {"D8", "19000229", false},
		{"D8", "20261301", false}, {"D8", "20260100", false}, {"D8", "20260431", false}, {"D8", "18991231", false},
		{"D8", "2026-01-15", false}, {"RD8", "20260115-20260115", true}, {"RD8", "20260116-20260115", false},
		{"RD8", "20260115", false}, {"RD8", "20260115:20260116", false}, {"", "20260115", false},
	} {
		if _, ok := parseServiceDate(tc.q, tc.v); ok != tc.ok {
			t.Errorf("parseServiceDate(%q, %q) ok = %v, want %v", tc.q, tc.v, ok, tc.ok)
		}
	}
}

func BenchmarkCheckClaim(b *testing.B) {
	p := rulesPack(b, false)
	c := tclaim()
	c.Diagnoses = append(c.Diagnoses, tdx("E1152"), tdx("I10"))
	c.Lines[0].Pointers = []string{"1", "2", "3"}
	c.Lines = append(c.Lines, tline("36200"), tline("93922"))
	build(c)
	out := make([]finding.Finding, 0, 16)
	var memo dxMemo // as Scrub checks claims
	b.ReportAllocs()
	for b.Loop() {
		out = checkClaim(p, nil, &memo, c, out[:0])
	}
}

func BenchmarkCheckCleanClaim(b *testing.B) {
	p := rulesPack(b, false)
	c := build(tclaim())
	c.Diagnoses = append(c.Diagnoses, tdx("E1152"), tdx("I10"))
	c.Lines[0].Pointers = []string{"1", "2", "3"}
	c.Lines = append(c.Lines, tline("93922"))
	c.TotalCharge = "1600"
	out := make([]finding.Finding, 0, 16)
	var memo dxMemo // as Scrub checks claims
	b.ReportAllocs()
	for b.Loop() {
		out = checkClaim(p, nil, &memo, c, out[:0])
	}
	if len(out) != 0 {
		b.Fatal(dump(out))
	}
}
