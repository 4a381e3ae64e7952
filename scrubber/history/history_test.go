package history_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/scrub837/scrub837/scrubber/history"
	"github.com/scrub837/scrub837/scrubber/history/historytest"
)

func TestDuplicateAcrossRuns(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		s := openHistory(t, b.newHistory(t))
		record(t, s, run("night-1", 10), []history.File{okFile("a.837")},
			claim(s, "CLM-A", "a.837", "MBR001", "20260105", "RT"))

		tonight := claim(s, "CLM-B", "b.837", "MBR001", "20260105", "RT")
		got := duplicates(t, s,
			claim(s, "CLM-X", "b.837", "MBR002", "20260105", "RT"), // another patient
			tonight,
			claim(s, "CLM-Y", "b.837", "MBR001", "20260105", "LT"), // the other leg
			claim(s, "CLM-Z", "b.837", "MBR001", "20260106", "RT"), // another day
		)
		if len(got) != 1 {
			t.Fatalf("got %d duplicates, want 1: %+v", len(got), got)
		}
		want := history.Duplicate{Claim: 1, Line: history.Line{Date: "20260105", Side: "RT"},
			RunID: "night-1", RunStarted: day(10), ClaimID: "CLM-A"}
		if got[0] != want {
			t.Errorf("got %+v, want %+v", got[0], want)
		}

		// The same member ID under another payer is another patient.
		other := tonight
		other.Patient = s.PatientKey("87726", "MBR001")
		if got := duplicates(t, s, other); len(got) != 0 {
			t.Errorf("another payer's member: got %+v, want none", got)
		}
		// A range date of service is compared on its first date.
		ranged := tonight
		ranged.Lines = []history.Line{{Date: "20260105-20260107", Side: "RT"}}
		if got := duplicates(t, s, ranged); len(got) != 1 || got[0].Line.Date != "20260105" {
			t.Errorf("a range from the same date: got %+v, want one on 20260105", got)
		}
		// No member ID, no comparison.
		anonymous := tonight
		anonymous.Patient = s.PatientKey("60054", " ")
		if !anonymous.Patient.IsZero() {
			t.Fatalf("a blank member ID gave a non-zero key")
		}
		if got := duplicates(t, s, anonymous); len(got) != 0 {
			t.Errorf("no member ID: got %+v, want none", got)
		}
	})
}

func TestSameFileRecordedTwiceIsNotItsOwnDuplicate(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		s := openHistory(t, b.newHistory(t))
		a := claim(s, "CLM-A", "a.837", "MBR001", "20260105", "RT")
		record(t, s, run("night-1", 10), []history.File{okFile("a.837")}, a)
		if got := duplicates(t, s, a); len(got) != 0 {
			t.Fatalf("a.837 seen again: got %+v, want none", got)
		}
		// Scrubbed again without --skip-seen and recorded twice: still the same claim.
		record(t, s, run("night-2", 11), []history.File{okFile("a.837")}, a)
		if got := duplicates(t, s, a); len(got) != 0 {
			t.Fatalf("a.837 a third time: got %+v, want none", got)
		}
		// The same claim ID sent again in another file is a duplicate, of both runs.
		resent := claim(s, "CLM-A", "resubmit.837", "MBR001", "20260105", "RT")
		got := duplicates(t, s, resent)
		if len(got) != 2 || got[0].RunID != "night-1" || got[1].RunID != "night-2" || got[0].ClaimID != "CLM-A" {
			t.Fatalf("CLM-A in another file: got %+v, want night-1 then night-2", got)
		}
		// Another claim of the same file for the same line is a duplicate too.
		twin := claim(s, "CLM-A2", "a.837", "MBR001", "20260105", "RT")
		if got := duplicates(t, s, twin); len(got) != 2 {
			t.Fatalf("another claim ID in a.837: got %+v, want 2", got)
		}
	})
}

