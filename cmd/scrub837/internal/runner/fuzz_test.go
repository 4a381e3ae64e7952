package runner

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/scrub837/scrub837/scrubber"
)

// FuzzRun runs a whole run (inputs to reports) on bytes cut into two
// files, the second gzipped or not, with one or two workers and with the
// claims written back out (--split) or not. Whatever the bytes, the run
// writes its reports (it never fails, panics or hangs), every input is in
// files[], the claim counts add up, its temporary folder is left empty, and
// no member ID (NM109 of NM1*IL) of the input reaches the logs.
func FuzzRun(f *testing.F) {
	for _, name := range []string{"01-dx.837", "02-modifiers.837", "03-bundling.837", "05-not-837p.837", "06-x12-faults.837"} {
		data, err := os.ReadFile(filepath.Join(repoRoot, "testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint16(len(data)/2), false, uint8(1), false)
		f.Add(data, uint16(len(data)), true, uint8(2), true)
	}
	f.Add([]byte("ISA*00*"), uint16(3), true, uint8(1), false)
	f.Add([]byte{}, uint16(0), false, uint8(2), true)

	p, err := packDefault()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte, cut uint16, gz bool, workers uint8, split bool) {
		dir := t.TempDir()
		at := min(int(cut), len(data))
		first, second := data[:at], data[at:]
		if gz {
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			zw.Write(second)
			zw.Close()
			second = b.Bytes()
		}
		paths := []string{filepath.Join(dir, "f0.x12"), filepath.Join(dir, "f1.x12")}
		writeFile(t, paths[0], first)
		writeFile(t, paths[1], second)
		var logs bytes.Buffer
		cfg := Config{
			Paths: paths, Out: filepath.Join(dir, "out"), TempDir: filepath.Join(dir, "tmp"),
			Formats: []string{"csv", "json"}, Pack: p, Workers: int(workers%2) + 1, Split: split,
			RunID: "fuzz", Started: time.Unix(0, 0).UTC(), Log: zerolog.New(zerolog.SyncWriter(&logs)), // the workers log at once
		}
		if err := os.Mkdir(cfg.TempDir, 0o700); err != nil {
			t.Fatal(err)
		}
		res, err := Run(cfg)
		if err != nil {
			t.Fatalf("no reports: %v", err)
		}
		r := res.Report
		if len(r.Files) != 2 || r.Summary.Files != 2 {
			t.Fatalf("files: %+v", r.Files)
		}
		claims := 0
		for _, file := range r.Files {
			claims += file.Claims
			switch scrubber.Status(file.Status) {
			case scrubber.StatusOK, scrubber.StatusSkipped:
			case scrubber.StatusFailed:
				if file.Error == "" {
					t.Errorf("%s failed without an error", file.Path)
				}
			default:
				t.Errorf("%s: status %q", file.Path, file.Status)
			}
		}
		if claims != r.Summary.Claims {
			t.Errorf("files hold %d claims, the summary %d", claims, r.Summary.Claims)
		}
		for _, name := range res.Written {
			if _, err := os.Stat(name); err != nil {
				t.Errorf("report %s: %v", name, err)
			}
		}
		if left, _ := os.ReadDir(cfg.TempDir); len(left) != 0 {
			t.Errorf("the run left %d files in its temporary folder", len(left))
		}
		for _, id := range memberIDs(data) {
			if strings.Contains(logs.String(), id) {
				t.Errorf("member ID %q is in the logs:\n%s", id, logs.String())
			}
		}
	})
}

// memberID matches NM1*IL ... NM109 with * as the element separator;
// memberIDs keeps those that could not be anything else in a log line: six
// or more letters and digits, with both.
var memberID = regexp.MustCompile(`NM1\*IL(?:\*[^*~\n]*){7}\*([A-Za-z0-9]{6,})`)

func memberIDs(data []byte) []string {
	var ids []string
	for _, m := range memberID.FindAllSubmatch(data, -1) {
		id := string(m[1])
		if strings.ContainsAny(id, "0123456789") && strings.IndexFunc(id, func(r rune) bool { return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' }) >= 0 {
			ids = append(ids, id)
		}
	}
	return ids
}

// The property's own check: the seeds do carry member IDs it looks for.
func TestMemberIDsOfTheFuzzSeeds(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "01-dx.837"))
	if err != nil {
		t.Fatal(err)
	}
	if ids := memberIDs(data); len(ids) < 5 {
		t.Errorf("member IDs found: %q", ids)
	}
}
