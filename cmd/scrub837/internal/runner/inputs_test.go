package runner

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func names(ins []input) []string {
	var out []string
	for _, in := range ins {
		s := in.name
		if in.err != nil {
			s += " (error)"
		}
		if in.skip != "" {
			s += " (skipped: " + in.skip + ")"
		}
		out = append(out, s)
	}
	return out
}

func TestExpandInputsOrder(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"b.837", "a.837", "c.837.gz", "sub/z.837", "sub/deeper/y.837", "out/exceptions.csv"} {
		writeFile(t, filepath.Join(dir, n), []byte("x"))
	}
	single := filepath.Join(dir, "b.837")
	missing := filepath.Join(dir, "missing.837")
	var notScrubbed []string
	note := func(path, why string) { notScrubbed = append(notScrubbed, filepath.Base(path)) }

	got := names(expandInputs([]string{single, dir, "-", missing}, expansion{out: filepath.Join(dir, "out"), notScrubbed: note}))
	want := []string{
		single,
		filepath.Join(dir, "a.837"), filepath.Join(dir, "b.837"), filepath.Join(dir, "c.837.gz"),
		filepath.Join(dir, "sub") + " (skipped: a sub-folder (use -r to scrub sub-folders))",
		"-",
		missing + " (error)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("without -r:\ngot  %q\nwant %q", got, want)
	}
	if strings.Join(notScrubbed, ",") != "out" {
		t.Errorf("not scrubbed = %q, want out", notScrubbed)
	}

	notScrubbed = nil
	got = names(expandInputs([]string{filepath.Join(dir, "out"), dir}, expansion{recursive: true, out: filepath.Join(dir, "out"), notScrubbed: note}))
	if strings.Join(notScrubbed, ",") != "out,out" {
		t.Errorf("not scrubbed = %q: the --out folder is never scrubbed, named or found", notScrubbed)
	}
	want = []string{
		filepath.Join(dir, "a.837"), filepath.Join(dir, "b.837"), filepath.Join(dir, "c.837.gz"),
		filepath.Join(dir, "sub", "deeper", "y.837"), filepath.Join(dir, "sub", "z.837"),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("with -r:\ngot  %q\nwant %q", got, want)
	}
}

