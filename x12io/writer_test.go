package x12io

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// Copying an input's envelopes and some of its segments: the output keeps
// the input's delimiters, headers and control numbers, and its trailers
// are recounted, for every interchange of a file with two layouts.
func TestCopyEnvelopesAndRaw(t *testing.T) {
	input := isa('*', '^', ':', '~') + "\n" + body('*', ':', '~', "\n") + isa('|', '!', '>', '\n') + body('|', '>', '\n', "")
	var out bytes.Buffer
	w := NewWriter(&out, DefaultDelimiters)
	w.SetNewline(true)
	r := NewReader(strings.NewReader(input))
	for {
		seg, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case seg.Is("ISA"):
			err = w.CopyInterchange(seg)
		case seg.Is("GS"):
			err = w.CopyGroup(seg)
		case seg.Is("ST"):
			err = w.CopyTransaction(seg)
		case seg.Is("SE"):
			err = w.EndTransaction()
		case seg.Is("GE"):
			err = w.EndGroup()
		case seg.Is("IEA"):
			err = w.EndInterchange()
		case seg.Is("BHT"):
			continue // dropped: SE01 must say one segment less
		default:
			err = w.Raw(seg.Bytes())
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	res := readAll(t, bytes.NewReader(out.Bytes()))
	if res.fatal != nil || len(res.errs) > 0 || res.counts.Interchanges != 2 {
		t.Fatalf("output reads with %v %v, counts %+v:\n%s", res.fatal, res.errs, res.counts, out.Bytes())
	}
	want := isa('*', '^', ':', '~') + "\n" + strings.Replace(body('*', ':', '~', "\n"), "BHT*0019*00*1*20261127*0300*CH~\n", "", 1)
	want = strings.Replace(want, "SE*4*", "SE*3*", 1)
	second := isa('|', '!', '>', '\n') + strings.Replace(body('|', '>', '\n', ""), "BHT|0019|00|1|20261127|0300|CH\n", "", 1)
	want += strings.Replace(second, "SE|4|", "SE|3|", 1) // no line break added after a line-break terminator
	if out.String() != want {
		t.Fatalf("output:\n%q\nwant:\n%q", out.String(), want)
	}
}

func TestRawRefusesWhatWouldBreakTheOutput(t *testing.T) {
	for _, seg := range []string{"NTE*A~B", "SE*1*1", "ST", "GE*1*1", "GS*HC", "ISA*00", "IEA*1"} {
		w := NewWriter(io.Discard, DefaultDelimiters)
		if err := w.Raw([]byte(seg)); err == nil {
			t.Errorf("Raw(%q) wrote it", seg)
		}
		if err := w.Flush(); err == nil {
			t.Errorf("after Raw(%q) failed, Flush must return the error", seg)
		}
	}
	for _, seg := range []string{"NTE*A", "SV1*HC:0620T", "STX*1", "SEA", "GSX*1", "IS*1", "I", ""} {
		w := NewWriter(io.Discard, DefaultDelimiters)
		if err := w.Raw([]byte(seg)); err != nil {
			t.Errorf("Raw(%q): %v", seg, err)
		}
	}
}

func TestCopyChecksOrderAndIDs(t *testing.T) {
	isaSeg := ParseSegment([]byte(isa('*', '^', ':', '~')[:105]), DefaultDelimiters, 1, 0)
	gs := ParseSegment([]byte("GS*HC*S*R*20261127*0300*7*X*005010X222A1"), DefaultDelimiters, 2, 0)
	st := ParseSegment([]byte("ST*837*0001"), DefaultDelimiters, 3, 0)
	w := NewWriter(io.Discard, DefaultDelimiters)
	if w.CopyGroup(&gs) == nil {
		t.Error("CopyGroup outside an interchange")
	}
	w = NewWriter(io.Discard, DefaultDelimiters)
	if w.CopyInterchange(&gs) == nil {
		t.Error("CopyInterchange of a GS")
	}
	w = NewWriter(io.Discard, DefaultDelimiters)
	if w.CopyInterchange(&isaSeg) != nil || w.CopyGroup(&gs) != nil || w.CopyTransaction(&gs) == nil {
		t.Error("CopyTransaction of a GS")
	}
	w = NewWriter(io.Discard, DefaultDelimiters)
	if w.CopyInterchange(&isaSeg) != nil || w.CopyTransaction(&st) == nil {
		t.Error("CopyTransaction outside a group")
	}
}

type brokenWriter struct{}

func (brokenWriter) Write(p []byte) (int, error) { return 0, errors.New("disk full") }

// A failing output stops Raw once the buffer is flushed, not only Flush.
func TestRawReportsAFailingOutput(t *testing.T) {
	w := NewWriter(brokenWriter{}, DefaultDelimiters)
	seg := []byte(strings.Repeat("NTE*X", 100))
	for i := 0; i < 1000; i++ {
		if err := w.Raw(seg); err != nil {
			if !strings.Contains(err.Error(), "disk full") {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatal("Raw never reported the failing output")
}
