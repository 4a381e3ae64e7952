package split

import (
	"bytes"
	"errors"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/scrub837/scrub837/x12io"
	"github.com/scrub837/scrub837/x12io/x12test"
)

var decisions = []struct {
	name string
	held func(int64) bool
}{
	{"none held", noneHeld},
	{"all held", allHeld},
	{"random 1", heldBy(1)},
	{"random 2", heldBy(2)},
	{"random 3", heldBy(3)},
}

// The synthetic samples: the clean ones split under every decision; the
// broken ones (X12 faults, a truncated interchange, binary garbage) are
// refused with the reader's problem.
func TestSplitSamples(t *testing.T) {
	paths, err := filepath.Glob("../../testdata/*.837*")
	if err != nil || len(paths) < 7 {
		t.Fatalf("samples: %v %v", paths, err)
	}
	refused := map[string]bool{"06-x12-faults.837": true, "07-garbage.837": true}
	for _, path := range paths {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			input := x12test.ReadFile(t, path)
			for _, d := range decisions {
				res := checkSplit(t, input, d.held)
				if (res.err != nil) != refused[name] {
					t.Fatalf("%s: error %v; refusal expected: %v", d.name, res.err, refused[name])
				}
				if res.err == nil && res.counts.Claims == 0 && name != "05-not-837p.837" {
					t.Fatalf("%s: no claim split", d.name)
				}
			}
		})
	}
}

// The 837I of 05-not-837p.837 is split like any transaction (its claims
// go where held says), and its 835 holds no claim: in neither half.
func TestOtherTransactionsAreSplitByClaimAndThe835IsInNeither(t *testing.T) {
	input := x12test.ReadFile(t, "../../testdata/05-not-837p.837")
	res := checkSplit(t, input, noneHeld)
	if res.err != nil || res.counts.Claims == 0 || res.counts.Held != 0 {
		t.Fatalf("counts %+v, err %v", res.counts, res.err)
	}
	if !bytes.Contains(input, []byte("ST*835*")) || bytes.Contains(res.ready, []byte("ST*835*")) {
		t.Errorf("the 835 must be in the input and not in ready")
	}
	if !bytes.Contains(res.ready, []byte("005010X223")) {
		t.Errorf("the 837I claims must be in ready")
	}
}

// Every file of the public corpus: split when the reader reads it cleanly,
// else refused with the reader's problem. Then the same file with its
// trailers repaired (counts and controls made right by the test, without
// x12io), so the layouts of real senders (a "<" component separator, a
// newline terminator, indented segments, several ISAs, 4010) are split too.
func TestSplitCorpus(t *testing.T) {
	rows := x12test.Manifest(t, corpusDir)
	splitAsIs, splitRepaired := 0, 0
	for _, row := range rows {
		path := row["saved_path"]
		t.Run(filepath.Base(path), func(t *testing.T) {
			input := x12test.ReadFile(t, filepath.Join(corpusDir, path))
			fixed, repairable := repairTrailers(input, row)
			var asIs, repaired error
			for _, d := range decisions {
				asIs = checkSplit(t, input, d.held).err
				if repairable {
					res := checkSplit(t, fixed, d.held)
					repaired = res.err
					if res.err == nil && res.counts.Claims > 0 && d.name == "random 1" {
						splitRepaired++
					}
				}
			}
			if asIs == nil {
				splitAsIs++
			}
			if row["n_clm"] != "0" {
				t.Logf("%s (%s claims): as it is: %v; repaired: %v", row["kind"], row["n_clm"], asIs, repaired)
			}
		})
	}
	t.Logf("%d corpus files split as they are, %d with claims split once repaired", splitAsIs, splitRepaired)
	if splitRepaired < 10 {
		t.Fatalf("only %d repaired corpus files with claims were split", splitRepaired)
	}
}

