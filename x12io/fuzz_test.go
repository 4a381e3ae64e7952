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

// FuzzReaderWant: a reader told to Want a few IDs hands out exactly the
// segments of a full read that are wanted, envelopes or malformed, with the
// same numbers and offsets, and reports the same problems.
func FuzzReaderWant(f *testing.F) {
	f.Add([]byte(isa('*', '^', ':', '~') + body('*', ':', '~', "\n")))
	f.Add([]byte(isa('*', '^', ':', '~') + "GS*HC~ST*837*1~HL*1**20*1~N1*PR*X~NM1*41~hl*2~CLM*1*2~SE*5*1~"))
	f.Add([]byte(isa('|', '!', '>', '\n') + "GS|HC\nST|837|1\nN3|A\nHL|1\nSE|3|1\n"))
	type seen struct {
		number, offset int64
		data           string
	}
	read := func(data []byte, want []string) (segs []seen, errs []string) {
		r := NewReaderSize(bytes.NewReader(data), 600)
		r.Want(want...)
		for calls := 0; calls <= 4*len(data)+16; calls++ {
			seg, err := r.Next()
			if err == io.EOF {
				return segs, errs
			}
			if err != nil {
				errs = append(errs, err.Error())
				if err.(*Error).Fatal {
					return segs, errs
				}
				continue
			}
			segs = append(segs, seen{seg.Number, seg.Offset, string(seg.Bytes())})
		}
		return segs, append(errs, "no end")
	}
	isID := func(c byte) bool { return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }
	f.Fuzz(func(t *testing.T, data []byte) {
		all, allErrs := read(data, nil)
		some, someErrs := read(data, []string{"CLM", "HL", "N1"})
		var want []seen
		for _, s := range all {
			d := s.data
			if len(d) < 2 || !isID(d[0]) || !isID(d[1]) || d[0] == 'I' || d[0] == 'G' || d[0] == 'S' ||
				d[:2] == "CL" || d[:2] == "HL" || d[:2] == "N1" {
				want = append(want, s)
			}
		}
		if len(some) != len(want) {
			t.Fatalf("Want handed out %d segments, want %d:\n%v\n%v", len(some), len(want), some, want)
		}
		for i := range want {
			if some[i] != want[i] {
				t.Fatalf("segment %d: %+v, want %+v", i, some[i], want[i])
			}
		}
		if len(someErrs) != len(allErrs) {
			t.Fatalf("problems %q, full read %q", someErrs, allErrs)
		}
		for i := range allErrs {
			if someErrs[i] != allErrs[i] {
				t.Fatalf("problem %d: %q, full read %q", i, someErrs[i], allErrs[i])
			}
		}
	})
}
