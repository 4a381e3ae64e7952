package reports

import (
	"bufio"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scrub837/scrub837/scrubber"
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/pack"
)

// scrubFiles scrubs paths (from the repository root) as one run and returns
// the findings in report order.
func scrubFiles(t *testing.T, paths []string) []finding.Finding {
	t.Helper()
	p, err := pack.Default(false)
	if err != nil {
		t.Fatal(err)
	}
	s := scrubber.New(p, scrubber.Options{TempDir: t.TempDir()})
	defer s.Close()
	var results []*scrubber.FileResult
	for i, p := range paths {
		f, err := os.Open(filepath.Join("..", p))
		if err != nil {
			t.Fatal(err)
		}
		var r io.Reader = f
		if strings.HasSuffix(p, ".gz") {
			if r, err = gzip.NewReader(f); err != nil {
				t.Fatal(err)
			}
		}
		results = append(results, s.Scrub(i, p, r))
		f.Close()
	}
	if err := s.Finish(results); err != nil {
		t.Fatal(err)
	}
	var fs []finding.Finding
	for _, res := range results {
		fs = append(fs, res.Findings...)
	}
	finding.Sort(fs)
	return fs
}

// claimsOfFindings makes a claim summary for every claim that has a
// finding, in input order.
func claimsOfFindings(fs []finding.Finding) ClaimSlice {
	seen := map[claimKey]bool{}
	var cs ClaimSlice
	for _, f := range fs {
		k := claimKey{f.FileIndex, f.ClaimOffset}
		if f.ClaimOffset == 0 || seen[k] {
			continue
		}
		seen[k] = true
		cs = append(cs, finding.ClaimSummary{FileIndex: f.FileIndex, File: f.File, ClaimOffset: f.ClaimOffset, ClaimID: f.ClaimID,
			PayerGroup: f.PayerGroup, MemberID: f.MemberID, Frequency: "1"})
	}
	slices.SortFunc(cs, func(a, b finding.ClaimSummary) int {
		if (claimKey{a.FileIndex, a.ClaimOffset}).less(claimKey{b.FileIndex, b.ClaimOffset}) {
			return -1
		}
		return 1
	})
	return cs
}

// TestWorklistOnSamples scrubs the sample files and the public corpus and
// merges every claim that has a finding with the findings: the merge's
// assumption (a claim's findings lie before the next claim's CLM segment)
// holds for what the scrubber finds, and each row counts exactly its
// claim's findings, worst first.
func TestWorklistOnSamples(t *testing.T) {
	var paths []string
	sf, err := os.Open("../testdata/samples.txt")
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(sf)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			paths = append(paths, l)
		}
	}
	sf.Close()
	corpus, _ := filepath.Glob("../testdata/corpus/*/*")
	for _, c := range corpus {
		rel := strings.TrimPrefix(c, "../")
		if !slices.Contains(paths, rel) && !strings.HasSuffix(c, ".md") && !strings.HasSuffix(c, "LICENSE") && !strings.Contains(filepath.Base(c), "LICEN") {
			if fi, err := os.Stat(c); err == nil && fi.Mode().IsRegular() {
				paths = append(paths, rel)
			}
		}
	}
	fs := scrubFiles(t, paths)
	claims := claimsOfFindings(fs)
	if len(claims) < 40 {
		t.Fatalf("only %d claims with findings in %d files", len(claims), len(paths))
	}
	want := map[claimKey][3]int{}
	for _, f := range fs {
		if f.ClaimOffset == 0 {
			continue
		}
		c := want[claimKey{f.FileIndex, f.ClaimOffset}]
		c[3-int(f.Severity)]++
		want[claimKey{f.FileIndex, f.ClaimOffset}] = c
	}
	r := &Report{Findings: fs, Claims: claims}
	n := 0
	err = r.EachClaim(func(c *ClaimRow) error {
		n++
		got := [3]int{c.Errors, c.Warnings, c.Infos}
		if w := want[claimKey{c.FileIndex, c.ClaimOffset}]; got != w {
			t.Errorf("%s %s: counts %v, want %v", c.File, c.ClaimID, got, w)
		}
		if (c.Errors > 0) != (c.Status == StatusHeld) {
			t.Errorf("%s %s: status %v with %d errors", c.File, c.ClaimID, c.Status, c.Errors)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(claims) {
		t.Errorf("%d rows for %d claims", n, len(claims))
	}
	t.Logf("%d files, %d findings, %d claims with findings", len(paths), len(fs), len(claims))
}
