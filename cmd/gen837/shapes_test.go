package main

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// Each shape reads as one clean 837P file and gets what shapes.go says of
// it: one-claim, every 76937 line bundled and every 0620T line after the
// first a duplicate; long-claim, nothing (co-surgeons); one-patient, every
// claim after the first a duplicate.
func TestShapes(t *testing.T) {
	const n = 4
	for _, tc := range []struct {
		shape string
		want  map[string][]string
	}{
		{"one-claim", map[string][]string{"SHAPE-ONE-CLAIM": append(repeat("BUNDLE-INCLUDED", n), repeat("LINE-DUPLICATE", n-1)...)}},
		{"long-claim", map[string][]string{}},
		{"one-patient", map[string][]string{"SHAPE-PATIENT-1": {"LINE-DUPLICATE"}, "SHAPE-PATIENT-2": {"LINE-DUPLICATE"}, "SHAPE-PATIENT-3": {"LINE-DUPLICATE"}}},
	} {
		t.Run(tc.shape, func(t *testing.T) {
			var b bytes.Buffer
			if err := writeShape(tc.shape, n, &b, DefaultConfig().Delims, true); err != nil {
				t.Fatal(err)
			}
			got, results := scrubDrop(t, []*bytes.Buffer{&b})
			if results[0].Error != "" {
				t.Fatalf("not read: %s", results[0].Error)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("findings %v, want %v\n%s", got, tc.want, b.String())
			}
		})
	}
	for _, bad := range []struct {
		shape string
		n     int
	}{{"nope", 3}, {"one-claim", 0}} {
		if err := writeShape(bad.shape, bad.n, &bytes.Buffer{}, DefaultConfig().Delims, false); err == nil {
			t.Errorf("%s n=%d: no error", bad.shape, bad.n)
		}
		var stderr strings.Builder
		if rc := run([]string{"--shape", bad.shape, "--n", fmt.Sprint(bad.n), "--out", t.TempDir()}, &stderr); rc != 2 {
			t.Errorf("%s n=%d: exit %d, want 2 (%s)", bad.shape, bad.n, rc, stderr.String())
		}
	}
}

func repeat(s string, n int) []string {
	return slices.Repeat([]string{s}, n)
}
