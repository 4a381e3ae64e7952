package x12io

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// isa builds a well-formed 106-byte ISA with the given delimiters.
func isa(elem, rep, comp, term byte) string {
	e := string(elem)
	fields := []string{"ISA", "00", "          ", "00", "          ", "ZZ", "SENDER         ", "ZZ", "RECEIVER       ",
		"261127", "0300", string(rep), "00501", "000000001", "0", "P", string(comp)}
	return strings.Join(fields, e) + string(term)
}

// body is a tiny 837 transaction with correct counts, written with the
// given delimiters and what goes after each terminator.
func body(elem, comp, term byte, after string) string {
	segs := []string{
		"GS*HC*S*R*20261127*0300*1*X*005010X222A1",
		"ST*837*0001*005010X222A1",
		"BHT*0019*00*1*20261127*0300*CH",
		"SV1*HC:0620T:LT*1500*UN*1***1:2",
		"SE*4*0001",
		"GE*1*1",
		"IEA*1*000000001",
	}
	var b strings.Builder
	for _, s := range segs {
		s = strings.ReplaceAll(s, ":", string(comp))
		s = strings.ReplaceAll(s, "*", string(elem))
		b.WriteString(s)
		b.WriteByte(term)
		b.WriteString(after)
	}
	return b.String()
}

type readResult struct {
	ids    []string
	errs   []*Error
	fatal  *Error
	last   *Segment
	sv1    []string // SV1 elements as read
	counts Counts
}

func readAll(t *testing.T, src io.Reader) readResult {
	t.Helper()
	r := NewReader(src)
	var res readResult
	for i := 0; i < 100000; i++ {
		seg, err := r.Next()
		if err == io.EOF {
			res.counts = r.Counts()
			return res
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			if e.Fatal {
				res.fatal = e
				res.counts = r.Counts()
				return res
			}
			res.errs = append(res.errs, e)
			continue
		}
		res.ids = append(res.ids, string(seg.ID()))
		if seg.Is("SV1") {
			for k := 1; k <= seg.NumElements(); k++ {
				res.sv1 = append(res.sv1, string(seg.Element(k)))
			}
		}
	}
	t.Fatal("reader did not stop")
	return res
}

var wantIDs = []string{"ISA", "GS", "ST", "BHT", "SV1", "SE", "GE", "IEA"}

func TestDelimiterLayouts(t *testing.T) {
	cases := []struct {
		name  string
		input string
	}{
		{"standard", isa('*', '^', ':', '~') + body('*', ':', '~', "")},
		{"LF after terminator", isa('*', '^', ':', '~') + "\n" + body('*', ':', '~', "\n")},
		{"CRLF after terminator", isa('*', '^', ':', '~') + "\r\n" + body('*', ':', '~', "\r\n")},
		{"CR after terminator", isa('*', '^', ':', '~') + "\r" + body('*', ':', '~', "\r")},
		{"BOM and blank lines before ISA", "\xEF\xBB\xBF\n \r\n\t" + isa('*', '^', ':', '~') + body('*', ':', '~', "")},
		{"LF is the terminator", isa('*', '^', ':', '\n') + body('*', ':', '\n', "")},
		{"CRLF where LF is the terminator", isa('*', '^', ':', '\r') + "\n" + body('*', ':', '\r', "\n")},
		{"unusual delimiters", isa('|', '~', '^', '!') + body('|', '^', '!', "\n")},
		{"4010 repetition U", isa('*', 'U', '>', '~') + body('*', '>', '~', "\n")},
		{"indented segments", isa('*', '^', ':', '~') + "\n" + strings.ReplaceAll(body('*', ':', '~', "\n"), "\n", "\n    ")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := readAll(t, strings.NewReader(c.input))
			if res.fatal != nil || len(res.errs) > 0 {
				t.Fatalf("unexpected errors: fatal=%v errs=%v", res.fatal, res.errs)
			}
			if strings.Join(res.ids, ",") != strings.Join(wantIDs, ",") {
				t.Fatalf("ids = %v, want %v", res.ids, wantIDs)
			}
			comp := ":"
			if c.name == "unusual delimiters" {
				comp = "^"
			} else if c.name == "4010 repetition U" {
				comp = ">"
			}
			want := []string{"HC" + comp + "0620T" + comp + "LT", "1500", "UN", "1", "", "", "1" + comp + "2"}
			if strings.Join(res.sv1, "|") != strings.Join(want, "|") {
				t.Fatalf("SV1 elements = %q, want %q", res.sv1, want)
			}
		})
	}
}

