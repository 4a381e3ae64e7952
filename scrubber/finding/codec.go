package finding

import (
	"encoding/binary"
	"errors"
	"unsafe"
)

// The encoding of findings and claim summaries kept on disk: varint
// lengths and bytes for the strings and lists, then varints for the
// numbers.

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
		dst = appendString(dst, *s)
	}
	for _, l := range codecLists(f) {
		dst = binary.AppendUvarint(dst, uint64(len(*l)))
		for _, s := range *l {
			dst = appendString(dst, s)
		}
	}
	for _, v := range [...]int64{int64(f.FileIndex), f.ClaimOffset, int64(f.LineNumber), f.SegmentNumber, f.ByteOffset, int64(f.Severity)} {
		dst = binary.AppendVarint(dst, v)
	}
	return dst
}

// ErrCorrupt is the error of Read and ReadClaim for bytes that are not a
// whole encoded value.
var ErrCorrupt = errors.New("finding: a stored finding or claim is cut short or corrupt")

// Read decodes the finding Append wrote at the start of b and returns the
// rest of b. The finding's strings are its own (one copy of its bytes that
// they share).
func Read(b []byte) (Finding, []byte, error) {
	var f Finding
	d := decoder{b: b, view: true}
	for _, s := range codecStrings(&f) {
		*s = d.str()
	}
	for _, l := range codecLists(&f) {
		*l = d.list()
	}
	var ints [6]int64
	for i := range ints {
		ints[i] = d.varint()
	}
	if d.bad {
		return Finding{}, nil, ErrCorrupt
	}
	o := d.owner(b)
	for _, s := range codecStrings(&f) {
		o.own(s)
	}
	for _, l := range codecLists(&f) {
		for i := range *l {
			o.own(&(*l)[i])
		}
	}
	f.FileIndex, f.ClaimOffset, f.LineNumber = int(ints[0]), ints[1], int(ints[2])
	f.SegmentNumber, f.ByteOffset, f.Severity = ints[3], ints[4], Severity(ints[5])
	return f, d.b, nil
}

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// decoder reads what Append and AppendClaim write; after the first value
// that does not decode, bad is set and every value is zero.
//
// With view set, its strings share the bytes they were read from, until
// the caller makes them own one copy of the value's bytes (owner): one
// allocation a value instead of one a string. The reports read every
// spooled finding and claim back several times, so this is most of what
// reading them allocates.
type decoder struct {
	b    []byte
	bad  bool
	view bool
}

// owner returns what makes the strings read from b (with view) own one
// copy of the bytes decoded so far.
func (d *decoder) owner(b []byte) owner {
	used := len(b) - len(d.b)
	return owner{base: uintptr(unsafe.Pointer(unsafe.SliceData(b))), all: string(b[:used])}
}

type owner struct {
	base uintptr // where the bytes the strings view start
	all  string  // their copy
}

// own points *s, a view of the bytes at base, at the same bytes of the copy.
func (o owner) own(s *string) {
	if len(*s) == 0 {
		*s = ""
		return
	}
	off := uintptr(unsafe.Pointer(unsafe.StringData(*s))) - o.base
	*s = o.all[off : off+uintptr(len(*s))]
}

func (d *decoder) uvarint() uint64 { return readVarint(d, binary.Uvarint) }
func (d *decoder) varint() int64   { return readVarint(d, binary.Varint) }

// readVarint reads one number with read (binary.Uvarint or binary.Varint).
func readVarint[T uint64 | int64](d *decoder, read func([]byte) (T, int)) T {
	if d.bad {
		return 0
	}
	v, n := read(d.b)
	if n <= 0 {
		d.bad = true
		return 0
	}
	d.b = d.b[n:]
	return v
}

// str reads a string: a count of bytes, then the bytes.
func (d *decoder) str() string {
	n := d.count() // 0 once bad
	var s string
	if d.view && n > 0 {
		s = unsafe.String(&d.b[0], n)
	} else {
		s = string(d.b[:n])
	}
	d.b = d.b[n:]
	return s
}

// count reads a number of elements, each at least one byte long: more than
// the bytes left is corrupt (and would make a huge allocation).
func (d *decoder) count() int {
	n := d.uvarint()
	if d.bad || n > uint64(len(d.b)) {
		d.bad = true
		return 0
	}
	return int(n)
}

// list reads a list of strings; an empty list is nil.
func (d *decoder) list() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	l := make([]string, n)
	for i := range l {
		l[i] = d.str()
	}
	return l
}
