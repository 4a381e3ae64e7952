package scrubber

import (
	"encoding/binary"
	"errors"
)

// A finding's encoding, for what must leave memory: the cross-claim index
// (packColumns) and the command's spool of findings (AppendFinding,
// ReadFinding). Varint lengths, then bytes; member ID and billing NPI come
// first so the index can compare them in place.

func codecStrings(f *Finding) [22]*string {
	return [...]*string{&f.MemberID, &f.BillingNPI, &f.File, &f.ISAControl, &f.GSControl, &f.STControl,
		&f.ClaimID, &f.Procedure, &f.Units, &f.Charge, &f.ServiceDate, &f.PlaceOfService,
		&f.PayerName, &f.PayerID, &f.PayerGroup, &f.RenderingNPI, &f.RenderingTaxonomy,
		&f.Source, &f.Message, &f.RuleID, &f.Suggestion, new(string)}
}

func codecLists(f *Finding) [3]*[]string {
	return [...]*[]string{&f.Modifiers, &f.DxPointers, &f.PointedDiagnoses}
}

// AppendFinding appends the encoding of f to dst.
func AppendFinding(dst []byte, f *Finding) []byte {
	for _, s := range codecStrings(f) {
		dst = binary.AppendUvarint(dst, uint64(len(*s)))
		dst = append(dst, *s...)
	}
	for _, l := range codecLists(f) {
		dst = binary.AppendUvarint(dst, uint64(len(*l)))
		for _, s := range *l {
			dst = binary.AppendUvarint(dst, uint64(len(s)))
			dst = append(dst, s...)
		}
	}
	for _, v := range [...]int64{int64(f.FileIndex), f.ClaimOffset, int64(f.LineNumber), f.SegmentNumber, f.ByteOffset, int64(f.Severity)} {
		dst = binary.AppendVarint(dst, v)
	}
	return dst
}

var errBadFinding = errors.New("scrubber: a stored finding is cut short or corrupt")

// ReadFinding decodes the finding at the start of b and returns the rest.
func ReadFinding(b []byte) (Finding, []byte, error) {
	var f Finding
	bad := false
	uvarint := func() uint64 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			bad = true
			return 0
		}
		b = b[n:]
		return v
	}
	str := func() string {
		n := uvarint()
		if bad || n > uint64(len(b)) {
			bad = true
			return ""
		}
		s := string(b[:n])
		b = b[n:]
		return s
	}
	for _, s := range codecStrings(&f) {
		*s = str()
	}
	for _, l := range codecLists(&f) {
		n := uvarint()
		if bad || n > uint64(len(b)) {
			return Finding{}, nil, errBadFinding
		}
		if n > 0 {
			*l = make([]string, n)
			for i := range *l {
				(*l)[i] = str()
			}
		}
	}
	var ints [6]int64
	for i := range ints {
		v, n := binary.Varint(b)
		if n <= 0 {
			return Finding{}, nil, errBadFinding
		}
		ints[i], b = v, b[n:]
	}
	if bad {
		return Finding{}, nil, errBadFinding
	}
	f.FileIndex, f.ClaimOffset, f.LineNumber = int(ints[0]), ints[1], int(ints[2])
	f.SegmentNumber, f.ByteOffset, f.Severity = ints[3], ints[4], Severity(ints[5])
	return f, b, nil
}

// packColumns packs f for the cross-claim index; member and npi are
// substrings of the result.
func packColumns(f *Finding) (cols, member, npi string) {
	cols = string(AppendFinding(make([]byte, 0, 256), f))
	member, npi, _ = packedKey(cols)
	return cols, member, npi
}

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

// unpackColumns reverses packColumns.
func unpackColumns(cols string) Finding {
	f, _, err := ReadFinding([]byte(cols))
	if err != nil {
		panic(err) // packColumns wrote it in this process: cannot happen
	}
	return f
}
