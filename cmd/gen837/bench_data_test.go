package main

import (
	"bytes"
	"io"
	"sync"
	"testing"

	"github.com/scrub837/scrub837/scrubber"
	"github.com/scrub837/scrub837/scrubber/codedata"
	"github.com/scrub837/scrub837/scrubber/pack"
)

var (
	benchDataDropOnce sync.Once
	benchDataDrop     []byte
	benchDataManifest *Manifest
	benchDataSet      *codedata.Set
)

// BenchmarkScrubPerClaimData is BenchmarkScrubPerClaim on a drop made
// against testdata/data (gen837 --data), scrubbed without the data files
// and with them (loaded once, outside the timer): the difference is what
// the data rules cost per claim. Compare the two with -count and benchstat.
func BenchmarkScrubPerClaimData(b *testing.B) {
	benchDataDropOnce.Do(func() {
		benchDataSet = loadGoldenData(b)
		cfg := DefaultConfig()
		cfg.Claims, cfg.Size, cfg.DefectRate, cfg.Data = 0, 64<<20, 0.05, benchDataSet
		var buf bytes.Buffer
		buf.Grow(65 << 20)
		m, err := Generate(cfg, func(int) (io.WriteCloser, error) { return nopCloser{&buf}, nil })
		if err != nil {
			b.Fatal(err)
		}
		benchDataDrop, benchDataManifest = buf.Bytes(), m
	})
	p, err := pack.Default(false)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		data *codedata.Set
	}{{"without", nil}, {"with", benchDataSet}} {
		b.Run(bc.name, func(b *testing.B) {
			s := scrubber.New(p, scrubber.Options{Data: bc.data})
			b.SetBytes(int64(len(benchDataDrop)))
			b.ReportAllocs()
			for b.Loop() {
				res := s.Scrub(0, "bench.837", bytes.NewReader(benchDataDrop))
				if err := s.Finish([]*scrubber.FileResult{res}); err != nil {
					b.Fatal(err)
				}
			}
			perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			b.ReportMetric(perOp/float64(benchDataManifest.Totals.Claims), "ns/claim")
			b.ReportMetric(perOp/float64(benchDataManifest.Totals.TargetClaims), "ns/target-claim")
		})
	}
}
