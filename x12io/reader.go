package x12io

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

const (
	// DefaultMaxSegmentLength caps one segment. Real 837 segments are well
	// under 1 KiB; the cap only bounds memory on malformed input.
	DefaultMaxSegmentLength = 64 << 10
	// maxBadSegmentsInARow ends reading when the input has stopped being
	// X12 (binary garbage after a valid start, say).
	maxBadSegmentsInARow = 64
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Reader reads X12 segments from a stream. It is not safe for concurrent use.
type Reader struct {
	src  io.Reader
	buf  []byte
	pos  int   // first unconsumed byte in buf
	end  int   // end of valid data in buf
	base int64 // input offset of buf[0]
	eof  bool

	maxSeg int
	// bufMax is what buf grows to (see fill): it starts small, so that a
	// drop of thousands of small files does not allocate and clear the
	// full buffer for each.
	bufMax int
	// Where the next line breaks are: buf[lf.from:lf.at) holds no LF and
	// buf[cr.from:cr.at) no CR. Each is rescanned only once a segment
	// passes it, so a file with a line break after every segment costs one
	// short scan per segment, and a single-line file one scan per fill.
	lf, cr breakMark
	// plainEnd bounds the fast path of Next: while pos < plainEnd,
	// buf[pos:plainEnd) is valid data with no line break, and nothing
	// (queue, pending segment, fatal error, end, a line-break terminator)
	// stands in the way. Whatever changes that sets it to 0.
	plainEnd int
	// wanted[c] bit k: hand out segments whose ID starts with c and the
	// character '0'+k (see Want); all bits set by default.
	wanted    *[256]uint64
	delims    Delimiters
	haveISA   bool
	scratch   []byte
	segNumber int64
	seg       Segment
	badInARow int

	queue      []*Error // problems to return before the pending segment
	queueHead  int
	pending    bool // seg is ready to hand out after the queue
	pendingEnv bool // handing out seg changes the public envelope
	fatal      *Error
	done       bool
	// readErr is a read error held back until every byte read before it
	// has been parsed: fill treats it as the end of the input and finish
	// reports it. cutShort is set when the input ended inside a segment.
	readErr  error
	cutShort bool

	env    envelopeState
	public Envelope
	counts Counts
}

// startBufSize is a new Reader's buffer; it doubles as the input proves
// longer (see fill), up to 256 KiB or twice the segment cap.
const startBufSize = 16 << 10

// NewReader returns a Reader of src with the default segment length cap.
func NewReader(src io.Reader) *Reader {
	return NewReaderSize(src, DefaultMaxSegmentLength)
}

// NewReaderSize returns a Reader whose segments may be at most maxSegment
// bytes long; a longer one is reported as KindSegmentTooLong and skipped.
func NewReaderSize(src io.Reader, maxSegment int) *Reader {
	if maxSegment < isaScanLimit {
		maxSegment = isaScanLimit
	}
	bufSize := 256 << 10
	if bufSize < 2*maxSegment {
		bufSize = 2 * maxSegment
	}
	return &Reader{
		src:    src,
		buf:    make([]byte, min(bufSize, startBufSize)),
		bufMax: bufSize,
		maxSeg: maxSegment,
		seg:    Segment{ends: make([]int32, 0, 32)},
		wanted: &wantAll,
	}
}

var wantAll = func() (t [256]uint64) {
	for c := range t {
		t[c] = ^uint64(0)
	}
	return t
}()

// wants reports whether Next hands out a segment of these bytes: one of
// the wanted, an envelope segment, or one whose ID is malformed.
func (r *Reader) wants(data []byte) bool {
	if len(data) < 2 || !idByte[data[0]] || !idByte[data[1]] {
		return true
	}
	switch data[0] {
	case 'I', 'G', 'S':
		return true
	}
	return r.wantedID(data[0], data[1])
}

// wantedID reports whether IDs starting with c0 c1 (digits or upper-case
// letters) are wanted.
func (r *Reader) wantedID(c0, c1 byte) bool { return r.wanted[c0]&(1<<(c1-'0')) != 0 }

// Want limits the segments Next hands out to those whose ID starts with
// the first two characters of one of ids. The others are still read,
// numbered and counted in their envelopes, but Next goes on past them: a
// consumer that looks at a few kinds of segment does not pay a call for
// each of the rest. Envelope segments (ISA, IEA, GS, GE, ST, SE) and
// segments whose ID is malformed (after their problem) are always handed
// out. Call it before the first Next; no ids hands out every segment again.
func (r *Reader) Want(ids ...string) {
	if len(ids) == 0 {
		r.wanted = &wantAll
		return
	}
	t := new([256]uint64)
	for _, id := range ids {
		if len(id) < 2 || !idByte[id[0]] || !idByte[id[1]] {
			r.wanted = &wantAll // a prefix no ID has: never skip
			return
		}
		t[id[0]] |= 1 << (id[1] - '0')
	}
	r.wanted = t
}

// Envelope is the envelope the last segment handed out belongs to.
func (r *Reader) Envelope() Envelope { return r.public }

// Counts are the envelopes read so far.
func (r *Reader) Counts() Counts { return r.counts }

// Offset is the number of input bytes consumed so far. Once Next has
// returned io.EOF or a read error, it is every byte the source delivered.
func (r *Reader) Offset() int64 { return r.base + int64(r.pos) }

// Next returns the next segment. It returns a non-fatal *Error for each
// problem found (keep calling Next), a fatal *Error when reading cannot go
// on, and io.EOF at the end of the input. The segment is valid until the
// next call.
func (r *Reader) Next() (*Segment, error) {
	// The fast path, for the segments that make up almost all of a file:
	// one wholly in the buffer, not an ISA, with a valid ID, no line break
	// inside and no envelope problem. It is written out here rather than
	// called: it runs once per segment.
	for {
		p := r.pos
		if p >= r.plainEnd {
			if !r.startPlain() {
				return r.next()
			}
			p = r.pos
		}
		rest := r.buf[p:r.plainEnd]
		i := bytes.IndexByte(rest, r.delims.Segment)
		if i < 0 || i > r.maxSeg {
			return r.next()
		}
		data := rest[:i]
		c := rest[0]
		if c == 'I' || !validSegmentID(data, r.delims.Element) {
			return r.next() // an ISA changes the delimiters; a bad ID is reported
		}
		r.pos = p + i + 1
		r.segNumber++
		r.badInARow = 0
		if c != 'S' && c != 'G' {
			r.env.countSegment()
			// validSegmentID made data[1] a digit or upper-case letter.
			if !r.wantedID(c, data[1]) {
				continue
			}
			r.seg.resetPlain(data, r.segNumber, r.base+int64(p))
			return &r.seg, nil
		}
		r.seg.resetPlain(data, r.segNumber, r.base+int64(p))
		if changed := r.env.track(r, &r.seg); changed || len(r.queue) > 0 {
			// Hand the segment out after the problems it raised.
			r.pending, r.pendingEnv, r.plainEnd = true, changed, 0
			return r.next()
		}
		return &r.seg, nil
	}
}

// next is Next off the fast path: problems, envelopes, refills, the end.
func (r *Reader) next() (*Segment, error) {
	for {
		if r.queueHead < len(r.queue) {
			e := r.queue[r.queueHead]
			r.queue[r.queueHead] = nil
			r.queueHead++
			return nil, e
		}
		r.queue, r.queueHead = r.queue[:0], 0
		if r.pending {
			r.pending = false
			if r.pendingEnv {
				r.public = r.env.public
			}
			if !r.wants(r.seg.data) {
				continue
			}
			return &r.seg, nil
		}
		if r.fatal != nil {
			return nil, r.fatal
		}
		if r.done {
			return nil, io.EOF
		}
		r.readSegment()
	}
}

func (r *Reader) report(kind Kind, number, offset int64, format string, args ...any) {
	r.queue = append(r.queue, &Error{Kind: kind, Segment: number, Offset: offset, Message: fmt.Sprintf(format, args...)})
	r.plainEnd = 0
}

func (r *Reader) fail(kind Kind, number, offset int64, err error, format string, args ...any) {
	r.fatal = &Error{Kind: kind, Segment: number, Offset: offset, Message: fmt.Sprintf(format, args...), Fatal: true, Err: err}
	r.plainEnd = 0
}

// fill reads more input after compacting the buffer; it sets eof at the end.
// A read error ends the input too, but is only reported once the data read
// before it (in the same Read call or earlier) has been parsed: a gzip
// stream cut short still yields every claim it holds.
func (r *Reader) fill() {
	if r.pos > 0 && (r.end == len(r.buf) || r.pos > len(r.buf)/2) {
		shift := r.pos
		copy(r.buf, r.buf[r.pos:r.end])
		r.end -= shift
		r.pos = 0
		r.base += int64(shift)
		r.lf.shift(shift)
		r.cr.shift(shift)
		r.plainEnd = 0
	}
	if len(r.buf) < r.bufMax && (r.end == len(r.buf) || r.base+int64(r.end) >= 2*int64(len(r.buf))) {
		// Full, or the input has filled it twice over already: a long
		// input reads in big chunks. Offsets into buf stay valid.
		grown := make([]byte, min(2*len(r.buf), r.bufMax))
		copy(grown, r.buf[:r.end])
		r.buf = grown
	}
	if r.end == len(r.buf) {
		return // full: the caller's cap check decides what happens
	}
	for tries := 0; tries < 100; tries++ {
		n, err := r.src.Read(r.buf[r.end:])
		r.end += n
		if err != nil {
			r.eof = true
			if !errors.Is(err, io.EOF) {
				r.readErr = err
			}
			return
		}
		if n > 0 {
			return
		}
	}
	r.eof, r.readErr = true, io.ErrNoProgress
}

// ensure tries to have n unconsumed bytes buffered; false at end of input.
func (r *Reader) ensure(n int) bool {
	for r.end-r.pos < n && !r.eof && r.fatal == nil {
		r.fill()
	}
	return r.end-r.pos >= n
}

func isSpaceOrBreak(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

// readSegment reads one segment into r.seg (setting r.pending), or queues
// problems, or reaches the end of input.
func (r *Reader) readSegment() {
	// Skip line breaks and indentation between segments.
	for {
		for r.pos < r.end && isSpaceOrBreak(r.buf[r.pos]) {
			r.pos++
		}
		if r.pos < r.end || r.eof || r.fatal != nil {
			break
		}
		r.fill()
	}
	if r.fatal != nil {
		return
	}
	if r.pos == r.end {
		r.finish()
		return
	}
	if !r.haveISA && r.base+int64(r.pos) <= 3 && r.ensure(3) && bytes.HasPrefix(r.buf[r.pos:r.end], utf8BOM) {
		r.pos += len(utf8BOM)
		r.readSegment()
		return
	}
	if r.end-r.pos < 4 {
		r.ensure(4)
	}
	if r.startsISA() {
		if !r.readISA() {
			return
		}
	} else if !r.haveISA {
		r.ensure(64)
		r.fail(KindNotX12, 0, r.base+int64(r.pos), nil, "%s", describeNonX12(r.buf[r.pos:r.end]))
		return
	}

	term := r.delims.Segment
	scanned := 0
	segEnd := -1
	for {
		if i := bytes.IndexByte(r.buf[r.pos+scanned:r.end], term); i >= 0 {
			segEnd = r.pos + scanned + i
			break
		}
		scanned = r.end - r.pos
		if scanned > r.maxSeg || r.eof || r.fatal != nil {
			break
		}
		r.fill()
	}
	start := r.pos
	r.segNumber++
	number, offset := r.segNumber, r.base+int64(start)
	switch {
	case segEnd-start > r.maxSeg || (segEnd < 0 && r.end-start > r.maxSeg):
		r.report(KindSegmentTooLong, number, offset, "segment is longer than the %d-byte limit (no %q terminator within it); skipped to the next terminator", r.maxSeg, term)
		r.skipPastTerminator()
		r.env.countSegment()
		r.noteBadSegment(offset)
		return
	case segEnd < 0:
		if r.fatal != nil {
			return
		}
		// The input ends inside a segment: hand out what is there.
		segEnd = r.end
		r.report(KindUnterminated, number, offset, "input ends inside a segment: no %q terminator after it (truncated file?)", term)
		r.queue[len(r.queue)-1].Truncated = true
		r.cutShort = true
	}
	data := r.buf[start:segEnd]
	r.pos = segEnd + 1
	if r.pos > r.end {
		r.pos = r.end
	}
	if isLineBreak(term) {
		// CRLF files whose terminator is the LF: the CR is not data.
		if len(data) > 0 && data[len(data)-1] == '\r' {
			data = data[:len(data)-1]
		}
	} else if r.holdsLineBreak(start, segEnd) {
		data = r.dropLineBreaks(data)
	}
	r.seg.reset(data, r.delims, number, offset)
	r.pending, r.plainEnd = true, 0
	if !validSegmentID(data, r.delims.Element) {
		r.report(KindBadSegmentID, number, offset, "%s; segment IDs are 2 or 3 upper-case letters or digits", describeSegmentID(r.seg.ID()))
		r.noteBadSegment(offset)
	} else {
		r.badInARow = 0
	}
	r.pendingEnv = r.env.track(r, &r.seg)
}

// startPlain decides whether the fast path may run from r.pos: it skips
// the blanks between segments and sets plainEnd at the next line break
// (or the end of the buffered data).
func (r *Reader) startPlain() bool {
	if r.queueHead != len(r.queue) || r.pending || !r.haveISA || r.fatal != nil || r.done || isLineBreak(r.delims.Segment) {
		return false
	}
	p := r.pos
	for p < r.end && isSpaceOrBreak(r.buf[p]) {
		p++
	}
	r.pos = p
	if p == r.end {
		return false
	}
	valid := r.buf[:r.end]
	r.plainEnd = min(r.lf.reach(valid, p, '\n'), r.cr.reach(valid, p, '\r'))
	return p < r.plainEnd
}

// breakMark remembers a stretch of the buffer known to hold no CR (or LF):
// buf[from:at) is free of it, and at is where the next one is or where the
// buffer ended when it was scanned.
type breakMark struct{ from, at int }

func (m *breakMark) shift(n int) { m.from -= n; m.at -= n }

// clear reports whether buf[start:end] holds no c, rescanning from start
// when the mark does not cover it.
func (m *breakMark) clear(buf []byte, start, end int, c byte) bool {
	if start < m.from || end > m.at {
		m.rescan(buf, start, c)
	}
	return end <= m.at
}

// reach is where the next c at or after start is (or the end of buf),
// rescanning only when start is outside the mark.
func (m *breakMark) reach(buf []byte, start int, c byte) int {
	if start < m.from || start > m.at {
		m.rescan(buf, start, c)
	}
	return m.at
}

// rescan moves the mark to start: at becomes the next c from there, or
// the end of buf.
func (m *breakMark) rescan(buf []byte, start int, c byte) {
	m.from = start
	if i := bytes.IndexByte(buf[start:], c); i >= 0 {
		m.at = start + i
	} else {
		m.at = len(buf)
	}
}

// holdsLineBreak reports whether buf[start:end] (within the valid data)
// holds a CR or LF.
func (r *Reader) holdsLineBreak(start, end int) bool {
	// Both marks cover most segments: decide inline, without a call.
	if start >= r.lf.from && start >= r.cr.from && end <= r.lf.at && end <= r.cr.at {
		return false
	}
	valid := r.buf[:r.end]
	return !r.lf.clear(valid, start, end, '\n') || !r.cr.clear(valid, start, end, '\r')
}

func (r *Reader) startsISA() bool {
	p := r.pos
	return r.buf[p] == 'I' && r.end-p >= 4 && r.buf[p+1] == 'S' && r.buf[p+2] == 'A' && !isAlnum(r.buf[p+3])
}

// readISA takes the delimiters from the ISA at r.pos. It returns false when
// they cannot be found (a fatal error is set).
func (r *Reader) readISA() bool {
	r.ensure(isaScanLimit)
	res := parseISA(r.buf[r.pos:r.end])
	if res.bad != "" && r.readErr != nil && r.end-r.pos < isaScanLimit {
		// The ISA is cut short by a read error, not malformed: what is
		// left is consumed, as the rest of a cut-off segment would be.
		r.cutShort, r.pos = true, r.end
		r.finish()
		return false
	}
	if res.bad != "" {
		r.fail(KindBadISA, r.segNumber+1, r.base+int64(r.pos), nil, "%s", res.bad)
		return false
	}
	if res.layout != "" {
		r.report(KindISALayout, r.segNumber+1, r.base+int64(r.pos), "%s", res.layout)
	}
	r.delims = res.delims
	r.haveISA = true
	r.plainEnd = 0 // the terminator may have changed
	return true
}

func (r *Reader) skipPastTerminator() {
	term := r.delims.Segment
	for {
		if i := bytes.IndexByte(r.buf[r.pos:r.end], term); i >= 0 {
			r.pos += i + 1
			return
		}
		r.pos = r.end
		if r.eof || r.fatal != nil {
			return
		}
		r.fill()
	}
}

func (r *Reader) noteBadSegment(offset int64) {
	r.badInARow++
	if r.badInARow >= maxBadSegmentsInARow {
		r.fail(KindNotX12, r.segNumber, offset, nil, "%d malformed segments in a row: the input is not X12 from here on", r.badInARow)
	}
}

// dropLineBreaks removes CR and LF from data: when the terminator is not a
// line break, line breaks are wrapping (80-column files), never data.
func (r *Reader) dropLineBreaks(data []byte) []byte {
	if cap(r.scratch) < len(data) {
		// Sized once to the cap: a segment is never longer than maxSeg.
		r.scratch = make([]byte, 0, r.maxSeg)
	}
	out := r.scratch[:0]
	for _, c := range data {
		if !isLineBreak(c) {
			out = append(out, c)
		}
	}
	r.scratch = out
	return out
}

// finish checks for unclosed envelopes at the end of the input, then
// reports a held-back read error: fatal, and Truncated when the input
// ended inside an envelope or a segment.
func (r *Reader) finish() {
	r.done, r.plainEnd = true, 0
	first := len(r.queue)
	if r.haveISA {
		r.env.closeAll(r, r.segNumber, r.base+int64(r.pos), "at the end of the input")
	}
	for _, e := range r.queue[first:] {
		e.Truncated = true
	}
	switch {
	case r.readErr != nil:
		end := r.base + int64(r.end)
		why := r.readErr.Error()
		if r.readErr == io.ErrNoProgress {
			why = "the input returned no data 100 times in a row"
		}
		r.fail(KindIO, 0, end, r.readErr, "reading the input failed after %d bytes (%d segments): %s", end, r.segNumber, why)
		r.fatal.Truncated = len(r.queue) > first || r.cutShort
	case !r.haveISA:
		r.fail(KindNotX12, 0, r.base+int64(r.pos), nil, "%s", describeNonX12(nil))
	}
}

// idByte marks the bytes a segment ID may hold.
var idByte = func() (t [256]bool) {
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	return t
}()

// validSegmentID reports whether data starts with a 2-3 character ID of
// upper-case letters or digits followed by the element separator or the end.
func validSegmentID(data []byte, sep byte) bool {
	if len(data) >= 4 {
		if !idByte[data[0]] || !idByte[data[1]] {
			return false
		}
		return data[2] == sep || idByte[data[2]] && data[3] == sep
	}
	if len(data) < 2 {
		return false
	}
	for _, c := range data {
		if !idByte[c] {
			return false
		}
	}
	return true
}

// describeSegmentID says what is wrong with a segment ID without quoting
// it: the bytes of a broken segment may be patient data (a name that lost
// its segment's start), which must not reach reports or logs.
func describeSegmentID(id []byte) string {
	n := len(id)
	switch {
	case n == 0:
		return "a segment with no ID (it starts with an element separator)"
	case n > 3:
		return "a segment ID of more than 3 characters"
	}
	lower, other := false, false
	for _, c := range id {
		switch {
		case c >= 'a' && c <= 'z':
			lower = true
		case !idByte[c]:
			other = true
		}
	}
	what := fmt.Sprintf("a segment ID of %d character", n)
	if n > 1 {
		what += "s"
	}
	switch {
	case other && n == 1:
		return what + " that is not a letter or digit"
	case other:
		return what + " that are not all letters or digits"
	case lower:
		return what + " that is not upper case"
	}
	return what // one character: too short
}
