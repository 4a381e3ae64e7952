package main

// Golden-file tests: the binary's reports for the sample files are compared
// whole with testdata/golden/. Regenerate them after a deliberate change with
//
//	go test ./cmd/scrub837/ -run Golden -update
//
// and read the diff before committing it.

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/scrub837/scrub837/cmd/scrub837/internal/runner"
	"github.com/scrub837/scrub837/scrubber/codedata"
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// goldenRun is one golden report set: the extra flags and the folder.
type goldenRun struct {
	name  string
	flags []string
	dir   string // under testdata/golden
	// earlier, when set, are files scrubbed first, as run golden-earlier,
	// into a new claim history that the golden run then uses (--history).
	earlier []string
}

// goldenFiles are the reports compared whole: the findings, the worklist,
// and the JSON that holds both.
var goldenFiles = []string{"exceptions.csv", "claims.csv", "exceptions.json"}

var goldenRuns = []goldenRun{
	{name: "default", dir: "."},
	{name: "seed-only", flags: []string{"--seed-only"}, dir: "seed-only"},
	// the public data files (issue 16): testdata/data/README.md says which
	// sample claim each of its rows is for
	{name: "data", flags: []string{"--data", "testdata/data"}, dir: "data"},
	// HIST-DUPLICATE: an earlier night sent DX-CLEAN's patient, date and
	// side; it also held one and replaced one, which do not count.
	{name: "history", dir: "history", earlier: []string{"testdata/history/earlier-night.837"}},
}

// goldenReports runs the binary on every sample file (paths relative to the
// repository root, so reports are the same on every machine) and returns
// the --out folder.
func goldenReports(t *testing.T, g goldenRun) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	args := append([]string{"-o", out, "--run-id", "golden", "--fail-on", "never", "-j", "4"}, g.flags...)
	if g.earlier != nil {
		h := filepath.Join(t.TempDir(), "history.db")
		before := append([]string{"-o", filepath.Join(t.TempDir(), "earlier"), "--run-id", "golden-earlier", "--fail-on", "never", "--history", h}, g.earlier...)
		expectCode(t, run(t, runOpts{dir: repoRoot, env: []string{"SOURCE_DATE_EPOCH=0"}}, before...), exitOK)
		args = append(args, "--history", h)
	}
	args = append(args, allFixtures(t)...)
	r := run(t, runOpts{dir: repoRoot, env: []string{"SOURCE_DATE_EPOCH=0"}}, args...)
	// The samples hold deliberately broken files: exit 3 is expected.
	expectCode(t, r, exitInputFailed)
	return out
}

func TestGolden(t *testing.T) {
	for _, g := range goldenRuns {
		t.Run(g.name, func(t *testing.T) {
			out := goldenReports(t, g)
			dir := filepath.Join(repoRoot, "testdata", "golden", g.dir)
			for _, name := range goldenFiles {
				got := readOut(t, out, name)
				path := filepath.Join(dir, name)
				if *update {
					if err := os.MkdirAll(dir, 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (generate the golden files with: go test ./cmd/scrub837/ -run Golden -update)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from %s (-want +got):\n%s\nIf the change is intended: go test ./cmd/scrub837/ -run Golden -update",
						name, path, lineDiff(string(want), string(got)))
				}
			}
		})
	}
}

// lineDiff lists the lines that differ, at most 40 of them.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 40; i++ {
		var a, c string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			c = g[i]
		}
		if a != c {
			shown++
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n- " + a + "\n+ " + c + "\n")
		}
	}
	if len(w) != len(g) {
		b.WriteString("(" + strconv.Itoa(len(w)) + " lines wanted, " + strconv.Itoa(len(g)) + " got)\n")
	}
	return b.String()
}

// ruleIDPattern is a rule ID as scrubber/RULES.md writes them in its tables.
var ruleIDPattern = regexp.MustCompile(`^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$`)

// specRuleIDs reads the rule IDs out of the tables of the rule catalogue,
// scrubber/RULES.md (the first cell of each row).
func specRuleIDs(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot, "scrubber", "RULES.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ids []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(line, "|")
		if len(cells) < 3 {
			continue
		}
		if id := strings.TrimSpace(cells[1]); ruleIDPattern.MatchString(id) && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return ids
}

