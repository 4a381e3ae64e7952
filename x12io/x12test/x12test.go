// Package x12test reads the X12 files that the tests of every package
// share: the public corpus of testdata/corpus with its MANIFEST.tsv, and
// sample files that may be gzipped. It is for tests only; it does not
// import x12io, so that x12io's own tests can use it.
package x12test

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// minManifestRows is fewer rows than the corpus has: a manifest this short
// means the corpus is not all there, and the corpus tests would pass on
// next to nothing.
const minManifestRows = 40

// Manifest reads dir/MANIFEST.tsv (dir is the corpus folder, as the test's
// package sees it: "../testdata/corpus"): one map a corpus file, keyed by
// the column titles; a short row lacks its last columns. A manifest that
// cannot be read, or of fewer than 40 rows, fails the test.
func Manifest(t testing.TB, dir string) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.Comma, cr.LazyQuotes, cr.FieldsPerRecord = '\t', true, -1
	records, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) == 0 {
		t.Fatalf("%s/MANIFEST.tsv is empty", dir)
	}
	var rows []map[string]string
	for _, rec := range records[1:] {
		row := map[string]string{}
		for i, name := range records[0] {
			if i < len(rec) {
				row[name] = rec[i]
			}
		}
		rows = append(rows, row)
	}
	if len(rows) < minManifestRows {
		t.Fatalf("%s/MANIFEST.tsv has only %d rows", dir, len(rows))
	}
	return rows
}

// ReadFile reads a test file whole, decompressed when its name ends in
// .gz; an error fails the test.
func ReadFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if data, err = io.ReadAll(zr); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	return data
}