func TestWrappedLinesAreNotData(t *testing.T) {
	// Some systems wrap the stream at 80 columns, breaking inside segments.
	flat := isa('*', '^', ':', '~') + body('*', ':', '~', "")
	var wrapped strings.Builder
	for i := 0; i < len(flat); i += 80 {
		end := min(i+80, len(flat))
		wrapped.WriteString(flat[i:end])
		wrapped.WriteString("\r\n")
	}
	// Line breaks are noticed whichever read brings them in: one read, or a
	// byte at a time.
	res := readAll(t, iotest.OneByteReader(strings.NewReader(wrapped.String())))
	if again := readAll(t, strings.NewReader(wrapped.String())); strings.Join(again.sv1, "|") != strings.Join(res.sv1, "|") {
		t.Fatalf("one-byte reads gave %q, one read %q", res.sv1, again.sv1)
	}
	if res.fatal != nil || len(res.errs) > 0 {
		t.Fatalf("errors: %v %v", res.fatal, res.errs)
	}
	if strings.Join(res.ids, ",") != strings.Join(wantIDs, ",") {
		t.Fatalf("ids = %v", res.ids)
	}
	if got := strings.Join(res.sv1, "|"); got != "HC:0620T:LT|1500|UN|1|||1:2" {
		t.Fatalf("SV1 = %q", got)
	}
}

func TestOneByteReads(t *testing.T) {
	input := isa('*', '^', ':', '~') + "\n" + body('*', ':', '~', "\n")
	res := readAll(t, iotest.OneByteReader(strings.NewReader(input)))
	if res.fatal != nil || len(res.errs) > 0 || len(res.ids) != len(wantIDs) {
		t.Fatalf("one-byte reads: ids=%v fatal=%v errs=%v", res.ids, res.fatal, res.errs)
	}
}

func TestPositions(t *testing.T) {
	input := "\n" + isa('*', '^', ':', '~') + "\n" + body('*', ':', '~', "\n")
	r := NewReader(strings.NewReader(input))
	for n := int64(1); ; n++ {
		seg, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if seg.Number != n {
			t.Fatalf("segment number %d, want %d", seg.Number, n)
		}
		if !bytes.HasPrefix([]byte(input[seg.Offset:]), seg.Bytes()) {
			t.Fatalf("segment %d offset %d does not point at %q", n, seg.Offset, seg.Bytes())
		}
	}
}

func TestSeveralInterchangesWithTheirOwnDelimiters(t *testing.T) {
	input := isa('*', '^', ':', '~') + body('*', ':', '~', "\n") + isa('|', '!', '>', '\n') + body('|', '>', '\n', "")
	res := readAll(t, strings.NewReader(input))
	if res.fatal != nil || len(res.errs) > 0 {
		t.Fatalf("errors: %v %v", res.fatal, res.errs)
	}
	if len(res.ids) != 16 || res.counts.Interchanges != 2 || res.counts.Transactions != 2 {
		t.Fatalf("ids=%v counts=%+v", res.ids, res.counts)
	}
	if got := strings.Join(res.sv1[7:], "|"); got != "HC>0620T>LT|1500|UN|1|||1>2" {
		t.Fatalf("second interchange SV1 = %q", got)
	}
}

