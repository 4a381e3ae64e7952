package main

import (
	"bytes"
	"io"
	"sync"
	"testing"

	"github.com/scrub837/scrub837/scrubber"
	"github.com/scrub837/scrub837/scrubber/pack"
)

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
func (discard) Close() error                { return nil }

// BenchmarkGenerate: generator throughput (bytes of X12 per second), no I/O.
func BenchmarkGenerate(b *testing.B) {
	cfg := DefaultConfig()
	cfg.Claims, cfg.Size = 0, 64<<20
	var n int64
	for b.Loop() {
		m, err := Generate(cfg, func(int) (io.WriteCloser, error) { return discard{}, nil })
		if err != nil {
			b.Fatal(err)
		}
		n = m.Totals.Bytes
	}
	b.SetBytes(n)
}

var (
	benchDropOnce sync.Once
	benchDrop     []byte
	benchManifest *Manifest
)

// scrubBenchDrop is one 64 MB file with 10% target claims and 5% of those
// with a planted defect: the drop scripts/bench.sh scrubs, in memory.
func scrubBenchDrop(b *testing.B) ([]byte, *Manifest) {
	benchDropOnce.Do(func() {
		cfg := DefaultConfig()
		cfg.Claims, cfg.Size, cfg.DefectRate = 0, 64<<20, 0.05
		var buf bytes.Buffer
		buf.Grow(65 << 20)
		m, err := Generate(cfg, func(int) (io.WriteCloser, error) { return nopCloser{&buf}, nil })
		if err != nil {
			b.Fatal(err)
		}
		benchDrop, benchManifest = buf.Bytes(), m
	})
	return benchDrop, benchManifest
}

// BenchmarkScrubPerClaim: the scrubber alone (no reports, no file I/O) on a
// generated drop; ns/claim is over every claim, ns/target-claim over the
// 0620T claims only.
func BenchmarkScrubPerClaim(b *testing.B) {
	data, m := scrubBenchDrop(b)
	pack, err := pack.Default(false)
	if err != nil {
		b.Fatal(err)
	}
	s := scrubber.New(pack, scrubber.Options{})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		res := s.Scrub(0, "bench.837", bytes.NewReader(data))
		if err := s.Finish([]*scrubber.FileResult{res}); err != nil {
			b.Fatal(err)
		}
		if int64(res.Claims) != m.Totals.Claims {
			b.Fatalf("scrubbed %d claims, want %d", res.Claims, m.Totals.Claims)
		}
	}
	perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(perOp/float64(m.Totals.Claims), "ns/claim")
	b.ReportMetric(perOp/float64(m.Totals.TargetClaims), "ns/target-claim")
}
