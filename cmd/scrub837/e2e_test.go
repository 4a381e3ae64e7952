package main

// End-to-end tests: they build the binary once (TestMain) and run it as cron
// would, checking exit codes, reports and logs.

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scrub837/scrub837/reports"
	"github.com/scrub837/scrub837/x12io/x12test"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/ with what the binary writes now")

// binPath is the scrub837 binary built for the tests.
var binPath string

// repoRoot is the repository root, where the golden runs start.
var repoRoot string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "scrub837-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	binPath = filepath.Join(dir, "scrub837")
	build := exec.Command("go", "build", "-o", binPath, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building scrub837:", err)
		os.RemoveAll(dir)
		os.Exit(2)
	}
	repoRoot, err = filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what one run of the binary gave.
type result struct {
	code           int
	stdout, stderr string
	out            string // the --out folder
}

func (r result) csv(t *testing.T) []byte  { return readOut(t, r.out, "exceptions.csv") }
func (r result) json(t *testing.T) []byte { return readOut(t, r.out, "exceptions.json") }

func readOut(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatalf("report: %v", err)
	}
	return b
}

type runOpts struct {
	dir   string // working directory (default: this package's)
	stdin io.Reader
	env   []string // added to the environment
}

// run runs the binary with args. Unless args name one, an --out folder in
// a temp dir is added.
func run(t *testing.T, o runOpts, args ...string) result {
	t.Helper()
	out := ""
	if !slices.Contains(args, "-o") && !slices.Contains(args, "--out") && len(args) > 0 && args[0] != "rules" && args[0] != "version" && args[0] != "explain" && args[0] != "data" && args[0] != "history" {
		out = filepath.Join(t.TempDir(), "out")
		args = append([]string{"-o", out}, args...)
	}
	for i, a := range args {
		if (a == "-o" || a == "--out") && i+1 < len(args) {
			out = args[i+1]
		}
	}
	cmd := exec.Command(binPath, args...)
	cmd.Dir = o.dir
	cmd.Stdin = o.stdin
	// A developer's claim history (SCRUB837_HISTORY) must not change a test.
	cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH=", "SCRUB837_HISTORY=", "SCRUB837_HISTORY_KEY=")
	cmd.Env = append(cmd.Env, o.env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running %v: %v", args, err)
	}
	return result{code: code, stdout: stdout.String(), stderr: stderr.String(), out: out}
}

func expectCode(t *testing.T, r result, want int) {
	t.Helper()
	if r.code != want {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, want, r.stdout, r.stderr)
	}
}

// jsonReport is the part of exceptions.json the tests look at.
type jsonReport struct {
	Run struct {
		ID    string `json:"id"`
		Rules struct {
			Name     string `json:"name"`
			SeedOnly bool   `json:"seed_only"`
		} `json:"rules"`
		StartedAt string `json:"started_at"`
	} `json:"run"`
	Summary struct {
		Files              int            `json:"files"`
		FilesFailed        int            `json:"files_failed"`
		Claims             int            `json:"claims"`
		TargetClaims       int            `json:"target_claims"`
		FindingsBySeverity map[string]int `json:"findings_by_severity"`
		FindingsByRule     map[string]int `json:"findings_by_rule"`
	} `json:"summary"`
	Files []struct {
		Path   string `json:"path"`
		Bytes  int64  `json:"bytes"`
		SHA256 string `json:"sha256"`
		Status string `json:"status"`
		Error  string `json:"error"`
		Claims int    `json:"claims"`
	} `json:"files"`
	Claims []struct {
		File     string `json:"file"`
		ClaimID  string `json:"claim_id"`
		MemberID string `json:"member_id"`
	} `json:"claims"`
	// A target claim's findings name it by its place in Claims (Claim)
	// and leave file and member ID to it: see file.
	Findings []struct {
		Claim    *int   `json:"claim"`
		File     string `json:"file"`
		ClaimID  string `json:"claim_id"`
		RuleID   string `json:"rule_id"`
		Severity string `json:"severity"`
		MemberID string `json:"member_id"`
	} `json:"findings"`
}

// file is the input finding i is about: its own, or its claim's.
func (r jsonReport) file(i int) string {
	if c := r.Findings[i].Claim; c != nil {
		return r.Claims[*c].File
	}
	return r.Findings[i].File
}

