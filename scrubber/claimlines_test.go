package scrubber

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// withSmallClaim runs fn with claims of more than n lines answered by the
// index (claimLines), then puts the threshold back.
func withSmallClaim(n int, fn func()) {
	old := smallClaim
	smallClaim = n
	defer func() { smallClaim = old }()
	fn()
}

// randomClaim is a claim of n lines mixing 0620T lines (sides, co-surgeon,
// team and assistant modifiers, 51, their own rendering NPIs or not),
// included and review codes (with side and override modifiers) and other
// procedures, on a few dates, some of them ranges or missing, and a few
// diagnoses that may exclude each other.
func randomClaim(r *rand.Rand, n int) *claim.Claim {
	c := tclaim()
	c.Lines = nil
	dates := []string{"20260115", "20260116", "20260117", "20260201"}
	procs := []string{"0620T", "0620T", "0620T", "36200", "75710", "76937", "37224", "37280", "99223", "93922"}
	mods := []string{"RT", "LT", "50", "62", "66", "80", "AS", "51", "59", "XS", "22"}
	npis := []string{"", "1003000126", "1679576722"}
	for i := 0; i < n; i++ {
		l := tline(procs[r.IntN(len(procs))])
		for k := r.IntN(3); k > 0; k-- {
			l.Modifiers = append(l.Modifiers, mods[r.IntN(len(mods))])
		}
		switch r.IntN(10) {
		case 0:
			l.DateQualifier, l.ServiceDate = "", ""
		case 1:
			l.DateQualifier, l.ServiceDate = "RD8", "20260114-20260116"
		case 2:
			l.DateQualifier, l.ServiceDate = "RD8", "20260110-20260301" // more than maxRangeDays
		default:
			l.ServiceDate = dates[r.IntN(len(dates))]
		}
		l.RenderingNPI = npis[r.IntN(len(npis))]
		c.Lines = append(c.Lines, l)
	}
	dx := []string{"I70234", "L97411", "I96", "I70261", "I10", "I70262", "E1152"}
	c.Diagnoses = nil
	for k := 1 + r.IntN(20); k > 0; k-- {
		c.Diagnoses = append(c.Diagnoses, tdx(dx[r.IntN(len(dx))]))
	}
	return c
}

// The index answers what scanning the lines does: the same findings,
// byte for byte, and the same cross-claim entries, on claims of every
// shape.
func TestClaimLinesIndexMatchesScan(t *testing.T) {
	p := rulesPack(t, false)
	r := rand.New(rand.NewPCG(1, 2))
	entries := func(c *claim.Claim) string {
		var b strings.Builder
		for _, e := range appendCrossEntries(nil, p, c) {
			fmt.Fprintf(&b, "%d %d %v %v %q\n", e.kind, e.lineSeg, e.dupInClaim, e.dates, e.sideText)
		}
		return b.String()
	}
	indexed := 0
	for round := 0; round < 400; round++ {
		c := build(randomClaim(r, 1+r.IntN(40)))
		var scanned, viaIndex []finding.Finding
		var scannedEntries, indexEntries string
		withSmallClaim(1000, func() {
			scanned = checkClaim(p, nil, nil, c, nil)
			scannedEntries = entries(c)
		})
		withSmallClaim(0, func() {
			viaIndex = checkClaim(p, nil, nil, c, nil)
			indexEntries = entries(c)
		})
		if dump(scanned) != dump(viaIndex) {
			t.Fatalf("round %d (%d lines): findings differ\nscanning:%s\nindex:%s", round, len(c.Lines), dump(scanned), dump(viaIndex))
		}
		if scannedEntries != indexEntries {
			t.Fatalf("round %d: cross-claim entries differ\nscanning:\n%sindex:\n%s", round, scannedEntries, indexEntries)
		}
		if slices.ContainsFunc(viaIndex, func(f finding.Finding) bool { return f.RuleID == rules.LineDuplicate.String() }) {
			indexed++
		}
	}
	if indexed < 50 {
		t.Errorf("only %d claims had a LINE-DUPLICATE: the claims exercise too little", indexed)
	}
}

// Issue 14: one claim with many 0620T lines and many lines of an included
// code on one date. Each BUNDLE-INCLUDED names the first 0620T lines and
// how many more, so the report grows with the lines, not their square;
// each repeated 0620T line names the first.
func TestOneClaimShapeMessagesAreCapped(t *testing.T) {
	p := rulesPack(t, false)
	const n = 3000
	c := tclaim()
	c.Lines = nil
	for i := 0; i < n; i++ {
		c.Lines = append(c.Lines, tline("0620T", "RT"), tline("76937"))
	}
	fs := checkClaim(p, nil, nil, build(c), nil)
	var included, dup int
	for _, f := range fs {
		switch f.RuleID {
		case rules.BundleIncluded.String():
			included++
			if !strings.Contains(f.Message, "0620T on lines 1, 3, 5, 7, 9 and 2995 more, same date 2026-01-15") || len(f.Message)+len(f.Suggestion) > 800 {
				t.Fatalf("message of %d bytes: %.300s", len(f.Message), f.Message)
			}
		case rules.LineDuplicate.String():
			dup++
			if !strings.Contains(f.Message, "repeats line 1 (RT") {
				t.Fatalf("LINE-DUPLICATE does not name line 1: %s", f.Message)
			}
		}
	}
	if included != n || dup != n-1 {
		t.Errorf("%d BUNDLE-INCLUDED (want %d), %d LINE-DUPLICATE (want %d)", included, n, dup, n-1)
	}
}

