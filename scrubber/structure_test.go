package scrubber

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/finding"
)

// mutate returns the base fixture with old replaced by new (once), failing
// when old is not in it.
func mutate(t *testing.T, base, old, new string) []byte {
	t.Helper()
	if !strings.Contains(base, old) {
		t.Fatalf("fixture has no %q", old)
	}
	return []byte(strings.Replace(base, old, new, 1))
}

// only returns the structure findings of rule.
func only(fs []finding.Finding, rule string) []finding.Finding {
	var out []finding.Finding
	for _, f := range structureFindings(fs) {
		if f.RuleID == rule {
			out = append(out, f)
		}
	}
	return out
}

// TestStructureRules fires each X12 rule on a near copy of a well-formed
// file; the well-formed file itself has none.
func TestStructureRules(t *testing.T) {
	baseBytes := readFixture(t, "base.txt")
	base := string(baseBytes)
	res, _ := scrubBytes(t, "base.txt", baseBytes)
	if fs := structureFindings(res.Findings); len(fs) != 0 || res.Status != StatusOK {
		t.Fatalf("well-formed base: status %s, findings %+v", res.Status, fs)
	}
	at := func(data []byte, n int) claim.Pos { return linePos(data, n) }

	cases := []struct {
		name     string
		data     []byte
		rule     string
		severity finding.Severity
		segment  int // line = segment number of the finding (0: not checked)
		message  []string
		suggest  string
		status   Status
	}{
		{
			name: "bad SE01", data: mutate(t, base, "SE*22*0001~", "SE*34*0001~"),
			rule: "X12-ENVELOPE", severity: finding.Error, segment: 24,
			message: []string{"SE01 says 34", "22"}, suggest: "fix SE01 to 22", status: StatusOK,
		},
		{
			name: "SE02 differs from ST02", data: mutate(t, base, "SE*22*0001~", "SE*22*0002~"),
			rule: "X12-ENVELOPE", severity: finding.Error, segment: 24,
			message: []string{"SE02", "0001"}, suggest: "control number", status: StatusOK,
		},
		{
			name: "missing IEA", data: []byte(strings.TrimSuffix(base, "IEA*1*000000201~\n")),
			rule: "X12-ENVELOPE", severity: finding.Error,
			message: []string{"no IEA"}, suggest: "resend", status: StatusFailed,
		},
		{
			name: "not 837P: 837I", data: mutate(t, strings.Replace(base, "*X*005010X222A1~", "*X*005010X223A2~", 1),
				"ST*837*0001*005010X222A1~", "ST*837*0001*005010X223A2~"),
			rule: "X12-NOT-837P", severity: finding.Warning, segment: 3,
			message: []string{"transaction 0001 is an 837I institutional claim (005010X223A2), not 837P", "skipped", "its 2 claims not scrubbed"},
			suggest: "837P", status: StatusSkipped,
		},
		{
			name: "not 837P: 4010 837P", data: mutate(t, base, "ST*837*0001*005010X222A1~", "ST*837*0001*004010X098A1~"),
			rule: "X12-NOT-837P", severity: finding.Warning, segment: 3,
			message: []string{"4010-era 837P", "004010X098A1"}, status: StatusSkipped,
		},
		{
			name: "not 837P: 835", data: mutate(t, base, "ST*837*0001*005010X222A1~", "ST*835*0001*005010X221A1~"),
			rule: "X12-NOT-837P", severity: finding.Warning, segment: 3,
			message: []string{"835 claim payment"}, status: StatusSkipped,
		},
		{
			name: "version X222A2", data: mutate(t, base, "ST*837*0001*005010X222A1~", "ST*837*0001*005010X222A2~"),
			rule: "X12-VERSION", severity: finding.Info, segment: 3,
			message: []string{"005010X222A2", "scrubbed as 837P"}, status: StatusOK,
		},
		{
			name: "HL parent missing", data: mutate(t, base, "HL*2*1*22*0~", "HL*2*9*22*0~"),
			rule: "X12-SYNTAX", severity: finding.Error, segment: 10,
			message: []string{"HL 2 names parent HL 9", "not been read"}, suggest: "HL02", status: StatusOK,
		},
		{
			name: "HL parent of the wrong level", data: mutate(t, base, "HL*2*1*22*0~", "HL*2*1*23*0~"),
			rule: "X12-SYNTAX", severity: finding.Error, segment: 10,
			message: []string{"patient HL (23)", "subscriber HL (22)"}, status: StatusOK,
		},
		{
			name: "SV1 without LX", data: mutate(t, base, "LX*1~\nSV1*HC:0620T", "SV1*HC:0620T"),
			rule: "X12-SYNTAX", severity: finding.Error, segment: 16,
			message: []string{"SV1", "LX"}, suggest: "LX", status: StatusOK,
		},
		{
			name: "CLM outside a subscriber HL", data: mutate(t, base, "HL*2*1*22*0~\nSBR*P*18*******CI~\nNM1*IL*1*DOE*JANE****MI*W00000001~\nNM1*PR*2*AETNA*****PI*60054~\n", ""),
			rule: "X12-SYNTAX", severity: finding.Error, segment: 10,
			message: []string{"the CLM segment at byte", "billing provider HL (20)"}, suggest: "subscriber", status: StatusOK,
		},
		{
			name: "LX outside a claim", data: mutate(t, base, "CLM*C2*100***11:B:1*Y*A*Y*Y~", "HL*3*1*22*0~"),
			rule: "X12-SYNTAX", severity: finding.Error, segment: 21,
			message: []string{"the service line (LX) at byte", "not inside a claim"}, status: StatusOK,
		},
		{
			name: "bad segment ID", data: mutate(t, base, "HI*ABK:J189~", "hi*ABK:J189~"),
			rule: "X12-SYNTAX", severity: finding.Error, segment: 20,
			message: []string{"segment ID"}, status: StatusOK,
		},
		{
			name: "ISA not 106 bytes", data: mutate(t, base, "*ZZ*SENDER         *", "*ZZ*SENDER*"),
			rule: "X12-SYNTAX", severity: finding.Error, segment: 1,
			message: []string{"ISA is 97 bytes"}, status: StatusOK,
		},
		{
			name: "binary input", data: []byte("\x00\x01\x02\x03PK\x00binary\xff\xfe"),
			rule: "FILE-UNREADABLE", severity: finding.Error,
			message: []string{"binary"}, status: StatusFailed,
		},
		{
			name: "gzip input", data: []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03rest"),
			rule: "FILE-UNREADABLE", severity: finding.Error,
			message: []string{"gzip"}, suggest: ".gz", status: StatusFailed,
		},
		{
			name: "bad ISA", data: []byte("ISA*00*x*00~GS*HC~"),
			rule: "X12-SYNTAX", severity: finding.Error,
			message: []string{"ISA"}, status: StatusFailed,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, _ := scrubBytes(t, tc.name, tc.data)
			got := only(res.Findings, tc.rule)
			if len(got) == 0 {
				t.Fatalf("no %s finding; findings: %+v", tc.rule, structureFindings(res.Findings))
			}
			f := got[0]
			if f.Severity != tc.severity || f.Source != "" {
				t.Errorf("severity %v source %q", f.Severity, f.Source)
			}
			if f.File != tc.name || f.FileIndex != 0 {
				t.Errorf("file %q index %d", f.File, f.FileIndex)
			}
			if tc.segment > 0 {
				want := at(tc.data, tc.segment)
				if f.SegmentNumber != want.Segment || f.ByteOffset != want.Offset {
					t.Errorf("at segment %d byte %d, want segment %d byte %d", f.SegmentNumber, f.ByteOffset, want.Segment, want.Offset)
				}
			}
			for _, m := range tc.message {
				if !strings.Contains(f.Message, m) {
					t.Errorf("message %q does not say %q", f.Message, m)
				}
			}
			if !strings.Contains(f.Suggestion, tc.suggest) || f.Suggestion == "" {
				t.Errorf("suggestion %q does not say %q", f.Suggestion, tc.suggest)
			}
			if res.Status != tc.status {
				t.Errorf("status %q, want %q", res.Status, tc.status)
			}
			if tc.status == StatusFailed && res.Error == "" {
				t.Error("failed file without finding.Error")
			}
			// Claim IDs go in their own column; messages quote no bytes of
			// a segment the reader could not place (issue 14).
			if strings.Contains(f.Message, "C1") || strings.Contains(f.Message, "C2") || strings.Contains(f.Message, "hi*") {
				t.Errorf("message %q quotes the claim or segment", f.Message)
			}
			if tc.rule != "FILE-UNREADABLE" && tc.status != StatusFailed && f.ISAControl != "000000201" && f.SegmentNumber > 1 {
				t.Errorf("ISA13 %q not named", f.ISAControl)
			}
		})
	}
}

