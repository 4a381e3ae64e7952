package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The public data files on the command line (issue 16): --data,
// SCRUB837_DATA, `scrub837 data`. The folders are testdata/data (the
// golden run's) and scrubber/codedata's fixtures.

func dataFixture(parts ...string) string {
	return filepath.Join(append([]string{"..", "..", "testdata", "data"}, parts...)...)
}

func malformedData(name string) string {
	return filepath.Join("..", "..", "scrubber", "codedata", "testdata", "malformed", name)
}

// runData is the part of exceptions.json about the data files.
type runData struct {
	Run struct {
		Data []struct {
			Kind, File, Member, Version, Effective, Through, SHA256 string
			Rows                                                    int
		} `json:"data"`
	} `json:"run"`
	Findings []struct {
		RuleID string `json:"rule_id"`
		Source string `json:"source"`
	} `json:"findings"`
}

func parseRunData(t *testing.T, data []byte) runData {
	t.Helper()
	var r runData
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r runData) dataFindings() int {
	n := 0
	for _, f := range r.Findings {
		if f.Source == "cms" || f.Source == "nucc" {
			n++
		}
	}
	return n
}

// --data and SCRUB837_DATA load the folder (run.data lists its files, the
// data rules fire); --data "" turns the variable off; without either,
// exceptions.json has no run.data.
func TestE2EDataFlagAndVariable(t *testing.T) {
	sample := fixture("03-bundling.837")
	flag := run(t, runOpts{}, "--run-id", "d", "--fail-on", "never", "--data", dataFixture(), sample)
	expectCode(t, flag, exitOK)
	byFlag := parseRunData(t, flag.json(t))
	if len(byFlag.Run.Data) != 12 || byFlag.dataFindings() == 0 {
		t.Fatalf("--data: %d data files, %d data findings", len(byFlag.Run.Data), byFlag.dataFindings())
	}
	for _, f := range byFlag.Run.Data {
		if f.Kind == "" || f.File == "" || f.Version == "" || len(f.SHA256) != 64 || f.Rows == 0 {
			t.Errorf("run.data entry %+v", f)
		}
	}
	env := run(t, runOpts{env: []string{"SCRUB837_DATA=" + dataFixture()}}, "--run-id", "d", "--fail-on", "never", sample)
	if !bytes.Equal(withoutTimes(env.json(t)), withoutTimes(flag.json(t))) {
		t.Error("SCRUB837_DATA gives another report than --data")
	}
	for _, r := range []result{
		run(t, runOpts{env: []string{"SCRUB837_DATA=" + dataFixture()}}, "--fail-on", "never", "--data", "", sample),
		run(t, runOpts{}, "--fail-on", "never", sample),
	} {
		expectCode(t, r, exitOK)
		if b := r.json(t); bytes.Contains(b, []byte(`"data"`)) || parseRunData(t, b).dataFindings() != 0 {
			t.Errorf("a run without data files has data in its report:\n%s", b)
		}
	}
}

// withoutTimes drops the lines of started_at and finished_at.
func withoutTimes(b []byte) []byte {
	var out []byte
	for _, l := range bytes.SplitAfter(b, []byte("\n")) {
		if !bytes.Contains(l, []byte(`"started_at"`)) && !bytes.Contains(l, []byte(`"finished_at"`)) {
			out = append(out, l...)
		}
	}
	return out
}

// A recognised data file that is malformed is a usage error: exit 2, the
// file, member and line on stderr, no report folder.
func TestE2EDataMalformed(t *testing.T) {
	for _, c := range []struct{ dir, want string }{
		{"ptp-bad-date", "ccipra-v320r0-f1.TXT:9: effective date"},
		{"broken-zip", "not a readable ZIP"},
		{"conflict", "with different content"},
	} {
		t.Run(c.dir, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			r := run(t, runOpts{}, "-o", out, "--log-format", "json", "--data", malformedData(c.dir), fixture("01-dx.837"))
			expectCode(t, r, exitUsage)
			if !strings.Contains(r.stderr, c.want) || !strings.Contains(r.stderr, `"level":"error"`) || !strings.Contains(r.stderr, "no reports written") {
				t.Errorf("stderr does not say %q:\n%s", c.want, r.stderr)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("the report folder was created: %v", err)
			}
			listing := run(t, runOpts{}, "data", malformedData(c.dir))
			expectCode(t, listing, exitUsage)
			if !strings.Contains(listing.stderr, c.want) {
				t.Errorf("scrub837 data: stderr does not say %q:\n%s", c.want, listing.stderr)
			}
		})
	}
	r := run(t, runOpts{}, "--data", filepath.Join(t.TempDir(), "missing"), fixture("01-dx.837"))
	expectCode(t, r, exitUsage)
	if !strings.Contains(r.stderr, "data folder") {
		t.Errorf("a missing data folder: %s", r.stderr)
	}
}

