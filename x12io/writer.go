package x12io

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Writer writes X12 segments with fixed delimiters and keeps the envelope
// trailers right: SE01 counts the transaction's segments, GE01 its
// transactions, IEA01 its groups, and each trailer repeats its header's
// control number.
type Writer struct {
	w       *bufio.Writer
	d       Delimiters
	newline bool
	err     error

	isaControl, gsControl, stControl string
	groups, txs, segs                int
	inISA, inGS, inST                bool
}

// NewWriter writes to w with delimiters d. Call Flush at the end.
func NewWriter(w io.Writer, d Delimiters) *Writer {
	return &Writer{w: bufio.NewWriterSize(w, 64<<10), d: d}
}

// SetNewline puts a line break after every segment terminator (none when
// the terminator is itself a line break).
func (w *Writer) SetNewline(on bool) { w.newline = on }

// Composite joins components with the component separator.
func (w *Writer) Composite(parts ...string) string {
	return strings.Join(parts, string(w.d.Component))
}

// Segment writes one segment. Elements are written as given: build
// composites with Composite. Trailing empty elements are dropped, as X12
// requires.
func (w *Writer) Segment(id string, elements ...string) error {
	if w.err != nil {
		return w.err
	}
	for len(elements) > 0 && elements[len(elements)-1] == "" {
		elements = elements[:len(elements)-1]
	}
	w.w.WriteString(id)
	for _, e := range elements {
		w.w.WriteByte(w.d.Element)
		w.w.WriteString(e)
	}
	w.terminate()
	return nil
}

// terminate ends a segment and counts it in the open transaction.
func (w *Writer) terminate() {
	w.w.WriteByte(w.d.Segment)
	if w.newline && !isLineBreak(w.d.Segment) {
		w.w.WriteByte('\n')
	}
	if w.inST {
		w.segs++
	}
}

// Raw writes one segment given as bytes (without its terminator), such as
// a Segment's Bytes from a Reader of the same delimiters. It is counted in
// SE01 like any segment; envelope segments must go through the Begin, Copy
// and End methods, which keep the counts.
func (w *Writer) Raw(segment []byte) error {
	if w.err != nil {
		return w.err
	}
	if bytes.IndexByte(segment, w.d.Segment) >= 0 {
		return w.fail(fmt.Errorf("x12io: Raw segment %.8q holds the segment terminator %q", segment, w.d.Segment))
	}
	if isEnvelopeID(segment, w.d.Element) {
		return w.fail(fmt.Errorf("x12io: Raw cannot write the envelope segment %.8q", segment))
	}
	if _, err := w.w.Write(segment); err != nil {
		return w.fail(err) // the output failed: stop early, not at Flush
	}
	w.terminate()
	return nil
}

// isEnvelopeID reports whether a segment is ISA, IEA, GS, GE, ST or SE.
func isEnvelopeID(seg []byte, sep byte) bool {
	var n int
	switch {
	case len(seg) >= 3 && seg[0] == 'I' && (seg[1] == 'S' || seg[1] == 'E') && seg[2] == 'A':
		n = 3 // ISA, IEA
	case len(seg) >= 2 && (seg[0] == 'G' && (seg[1] == 'S' || seg[1] == 'E') || seg[0] == 'S' && (seg[1] == 'T' || seg[1] == 'E')):
		n = 2 // GS, GE, ST, SE
	default:
		return false
	}
	return len(seg) == n || seg[n] == sep
}

// Interchange describes an ISA header.
type Interchange struct {
	SenderQualifier, SenderID     string // ISA05, ISA06
	ReceiverQualifier, ReceiverID string // ISA07, ISA08
	Date                          time.Time
	Control                       string // ISA13, up to 9 digits
	Version                       string // ISA12, default "00501"
	Usage                         string // ISA15, default "P"
}

func pad(s string, n int) string {
	if len(s) >= n {
		return s[:n]
	}
	return s + strings.Repeat(" ", n-len(s))
}

// BeginInterchange writes a fixed-width 106-byte ISA.
func (w *Writer) BeginInterchange(h Interchange) error {
	if w.inISA {
		return w.fail(errors.New("x12io: BeginInterchange inside an open interchange"))
	}
	version, usage := h.Version, h.Usage
	if version == "" {
		version = "00501"
	}
	if usage == "" {
		usage = "P"
	}
	control := fmt.Sprintf("%09s", h.Control)
	if len(control) != 9 {
		return w.fail(fmt.Errorf("x12io: ISA13 %q is longer than 9 characters", h.Control))
	}
	rep := "U"
	if w.d.Repetition != 0 {
		rep = string(w.d.Repetition)
	}
	w.inST = false
	w.Segment("ISA", "00", pad("", 10), "00", pad("", 10),
		pad(h.SenderQualifier, 2), pad(h.SenderID, 15), pad(h.ReceiverQualifier, 2), pad(h.ReceiverID, 15),
		h.Date.Format("060102"), h.Date.Format("1504"), rep, version, control, "0", usage, string(w.d.Component))
	w.isaControl, w.groups, w.inISA = control, 0, true
	return w.err
}

