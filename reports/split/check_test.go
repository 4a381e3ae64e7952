package split

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"slices"
	"strconv"
	"testing"

	"github.com/scrub837/scrub837/x12io"
)

// This file is the test harness: it reads an input and its two halves with
// the x12io reader, takes the claims apart on its own (not with the
// package's code), and checks the contract of REPORTS.md's "ready/ and
// held/".

// claimView is one claim as a reader of a file sees it.
type claimView struct {
	offset int64    // of the CLM
	id     string   // CLM01
	isa    string   // the ISA, GS and ST it is in, as bytes
	gs, st string   //
	header []string // the transaction's segments between ST and the first HL
	loops  []string // the HL loops it is under, outermost first: HL03, then the loop's other segments
	segs   []string // CLM to the segment before the next HL, CLM or SE
}

func (c *claimView) String() string { return fmt.Sprintf("claim %q at %d", c.id, c.offset) }

// fileView is what a reader sees in a whole file.
type fileView struct {
	problems []string // every reader error, fatal or not
	claims   []*claimView
	// Structure faults of a half (a valid one has none): HL numbering,
	// parents and child codes, empty envelopes.
	faults []string
	clms   int // CLM segments, wherever they are
}

type hlNode struct {
	id       int
	hasChild bool // HL04 = 1
	children int
	number   int64
}

// view reads data and takes it apart. strict checks the HL rules of a half
// (HL01 from 1, HL02 names an open loop, HL04 true).
func view(data []byte, strict bool) *fileView {
	v := &fileView{}
	r := x12io.NewReader(bytes.NewReader(data))
	var isa, gs, st string
	var header []string
	var chain []struct {
		id      string
		content string
	}
	var claim *claimView
	var nodes []*hlNode // HLs of the open transaction, in order (strict)
	inHeader, inST := false, false
	gsCount, stCount, claimCount := 0, 0, 0
	fault := func(format string, args ...any) { v.faults = append(v.faults, fmt.Sprintf(format, args...)) }
	endTx := func(number int64) {
		if !strict {
			return
		}
		if inST && claimCount == 0 {
			fault("transaction ending at segment %d holds no claim", number)
		}
		for _, n := range nodes {
			if n.hasChild != (n.children > 0) {
				fault("HL %d (segment %d): HL04 says child %v, %d children follow", n.id, n.number, n.hasChild, n.children)
			}
		}
		nodes = nodes[:0]
	}
	for calls := 0; calls < 10*len(data)+100; calls++ {
		seg, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			v.problems = append(v.problems, err.Error())
			if e := (*x12io.Error)(nil); errors.As(err, &e) && e.Fatal {
				break
			}
			continue
		}
		b := string(seg.Bytes())
		switch {
		case seg.Is("ISA"):
			isa, gsCount = b, 0
			continue
		case seg.Is("GS"):
			gs, stCount = b, 0
			gsCount++
			continue
		case seg.Is("ST"):
			st, header, chain, claim = b, nil, chain[:0], nil
			inHeader, inST = true, true
			stCount++
			claimCount = 0
			continue
		case seg.Is("SE"):
			endTx(seg.Number)
			claim, inST = nil, false
			continue
		case seg.Is("GE"):
			if strict && stCount == 0 {
				fault("group ending at segment %d holds no transaction", seg.Number)
			}
			continue
		case seg.Is("IEA"):
			if strict && gsCount == 0 {
				fault("interchange ending at segment %d holds no group", seg.Number)
			}
			continue
		case seg.Is("HL"):
			claim, inHeader = nil, false
			id, parent := string(seg.Element(1)), string(seg.Element(2))
			depth := 0
			if parent != "" {
				for depth = len(chain); depth > 0 && chain[depth-1].id != parent; depth-- {
				}
				if strict && depth == 0 {
					fault("HL %s names parent %s, not an open loop", id, parent)
				}
			}
			chain = append(chain[:depth], struct{ id, content string }{id, string(seg.Element(3))})
			if strict {
				if want := strconv.Itoa(len(nodes) + 1); id != want {
					fault("HL01 %s, want %s", id, want)
				}
				if depth > 0 {
					p, _ := strconv.Atoi(parent)
					if p >= 1 && p <= len(nodes) {
						nodes[p-1].children++
					}
				}
				nodes = append(nodes, &hlNode{id: len(nodes) + 1, hasChild: string(seg.Element(4)) == "1", number: seg.Number})
			}
			continue
		case seg.Is("CLM"):
			v.clms++
			claimCount++
			claim = &claimView{offset: seg.Offset, id: string(seg.Element(1)), isa: isa, gs: gs, st: st,
				header: slices.Clone(header), segs: []string{b}}
			for _, l := range chain {
				claim.loops = append(claim.loops, l.content)
			}
			v.claims = append(v.claims, claim)
			continue
		}
		switch {
		case claim != nil:
			claim.segs = append(claim.segs, b)
		case inHeader:
			header = append(header, b)
		case len(chain) > 0:
			chain[len(chain)-1].content += "\x00" + b
		}
	}
	return v
}

