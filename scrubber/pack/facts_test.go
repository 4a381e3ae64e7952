package pack

import (
	"strings"
	"testing"
)

// excludes1Pack is the default pack with Excludes1 pairs whose halves
// overlap by prefix, so that the order of the halves matters.
func excludes1Pack(t *testing.T) *Pack {
	t.Helper()
	extra := `  - pair: [I70.2, E11.5]
    reason: test pair on a short prefix
    source: seed
  - pair: [I70.23, E11.52]
    reason: test pair on a longer prefix
    source: codeset
  - pair: [I70.234, I96]
    reason: test pair on a whole code
    source: seed
`
	p, err := Parse("excludes1.yaml", []byte(strings.Replace(string(defaultPackYAML), "excludes1:\n", "excludes1:\n"+extra, 1)), false)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// excludes1Scan is Excludes1With the slow way: the pair with a half on
// a's longest prefix, in pack order, whose other half b starts with.
func excludes1Scan(p *Pack, a, b string) *CodePair {
	a, b = normalizeDiagnosis(a), normalizeDiagnosis(b)
	for n := len(a); n >= 1; n-- {
		for _, e := range p.doc.Excludes1 {
			x, y := normalizeDiagnosis(e.Codes[0]), normalizeDiagnosis(e.Codes[1])
			if x == a[:n] && strings.HasPrefix(b, y) || y == a[:n] && strings.HasPrefix(b, x) {
				return e
			}
		}
	}
	return nil
}

// Excludes1With finds the pair a scan of the pack's pairs finds, over the
// pack's own codes, their prefixes and extensions, and other codes.
func TestDiagnosisExcludes1MatchesAScan(t *testing.T) {
	p := excludes1Pack(t)
	codes := []string{"", " ", "I", "I7", "I70", "I702", "I7023", "I70234", "I702341", "I70.234", "i70234",
		"I7025", "I70261", "I70262", "E1152", "E115", "E11", "E11.52", "I96", "I9", "I961", "I10", "??"}
	for _, e := range p.doc.Excludes1 {
		for _, c := range e.Codes {
			n := normalizeDiagnosis(c)
			codes = append(codes, n, n+"1", n[:len(n)-1])
		}
	}
	pairs := 0
	for _, a := range codes {
		for _, b := range codes {
			got, ok := p.Diagnosis(a).Excludes1With(p.Diagnosis(b))
			want := excludes1Scan(p, a, b)
			if got != want || ok != (want != nil) {
				t.Errorf("Excludes1 of %q and %q: %+v %v, a scan finds %+v", a, b, got, ok, want)
			}
			if ok {
				pairs++
			}
		}
	}
	if pairs < 8 {
		t.Fatalf("only %d code pairs are Excludes1 pairs: the test does not exercise the halves", pairs)
	}
}
