package reports

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/scrub837/scrub837/scrubber/finding"
)

// TestClaimStatusOf covers every worst severity, void or not, under both
// --hold-on levels.
func TestClaimStatusOf(t *testing.T) {
	const none = finding.Severity(0)
	type c struct {
		worst  finding.Severity
		freq   string
		holdOn finding.Severity
		want   Status
	}
	cases := []c{
		// --hold-on error (also the default, 0)
		{none, "1", finding.Error, StatusReady},
		{finding.Info, "1", finding.Error, StatusReady},
		{finding.Warning, "1", finding.Error, StatusReview},
		{finding.Error, "1", finding.Error, StatusHeld},
		{finding.Warning, "7", 0, StatusReview},
		{finding.Error, "7", 0, StatusHeld},
		{none, "", 0, StatusReady},
		// --hold-on warning: no review
		{none, "1", finding.Warning, StatusReady},
		{finding.Info, "1", finding.Warning, StatusReady},
		{finding.Warning, "1", finding.Warning, StatusHeld},
		{finding.Error, "1", finding.Warning, StatusHeld},
		// voids: void unless an error, whatever --hold-on
		{none, "8", finding.Error, StatusVoid},
		{finding.Info, "8", finding.Error, StatusVoid},
		{finding.Warning, "8", finding.Error, StatusVoid},
		{finding.Warning, "8", finding.Warning, StatusVoid},
		{finding.Error, "8", finding.Error, StatusHeld},
		{finding.Error, "8", finding.Warning, StatusHeld},
		// "08" or " 8" is not CLM05-3 = 8 (the scrubber hands it as billed)
		{none, "08", finding.Error, StatusReady},
	}
	for _, tc := range cases {
		if got := ClaimStatusOf(tc.worst, tc.freq, tc.holdOn); got != tc.want {
			t.Errorf("ClaimStatusOf(%v, %q, %v) = %v, want %v", tc.worst, tc.freq, tc.holdOn, got, tc.want)
		}
	}
	for s, name := range map[Status]string{StatusHeld: "held", StatusReview: "review", StatusVoid: "void", StatusReady: "ready", 0: "unknown"} {
		if s.String() != name {
			t.Errorf("Status(%d) = %q", s, s.String())
		}
	}
}

// worklistReport has two files: a file-level finding, target claims with
// findings in their bytes, a finding in a shared billing loop before two
// claims (one of them not a target claim), a claim that is not a target
// claim between two that are, a clean claim, a void, and a last file with
// no target claim.
func worklistReport() *Report {
	fd := func(file int, claim, at int64, rule string, sev finding.Severity, msg, sug string) finding.Finding {
		name := []string{"a.837", "b.837", "c.837"}[file]
		id := ""
		if claim != 0 {
			id = "CLM" + strings.Repeat("0", 3) + string(rune('0'+claim/1000))
		}
		return finding.Finding{FileIndex: file, ClaimOffset: claim, File: name, ClaimID: id, ByteOffset: at,
			RuleID: rule, Severity: sev, Message: msg, Suggestion: sug}
	}
	claim := func(file int, at int64, id, freq, charge string) finding.ClaimSummary {
		return finding.ClaimSummary{FileIndex: file, File: []string{"a.837", "b.837", "c.837"}[file], ClaimOffset: at, ClaimID: id,
			Frequency: freq, TotalCharge: charge, PayerGroup: "Aetna", TargetLines: 1, MemberID: "W123456789"}
	}
	return &Report{
		Run: Run{ID: "wl"},
		Findings: []finding.Finding{
			fd(0, 0, 0, "X12-ENVELOPE", finding.Warning, "file-level", "resend"),
			// Shared 2000A at byte 500: findings for claims 1000 (target),
			// 2000 (not a target claim) and 3000 (target).
			fd(0, 1000, 500, "LINE-TAXONOMY-ATYPICAL", finding.Info, "taxonomy 1000", "check taxonomy"),
			fd(0, 2000, 500, "LINE-TAXONOMY-ATYPICAL", finding.Info, "taxonomy 2000", "check taxonomy"),
			fd(0, 3000, 500, "LINE-TAXONOMY-ATYPICAL", finding.Warning, "taxonomy 3000", "check taxonomy"),
			fd(0, 1000, 1010, "MOD-LATERALITY-MISSING", finding.Error, "no side", "add RT or LT"),
			fd(0, 1000, 1010, "Z-RULE", finding.Error, "second error", "second fix"),
			fd(0, 1000, 1020, "DX-NOT-SUPPORTING", finding.Warning, "weak dx", "point at a dx"),
			fd(0, 2000, 2010, "LINE-UNITS", finding.Error, "not a target claim", "ignore"),
			fd(0, 3000, 3010, "DX-NOT-SUPPORTING", finding.Warning, "weak dx 3000", "point at a dx"),
			// claim 4000 is clean; 5000 is a void with a warning
			fd(0, 5000, 5010, "DX-NOT-SUPPORTING", finding.Warning, "void warn", "nothing"),
			fd(0, 0, 9000, "X12-SE-COUNT", finding.Error, "SE count", "recount"),
			fd(1, 1000, 1010, "LINE-UNITS", finding.Error, "units", "bill 1 unit"),
			fd(2, 0, 0, "X12-NOT-837P", finding.Info, "not 837P", ""),
		},
		Claims: ClaimSlice{
			claim(0, 1000, "CLM0001", "1", "1250.00"),
			claim(0, 3000, "CLM0003", "1", "100"),
			claim(0, 4000, "CLM0004", "1", "99.99"),
			claim(0, 5000, "CLM0005", "8", "50"),
			claim(1, 1000, "CLM1001", "7", "=1+2"),
		},
	}
}