func TestElementsComponentsRepetitions(t *testing.T) {
	seg := ParseSegment([]byte("HI*ABK:I70234*ABF:E1152^ABF:I96**"), DefaultDelimiters, 7, 70)
	if string(seg.ID()) != "HI" || !seg.Is("HI") || seg.Is("H") || seg.Is("HIX") {
		t.Fatalf("ID/Is wrong: %q", seg.ID())
	}
	if seg.NumElements() != 4 {
		t.Fatalf("NumElements = %d", seg.NumElements())
	}
	if got := string(seg.Component(1, 2)); got != "I70234" {
		t.Fatalf("Component(1,2) = %q", got)
	}
	if got := string(seg.Component(2, 2)); got != "E1152" {
		t.Fatalf("Component(2,2) = %q (first repetition only)", got)
	}
	if seg.Component(1, 3) != nil || seg.Element(9) != nil || seg.Element(0) != nil {
		t.Fatal("absent parts must be nil")
	}
	reps := seg.Repetitions(2, nil)
	if len(reps) != 2 || string(reps[1]) != "ABF:I96" {
		t.Fatalf("Repetitions = %q", reps)
	}
	comps := seg.SplitComponents(reps[1], nil)
	if len(comps) != 2 || string(comps[1]) != "I96" {
		t.Fatalf("SplitComponents = %q", comps)
	}
	if got := seg.Components(1, nil); len(got) != 2 || string(got[0]) != "ABK" {
		t.Fatalf("Components = %q", got)
	}
	if seg.Number != 7 || seg.Offset != 70 {
		t.Fatal("position lost")
	}
}

func TestNotX12(t *testing.T) {
	cases := map[string]struct {
		input string
		want  string
	}{
		"empty":           {"", "empty"},
		"whitespace":      {" \n\n", "empty"},
		"no ISA":          {"GS*HC*A*B~ST*837*1~", "found a GS segment"},
		"patient data":    {"DOE,JANE,19560412", "found text that is not X12"},
		"gzip":            {"\x1f\x8b\x08\x00\x00\x00", "gzip"},
		"binary":          {"\x00\x01\x02\x03garbage", "binary"},
		"ISA cut short":   {"ISA*00*     *00~", "16 are required"},
		"ISA16 too long":  {strings.Replace(isa('*', '^', ':', '~'), "*:~", "*::~", 1) + "GS*X~", "terminator"},
		"alnum separator": {"ISAX00X", "found text that is not X12"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			res := readAll(t, strings.NewReader(c.input))
			if res.fatal == nil {
				t.Fatalf("no fatal error; ids=%v errs=%v", res.ids, res.errs)
			}
			if !strings.Contains(res.fatal.Message, c.want) {
				t.Fatalf("message %q does not contain %q", res.fatal.Message, c.want)
			}
			if res.fatal.Kind != KindNotX12 && res.fatal.Kind != KindBadISA {
				t.Fatalf("kind %v", res.fatal.Kind)
			}
		})
	}
}

func TestShortISAIsReadWithAWarning(t *testing.T) {
	short := strings.Replace(isa('*', '^', ':', '~'), "SENDER         ", "SENDER", 1)
	res := readAll(t, strings.NewReader(short+body('*', ':', '~', "\n")))
	if res.fatal != nil || len(res.errs) != 1 || res.errs[0].Kind != KindISALayout || res.errs[0].Segment != 1 {
		t.Fatalf("fatal=%v errs=%v", res.fatal, res.errs)
	}
	if len(res.ids) != len(wantIDs) {
		t.Fatalf("ids = %v", res.ids)
	}
}

func kinds(errs []*Error) []Kind {
	var out []Kind
	for _, e := range errs {
		out = append(out, e.Kind)
	}
	return out
}