func parseReport(t *testing.T, data []byte) jsonReport {
	t.Helper()
	var r jsonReport
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("exceptions.json: %v", err)
	}
	return r
}

func parseCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("exceptions.csv: %v", err)
	}
	return rows
}

func (r jsonReport) rules() map[string]bool {
	m := map[string]bool{}
	for _, f := range r.Findings {
		m[f.RuleID] = true
	}
	return m
}

// fixture is the path of a testdata file, from this package's folder.
func fixture(name string) string { return filepath.Join("..", "..", "testdata", name) }

// isa is a valid fixed-width ISA for the small files the tests make.
const isa = "ISA*00*          *00*          *ZZ*SYNTHSUBMIT    *ZZ*SYNTHRECEIVE   *260120*0300*^*00501*000000900*0*T*:~\n"

// tiny837 is a synthetic 837P with one 0620T claim (member SYNE2E00001,
// patient ZZTINY), billed with the given modifiers ("LT" is clean).
func tiny837(mods string) []byte {
	sv1 := "SV1*HC:0620T*12500*UN*1***1"
	if mods != "" {
		sv1 = "SV1*HC:0620T:" + mods + "*12500*UN*1***1"
	}
	return synthFile("E2E", []string{
		"HL*2*1*22*0", "SBR*P*18*******MB",
		"NM1*IL*1*ZZTINY*TIM****MI*SYNE2E00001", "DMG*D8*19391231*M",
		"NM1*PR*2*NOVITAS SOLUTIONS MEDICARE*****PI*12302",
		"CLM*E2E-1*12500***22:B:1*Y*A*Y*Y", "HI*ABK:I70244*ABF:L97422",
		"LX*1", sv1, "DTP*472*D8*20260112",
	})
}

// synthFile is a file of one transaction (BHT03 batch) of the synthetic
// billing provider, in the envelope of the small files the tests make,
// one segment a line: subscribers are its segments from the first
// subscriber HL (HL*2*1*22) on.
func synthFile(batch string, subscribers []string) []byte {
	tx := append([]string{
		"ST*837*0001*005010X222A1",
		"BHT*0019*00*" + batch + "*20260120*0300*CH",
		"NM1*41*2*SYNTHETIC BILLING SERVICE*****46*SYNTHSUBMIT",
		"PER*IC*SYNTHETIC CONTACT*TE*5555550100",
		"NM1*40*2*SYNTHETIC CLEARINGHOUSE*****46*SYNTHRECEIVE",
		"HL*1**20*1", "PRV*BI*PXC*2080S0002X",
		"NM1*85*2*SYNTHETIC VASCULAR ASSOCIATES*****XX*1234567893",
		"N3*100 SYNTHETIC AVENUE", "N4*SPRINGFIELD*IL*627010000", "REF*EI*990000001",
	}, subscribers...)
	var b strings.Builder
	b.WriteString(isa)
	b.WriteString("GS*HC*SYNTHSUBMIT*SYNTHRECEIVE*20260120*0300*900*X*005010X222A1~\n")
	for _, s := range tx {
		b.WriteString(s + "~\n")
	}
	fmt.Fprintf(&b, "SE*%d*0001~\n", len(tx)+1)
	b.WriteString("GE*1*900~\nIEA*1*000000900~\n")
	return []byte(b.String())
}