// TestStructureEnvelopeIDs: findings inside a transaction name its ISA13,
// GS06 and ST02.
func TestStructureEnvelopeIDs(t *testing.T) {
	data := mutate(t, string(readFixture(t, "base.txt")), "LX*1~\nSV1*HC:0620T", "SV1*HC:0620T")
	res, _ := scrubBytes(t, "x", data)
	f := only(res.Findings, "X12-SYNTAX")
	if len(f) != 1 {
		t.Fatalf("findings %+v", f)
	}
	if f[0].ISAControl != "000000201" || f[0].GSControl != "201" || f[0].STControl != "0001" {
		t.Errorf("envelope %q %q %q", f[0].ISAControl, f[0].GSControl, f[0].STControl)
	}
	if f[0].ClaimID != "C1" || f[0].ClaimOffset != linePos(data, 14).Offset {
		t.Errorf("claim %q at %d", f[0].ClaimID, f[0].ClaimOffset)
	}
	// The SV1 could not be placed: C1 has no target line left, so it is no
	// target claim; the claim count is unchanged.
	if res.Claims != 2 || res.TargetLines != 0 {
		t.Errorf("claims %d target lines %d", res.Claims, res.TargetLines)
	}
}

// TestStructureSkippedCounts: a skipped transaction's claims are counted
// in Claims but not walked; its lines are not service lines.
func TestStructureSkippedCounts(t *testing.T) {
	base := string(readFixture(t, "base.txt"))
	data := mutate(t, base, "ST*837*0001*005010X222A1~", "ST*837*0001*005010X223A2~")
	res, claims := scrubBytes(t, "837i", data)
	if res.Claims != 2 || res.ServiceLines != 0 || res.TargetLines != 0 || len(claims) != 0 ||
		res.Transactions != 1 || res.TransactionsSkipped != 1 || res.Status != StatusSkipped {
		t.Errorf("%+v, %d claims returned", res, len(claims))
	}
	// Two transactions, one 837P and one 837I: the file is ok.
	two := strings.Replace(base, "GE*1*201~", strings.Replace(base[strings.Index(base, "ST*"):strings.Index(base, "GE*")], "005010X222A1", "005010X223A2", 1)+"GE*2*201~", 1)
	res, claims = scrubBytes(t, "mixed", []byte(two))
	if res.Claims != 4 || res.Transactions != 2 || res.TransactionsSkipped != 1 || res.Status != StatusOK || len(claims) != 1 {
		t.Errorf("mixed: %+v, %d claims returned", res, len(claims))
	}
	if fs := structureFindings(res.Findings); len(fs) != 1 || fs[0].RuleID != "X12-NOT-837P" {
		t.Errorf("mixed: findings %+v", fs)
	}
}

