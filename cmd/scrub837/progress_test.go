package main

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scrub837/scrub837/cmd/scrub837/internal/runner"
)

// lockedBuffer is a terminal stand-in the test can read while the bar
// draws on it.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var rateRE = regexp.MustCompile(`([0-9.]+) (kB|MB|GB|TB)/s`)

// Issue 15: the bar's first frame showed a rate spike (the bytes read
// before the first frame divided by the microseconds since it). The rate
// now counts from Start: 50 MB read at once shows at most 50 MB over the
// 150 ms before the first frame.
func TestProgressFirstFrameHasNoRateSpike(t *testing.T) {
	var out lockedBuffer
	p := &progress{sink: &logSink{w: &out}}
	p.Start(100e6, 2)
	p.AddBytes(50e6)
	p.AddClaims(1234)
	deadline := time.Now().Add(5 * time.Second)
	for !rateRE.MatchString(out.String()) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	p.Done()
	m := rateRE.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no rate drawn: %q", out.String())
	}
	rate, _ := strconv.ParseFloat(m[1], 64)
	rate *= map[string]float64{"kB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12}[m[2]]
	if rate > 50e6/0.14 {
		t.Errorf("first frame shows %s %s/s: a spike (50 MB in at least 150 ms is at most 333 MB/s)", m[1], m[2])
	}
	if !strings.Contains(out.String(), "claims 1,234") {
		t.Errorf("the bar does not count claims as they are read: %q", out.String())
	}
}

// After the files, the bar gives way to a line that says what the run
// does (the report-writing phase); a log line clears it first; Done
// leaves the line empty.
func TestProgressPhases(t *testing.T) {
	var out lockedBuffer
	sink := &logSink{w: &out}
	p := &progress{sink: sink}
	p.Start(1000, 3)
	p.AddBytes(1000)
	p.AddClaims(12345)
	p.FileDone()
	p.Phase(runner.PhaseReports)
	if !strings.Contains(out.String(), "writing reports: 3 files, 12,345 claims") {
		t.Errorf("no phase line: %q", out.String())
	}
	sink.Write([]byte("a log line\n"))
	if !strings.HasSuffix(out.String(), "\r\x1b[Ka log line\n") {
		t.Errorf("the phase line is not cleared before a log line: %q", out.String())
	}
	time.Sleep(200 * time.Millisecond) // a redraw
	p.Done()
	p.Done()
	if !strings.HasSuffix(out.String(), "\r\x1b[K") {
		t.Errorf("Done leaves the line on screen: %q", out.String())
	}

	// Standard input: size unknown, the spinner line from the start.
	out = lockedBuffer{}
	p = &progress{sink: &logSink{w: &out}}
	p.Start(-1, 1)
	p.AddBytes(2_500_000)
	time.Sleep(200 * time.Millisecond)
	p.Done()
	if !strings.Contains(out.String(), "reading: 1 file, 0 claims, 2.5 MB") {
		t.Errorf("stdin: %q", out.String())
	}
}
