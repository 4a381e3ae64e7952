package scrubber

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// FuzzScrub scrubs arbitrary bytes as a file of a run, cross-claim rules
// included: with claims read on the checking goroutine and on one of their
// own (Overlap), and with every claim's lines answered by the index rather
// than by scanning; and once more with the data files (testdata/data). It
// must never panic or hang; the first three results must be the same;
// findings come sorted, each of a rule of the catalogue, with a message and
// a suggestion. Seeds: the rule fixtures and the samples.
//
//	go test -run '^$' -fuzz '^FuzzScrub$' -fuzztime 30s -fuzzminimizetime 5s ./scrubber/
func FuzzScrub(f *testing.F) {
	for _, pattern := range []string{"testdata/rules/*.837", "../testdata/0[1-68]-*.837"} {
		paths, _ := filepath.Glob(pattern)
		for _, path := range paths {
			data, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	p, d := rulesPack(f, false), dataSet(f)
	scrub := func(t *testing.T, data []byte, o Options) *FileResult {
		o.TempDir = t.TempDir()
		s := New(p, o)
		defer s.Close()
		res := s.Scrub(0, "fuzz.837", bytes.NewReader(data))
		if err := s.Finish([]*FileResult{res}); err != nil {
			t.Fatal(err)
		}
		return res
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		plain := scrub(t, data, Options{})
		if overlapped := scrub(t, data, Options{Overlap: true}); !reflect.DeepEqual(overlapped, plain) {
			t.Fatalf("with Overlap: %d findings, without: %d", len(overlapped.Findings), len(plain.Findings))
		}
		var indexed *FileResult
		withSmallClaim(0, func() { indexed = scrub(t, data, Options{}) })
		if dump(indexed.Findings) != dump(plain.Findings) {
			t.Fatalf("answered by the index:%s\nby scanning:%s", dump(indexed.Findings), dump(plain.Findings))
		}
		for _, res := range []*FileResult{plain, scrub(t, data, Options{Data: d})} {
			for i := range res.Findings {
				fd := &res.Findings[i]
				if i > 0 && finding.Less(fd, &res.Findings[i-1]) {
					t.Fatalf("findings out of order at %d:%s", i, dump(res.Findings[i-1:i+1]))
				}
				if _, ok := rules.Lookup(fd.RuleID); !ok || fd.Message == "" || fd.Suggestion == "" {
					t.Fatalf("finding %d:%s", i, dump([]finding.Finding{*fd}))
				}
			}
		}
	})
}
