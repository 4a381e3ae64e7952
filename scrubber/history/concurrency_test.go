package history_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scrub837/scrub837/scrubber/history"
	"github.com/scrub837/scrub837/scrubber/history/historytest"
)

// The test binary runs itself as a recorder process when childEnv is set:
// "record" records a run and exits; "hang" stops inside Record's transaction
// and waits to be killed.
const (
	childEnv       = "HISTORY_TEST_CHILD"
	childTargetEnv = "HISTORY_TEST_TARGET"
	childRunEnv    = "HISTORY_TEST_RUN"
	inTransaction  = "in transaction"
	claimsPerNight = 300
)

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		os.Exit(child(mode))
	}
	os.Exit(m.Run())
}

func child(mode string) int {
	ctx := context.Background()
	s, err := history.Open(ctx, os.Getenv(childTargetEnv), testKey)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer s.Close()
	switch mode {
	case "record":
		// Long enough inside the transaction that two children overlap.
		history.SetHookBeforeCommit(func(context.Context) { time.Sleep(300 * time.Millisecond) })
	case "hang":
		history.SetHookBeforeCommit(func(context.Context) {
			fmt.Println(inTransaction)
			select {}
		})
	}
	id := os.Getenv(childRunEnv)
	if err := s.Record(ctx, run(id, 1), []history.File{okFile(id)}, nightClaims(s, id)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// nightClaims are a run's claims: claimsPerNight of its own members, from
// its own file.
func nightClaims(s *history.Store, id string) []history.Claim {
	out := make([]history.Claim, claimsPerNight)
	for i := range out {
		out[i] = claim(s, id+"-C"+itoa(i), id, id+"-M"+itoa(i), "20260105", "RT")
	}
	return out
}

func childCommand(t *testing.T, mode, target, id string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+mode, childTargetEnv+"="+target, childRunEnv+"="+id)
	cmd.Stderr = os.Stderr
	return cmd
}

// checkNights checks that the history holds exactly the runs ids, each
// whole: its file, its claims, their lines, all under that run.
func checkNights(t *testing.T, target string, ids ...string) {
	t.Helper()
	want := map[string]int{"runs": len(ids), "files": len(ids), "claims": len(ids) * claimsPerNight, "claim_lines": len(ids) * claimsPerNight}
	for table, n := range tableRows(t, target) {
		if n != want[table] {
			t.Errorf("%s: %d rows, want %d", table, n, want[table])
		}
	}
	db := historytest.DB(t, target)
	for _, id := range ids {
		var runs, claims, lines, foreign int
		err := db.QueryRow(`SELECT COUNT(DISTINCT r.id), COUNT(DISTINCT c.id), COUNT(*),
			COALESCE(SUM(CASE WHEN c.claim_id LIKE r.run_id || '-C%' AND f.path = '/drops/' || r.run_id THEN 0 ELSE 1 END), 0)
			FROM runs r JOIN files f ON f.run_ref = r.id JOIN claims c ON c.file_ref = f.id
			JOIN claim_lines l ON l.claim_ref = c.id
			WHERE r.run_id = '`+id+`' AND r.target_claims = `+itoa(claimsPerNight)).Scan(&runs, &claims, &lines, &foreign)
		if err != nil {
			t.Fatal(err)
		}
		if runs != 1 || claims != claimsPerNight || lines != claimsPerNight || foreign != 0 {
			t.Errorf("run %s: %d runs, %d claims, %d lines, %d rows of another run; want 1, %d, %d, 0",
				id, runs, claims, lines, foreign, claimsPerNight, claimsPerNight)
		}
	}
}

func TestConcurrentRecordersWait(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		target := b.newHistory(t)
		openHistory(t, target).Close()
		var inside, overlaps atomic.Int32
		defer history.SetHookBeforeCommit(func(context.Context) {
			if inside.Add(1) > 1 {
				overlaps.Add(1)
			}
			time.Sleep(200 * time.Millisecond)
			inside.Add(-1)
		})()
		ids := []string{"night-a", "night-b", "night-c"}
		var wg sync.WaitGroup
		for _, id := range ids {
			s := openHistory(t, target) // a pool of its own, as another process would have
			wg.Go(func() {
				if err := s.Record(context.Background(), run(id, 1), []history.File{okFile(id)}, nightClaims(s, id)); err != nil {
					t.Errorf("Record %s: %v", id, err)
				}
			})
		}
		wg.Wait()
		if n := overlaps.Load(); n != 0 {
			t.Errorf("%d recorders were inside a transaction at once", n)
		}
		checkNights(t, target, ids...)
	})
}

func TestConcurrentRecorderProcesses(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		target := b.newHistory(t)
		openHistory(t, target).Close()
		ids := []string{"proc-a", "proc-b"}
		var cmds []*exec.Cmd
		for _, id := range ids {
			cmd := childCommand(t, "record", target, id)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			cmds = append(cmds, cmd)
		}
		for i, cmd := range cmds {
			if err := cmd.Wait(); err != nil {
				t.Errorf("recorder %s: %v", ids[i], err)
			}
		}
		checkNights(t, target, ids...)
	})
}

func TestKilledRecorderLeavesNothing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		target := b.newHistory(t)
		openHistory(t, target).Close()
		cmd := childCommand(t, "hang", target, "killed")
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		if err != nil || strings.TrimSpace(line) != inTransaction {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("recorder said %q, %v", line, err)
		}
		// Every row of the run is written; the process dies before the commit.
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()

		s := openHistory(t, target)
		checkNights(t, target)
		// The lock died with it: the next run records.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := s.Record(ctx, run("after", 2), []history.File{okFile("after")}, nightClaims(s, "after")); err != nil {
			t.Fatalf("recording after the killed run: %v", err)
		}
		checkNights(t, target, "after")
	})
}