func TestEnvelopeProblems(t *testing.T) {
	good := isa('*', '^', ':', '~') + body('*', ':', '~', "\n")
	cases := []struct {
		name    string
		input   string
		want    []Kind
		segment int64 // of the first error
	}{
		{"good", good, nil, 0},
		{"SE01 wrong", strings.Replace(good, "SE*4*", "SE*9*", 1), []Kind{KindCountMismatch}, 6},
		{"SE02 wrong", strings.Replace(good, "SE*4*0001", "SE*4*0002", 1), []Kind{KindControlMismatch}, 6},
		{"GE01 wrong", strings.Replace(good, "GE*1*1", "GE*2*1", 1), []Kind{KindCountMismatch}, 7},
		{"GE02 wrong", strings.Replace(good, "GE*1*1", "GE*1*7", 1), []Kind{KindControlMismatch}, 7},
		{"IEA01 wrong", strings.Replace(good, "IEA*1*", "IEA*x*", 1), []Kind{KindCountMismatch}, 8},
		{"IEA02 wrong", strings.Replace(good, "IEA*1*000000001", "IEA*1*000000002", 1), []Kind{KindControlMismatch}, 8},
		{"truncated after SV1", good[:strings.Index(good, "SE*")], []Kind{KindMissingTrailer, KindMissingTrailer, KindMissingTrailer}, 5},
		{"missing SE only", strings.Replace(good, "SE*4*0001~\n", "", 1), []Kind{KindMissingTrailer}, 6},
		{"ST without GS", strings.Replace(strings.Replace(good, "GS*HC*S*R*20261127*0300*1*X*005010X222A1~\n", "", 1), "GE*1*1~\n", "", 1),
			[]Kind{KindUnexpectedSegment, KindCountMismatch}, 2},
		{"unterminated last segment", strings.TrimSuffix(good, "~\n"), []Kind{KindUnterminated}, 8},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := readAll(t, strings.NewReader(c.input))
			if res.fatal != nil {
				t.Fatalf("fatal: %v", res.fatal)
			}
			got := kinds(res.errs)
			if len(got) != len(c.want) {
				t.Fatalf("kinds = %v, want %v (%v)", got, c.want, res.errs)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Fatalf("kinds = %v, want %v (%v)", got, c.want, res.errs)
				}
			}
			if len(res.errs) > 0 && res.errs[0].Segment != c.segment {
				t.Fatalf("first error at segment %d, want %d: %v", res.errs[0].Segment, c.segment, res.errs[0])
			}
		})
	}
}

func TestErrorsComeBeforeTheSegmentAndEnvelopeIsCurrent(t *testing.T) {
	good := isa('*', '^', ':', '~') + body('*', ':', '~', "\n")
	r := NewReader(strings.NewReader(strings.Replace(good, "SE*4*", "SE*9*", 1)))
	sawError := false
	for {
		seg, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			sawError = true
			if env := r.Envelope(); env.STControl != "0001" || env.GSControl != "1" || env.ISAControl != "000000001" {
				t.Fatalf("envelope at the error = %+v", env)
			}
			continue
		}
		if seg.Is("SE") && !sawError {
			t.Fatal("the SE01 error must come before the SE segment")
		}
	}
	if !sawError {
		t.Fatal("no error")
	}
}

func TestSegmentLengthCap(t *testing.T) {
	long := strings.Repeat("X", 5000)
	input := isa('*', '^', ':', '~') + strings.Replace(body('*', ':', '~', "\n"), "BHT*", "NTE*"+long+"*", 1)
	r := NewReaderSize(strings.NewReader(input), 1024)
	var errs []*Error
	n := 0
	for {
		seg, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, err.(*Error))
			continue
		}
		_ = seg
		n++
	}
	if len(errs) != 1 || errs[0].Kind != KindSegmentTooLong || errs[0].Segment != 4 {
		t.Fatalf("errs = %v", errs)
	}
	if n != 7 { // all but the long one; SE01 still counts it, so no count error
		t.Fatalf("segments handed out = %d", n)
	}
	if cap(r.buf) > 1<<20 || cap(r.scratch) > 1024 {
		t.Fatalf("memory grew: buf %d scratch %d", cap(r.buf), cap(r.scratch))
	}
}

func TestGarbageAfterValidStartStops(t *testing.T) {
	garbage := bytes.Repeat([]byte("\x00\x01~"), 1000)
	input := append([]byte(isa('*', '^', ':', '~')+"GS*HC*S*R*20261127*0300*1*X*005010X222A1~"), garbage...)
	res := readAll(t, bytes.NewReader(input))
	if res.fatal == nil || res.fatal.Kind != KindNotX12 {
		t.Fatalf("fatal = %v", res.fatal)
	}
	if len(res.errs) > maxBadSegmentsInARow {
		t.Fatalf("%d errors before stopping", len(res.errs))
	}
}

type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n > 0 {
		s := isa('*', '^', ':', '~')
		f.n = 0
		return copy(p, s), nil
	}
	return 0, errors.New("disk on fire")
}

func TestReadErrorIsFatalAndWrapped(t *testing.T) {
	res := readAll(t, &failingReader{n: 1})
	if res.fatal == nil || res.fatal.Kind != KindIO || !strings.Contains(res.fatal.Error(), "disk on fire") {
		t.Fatalf("fatal = %v", res.fatal)
	}
}

