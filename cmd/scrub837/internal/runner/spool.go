package runner

import (
	"context"
	"fmt"
	"io"
	"maps"
	"sync"

	"github.com/scrub837/scrub837/scrubber"
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/spill"
)

// findingSpool keeps the findings of scrubbed files on disk, so that a
// run's memory does not grow with its findings. A file's findings go in as
// sorted runs: while it is scrubbed (spoolRunFindings at a time, from the
// scrubber's finding sink) and when it is done (the rest), then the
// cross-claim findings Finish hands to the same sink. The reports read
// them back file by file, the runs merged with each other and with any
// findings a result still holds.
//
// When the spool file cannot be created or written (the temporary folder
// is full, a file-size limit), the spool keeps the runs that follow in
// memory instead: the reports lose nothing, the run's memory grows with
// its findings, and the run says so (degraded).
type findingSpool struct {
	mu   sync.Mutex
	f    *spill.File    // nil: it could not be created
	runs [][]spoolBlock // by input index
	err  error          // why the spool keeps runs in memory
	rec  []byte         // encoding scratch
	// counts of the spooled findings: the run's, for the summary (a file's
	// join them when it is done), and each file's so far
	bySeverity map[string]int
	byRule     map[string]int
	n          int
	inMemory   int // of n, the findings kept in memory
	perFile    []findingCounts
	done       []bool // put: the file's counts are in the run's
}

// spoolBlock is one run: the size bytes at off in the spool file, or,
// when the file could not take it, its encoded findings in memory.
type spoolBlock struct {
	off, size int64
	mem       [][]byte
}

// findingCounts are a file's findings: in all, by severity (for its log
// event) and by rule.
type findingCounts struct {
	n      int
	bySev  [finding.Error + 1]int
	byRule map[string]int
}

func (c *findingCounts) add(fs []finding.Finding) {
	c.n += len(fs)
	if c.byRule == nil {
		c.byRule = map[string]int{}
	}
	for i := range fs {
		if s := fs[i].Severity; s >= 0 && int(s) < len(c.bySev) {
			c.bySev[s]++
		}
		c.byRule[fs[i].RuleID]++
	}
}

// spoolRunFindings is how many findings a file keeps in memory before they
// go to the spool as a run (a variable: tests make it small).
var spoolRunFindings = 4096

// newFindingSpool makes a spool for inputs files in dir ("" for the
// system's temporary folder). The file is unlinked at once where the system
// allows it, so nothing is left behind even if the run is killed. When the
// file cannot be created the spool keeps every run in memory (degraded).
func newFindingSpool(dir string, inputs int) *findingSpool {
	sp := &findingSpool{runs: make([][]spoolBlock, inputs), perFile: make([]findingCounts, inputs), done: make([]bool, inputs),
		bySeverity: map[string]int{}, byRule: map[string]int{}}
	f, err := spill.Create(dir, "scrub837-findings-", 32<<10)
	if err != nil {
		sp.err = fmt.Errorf("cannot create the findings spool: %w", err)
	} else {
		sp.f = f
	}
	return sp
}

// degraded returns how many findings the spool keeps in memory, and why;
// nil when it keeps them all on disk.
func (sp *findingSpool) degraded() (inMemory int, err error) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	return sp.inMemory, sp.err
}

// putRun adds a sorted run of input index's findings. It is the scrubber's
// finding sink: it may be called from several goroutines, and does not
// keep run.
func (sp *findingSpool) putRun(index int, run []finding.Finding) {
	if len(run) == 0 {
		return
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.done[index] {
		// Finish's cross-claim findings, after the file was put.
		var c findingCounts
		c.add(run)
		sp.addToRun(c)
	} else {
		sp.perFile[index].add(run)
	}
	if blk, ok := sp.write(run); ok {
		sp.runs[index] = append(sp.runs[index], blk)
		return
	}
	mem := make([][]byte, len(run))
	for i := range run {
		mem[i] = finding.Append(nil, &run[i])
	}
	sp.runs[index] = append(sp.runs[index], spoolBlock{mem: mem})
	sp.inMemory += len(run)
}

// write appends run to the spool file and flushes it, so that a block it
// returns is readable whatever happens to the file later. Once a write has
// failed it writes nothing more. Hold sp.mu.
func (sp *findingSpool) write(run []finding.Finding) (spoolBlock, bool) {
	if sp.f == nil || sp.err != nil {
		return spoolBlock{}, false
	}
	off := sp.f.Size()
	for i := range run {
		sp.rec = finding.Append(sp.rec[:0], &run[i])
		if err := sp.f.Append(sp.rec); err != nil {
			sp.err = fmt.Errorf("cannot write the findings spool: %w", err)
			return spoolBlock{}, false
		}
	}
	if err := sp.f.Flush(); err != nil {
		sp.err = fmt.Errorf("cannot write the findings spool: %w", err)
		return spoolBlock{}, false
	}
	return spoolBlock{off: off, size: sp.f.Size() - off}, true
}

// put moves the findings res still holds into the spool as its last run
// (res.Findings is nil afterwards), adds the file's counts to the run's
// and returns them.
func (sp *findingSpool) put(index int, res *scrubber.FileResult) findingCounts {
	sp.putRun(index, res.Findings)
	res.Findings = nil
	sp.mu.Lock()
	defer sp.mu.Unlock()
	c := sp.perFile[index]
	sp.addToRun(c)
	sp.done[index] = true
	return c
}

// addToRun adds c to the run's counts. Hold sp.mu.
func (sp *findingSpool) addToRun(c findingCounts) {
	sp.n += c.n
	for s, k := range c.bySev {
		if k > 0 {
			sp.bySeverity[finding.Severity(s).String()] += k
		}
	}
	for rule, k := range c.byRule {
		sp.byRule[rule] += k
	}
}

// drop forgets what input index spooled so far (its result was replaced:
// a scrubber panic makes the file a failed one, with no other finding).
// Call it before put: the run's counts do not have the file's yet.
func (sp *findingSpool) drop(index int) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	sp.perFile[index] = findingCounts{}
	for _, blk := range sp.runs[index] {
		sp.inMemory -= len(blk.mem)
	}
	sp.runs[index] = nil
}

