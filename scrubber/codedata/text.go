package codedata

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// hcpcs is a HCPCS/CPT code (five characters) as a map key, so that lookups
// with the claim's strings do not allocate.
type hcpcs [5]byte

func hcpcsOf[T string | []byte](s T) (hcpcs, bool) {
	var c hcpcs
	if len(s) != 5 {
		return c, false
	}
	for i := 0; i < 5; i++ {
		if !isCodeChar(s[i]) {
			return c, false
		}
		c[i] = s[i]
	}
	return c, true
}

func isCodeChar(b byte) bool { return b >= '0' && b <= '9' || b >= 'A' && b <= 'Z' }

// codeSet is the few procedure codes a caller asks for.
type codeSet []hcpcs

func newCodeSet(codes []string) codeSet {
	var s codeSet
	for _, c := range codes {
		if k, ok := hcpcsOf(strings.ToUpper(strings.TrimSpace(c))); ok {
			s = append(s, k)
		}
	}
	return s
}

func (s codeSet) has(c hcpcs) bool {
	for _, w := range s {
		if w == c {
			return true
		}
	}
	return false
}

// latin1 turns the bytes of a Latin-1 file (the CMS NCCI files) into a Go
// string. Only kept fields are decoded.
func latin1(b []byte) string {
	for _, c := range b {
		if c >= 0x80 {
			s, _ := charmap.ISO8859_1.NewDecoder().Bytes(b)
			return string(s)
		}
	}
	return string(b)
}

// utf8OrCP1252 reads a field of a file whose encoding is not stated (the
// NUCC CSV): UTF-8 when it is valid UTF-8, else Windows-1252.
func utf8OrCP1252(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	out, _ := charmap.Windows1252.NewDecoder().String(s)
	return out
}

// lineReader yields the lines of a text file without their CR LF, counting
// them, and refuses a line longer than any the published files have, so a
// stray binary file cannot make one line the size of the file.
type lineReader struct {
	br   *bufio.Reader
	line int
}

const maxLine = 64 << 10

var errLineTooLong = errors.New("a line longer than 64 KiB: not a text table")

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, maxLine)}
}

// next returns the next line (valid until the following call) or io.EOF.
func (l *lineReader) next() ([]byte, error) {
	b, err := l.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		l.line++
		return nil, errLineTooLong
	}
	if err != nil && (err != io.EOF || len(b) == 0) {
		return nil, err
	}
	l.line++
	b = bytes.TrimSuffix(b, []byte{'\n'})
	return bytes.TrimSuffix(b, []byte{'\r'}), nil
}

// nextRow is next without the blank lines.
func (l *lineReader) nextRow() ([]byte, error) {
	for {
		line, err := l.next()
		if err != nil || !blank(line) {
			return line, err
		}
	}
}

// splitTabs cuts a line at its tabs into fields (at most len(dst); the last
// field keeps any further tabs) and returns how many there are.
func splitTabs(line []byte, dst [][]byte) int {
	n := 0
	for n < len(dst)-1 {
		i := bytes.IndexByte(line, '\t')
		if i < 0 {
			break
		}
		dst[n] = line[:i]
		line = line[i+1:]
		n++
	}
	dst[n] = line
	return n + 1
}

// blank reports a line of only spaces and tabs.
func blank(line []byte) bool {
	if len(line) > 0 && line[0] != ' ' && line[0] != '\t' {
		return false // the common case, without a scan
	}
	return len(bytes.Trim(line, " \t")) == 0
}

// interner shares the many copies of a few strings (PTP rationales).
type interner map[string]string

func (in interner) get(b []byte) string {
	if s, ok := in[string(b)]; ok {
		return s
	}
	s := latin1(b)
	in[string(b)] = s
	return s
}

// share returns the table's copy of s, so that parts read apart share one.
func (in interner) share(s string) string {
	if c, ok := in[s]; ok {
		return c
	}
	in[s] = s
	return s
}