func writeTemp(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestE2EExitCodes(t *testing.T) {
	dir := t.TempDir()
	clean := writeTemp(t, dir, "clean.837", tiny837("LT"))
	warning := writeTemp(t, dir, "warning.837", tiny837("LT:25")) // MOD-UNLISTED only
	garbage := writeTemp(t, dir, "garbage.837", []byte("\x00\x01\x02 not X12 at all \xff"))

	t.Run("0 clean", func(t *testing.T) {
		r := run(t, runOpts{}, clean)
		expectCode(t, r, exitOK)
		rep := parseReport(t, r.json(t))
		if len(rep.Findings) != 0 || rep.Summary.TargetClaims != 1 {
			t.Errorf("clean file: %d findings, %d target claims", len(rep.Findings), rep.Summary.TargetClaims)
		}
	})
	t.Run("1 error finding", func(t *testing.T) {
		expectCode(t, run(t, runOpts{}, fixture("01-dx.837")), exitFindings)
	})
	t.Run("2 bad flag", func(t *testing.T) {
		r := run(t, runOpts{}, "--no-such-flag", clean)
		expectCode(t, r, exitUsage)
		if !strings.Contains(r.stderr, "no-such-flag") {
			t.Errorf("stderr does not name the flag: %s", r.stderr)
		}
		if _, err := os.Stat(filepath.Join(r.out, "exceptions.csv")); err == nil {
			t.Error("reports written after a usage error")
		}
	})
	t.Run("2 no path", func(t *testing.T) {
		expectCode(t, run(t, runOpts{}), exitUsage)
	})
	t.Run("2 bad fail-on", func(t *testing.T) {
		expectCode(t, run(t, runOpts{}, "--fail-on", "sometimes", clean), exitUsage)
	})
	t.Run("2 missing rule pack", func(t *testing.T) {
		r := run(t, runOpts{}, "--rules", filepath.Join(dir, "no-such-pack.yaml"), clean)
		expectCode(t, r, exitUsage)
		if _, err := os.Stat(filepath.Join(r.out, "exceptions.csv")); err == nil {
			t.Error("reports written with an unreadable rule pack")
		}
	})
	t.Run("2 invalid rule pack names file and line", func(t *testing.T) {
		pack := writeTemp(t, dir, "bad-pack.yaml", []byte("name: broken\nversion: \"1\"\nprocedure: 0620T\nrules:\n  - {id: DX-POINTER-MISSING, severity: error\n"))
		r := run(t, runOpts{}, "--rules", pack, clean)
		expectCode(t, r, exitUsage)
		if !strings.Contains(r.stderr, "bad-pack.yaml") || !strings.Contains(r.stderr, "5") {
			t.Errorf("the pack error should name the file and line 5:\n%s", r.stderr)
		}
		if _, err := os.Stat(filepath.Join(r.out, "exceptions.csv")); err == nil {
			t.Error("reports written with an invalid rule pack")
		}
	})
	t.Run("3 unreadable input, reports still written", func(t *testing.T) {
		r := run(t, runOpts{}, clean, garbage)
		expectCode(t, r, exitInputFailed)
		rep := parseReport(t, r.json(t))
		if rep.Summary.Files != 2 || rep.Summary.FilesFailed != 1 || rep.Files[1].Status != "failed" || !rep.rules()["FILE-UNREADABLE"] {
			t.Errorf("summary %+v files %+v", rep.Summary, rep.Files)
		}
	})
	t.Run("2 missing path, nothing written", func(t *testing.T) {
		// Issue 15: a missing command-line path exited 3 and replaced last
		// night's reports.
		out := filepath.Join(t.TempDir(), "out")
		expectCode(t, run(t, runOpts{}, "-o", out, clean), exitOK)
		before := snapshot(t, out)
		missing := filepath.Join(dir, "not-there.837")
		r := run(t, runOpts{}, "-o", out, clean, missing)
		expectCode(t, r, exitUsage)
		if !strings.HasPrefix(r.stderr, "scrub837: "+missing+" does not exist") || r.stdout != "" {
			t.Errorf("stdout %q, stderr %q", r.stdout, r.stderr)
		}
		if after := snapshot(t, out); after != before {
			t.Errorf("last night's reports changed:\n%s\n%s", before, after)
		}
	})
	t.Run("3 wins over 1", func(t *testing.T) {
		expectCode(t, run(t, runOpts{}, fixture("01-dx.837"), garbage), exitInputFailed)
	})
	t.Run("fail-on", func(t *testing.T) {
		expectCode(t, run(t, runOpts{}, warning), exitOK)
		expectCode(t, run(t, runOpts{}, "--fail-on", "warning", warning), exitFindings)
		expectCode(t, run(t, runOpts{}, "--fail-on", "info", warning), exitFindings)
		expectCode(t, run(t, runOpts{}, "--fail-on", "never", fixture("01-dx.837")), exitOK)
		expectCode(t, run(t, runOpts{}, "--fail-on", "never", garbage), exitInputFailed)
	})
}

func TestE2ESeedOnly(t *testing.T) {
	def := run(t, runOpts{}, "--fail-on", "never", fixture("02-modifiers.837"))
	seed := run(t, runOpts{}, "--fail-on", "never", "--seed-only", fixture("02-modifiers.837"))
	expectCode(t, def, exitOK)
	expectCode(t, seed, exitOK)
	d, s := parseReport(t, def.json(t)), parseReport(t, seed.json(t))
	if d.Run.Rules.SeedOnly || !s.Run.Rules.SeedOnly {
		t.Errorf("rules.seed_only: default %v, --seed-only %v", d.Run.Rules.SeedOnly, s.Run.Rules.SeedOnly)
	}
	if d.rules()["MOD-NO-GUIDANCE"] || !s.rules()["MOD-NO-GUIDANCE"] {
		t.Errorf("MOD-NO-GUIDANCE should fire with --seed-only only: default %v, seed-only %v", d.rules(), s.rules())
	}
	if bytes.Equal(def.csv(t), seed.csv(t)) {
		t.Error("--seed-only changed nothing")
	}
}

func TestE2EStdin(t *testing.T) {
	data, err := os.ReadFile(fixture("01-dx.837"))
	if err != nil {
		t.Fatal(err)
	}
	env := runOpts{env: []string{"SOURCE_DATE_EPOCH=0"}}
	fromFile := run(t, env, "--run-id", "x", fixture("01-dx.837"))
	env.stdin = bytes.NewReader(data)
	fromStdin := run(t, env, "--run-id", "x", "-")
	expectCode(t, fromStdin, fromFile.code)
	rep := parseReport(t, fromStdin.json(t))
	if len(rep.Files) != 1 || rep.Files[0].Path != "-" || rep.Files[0].Bytes != int64(len(data)) || rep.Files[0].SHA256 != sha256Hex(data) {
		t.Errorf("stdin file entry: %+v", rep.Files)
	}
	if len(rep.Findings) == 0 || rep.file(0) != "-" || rep.Findings[0].Claim == nil {
		t.Fatalf("stdin findings: %+v", rep.Findings)
	}
	// Same findings as the file, but for the file column.
	want := strings.ReplaceAll(string(fromFile.csv(t)), ","+fixture("01-dx.837")+",", ",-,")
	if string(fromStdin.csv(t)) != want {
		t.Errorf("stdin findings differ from the file's")
	}
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestE2EGzip(t *testing.T) {
	compressed, err := os.ReadFile(fixture("04-line.837.gz"))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(compressed))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gzPath := writeTemp(t, dir, "a.837.gz", compressed)
	plainPath := writeTemp(t, dir, "a.837", plain)
	unnamed := writeTemp(t, dir, "b.837", compressed) // gzip without the .gz name: magic bytes decide

	env := runOpts{env: []string{"SOURCE_DATE_EPOCH=0"}}
	g := run(t, env, "--run-id", "x", "--fail-on", "never", gzPath)
	p := run(t, env, "--run-id", "x", "--fail-on", "never", plainPath)
	u := run(t, env, "--run-id", "x", "--fail-on", "never", unnamed)
	expectCode(t, g, exitOK)
	rep := parseReport(t, g.json(t))
	if len(rep.Findings) == 0 || rep.Summary.Claims == 0 {
		t.Fatalf("gzip input gave no claims or findings: %+v", rep.Summary)
	}
	if rep.Files[0].Bytes != int64(len(compressed)) || rep.Files[0].SHA256 != sha256Hex(compressed) {
		t.Errorf("files[] should describe the file as stored: %+v", rep.Files[0])
	}
	if strings.ReplaceAll(string(g.csv(t)), gzPath, plainPath) != string(p.csv(t)) {
		t.Error("gzip and plain input give different findings")
	}
	if strings.ReplaceAll(string(u.csv(t)), unnamed, plainPath) != string(p.csv(t)) {
		t.Error("gzip data without a .gz name was not decompressed")
	}
}

func TestE2EFolderWithBrokenFiles(t *testing.T) {
	dir := t.TempDir()
	dx, err := os.ReadFile(fixture("01-dx.837"))
	if err != nil {
		t.Fatal(err)
	}
	writeTemp(t, dir, "a-clean.837", tiny837("LT"))
	writeTemp(t, dir, "b-garbage.837", bytes.Repeat([]byte{0x00, 0xde, 0xad, 0xbe, 0xef}, 400))
	writeTemp(t, dir, "c-truncated.837", dx[:len(dx)*3/5])
	full, err := os.ReadFile(fixture("04-line.837.gz"))
	if err != nil {
		t.Fatal(err)
	}
	writeTemp(t, dir, "d-truncated.837.gz", full[:len(full)/2])
	writeTemp(t, dir, "e-empty.837", nil)
	writeTemp(t, dir, "f-clean.837", tiny837("LT"))
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeTemp(t, filepath.Join(dir, "sub"), "g-nested.837", tiny837("LT"))

	r := run(t, runOpts{}, dir)
	expectCode(t, r, exitInputFailed)
	rep := parseReport(t, r.json(t))
	var got []string
	for _, f := range rep.Files {
		got = append(got, filepath.Base(f.Path)+"="+f.Status)
	}
	t.Logf("files: %v", got)
	wantNames := []string{"a-clean.837", "b-garbage.837", "c-truncated.837", "d-truncated.837.gz", "e-empty.837", "f-clean.837", "sub"}
	if len(rep.Files) != len(wantNames) || rep.Summary.Files != len(wantNames) {
		t.Fatalf("files: %v, want %v (without -r the sub-folder is not entered, only listed)", got, wantNames)
	}
	if sub := rep.Files[len(rep.Files)-1]; sub.Status != "skipped" || !strings.Contains(sub.Error, "-r") {
		t.Errorf("the sub-folder: %+v, want skipped with a reason naming -r", sub)
	}
	status := map[string]string{}
	for i, f := range rep.Files {
		if filepath.Base(f.Path) != wantNames[i] {
			t.Errorf("file %d is %s, want %s (name order)", i, f.Path, wantNames[i])
		}
		status[filepath.Base(f.Path)] = f.Status
	}
	for _, name := range []string{"b-garbage.837", "e-empty.837"} {
		if status[name] != "failed" {
			t.Errorf("%s: status %q, want failed", name, status[name])
		}
	}
	for _, name := range []string{"a-clean.837", "f-clean.837"} {
		if status[name] != "ok" {
			t.Errorf("%s: status %q, want ok (the run goes on after a broken file)", name, status[name])
		}
	}
	if rep.Files[5].Claims != 1 {
		t.Errorf("the clean file after the broken ones was not scrubbed: %+v", rep.Files[5])
	}
	// Every failed file says why, in files[] and in a finding.
	byFile := map[string]int{}
	for i := range rep.Findings {
		byFile[filepath.Base(rep.file(i))]++
	}
	for _, f := range rep.Files {
		if f.Status == "failed" && (f.Error == "" || byFile[filepath.Base(f.Path)] == 0) {
			t.Errorf("%s failed without an error and a finding: %+v", f.Path, f)
		}
	}
	if byFile["c-truncated.837"] == 0 || byFile["d-truncated.837.gz"] == 0 {
		t.Errorf("truncated files gave no finding: %v", byFile)
	}

	rr := run(t, runOpts{}, "-r", dir)
	rep = parseReport(t, rr.json(t))
	if len(rep.Files) != len(wantNames) || filepath.Base(rep.Files[len(rep.Files)-1].Path) != "g-nested.837" { // sub/ entered, not listed
		t.Errorf("-r: %d files, last %+v", len(rep.Files), rep.Files[len(rep.Files)-1])
	}
}

// allFixtures are the sample files, relative to the repository root, in
// the order the golden runs give them: testdata/samples.txt.
func allFixtures(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "samples.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			files = append(files, line)
		}
	}
	if len(files) < 8 {
		t.Fatalf("only %d sample files found", len(files))
	}
	return files
}

