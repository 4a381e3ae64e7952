package x12io

import "bytes"

// Delimiters are the separators of one interchange, taken from its ISA.
type Delimiters struct {
	Element    byte // ISA byte 4
	Repetition byte // ISA11 when it is a separator; 0 when none (4010 'U')
	Component  byte // ISA16
	Segment    byte // the byte after ISA16
}

// DefaultDelimiters are the common * ^ : ~ of HIPAA 5010 files.
var DefaultDelimiters = Delimiters{Element: '*', Repetition: '^', Component: ':', Segment: '~'}

// Segment is one X12 segment as the Reader hands it out.
//
// A Segment and every byte slice taken from it point into the Reader's buffer
// and stay valid only until the next call to Reader.Next. Copy what you keep.
// Element numbers are 1-based, as in the X12 guides: SV101 is Element(1).
type Segment struct {
	// Number is the 1-based position of the segment in the input.
	Number int64
	// Offset is the byte offset of the segment's first byte in the input.
	Offset int64

	data   []byte
	delims Delimiters
	// ends[k] is the index in data just past element k (ends[0] ends the
	// ID); filled on first element access so that segments a consumer does
	// not look into cost nothing to split.
	ends  []int32
	split bool
}

// reset points the segment at new bytes without allocating.
func (s *Segment) reset(data []byte, d Delimiters, number, offset int64) {
	s.data = data
	s.delims = d
	s.Number = number
	s.Offset = offset
	s.split = false
	s.ends = s.ends[:0]
}

// resetPlain is reset for the Reader's fast path, whose delimiters are
// those the segment already has.
func (s *Segment) resetPlain(data []byte, number, offset int64) {
	s.data = data
	s.Number = number
	s.Offset = offset
	s.split = false
	s.ends = s.ends[:0]
}

// Bytes is the whole segment without its terminator.
func (s *Segment) Bytes() []byte { return s.data }

// Delimiters are those of the interchange the segment belongs to.
func (s *Segment) Delimiters() Delimiters { return s.delims }

// ID is the segment identifier, such as "CLM".
func (s *Segment) ID() []byte {
	if i := bytes.IndexByte(s.data, s.delims.Element); i >= 0 {
		return s.data[:i]
	}
	return s.data
}

// Is reports whether the segment's ID is id, without allocating.
func (s *Segment) Is(id string) bool {
	n := len(id)
	if len(s.data) < n || (len(s.data) > n && s.data[n] != s.delims.Element) {
		return false
	}
	return string(s.data[:n]) == id
}

func (s *Segment) splitElements() {
	s.split = true
	sep := s.delims.Element
	// Elements are a few bytes long: a plain loop beats a call per element.
	for i, c := range s.data {
		if c == sep {
			s.ends = append(s.ends, int32(i))
		}
	}
	s.ends = append(s.ends, int32(len(s.data)))
}

// NumElements is the number of elements after the ID (trailing empty
// elements included, as written).
func (s *Segment) NumElements() int {
	if !s.split {
		s.splitElements()
	}
	return len(s.ends) - 1
}

// Element returns element i (1-based), or nil when the segment has fewer.
func (s *Segment) Element(i int) []byte {
	if !s.split {
		s.splitElements()
	}
	if i < 1 || i >= len(s.ends) {
		return nil
	}
	return s.data[s.ends[i-1]+1 : s.ends[i]]
}

// Component returns component j (1-based) of element i's first repetition,
// or nil when absent. Component(i, 1) of a simple element is the element.
func (s *Segment) Component(i, j int) []byte {
	el := s.Element(i)
	if el == nil || j < 1 {
		return nil
	}
	if r := s.delims.Repetition; r != 0 {
		if k := bytes.IndexByte(el, r); k >= 0 {
			el = el[:k]
		}
	}
	return nthPart(el, s.delims.Component, j)
}

// Components appends the components of element i's first repetition to dst
// and returns it; pass a reused dst to avoid allocating.
func (s *Segment) Components(i int, dst [][]byte) [][]byte {
	el := s.Element(i)
	if el == nil {
		return dst
	}
	if r := s.delims.Repetition; r != 0 {
		if k := bytes.IndexByte(el, r); k >= 0 {
			el = el[:k]
		}
	}
	return appendParts(dst, el, s.delims.Component)
}

// Repetitions appends the repetitions of element i to dst and returns it.
// Without a repetition separator an element has one repetition.
func (s *Segment) Repetitions(i int, dst [][]byte) [][]byte {
	el := s.Element(i)
	if el == nil {
		return dst
	}
	if s.delims.Repetition == 0 {
		return append(dst, el)
	}
	return appendParts(dst, el, s.delims.Repetition)
}

// SplitComponents splits a value taken from this segment (a repetition,
// say) by the component separator, appending to dst.
func (s *Segment) SplitComponents(value []byte, dst [][]byte) [][]byte {
	return appendParts(dst, value, s.delims.Component)
}

func nthPart(b []byte, sep byte, n int) []byte {
	for k := 1; ; k++ {
		i := bytes.IndexByte(b, sep)
		if k == n {
			if i < 0 {
				return b
			}
			return b[:i]
		}
		if i < 0 {
			return nil
		}
		b = b[i+1:]
	}
}

func appendParts(dst [][]byte, b []byte, sep byte) [][]byte {
	for {
		i := bytes.IndexByte(b, sep)
		if i < 0 {
			return append(dst, b)
		}
		dst = append(dst, b[:i])
		b = b[i+1:]
	}
}

// ParseSegment makes a Segment of data (one segment without its terminator)
// read elsewhere, for consumers that keep segment bytes and look into them
// later. The Segment refers to data; it is split lazily, like the Reader's.
func ParseSegment(data []byte, d Delimiters, number, offset int64) Segment {
	var s Segment
	s.reset(data, d, number, offset)
	return s
}

// Reset points s at data, as ParseSegment does, but keeps the element index
// s already has: a consumer that re-splits many kept segments through one
// Segment allocates nothing once that index has grown.
func (s *Segment) Reset(data []byte, d Delimiters, number, offset int64) {
	s.reset(data, d, number, offset)
}
