package x12io

import (
	"bytes"
	"io"
	"testing"
)

// FuzzReader feeds arbitrary bytes to the reader. It must never panic or
// loop, every position it gives must lie inside the input, and its memory
// must stay within the segment cap whatever the input.
func FuzzReader(f *testing.F) {
	f.Add([]byte(isa('*', '^', ':', '~') + body('*', ':', '~', "\n")))
	f.Add([]byte(isa('|', '!', '>', '\n') + body('|', '>', '\n', "")))
	f.Add([]byte(isa('*', 'U', ':', '~') + "GS*HC~ST*837*1~SV1*HC:0620T**~SE*1*2~"))
	f.Add([]byte("\xEF\xBB\xBFISA*00*~"))
	f.Add([]byte("ISA*00*          *00*          *ZZ*A*ZZ*B*261127*0300*^*00501*1*0*P*:~\r\nGS*\n*HC~IEA~"))
	f.Fuzz(func(t *testing.T, data []byte) {
		const maxSeg = 600
		r := NewReaderSize(bytes.NewReader(data), maxSeg)
		var parts [][]byte
		limit := 4*len(data) + 16
		for calls := 0; ; calls++ {
			if calls > limit {
				t.Fatalf("more than %d calls to Next on %d bytes: not making progress", limit, len(data))
			}
			seg, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				e := err.(*Error)
				if e.Offset < 0 || e.Offset > int64(len(data)) {
					t.Fatalf("error offset %d outside %d bytes: %v", e.Offset, len(data), e)
				}
				if e.Fatal {
					if _, again := r.Next(); again != err {
						t.Fatal("a fatal error must be returned again")
					}
					break
				}
				continue
			}
			if seg.Offset < 0 || seg.Offset >= int64(len(data)) || len(seg.Bytes()) > maxSeg {
				t.Fatalf("segment %d at %d with %d bytes out of bounds", seg.Number, seg.Offset, len(seg.Bytes()))
			}
			for i := 0; i <= seg.NumElements()+1; i++ {
				seg.Element(i)
				seg.Component(i, 2)
				parts = seg.Repetitions(i, parts[:0])
			}
			if cap(r.buf) > 256<<10 || cap(r.scratch) > maxSeg || len(r.queue) > 16 {
				t.Fatalf("memory grew: buf %d scratch %d queue %d", cap(r.buf), cap(r.scratch), len(r.queue))
			}
		}
	})
}
