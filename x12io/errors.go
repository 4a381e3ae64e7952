package x12io

import "fmt"

// Kind classifies a reading problem.
type Kind uint8

const (
	// KindNotX12: the input holds no ISA where one must start, or is binary.
	KindNotX12 Kind = iota + 1
	// KindBadISA: an ISA segment whose layout gives no sane delimiters.
	KindBadISA
	// KindISALayout: an ISA that is readable but not the fixed 106 bytes.
	KindISALayout
	// KindSegmentTooLong: no terminator within the segment length cap.
	KindSegmentTooLong
	// KindBadSegmentID: a segment whose ID is not 2-3 letters or digits.
	KindBadSegmentID
	// KindUnterminated: the input ends inside a segment (no terminator).
	KindUnterminated
	// KindControlMismatch: ISA13/IEA02, GS06/GE02 or ST02/SE02 differ.
	KindControlMismatch
	// KindCountMismatch: SE01, GE01 or IEA01 does not match what was read.
	KindCountMismatch
	// KindMissingTrailer: an envelope was not closed (SE, GE or IEA missing).
	KindMissingTrailer
	// KindUnexpectedSegment: an envelope segment outside its parent
	// (ST without GS, SE without ST, and so on).
	KindUnexpectedSegment
	// KindIO: reading the underlying input failed.
	KindIO
)

var kindNames = [...]string{
	KindNotX12:            "not X12",
	KindBadISA:            "bad ISA",
	KindISALayout:         "ISA layout",
	KindSegmentTooLong:    "segment too long",
	KindBadSegmentID:      "bad segment ID",
	KindUnterminated:      "unterminated segment",
	KindControlMismatch:   "control number mismatch",
	KindCountMismatch:     "count mismatch",
	KindMissingTrailer:    "missing trailer",
	KindUnexpectedSegment: "unexpected envelope segment",
	KindIO:                "read error",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// IsEnvelope reports whether the problem is about ISA/GS/ST envelopes
// (controls, counts, trailers) rather than segment syntax.
func (k Kind) IsEnvelope() bool {
	return k == KindControlMismatch || k == KindCountMismatch ||
		k == KindMissingTrailer || k == KindUnexpectedSegment
}

// Error is a problem found while reading, with where it was found.
type Error struct {
	Kind Kind
	// Segment is the 1-based number of the segment concerned (0 when the
	// problem is not tied to a segment, such as a read error before any).
	Segment int64
	// Offset is the byte offset of that segment's first byte, or of the
	// point in the input where the problem was seen.
	Offset int64
	// Message says what was expected and what was found.
	Message string
	// Fatal is set when reading cannot go on; Next returns this error again.
	Fatal bool
	// Truncated is set on the problems that show the input ended too soon:
	// envelopes left open at the end, or a last segment with no terminator.
	Truncated bool
	// Err is the underlying error, if any (for KindIO).
	Err error
}

func (e *Error) Error() string {
	if e.Segment > 0 {
		return fmt.Sprintf("segment %d at byte %d: %s", e.Segment, e.Offset, e.Message)
	}
	return fmt.Sprintf("byte %d: %s", e.Offset, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }
