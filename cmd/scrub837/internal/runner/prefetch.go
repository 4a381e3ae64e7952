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
// in memory, so a file of any size costs depth*size bytes. They come from
// a pool and go back to it on Close, and are taken only as the reading
// needs them: a drop of thousands of small files would otherwise allocate
// (and clear) depth fresh chunks a file, most never used, which cost more
// CPU than scrubbing those files.
type prefetcher struct {
	chunks chan prefetched
	free   chan []byte
	stop   chan struct{}
	wg     sync.WaitGroup
	pool   *chunkPool

	taken int // buffers taken from the pool (by the goroutine, then by Close)

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

// prefetchBuffers keeps the chunks of finished inputs for the next ones.
var prefetchBuffers = newChunkPool(prefetchChunk)

// chunkPool is a sync.Pool of byte slices of one size.
type chunkPool struct {
	size int
	pool sync.Pool
}

func newChunkPool(size int) *chunkPool {
	c := &chunkPool{size: size}
	c.pool.New = func() any {
		b := make([]byte, size)
		return &b
	}
	return c
}

func (c *chunkPool) get() []byte { return *c.pool.Get().(*[]byte) }

func (c *chunkPool) put(b []byte) {
	b = b[:cap(b)]
	c.pool.Put(&b)
}

// newPrefetcher starts reading src in chunks of pool's size, at most depth
// of them ahead. sink sees every byte, in order, before Read returns it; it
// runs on the prefetching goroutine.
func newPrefetcher(src io.Reader, sink io.Writer, pool *chunkPool, depth int) *prefetcher {
	p := &prefetcher{
		chunks: make(chan prefetched, depth),
		free:   make(chan []byte, depth),
		stop:   make(chan struct{}),
		pool:   pool,
	}
	p.wg.Add(1)
	go p.run(src, sink, depth)
	return p
}

// buffer returns a free chunk: one that Read gave back, a new one from the
// pool while fewer than depth are out, else the next one Read gives back.
// ok is false when the prefetcher is closed.
func (p *prefetcher) buffer(depth int) (buf []byte, ok bool) {
	select {
	case buf = <-p.free:
		return buf, true
	default:
	}
	if p.taken < depth {
		p.taken++
		return p.pool.get(), true
	}
	select {
	case buf = <-p.free:
		return buf, true
	case <-p.stop:
		return nil, false
	}
}

func (p *prefetcher) run(src io.Reader, sink io.Writer, depth int) {
	defer p.wg.Done()
	for {
		buf, ok := p.buffer(depth)
		if !ok {
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
			p.pool.put(buf)
			p.taken--
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
// closed under it safely, and gives the buffers back to the pool. Reading
// after Close is not allowed.
func (p *prefetcher) Close() {
	close(p.stop)
	p.wg.Wait()
	// Every buffer taken is now held, in chunks or in free.
	if p.held != nil {
		p.pool.put(p.held)
		p.held, p.cur = nil, nil
		p.taken--
	}
	for p.taken > 0 {
		select {
		case c := <-p.chunks:
			p.pool.put(c.buf)
		case b := <-p.free:
			p.pool.put(b)
		}
		p.taken--
	}
}
