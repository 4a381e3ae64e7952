package scrubber

import (
	"bytes"
	"errors"
	"io"

	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/x12io"
)

// The 837P walker reads one file's segments from x12io and builds, one
// claim at a time, what the checks need.
//
// It streams: it holds the header context of the open 2000A/2000B/2000C
// loops and the segments of the open claim, nothing more. While a claim is
// read it builds no strings: it copies the segments it may need (CLM, HI,
// 2310B NM1*82/PRV*PE, LX, SV1, DTP*472, 2420A NM1*82/PRV*PE) into a reused
// arena and notes, by comparing bytes, whether a line bills the pack's
// procedure or a related code. Only when the claim ends (next CLM, HL, the
// end of the transaction or of the input) and it is a target claim or has a
// related-code line is a *Claim materialized from the arena. Most claims
// bill neither and cost a few byte copies.

// Kinds of the segments kept in the claim arena.
const (
	segCLM       uint8 = iota + 1
	segHI              // 2300 HI
	segNM182           // 2310B rendering provider NM1*82
	segPRVPE           // 2310B PRV*PE
	segLX              // 2400 LX
	segSV1             // 2400 SV1
	segDTP472          // 2400 DTP*472
	segLineNM182       // 2420A NM1*82
	segLinePRVPE       // 2420A PRV*PE
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

// billingContext is the open 2000A loop.
type billingContext struct {
	prvBI, nm185 savedSeg
	// strings made the first time a claim under the loop is materialized
	cached              bool
	taxonomy, npi       string
	taxonomyPos, npiPos Pos
	hlID                []byte
	open                bool
}

// subscriberContext is the open 2000B loop (and whether a 2000C is open).
type subscriberContext struct {
	nm1IL, nm1PR savedSeg
	cached       bool
	member       string
	memberPos    Pos
	payerName    string
	payerID      string
	payerPos     Pos
	payerGroup   string
	hlID         []byte
	open         bool
}

// walker is the per-file state.
type walker struct {
	s   *Scrubber
	p   *pack.Pack
	res *FileResult
	r   *x12io.Reader

	procedure string

	// the open transaction
	inTx     bool
	scrub    bool // the open transaction is 837P: claims are walked
	txEnv    x12io.Envelope
	txPos    Pos
	txClaims int    // CLM read in the open transaction
	txWhat   string // what a skipped transaction is, for X12-NOT-837P
	txGuide  string
	any837P  bool
	delims   x12io.Delimiters
	elemSep  byte
	hlLevels []uint8 // by numeric HL ID
	hlMax    int
	hlOther  map[string]uint8
	level    uint8 // level of the open HL
	billing  billingContext
	subscr   subscriberContext
	patient  bool // a 2000C patient HL is open

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
	claimWorst  finding.Severity
	relatedMemo [relatedCacheSize]relatedSlot

	// reused by materialize: the claim handed to the checks and its lists
	// are overwritten by the next claim (findings copy what they keep)
	claim        Claim
	lineScratch  []Line
	crossScratch []byte // packs the claim's cross-index entries
	dxMemo       dxMemo // what the pack says of each diagnosis code seen
	mseg         x12io.Segment
	parts        [][]byte
	strScratch   []string
	modSpans     []span
	ptrSpans     []span
	diagScratch  []Diagnosis
	hdrScratch   []byte
	hdrSeg       x12io.Segment // the second segment of headerPair (mseg is the first)
	// payerGroups remembers the pack's group for each payer ID and name
	// seen in the file: a drop has few payers and many claims, and the
	// pack's name patterns are too slow to match on every claim.
	payerGroups map[string]string
	payerKey    []byte

	// claims, when set, checks the walker's target and related claims on
	// a goroutine of its own (Scrubber.SetOverlap).
	claims *claimWorker
}

func newWalker(s *Scrubber, res *FileResult) *walker {
	w := &walker{s: s, p: s.pack, res: res}
	if s.pack != nil {
		w.procedure = s.pack.Procedure
	}
	return w
}

// run reads the whole input.
func (w *walker) run(r *x12io.Reader) {
	w.r = r
	for {
		seg, err := r.Next()
		if err == nil {
			w.segment(seg)
			continue
		}
		if errors.Is(err, io.EOF) {
			w.endTransaction()
			break
		}
		var e *x12io.Error
		if !errors.As(err, &e) {
			e = &x12io.Error{Kind: x12io.KindIO, Offset: r.Offset(), Message: err.Error(), Fatal: true, Err: err}
		}
		if e.Fatal {
			w.fatal(e)
			break
		}
		w.readerProblem(e)
	}
	c := r.Counts()
	w.res.Interchanges = c.Interchanges
	w.res.Transactions = c.Transactions
	w.res.Bytes = r.Offset()
	if w.res.Status == StatusOK && !w.any837P {
		w.res.Status = StatusSkipped
	}
}

// isID reports whether segment bytes d have the ID id.
func isID(d []byte, id string, sep byte) bool {
	n := len(id)
	return len(d) >= n && string(d[:n]) == id && (len(d) == n || d[n] == sep)
}

// firstIs reports whether element 1 of a segment with an ID of idLen bytes
// is val.
func firstIs(d []byte, idLen int, sep byte, val string) bool {
	start := idLen + 1
	end := start + len(val)
	return len(d) >= end && d[idLen] == sep && string(d[start:end]) == val && (len(d) == end || d[end] == sep)
}

// walkedSegments are the segment IDs segment looks at; it ignores every
// other one, so the reader need not hand them out (x12io.Reader.Want).
// Keep the two in step: TestSkippingSegmentsGivesTheSameResult compares
// a walk of every segment with a walk of these.
var walkedSegments = []string{"ISA", "IEA", "GS", "GE", "ST", "SE", "CLM", "SV1", "SBR", "HL", "HI", "LX", "NM1", "PRV", "DTP"}

// segment handles one segment.
func (w *walker) segment(seg *x12io.Segment) {
	d := seg.Bytes()
	if len(d) < 2 {
		return
	}
	sep := w.elemSep
	switch d[0] {
	case 'C':
		if isID(d, "CLM", sep) {
			w.res.Claims++
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
			if isID(d, "ST", sep) {
				w.beginTransaction(seg)
			} else if isID(d, "SE", sep) {
				w.endTransaction()
			}
		case isID(d, "SV1", sep):
			w.sv1(seg)
		case isID(d, "SBR", sep):
			if w.inClaim {
				w.otherPayer, w.lastNM1 = true, nm1Other
			}
		case isID(d, "SE", sep):
			w.endTransaction()
		case isID(d, "ST", sep):
			w.beginTransaction(seg)
		}
	case 'I':
		if isID(d, "ISA", seg.Delimiters().Element) {
			// A new interchange may change the delimiters.
			w.endTransaction()
			w.delims = seg.Delimiters()
			w.elemSep = w.delims.Element
		} else if w.inTx && isID(d, "IEA", sep) {
			w.endTransaction()
		}
	case 'G':
		if w.inTx && (isID(d, "GS", sep) || isID(d, "GE", sep)) {
			w.endTransaction()
		}
	}
	if !w.scrub {
		return
	}
	switch d[0] {
	case 'H':
		if isID(d, "HL", sep) {
			w.hl(seg)
		} else if w.inClaim && !w.sawLX && !w.otherPayer && isID(d, "HI", sep) {
			w.store(segHI, seg)
		}
	case 'L':
		if isID(d, "LX", sep) {
			w.lx(seg)
		}
	case 'N':
		if isID(d, "NM1", sep) {
			w.nm1(seg)
		}
	case 'P':
		if isID(d, "PRV", sep) {
			w.prv(seg)
		}
	case 'D':
		if w.inClaim && w.sawLX && firstIs(d, 3, sep, "472") && isID(d, "DTP", sep) {
			w.store(segDTP472, seg)
		}
	}
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
	w.any837P = true
	w.resetHL()
	if kind.version {
		w.structureFinding(ruleX12Version, w.txEnv, w.txPos, false,
			versionMessage(w.txEnv, kind.guide), versionSuggestion)
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
		w.res.TransactionsSkipped++
		w.structureFinding(ruleX12Not837P, w.txEnv, w.txPos, false,
			not837PMessage(w.txEnv, w.txWhat, w.txGuide, w.txClaims), not837PSuggestion(w.txEnv))
	}
	w.inTx, w.scrub = false, false
	w.level = levelNone
	w.billing.open, w.subscr.open, w.patient = false, false, false
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
	w.billing.open, w.subscr.open, w.patient = false, false, false
	w.billing.prvBI.reset()
	w.billing.nm185.reset()
	w.billing.cached = false
	w.subscr.nm1IL.reset()
	w.subscr.nm1PR.reset()
	w.subscr.cached = false
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
		w.billing.open = true
		w.billing.hlID = append(w.billing.hlID[:0], id...)
		w.billing.prvBI.reset()
		w.billing.nm185.reset()
		w.billing.cached = false
		w.subscr.open, w.patient = false, false
	case levelSubscriber:
		w.subscr.open = true
		w.subscr.hlID = append(w.subscr.hlID[:0], id...)
		w.subscr.nm1IL.reset()
		w.subscr.nm1PR.reset()
		w.subscr.cached = false
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
		want, open = levelBilling, w.billing.hlID
		if !w.billing.open {
			open = nil
		}
	case levelPatient:
		want, open = levelSubscriber, w.subscr.hlID
		if !w.subscr.open {
			open = nil
		}
	}
	if len(parent) == 0 {
		if want != levelNone {
			w.syntax(pos, false, hlNoParentMessage(id, level), hlParentSuggestion)
		}
		return
	}
	got := w.hlLevel(parent)
	switch {
	case got == levelNone:
		w.syntax(pos, false, hlMissingParentMessage(id, parent), hlParentSuggestion)
	case want != levelNone && got != want:
		w.syntax(pos, false, hlWrongParentMessage(id, parent, level, got), hlParentSuggestion)
	case want != levelNone && !bytes.Equal(parent, open):
		w.syntax(pos, false, hlNotOpenParentMessage(id, parent, level, open), hlParentSuggestion)
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
	w.claimWorst = 0
	w.store(segCLM, seg)
	if w.level != levelSubscriber && w.level != levelPatient {
		w.syntax(w.claimPos, true, clmOutsideMessage(w.level, seg), clmOutsideSuggestion)
	}
}

func (w *walker) lx(seg *x12io.Segment) {
	w.res.ServiceLines++
	if !w.inClaim {
		w.syntax(Pos{Segment: seg.Number, Offset: seg.Offset}, false, lxOutsideMessage(seg), lxOutsideSuggestion)
		return
	}
	w.store(segLX, seg)
	w.sawLX, w.lineSV1, w.otherPayer = true, false, false
	w.lastNM1 = nm1None
}

func (w *walker) sv1(seg *x12io.Segment) {
	if !w.inClaim || !w.sawLX {
		w.syntax(Pos{Segment: seg.Number, Offset: seg.Offset}, w.inClaim, sv1WithoutLXMessage(w.inClaim), sv1WithoutLXSuggestion)
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
		w.res.TargetLines++
		return
	}
	if !w.related && w.isRelated(code) {
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

// isRelated reports whether the pack lists code as a related code. A file
// bills the same few dozen codes over and over: a small direct-mapped memo
// keyed by the code's bytes answers most lines without hashing a string.
func (w *walker) isRelated(code []byte) bool {
	if w.p == nil {
		return false
	}
	if len(code) == 0 || len(code) > 7 {
		_, ok := w.p.Related(string(code))
		return ok
	}
	key := uint64(len(code))
	for _, c := range code {
		key = key<<8 | uint64(c)
	}
	slot := &w.relatedMemo[(key*0x9E3779B97F4A7C15)>>(64-6)]
	if slot.key == key {
		return slot.related
	}
	_, ok := w.p.Related(string(code))
	*slot = relatedSlot{key: key, related: ok}
	return ok
}

func (w *walker) nm1(seg *x12io.Segment) {
	d := seg.Bytes()
	sep := w.elemSep
	if !w.inClaim {
		switch w.level {
		case levelBilling:
			if !w.billing.nm185.ok && firstIs(d, 3, sep, "85") {
				w.billing.nm185.set(seg)
				w.billing.cached = false
			}
		case levelSubscriber:
			if !w.subscr.nm1IL.ok && firstIs(d, 3, sep, "IL") {
				w.subscr.nm1IL.set(seg)
				w.subscr.cached = false
			} else if !w.subscr.nm1PR.ok && firstIs(d, 3, sep, "PR") {
				w.subscr.nm1PR.set(seg)
				w.subscr.cached = false
			}
		}
		return
	}
	if w.otherPayer || !firstIs(d, 3, sep, "82") {
		w.lastNM1 = nm1Other
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
		if w.level == levelBilling && !w.billing.prvBI.ok && firstIs(d, 3, sep, "BI") {
			w.billing.prvBI.set(seg)
			w.billing.cached = false
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

// endClaim closes the open claim: a target claim is checked, and target and
// related-code claims go to the cross-claim index.
func (w *walker) endClaim() {
	if !w.inClaim {
		return
	}
	w.inClaim = false
	if w.targetLines == 0 && !w.related {
		return
	}
	if w.claims != nil {
		w.claims.submit(w)
		return
	}
	w.checkOpenClaim()
}

// checkOpenClaim materializes and checks the claim in the arena, and adds
// it to the cross-claim index: on the walker's goroutine, or on the claim
// worker's (see claimworker.go).
func (w *walker) checkOpenClaim() {
	c := w.materialize()
	if w.s.onClaim != nil {
		w.s.onClaim(c.clone())
	}
	worst := w.claimWorst
	if w.targetLines > 0 {
		before := len(w.res.Findings)
		w.res.Findings = checkClaimWith(w.p, &w.dxMemo, c, w.res.Findings)
		for i := before; i < len(w.res.Findings); i++ {
			worst = max(worst, w.res.Findings[i].Severity)
			// Kept until the file is done: not the claim's bytes.
			detach(&w.res.Findings[i])
		}
		w.handOverFindings()
		// Counts, not a list: memory does not grow with target claims.
		w.res.TargetClaims++
		w.res.tally(c.PayerGroup, worst, +1)
	}
	w.s.cross.add(w.p, c, w.res.scrub, w.targetLines > 0, worst, &w.crossScratch)
}

// handOverFindings gives the findings so far to the Scrubber's sink once
// there are enough of them (see SetFindingSink).
func (w *walker) handOverFindings() {
	s := w.s
	if s.sink == nil || len(w.res.Findings) < s.sinkEvery {
		return
	}
	finding.Sort(w.res.Findings)
	s.sink(w.res.Index, w.res.Findings)
	clear(w.res.Findings) // the strings are the sink's business now
	w.res.Findings = w.res.Findings[:0]
}

// claimID is CLM01 of the open claim, for findings about it.
func (w *walker) claimID() string {
	if !w.inClaim || len(w.segs) == 0 || w.segs[0].kind != segCLM {
		return ""
	}
	ref := w.segs[0]
	w.mseg.Reset(w.arena[ref.start:ref.end], w.delims, ref.pos.Segment, ref.pos.Offset)
	return string(w.mseg.Element(1))
}

// materializer turns kept bytes into strings: the buffer is converted to
// one string, and every value is a substring of it (one allocation for all
// the values).
type materializer struct {
	buf []byte
	str string
}

func newMaterializer(buf []byte) materializer { return materializer{buf: buf, str: string(buf)} }

// of returns the string of b, a sub-slice of buf. Values split from a
// segment kept in buf share its backing array, so their capacity tells
// where they start.
func (m *materializer) of(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	i := cap(m.buf) - cap(b)
	if i < 0 || i+len(b) > len(m.str) {
		return string(b) // not from buf: never expected, stay correct
	}
	return m.str[i : i+len(b)]
}

// span is a line's list (modifiers or pointers) in the claim's string
// scratch, until they are copied out.
type span struct{ start, end int }

// materialize builds the open claim's Claim from the arena and the header
// context. It allocates one string, the arena's: the Claim, its lines,
// diagnoses, modifiers and pointers live in the walker's scratch and are
// valid until the next claim.
func (w *walker) materialize() *Claim {
	m := newMaterializer(w.arena)
	d := w.delims
	seg := &w.mseg
	c := &w.claim
	*c = Claim{
		File:       w.res.Name,
		FileIndex:  w.res.Index,
		Envelope:   w.txEnv,
		HasPatient: w.patient,
	}
	w.fillBilling(c)
	w.fillSubscriber(c)

	lines := 0
	for i := range w.segs {
		if w.segs[i].kind == segLX {
			lines++
		}
	}
	if lines > 0 {
		c.Lines = w.lineScratch[:0]
	}
	strs := w.strScratch[:0]
	mods := w.modSpans[:0]
	ptrs := w.ptrSpans[:0]
	diags := w.diagScratch[:0]
	var line *Line
	for i := range w.segs {
		ref := &w.segs[i]
		// Not a full slice expression: values keep the arena's capacity,
		// which materializer.of relies on.
		seg.Reset(w.arena[ref.start:ref.end], d, ref.pos.Segment, ref.pos.Offset)
		switch ref.kind {
		case segCLM:
			c.ID = m.of(seg.Element(1))
			c.Pos = ref.pos
			c.TotalCharge = m.of(seg.Element(2))
			c.PlaceOfService = m.of(seg.Component(5, 1))
		case segHI:
			for e := 1; e <= seg.NumElements(); e++ {
				w.parts = seg.Repetitions(e, w.parts[:0])
				for _, rep := range w.parts {
					q, code := splitQualifier(rep, d.Component)
					if !pointable(q) {
						continue
					}
					diags = append(diags, Diagnosis{
						Qualifier: m.of(q), Code: m.of(code), Pointer: len(diags) + 1, Pos: ref.pos,
					})
				}
			}
		case segNM182:
			if c.RenderingNPIPos.IsZero() {
				c.RenderingNPI, c.RenderingNPIPos = m.of(seg.Element(9)), ref.pos
			}
		case segPRVPE:
			if c.RenderingTaxonomyPos.IsZero() {
				c.RenderingTaxonomy, c.RenderingTaxonomyPos = m.of(seg.Element(3)), ref.pos
			}
		case segLX:
			c.Lines = append(c.Lines, Line{LXPos: ref.pos})
			line = &c.Lines[len(c.Lines)-1]
			line.Number = lxNumber(seg.Element(1))
			mods = append(mods, span{})
			ptrs = append(ptrs, span{})
		case segSV1:
			if line == nil {
				continue
			}
			k := len(c.Lines) - 1
			line.SV1Pos = ref.pos
			w.parts = seg.Components(1, w.parts[:0])
			mods[k].start = len(strs)
			for j, p := range w.parts {
				switch {
				case j == 0:
					line.Qualifier = m.of(p)
				case j == 1:
					line.Procedure = m.of(p)
				case j <= 5 && len(p) > 0:
					strs = append(strs, m.of(p))
				}
			}
			mods[k].end = len(strs)
			line.Charge = m.of(seg.Element(2))
			line.UnitBasis = m.of(seg.Element(3))
			line.Units = m.of(seg.Element(4))
			line.PlaceOfService = m.of(seg.Element(5))
			w.parts = seg.Components(7, w.parts[:0])
			last := len(w.parts) - 1
			for last >= 0 && len(w.parts[last]) == 0 {
				last--
			}
			ptrs[k].start = len(strs)
			for j := 0; j <= last; j++ {
				strs = append(strs, m.of(w.parts[j]))
			}
			ptrs[k].end = len(strs)
		case segDTP472:
			if line == nil || !line.DatePos.IsZero() {
				continue
			}
			line.DateQualifier = m.of(seg.Element(2))
			line.ServiceDate = m.of(seg.Element(3))
			line.DatePos = ref.pos
		case segLineNM182:
			if line != nil && line.RenderingNPIPos.IsZero() {
				line.RenderingNPI, line.RenderingNPIPos = m.of(seg.Element(9)), ref.pos
			}
		case segLinePRVPE:
			if line != nil && line.RenderingTaxonomyPos.IsZero() {
				line.RenderingTaxonomy, line.RenderingTaxonomyPos = m.of(seg.Element(3)), ref.pos
			}
		}
	}
	if len(diags) > 0 {
		c.Diagnoses = diags
	}
	// Full slice expressions: appending to one line's list cannot
	// overwrite the next.
	for k := range c.Lines {
		if s := mods[k]; s.end > s.start {
			c.Lines[k].Modifiers = strs[s.start:s.end:s.end]
		}
		if s := ptrs[k]; s.end > s.start {
			c.Lines[k].Pointers = strs[s.start:s.end:s.end]
		}
	}
	if lines > 0 {
		w.lineScratch = c.Lines[:0] // keep what appending grew
	}
	w.strScratch, w.modSpans, w.ptrSpans, w.diagScratch = strs[:0], mods[:0], ptrs[:0], diags[:0]
	return c
}

// lxNumber reads LX01 (0 when missing or not a number).
func lxNumber(b []byte) int {
	if len(b) == 0 || len(b) > 6 {
		return 0
	}
	n := 0
	for _, ch := range b {
		if ch < '0' || ch > '9' {
			return 0
		}
		n = n*10 + int(ch-'0')
	}
	return n
}

// splitQualifier splits an HI composite into qualifier and code.
func splitQualifier(b []byte, comp byte) (q, code []byte) {
	i := bytes.IndexByte(b, comp)
	if i < 0 {
		return b, nil
	}
	code = b[i+1:]
	if j := bytes.IndexByte(code, comp); j >= 0 {
		code = code[:j]
	}
	return b[:i], code
}

// pointable reports whether an HI qualifier is a diagnosis an SV107
// pointer can name: ICD-10 ABK (principal) / ABF, or ICD-9 BK / BF.
func pointable(q []byte) bool {
	switch string(q) {
	case "ABK", "ABF", "BK", "BF":
		return true
	}
	return false
}

// fillBilling copies the open 2000A loop's values into c, making their
// strings the first time a claim under the loop needs them.
func (w *walker) fillBilling(c *Claim) {
	b := &w.billing
	if !b.open {
		return
	}
	if !b.cached {
		b.taxonomy, b.taxonomyPos = "", Pos{}
		b.npi, b.npiPos = "", Pos{}
		m, prv, nm1 := w.headerPair(&b.prvBI, &b.nm185)
		if prv != nil {
			b.taxonomy, b.taxonomyPos = m.of(prv.Element(3)), b.prvBI.pos
		}
		if nm1 != nil && string(nm1.Element(8)) == "XX" {
			b.npi, b.npiPos = m.of(nm1.Element(9)), b.nm185.pos
		}
		b.cached = true
	}
	c.BillingTaxonomy, c.BillingTaxonomyPos = b.taxonomy, b.taxonomyPos
	c.BillingNPI, c.BillingNPIPos = b.npi, b.npiPos
}

// fillSubscriber copies the open 2000B loop's values into c (under a 2000C
// patient too: member and payer are the subscriber's).
func (w *walker) fillSubscriber(c *Claim) {
	s := &w.subscr
	if !s.open {
		if w.p != nil {
			c.PayerGroup = w.p.PayerGroup("", "")
		}
		return
	}
	if !s.cached {
		s.member, s.memberPos = "", Pos{}
		s.payerName, s.payerID, s.payerPos = "", "", Pos{}
		m, il, pr := w.headerPair(&s.nm1IL, &s.nm1PR)
		if il != nil {
			s.member, s.memberPos = m.of(il.Element(9)), s.nm1IL.pos
		}
		if pr != nil {
			s.payerName, s.payerID, s.payerPos = m.of(pr.Element(3)), m.of(pr.Element(9)), s.nm1PR.pos
		}
		s.payerGroup = ""
		if w.p != nil {
			s.payerGroup = w.payerGroup(s.payerID, s.payerName)
		}
		s.cached = true
	}
	c.MemberID, c.MemberIDPos = s.member, s.memberPos
	c.PayerName, c.PayerID, c.PayerPos = s.payerName, s.payerID, s.payerPos
	c.PayerGroup = s.payerGroup
}

// payerGroup is w.p.PayerGroup, remembered per payer ID and name.
func (w *walker) payerGroup(id, name string) string {
	w.payerKey = append(append(append(w.payerKey[:0], id...), 0), name...)
	if g, ok := w.payerGroups[string(w.payerKey)]; ok {
		return g
	}
	g := w.p.PayerGroup(id, name)
	if w.payerGroups == nil {
		w.payerGroups = map[string]string{}
	}
	if len(w.payerGroups) < 4096 { // a bound, in case every claim names its own payer
		w.payerGroups[string(w.payerKey)] = g
	}
	return g
}

// headerPair turns two kept header segments into one string (their values
// are substrings of it, one allocation for both) and splits each that is
// present; an absent one is nil. The segments are valid until the next call.
func (w *walker) headerPair(a, b *savedSeg) (m materializer, first, second *x12io.Segment) {
	buf := append(append(w.hdrScratch[:0], a.data...), b.data...)
	w.hdrScratch = buf
	m = newMaterializer(buf)
	n := len(a.data)
	if a.ok {
		w.mseg.Reset(buf[:n], w.delims, a.pos.Segment, a.pos.Offset)
		first = &w.mseg
	}
	if b.ok {
		w.hdrSeg.Reset(buf[n:], w.delims, b.pos.Segment, b.pos.Offset)
		second = &w.hdrSeg
	}
	return m, first, second
}
