package scrubber

import (
	"encoding/binary"
	"strings"
)

// The cross-claim index keeps each indexed line's report columns as one
// packed string: lengths as uvarints, then the bytes. It is read back only
// for the few lines a cross-claim rule reports.

// packedStrings lists a finding's string columns in packing order. Member ID
// and billing NPI come first so the index can compare them in place.
func packedStrings(f *Finding) [19]*string {
	return [...]*string{&f.MemberID, &f.BillingNPI, &f.File, &f.ISAControl, &f.GSControl, &f.STControl,
		&f.ClaimID, &f.Procedure, &f.Units, &f.Charge, &f.ServiceDate, &f.PlaceOfService,
		&f.PayerName, &f.PayerID, &f.PayerGroup, &f.RenderingNPI, &f.RenderingTaxonomy,
		&f.Source, &f.Message}
}

func packedLists(f *Finding) [3]*[]string {
	return [...]*[]string{&f.Modifiers, &f.DxPointers, &f.PointedDiagnoses}
}

// packColumns packs f; member and npi are substrings of the result.
func packColumns(f *Finding) (cols, member, npi string) {
	var b strings.Builder
	var tmp [binary.MaxVarintLen64]byte
	putInt := func(v int64) { b.Write(tmp[:binary.PutVarint(tmp[:], v)]) }
	putString := func(s string) { putInt(int64(len(s))); b.WriteString(s) }
	size := 64
	for _, s := range packedStrings(f) {
		size += len(*s) + 2
	}
	for _, l := range packedLists(f) {
		for _, s := range *l {
			size += len(s) + 2
		}
	}
	b.Grow(size)
	var starts [2]int // of member and npi
	for i, s := range packedStrings(f) {
		putInt(int64(len(*s)))
		if i < len(starts) {
			starts[i] = b.Len()
		}
		b.WriteString(*s)
	}
	for _, l := range packedLists(f) {
		putInt(int64(len(*l)))
		for _, s := range *l {
			putString(s)
		}
	}
	putInt(int64(f.FileIndex))
	putInt(f.ClaimOffset)
	putInt(int64(f.LineNumber))
	putInt(f.SegmentNumber)
	putInt(f.ByteOffset)
	cols = b.String()
	return cols, cols[starts[0] : starts[0]+len(f.MemberID)], cols[starts[1] : starts[1]+len(f.BillingNPI)]
}

// unpackColumns reverses packColumns. The strings of the result share the
// packed string's memory.
func unpackColumns(cols string) Finding {
	var f Finding
	pos := 0
	getInt := func() int64 {
		v, n := binary.Varint([]byte(cols[pos:min(len(cols), pos+binary.MaxVarintLen64)]))
		pos += n
		return v
	}
	getString := func() string {
		n := int(getInt())
		s := cols[pos : pos+n]
		pos += n
		return s
	}
	for _, s := range packedStrings(&f) {
		*s = getString()
	}
	for _, l := range packedLists(&f) {
		if n := int(getInt()); n > 0 {
			*l = make([]string, n)
			for i := range *l {
				(*l)[i] = getString()
			}
		}
	}
	f.FileIndex = int(getInt())
	f.ClaimOffset = getInt()
	f.LineNumber = int(getInt())
	f.SegmentNumber = getInt()
	f.ByteOffset = getInt()
	return f
}

// packedKey returns the member ID and billing NPI of packed columns, as
// packColumns does: substrings of cols.
func packedKey(cols string) (member, npi string, ok bool) {
	pos := 0
	var s [2]string
	for i := range s {
		n, w := uvarintString(cols[pos:])
		if w <= 0 {
			return "", "", false
		}
		pos += w
		// packColumns writes signed varints: zigzag-decode the length.
		l := int64(n>>1) ^ -int64(n&1)
		if l < 0 || int64(len(cols)-pos) < l {
			return "", "", false
		}
		s[i] = cols[pos : pos+int(l)]
		pos += int(l)
	}
	return s[0], s[1], true
}

// uvarintString is binary.Uvarint over a string: the value and the number
// of bytes read, or 0 bytes when s ends first or the value overflows.
func uvarintString(s string) (uint64, int) {
	var x uint64
	var shift uint
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		b := s[i]
		if b < 0x80 {
			if i == binary.MaxVarintLen64-1 && b > 1 {
				return 0, 0
			}
			return x | uint64(b)<<shift, i + 1
		}
		x |= uint64(b&0x7f) << shift
		shift += 7
	}
	return 0, 0
}
