package claim_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/internal/claimtest"
	"github.com/scrub837/scrub837/x12io"
	"github.com/scrub837/scrub837/x12io/benchdrop"
	"github.com/scrub837/scrub837/x12io/x12test"
)

// options are the reader's options in these tests: 0620T, a few related
// codes, payer groups by payer ID.
func options(file string) claim.Options {
	return claim.Options{
		Procedure: "0620T",
		Related: func(code []byte) bool {
			switch string(code) {
			case "36200", "37224", "76937":
				return true
			}
			return false
		},
		PayerGroup: func(id, name string) string { return "group of " + id },
		File:       file,
	}
}

// read reads every claim of data, and its problems.
func read(t testing.TB, name string, data []byte) ([]*claim.Claim, []*claim.Error, claim.Counts) {
	t.Helper()
	var claims []*claim.Claim
	var problems []*claim.Error
	cs, ps, counts := claimtest.Read(data, options(name), false)
	for i := range cs {
		if cs[i] != nil {
			claims = append(claims, cs[i])
		} else {
			problems = append(problems, ps[i])
		}
	}
	return claims, problems, counts
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// readEdited reads fixture name with each edit's first text replaced by
// its second, once; a text the fixture lacks fails the test (the edit
// would silently test nothing).
func readEdited(t testing.TB, name string, edits [][2]string) ([]*claim.Claim, []*claim.Error, claim.Counts) {
	t.Helper()
	text := string(readFixture(t, name))
	for _, edit := range edits {
		if !strings.Contains(text, edit[0]) {
			t.Fatalf("fixture has no %q", edit[0])
		}
		text = strings.Replace(text, edit[0], edit[1], 1)
	}
	return read(t, name, []byte(text))
}

func linePos(data []byte, n int) claim.Pos { return claimtest.LinePos(data, n) }

func TestModelClaims(t *testing.T) {
	data := readFixture(t, "claims.txt")
	claims, problems, n := read(t, "claims.txt", data)
	at := func(n int) claim.Pos { return linePos(data, n) }

	if len(problems) != 0 {
		t.Fatalf("problems in a well-formed file: %+v", problems)
	}
	if n != (claim.Counts{Interchanges: 1, Transactions: 1, Claims: 4, ServiceLines: 6, TargetLines: 3, Bytes: int64(len(data)), Professional: true}) {
		t.Errorf("counts %+v", n)
	}
	// C3 bills neither 0620T nor a related code: never returned. C4 bills
	// only a related code (37224): returned, with no target line.
	var ids []string
	for _, c := range claims {
		ids = append(ids, c.ID)
	}
	if strings.Join(ids, ",") != "C1,C2,C4" {
		t.Fatalf("claims %v, want C1,C2,C4", ids)
	}

	env := x12io.Envelope{ISAControl: "000000101", ISAVersion: "00501", GSControl: "101", GSVersion: "005010X222A1",
		STType: "837", STControl: "0001", STVersion: "005010X222A1"}
	c1 := claims[0]
	want := &claim.Claim{
		File: "claims.txt", FileIndex: 0, Envelope: env,
		BillingTaxonomy: "2086S0129X", BillingTaxonomyPos: at(9),
		BillingNPI: "1234567893", BillingNPIPos: at(10),
		MemberID: "W00000001", MemberIDPos: at(19),
		PayerName: "AETNA", PayerID: "60054", PayerPos: at(23), PayerGroup: "group of 60054",
		ID: "C1", Pos: at(24), TotalCharge: "2300", PlaceOfService: "22", Frequency: "1",
		// APR (reason for visit) and BE (value) are not pointable: left out.
		Diagnoses: []claim.Diagnosis{
			{Qualifier: "ABK", Code: "I70234", Pointer: 1, Pos: at(26)},
			{Qualifier: "ABF", Code: "E1152", Pointer: 2, Pos: at(26)},
			{Qualifier: "ABF", Code: "I96", Pointer: 3, Pos: at(27)},
			{Qualifier: "ABF", Code: "Z8679", Pointer: 4, Pos: at(27)},
		},
		// 2310B, not the 2310A referring (NM1*DN), the 2310C facility
		// (NM1*77) nor the 2330D other payer's rendering NM1*82.
		RenderingNPI: "2222222224", RenderingNPIPos: at(29),
		RenderingTaxonomy: "207RI0011X", RenderingTaxonomyPos: at(30),
		Lines: []claim.Line{
			{Number: 1, LXPos: at(39), SV1Pos: at(40), Qualifier: "HC", Procedure: "0620T", Modifiers: []string{"RT", "59"},
				Charge: "1500", UnitBasis: "UN", Units: "1", PlaceOfService: "22", Pointers: []string{"1", "", "2"},
				DateQualifier: "D8", ServiceDate: "20260115", DatePos: at(41)},
			{Number: 2, LXPos: at(43), SV1Pos: at(44), Qualifier: "HC", Procedure: "36200",
				Charge: "300", UnitBasis: "UN", Units: "1", Pointers: []string{"3"},
				DateQualifier: "D8", ServiceDate: "20260115", DatePos: at(45),
				// 2420A, not the 2420E ordering provider after it.
				RenderingNPI: "4444444442", RenderingNPIPos: at(46),
				RenderingTaxonomy: "2085R0204X", RenderingTaxonomyPos: at(47)},
			{Number: 3, LXPos: at(49), SV1Pos: at(50), Qualifier: "HC", Procedure: "0620T", Modifiers: []string{"LT", "RT", "50", "KX"},
				Charge: "500", UnitBasis: "UN", Units: "2", PlaceOfService: "21", Pointers: []string{"4", "1", "3", "2"},
				DateQualifier: "RD8", ServiceDate: "20260115-20260116", DatePos: at(51)},
		},
		TargetLines: 2,
		// NM108 XX: 2010AA, 2310A, 2310B, 2310C and 2420A (not the 2330D
		// other payer's NM1*82 nor the 2420E ordering provider).
		NPIs: []claim.ProviderNPI{
			{Loop: "2010AA", Entity: "85", NPI: "1234567893", Pos: at(10), Line: -1},
			{Loop: "2310A", Entity: "DN", NPI: "1111111112", Pos: at(28), Line: -1},
			{Loop: "2310B", Entity: "82", NPI: "2222222224", Pos: at(29), Line: -1},
			{Loop: "2310C", Entity: "77", NPI: "3333333336", Pos: at(31), Line: -1},
			{Loop: "2420A", Entity: "82", NPI: "4444444442", Pos: at(46), Line: 1},
		},
	}
	compareClaims(t, c1, want)

	c2 := claims[1]
	want2 := &claim.Claim{
		File: "claims.txt", Envelope: env,
		BillingTaxonomy: "2086S0129X", BillingTaxonomyPos: at(9),
		BillingNPI: "1234567893", BillingNPIPos: at(10),
		// Under a 2000C patient: member and payer are the parent 2000B's.
		MemberID: "W00000002", MemberIDPos: at(54), HasPatient: true,
		PayerName: "BLUE CROSS", PayerID: "BC001", PayerPos: at(55), PayerGroup: "group of BC001",
		ID: "C2", Pos: at(59), TotalCharge: "750", PlaceOfService: "11", Frequency: "1",
		Diagnoses: []claim.Diagnosis{{Qualifier: "ABK", Code: "I70244", Pointer: 1, Pos: at(60)}},
		// The only NM1*82 is the 2330D other payer's (after SBR): no 2310B.
		Lines: []claim.Line{
			{Number: 1, LXPos: at(65), SV1Pos: at(66), Qualifier: "HC", Procedure: "0620T",
				Charge: "750", UnitBasis: "UN", Units: "1",
				DateQualifier: "D8", ServiceDate: "20260201", DatePos: at(67)},
		},
		TargetLines: 1,
		NPIs:        []claim.ProviderNPI{{Loop: "2010AA", Entity: "85", NPI: "1234567893", Pos: at(10), Line: -1}},
	}
	compareClaims(t, c2, want2)

	c4 := claims[2]
	if c4.ID != "C4" || c4.MemberID != "W00000003" || c4.HasPatient || len(c4.Lines) != 1 || c4.Lines[0].Procedure != "37224" || c4.TargetLines != 0 {
		t.Errorf("C4 = %+v", c4)
	}
}

// The claim's REF*F8 is the 2300 one: not a line's (2400) nor an other
// payer's (2330) REF of the same qualifier. CLM05-3 is read as written.
func TestFrequencyAndOriginalRef(t *testing.T) {
	claims, problems, _ := readEdited(t, "claims.txt", [][2]string{
		{"REF*D9*TRACE1~", "REF*F8*PAYERCLAIM1~"},
		{"REF*G2*OTHERRENDER~", "REF*F8*OTHERPAYER~"},
		{"REF*6R*L1~", "REF*F8*LINE~"},
		{"CLM*C2*750***11:B:1*", "CLM*C2*750***11:B:8*"},
		{"CLM*C4*200***11:B:1*", "CLM*C4*200***11*"},
	})
	if len(problems) != 0 || len(claims) != 3 {
		t.Fatalf("%d claims, problems %+v", len(claims), problems)
	}
	for i, want := range [][2]string{{"1", "PAYERCLAIM1"}, {"8", ""}, {"", ""}} {
		if c := claims[i]; c.Frequency != want[0] || c.OriginalRef != want[1] {
			t.Errorf("claim %s: frequency %q, REF*F8 %q; want %q, %q", c.ID, c.Frequency, c.OriginalRef, want[0], want[1])
		}
	}
}

func compareClaims(t *testing.T, got, want *claim.Claim) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	gv, wv := reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem()
	for i := 0; i < gv.NumField(); i++ {
		name := gv.Type().Field(i).Name
		if name == "Lines" {
			continue
		}
		if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			t.Errorf("claim %s: %s = %#v, want %#v", want.ID, name, gv.Field(i).Interface(), wv.Field(i).Interface())
		}
	}
	if len(got.Lines) != len(want.Lines) {
		t.Fatalf("claim %s: %d lines, want %d", want.ID, len(got.Lines), len(want.Lines))
	}
	for k := range got.Lines {
		gl, wl := reflect.ValueOf(got.Lines[k]), reflect.ValueOf(want.Lines[k])
		for i := 0; i < gl.NumField(); i++ {
			if !reflect.DeepEqual(gl.Field(i).Interface(), wl.Field(i).Interface()) {
				t.Errorf("claim %s line %d: %s = %#v, want %#v", want.ID, k+1, gl.Type().Field(i).Name, gl.Field(i).Interface(), wl.Field(i).Interface())
			}
		}
	}
}

