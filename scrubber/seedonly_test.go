package scrubber

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/pack"
)

// --seed-only drops every codeset entry, codeset description and codeset
// rule of the pack (scrubber/RULES.md). These tests scrub the same claims with
// DefaultPack(false) and DefaultPack(true) and check that the findings
// differ exactly where scrubber/RULES.md says the default pack adds code-set data,
// and nowhere else.

// seedOnlyClaims are target claims for member W00000001 (and one related
// claim), each named for what it exercises. Their base is clean under both
// packs: LT, a left-leg diagnosis, a seed taxonomy.
func seedOnlyClaims() []*claim.Claim {
	var claims []*claim.Claim
	off := int64(1000)
	add := func(id string, edit func(c *claim.Claim)) {
		c := tclaim()
		c.ID = id
		c.Lines[0].Modifiers = []string{"LT"}
		c.Diagnoses[0].Code = "I70244"
		c.BillingTaxonomy = "207RH0000X"
		edit(c)
		build(c)
		c.Pos.Offset = off
		for i := range c.Lines {
			c.Lines[i].SV1Pos.Offset += off
			// each claim on its own date: no cross-claim pairs unless wanted
			if c.Lines[i].ServiceDate == "20260115" {
				c.Lines[i].ServiceDate = fmt.Sprintf("2026%02d%02d", 2+len(claims)/28, 1+len(claims)%28)
			}
		}
		off += 1000
		claims = append(claims, c)
	}
	// Unchanged: seed rules and seed entries only.
	add("SEED", func(c *claim.Claim) {
		c.Diagnoses = append(c.Diagnoses, tdx("I10"), tdx("I96"), claim.Diagnosis{Qualifier: "BF", Code: "44023"})
		c.Lines[0].Modifiers = []string{"LT", "LT", "80", "51", "22"}
		c.Lines[0].Pointers = []string{"2", "1", "", "9"}
		c.Lines[0].Units = "2"
		c.Lines[0].PlaceOfService = "11"
		c.Lines = append(c.Lines, tline("36200"), tline("75710", "22"), tline("76140"), tline("36475"), tline("0620T", "LT"))
		c.TotalCharge = "1"
	})
	add("TAXONOMY", func(c *claim.Claim) { c.BillingTaxonomy = "2086S0129X" })      // NUCC code (codeset)
	add("79", func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"LT", "79"} }) // CMS meaning (codeset)
	add("RT", func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"RT"}; c.Diagnoses[0].Code = "I70234" })
	add("QY", func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"LT", "QY"} })                // anesthesia (codeset), CMS meaning
	add("QK", func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"LT", "QK"} })                // anesthesia (codeset)
	add("MODCONFLICT", func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"LT", "22", "53"} }) // pairs (codeset)
	add("INCOMPLETE", func(c *claim.Claim) { c.Diagnoses[0].Code = "I7024" })                      // min_length (codeset)
	add("E1152", func(c *claim.Claim) { c.Diagnoses[0].Code = "E1152" })                           // supporting (codeset)
	add("EXCLUDES1", func(c *claim.Claim) {                                                        // pair (codeset); I70.26 (codeset)
		c.Diagnoses = []claim.Diagnosis{tdx("I70262"), tdx("I96")}
		c.Lines[0].Pointers = []string{"1", "2"}
	})
	add("SIDE", func(c *claim.Claim) { c.Diagnoses[0].Code = "I70312" }) // LT: left by the 6th character (codeset), right by the seed's I70.31
	add("76937", func(c *claim.Claim) { c.Lines = append(c.Lines, tline("76937"), tline("37252", "XS")) })
	add("OVERRIDE", func(c *claim.Claim) { c.Lines = append(c.Lines, tline("36200", "XU")) }) // override modifiers (codeset)
	add("51", func(c *claim.Claim) {
		c.Lines[0].Modifiers = []string{"LT", "51"}
		c.Lines = append(c.Lines, tline("75820")) // included (codeset)
	})
	add("37224", func(c *claim.Claim) { // valid_to (codeset)
		o := tline("37224")
		o.ServiceDate = "20260316"
		c.Lines = append(c.Lines, o)
	})
	add("37224-2025", func(c *claim.Claim) {
		c.Lines[0].ServiceDate = "20251215"
		o := tline("37224")
		o.ServiceDate = "20251215"
		c.Lines = append(c.Lines, o)
	})
	add("37285", func(c *claim.Claim) { c.Lines = append(c.Lines, tline("37285")) })      // review (codeset)
	add("GA", func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"LT", "GA"} })       // payer modifier (codeset)
	add("23", func(c *claim.Claim) { c.Lines[0].Modifiers = []string{"LT", "23"} })       // anesthesia modifier (codeset)
	add("LIMB", func(c *claim.Claim) { c.Lines = append(c.Lines, tline("75710", "RT")) }) // other limb (codeset override)
	add("ULCER", func(c *claim.Claim) { c.Diagnoses = c.Diagnoses[:1] })                  // ulcer severity (codeset)
	add("UNSPEC", func(c *claim.Claim) { c.Diagnoses[0].Code = "I70329" })                // 6th character 9 (codeset); left by the seed's I70.32
	add("GROUP", func(c *claim.Claim) { c.BillingTaxonomy = "193200000X" })               // group taxonomy (codeset)
	add("VOID", func(c *claim.Claim) {                                                    // claim rules only, under both packs
		c.Frequency, c.OriginalRef = "8", "PCCN1"
		c.Lines[0].Modifiers = []string{"LT", "QK"}
		c.Lines = append(c.Lines, tline("76937"))
	})
	// Cross-claim: CROSS-A's 0620T date, with 76937 and 36200 on CROSS-B.
	add("CROSS-A", func(c *claim.Claim) { c.Lines[0].ServiceDate = "20260401" })
	add("CROSS-B", func(c *claim.Claim) {
		c.Lines = []claim.Line{tline("76937"), tline("36200")}
		c.Lines[0].ServiceDate, c.Lines[1].ServiceDate = "20260401", "20260401"
	})
	return claims
}

