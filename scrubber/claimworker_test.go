package scrubber

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// Checking claims on a second goroutine gives the result of checking them
// on the walker's: on a drop of many batches, and on the sample files
// (which fire every rule).
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
	sameWithOverlap(t, buildDrop(t, 3000, 3))
}

func sameWithOverlap(t *testing.T, data []byte) int {
	scrub := func(overlap bool) (*FileResult, int) {
		s := New(testPack(t))
		s.SetOverlap(overlap)
		claims := 0
		s.onClaim = func(*Claim) { claims++ }
		res := s.Scrub(0, "drop", bytes.NewReader(data))
		if err := s.Finish([]*FileResult{res}); err != nil {
			t.Fatal(err)
		}
		return res, claims
	}
	want, wantClaims := scrub(false)
	got, gotClaims := scrub(true)
	if gotClaims != wantClaims || !reflect.DeepEqual(got, want) {
		t.Fatalf("overlapped: %d claims, %d findings, %v; on the walker: %d, %d, %v",
			gotClaims, len(got.Findings), got.Targets, wantClaims, len(want.Findings), want.Targets)
	}
	return len(want.Findings)
}

// A panic while checking a claim on the worker reaches the caller of Scrub
// (which reports the file as failed), instead of ending the process or
// leaving the walker waiting.
func TestOverlapPanicReachesTheCaller(t *testing.T) {
	s := New(testPack(t))
	s.SetOverlap(true)
	s.onClaim = func(*Claim) { panic("checker bug") }
	defer func() {
		if p := recover(); p == nil || !strings.Contains(p.(string), "checker bug") {
			t.Fatalf("recovered %v, want the worker's panic", p)
		}
	}()
	s.Scrub(0, "drop", bytes.NewReader(buildDrop(t, 3000, 3)))
	t.Fatal("Scrub returned")
}