// TestStructureTruncated: a file cut inside a claim fails (it was not read
// to its end: exit 3), but the open claim is scrubbed with what was read,
// and the missing trailers are reported with how many claims the
// transaction gave.
func TestStructureTruncated(t *testing.T) {
	base := string(readFixture(t, "base.txt"))
	cut := base[:strings.Index(base, "DTP*472*D8*20260115~")+len("DTP*472*D8*2026")]
	res, claims := scrubBytes(t, "cut", []byte(cut))
	if res.Status != StatusFailed || !strings.HasPrefix(res.Error, "truncated: ") {
		t.Errorf("status %q error %q: a truncated file fails", res.Status, res.Error)
	}
	syn := only(res.Findings, "X12-SYNTAX")
	if len(syn) != 1 || !strings.Contains(syn[0].Message, "truncated") || syn[0].ClaimID != "C1" {
		t.Errorf("syntax findings %+v", syn)
	}
	env := only(res.Findings, "X12-ENVELOPE")
	if len(env) != 3 {
		t.Fatalf("envelope findings %+v", env)
	}
	var tx bool
	for _, f := range env {
		if strings.Contains(f.Message, "no SE") {
			tx = true
			if !strings.Contains(f.Message, "1 claim in it was read") {
				t.Errorf("missing SE message %q does not count the claims read", f.Message)
			}
		}
	}
	if !tx {
		t.Error("no missing SE finding")
	}
	if len(claims) != 1 || claims[0].Lines[0].ServiceDate != "2026" || res.Claims != 1 || res.TargetClaims != 1 {
		t.Errorf("claims %+v; counted %d", claims, res.Claims)
	}
	for _, tally := range res.Targets {
		if tally.Held != 1 || tally.Clean != 0 {
			t.Errorf("a target claim with a syntax error in it is held, not clean: %+v", tally)
		}
	}
}

