package reports

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scrub837/scrub837/scrubber/finding"
)

// genClaims makes the claims of genSource(n) on the fly.
type genClaims int

func (g genClaims) Len() int { return (int(g) + 2) / 3 }

func (g genClaims) Each(fn func(*finding.ClaimSummary) error) error {
	for claim := 0; claim < g.Len(); claim++ {
		c := finding.ClaimSummary{FileIndex: claim / 50000, File: fmt.Sprintf("drop/drop-%04d.837", claim/50000),
			ClaimOffset: int64(claim%50000)*2000 + 1000, ClaimID: fmt.Sprintf("F001C%07d", claim), STControl: "0001",
			Frequency: "1", ServiceDate: "20260901", TargetLines: 1, TotalCharge: "19984.00",
			PayerName: "UNITEDHEALTHCARE", PayerID: "87726", PayerGroup: "UnitedHealthcare",
			BillingNPI: "2612009862", RenderingNPI: "1058287529", MemberID: fmt.Sprintf("W%09d", claim)}
		if err := fn(&c); err != nil {
			return err
		}
	}
	return nil
}

// genSource makes n findings on the fly, about 3 a claim, with messages as
// long as the scrubber's: memory measured while writing is the writer's.
type genSource int

func (g genSource) Len() int { return int(g) }

func (g genSource) Each(fn func(*finding.Finding) error) error {
	rules := []string{"DX-LATERALITY-CONFLICT", "MOD-LATERALITY-MISSING", "LINE-UNITS", "LINE-POS-ATYPICAL"}
	sevs := []finding.Severity{finding.Warning, finding.Error, finding.Error, finding.Info}
	for i := 0; i < int(g); i++ {
		claim := i / 3
		f := finding.Finding{
			FileIndex: claim / 50000, ClaimOffset: int64(claim%50000)*2000 + 1000,
			File: fmt.Sprintf("drop/drop-%04d.837", claim/50000), ISAControl: "000000001", GSControl: "1", STControl: "0001",
			ClaimID: fmt.Sprintf("F001C%07d", claim), LineNumber: 1 + i%3, SegmentNumber: int64(30 + i), ByteOffset: int64(claim%50000)*2000 + 1000 + int64(i%3)*10,
			RuleID: rules[i%4], Severity: sevs[i%4], Source: "codeset",
			Message:    "0620T on line " + strconv.Itoa(1+i%3) + " is billed for both legs (50), but the diagnoses it points to are all left-sided: I70322 (left; I70.32: atherosclerosis of native arteries of the left leg with ulceration)",
			Suggestion: "if both legs were treated, add the right-leg diagnosis to HI and point SV107 to it; if only the left leg was, use LT instead of 50",
			Procedure:  "0620T", Modifiers: []string{"50"}, Units: "1", Charge: "19984.00", ServiceDate: "20260901", PlaceOfService: "21",
			DxPointers: []string{"3", "2"}, PointedDiagnoses: []string{"I70322", "I5022"},
			PayerName: "UNITEDHEALTHCARE", PayerID: "87726", PayerGroup: "UnitedHealthcare",
			BillingNPI: "2612009862", RenderingNPI: "1058287529", RenderingTaxonomy: "207RI0011X", MemberID: fmt.Sprintf("W%09d", claim),
		}
		if err := fn(&f); err != nil {
			return err
		}
	}
	return nil
}

// peakHeap samples the live heap every few milliseconds while fn runs and
// returns the largest value seen, and the process's peak RSS (VmHWM, reset
// before fn where Linux allows it).
func peakHeap(fn func() error) (heap uint64, rss string, err error) {
	runtime.GC()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // reset VmHWM (Linux)
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	err = fn()
	close(stop)
	<-done
	if b, e := os.ReadFile("/proc/self/status"); e == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "VmHWM:") {
				rss = strings.TrimSpace(strings.TrimPrefix(l, "VmHWM:"))
			}
		}
	}
	return peak.Load(), rss, err
}

// BenchmarkReportMemory writes the workbook and the page for 45,000 and
// 450,000 findings (a third as many claims), generated on the fly, and
// reports the peak heap and peak RSS of each write. It fails when ten
// times the findings take more than half again the memory (plus 16 MB):
// the writers must stay flat. Run it with
//
//	go test ./reports/ -run '^$' -bench ReportMemory -benchtime 1x
func BenchmarkReportMemory(b *testing.B) {
	for _, name := range []string{"xlsx", "html"} {
		b.Run(name, func(b *testing.B) {
			var peaks [2]uint64
			for i := 0; i < b.N; i++ {
				for k, n := range []int{45000, 450000} {
					r := analystReport()
					r.Findings = nil
					r.Source = genSource(n)
					r.Claims = genClaims(n)
					r.TempDir = b.TempDir()
					f := formats[name].Files[0]
					heap, rss, err := peakHeap(func() error { return f.Write(io.Discard, r) })
					if err != nil {
						b.Fatal(err)
					}
					peaks[k] = heap
					b.ReportMetric(float64(heap)/1e6, fmt.Sprintf("MB-heap-%dk", n/1000))
					b.Logf("%s, %d findings: peak heap %.1f MB, peak RSS %s", name, n, float64(heap)/1e6, rss)
				}
			}
			if float64(peaks[1]) > 1.5*float64(peaks[0])+16e6 {
				b.Errorf("%s: peak heap %.0f MB at 450,000 findings against %.0f MB at 45,000: memory grows with findings",
					name, float64(peaks[1])/1e6, float64(peaks[0])/1e6)
			}
		})
	}
}
