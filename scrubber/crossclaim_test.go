package scrubber

import (
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// xclaim is tclaim as claim id of file fileIndex, its CLM at byte offset
// off, with the given lines (a clean 0620T-RT line when none).
func xclaim(fileIndex int, off int64, id string, lines ...claim.Line) *claim.Claim {
	c := tclaim()
	c.ID, c.FileIndex, c.File = id, fileIndex, fmt.Sprintf("file%d.837", fileIndex)
	if len(lines) > 0 {
		c.Lines = lines
	}
	build(c)
	c.Pos = claim.Pos{Segment: off / 10, Offset: off}
	for i := range c.Lines {
		l := &c.Lines[i]
		l.SV1Pos.Offset += off
		l.LXPos.Offset += off
	}
	return c
}

// crossRun indexes the claims (in the order given) in a store kept in
// memory and returns their cross-claim findings in report order.
func crossRun(p *pack.Pack, claims ...*claim.Claim) []finding.Finding {
	st := newCrossStore("")
	addClaims(st, p, claims)
	fs, err := allFindings(st, p)
	if err != nil {
		panic(err) // in memory: cannot fail
	}
	return fs
}

// addClaims indexes the claims in st, in the order given.
func addClaims(st *crossStore, p *pack.Pack, claims []*claim.Claim) {
	var scratch []byte
	for _, c := range claims {
		st.add(newClaimLines(p, c, nil), 1, true, 0, &scratch)
	}
}

// allFindings are the cross-claim findings of every entry of st.
func allFindings(st *crossStore, p *pack.Pack) ([]finding.Finding, error) {
	found, err := st.findings(p, func(*crossEntry) bool { return true })
	out := make([]finding.Finding, len(found))
	for i := range found {
		out[i] = found[i].Finding
	}
	return out, err
}

// manyFindings are the cross-claim findings of claims (dumped), at least
// least of them.
func manyFindings(t *testing.T, p *pack.Pack, claims []*claim.Claim, least int) string {
	t.Helper()
	fs := crossRun(p, claims...)
	if len(fs) < least {
		t.Fatalf("expected many findings:%s", dump(fs))
	}
	return dump(fs)
}

// shuffles shuffles claims n times, calling check after each.
func shuffles(claims []*claim.Claim, seed int64, n int, check func()) {
	r := rand.New(rand.NewSource(seed))
	for range n {
		r.Shuffle(len(claims), func(i, j int) { claims[i], claims[j] = claims[j], claims[i] })
		check()
	}
}

// crossClaims are perFile claims in each of files files, claim i billing
// lines[i%len(lines)], which edit may change.
func crossClaims(files, perFile int, lines [][]claim.Line, edit func(c *claim.Claim, i int)) []*claim.Claim {
	var claims []*claim.Claim
	for f := range files {
		for i := range perFile {
			c := xclaim(f, int64(1000*(i+1)), fmt.Sprintf("F%dC%d", f, i), slices.Clone(lines[i%len(lines)])...)
			edit(c, i)
			claims = append(claims, c)
		}
	}
	return claims
}

// appendCrossEntries appends the entries of c with their own strings, as
// the store keeps them in memory.
func appendCrossEntries(dst []crossEntry, p *pack.Pack, c *claim.Claim) []crossEntry {
	first := len(dst)
	dst, _ = packCrossEntries(dst, newClaimLines(p, c, nil), nil)
	for i := first; i < len(dst); i++ {
		dst[i].own()
	}
	return dst
}

// withFrequency sets the claim's CLM05-3 (and a REF*F8 for 7 and 8).
func withFrequency(c *claim.Claim, f string) *claim.Claim {
	c.Frequency = f
	if f == "7" || f == "8" {
		c.OriginalRef = "PCCN" + c.ID
	}
	return c
}

// withRendering gives the claim a 2310B rendering provider.
func withRendering(c *claim.Claim, npi string) *claim.Claim {
	c.RenderingNPI = npi
	return c
}

func dated(l claim.Line, date string) claim.Line {
	l.ServiceDate = date
	return l
}

func TestCrossLineDuplicate(t *testing.T) {
	p := rulesPack(t, false)
	rt := tline("0620T", "RT")
	lt := tline("0620T", "LT")
	none := tline("0620T")
	bi := tline("0620T", "50")
	for _, tc := range []struct {
		name   string
		claims []*claim.Claim
		want   []string // "file:claim:line" of each finding
		text   []string
	}{
		{"same file, two claims", []*claim.Claim{xclaim(0, 1000, "A", rt), xclaim(0, 5000, "B", rt)},
			[]string{"0:B:1"}, []string{"0620T on line 1 (RT, 2026-01-15) repeats 0620T for the same patient, leg and date on claim A line 1 in file file0.837 (RT, 2026-01-15)"}},
		{"two files: on the later file", []*claim.Claim{xclaim(1, 1000, "B", rt), xclaim(0, 9000, "A", rt)},
			[]string{"1:B:1"}, []string{"claim A line 1 in file file0.837"}},
		{"three claims: both later ones name the first", []*claim.Claim{xclaim(0, 1000, "A", rt), xclaim(0, 5000, "B", rt), xclaim(1, 100, "C", rt)},
			[]string{"0:B:1", "1:C:1"}, []string{"claim A line 1"}},
		{"no side matches RT", []*claim.Claim{xclaim(0, 1000, "A", rt), xclaim(0, 5000, "B", none)}, []string{"0:B:1"}, nil},
		{"50 matches LT", []*claim.Claim{xclaim(0, 1000, "A", bi), xclaim(0, 5000, "B", lt)}, []string{"0:B:1"}, nil},
		{"RD8 overlapping", []*claim.Claim{xclaim(0, 1000, "A", rt), xclaim(0, 5000, "B", func() claim.Line {
			l := rt
			l.DateQualifier, l.ServiceDate = "RD8", "20260110-20260120"
			return l
		}())}, []string{"0:B:1"}, nil},
		{"LT and RT", []*claim.Claim{xclaim(0, 1000, "A", rt), xclaim(0, 5000, "B", lt)}, nil, nil},
		{"other date", []*claim.Claim{xclaim(0, 1000, "A", rt), xclaim(0, 5000, "B", dated(rt, "20260116"))}, nil, nil},
		{"other member", []*claim.Claim{xclaim(0, 1000, "A", rt), func() *claim.Claim {
			c := xclaim(0, 5000, "B", rt)
			c.MemberID = "W00000002"
			return c
		}()}, nil, nil},
		{"subscriber and a 2000C dependant under one member ID", []*claim.Claim{xclaim(0, 1000, "A", rt), func() *claim.Claim {
			c := xclaim(0, 5000, "B", rt)
			c.HasPatient = true
			return c
		}()}, nil, nil},
		{"no member ID", []*claim.Claim{func() *claim.Claim {
			c := xclaim(0, 1000, "A", rt)
			c.MemberID = ""
			return c
		}(), func() *claim.Claim {
			c := xclaim(0, 5000, "B", rt)
			c.MemberID = ""
			return c
		}()}, nil, nil},
		{"same claim: the per-claim rule's", []*claim.Claim{xclaim(0, 1000, "A", rt, rt)}, nil, nil},
		{"repeat within claim B is not reported again", []*claim.Claim{xclaim(0, 1000, "A", rt), xclaim(0, 5000, "B", rt, rt)}, []string{"0:B:1"}, nil},
		{"same claim ID in two files (resubmitted)", []*claim.Claim{xclaim(0, 1000, "A", rt), xclaim(1, 1000, "A", rt)}, []string{"1:A:1"}, nil},
		{"different billing NPI still duplicates", []*claim.Claim{xclaim(0, 1000, "A", rt), func() *claim.Claim {
			c := xclaim(0, 5000, "B", rt)
			c.BillingNPI = "1999999999"
			return c
		}()}, []string{"0:B:1"}, nil},
		// Only originals are compared (CLM05-3 = 1): a replacement or a
		// void refers to an earlier claim.
		{"a replacement of A", []*claim.Claim{xclaim(0, 1000, "A", rt), withFrequency(xclaim(0, 5000, "B", rt), "7")}, nil, nil},
		{"a void of A", []*claim.Claim{xclaim(0, 1000, "A", rt), withFrequency(xclaim(0, 5000, "B", rt), "8")}, nil, nil},
		{"a replacement first, then an original", []*claim.Claim{withFrequency(xclaim(0, 1000, "A", rt), "7"), xclaim(0, 5000, "B", rt)}, nil, nil},
		{"two replacements", []*claim.Claim{withFrequency(xclaim(0, 1000, "A", rt), "7"), withFrequency(xclaim(0, 5000, "B", rt), "7")}, nil, nil},
		{"an invalid frequency is not an original", []*claim.Claim{xclaim(0, 1000, "A", rt), withFrequency(xclaim(0, 5000, "B", rt), "2")}, nil, nil},
		// Two people's shares: each surgeon's own claim.
		{"co-surgeons: 62 on both, each their NPI", []*claim.Claim{xclaim(0, 1000, "A", tline("0620T", "RT", "62")),
			withRendering(xclaim(0, 5000, "B", tline("0620T", "RT", "62")), "1003000126")}, nil, nil},
		{"co-surgeons: 62 on both, one NPI", []*claim.Claim{xclaim(0, 1000, "A", tline("0620T", "RT", "62")),
			xclaim(0, 5000, "B", tline("0620T", "RT", "62"))}, []string{"0:B:1"}, nil},
		{"co-surgeon's 62 on one claim only", []*claim.Claim{xclaim(0, 1000, "A", rt),
			withRendering(xclaim(0, 5000, "B", tline("0620T", "RT", "62")), "1003000126")}, []string{"0:B:1"}, nil},
		{"team: 66 on both, each their NPI", []*claim.Claim{xclaim(0, 1000, "A", tline("0620T", "RT", "66")),
			withRendering(xclaim(1, 100, "B", tline("0620T", "RT", "66")), "1003000126")}, nil, nil},
		{"assistant at surgery (80)", []*claim.Claim{xclaim(0, 1000, "A", rt), withRendering(xclaim(0, 5000, "B", tline("0620T", "RT", "80")), "1003000126")}, nil, nil},
		{"assistant first (AS), surgeon later", []*claim.Claim{xclaim(0, 1000, "A", tline("0620T", "RT", "AS")), xclaim(0, 5000, "B", rt)}, nil, nil},
		{"the assistant's line twice", []*claim.Claim{xclaim(0, 1000, "A", tline("0620T", "RT", "81")), xclaim(0, 5000, "B", tline("0620T", "RT", "81"))}, []string{"0:B:1"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := crossRun(p, tc.claims...)
			var got []string
			for _, f := range fs {
				if f.RuleID != rules.LineDuplicate.String() || f.Severity != finding.Error || f.Source != string(pack.SourceSeed) {
					t.Errorf("unexpected finding:%s", dump([]finding.Finding{f}))
				}
				got = append(got, fmt.Sprintf("%d:%s:%d", f.FileIndex, f.ClaimID, f.LineNumber))
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("findings %v, want %v:%s", got, tc.want, dump(fs))
			}
			for _, s := range tc.text {
				if !strings.Contains(fs[len(fs)-1].Message, s) {
					t.Errorf("message does not say %q:%s", s, dump(fs))
				}
			}
		})
	}
}

func TestCrossBundle(t *testing.T) {
	p := rulesPack(t, false)
	rt := tline("0620T", "RT")
	other := tline("93922")
	for _, tc := range []struct {
		name   string
		claims []*claim.Claim
		want   []string // "file:claim:line:procedure:source"
		text   []string
	}{
		{"36200 on another claim", []*claim.Claim{xclaim(0, 1000, "A", rt), xclaim(0, 5000, "B", other, tline("36200"))},
			[]string{"0:B:2:36200:seed"}, []string{"36200 on line 2 (Introduction of catheter", "same patient, billing provider and date (2026-01-15) as 0620T on claim A line 1 in file file0.837, which includes it", "remove 36200: included in 0620T (claim A line 1 in file file0.837)"}},
		{"36200 on an earlier claim in another file", []*claim.Claim{xclaim(1, 1000, "A", rt), xclaim(0, 5000, "B", tline("36200"))},
			[]string{"0:B:1:36200:seed"}, []string{"claim A line 1 in file file1.837"}},
		{"76937 (codeset)", []*claim.Claim{xclaim(0, 1000, "A", rt), xclaim(0, 5000, "B", tline("76937"))}, []string{"0:B:1:76937:codeset"}, nil},
		{"36200-XS", []*claim.Claim{xclaim(0, 1000, "A", rt), xclaim(0, 5000, "B", tline("36200", "XS"))}, []string{"0:B:1:36200:seed"}, []string{"it carries XS"}},
		{"37224 review (2025)", []*claim.Claim{xclaim(0, 1000, "A", dated(rt, "20251201")), xclaim(0, 5000, "B", dated(tline("37224"), "20251201"))},
			[]string{"0:B:1:37224:seed"}, []string{`the rule pack says: "May be performed`, "confirm in the operative note"}},
		{"two target claims: names the first", []*claim.Claim{xclaim(0, 9000, "C", tline("0620T", "LT")), xclaim(0, 1000, "A", rt), xclaim(0, 5000, "B", tline("36200"))},
			[]string{"0:B:1:36200:seed"}, []string{"claim A line 1"}},
		{"36200 on the target claim's other date, and on another claim", []*claim.Claim{xclaim(0, 1000, "A", rt, dated(tline("36200"), "20260301")), xclaim(0, 5000, "B", dated(rt, "20260301"))},
			[]string{"0:A:2:36200:seed"}, []string{"as 0620T on claim B line 1"}},
		{"same claim: the per-claim rule's", []*claim.Claim{xclaim(0, 1000, "A", rt, tline("36200"))}, nil, nil},
		{"same date on its own claim's 0620T too: per-claim only", []*claim.Claim{xclaim(0, 1000, "A", rt), xclaim(0, 5000, "B", tline("0620T", "LT"), tline("36200"))}, nil, nil},
		{"other billing NPI", []*claim.Claim{xclaim(0, 1000, "A", rt), func() *claim.Claim {
			c := xclaim(0, 5000, "B", tline("36200"))
			c.BillingNPI = "1999999999"
			return c
		}()}, nil, nil},
		{"other date", []*claim.Claim{xclaim(0, 1000, "A", rt), xclaim(0, 5000, "B", dated(tline("36200"), "20260114"))}, nil, nil},
		{"other member", []*claim.Claim{xclaim(0, 1000, "A", rt), func() *claim.Claim {
			c := xclaim(0, 5000, "B", tline("36200"))
			c.MemberID = "X"
			return c
		}()}, nil, nil},
		{"unrelated code", []*claim.Claim{xclaim(0, 1000, "A", rt), xclaim(0, 5000, "B", other)}, nil, nil},
		// Voids take no part; a replacement is a claim the payer will
		// process, so its related lines and 0620T lines do.
		{"36200 on a void", []*claim.Claim{xclaim(0, 1000, "A", rt), withFrequency(xclaim(0, 5000, "B", tline("36200")), "8")}, nil, nil},
		{"0620T on a void", []*claim.Claim{withFrequency(xclaim(0, 1000, "A", rt), "8"), xclaim(0, 5000, "B", tline("36200"))}, nil, nil},
		{"36200 on a replacement", []*claim.Claim{xclaim(0, 1000, "A", rt), withFrequency(xclaim(0, 5000, "B", tline("36200")), "7")}, []string{"0:B:1:36200:seed"}, nil},
		{"0620T on a replacement", []*claim.Claim{withFrequency(xclaim(0, 1000, "A", rt), "7"), xclaim(0, 5000, "B", tline("36200"))}, []string{"0:B:1:36200:seed"}, nil},
		{"36200 not HC", []*claim.Claim{xclaim(0, 1000, "A", rt), func() *claim.Claim {
			c := xclaim(0, 5000, "B", tline("36200"))
			c.Lines[0].Qualifier = "ER"
			return c
		}()}, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := crossRun(p, tc.claims...)
			var got []string
			for _, f := range fs {
				if f.RuleID != rules.BundleCrossClaim.String() || f.Severity != finding.Warning {
					t.Errorf("unexpected finding:%s", dump([]finding.Finding{f}))
				}
				got = append(got, fmt.Sprintf("%d:%s:%d:%s:%s", f.FileIndex, f.ClaimID, f.LineNumber, f.Procedure, f.Source))
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("findings %v, want %v:%s", got, tc.want, dump(fs))
			}
			for _, s := range tc.text {
				if !strings.Contains(fs[0].Message, s) && !strings.Contains(fs[0].Suggestion, s) {
					t.Errorf("finding does not say %q:%s", s, dump(fs))
				}
			}
		})
	}
}

