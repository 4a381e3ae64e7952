package spill

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"syscall"
	"testing"
)

// records are test records of many lengths, the empty one included.
func records(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = []byte(fmt.Sprintf("%d:%0*d", i, i%300, 7))
	}
	out[n/2] = nil
	return out
}

func appendAll(t *testing.T, f *File, recs [][]byte) {
	t.Helper()
	for _, r := range recs {
		if err := f.Append(r); err != nil {
			t.Fatal(err)
		}
	}
}

// A File is unlinked at once, and its records read back whole (Load) and
// streamed by section (Records) as they were appended.
func TestFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	f, err := Create(dir, "test-", 64)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if names, _ := os.ReadDir(dir); len(names) != 0 {
		t.Fatalf("the file has a name: %v", names)
	}
	if info, err := f.f.Stat(); err != nil || info.Sys().(*syscall.Stat_t).Nlink != 0 {
		t.Fatalf("links: %v %v", info, err)
	}
	first, second := records(500), records(30)
	appendAll(t, f, first)
	mid := f.Size()
	appendAll(t, f, second)
	if f.Len() != len(first)+len(second) {
		t.Fatalf("Len %d", f.Len())
	}
	loaded, err := f.Load()
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range append(slices.Clone(first), second...) {
		if loaded[i] != string(r) {
			t.Fatalf("record %d loaded as %q, want %q", i, loaded[i], r)
		}
	}
	if err := f.Flush(); err != nil {
		t.Fatal(err)
	}
	for _, sec := range []struct {
		off, size int64
		want      [][]byte
	}{{0, mid, first}, {mid, f.Size() - mid, second}} {
		r := f.Records(sec.off, sec.size)
		for i, want := range sec.want {
			got, err := r.Next()
			if err != nil || string(got) != string(want) {
				t.Fatalf("section at %d, record %d: %q %v, want %q", sec.off, i, got, err, want)
			}
		}
		if _, err := r.Next(); err != io.EOF {
			t.Fatalf("section at %d: after the last record: %v", sec.off, err)
		}
	}
}

// A section that does not end at a record, and a length past the
// section's end, are corrupt, not read past.
func TestRecordsRejectsACutSection(t *testing.T) {
	f, err := Create(t.TempDir(), "test-", 64)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	appendAll(t, f, [][]byte{[]byte("hello"), []byte("world")})
	f.Flush()
	for cut := int64(1); cut < f.Size(); cut++ {
		if cut == 6 {
			continue // the end of the first record
		}
		r := f.Records(0, cut)
		var err error
		for err == nil {
			_, err = r.Next()
		}
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("cut at %d: %v", cut, err)
		}
	}
}

// Split puts every record in the piece its key names, in order, and
// closes the file.
func TestSplit(t *testing.T) {
	dir := t.TempDir()
	f, err := Create(dir, "test-", 128)
	if err != nil {
		t.Fatal(err)
	}
	recs := records(1000)
	appendAll(t, f, recs)
	key := func(rec []byte) (int, error) {
		i, _, _ := bytesCut(rec, ':')
		n, err := strconv.Atoi(string(i))
		return n % 7, err
	}
	pieces, err := f.Split(7, dir, "piece-", 256, func(rec []byte) (int, error) {
		if len(rec) == 0 {
			return 0, nil
		}
		return key(rec)
	})
	if err != nil {
		t.Fatal(err)
	}
	defer CloseAll(pieces)
	if f.f != nil {
		t.Error("Split left the file open")
	}
	total := 0
	for p, piece := range pieces {
		got, err := piece.Load()
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, r := range recs {
			if k, _ := key(r); len(r) > 0 && k == p || len(r) == 0 && p == 0 {
				want = append(want, string(r))
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("piece %d: %d records, want %d", p, len(got), len(want))
		}
		total += len(got)
	}
	if total != len(recs) {
		t.Fatalf("%d records in the pieces, want %d", total, len(recs))
	}
	if names, _ := os.ReadDir(dir); len(names) != 0 {
		t.Fatalf("files left: %v", names)
	}

	// A piece out of range is an error, and no piece is left open.
	g, _ := Create(dir, "test-", 64)
	appendAll(t, g, recs[:3])
	if _, err := g.Split(2, dir, "piece-", 64, func([]byte) (int, error) { return 2, nil }); err == nil {
		t.Error("a piece out of range was accepted")
	}
}

func bytesCut(b []byte, sep byte) (before, after []byte, found bool) {
	for i, c := range b {
		if c == sep {
			return b[:i], b[i+1:], true
		}
	}
	return b, nil, false
}

// Merge gives the values of sorted runs in order, the earlier run's first
// among equals, and stops at an error.
func TestMerge(t *testing.T) {
	type v struct{ key, run int }
	a := []v{{1, 0}, {3, 0}, {3, 0}, {9, 0}}
	b := []v{{0, 1}, {3, 1}, {10, 1}}
	c := []v{{3, 2}}
	var got []v
	err := Merge([]Run[v]{SliceRun(a), SliceRun(b), SliceRun[v](nil), SliceRun(c)},
		func(x, y *v) bool { return x.key < y.key },
		func(x *v) error { got = append(got, *x); return nil })
	want := []v{{0, 1}, {1, 0}, {3, 0}, {3, 0}, {3, 1}, {3, 2}, {9, 0}, {10, 1}}
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("merged %v %v, want %v", got, err, want)
	}
	stop := errors.New("stop")
	n := 0
	err = Merge([]Run[v]{SliceRun(a)}, func(x, y *v) bool { return x.key < y.key }, func(*v) error {
		n++
		return stop
	})
	if err != stop || n != 1 {
		t.Fatalf("fn's error: %v after %d values", err, n)
	}
	bad := errors.New("bad run")
	err = Merge([]Run[v]{SliceRun(a), func() (*v, error) { return nil, bad }}, func(x, y *v) bool { return x.key < y.key }, func(*v) error { return nil })
	if err != bad {
		t.Fatalf("a run's error: %v", err)
	}
}
