package claim

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/scrub837/scrub837/x12io"
)

// The walker reads one file's segments and places them: it keeps the
// header context of the open 2000A/2000B/2000C loops and copies the
// segments of the open claim it may need (CLM, HI, REF*F8, 2310A NM1*DN/P3,
// 2310B NM1*82/PRV*PE, 2310C NM1*77, LX,
// SV1, DTP*472, 2420A NM1*82/PRV*PE) into a reused arena, noting, by
// comparing bytes, whether a line bills the procedure or a related code.
// Only when the claim ends (next CLM, HL, the end of the transaction or of
// the input) and it is to be kept does it hand the claim on (events); the
// decoder makes the Claim's strings.

// Kinds of the segments kept in the claim arena.
const (
	segCLM          uint8 = iota + 1
	segHI                 // 2300 HI
	segNM182              // 2310B rendering provider NM1*82
	segPRVPE              // 2310B PRV*PE
	segLX                 // 2400 LX
	segSV1                // 2400 SV1
	segDTP472             // 2400 DTP*472
	segLineNM182          // 2420A NM1*82
	segLinePRVPE          // 2420A PRV*PE
	segREFF8              // 2300 REF*F8
	segNM1Referring       // 2310A referring (NM1*DN) or primary care (NM1*P3) provider
	segNM1Facility        // 2310C service facility location NM1*77
)

// HL levels the walker knows (HL03); levelOther is any other code.
const (
	levelNone       uint8 = iota
	levelBilling          // 20: 2000A billing provider
	levelSubscriber       // 22: 2000B subscriber
	levelPatient          // 23: 2000C patient
	levelOther
)

var levelNames = [...]string{
	levelNone:       "none",
	levelBilling:    "a billing provider HL (20)",
	levelSubscriber: "a subscriber HL (22)",
	levelPatient:    "a patient HL (23)",
	levelOther:      "an HL of another level",
}

// Sub-loop of the open claim the last NM1 opened, for PRV*PE placement.
const (
	nm1None uint8 = iota
	nm1Rendering
	nm1Other
)

// maxNumericHL bounds the HL IDs kept in the dense level table; larger or
// non-numeric IDs go to a map (real files number HLs 1, 2, 3...).
const maxNumericHL = 1 << 20

// segRef is one segment kept in the claim arena.
type segRef struct {
	kind       uint8
	start, end int32
	pos        Pos
}

// savedSeg is one header segment kept in a reused buffer.
type savedSeg struct {
	data []byte
	pos  Pos
	ok   bool
}

func (s *savedSeg) set(seg *x12io.Segment) {
	s.data = append(s.data[:0], seg.Bytes()...)
	s.pos = Pos{Segment: seg.Number, Offset: seg.Offset}
	s.ok = true
}

func (s *savedSeg) reset() { s.ok = false }

// The header segments a claim is read with, in rawClaim.headers.
const (
	hdrPRVBI = iota // 2000A PRV*BI
	hdrNM185        // 2010AA NM1*85
	hdrNM1IL        // 2010BA NM1*IL
	hdrNM1PR        // 2010BB NM1*PR
	numHeaders
)

// events takes what the walker finds, in file order.
type events interface {
	// claim is handed the open claim, which has ended and is to be kept.
	claim(raw *rawClaim)
	problem(e *Error)
}