func TestE2EWorkersGiveIdenticalReports(t *testing.T) {
	files := allFixtures(t)
	opts := runOpts{dir: repoRoot, env: []string{"SOURCE_DATE_EPOCH=1764213300"}}
	args := append([]string{"--run-id", "workers", "--fail-on", "never"}, files...)
	one := run(t, opts, append([]string{"-j", "1", "-o", filepath.Join(t.TempDir(), "j1")}, args...)...)
	four := run(t, opts, append([]string{"-j", "4", "-o", filepath.Join(t.TempDir(), "j4")}, args...)...)
	many := run(t, opts, append([]string{"-j", "64", "-o", filepath.Join(t.TempDir(), "j64")}, args...)...)
	for _, name := range []string{"exceptions.csv", "exceptions.json"} {
		a := readOut(t, one.out, name)
		if !bytes.Equal(a, readOut(t, four.out, name)) || !bytes.Equal(a, readOut(t, many.out, name)) {
			t.Errorf("%s differs between -j 1, -j 4 and -j 64", name)
		}
	}
	if one.code != four.code {
		t.Errorf("exit codes differ: %d and %d", one.code, four.code)
	}
	rep := parseReport(t, readOut(t, one.out, "exceptions.json"))
	if rep.Run.StartedAt != "2025-11-27T03:15:00Z" {
		t.Errorf("started_at %q does not come from SOURCE_DATE_EPOCH", rep.Run.StartedAt)
	}
}

