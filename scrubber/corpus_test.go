package scrubber

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/scrub837/scrub837/x12io/x12test"
)

// corpusDir holds real X12 files written by others; MANIFEST.tsv describes
// each (counts made by a simple analyser, not by this reader).
const corpusDir = "../testdata/corpus"

// TestCorpus scrubs every corpus file: none may panic; claim and
// transaction counts match the manifest; non-837P transactions say so.
func TestCorpus(t *testing.T) {
	rows := x12test.Manifest(t, corpusDir)
	s := New(testPack(t), Options{})
	for i, row := range rows {
		path := row["saved_path"]
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(corpusDir, path))
			if err != nil {
				t.Fatal(err)
			}
			res := s.Scrub(i, path, strings.NewReader(string(data)))
			nCLM, _ := strconv.Atoi(row["n_clm"])
			nST, _ := strconv.Atoi(row["n_st"])
			if row["n_isa"] == "0" {
				// The file starts at GS: not X12 as sent.
				if res.Status != StatusFailed || len(only(res.Findings, "FILE-UNREADABLE")) != 1 {
					t.Fatalf("a file without ISA must fail as unreadable: status %s findings %+v", res.Status, structureFindings(res.Findings))
				}
				return
			}
			// Files the manifest saw cut short (missing trailers at the end)
			// fail as truncated, after being scrubbed; no other file fails.
			truncated := strings.Contains(row["defects"], "truncated")
			if truncated != (res.Status == StatusFailed) {
				t.Fatalf("status %s (%s); manifest defects %q", res.Status, res.Error, row["defects"])
			}
			if truncated && !strings.HasPrefix(res.Error, "truncated: ") {
				t.Fatalf("a cut-short file must fail as truncated: %s", res.Error)
			}
			// n_clm counts CLM segments, as Claims does (every CLM read,
			// in 837P transactions or not): they agree on every readable
			// corpus file. The manifest counts the no-ISA file too, but a
			// file without ISA is not read at all (above).
			if res.Claims != nCLM {
				t.Errorf("claims = %d, manifest n_clm = %d", res.Claims, nCLM)
			}
			if res.Transactions != nST {
				t.Errorf("transactions = %d, manifest n_st = %d", res.Transactions, nST)
			}
			is837P := row["st01"] == "837" && strings.HasPrefix(row["gs08"], "005010X222")
			skipped := len(only(res.Findings, "X12-NOT-837P"))
			switch {
			case nST > 0 && !is837P && skipped == 0:
				t.Errorf("a %s (%s) file gave no X12-NOT-837P", row["kind"], row["gs08"])
			case is837P && skipped > 0:
				t.Errorf("an 837P file was skipped: %+v", only(res.Findings, "X12-NOT-837P"))
			}
			if skipped != res.TransactionsSkipped {
				t.Errorf("%d X12-NOT-837P findings for %d skipped transactions", skipped, res.TransactionsSkipped)
			}
			wantStatus := StatusOK
			switch {
			case truncated:
				wantStatus = StatusFailed
			case res.TransactionsSkipped == res.Transactions:
				wantStatus = StatusSkipped
			}
			if res.Status != wantStatus {
				t.Errorf("status %s, want %s", res.Status, wantStatus)
			}
			for _, f := range res.Findings {
				if f.File != path || f.ByteOffset < 0 || f.ByteOffset > int64(len(data)) || f.Message == "" || f.Suggestion == "" {
					t.Errorf("bad finding %+v", f)
				}
			}
		})
	}
}