// firesOnlyWhenTheRunDegrades are the rules no sample can make fire: the
// run makes them when its temporary space or file handles run out. The
// runner's tests show them firing (TestRunDegradesWhenTheTemporaryFolderFails).
var firesOnlyWhenTheRunDegrades = []string{"FILE-CROSS-CLAIM-SKIPPED", "FILE-HISTORY-SKIPPED"}

// TestGoldenCoversEveryRule fails when a rule of scrubber/RULES.md or of the rule
// catalogue fires in none of the golden reports (the samples must show
// every rule at work), or when the two do not name the same rules.
func TestGoldenCoversEveryRule(t *testing.T) {
	spec := specRuleIDs(t)
	if len(spec) < 30 {
		t.Fatalf("only %d rule IDs found: %v", len(spec), spec)
	}
	ids := slices.Clone(spec)
	for _, r := range rules.All() {
		if !slices.Contains(spec, r.ID.String()) {
			t.Errorf("rule %s of the catalogue (scrubber/rules) is not in scrubber/RULES.md", r.ID)
			ids = append(ids, r.ID.String())
		}
	}
	for _, id := range spec {
		if _, ok := rules.Lookup(id); !ok {
			t.Errorf("rule %s of scrubber/RULES.md is not in the catalogue (scrubber/rules)", id)
		}
	}
	fired := map[string][]string{}
	for _, g := range goldenRuns {
		data, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "golden", g.dir, "exceptions.csv"))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		col := slices.Index(rows[0], "rule_id")
		if col < 0 {
			t.Fatalf("no rule_id column in %v", rows[0])
		}
		for _, row := range rows[1:] {
			fired[row[col]] = append(fired[row[col]], g.name)
		}
	}
	for _, id := range ids {
		if slices.Contains(firesOnlyWhenTheRunDegrades, id) {
			continue
		}
		if len(fired[id]) == 0 {
			t.Errorf("rule %s fires in no golden report: add a sample claim for it to testdata/", id)
		}
	}
	for id := range fired {
		if !slices.Contains(ids, id) {
			t.Errorf("golden reports hold rule %s, which the rule list does not name", id)
		}
	}
}

// The reports are the golden ones when every finding goes to the spool as
// a run of its own while the files are scrubbed (and with one or two
// workers): the runs are merged back in report order. The run is
// runner.Run, in-process.
func TestGoldenWithFindingsSpooledWhileScrubbing(t *testing.T) {
	t.Chdir(repoRoot)
	p, err := pack.Default(false)
	if err != nil {
		t.Fatal(err)
	}
	// The default run, and the run with the data files, whose
	// MUE-EXCEEDED across claims goes to the spool in Finish.
	data, err := loadData("testdata/data", p)
	if err != nil {
		t.Fatal(err)
	}
	epoch := time.Unix(0, 0).UTC() // SOURCE_DATE_EPOCH=0
	for _, g := range []struct {
		dir  string
		data *codedata.Set
	}{{".", nil}, {"data", data}} {
		for _, runSize := range []int{1, 2} {
			for _, workers := range []int{1, 2} {
				out := filepath.Join(t.TempDir(), "out")
				res, err := runner.Run(runner.Config{
					Paths: allFixtures(t), Out: out, Formats: []string{"csv", "json"}, Pack: p, Workers: workers,
					RunID: "golden", ToolVersion: version, Started: epoch, Now: func() time.Time { return epoch },
					Log: zerolog.Nop(), SpoolEvery: runSize, Data: g.data,
				})
				if err != nil || exitCode(res.Report, finding.Error) != exitInputFailed {
					t.Fatalf("%s: runs of %d, -j %d: %v", g.dir, runSize, workers, err)
				}
				for _, name := range goldenFiles {
					want, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "golden", g.dir, name))
					if err != nil {
						t.Fatal(err)
					}
					if got := readOut(t, out, name); !bytes.Equal(got, want) {
						t.Errorf("%s: runs of %d, -j %d: %s differs from the golden file:\n%s", g.dir, runSize, workers, name, lineDiff(string(want), string(got)))
					}
				}
			}
		}
	}
}

