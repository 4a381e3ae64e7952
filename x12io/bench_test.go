package x12io_test

import (
	"bytes"
	"io"
	"runtime"
	"sync"
	"testing"

	"github.com/scrub837/scrub837/x12io"
	"github.com/scrub837/scrub837/x12io/benchdrop"
)

var (
	benchOnce sync.Once
	benchData []byte
)

// benchDrop is a synthetic 837P of about 64 MB written with Writer: claims
// of one to four lines with the segments a real professional claim has.
func benchDrop(b *testing.B) []byte {
	benchOnce.Do(func() { benchData = benchdrop.Drop(benchdrop.Options{MinBytes: 64 << 20}) })
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
		r := x12io.NewReader(bytes.NewReader(data))
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
	r := x12io.NewReader(bytes.NewReader(data))
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
