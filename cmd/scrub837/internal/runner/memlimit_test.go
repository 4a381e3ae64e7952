package runner

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestLimitMemoryWhileScrubbingOnly(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	for _, tc := range []struct {
		files int
		want  int64
	}{{1, 32 << 20}, {2, 32 << 20}, {4, 48 << 20}} {
		stop := limitMemory(tc.files)
		got := debug.SetMemoryLimit(-1)
		stop()
		if got != tc.want {
			t.Errorf("%d files at once: memory limit %d while scrubbing, want %d", tc.files, got, tc.want)
		}
		if after := debug.SetMemoryLimit(-1); after != before {
			t.Fatalf("%d files at once: memory limit %d after the run stopped it, want %d as before", tc.files, after, before)
		}
	}
}

// limitAfterGC runs collections (the ceiling's finalizer runs after one,
// on its own goroutine) until done(limit) or wait has passed, and returns
// the limit then in force.
func limitAfterGC(done func(int64) bool, wait time.Duration) int64 {
	deadline := time.Now().Add(wait)
	for {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
		if l := debug.SetMemoryLimit(-1); done(l) || time.Now().After(deadline) {
			return l
		}
	}
}

// The ceiling stays at its base for a small heap, rises to twice a live
// heap bigger than the base, and stop puts back the limit there was.
func TestMemoryCeilingFollowsABigLiveHeap(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	const base = 8 << 20
	never := func(int64) bool { return false }
	c := startMemoryCeiling(base)
	if l := limitAfterGC(never, 100*time.Millisecond); l != base {
		c.stop()
		t.Fatalf("small heap: limit %d, want the base %d", l, base)
	}
	big := make([]byte, 64<<20)
	for i := range big {
		big[i] = byte(i)
	}
	l := limitAfterGC(func(l int64) bool { return l >= 2*64<<20 }, 2*time.Second)
	runtime.KeepAlive(big)
	c.stop()
	if l < 2*64<<20 {
		t.Fatalf("live heap of 64 MiB: limit %d, want at least %d", l, 2*64<<20)
	}
	if after := debug.SetMemoryLimit(-1); after != before {
		t.Fatalf("after stop: limit %d, want %d as before", after, before)
	}
	// Stopped: later collections leave the limit alone.
	if l := limitAfterGC(never, 100*time.Millisecond); l != before {
		t.Fatalf("after stop and collections: limit %d, want %d", l, before)
	}
}
