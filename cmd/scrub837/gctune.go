package main

import (
	"runtime/debug"
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

var gcTunerLimits sync.Once

// tuneGC starts the tuner for the scrubbing of the files, unless the user
// set GOGC or GOMEMLIMIT (their settings win). The returned func stops it
// and restores GOGC=100: the cross-claim matching and the reports after
// the scrub hold more at once (partitions, report rows) and run under the
// default.
func tuneGC(getenv func(string) string) (stop func()) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	// Once: gctuner reads its limits without synchronization, so they are
	// set before the first tuner starts (SetFinalizer orders them before
	// its tunings) and never again.
	gcTunerLimits.Do(func() {
		gctuner.SetMaxGCPercent(gcMaxPercent)
		gctuner.SetMinGCPercent(gcMinPercent)
	})
	gctuner.Tuning(gcHeapThreshold)
	return func() {
		// A threshold under any heap makes every later tuning give the
		// minimum, 100, even one already under way (stopping the tuner
		// could race with it and leave 400 behind).
		gctuner.Tuning(1)
		debug.SetGCPercent(gcMinPercent)
	}
}
