package scrubber

import (
	"encoding/binary"
	"unsafe"

	"github.com/scrub837/scrub837/scrubber/finding"
)

// The cross-claim index keeps a line's report columns as an encoded finding
// (finding.Append): member ID and billing NPI come first, so the index can
// compare them in place.

// packedKey returns the member ID and billing NPI of packed columns, as
// substrings of cols.
func packedKey(cols string) (member, npi string, ok bool) {
	pos := 0
	var s [2]string
	for i := range s {
		l, w := uvarintString(cols[pos:])
		if w <= 0 || uint64(len(cols)-pos-w) < l {
			return "", "", false
		}
		pos += w
		s[i] = cols[pos : pos+int(l)]
		pos += int(l)
	}
	return s[0], s[1], true
}

// uvarintString is binary.Uvarint over a string (whose bytes it reads only).
func uvarintString(s string) (uint64, int) {
	return binary.Uvarint(unsafe.Slice(unsafe.StringData(s), len(s)))
}

// unpackColumns decodes packed columns.
func unpackColumns(cols string) finding.Finding {
	f, _, err := finding.Read([]byte(cols))
	if err != nil {
		panic(err) // written in this process by finding.Append: cannot happen
	}
	return f
}
