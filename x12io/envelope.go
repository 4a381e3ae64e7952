package x12io

import "strconv"

// Envelope names the interchange, group and transaction a segment is in.
// Fields are empty outside the envelope that sets them.
type Envelope struct {
	ISAControl string // ISA13
	ISAVersion string // ISA12
	GSControl  string // GS06
	GSVersion  string // GS08
	STType     string // ST01, such as "837"
	STControl  string // ST02
	STVersion  string // ST03 (often empty in 4010 files)
}

// Counts are the envelopes opened so far.
type Counts struct {
	Interchanges int
	Groups       int
	Transactions int
}

// openMark remembers where an envelope was opened, for messages.
type openMark struct {
	open    bool
	control string
	number  int64
	offset  int64
}

// envelopeState checks ISA/IEA, GS/GE and ST/SE nesting, controls and counts.
type envelopeState struct {
	isa, gs, st openMark
	groups      int // GS read in the open interchange
	txs         int // ST read in the open group
	segs        int // segments read in the open transaction, ST included
	public      Envelope
}

func (e *envelopeState) countSegment() {
	if e.st.open {
		e.segs++
	}
}

// track updates the state for seg and queues problems on r. It reports
// whether seg changes the public envelope.
func (e *envelopeState) track(r *Reader, seg *Segment) bool {
	e.countSegment()
	// Most segments are not envelope segments: rule them out on two bytes.
	d := seg.data
	if len(d) < 3 {
		return false
	}
	switch d[0] {
	case 'S', 'G':
		if (d[1] != 'T' && d[1] != 'E' && d[1] != 'S') || d[2] != seg.delims.Element {
			return false
		}
	case 'I':
		if d[2] != 'A' {
			return false
		}
	default:
		return false
	}
	n, off := seg.Number, seg.Offset
	switch {
	case seg.Is("ISA"):
		e.closeAll(r, n, off, "before the next ISA")
		r.counts.Interchanges++
		e.isa = openMark{open: true, control: string(seg.Element(13)), number: n, offset: off}
		e.groups = 0
		e.public = Envelope{ISAControl: e.isa.control, ISAVersion: string(seg.Element(12))}
		return true
	case seg.Is("GS"):
		if !e.isa.open {
			r.report(KindUnexpectedSegment, n, off, "GS outside an interchange (no ISA before it)")
		}
		e.closeGroup(r, n, off, "before the next GS")
		r.counts.Groups++
		e.groups++
		e.gs = openMark{open: true, control: string(seg.Element(6)), number: n, offset: off}
		e.txs = 0
		e.public.GSControl, e.public.GSVersion = e.gs.control, string(seg.Element(8))
		e.public.STType, e.public.STControl, e.public.STVersion = "", "", ""
		return true
	case seg.Is("ST"):
		if !e.gs.open {
			r.report(KindUnexpectedSegment, n, off, "ST outside a functional group (no GS before it)")
		}
		e.closeTransaction(r, n, off, "before the next ST")
		r.counts.Transactions++
		e.txs++
		e.st = openMark{open: true, control: string(seg.Element(2)), number: n, offset: off}
		e.segs = 1
		e.public.STType, e.public.STControl, e.public.STVersion = string(seg.Element(1)), e.st.control, string(seg.Element(3))
		return true
	case seg.Is("SE"):
		if !e.st.open {
			r.report(KindUnexpectedSegment, n, off, "SE without an open transaction (no ST before it)")
			return false
		}
		if got := seg.Element(2); string(got) != e.st.control {
			r.report(KindControlMismatch, n, off, "SE02 %q does not match ST02 %q", got, e.st.control)
		}
		checkCount(r, seg, 1, e.segs, "SE01", "segments in the transaction (ST through SE)")
		e.st.open = false
	case seg.Is("GE"):
		if !e.gs.open {
			r.report(KindUnexpectedSegment, n, off, "GE without an open functional group (no GS before it)")
			return false
		}
		e.closeTransaction(r, n, off, "before GE")
		if got := seg.Element(2); string(got) != e.gs.control {
			r.report(KindControlMismatch, n, off, "GE02 %q does not match GS06 %q", got, e.gs.control)
		}
		checkCount(r, seg, 1, e.txs, "GE01", "transactions (ST) in the group")
		e.gs.open = false
	case seg.Is("IEA"):
		if !e.isa.open {
			r.report(KindUnexpectedSegment, n, off, "IEA without an open interchange (no ISA before it)")
			return false
		}
		e.closeGroup(r, n, off, "before IEA")
		if got := seg.Element(2); string(got) != e.isa.control {
			r.report(KindControlMismatch, n, off, "IEA02 %q does not match ISA13 %q", got, e.isa.control)
		}
		checkCount(r, seg, 1, e.groups, "IEA01", "functional groups (GS) in the interchange")
		e.isa.open = false
	}
	return false
}

func checkCount(r *Reader, seg *Segment, element, counted int, name, what string) {
	text := seg.Element(element)
	got, err := strconv.Atoi(string(text))
	switch {
	case err != nil:
		r.report(KindCountMismatch, seg.Number, seg.Offset, "%s %q is not a number; counted %d %s", name, text, counted, what)
	case got != counted:
		r.report(KindCountMismatch, seg.Number, seg.Offset, "%s says %d but %d %s were read", name, got, counted, what)
	}
}

func (e *envelopeState) closeTransaction(r *Reader, n, off int64, where string) {
	if e.st.open {
		r.report(KindMissingTrailer, n, off, "transaction ST02 %q (segment %d) has no SE %s", e.st.control, e.st.number, where)
		e.st.open = false
	}
}

func (e *envelopeState) closeGroup(r *Reader, n, off int64, where string) {
	e.closeTransaction(r, n, off, where)
	if e.gs.open {
		r.report(KindMissingTrailer, n, off, "functional group GS06 %q (segment %d) has no GE %s", e.gs.control, e.gs.number, where)
		e.gs.open = false
	}
}

func (e *envelopeState) closeAll(r *Reader, n, off int64, where string) {
	e.closeGroup(r, n, off, where)
	if e.isa.open {
		r.report(KindMissingTrailer, n, off, "interchange ISA13 %q (segment %d) has no IEA %s", e.isa.control, e.isa.number, where)
		e.isa.open = false
	}
}