// BeginGroup writes GS with functional ID code (HC for claims), sender and
// receiver codes, date, control number (GS06) and version (GS08).
func (w *Writer) BeginGroup(code, sender, receiver string, date time.Time, control, version string) error {
	if !w.inISA || w.inGS {
		return w.fail(errors.New("x12io: BeginGroup outside an interchange or inside a group"))
	}
	w.Segment("GS", code, sender, receiver, date.Format("20060102"), date.Format("1504"), control, "X", version)
	w.gsControl, w.txs, w.inGS, w.groups = control, 0, true, w.groups+1
	return w.err
}

// BeginTransaction writes ST with transaction set ID, control (ST02) and
// implementation guide (ST03, may be empty).
func (w *Writer) BeginTransaction(id, control, guide string) error {
	if !w.inGS || w.inST {
		return w.fail(errors.New("x12io: BeginTransaction outside a group or inside a transaction"))
	}
	w.inST, w.segs = true, 0
	w.Segment("ST", id, control, guide)
	w.stControl, w.txs = control, w.txs+1
	return w.err
}

// EndTransaction writes SE with the segment count and ST02.
func (w *Writer) EndTransaction() error {
	if !w.inST {
		return w.fail(errors.New("x12io: EndTransaction without a transaction"))
	}
	w.Segment("SE", strconv.Itoa(w.segs+1), w.stControl)
	w.inST = false
	return w.err
}

// EndGroup writes GE with the transaction count and GS06.
func (w *Writer) EndGroup() error {
	if !w.inGS || w.inST {
		return w.fail(errors.New("x12io: EndGroup without a group, or with an open transaction"))
	}
	w.Segment("GE", strconv.Itoa(w.txs), w.gsControl)
	w.inGS = false
	return w.err
}

// EndInterchange writes IEA with the group count and ISA13.
func (w *Writer) EndInterchange() error {
	if !w.inISA || w.inGS {
		return w.fail(errors.New("x12io: EndInterchange without an interchange, or with an open group"))
	}
	w.Segment("IEA", strconv.Itoa(w.groups), w.isaControl)
	w.inISA = false
	return w.err
}

// CopyInterchange opens an interchange with an ISA read elsewhere, written
// as it is: its delimiters become the writer's (from the segment's
// Delimiters) and EndInterchange repeats its ISA13.
func (w *Writer) CopyInterchange(isa *Segment) error {
	if w.inISA {
		return w.fail(errors.New("x12io: CopyInterchange inside an open interchange"))
	}
	if !isa.Is("ISA") {
		return w.fail(fmt.Errorf("x12io: CopyInterchange of a %.3q segment", isa.ID()))
	}
	w.d = isa.Delimiters()
	w.inST = false
	w.w.Write(isa.Bytes())
	w.terminate()
	w.isaControl, w.groups, w.inISA = string(isa.Element(13)), 0, true
	return w.err
}

// CopyGroup opens a functional group with a GS read elsewhere, written as it
// is; EndGroup repeats its GS06.
func (w *Writer) CopyGroup(gs *Segment) error {
	if !w.inISA || w.inGS {
		return w.fail(errors.New("x12io: CopyGroup outside an interchange or inside a group"))
	}
	if !gs.Is("GS") {
		return w.fail(fmt.Errorf("x12io: CopyGroup of a %.3q segment", gs.ID()))
	}
	w.w.Write(gs.Bytes())
	w.terminate()
	w.gsControl, w.txs, w.inGS, w.groups = string(gs.Element(6)), 0, true, w.groups+1
	return w.err
}

// CopyTransaction opens a transaction with an ST read elsewhere, written as
// it is; EndTransaction repeats its ST02 and counts the segments since.
func (w *Writer) CopyTransaction(st *Segment) error {
	if !w.inGS || w.inST {
		return w.fail(errors.New("x12io: CopyTransaction outside a group or inside a transaction"))
	}
	if !st.Is("ST") {
		return w.fail(fmt.Errorf("x12io: CopyTransaction of a %.3q segment", st.ID()))
	}
	w.inST, w.segs = true, 0
	w.w.Write(st.Bytes())
	w.terminate()
	w.stControl, w.txs = string(st.Element(2)), w.txs+1
	return w.err
}

// Flush writes buffered data and returns the first error met.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	if err := w.w.Flush(); err != nil {
		w.err = err
	}
	return w.err
}

func (w *Writer) fail(err error) error {
	if w.err == nil {
		w.err = err
	}
	return w.err
}
