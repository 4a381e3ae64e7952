// Package scrubber reads 837P claims from X12 segments, checks every claim
// that bills the rule pack's procedure (0620T by default) against the pack,
// and returns findings. It knows nothing of report formats or the command
// line.
//
// Use: build one Scrubber for a run, call Scrub for each input (from as many
// goroutines as you like), then Finish once with every FileResult in input
// order to run the cross-claim rules. Findings in each FileResult are then
// in report order.
package scrubber

import (
	"io"
	"sort"

	"github.com/scrub837/scrub837/x12io"
)

// Scrubber checks files against one rule pack. It is safe for concurrent
// use: per-file state lives in each Scrub call.
type Scrubber struct {
	pack *Pack
	// onClaim, when set (tests), is handed every claim the walker
	// materializes: target claims and claims with related-code lines.
	onClaim func(*Claim)
}

// New returns a Scrubber for pack.
func New(pack *Pack) *Scrubber { return &Scrubber{pack: pack} }

// Pack is the rule pack the Scrubber applies.
func (s *Scrubber) Pack() *Pack { return s.pack }

// File status values.
const (
	StatusOK      = "ok"      // read to its end (it may still have findings)
	StatusFailed  = "failed"  // could not be read to its end: unreadable, not X12, or truncated
	StatusSkipped = "skipped" // read, but held no 837P transaction
)

// TargetClaim is what the run summary needs of a claim that bills the
// pack's procedure.
type TargetClaim struct {
	Offset     int64 // of its CLM segment
	ID         string
	PayerGroup string
	Worst      Severity // most severe finding on the claim; 0 when none
}

// FileResult is what one input gave.
type FileResult struct {
	Index  int
	Name   string
	Bytes  int64 // X12 bytes read (after decompression)
	Status string
	Error  string // why the file failed, when it did

	Interchanges        int
	Transactions        int // every ST read
	TransactionsSkipped int // not 837P (X12-NOT-837P)
	Claims              int // every CLM read
	ServiceLines        int // every LX read in 837P transactions
	TargetLines         int
	TargetClaims        []TargetClaim

	// Findings in report order: byte offset, then rule ID.
	Findings []Finding

	cross crossIndex // what the cross-claim rules need of this file
}

// Scrub reads one input to its end and checks it. name is how reports name
// the file; index is its place in the run (findings sort by it).
func (s *Scrubber) Scrub(index int, name string, r io.Reader) *FileResult {
	res := &FileResult{Index: index, Name: name, Status: StatusOK}
	w := newWalker(s, res)
	w.run(x12io.NewReader(r))
	SortFindings(res.Findings)
	return res
}

// Unreadable records a file that could not be opened or decompressed at all.
func (s *Scrubber) Unreadable(index int, name string, err error) *FileResult {
	res := &FileResult{Index: index, Name: name, Status: StatusFailed, Error: err.Error()}
	res.Findings = append(res.Findings, unreadableFinding(index, name, err))
	return res
}

// Finish runs the cross-claim rules (BUNDLE-CROSS-CLAIM, LINE-DUPLICATE
// across claims) over results, which must be every result of the run in
// input order. It adds their findings to the results they belong to and
// re-sorts those.
func (s *Scrubber) Finish(results []*FileResult) {
	files := make([]*crossIndex, 0, len(results))
	byIndex := make(map[int]*FileResult, len(results))
	for _, res := range results {
		if res == nil {
			continue
		}
		files = append(files, &res.cross)
		byIndex[res.Index] = res
	}
	for _, f := range crossClaimFindings(s.pack, files) {
		res := byIndex[f.FileIndex]
		if res == nil {
			continue // not one of results: cannot happen with a complete run
		}
		res.Findings = append(res.Findings, f)
		if f.ClaimOffset == 0 {
			continue
		}
		// TargetClaims are in file order, so by ascending offset.
		tc := res.TargetClaims
		i := sort.Search(len(tc), func(i int) bool { return tc[i].Offset >= f.ClaimOffset })
		if i < len(tc) && tc[i].Offset == f.ClaimOffset && f.Severity > tc[i].Worst {
			tc[i].Worst = f.Severity
		}
	}
	for _, res := range results {
		if res != nil {
			SortFindings(res.Findings)
		}
	}
}

// SortFindings puts findings in report order: file, byte offset, rule ID,
// then the rest of the row, so equal inputs always sort the same.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := &fs[i], &fs[j]
		if a.FileIndex != b.FileIndex {
			return a.FileIndex < b.FileIndex
		}
		if a.ByteOffset != b.ByteOffset {
			return a.ByteOffset < b.ByteOffset
		}
		if a.RuleID != b.RuleID {
			return a.RuleID < b.RuleID
		}
		if a.LineNumber != b.LineNumber {
			return a.LineNumber < b.LineNumber
		}
		return a.Message < b.Message
	})
}
