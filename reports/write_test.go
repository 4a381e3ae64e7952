package reports

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

var errHalfway = errors.New("disk on fire")

func init() {
	// A format that writes part of a report, then fails.
	Register(Format{Name: "failtest", FileName: "failtest.txt", Write: func(w io.Writer, r *Report) error {
		if _, err := io.WriteString(w, strings.Repeat("partial\n", 20000)); err != nil {
			return err
		}
		return errHalfway
	}})
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "out")
	r := sampleReport()
	paths, err := Write(dir, []string{"json", "csv"}, r)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "exceptions.json"), filepath.Join(dir, "exceptions.csv")}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("paths %v, want %v", paths, want)
	}
	if got := dirNames(t, dir); !reflect.DeepEqual(got, []string{"exceptions.csv", "exceptions.json"}) {
		t.Errorf("folder holds %v", got)
	}
	for i, w := range []func(*testing.T, *Report) []byte{writeJSON, writeCSV} {
		got, err := os.ReadFile(paths[i])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, w(t, r)) {
			t.Errorf("%s differs from its writer's output", paths[i])
		}
		if fi, _ := os.Stat(paths[i]); fi.Mode().Perm() != reportFileMode {
			t.Errorf("%s mode %v", paths[i], fi.Mode())
		}
	}
	// A second run replaces the reports in place.
	r.Run.ID = "run-43"
	if _, err := Write(dir, []string{"csv"}, r); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(want[1]); !bytes.Contains(got, []byte("run-43")) {
		t.Error("exceptions.csv not replaced")
	}
	if got := dirNames(t, dir); len(got) != 2 {
		t.Errorf("folder holds %v", got)
	}
}

// A format failing half-way leaves neither a partial file nor a temporary
// one, and leaves the previous reports alone (not half of them replaced).
func TestWriteFailingFormat(t *testing.T) {
	dir := t.TempDir()
	old := []byte("previous run\n")
	if err := os.WriteFile(filepath.Join(dir, "exceptions.csv"), old, 0o644); err != nil {
		t.Fatal(err)
	}
	paths, err := Write(dir, []string{"csv", "failtest", "json"}, sampleReport())
	if !errors.Is(err, errHalfway) {
		t.Fatalf("err = %v, want the format's error", err)
	}
	if !strings.Contains(err.Error(), "failtest") {
		t.Errorf("error does not name the format: %v", err)
	}
	if len(paths) != 0 {
		t.Errorf("paths %v after a failure", paths)
	}
	if got := dirNames(t, dir); !reflect.DeepEqual(got, []string{"exceptions.csv"}) {
		t.Errorf("folder holds %v, want only the old exceptions.csv", got)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "exceptions.csv")); !bytes.Equal(got, old) {
		t.Errorf("old exceptions.csv replaced by %q", got)
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	_, err := Write(dir, []string{"csv", "pdf"}, sampleReport())
	if err == nil || !strings.Contains(err.Error(), `"pdf"`) {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Error("folder created for an unknown format")
	}
}

func TestWriteDirIsAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "out")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(file, []string{"csv"}, sampleReport()); err == nil {
		t.Fatal("no error writing into a file")
	}
}

func TestFormats(t *testing.T) {
	got := Formats()
	for _, name := range []string{"csv", "json"} {
		if !slices.Contains(got, name) {
			t.Errorf("Formats() = %v lacks %s", got, name)
		}
	}
	if !slices.IsSorted(got) {
		t.Errorf("Formats() = %v not sorted", got)
	}
}

func TestRegisterRejects(t *testing.T) {
	w := func(io.Writer, *Report) error { return nil }
	for name, f := range map[string]Format{
		"duplicate name":      {Name: "csv", FileName: "other.csv", Write: w},
		"duplicate file name": {Name: "csv2", FileName: "exceptions.csv", Write: w},
		"empty name":          {Name: "", FileName: "x", Write: w},
		"upper case":          {Name: "CSV3", FileName: "x", Write: w},
		"comma":               {Name: "a,b", FileName: "x", Write: w},
		"path":                {Name: "p", FileName: "../x", Write: w},
		"no writer":           {Name: "p", FileName: "x"},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: Register did not panic", name)
				}
			}()
			Register(f)
		}()
	}
	if slices.Contains(Formats(), "csv2") {
		t.Error("rejected format registered")
	}
}

func TestParseFormats(t *testing.T) {
	for in, want := range map[string][]string{
		"csv,json":            {"csv", "json"},
		"json,csv":            {"json", "csv"},
		" CSV , json,csv ,, ": {"csv", "json"},
		"json":                {"json"},
	} {
		got, err := ParseFormats(in)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ParseFormats(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for in, wantMsg := range map[string]string{
		"csv,pdf": `unknown report format "pdf" (known formats: csv, `,
		"":        "no report format given (known formats: csv, ",
		" , ":     "no report format given",
	} {
		got, err := ParseFormats(in)
		if err == nil || !strings.Contains(err.Error(), wantMsg) || !strings.Contains(err.Error(), "json") {
			t.Errorf("ParseFormats(%q) = %v, %v; want error %q...", in, got, err, wantMsg)
		}
	}
}

// Temporary reports a killed run left are removed; reports and other
// files are not.
func TestRemoveStaleTemps(t *testing.T) {
	dir := t.TempDir()
	keep := []string{"exceptions.csv", "notes.txt", ".exceptions.csv.tmp", ".scrub837.lock", ".other.123.tmp"}
	stale := []string{".exceptions.csv.123456.tmp", ".exceptions.json.42.tmp", ".report.html.7.tmp"}
	for _, name := range append(append([]string{}, keep...), stale...) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	removed, err := RemoveStaleTemps(dir)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, name := range stale {
		want = append(want, filepath.Join(dir, name))
	}
	sort.Strings(want)
	if !reflect.DeepEqual(removed, want) {
		t.Fatalf("removed %v, want %v", removed, want)
	}
	entries, _ := os.ReadDir(dir)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	sort.Strings(keep)
	if !reflect.DeepEqual(left, keep) {
		t.Fatalf("left %v, want %v", left, keep)
	}
	// A temporary file that writeTemp makes matches the pattern.
	f, _ := lookupFormat("csv")
	tmp, err := writeTemp(dir, f, &Report{})
	if err != nil {
		t.Fatal(err)
	}
	if removed, _ := RemoveStaleTemps(dir); len(removed) != 1 || removed[0] != tmp {
		t.Fatalf("a writeTemp file %s: removed %v", tmp, removed)
	}
}