// A claim with many diagnoses that exclude each other gets one
// DX-EXCLUDES1 per diagnosis an earlier one excludes, naming the first:
// findings in proportion to the diagnoses, not to their pairs.
func TestExcludes1FindingsGrowWithDiagnoses(t *testing.T) {
	p := rulesPack(t, false)
	for _, n := range []int{6, 60} {
		c := tclaim()
		c.Diagnoses = []claim.Diagnosis{{Qualifier: "ABK", Code: "I70234"}, tdx(ulcerRight)}
		for i := 0; i < n; i++ {
			c.Diagnoses = append(c.Diagnoses, tdx("I96"), tdx("I70261"))
		}
		fs := ofRule(checkClaim(p, nil, nil, build(c), nil), rules.DxExcludes1.String())
		if len(fs) != 2*n-1 {
			t.Fatalf("%d diagnoses: %d DX-EXCLUDES1, want %d", 2*n+2, len(fs), 2*n-1)
		}
		if !strings.Contains(fs[len(fs)-1].Message, "diagnoses I96 (position 3) and I70261") {
			t.Errorf("the last finding does not name the first partner: %s", fs[len(fs)-1].Message)
		}
	}
}

// crossMatchPairs is the cross-claim rules' definition, pair by pair: the
// reference the matcher's sums must agree with.
func crossMatchPairs(p *pack.Pack, all []*crossEntry) []crossFound {
	var out []crossFound
	for _, e := range all {
		e.other = nil
		for _, o := range all {
			if o == e || o.sameClaim(e) || !o.dates.overlaps(e.dates) || o.member != e.member || o.patient != e.patient || o.kind != crossTarget {
				continue
			}
			switch e.kind {
			case crossTarget:
				if e.dupInClaim || !e.original || !o.original || !o.before(e) || e.sides&o.sides == 0 ||
					twoPeoplesWork(e.roles, o.roles, e.rendering, o.rendering) {
					continue
				}
			case crossRelated:
				if e.npi != o.npi {
					continue
				}
			}
			if e.other == nil || o.before(e.other) {
				e.other = o
			}
		}
		if e.other != nil {
			if f, ok := crossFinding(p, e); ok {
				out = append(out, f)
			}
		}
	}
	return out
}

// The cross-claim matcher finds what comparing every pair does.
func TestCrossMatcherMatchesPairs(t *testing.T) {
	p := rulesPack(t, false)
	r := rand.New(rand.NewPCG(3, 4))
	found := 0
	for round := 0; round < 200; round++ {
		var claims []*claim.Claim
		for i := 0; i < 2+r.IntN(12); i++ {
			c := xclaim(r.IntN(2), int64(1000*(i+1)), fmt.Sprintf("C%d", i))
			rc := randomClaim(r, 1+r.IntN(4))
			c.Lines = rc.Lines
			build(c)
			c.Pos.Offset = int64(1000 * (i + 1))
			c.MemberID = []string{"W1", "W2"}[r.IntN(2)]
			c.HasPatient = r.IntN(4) == 0
			c.BillingNPI = []string{"1234567893", "1003000126"}[r.IntN(2)]
			c.Frequency = []string{"1", "1", "1", "7", "8", "2"}[r.IntN(6)]
			claims = append(claims, c)
		}
		var es []crossEntry
		for _, c := range claims {
			es = appendCrossEntries(es, p, c)
		}
		all := make([]*crossEntry, len(es))
		for i := range es {
			all[i] = &es[i]
		}
		want := dump(sortedFindings(crossMatchPairs(p, all)))
		r.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		got := dump(sortedFindings(crossMatch(p, nil, all, nil)))
		if got != want {
			t.Fatalf("round %d: the matcher found%s\nthe pairs%s", round, got, want)
		}
		found += strings.Count(want, "\n")
	}
	if found < 100 {
		t.Errorf("only %d cross-claim findings: the claims exercise too little", found)
	}
}

func sortedFindings(fs []crossFound) []finding.Finding {
	out := make([]finding.Finding, len(fs))
	for i := range fs {
		out[i] = fs[i].Finding
	}
	finding.Sort(out)
	return out
}