// walker is the per-file state of the segment walk.
type walker struct {
	r         *x12io.Reader
	out       events
	procedure string
	isRelated func(code []byte) bool
	counts    Counts
	finished  bool // the input was read to its end, or reading stopped

	// the open transaction
	inTx     bool
	scrub    bool // the open transaction is 837P: claims are walked
	txEnv    x12io.Envelope
	txPos    Pos
	txClaims int    // CLM read in the open transaction
	txWhat   string // what a skipped transaction is, for KindNotProfessional
	txGuide  string
	delims   x12io.Delimiters
	elemSep  byte
	hlLevels []uint8 // by numeric HL ID
	hlMax    int
	hlOther  map[string]uint8
	level    uint8 // level of the open HL
	headers  [numHeaders]savedSeg
	billing  bool   // a 2000A billing provider HL is open
	subscr   bool   // a 2000B subscriber HL is open
	patient  bool   // a 2000C patient HL is open
	billID   []byte // HL01 of the open 2000A
	subscrID []byte // HL01 of the open 2000B

	// the open claim
	inClaim     bool
	arena       []byte
	segs        []segRef
	claimPos    Pos
	sawLX       bool  // an LX has been read in the claim
	lineSV1     bool  // the open line has its SV1
	otherPayer  bool  // a 2320 SBR has been read (NM1*82 is then 2330D)
	lastNM1     uint8 // sub-loop opened by the last NM1
	targetLines int
	related     bool
	relatedMemo [relatedCacheSize]relatedSlot

	raw  rawClaim      // the view of the open claim handed to out
	mseg x12io.Segment // for claimID
}

// walkedSegments are the segment IDs segment looks at; it ignores every
// other one, so the reader need not hand them out (x12io.Reader.Want).
// Keep the two in step: TestSkippingSegmentsGivesTheSameClaims compares a
// walk of every segment with a walk of these.
var walkedSegments = []string{"ISA", "IEA", "GS", "GE", "ST", "SE", "CLM", "SV1", "SBR", "HL", "HI", "LX", "NM1", "PRV", "DTP", "REF"}

// step reads and handles one segment or reader error; at the end of the
// input, or a fatal error, it closes what is open and finishes.
func (w *walker) step() {
	seg, err := w.r.Next()
	if err == nil {
		w.segment(seg)
		return
	}
	if errors.Is(err, io.EOF) {
		w.endTransaction()
		w.finish()
		return
	}
	var e *x12io.Error
	if !errors.As(err, &e) {
		e = &x12io.Error{Kind: x12io.KindIO, Offset: w.r.Offset(), Message: err.Error(), Fatal: true, Err: err}
	}
	if e.Fatal {
		w.fatal(e)
		w.finish()
		return
	}
	w.readerProblem(e)
}

func (w *walker) finish() {
	c := w.r.Counts()
	w.counts.Interchanges = c.Interchanges
	w.counts.Transactions = c.Transactions
	w.counts.Bytes = w.r.Offset()
	w.finished = true
}

// segment handles one segment.
func (w *walker) segment(seg *x12io.Segment) {
	d := seg.Bytes()
	if len(d) < 2 {
		return
	}
	sep := w.elemSep
	switch d[0] {
	case 'C':
		if seg.Is("CLM") {
			w.counts.Claims++
			if w.inTx {
				w.txClaims++
			}
			if w.scrub {
				w.clm(seg)
			}
		}
	case 'S':
		switch {
		case !w.scrub:
			if seg.Is("ST") {
				w.beginTransaction(seg)
			} else if seg.Is("SE") {
				w.endTransaction()
			}
		case seg.Is("SV1"):
			w.sv1(seg)
		case seg.Is("SBR"):
			if w.inClaim {
				w.otherPayer, w.lastNM1 = true, nm1Other
			}
		case seg.Is("SE"):
			w.endTransaction()
		case seg.Is("ST"):
			w.beginTransaction(seg)
		}
	case 'I':
		if seg.Is("ISA") {
			// A new interchange may change the delimiters.
			w.endTransaction()
			w.delims = seg.Delimiters()
			w.elemSep = w.delims.Element
		} else if w.inTx && seg.Is("IEA") {
			w.endTransaction()
		}
	case 'G':
		if w.inTx && (seg.Is("GS") || seg.Is("GE")) {
			w.endTransaction()
		}
	}
	if !w.scrub {
		return
	}
	switch d[0] {
	case 'H':
		if seg.Is("HL") {
			w.hl(seg)
		} else if w.inClaim && !w.sawLX && !w.otherPayer && seg.Is("HI") {
			w.store(segHI, seg)
		}
	case 'L':
		if seg.Is("LX") {
			w.lx(seg)
		}
	case 'N':
		if seg.Is("NM1") {
			w.nm1(seg)
		}
	case 'P':
		if seg.Is("PRV") {
			w.prv(seg)
		}
	case 'D':
		if w.inClaim && w.sawLX && firstIs(d, 3, sep, "472") && seg.Is("DTP") {
			w.store(segDTP472, seg)
		}
	case 'R':
		// REF*F8 is a 2300 segment: before the lines and the other-payer
		// (2320) loops.
		if w.inClaim && !w.sawLX && !w.otherPayer && firstIs(d, 3, sep, "F8") && seg.Is("REF") {
			w.store(segREFF8, seg)
		}
	}
}

