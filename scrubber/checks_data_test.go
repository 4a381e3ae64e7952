package scrubber

import (
	"bytes"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/codedata"
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// Tests of the data-file rules (checks_data.go). The data is testdata/data,
// the golden run's folder (published layouts, synthetic rows: see its
// README): in January 2026 the PTP edits of v320r0 (0620T/36200 and
// 76937 indicator 0, 75710, 93925 and 99213 indicator 1, 37280 indicator 9,
// 37224 deleted 2025-12-31), the MUE 0620T = 1 with MAI 2, ICD-10-CM FY2026
// (I7024 a header), NUCC 26.0 (no 2080S0002X).

var (
	goldenDataOnce sync.Once
	goldenData     *codedata.Set
	goldenDataErr  error
)

// dataSet is testdata/data, loaded once for the pack's procedure.
func dataSet(t testing.TB) *codedata.Set {
	t.Helper()
	goldenDataOnce.Do(func() {
		goldenData, goldenDataErr = codedata.Load(filepath.Join("..", "testdata", "data"), codedata.Options{Procedures: []string{"0620T"}})
	})
	if goldenDataErr != nil {
		t.Fatal(goldenDataErr)
	}
	return goldenData
}

// loadData loads a data folder for 0620T.
func loadData(t testing.TB, dir string) *codedata.Set {
	t.Helper()
	s, err := codedata.Load(dir, codedata.Options{Procedures: []string{"0620T"}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// checkData checks c with the default pack and data d.
func checkData(t testing.TB, d *codedata.Set, c *claim.Claim) []finding.Finding {
	return checkClaim(rulesPack(t, false), d, nil, build(c), nil)
}

// withLine is tclaim with another line (dated like the target line).
func withLine(l claim.Line) *claim.Claim {
	c := tclaim()
	c.Lines = append(c.Lines, l)
	return c
}

func onDate(c *claim.Claim, date string) *claim.Claim {
	for i := range c.Lines {
		c.Lines[i].ServiceDate = date
	}
	return c
}

type dataCase struct {
	name  string
	claim func() *claim.Claim
	data  func(t testing.TB) *codedata.Set // nil: testdata/data
	// want are the rule IDs that must fire, sorted, with repeats; the data
	// rules and the pack rules they replace or keep
	want []string
	// text must appear in the message (or suggestion) of the first finding
	// of want[0], and not must not
	text, not []string
}

func (c dataCase) run(t *testing.T) {
	d := dataSet(t)
	if c.data != nil {
		d = c.data(t)
	}
	fs := checkData(t, d, c.claim())
	got := ruleIDs(fs)
	want := slices.Clone(c.want)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("rules %v, want %v:%s", got, want, dump(fs))
	}
	if len(c.text) == 0 && len(c.not) == 0 {
		return
	}
	f := ofRule(fs, c.want[0])[0]
	for _, s := range c.text {
		if !strings.Contains(f.Message+" => "+f.Suggestion, s) {
			t.Errorf("%q not in %s", s, dump([]finding.Finding{f}))
		}
	}
	for _, s := range c.not {
		if strings.Contains(f.Message+" => "+f.Suggestion, s) {
			t.Errorf("%q in %s", s, dump([]finding.Finding{f}))
		}
	}
}

func runDataCases(t *testing.T, cases []dataCase) {
	for _, c := range cases {
		t.Run(c.name, c.run)
	}
}

// The clean claim stays clean with data: every data lookup agrees.
func TestDataCleanClaim(t *testing.T) {
	if fs := checkData(t, dataSet(t), tclaim()); len(fs) > 0 {
		t.Fatalf("findings on the clean claim:%s", dump(fs))
	}
}

func TestDataNCCIPTP(t *testing.T) {
	runDataCases(t, []dataCase{
		{name: "indicator 0 replaces BUNDLE-INCLUDED",
			claim: func() *claim.Claim { return withLine(tline("36200")) },
			want:  []string{"NCCI-PTP"},
			text: []string{"36200 on line 2 is the column 2 code", "0620T on line 1 (column 1)", "modifier indicator 0",
				`"Misuse of Column Two code with Column One code"`, "CMS NCCI PTP v320r0, medicare-ncci-2026q1-practitioner-ptp-edits-ccipra-v320r0-f1.zip[ccipra-v320r0-f1.TXT]",
				"remove 36200 from line 2"}},
		{name: "twin: another date",
			claim: func() *claim.Claim { l := tline("36200"); l.ServiceDate = "20260116"; return withLine(l) }},
		{name: "twin: another practitioner",
			claim: func() *claim.Claim { l := tline("36200"); l.RenderingNPI = "1999999984"; return withLine(l) },
			want:  []string{"BUNDLE-INCLUDED"}},
		{name: "indicator 0 with 59: no bypass, and the pack's override gives way",
			claim: func() *claim.Claim { return withLine(tline("36200", "59")) },
			want:  []string{"NCCI-PTP"},
			text:  []string{"modifier indicator 0", "the rule pack would accept its 59", "the CMS edit decides"}},
		{name: "indicator 1 without a modifier",
			claim: func() *claim.Claim { return withLine(tline("75710")) },
			want:  []string{"NCCI-PTP"},
			text:  []string{"modifier indicator 1", "it carries none", "XS, XE, XP, XU or 59"}},
		{name: "indicator 1 bypassed by 59 replaces BUNDLE-OVERRIDE",
			claim: func() *claim.Claim { return withLine(tline("75710", "59")) },
			want:  []string{"NCCI-PTP-BYPASSED"},
			text:  []string{"carries 59 (distinct procedural service", "which bypasses the edit", "keep 59 on line 2 only if"}},
		{name: "indicator 1 bypassed by 79, which the pack does not accept",
			claim: func() *claim.Claim { return withLine(tline("75710", "79")) },
			want:  []string{"NCCI-PTP-BYPASSED"},
			text:  []string{"the rule pack does not accept 79", "(BUNDLE-INCLUDED), but CMS's edit does"}},
		{name: "indicator 1: LT against RT is another site",
			claim: func() *claim.Claim { return withLine(tline("75710", "LT")) },
			want:  []string{"NCCI-PTP-BYPASSED"},
			text:  []string{"carries LT (another site than line 1's RT), which bypasses the edit"},
			not:   []string{"the rule pack"}}, // the pack takes the other limb for a distinct service too
		{name: "indicator 1: RT against RT is the same site",
			claim: func() *claim.Claim { return withLine(tline("75710", "RT")) },
			want:  []string{"NCCI-PTP"},
			text:  []string{"its RT bypasses the edit only when line 1 is on a different site, and it is on the same site (RT)"}},
		{name: "indicator 1: LT against 50 is the same site",
			claim: func() *claim.Claim {
				c := withLine(tline("75710", "LT"))
				c.Lines[0].Modifiers = []string{"50"}
				c.Diagnoses = []claim.Diagnosis{{Qualifier: "ABK", Code: "I70263"}}
				return c
			},
			want: []string{"NCCI-PTP"},
			text: []string{"it is on the same site (50)"}},
		{name: "indicator 1 on a code the pack does not know, bypassed by 25",
			claim: func() *claim.Claim { return withLine(tline("99213", "25")) },
			want:  []string{"NCCI-PTP-BYPASSED"},
			text:  []string{"carries 25 (significant, separately identifiable E/M service"}},
		{name: "indicator 1 on a code the pack does not know",
			claim: func() *claim.Claim { return withLine(tline("93925")) },
			want:  []string{"NCCI-PTP"},
			text:  []string{`"Mutually exclusive procedures"`}},
		{name: "indicator 1 on a review code: the edit decides",
			claim: func() *claim.Claim {
				c := onDate(withLine(tline("37224", "LT")), "20251215")
				c.Lines[0].Modifiers = []string{"LT"}
				c.Diagnoses[0].Code = "I70244"
				return c
			},
			want: []string{"NCCI-PTP"},
			text: []string{"to 2025-12-31", "the rule pack only asks for a review of 37224 (BUNDLE-REVIEW)"}},
		// A code that does not exist on its date is not reviewed (RULES.md).
		{name: "twin: the edit deleted by the date",
			claim: func() *claim.Claim { return withLine(tline("37224", "LT")) },
			want:  []string{"CODE-NOT-VALID-ON-DOS"}},
		{name: "indicator 9 is no edit: the pack's review stands",
			claim: func() *claim.Claim { return withLine(tline("37280")) },
			want:  []string{"BUNDLE-REVIEW"}},
		{name: "no edit for the pair: the pack's review stands",
			claim: func() *claim.Claim { return withLine(tline("36475")) },
			want:  []string{"BUNDLE-REVIEW"}},
		{name: "after the newest quarter loaded: the pack applies",
			claim: func() *claim.Claim { return onDate(withLine(tline("36200")), "20260501") },
			want:  []string{"BUNDLE-INCLUDED"}},
		{name: "0620T in column 2 is the line denied",
			claim: func() *claim.Claim {
				c := onDate(withLine(tline("37225", "RT")), "20251215")
				c.Diagnoses = []claim.Diagnosis{{Qualifier: "ABK", Code: "I70221"}} // rest pain: no ulcer code this file lacks
				return c
			},
			data: func(t testing.TB) *codedata.Set { return loadData(t, filepath.Join("codedata", "testdata", "set")) },
			want: []string{"NCCI-PTP"},
			text: []string{"0620T on line 1 is the column 2 code of an NCCI procedure-to-procedure edit with 37225 on line 2 (column 1)", "the payer pays 37225 (line 2) and denies 0620T"}},
	})
}

// A void gets TAXONOMY-INVALID only: its lines are not billed again.
func TestDataVoid(t *testing.T) {
	c := withLine(tline("36200"))
	c.Lines[0].Units = "2"
	c.BillingTaxonomy = "2080S0002X"
	c.Diagnoses = append(c.Diagnoses, claim.Diagnosis{Qualifier: "ABF", Code: "I7024"})
	c.Frequency = "8"
	var got []string
	for _, f := range checkData(t, dataSet(t), c) {
		if id, _ := rules.Lookup(f.RuleID); id.Rule().Data != "" {
			got = append(got, f.RuleID)
		}
	}
	if !slices.Equal(got, []string{"TAXONOMY-INVALID"}) {
		t.Errorf("data rules on a void: %v", got)
	}
}

func TestDataNCCIFindingIsAboutColumn2Line(t *testing.T) {
	fs := checkData(t, dataSet(t), withLine(tline("36200")))
	if len(fs) != 1 || fs[0].LineNumber != 2 || fs[0].Procedure != "36200" || fs[0].SegmentNumber != 31 ||
		fs[0].Severity != finding.Error || fs[0].Source != "cms" {
		t.Errorf("finding:%s %+v", dump(fs), fs)
	}
	fs = checkData(t, dataSet(t), withLine(tline("75710", "59")))
	if len(fs) != 1 || fs[0].Severity != finding.Warning || fs[0].Source != "cms" {
		t.Errorf("bypassed:%s", dump(fs))
	}
}

// mueFolder is a data folder holding only the 2026 Q1 MUE table of
// testdata/data with the 0620T row replaced: the published layout, another
// value and indicator.
func mueFolder(t testing.TB, row string) *codedata.Set {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "data", "MCR_MUE_PractitionerServices_Eff_10-01-2025.csv"))
	if err != nil {
		t.Fatal(err)
	}
	old := []byte("0620T,1,2 Date of Service Edit: Policy,Code Descriptor / CPT Instruction")
	if !bytes.Contains(b, old) {
		t.Fatal("the fixture's 0620T row changed")
	}
	dir := t.TempDir()
	name := filepath.Join(dir, "MCR_MUE_PractitionerServices_Eff_01-01-2026.csv")
	if err := os.WriteFile(name, bytes.Replace(b, old, []byte(row), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	return loadData(t, dir)
}

func TestDataMUE(t *testing.T) {
	twoUnits := func() *claim.Claim { c := tclaim(); c.Lines[0].Units = "2"; return c }
	bothLegs := func() *claim.Claim {
		c := withLine(tline("0620T", "LT"))
		c.Lines[1].Charge = "1500"
		c.Diagnoses = append(c.Diagnoses, claim.Diagnosis{Qualifier: "ABK", Code: "I70244"}, claim.Diagnosis{Qualifier: "ABF", Code: ulcerLeft})
		c.Lines[1].Pointers = []string{"3"}
		return c
	}
	mai1 := func(t testing.TB) *codedata.Set { return mueFolder(t, "0620T,2,1 Line Edit,Anatomic Consideration") }
	runDataCases(t, []dataCase{
		{name: "MAI 2: 2 units on one line replaces LINE-UNITS",
			claim: twoUnits,
			want:  []string{"MUE-EXCEEDED"},
			text: []string{"0620T on line 1 is billed with 2 units on 2026-01-15, above CMS's medically unlikely edit for 0620T: at most 1 unit a day for the patient",
				"(MAI 2 Date of Service Edit: Policy; rationale \"Code Descriptor / CPT Instruction\";", "CMS MUE effective 2026-01-01, medicare-ncci-2026-q1-practitioner-services-mue-table.zip[MCR_MUE_PractitionerServices_Eff_01-01-2026.csv]",
				"no appeal pays more", "for both legs, bill one line with modifier 50 and 1 unit"}},
		{name: "twin: 1 unit", claim: tclaim},
		{name: "MAI 2: two lines on one day by the same practitioner",
			claim: bothLegs,
			want:  []string{"MUE-EXCEEDED"},
			text:  []string{"0620T on line 2 brings the units billed on 2026-01-15 by the same practitioner (NPI 1234567893) on this claim to 2 (with line 1)"}},
		{name: "twin: two lines by two practitioners",
			claim: func() *claim.Claim { c := bothLegs(); c.Lines[1].RenderingNPI = "1999999984"; return c }},
		{name: "twin: two lines on two days",
			claim: func() *claim.Claim { c := bothLegs(); c.Lines[1].ServiceDate = "20260116"; return c }},
		{name: "50 with 2 units: MUE-EXCEEDED says it, not MOD-50-UNITS too",
			claim: func() *claim.Claim {
				c := twoUnits()
				c.Lines[0].Modifiers = []string{"50"}
				c.Diagnoses[0].Code = "I70263"
				return c
			},
			want: []string{"MUE-EXCEEDED"},
			text: []string{"with 50 (bilateral) the procedure is billed as 1 unit"}},
		{name: "after the MUE file's quarter: the pack's max_units",
			claim: func() *claim.Claim { return onDate(twoUnits(), "20260501") },
			want:  []string{"LINE-UNITS"}},
		{name: "missing units stay LINE-UNITS",
			claim: func() *claim.Claim { c := tclaim(); c.Lines[0].Units = ""; return c },
			want:  []string{"LINE-UNITS"}},
		{name: "MAI 1 value 2: 3 units on a line",
			claim: func() *claim.Claim { c := tclaim(); c.Lines[0].Units = "3"; return c },
			data:  mai1,
			want:  []string{"MUE-EXCEEDED"},
			text:  []string{"at most 2 units a claim line (MAI 1 Line Edit", "the rule pack's max_units is 1: CMS's MUE for the date decides", "more units go on a separate line"}},
		{name: "twin: MAI 1 value 2, 2 units: above the pack's max_units, within the MUE",
			claim: func() *claim.Claim { c := tclaim(); c.Lines[0].Units = "2"; return c },
			data:  mai1},
		{name: "twin: MAI 1 is per line: two lines of 2 units each",
			claim: func() *claim.Claim {
				c := bothLegs()
				c.Lines[0].Units, c.Lines[1].Units = "2", "2"
				return c
			},
			data: mai1},
		{name: "MAI 3",
			claim: twoUnits,
			data: func(t testing.TB) *codedata.Set {
				return mueFolder(t, "0620T,1,3 Date of Service Edit: Clinical,Clinical: Data")
			},
			want: []string{"MUE-EXCEEDED"},
			text: []string{"on appeal with records"}},
	})
}

// MUE-EXCEEDED across claims: the patient's 0620T lines of one day by one
// practitioner on several claims are summed (MAI 2).
func TestDataMUEAcrossClaims(t *testing.T) {
	p, d := rulesPack(t, false), dataSet(t)
	run := func(claims ...*claim.Claim) []finding.Finding {
		st := newCrossStore("")
		st.data = d
		addClaims(st, p, claims)
		fs, err := allFindings(st, p)
		if err != nil {
			t.Fatal(err)
		}
		return ofRule(fs, "MUE-EXCEEDED")
	}
	left := func() claim.Line { return tline("0620T", "LT") }
	a, b := xclaim(0, 1000, "A"), xclaim(0, 5000, "B", left())
	fs := run(a, b)
	if len(fs) != 1 || fs[0].ClaimID != "B" || fs[0].Source != "cms" || fs[0].Severity != finding.Error ||
		!strings.Contains(fs[0].Message, "0620T on line 1 is billed for the patient on 2026-01-15 by the same practitioner (NPI 1234567893) as on claim A line 1 in file file0.837: 2 units that day in all") {
		t.Errorf("A then B:%s", dump(fs))
	}
	// The order the claims were indexed in does not matter; the later
	// claim in input order is reported.
	if fs := run(xclaim(1, 1000, "B", left()), xclaim(0, 1000, "A")); len(fs) != 1 || fs[0].ClaimID != "B" {
		t.Errorf("across files:%s", dump(fs))
	}
	// A claim that is over the limit alone is the per-claim rule's: the
	// other claim's line is reported here, the over-limit claim's lines not
	// again.
	two := xclaim(0, 5000, "TWO", left())
	two.Lines[0].Units = "2"
	if fs := run(xclaim(0, 1000, "A"), two); len(fs) != 0 {
		t.Errorf("claim over the limit alone, after A:%s", dump(fs))
	}
	if fs := run(two, xclaim(0, 9000, "C")); len(fs) != 1 || fs[0].ClaimID != "C" {
		t.Errorf("claim after one over the limit:%s", dump(fs))
	}
	// Twins: another practitioner, another patient, another day.
	other := xclaim(0, 5000, "B", left())
	other.RenderingNPI = "1999999984"
	if fs := run(xclaim(0, 1000, "A"), other); len(fs) != 0 {
		t.Errorf("two practitioners:%s", dump(fs))
	}
	other = xclaim(0, 5000, "B", left())
	other.MemberID = "W00000002"
	if fs := run(xclaim(0, 1000, "A"), other); len(fs) != 0 {
		t.Errorf("two patients:%s", dump(fs))
	}
	if fs := run(xclaim(0, 1000, "A"), xclaim(0, 5000, "B", dated(left(), "20260116"))); len(fs) != 0 {
		t.Errorf("two days:%s", dump(fs))
	}
	// Without data, nothing.
	st := newCrossStore("")
	addClaims(st, p, []*claim.Claim{xclaim(0, 1000, "A"), xclaim(0, 5000, "B", left())})
	if fs, _ := allFindings(st, p); len(ofRule(fs, "MUE-EXCEEDED")) != 0 {
		t.Errorf("without data:%s", dump(fs))
	}
}

func TestDataDxCodeNotBillable(t *testing.T) {
	dx := func(codes ...string) func() *claim.Claim {
		return func() *claim.Claim {
			c := tclaim()
			for _, code := range codes {
				c.Diagnoses = append(c.Diagnoses, claim.Diagnosis{Qualifier: "ABF", Code: code})
			}
			return c
		}
	}
	pointed := func(code string) func() *claim.Claim {
		return func() *claim.Claim {
			c := tclaim()
			c.Diagnoses = []claim.Diagnosis{{Qualifier: "ABK", Code: code}, {Qualifier: "ABF", Code: ulcerLeft}}
			c.Lines[0].Modifiers = []string{"LT"}
			return c
		}
	}
	runDataCases(t, []dataCase{
		{name: "a header replaces DX-CODE-INCOMPLETE",
			claim: pointed("I7024"),
			want:  []string{"DX-CODE-NOT-BILLABLE"},
			text: []string{"diagnosis I7024 (ABK, position 1) is a category header in ICD-10-CM FY2026, not a billable code",
				`"Atherosclerosis of native arteries of left leg with ulceration"`,
				"(icd10cm-Code Descriptions-2026.zip[icd10cm-code-descriptions-2026/icd10cm-order-2026.txt])",
				"the billable codes under it in FY2026 are I70241, I70242, I70243, I70244, I70245, I70248, I70249"}},
		{name: "twin: its billable code", claim: pointed("I70244")},
		{name: "a code not in the year's file, not pointed",
			claim: dx("Z9999"),
			want:  []string{"DX-CODE-NOT-BILLABLE"},
			text:  []string{"diagnosis Z9999 (ABF, position 3) is not an ICD-10-CM code in FY2026"}},
		{name: "a malformed code: the file decides, not the pack's shape check",
			claim: dx("1234"),
			want:  []string{"DX-CODE-NOT-BILLABLE"},
			text:  []string{"it is not shaped like one either"}},
		{name: "a point stays DX-CODE-INVALID",
			claim: dx("I70.244"),
			want:  []string{"DX-CODE-INVALID"}},
		{name: "ICD-9 stays DX-CODE-INVALID",
			claim: func() *claim.Claim {
				c := dx()()
				c.Diagnoses = append(c.Diagnoses, claim.Diagnosis{Qualifier: "BF", Code: "44022"})
				return c
			},
			want: []string{"DX-CODE-INVALID"}},
		{name: "a fiscal year without a file: the pack's min_length",
			claim: func() *claim.Claim { return onDate(pointed("I7024")(), "20250915") },
			want:  []string{"DX-CODE-INCOMPLETE"}},
	})
}

func TestDataTaxonomyInvalid(t *testing.T) {
	runDataCases(t, []dataCase{
		{name: "billing provider's code that NUCC does not have, though the pack lists it",
			claim: func() *claim.Claim { c := tclaim(); c.BillingTaxonomy = "2080S0002X"; return c },
			want:  []string{"TAXONOMY-INVALID"},
			text: []string{"taxonomy 2080S0002X of the billing provider (2000A PRV*BI) is not a NUCC health care provider taxonomy code (NUCC 26.0)",
				"the rule pack lists it for 0620T", "for 0620T the rule pack lists 2086S0129X (Vascular Surgery Physician), 207RI0011X (Interventional Cardiology Physician) and 10 more"}},
		{name: "twin: a NUCC code",
			claim: func() *claim.Claim { c := tclaim(); c.BillingTaxonomy = "207RI0011X"; return c }},
		{name: "a line's code neither NUCC nor the pack has: once, from the file",
			claim: func() *claim.Claim { c := tclaim(); c.Lines[0].RenderingTaxonomy = "207Q0000ZX"; return c },
			want:  []string{"TAXONOMY-INVALID"},
			text:  []string{"taxonomy 207Q0000ZX of the rendering provider of line 1 (2420A PRV*PE)"}},
		{name: "a NUCC code the pack does not list: LINE-TAXONOMY-ATYPICAL names its specialty",
			claim: func() *claim.Claim { c := tclaim(); c.Lines[0].RenderingTaxonomy = "207Q00000X"; return c },
			want:  []string{"LINE-TAXONOMY-ATYPICAL"},
			text:  []string{"taxonomy 207Q00000X (Family Medicine Physician) of the line rendering provider"}},
	})
}

// With data every data rule fires on its case, and every finding is the
// catalogue's severity with the publisher as source.
func TestDataRulesSeverityAndSource(t *testing.T) {
	c := withLine(tline("36200"))
	c.Lines[0].Units = "2"
	c.BillingTaxonomy = "2080S0002X"
	c.Diagnoses = append(c.Diagnoses, claim.Diagnosis{Qualifier: "ABF", Code: "I7024"})
	fs := checkData(t, dataSet(t), c)
	seen := map[string]bool{}
	for _, f := range fs {
		id, _ := rules.Lookup(f.RuleID)
		r := id.Rule()
		if r.Data == "" {
			t.Errorf("pack rule %s fired:%s", f.RuleID, dump(fs))
			continue
		}
		seen[f.RuleID] = true
		if f.Severity != r.Severity || f.Source != r.Data {
			t.Errorf("%s: %v %s", f.RuleID, f.Severity, f.Source)
		}
	}
	if len(seen) != 4 {
		t.Errorf("rules %v:%s", seen, dump(fs))
	}
}

// cleanBenchClaim is BenchmarkCheckCleanClaim's claim: clean with and
// without data.
func cleanBenchClaim() *claim.Claim {
	c := build(tclaim())
	c.Diagnoses = append(c.Diagnoses, tdx("E1152"), tdx("I10"))
	c.Lines[0].Pointers = []string{"1", "2", "3"}
	c.Lines = append(c.Lines, tline("93922"))
	c.TotalCharge = "1600"
	return build(c)
}

// The data lookups of a clean claim allocate nothing: checking it costs
// the same allocations with data as without.
func TestDataCleanClaimAllocations(t *testing.T) {
	p, d, c := rulesPack(t, false), dataSet(t), cleanBenchClaim()
	out := make([]finding.Finding, 0, 16)
	var memo dxMemo
	allocs := func(d *codedata.Set) float64 {
		return testing.AllocsPerRun(200, func() { out = checkClaim(p, d, &memo, c, out[:0]) })
	}
	without, with := allocs(nil), allocs(d)
	if len(out) != 0 {
		t.Fatal(dump(out))
	}
	if with != without {
		t.Errorf("a clean claim costs %v allocations with data, %v without", with, without)
	}
}

func BenchmarkCheckCleanClaimData(b *testing.B) {
	p, d, c := rulesPack(b, false), dataSet(b), cleanBenchClaim()
	out := make([]finding.Finding, 0, 16)
	var memo dxMemo
	b.ReportAllocs()
	for b.Loop() {
		out = checkClaim(p, d, &memo, c, out[:0])
	}
	if len(out) != 0 {
		b.Fatal(dump(out))
	}
}

// MUE-EXCEEDED across claims is the same whether the cross-claim index is
// kept in memory or spilled to disk (and its partitions split), whatever
// order the files are scrubbed in.
func TestDataMUESpilled(t *testing.T) {
	p, d := testPack(t), dataSet(t)
	data := spillDrop(4, 100, 11)
	want := spillRun(t, New(p, Options{Data: d}), data, []int{0, 1, 2, 3}, nil)
	if n := strings.Count(want, "RuleID:MUE-EXCEEDED ") - strings.Count(want, "on this claim to"); n < 20 {
		t.Fatalf("only %d MUE-EXCEEDED findings across claims: the drop does not exercise the rule", n)
	} else {
		t.Logf("%d MUE-EXCEEDED findings across claims", n)
	}
	r := rand.New(rand.NewSource(2))
	for run, loadMax := range []int{0, 200} {
		s := New(p, Options{Data: d, TempDir: t.TempDir()})
		s.cross.limit = 1
		if loadMax > 0 {
			s.cross.loadMax = loadMax
		}
		order := r.Perm(len(data))
		if got := spillRun(t, s, data, order, func() { assertSpilled(t, s.cross.parts) }); got != want {
			t.Fatalf("run %d (order %v): spilled findings differ:\n%s\nwant:\n%s", run, order, got, want)
		}
	}
}
