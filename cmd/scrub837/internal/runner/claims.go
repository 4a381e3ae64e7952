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
// inputs. Like the findings spool, when its file cannot be created or
// written it keeps the runs that follow in memory (degraded): the
// worklist loses nothing.
type claimSpool struct {
	mu       sync.Mutex
	f        *spill.File    // nil: it could not be created
	blocks   [][]spoolBlock // by input index, in input order
	counts   []int          // summaries by input index
	n        int
	inMemory int   // of n, the summaries kept in memory
	err      error // why the spool keeps runs in memory
	rec      []byte
}

func newClaimSpool(dir string, inputs int) *claimSpool {
	sp := &claimSpool{blocks: make([][]spoolBlock, inputs), counts: make([]int, inputs)}
	f, err := spill.Create(dir, "scrub837-claims-", 32<<10)
	if err != nil {
		sp.err = fmt.Errorf("cannot create the claim spool: %w", err)
	} else {
		sp.f = f
	}
	return sp
}

// degraded returns how many summaries the spool keeps in memory, and why;
// nil when it keeps them all on disk.
func (sp *claimSpool) degraded() (inMemory int, err error) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	return sp.inMemory, sp.err
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
	if blk, ok := sp.write(run); ok {
		sp.blocks[index] = append(sp.blocks[index], blk)
		return
	}
	mem := make([][]byte, len(run))
	for i := range run {
		mem[i] = finding.AppendClaim(nil, &run[i])
	}
	sp.blocks[index] = append(sp.blocks[index], spoolBlock{mem: mem})
	sp.inMemory += len(run)
}

// write appends run to the spool file and flushes it, so that a block it
// returns is readable whatever happens to the file later. Once a write has
// failed it writes nothing more. Hold sp.mu.
func (sp *claimSpool) write(run []finding.ClaimSummary) (spoolBlock, bool) {
	if sp.f == nil || sp.err != nil {
		return spoolBlock{}, false
	}
	off := sp.f.Size()
	for i := range run {
		sp.rec = finding.AppendClaim(sp.rec[:0], &run[i])
		if err := sp.f.Append(sp.rec); err != nil {
			sp.err = fmt.Errorf("cannot write the claim spool: %w", err)
			return spoolBlock{}, false
		}
	}
	if err := sp.f.Flush(); err != nil {
		sp.err = fmt.Errorf("cannot write the claim spool: %w", err)
		return spoolBlock{}, false
	}
	return spoolBlock{off: off, size: sp.f.Size() - off}, true
}

// drop forgets what input index spooled (its result was replaced: a
// scrubber panic makes the file a failed one).
func (sp *claimSpool) drop(index int) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	sp.n -= sp.counts[index]
	sp.counts[index] = 0
	for _, blk := range sp.blocks[index] {
		sp.inMemory -= len(blk.mem)
	}
	sp.blocks[index] = nil
}

func (sp *claimSpool) close() error {
	if sp.f == nil {
		return nil
	}
	return sp.f.Close()
}

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
	secs := sp.sections()
	for i := range sp.blocks {
		if err := sp.eachOfFileIn(secs, i, fn); err != nil {
			return err
		}
	}
	return nil
}

// sections reads the spool file's blocks in order through one buffer (a
// file's blocks mostly follow the previous file's); nil without a file.
func (sp *claimSpool) sections() *spill.Sections {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.f == nil {
		return nil
	}
	return sp.f.Sections()
}

// eachOfFile calls fn for input i's summaries, in input order.
func (sp *claimSpool) eachOfFile(i int, fn func(*finding.ClaimSummary) error) error {
	return sp.eachOfFileIn(nil, i, fn)
}

// eachOfFileIn is eachOfFile reading the spool file through secs (nil: a
// read of its own a block).
func (sp *claimSpool) eachOfFileIn(secs *spill.Sections, i int, fn func(*finding.ClaimSummary) error) error {
	var c finding.ClaimSummary
	for _, blk := range sp.blocks[i] {
		var r *spill.Reader
		switch {
		case blk.mem != nil:
		case secs != nil:
			r = secs.Records(blk.off, blk.size)
		default:
			r = sp.f.Records(blk.off, blk.size)
		}
		for k := 0; ; k++ {
			var rec []byte
			var err error
			if r != nil {
				rec, err = r.Next()
			} else if k < len(blk.mem) {
				rec = blk.mem[k]
			} else {
				err = io.EOF
			}
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