// phi is the patient data in the synthetic fixtures: patient and subscriber
// last names, birth dates, whole member IDs, and diagnosis codes.
type phi struct {
	names, births, memberIDs, diagnoses []string
}

func fixturePHI(t *testing.T) phi {
	t.Helper()
	var p phi
	seen := map[string]bool{}
	add := func(list *[]string, v string) {
		if v != "" && !seen[v] {
			seen[v] = true
			*list = append(*list, v)
		}
	}
	files, _ := filepath.Glob(filepath.Join(repoRoot, "testdata", "0*.837*"))
	for _, path := range files {
		data := x12test.ReadFile(t, path)
		for _, seg := range strings.Split(string(data), "~") {
			el := strings.Split(strings.TrimSpace(seg), "*")
			switch {
			case el[0] == "NM1" && len(el) > 3 && (el[1] == "IL" || el[1] == "QC"):
				add(&p.names, el[3])
				if el[1] == "IL" && len(el) > 9 {
					add(&p.memberIDs, el[9])
				}
			case el[0] == "DMG" && len(el) > 2:
				add(&p.births, el[2])
			case el[0] == "HI":
				for _, c := range el[1:] {
					if parts := strings.Split(c, ":"); len(parts) > 1 && len(parts[1]) >= 4 {
						add(&p.diagnoses, parts[1])
					}
				}
			}
		}
	}
	if len(p.names) < 10 || len(p.births) < 10 || len(p.memberIDs) < 10 || len(p.diagnoses) < 3 {
		t.Fatalf("fixtures give too little to look for: %+v", p)
	}
	return p
}