func TestOnlyClaimsThatWentOutCount(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		s := openHistory(t, b.newHistory(t))
		var earlier []history.Claim
		for i, status := range []string{history.StatusHeld, history.StatusReview, history.StatusReady, history.StatusVoid} {
			c := claim(s, "CLM-"+status, "a.837", "MBR00"+string(rune('1'+i)), "20260105", "RT")
			c.Status = status
			earlier = append(earlier, c)
		}
		record(t, s, run("night-1", 10), []history.File{okFile("a.837")}, earlier...)

		for i, status := range []string{history.StatusHeld, history.StatusReview, history.StatusReady, history.StatusVoid} {
			tonight := claim(s, "CLM-NEW", "b.837", "MBR00"+string(rune('1'+i)), "20260105", "RT")
			got := duplicates(t, s, tonight)
			wentOut := status == history.StatusReview || status == history.StatusReady
			if wentOut && (len(got) != 1 || got[0].ClaimID != "CLM-"+status) {
				t.Errorf("earlier %s claim: got %+v, want it found", status, got)
			}
			if !wentOut && len(got) != 0 {
				t.Errorf("earlier %s claim: got %+v, want none (it did not go out as an original)", status, got)
			}
		}
	})
}

func TestReplacementsAndVoidsAreNotCompared(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		s := openHistory(t, b.newHistory(t))
		replacement := claim(s, "CLM-R", "a.837", "MBR001", "20260105", "RT")
		replacement.Frequency, replacement.PayerClaimRef = "7", "PAYER-ICN-1"
		void := claim(s, "CLM-V", "a.837", "MBR002", "20260105", "RT")
		void.Frequency, void.Status, void.PayerClaimRef = "8", history.StatusReady, "PAYER-ICN-2"
		original := claim(s, "CLM-O", "a.837", "MBR003", "20260105", "RT")
		record(t, s, run("night-1", 10), []history.File{okFile("a.837")}, replacement, void, original)

		// Tonight's originals against earlier replacements and voids.
		if got := duplicates(t, s,
			claim(s, "N1", "b.837", "MBR001", "20260105", "RT"),
			claim(s, "N2", "b.837", "MBR002", "20260105", "RT")); len(got) != 0 {
			t.Errorf("originals against an earlier replacement and void: got %+v, want none", got)
		}
		// Tonight's replacement and void against an earlier original.
		r := claim(s, "N3", "b.837", "MBR003", "20260105", "RT")
		r.Frequency = "7"
		v := claim(s, "N4", "b.837", "MBR003", "20260105", "RT")
		v.Frequency = "8"
		if got := duplicates(t, s, r, v); len(got) != 0 {
			t.Errorf("a replacement and a void tonight: got %+v, want none", got)
		}
		// The original itself is still found.
		if got := duplicates(t, s, claim(s, "N5", "b.837", "MBR003", "20260105", "RT")); len(got) != 1 {
			t.Errorf("an original against an original: got %+v, want one", got)
		}
	})
}

func TestDuplicatesInBatches(t *testing.T) {
	// More lines than one query carries: every one is found, in order.
	forEachBackend(t, func(t *testing.T, b backend) {
		s := openHistory(t, b.newHistory(t))
		const n = 1234
		var earlier, tonight []history.Claim
		for i := range n {
			member := "MBR" + itoa(i)
			earlier = append(earlier, claim(s, "OLD-"+itoa(i), "a.837", member, "20260105", "RT"))
			c := claim(s, "NEW-"+itoa(i), "b.837", member, "20260105", "RT")
			if i%3 == 0 {
				c.Lines[0].Side = "LT" // no match
			}
			tonight = append(tonight, c)
		}
		record(t, s, run("night-1", 10), []history.File{okFile("a.837")}, earlier...)
		got := duplicates(t, s, tonight...)
		var want []int
		for i := range n {
			if i%3 != 0 {
				want = append(want, i)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("got %d duplicates, want %d", len(got), len(want))
		}
		for j, d := range got {
			if d.Claim != want[j] || d.ClaimID != "OLD-"+itoa(want[j]) {
				t.Fatalf("duplicate %d: got %+v, want claim %d", j, d, want[j])
			}
		}
	})
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestSeen(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		s := openHistory(t, b.newHistory(t))
		ctx := context.Background()
		broken := history.File{Path: "/drops/broken.837", SHA256: sha("broken.837"), Bytes: 10, Status: history.FileFailed}
		record(t, s, run("night-1", 10), []history.File{okFile("a.837"), broken})
		record(t, s, run("night-2", 11), []history.File{okFile("a.837")})

		r, ok, err := s.Seen(ctx, sha("a.837"), sha("pack-1"))
		if err != nil || !ok || r.ID != "night-1" || !r.Started.Equal(day(10)) {
			t.Errorf("a.837: got %+v, %v, %v; want night-1 on day 10", r, ok, err)
		}
		if _, ok, err := s.Seen(ctx, sha("a.837"), sha("pack-2")); ok || err != nil {
			t.Errorf("a.837 under another pack: got seen=%v, %v; want not seen", ok, err)
		}
		if _, ok, err := s.Seen(ctx, sha("broken.837"), sha("pack-1")); ok || err != nil {
			t.Errorf("a file that failed: got seen=%v, %v; want not seen (it was never read whole)", ok, err)
		}
		if _, ok, err := s.Seen(ctx, sha("new.837"), sha("pack-1")); ok || err != nil {
			t.Errorf("a new file: got seen=%v, %v", ok, err)
		}
	})
}

