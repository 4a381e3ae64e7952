package main

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/scrub837/scrub837/x12io"
)

// Shapes are single files of one pathological form, for the benchmarks of
// issue 14 (time and memory must grow with the input linearly, whatever
// its shape): n is the number of lines or claims.
//
//	one-claim     one claim with n 0620T lines and n 76937 lines (an included
//	              code) on one date: every 76937 line is BUNDLE-INCLUDED with
//	              the n 0620T lines of its date, every 0620T line after the
//	              first a LINE-DUPLICATE
//	long-claim    one claim with n 0620T lines on one date and leg, each a
//	              co-surgeon's (62) with a rendering NPI of its own: two
//	              people's work, so no line repeats another and a rule that
//	              looked for the line another repeats would read them all
//	one-patient   n claims of one patient, each with one 0620T line on the
//	              same date and leg: every claim after the first repeats it
//	              (LINE-DUPLICATE across claims)
var shapes = map[string]func(w *x12io.Writer, n int){
	"one-claim":   shapeOneClaim,
	"long-claim":  shapeLongClaim,
	"one-patient": shapeOnePatient,
}

// shapeDate is the service date of every shape line.
const shapeDate = "20260115"

// checkShape reports whether shape name exists and n is at least 1.
func checkShape(name string, n int) error {
	if _, ok := shapes[name]; !ok {
		return fmt.Errorf("unknown shape %q (one-claim, long-claim, one-patient)", name)
	}
	if n < 1 {
		return fmt.Errorf("a shape needs at least 1 line or claim, not %d", n)
	}
	return nil
}

// writeShape writes shape name with n lines or claims to out.
func writeShape(name string, n int, out io.Writer, d x12io.Delimiters, newline bool) error {
	if err := checkShape(name, n); err != nil {
		return err
	}
	shape := shapes[name]
	w := x12io.NewWriter(out, d)
	w.SetNewline(newline)
	date := time.Date(2026, 1, 20, 3, 0, 0, 0, time.UTC)
	w.BeginInterchange(x12io.Interchange{SenderQualifier: "ZZ", SenderID: "SCRUBGEN", ReceiverQualifier: "ZZ", ReceiverID: "PAYERHUB",
		Date: date, Control: "1", Usage: "T"})
	w.BeginGroup("HC", "SCRUBGEN", "PAYERHUB", date, "1", "005010X222A1")
	w.BeginTransaction("837", "0001", "005010X222A1")
	w.Segment("BHT", "0019", "00", "SHAPE", "20260120", "0300", "CH")
	w.Segment("NM1", "41", "2", "SCRUB837 CLEARINGHOUSE", "", "", "", "", "46", "SCRUBGEN01")
	w.Segment("PER", "IC", "EDI SUPPORT", "TE", "3125550100")
	w.Segment("NM1", "40", "2", "PAYER HUB", "", "", "", "", "46", "PAYERHUB01")
	w.Segment("HL", "1", "", "20", "1")
	w.Segment("PRV", "BI", "PXC", "2086S0129X")
	w.Segment("NM1", "85", "2", "SHAPE VASCULAR GROUP", "", "", "", "", "XX", "1234567893")
	w.Segment("N3", "100 SHAPE AVE")
	w.Segment("N4", "CHICAGO", "IL", "606120001")
	w.Segment("REF", "EI", "990000001")
	w.Segment("HL", "2", "1", "22", "0")
	w.Segment("SBR", "P", "18", "", "", "", "", "", "", "MB")
	w.Segment("NM1", "IL", "1", "SHAPE", "PAT", "", "", "", "MI", "SHAPEMEMBER1")
	w.Segment("DMG", "D8", "19450101", "F")
	w.Segment("NM1", "PR", "2", "MEDICARE PART B", "", "", "", "", "PI", "12202")
	shape(w, n)
	w.EndTransaction()
	w.EndGroup()
	w.EndInterchange()
	return w.Flush()
}

// shapeClaim writes a CLM for lines of charge each and its HI (a rest-pain
// diagnosis of the right leg: no ulcer severity code needed).
func shapeClaim(w *x12io.Writer, id string, lines, charge int) {
	w.Segment("CLM", id, strconv.Itoa(lines*charge), "", "", w.Composite("22", "B", "1"), "Y", "A", "Y", "Y")
	w.Segment("HI", w.Composite("ABK", "I70221"))
}

// shapeLine writes one service line.
func shapeLine(w *x12io.Writer, n int, proc []string, charge int) {
	w.Segment("LX", strconv.Itoa(n))
	w.Segment("SV1", w.Composite(proc...), strconv.Itoa(charge), "UN", "1", "", "", "1")
	w.Segment("DTP", "472", "D8", shapeDate)
}

func shapeOneClaim(w *x12io.Writer, n int) {
	shapeClaim(w, "SHAPE-ONE-CLAIM", 2*n, 100)
	for i := 0; i < n; i++ {
		shapeLine(w, 2*i+1, []string{"HC", "0620T", "RT"}, 100)
		shapeLine(w, 2*i+2, []string{"HC", "76937"}, 100)
	}
}

func shapeLongClaim(w *x12io.Writer, n int) {
	shapeClaim(w, "SHAPE-LONG-CLAIM", n, 100)
	for i := 0; i < n; i++ {
		shapeLine(w, i+1, []string{"HC", "0620T", "RT", "62"}, 100)
		w.Segment("NM1", "82", "1", "SURGEON", "NUMBER"+strconv.Itoa(i), "", "", "", "XX", withCheckDigit(fmt.Sprintf("1%08d", i)))
		w.Segment("PRV", "PE", "PXC", "2086S0129X")
	}
}

func shapeOnePatient(w *x12io.Writer, n int) {
	for i := 0; i < n; i++ {
		shapeClaim(w, fmt.Sprintf("SHAPE-PATIENT-%d", i), 1, 12500)
		shapeLine(w, 1, []string{"HC", "0620T", "RT"}, 12500)
	}
}
