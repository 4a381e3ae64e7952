package main

// End-to-end tests of the hand-off (REPORTS.md, "ready/ and held/"): the
// binary splits the samples and a gen837 drop; the halves are read back
// with the X12 reader and compared with the inputs claim by claim, with
// the worklist, and scrubbed again.

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/scrub837/scrub837/x12io"
)

// x12View is what the X12 reader sees in a file: its problems and its
// claims (each CLM segment as written), and which of them bill 0620T.
type x12View struct {
	problems []string
	clms     []string
	target   []bool
}

// claims are the CLM segments of v.
func (v x12View) claims() []string {
	var out []string
	for _, c := range v.clms {
		if c != "" {
			out = append(out, c)
		}
	}
	return out
}

func readX12(t *testing.T, data []byte) x12View {
	t.Helper()
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if data, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	var v x12View
	r := x12io.NewReader(bytes.NewReader(data))
	for {
		seg, err := r.Next()
		if errors.Is(err, io.EOF) {
			return v
		}
		var xe *x12io.Error
		if errors.As(err, &xe) {
			v.problems = append(v.problems, xe.Error())
			if xe.Fatal {
				return v
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case seg.Is("CLM"):
			v.clms = append(v.clms, string(seg.Bytes()))
			v.target = append(v.target, false)
		case seg.Is("SV1") && len(v.target) > 0 && string(seg.Component(1, 1)) == "HC" && string(seg.Component(1, 2)) == "0620T":
			v.target[len(v.target)-1] = true
		case seg.Is("ST") || seg.Is("HL"):
			v.clms = append(v.clms, "") // no claim open: an SV1 after it is no claim's
			v.target = append(v.target, false)
		}
	}
}

// splitInputs makes the inputs of the split tests in dir: every sample
// file, a second 01-dx.837 under another folder (a name taken twice), and
// a gen837 drop in four delimiter layouts plus all of it concatenated
// into one file (several interchanges, several delimiters, in one file).
func splitInputs(t *testing.T, dir string) []string {
	t.Helper()
	paths := allFixtures(t)
	for i, p := range paths {
		paths[i] = filepath.Join(repoRoot, p)
	}
	twin := filepath.Join(dir, "twin", "01-dx.837")
	if err := os.MkdirAll(filepath.Dir(twin), 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "01-dx.837"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(twin, data, 0o644); err != nil {
		t.Fatal(err)
	}
	paths = append(paths, twin)

	gen := filepath.Join(dir, "gen837")
	if out, err := exec.Command("go", "build", "-o", gen, filepath.Join(repoRoot, "cmd", "gen837")).CombinedOutput(); err != nil {
		t.Fatalf("go build cmd/gen837: %v\n%s", err, out)
	}
	var all []byte
	for i, layout := range []struct {
		delims  string
		newline bool
	}{{"*^:~", true}, {"*^:~", false}, {"|^>~", true}, {"^!<'", false}} {
		args := []string{"--claims", "500", "--files", "2", "--seed", strconv.Itoa(11 + i), "--defect-rate", "0.4",
			"--target-share", "0.3", "--delimiters", layout.delims, "--out", filepath.Join(dir, "drop"), "--prefix", "layout" + strconv.Itoa(i), "-q"}
		if layout.newline {
			args = append(args, "--newline")
		}
		if out, err := exec.Command(gen, args...).CombinedOutput(); err != nil {
			t.Fatalf("gen837 %v: %v\n%s", args, err, out)
		}
		names, err := filepath.Glob(filepath.Join(dir, "drop", "layout"+strconv.Itoa(i)+"-*.837"))
		if err != nil || len(names) != 2 {
			t.Fatalf("gen837 wrote %v (%v)", names, err)
		}
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, data...)
		}
		paths = append(paths, names...)
	}
	concatenated := filepath.Join(dir, "all-layouts.837")
	if err := os.WriteFile(concatenated, all, 0o644); err != nil {
		t.Fatal(err)
	}
	return append(paths, concatenated)
}