// Want: only the wanted segments (and the envelopes) are handed out, with
// the numbers and offsets they have when every segment is; the skipped
// ones are still counted in their envelope (SE01 checks out), and a
// malformed one is reported and handed out. It holds for one read and for one-byte
// reads (the slow path), with and without a line break after terminators.
func TestWantSkipsTheOtherSegments(t *testing.T) {
	segs := []string{
		"GS*HC*S*R*20261127*0300*1*X*005010X222A1",
		"ST*837*0001*005010X222A1",
		"BHT*0019*00*1*20261127*0300*CH",
		"NM1*41*2*SENDER",
		"N3*1 MAIN ST",
		"N4*CITY*IL*60601",
		"hl*1**20*1",
		"HL*2*1*22*0",
		"REF*EI*123",
		"CLM*C1*100***11:B:1",
		"DTP*472*D8*20261101",
		"SE*11*0001",
		"GE*1*1",
		"IEA*1*000000001",
	}
	type seen struct {
		id          string
		number, off int64
	}
	for _, after := range []string{"", "\n"} {
		input := isa('*', '^', ':', '~') + after + strings.Join(segs, "~"+after) + "~" + after
		read := func(src io.Reader, want []string) (out []seen, problems []string) {
			r := NewReader(src)
			r.Want(want...)
			for {
				seg, err := r.Next()
				if err == io.EOF {
					return out, problems
				}
				if err != nil {
					problems = append(problems, err.Error())
					continue
				}
				out = append(out, seen{string(seg.ID()), seg.Number, seg.Offset})
			}
		}
		all, allProblems := read(strings.NewReader(input), nil)
		for _, src := range []io.Reader{strings.NewReader(input), iotest.OneByteReader(strings.NewReader(input))} {
			some, problems := read(src, []string{"CLM", "HL"})
			var wantSeen []seen
			for _, s := range all {
				switch s.id {
				case "ISA", "GS", "ST", "hl", "HL", "CLM", "SE", "GE", "IEA": // hl: malformed
					wantSeen = append(wantSeen, s)
				}
			}
			if fmt.Sprint(some) != fmt.Sprint(wantSeen) {
				t.Errorf("after %q: handed out %v, want %v", after, some, wantSeen)
			}
			if strings.Join(problems, "|") != strings.Join(allProblems, "|") || len(problems) != 1 || !strings.Contains(problems[0], "segment ID") {
				t.Errorf("after %q: problems %q, reading all %q; want the bad ID only", after, problems, allProblems)
			}
		}
	}
}

// A bad segment ID is described, never quoted: the bytes of a segment that
// lost its start may be a patient's name (issue 14).
func TestBadSegmentIDIsNotQuoted(t *testing.T) {
	for _, tc := range []struct{ seg, want string }{
		{"dOE*JANE", "a segment ID of 3 characters that is not upper case"},
		{"SMITHJOHN*X", "a segment ID of more than 3 characters"},
		{"*DOE", "a segment with no ID"},
		{"D", "a segment ID of 1 character;"},
		{"D-E*X", "a segment ID of 3 characters that are not all letters or digits"},
		{"é*X", "a segment ID of 2 characters that are not all letters or digits"},
	} {
		input := isa('*', '^', ':', '~') + "GS*HC*S*R*20260101*1200*1*X*005010X222A1~ST*837*0001~" + tc.seg + "~SE*3*0001~GE*1*1~IEA*1*000000001~"
		r := NewReader(strings.NewReader(input))
		var msgs []string
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			var e *Error
			if errors.As(err, &e) && e.Kind == KindBadSegmentID {
				msgs = append(msgs, e.Message)
			}
		}
		if len(msgs) != 1 || !strings.Contains(msgs[0], tc.want) {
			t.Errorf("%q: messages %q, want one saying %q", tc.seg, msgs, tc.want)
			continue
		}
		for _, part := range []string{"dOE", "DOE", "JANE", "SMITH", "D-E", "é"} {
			if strings.Contains(tc.seg, part) && strings.Contains(msgs[0], part) {
				t.Errorf("%q: message %q quotes the segment", tc.seg, msgs[0])
			}
		}
	}
}
