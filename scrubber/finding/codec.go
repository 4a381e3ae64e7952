package finding

import (
	"encoding/binary"
	"errors"
)

// The encoding of a finding, for findings kept on disk: varint lengths and
// bytes for the strings and lists, then varints for the numbers.

func codecStrings(f *Finding) [22]*string {
	return [...]*string{&f.MemberID, &f.BillingNPI, &f.File, &f.ISAControl, &f.GSControl, &f.STControl,
		&f.ClaimID, &f.Procedure, &f.Units, &f.Charge, &f.ServiceDate, &f.PlaceOfService,
		&f.PayerName, &f.PayerID, &f.PayerGroup, &f.RenderingNPI, &f.RenderingTaxonomy,
		&f.Source, &f.Message, &f.RuleID, &f.Suggestion, new(string)}
}

func codecLists(f *Finding) [3]*[]string {
	return [...]*[]string{&f.Modifiers, &f.DxPointers, &f.PointedDiagnoses}
}

// Append appends the encoding of f to dst.
func Append(dst []byte, f *Finding) []byte {
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

// ErrCorrupt is Read's error for bytes that are not a whole encoded finding.
var ErrCorrupt = errors.New("finding: a stored finding is cut short or corrupt")

// Read decodes the finding Append wrote at the start of b and returns the
// rest of b. The finding's strings are its own.
func Read(b []byte) (Finding, []byte, error) {
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
			return Finding{}, nil, ErrCorrupt
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
			return Finding{}, nil, ErrCorrupt
		}
		ints[i], b = v, b[n:]
	}
	if bad {
		return Finding{}, nil, ErrCorrupt
	}
	f.FileIndex, f.ClaimOffset, f.LineNumber = int(ints[0]), ints[1], int(ints[2])
	f.SegmentNumber, f.ByteOffset, f.Severity = ints[3], ints[4], Severity(ints[5])
	return f, b, nil
}