// The finding's columns are the reported line's, and its position is that
// line's SV1.
func TestCrossFindingColumns(t *testing.T) {
	p := rulesPack(t, false)
	a := xclaim(0, 1000, "A", tline("0620T", "RT"))
	b := xclaim(1, 5000, "B", tline("93922"), tline("36200", "XS"))
	b.Envelope.ISAControl, b.Envelope.STControl = "000000777", "0042"
	fs := crossRun(p, a, b)
	if len(fs) != 1 {
		t.Fatalf("want 1 finding:%s", dump(fs))
	}
	f, l := fs[0], b.Lines[1]
	if f.FileIndex != 1 || f.File != "file1.837" || f.ClaimOffset != 5000 || f.ClaimID != "B" ||
		f.ISAControl != "000000777" || f.STControl != "0042" || f.LineNumber != 2 ||
		f.SegmentNumber != l.SV1Pos.Segment || f.ByteOffset != l.SV1Pos.Offset ||
		f.Procedure != "36200" || !slices.Equal(f.Modifiers, []string{"XS"}) || f.Charge != "100" ||
		f.ServiceDate != "20260115" || f.MemberID != "W00000001" || f.BillingNPI != "1234567893" ||
		!slices.Equal(f.PointedDiagnoses, []string{"I70234"}) {
		t.Errorf("columns: %+v", f)
	}
}

