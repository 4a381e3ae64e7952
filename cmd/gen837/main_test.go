package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRun: the command writes the files and the manifest; --gzip gives the
// same X12 compressed; bad flags exit 2.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	var stderr bytes.Buffer
	args := []string{"--claims", "800", "--files", "2", "--seed", "3", "--defect-rate", "0.5",
		"--newline", "--delimiters", "|^>~", "--out", filepath.Join(dir, "plain"), "--manifest", filepath.Join(dir, "m.json"), "-q"}
	if rc := run(args, &stderr); rc != 0 {
		t.Fatalf("exit %d: %s", rc, stderr.String())
	}
	gzArgs := append([]string{"--gzip"}, args...)
	gzArgs[len(gzArgs)-4] = filepath.Join(dir, "gz")
	gzArgs[len(gzArgs)-2] = filepath.Join(dir, "m2.json")
	if rc := run(gzArgs, &stderr); rc != 0 {
		t.Fatalf("exit %d: %s", rc, stderr.String())
	}
	for _, name := range []string{"drop-0001.837", "drop-0002.837"} {
		plain, err := os.ReadFile(filepath.Join(dir, "plain", name))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(plain), "ISA|00|") || !strings.Contains(string(plain), "~\nGS|HC|") {
			t.Errorf("%s does not start with an ISA using the delimiters and newlines: %.120q", name, plain)
		}
		f, err := os.Open(filepath.Join(dir, "gz", name+".gz"))
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		unzipped, err := io.ReadAll(zr)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(plain, unzipped) {
			t.Errorf("%s: the gzipped file holds other bytes", name)
		}
	}
	var m Manifest
	data, err := os.ReadFile(filepath.Join(dir, "m.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if m.Totals.Claims != 800 || len(m.Claims) == 0 || len(m.Files) != 2 {
		t.Errorf("manifest: %d claims, %d planted, %d files", m.Totals.Claims, len(m.Claims), len(m.Files))
	}
	if m.Files[0].Name != "drop-0001.837" {
		t.Errorf("manifest names file 1 %q", m.Files[0].Name)
	}
	data2, err := os.ReadFile(filepath.Join(dir, "m2.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.ReplaceAll(string(data), `.837"`, `.837.gz"`)
	if string(data2) != want {
		t.Error("the manifest depends on --gzip (other than the file names)")
	}

	for _, bad := range [][]string{
		{"--claims", "10", "--size", "1MB"},
		{"--size", "lots"},
		{"--delimiters", "**:~"},
		{"--files", "0"},
		{"--target-share", "2"},
		{"stray"},
	} {
		stderr.Reset()
		if rc := run(append(bad, "--out", dir), &stderr); rc != 2 {
			t.Errorf("%v: exit %d, want 2", bad, rc)
		}
	}
}
