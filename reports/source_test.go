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

// claimCopies serves claims from a copy that it scribbles over after each
// call, as a reused decode buffer would.
type claimCopies []finding.ClaimSummary

func (s claimCopies) Len() int { return len(s) }

func (s claimCopies) Each(fn func(*finding.ClaimSummary) error) error {
	var c finding.ClaimSummary
	for i := range s {
		c = s[i]
		if err := fn(&c); err != nil {
			return err
		}
		c = finding.ClaimSummary{ClaimID: "scribbled", File: "scribbled"}
	}
	return nil
}

// TestSourceGivesTheSameReports: every file of every format has the same
// bytes whether the findings are in Findings or come from a Source.
func TestSourceGivesTheSameReports(t *testing.T) {
	inMemory := analystReport()
	streamed := analystReport()
	streamed.Source = sliceSource(streamed.Findings)
	streamed.Findings = nil
	streamed.Claims = claimCopies(streamed.Claims.(ClaimSlice))
	for _, name := range Formats() {
		if name == "failtest" {
			continue
		}
		for _, ff := range formats[name].Files {
			var a, b bytes.Buffer
			if err := ff.Write(&a, inMemory); err != nil {
				t.Fatalf("%s in memory: %v", ff.Name, err)
			}
			if err := ff.Write(&b, streamed); err != nil {
				t.Fatalf("%s from a source: %v", ff.Name, err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("%s differs when the findings come from a Source", ff.Name)
			}
		}
	}
	if streamed.NumFindings() != inMemory.NumFindings() {
		t.Errorf("NumFindings = %d", streamed.NumFindings())
	}
}