func TestRunsAndPrune(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		target := b.newHistory(t)
		s := openHistory(t, target)
		ctx := context.Background()
		for n := 1; n <= 5; n++ {
			held := claim(s, "H"+itoa(n), "f"+itoa(n), "M"+itoa(n), "20260105", "RT")
			held.Status = history.StatusHeld
			record(t, s, run("night-"+itoa(n), n),
				[]history.File{okFile("f" + itoa(n)), {Path: "x", SHA256: sha("x"), Status: history.FileSkipped}},
				held, claim(s, "R"+itoa(n), "f"+itoa(n), "M"+itoa(n), "20260106", "RT"))
		}
		last, err := s.Runs(ctx, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(last) != 3 || last[0].ID != "night-3" || last[2].ID != "night-5" {
			t.Fatalf("last 3 runs: got %+v", last)
		}
		r := last[2]
		if r.Files != 2 || r.FilesSkipped != 1 || r.FilesFailed != 0 || r.TargetClaims != 2 || r.Held != 1 || r.Ready != 1 ||
			r.Review != 0 || r.Void != 0 || r.ExitCode != 1 || !r.Started.Equal(day(5)) || !r.Finished.Equal(day(5).Add(3*time.Minute)) ||
			r.PackSHA256 != sha("pack-1") || r.ToolVersion != "v1.2.3" || r.PackVersion != "2026.1" {
			t.Errorf("run counts: got %+v", r)
		}

		n, err := s.Prune(ctx, day(3))
		if err != nil || n != 2 {
			t.Fatalf("Prune before day 3: %d, %v; want 2 runs", n, err)
		}
		all, err := s.Runs(ctx, 100)
		if err != nil || len(all) != 3 || all[0].ID != "night-3" {
			t.Fatalf("runs after pruning: %+v, %v", all, err)
		}
		rows := tableRows(t, target)
		want := map[string]int{"runs": 3, "files": 6, "claims": 6, "claim_lines": 6}
		for table, n := range want {
			if rows[table] != n {
				t.Errorf("%s: %d rows after pruning, want %d", table, rows[table], n)
			}
		}
		if got := duplicates(t, s, claim(s, "NEW", "g", "M1", "20260106", "RT")); len(got) != 0 {
			t.Errorf("a claim of a pruned run was found: %+v", got)
		}
	})
}

func TestRecordRejectsInconsistentRuns(t *testing.T) {
	s := openHistory(t, historytest.SQLite(t))
	ctx := context.Background()
	c := claim(s, "CLM-A", "a.837", "MBR001", "20260105", "RT")
	if err := s.Record(ctx, run("r", 1), []history.File{okFile("other.837")}, []history.Claim{c}); err == nil {
		t.Error("a claim from a file that is not the run's was recorded")
	}
	c.Status = "sent"
	if err := s.Record(ctx, run("r", 1), []history.File{okFile("a.837")}, []history.Claim{c}); err == nil {
		t.Error("a claim with status \"sent\" was recorded")
	}
	if runs, _ := s.Runs(ctx, 10); len(runs) != 0 {
		t.Errorf("rejected runs were recorded: %+v", runs)
	}
}

