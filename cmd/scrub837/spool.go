package main

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/scrub837/scrub837/scrubber"
	"github.com/scrub837/scrub837/scrubber/finding"
)

// findingSpool keeps the findings of scrubbed files on disk, so that a
// run's memory does not grow with its findings. A file's findings go in as
// sorted runs: while it is scrubbed (spoolRunFindings at a time, from the
// scrubber's finding sink) and when it is done (the rest), then the
// cross-claim findings Finish hands to the same sink. The reports read
// them back file by file, the runs merged with each other and with any
// findings a result still holds.
type findingSpool struct {
	mu   sync.Mutex
	f    *os.File
	size int64
	runs [][]spoolBlock // by input index
	err  error          // the first write error: the run cannot report
	// counts of the spooled findings: the run's, for the summary (a file's
	// join them when it is done), and each file's so far
	bySeverity map[string]int
	byRule     map[string]int
	n          int
	perFile    []findingCounts
	done       []bool // put: the file's counts are in the run's
}

type spoolBlock struct {
	off, size int64
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

// maxSpoolRecord bounds one spooled finding (its messages and values are a
// few hundred bytes): a longer length can only come from a corrupt spool.
const maxSpoolRecord = 16 << 20

// newFindingSpool makes a spool for inputs files in dir ("" for the
// system's temporary folder). The file is unlinked at once where the system
// allows it, so nothing is left behind even if the run is killed.
func newFindingSpool(dir string, inputs int) (*findingSpool, error) {
	f, err := os.CreateTemp(dir, "scrub837-findings-*")
	if err != nil {
		return nil, fmt.Errorf("cannot create the findings spool: %w", err)
	}
	os.Remove(f.Name()) // Unix: gone from the folder, still ours to use
	return &findingSpool{f: f, runs: make([][]spoolBlock, inputs), perFile: make([]findingCounts, inputs), done: make([]bool, inputs),
		bySeverity: map[string]int{}, byRule: map[string]int{}}, nil
}

// putRun adds a sorted run of input index's findings. It is the scrubber's
// finding sink: it may be called from several goroutines, and does not
// keep run.
func (sp *findingSpool) putRun(index int, run []finding.Finding) {
	if len(run) == 0 {
		return
	}
	var buf, rec []byte
	for i := range run {
		rec = finding.Append(rec[:0], &run[i])
		buf = binary.AppendUvarint(buf, uint64(len(rec)))
		buf = append(buf, rec...)
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
	if sp.err != nil {
		return
	}
	if _, err := sp.f.WriteAt(buf, sp.size); err != nil {
		sp.err = fmt.Errorf("cannot write the findings spool: %w", err)
		return
	}
	sp.runs[index] = append(sp.runs[index], spoolBlock{off: sp.size, size: int64(len(buf))})
	sp.size += int64(len(buf))
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
	sp.runs[index] = nil
}

func (sp *findingSpool) close() error {
	name := sp.f.Name()
	err := sp.f.Close()
	os.Remove(name) // where the early unlink was not allowed; harmless otherwise
	return err
}

// spoolSource gives the report's findings: each file's spooled runs merged
// with the findings its result still holds (those Finish added).
type spoolSource struct {
	sp      *findingSpool
	results []*scrubber.FileResult
	n       int
}

func (s spoolSource) Len() int { return s.n }

// Each may run on several goroutines at once: it only reads the spool.
func (s spoolSource) Each(fn func(*finding.Finding) error) error {
	for i, res := range s.results {
		if err := s.eachOfFile(i, res.Findings, fn); err != nil {
			return err
		}
	}
	return nil
}

// eachOfFile calls fn for input i's spooled runs and late findings (sorted),
// merged in report order.
func (s spoolSource) eachOfFile(i int, late []finding.Finding, fn func(*finding.Finding) error) error {
	runs := s.sp.runs[i]
	readers := make([]*runReader, 0, len(runs))
	for _, blk := range runs {
		rr := &runReader{r: bufio.NewReaderSize(io.NewSectionReader(s.sp.f, blk.off, blk.size), 32<<10)}
		if err := rr.advance(); err != nil {
			return err
		}
		if rr.ok {
			readers = append(readers, rr)
		}
	}
	for {
		// The next finding: the least of the runs' heads and late's;
		// on a tie the earlier run, then the spool before late.
		var best *finding.Finding
		from := -1
		for k, rr := range readers {
			if rr.ok && (best == nil || finding.Less(&rr.next, best)) {
				best, from = &rr.next, k
			}
		}
		if len(late) > 0 && (best == nil || finding.Less(&late[0], best)) {
			best, from = &late[0], -1
		}
		if best == nil {
			return nil
		}
		if err := fn(best); err != nil {
			return err
		}
		if from < 0 {
			late = late[1:]
		} else if err := readers[from].advance(); err != nil {
			return err
		}
	}
}

var errSpoolCorrupt = errors.New("the findings spool is cut short or corrupt")

// runReader streams one spooled run: length-prefixed encoded findings.
type runReader struct {
	r    *bufio.Reader
	buf  []byte
	next finding.Finding
	ok   bool // next holds a finding
}

func (rr *runReader) advance() error {
	n, err := binary.ReadUvarint(rr.r)
	if err == io.EOF {
		rr.ok = false
		return nil
	}
	if err != nil || n > maxSpoolRecord {
		return fmt.Errorf("cannot read the findings spool: %w", errSpoolCorrupt)
	}
	if uint64(cap(rr.buf)) < n {
		rr.buf = make([]byte, n)
	}
	rr.buf = rr.buf[:n]
	if _, err := io.ReadFull(rr.r, rr.buf); err != nil {
		return fmt.Errorf("cannot read the findings spool: %w", err)
	}
	f, rest, err := finding.Read(rr.buf)
	if err != nil || len(rest) != 0 {
		return fmt.Errorf("cannot read the findings spool: %w", errSpoolCorrupt)
	}
	rr.next, rr.ok = f, true
	return nil
}
