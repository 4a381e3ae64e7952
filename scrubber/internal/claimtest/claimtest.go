// Package claimtest helps the tests of the claim reader and of the
// scrubber: every claim and problem of an input, and where a line starts.
// (Their generated drops come from x12io/benchdrop.)
package claimtest

import (
	"bytes"
	"fmt"
	"io"
	"slices"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/x12io"
)

// Read reads every claim and problem of data, in file order: each claim
// cloned, nil in claims where a problem came, nil in problems where a
// claim came. allSegments hands the reader every segment, not only those
// it asks the x12io reader for.
func Read(data []byte, o claim.Options, allSegments bool) (claims []*claim.Claim, problems []*claim.Error, counts claim.Counts) {
	xr := x12io.NewReader(bytes.NewReader(data))
	r := claim.NewReader(xr, o)
	defer r.Close()
	if allSegments {
		xr.Want()
	}
	for {
		c, err := r.Next()
		if err == io.EOF {
			return claims, problems, r.Counts()
		}
		if err != nil {
			claims, problems = append(claims, nil), append(problems, err.(*claim.Error))
			continue
		}
		claims, problems = append(claims, Clone(c)), append(problems, nil)
	}
}

// LinePos is the Pos of line n (1-based) of a file written one segment a
// line: segment n starts line n.
func LinePos(data []byte, n int) claim.Pos {
	off := 0
	for i := 1; i < n; i++ {
		k := bytes.IndexByte(data[off:], '\n')
		if k < 0 {
			panic(fmt.Sprintf("the file has fewer than %d lines", n))
		}
		off += k + 1
	}
	return claim.Pos{Segment: int64(n), Offset: int64(off)}
}

// Clone is a deep copy of c, whose lists are the reader's scratch.
func Clone(c *claim.Claim) *claim.Claim {
	out := *c
	out.Diagnoses = slices.Clone(c.Diagnoses)
	out.Lines = slices.Clone(c.Lines)
	out.NPIs = slices.Clone(c.NPIs)
	for i := range out.Lines {
		out.Lines[i].Modifiers = slices.Clip(slices.Clone(out.Lines[i].Modifiers))
		out.Lines[i].Pointers = slices.Clip(slices.Clone(out.Lines[i].Pointers))
	}
	return &out
}
