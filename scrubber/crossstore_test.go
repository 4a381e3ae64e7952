package scrubber

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/scrubber/rules"
	"github.com/scrub837/scrub837/scrubber/spill"
)

// spillDrop generates files of 837P claims that give many cross-claim
// findings: a few members (subscribers and 2000C dependants), two billing
// providers, a few dates, and lines billing 0620T on either or both sides,
// included and review codes (some with XS), and unrelated codes.
func spillDrop(files, claims int, seed int64) [][]byte {
	r := rand.New(rand.NewSource(seed))
	pick := func(s ...string) string { return s[r.Intn(len(s))] }
	out := make([][]byte, files)
	for fi := range out {
		var segs []string
		seg := func(s string) { segs = append(segs, s) }
		hl := 0
		for ci := range claims {
			member := fmt.Sprintf("W%08d", 1+r.Intn(12))
			hl++
			billing := hl
			seg(fmt.Sprintf("HL*%d**20*1", billing))
			seg("PRV*BI*PXC*2086S0129X")
			seg("NM1*85*2*VASCULAR GROUP*****XX*" + pick("1234567893", "1234567893", "1999999992"))
			dependant := r.Intn(4) == 0
			hl++
			if dependant {
				seg(fmt.Sprintf("HL*%d*%d*22*1", hl, billing))
				seg("SBR*P********CI")
			} else {
				seg(fmt.Sprintf("HL*%d*%d*22*0", hl, billing))
				seg("SBR*P*18*******CI")
			}
			seg("NM1*IL*1*DOE*JANE****MI*" + member)
			seg("NM1*PR*2*AETNA*****PI*60054")
			if dependant {
				hl++
				seg(fmt.Sprintf("HL*%d*%d*23*0", hl, hl-1))
				seg("PAT*19")
				seg("NM1*QC*1*DOE*JUNIOR")
			}
			seg(fmt.Sprintf("CLM*F%dC%d*1500***22:B:1*Y*A*Y*Y", fi, ci))
			seg("HI*ABK:I70223") // both legs, rest pain: any side, no ulcer severity
			for li := range 1 + r.Intn(3) {
				code := pick("HC:0620T:RT", "HC:0620T:LT", "HC:0620T:50", "HC:0620T", "HC:0620T:RT",
					"HC:36200", "HC:36200:XS", "HC:76937", "HC:37224", "HC:93922")
				seg(fmt.Sprintf("LX*%d", li+1))
				seg("SV1*" + code + "*300*UN*1***1")
				if r.Intn(6) == 0 {
					seg("DTP*472*RD8*" + pick("20260114-20260116", "20260116-20260117"))
				} else {
					seg("DTP*472*D8*" + pick("20260114", "20260115", "20260116", "20260117"))
				}
			}
		}
		var b bytes.Buffer
		fmt.Fprintf(&b, "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *260120*0900*^*00501*%09d*0*P*:~\n", 500+fi)
		fmt.Fprintf(&b, "GS*HC*SENDER*RECEIVER*20260120*0900*%d*X*005010X222A1~\n", 500+fi)
		b.WriteString("ST*837*0001*005010X222A1~\nBHT*0019*00*X1*20260120*0900*CH~\nNM1*41*2*SUBMITTER*****46*S1~\nNM1*40*2*RECEIVER*****46*R1~\n")
		for _, s := range segs {
			b.WriteString(s + "~\n")
		}
		fmt.Fprintf(&b, "SE*%d*0001~\nGE*1*%d~\nIEA*1*%09d~\n", len(segs)+5, 500+fi, 500+fi)
		out[fi] = b.Bytes()
	}
	return out
}

// spillRun scrubs the files with s, concurrently and in the order given
// (each file on its own goroutine, started in order, so the store sees
// their entries interleaved), then runs Finish. It returns every result's
// findings and target claims as text.
func spillRun(t *testing.T, s *Scrubber, data [][]byte, order []int, beforeFinish func()) string {
	t.Helper()
	results := make([]*FileResult, len(data))
	var wg sync.WaitGroup
	for _, i := range order {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = s.Scrub(i, fmt.Sprintf("drop-%d.837", i), bytes.NewReader(data[i]))
		}()
	}
	wg.Wait()
	if beforeFinish != nil {
		beforeFinish()
	}
	if err := s.Finish(results); err != nil {
		t.Fatalf("Finish: %v", err)
	}
	var b strings.Builder
	for _, res := range results {
		fmt.Fprintf(&b, "%s: %d claims, %d target lines\n", res.Name, res.Claims, res.TargetLines)
		for _, f := range res.Findings {
			fmt.Fprintf(&b, "  %+v\n", f)
		}
		groups := make([]string, 0, len(res.Targets))
		for g := range res.Targets {
			groups = append(groups, g)
		}
		sort.Strings(groups)
		fmt.Fprintf(&b, "  %d target claims\n", res.TargetClaims)
		for _, g := range groups {
			fmt.Fprintf(&b, "  %s: %+v\n", g, res.Targets[g])
		}
	}
	return b.String()
}