// TestModelDelimitersAndLayout reads the base fixture rewritten with other
// delimiters, as one long line, and with CRLF line ends: the claims must
// come out the same.
func TestModelDelimitersAndLayout(t *testing.T) {
	base := readFixture(t, "base.txt")
	want, _, _ := read(t, "base.txt", base)
	if len(want) != 1 || want[0].ID != "C1" || want[0].Lines[0].Modifiers[0] != "RT" {
		t.Fatalf("base claims %+v", want)
	}
	oneLine := bytes.ReplaceAll(base, []byte("\n"), nil)
	crlf := bytes.ReplaceAll(base, []byte("\n"), []byte("\r\n"))
	// Element |, repetition ~ is not used here, component >, terminator !.
	other := bytes.NewBuffer(nil)
	for _, c := range base {
		switch c {
		case '*':
			c = '|'
		case ':':
			c = '>'
		case '~':
			c = '!'
		case '^':
			c = '}'
		}
		other.WriteByte(c)
	}
	for name, data := range map[string][]byte{"one line": oneLine, "crlf": crlf, "other delimiters": other.Bytes()} {
		got, problems, n := read(t, name, data)
		if len(problems) != 0 {
			t.Errorf("%s: problems %+v", name, problems)
		}
		if len(got) != 1 {
			t.Fatalf("%s: %d claims", name, len(got))
		}
		c, w := got[0], want[0]
		if c.ID != w.ID || c.MemberID != w.MemberID || c.PayerID != w.PayerID || c.BillingNPI != w.BillingNPI ||
			!reflect.DeepEqual(c.Diagnoses[0].Code, w.Diagnoses[0].Code) || c.Lines[0].Procedure != "0620T" ||
			!reflect.DeepEqual(c.Lines[0].Modifiers, w.Lines[0].Modifiers) || !reflect.DeepEqual(c.Lines[0].Pointers, w.Lines[0].Pointers) ||
			c.Lines[0].ServiceDate != w.Lines[0].ServiceDate || c.PlaceOfService != "22" {
			t.Errorf("%s: claim %+v\nwant %+v", name, c, w)
		}
		if n.Claims != 2 || n.TargetLines != 1 {
			t.Errorf("%s: claims %d target lines %d", name, n.Claims, n.TargetLines)
		}
	}
}

