package scrubber

import (
	"strings"

	"github.com/scrub837/scrub837/scrubber/pack"
)

// maxDxMemo bounds a memo: a drop names a few thousand distinct codes at
// most; past the bound, facts are worked out each time.
const maxDxMemo = 8192

// dxMemo remembers what the pack says of the diagnosis codes a file's
// claims name (pack.Diagnosis), for the checks that ask about each pointed
// diagnosis several times. It belongs to one goroutine.
type dxMemo struct {
	m map[string]*pack.DiagnosisFacts
}

// facts returns the facts of code under p; a nil memo works them out.
func (d *dxMemo) facts(p *pack.Pack, code string) *pack.DiagnosisFacts {
	if d == nil {
		return p.Diagnosis(code)
	}
	if f, ok := d.m[code]; ok {
		return f
	}
	f := p.Diagnosis(code)
	if d.m == nil {
		d.m = make(map[string]*pack.DiagnosisFacts)
	}
	if len(d.m) < maxDxMemo {
		// Copies: code (and its normal form) is a slice of the claim's
		// bytes, which the memo must not keep alive.
		f.Code = strings.Clone(f.Code)
		d.m[strings.Clone(code)] = f
	}
	return f
}