// dirEntries lists dir and its subfolders' files.
func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path != dir {
			names = append(names, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// A run that spills its cross-claim index to disk gives exactly the
// findings of one that keeps it in memory, whatever the order the files
// are scrubbed in, and leaves no file behind.
func TestCrossSpillSameFindings(t *testing.T) {
	p := testPack(t)
	data := spillDrop(5, 120, 7)
	inOrder := []int{0, 1, 2, 3, 4}

	mem := New(p, Options{})
	want := spillRun(t, mem, data, inOrder, func() {
		if mem.cross.parts != nil || len(mem.cross.mem) == 0 {
			t.Fatalf("the in-memory run spilled (or indexed nothing): %d entries", len(mem.cross.mem))
		}
	})
	if n := strings.Count(want, "RuleID:"+rules.LineDuplicate.String()+" ") + strings.Count(want, "RuleID:"+rules.BundleCrossClaim.String()+" "); n < 40 {
		t.Fatalf("only %d LINE-DUPLICATE and BUNDLE-CROSS-CLAIM findings: the drop does not exercise the rules", n)
	}
	if !strings.Contains(want, "RuleID:"+rules.BundleCrossClaim.String()) || !strings.Contains(want, "it carries XS") ||
		!strings.Contains(want, "the rule pack says") {
		t.Fatalf("the drop lacks a kind of cross-claim finding:\n%s", want)
	}
	// The same Scrubber again, in memory, in another order.
	if got := spillRun(t, mem, data, []int{4, 2, 0, 3, 1}, nil); got != want {
		t.Fatalf("in-memory run in another order differs:\n%s\nwant:\n%s", got, want)
	}

	r := rand.New(rand.NewSource(1))
	// Runs 1 and 3 also split the partitions at Finish.
	loadMaxes := []int{0, 100, 0, 300, 0}
	for run, limit := range []int{1, 1, 1, 2000, 20000} {
		tmp := t.TempDir()
		s := New(p, Options{})
		s.cross.dir = tmp
		s.cross.limit = limit
		if loadMaxes[run] > 0 {
			s.cross.loadMax = loadMaxes[run]
		}
		order := slicesPerm(r, len(data))
		got := spillRun(t, s, data, order, func() {
			// Spilled into unlinked files: a killed run leaves nothing.
			assertSpilled(t, s.cross.parts)
			if files := dirEntries(t, tmp); len(files) != 0 {
				t.Fatalf("limit %d: the spill left %v in the temp folder", limit, files)
			}
		})
		if got != want {
			t.Fatalf("run %d (limit %d, order %v): spilled findings differ:\n%s\nwant:\n%s", run, limit, order, got, want)
		}
		if files := dirEntries(t, tmp); len(files) != 0 {
			t.Errorf("Finish left %v", files)
		}
		if err := s.Close(); err != nil {
			t.Errorf("Close after Finish: %v", err)
		}
	}
}

func slicesPerm(r *rand.Rand, n int) []int { return r.Perm(n) }

// The spill store matches like the store in memory, whatever order its
// entries arrive in: the claims of TestCrossDeterministic, shuffled, each
// partition written in a different order.
func TestCrossSpillShuffled(t *testing.T) {
	p := rulesPack(t, false)
	claims := crossClaims(3, 12, [][]claim.Line{
		{tline("0620T", "RT")},
		{tline("36200"), dated(tline("0620T"), "20260116")},
		{dated(tline("37224"), "20251201"), tline("76937"), tline("36200", "XS")},
		{dated(tline("0620T", "50"), "20251201"), tline("0620T", "LT"), tline("0620T", "LT")},
	}, func(c *claim.Claim, i int) {
		c.MemberID = fmt.Sprintf("W%08d", 1+i%3)
		c.HasPatient = i%5 == 4
	})
	want := manyFindings(t, p, claims, 20)
	shuffles(claims, 2, 10, func() {
		st := newCrossStore(t.TempDir())
		st.limit = 1
		addClaims(st, p, claims)
		if st.parts == nil || st.err != nil {
			t.Fatalf("not spilled: %v", st.err)
		}
		fs, err := allFindings(st, p)
		if err != nil {
			t.Fatal(err)
		}
		if got := dump(fs); got != want {
			t.Fatalf("spilled findings differ:%s\nwant:%s", got, want)
		}
		if files := dirEntries(t, st.dir); len(files) != 0 {
			t.Fatalf("files left: %v", files)
		}
	})
}

// A spilled entry reads back as it was written.
func TestCrossSpillRoundTrip(t *testing.T) {
	p := rulesPack(t, false)
	c := xclaim(3, 1<<33, "A", tline("0620T", "RT", "LT"), dated(tline("36200", "XS"), "20260116"), dated(tline("37224"), "20251201"))
	c.HasPatient = true
	var want []crossEntry
	want = appendCrossEntries(want, p, c)
	want[0].dupInClaim = true
	for i := range want {
		want[i].scrub = uint32(1000 * (i + 1))
	}
	st := newCrossStore(t.TempDir())
	defer st.reset()
	st.startSpill()
	for i := range want {
		st.write(&want[i])
	}
	if st.err != nil {
		t.Fatal(st.err)
	}
	part := crossPartition(c.MemberID, true)
	got := streamedEntries(t, p, st.parts[part])
	if len(got) != len(want) || len(want) != 3 || want[1].rel == nil || want[1].override != "XS" {
		t.Fatalf("got %d entries, want %d: %+v", len(got), len(want), want)
	}
	for i := range want {
		if fmt.Sprintf("%+v", got[i]) != fmt.Sprintf("%+v", want[i]) {
			t.Errorf("entry %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

// splitPart keeps every record of a partition and puts all the records of
// a match key in one piece, about one piece per max bytes.
func TestSplitPartKeepsRecordsAndKeys(t *testing.T) {
	p := testPack(t)
	data := spillDrop(3, 60, 5)
	for _, max := range []int{50, 150, 1000, 1 << 30} {
		tmp := t.TempDir()
		s := scrubSpilled(t, p, tmp, data)
		split := 0
		for i, part := range s.cross.parts {
			if part.Len() == 0 {
				continue
			}
			whole := loadedEntries(t, part)
			pieces, err := splitPart(part, max, tmp)
			if err != nil {
				t.Fatal(err)
			}
			s.cross.parts[i] = nil // splitPart closed it, or it is its only piece
			if wantN := min(int((part.Size()+int64(max)-1)/int64(max)), crossSplitMaxPieces); len(pieces) != wantN {
				t.Fatalf("max %d: %d bytes in %d pieces, want %d", max, part.Size(), len(pieces), wantN)
			}
			if len(pieces) > 1 {
				split++
			}
			var got []string
			keyPiece := map[string]int{}
			for k := range pieces {
				for _, e := range streamedEntries(t, p, pieces[k]) {
					key := fmt.Sprint(e.member, e.patient)
					if prev, ok := keyPiece[key]; ok && prev != k {
						t.Fatalf("max %d: key %s in pieces %d and %d", max, key, prev, k)
					}
					keyPiece[key] = k
					e.rel = nil // loadedEntries does not look the code up
					got = append(got, fmt.Sprintf("%+v", e))
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, whole) {
				t.Fatalf("max %d, partition %d: split entries differ:\n%v\nwant:\n%v", max, i, got, whole)
			}
		}
		t.Logf("max %d: %d of %d partitions split", max, split, crossPartitions)
		if max <= 150 && split == 0 {
			t.Fatalf("max %d: no partition was split", max)
		}
		if max == 1<<30 && split != 0 {
			t.Fatalf("max %d: %d partitions were split", max, split)
		}
		if files := dirEntries(t, tmp); len(files) != 0 {
			t.Fatalf("max %d: the split left %v in the temp folder", max, files)
		}
		s.Close()
	}
}

// scrubSpilled scrubs data with a Scrubber whose cross-claim index spills
// into tmp from the first entry, and fails the test if it did not spill.
func scrubSpilled(t *testing.T, p *pack.Pack, tmp string, data [][]byte) *Scrubber {
	t.Helper()
	s := New(p, Options{})
	s.cross.dir = tmp
	s.cross.limit = 1
	for i := range data {
		s.Scrub(i, "f", bytes.NewReader(data[i]))
	}
	if s.cross.parts == nil || s.cross.err != nil {
		t.Fatalf("nothing spilled: %v", s.cross.err)
	}
	return s
}

// loadedEntries returns the entries of part, formatted and sorted, without
// closing it.
// streamedEntries reads a part's entries back (eachEntry), each with its
// own strings.
func streamedEntries(t *testing.T, p *pack.Pack, part *spill.File) []crossEntry {
	t.Helper()
	var out []crossEntry
	if err := eachEntry(p, part, func(e *crossEntry) { out = append(out, *ownEntry(e)) }); err != nil {
		t.Fatal(err)
	}
	return out
}

func loadedEntries(t *testing.T, part *spill.File) []string {
	t.Helper()
	recs, err := part.Load()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, rec := range recs {
		var e crossEntry
		if _, err := decodeRecord(rec, &e); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%+v", e))
	}
	slices.Sort(out)
	return out
}

// A record cut short, or with bytes after it, is corrupt.
func TestDecodeRecordRejectsCorruptRecords(t *testing.T) {
	p := rulesPack(t, false)
	c := xclaim(3, 1<<33, "A", tline("0620T", "RT"), dated(tline("36200", "XS"), "20260116"))
	es := appendCrossEntries(nil, p, c)
	rec := string(appendRecord(nil, &es[1]))
	var e crossEntry
	if rel, err := decodeRecord(rec, &e); err != nil || rel != "36200" || e.override != "XS" || e.member != c.MemberID {
		t.Fatalf("whole record: %v, %q, %+v", err, rel, e)
	}
	for cut := 0; cut < len(rec); cut++ {
		if _, err := decodeRecord(rec[:cut], &e); !errors.Is(err, errSpillCorrupt) {
			t.Fatalf("record cut at %d of %d: %v", cut, len(rec), err)
		}
	}
	if _, err := decodeRecord(rec+"x", &e); !errors.Is(err, errSpillCorrupt) {
		t.Fatalf("a byte after the record: %v", err)
	}
}

// Close removes the spill files of a run that never reached Finish; a
// spill that cannot be written is Finish's error, and the Scrubber works
// again afterwards.
func TestCrossSpillCloseAndErrors(t *testing.T) {
	p := testPack(t)
	data := spillDrop(2, 40, 3)
	tmp := t.TempDir()
	s := scrubSpilled(t, p, tmp, data)
	assertSpilled(t, s.cross.parts)
	if files := dirEntries(t, tmp); len(files) != 0 {
		t.Fatalf("the spill left %v in the temp folder", files)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if files := dirEntries(t, tmp); len(files) != 0 {
		t.Fatalf("Close left %v", files)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}

	// A temp folder that does not exist: the spill fails, and Finish says so.
	s.cross.dir = filepath.Join(tmp, "missing")
	var results []*FileResult
	for i := range data {
		results = append(results, s.Scrub(i, "f", bytes.NewReader(data[i])))
	}
	before := fmt.Sprint(results[0].Findings)
	err := s.Finish(results)
	if err == nil || !strings.Contains(err.Error(), "cross-claim") {
		t.Fatalf("Finish: %v", err)
	}
	if fmt.Sprint(results[0].Findings) != before {
		t.Error("a failed Finish changed the findings")
	}

	// The failed run is forgotten: the next one works, and a Scrub result
	// left out of Finish (a file that panicked) adds nothing.
	s.cross.dir = tmp
	want := spillRun(t, New(p, Options{}), data[:1], []int{0}, nil)
	s.Scrub(0, "drop-0.837", bytes.NewReader(data[1])) // dropped, like a panicked Scrub
	if got := spillRun(t, s, data[:1], []int{0}, nil); got != want {
		t.Fatalf("after a failed Finish:\n%s\nwant:\n%s", got, want)
	}
}

// TestCrossMemory measures the live heap a large drop leaves after Scrub
// and the heap during Finish, with the cross-claim index spilled (the
// default limit) and kept in memory (no limit), and checks both give the
// same findings. It runs only when SCRUB837_MEMCHECK names a drop file;
// SCRUB837_MEMCHECK_COPIES=n scrubs it as n inputs of one run, e.g.
//
//	SCRUB837_MEMCHECK=/tmp/pdrop/drop-0001.837 go test ./scrubber -run TestCrossMemory -v
func TestCrossMemory(t *testing.T) {
	path := os.Getenv("SCRUB837_MEMCHECK")
	if path == "" {
		t.Skip("set SCRUB837_MEMCHECK to a drop file")
	}
	copies, _ := strconv.Atoi(os.Getenv("SCRUB837_MEMCHECK_COPIES"))
	copies = max(copies, 1)
	p, err := pack.Default(false)
	if err != nil {
		t.Fatal(err)
	}
	var ms runtime.MemStats
	heap := func() uint64 {
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	// peakDuring samples the heap while f runs.
	peakDuring := func(f func()) uint64 {
		stop, peak := make(chan struct{}), make(chan uint64)
		go func() {
			var m runtime.MemStats
			var hi uint64
			tick := time.NewTicker(10 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-stop:
					peak <- hi
					return
				case <-tick.C:
					runtime.ReadMemStats(&m)
					hi = max(hi, m.HeapAlloc)
				}
			}
		}()
		f()
		close(stop)
		return <-peak
	}
	run := func(limit int) string {
		s := New(p, Options{})
		defer s.Close()
		if limit > 0 {
			s.cross.limit = limit
		}
		before := heap()
		results := make([]*FileResult, copies)
		var scrubTime time.Duration
		scrubPeak := peakDuring(func() {
			start := time.Now()
			for i := range results {
				f, err := os.Open(path)
				if err != nil {
					t.Skip(err)
				}
				results[i] = s.Scrub(i, fmt.Sprintf("drop-%d.837", i), f)
				f.Close()
			}
			scrubTime = time.Since(start)
		})
		afterScrub := heap()
		var spilled, biggest int64
		for _, part := range s.cross.parts {
			spilled += part.Size()
			biggest = max(biggest, part.Size())
		}
		memEntries, memBytes := len(s.cross.mem), s.cross.memBytes
		var finishTime time.Duration
		finishPeak := peakDuring(func() {
			start := time.Now()
			if err := s.Finish(results); err != nil {
				t.Fatal(err)
			}
			finishTime = time.Since(start)
		})
		afterFinish := heap()
		var b strings.Builder
		claims, targets, findings, cross := 0, 0, 0, 0
		for _, res := range results {
			claims, targets, findings = claims+res.Claims, targets+res.TargetLines, findings+len(res.Findings)
			for _, f := range res.Findings {
				if strings.Contains(f.Message, " on claim ") && strings.Contains(f.Message, " in file ") {
					cross++
				}
				fmt.Fprintf(&b, "%+v\n", f)
			}
			fmt.Fprintf(&b, "%+v\n", res.TargetClaims)
		}
		t.Logf("limit %d: %d claims, %d target lines, %d findings (%d cross-claim)", limit, claims, targets, findings, cross)
		t.Logf("  index: %d entries, %.1f MB in memory; %.1f MB spilled (largest partition %.2f MB)",
			memEntries, mb(uint64(memBytes)), mb(uint64(spilled)), mb(uint64(biggest)))
		t.Logf("  live heap: before %.1f MB, after Scrub %.1f MB (+%.1f), after Finish %.1f MB; peak heap during Scrub %.1f MB, during Finish %.1f MB",
			mb(before), mb(afterScrub), mb(afterScrub)-mb(before), mb(afterFinish), mb(scrubPeak), mb(finishPeak))
		t.Logf("  Scrub %v, Finish %v", scrubTime.Round(time.Millisecond), finishTime.Round(time.Millisecond))
		runtime.KeepAlive(results)
		return b.String()
	}
	spilled := run(0)
	inMemory := run(math.MaxInt)
	if spilled != inMemory {
		t.Fatal("spilled and in-memory runs differ")
	}
}

func mb(n uint64) float64 { return float64(n) / (1 << 20) }

// assertUnlinkedSpill requires every partition file to be open, written
// assertSpilled fails unless the index spilled into its partition files.
func assertSpilled(t *testing.T, parts []*spill.File) {
	t.Helper()
	if len(parts) != crossPartitions {
		t.Fatalf("%d partition files, want %d", len(parts), crossPartitions)
	}
	written := 0
	for _, part := range parts {
		written += part.Len()
	}
	if written == 0 {
		t.Fatal("no entry was written to the spill files")
	}
}