// TestStructureFatalMidFile: input that stops being X12 ends the file as
// failed; the finding counts the claims read before the fault.
func TestStructureFatalMidFile(t *testing.T) {
	base := string(readFixture(t, "base.txt"))
	garbage := strings.Repeat("\x01\x02garbage~", 70)
	data := mutate(t, base, "CLM*C2*", garbage+"CLM*C2*")
	res, _ := scrubBytes(t, "garbage", data)
	if res.Status != StatusFailed || res.Error == "" {
		t.Fatalf("status %q error %q", res.Status, res.Error)
	}
	fs := only(res.Findings, "FILE-UNREADABLE")
	if len(fs) != 1 {
		t.Fatalf("findings %+v", structureFindings(res.Findings))
	}
	for _, want := range []string{"1 claim was read before the fault", "transaction 0001", "not read to its end"} {
		if !strings.Contains(fs[0].Message, want) {
			t.Errorf("message %q does not say %q", fs[0].Message, want)
		}
	}
	if res.Claims != 1 || res.TargetClaims != 1 {
		t.Errorf("claims %d target claims %d", res.Claims, res.TargetClaims)
	}
}

func TestUnreadable(t *testing.T) {
	s := New(testPack(t), Options{})
	res := s.Unreadable(3, "lost.837", errors.New("open lost.837: permission denied"))
	if res.Status != StatusFailed || res.Error == "" || res.Index != 3 || res.Name != "lost.837" {
		t.Fatalf("%+v", res)
	}
	if len(res.Findings) != 1 || res.Findings[0].RuleID != "FILE-UNREADABLE" || res.Findings[0].FileIndex != 3 ||
		!strings.Contains(res.Findings[0].Message, "permission denied") || res.Findings[0].Severity != finding.Error {
		t.Fatalf("findings %+v", res.Findings)
	}
}

// TestFinishKeepsOrder: Finish over several results leaves each sorted and
// with its own findings.
func TestFinishKeepsOrder(t *testing.T) {
	s := New(testPack(t), Options{})
	base := readFixture(t, "base.txt")
	var results []*FileResult
	for i := 0; i < 3; i++ {
		results = append(results, s.Scrub(i, "f", bytes.NewReader(base)))
	}
	results = append(results, s.Unreadable(3, "gone", errors.New("gone")))
	if err := s.Finish(results); err != nil {
		t.Fatal(err)
	}
	for i, res := range results {
		for k, f := range res.Findings {
			if f.FileIndex != i {
				t.Errorf("result %d holds a finding of file %d", i, f.FileIndex)
			}
			if k > 0 && res.Findings[k-1].ByteOffset > f.ByteOffset {
				t.Errorf("result %d not sorted", i)
			}
		}
	}
}

// TestFinishCrossClaim: the same 0620T line in two files of a run gives
// cross-claim findings; Finish puts each in the result of its file and
// raises that claim's worst severity.
func TestFinishCrossClaim(t *testing.T) {
	s := New(testPack(t), Options{})
	base := readFixture(t, "base.txt")
	a := s.Scrub(0, "a", bytes.NewReader(base))
	b := s.Scrub(1, "b", bytes.NewReader(base))
	before := len(a.Findings) + len(b.Findings)
	tallyBefore := map[string]TargetTally{}
	for g, tally := range b.Targets {
		tallyBefore[g] = tally
	}
	if err := s.Finish([]*FileResult{a, b}); err != nil {
		t.Fatal(err)
	}
	added := len(a.Findings) + len(b.Findings) - before
	if added == 0 {
		t.Fatal("no cross-claim finding for a repeated 0620T line")
	}
	for i, res := range []*FileResult{a, b} {
		for k, f := range res.Findings {
			if f.FileIndex != i {
				t.Errorf("result %d holds a finding of file %d", i, f.FileIndex)
			}
			if k > 0 && res.Findings[k-1].ByteOffset > f.ByteOffset {
				t.Errorf("result %d not sorted after Finish", i)
			}
		}
	}
	// The repeat is reported on the later file's claim, which is now held:
	// the tally moved, and the number of target claims did not.
	dup := false
	for _, f := range b.Findings {
		dup = dup || f.RuleID == "LINE-DUPLICATE"
	}
	if !dup {
		t.Fatalf("no cross-claim LINE-DUPLICATE in the later file: %+v", b.Findings)
	}
	for g, after := range b.Targets {
		was := tallyBefore[g]
		if after.Claims != was.Claims || after.Held != was.Claims || (was.Held == was.Claims && after != was) {
			t.Errorf("group %s: tally %+v before Finish, %+v after; want every claim held", g, was, after)
		}
	}
}