// firstIs reports whether element 1 of a segment with an ID of idLen bytes
// is val.
func firstIs(d []byte, idLen int, sep byte, val string) bool {
	start := idLen + 1
	end := start + len(val)
	return len(d) >= end && d[idLen] == sep && string(d[start:end]) == val && (len(d) == end || d[end] == sep)
}

// beginTransaction opens an ST: it decides whether the transaction is 837P.
func (w *walker) beginTransaction(seg *x12io.Segment) {
	w.endTransaction()
	w.inTx = true
	w.txEnv = w.r.Envelope()
	w.txPos = Pos{Segment: seg.Number, Offset: seg.Offset}
	w.txClaims = 0
	w.delims = seg.Delimiters()
	w.elemSep = w.delims.Element
	kind := classifyTransaction(w.txEnv)
	w.txWhat, w.txGuide = kind.what, kind.guide
	if !kind.is837P {
		w.scrub = false
		return
	}
	w.scrub = true
	w.counts.Professional = true
	w.resetHL()
	if kind.version {
		w.problem(KindGuideVersion, w.txEnv, w.txPos, false, versionMessage(w.txEnv, kind.guide), nil)
	}
}

// endTransaction closes the open transaction (SE, or an envelope segment or
// the end of the input where the SE is missing).
func (w *walker) endTransaction() {
	if !w.inTx {
		return
	}
	w.endClaim()
	if !w.scrub {
		w.counts.TransactionsSkipped++
		w.problem(KindNotProfessional, w.txEnv, w.txPos, false, not837PMessage(w.txEnv, w.txWhat, w.txGuide, w.txClaims), nil)
	}
	w.inTx, w.scrub = false, false
	w.level = levelNone
	w.billing, w.subscr, w.patient = false, false, false
}

func (w *walker) resetHL() {
	if w.hlMax >= 0 && len(w.hlLevels) > 0 {
		clear(w.hlLevels[:min(w.hlMax+1, len(w.hlLevels))])
	}
	w.hlMax = 0
	if len(w.hlOther) > 0 {
		clear(w.hlOther)
	}
	w.level = levelNone
	w.billing, w.subscr, w.patient = false, false, false
	for i := range w.headers {
		w.headers[i].reset()
	}
}

// numericID reads an HL ID as a small number; ok is false for other IDs.
func numericID(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 7 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n < maxNumericHL
}

func (w *walker) hlLevel(id []byte) uint8 {
	if n, ok := numericID(id); ok {
		if n < len(w.hlLevels) {
			return w.hlLevels[n]
		}
		return levelNone
	}
	return w.hlOther[string(id)]
}

func (w *walker) setHLLevel(id []byte, level uint8) {
	if n, ok := numericID(id); ok {
		if n >= len(w.hlLevels) {
			size := max(2*len(w.hlLevels), 1024)
			for size <= n {
				size *= 2
			}
			grown := make([]uint8, size)
			copy(grown, w.hlLevels)
			w.hlLevels = grown
		}
		w.hlLevels[n] = level
		w.hlMax = max(w.hlMax, n)
		return
	}
	if w.hlOther == nil {
		w.hlOther = make(map[string]uint8)
	}
	w.hlOther[string(id)] = level
}

