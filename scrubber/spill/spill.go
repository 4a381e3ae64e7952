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
	"math/bits"
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
	buf := int(min(size, readBufSize)) // bufio makes it at least 16 bytes
	return &Reader{r: bufio.NewReaderSize(io.NewSectionReader(f.f, off, size), buf), left: size}
}

const readBufSize = 32 << 10

// Sections reads sections of f (see Records) one after another through
// one buffer: a section that starts where the one before it ended goes on
// with the same read, so that reading back thousands of small adjacent
// sections in order costs one read a buffer, not one a section. A section
// asked for while the one before it is still being read, or that lies
// past what f held when Sections was called, gets a buffer of its own (as
// from Records). Flush first. Not safe for concurrent use: take one
// Sections a reading goroutine.
type Sections struct {
	f       *File
	br      *bufio.Reader
	at, end int64   // the shared read is at offset at; f held end bytes
	last    *Reader // the last Reader on the shared buffer
}

// Sections returns a reader of f's sections in order.
func (f *File) Sections() *Sections { return &Sections{f: f, end: f.size} }

// Records streams the records of the section of size bytes at off, like
// File.Records.
func (s *Sections) Records(off, size int64) *Reader {
	if (s.last != nil && s.last.left > 0) || off+size > s.end {
		return s.f.Records(off, size)
	}
	if s.br == nil || off != s.at {
		sec := io.NewSectionReader(s.f.f, off, s.end-off)
		if s.br == nil {
			s.br = bufio.NewReaderSize(sec, int(min(s.end, readBufSize)))
		} else {
			s.br.Reset(sec)
		}
	}
	s.at = off + size
	s.last = &Reader{r: s.br, left: size}
	return s.last
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
	if r.left == 0 {
		return nil, io.EOF // without reading: the buffer may be shared
	}
	n, err := binary.ReadUvarint(r.r)
	if err != nil {
		return nil, ErrCorrupt // the section said there was more
	}
	w := int64(uvarintLen(n))
	if w > r.left || n > uint64(r.left-w) {
		return nil, ErrCorrupt
	}
	r.left -= w + int64(n)
	if uint64(cap(r.rec)) < n {
		r.rec = make([]byte, n)
	}
	r.rec = r.rec[:n]
	if _, err := io.ReadFull(r.r, r.rec); err != nil {
		return nil, ErrCorrupt
	}
	return r.rec, nil
}

// uvarintLen is the length of n's encoding by binary.AppendUvarint (the
// only one Append writes).
func uvarintLen(n uint64) int { return (bits.Len64(n|1) + 6) / 7 }

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
