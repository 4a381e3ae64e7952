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
	Register(Format{Name: "failtest", Files: []FormatFile{{Name: "failtest.txt", Write: func(w io.Writer, r *Report) error {
		if _, err := io.WriteString(w, strings.Repeat("partial\n", 20000)); err != nil {
			return err
		}
		return errHalfway
	}}}})
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

// visible lists the names in dir a reader sees (not hidden).
func visible(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, n := range dirNames(t, dir) {
		if !strings.HasPrefix(n, ".") {
			out = append(out, n)
		}
	}
	return out
}

func TestWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "out")
	r := sampleReport()
	paths, err := Write(dir, []string{"json", "csv"}, r)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "exceptions.json"), filepath.Join(dir, "exceptions.csv"), filepath.Join(dir, "claims.csv")}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("paths %v, want %v", paths, want)
	}
	if got := dirNames(t, dir); !reflect.DeepEqual(got, []string{manifestName, "claims.csv", "exceptions.csv", "exceptions.json"}) {
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
	}
	// Issue 18: this compared the mode with reportFileMode, the constant
	// under test. Reports carry claim data: 0640, not world-readable.
	for _, path := range append(paths, filepath.Join(dir, manifestName)) {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o640 {
			t.Errorf("%s: mode %v, %v; want 0640", path, fi.Mode(), err)
		}
	}
	if got, _ := os.ReadFile(filepath.Join(dir, manifestName)); string(got) != manifestHead+"\nexceptions.json\nexceptions.csv\nclaims.csv\n" {
		t.Errorf("manifest %q", got)
	}
	// A second run replaces the set: csv only, so exceptions.json goes.
	r.Run.ID = "run-43"
	if _, err := Write(dir, []string{"csv"}, r); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(want[1]); !bytes.Contains(got, []byte("run-43")) {
		t.Error("exceptions.csv not replaced")
	}
	if got := visible(t, dir); !reflect.DeepEqual(got, []string{"claims.csv", "exceptions.csv"}) {
		t.Errorf("folder holds %v after a csv-only run", got)
	}
}

// Stale members of the last set go, whatever wrote them; the user's own
// files and folders stay.
func TestWriteRemovesStaleMembers(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"report.html", "exceptions.xlsx", "notes.txt", "ready/x.837", "held/y.837", "mine/z.txt", "custom.bin"} {
		path := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// custom.bin was a member of the last set, by its manifest.
	os.WriteFile(filepath.Join(dir, manifestName), []byte(manifestHead+"\ncustom.bin\n../escape\n"), 0o644)
	if _, err := Write(dir, []string{"json"}, sampleReport()); err != nil {
		t.Fatal(err)
	}
	if got := visible(t, dir); !reflect.DeepEqual(got, []string{"exceptions.json", "mine", "notes.txt"}) {
		t.Errorf("folder holds %v", got)
	}
	if h := hidden(t, dir); !reflect.DeepEqual(h, []string{manifestName}) {
		t.Errorf("hidden leftovers %v", h)
	}
}

// A format failing half-way leaves the previous set alone (not half of it
// replaced) and nothing staged behind.
func TestWriteFailingFormat(t *testing.T) {
	dir := t.TempDir()
	old := []byte("previous run\n")
	if err := os.WriteFile(filepath.Join(dir, "exceptions.csv"), old, 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "report.html"), old, 0o644)
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
	if got := dirNames(t, dir); !reflect.DeepEqual(got, []string{"exceptions.csv", "report.html"}) {
		t.Errorf("folder holds %v, want only the old reports", got)
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
	if err := CheckWritable(file); err == nil {
		t.Fatal("CheckWritable accepts a file")
	}
	if err := CheckWritable(filepath.Join(file, "sub")); err == nil {
		t.Fatal("CheckWritable accepts a folder under a file")
	}
}

func TestCheckWritable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	if err := CheckWritable(dir); err != nil {
		t.Fatal(err)
	}
	if got := dirNames(t, dir); len(got) != 0 {
		t.Errorf("probe left %v", got)
	}
	if os.Geteuid() == 0 {
		t.Log("running as root: a read-only folder is writable, not checked")
		return
	}
	ro := t.TempDir()
	os.Chmod(ro, 0o555)
	defer os.Chmod(ro, 0o755)
	if err := CheckWritable(ro); err == nil || !strings.Contains(err.Error(), "not writable") {
		t.Fatalf("read-only folder: %v", err)
	}
}

