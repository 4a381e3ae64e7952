package history_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/scrub837/scrub837/scrubber/history"
	"github.com/scrub837/scrub837/scrubber/history/historytest"
)

func TestCopyFromSQLite(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		srcPath := historytest.SQLite(t)
		src := openHistory(t, srcPath)
		var probe []history.Claim
		for n := 1; n <= 3; n++ {
			f := "f" + itoa(n)
			held := claim(src, "H"+itoa(n), f, "M"+itoa(n), "20260105", "RT")
			held.Status = history.StatusHeld
			twoLegs := claim(src, "R"+itoa(n), f, "M"+itoa(n), "20260106", "RT")
			twoLegs.Lines = append(twoLegs.Lines, history.Line{Date: "20260106", Side: "LT"})
			noMember := claim(src, "X"+itoa(n), f, "", "20260107", "RT")
			record(t, src, run("night-"+itoa(n), n), []history.File{okFile(f), {Path: "bad", SHA256: sha("bad"), Status: history.FileFailed}},
				held, twoLegs, noMember)
			probe = append(probe, claim(src, "NEW", "new", "M"+itoa(n), "20260106", "LT"),
				claim(src, "NEW", "new", "M"+itoa(n), "20260105", "RT"))
		}
		dstTarget := b.newHistory(t)
		dst := openHistory(t, dstTarget)
		n, err := src.CopyTo(ctx, dst)
		if err != nil || n != 3 {
			t.Fatalf("CopyTo: %d, %v; want 3 runs", n, err)
		}
		if got, want := tableRows(t, dstTarget), tableRows(t, srcPath); !reflect.DeepEqual(got, want) {
			t.Errorf("rows: copy %v, original %v", got, want)
		}
		srcRuns, _ := src.Runs(ctx, 10)
		dstRuns, err := dst.Runs(ctx, 10)
		if err != nil || !reflect.DeepEqual(srcRuns, dstRuns) {
			t.Errorf("runs: copy %+v (%v), original %+v", dstRuns, err, srcRuns)
		}
		if got, want := duplicates(t, dst, probe...), duplicates(t, src, probe...); len(want) != 3 || !reflect.DeepEqual(got, want) {
			t.Errorf("duplicates: copy %+v, original %+v (want 3)", got, want)
		}
		if r, ok, err := dst.Seen(ctx, sha("f2"), sha("pack-1")); !ok || err != nil || r.ID != "night-2" {
			t.Errorf("seen in the copy: %+v, %v, %v", r, ok, err)
		}

		again, err := src.CopyTo(ctx, dst)
		wantUsageError(t, "copying into a history that has runs", nil, err)
		if again != 0 {
			t.Errorf("copied %d runs into a history that had some", again)
		}
		other, err := history.Open(ctx, historytest.SQLite(t), "") // a key file of its own
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		_, err = src.CopyTo(ctx, other)
		wantUsageError(t, "copying under another key", nil, err)
	})
}