// heldBy returns a pseudo-random decision function: the same seed and
// offset always give the same answer.
func heldBy(seed uint64) func(int64) bool {
	return func(off int64) bool {
		h := fnv.New64a()
		fmt.Fprint(h, seed, off)
		return h.Sum64()%3 == 0
	}
}

func allHeld(int64) bool  { return true }
func noneHeld(int64) bool { return false }

// splitResult is a split and what was checked of it.
type splitResult struct {
	counts       Counts
	err          error
	ready, held  []byte
	readyV, hldV *fileView
}

// checkSplit splits input with held and checks the contract. When the
// reader reports any problem on the input the split must be refused with
// it; otherwise it must succeed unless refusable says the input's claim
// structure is one the split refuses, and then every check applies.
func checkSplit(t *testing.T, input []byte, held func(int64) bool) splitResult {
	t.Helper()
	in := view(input, false)
	var ready, heldOut bytes.Buffer
	calls := 0
	var offsets []int64
	counts, err := Split(bytes.NewReader(input), func(off int64) bool {
		calls++
		offsets = append(offsets, off)
		return held(off)
	}, &ready, &heldOut)
	res := splitResult{counts: counts, err: err, ready: ready.Bytes(), held: heldOut.Bytes()}
	if len(in.problems) > 0 {
		// Refused: for the reader's first problem, or for a claim the
		// split cannot place before it.
		var se *Error
		if !errors.As(err, &se) {
			t.Fatalf("the reader reports %q, but the split did not refuse: %v", in.problems[0], err)
		}
		if xe := (*x12io.Error)(nil); errors.As(err, &xe) && xe.Error() != in.problems[0] {
			t.Errorf("refused with %q, the reader's first problem is %q", xe, in.problems[0])
		}
		return res
	}
	if err != nil {
		var se *Error
		if !errors.As(err, &se) {
			t.Fatalf("split failed: %v", err)
		}
		return res // the caller says whether this input may be refused
	}
	if counts.Claims != in.clms || counts.Ready+counts.Held != counts.Claims || counts.Bytes != int64(len(input)) {
		t.Errorf("counts %+v; the input has %d claims and %d bytes", counts, in.clms, len(input))
	}
	if calls != len(in.claims) {
		t.Errorf("held was called %d times for %d claims", calls, len(in.claims))
	}
	for i, c := range in.claims {
		if i < len(offsets) && offsets[i] != c.offset {
			t.Fatalf("held call %d was for offset %d, the claim's CLM is at %d", i, offsets[i], c.offset)
		}
	}
	var wantReady, wantHeld []*claimView
	for _, c := range in.claims {
		if held(c.offset) {
			wantHeld = append(wantHeld, c)
		} else {
			wantReady = append(wantReady, c)
		}
	}
	res.readyV = checkHalf(t, "ready", res.ready, wantReady, counts.Ready)
	res.hldV = checkHalf(t, "held", res.held, wantHeld, counts.Held)
	return res
}

// checkHalf: the half reads with no problem at all, holds exactly the
// claims it should, in input order, each with its envelope, transaction
// header, loops and segments byte for byte, and valid HL numbering.
func checkHalf(t *testing.T, name string, data []byte, want []*claimView, counted int) *fileView {
	t.Helper()
	if len(want) == 0 {
		if len(data) != 0 || counted != 0 {
			t.Errorf("%s: no claim goes here, but %d bytes were written (counted %d claims)", name, len(data), counted)
		}
		return nil
	}
	if counted != len(want) {
		t.Errorf("%s: counted %d claims, want %d", name, counted, len(want))
	}
	v := view(data, true)
	if len(v.problems) > 0 {
		t.Fatalf("%s: the reader reports %q", name, v.problems)
	}
	if len(v.faults) > 0 {
		t.Fatalf("%s: %q", name, v.faults)
	}
	if len(v.claims) != len(want) || v.clms != len(want) {
		t.Fatalf("%s: %d claims (%d CLM), want %d", name, len(v.claims), v.clms, len(want))
	}
	for i, got := range v.claims {
		w := want[i]
		switch {
		case got.id != w.id || !slices.Equal(got.segs, w.segs):
			t.Fatalf("%s: claim %d is %q with %d segments, want %v with %d", name, i, got.id, len(got.segs), w, len(w.segs))
		case got.isa != w.isa || got.gs != w.gs || got.st != w.st:
			t.Fatalf("%s: %v: envelope %.40q %q %q, want %.40q %q %q", name, w, got.isa, got.gs, got.st, w.isa, w.gs, w.st)
		case !slices.Equal(got.header, w.header):
			t.Fatalf("%s: %v: transaction header %q, want %q", name, w, got.header, w.header)
		case !slices.Equal(got.loops, w.loops):
			t.Fatalf("%s: %v: loops %q, want %q", name, w, got.loops, w.loops)
		}
	}
	return v
}