func TestExpandInputsSymlinks(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "real", "a.837"), []byte("x"))
	if err := os.Symlink(filepath.Join(dir, "real", "a.837"), filepath.Join(dir, "link.837")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "real"), filepath.Join(dir, "loop")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, "dangling.837")); err != nil {
		t.Fatal(err)
	}
	got := names(expandInputs([]string{dir}, expansion{recursive: true}))
	want := []string{
		filepath.Join(dir, "dangling.837") + " (error)",
		filepath.Join(dir, "link.837"),
		filepath.Join(dir, "loop") + " (skipped: symbolic link to a folder (not followed))",
		filepath.Join(dir, "real", "a.837"),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// Issue 15: in folders, hidden files and folders are skipped and listed
// with the reason; --include and --exclude choose files by name (or by
// path below the folder, for a pattern with a "/"); files named on the
// command line are always scrubbed.
func TestExpandInputsHiddenIncludeExclude(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.837", "a.837.done", "manifest.json", ".part.837", ".cache/x.837", "sub/b.837", "sub/b.837.ok", "archive/old.837"} {
		writeFile(t, filepath.Join(dir, n), []byte("x"))
	}
	hidden := filepath.Join(dir, ".part.837")
	got := names(expandInputs([]string{dir, hidden}, expansion{recursive: true,
		include: []string{"*.837"}, exclude: []string{"*.done", "archive"}}))
	want := []string{
		filepath.Join(dir, ".cache") + " (skipped: hidden (the name starts with a dot))",
		filepath.Join(dir, ".part.837") + " (skipped: hidden (the name starts with a dot))",
		filepath.Join(dir, "a.837"),
		filepath.Join(dir, "a.837.done") + " (skipped: excluded by --exclude *.done)",
		filepath.Join(dir, "archive") + " (skipped: excluded by --exclude archive)",
		filepath.Join(dir, "manifest.json") + " (skipped: matches no --include)",
		filepath.Join(dir, "sub", "b.837"),
		filepath.Join(dir, "sub", "b.837.ok") + " (skipped: matches no --include)",
		hidden, // named on the command line: scrubbed
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	got = names(expandInputs([]string{dir}, expansion{recursive: true, exclude: []string{"sub/*.ok", "archive/*"}}))
	for _, n := range []string{"sub/b.837.ok (skipped: excluded by --exclude sub/*.ok)", "archive/old.837 (skipped: excluded by --exclude archive/*)"} {
		if !slices.Contains(got, filepath.Join(dir, n)) {
			t.Errorf("a pattern with a / matches the path below the folder: %q not in %q", n, got)
		}
	}
	for _, bad := range []string{"", "[a-"} {
		if CheckPattern(bad) == nil {
			t.Errorf("pattern %q accepted", bad)
		}
	}
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func gzipBytes(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestOpenInputGzipByMagicAndName(t *testing.T) {
	dir := t.TempDir()
	x12 := []byte("ISA*00*...~\n")
	compressed := gzipBytes(t, x12)
	cases := []struct {
		name    string
		data    []byte
		gzipped bool
	}{
		{"plain.837", x12, false},
		{"named.837.gz", compressed, true},
		{"unnamed.837", compressed, true}, // magic bytes decide
		{"fake.837.gz", x12, false},       // .gz name, plain data: read as is
		{"empty.837.gz", nil, false},      // nothing to decompress
	}
	for _, c := range cases {
		want := x12
		if c.data == nil {
			want = nil
		}
		path := filepath.Join(dir, c.name)
		writeFile(t, path, c.data)
		for _, ahead := range []bool{false, true} {
			checkOpenInput(t, path, c.data, want, c.gzipped, ahead)
		}
	}
}

// checkOpenInput opens the file at path (holding data) and requires the
// X12 bytes want, the gzip flag, and the raw count, progress and hash.
func checkOpenInput(t *testing.T, path string, data, want []byte, gzipped, ahead bool) {
	t.Helper()
	var progressed int64
	o, err := openInput(context.Background(), input{name: path}, nil, func(n int64) { progressed += n }, ahead)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	got, err := io.ReadAll(o.x12)
	if err != nil {
		t.Fatalf("%s: read: %v", path, err)
	}
	if err := o.drain(); err != nil {
		t.Fatal(err)
	}
	o.close()
	if !bytes.Equal(got, want) || o.gzipped != gzipped {
		t.Errorf("%s (ahead %v): got %q gzipped=%v", path, ahead, got, o.gzipped)
	}
	if o.counter.n != int64(len(data)) || progressed != int64(len(data)) || o.counter.sum() != sha(data) {
		t.Errorf("%s (ahead %v): counted %d bytes (progress %d), hash %s; want %d, %s", path, ahead, o.counter.n, progressed, o.counter.sum(), len(data), sha(data))
	}
}

func TestOpenInputStdinAndDrain(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 100000) // larger than the read buffer
	o, err := openInput(context.Background(), input{name: "-", stdin: true}, bytes.NewReader(data), nil, true)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 10)
	io.ReadFull(o.x12, buf) // a reader that stops early
	if err := o.drain(); err != nil {
		t.Fatal(err)
	}
	if o.counter.n != int64(len(data)) || o.counter.sum() != sha(data) {
		t.Errorf("drained %d bytes, want %d", o.counter.n, len(data))
	}
}

func TestOpenInputBrokenGzip(t *testing.T) {
	dir := t.TempDir()
	full := gzipBytes(t, bytes.Repeat([]byte("ISA*00~"), 5000))
	path := filepath.Join(dir, "cut.837.gz")
	writeFile(t, path, full[:len(full)/2])
	o, err := openInput(context.Background(), input{name: path}, nil, nil, true)
	if err != nil {
		t.Fatal(err) // the header is fine
	}
	_, err = io.ReadAll(o.x12)
	if err == nil || !strings.Contains(err.Error(), "decompressing") {
		t.Errorf("truncated gzip: err = %v", err)
	}
	o.close()

	writeFile(t, path, []byte{0x1f, 0x8b, 0, 0})
	o, err = openInput(context.Background(), input{name: path}, nil, nil, true)
	if err == nil || o == nil {
		t.Fatalf("bad gzip header: err = %v, opened = %v", err, o)
	}
	o.drain()
	if o.counter.n != 4 {
		t.Errorf("counted %d bytes of a bad gzip file, want 4", o.counter.n)
	}
	o.close()
}

func TestOpenInputMissing(t *testing.T) {
	o, err := openInput(context.Background(), input{name: filepath.Join(t.TempDir(), "nope")}, nil, nil, true)
	if o != nil || err == nil || strings.Contains(err.Error(), "nope") {
		t.Errorf("missing file: %v %v (the error should not repeat the path)", o, err)
	}
}

// appendOnFirstRead is a Progress that appends to a file the first time
// bytes are read: a sender still writing the file the run is reading.
type appendOnFirstRead struct {
	countingProgress
	path string
	more []byte
	once sync.Once
	err  error
}

func (p *appendOnFirstRead) AddBytes(int64) {
	p.once.Do(func() {
		f, err := os.OpenFile(p.path, os.O_WRONLY|os.O_APPEND, 0)
		if err == nil {
			_, err = f.Write(p.more)
			err = errors.Join(err, f.Close())
		}
		p.err = err
	})
}

// Issue 14, reproducer 5: a file still being appended was reported ok with
// half its claims when a read ended at an interchange boundary. A file
// whose size changes while it is read is failed now, with a finding that
// says so.
func TestRunFailsAFileThatChangesWhileRead(t *testing.T) {
	data, err := os.ReadFile(samples(t)[0])
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "growing.837")
	writeFile(t, path, data)
	for _, workers := range []int{1, 2} { // with and without read-ahead
		writeFile(t, path, data)
		cfg := testConfig(t, path)
		cfg.Workers = workers
		cfg.Formats = []string{"csv"}
		grow := &appendOnFirstRead{path: path, more: data}
		cfg.Progress = grow
		res, err := Run(cfg)
		if err != nil || grow.err != nil {
			t.Fatal(err, grow.err)
		}
		f := res.Report.Files[0]
		if f.Status != "failed" || !strings.Contains(f.Error, "changed while it was read") {
			t.Errorf("-j %d: %s %q, want failed: changed while it was read", workers, f.Status, f.Error)
		}
		if ruleCounts(t, cfg.Out)["FILE-UNREADABLE"] != 1 {
			t.Errorf("-j %d: no FILE-UNREADABLE finding: %v", workers, ruleCounts(t, cfg.Out))
		}
	}
	// The same file, left alone, is read whole and ok.
	writeFile(t, path, data)
	cfg := testConfig(t, path)
	cfg.Formats = []string{"csv"}
	res, err := Run(cfg)
	if err != nil || res.Report.Files[0].Status != "ok" {
		t.Fatalf("%v %+v", err, res.Report.Files)
	}
}
