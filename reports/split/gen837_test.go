package split

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// gen837Drops builds cmd/gen837 and makes drops with it: one per delimiter
// layout, each of several files, plus one file that is all of them
// concatenated (several interchanges in one file, with different
// delimiters). gen837 writes one interchange a file, several transactions
// each; its 2000B subscribers have 2000C patients or not.
func gen837Drops(t *testing.T) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "gen837")
	build := exec.Command("go", "build", "-o", bin, "../../cmd/gen837")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build cmd/gen837: %v\n%s", err, out)
	}
	layouts := []struct {
		delims  string
		newline bool
	}{
		{"*^:~", true},
		{"*^:~", false},
		{"|^>~", true},
		{"^!<'", false},
	}
	drops := map[string][]byte{}
	var all []byte
	for i, l := range layouts {
		out := filepath.Join(dir, "drop"+strconv.Itoa(i))
		args := []string{"--claims", "2400", "--files", "2", "--seed", strconv.Itoa(7 + i), "--defect-rate", "0.4",
			"--target-share", "0.3", "--delimiters", l.delims, "--out", out, "-q"}
		if l.newline {
			args = append(args, "--newline")
		}
		cmd := exec.Command(bin, args...)
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("gen837 %v: %v\n%s", args, err, msg)
		}
		names, err := filepath.Glob(filepath.Join(out, "*.837"))
		if err != nil || len(names) != 2 {
			t.Fatalf("gen837 wrote %v (%v)", names, err)
		}
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			drops[strconv.Quote(l.delims)+" newline "+strconv.FormatBool(l.newline)+"/"+filepath.Base(name)] = data
			all = append(all, data...)
		}
	}
	drops["all concatenated"] = all
	return drops
}

// Every gen837 drop, and all of them in one file, splits under several
// pseudo-random decisions with every check of checkSplit.
func TestSplitGen837Drops(t *testing.T) {
	for name, data := range gen837Drops(t) {
		t.Run(name, func(t *testing.T) {
			if bytes.Count(data, []byte("ISA")) < 1 {
				t.Fatal("no interchange")
			}
			for _, d := range decisions {
				res := checkSplit(t, data, d.held)
				if res.err != nil {
					t.Fatalf("%s: %v", d.name, res.err)
				}
				if res.counts.Claims < 1000 {
					t.Fatalf("%s: only %d claims", d.name, res.counts.Claims)
				}
				if d.name == "random 1" && (res.counts.Ready == 0 || res.counts.Held == 0) {
					t.Fatalf("a random decision left a half empty: %+v", res.counts)
				}
			}
		})
	}
}