// Extra files and folders staged by the caller join the set; a folder
// replaces the last set's folder of that name whole.
func TestStageExtras(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, ReadyDir), 0o755)
	os.WriteFile(filepath.Join(dir, ReadyDir, "old.837"), []byte("old"), 0o644)
	st, err := NewStage(dir)
	if err != nil {
		t.Fatal(err)
	}
	ready, err := st.Dir(ReadyDir)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(ready, "new.837"), []byte("new"), 0o644)
	f, err := st.Create("split-summary.txt")
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("ok")
	f.Close()
	for _, bad := range []string{ReadyDir, "", "../x", "a/b", ".scrub837-x", "a\nb", "claims.csv"} {
		if bad == "claims.csv" {
			if _, err := st.WriteFormats([]string{"csv"}, sampleReport()); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Create(bad); err == nil {
				t.Error("a format's file staged twice")
			}
			continue
		}
		if _, err := st.Dir(bad); err == nil {
			t.Errorf("Dir(%q) accepted", bad)
		}
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := dirNames(t, filepath.Join(dir, ReadyDir)); !reflect.DeepEqual(got, []string{"new.837"}) {
		t.Errorf("ready/ holds %v", got)
	}
	if got := visible(t, dir); !reflect.DeepEqual(got, []string{"claims.csv", "exceptions.csv", ReadyDir, "split-summary.txt"}) {
		t.Errorf("folder holds %v", got)
	}
	if err := st.Commit(); err == nil {
		t.Error("a second Commit")
	}
	st.Abort() // no-op after Commit
	if got := visible(t, dir); len(got) != 4 {
		t.Errorf("Abort after Commit removed something: %v", got)
	}
	// The next run without ready/ removes it (and split-summary.txt, by the
	// manifest).
	if _, err := Write(dir, []string{"json"}, sampleReport()); err != nil {
		t.Fatal(err)
	}
	if got := visible(t, dir); !reflect.DeepEqual(got, []string{"exceptions.json"}) {
		t.Errorf("folder holds %v", got)
	}
}

func TestStageAbort(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "exceptions.json"), []byte("old"), 0o644)
	st, err := NewStage(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.WriteFormats([]string{"csv", "json"}, sampleReport()); err != nil {
		t.Fatal(err)
	}
	st.Abort()
	if got := dirNames(t, dir); !reflect.DeepEqual(got, []string{"exceptions.json"}) {
		t.Errorf("after Abort: %v", got)
	}
	if err := st.Commit(); err == nil {
		t.Error("Commit after Abort")
	}
}

// A rename that keeps failing after the commit point: the error says the
// set is committed (not "nothing written"), the folder says it is being
// replaced, and the next run completes it.
func TestCommitRenameFails(t *testing.T) {
	dir := t.TempDir()
	if _, err := Write(dir, []string{"csv", "json"}, sampleReport()); err != nil {
		t.Fatal(err)
	}
	r := sampleReport()
	r.Run.ID = "run-new"
	// Before each rename of exceptions.json, a non-empty folder takes its
	// place, so the rename fails on both tries.
	block := func(name string) {
		if name == "rename exceptions.json" {
			p := filepath.Join(dir, "exceptions.json")
			os.Remove(p)
			os.MkdirAll(filepath.Join(p, "x"), 0o755)
		}
	}
	st, err := newStage(dir, block)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.WriteFormats([]string{"csv", "json"}, r); err != nil {
		t.Fatal(err)
	}
	err = st.Commit()
	if !errors.Is(err, ErrSetIncomplete) {
		t.Fatalf("err = %v, want ErrSetIncomplete", err)
	}
	if !Pending(dir) {
		t.Fatal("not Pending with the set half in place")
	}

	rec, err := Recover(dir)
	if err != nil || !rec.Completed {
		t.Fatalf("Recover = %+v, %v", rec, err)
	}
	if Pending(dir) {
		t.Error("still pending")
	}
	for _, name := range []string{"exceptions.csv", "exceptions.json"} {
		if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || !bytes.Contains(got, []byte("run-new")) {
			t.Errorf("%s not the new run's: %v", name, err)
		}
	}
	if h := hidden(t, dir); !reflect.DeepEqual(h, []string{manifestName}) {
		t.Errorf("hidden leftovers %v", h)
	}
}

