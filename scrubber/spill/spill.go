// Package spill keeps what does not fit in memory in temporary files of
// length-prefixed records: a File is unlinked as soon as it is created, so
// a run that is killed leaves nothing behind, and its space is freed when
// it is closed. Records can be read back whole (Load), streamed (Reader),
// split by a key into smaller files (Split), and sorted runs of them merged
// (Merge).
package spill

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unsafe"
)

// ErrCorrupt is the error for a record cut short or longer than its file.
var ErrCorrupt = errors.New("spill: a record is cut short or corrupt")

// File is an unlinked temporary file that records are appended to. It is
// not safe for concurrent use, except that Readers of a flushed File may
// run at once.
type File struct {
	f     *os.File // nil once closed
	named bool     // the early unlink failed: Close removes the name
	w     *bufio.Writer
	n     int   // records appended
	size  int64 // bytes appended, length prefixes included
	head  []byte
}

// Create makes a File in dir ("" for the system's temporary folder), its
// name starting with prefix, writing through a buffer of bufSize bytes.
func Create(dir, prefix string, bufSize int) (*File, error) {
	f, err := os.CreateTemp(dir, prefix+"*")
	if err != nil {
		return nil, err
	}
	// Unix: gone from the folder, still ours to use. Elsewhere the name
	// stays until Close removes it.
	named := os.Remove(f.Name()) != nil
	return &File{f: f, named: named, w: bufio.NewWriterSize(f, bufSize)}, nil
}

// CreateN makes n Files (see Create); on an error it closes those it made.
func CreateN(dir, prefix string, n, bufSize int) ([]*File, error) {
	files := make([]*File, 0, n)
	for range n {
		f, err := Create(dir, prefix, bufSize)
		if err != nil {
			CloseAll(files)
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// CloseAll closes every File of files that is not nil.
func CloseAll(files []*File) {
	for _, f := range files {
		if f != nil {
			f.Close()
		}
	}
}

// Append adds a record.
func (f *File) Append(rec []byte) error {
	f.head = binary.AppendUvarint(f.head[:0], uint64(len(rec))) // a field: a local would escape
	if _, err := f.w.Write(f.head); err != nil {
		return err
	}
	if _, err := f.w.Write(rec); err != nil {
		return err
	}
	f.n++
	f.size += int64(len(f.head) + len(rec))
	return nil
}

// Len is the number of records appended.
func (f *File) Len() int { return f.n }

// Size is the number of bytes appended, length prefixes included: the
// offset the next record starts at.
func (f *File) Size() int64 { return f.size }

// Flush writes what is buffered, so that Readers see every record.
func (f *File) Flush() error { return f.w.Flush() }

// Close closes the file, which frees its space. Closing it again does
// nothing.
func (f *File) Close() error {
	if f.f == nil {
		return nil
	}
	err := f.f.Close()
	if f.named {
		os.Remove(f.f.Name())
	}
	f.f = nil
	return err
}

// Load reads every record into memory: one string holds them all, and
// each record is a substring of it.
func (f *File) Load() ([]string, error) {
	if err := f.Flush(); err != nil {
		return nil, err
	}
	var b strings.Builder
	b.Grow(int(f.size))
	if _, err := io.Copy(&b, io.NewSectionReader(f.f, 0, f.size)); err != nil {
		return nil, err
	}
	all := b.String()
	if int64(len(all)) != f.size {
		return nil, fmt.Errorf("%s: %d bytes, want %d: %w", f.f.Name(), len(all), f.size, ErrCorrupt)
	}
	recs := make([]string, 0, f.n)
	for pos := 0; pos < len(all); {
		n, w := uvarint(all[pos:])
		if w <= 0 || n > uint64(len(all)-pos-w) {
			return nil, fmt.Errorf("%s: record %d: %w", f.f.Name(), len(recs), ErrCorrupt)
		}
		pos += w
		recs = append(recs, all[pos:pos+int(n)])
		pos += int(n)
	}
	if len(recs) != f.n {
		return nil, fmt.Errorf("%s: %d records, want %d: %w", f.f.Name(), len(recs), f.n, ErrCorrupt)
	}
	return recs, nil
}

// Records streams the records in the size bytes from off (a section that
// starts and ends at records, such as Size before and after appending
// some). Flush first.
func (f *File) Records(off, size int64) *Reader {
	// A buffer no bigger than the section: a run reads back thousands of
	// small sections (one a file), and clearing a 32 KiB buffer for a few
	// hundred bytes cost more than reading them.
	buf := int(min(size, 32<<10)) // bufio makes it at least 16 bytes
	return &Reader{r: bufio.NewReaderSize(io.NewSectionReader(f.f, off, size), buf), left: size}
}

// Reader streams records.
type Reader struct {
	r    *bufio.Reader
	left int64 // bytes of the section not read yet
	rec  []byte
}

// Next returns the next record, valid until the next call; io.EOF after
// the last one.
func (r *Reader) Next() ([]byte, error) {
	n, err := binary.ReadUvarint(r.r)
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil || n > uint64(r.left) {
		return nil, ErrCorrupt
	}
	r.left -= int64(n)
	if uint64(cap(r.rec)) < n {
		r.rec = make([]byte, n)
	}
	r.rec = r.rec[:n]
	if _, err := io.ReadFull(r.r, r.rec); err != nil {
		return nil, ErrCorrupt
	}
	return r.rec, nil
}

// Split streams f's records into n new Files (see Create), each record to
// the one piece(rec) names (0 to n-1), and closes f. Split a file too big
// to Load into pieces that are not, by a key that keeps what belongs
// together in one piece.
func (f *File) Split(n int, dir, prefix string, bufSize int, piece func(rec []byte) (int, error)) ([]*File, error) {
	defer f.Close()
	if err := f.Flush(); err != nil {
		return nil, err
	}
	pieces, err := CreateN(dir, prefix, n, bufSize)
	if err != nil {
		return nil, err
	}
	r := f.Records(0, f.size)
	for k := 0; ; k++ {
		rec, err := r.Next()
		if err == io.EOF && k != f.n {
			err = fmt.Errorf("%d records, want %d: %w", k, f.n, ErrCorrupt)
		}
		if err == io.EOF {
			return pieces, nil
		}
		var i int
		if err == nil {
			i, err = piece(rec)
		}
		if err == nil && (i < 0 || i >= n) {
			err = fmt.Errorf("piece %d of %d", i, n)
		}
		if err == nil {
			err = pieces[i].Append(rec)
		}
		if err != nil {
			CloseAll(pieces)
			return nil, fmt.Errorf("%s: record %d: %w", f.f.Name(), k, err)
		}
	}
}

// uvarint is binary.Uvarint over a string (whose bytes it reads only).
func uvarint(s string) (uint64, int) {
	return binary.Uvarint(unsafe.Slice(unsafe.StringData(s), len(s)))
}