// seedOnlyFindings scrubs the claims with one pack: per-claim checks on
// target claims, then the cross-claim rules.
func seedOnlyFindings(t *testing.T, seedOnly bool) []finding.Finding {
	p := rulesPack(t, seedOnly)
	var fs []finding.Finding
	claims := seedOnlyClaims()
	for _, c := range claims {
		for i := range c.Lines {
			if isTargetLine(p, &c.Lines[i]) {
				fs = checkClaim(p, nil, nil, c, fs)
				break
			}
		}
	}
	fs = append(fs, crossRun(p, claims...)...)
	finding.Sort(fs)
	return fs
}

// findingKey identifies a finding for the comparison: everything but the
// message and suggestion, whose descriptions legitimately lose their
// code-set half under --seed-only.
func findingKey(f finding.Finding) string {
	return fmt.Sprintf("%s line %d %s %s/%s seg %d", f.ClaimID, f.LineNumber, f.RuleID, f.Severity, f.Source, f.SegmentNumber)
}

func keys(fs []finding.Finding) map[string]int {
	m := map[string]int{}
	for _, f := range fs {
		m[findingKey(f)]++
	}
	return m
}

// minus lists the keys of a not in b (with multiplicity), sorted.
func minus(a, b map[string]int) []string {
	var out []string
	for k, n := range a {
		for range n - b[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func TestSeedOnlyDifferences(t *testing.T) {
	def, seed := seedOnlyFindings(t, false), seedOnlyFindings(t, true)
	dk, sk := keys(def), keys(seed)

	// What the default pack finds and --seed-only does not: each from a
	// codeset entry or rule of the pack.
	wantGone := []string{
		"37224 line 2 CODE-NOT-VALID-ON-DOS error/codeset seg 31",   // valid_to 2025-12-31
		"37285 line 2 BUNDLE-REVIEW warning/codeset seg 31",         // 37280-37295 review
		"51 line 1 MOD-51-SINGLE-PROCEDURE warning/codeset seg 21",  // 75820 included
		"51 line 2 BUNDLE-INCLUDED error/codeset seg 31",            // 75820 included
		"76937 line 2 BUNDLE-INCLUDED error/codeset seg 31",         // 76937 included
		"76937 line 3 BUNDLE-OVERRIDE warning/codeset seg 41",       // 37252 included, XS override
		"CROSS-B line 1 BUNDLE-CROSS-CLAIM warning/codeset seg 21",  // 76937 included
		"EXCLUDES1 line 0 DX-EXCLUDES1 error/codeset seg 11",        // I96 / I70.26 pair
		"INCOMPLETE line 1 DX-CODE-INCOMPLETE error/codeset seg 11", // min_length (codeset rule)
		"MODCONFLICT line 1 MOD-CONFLICT error/codeset seg 21",      // 22+53 pair
		"OVERRIDE line 2 BUNDLE-OVERRIDE warning/codeset seg 31",    // XU override modifier
		"QK line 1 MOD-ANESTHESIA warning/codeset seg 21",           // anesthesia modifiers (codeset rule)
		"QY line 1 MOD-ANESTHESIA warning/codeset seg 21",
		"SIDE line 1 DX-WEAK-SUPPORT warning/codeset seg 21",             // I70.31 is claudication in the code set
		"23 line 1 MOD-ANESTHESIA warning/codeset seg 21",                // 23 (anesthesia modifiers, codeset rule)
		"GROUP line 0 LINE-TAXONOMY-MISSING info/codeset seg 10",         // 193200000X is a group (codeset)
		"LIMB line 2 BUNDLE-OVERRIDE warning/codeset seg 31",             // RT against LT: the other limb (codeset)
		"ULCER line 0 DX-ULCER-SEVERITY-MISSING warning/codeset seg 11",  // ICD-10-CM's note (codeset rule)
		"UNSPEC line 1 DX-LATERALITY-UNSPECIFIED warning/codeset seg 11", // 6th character 9 (codeset)
	}
	// What --seed-only finds and the default pack does not: gaps the
	// codeset entries fill.
	wantNew := []string{
		"79 line 1 MOD-NO-GUIDANCE info/seed seg 21",                     // 79: "Data not available"
		"E1152 line 1 DX-NOT-SUPPORTING error/seed seg 21",               // E11.52 supports only in the code set
		"EXCLUDES1 line 1 DX-PRIMARY-NOT-SUPPORTING warning/seed seg 21", // I70.26 supports only in the code set; I96 does in the seed
		"OVERRIDE line 2 BUNDLE-INCLUDED error/seed seg 31",              // XU is no override in the seed
		"QY line 1 MOD-NO-GUIDANCE info/seed seg 21",                     // QY: "Data not available"
		"RT line 1 MOD-NO-GUIDANCE info/seed seg 21",                     // RT: "Data not available"
		"SIDE line 1 DX-LATERALITY-CONFLICT error/seed seg 21",           // I70.31 is right in the seed
		"TAXONOMY line 1 LINE-TAXONOMY-ATYPICAL warning/seed seg 5",      // 2086S0129X is a NUCC (codeset) code
		"SEED line 1 MOD-UNLISTED warning/seed seg 21",                   // 80 is listed in the code set only
		"GA line 1 MOD-UNLISTED warning/seed seg 21",                     // GA is a payer modifier in the code set only
		"GROUP line 1 LINE-TAXONOMY-ATYPICAL warning/seed seg 5",         // a group taxonomy is no specialty in the code set only
		"LIMB line 2 BUNDLE-INCLUDED error/seed seg 31",                  // anatomic modifiers bypass the edit in the code set only
	}
	sort.Strings(wantGone)
	sort.Strings(wantNew)
	if got := minus(dk, sk); !slices.Equal(got, wantGone) {
		t.Errorf("findings gone under --seed-only:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(wantGone, "\n  "))
	}
	if got := minus(sk, dk); !slices.Equal(got, wantNew) {
		t.Errorf("findings new under --seed-only:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(wantNew, "\n  "))
	}

	// The unchanged part is not empty: seed rules fire the same in both.
	if n := dk["SEED line 2 BUNDLE-INCLUDED error/seed seg 31"]; n != 1 || sk["SEED line 2 BUNDLE-INCLUDED error/seed seg 31"] != 1 {
		t.Errorf("seed BUNDLE-INCLUDED on 36200 should fire under both packs")
	}
	if len(dk) < 20 {
		t.Errorf("only %d distinct default findings: the fixture exercises too little:%s", len(dk), dump(def))
	}

	// Every default finding whose source is seed stands on the seed alone.
	for k, n := range dk {
		if strings.Contains(k, "/seed ") && sk[k] != n {
			t.Errorf("seed-sourced finding changed under --seed-only: %s", k)
		}
	}
	// Under --seed-only nothing is sourced from the code set, and no
	// message quotes a code-set description.
	for _, f := range seed {
		if f.Source == string(pack.SourceCodeset) {
			t.Errorf("codeset finding under --seed-only:%s", dump([]finding.Finding{f}))
		}
		for _, cs := range []string{"the seed calls it", "onsultation on X-ray", "descriptor includes"} {
			if strings.Contains(f.Message, cs) {
				t.Errorf("code-set description under --seed-only:%s", dump([]finding.Finding{f}))
			}
		}
	}
	// And the default pack does show the code set's side of a disagreement.
	found := false
	for _, f := range def {
		found = found || strings.Contains(f.Message, "(Consultation on X-ray examination made elsewhere, written report; the seed calls it radiologic supervision")
	}
	if !found {
		t.Errorf("default pack: no message shows both descriptions of 76140:%s", dump(def))
	}
}
