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
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/scrubber/rules"
	"github.com/scrub837/scrub837/x12io"
)

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
// diagnosis, in a hospital outpatient setting, by a vascular surgeon. No
// rule fires on it. Tests change it, then call build.
func tclaim() *claim.Claim {
	l := tline("0620T", "RT")
	l.Charge = "1500"
	return &claim.Claim{
		File: "unit.837", Envelope: x12io.Envelope{ISAControl: "000000001", GSControl: "1", STControl: "0001"},
		BillingTaxonomy: "2086S0129X", BillingNPI: "1234567893", MemberID: "W00000001",
		PayerName: "AETNA", PayerID: "60054", PayerGroup: "Aetna",
		ID: "C1", PlaceOfService: "22",
		Diagnoses: []claim.Diagnosis{{Qualifier: "ABK", Code: "I70234"}},
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
			text: []string{"no diagnosis pointer", "set SV107 to 1 (I70234)"}},
		{name: "pointer 1", edit: func(c *claim.Claim) {}, want: 0},
	},
	rules.DxPointerInvalid: {
		{name: "empty between", edit: func(c *claim.Claim) {
			c.Diagnoses = append(c.Diagnoses, tdx("E1151"))
			c.Lines[0].Pointers = []string{"1", "", "2"}
		}, want: 1, sev: finding.Error, seg: 21, text: []string{"pointer 2", "is empty", "1::2", "set SV107 to 1:2"}},
		{name: "leading empty", edit: func(c *claim.Claim) { c.Lines[0].Pointers = []string{"", "1"} }, want: 1},
		{name: "13", edit: func(c *claim.Claim) { c.Lines[0].Pointers = []string{"1", "13"} }, want: 1, text: []string{`pointer "13"`, "not a number from 1 to 12"}},
		{name: "0", edit: func(c *claim.Claim) { c.Lines[0].Pointers = []string{"0"} }, want: 1, text: []string{"set SV107 to 1 (I70234)"}},
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
		{name: "3 of 2", edit: func(c *claim.Claim) {
			c.Diagnoses = append(c.Diagnoses, tdx("E1151"))
			c.Lines[0].Pointers = []string{"1", "3"}
		}, want: 1, sev: finding.Error, seg: 21, text: []string{"names diagnosis 3", "only 2 diagnoses", "set SV107 to 1, or add"}},
		{name: "12 of 1", edit: func(c *claim.Claim) { c.Lines[0].Pointers = []string{"12"} }, want: 1},
		{name: "2 of 2", edit: func(c *claim.Claim) {
			c.Diagnoses = append(c.Diagnoses, tdx("E1151"))
			c.Lines[0].Pointers = []string{"1", "2"}
		}, want: 0},
	},
	rules.DxPointerDuplicate: {
		{name: "1:1", edit: func(c *claim.Claim) { c.Lines[0].Pointers = []string{"1", "1"} }, want: 1, sev: finding.Warning, seg: 21,
			text: []string{"pointer 1 appears more than once", "set SV107 to 1"}},
		{name: "1:01:1 once", edit: func(c *claim.Claim) { c.Lines[0].Pointers = []string{"1", "01", "1"} }, want: 1},
		{name: "1:2", edit: func(c *claim.Claim) {
			c.Diagnoses = append(c.Diagnoses, tdx("E1151"))
			c.Lines[0].Pointers = []string{"1", "2"}
		}, want: 0},
	},
	rules.DxNotSupporting: {
		{name: "points to I10, I70234 at 2", edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I10"), tdx("E785"), tdx("I70234")}
			c.Lines[0].Pointers = []string{"1", "2"}
		}, want: 1, sev: finding.Error, source: "seed", seg: 21, text: []string{"I10 (pointer 1), E785 (pointer 2)", "point SV107 to 3 (I70234)"}},
		{name: "nothing supporting on the claim", edit: func(c *claim.Claim) { c.Diagnoses = []claim.Diagnosis{tdx("I10")} },
			want: 1, text: []string{"add the diagnosis that supports 0620T to HI (one of I70.23", "E11.52"}},
		{name: "E11.52 supports (codeset)", edit: func(c *claim.Claim) { c.Diagnoses = []claim.Diagnosis{tdx("E1152")} }, want: 0},
		{name: "points to I70234", edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I10"), tdx("E785"), tdx("I70234")}
			c.Lines[0].Pointers = []string{"3"}
		}, want: 0},
		{name: "only dangling pointers", edit: func(c *claim.Claim) { c.Lines[0].Pointers = []string{"5"} }, want: 0, also: []rules.ID{rules.DxPointerDangling}},
	},
	rules.DxPrimaryNotSupporting: {
		{name: "I10 first", edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I10"), tdx("I70234")}
			c.Lines[0].Pointers = []string{"1", "2"}
		}, want: 1, sev: finding.Warning, source: "seed", seg: 21, text: []string{"first diagnosis pointer", "names I10", "SV107 2:1"}},
		{name: "supporting via codeset E11.52", edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I10"), tdx("E1152")}
			c.Lines[0].Pointers = []string{"1", "2"}
		}, want: 1, source: "codeset"},
		{name: "supporting via E11.52 and seed I70234", edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I10"), tdx("E1152"), tdx("I70234")}
			c.Lines[0].Pointers = []string{"1", "2", "3"}
		}, want: 1, source: "seed", text: []string{"E1152 (pointer 2) does", "SV107 2:1:3"}},
		{name: "I70234 first", edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I10"), tdx("I70234")}
			c.Lines[0].Pointers = []string{"2", "1"}
		}, want: 0},
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
		{name: "ICD-9 in 2015-09", edit: func(c *claim.Claim) {
			c.Diagnoses = append(c.Diagnoses, claim.Diagnosis{Qualifier: "BF", Code: "44023"})
			c.Lines[0].ServiceDate = "20150930"
		}, want: 0},
		{name: "M1A (letter third)", edit: func(c *claim.Claim) { c.Diagnoses = append(c.Diagnoses, tdx("M1A0710")) }, want: 0},
		{name: "E11.9 seven-character forms", edit: func(c *claim.Claim) { c.Diagnoses = append(c.Diagnoses, tdx("E119"), tdx("S91301A")) }, want: 0},
	},
	rules.DxCodeIncomplete: {
		{name: "I7023 header", edit: func(c *claim.Claim) { c.Diagnoses[0].Code = "I7023" }, want: 1, sev: finding.Error, source: "codeset", line: 1, seg: 11,
			text: []string{"I7023", "category header", "needs 6 characters, it has 5",
				"seed: atherosclerosis of native arteries of the right leg with rest pain; ICD-10-CM: atherosclerosis of native arteries of right leg with ulceration"}},
		{name: "not pointed", edit: func(c *claim.Claim) { c.Diagnoses = append(c.Diagnoses, tdx("I7023")) }, want: 0},
		{name: "I70234", edit: func(c *claim.Claim) {}, want: 0},
		{name: "I70.25 complete at 5", edit: func(c *claim.Claim) {
			c.Diagnoses = []claim.Diagnosis{tdx("I70234"), tdx("I7025")}
			c.Lines[0].Pointers = []string{"1", "2"}
		}, want: 0},
	},
	rules.DxExcludes1: {
		{name: "I96 with I70.26", edit: func(c *claim.Claim) { c.Diagnoses = []claim.Diagnosis{tdx("I70261"), tdx("I96")} }, want: 1, sev: finding.Error, source: "codeset", line: -1, seg: 11,
			text: []string{"I70261 (position 1) and I96 (position 2)", "Excludes1"}},
		{name: "I96 with I70.23", edit: func(c *claim.Claim) { c.Diagnoses = []claim.Diagnosis{tdx("I70234"), tdx("I96")} }, want: 0},
	},
	rules.DxLateralityConflict: {
		{name: "LT with right I70234", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"LT"} }, want: 1, sev: finding.Error, source: "seed", seg: 21,
			text: []string{"left leg (LT)", "I70234 (right", "change LT to RT"}},
		{name: "RT with left I70312 (codeset 6th character)", edit: func(c *claim.Claim) { c.Diagnoses[0].Code = "I70312" }, want: 1, source: "codeset",
			text: []string{"I70312 (left; I70.31: seed: atherosclerosis of native arteries of the right leg with ulceration; ICD-10-CM: atherosclerosis of unspecified type of bypass graft"}},
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
			c.Diagnoses = append(c.Diagnoses, tdx("I70244"))
			c.Lines[0].Pointers = []string{"1", "2"}
			c.Lines[0].Modifiers = []string{"LT"}
		}, want: 0},
		{name: "50 with right and left", edit: func(c *claim.Claim) {
			c.Diagnoses = append(c.Diagnoses, tdx("I70244"))
			c.Lines[0].Pointers = []string{"1", "2"}
			c.Lines[0].Modifiers = []string{"50"}
		}, want: 0},
		{name: "LT with bilateral I70313", edit: func(c *claim.Claim) {
			c.Diagnoses[0].Code = "I70313"
			c.Lines[0].Modifiers = []string{"LT"}
		}, want: 0},
		{name: "LT with unsided I96", edit: func(c *claim.Claim) {
			c.Diagnoses[0].Code = "I96"
			c.Lines[0].Modifiers = []string{"LT"}
		}, want: 0},
		{name: "right pointed, left not pointed", edit: func(c *claim.Claim) {
			c.Diagnoses = append(c.Diagnoses, tdx("I70244"))
			c.Lines[0].Modifiers = []string{"LT"}
		}, want: 1},
	},
	rules.ModUnlisted: {
		{name: "80", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "80"} }, want: 1, sev: finding.Warning, source: "seed", seg: 21,
			text: []string{"modifier 80", "not one the rule pack lists for 0620T"}},
		{name: "80 twice: once", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "80", "80"} }, want: 1, also: []rules.ID{rules.ModDuplicate}},
		{name: "80 and AS", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "80", "AS"} }, want: 2},
		{name: "22", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "22"} }, want: 0},
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
			text: []string{"no laterality modifier", "add RT (the diagnoses are right-sided)"}},
		{name: "22 only, unsided diagnosis", edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"22"}
			c.Diagnoses[0].Code = "I96"
		}, want: 1, text: []string{"add LT or RT (or 50 for both legs)"}},
		{name: "RT", edit: func(c *claim.Claim) {}, want: 0},
		{name: "50", edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"50"}
			c.Diagnoses = append(c.Diagnoses, tdx("I70244"))
			c.Lines[0].Pointers = []string{"1", "2"}
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
			c.Diagnoses = append(c.Diagnoses, tdx("I70244"))
			c.Lines[0].Pointers = []string{"1", "2"}
		}, want: 1, sev: finding.Warning, source: "seed", seg: 21, also: []rules.ID{rules.LineUnits}, text: []string{"with 2 units", "set SV104 to 1"}},
		{name: "50 x1.0", edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"50"}
			c.Lines[0].Units = "1.0"
			c.Diagnoses = append(c.Diagnoses, tdx("I70244"))
			c.Lines[0].Pointers = []string{"1", "2"}
		}, want: 0},
		{name: "RT x2 is LINE-UNITS only", edit: func(c *claim.Claim) { c.Lines[0].Units = "2" }, want: 0, also: []rules.ID{rules.LineUnits}},
	},
	rules.ModAnesthesia: {
		{name: "QK", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "QK"} }, want: 1, sev: finding.Warning, source: "codeset", seg: 21,
			text: []string{"modifier QK", "seed: medical direction of two, three, or four assistants; CMS: medical direction of two, three, or four concurrent anesthesia procedures", "remove QK"}},
		{name: "QZ (not listed either)", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "QZ"} }, want: 1, also: []rules.ID{rules.ModUnlisted}},
		{name: "QK seed-only (codeset rule dropped)", seed: true, edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = []string{"LT", "QK"}
			c.Diagnoses[0].Code = "I70244"
		}, want: 0},
		{name: "62", edit: func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT", "62"} }, want: 0},
	},
	rules.BundleIncluded: {
		{name: "36200 same date", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("36200")) }, want: 1, sev: finding.Error, source: "seed", line: 2, seg: 31,
			text: []string{"36200 on line 2", "0620T on line 1, same date 2026-01-15", "remove 36200: included in 0620T"}},
		{name: "76937 same date (codeset)", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("76937")) }, want: 1, source: "codeset"},
		{name: "76140: seed and CPT descriptions", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("76140")) }, want: 1, source: "seed",
			text: []string{"seed: radiologic supervision and interpretation of peripheral intravascular ultrasound (IVUS); CPT: consultation on X-ray examination made elsewhere"}},
		{name: "36200 and 75710, two target lines: one finding each", edit: func(c *claim.Claim) {
			c.Lines = append(c.Lines, tline("0620T", "LT"), tline("36200"), tline("75710"))
			c.Diagnoses = append(c.Diagnoses, tdx("I70244"))
			c.Lines[1].Pointers = []string{"2"}
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
	},
	rules.BundleOverride: {
		{name: "36200-XS (codeset: the override modifiers)", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("36200", "XS")) }, want: 1, sev: finding.Warning, source: "codeset", line: 2, seg: 31,
			text: []string{"carries XS", "documents a separate service"}},
		{name: "75710-59", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("75710", "59")) }, want: 1},
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
			text: []string{`the rule pack says: "May be performed for concomitant tibial/peroneal`, "CPT: revascularization, endovascular, open or percutaneous, femoral, popliteal"}},
		{name: "37280 same date in 2026 (codeset)", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("37280")) }, want: 1, source: "codeset"},
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
		{name: "37224 on the 0620T date in 2026: also review", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("37224")) }, want: 1, also: []rules.ID{rules.BundleReview}},
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
			text: []string{"0620T on line 2 (RT, 2026-01-15) repeats line 1 (RT, 2026-01-15)", "remove line 2"}},
		{name: "RT and no side", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("0620T")) }, want: 1, line: 2, also: []rules.ID{rules.ModLateralityMissing}},
		{name: "no side twice", edit: func(c *claim.Claim) {
			c.Lines[0].Modifiers = nil
			c.Lines = append(c.Lines, tline("0620T"))
		}, want: 1, also: []rules.ID{rules.ModLateralityMissing, rules.ModLateralityMissing}},
		{name: "50 and LT", edit: func(c *claim.Claim) {
			c.Diagnoses = append(c.Diagnoses, tdx("I70244"))
			c.Lines[0].Modifiers = []string{"50"}
			c.Lines[0].Pointers = []string{"1", "2"}
			c.Lines = append(c.Lines, tline("0620T", "LT"))
			c.Lines[1].Pointers = []string{"2"}
		}, want: 1},
		{name: "three RT: two findings", edit: func(c *claim.Claim) { c.Lines = append(c.Lines, tline("0620T", "RT"), tline("0620T", "RT")) }, want: 2},
		{name: "RT and LT", edit: func(c *claim.Claim) {
			c.Diagnoses = append(c.Diagnoses, tdx("I70244"))
			c.Lines = append(c.Lines, tline("0620T", "LT"))
			c.Lines[1].Pointers = []string{"2"}
		}, want: 0},
		{name: "RT on two dates", edit: func(c *claim.Claim) {
			o := tline("0620T", "RT")
			o.ServiceDate = "20260301"
			c.Lines = append(c.Lines, o)
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
		{name: "missing", edit: func(c *claim.Claim) { c.Lines[0].Units = "" }, want: 1, sev: finding.Warning, source: "seed", seg: 21, text: []string{"no units", "set SV104 to 1"}},
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
