package reports

import (
	"bytes"
	"testing"

	"github.com/scrub837/scrub837/scrubber/finding"
)

// sliceSource serves findings one at a time from a copy, as a spool on disk
// would: writers must not keep the pointer it hands out.
type sliceSource []finding.Finding

func (s sliceSource) Len() int { return len(s) }

func (s sliceSource) Each(fn func(*finding.Finding) error) error {
	for _, f := range s {
		if err := fn(&f); err != nil {
			return err
		}
	}
	return nil
}

// TestSourceGivesTheSameReports: every format writes the same bytes whether
// the findings are in Findings or come from a Source.
func TestSourceGivesTheSameReports(t *testing.T) {
	inMemory := sampleReport()
	if len(inMemory.Findings) < 2 {
		t.Fatal("the sample report needs findings")
	}
	streamed := *inMemory
	streamed.Source = sliceSource(append([]finding.Finding(nil), inMemory.Findings...))
	streamed.Findings = nil
	for _, name := range []string{"csv", "json", "html", "xlsx"} {
		format := formats[name]
		var a, b bytes.Buffer
		if err := format.Write(&a, inMemory); err != nil {
			t.Fatalf("%s in memory: %v", name, err)
		}
		if err := format.Write(&b, &streamed); err != nil {
			t.Fatalf("%s from a source: %v", name, err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s differs when the findings come from a Source", name)
		}
	}
	if streamed.NumFindings() != len(inMemory.Findings) {
		t.Errorf("NumFindings = %d", streamed.NumFindings())
	}
}