// spoolMark is the spool at one moment, to go back to (rollback).
type spoolMark struct {
	runs       []int
	n          int
	inMemory   int
	bySeverity map[string]int
	byRule     map[string]int
}

// mark notes what the spool holds now: every file must have been put.
func (sp *findingSpool) mark() spoolMark {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	m := spoolMark{runs: make([]int, len(sp.runs)), n: sp.n, inMemory: sp.inMemory,
		bySeverity: maps.Clone(sp.bySeverity), byRule: maps.Clone(sp.byRule)}
	for i, r := range sp.runs {
		m.runs[i] = len(r)
	}
	return m
}

// rollback forgets the runs put since m (the cross-claim findings of a
// Finish that failed half-way), counts included.
func (sp *findingSpool) rollback(m spoolMark) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	for i := range sp.runs {
		clear(sp.runs[i][m.runs[i]:])
		sp.runs[i] = sp.runs[i][:m.runs[i]]
	}
	sp.n, sp.inMemory, sp.bySeverity, sp.byRule = m.n, m.inMemory, m.bySeverity, m.byRule
}

func (sp *findingSpool) close() error {
	if sp.f == nil {
		return nil
	}
	return sp.f.Close()
}

// spoolSource gives the report's findings: each file's spooled runs merged
// with the findings its result still holds (those Finish added).
type spoolSource struct {
	sp      *findingSpool
	results []*scrubber.FileResult
	n       int
	// ctx, when done, ends Each with its error: a run being stopped stops
	// writing its reports.
	ctx context.Context
}

func (s spoolSource) Len() int { return s.n }

// Each may run on several goroutines at once: it only reads the spool.
func (s spoolSource) Each(fn func(*finding.Finding) error) error {
	if s.ctx != nil {
		inner, seen := fn, 0
		fn = func(f *finding.Finding) error {
			if seen++; seen%1024 == 0 {
				if err := s.ctx.Err(); err != nil {
					return err
				}
			}
			return inner(f)
		}
	}
	secs := s.sp.sections()
	for i, res := range s.results {
		if err := s.sp.eachOfFileIn(secs, i, res.Findings, fn); err != nil {
			return err
		}
	}
	return nil
}

// sections reads the spool file's runs in order through one buffer (a
// file's runs mostly follow the previous file's); nil without a file.
func (sp *findingSpool) sections() *spill.Sections {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.f == nil {
		return nil
	}
	return sp.f.Sections()
}

// eachOfFile calls fn for input i's spooled runs and late findings (sorted),
// merged in report order: on a tie the earlier run, then the spool before
// late.
func (s spoolSource) eachOfFile(i int, late []finding.Finding, fn func(*finding.Finding) error) error {
	return s.sp.eachOfFileIn(nil, i, late, fn)
}

// eachOfFileIn is eachOfFile reading the spool file through secs (nil: a
// read of its own a run).
func (sp *findingSpool) eachOfFileIn(secs *spill.Sections, i int, late []finding.Finding, fn func(*finding.Finding) error) error {
	runs := make([]spill.Run[finding.Finding], 0, len(sp.runs[i])+1)
	for _, blk := range sp.runs[i] {
		switch {
		case blk.mem != nil:
			runs = append(runs, memoryRun(blk.mem))
		case secs != nil:
			runs = append(runs, findingRun(secs.Records(blk.off, blk.size)))
		default:
			runs = append(runs, findingRun(sp.f.Records(blk.off, blk.size)))
		}
	}
	return spill.Merge(append(runs, spill.SliceRun(late)), finding.Less, fn)
}

// findingRun decodes the findings of a spooled run.
func findingRun(r *spill.Reader) spill.Run[finding.Finding] {
	var f finding.Finding
	return func() (*finding.Finding, error) {
		rec, err := r.Next()
		if err == io.EOF {
			return nil, nil
		}
		if err == nil {
			var rest []byte
			f, rest, err = finding.Read(rec)
			if err == nil && len(rest) != 0 {
				err = finding.ErrCorrupt
			}
		}
		if err != nil {
			return nil, fmt.Errorf("cannot read the findings spool: %w", err)
		}
		return &f, nil
	}
}

// memoryRun decodes the findings of a run kept in memory.
func memoryRun(recs [][]byte) spill.Run[finding.Finding] {
	var f finding.Finding
	return func() (*finding.Finding, error) {
		if len(recs) == 0 {
			return nil, nil
		}
		var err error
		f, _, err = finding.Read(recs[0])
		recs = recs[1:]
		if err != nil {
			return nil, fmt.Errorf("reading the findings kept in memory: %w", err)
		}
		return &f, nil
	}
}
