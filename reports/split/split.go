// Package split writes one X12 input back out as two interchanges, claim by
// claim: ready (claims to send) and held (claims to fix). It is the second
// pass of scrub837 --split (cmd/scrub837/REPORTS.md, "ready/ and held/"): the
// claim checks ran on the first pass, and a decision function says for each
// claim, by the byte offset of its CLM, which half it goes to.
//
// Each half holds, for each ISA, GS and ST of the input with a claim in that
// half: the input's ISA, GS and ST as they are; the segments between ST and
// the first HL (BHT, 1000A, 1000B); for each claim, the HL loops it is under
// (2000A, 2000B, 2000C: the HL and the loop's segments up to its first claim
// or child HL), written once before the first claim of a run of claims of
// that half sharing them, and the claim's whole 2300 loop (CLM up to the
// next HL, CLM or SE); then SE, GE and IEA, recounted. Segments are copied
// byte for byte, except HL: HL01 is renumbered from 1 in each transaction,
// HL02 names the parent's new number and HL04 is true in the half (1 when a
// child HL follows, 0 when claims do; a subscriber with claims of their own
// and then a patient's, both in one half, is written twice: as a leaf before
// their own claims and as a parent before the patient). Line breaks follow
// the input: one segment a line when its ISA is followed by one.
//
// Transactions of every type are split alike: an 837I's or a 4010 837's
// claims go where the decision says (scrub837 holds none of them: they are
// not target claims, so they are ready), and a transaction with no claim
// (an 835, a 999), like an HL loop with no claim under it, is in neither.
//
// Split refuses an input (a *Error: discard both halves and keep the input
// whole, as scrub837 does with a file it could not read) when the x12io
// reader reports any problem, fatal or not. A wrong SE01, GE01 or IEA01 is
// the only sign X12 gives that segments were lost: recounting it would hand
// on a claim that may be missing lines and silence the rejection the
// receiver would have sent; the other problems would be copied into ready,
// where a second scrub would find them. It also refuses a claim it cannot
// place (before any HL, under an HL whose parent is not the loop open
// before it, or under loops whose segments before their first claim pass
// 4 MiB) and a segment outside ST...SE. Memory stays within a few MiB
// whatever the input.
package split

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/scrub837/scrub837/x12io"
)

// Counts are what Split read and wrote.
type Counts struct {
	// Claims is the number of CLM segments read; when Split returns no
	// error it is Ready + Held.
	Claims int
	// Ready and Held are the claims written to each half. A half with no
	// claim was given no byte at all.
	Ready, Held int
	// Bytes is the number of input bytes read (x12io.Reader.Offset).
	Bytes int64
}

// Error says why an input was not split, and where.
type Error struct {
	Segment int64  // 1-based segment number (0 when not tied to one)
	Offset  int64  // byte offset of that segment, or where reading stopped
	Reason  string // what was found
	// Err is the reader's *x12io.Error when the reader found the problem.
	Err error
}

func (e *Error) Error() string {
	if e.Segment > 0 {
		return fmt.Sprintf("not split: segment %d at byte %d: %s", e.Segment, e.Offset, e.Reason)
	}
	return fmt.Sprintf("not split: byte %d: %s", e.Offset, e.Reason)
}

func (e *Error) Unwrap() error { return e.Err }

const (
	// maxKept bounds the bytes kept for the halves at any time: the open
	// transaction's header and the open HL loops' own segments. Real ones
	// are a few hundred bytes; past the bound the loop (or header) cannot
	// be written, and a claim under it refuses the split.
	maxKept = 4 << 20
	// maxDepth bounds the open HL loops (837P has three levels).
	maxDepth = 16
)

// Split reads src to its end and writes each claim to ready or held, as
// held(offset of the claim's CLM) says; it calls held once per claim, in
// input order. Output goes through buffers: the writers have every byte once
// Split returns with no error. A *Error means the input was not split; any
// other error is one of writing ready or heldOut. Either way, discard both.
func Split(src io.Reader, held func(claimOffset int64) bool, ready, heldOut io.Writer) (Counts, error) {
	s := &splitter{r: x12io.NewReader(src), held: held}
	s.halves[0].w = x12io.NewWriter(ready, x12io.DefaultDelimiters)
	s.halves[1].w = x12io.NewWriter(heldOut, x12io.DefaultDelimiters)
	err := s.run()
	s.counts.Bytes = s.r.Offset()
	s.counts.Ready, s.counts.Held = s.halves[0].claims, s.halves[1].claims
	return s.counts, err
}

