package scrubber

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/x12io"
)

// testPack is the default rule pack (0620T).
func testPack(t testing.TB) *pack.Pack {
	t.Helper()
	p, err := pack.Default(false)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// scrubBytes scrubs data and returns the result and every claim the walker
// materialized.
func scrubBytes(t testing.TB, name string, data []byte) (*FileResult, []*Claim) {
	t.Helper()
	s := New(testPack(t))
	var claims []*Claim
	s.onClaim = func(c *Claim) { claims = append(claims, c) }
	res := s.Scrub(0, name, bytes.NewReader(data))
	return res, claims
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "model", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// linePos is the Pos of line n (1-based) of a fixture written one segment
// a line: segment n starts line n.
func linePos(data []byte, n int) Pos {
	off := 0
	for i := 1; i < n; i++ {
		k := bytes.IndexByte(data[off:], '\n')
		if k < 0 {
			panic(fmt.Sprintf("fixture has fewer than %d lines", n))
		}
		off += k + 1
	}
	return Pos{Segment: int64(n), Offset: int64(off)}
}

// structureFindings are the findings of the built-in X12 and file rules.
func structureFindings(fs []finding.Finding) []finding.Finding {
	var out []finding.Finding
	for _, f := range fs {
		if strings.HasPrefix(f.RuleID, "X12-") || f.RuleID == "FILE-UNREADABLE" {
			out = append(out, f)
		}
	}
	return out
}

func TestModelClaims(t *testing.T) {
	data := readFixture(t, "claims.txt")
	res, claims := scrubBytes(t, "claims.txt", data)
	at := func(n int) Pos { return linePos(data, n) }

	if res.Status != StatusOK || res.Error != "" {
		t.Fatalf("status %q error %q", res.Status, res.Error)
	}
	if got := structureFindings(res.Findings); len(got) != 0 {
		t.Fatalf("structure findings on a well-formed file: %+v", got)
	}
	if res.Interchanges != 1 || res.Transactions != 1 || res.TransactionsSkipped != 0 {
		t.Errorf("interchanges %d transactions %d skipped %d", res.Interchanges, res.Transactions, res.TransactionsSkipped)
	}
	if res.Claims != 4 || res.ServiceLines != 6 || res.TargetLines != 3 {
		t.Errorf("claims %d lines %d target lines %d, want 4 6 3", res.Claims, res.ServiceLines, res.TargetLines)
	}
	if res.Bytes != int64(len(data)) {
		t.Errorf("bytes %d, want %d", res.Bytes, len(data))
	}
	// C3 bills neither 0620T nor a related code: never materialized. C4
	// bills only a related code (37224): materialized for the cross-claim
	// rules, but not a target claim.
	var ids []string
	for _, c := range claims {
		ids = append(ids, c.ID)
	}
	if strings.Join(ids, ",") != "C1,C2,C4" {
		t.Fatalf("materialized claims %v, want C1,C2,C4", ids)
	}
	total := 0
	for _, tally := range res.Targets {
		total += tally.Claims
	}
	if res.TargetClaims != 2 || total != 2 || res.Targets[claims[0].PayerGroup].Claims == 0 || res.Targets[claims[1].PayerGroup].Claims == 0 {
		t.Fatalf("target claims %d, by payer group %+v", res.TargetClaims, res.Targets)
	}

	env := x12io.Envelope{ISAControl: "000000101", ISAVersion: "00501", GSControl: "101", GSVersion: "005010X222A1",
		STType: "837", STControl: "0001", STVersion: "005010X222A1"}
	c1 := claims[0]
	want := &Claim{
		File: "claims.txt", FileIndex: 0, Envelope: env,
		BillingTaxonomy: "2086S0129X", BillingTaxonomyPos: at(9),
		BillingNPI: "1234567893", BillingNPIPos: at(10),
		MemberID: "W00000001", MemberIDPos: at(19),
		PayerName: "AETNA", PayerID: "60054", PayerPos: at(23), PayerGroup: c1.PayerGroup,
		ID: "C1", Pos: at(24), TotalCharge: "2300", PlaceOfService: "22",
		// APR (reason for visit) and BE (value) are not pointable: left out.
		Diagnoses: []Diagnosis{
			{Qualifier: "ABK", Code: "I70234", Pointer: 1, Pos: at(26)},
			{Qualifier: "ABF", Code: "E1152", Pointer: 2, Pos: at(26)},
			{Qualifier: "ABF", Code: "I96", Pointer: 3, Pos: at(27)},
			{Qualifier: "ABF", Code: "Z8679", Pointer: 4, Pos: at(27)},
		},
		// 2310B, not the 2310A referring (NM1*DN), the 2310C facility
		// (NM1*77) nor the 2330D other payer's rendering NM1*82.
		RenderingNPI: "2222222224", RenderingNPIPos: at(29),
		RenderingTaxonomy: "207RI0011X", RenderingTaxonomyPos: at(30),
		Lines: []Line{
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
	}
	if c1.PayerGroup == "" {
		t.Errorf("payer group not set")
	}
	compareClaims(t, c1, want)

	c2 := claims[1]
	want2 := &Claim{
		File: "claims.txt", Envelope: env,
		BillingTaxonomy: "2086S0129X", BillingTaxonomyPos: at(9),
		BillingNPI: "1234567893", BillingNPIPos: at(10),
		// Under a 2000C patient: member and payer are the parent 2000B's.
		MemberID: "W00000002", MemberIDPos: at(54), HasPatient: true,
		PayerName: "BLUE CROSS", PayerID: "BC001", PayerPos: at(55), PayerGroup: c2.PayerGroup,
		ID: "C2", Pos: at(59), TotalCharge: "750", PlaceOfService: "11",
		Diagnoses: []Diagnosis{{Qualifier: "ABK", Code: "I70244", Pointer: 1, Pos: at(60)}},
		// The only NM1*82 is the 2330D other payer's (after SBR): no 2310B.
		Lines: []Line{
			{Number: 1, LXPos: at(65), SV1Pos: at(66), Qualifier: "HC", Procedure: "0620T",
				Charge: "750", UnitBasis: "UN", Units: "1",
				DateQualifier: "D8", ServiceDate: "20260201", DatePos: at(67)},
		},
	}
	compareClaims(t, c2, want2)

	c4 := claims[2]
	if c4.ID != "C4" || c4.MemberID != "W00000003" || c4.HasPatient || len(c4.Lines) != 1 || c4.Lines[0].Procedure != "37224" {
		t.Errorf("C4 = %+v", c4)
	}
}

func compareClaims(t *testing.T, got, want *Claim) {
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
	_, want := scrubBytes(t, "base.txt", base)
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
		res, got := scrubBytes(t, name, data)
		if len(structureFindings(res.Findings)) != 0 {
			t.Errorf("%s: structure findings %+v", name, structureFindings(res.Findings))
		}
		if len(got) != 1 {
			t.Fatalf("%s: %d claims materialized", name, len(got))
		}
		c, w := got[0], want[0]
		if c.ID != w.ID || c.MemberID != w.MemberID || c.PayerID != w.PayerID || c.BillingNPI != w.BillingNPI ||
			!reflect.DeepEqual(c.Diagnoses[0].Code, w.Diagnoses[0].Code) || c.Lines[0].Procedure != "0620T" ||
			!reflect.DeepEqual(c.Lines[0].Modifiers, w.Lines[0].Modifiers) || !reflect.DeepEqual(c.Lines[0].Pointers, w.Lines[0].Pointers) ||
			c.Lines[0].ServiceDate != w.Lines[0].ServiceDate || c.PlaceOfService != "22" {
			t.Errorf("%s: claim %+v\nwant %+v", name, c, w)
		}
		if res.Claims != 2 || res.TargetLines != 1 {
			t.Errorf("%s: claims %d target lines %d", name, res.Claims, res.TargetLines)
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
		_, claims := scrubBytes(t, sv107, []byte(data))
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
	res, claims := scrubBytes(t, "er", []byte(data))
	if len(claims) != 0 || res.TargetLines != 0 || res.TargetClaims != 0 {
		t.Errorf("claims %d target lines %d", len(claims), res.TargetLines)
	}
}

// TestModelStreaming: the walker keeps no more than the open claim, and
// non-target claims cost no allocations once its buffers have grown.
func TestModelStreaming(t *testing.T) {
	small, large := buildDrop(t, 200, 0), buildDrop(t, 2200, 0)
	s := New(testPack(t))
	allocs := func(data []byte) float64 {
		return testing.AllocsPerRun(3, func() { s.Scrub(0, "drop", bytes.NewReader(data)) })
	}
	a, b := allocs(small), allocs(large)
	if perClaim := (b - a) / 2000; perClaim > 0.02 {
		t.Errorf("%.0f allocations for 200 claims, %.0f for 2200: %.3f per non-target claim", a, b, perClaim)
	}
	res := s.Scrub(0, "drop", bytes.NewReader(large))
	if res.Claims != 2200 || res.TargetClaims != 0 || res.Status != StatusOK {
		t.Errorf("claims %d targets %d status %s", res.Claims, res.TargetClaims, res.Status)
	}
	if len(structureFindings(res.Findings)) != 0 {
		t.Errorf("structure findings on the generated drop: %+v", structureFindings(res.Findings)[0])
	}
}

// buildDrop writes an 837P of claims realistic professional claims, one in
// targetEvery billing 0620T (none when 0), in transactions of 500 claims.
func buildDrop(t testing.TB, claims, targetEvery int) []byte {
	var buf bytes.Buffer
	w := x12io.NewWriter(&buf, x12io.DefaultDelimiters)
	w.SetNewline(true)
	date := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)
	w.BeginInterchange(x12io.Interchange{SenderQualifier: "ZZ", SenderID: "SENDER", ReceiverQualifier: "ZZ", ReceiverID: "RECEIVER", Date: date, Control: "1"})
	w.BeginGroup("HC", "SENDER", "RECEIVER", date, "1", "005010X222A1")
	codes := []string{"99213", "99214", "93000", "36415", "80053", "71046", "20610", "11721"}
	for c := 0; c < claims; c++ {
		if c%500 == 0 {
			if c > 0 {
				w.EndTransaction()
			}
			w.BeginTransaction("837", fmt.Sprintf("%04d", c/500+1), "005010X222A1")
			w.Segment("BHT", "0019", "00", fmt.Sprintf("BATCH%d", c/500), "20261127", "0300", "CH")
			w.Segment("NM1", "41", "2", "BILLING SERVICE", "", "", "", "", "46", "S123456")
			w.Segment("PER", "IC", "EDI DESK", "TE", "5555550100")
			w.Segment("NM1", "40", "2", "CLEARINGHOUSE", "", "", "", "", "46", "R654321")
			w.Segment("HL", "1", "", "20", "1")
			w.Segment("PRV", "BI", "PXC", "2086S0129X")
			w.Segment("NM1", "85", "2", "VASCULAR ASSOCIATES", "", "", "", "", "XX", "1234567893")
			w.Segment("N3", "100 MEDICAL PARK DR")
			w.Segment("N4", "SPRINGFIELD", "IL", "627010001")
			w.Segment("REF", "EI", "371234567")
		}
		hl := 2 + c%500
		target := targetEvery > 0 && c%targetEvery == 0
		w.Segment("HL", fmt.Sprint(hl), "1", "22", "0")
		w.Segment("SBR", "P", "18", "GRP"+fmt.Sprint(c%97), "", "", "", "", "", "CI")
		w.Segment("NM1", "IL", "1", "SUBSCRIBER", "PAT", "Q", "", "", "MI", fmt.Sprintf("W%09d", c))
		w.Segment("N3", fmt.Sprintf("%d ELM STREET", c%9000))
		w.Segment("N4", "SPRINGFIELD", "IL", "62704")
		w.Segment("DMG", "D8", "19560412", "F")
		w.Segment("NM1", "PR", "2", "AETNA", "", "", "", "", "PI", "60054")
		lines := 1 + c%4
		w.Segment("CLM", fmt.Sprintf("PCN%08d", c), fmt.Sprint(125*lines), "", "", w.Composite("22", "B", "1"), "Y", "A", "Y", "Y")
		w.Segment("REF", "D9", fmt.Sprintf("TRACE%010d", c))
		w.Segment("HI", w.Composite("ABK", "I70234"), w.Composite("ABF", "E1152"), w.Composite("ABF", "I10"))
		w.Segment("NM1", "82", "1", "RENDERING", "RITA", "", "", "", "XX", "1987654321")
		w.Segment("PRV", "PE", "PXC", "207RI0011X")
		for l := 0; l < lines; l++ {
			code := codes[(c+l)%len(codes)]
			mods := []string{"HC", code}
			if target && l == 0 {
				mods = []string{"HC", "0620T", "RT"}
			}
			w.Segment("LX", fmt.Sprint(l+1))
			w.Segment("SV1", w.Composite(mods...), "125", "UN", "1", "", "", w.Composite("1", "2"))
			w.Segment("DTP", "472", "D8", "20260115")
			w.Segment("REF", "6R", fmt.Sprintf("LINE%d-%d", c, l))
		}
	}
	w.EndTransaction()
	w.EndGroup()
	w.EndInterchange()
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkScrub scrubs an in-memory 837P of 20,000 claims (about 10.5 MB),
// one in ten billing 0620T, end to end on one goroutine.
func BenchmarkScrub(b *testing.B) {
	data := buildDrop(b, 20000, 10)
	s := New(testPack(b))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	var res *FileResult
	for b.Loop() {
		res = s.Scrub(0, "drop", bytes.NewReader(data))
	}
	b.StopTimer()
	if res.Claims != 20000 || res.TargetClaims != 2000 {
		b.Fatalf("claims %d target claims %d", res.Claims, res.TargetClaims)
	}
	b.ReportMetric(float64(res.Claims), "claims/op")
}

// BenchmarkScrubNoTargets is the same drop with no 0620T claim: the cost of
// the walk alone.
func BenchmarkScrubNoTargets(b *testing.B) {
	data := buildDrop(b, 20000, 0)
	s := New(testPack(b))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		s.Scrub(0, "drop", bytes.NewReader(data))
	}
}