// TestModelPointers checks SV107 pointer slots: empty ones between
// non-empty ones are kept, trailing ones dropped.
func TestModelPointers(t *testing.T) {
	base := string(readFixture(t, "base.txt"))
	cases := map[string][]string{
		"1":       {"1"},
		"1::2":    {"1", "", "2"},
		":2":      {"", "2"},
		"1:2:3:4": {"1", "2", "3", "4"},
		"1::":     {"1"},
		"":        nil,
	}
	for sv107, want := range cases {
		data := strings.Replace(base, "SV1*HC:0620T:RT*1500*UN*1***1~", "SV1*HC:0620T:RT*1500*UN*1***"+sv107+"~", 1)
		claims, _, _ := read(t, sv107, []byte(data))
		if len(claims) != 1 {
			t.Fatalf("%q: %d claims", sv107, len(claims))
		}
		if got := claims[0].Lines[0].Pointers; !reflect.DeepEqual(got, want) {
			t.Errorf("SV107 %q: pointers %#v, want %#v", sv107, got, want)
		}
	}
}

// TestModelOnlyHCIsTarget: 0620T under another qualifier is not a target.
func TestModelOnlyHCIsTarget(t *testing.T) {
	base := string(readFixture(t, "base.txt"))
	data := strings.Replace(base, "SV1*HC:0620T:RT", "SV1*ER:0620T:RT", 1)
	claims, _, n := read(t, "er", []byte(data))
	if len(claims) != 0 || n.TargetLines != 0 {
		t.Errorf("claims %d target lines %d", len(claims), n.TargetLines)
	}
}

