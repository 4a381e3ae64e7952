package x12io

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"testing/iotest"
)

// dataThenError delivers its data and an error in the same Read call, as a
// gzip.Reader does when the stream is cut short.
type dataThenError struct {
	data []byte
	err  error
}

func (d *dataThenError) Read(p []byte) (int, error) {
	if len(d.data) == 0 {
		return 0, d.err
	}
	n := copy(p, d.data)
	d.data = d.data[n:]
	if len(d.data) == 0 {
		return n, d.err
	}
	return n, nil
}

// stall delivers its data, then returns no data and no error for ever.
type stall struct{ data []byte }

func (s *stall) Read(p []byte) (int, error) {
	n := copy(p, s.data)
	s.data = s.data[n:]
	return n, nil
}

// isCLM reports whether a line of a one-segment-a-line file is a CLM.
func isCLM(line []byte) bool {
	return bytes.HasPrefix(line, []byte("CLM")) && (len(line) == 3 || line[3] == '*' || line[3] == '~')
}

// countCLMLines counts the CLM segments of a one-segment-a-line file without
// the reader.
func countCLMLines(data []byte) int {
	n := 0
	for _, line := range bytes.Split(data, []byte("\n")) {
		if isCLM(line) {
			n++
		}
	}
	return n
}

func readClaims(t *testing.T, src io.Reader) (claims int, problems []*Error, fatal *Error) {
	t.Helper()
	r := NewReader(src)
	for calls := 0; calls < 1e6; calls++ {
		seg, err := r.Next()
		if err == io.EOF {
			return claims, problems, nil
		}
		if err != nil {
			e := err.(*Error)
			if e.Fatal {
				return claims, problems, e
			}
			problems = append(problems, e)
			continue
		}
		if seg.Is("CLM") {
			claims++
		}
	}
	t.Fatal("the reader did not stop")
	return
}

// A read that returns data with an error: the data is parsed, then the
// error is reported, fatal and positioned. Truncated says whether the input
// ended inside an envelope or a segment.
func TestReadErrorAfterDataParsesTheData(t *testing.T) {
	whole := isa('*', '^', ':', '~') + "\n" + body('*', ':', '~', "\n")
	diskFire := errors.New("disk on fire")
	cases := []struct {
		name      string
		input     string
		segments  int
		truncated bool
	}{
		{"ends after IEA", whole, 8, false},
		{"ends inside the transaction", whole[:strings.Index(whole, "SE*")], 5, true},
		{"ends inside a segment", whole[:strings.Index(whole, "SV1*")+6], 5, true},
		{"ends inside the ISA", whole[:50], 0, true},
	}
	for _, c := range cases {
		for _, src := range []struct {
			name string
			r    io.Reader
		}{
			{"one read", &dataThenError{[]byte(c.input), diskFire}},
			{"one byte at a time", iotest.OneByteReader(&dataThenError{[]byte(c.input), diskFire})},
		} {
			t.Run(c.name+"/"+src.name, func(t *testing.T) {
				r := NewReader(src.r)
				segments := 0
				var problems []*Error
				var fatal *Error
				for fatal == nil {
					_, err := r.Next()
					switch e, _ := err.(*Error); {
					case err == nil:
						segments++
					case err == io.EOF:
						t.Fatal("io.EOF instead of the read error")
					case e.Fatal:
						fatal = e
					default:
						problems = append(problems, e)
					}
				}
				if segments != c.segments {
					t.Errorf("%d segments handed out, want %d", segments, c.segments)
				}
				if fatal.Kind != KindIO || !errors.Is(fatal, diskFire) || fatal.Truncated != c.truncated {
					t.Errorf("fatal = %+v, want KindIO wrapping the read error, Truncated %v", fatal, c.truncated)
				}
				if fatal.Offset != int64(len(c.input)) || !strings.Contains(fatal.Message, fmt.Sprintf("after %d bytes", len(c.input))) {
					t.Errorf("fatal at byte %d (%q), want %d", fatal.Offset, fatal.Message, len(c.input))
				}
				if r.Offset() != int64(len(c.input)) {
					t.Errorf("Offset() = %d after the error, want %d", r.Offset(), len(c.input))
				}
				for _, p := range problems {
					if !p.Truncated {
						t.Errorf("problem at the end not marked Truncated: %v", p)
					}
				}
				if _, again := r.Next(); again != error(fatal) {
					t.Errorf("the fatal error must be returned again, got %v", again)
				}
			})
		}
	}
}