// Refusals: each input reads with the problem named, or has a claim the
// split cannot place; Split returns a *Error saying where.
func TestRefusals(t *testing.T) {
	good := tinyDrop(defaultLayout)
	cases := []struct {
		name   string
		input  string
		reason string
		kind   x12io.Kind // of the reader's problem; 0 for the split's own
	}{
		{"wrong SE01", strings.Replace(good, "SE*28*0001", "SE*27*0001", 1), "SE01", x12io.KindCountMismatch},
		{"wrong IEA02", strings.Replace(good, "IEA*1*000000001", "IEA*1*000000002", 1), "IEA02", x12io.KindControlMismatch},
		{"cut short", good[:strings.Index(good, "SE*")], "", x12io.KindMissingTrailer},
		{"lower-case segment", strings.Replace(good, "DTP*472", "dtp*472", 1), "segment ID", x12io.KindBadSegmentID},
		{"claim before any HL", tinyDropOf(defaultLayout, edit("HL*1**20*1", "CLM*C0*1", "HL*1**20*1")), "before any HL", 0},
		{"parent not open", tinyDropOf(defaultLayout, edit("HL*2*1*22*0", "HL*2*9*22*0")), "not a loop open before it", 0},
		{"patient under a closed subscriber", tinyDropOf(defaultLayout, edit("HL*4*3*23*0", "HL*4*2*23*0")), "not a loop open before it", 0},
		{"segment outside a transaction", strings.Replace(good, "GE*1*1~", "NTE*X~GE*1*1~", 1), "outside a transaction", 0},
		{"not X12", "hello", "could not be read", x12io.KindNotX12},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var ready, held bytes.Buffer
			_, err := Split(strings.NewReader(c.input), noneHeld, &ready, &held)
			var se *Error
			if !errors.As(err, &se) || !strings.Contains(se.Error(), c.reason) || se.Offset < 0 {
				t.Fatalf("err = %v, want a *Error about %q", err, c.reason)
			}
			var xe *x12io.Error
			if got := errors.As(err, &xe); got != (c.kind != 0) || got && xe.Kind != c.kind {
				t.Fatalf("reader problem %v, want kind %v", xe, c.kind)
			}
			if c.kind == 0 && se.Segment == 0 {
				t.Errorf("a refusal of the split's own must name the segment: %v", se)
			}
		})
	}
}

// A half with no claim is given no byte at all.
func TestAnEmptyHalfGetsNoByte(t *testing.T) {
	for _, held := range []func(int64) bool{allHeld, noneHeld} {
		var ready, heldOut bytes.Buffer
		counts, err := Split(strings.NewReader(tinyDrop(defaultLayout)), held, &ready, &heldOut)
		if err != nil {
			t.Fatal(err)
		}
		empty := &ready
		if counts.Ready > 0 {
			empty = &heldOut
		}
		if empty.Len() != 0 || counts.Ready+counts.Held != 3 {
			t.Errorf("counts %+v: the empty half got %d bytes", counts, empty.Len())
		}
	}
}

type failWriter struct{ err error }

func (f failWriter) Write([]byte) (int, error) { return 0, f.err }

// A write error (a full disk) is returned as it is, not as a refusal.
func TestWriteErrorsAreReturned(t *testing.T) {
	full := errors.New("no space left")
	var ready bytes.Buffer
	_, err := Split(strings.NewReader(tinyDrop(defaultLayout)), heldBy(1), &ready, failWriter{full})
	var se *Error
	if !errors.Is(err, full) || errors.As(err, &se) {
		t.Fatalf("err = %v, want the write error", err)
	}
}

