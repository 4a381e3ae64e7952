// Package benchdrop writes the synthetic 837P drops that the benchmarks of
// the X12 reader and of the ready/held split read: transactions of 500
// claims of one to four 0620T lines, one segment a line, written with
// x12io.Writer. It is for tests and benchmarks only.
package benchdrop

import (
	"bytes"
	"fmt"
	"time"

	"github.com/scrub837/scrub837/x12io"
)

// Options shape a drop.
type Options struct {
	// MinBytes: transactions are added until the drop is at least this
	// long.
	MinBytes int
	// Receiver writes the 1000B receiver name (NM1*40) in each
	// transaction.
	Receiver bool
	// PatientEvery puts a patient loop (HL 23, PAT, NM1*QC) under every
	// PatientEvery-th subscriber, from the first; 0 puts none.
	PatientEvery int
}

// Drop is the drop o describes. Its bytes depend on o only.
func Drop(o Options) []byte {
	var buf bytes.Buffer
	buf.Grow(o.MinBytes + o.MinBytes/8)
	w := x12io.NewWriter(&buf, x12io.DefaultDelimiters)
	w.SetNewline(true)
	date := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)
	w.BeginInterchange(x12io.Interchange{SenderQualifier: "ZZ", SenderID: "SENDER", ReceiverQualifier: "ZZ", ReceiverID: "RECEIVER", Date: date, Control: "1"})
	w.BeginGroup("HC", "SENDER", "RECEIVER", date, "1", "005010X222A1")
	for tx := 0; buf.Len() < o.MinBytes; tx++ {
		w.BeginTransaction("837", fmt.Sprintf("%04d", tx+1), "005010X222A1")
		w.Segment("BHT", "0019", "00", "1", "20261127", "0300", "CH")
		w.Segment("NM1", "41", "2", "SUBMITTER", "", "", "", "", "46", "123456789")
		if o.Receiver {
			w.Segment("NM1", "40", "2", "RECEIVER", "", "", "", "", "46", "987654321")
		}
		w.Segment("HL", "1", "", "20", "1")
		w.Segment("PRV", "BI", "PXC", "2086S0129X")
		w.Segment("NM1", "85", "2", "VASCULAR GROUP", "", "", "", "", "XX", "1234567893")
		hl := 1
		for c := 0; c < 500; c++ {
			hl++
			subscriber := hl
			patient := o.PatientEvery > 0 && c%o.PatientEvery == 0
			children := "0"
			if patient {
				children = "1"
			}
			w.Segment("HL", fmt.Sprint(subscriber), "1", "22", children)
			w.Segment("SBR", "P", "18", "", "", "", "", "", "", "CI")
			w.Segment("NM1", "IL", "1", "DOE", "JANE", "", "", "", "MI", fmt.Sprintf("W%08d", c))
			w.Segment("NM1", "PR", "2", "AETNA", "", "", "", "", "PI", "60054")
			if patient {
				hl++
				w.Segment("HL", fmt.Sprint(hl), fmt.Sprint(subscriber), "23", "0")
				w.Segment("PAT", "19")
				w.Segment("NM1", "QC", "1", "DOE", "JIM")
			}
			w.Segment("CLM", fmt.Sprintf("C%d-%d", tx, c), "3000", "", "", w.Composite("22", "B", "1"), "Y", "A", "Y", "Y")
			w.Segment("HI", w.Composite("ABK", "I70234"), w.Composite("ABF", "E1152"))
			for l := 0; l <= c%4; l++ {
				w.Segment("LX", fmt.Sprint(l+1))
				w.Segment("SV1", w.Composite("HC", "0620T", "RT"), "750", "UN", "1", "", "", w.Composite("1", "2"))
				w.Segment("DTP", "472", "D8", "20260115")
			}
		}
		w.EndTransaction()
	}
	w.EndGroup()
	w.EndInterchange()
	if err := w.Flush(); err != nil {
		panic(err) // a bytes.Buffer does not fail
	}
	return buf.Bytes()
}