func levelOf(code []byte) uint8 {
	switch string(code) {
	case "20":
		return levelBilling
	case "22":
		return levelSubscriber
	case "23":
		return levelPatient
	}
	return levelOther
}

// hl opens a 2000A/B/C loop (or another level) and checks its parent.
func (w *walker) hl(seg *x12io.Segment) {
	w.endClaim()
	id, parent := seg.Element(1), seg.Element(2)
	level := levelOf(seg.Element(3))
	pos := Pos{Segment: seg.Number, Offset: seg.Offset}
	w.checkHLParent(id, parent, level, pos)
	if len(id) > 0 {
		w.setHLLevel(id, level)
	}
	w.level = level
	switch level {
	case levelBilling:
		w.billing = true
		w.billID = append(w.billID[:0], id...)
		w.headers[hdrPRVBI].reset()
		w.headers[hdrNM185].reset()
		w.subscr, w.patient = false, false
	case levelSubscriber:
		w.subscr = true
		w.subscrID = append(w.subscrID[:0], id...)
		w.headers[hdrNM1IL].reset()
		w.headers[hdrNM1PR].reset()
		w.patient = false
	case levelPatient:
		w.patient = true
	}
}

func (w *walker) checkHLParent(id, parent []byte, level uint8, pos Pos) {
	var want uint8
	var open []byte
	switch level {
	case levelSubscriber:
		want, open = levelBilling, w.billID
		if !w.billing {
			open = nil
		}
	case levelPatient:
		want, open = levelSubscriber, w.subscrID
		if !w.subscr {
			open = nil
		}
	}
	if len(parent) == 0 {
		if want != levelNone {
			w.syntax(KindHLParent, pos, false, hlNoParentMessage(id, pos, level))
		}
		return
	}
	got := w.hlLevel(parent)
	switch {
	case got == levelNone:
		w.syntax(KindHLParent, pos, false, hlMissingParentMessage(id, pos, parent))
	case want != levelNone && got != want:
		w.syntax(KindHLParent, pos, false, hlWrongParentMessage(id, pos, parent, level, got))
	case want != levelNone && !bytes.Equal(parent, open):
		w.syntax(KindHLParent, pos, false, hlNotOpenParentMessage(id, pos, parent, level, open))
	}
}

// clm opens a claim.
func (w *walker) clm(seg *x12io.Segment) {
	w.endClaim()
	w.inClaim = true
	w.arena = w.arena[:0]
	w.segs = w.segs[:0]
	w.claimPos = Pos{Segment: seg.Number, Offset: seg.Offset}
	w.sawLX, w.lineSV1, w.otherPayer = false, false, false
	w.lastNM1 = nm1None
	w.targetLines, w.related = 0, false
	w.store(segCLM, seg)
	if w.level != levelSubscriber && w.level != levelPatient {
		w.syntax(KindClaimOutsideHL, w.claimPos, true, clmOutsideMessage(w.level, w.claimPos))
	}
}

func (w *walker) lx(seg *x12io.Segment) {
	w.counts.ServiceLines++
	if !w.inClaim {
		pos := Pos{Segment: seg.Number, Offset: seg.Offset}
		w.syntax(KindLineOutsideClaim, pos, false, lxOutsideMessage(pos))
		return
	}
	w.store(segLX, seg)
	w.sawLX, w.lineSV1, w.otherPayer = true, false, false
	w.lastNM1 = nm1None
}

