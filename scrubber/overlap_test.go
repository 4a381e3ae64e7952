package scrubber

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/x12io/benchdrop"
)

// Reading claims on a goroutine of their own (Options.Overlap) gives the result
// of reading them on the one that checks them: on a drop of many batches,
// and on the sample files (which fire every rule).
func TestOverlapGivesTheSameResult(t *testing.T) {
	samples, _ := filepath.Glob(filepath.Join("..", "testdata", "*.837"))
	if len(samples) < 5 {
		t.Fatalf("only %d sample files", len(samples))
	}
	findings := 0
	for _, path := range samples {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		findings += sameWithOverlap(t, data)
	}
	if findings < 30 {
		t.Fatalf("the samples gave only %d findings", findings)
	}
	sameWithOverlap(t, benchdrop.Claims(3000, 3))
}

func sameWithOverlap(t *testing.T, data []byte) int {
	scrub := func(overlap bool) *FileResult {
		s := New(testPack(t), Options{Overlap: overlap})
		res := s.Scrub(0, "drop", bytes.NewReader(data))
		if err := s.Finish([]*FileResult{res}); err != nil {
			t.Fatal(err)
		}
		return res
	}
	want, got := scrub(false), scrub(true)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("overlapped: %d claims, %d findings, %v; not: %d, %d, %v",
			got.Claims, len(got.Findings), got.Targets, want.Claims, len(want.Findings), want.Targets)
	}
	return len(want.Findings)
}

// A Scrub and Finish with a finding sink hand over sorted runs whose
// findings, with those the result still holds, are exactly the findings
// of a Scrub and Finish without one, with and without the claim worker.
func TestFindingSinkRunsAddUp(t *testing.T) {
	samples, _ := filepath.Glob(filepath.Join("..", "testdata", "*.837"))
	inputs := [][]byte{benchdrop.Claims(3000, 3)}
	for _, path := range samples {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, data)
	}
	total, finishRuns := 0, 0
	for i, data := range inputs {
		for _, overlap := range []bool{false, true} {
			for _, every := range []int{1, 3, 1000} {
				plain := New(testPack(t), Options{Overlap: overlap})
				want := plain.Scrub(7, "drop", bytes.NewReader(data))
				if err := plain.Finish([]*FileResult{want}); err != nil {
					t.Fatal(err)
				}

				var mu sync.Mutex
				var runs []finding.Finding
				finishing := false // Finish's last run of a file may be short
				s := New(testPack(t), Options{Overlap: overlap, SinkEvery: every, FindingSink: func(index int, run []finding.Finding) {
					if index != 7 {
						t.Errorf("run for index %d", index)
					}
					if len(run) < every && !finishing {
						t.Errorf("run of %d findings, want at least %d", len(run), every)
					}
					if !slices.IsSortedFunc(run, func(a, b finding.Finding) int {
						if finding.Less(&a, &b) {
							return -1
						}
						if finding.Less(&b, &a) {
							return 1
						}
						return 0
					}) {
						t.Error("run not sorted")
					}
					mu.Lock()
					runs = append(runs, slices.Clone(run)...)
					if finishing {
						finishRuns++
					}
					mu.Unlock()
				}})
				got := s.Scrub(7, "drop", bytes.NewReader(data))
				finishing = true
				if err := s.Finish([]*FileResult{got}); err != nil {
					t.Fatal(err)
				}
				all := append(runs, got.Findings...)
				finding.Sort(all)
				wantAll := slices.Clone(want.Findings)
				got.Findings, want.Findings = nil, nil
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("input %d, overlap %v, every %d: results differ besides findings", i, overlap, every)
				}
				if !reflect.DeepEqual(all, wantAll) {
					t.Fatalf("input %d, overlap %v, every %d: %d findings through the sink and result, want %d",
						i, overlap, every, len(all), len(wantAll))
				}
				total += len(wantAll)
			}
		}
	}
	if total < 200 {
		t.Fatalf("only %d findings in all", total)
	}
	if finishRuns == 0 {
		t.Fatal("Finish handed no cross-claim findings to the sink: the inputs do not exercise it")
	}
}