type rowView struct {
	ID                      string
	Status                  Status
	Worst                   finding.Severity
	Errors, Warnings, Infos int
	Rules                   string
	Fix, Problem            string
}

func claimRows(t *testing.T, r *Report) []rowView {
	t.Helper()
	var out []rowView
	err := r.EachClaim(func(c *ClaimRow) error {
		out = append(out, rowView{c.ClaimID, c.Status, c.Worst, c.Errors, c.Warnings, c.Infos, strings.Join(c.Rules, "|"), c.FirstFix, c.FirstProblem})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestEachClaim(t *testing.T) {
	got := claimRows(t, worklistReport())
	want := []rowView{
		{"CLM0001", StatusHeld, finding.Error, 2, 1, 1, "MOD-LATERALITY-MISSING|Z-RULE|DX-NOT-SUPPORTING|LINE-TAXONOMY-ATYPICAL", "add RT or LT", "no side"},
		{"CLM0003", StatusReview, finding.Warning, 0, 2, 0, "DX-NOT-SUPPORTING|LINE-TAXONOMY-ATYPICAL", "check taxonomy", "taxonomy 3000"},
		{"CLM0004", StatusReady, 0, 0, 0, 0, "", "", ""},
		{"CLM0005", StatusVoid, finding.Warning, 0, 1, 0, "DX-NOT-SUPPORTING", "nothing", "void warn"},
		{"CLM1001", StatusHeld, finding.Error, 1, 0, 0, "LINE-UNITS", "bill 1 unit", "units"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows:\n%+v\nwant\n%+v", got, want)
	}

	// --hold-on warning holds the claim with warnings only; the void stays void.
	r := worklistReport()
	r.HoldOn = finding.Warning
	got = claimRows(t, r)
	if got[1].Status != StatusHeld || got[3].Status != StatusVoid || got[2].Status != StatusReady {
		t.Errorf("--hold-on warning: %v %v %v", got[1].Status, got[2].Status, got[3].Status)
	}
}

// The merge sees every finding once, in report order, in its place.
func TestMergePlaces(t *testing.T) {
	r := worklistReport()
	var got []string
	err := r.mergeClaims(mergeHooks{
		finding: func(f *finding.Finding, place findingPlace, key claimKey) error {
			got = append(got, []string{"claim", "early", "other"}[place]+":"+f.Message)
			return nil
		},
		row: func(c *ClaimRow) error {
			got = append(got, "row:"+c.ClaimID)
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"other:file-level", "claim:taxonomy 1000", "early:taxonomy 2000", "early:taxonomy 3000",
		"claim:no side", "claim:second error", "claim:weak dx",
		"other:not a target claim", "row:CLM0001",
		"claim:weak dx 3000", "row:CLM0003",
		"row:CLM0004",
		"claim:void warn", "other:SE count", "row:CLM0005",
		"claim:units", "row:CLM1001",
		"other:not 837P",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("merge order:\n%q\nwant\n%q", got, want)
	}
	if n := len(got) - 5; n != len(r.Findings) {
		t.Errorf("%d findings seen, want %d", n, len(r.Findings))
	}
}

func TestMergeWithoutClaims(t *testing.T) {
	r := worklistReport()
	r.Claims = nil
	n := 0
	err := r.mergeClaims(mergeHooks{
		finding: func(f *finding.Finding, place findingPlace, _ claimKey) error {
			if place != placeOther {
				t.Errorf("%s: place %d without claims", f.Message, place)
			}
			n++
			return nil
		},
		row: func(*ClaimRow) error { t.Error("a row without claims"); return nil },
	})
	if err != nil || n != len(r.Findings) {
		t.Fatalf("%d findings, err %v", n, err)
	}
}

// A finding of an earlier claim that lies after a later target claim's CLM
// segment would give that claim a wrong status: the merge refuses.
func TestMergeRefusesMisplacedFinding(t *testing.T) {
	r := worklistReport()
	bad := r.Findings[4]
	bad.ByteOffset = 3500 // claim 1000's, after claim 3000's CLM
	r.Findings = append(r.Findings[:9:9], append([]finding.Finding{bad}, r.Findings[9:]...)...)
	finding.Sort(r.Findings)
	err := r.EachClaim(func(*ClaimRow) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "out of step") {
		t.Fatalf("err = %v", err)
	}
}

func TestMergeRefusesClaimsOutOfOrder(t *testing.T) {
	r := worklistReport()
	cs := r.Claims.(ClaimSlice)
	cs[1], cs[2] = cs[2], cs[1]
	if err := r.EachClaim(func(*ClaimRow) error { return nil }); err == nil || !strings.Contains(err.Error(), "out of input order") {
		t.Fatalf("err = %v", err)
	}
}

func TestMergeStopsOnHookError(t *testing.T) {
	boom := errors.New("boom")
	r := worklistReport()
	n := 0
	err := r.EachClaim(func(*ClaimRow) error {
		n++
		if n == 2 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || n != 2 {
		t.Fatalf("err %v after %d rows", err, n)
	}
	// A source error comes back too.
	r.Source = errSource{boom}
	r.Findings = nil
	if err := r.EachClaim(func(*ClaimRow) error { return nil }); !errors.Is(err, boom) {
		t.Fatalf("source error: %v", err)
	}
}

type errSource struct{ err error }

func (e errSource) Len() int                                { return 1 }
func (e errSource) Each(func(*finding.Finding) error) error { return e.err }

func TestTotals(t *testing.T) {
	r := worklistReport()
	tot, err := r.Totals()
	if err != nil {
		t.Fatal(err)
	}
	if tot.HoldOn != finding.Error || tot.StatusCounts != (StatusCounts{Held: 2, Review: 1, Void: 1, Ready: 1}) || tot.Total() != 5 {
		t.Errorf("totals %+v", tot)
	}
	// CLM1001's charge "=1+2" is not an amount.
	if tot.HeldCharge != 125000 || tot.HeldUnpriced != 1 {
		t.Errorf("held charge %d unpriced %d", tot.HeldCharge, tot.HeldUnpriced)
	}
	wantCharge := map[string]int64{"MOD-LATERALITY-MISSING": 125000, "Z-RULE": 125000}
	wantClaims := map[string]int{"MOD-LATERALITY-MISSING": 1, "Z-RULE": 1, "LINE-UNITS": 1}
	if !reflect.DeepEqual(tot.HeldChargeByRule, wantCharge) || !reflect.DeepEqual(tot.HeldClaimsByRule, wantClaims) {
		t.Errorf("by rule: %v %v", tot.HeldChargeByRule, tot.HeldClaimsByRule)
	}
	if g := tot.ByPayerGroup["Aetna"]; g != tot.StatusCounts {
		t.Errorf("Aetna %+v", g)
	}
	// --hold-on warning: the held rules include warnings.
	r = worklistReport()
	r.HoldOn = finding.Warning
	tot, _ = r.Totals()
	if tot.Held != 3 || tot.HeldClaimsByRule["DX-NOT-SUPPORTING"] != 2 || tot.HeldClaimsByRule["LINE-TAXONOMY-ATYPICAL"] != 1 ||
		tot.HeldChargeByRule["LINE-TAXONOMY-ATYPICAL"] != 10000 {
		t.Errorf("--hold-on warning totals %+v", tot)
	}
}

func TestMoney(t *testing.T) {
	for in, want := range map[string]int64{"1250": 125000, "1250.5": 125050, "-5.00": -500, ".5": 50, "0.005": 1, "1E2": 10000} {
		if got, ok := parseCents(in); !ok || got != want {
			t.Errorf("parseCents(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "=1", "1,250", "12x"} {
		if _, ok := parseCents(in); ok {
			t.Errorf("parseCents(%q) ok", in)
		}
	}
	for c, want := range map[int64]string{0: "0.00", 5: "0.05", 125050: "1250.50", -500: "-5.00"} {
		if got := fmtCents(c); got != want {
			t.Errorf("fmtCents(%d) = %q", c, got)
		}
	}
	for c, want := range map[int64]string{0: "$0.00", 123456789: "$1,234,567.89", -500: "-$5.00"} {
		if got := fmtDollars(c); got != want {
			t.Errorf("fmtDollars(%d) = %q", c, got)
		}
	}
}

// BenchmarkTotals: the worklist's pass over claims and findings (90,000
// findings, 30,000 claims), which each worklist writer makes once more.
func BenchmarkTotals(b *testing.B) {
	r := manyFindingsReport(90000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := r.computeTotals(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/90000, "ns/finding")
}
