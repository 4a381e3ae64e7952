package split

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/scrub837/scrub837/x12io"
)

var (
	benchOnce sync.Once
	benchData []byte
)

// benchDrop is a synthetic 837P of about 32 MB: transactions of 500
// claims of one to four lines, a patient loop under every third subscriber.
func benchDrop() []byte {
	benchOnce.Do(func() {
		var buf bytes.Buffer
		w := x12io.NewWriter(&buf, x12io.DefaultDelimiters)
		w.SetNewline(true)
		date := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)
		w.BeginInterchange(x12io.Interchange{SenderQualifier: "ZZ", SenderID: "SENDER", ReceiverQualifier: "ZZ", ReceiverID: "RECEIVER", Date: date, Control: "1"})
		w.BeginGroup("HC", "SENDER", "RECEIVER", date, "1", "005010X222A1")
		for tx := 0; buf.Len() < 32<<20; tx++ {
			w.BeginTransaction("837", fmt.Sprintf("%04d", tx+1), "005010X222A1")
			w.Segment("BHT", "0019", "00", "1", "20261127", "0300", "CH")
			w.Segment("NM1", "41", "2", "SUBMITTER", "", "", "", "", "46", "123456789")
			w.Segment("NM1", "40", "2", "RECEIVER", "", "", "", "", "46", "987654321")
			hl := 1
			w.Segment("HL", "1", "", "20", "1")
			w.Segment("PRV", "BI", "PXC", "2086S0129X")
			w.Segment("NM1", "85", "2", "VASCULAR GROUP", "", "", "", "", "XX", "1234567893")
			for c := 0; c < 500; c++ {
				hl++
				sub := hl
				patient := c%3 == 0
				w.Segment("HL", fmt.Sprint(sub), "1", "22", map[bool]string{true: "1", false: "0"}[patient])
				w.Segment("SBR", "P", "18", "", "", "", "", "", "", "CI")
				w.Segment("NM1", "IL", "1", "DOE", "JANE", "", "", "", "MI", fmt.Sprintf("W%08d", c))
				w.Segment("NM1", "PR", "2", "AETNA", "", "", "", "", "PI", "60054")
				if patient {
					hl++
					w.Segment("HL", fmt.Sprint(hl), fmt.Sprint(sub), "23", "0")
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
			panic(err)
		}
		benchData = buf.Bytes()
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
