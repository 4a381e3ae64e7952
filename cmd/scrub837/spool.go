package main

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/scrub837/scrub837/scrubber"
)

// findingSpool keeps the findings of scrubbed files on disk, so that a
// run's memory does not grow with its findings. Each file's findings go in
// as one block, in report order, as soon as the file is scrubbed; the
// reports read them back file by file, merged with the cross-claim findings
// that Finish adds afterwards.
type findingSpool struct {
	mu     sync.Mutex
	f      *os.File
	size   int64
	blocks []spoolBlock // by input index
	err    error        // the first write error: the run cannot report
	// counts of the spooled findings, for the summary
	bySeverity map[string]int
	byRule     map[string]int
	n          int
}

type spoolBlock struct {
	off, size int64
}

// newFindingSpool makes a spool for inputs files in dir ("" for the
// system's temporary folder). The file is unlinked at once where the system
// allows it, so nothing is left behind even if the run is killed.
func newFindingSpool(dir string, inputs int) (*findingSpool, error) {
	f, err := os.CreateTemp(dir, "scrub837-findings-*")
	if err != nil {
		return nil, fmt.Errorf("cannot create the findings spool: %w", err)
	}
	os.Remove(f.Name()) // Unix: gone from the folder, still ours to use
	return &findingSpool{f: f, blocks: make([]spoolBlock, inputs), bySeverity: map[string]int{}, byRule: map[string]int{}}, nil
}

// put moves res's findings into the spool (res.Findings is nil afterwards).
func (sp *findingSpool) put(index int, res *scrubber.FileResult) {
	var buf []byte
	for i := range res.Findings {
		buf = scrubber.AppendFinding(buf, &res.Findings[i])
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	for i := range res.Findings {
		f := &res.Findings[i]
		sp.bySeverity[f.Severity.String()]++
		sp.byRule[f.RuleID]++
	}
	sp.n += len(res.Findings)
	res.Findings = nil
	if sp.err != nil || len(buf) == 0 {
		return
	}
	if _, err := sp.f.WriteAt(buf, sp.size); err != nil {
		sp.err = fmt.Errorf("cannot write the findings spool: %w", err)
		return
	}
	sp.blocks[index] = spoolBlock{off: sp.size, size: int64(len(buf))}
	sp.size += int64(len(buf))
}

func (sp *findingSpool) close() error {
	name := sp.f.Name()
	err := sp.f.Close()
	os.Remove(name) // where the early unlink was not allowed; harmless otherwise
	return err
}

// spoolSource gives the report's findings: each file's spooled block merged
// with the findings its result still holds (those Finish added).
type spoolSource struct {
	sp      *findingSpool
	results []*scrubber.FileResult
	n       int
}

func (s spoolSource) Len() int { return s.n }

func (s spoolSource) Each(fn func(*scrubber.Finding) error) error {
	var buf []byte
	for i, res := range s.results {
		blk := s.sp.blocks[i]
		if int64(cap(buf)) < blk.size {
			buf = make([]byte, blk.size)
		}
		buf = buf[:blk.size]
		if _, err := s.sp.f.ReadAt(buf, blk.off); err != nil && err != io.EOF {
			return fmt.Errorf("cannot read the findings spool: %w", err)
		}
		if err := mergeFindings(buf, res.Findings, fn); err != nil {
			return err
		}
	}
	return nil
}

// mergeFindings calls fn for the spooled findings of one file (encoded in
// block) and late (the ones Finish added, sorted), in report order.
func mergeFindings(block []byte, late []scrubber.Finding, fn func(*scrubber.Finding) error) error {
	var next scrubber.Finding
	have := false
	for {
		if !have && len(block) > 0 {
			var err error
			if next, block, err = scrubber.ReadFinding(block); err != nil {
				return err
			}
			have = true
		}
		var err error
		switch {
		case have && (len(late) == 0 || !scrubber.FindingLess(&late[0], &next)):
			have = false
			err = fn(&next)
		case len(late) > 0:
			err = fn(&late[0])
			late = late[1:]
		default:
			return nil
		}
		if err != nil {
			return err
		}
	}
}
