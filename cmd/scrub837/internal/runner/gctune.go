package runner

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"

	"github.com/bytedance/gopkg/util/gctuner"
)

// gcHeapThreshold is the heap the GC tuner lets the scrub grow to before
// collecting. While files are scrubbed the live heap is a few MB (findings
// are spooled after each file, the cross-claim index spills), so the
// default GOGC=100 collects every few MB allocated, and the write barriers
// of those cycles cost about 6% of the CPU of a scrub. Below the threshold
// the GC percent rises (up to gcMaxPercent); a heap that really grows (one
// big file's findings) gets the default 100 and no less, so the heap never
// peaks above the larger of the threshold and what the default would give.
const (
	gcHeapThreshold = 16 << 20
	gcMaxPercent    = 400
	gcMinPercent    = 100
)

// gcScrubLimit is the soft memory limit (runtime/debug.SetMemoryLimit)
// while files are scrubbed: gcScrubLimitBase for up to two files at once,
// plus gcScrubLimitPerFile for each more. Without a ceiling the heap's
// peak is wherever the pacer happens to let one cycle end, so a longer run
// (more cycles) shows a higher peak RSS than a short one: 45-53 MB on a
// 4 GB drop against 40-52 MB on 1 GB. Under the ceiling both peak at
// 41-44 MB. The live heap while scrubbing is 3-15 MB (buffers, one run of
// spooled findings, the claim being checked), so the ceiling costs no
// extra collections on a normal drop. A heap that has to be bigger raises
// it (see memoryCeiling).
const (
	gcScrubLimitBase    = 32 << 20
	gcScrubLimitPerFile = 8 << 20
)

func gcScrubLimit(filesAtOnce int) int64 {
	return gcScrubLimitBase + int64(max(filesAtOnce-2, 0))*gcScrubLimitPerFile
}

var gcTunerLimits sync.Once

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

// tuneGC starts the tuner and the memory ceiling (gcScrubLimit) for the
// scrubbing of the files, filesAtOnce at a time, and the cross-claim
// matching (Config.TuneGC: not when the user set GOGC or GOMEMLIMIT). The
// returned func stops both and restores GOGC=100 and the limit before: the
// reports hold more at once (report rows, the merge of every file's
// spooled findings) and run under the defaults.
func tuneGC(filesAtOnce int) (stop func()) {
	// Once: gctuner reads its limits without synchronization, so they are
	// set before the first tuner starts (SetFinalizer orders them before
	// its tunings) and never again.
	gcTunerLimits.Do(func() {
		gctuner.SetMaxGCPercent(gcMaxPercent)
		gctuner.SetMinGCPercent(gcMinPercent)
	})
	gctuner.Tuning(gcHeapThreshold)
	ceiling := startMemoryCeiling(gcScrubLimit(filesAtOnce))
	return func() {
		ceiling.stop()
		// A threshold under any heap makes every later tuning give the
		// minimum, 100, even one already under way (stopping the tuner
		// could race with it and leave 400 behind).
		gctuner.Tuning(1)
		debug.SetGCPercent(gcMinPercent)
	}
}