func (w *walker) sv1(seg *x12io.Segment) {
	if !w.inClaim || !w.sawLX {
		w.syntax(KindSV1WithoutLX, Pos{Segment: seg.Number, Offset: seg.Offset}, w.inClaim, sv1WithoutLXMessage(w.inClaim))
		return
	}
	if w.lineSV1 {
		return // one SV1 per line; a second one is not the line's
	}
	w.lineSV1 = true
	w.store(segSV1, seg)
	// SV101: qualifier, procedure. Look at the bytes without splitting:
	// "SV1*HC:code:..." with the code ending at a component, repetition or
	// element separator.
	d := seg.Bytes()
	comp := w.delims.Component
	if len(d) < 8 || d[4] != 'H' || d[5] != 'C' || d[6] != comp {
		return
	}
	code := d[7:]
	sep, rep := w.elemSep, w.delims.Repetition
	for i, c := range code {
		if c == comp || c == sep || (c == rep && rep != 0) {
			code = code[:i]
			break
		}
	}
	if string(code) == w.procedure {
		w.targetLines++
		w.counts.TargetLines++
		return
	}
	if !w.related && w.relatedCode(code) {
		w.related = true
	}
}

// relatedCacheSize is the number of slots of the walker's memo of related
// code lookups (a power of two).
const relatedCacheSize = 64

// relatedSlot remembers one code's answer; key packs the code's bytes and
// length (0: empty slot).
type relatedSlot struct {
	key     uint64
	related bool
}

// relatedCode reports whether Options.Related accepts code. A file bills
// the same few dozen codes over and over: a small direct-mapped memo keyed
// by the code's bytes answers most lines without calling it.
func (w *walker) relatedCode(code []byte) bool {
	if w.isRelated == nil {
		return false
	}
	if len(code) == 0 || len(code) > 7 {
		return w.isRelated(code)
	}
	key := uint64(len(code))
	for _, c := range code {
		key = key<<8 | uint64(c)
	}
	slot := &w.relatedMemo[(key*0x9E3779B97F4A7C15)>>(64-6)]
	if slot.key == key {
		return slot.related
	}
	ok := w.isRelated(code)
	*slot = relatedSlot{key: key, related: ok}
	return ok
}

func (w *walker) nm1(seg *x12io.Segment) {
	d := seg.Bytes()
	sep := w.elemSep
	if !w.inClaim {
		switch w.level {
		case levelBilling:
			if !w.headers[hdrNM185].ok && firstIs(d, 3, sep, "85") {
				w.headers[hdrNM185].set(seg)
			}
		case levelSubscriber:
			if !w.headers[hdrNM1IL].ok && firstIs(d, 3, sep, "IL") {
				w.headers[hdrNM1IL].set(seg)
			} else if !w.headers[hdrNM1PR].ok && firstIs(d, 3, sep, "PR") {
				w.headers[hdrNM1PR].set(seg)
			}
		}
		return
	}
	if w.otherPayer {
		w.lastNM1 = nm1Other
		return
	}
	if !firstIs(d, 3, sep, "82") {
		w.lastNM1 = nm1Other
		switch {
		case w.sawLX:
		case firstIs(d, 3, sep, "DN") || firstIs(d, 3, sep, "P3"):
			w.store(segNM1Referring, seg)
		case firstIs(d, 3, sep, "77"):
			w.store(segNM1Facility, seg)
		}
		return
	}
	w.lastNM1 = nm1Rendering
	if w.sawLX {
		w.store(segLineNM182, seg)
	} else {
		w.store(segNM182, seg)
	}
}

func (w *walker) prv(seg *x12io.Segment) {
	d := seg.Bytes()
	sep := w.elemSep
	if !w.inClaim {
		if w.level == levelBilling && !w.headers[hdrPRVBI].ok && firstIs(d, 3, sep, "BI") {
			w.headers[hdrPRVBI].set(seg)
		}
		return
	}
	if w.lastNM1 != nm1Rendering || !firstIs(d, 3, sep, "PE") {
		return
	}
	if w.sawLX {
		w.store(segLinePRVPE, seg)
	} else {
		w.store(segPRVPE, seg)
	}
}

// store copies seg into the claim arena.
func (w *walker) store(kind uint8, seg *x12io.Segment) {
	start := len(w.arena)
	w.arena = append(w.arena, seg.Bytes()...)
	w.segs = append(w.segs, segRef{kind: kind, start: int32(start), end: int32(len(w.arena)), pos: Pos{Segment: seg.Number, Offset: seg.Offset}})
}

