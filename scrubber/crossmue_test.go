package scrubber

import (
	"cmp"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/scrub837/scrub837/scrubber/claim"
)

// mueReference is MUE-EXCEEDED across claims the plain way (the rule as
// first written): every counted line of a day, sorted into input order,
// summed one by one. It returns "claim:line" of the lines reported.
func mueReference(entries []crossEntry, limit int64) []string {
	var days []*crossEntry
	for k := range entries {
		if counted(&entries[k]) {
			days = append(days, &entries[k])
		}
	}
	slices.SortFunc(days, func(a, b *crossEntry) int {
		if c := cmp.Compare(a.member, b.member); c != 0 {
			return c
		}
		if c := cmp.Compare(a.rendering, b.rendering); c != 0 {
			return c
		}
		if c := cmp.Compare(a.dates.From, b.dates.From); c != 0 {
			return c
		}
		if a.patient != b.patient {
			if !a.patient {
				return -1
			}
			return 1
		}
		if a.before(b) {
			return -1
		}
		return 1
	})
	var out []string
	for start := 0; start < len(days); {
		end := start + 1
		s := days[start]
		for end < len(days) && days[end].member == s.member && days[end].patient == s.patient &&
			days[end].dates.From == s.dates.From && days[end].rendering == s.rendering {
			end++
		}
		var total, claimTotal int64
		for b := start; b < end; b++ {
			if b == start || !days[b].sameClaim(days[b-1]) {
				claimTotal = 0
			}
			total += days[b].units
			claimTotal += days[b].units
			if total > limit && claimTotal <= limit {
				f := unpackColumns(days[b].cols)
				out = append(out, fmt.Sprintf("%s:%d", f.ClaimID, f.LineNumber))
			}
		}
		start = end
	}
	slices.Sort(out)
	return out
}

// The streamed MUE-EXCEEDED across claims (its crossing heap, the claim's
// units summed as its entries go by) reports the lines the plain sum does,
// on random days of few patients, practitioners and dates, with units
// that pass the limit (1 for 0620T) alone, together or not at all, in
// memory and spilled, whatever order the claims are indexed in.
func TestMUEAcrossClaimsReference(t *testing.T) {
	p, d := rulesPack(t, false), dataSet(t)
	r := rand.New(rand.NewSource(7))
	units := []string{"0.25", "0.5", "1", "2", "0", "x"}
	npis := []string{"", "1999999984"}
	reported := 0
	for run := 0; run < 300; run++ {
		var claims []*claim.Claim
		for n := 1 + r.Intn(8); len(claims) < n; {
			var lines []claim.Line
			for k := 1 + r.Intn(3); len(lines) < k; {
				l := tline("0620T", []string{"RT", "LT"}[r.Intn(2)])
				l.Units = units[r.Intn(len(units))]
				l.ServiceDate = []string{"20260115", "20260116"}[r.Intn(2)]
				l.RenderingNPI = npis[r.Intn(len(npis))]
				lines = append(lines, l)
			}
			c := xclaim(r.Intn(2), int64(1000*(1+r.Intn(50))), fmt.Sprintf("C%d", len(claims)), lines...)
			if r.Intn(4) == 0 {
				c.MemberID = "W00000002"
			}
			claims = append(claims, c)
		}
		// Claims at the same offset of the same file are one claim twice:
		// not a drop's.
		claims = slices.CompactFunc(slices.SortedFunc(slices.Values(claims), func(a, b *claim.Claim) int {
			return cmp.Or(cmp.Compare(a.FileIndex, b.FileIndex), cmp.Compare(a.Pos.Offset, b.Pos.Offset))
		}), func(a, b *claim.Claim) bool { return a.FileIndex == b.FileIndex && a.Pos.Offset == b.Pos.Offset })
		r.Shuffle(len(claims), func(i, j int) { claims[i], claims[j] = claims[j], claims[i] })

		ref := newCrossStore("")
		addClaims(ref, p, claims)
		want := mueReference(ref.mem, 1*unitScale)
		reported += len(want)
		for _, spilled := range []bool{false, true} {
			st := newCrossStore(t.TempDir())
			st.data = d
			if spilled {
				st.limit = 1
			}
			addClaims(st, p, claims)
			fs, err := allFindings(st, p)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range ofRule(fs, "MUE-EXCEEDED") {
				got = append(got, fmt.Sprintf("%s:%d", f.ClaimID, f.LineNumber))
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("run %d (spilled %v): got %v, want %v\n%s", run, spilled, got, want, describeClaims(claims))
			}
		}
	}
	if reported < 100 {
		t.Fatalf("only %d lines reported in all: the runs do not exercise the rule", reported)
	}
}

func describeClaims(claims []*claim.Claim) string {
	var b strings.Builder
	for _, c := range claims {
		fmt.Fprintf(&b, "%s file %d @%d member %s:", c.ID, c.FileIndex, c.Pos.Offset, c.MemberID)
		for _, l := range c.Lines {
			fmt.Fprintf(&b, " [%s %s %s %s]", l.Units, l.ServiceDate, l.RenderingNPI, strings.Join(l.Modifiers, ","))
		}
		b.WriteByte('\n')
	}
	return b.String()
}
