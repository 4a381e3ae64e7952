package x12io

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"sync"
	"testing"
	"time"
)

var (
	benchOnce sync.Once
	benchData []byte
)

// benchDrop is a synthetic 837P of about 64 MB written with Writer: claims
// of one to four lines with the segments a real professional claim has.
func benchDrop(b *testing.B) []byte {
	benchOnce.Do(func() {
		var buf bytes.Buffer
		buf.Grow(70 << 20)
		w := NewWriter(&buf, DefaultDelimiters)
		w.SetNewline(true)
		date := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)
		w.BeginInterchange(Interchange{SenderQualifier: "ZZ", SenderID: "SENDER", ReceiverQualifier: "ZZ", ReceiverID: "RECEIVER", Date: date, Control: "1"})
		w.BeginGroup("HC", "SENDER", "RECEIVER", date, "1", "005010X222A1")
		for tx := 0; buf.Len() < 64<<20; tx++ {
			w.BeginTransaction("837", fmt.Sprintf("%04d", tx+1), "005010X222A1")
			w.Segment("BHT", "0019", "00", "1", "20261127", "0300", "CH")
			w.Segment("NM1", "41", "2", "SUBMITTER", "", "", "", "", "46", "123456789")
			w.Segment("HL", "1", "", "20", "1")
			w.Segment("PRV", "BI", "PXC", "2086S0129X")
			w.Segment("NM1", "85", "2", "VASCULAR GROUP", "", "", "", "", "XX", "1234567893")
			for c := 0; c < 500; c++ {
				w.Segment("HL", fmt.Sprint(c+2), "1", "22", "0")
				w.Segment("SBR", "P", "18", "", "", "", "", "", "", "CI")
				w.Segment("NM1", "IL", "1", "DOE", "JANE", "", "", "", "MI", fmt.Sprintf("W%08d", c))
				w.Segment("NM1", "PR", "2", "AETNA", "", "", "", "", "PI", "60054")
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
			panic(err)
		}
		benchData = buf.Bytes()
	})
	return benchData
}

var (
	flatOnce sync.Once
	flatData []byte
)

// benchDropOneLine is benchDrop without line breaks: the layout most
// claim systems send (one long line).
func benchDropOneLine(b *testing.B) []byte {
	flatOnce.Do(func() { flatData = bytes.ReplaceAll(benchDrop(b), []byte("\n"), nil) })
	return flatData
}

func benchmarkReader(b *testing.B, data []byte, split bool) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	var segments int64
	for b.Loop() {
		r := NewReader(bytes.NewReader(data))
		for {
			seg, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if split {
				seg.NumElements()
			}
			segments++
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(segments)/float64(b.N)/1e6, "Msegments/op")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(segments), "allocs/segment")
}

// BenchmarkReader finds segments and checks envelopes; elements are split
// only for envelope segments (the rest are split when a consumer asks).
func BenchmarkReader(b *testing.B) { benchmarkReader(b, benchDrop(b), false) }

// BenchmarkReaderOneLine reads the same drop written as one long line.
func BenchmarkReaderOneLine(b *testing.B) { benchmarkReader(b, benchDropOneLine(b), false) }

// BenchmarkReaderSplitAll also splits every segment into elements.
func BenchmarkReaderSplitAll(b *testing.B) { benchmarkReader(b, benchDrop(b), true) }

// TestReaderSteadyStateDoesNotAllocate: after the first transaction, reading
// a segment allocates nothing (envelope strings are per transaction).
func TestReaderSteadyStateDoesNotAllocate(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 64 MB input")
	}
	data := benchDrop(nil)
	r := NewReader(bytes.NewReader(data))
	for i := 0; i < 100; i++ { // past the ISA/GS/ST
		if _, err := r.Next(); err != nil {
			t.Fatal(err)
		}
	}
	allocs := testing.AllocsPerRun(10000, func() {
		seg, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		seg.Element(2)
	})
	// One ST/SE pair per 500 claims allocates three envelope strings.
	if allocs > 0.01 {
		t.Fatalf("%.4f allocations per segment", allocs)
	}
}