// The halves of the small drop, byte for byte, in several layouts. C2 (the
// second subscriber's own claim) and C3 (their patient's) are held: in held
// the subscriber is written once as a leaf for C2 (HL04 0) and again as the
// patient's parent (HL04 1), so every HL04 is true. C1 is ready.
func TestHalvesByteForByte(t *testing.T) {
	layouts := map[string]layout{
		"one line":             defaultLayout,
		"LF after terminators": {'*', '^', ':', '~', "\n"},
		"CRLF":                 {'*', '^', ':', '~', "\r\n"},
		"LF terminator":        {'*', '^', ':', '\n', ""},
		"unusual delimiters":   {'|', '!', '>', '\'', "\n"},
	}
	for name, l := range layouts {
		t.Run(name, func(t *testing.T) {
			input := tinyDrop(l)
			held := func(off int64) bool {
				id := input[off+4 : off+6]
				return id == "C2" || id == "C3"
			}
			res := checkSplit(t, []byte(input), held)
			if res.err != nil {
				t.Fatal(res.err)
			}
			out := l
			if l.after != "" && l.term != '\n' {
				out.after = "\n" // line breaks between segments are kept as LF
			}
			envelope := []string{isaFor(l), "GS*HC*S*R*20261127*0300*1*X*005010X222A1", "ST*837*0001*005010X222A1"}
			header := tinySegments[:3]
			wantReady := writeX12(out, slices.Concat(envelope, header, []string{
				"HL*1**20*1", "PRV*BI*PXC*2086S0129X", "NM1*85*2*SYNTHETIC VASCULAR*****XX*1234567893",
				"HL*2*1*22*0", "SBR*P*18*******CI", "NM1*IL*1*ZZALDER*ANNA****MI*SYNM1",
				"CLM*C1*1500***22:B:1*Y*A*Y*Y", "HI*ABK:I70234", "LX*1", "SV1*HC:0620T:RT*1500*UN*1***1", "DTP*472*D8*20261101",
				"SE*16*0001", "GE*1*1", "IEA*1*000000001"}))
			wantHeld := writeX12(out, slices.Concat(envelope, header, []string{
				"HL*1**20*1", "PRV*BI*PXC*2086S0129X", "NM1*85*2*SYNTHETIC VASCULAR*****XX*1234567893",
				"HL*2*1*22*0", "SBR*P********CI", "NM1*IL*1*ZZBIRCH*BEN****MI*SYNM2",
				"CLM*C2*100***11:B:1*Y*A*Y*Y", "LX*1", "SV1*HC:99213*100*UN*1***1",
				"HL*3*1*22*1", "SBR*P********CI", "NM1*IL*1*ZZBIRCH*BEN****MI*SYNM2",
				"HL*4*3*23*0", "PAT*19", "NM1*QC*1*ZZBIRCH*CARA",
				"CLM*C3*1500***22:B:1*Y*A*Y*Y", "LX*1", "SV1*HC:0620T:LT*1500*UN*1***1",
				"SE*23*0001", "GE*1*1", "IEA*1*000000001"}))
			if string(res.ready) != wantReady {
				t.Errorf("ready:\n%s\nwant:\n%s", res.ready, wantReady)
			}
			if string(res.held) != wantHeld {
				t.Errorf("held:\n%s\nwant:\n%s", res.held, wantHeld)
			}
			if res.counts != (Counts{Claims: 3, Ready: 1, Held: 2, Bytes: int64(len(input))}) {
				t.Errorf("counts %+v", res.counts)
			}
		})
	}
}

// Memory is bounded: segments kept for the halves (a transaction header, a
// loop's segments before its first claim) stop being kept past 4 MiB. A
// transaction with no claim may be that large (it is in neither half); a
// claim under such a loop, or under HL loops nested too deep, refuses the
// split.
func TestKeptSegmentsAreBounded(t *testing.T) {
	var big []string
	for i := 0; i < 70000; i++ {
		big = append(big, "NTE*ADD*"+strings.Repeat("X", 60))
	}
	noClaims := strings.Replace(tinyDropOf(defaultLayout, big), "ST*837*0001", "ST*835*0001", 1)
	withClaims := tinyDrop(defaultLayout)
	twoISAs := strings.Replace(noClaims, "000000001", "000000002", 2) + withClaims
	res := checkSplit(t, []byte(twoISAs), heldBy(1))
	if res.err != nil || res.counts.Claims != 3 {
		t.Fatalf("a large transaction without claims: %+v, %v", res.counts, res.err)
	}
	if bytes.Contains(res.ready, []byte("ST*835")) || bytes.Contains(res.held, []byte("ST*835")) {
		t.Error("the 835 must be in neither half")
	}

	bigLoop := tinyDropOf(defaultLayout, edit("PRV*BI*PXC*2086S0129X", append([]string{"PRV*BI*PXC*2086S0129X"}, big...)...))
	var ready, held bytes.Buffer
	_, err := Split(strings.NewReader(bigLoop), noneHeld, &ready, &held)
	var se *Error
	if !errors.As(err, &se) || !strings.Contains(se.Reason, "more than 4194304 bytes") {
		t.Fatalf("a claim under a loop of 4 MiB: %v", err)
	}

	var deep []string
	deep = append(deep, tinySegments[:3]...)
	for i := 1; i <= maxDepth+1; i++ {
		parent := ""
		if i > 1 {
			parent = strconv.Itoa(i - 1)
		}
		deep = append(deep, "HL*"+strconv.Itoa(i)+"*"+parent+"*22*1")
	}
	deep = append(deep, "CLM*DEEP*1")
	_, err = Split(strings.NewReader(tinyDropOf(defaultLayout, deep)), noneHeld, &ready, &held)
	if !errors.As(err, &se) || !strings.Contains(se.Reason, "nested") {
		t.Fatalf("a claim under %d nested loops: %v", maxDepth+1, err)
	}
}
