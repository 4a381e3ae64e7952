// Package scrubber is the rule engine: it reads an input's 837P claims
// (package claim), checks every claim that bills the rule pack's procedure
// (0620T by default; package pack) with the rules of the catalogue
// (package rules; the contract is scrubber/RULES.md), and returns findings
// (package finding). It knows nothing of report formats or the command
// line.
//
// Use: build one Scrubber for a run (defer its Close), call Scrub for each
// input (from as many goroutines as you like), then Finish once with every
// FileResult in input order to run the cross-claim rules. Findings in each
// FileResult are then in report order.
//
// The cross-claim rules need the target and related-code lines of the whole
// run. The Scrubber keeps them in memory on small runs and spills them to
// temporary files on large ones, so memory does not grow with the input;
// Finish and Close remove the files.
package scrubber

import (
	"io"
	"sync/atomic"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/codedata"
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/x12io"
)

// Scrubber checks files against one rule pack. Scrub is safe for
// concurrent use: per-file state lives in each Scrub call, and the
// cross-claim index they share is locked.
type Scrubber struct {
	pack *pack.Pack
	o    Options

	// cross holds the cross-claim index entries of every Scrub since the
	// last Finish, in memory or spilled to disk.
	cross *crossStore
	// scrubs numbers the Scrub calls (FileResult.scrub).
	scrubs atomic.Uint32
}

// Options tune a Scrubber; the zero value keeps everything in memory and
// on the calling goroutine. Reports are the same whatever they say.
type Options struct {
	// TempDir is the folder where a large run's cross-claim index is
	// spilled, in files unlinked as soon as they are open (nothing is left
	// there even if the process is killed; Finish and Close free their
	// space). "" is os.TempDir().
	TempDir string
	// Overlap makes each Scrub read its file's claims on a goroutine of its
	// own while it checks them: worth it when there are more CPUs than
	// files being scrubbed at once, a cost (copying the claims) when there
	// are not.
	Overlap bool
	// FindingSink, when set, takes each Scrub's findings as it goes, in
	// runs of at least SinkEvery findings, each run sorted (finding.Sort),
	// instead of keeping them all until it returns: the memory of one
	// large file then does not grow with its findings. index is the
	// Scrub's index. The runs of one file may overlap in report order, so
	// a reader merges them with the findings the result still holds when
	// Scrub returns (the last ones). Finish hands its cross-claim findings
	// to the sink too, in runs per file after that file's own (a file's
	// last one may be shorter). The sink must not keep run; Scrubs of
	// several files call it at once.
	FindingSink func(index int, run []finding.Finding)
	SinkEvery   int
	// ClaimSink, when set, takes a summary of each target claim (a claim
	// with a line that bills the pack's procedure), in runs: the runs of
	// one Scrub come in input order (CLM byte offset), none after Scrub
	// returns; index is the Scrub's index. A summary says nothing of the
	// claim's status, which its findings decide (cross-claim ones too,
	// which Finish adds later). The sink must not keep run; Scrubs of
	// several files call it at once.
	ClaimSink func(index int, run []finding.ClaimSummary)

	// Data are the public data files (--data): with them the rules of
	// scrubber/RULES.md "Payers' edits from the public data files" run, and
	// where a file speaks for a code on a date it replaces the pack entries
	// that say the same (bundled pairs, max_units, min_length, the shape of
	// a diagnosis). nil: no data files, nothing changes.
	Data *codedata.Set
}

// New returns a Scrubber for pack p.
func New(p *pack.Pack, o Options) *Scrubber {
	o.SinkEvery = max(1, o.SinkEvery)
	s := &Scrubber{pack: p, o: o, cross: newCrossStore(o.TempDir)}
	s.cross.data = o.Data
	return s
}

// Close drops the cross-claim index of any Scrub not yet finished and
// closes its temporary files. Finish closes them too; Close is for runs
// that end without one (defer it after New). The Scrubber can still be
// used after Close, and Close can be called again. It returns nil: the
// error is for callers that treat every Close alike.
func (s *Scrubber) Close() error {
	s.cross.mu.Lock()
	defer s.cross.mu.Unlock()
	s.cross.reset()
	return nil
}

// Status is what became of a file.
type Status string

// File statuses, as reports show them.
const (
	StatusOK      Status = "ok"      // read to its end (it may still have findings)
	StatusFailed  Status = "failed"  // could not be read to its end: unreadable, not X12, or truncated
	StatusSkipped Status = "skipped" // read, but held no 837P transaction
)

// TargetTally counts target claims (claims that bill the pack's procedure)
// of one payer group: all of them, the clean ones (no finding at warning or
// above) and the held ones (an error finding).
type TargetTally struct {
	Claims, Clean, Held int
}

// FileResult is what one input gave.
type FileResult struct {
	Index  int
	Name   string
	Bytes  int64 // X12 bytes read (after decompression)
	Status Status
	Error  string // why the file failed, when it did

	Interchanges        int
	Transactions        int // every ST read
	TransactionsSkipped int // not 837P (X12-NOT-837P)
	Claims              int // every CLM read
	ServiceLines        int // every LX read in 837P transactions
	TargetLines         int
	TargetClaims        int                    // claims with a target line
	Targets             map[string]TargetTally // TargetClaims by payer group

	// Findings in report order: byte offset, then rule ID. With a finding
	// sink (Options.FindingSink), only those not handed over yet.
	Findings []finding.Finding

	// scrub is the serial of the Scrub call that gave the result (0 when
	// none did): its cross-claim index entries in the Scrubber carry it.
	scrub uint32
}

