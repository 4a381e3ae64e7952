//go:build unix

package reports

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
)

// The kill test runs the report set's commit (and its recovery) in a child
// process, the test binary run again with killChildEnv set, which stops
// itself with SIGKILL before its Nth file-system step.
const killChildEnv = "SCRUB837_SET_KILL_CHILD"

func TestMain(m *testing.M) {
	if spec := os.Getenv(killChildEnv); spec != "" {
		os.Exit(killChild(spec))
	}
	os.Exit(m.Run())
}

// killChild runs "commit DIR N" or "recover DIR N": the step hook kills
// the process before step N (counting from 1); 0 never kills.
func killChild(spec string) int {
	f := strings.Fields(spec)
	if len(f) != 3 {
		fmt.Fprintln(os.Stderr, "bad spec", spec)
		return 2
	}
	dir := f[1]
	n, _ := strconv.Atoi(f[2])
	var count atomic.Int64
	step := func(name string) {
		if int(count.Add(1)) == n {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal is on its way
		}
	}
	var err error
	switch f[0] {
	case "commit":
		err = commitNewSet(dir, step)
	case "recover":
		_, err = recoverSet(dir, step)
	default:
		err = errors.New("bad mode " + f[0])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// newSetReport is the report of the "new" run of the kill test.
func newSetReport() *Report {
	r := analystReport()
	r.Run.ID = "new-run"
	return r
}

// commitNewSet writes the new run's set: csv and json, and a ready/
// folder; no html, no held/.
func commitNewSet(dir string, step func(string)) error {
	st, err := newStage(dir, step)
	if err != nil {
		return err
	}
	if _, err := st.WriteFormats([]string{"csv", "json"}, newSetReport()); err != nil {
		return err
	}
	ready, err := st.Dir(ReadyDir)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(ready, "in.837"), []byte("ISA*new~"), 0o640); err != nil {
		return err
	}
	return st.Commit()
}

// writeOldSet writes the old run's set into dir: csv, json and html, and a
// held/ folder, beside a file of the user's own.
func writeOldSet(t *testing.T, dir string) {
	t.Helper()
	r := analystReport()
	r.Run.ID = "old-run"
	st, err := NewStage(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.WriteFormats([]string{"csv", "json", "html"}, r); err != nil {
		t.Fatal(err)
	}
	held, err := st.Dir(HeldDir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(held, "in.837"), []byte("ISA*old~"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("the user's own"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// snapshot maps every visible file under dir (hidden names and the lock
// file left out) to a hash of its content; folders end in "/".
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if rel == "." {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			out[rel+"/"] = ""
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[rel] = hex.EncodeToString(sum[:8])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// hidden lists the hidden names in dir but the lock file.
func hidden(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, n := range dirNames(t, dir) {
		if strings.HasPrefix(n, ".") && n != LockFileName {
			out = append(out, n)
		}
	}
	return out
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if out, err := exec.Command("cp", "-a", from, to).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
}

// runKillChild runs the child and reports whether it was killed (true) or
// finished (false).
func runKillChild(t *testing.T, mode, dir string, n int) bool {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), killChildEnv+"="+mode+" "+dir+" "+strconv.Itoa(n))
	out, err := cmd.CombinedOutput()
	if err == nil {
		return false
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return true
		}
	}
	t.Fatalf("%s child at step %d: %v\n%s", mode, n, err, out)
	return false
}

// TestSetKilledAtEveryStep kills the commit of a new report set before each
// of its file-system steps in turn, and, when the kill came after the
// commit point, kills the recovery before each of its steps too. Each time
// the folder must hold exactly the old set or, once recovered, exactly the
// new one, with the user's own file untouched and no hidden leftover; and
// while the folder is between the two, Pending must say so.
func TestSetKilledAtEveryStep(t *testing.T) {
	base := t.TempDir()
	template := filepath.Join(base, "template")
	writeOldSet(t, template)
	old := snapshot(t, template)

	// The new set, from a run that is not killed.
	clean := filepath.Join(base, "clean")
	copyDir(t, template, clean)
	if runKillChild(t, "commit", clean, 0) {
		t.Fatal("the child was killed with no step to kill at")
	}
	want := snapshot(t, clean)
	for _, name := range []string{"exceptions.csv", "claims.csv", "exceptions.json", "ready/", "ready/in.837", "notes.txt"} {
		if _, ok := want[name]; !ok {
			t.Fatalf("the new set lacks %s: %v", name, slices.Sorted(maps.Keys(want)))
		}
	}
	for _, name := range []string{"report.html", "held/"} {
		if _, ok := want[name]; ok {
			t.Fatalf("the new set keeps the old %s", name)
		}
	}
	if maps.Equal(old, want) || old["notes.txt"] != want["notes.txt"] {
		t.Fatal("old and new sets are the same, or the user's file changed")
	}
	if h := hidden(t, clean); len(h) != 1 || h[0] != manifestName {
		t.Fatalf("hidden files after a clean commit: %v", h)
	}

	check := func(dir, when string, wantSet map[string]string) {
		t.Helper()
		if got := snapshot(t, dir); !maps.Equal(got, wantSet) {
			t.Errorf("%s: folder holds\n%v\nwant\n%v", when, got, wantSet)
		}
		if h := hidden(t, dir); len(h) != 1 || h[0] != manifestName {
			t.Errorf("%s: hidden files %v", when, h)
		}
	}

	steps, committed := 0, 0
	for n := 1; ; n++ {
		dir := filepath.Join(base, "run"+strconv.Itoa(n))
		copyDir(t, template, dir)
		if !runKillChild(t, "commit", dir, n) {
			steps = n - 1
			break
		}
		when := fmt.Sprintf("killed at commit step %d", n)
		if !Pending(dir) {
			// Before the commit point the old set, whole; after the
			// journal is gone, the new one.
			got := snapshot(t, dir)
			wantNow := old
			if maps.Equal(got, want) {
				wantNow = want
			} else if !maps.Equal(got, old) {
				t.Errorf("%s, no journal: folder holds\n%v\nwant the old set\n%v\nor the new\n%v", when, got, old, want)
			}
			if _, err := Recover(dir); err != nil {
				t.Fatalf("%s: recover: %v", when, err)
			}
			check(dir, when+", recovered", wantNow)
			continue
		}
		committed++
		// After it: the next run completes the set, even when killed
		// while doing so.
		for m := 1; ; m++ {
			again := dir + "-r" + strconv.Itoa(m)
			copyDir(t, dir, again)
			if !runKillChild(t, "recover", again, m) {
				check(again, when+", recovered", want)
				break
			}
			if !Pending(again) {
				// Killed after the journal was removed: the set is
				// complete, only leftovers may remain.
				if got := snapshot(t, again); !maps.Equal(got, want) {
					t.Errorf("%s, recovery killed at step %d with no journal: %v", when, m, got)
				}
			}
			rec, err := Recover(again)
			if err != nil {
				t.Fatalf("%s, recovery killed at %d: %v", when, m, err)
			}
			if Pending(again) {
				t.Errorf("%s: still pending after Recover (%+v)", when, rec)
			}
			check(again, fmt.Sprintf("%s, recovery killed at step %d, recovered", when, m), want)
		}
	}
	if steps < 10 || committed < 5 {
		t.Fatalf("only %d steps (%d after the commit point): the hook misses steps", steps, committed)
	}
	t.Logf("killed the commit at each of its %d steps, %d of them after the commit point", steps, committed)
}