// A damaged journal is discarded with the stage: the folder keeps what it
// has, and Recover says so.
func TestRecoverBadJournal(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "exceptions.csv"), []byte("old"), 0o644)
	os.MkdirAll(filepath.Join(dir, stageName), 0o755)
	os.WriteFile(filepath.Join(dir, stageName, "exceptions.csv"), []byte("new"), 0o644)
	for _, j := range []string{"", "garbage", journalHead + "\nrename exceptions.csv\n", journalHead + "\nrename ../x\nend\n", journalHead + "\nmove x\nend\n"} {
		os.WriteFile(filepath.Join(dir, journalName), []byte(j), 0o644)
		rec, err := Recover(dir)
		if err != nil || !rec.BadJournal || rec.Completed {
			t.Errorf("journal %q: %+v, %v", j, rec, err)
		}
		if got, _ := os.ReadFile(filepath.Join(dir, "exceptions.csv")); string(got) != "old" {
			t.Errorf("journal %q: exceptions.csv = %q", j, got)
		}
		if Pending(dir) {
			t.Errorf("journal %q left", j)
		}
	}
}

// Hidden leftovers of killed runs, this version's and earlier ones', are
// removed; reports and other files are not.
func TestRecoverRemovesLeftovers(t *testing.T) {
	dir := t.TempDir()
	keep := []string{"exceptions.csv", "notes.txt", ".exceptions.csv.tmp", LockFileName, ".other.123.tmp"}
	stale := []string{".exceptions.csv.123456.tmp", ".exceptions.json.42.tmp", ".report.html.7.tmp", journalTemp, probePrefix + "99"}
	for _, name := range append(slices.Clone(keep), stale...) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(filepath.Join(dir, stageName, "ready"), 0o755)
	os.MkdirAll(filepath.Join(dir, trashName, "held"), 0o755)
	stale = append(stale, stageName, trashName)
	rec, err := Recover(dir)
	removed := rec.Removed
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
	left := dirNames(t, dir)
	sort.Strings(keep)
	if !reflect.DeepEqual(left, keep) {
		t.Fatalf("left %v, want %v", left, keep)
	}
}

func TestFormats(t *testing.T) {
	got := Formats()
	for _, name := range []string{"csv", "json", "html", "xlsx"} {
		if !slices.Contains(got, name) {
			t.Errorf("Formats() = %v lacks %s", got, name)
		}
	}
	if !slices.IsSorted(got) {
		t.Errorf("Formats() = %v not sorted", got)
	}
	files := formatFileNames()
	for _, name := range []string{"exceptions.csv", "claims.csv", "exceptions.json", "report.html", "exceptions.xlsx"} {
		if !slices.Contains(files, name) {
			t.Errorf("format files %v lack %s", files, name)
		}
	}
}

func TestRegisterRejects(t *testing.T) {
	w := func(io.Writer, *Report) error { return nil }
	one := func(name string) []FormatFile { return []FormatFile{{Name: name, Write: w}} }
	for name, f := range map[string]Format{
		"duplicate name":      {Name: "csv", Files: one("other.csv")},
		"duplicate file name": {Name: "csv2", Files: one("claims.csv")},
		"file twice":          {Name: "csv3", Files: append(one("a.csv"), one("a.csv")...)},
		"empty name":          {Name: "", Files: one("x")},
		"upper case":          {Name: "CSV4", Files: one("x")},
		"comma":               {Name: "a,b", Files: one("x")},
		"path":                {Name: "p", Files: one("../x")},
		"hidden":              {Name: "p", Files: one(".scrub837-set")},
		"no files":            {Name: "p"},
		"no writer":           {Name: "p", Files: []FormatFile{{Name: "x"}}},
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
	if slices.Contains(Formats(), "csv2") || slices.Contains(Formats(), "p") {
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