// The index keeps copies: changing the claim afterwards (the claim reader reuses
// its buffers) does not change the findings.
func TestCrossIndexCopies(t *testing.T) {
	p := rulesPack(t, false)
	a := xclaim(0, 1000, "A", tline("0620T", "RT"))
	b := xclaim(0, 5000, "B", tline("0620T", "RT"))
	st := newCrossStore("")
	addClaims(st, p, []*claim.Claim{a, b})
	b.ID, b.Lines[0].Modifiers[0], b.Lines[0].Pointers[0] = "Z", "LT", "9"
	fs, err := allFindings(st, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].ClaimID != "B" || fs[0].Modifiers[0] != "RT" || fs[0].DxPointers[0] != "1" {
		t.Errorf("index shares the claim's memory:%s %+v", dump(fs), fs)
	}
	// Claims without target or related lines add nothing.
	if es := appendCrossEntries(nil, p, xclaim(0, 1000, "C", tline("93922"))); len(es) != 0 {
		t.Errorf("indexed %d entries of a claim without target or related lines", len(es))
	}
}

// The same claims give the same findings whatever order the files were
// scrubbed in and the claims indexed.
func TestCrossDeterministic(t *testing.T) {
	p := rulesPack(t, false)
	claims := crossClaims(3, 6, [][]claim.Line{
		{tline("0620T", "RT")},
		{tline("36200"), dated(tline("0620T"), "20260116")},
		{dated(tline("37224"), "20260116"), tline("76937")},
	}, func(c *claim.Claim, i int) {
		if i >= 4 {
			c.MemberID = "W00000002"
		}
	})
	want := manyFindings(t, p, claims, 10)
	shuffles(claims, 1, 20, func() {
		if got := dump(crossRun(p, claims...)); got != want {
			t.Fatalf("order changed the findings:%s\nwant:%s", got, want)
		}
	})
}