func TestLinesKeptOncePerDateAndSide(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		target := b.newHistory(t)
		s := openHistory(t, target)
		c := claim(s, "CLM-A", "a.837", "MBR001", "20260105", "RT")
		c.Lines = append(c.Lines,
			history.Line{Date: "20260105", Side: "RT"},   // again
			history.Line{Date: "20260105", Side: "LT"},   // the other leg
			history.Line{Date: "", Side: "RT"},           // no date: not kept
			history.Line{Date: "2026-01-05", Side: "RT"}, // not CCYYMMDD: not kept
		)
		record(t, s, run("night-1", 10), []history.File{okFile("a.837")}, c)
		if n := tableRows(t, target)["claim_lines"]; n != 2 {
			t.Errorf("claim_lines: %d rows, want 2", n)
		}
		if got := duplicates(t, s, claim(s, "N", "b", "MBR001", "20260105", "LT")); len(got) != 1 {
			t.Errorf("the LT line: got %+v, want it found", got)
		}
	})
}

func TestRecordCancelledMidTransactionLeavesNothing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		target := b.newHistory(t)
		s := openHistory(t, target)
		ctx, cancel := context.WithCancel(context.Background())
		defer history.SetHookBeforeCommit(func(context.Context) { cancel() })()
		a := claim(s, "CLM-A", "a.837", "MBR001", "20260105", "RT")
		err := s.Record(ctx, run("night-1", 10), []history.File{okFile("a.837")}, []history.Claim{a})
		if err == nil {
			t.Fatal("Record with its context cancelled before the commit succeeded")
		}
		for table, n := range tableRows(t, target) {
			if n != 0 {
				t.Errorf("%s has %d rows after a cancelled Record", table, n)
			}
		}
		// And the history is usable: the lock was released.
		history.SetHookBeforeCommit(nil)
		record(t, s, run("night-1", 10), []history.File{okFile("a.837")}, a)
		if got := duplicates(t, s, claim(s, "CLM-B", "b.837", "MBR001", "20260105", "RT")); len(got) != 1 {
			t.Errorf("after a re-run: got %+v, want one duplicate", got)
		}
	})
}

func TestPatientKey(t *testing.T) {
	s := openHistory(t, historytest.SQLite(t))
	k := s.PatientKey("60054", "W123456789")
	if k.IsZero() {
		t.Fatal("zero key for a member")
	}
	if s.PatientKey(" 60054", "w123456789 ") != k {
		t.Error("case and surrounding spaces changed the key")
	}
	if s.PatientKey("6005", "4W123456789") == k {
		t.Error("payer and member IDs are not separated")
	}
	if s.PatientKey("60054", "W123456788") == k {
		t.Error("two members share a key")
	}
	other, err := history.Open(context.Background(), historytest.SQLite(t), "a1"+testKey[2:])
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if other.PatientKey("60054", "W123456789") == k {
		t.Error("the key does not depend on the secret")
	}
}

func TestUsageErrors(t *testing.T) {
	ctx := context.Background()
	pg := "postgres://scrub837@127.0.0.1:1/none"
	for _, c := range []struct{ name, target, key string }{
		{"no history", "", testKey},
		{"another scheme", "mysql://host/db", testKey},
		{"postgres without a key", pg, ""},
		{"a key that is not hex", pg, "not-hex-" + testKey},
		{"a short key", pg, testKey[:40]},
		{"a bad postgres URL", "postgres://host:notaport/db", testKey},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := history.Open(ctx, c.target, c.key)
			var usage *history.UsageError
			if !errors.As(err, &usage) {
				if s != nil {
					s.Close()
				}
				t.Fatalf("Open(%q): %v; want a *UsageError", c.target, err)
			}
		})
	}
}
