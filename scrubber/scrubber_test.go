package scrubber

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/internal/claimtest"
	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/x12io/benchdrop"
)

// testPack is the default rule pack (0620T).
func testPack(t testing.TB) *pack.Pack {
	t.Helper()
	p, err := pack.Default(false)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// scrubBytes scrubs data and returns the result and the claims it checked
// or indexed (the target and related-code claims, as the claim reader
// returns them).
func scrubBytes(t testing.TB, name string, data []byte) (*FileResult, []*claim.Claim) {
	t.Helper()
	p := testPack(t)
	res := New(p, Options{}).Scrub(0, name, bytes.NewReader(data))
	o := claim.Options{Procedure: p.Procedure, File: name, Related: func(code []byte) bool {
		_, ok := p.Related(string(code))
		return ok
	}}
	var claims []*claim.Claim
	cs, _, _ := claimtest.Read(data, o, false)
	for _, c := range cs {
		if c != nil {
			claims = append(claims, c)
		}
	}
	return res, claims
}

// readFixture reads a file of the claim reader's tests.
func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("claim", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func linePos(data []byte, n int) claim.Pos { return claimtest.LinePos(data, n) }

// structureFindings are the findings of the built-in X12 and file rules.
func structureFindings(fs []finding.Finding) []finding.Finding {
	var out []finding.Finding
	for _, f := range fs {
		if strings.HasPrefix(f.RuleID, "X12-") || f.RuleID == "FILE-UNREADABLE" {
			out = append(out, f)
		}
	}
	return out
}

// BenchmarkScrub scrubs an in-memory 837P of 20,000 claims (about 10.5 MB)
// end to end on one goroutine: one claim in ten billing 0620T, and none
// (the cost of the walk alone).
func BenchmarkScrub(b *testing.B) {
	for _, every := range []int{10, 0} {
		b.Run(fmt.Sprintf("target-every-%d", every), func(b *testing.B) {
			data := benchdrop.Claims(20000, every)
			s := New(testPack(b), Options{})
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			var res *FileResult
			for b.Loop() {
				res = s.Scrub(0, "drop", bytes.NewReader(data))
			}
			if res.Claims != 20000 || every > 0 && res.TargetClaims != 20000/every || every == 0 && res.TargetClaims != 0 {
				b.Fatalf("claims %d target claims %d", res.Claims, res.TargetClaims)
			}
			b.ReportMetric(float64(res.Claims), "claims/op")
		})
	}
}