// Cross-claim rules respect the pack: seed-only drops codeset related codes,
// and a pack without the rules reports nothing.
func TestCrossPack(t *testing.T) {
	claims := func() []*claim.Claim {
		return []*claim.Claim{xclaim(0, 1000, "A", tline("0620T", "RT")), xclaim(0, 5000, "B", tline("76937"), tline("93922")),
			xclaim(0, 9000, "C", tline("0620T", "RT"))}
	}
	def := crossRun(rulesPack(t, false), claims()...)
	if got := ruleIDs(def); !slices.Equal(got, []string{rules.BundleCrossClaim.String(), rules.LineDuplicate.String()}) || def[0].Source != string(pack.SourceCodeset) {
		t.Errorf("default pack: %v:%s", got, dump(def))
	}
	seed := crossRun(rulesPack(t, true), claims()...)
	if got := ruleIDs(seed); !slices.Equal(got, []string{rules.LineDuplicate.String()}) {
		t.Errorf("seed-only (76937 is a codeset entry): %v:%s", got, dump(seed))
	}
	yaml := string(defaultPackYAML)
	for _, id := range []string{rules.BundleCrossClaim.String(), rules.LineDuplicate.String()} {
		yaml = strings.Replace(yaml, "  - {id: "+id+", severity: "+map[string]string{rules.BundleCrossClaim.String(): "warning", rules.LineDuplicate.String(): "error"}[id]+", source: seed}\n", "", 1)
	}
	p, err := pack.Parse("no-cross.yaml", []byte(yaml), false)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.Rule(rules.LineDuplicate); ok {
		t.Fatal("LINE-DUPLICATE still in the edited pack")
	}
	if fs := crossRun(p, claims()...); len(fs) != 0 {
		t.Errorf("rules not in the pack fired:%s", dump(fs))
	}
}