// Issue 14 item 5: gzip -c testdata/01-dx.837 | head -c -8 gave none of its
// 15 claims. Every claim is read; the missing gzip trailer is then a fatal
// read error, not Truncated (every envelope was closed).
func TestGzipCutShortKeepsItsClaims(t *testing.T) {
	plain, err := os.ReadFile("../testdata/01-dx.837")
	if err != nil {
		t.Fatal(err)
	}
	want := countCLMLines(plain)
	if want != 15 {
		t.Fatalf("01-dx.837 has %d CLM lines; the test expects the sample's 15", want)
	}
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write(plain)
	zw.Close()

	cut := zipped.Bytes()[:zipped.Len()-8] // no CRC and size
	zr, err := gzip.NewReader(bytes.NewReader(cut))
	if err != nil {
		t.Fatal(err)
	}
	claims, problems, fatal := readClaims(t, zr)
	if claims != want || len(problems) != 0 {
		t.Errorf("%d claims and problems %v, want %d claims and none", claims, problems, want)
	}
	if fatal == nil || fatal.Kind != KindIO || !errors.Is(fatal, io.ErrUnexpectedEOF) || fatal.Truncated {
		t.Errorf("fatal = %+v, want a read error (unexpected EOF), not truncated", fatal)
	}

	// Cut in the middle of the deflate stream: what was decompressed is
	// read, and the end is truncated.
	half := zipped.Bytes()[:zipped.Len()/2]
	delivered, _ := io.ReadAll(mustGzip(t, half))
	zr = mustGzip(t, half)
	claims, _, fatal = readClaims(t, zr)
	if want := countCLMLines(delivered); claims != want || want == 0 {
		t.Errorf("cut in half: %d claims, %d in the bytes delivered", claims, want)
	}
	if fatal == nil || fatal.Kind != KindIO || !fatal.Truncated {
		t.Errorf("cut in half: fatal = %+v, want a truncated read error", fatal)
	}
}

func mustGzip(t *testing.T, b []byte) *gzip.Reader {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return zr
}

// A source that stops delivering (no data, no error) after some data: the
// data is read, then a fatal error says the input made no progress.
func TestStalledInputParsesWhatItGave(t *testing.T) {
	input := isa('*', '^', ':', '~') + body('*', ':', '~', "\n")
	res := readAll(t, &stall{[]byte(input)})
	if len(res.ids) != len(wantIDs) || len(res.errs) != 0 {
		t.Fatalf("ids %v errs %v", res.ids, res.errs)
	}
	if res.fatal == nil || res.fatal.Kind != KindIO || !errors.Is(res.fatal, io.ErrNoProgress) || res.fatal.Truncated {
		t.Fatalf("fatal = %+v", res.fatal)
	}
}

// At io.EOF, Offset is every byte the source delivered (trailing blank
// lines included): a command compares it with the file's size to notice a
// file that grew while it was read.
func TestOffsetAtTheEndIsEveryByteDelivered(t *testing.T) {
	input := isa('*', '^', ':', '~') + "\r\n" + body('*', ':', '~', "\r\n") + "\n\n  \n"
	for _, src := range []io.Reader{strings.NewReader(input), iotest.OneByteReader(strings.NewReader(input))} {
		r := NewReader(src)
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if r.Offset() != int64(len(input)) {
			t.Errorf("Offset() = %d at the end, want %d", r.Offset(), len(input))
		}
	}
}

// Issue 18: envelopes still open at the end of the input are reported as
// missing trailers marked Truncated (the file was cut short), while a
// trailer missing in the middle of a file is not.
func TestEnvelopesOpenAtTheEndAreTruncated(t *testing.T) {
	good := isa('*', '^', ':', '~') + body('*', ':', '~', "\n")
	cases := []struct {
		name  string
		input string
		want  []bool // Truncated of each problem, in order
	}{
		{"cut after SV1", good[:strings.Index(good, "SE*")], []bool{true, true, true}},
		{"cut after SE", good[:strings.Index(good, "GE*")], []bool{true, true}},
		{"cut after GE", good[:strings.Index(good, "IEA*")], []bool{true}},
		{"SE missing before GE", strings.Replace(good, "SE*4*0001~\n", "", 1), []bool{false}},
		{"SE missing before the next ST, then cut", strings.Replace(good, "SE*4*0001~\n", "", 1)[:strings.Index(good, "GE*")-len("SE*4*0001~\n")] + "ST*837*0002~\n",
			[]bool{false, true, true, true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := readAll(t, strings.NewReader(c.input))
			if res.fatal != nil {
				t.Fatalf("fatal %v", res.fatal)
			}
			var got []bool
			for _, e := range res.errs {
				if e.Kind != KindMissingTrailer {
					t.Fatalf("unexpected problem %v", e)
				}
				got = append(got, e.Truncated)
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("Truncated = %v, want %v (%v)", got, c.want, res.errs)
			}
		})
	}
}

