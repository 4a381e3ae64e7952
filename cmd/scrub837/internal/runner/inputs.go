package runner

import (
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// input is one file of the run, in command-line order after folders are
// expanded. A path that cannot be listed or opened is still an input: it
// carries the error and becomes a failed file in the reports. An entry of
// a folder that is left out (hidden, excluded, not a regular file) is an
// input too, skipped with its reason, so that files[] accounts for every
// entry.
type input struct {
	name  string // as reports show it: the path as given, joined with folder entries
	stdin bool   // "-"
	size  int64  // bytes on disk when known (for the progress bar); -1 if not
	err   error  // why it cannot be read at all, found while expanding
	skip  string // why it is left out unread (status skipped)
}

// expansion says how the command line's paths become inputs.
type expansion struct {
	recursive bool     // folders: descend into sub-folders
	out       string   // the report folder: never scrubbed
	include   []string // folder entries: only files matching one of these (when any)
	exclude   []string // folder entries: none matching one of these
	// notScrubbed is told about the --out folder when it is met.
	notScrubbed func(path, why string)
}

// expandInputs turns the command-line paths into inputs, keeping their
// order. A file named on the command line is always an input; one that is
// not a regular file (a FIFO, a device, a socket) is a failed input, never
// opened (opening it could block the run for ever). A folder gives its
// entries sorted by name: regular files are inputs unless hidden (a name
// starting with ".") or left out by --include/--exclude; everything else
// is listed as skipped with its reason, sub-folders too unless recursive.
// Symbolic links to files are followed; links to folders are not entered
// (they could loop).
func expandInputs(paths []string, x expansion) []input {
	var outInfo os.FileInfo
	if x.out != "" {
		outInfo, _ = os.Stat(x.out)
	}
	if x.notScrubbed == nil {
		x.notScrubbed = func(string, string) {}
	}
	var out []input
	for _, p := range paths {
		if p == "-" {
			out = append(out, input{name: "-", stdin: true, size: -1})
			continue
		}
		info, err := os.Stat(p)
		switch {
		case err != nil:
			out = append(out, input{name: p, size: -1, err: cleanPathError(err)})
		case info.Mode().IsRegular():
			out = append(out, input{name: p, size: info.Size()})
		case !info.IsDir():
			out = append(out, input{name: p, size: 0, err: notRegularError(info.Mode())})
		case outInfo != nil && os.SameFile(info, outInfo):
			x.notScrubbed(p, "the --out folder")
		default:
			out = x.appendFolder(out, p, p, outInfo)
		}
	}
	return out
}

// notRegularError says why a path named on the command line is not read.
func notRegularError(mode fs.FileMode) error {
	return fmt.Errorf("not a regular file (%s): only files are read; pipe a stream to standard input (-) instead", kindOf(mode))
}

// kindOf names what a file that is not a regular file is.
func kindOf(mode fs.FileMode) string {
	switch {
	case mode&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&fs.ModeDevice != 0:
		return "a device"
	case mode.IsDir():
		return "a folder"
	}
	return "not a regular file"
}

// skipped is a folder entry left out unread.
func skipped(path, why string) input { return input{name: path, skip: why} }

// appendFolder appends the entries of dir in name order; root is the
// folder named on the command line (patterns with a "/" match the path
// below it).
func (x *expansion) appendFolder(out []input, root, dir string, outInfo os.FileInfo) []input {
	entries, err := os.ReadDir(dir) // sorted by file name
	if err != nil {
		// The folder itself cannot be listed: it is one failed input, so
		// that the run says so instead of scrubbing nothing silently.
		return append(out, input{name: dir, size: -1, err: cleanPathError(err)})
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		rel, _ := filepath.Rel(root, path)
		if strings.HasPrefix(e.Name(), ".") {
			out = append(out, skipped(path, "hidden (the name starts with a dot)"))
			continue
		}
		if pattern, ok := matchAny(x.exclude, rel); ok {
			out = append(out, skipped(path, "excluded by --exclude "+pattern))
			continue
		}
		info, err := os.Stat(path) // follows a symbolic link
		if err != nil {
			out = append(out, input{name: path, size: -1, err: cleanPathError(err)})
			continue
		}
		link := e.Type()&fs.ModeSymlink != 0
		switch {
		case info.IsDir() && link:
			out = append(out, skipped(path, "symbolic link to a folder (not followed)"))
		case info.IsDir() && outInfo != nil && os.SameFile(info, outInfo):
			x.notScrubbed(path, "the --out folder")
		case info.IsDir() && !x.recursive:
			out = append(out, skipped(path, "a sub-folder (use -r to scrub sub-folders)"))
		case info.IsDir():
			out = x.appendFolder(out, root, path, outInfo)
		case !info.Mode().IsRegular():
			out = append(out, skipped(path, "not a regular file ("+kindOf(info.Mode())+")"))
		case len(x.include) > 0 && !matchedAny(x.include, rel):
			out = append(out, skipped(path, "matches no --include"))
		default:
			out = append(out, input{name: path, size: info.Size()})
		}
	}
	return out
}

// matchAny returns the first pattern that matches the entry at rel (its
// path below the folder named on the command line): a pattern with a "/"
// matches that path, one without matches its name.
func matchAny(patterns []string, rel string) (string, bool) {
	rel = filepath.ToSlash(rel)
	for _, p := range patterns {
		subject := path.Base(rel)
		if strings.Contains(p, "/") {
			subject = rel
		}
		if ok, _ := path.Match(p, subject); ok {
			return p, true
		}
	}
	return "", false
}

func matchedAny(patterns []string, rel string) bool {
	_, ok := matchAny(patterns, rel)
	return ok
}

// CheckPattern reports whether p is a valid --include or --exclude
// pattern (path.Match syntax).
func CheckPattern(p string) error {
	if p == "" {
		return errors.New("an empty pattern")
	}
	if _, err := path.Match(p, ""); err != nil {
		return fmt.Errorf("%q: %w", p, err)
	}
	return nil
}

// cleanPathError keeps only the cause of an *fs.PathError ("no such file
// or directory", "permission denied"): the path is the input's name, which
// reports and logs show next to the error anyway.
func cleanPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// rawCounter hashes and counts the raw bytes of an input as they are read,
// and reports them to the progress bar.
type rawCounter struct {
	h        hash.Hash
	n        int64
	progress func(int64)
}

func newRawCounter(progress func(int64)) *rawCounter {
	return &rawCounter{h: sha256.New(), progress: progress}
}

func (c *rawCounter) Write(p []byte) (int, error) {
	c.h.Write(p)
	c.n += int64(len(p))
	if c.progress != nil {
		c.progress(int64(len(p)))
	}
	return len(p), nil
}

func (c *rawCounter) sum() string { return hex.EncodeToString(c.h.Sum(nil)) }

// hashFile returns the size and SHA-256 (hex) of the file name's bytes.
func hashFile(name string) (int64, string, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	c := newRawCounter(nil)
	if _, err := io.CopyBuffer(c, f, make([]byte, 256<<10)); err != nil {
		return 0, "", err
	}
	return c.n, c.sum(), nil
}

var gzipMagic = []byte{0x1f, 0x8b}

// isGzip reports whether the input is gzip data: by its magic bytes, which
// decide. A .gz name on data that is not gzip is read as it is (and
// hasGzipName lets the caller warn about it).
func isGzip(br *bufio.Reader) bool {
	head, _ := br.Peek(len(gzipMagic))
	return len(head) == len(gzipMagic) && head[0] == gzipMagic[0] && head[1] == gzipMagic[1]
}

func hasGzipName(name string) bool {
	return strings.HasSuffix(strings.ToLower(name), ".gz")
}

// openedInput is an input ready to scrub: x12 is the (decompressed) X12
// stream; raw is the stream under it, which drain reads to its end so that
// the hash and byte count cover the whole file even when the scrubber
// stopped early.
type openedInput struct {
	x12     io.Reader
	raw     io.Reader
	counter *rawCounter
	gzipped bool
	close   func() error
	// file and its size when opened, for changed; nil for stdin
	file       *os.File
	sizeAtOpen int64
}

// changed reports, once the input is drained, a file whose size changed
// while it was read, or that gave more or fewer bytes than it had when
// opened: it is still being written (or rewritten), and what was read is
// not the file.
func (o *openedInput) changed() error {
	if o.file == nil {
		return nil
	}
	info, err := o.file.Stat()
	if err != nil {
		return nil // the read itself went well: nothing to say
	}
	if read, now := o.counter.n, info.Size(); read != o.sizeAtOpen || now != o.sizeAtOpen {
		return fmt.Errorf("the file changed while it was read (%d bytes when opened, %d read, %d now): "+
			"it is probably still being written; scrub it once it is complete", o.sizeAtOpen, read, now)
	}
	return nil
}

// drain reads what is left of the raw input, for the hash and byte count.
func (o *openedInput) drain() error {
	_, err := io.Copy(io.Discard, o.raw)
	return err
}

// openInput opens in for reading. The error is for a file that cannot be
// opened or decompressed at all (FILE-UNREADABLE); the returned
// openedInput is valid even then, so that the raw bytes can be counted.
//
// readAhead reads and hashes the raw bytes on a goroutine of their own
// (see prefetcher): worth it when a CPU is spare.
func openInput(ctx context.Context, in input, stdin io.Reader, progress func(int64), readAhead bool) (*openedInput, error) {
	var src io.Reader
	var file *os.File
	sizeAtOpen := int64(-1)
	closeFn := func() error { return nil }
	if in.stdin {
		src = stdin
	} else {
		f, err := os.Open(in.name)
		if err != nil {
			return nil, cleanPathError(err)
		}
		src, closeFn = f, f.Close
		if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
			file, sizeAtOpen = f, info.Size()
		}
	}
	if ctx != nil {
		src = ctxReader{ctx, src}
	}
	counter := newRawCounter(progress)
	raw := io.TeeReader(src, counter)
	if readAhead {
		ahead := newPrefetcher(src, counter, prefetchBuffers, prefetchDepth)
		closeSrc := closeFn
		closeFn = func() error {
			ahead.Close() // before the file: the goroutine may be reading it
			return closeSrc()
		}
		raw = ahead
	}
	br := inputBuffers.Get().(*bufio.Reader)
	br.Reset(raw)
	closeInput := closeFn
	closeFn = func() error {
		err := closeInput()
		br.Reset(nil) // keeps no reference to this input
		inputBuffers.Put(br)
		return err
	}
	o := &openedInput{x12: br, raw: br, counter: counter, close: closeFn, file: file, sizeAtOpen: sizeAtOpen}
	if !isGzip(br) {
		return o, nil
	}
	o.gzipped = true
	zr, err := gzip.NewReader(br)
	if err != nil {
		return o, fmt.Errorf("decompressing: %w", err)
	}
	o.x12 = &gzipReader{zr: zr}
	return o, nil
}

// inputBuffers keeps the read buffers of closed inputs for the next ones:
// on a drop of many small files, a fresh 64 KiB buffer a file (allocated
// and cleared) costs more than reading the file.
var inputBuffers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 64<<10) }}

// ctxReader stops reading when its context is done: a run being stopped
// ends the file it is in at its next read.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// gzipReader prefixes decompression errors, so that the scrubber's
// read-error finding says what failed.
type gzipReader struct{ zr *gzip.Reader }

func (g *gzipReader) Read(p []byte) (int, error) {
	n, err := g.zr.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		err = fmt.Errorf("decompressing: %w", err)
	}
	return n, err
}