// kept is a list of segments copied out of the reader's buffer.
type kept struct {
	buf  []byte
	ends []int
}

func (k *kept) add(seg []byte) {
	k.buf = append(k.buf, seg...)
	k.ends = append(k.ends, len(k.buf))
}

func (k *kept) reset() { k.buf, k.ends = k.buf[:0], k.ends[:0] }

func (k *kept) segment(i int) []byte {
	start := 0
	if i > 0 {
		start = k.ends[i-1]
	}
	return k.buf[start:k.ends[i]]
}

// envelope is a copy of an input ISA, GS or ST, numbered so that a half can
// tell whether it has written this one.
type envelope struct {
	data   []byte
	serial int64
}

// loop is an open HL loop of the input: its HL and its own segments.
type loop struct {
	serial  int64
	id      []byte // HL01
	segs    kept   // the HL, then the loop's own segments
	problem string // why a claim under it cannot be written ("" when it can)
	number  int64  // of the HL, for messages
}

// half is one output: ready or held.
type half struct {
	w      *x12io.Writer
	claims int
	// Serials of the input envelopes open in this half (0: none).
	isa, gs, st int64
	// The HL loops written in the open transaction, outermost first, as
	// far as the last claim written.
	chain  []written
	lastHL int
}

type written struct {
	serial int64
	id     int
	parent bool // written with HL04 = 1
}

type splitter struct {
	r      *x12io.Reader
	held   func(int64) bool
	halves [2]half
	counts Counts

	delims      x12io.Delimiters
	isa, gs, st envelope
	isaEnd      int64 // offset just past the ISA's terminator
	newline     bool  // the input puts line breaks between segments
	serial      int64
	inST        bool

	header        kept // segments between ST and the first HL
	headerProblem string
	chain         []*loop // open HL loops, outermost first
	free          []*loop
	keptBytes     int
	claim         *half // the half the open claim goes to
	hlSeg         x12io.Segment
	scratch       []byte
}

func (s *splitter) refuse(seg *x12io.Segment, format string, args ...any) error {
	return &Error{Segment: seg.Number, Offset: seg.Offset, Reason: fmt.Sprintf(format, args...)}
}

