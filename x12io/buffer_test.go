package x12io

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// The buffer starts small and grows with the input: a small file costs a
// small buffer, a long one reads in chunks of the full size, and a segment
// as long as the cap is read whole from the first bytes, the buffer
// growing under it.
func TestBufferGrowsWithTheInput(t *testing.T) {
	small := isa('*', '^', ':', '~') + body('*', ':', '~', "\n")
	r := NewReader(strings.NewReader(small))
	readToEnd(t, r)
	if len(r.buf) != startBufSize {
		t.Fatalf("a %d-byte input grew the buffer to %d bytes", len(small), len(r.buf))
	}

	longSeg := "NTE*" + strings.Repeat("X", DefaultMaxSegmentLength-4) // exactly the cap
	withLong := isa('*', '^', ':', '~') + strings.Replace(body('*', ':', '~', "\n"), "BHT*0019*00*1*20261127*0300*CH", longSeg, 1)
	for name, src := range map[string]io.Reader{
		"one read":  strings.NewReader(withLong),
		"one byte":  iotest.OneByteReader(strings.NewReader(withLong)),
		"half read": iotest.HalfReader(strings.NewReader(withLong)),
	} {
		r := NewReader(src)
		var ids []string
		for {
			seg, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if seg.Is("NTE") && len(seg.Bytes()) != DefaultMaxSegmentLength {
				t.Fatalf("%s: NTE of %d bytes, want %d", name, len(seg.Bytes()), DefaultMaxSegmentLength)
			}
			ids = append(ids, string(seg.ID()))
		}
		if got := strings.Join(ids, " "); got != "ISA GS ST NTE SV1 SE GE IEA" {
			t.Fatalf("%s: segments %s", name, got)
		}
		if len(r.buf) > 2*DefaultMaxSegmentLength {
			t.Fatalf("%s: buffer %d bytes, more than twice the cap", name, len(r.buf))
		}
	}

	var b strings.Builder
	b.WriteString(isa('*', '^', ':', '~') + "GS*HC*S*R*20261127*0300*1*X*005010X222A1~ST*837*0001*005010X222A1~")
	for b.Len() < 1<<20 {
		b.WriteString("NTE*ADD*SOME NOTE TEXT~")
	}
	r = NewReader(strings.NewReader(b.String()))
	readToEnd(t, r)
	if len(r.buf) != r.bufMax {
		t.Fatalf("a 1 MiB input left the buffer at %d bytes, want %d", len(r.buf), r.bufMax)
	}
}

func readToEnd(t *testing.T, r *Reader) {
	t.Helper()
	for {
		_, err := r.Next()
		if err == io.EOF {
			return
		}
		if e, ok := err.(*Error); ok && e.Fatal {
			t.Fatal(e)
		}
	}
}
