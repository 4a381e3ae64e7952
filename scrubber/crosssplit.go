package scrubber

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"unsafe"
)

// splitPart returns part as pieces of about loadMax bytes each, so that Finish
// loads one piece at a time. A part that is small enough is its own only
// piece. A bigger one is read through once, streaming, and each record goes
// to the piece given by the rest of its match key's hash (crossKeyHash):
// entries only match within one key, so matching piece by piece finds what
// matching the whole part would. The part's file is closed; the caller
// loads (and so closes) every piece, or closes them with closeParts.
func splitPart(part *spillPart, loadMax int, dir string) ([]spillPart, error) {
	if part.size <= int64(loadMax) || part.f == nil {
		return []spillPart{*part}, nil
	}
	defer func() {
		part.f.Close()
		*part = spillPart{}
	}()
	if err := part.rewind(); err != nil {
		return nil, err
	}
	n := splitPieces(part.size, loadMax)
	// The write buffers share crossSplitBuffer: big buffers mean few
	// write calls (the calls were most of the split's time with 8 KiB).
	pieceBuffer := min(max(crossSplitBuffer/n, 4<<10), 64<<10)
	pieces, err := createParts(dir, "scrub837-cross-split-", n, pieceBuffer)
	if err != nil {
		return nil, err
	}
	r := bufio.NewReaderSize(io.LimitReader(part.f, part.size), 64<<10)
	var rec []byte
	for k := 0; ; k++ {
		var colsAt int
		rec, colsAt, err = readSpillRecord(r, rec[:0], part.size)
		if err == io.EOF && k != part.n {
			err = fmt.Errorf("%d entries, want %d", k, part.n)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			closeParts(pieces)
			return nil, fmt.Errorf("%s: entry %d: %w", part.f.Name(), k, err)
		}
		// The string only lives for the packedKey and hash calls.
		cols := unsafe.String(unsafe.SliceData(rec[colsAt:]), len(rec)-colsAt)
		member, _, ok := packedKey(cols)
		if !ok {
			closeParts(pieces)
			return nil, fmt.Errorf("%s: entry %d: %w", part.f.Name(), k, errSpillCorrupt)
		}
		h := crossKeyHash(member, rec[2]&spillPatient != 0) // rec[2]: the flags
		piece := &pieces[(h/crossPartitions)%uint64(n)]
		if _, err := piece.w.Write(rec); err != nil {
			closeParts(pieces)
			return nil, err
		}
		piece.n++
		piece.size += int64(len(rec))
	}
	return pieces, nil
}

// splitPieces is how many pieces a part of size bytes is split into: one
// per loadMax bytes, but at most crossSplitMaxPieces (each is an open file).
func splitPieces(size int64, loadMax int) int {
	return int(min((size+int64(loadMax)-1)/int64(loadMax), crossSplitMaxPieces))
}

// readSpillRecord appends the next record that crossStore.write wrote to
// rec and returns it with the offset of its packed columns (its last
// field). io.EOF means there is none; a record cut short or with a field
// longer than limit bytes is errSpillCorrupt.
func readSpillRecord(r *bufio.Reader, rec []byte, limit int64) ([]byte, int, error) {
	// kind, sides, flags, worst severity
	for i := range 4 {
		b, err := r.ReadByte()
		if err != nil {
			if i == 0 && errors.Is(err, io.EOF) {
				return rec, 0, io.EOF
			}
			return rec, 0, errSpillCorrupt
		}
		rec = append(rec, b)
	}
	// dates From and To, claim and line offsets, file index, scrub serial
	var err error
	for range 6 {
		if rec, _, err = appendUvarintFrom(r, rec); err != nil {
			return rec, 0, err
		}
	}
	// related code, override, side text, packed columns
	colsAt := 0
	for range 4 {
		var n uint64
		if rec, n, err = appendUvarintFrom(r, rec); err != nil {
			return rec, 0, err
		}
		if n > uint64(limit) {
			return rec, 0, errSpillCorrupt
		}
		colsAt = len(rec)
		rec = append(rec, make([]byte, n)...)
		if _, err := io.ReadFull(r, rec[colsAt:]); err != nil {
			return rec, 0, errSpillCorrupt
		}
	}
	return rec, colsAt, nil
}

// appendUvarintFrom appends the bytes of the varint at r to rec and
// returns its value.
func appendUvarintFrom(r *bufio.Reader, rec []byte) ([]byte, uint64, error) {
	var v uint64
	for shift := uint(0); shift < 64; shift += 7 {
		b, err := r.ReadByte()
		if err != nil {
			return rec, 0, errSpillCorrupt
		}
		rec = append(rec, b)
		v |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return rec, v, nil
		}
	}
	return rec, 0, errSpillCorrupt
}
