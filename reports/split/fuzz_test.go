package split

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/scrub837/scrub837/x12io"
)

// FuzzSplit: a split of any input never panics or hangs; it is refused
// whenever the reader reports a problem, never for a reader problem when
// there is none; and when it succeeds both halves read with no problem at
// all and hold every claim once, byte for byte (checkSplit's checks).
func FuzzSplit(f *testing.F) {
	for _, l := range []layout{defaultLayout, {'*', '^', ':', '~', "\n"}, {'|', '!', '>', '\n', ""}} {
		f.Add([]byte(tinyDrop(l)), uint64(1))
	}
	f.Add([]byte(tinyDropOf(defaultLayout, edit("HL*4*3*23*0", "HL*4*2*23*0"))), uint64(2))
	for _, name := range []string{"01-dx.837", "05-not-837p.837", "06-x12-faults.837"} {
		if data, err := os.ReadFile(filepath.Join("../../testdata", name)); err == nil {
			f.Add(data, uint64(3))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		in := view(data, false)
		res := checkSplit(t, data, heldBy(seed))
		if res.err == nil {
			return
		}
		var se *Error
		if !errors.As(res.err, &se) {
			t.Fatalf("not a refusal: %v", res.err)
		}
		if xe := (*x12io.Error)(nil); errors.As(res.err, &xe) && len(in.problems) == 0 {
			t.Fatalf("refused for a reader problem the reader does not report: %v", res.err)
		}
	})
}
