package x12io

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/scrub837/scrub837/x12io/x12test"
)

// corpusDir holds real X12 files written by others (see its MANIFEST.tsv).
const corpusDir = "../testdata/corpus"

// countSegmentsIndependently splits the raw bytes by the terminator the
// manifest names, without the reader's code: line breaks are dropped unless
// they are the terminator, and blank pieces are not segments.
func countSegmentsIndependently(data []byte, term string) int {
	var t byte
	switch term {
	case `\n`:
		t = '\n'
	default:
		t = term[0]
		data = bytes.ReplaceAll(data, []byte("\r"), nil)
		data = bytes.ReplaceAll(data, []byte("\n"), nil)
	}
	n := 0
	for _, piece := range bytes.Split(data, []byte{t}) {
		if len(bytes.TrimSpace(bytes.TrimPrefix(piece, utf8BOM))) > 0 {
			n++
		}
	}
	return n
}

func TestCorpusReadsToTheEnd(t *testing.T) {
	rows := x12test.Manifest(t, corpusDir)
	for _, row := range rows {
		path := row["saved_path"]
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(corpusDir, path))
			if err != nil {
				t.Fatal(err)
			}
			r := NewReader(bytes.NewReader(data))
			segments := 0
			var fatal *Error
			for {
				seg, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					var e *Error
					if !errors.As(err, &e) {
						t.Fatalf("untyped error %v", err)
					}
					if e.Fatal {
						fatal = e
						break
					}
					if e.Offset < 0 || e.Offset > int64(len(data)) {
						t.Fatalf("error offset %d outside the file: %v", e.Offset, e)
					}
					continue
				}
				if seg.Offset < 0 || seg.Offset >= int64(len(data)) {
					t.Fatalf("segment offset %d outside the file", seg.Offset)
				}
				segments++
			}
			if row["n_isa"] == "0" {
				// The only such file starts at GS: it must fail clearly.
				if fatal == nil || fatal.Kind != KindNotX12 {
					t.Fatalf("a file without ISA must fail as not X12, got %v", fatal)
				}
				return
			}
			if fatal != nil {
				t.Fatalf("fatal error on a readable file: %v", fatal)
			}
			if want := countSegmentsIndependently(data, row["segment_terminator"]); segments != want {
				t.Errorf("segments = %d, independent count = %d", segments, want)
			}
			if want, _ := strconv.Atoi(row["n_st"]); r.Counts().Transactions != want {
				t.Errorf("transactions = %d, manifest n_st = %d", r.Counts().Transactions, want)
			}
			if want, _ := strconv.Atoi(row["n_isa"]); r.Counts().Interchanges != want {
				t.Errorf("interchanges = %d, manifest n_isa = %d", r.Counts().Interchanges, want)
			}
		})
	}
}

// TestCorpusEnvelopeFindingsMatchManifest checks SE01 problems the manifest
// records against what the reader reports.
func TestCorpusEnvelopeFindingsMatchManifest(t *testing.T) {
	for _, row := range x12test.Manifest(t, corpusDir) {
		if row["n_isa"] == "0" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(corpusDir, row["saved_path"]))
		if err != nil {
			t.Fatal(err)
		}
		r := NewReader(bytes.NewReader(data))
		se01 := 0
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			var e *Error
			if errors.As(err, &e) {
				if e.Fatal {
					break
				}
				if e.Kind == KindCountMismatch && strings.HasPrefix(e.Message, "SE01") {
					se01++
				}
			}
		}
		manifestSaysOK := row["se01_check"] == "ok"
		if manifestSaysOK != (se01 == 0) && !strings.Contains(row["se01_check"], "has no SE") && row["se01_check"] != "no ST" {
			t.Errorf("%s: reader found %d SE01 problems, manifest says %q", row["saved_path"], se01, row["se01_check"])
		}
	}
}