// splitName is the name an input's halves get (REPORTS.md): the base name
// without .gz, with -2 before the extension for the second of a name.
func splitName(path string, taken map[string]bool) string {
	name := strings.TrimSuffix(filepath.Base(path), ".gz")
	ext := filepath.Ext(name)
	stem := name
	for k := 2; taken[name]; k++ {
		name = strings.TrimSuffix(stem, ext) + "-" + strconv.Itoa(k) + ext
	}
	taken[name] = true
	return name
}

// TestE2ESplit splits the samples and a gen837 drop with --hold-on error
// and warning, and checks REPORTS.md's promises: each half is valid X12;
// every claim of every input is in exactly one half, byte for byte, or the
// input is copied whole to held/; a target claim is in held/ exactly when
// the worklist holds it; the summary counts add up; and ready/ scrubbed
// again gives no finding at or above --hold-on.
func TestE2ESplit(t *testing.T) {
	inputs := splitInputs(t, t.TempDir())
	for _, holdOn := range []string{"error", "warning"} {
		t.Run(holdOn, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := append([]string{"-o", out, "--split", "--hold-on", holdOn, "--fail-on", "never", "--format", "csv,json", "--run-id", "split"}, inputs...)
			r := run(t, runOpts{}, args...)
			expectCode(t, r, exitInputFailed) // two samples are broken on purpose
			rep := parseReport(t, r.json(t))

			// The worklist: how many target claims of each file and claim ID
			// are held and not held (gen837's claim IDs repeat in the
			// concatenated file).
			type place struct{ held, ready int }
			worklist := map[string]place{}
			for _, c := range readCSVMaps(t, filepath.Join(out, "claims.csv")) {
				k := c["file"] + "|" + c["claim_id"]
				p := worklist[k]
				if c["status"] == "held" {
					p.held++
				} else {
					p.ready++
				}
				worklist[k] = p
			}

			taken := map[string]bool{}
			var ready, held, wholeClaims, wholeFiles, splitFiles int
			for i, in := range inputs {
				f := rep.Files[i]
				name := splitName(in, taken)
				raw, err := os.ReadFile(in)
				if err != nil {
					t.Fatal(err)
				}
				readyData, rerr := os.ReadFile(filepath.Join(out, "ready", name))
				heldData, herr := os.ReadFile(filepath.Join(out, "held", name))
				if gz := filepath.Join(out, "held", name+".gz"); rerr != nil && herr != nil {
					heldData, herr = os.ReadFile(gz)
				}
				source := readX12(t, raw)
				if f.Status == "failed" || (rerr != nil && herr == nil && bytes.Equal(heldData, raw)) {
					// Copied whole, as it came.
					if herr != nil || !bytes.Equal(heldData, raw) || rerr == nil {
						t.Errorf("%s (%s): not copied whole to held/ (ready: %v, held: %v)", in, f.Status, rerr, herr)
					}
					wholeFiles++
					wholeClaims += f.Claims
					continue
				}
				if len(source.problems) != 0 {
					t.Errorf("%s was split though the reader finds problems in it: %v", in, source.problems)
				}
				var halves x12View
				placed := map[string]place{}
				for _, h := range []struct {
					dir  string
					data []byte
					err  error
				}{{"ready", readyData, rerr}, {"held", heldData, herr}} {
					if h.err != nil {
						if !errors.Is(h.err, os.ErrNotExist) {
							t.Fatal(h.err)
						}
						continue
					}
					v := readX12(t, h.data)
					if len(v.problems) != 0 {
						t.Errorf("%s/%s does not read cleanly: %v", h.dir, name, v.problems)
					}
					if len(v.claims()) == 0 {
						t.Errorf("%s/%s holds no claim: it should not have been written", h.dir, name)
					}
					for j, clm := range v.clms {
						if clm == "" || !v.target[j] {
							continue
						}
						k := f.Path + "|" + strings.SplitN(clm[4:], clm[3:4], 2)[0]
						p := placed[k]
						if h.dir == "held" {
							p.held++
						} else {
							p.ready++
						}
						placed[k] = p
					}
					if h.dir == "ready" {
						ready += len(v.claims())
					} else {
						held += len(v.claims())
					}
					halves.clms = append(halves.clms, v.claims()...)
				}
				for k, p := range placed {
					if p != worklist[k] {
						t.Errorf("target claims %s: %d in held/ and %d in ready/; the worklist holds %d and not %d", k, p.held, p.ready, worklist[k].held, worklist[k].ready)
					}
				}
				want, got := source.claims(), halves.claims()
				slices.Sort(want)
				slices.Sort(got)
				if !slices.Equal(want, got) || len(want) != f.Claims {
					t.Errorf("%s: %d claims read (%d by the report), the halves hold %d, not the same ones", in, len(want), f.Claims, len(got))
				}
				if len(want) > 0 {
					splitFiles++
				}
			}
			if ready+held+wholeClaims != rep.Summary.Claims || ready == 0 || held == 0 || wholeFiles < 2 || splitFiles < 10 {
				t.Errorf("ready %d + held %d + %d in %d files copied whole != %d claims read (%d files split)",
					ready, held, wholeClaims, wholeFiles, rep.Summary.Claims, splitFiles)
			}
			wantLine := "split: " + thousands(ready) + " claims to ready/, " + thousands(held) + " to held/ (" +
				strconv.Itoa(splitFiles) + " files split); " + strconv.Itoa(wholeFiles) + " files copied whole to held/ (" + strconv.Itoa(wholeClaims) + " claims)"
			if !strings.Contains(r.stdout, wantLine) {
				t.Errorf("the summary does not say %q:\n%s", wantLine, r.stdout)
			}

			// ready/ scrubbed again: nothing at or above --hold-on, but
			// for a void claim, which goes out whatever its warnings.
			again := run(t, runOpts{}, "--hold-on", holdOn, "--fail-on", "never", "--format", "csv", filepath.Join(out, "ready"))
			expectCode(t, again, exitOK)
			voids := map[string]bool{}
			for _, c := range readCSVMaps(t, filepath.Join(again.out, "claims.csv")) {
				if c["status"] == "void" {
					voids[c["file"]+"|"+c["claim_id"]] = true
				}
				if c["status"] == "held" {
					t.Errorf("ready/ scrubbed again holds %s of %s", c["claim_id"], c["file"])
				}
			}
			level := map[string]int{"info": 1, "warning": 2, "error": 3}
			for _, f := range readCSVMaps(t, filepath.Join(again.out, "exceptions.csv")) {
				if level[f["severity"]] >= level[holdOn] && !voids[f["file"]+"|"+f["claim_id"]] {
					t.Errorf("ready/ scrubbed again: %s %s in %s claim %q: %s", f["severity"], f["rule_id"], f["file"], f["claim_id"], f["message"])
				}
			}
		})
	}
}