// Scrub reads one input to its end and checks it. name is how reports name
// the file; index is its place in the run (findings sort by it).
func (s *Scrubber) Scrub(index int, name string, r io.Reader) *FileResult {
	res := &FileResult{Index: index, Name: name, Status: StatusOK, scrub: s.scrubs.Add(1)}
	f := &fileScrub{s: s, res: res}
	o := claim.Options{File: name, FileIndex: index, Concurrent: s.o.Overlap}
	if s.pack != nil {
		o.Procedure, o.Related, o.PayerGroup = s.pack.Procedure, f.related, f.payerGroup
	}
	cr := claim.NewReader(x12io.NewReader(r), o)
	defer cr.Close() // on a panic too: a concurrent walk must not be left waiting
	for {
		c, err := cr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			f.problem(err.(*claim.Error))
			continue
		}
		f.check(c)
	}
	f.handOverClaims()
	n := cr.Counts()
	res.Interchanges, res.Transactions, res.TransactionsSkipped = n.Interchanges, n.Transactions, n.TransactionsSkipped
	res.Claims, res.ServiceLines, res.TargetLines, res.Bytes = n.Claims, n.ServiceLines, n.TargetLines, n.Bytes
	if res.Status == StatusOK && !n.Professional {
		res.Status = StatusSkipped
	}
	finding.Sort(res.Findings)
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
// re-sorts those; with a finding sink (Options.FindingSink) it hands them to
// the sink instead, in sorted runs per file. No Scrub may run during
// Finish.
//
// Finish consumes the cross-claim index of every Scrub since the previous
// Finish (lines of Scrub results not in results are ignored) and removes
// its temporary files; the Scrubber can then be used for another run. It
// returns an error, and adds no cross-claim finding to results, when the
// index could not be spilled to disk or read back (a sink may have had
// some: such a run has no complete findings to report).
func (s *Scrubber) Finish(results []*FileResult) error {
	byIndex := make(map[int]*FileResult, len(results))
	scrubs := make(map[uint32]bool, len(results))
	for _, res := range results {
		if res == nil {
			continue
		}
		byIndex[res.Index] = res
		if res.scrub != 0 {
			scrubs[res.scrub] = true
		}
	}
	keep := func(e *crossEntry) bool { return scrubs[e.scrub] }
	moves := crossMoves{}
	if s.o.FindingSink == nil {
		found, err := s.cross.findings(s.pack, keep)
		if err != nil {
			return err
		}
		for _, f := range found {
			if res := byIndex[f.FileIndex]; res != nil { // nil: not one of results, cannot happen with a complete run
				res.Findings = append(res.Findings, f.Finding)
				moves.add(&f)
			}
		}
	} else {
		// The findings go to the sink in sorted runs per file of at least
		// SinkEvery, as Scrub's do: memory does not grow with them.
		var buf []finding.Finding
		flush := func() {
			pending := buf
			finding.Sort(pending)
			for len(pending) > 0 {
				n := 1
				for n < len(pending) && pending[n].FileIndex == pending[0].FileIndex {
					n++
				}
				if byIndex[pending[0].FileIndex] != nil {
					s.o.FindingSink(pending[0].FileIndex, pending[:n])
				}
				pending = pending[n:]
			}
			clear(buf) // the strings are the sink's business now
			buf = buf[:0]
		}
		err := s.cross.eachFindings(s.pack, keep, func(fs []crossFound) {
			for i := range fs {
				if byIndex[fs[i].FileIndex] != nil {
					moves.add(&fs[i])
				}
				buf = append(buf, fs[i].Finding)
			}
			if len(buf) >= s.o.SinkEvery {
				flush()
			}
		})
		if err != nil {
			return err
		}
		flush()
	}
	moves.apply(byIndex)
	for _, res := range results {
		if res != nil {
			finding.Sort(res.Findings)
		}
	}
	return nil
}

// crossMoves count the target claims whose tally their cross-claim
// findings move, when they make the claim worse: from clean to held, say.
// Each claim moves once, to its worst: the matcher marks the last of a
// claim's findings with their worst (crossFound.claimCross), so the counts
// need no set of the claims, whose number can be a run's.
type crossMoves map[crossMoveKey]int

type crossMoveKey struct {
	file        int
	group       string
	before, now finding.Severity
}

func (m crossMoves) add(f *crossFound) {
	if !f.target || f.claimCross <= f.claimWorst {
		return
	}
	m[crossMoveKey{f.FileIndex, f.PayerGroup, f.claimWorst, f.claimCross}]++
}

func (m crossMoves) apply(byIndex map[int]*FileResult) {
	for k, n := range m { // order does not matter: counts only
		res := byIndex[k.file]
		res.tally(k.group, k.before, -n)
		res.tally(k.group, k.now, +n)
	}
}

// tally counts a target claim of payer group whose worst finding is worst
// (n is +1, or -1 to take one back).
func (r *FileResult) tally(group string, worst finding.Severity, n int) {
	t := TargetTally{Claims: n}
	if worst < finding.Warning {
		t.Clean = n
	}
	if worst >= finding.Error {
		t.Held = n
	}
	r.addTally(group, t)
}

// addTally adds t to payer group's tally.
func (r *FileResult) addTally(group string, t TargetTally) {
	if r.Targets == nil {
		r.Targets = map[string]TargetTally{}
	}
	sum := r.Targets[group]
	sum.Claims += t.Claims
	sum.Clean += t.Clean
	sum.Held += t.Held
	r.Targets[group] = sum
}