// endClaim closes the open claim and hands it on when it bills the
// procedure or a related code.
func (w *walker) endClaim() {
	if !w.inClaim {
		return
	}
	w.inClaim = false
	if w.targetLines == 0 && !w.related {
		return
	}
	w.raw = rawClaim{
		arena:       w.arena,
		segs:        w.segs,
		targetLines: w.targetLines,
		env:         w.txEnv,
		delims:      w.delims,
		billing:     w.billing,
		subscr:      w.subscr,
		patient:     w.patient,
	}
	for i := range w.headers {
		w.raw.headers[i] = w.headers[i]
	}
	w.out.claim(&w.raw)
}

// claimID is CLM01 of the open claim, for problems about it.
func (w *walker) claimID() string {
	if !w.inClaim || len(w.segs) == 0 || w.segs[0].kind != segCLM {
		return ""
	}
	ref := w.segs[0]
	w.mseg.Reset(w.arena[ref.start:ref.end], w.delims, ref.pos.Segment, ref.pos.Offset)
	return string(w.mseg.Element(1))
}

// problem hands on a structure problem; inClaim attributes it to the open
// claim.
func (w *walker) problem(kind Kind, env x12io.Envelope, pos Pos, inClaim bool, message string, err *x12io.Error) {
	e := &Error{Kind: kind, Pos: pos, Envelope: env, Message: message, Err: err}
	if inClaim && w.inClaim {
		e.ClaimID, e.ClaimPos = w.claimID(), w.claimPos
	}
	w.out.problem(e)
}

// syntax hands on a segment the walker cannot place, in the open
// transaction.
func (w *walker) syntax(kind Kind, pos Pos, inClaim bool, message string) {
	w.problem(kind, w.txEnv, pos, inClaim, message, nil)
}

// readerProblem hands on a non-fatal reader error.
func (w *walker) readerProblem(e *x12io.Error) {
	env := w.r.Envelope()
	if e.Kind == x12io.KindISALayout || e.Kind == x12io.KindBadISA {
		// About the ISA being read: the envelope so far is the previous one.
		env = x12io.Envelope{}
	}
	message := e.Message
	if e.Kind == x12io.KindMissingTrailer && w.inTx && strings.HasPrefix(message, "transaction") {
		message += "; " + claimsReadIn(w.txClaims, w.scrub) + " before the end"
	}
	// A malformed segment inside the open claim is about that claim.
	inClaim := false
	switch e.Kind {
	case x12io.KindBadSegmentID, x12io.KindSegmentTooLong, x12io.KindUnterminated:
		inClaim = w.inClaim && e.Offset > w.claimPos.Offset
	}
	w.problem(KindReader, env, Pos{Segment: e.Segment, Offset: e.Offset}, inClaim, plainMessage(message), e)
}

// fatal ends the walk: the open transaction is closed with what was read
// and the problem says how far reading got.
func (w *walker) fatal(e *x12io.Error) {
	inTx, scrub, txClaims, stControl := w.inTx, w.scrub, w.txClaims, w.txEnv.STControl
	w.endTransaction()
	env := w.r.Envelope()
	if e.Kind == x12io.KindBadISA {
		env = x12io.Envelope{}
	}
	message := plainMessage(e.Message)
	if e.Segment > 0 || w.counts.Claims > 0 {
		message += fmt.Sprintf(". Reading stopped at byte %d: %s before the fault", e.Offset, plural(w.counts.Claims, "claim was", "claims were")+" read")
		if inTx {
			message += fmt.Sprintf(" (%s in transaction %s, which was not read to its end)", claimsIn(txClaims, scrub), stControl)
		}
		message += "; the rest of the file was not read"
	}
	w.problem(KindReader, env, Pos{Segment: e.Segment, Offset: e.Offset}, false, message, e)
}