func TestE2ENoPHIInLogsOrReports(t *testing.T) {
	p := fixturePHI(t)
	files := allFixtures(t)
	for _, format := range []string{"json", "console"} {
		r := run(t, runOpts{dir: repoRoot}, append([]string{"--fail-on", "never", "--log-format", format, "--format", "csv,json,html"}, files...)...)
		if r.code != exitOK && r.code != exitInputFailed {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		logs := r.stderr + r.stdout
		for _, list := range [][]string{p.names, p.births, p.memberIDs, p.diagnoses} {
			for _, v := range list {
				if strings.Contains(logs, v) {
					t.Errorf("--log-format %s: %q appears in the logs or the summary", format, v)
				}
			}
		}
		for _, name := range []string{"exceptions.csv", "exceptions.json", "report.html"} {
			report := string(readOut(t, r.out, name))
			for _, list := range [][]string{p.names, p.births, p.memberIDs} {
				for _, v := range list {
					if strings.Contains(report, v) {
						t.Errorf("%s: %q appears in the report", name, v)
					}
				}
			}
		}
	}

	shown := run(t, runOpts{dir: repoRoot}, append([]string{"--fail-on", "never", "--show-ids"}, files...)...)
	report := string(shown.csv(t))
	found := 0
	for _, id := range p.memberIDs {
		if strings.Contains(report, id) {
			found++
		}
	}
	if found == 0 {
		t.Error("--show-ids: no whole member ID in the report")
	}
	for _, v := range append(p.names, p.births...) {
		if strings.Contains(report, v) {
			t.Errorf("--show-ids: %q appears in the report", v)
		}
	}
}

func TestE2ELogs(t *testing.T) {
	files := []string{fixture("01-dx.837"), fixture("05-not-837p.837"), fixture("07-garbage.837")}
	r := run(t, runOpts{}, append([]string{"--fail-on", "never"}, files...)...)
	expectCode(t, r, exitInputFailed)
	perFile, runs := 0, 0
	for _, line := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("stderr is not a terminal, so every log line should be JSON: %q", line)
		}
		switch ev["message"] {
		case "file scrubbed":
			perFile++
			for _, k := range []string{"file", "bytes", "claims", "findings", "duration_ms", "status"} {
				if _, ok := ev[k]; !ok {
					t.Errorf("file event lacks %q: %s", k, line)
				}
			}
		case "run finished":
			runs++
		}
	}
	if perFile != len(files) || runs != 1 {
		t.Errorf("%d file events and %d run events, want %d and 1:\n%s", perFile, runs, len(files), r.stderr)
	}
	for _, want := range []string{"3 files (1 failed, 1 skipped)", "exceptions.csv", "exceptions.json"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout summary lacks %q:\n%s", want, r.stdout)
		}
	}

	q := run(t, runOpts{}, "-q", "--fail-on", "never", fixture("01-dx.837"))
	if q.stdout != "" || strings.Contains(q.stderr, "file scrubbed") {
		t.Errorf("-q: stdout %q, stderr %q", q.stdout, q.stderr)
	}
	// Issue 15: -q suppressed the closing event, and per-file events
	// carried no run ID; an input that failed was logged at warn.
	q = run(t, runOpts{}, "-q", "--run-id", "night-7", "--fail-on", "never", fixture("01-dx.837"), fixture("07-garbage.837"))
	expectCode(t, q, exitInputFailed)
	ev := closingEventOf(t, q.stderr)
	if ev["exit_code"] != float64(exitInputFailed) || ev["level"] != "error" || ev["files_failed"] != float64(1) {
		t.Errorf("-q closing event: %v", ev)
	}
	lines := strings.Split(strings.TrimSpace(q.stderr), "\n")
	failedLogged := false
	for _, line := range lines {
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("not JSON: %q", line)
		}
		if ev["run_id"] != "night-7" {
			t.Errorf("an event without the run's ID: %s", line)
		}
		if ev["message"] == "file scrubbed" {
			failedLogged = ev["level"] == "error" && ev["status"] == "failed"
		}
	}
	if !failedLogged || len(lines) != 2 {
		t.Errorf("-q with a failed input: want its event at error and the closing event, got:\n%s", q.stderr)
	}
	r = run(t, runOpts{}, "--run-id", "night-8", "--fail-on", "never", fixture("01-dx.837"))
	for _, line := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
		if !strings.Contains(line, `"run_id":"night-8"`) {
			t.Errorf("an event without the run's ID: %s", line)
		}
	}
	if ev := closingEventOf(t, r.stderr); ev["level"] != "info" || ev["exit_code"] != float64(0) {
		t.Errorf("closing event: %v", ev)
	}

	c := run(t, runOpts{}, "--log-format", "console", "--fail-on", "never", fixture("01-dx.837"))
	if strings.HasPrefix(c.stderr, "{") || !strings.Contains(c.stderr, "file scrubbed") {
		t.Errorf("--log-format console: %s", c.stderr)
	}
}

func TestE2ELockWaitsForAnotherRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "shared-out")
	unlock, err := reports.LockDir(out, false)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binPath, "-o", out, "--fail-on", "never", fixture("01-dx.837"))
	stderr := &syncWriter{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(stderr.String(), "waiting") {
		if time.Now().After(deadline) {
			unlock()
			cmd.Wait()
			t.Fatalf("the run did not say it waits for the lock: %s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := os.Stat(filepath.Join(out, "exceptions.csv")); err == nil {
		t.Error("reports written while another run held the lock")
	}
	unlock()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("run after the lock was released: %v\n%s", err, stderr.String())
	}
	parseReport(t, readOut(t, out, "exceptions.json"))
}

func TestE2EConcurrentRunsShareOut(t *testing.T) {
	out := filepath.Join(t.TempDir(), "shared-out")
	files := allFixtures(t)
	args := append([]string{"-o", out, "--run-id", "same", "--fail-on", "never"}, files...)
	var cmds []*exec.Cmd
	for range 3 {
		cmd := exec.Command(binPath, args...)
		cmd.Dir = repoRoot
		cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH=0")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		err := cmd.Wait()
		if ee, ok := err.(*exec.ExitError); err != nil && (!ok || (ee.ExitCode() != exitOK && ee.ExitCode() != exitInputFailed)) {
			t.Errorf("concurrent run: %v", err)
		}
	}
	rep := parseReport(t, readOut(t, out, "exceptions.json"))
	rows := parseCSV(t, readOut(t, out, "exceptions.csv"))
	if len(rows)-1 != len(rep.Findings) || rep.Summary.Files != len(files) {
		t.Errorf("reports after concurrent runs: %d CSV rows, %d JSON findings, %d files", len(rows)-1, len(rep.Findings), rep.Summary.Files)
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		switch e.Name() {
		case "exceptions.csv", "claims.csv", "exceptions.json", reports.LockFileName, ".scrub837-set":
		default:
			t.Errorf("left behind in --out: %s", e.Name())
		}
	}
}

// packBody is a printed pack without its comment lines (which name the
// file it was loaded from).
func packBody(text string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(text, "\n") {
		if !strings.HasPrefix(line, "#") {
			b.WriteString(line)
		}
	}
	return b.String()
}

// syncWriter lets the test read what a running process has written so far.
type syncWriter struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestE2ERulesAndVersion(t *testing.T) {
	r := run(t, runOpts{}, "rules")
	expectCode(t, r, exitOK)
	if !strings.Contains(r.stdout, "0620T") || !strings.Contains(r.stdout, "codeset") {
		t.Errorf("rules: %.400s", r.stdout)
	}
	s := run(t, runOpts{}, "rules", "--seed-only")
	expectCode(t, s, exitOK)
	if s.stdout == r.stdout || strings.Contains(s.stdout, "source: codeset") {
		t.Errorf("rules --seed-only still has codeset entries: %.400s", s.stdout)
	}
	// The printed pack is itself a valid pack.
	dir := t.TempDir()
	pack := writeTemp(t, dir, "pack.yaml", []byte(r.stdout))
	again := run(t, runOpts{}, "rules", "--rules", pack)
	expectCode(t, again, exitOK)
	if packBody(again.stdout) != packBody(r.stdout) {
		t.Error("rules --rules (the printed pack) prints a different pack")
	}
	expectCode(t, run(t, runOpts{}, "rules", "extra"), exitUsage)

	v := run(t, runOpts{}, "version")
	expectCode(t, v, exitOK)
	if !strings.HasPrefix(v.stdout, "scrub837 ") {
		t.Errorf("version: %q", v.stdout)
	}
	h := run(t, runOpts{}, "--help")
	expectCode(t, h, exitOK)
	if !strings.Contains(h.stdout, "--fail-on") {
		t.Errorf("--help: %s", h.stdout)
	}
	// Issue 15: --version was an unknown flag, and there was no way to ask
	// what one rule means.
	vv := run(t, runOpts{}, "--version")
	expectCode(t, vv, exitOK)
	if vv.stdout != v.stdout {
		t.Errorf("--version %q, version %q", vv.stdout, v.stdout)
	}
	x := run(t, runOpts{}, "explain", "bundle-included")
	expectCode(t, x, exitOK)
	for _, want := range []string{"BUNDLE-INCLUDED: ", "Severity: error", "related:", "36200", "override_modifiers:"} {
		if !strings.Contains(x.stdout, want) {
			t.Errorf("explain BUNDLE-INCLUDED lacks %q:\n%s", want, x.stdout)
		}
	}
	expectCode(t, run(t, runOpts{}, "explain", "NO-SUCH-RULE"), exitUsage)
	expectCode(t, run(t, runOpts{}, "explain"), exitUsage)
}

// A run killed while writing reports leaves hidden temporary files in
// --out; the next run removes them (it holds the folder's lock) and says so.
func TestE2ERemovesStaleTemporaryReports(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if err := os.MkdirAll(out, 0o750); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(out, ".exceptions.csv.2779112233.tmp")
	if err := os.WriteFile(stale, []byte("half a report"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, runOpts{}, "-o", out, "--fail-on", "never", "--log-format", "json", fixture("01-dx.837"))
	expectCode(t, r, 0)
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the stale temporary report is still there: %v", err)
	}
	if !strings.Contains(r.stderr, "removed temporary reports left by an earlier run") {
		t.Errorf("the run did not log the removal:\n%s", r.stderr)
	}
	readOut(t, out, "exceptions.csv")
}