func (s *splitter) run() error {
	for {
		seg, err := s.r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var e *x12io.Error
			if !errors.As(err, &e) {
				return &Error{Offset: s.r.Offset(), Reason: err.Error(), Err: err}
			}
			reason := "the input has an X12 fault: " + e.Message
			if e.Fatal {
				reason = "the input could not be read to its end: " + e.Message
			}
			return &Error{Segment: e.Segment, Offset: e.Offset, Reason: reason, Err: e}
		}
		if err := s.segment(seg); err != nil {
			return err
		}
	}
	for i := range s.halves {
		if err := s.halves[i].w.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// segment handles one segment of the input.
func (s *splitter) segment(seg *x12io.Segment) error {
	d := seg.Bytes()
	// Most segments are a claim's: rule the others out on the first byte.
	if len(d) > 0 {
		switch d[0] {
		case 'I', 'G', 'S':
			if done, err := s.envelope(seg); done {
				return err
			}
		case 'H':
			if seg.Is("HL") && s.inST {
				s.claim = nil
				s.hl(seg)
				return nil
			}
		case 'C':
			if seg.Is("CLM") && s.inST {
				return s.clm(seg)
			}
		}
	}
	switch {
	case !s.inST:
		if seg.Is("CLM") {
			s.counts.Claims++
		}
		return s.refuse(seg, "a %.3q segment outside a transaction (not between ST and SE)", seg.ID())
	case s.claim != nil:
		return s.claim.w.Raw(d)
	case len(s.chain) > 0:
		l := s.chain[len(s.chain)-1]
		s.keep(&l.segs, &l.problem, d, "the loop's segments before its first claim")
	default:
		s.keep(&s.header, &s.headerProblem, d, "the transaction's segments before its first HL")
	}
	return nil
}

// envelope handles ISA, GS, ST, SE, GE and IEA; done is false for other
// segments.
func (s *splitter) envelope(seg *x12io.Segment) (done bool, err error) {
	d := seg.Bytes()
	switch {
	case seg.Is("ISA"):
		s.delims = seg.Delimiters()
		s.setEnvelope(&s.isa, d)
		s.isaEnd = seg.Offset + int64(len(d)) + 1
	case seg.Is("GS"):
		// Line breaks between ISA and GS: the input is laid out one
		// segment a line, and so are the halves.
		s.newline = seg.Offset > s.isaEnd
		s.setEnvelope(&s.gs, d)
	case seg.Is("ST"):
		s.setEnvelope(&s.st, d)
		s.inST = true
		s.header.reset()
		s.headerProblem = ""
		s.closeLoops(0)
		s.keptBytes = len(s.isa.data) + len(s.gs.data) + len(s.st.data)
	case seg.Is("SE"):
		s.claim = nil
		s.inST = false
		return true, s.close(func(h *half) *int64 { return &h.st }, s.st.serial, (*x12io.Writer).EndTransaction)
	case seg.Is("GE"):
		return true, s.close(func(h *half) *int64 { return &h.gs }, s.gs.serial, (*x12io.Writer).EndGroup)
	case seg.Is("IEA"):
		return true, s.close(func(h *half) *int64 { return &h.isa }, s.isa.serial, (*x12io.Writer).EndInterchange)
	default:
		return false, nil
	}
	return true, nil
}

func (s *splitter) setEnvelope(e *envelope, d []byte) {
	s.serial++
	e.data = append(e.data[:0], d...)
	e.serial = s.serial
}

// keep copies a segment for the halves, unless the bound is reached: then
// the list is dropped and problem says so.
func (s *splitter) keep(k *kept, problem *string, d []byte, what string) {
	if *problem != "" {
		return
	}
	if s.keptBytes+len(d) > maxKept {
		*problem = fmt.Sprintf("%s are more than %d bytes", what, maxKept)
		s.keptBytes -= len(k.buf)
		k.reset()
		return
	}
	s.keptBytes += len(d)
	k.add(d)
}

// close ends the envelope opened by serial in each half that opened it.
func (s *splitter) close(open func(*half) *int64, serial int64, end func(*x12io.Writer) error) error {
	for i := range s.halves {
		h := &s.halves[i]
		if p := open(h); *p == serial && serial != 0 {
			*p = 0
			if err := end(h.w); err != nil {
				return err
			}
		}
	}
	return nil
}

// hl opens an HL loop: the loops open before it that are not its parent
// (or the parent's parents) are closed.
func (s *splitter) hl(seg *x12io.Segment) {
	parent := seg.Element(2)
	depth := 0
	problem := ""
	if len(parent) > 0 {
		depth = len(s.chain)
		for depth > 0 && !bytes.Equal(s.chain[depth-1].id, parent) {
			depth--
		}
		if depth == 0 {
			problem = fmt.Sprintf("HL %.20q names parent HL %.20q, which is not a loop open before it (a child loop must follow its parent)", seg.Element(1), parent)
		}
	}
	s.closeLoops(depth)
	if depth >= maxDepth {
		problem = fmt.Sprintf("more than %d HL loops are nested", maxDepth)
		depth = maxDepth - 1
		s.closeLoops(depth)
	}
	l := s.newLoop()
	l.serial, l.number = s.serial+1, seg.Number
	s.serial++
	l.id = append(l.id[:0], seg.Element(1)...)
	l.problem = problem
	s.chain = append(s.chain, l)
	s.keep(&l.segs, &l.problem, seg.Bytes(), "the loop's segments before its first claim")
}

func (s *splitter) newLoop() *loop {
	if n := len(s.free); n > 0 {
		l := s.free[n-1]
		s.free = s.free[:n-1]
		return l
	}
	return new(loop)
}

// closeLoops keeps the first depth open loops and frees the others.
func (s *splitter) closeLoops(depth int) {
	for _, l := range s.chain[depth:] {
		s.keptBytes -= len(l.segs.buf)
		l.segs.reset()
		if cap(l.segs.buf) > 64<<10 {
			l.segs = kept{} // a huge loop once: do not keep its memory
		}
		s.free = append(s.free, l)
	}
	clear(s.chain[depth:])
	s.chain = s.chain[:depth]
}

// clm starts a claim: it goes to the half held says, after the envelopes,
// transaction header and HL loops that half has not written yet.
func (s *splitter) clm(seg *x12io.Segment) error {
	s.counts.Claims++
	s.claim = nil
	switch {
	case len(s.chain) == 0:
		return s.refuse(seg, "claim %.30q comes before any HL loop in its transaction", seg.Element(1))
	case s.headerProblem != "":
		return s.refuse(seg, "claim %.30q cannot be written: %s", seg.Element(1), s.headerProblem)
	}
	for _, l := range s.chain {
		if l.problem != "" {
			return s.refuse(seg, "claim %.30q is under the HL loop at segment %d, which cannot be written: %s", seg.Element(1), l.number, l.problem)
		}
	}
	h := &s.halves[0]
	if s.held(seg.Offset) {
		h = &s.halves[1]
	}
	if err := s.open(h); err != nil {
		return err
	}
	if err := s.writeLoops(h); err != nil {
		return err
	}
	h.claims++
	s.claim = h
	return h.w.Raw(seg.Bytes())
}

// open writes the input's open ISA, GS and ST to h unless h has them open
// already, and the transaction header after the ST.
func (s *splitter) open(h *half) error {
	w := h.w
	if h.isa != s.isa.serial {
		w.SetNewline(s.newline)
		isa := x12io.ParseSegment(s.isa.data, s.delims, 0, 0)
		if err := w.CopyInterchange(&isa); err != nil {
			return err
		}
		h.isa, h.gs, h.st = s.isa.serial, 0, 0
	}
	if h.gs != s.gs.serial {
		gs := x12io.ParseSegment(s.gs.data, s.delims, 0, 0)
		if err := w.CopyGroup(&gs); err != nil {
			return err
		}
		h.gs, h.st = s.gs.serial, 0
	}
	if h.st != s.st.serial {
		st := x12io.ParseSegment(s.st.data, s.delims, 0, 0)
		if err := w.CopyTransaction(&st); err != nil {
			return err
		}
		for i := range s.header.ends {
			if err := w.Raw(s.header.segment(i)); err != nil {
				return err
			}
		}
		h.st = s.st.serial
		h.chain, h.lastHL = h.chain[:0], 0
	}
	return nil
}

// writeLoops writes the open HL loops h has not written as they are needed
// now: the ones h wrote for the claims before are kept as long as they are
// the same loops with the same HL04.
func (s *splitter) writeLoops(h *half) error {
	n := len(s.chain)
	same := 0
	for same < len(h.chain) && same < n && h.chain[same].serial == s.chain[same].serial && h.chain[same].parent == (same < n-1) {
		same++
	}
	h.chain = h.chain[:same]
	for i := same; i < n; i++ {
		l := s.chain[i]
		h.lastHL++
		parentID := 0
		if i > 0 {
			parentID = h.chain[i-1].id
		}
		if err := h.w.Raw(s.renumberHL(l.segs.segment(0), h.lastHL, parentID, i < n-1)); err != nil {
			return err
		}
		for k := 1; k < len(l.segs.ends); k++ {
			if err := h.w.Raw(l.segs.segment(k)); err != nil {
				return err
			}
		}
		h.chain = append(h.chain, written{serial: l.serial, id: h.lastHL, parent: i < n-1})
	}
	return nil
}

// renumberHL rewrites an HL with a new HL01, the parent's new HL02 (none for
// 0) and HL04; HL03 and any element after HL04 stay as they are.
func (s *splitter) renumberHL(hl []byte, id, parent int, hasChild bool) []byte {
	seg := &s.hlSeg
	seg.Reset(hl, s.delims, 0, 0)
	sep := s.delims.Element
	b := append(s.scratch[:0], "HL"...)
	b = append(b, sep)
	b = strconv.AppendInt(b, int64(id), 10)
	b = append(b, sep)
	if parent > 0 {
		b = strconv.AppendInt(b, int64(parent), 10)
	}
	b = append(b, sep)
	b = append(b, seg.Element(3)...)
	b = append(b, sep)
	if hasChild {
		b = append(b, '1')
	} else {
		b = append(b, '0')
	}
	for k := 5; k <= seg.NumElements(); k++ {
		b = append(b, sep)
		b = append(b, seg.Element(k)...)
	}
	s.scratch = b
	return b
}
