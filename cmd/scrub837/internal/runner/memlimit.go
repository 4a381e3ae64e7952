package runner

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// gcScrubLimit is the soft memory limit (runtime/debug.SetMemoryLimit)
// while files are scrubbed: gcScrubLimitBase for up to two files at once,
// plus gcScrubLimitPerFile for each more. Without a ceiling the heap's
// peak is wherever the pacer happens to let one cycle end, so a longer run
// (more cycles) shows a higher peak RSS than a short one: on a 4 GB drop
// at -j 2, 45.8 MB without the ceiling against 41.4 MB under it (median
// of 5 alternated runs each), where 1 GB peaks at 36-39 MB either way.
// The live heap while scrubbing is 1-15 MB (buffers, one run of spooled
// findings, the claim being checked), so the ceiling costs no extra
// collections on a normal drop. A heap that has to be bigger raises it
// (see memoryCeiling).
const (
	gcScrubLimitBase    = 32 << 20
	gcScrubLimitPerFile = 8 << 20
)

func gcScrubLimit(filesAtOnce int) int64 {
	return gcScrubLimitBase + int64(max(filesAtOnce-2, 0))*gcScrubLimitPerFile
}

// memoryCeiling is a soft memory limit of at least base that follows a
// heap which has to be bigger: after every collection it is set to twice
// the live heap when that is more than base. Without that, a live heap
// near the limit is collected again and again (the runtime lets that take
// up to half the CPU): Finish on a drop of mostly findings, which holds
// tens of MB of cross-claim findings, took twice as long under a fixed
// 32 MiB limit.
type memoryCeiling struct {
	base   int64
	before int64 // the limit to restore

	mu      sync.Mutex // orders afterGC and stop
	stopped bool
}

// gcSentinel is garbage from birth: its finalizer runs after each
// collection and arms itself again (it holds a pointer, so it is never
// one of the tiny allocations that finalizers may skip).
type gcSentinel struct{ c *memoryCeiling }

func startMemoryCeiling(base int64) *memoryCeiling {
	c := &memoryCeiling{base: base, before: debug.SetMemoryLimit(base)}
	runtime.SetFinalizer(&gcSentinel{c}, afterGC)
	return c
}

func afterGC(s *gcSentinel) {
	c := s.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return
	}
	debug.SetMemoryLimit(max(c.base, 2*liveHeapBytes()))
	runtime.SetFinalizer(s, afterGC)
}

// stop restores the limit there was before.
func (c *memoryCeiling) stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopped = true
	debug.SetMemoryLimit(c.before)
}

// liveHeapBytes is the heap the last collection found live.
func liveHeapBytes() int64 {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(sample[0].Value.Uint64())
}

// limitMemory sets the memory ceiling (gcScrubLimit) for the scrubbing of
// the files, filesAtOnce at a time, and the cross-claim matching
// (Config.MemoryCeiling: not when the user set GOGC or GOMEMLIMIT). The
// returned func puts back the limit there was: the reports hold more at
// once (report rows, the merge of every file's spooled findings) and run
// under the default.
func limitMemory(filesAtOnce int) (stop func()) {
	return startMemoryCeiling(gcScrubLimit(filesAtOnce)).stop
}