// TestModelStreaming: the reader keeps no more than the open claim, and
// claims it does not return cost no allocations once its buffers have
// grown.
func TestModelStreaming(t *testing.T) {
	small, large := benchdrop.Claims(200, 0), benchdrop.Claims(2200, 0)
	allocs := func(data []byte) float64 {
		return testing.AllocsPerRun(3, func() {
			r := claim.NewReader(x12io.NewReader(bytes.NewReader(data)), options("drop"))
			for {
				if _, err := r.Next(); err == io.EOF {
					break
				}
			}
		})
	}
	a, b := allocs(small), allocs(large)
	if perClaim := (b - a) / 2000; perClaim > 0.02 {
		t.Errorf("%.0f allocations for 200 claims, %.0f for 2200: %.3f per claim", a, b, perClaim)
	}
	claims, problems, n := read(t, "drop", large)
	if n.Claims != 2200 || len(claims) != 0 || len(problems) != 0 {
		t.Errorf("claims %d, %d returned, problems %+v", n.Claims, len(claims), problems)
	}
}

// inputs are the sample files (decompressed), the public files of the
// corpus and a generated drop: every shape of input the tests have.
func inputs(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{"drop": benchdrop.Claims(3000, 3)}
	for _, pattern := range []string{"*.837*", "corpus/*/*.txt", "corpus/*/*.edi"} {
		paths, _ := filepath.Glob(filepath.Join("..", "..", "testdata", pattern))
		for _, path := range paths {
			out[path] = x12test.ReadFile(t, path)
		}
	}
	if len(out) < 10 {
		t.Fatalf("only %d inputs", len(out))
	}
	return out
}

// The reader looks only at walked segments, so letting the x12io reader
// skip the rest changes nothing; and walking on a goroutine of its own
// gives the same claims and problems in the same order.
func TestSameClaimsEveryWay(t *testing.T) {
	claims, problems := 0, 0
	for name, data := range inputs(t) {
		wantC, wantP, wantN := claimtest.Read(data, options(name), true)
		for _, way := range []struct {
			what       string
			concurrent bool
			all        bool
		}{{"skipping segments", false, false}, {"concurrent", true, false}, {"concurrent, every segment", true, true}} {
			o := options(name)
			o.Concurrent = way.concurrent
			gotC, gotP, gotN := claimtest.Read(data, o, way.all)
			if !reflect.DeepEqual(gotC, wantC) || !reflect.DeepEqual(gotP, wantP) || gotN != wantN {
				t.Fatalf("%s, %s: %d events, counts %+v; reading every segment: %d, %+v", name, way.what, len(gotC), gotN, len(wantC), wantN)
			}
		}
		for i := range wantC {
			if wantC[i] != nil {
				claims++
			} else {
				problems++
			}
		}
	}
	if claims < 1000 || problems < 30 {
		t.Fatalf("the inputs gave only %d claims and %d problems", claims, problems)
	}
}

