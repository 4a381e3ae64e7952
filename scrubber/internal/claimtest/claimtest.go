// Package claimtest helps the tests of the claim reader and of the
// scrubber: a generated 837P drop, and every claim and problem of an input.
package claimtest

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/x12io"
)

// Drop is an 837P of claims realistic professional claims, one in
// targetEvery billing 0620T (none when 0), in transactions of 500 claims,
// one segment a line.
func Drop(claims, targetEvery int) []byte {
	var buf bytes.Buffer
	w := x12io.NewWriter(&buf, x12io.DefaultDelimiters)
	w.SetNewline(true)
	date := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)
	w.BeginInterchange(x12io.Interchange{SenderQualifier: "ZZ", SenderID: "SENDER", ReceiverQualifier: "ZZ", ReceiverID: "RECEIVER", Date: date, Control: "1"})
	w.BeginGroup("HC", "SENDER", "RECEIVER", date, "1", "005010X222A1")
	codes := []string{"99213", "99214", "93000", "36415", "80053", "71046", "20610", "11721"}
	for c := 0; c < claims; c++ {
		if c%500 == 0 {
			if c > 0 {
				w.EndTransaction()
			}
			w.BeginTransaction("837", fmt.Sprintf("%04d", c/500+1), "005010X222A1")
			w.Segment("BHT", "0019", "00", fmt.Sprintf("BATCH%d", c/500), "20261127", "0300", "CH")
			w.Segment("NM1", "41", "2", "BILLING SERVICE", "", "", "", "", "46", "S123456")
			w.Segment("PER", "IC", "EDI DESK", "TE", "5555550100")
			w.Segment("NM1", "40", "2", "CLEARINGHOUSE", "", "", "", "", "46", "R654321")
			w.Segment("HL", "1", "", "20", "1")
			w.Segment("PRV", "BI", "PXC", "2086S0129X")
			w.Segment("NM1", "85", "2", "VASCULAR ASSOCIATES", "", "", "", "", "XX", "1234567893")
			w.Segment("N3", "100 MEDICAL PARK DR")
			w.Segment("N4", "SPRINGFIELD", "IL", "627010001")
			w.Segment("REF", "EI", "371234567")
		}
		hl := 2 + c%500
		target := targetEvery > 0 && c%targetEvery == 0
		w.Segment("HL", fmt.Sprint(hl), "1", "22", "0")
		w.Segment("SBR", "P", "18", "GRP"+fmt.Sprint(c%97), "", "", "", "", "", "CI")
		w.Segment("NM1", "IL", "1", "SUBSCRIBER", "PAT", "Q", "", "", "MI", fmt.Sprintf("W%09d", c))
		w.Segment("N3", fmt.Sprintf("%d ELM STREET", c%9000))
		w.Segment("N4", "SPRINGFIELD", "IL", "62704")
		w.Segment("DMG", "D8", "19560412", "F")
		w.Segment("NM1", "PR", "2", "AETNA", "", "", "", "", "PI", "60054")
		lines := 1 + c%4
		w.Segment("CLM", fmt.Sprintf("PCN%08d", c), fmt.Sprint(125*lines), "", "", w.Composite("22", "B", "1"), "Y", "A", "Y", "Y")
		w.Segment("REF", "D9", fmt.Sprintf("TRACE%010d", c))
		w.Segment("HI", w.Composite("ABK", "I70234"), w.Composite("ABF", "E1152"), w.Composite("ABF", "I10"))
		w.Segment("NM1", "82", "1", "RENDERING", "RITA", "", "", "", "XX", "1987654321")
		w.Segment("PRV", "PE", "PXC", "207RI0011X")
		for l := 0; l < lines; l++ {
			code := codes[(c+l)%len(codes)]
			mods := []string{"HC", code}
			if target && l == 0 {
				mods = []string{"HC", "0620T", "RT"}
			}
			w.Segment("LX", fmt.Sprint(l+1))
			w.Segment("SV1", w.Composite(mods...), "125", "UN", "1", "", "", w.Composite("1", "2"))
			w.Segment("DTP", "472", "D8", "20260115")
			w.Segment("REF", "6R", fmt.Sprintf("LINE%d-%d", c, l))
		}
	}
	w.EndTransaction()
	w.EndGroup()
	w.EndInterchange()
	if err := w.Flush(); err != nil {
		panic(err) // a bytes.Buffer does not fail
	}
	return buf.Bytes()
}

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
