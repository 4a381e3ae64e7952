package scrubber

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// End-to-end rule tests: hand-written 837P files in testdata/rules (one
// segment a line, so a finding's segment number is its line in the file)
// scrubbed through the claim reader, then Finish for the cross-claim rules.

// scrubRuleFixtures scrubs the named fixtures as one run, in the order
// given for scrubbing, and returns the results in input order (index =
// position in names).
func scrubRuleFixtures(t *testing.T, p *pack.Pack, names []string, scrubOrder []int) []*FileResult {
	t.Helper()
	s := New(p, Options{})
	results := make([]*FileResult, len(names))
	claims := 0
	for _, i := range scrubOrder {
		data, err := os.ReadFile(filepath.Join("testdata", "rules", names[i]))
		if err != nil {
			t.Fatal(err)
		}
		results[i] = s.Scrub(i, names[i], bytes.NewReader(data))
		claims += results[i].Claims
		for _, f := range results[i].Findings {
			if strings.HasPrefix(f.RuleID, "X12-") || f.RuleID == "FILE-UNREADABLE" {
				t.Fatalf("%s: the fixture is not well-formed X12:%s", names[i], dump([]finding.Finding{f}))
			}
		}
	}
	if claims == 0 {
		t.Fatal("the claim reader returned no claims of the fixtures")
	}
	if err := s.Finish(results); err != nil {
		t.Fatal(err)
	}
	return results
}

// e2eRow is how the tests compare findings: "file claim line rule seg".
func e2eRows(results []*FileResult) []string {
	var rows []string
	for _, res := range results {
		for _, f := range res.Findings {
			rows = append(rows, fmt.Sprintf("%s %s %d %s %d", res.Name, f.ClaimID, f.LineNumber, f.RuleID, f.SegmentNumber))
		}
	}
	return rows
}

func TestCheckEndToEndClaims(t *testing.T) {
	res := scrubRuleFixtures(t, rulesPack(t, false), []string{"claims.837"}, []int{0})
	// Report order: byte offset, then rule ID.
	want := []string{
		// CLEAN1: one clean 0620T-RT line, nothing.
		// MULTI2: four diagnoses; two target lines on two dates, with
		// 36200 on the first date, 37224 on the second, 36200 on a third.
		"claims.837 MULTI2 0 CLAIM-CHARGE-MISMATCH 19",
		"claims.837 MULTI2 1 DX-POINTER-DUPLICATE 22",      // 1:3:3
		"claims.837 MULTI2 1 DX-PRIMARY-NOT-SUPPORTING 22", // I10 first
		"claims.837 MULTI2 1 MOD-51-SINGLE-PROCEDURE 22",   // only 36200 (included) that day
		"claims.837 MULTI2 1 MOD-DUPLICATE 22",             // LT:51:LT
		"claims.837 MULTI2 2 BUNDLE-INCLUDED 25",           // 36200 on line 1's date
		"claims.837 MULTI2 4 CODE-NOT-VALID-ON-DOS 31",     // 37224 in 2026 (not reviewed: it does not exist then)
		// OTHER3: no 0620T line; 36200 on a date without 0620T: nothing.
		// DEPENDANT4: a 2000C patient; RD8 date; 2420A rendering provider.
		"claims.837 DEPENDANT4 1 DX-CODE-INCOMPLETE 52",     // I7024
		"claims.837 DEPENDANT4 1 LINE-POS-ATYPICAL 54",      // SV105 11
		"claims.837 DEPENDANT4 1 MOD-ANESTHESIA 54",         // QK
		"claims.837 DEPENDANT4 1 LINE-TAXONOMY-ATYPICAL 57", // 2420A PRV*PE 207Q00000X
	}
	if got := e2eRows(res); !slices.Equal(got, want) {
		t.Errorf("findings:\n  %s\nwant:\n  %s%s", strings.Join(got, "\n  "), strings.Join(want, "\n  "), dump(res[0].Findings))
	}
	r := res[0]
	if r.Claims != 4 || r.TargetClaims != 3 || r.TargetLines != 4 {
		t.Errorf("claims %d, target claims %d, target lines %d; want 4, 3, 4", r.Claims, r.TargetClaims, r.TargetLines)
	}
	// The columns come from the claim reader's claim.
	for _, f := range r.Findings {
		if f.ClaimID != "DEPENDANT4" || f.RuleID != rules.LineTaxonomyAtypical.String() {
			continue
		}
		if f.RenderingNPI != "1111111112" || f.RenderingTaxonomy != "207Q00000X" || f.ServiceDate != "20260115-20260116" ||
			f.PlaceOfService != "11" || !slices.Equal(f.DxPointers, []string{"2", "1"}) ||
			!slices.Equal(f.PointedDiagnoses, []string{"I7024", "I70244"}) || f.MemberID != "W00000002" ||
			f.PayerGroup != "BCBS" || f.ISAControl != "000000301" || f.STControl != "0001" {
			t.Errorf("columns: %+v", f)
		}
	}
}

func TestCheckEndToEndCrossFiles(t *testing.T) {
	names := []string{"cross-1.837", "cross-2.837"}
	want := []string{
		// XB1 (no 0620T): 36200 on the date of XA1's 0620T, same member
		// and billing NPI, in the other file.
		"cross-2.837 XB1 1 BUNDLE-CROSS-CLAIM 17",
		// XB2 repeats XA1's 0620T-RT. XB3 (a 2000C dependant under the
		// same member ID) and XB4 (another billing NPI, 36200 only) do not
		// match.
		"cross-2.837 XB2 1 LINE-DUPLICATE 25",
	}
	var first []finding.Finding
	for _, order := range [][]int{{0, 1}, {1, 0}} {
		res := scrubRuleFixtures(t, rulesPack(t, false), names, order)
		if got := e2eRows(res); !slices.Equal(got, want) {
			t.Fatalf("scrub order %v: findings:\n  %s\nwant:\n  %s", order, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		}
		fs := res[1].Findings
		for _, s := range []string{"claim XA1 line 1 in file cross-1.837"} {
			if !strings.Contains(fs[0].Message, s) || !strings.Contains(fs[1].Message, s) {
				t.Errorf("messages do not name %q:%s", s, dump(fs))
			}
		}
		if first == nil {
			first = fs
		} else if dump(first) != dump(fs) {
			t.Errorf("scrub order changed the findings:%s\nvs%s", dump(first), dump(fs))
		}
	}
}
