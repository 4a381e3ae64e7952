// Package benchdrop writes the synthetic 837P drops that benchmarks and
// tests read: one interchange of one group, SENDER to RECEIVER, one
// segment a line, written with x12io.Writer. Drop is the lean drop of the
// X12 reader's and the ready/held split's benchmarks; Claims has the
// segments of real professional claims, for the claim reader and the
// scrubber. It is for tests and benchmarks only.
package benchdrop

import (
	"bytes"
	"fmt"
	"time"

	"github.com/scrub837/scrub837/x12io"
)

// Options shape a Drop.
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

// Drop is the drop o describes: transactions of 500 claims of one to four
// 0620T lines. Its bytes depend on o only.
func Drop(o Options) []byte {
	return write(o.MinBytes+o.MinBytes/8, func(w *x12io.Writer, buf *bytes.Buffer) {
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
	})
}

// Claims is a drop of claims (at least 1) realistic professional claims of
// one to four lines, one in targetEvery billing 0620T on its first line
// (none when 0), in transactions of 500 claims.
func Claims(claims, targetEvery int) []byte {
	codes := []string{"99213", "99214", "93000", "36415", "80053", "71046", "20610", "11721"}
	return write(0, func(w *x12io.Writer, _ *bytes.Buffer) {
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
	})
}

// write is the interchange whose transactions body writes; capacity is a
// guess of its size.
func write(capacity int, body func(w *x12io.Writer, buf *bytes.Buffer)) []byte {
	var buf bytes.Buffer
	buf.Grow(capacity)
	w := x12io.NewWriter(&buf, x12io.DefaultDelimiters)
	w.SetNewline(true)
	date := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)
	w.BeginInterchange(x12io.Interchange{SenderQualifier: "ZZ", SenderID: "SENDER", ReceiverQualifier: "ZZ", ReceiverID: "RECEIVER", Date: date, Control: "1"})
	w.BeginGroup("HC", "SENDER", "RECEIVER", date, "1", "005010X222A1")
	body(w, &buf)
	w.EndGroup()
	w.EndInterchange()
	if err := w.Flush(); err != nil {
		panic(err) // a bytes.Buffer does not fail
	}
	return buf.Bytes()
}
