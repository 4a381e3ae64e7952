package x12test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadFileDecompressesGz(t *testing.T) {
	dir := t.TempDir()
	plain := []byte("ISA*00*~\nIEA*1*000000001~\n")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain)
	zw.Close()
	for name, data := range map[string][]byte{"a.837": plain, "a.837.gz": gz.Bytes()} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if got := ReadFile(t, path); !bytes.Equal(got, plain) {
			t.Errorf("%s: read %q, want %q", name, got, plain)
		}
	}
}

func TestManifestRows(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("saved_path\tn_isa\tnote\n")
	for i := range minManifestRows {
		fmt.Fprintf(&b, "f%d.txt\t%d\n", i, i) // no note: a short row
	}
	b.WriteString("last.txt\t1\tsays \"hi\n") // a lone quote, read as written
	if err := os.WriteFile(filepath.Join(dir, "MANIFEST.tsv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	rows := Manifest(t, dir)
	if len(rows) != minManifestRows+1 {
		t.Fatalf("%d rows", len(rows))
	}
	if r := rows[3]; r["saved_path"] != "f3.txt" || r["n_isa"] != "3" || len(r) != 2 {
		t.Errorf("row 3 = %v", r)
	}
	if r := rows[minManifestRows]; r["note"] != `says "hi` {
		t.Errorf("last row = %v", r)
	}
}

// The real corpus manifest is read by every corpus test; this one checks
// only that the repository's is where the tests look and long enough.
func TestRepositoryManifest(t *testing.T) {
	for _, row := range Manifest(t, "../../testdata/corpus") {
		if row["saved_path"] == "" {
			t.Errorf("a row without saved_path: %v", row)
		}
	}
}
