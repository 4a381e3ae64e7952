package main

import "github.com/bytedance/gopkg/util/gctuner"

// gcHeapThreshold is the heap the GC tuner lets the program grow to before
// collecting. A run's live heap is a few MB (findings are spooled, the
// cross-claim index spills), so the default GOGC=100 collects every few MB
// allocated, and the write barriers of those cycles cost about 6% of the
// CPU of a scrub. Below the threshold the GC percent rises (up to
// gcMaxPercent); a heap that really grows (one big file's findings) gets
// the default 100 and no less, so memory never grows faster than without
// tuning.
const (
	gcHeapThreshold = 24 << 20
	gcMaxPercent    = 400
	gcMinPercent    = 100
)

// tuneGC starts the tuner unless the user set GOGC or GOMEMLIMIT: their
// settings win.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return
	}
	gctuner.SetMaxGCPercent(gcMaxPercent)
	gctuner.SetMinGCPercent(gcMinPercent)
	gctuner.Tuning(gcHeapThreshold)
}
