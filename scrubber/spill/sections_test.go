package spill

import (
	"fmt"
	"io"
	"testing"
)

type section struct {
	off, size int64
	recs      [][]byte
}

// sectionsOf appends n sections of a few records each and returns them.
func sectionsOf(t *testing.T, f *File, n int) []section {
	t.Helper()
	var secs []section
	for i := range n {
		recs := records(1 + i%4)
		for k := range recs {
			recs[k] = fmt.Appendf(nil, "section %d %s", i, recs[k])
		}
		off := f.Size()
		appendAll(t, f, recs)
		secs = append(secs, section{off, f.Size() - off, recs})
	}
	if err := f.Flush(); err != nil {
		t.Fatal(err)
	}
	return secs
}

func readSection(t *testing.T, r *Reader, s section) {
	t.Helper()
	for i, want := range s.recs {
		got, err := r.Next()
		if err != nil || string(got) != string(want) {
			t.Fatalf("section at %d, record %d: %q %v, want %q", s.off, i, got, err, want)
		}
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("section at %d: after the last record: %v", s.off, err)
	}
}

// Sections read in order share one buffer and read what Records reads; a
// section asked for while another is still being read, out of order, or
// appended after Sections was called reads through a buffer of its own,
// and still right.
func TestSectionsShareOneBufferInOrder(t *testing.T) {
	f, err := Create(t.TempDir(), "test-", 64)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	secs := sectionsOf(t, f, 2000)
	s := f.Sections()
	var shared *Reader
	for i, sec := range secs {
		r := s.Records(sec.off, sec.size)
		if i > 0 && r.r != shared.r {
			t.Fatalf("section %d, right after the one before it, got a buffer of its own", i)
		}
		shared = r
		readSection(t, r, sec)
	}

	// Two at once (a merge of a file's runs), then backwards.
	s = f.Sections()
	a := s.Records(secs[0].off, secs[0].size)
	b := s.Records(secs[1].off, secs[1].size)
	if a.r == b.r {
		t.Fatal("a section asked for while the one before it is read shares its buffer")
	}
	for i, want := range secs[0].recs {
		got, err := a.Next()
		if err != nil || string(got) != string(want) {
			t.Fatalf("a, record %d: %q %v", i, got, err)
		}
		if i < len(secs[1].recs) {
			if got, err := b.Next(); err != nil || string(got) != string(secs[1].recs[i]) {
				t.Fatalf("b, record %d: %q %v", i, got, err)
			}
		}
	}
	for i := len(secs) - 1; i >= len(secs)-50; i-- {
		readSection(t, s.Records(secs[i].off, secs[i].size), secs[i])
	}

	// Appended after Sections: past what it may read.
	s = f.Sections()
	more := sectionsOf(t, f, 3)
	readSection(t, s.Records(secs[len(secs)-1].off, secs[len(secs)-1].size), secs[len(secs)-1])
	for _, sec := range more {
		readSection(t, s.Records(sec.off, sec.size), sec)
	}
}

// A section cut inside a record is corrupt through Sections too, and the
// next section still reads right.
func TestSectionsRejectACutSection(t *testing.T) {
	f, err := Create(t.TempDir(), "test-", 64)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	secs := sectionsOf(t, f, 3)
	s := f.Sections()
	r := s.Records(secs[0].off, secs[0].size-1)
	for err == nil {
		_, err = r.Next()
	}
	if err != ErrCorrupt {
		t.Fatalf("cut section: %v", err)
	}
	readSection(t, s.Records(secs[1].off, secs[1].size), secs[1])
}