// chunky delivers its data in reads of pseudo-random sizes, so segments
// straddle every kind of refill and compaction.
type chunky struct {
	data []byte
	rng  *rand.Rand
}

func (c *chunky) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), len(c.data), 1+c.rng.IntN(40000))
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

// Issue 18: segment and problem offsets stay right past the first buffer
// (256 KiB) whatever the read sizes. Every segment differs from every other
// (a serial number in it), and the expected offsets are recorded while the
// input is built, not derived from the reader: a reader that forgot to
// advance its base offset on compaction could not match them by chance.
func TestOffsetsPastTheBuffer(t *testing.T) {
	type want struct {
		number, offset int64
		data           string
	}
	for _, after := range []string{"", "\n", "\r\n"} {
		var b strings.Builder
		var segs []want
		var badOffsets []int64
		n := int64(0)
		add := func(s string) {
			n++
			segs = append(segs, want{n, int64(b.Len()), s})
			b.WriteString(s + "~" + after)
		}
		add(isa('*', '^', ':', '~')[:105])
		add("GS*HC*S*R*20261127*0300*1*X*005010X222A1")
		for tx := 1; b.Len() < 3<<20; tx++ {
			add(fmt.Sprintf("ST*837*%04d*005010X222A1", tx))
			inTx := 1
			for i := 0; i < 400; i++ {
				// Lengths vary too, so no two 256 KiB blocks line up.
				add(fmt.Sprintf("NTE*ADD*TX %d SEGMENT %d %s", tx, i, strings.Repeat("X", (i*7+tx)%90)))
				inTx++
				if i == 250 && tx%3 == 0 {
					badOffsets = append(badOffsets, int64(b.Len()))
					add(fmt.Sprintf("nte*%d", tx)) // a bad segment ID, reported where it is
					inTx++
				}
			}
			add(fmt.Sprintf("SE*%d*%04d", inTx+1, tx))
		}
		add("GE*1*1") // wrong GE01 on purpose: a problem at the very end
		add("IEA*1*000000001")
		input := b.String()
		t.Run(fmt.Sprintf("after %q", after), func(t *testing.T) {
			for name, src := range map[string]io.Reader{
				"one read":     strings.NewReader(input),
				"random reads": &chunky{[]byte(input), rand.New(rand.NewPCG(1, uint64(len(after))))},
				"half reads":   iotest.HalfReader(strings.NewReader(input)),
			} {
				r := NewReader(src)
				i := 0
				var bad []int64
				for {
					seg, err := r.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						e := err.(*Error)
						if e.Fatal {
							t.Fatalf("%s: %v", name, e)
						}
						if e.Kind == KindBadSegmentID {
							bad = append(bad, e.Offset)
						}
						continue
					}
					if i >= len(segs) {
						t.Fatalf("%s: more segments than written", name)
					}
					w := segs[i]
					if seg.Number != w.number || seg.Offset != w.offset || string(seg.Bytes()) != w.data {
						t.Fatalf("%s: segment %d at %d %.30q, want %d at %d %.30q", name, seg.Number, seg.Offset, seg.Bytes(), w.number, w.offset, w.data)
					}
					i++
				}
				if i != len(segs) {
					t.Errorf("%s: %d segments, want %d", name, i, len(segs))
				}
				if fmt.Sprint(bad) != fmt.Sprint(badOffsets) {
					t.Errorf("%s: bad segment IDs reported at %v, want %v", name, bad, badOffsets)
				}
				if r.Offset() != int64(len(input)) {
					t.Errorf("%s: Offset() = %d at the end, want %d", name, r.Offset(), len(input))
				}
			}
		})
	}
}
