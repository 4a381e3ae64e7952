package runner

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
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
	var skipped []string
	skip := func(path, why string) { skipped = append(skipped, filepath.Base(path)) }

	got := names(expandInputs([]string{single, dir, "-", missing}, false, filepath.Join(dir, "out"), skip))
	want := []string{
		single,
		filepath.Join(dir, "a.837"), filepath.Join(dir, "b.837"), filepath.Join(dir, "c.837.gz"),
		"-",
		missing + " (error)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("without -r:\ngot  %q\nwant %q", got, want)
	}
	if strings.Join(skipped, ",") != "out,sub" {
		t.Errorf("skipped = %q, want out,sub", skipped)
	}

	skipped = nil
	got = names(expandInputs([]string{filepath.Join(dir, "out"), dir}, true, filepath.Join(dir, "out"), skip))
	if strings.Join(skipped, ",") != "out,out" {
		t.Errorf("skipped = %q: the --out folder is never scrubbed, named or found", skipped)
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
		t.Skip("no symlinks:", err)
	}
	if err := os.Symlink(filepath.Join(dir, "real"), filepath.Join(dir, "loop")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, "dangling.837")); err != nil {
		t.Fatal(err)
	}
	got := names(expandInputs([]string{dir}, true, "", func(string, string) {}))
	want := []string{
		filepath.Join(dir, "dangling.837") + " (error)",
		filepath.Join(dir, "link.837"),
		filepath.Join(dir, "real", "a.837"),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got  %q\nwant %q", got, want)
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