// Problems are positioned, in file order with the claims, and attributed
// to the claim they are in: a stray SV1 before its claim's first LX.
func TestProblemsArePositioned(t *testing.T) {
	base := readFixture(t, "base.txt")
	data := bytes.Replace(base, []byte("HI*ABK:I70234~\n"), []byte("HI*ABK:I70234~\nSV1*HC:36200*10*UN*1***1~\n"), 1)
	cs, ps, _ := claimtest.Read(data, options("x"), false)
	if len(cs) != 3 || ps[0] == nil || cs[1] == nil || ps[2] == nil {
		t.Fatalf("events: claims %+v, problems %+v", cs, ps)
	}
	e, clm := ps[0], linePos(data, 14)
	if e.Kind != claim.KindSV1WithoutLX || e.Pos != linePos(data, 16) || e.ClaimID != "C1" || e.ClaimPos != clm ||
		e.Envelope.STControl != "0001" || e.Fatal() || !strings.Contains(e.Error(), "SV1 comes before any LX") {
		t.Errorf("problem %+v", e)
	}
	if cs[1].ID != "C1" || cs[1].Pos != clm || len(cs[1].Lines) != 1 || cs[1].TargetLines != 1 {
		t.Errorf("claim %+v", cs[1])
	}
	if e := ps[2]; e.Kind != claim.KindReader || e.Err == nil || e.Err.Kind != x12io.KindCountMismatch || e.ClaimID != "" {
		t.Errorf("the SE count: %+v", e)
	}
}

// A fatal reader error wraps the x12io error and ends the claims.
func TestFatalErrorEndsReading(t *testing.T) {
	r := claim.NewReader(x12io.NewReader(strings.NewReader("not X12 at all")), options("x"))
	_, err := r.Next()
	var e *claim.Error
	var xe *x12io.Error
	if !errors.As(err, &e) || !e.Fatal() || e.Kind != claim.KindReader || !errors.As(err, &xe) {
		t.Fatalf("first: %v", err)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("after a fatal error: %v", err)
	}
}

// A panic on the walking goroutine reaches the caller of Next, instead of
// ending the process or leaving Next waiting.
func TestConcurrentPanicReachesNext(t *testing.T) {
	o := options("x")
	o.Concurrent = true
	o.Related = func([]byte) bool { panic("walker bug") }
	r := claim.NewReader(x12io.NewReader(bytes.NewReader(benchdrop.Claims(3000, 0))), o)
	defer r.Close()
	defer func() {
		if p := recover(); p != "walker bug" {
			t.Fatalf("recovered %v, want the walker's panic", p)
		}
	}()
	for {
		if _, err := r.Next(); err == io.EOF {
			t.Fatal("Next reached the end")
		}
	}
}

// Close stops a concurrent walk that the caller left early, and can be
// called again.
func TestConcurrentClose(t *testing.T) {
	o := options("x")
	o.Concurrent = true
	for _, after := range []int{0, 1, 500} {
		r := claim.NewReader(x12io.NewReader(bytes.NewReader(benchdrop.Claims(3000, 1))), o)
		for range after {
			if _, err := r.Next(); err != nil {
				t.Fatal(err)
			}
		}
		r.Close()
		r.Close()
	}
}

// NPIs are read from NM1 segments whose NM108 is XX only, each 2310A
// repetition (referring DN, primary care P3) on its own.
func TestProviderNPIs(t *testing.T) {
	claims, problems, _ := readEdited(t, "claims.txt", [][2]string{
		{"NM1*DN*1*REFER*ROBERT****XX*1111111112~", "NM1*P3*1*CARE*PRIMA****XX*1111111113~\nNM1*DN*1*REFER*ROBERT****XX*1111111112~"},
		{"NM1*77*2*HOSPITAL*****XX*3333333336~", "NM1*77*2*HOSPITAL*****24*333333333~"},
		{"SE*80*0001~", "SE*81*0001~"},
	})
	if len(problems) != 0 || len(claims) != 3 {
		t.Fatalf("%d claims, problems %+v", len(claims), problems)
	}
	var got []string
	for _, n := range claims[0].NPIs {
		got = append(got, fmt.Sprintf("%s %s %s %d", n.Loop, n.Entity, n.NPI, n.Line))
	}
	want := []string{"2010AA 85 1234567893 -1", "2310A P3 1111111113 -1", "2310A DN 1111111112 -1", "2310B 82 2222222224 -1", "2420A 82 4444444442 1"}
	if !slices.Equal(got, want) {
		t.Errorf("NPIs %q, want %q", got, want)
	}
}
