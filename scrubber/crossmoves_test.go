package scrubber

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/scrub837/scrub837/scrubber/finding"
)

// Finish moves each target claim's tally once, to the worst of its own and
// its cross-claim findings, though it keeps no set of the claims: the
// tallies are those that a set of the moved claims gives, in memory and
// spilled, with and without a finding sink, whatever the chunks the
// partitions hand their findings on in. (Without data files: with them,
// the drop's claims are held before the cross-claim rules.)
func TestCrossMovesTallyEachClaimOnce(t *testing.T) {
	p := testPack(t)
	data := spillDrop(4, 150, 5)
	for i := range data {
		data[i] = balanceCharges(data[i])
	}
	scrubAll := func(s *Scrubber) []*FileResult {
		results := make([]*FileResult, len(data))
		for i := range data {
			results[i] = s.Scrub(i, fmt.Sprintf("drop-%d.837", i), bytes.NewReader(data[i]))
		}
		return results
	}
	tallies := func(results []*FileResult) string {
		var b bytes.Buffer
		for _, res := range results {
			for _, g := range sortedKeys(res.Targets) {
				fmt.Fprintf(&b, "%s %s %+v\n", res.Name, g, res.Targets[g])
			}
		}
		return b.String()
	}

	// The reference: the cross-claim findings, then a set of the claims.
	s := New(p, Options{})
	results := scrubAll(s)
	keep := func(*crossEntry) bool { return true }
	found, err := s.cross.findings(p, keep)
	if err != nil {
		t.Fatal(err)
	}
	type claimKey struct {
		file   int
		offset int64
	}
	type move struct {
		group       string
		before, now finding.Severity
	}
	moved := map[claimKey]*move{}
	perClaim := map[claimKey]int{}
	for _, f := range found {
		k := claimKey{f.FileIndex, f.ClaimOffset}
		perClaim[k]++
		if !f.target || f.Severity <= f.claimWorst {
			continue
		}
		if m := moved[k]; m != nil {
			m.now = max(m.now, f.Severity)
		} else {
			moved[k] = &move{f.PayerGroup, f.claimWorst, f.Severity}
		}
	}
	several := 0
	for _, n := range perClaim {
		if n > 1 {
			several++
		}
	}
	if len(moved) < 20 || several < 10 {
		t.Fatalf("%d claims moved, %d with several cross-claim findings: the drop exercises too little", len(moved), several)
	}
	for k, m := range moved {
		results[k.file].tally(m.group, m.before, -1)
		results[k.file].tally(m.group, m.now, +1)
	}
	want := tallies(results)

	defer func(n int) { crossEmitEvery = n }(crossEmitEvery)
	for _, every := range []int{1, 3, 4096} {
		crossEmitEvery = every
		for _, spilled := range []bool{false, true} {
			for _, sink := range []bool{false, true} {
				o := Options{TempDir: t.TempDir()}
				if sink {
					o.FindingSink, o.SinkEvery = func(int, []finding.Finding) {}, 2
				}
				s := New(p, o)
				if spilled {
					s.cross.limit, s.cross.loadMax = 1, 300
				}
				results := scrubAll(s)
				if err := s.Finish(results); err != nil {
					t.Fatal(err)
				}
				if got := tallies(results); got != want {
					t.Fatalf("emit every %d, spilled %v, sink %v: tallies\n%s\nwant\n%s", every, spilled, sink, got, want)
				}
			}
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// balanceCharges sets each CLM02 of a spillDrop file to the sum of its
// lines' charges (300 each): many claims are then clean before the
// cross-claim rules.
func balanceCharges(data []byte) []byte {
	segs := bytes.Split(data, []byte("~\n"))
	clm := -1
	lines := 0
	patch := func() {
		if clm >= 0 {
			segs[clm] = bytes.Replace(segs[clm], []byte("*1500*"), fmt.Appendf(nil, "*%d*", 300*lines), 1)
		}
	}
	for i, seg := range segs {
		switch {
		case bytes.HasPrefix(seg, []byte("CLM*")):
			patch()
			clm, lines = i, 0
		case bytes.HasPrefix(seg, []byte("SV1*")):
			lines++
		}
	}
	patch()
	return bytes.Join(segs, []byte("~\n"))
}
