package split

import (
	"bytes"
	"io"
	"runtime"
	"sync"
	"testing"

	"github.com/scrub837/scrub837/x12io/benchdrop"
)

var (
	benchOnce sync.Once
	benchData []byte
)

// benchDrop is a synthetic 837P of about 32 MB: transactions of 500
// claims of one to four lines, a patient loop under every third subscriber.
func benchDrop() []byte {
	benchOnce.Do(func() {
		benchData = benchdrop.Drop(benchdrop.Options{MinBytes: 32 << 20, Receiver: true, PatientEvery: 3})
	})
	return benchData
}

// BenchmarkSplit splits the drop with every other claim held.
func BenchmarkSplit(b *testing.B) {
	data := benchDrop()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	claims := 0
	for b.Loop() {
		n := 0
		counts, err := Split(bytes.NewReader(data), func(int64) bool { n++; return n%2 == 0 }, io.Discard, io.Discard)
		if err != nil {
			b.Fatal(err)
		}
		claims += counts.Claims
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(claims), "allocs/claim")
}
