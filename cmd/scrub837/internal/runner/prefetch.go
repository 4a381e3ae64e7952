package runner

import (
	"errors"
	"io"
	"sync"
)

// prefetcher reads an input ahead of the scrubber on its own goroutine and
// hands every chunk to a sink (the hash and byte count) before the
// scrubber sees it. Reading and hashing (SHA-256 is about a fifth of the
// work of a run) then overlap the scrub of the bytes before them.
//
// Buffers circulate between the two goroutines: at most depth chunks are
// in memory, so a file of any size costs depth*size bytes.
type prefetcher struct {
	chunks chan prefetched
	free   chan []byte
	stop   chan struct{}
	wg     sync.WaitGroup

	cur  []byte // the unread part of the chunk being read
	held []byte // that chunk's buffer, returned to free when it is used up
	err  error  // the error after the last chunk (io.EOF at the end)
}

type prefetched struct {
	buf []byte
	n   int
	err error
}

const (
	prefetchChunk = 256 << 10
	prefetchDepth = 4
)

// newPrefetcher starts reading src. sink sees every byte, in order, before
// Read returns it; it runs on the prefetching goroutine.
func newPrefetcher(src io.Reader, sink io.Writer, chunk, depth int) *prefetcher {
	p := &prefetcher{
		chunks: make(chan prefetched, depth),
		free:   make(chan []byte, depth),
		stop:   make(chan struct{}),
	}
	for range depth {
		p.free <- make([]byte, chunk)
	}
	p.wg.Add(1)
	go p.run(src, sink)
	return p
}

func (p *prefetcher) run(src io.Reader, sink io.Writer) {
	defer p.wg.Done()
	for {
		var buf []byte
		select {
		case buf = <-p.free:
		case <-p.stop:
			return
		}
		// Whole chunks: fewer hand-overs. A short read is not the end.
		n, err := io.ReadFull(src, buf)
		if errors.Is(err, io.ErrUnexpectedEOF) {
			err = io.EOF
		}
		if n > 0 {
			sink.Write(buf[:n])
		}
		select {
		case p.chunks <- prefetched{buf: buf, n: n, err: err}:
		case <-p.stop:
			return
		}
		if err != nil {
			return
		}
	}
}

// Read returns the bytes read ahead, in order, then the read error.
func (p *prefetcher) Read(b []byte) (int, error) {
	for len(p.cur) == 0 {
		if p.err != nil {
			return 0, p.err
		}
		if p.held != nil {
			p.free <- p.held // never blocks: there are only depth buffers
			p.held = nil
		}
		c := <-p.chunks
		p.held, p.cur, p.err = c.buf, c.buf[:c.n], c.err
	}
	n := copy(b, p.cur)
	p.cur = p.cur[n:]
	return n, nil
}

// Close stops the goroutine and waits for it, so that the input can be
// closed under it safely. Reading after Close is not allowed.
func (p *prefetcher) Close() {
	close(p.stop)
	p.wg.Wait()
}