// A file the run does not read is logged once: a warning when it holds a
// table under another name (the team may think its edits are in force),
// information otherwise.
func TestE2EDataNotReadIsLogged(t *testing.T) {
	dir := t.TempDir()
	table, err := os.ReadFile(dataFixture("MCR_MUE_PractitionerServices_Eff_10-01-2025.csv"))
	if err != nil {
		t.Fatal(err)
	}
	writeTemp(t, dir, "mue-renamed.csv", table)
	writeTemp(t, dir, "notes.txt", []byte("downloaded on Monday\n"))
	r := run(t, runOpts{}, "--log-format", "json", "--fail-on", "never", "--data", dir, fixture("01-dx.837"))
	expectCode(t, r, exitOK)
	var renamed, other, empty int
	for _, line := range strings.Split(r.stderr, "\n") {
		switch {
		case strings.Contains(line, `"file":"mue-renamed.csv"`) && strings.Contains(line, `"level":"warn"`) && strings.Contains(line, "looks like an MUE table"):
			renamed++
		case strings.Contains(line, `"file":"notes.txt"`) && strings.Contains(line, `"level":"info"`) && strings.Contains(line, "data file not read"):
			other++
		case strings.Contains(line, "no data file recognised") && strings.Contains(line, `"level":"warn"`):
			empty++
		}
	}
	if renamed != 1 || other != 1 || empty != 1 {
		t.Errorf("logged %d renamed, %d other, %d empty-folder events:\n%s", renamed, other, empty, r.stderr)
	}
}

// `scrub837 data DIR` lists the files read (kind, version, dates, rows)
// and those not read with the reason; --json says the same for scripts,
// with the SHA-256 run.data records.
func TestE2EDataCommand(t *testing.T) {
	r := run(t, runOpts{}, "data", dataFixture())
	expectCode(t, r, exitOK)
	for _, want := range []string{
		"Data folder " + dataFixture() + ": 12 files read, 2 files not read.",
		"KIND", "NCCI PTP       v320r0        1     2026-01-01 to 2026-03-31",
		"NCCI MUE       Eff 20260101        2026-01-01 to 2026-03-31  12    1     medicare-ncci-2026-q1-practitioner-services-mue-table.zip[MCR_MUE_PractitionerServices_Eff_01-01-2026.csv]",
		"ICD-10-CM      FY2026              2025-10-01 to 2026-09-30  54    54",
		"NUCC taxonomy  26.0", "Not read:\n  README.md: not a file scrub837 reads",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("listing lacks %q:\n%s", want, r.stdout)
		}
	}
	j := run(t, runOpts{}, "data", "--json", dataFixture())
	expectCode(t, j, exitOK)
	var doc struct {
		Folder string `json:"folder"`
		Files  []struct {
			Kind   string `json:"kind"`
			File   string `json:"file"`
			SHA256 string `json:"sha256"`
		} `json:"files"`
		NotRead []struct {
			File, Reason string
			Renamed      bool
		} `json:"not_read"`
		Notes []string `json:"notes"`
	}
	if err := json.Unmarshal([]byte(j.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Files) != 12 || len(doc.NotRead) != 2 || doc.Notes == nil {
		t.Errorf("--json: %+v", doc)
	}
	csv, err := os.ReadFile(dataFixture("MCR_MUE_PractitionerServices_Eff_10-01-2025.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range doc.Files {
		if f.File == "MCR_MUE_PractitionerServices_Eff_10-01-2025.csv" && f.SHA256 != sha256Hex(csv) {
			t.Errorf("sha256 %s, want %s", f.SHA256, sha256Hex(csv))
		}
	}
	// The folder from the variable; usage errors.
	if r := run(t, runOpts{env: []string{"SCRUB837_DATA=" + dataFixture()}}, "data"); r.code != exitOK || !strings.Contains(r.stdout, "12 files read") {
		t.Errorf("data with SCRUB837_DATA: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, runOpts{env: []string{"SCRUB837_DATA="}}, "data"); r.code != exitUsage || !strings.Contains(r.stderr, "name the data folder") {
		t.Errorf("data without a folder: %d %s", r.code, r.stderr)
	}
	if r := run(t, runOpts{}, "data", "a", "b"); r.code != exitUsage {
		t.Errorf("data with two folders: %d", r.code)
	}
}
