package x12io

import (
	"bytes"
	"fmt"
)

// isaFixedLength is the length of a well-formed ISA including its terminator.
const isaFixedLength = 106

// isaScanLimit bounds how far we look for the sixteen ISA separators, so a
// missing or garbled ISA cannot make us read far ahead.
const isaScanLimit = 512

// isaResult is what parseISA learns from the bytes of an ISA segment.
type isaResult struct {
	delims Delimiters
	length int    // bytes from 'I' through the segment terminator
	layout string // non-empty: readable, but not the fixed 106-byte layout
	bad    string // non-empty: no sane delimiters could be found
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

func isLineBreak(c byte) bool { return c == '\n' || c == '\r' }

// parseISA reads the delimiters of the ISA that starts b (b[:3] == "ISA").
// The element separator is byte 4; ISA16 is the byte after the sixteenth
// separator and the segment terminator the byte after that. Counting
// separators instead of trusting fixed offsets lets us read the many real
// files whose ISA is padded wrongly, while still saying so.
func parseISA(b []byte) isaResult {
	if len(b) < 4 {
		return isaResult{bad: "input ends inside the ISA segment"}
	}
	sep := b[3]
	if isAlnum(sep) || sep == ' ' || isLineBreak(sep) {
		return isaResult{bad: fmt.Sprintf("ISA element separator %q must not be a letter, digit, space or line break", sep)}
	}
	if len(b) > isaScanLimit {
		b = b[:isaScanLimit]
	}
	// Walk the ISA byte by byte (it is short and read once per interchange).
	// Line breaks before ISA16 are wrapping, not data: some senders wrap the
	// whole stream at 80 columns, ISA included.
	var rep [2]byte // ISA11 and whether it was one byte long
	repLen := 0
	k := 0      // separators seen
	breaks := 0 // wrapping line breaks inside the ISA
	i := 3
	for ; i < len(b) && k < 16; i++ {
		c := b[i]
		switch {
		case c == sep:
			k++
		case isLineBreak(c):
			breaks++
		case k == 11:
			if repLen == 0 {
				rep[0] = c
			}
			repLen++
		}
	}
	if k < 16 {
		return isaResult{bad: fmt.Sprintf("ISA has %d elements before its end; 16 are required", k)}
	}
	for i < len(b) && isLineBreak(b[i]) {
		i++
		breaks++
	}
	if i+1 >= len(b) {
		return isaResult{bad: "input ends inside the ISA segment (no ISA16 and terminator)"}
	}
	comp, term := b[i], b[i+1]
	switch {
	case isAlnum(comp) || comp == ' ' || comp == sep:
		return isaResult{bad: fmt.Sprintf("ISA16 component separator %q is not a usable separator", comp)}
	case isAlnum(term) || term == ' ' || term == sep || term == comp:
		return isaResult{bad: fmt.Sprintf("the byte after ISA16 (%q) is not a usable segment terminator; ISA16 must be a single character", term)}
	}
	d := Delimiters{Element: sep, Component: comp, Segment: term}
	if r := rep[0]; repLen == 1 && !isAlnum(r) && r != ' ' && r != sep && r != comp && r != term {
		d.Repetition = r
	}
	res := isaResult{delims: d, length: i + 2 - breaks}
	if res.length != isaFixedLength {
		res.layout = fmt.Sprintf("ISA is %d bytes long, not the fixed %d; delimiters were taken from its elements", res.length, isaFixedLength)
	}
	return res
}

// describeNonX12 says in words what the start of a non-X12 input looks like.
func describeNonX12(b []byte) string {
	switch {
	case len(b) == 0:
		return "the input is empty; an X12 interchange starts with ISA"
	case bytes.HasPrefix(b, []byte{0x1f, 0x8b}):
		return "the input is gzip-compressed data; name the file with .gz or decompress it"
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return "the input is a ZIP archive, not X12"
	}
	if len(b) > 32 {
		b = b[:32]
	}
	for _, c := range b {
		if c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
			return "the input is binary data, not X12 (expected ISA at the start)"
		}
	}
	// Name what was found only when it is a well-known segment: the start
	// of a wrong file may be patient data, which must not reach reports or
	// logs.
	for _, id := range []string{"GS", "ST", "BHT", "HL", "NM1", "CLM", "SE", "GE", "IEA"} {
		if len(b) > len(id) && string(b[:len(id)]) == id && !isAlnum(b[len(id)]) && b[len(id)] != ' ' {
			return fmt.Sprintf("expected an ISA segment at the start, found a %s segment (the interchange header is missing)", id)
		}
	}
	return "expected an ISA segment at the start, found text that is not X12"
}
