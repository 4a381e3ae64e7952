package main

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/scrub837/scrub837/scrubber"
	"github.com/scrub837/scrub837/scrubber/pack"
)

func TestRunClock(t *testing.T) {
	c, err := newRunClock(func(string) string { return "" })
	if err != nil || c.fixed != nil {
		t.Fatalf("no SOURCE_DATE_EPOCH: %v %v", c, err)
	}
	if d := time.Since(c.now()); d < 0 || d > time.Minute {
		t.Errorf("wall clock off by %v", d)
	}
	c, err = newRunClock(func(string) string { return "1764213300" })
	if err != nil {
		t.Fatal(err)
	}
	if got := c.now(); !got.Equal(time.Unix(1764213300, 0)) || got.Location() != time.UTC {
		t.Errorf("SOURCE_DATE_EPOCH: %v", got)
	}
	if got := defaultRunID(c.now()); got != "20251127T031500Z" {
		t.Errorf("run ID %q", got)
	}
	for _, bad := range []string{"yesterday", "-5", "1.5"} {
		if _, err := newRunClock(func(string) string { return bad }); err == nil {
			t.Errorf("SOURCE_DATE_EPOCH=%s accepted", bad)
		}
	}
}

func TestScrubAllKeepsInputOrder(t *testing.T) {
	pack, err := pack.Default(false)
	if err != nil {
		t.Fatal(err)
	}
	s := scrubber.New(pack, scrubber.Options{})
	dir := t.TempDir()
	var inputs []input
	for i := range 40 {
		path := filepath.Join(dir, strings.Repeat("f", i%7+1)+string(rune('a'+i%26))+".837")
		writeFile(t, path, bytes.Repeat([]byte("ISA"), i*100))
		inputs = append(inputs, input{name: path, size: int64(i * 300)})
	}
	inputs = append(inputs, input{name: "-", stdin: true, size: -1}, input{name: "gone", err: io.ErrUnexpectedEOF})
	inMemory := -1 // findings counted in the first (unspooled) run
	for _, workers := range []int{1, 4, 100} {
		var spool *findingSpool
		if workers > 1 {
			var err error
			if spool, err = newFindingSpool(t.TempDir(), len(inputs)); err != nil {
				t.Fatal(err)
			}
			defer spool.close()
		}
		results, metas := scrubAll(s, inputs, workers, workers == 1, strings.NewReader("stdin bytes"), nil, zerolog.Nop(), spool)
		n := 0
		for _, res := range results {
			n += len(res.Findings)
		}
		switch {
		case spool == nil:
			inMemory = n
		case n != 0 || spool.n != inMemory || spool.err != nil:
			t.Errorf("-j %d: %d findings left in results, %d spooled (want %d), err %v", workers, n, spool.n, inMemory, spool.err)
		}
		for i, res := range results {
			if res == nil || res.Index != i || res.Name != inputs[i].name {
				t.Fatalf("-j %d: result %d is %+v", workers, i, res)
			}
		}
		if metas[1].bytes != 300 || metas[40].bytes != int64(len("stdin bytes")) || metas[41].sha256 != "" {
			t.Errorf("-j %d: metas %+v %+v %+v", workers, metas[1], metas[40], metas[41])
		}
		if results[41].Status != scrubber.StatusFailed {
			t.Errorf("an input that could not be expanded is not failed: %+v", results[41])
		}
	}
}
