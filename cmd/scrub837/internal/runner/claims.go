package runner

import (
	"fmt"
	"io"
	"sync"

	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/spill"
)

// claimSpool keeps the summaries of the run's target claims on disk (the
// worklist's rows), so that a run's memory does not grow with its claims.
// The scrubber hands each file's summaries over in input order (its claim
// sink); the reports read them back file by file, in the order of the
// inputs.
type claimSpool struct {
	mu     sync.Mutex
	f      *spill.File
	blocks [][]spoolBlock // by input index, in input order
	counts []int          // summaries by input index
	n      int
	err    error // the first write error: the run cannot report
	rec    []byte
}

func newClaimSpool(dir string, inputs int) (*claimSpool, error) {
	f, err := spill.Create(dir, "scrub837-claims-", 32<<10)
	if err != nil {
		return nil, fmt.Errorf("cannot create the claim spool: %w", err)
	}
	return &claimSpool{f: f, blocks: make([][]spoolBlock, inputs), counts: make([]int, inputs)}, nil
}

// putRun adds input index's next summaries. It is the scrubber's claim
// sink: it may be called from several goroutines, and does not keep run.
func (sp *claimSpool) putRun(index int, run []finding.ClaimSummary) {
	if len(run) == 0 {
		return
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	sp.counts[index] += len(run)
	sp.n += len(run)
	if sp.err != nil {
		return
	}
	off := sp.f.Size()
	for i := range run {
		sp.rec = finding.AppendClaim(sp.rec[:0], &run[i])
		if err := sp.f.Append(sp.rec); err != nil {
			sp.err = fmt.Errorf("cannot write the claim spool: %w", err)
			return
		}
	}
	sp.blocks[index] = append(sp.blocks[index], spoolBlock{off: off, size: sp.f.Size() - off})
}

// drop forgets what input index spooled (its result was replaced: a
// scrubber panic makes the file a failed one).
func (sp *claimSpool) drop(index int) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	sp.n -= sp.counts[index]
	sp.counts[index] = 0
	sp.blocks[index] = nil
}

// flush writes what the spool buffers, before the reports read it.
func (sp *claimSpool) flush() error {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.err == nil {
		if err := sp.f.Flush(); err != nil {
			sp.err = fmt.Errorf("cannot write the claim spool: %w", err)
		}
	}
	return sp.err
}

func (sp *claimSpool) close() error { return sp.f.Close() }

// Len is the number of summaries (reports.ClaimSource).
func (sp *claimSpool) Len() int {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	return sp.n
}

// Each calls fn for every summary, file by file in input order
// (reports.ClaimSource). It may run on several goroutines at once: it only
// reads the spool.
func (sp *claimSpool) Each(fn func(*finding.ClaimSummary) error) error {
	if err := sp.flush(); err != nil {
		return err
	}
	for i := range sp.blocks {
		if err := sp.eachOfFile(i, fn); err != nil {
			return err
		}
	}
	return nil
}

// eachOfFile calls fn for input i's summaries, in input order. Flush
// first.
func (sp *claimSpool) eachOfFile(i int, fn func(*finding.ClaimSummary) error) error {
	var c finding.ClaimSummary
	for _, blk := range sp.blocks[i] {
		r := sp.f.Records(blk.off, blk.size)
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err == nil {
				var rest []byte
				c, rest, err = finding.ReadClaim(rec)
				if err == nil && len(rest) != 0 {
					err = finding.ErrCorrupt
				}
			}
			if err != nil {
				return fmt.Errorf("cannot read the claim spool: %w", err)
			}
			if err := fn(&c); err != nil {
				return err
			}
		}
	}
	return nil
}