// exists reports whether path exists, and fails on any other error.
func exists(t *testing.T, path string) bool {
	t.Helper()
	_, err := os.Stat(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return err == nil
}

// --out holds one run's set: a run with csv,json after one that wrote
// every format and split leaves no report.html, exceptions.xlsx, ready/ or
// held/ (REPORTS.md); the next split puts them back.
func TestE2EOneRunsSetInOut(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	all := []string{"exceptions.csv", "claims.csv", "exceptions.json", "report.html", "exceptions.xlsx", "ready", "held"}
	r := run(t, runOpts{}, "-o", out, "--fail-on", "never", "--format", "csv,json,html,xlsx", "--split", fixture("01-dx.837"))
	expectCode(t, r, exitOK)
	for _, name := range all {
		if !exists(t, filepath.Join(out, name)) {
			t.Fatalf("the first run wrote no %s", name)
		}
	}
	r = run(t, runOpts{}, "-o", out, "--fail-on", "never", "--format", "csv,json", fixture("02-modifiers.837"))
	expectCode(t, r, exitOK)
	for _, name := range all {
		if want := !slices.Contains([]string{"report.html", "exceptions.xlsx", "ready", "held"}, name); exists(t, filepath.Join(out, name)) != want {
			t.Errorf("after a csv,json run without --split: %s there = %v, want %v", name, !want, want)
		}
	}
	if !bytes.Contains(readOut(t, out, "claims.csv"), []byte("02-modifiers.837")) {
		t.Error("claims.csv is not the second run's")
	}
	r = run(t, runOpts{}, "-o", out, "--fail-on", "never", "--split", fixture("02-modifiers.837"))
	expectCode(t, r, exitOK)
	if !exists(t, filepath.Join(out, "ready", "02-modifiers.837")) || exists(t, filepath.Join(out, "ready", "01-dx.837")) {
		t.Error("ready/ is not the third run's")
	}
}

// A report folder that cannot be used is found before the scrub: exit 2,
// no file scrubbed, nothing written.
func TestE2EOutUnusableBeforeScrub(t *testing.T) {
	dir := t.TempDir()
	blocker := writeTemp(t, dir, "a-file", []byte("not a folder"))
	outs := []string{filepath.Join(blocker, "out")} // a folder under a regular file cannot be created
	if os.Geteuid() != 0 {
		// Permissions do not stop root: as root, the case above is the test.
		readOnly := filepath.Join(dir, "read-only")
		if err := os.Mkdir(readOnly, 0o555); err != nil {
			t.Fatal(err)
		}
		outs = append(outs, readOnly)
	}
	for _, out := range outs {
		r := run(t, runOpts{}, "-o", out, "--log-format", "json", "--split", fixture("01-dx.837"))
		expectCode(t, r, exitUsage)
		if strings.Contains(r.stderr, "file scrubbed") || !strings.Contains(r.stderr, out) {
			t.Errorf("%s: the run scrubbed before finding --out unusable, or did not name it:\n%s", out, r.stderr)
		}
		if entries, _ := os.ReadDir(out); len(entries) != 0 {
			t.Errorf("%s: the run wrote %d entries", out, len(entries))
		}
	}
}

// Standard input is split like a file (it is kept in the run's temporary
// folder while it is read), as ready/stdin and held/stdin; a gzip input's
// halves are plain X12 named without .gz, and a gzip input that cannot be
// read to its end is copied whole, still compressed, as NAME.gz.
func TestE2ESplitStdinAndGzip(t *testing.T) {
	data, err := os.ReadFile(fixture("01-dx.837"))
	if err != nil {
		t.Fatal(err)
	}
	fromFile := run(t, runOpts{}, "--split", "--fail-on", "never", fixture("01-dx.837"))
	fromStdin := run(t, runOpts{stdin: bytes.NewReader(data)}, "--split", "--fail-on", "never", "-")
	expectCode(t, fromStdin, exitOK)
	for _, half := range []string{"ready", "held"} {
		want := readOut(t, filepath.Join(fromFile.out, half), "01-dx.837")
		if got := readOut(t, filepath.Join(fromStdin.out, half), "stdin"); !bytes.Equal(got, want) {
			t.Errorf("%s/stdin differs from %s/01-dx.837 of the same bytes given as a file", half, half)
		}
	}

	compressed, err := os.ReadFile(fixture("04-line.837.gz"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good := writeTemp(t, dir, "good.837.gz", compressed)
	cut := writeTemp(t, dir, "cut.837.gz", compressed[:len(compressed)*2/3])
	r := run(t, runOpts{}, "--split", "--fail-on", "never", good, cut)
	expectCode(t, r, exitInputFailed)
	for _, half := range []string{"ready", "held"} {
		got := readOut(t, filepath.Join(r.out, half), "good.837")
		if v := readX12(t, got); bytes.HasPrefix(got, []byte{0x1f, 0x8b}) || len(v.problems) != 0 || len(v.claims()) == 0 {
			t.Errorf("%s/good.837 is not plain, valid X12 with claims: %v", half, v.problems)
		}
	}
	if got := readOut(t, filepath.Join(r.out, "held"), "cut.837.gz"); !bytes.Equal(got, compressed[:len(compressed)*2/3]) {
		t.Error("held/cut.837.gz is not the input as it came")
	}
	if exists(t, filepath.Join(r.out, "ready", "cut.837")) || exists(t, filepath.Join(r.out, "held", "cut.837")) {
		t.Error("a half of a file that could not be read to its end was written")
	}
}
