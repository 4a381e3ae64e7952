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
	"path/filepath"
	"strings"
)

// input is one file of the run, in command-line order after folders are
// expanded. A path that cannot be listed or opened is still an input: it
// carries the error and becomes a failed file in the reports.
type input struct {
	name  string // as reports show it: the path as given, joined with folder entries
	stdin bool   // "-"
	size  int64  // bytes on disk when known (for the progress bar); -1 if not
	err   error  // why it cannot be read at all, found while expanding
}

// expandInputs turns the command-line paths into inputs, keeping their
// order. A folder gives every regular file in it, sorted by name; with
// recursive, sub-folders are entered in the same sorted walk, else they
// are skipped (and reported through skipped). The output folder is never
// scrubbed. Symbolic links to files are followed; links to folders are not
// entered (they could loop).
func expandInputs(paths []string, recursive bool, outDir string, skipped func(path, why string)) []input {
	var outInfo os.FileInfo
	if outDir != "" {
		outInfo, _ = os.Stat(outDir)
	}
	var out []input
	for _, p := range paths {
		if p == "-" {
			out = append(out, input{name: "-", stdin: true, size: -1})
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			out = append(out, input{name: p, size: -1, err: cleanPathError(err)})
			continue
		}
		if !info.IsDir() {
			out = append(out, fileInput(p, info))
			continue
		}
		if outInfo != nil && os.SameFile(info, outInfo) {
			skipped(p, "the --out folder")
			continue
		}
		out = appendFolder(out, p, recursive, outInfo, skipped)
	}
	return out
}

func fileInput(name string, info os.FileInfo) input {
	size := int64(-1)
	if info.Mode().IsRegular() {
		size = info.Size()
	}
	return input{name: name, size: size}
}

// appendFolder appends the files of dir in name order.
func appendFolder(out []input, dir string, recursive bool, outInfo os.FileInfo, skipped func(path, why string)) []input {
	entries, err := os.ReadDir(dir) // sorted by file name
	if err != nil {
		// The folder itself cannot be listed: it is one failed input, so
		// that the run says so instead of scrubbing nothing silently.
		return append(out, input{name: dir, size: -1, err: cleanPathError(err)})
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		mode := e.Type()
		if mode&fs.ModeSymlink != 0 {
			info, err := os.Stat(path)
			if err != nil {
				out = append(out, input{name: path, size: -1, err: cleanPathError(err)})
				continue
			}
			if info.IsDir() {
				skipped(path, "symbolic link to a folder (not followed)")
				continue
			}
			if info.Mode().IsRegular() {
				out = append(out, fileInput(path, info))
			} else {
				skipped(path, "not a regular file")
			}
			continue
		}
		switch {
		case mode.IsDir():
			if outInfo != nil {
				if info, err := e.Info(); err == nil && os.SameFile(info, outInfo) {
					skipped(path, "the --out folder")
					continue
				}
			}
			if !recursive {
				skipped(path, "sub-folder (use -r to descend)")
				continue
			}
			out = appendFolder(out, path, recursive, outInfo, skipped)
		case mode.IsRegular():
			info, err := e.Info()
			if err != nil {
				out = append(out, input{name: path, size: -1, err: cleanPathError(err)})
				continue
			}
			out = append(out, fileInput(path, info))
		default:
			skipped(path, "not a regular file")
		}
	}
	return out
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
	closeFn := func() error { return nil }
	if in.stdin {
		src = stdin
	} else {
		f, err := os.Open(in.name)
		if err != nil {
			return nil, cleanPathError(err)
		}
		src, closeFn = f, f.Close
	}
	if ctx != nil {
		src = ctxReader{ctx, src}
	}
	counter := newRawCounter(progress)
	raw := io.TeeReader(src, counter)
	if readAhead {
		ahead := newPrefetcher(src, counter, prefetchChunk, prefetchDepth)
		closeSrc := closeFn
		closeFn = func() error {
			ahead.Close() // before the file: the goroutine may be reading it
			return closeSrc()
		}
		raw = ahead
	}
	br := bufio.NewReaderSize(raw, 64<<10)
	o := &openedInput{x12: br, raw: br, counter: counter, close: closeFn}
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