// TestGoldenClaimStatusMatchesFindings: in every golden report set, each
// worklist row (claims.csv) says what its findings (exceptions.csv) say,
// worked out here from REPORTS.md and not from the reports package: its
// counts by severity, its worst severity, its rules, and its status
// (--hold-on error: held with an error, else void when CLM05-3 is 8,
// review with a warning, ready); and exceptions.json's claims_by_status
// counts the rows.
func TestGoldenClaimStatusMatchesFindings(t *testing.T) {
	for _, g := range goldenRuns {
		t.Run(g.name, func(t *testing.T) {
			dir := filepath.Join(repoRoot, "testdata", "golden", g.dir)
			claims := readCSVMaps(t, filepath.Join(dir, "claims.csv"))
			findings := readCSVMaps(t, filepath.Join(dir, "exceptions.csv"))
			if len(claims) < 40 {
				t.Fatalf("only %d worklist rows", len(claims))
			}
			key := func(row map[string]string) string {
				return row["file"] + "|" + row["st_control"] + "|" + row["claim_id"]
			}
			byClaim := map[string][]map[string]string{}
			for _, f := range findings {
				if f["claim_id"] != "" {
					byClaim[key(f)] = append(byClaim[key(f)], f)
				}
			}
			statuses := map[string]int{}
			seen := map[string]bool{}
			for _, c := range claims {
				k := key(c)
				if seen[k] {
					t.Fatalf("two worklist rows for %s: the samples must keep claim IDs unique in a transaction", k)
				}
				seen[k] = true
				counts := map[string]int{}
				worst := ""
				rank := map[string]int{"": 0, "info": 1, "warning": 2, "error": 3}
				var rules []string
				for _, f := range byClaim[k] {
					counts[f["severity"]]++
					if rank[f["severity"]] > rank[worst] {
						worst = f["severity"]
					}
					if !slices.Contains(rules, f["rule_id"]) {
						rules = append(rules, f["rule_id"])
					}
				}
				status := "ready"
				switch {
				case counts["error"] > 0:
					status = "held"
				case c["frequency"] == "8":
					status = "void"
				case counts["warning"] > 0:
					status = "review"
				}
				statuses[status]++
				gotRules := strings.Split(c["rules"], "|")
				if c["rules"] == "" {
					gotRules = nil
				}
				slices.Sort(gotRules)
				slices.Sort(rules)
				if c["status"] != status || c["worst_severity"] != worst || !slices.Equal(gotRules, rules) ||
					c["errors"] != strconv.Itoa(counts["error"]) || c["warnings"] != strconv.Itoa(counts["warning"]) || c["infos"] != strconv.Itoa(counts["info"]) {
					t.Errorf("%s: row says %s (worst %q, %s/%s/%s, rules %s); its %d findings say %s (worst %q, %d/%d/%d, rules %v)",
						k, c["status"], c["worst_severity"], c["errors"], c["warnings"], c["infos"], c["rules"],
						len(byClaim[k]), status, worst, counts["error"], counts["warning"], counts["info"], rules)
				}
			}
			var doc struct {
				Summary struct {
					ClaimsByStatus map[string]int `json:"claims_by_status"`
				} `json:"summary"`
			}
			data, err := os.ReadFile(filepath.Join(dir, "exceptions.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			for _, s := range []string{"held", "review", "ready", "void"} {
				if doc.Summary.ClaimsByStatus[s] != statuses[s] {
					t.Errorf("exceptions.json counts %d %s claims, claims.csv %d", doc.Summary.ClaimsByStatus[s], s, statuses[s])
				}
			}
			// With the data files, the billing provider most samples share
			// carries the seed's 2080S0002X, which NUCC does not have: every
			// claim billed under it is held (TAXONOMY-INVALID).
			if g.name != "data" && (statuses["held"] == 0 || statuses["review"] == 0 || statuses["ready"] == 0) {
				t.Errorf("the samples must show held, review and ready claims: %v", statuses)
			}
		})
	}
}

// readCSVMaps reads a CSV report as one map a row, keyed by the header.
func readCSVMaps(t *testing.T, path string) []map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, row := range rows[1:] {
		m := map[string]string{}
		for i, name := range rows[0] {
			m[name] = row[i]
		}
		out = append(out, m)
	}
	return out
}
