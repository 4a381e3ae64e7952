package runner

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand"
	"runtime"
	"testing"
	"testing/iotest"
	"time"
)

// The prefetcher returns every byte in order, in reads of any size, and its
// sink sees the same bytes.
func TestPrefetcherReadsEverythingInOrder(t *testing.T) {
	data := make([]byte, 1<<20+123)
	rand.New(rand.NewSource(1)).Read(data)
	for _, chunk := range []int{1, 7, 4096, 1 << 20, 2 << 20} {
		var sink bytes.Buffer
		// OneByteReader: short reads from the source must not end a chunk.
		p := newPrefetcher(iotest.OneByteReader(bytes.NewReader(data)), &sink, newChunkPool(chunk), 3)
		var got bytes.Buffer
		r := rand.New(rand.NewSource(int64(chunk)))
		buf := make([]byte, 10000)
		for {
			n, err := p.Read(buf[:1+r.Intn(len(buf))])
			got.Write(buf[:n])
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		p.Close()
		if !bytes.Equal(got.Bytes(), data) {
			t.Fatalf("chunk %d: read %d bytes, not the %d of the input", chunk, got.Len(), len(data))
		}
		if sha256.Sum256(sink.Bytes()) != sha256.Sum256(data) {
			t.Fatalf("chunk %d: the sink saw other bytes", chunk)
		}
	}
}

// A read error comes after the bytes read before it, and stays.
func TestPrefetcherKeepsTheReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	src := io.MultiReader(bytes.NewReader([]byte("ISA*00")), iotest.ErrReader(boom))
	p := newPrefetcher(src, io.Discard, newChunkPool(4), 2)
	defer p.Close()
	got, err := io.ReadAll(p)
	if string(got) != "ISA*00" || !errors.Is(err, boom) {
		t.Fatalf("read %q, %v; want the 6 bytes then %v", got, err, boom)
	}
	if _, err := p.Read(make([]byte, 1)); !errors.Is(err, boom) {
		t.Fatalf("read after the error: %v", err)
	}
}

// Closing before the end stops the goroutine (no leak per input).
func TestPrefetcherCloseStopsTheGoroutine(t *testing.T) {
	before := runtime.NumGoroutine()
	for range 50 {
		p := newPrefetcher(bytes.NewReader(make([]byte, 1<<20)), io.Discard, newChunkPool(1024), 2)
		p.Read(make([]byte, 10))
		p.Close()
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Fatalf("%d goroutines after closing, %d before", n, before)
	}
}

// A small input takes one buffer, not depth of them, and Close gives back
// every buffer taken, wherever the reading stopped.
func TestPrefetcherTakesBuffersAsNeeded(t *testing.T) {
	pool := newChunkPool(1024)
	p := newPrefetcher(bytes.NewReader([]byte("ISA*00~")), io.Discard, pool, 4)
	if got, err := io.ReadAll(p); string(got) != "ISA*00~" || err != nil {
		t.Fatalf("read %q, %v", got, err)
	}
	if p.taken != 1 {
		t.Fatalf("a 7-byte input took %d buffers of 1024 bytes, want 1", p.taken)
	}
	p.Close()
	if p.taken != 0 {
		t.Fatalf("%d buffers not given back on Close", p.taken)
	}
	for _, read := range []int{0, 1, 5000, 1 << 20} {
		p := newPrefetcher(bytes.NewReader(make([]byte, 1<<20)), io.Discard, pool, 3)
		if _, err := io.ReadFull(p, make([]byte, read)); err != nil {
			t.Fatal(err)
		}
		p.Close()
		if p.taken != 0 {
			t.Fatalf("closed after %d bytes: %d buffers not given back", read, p.taken)
		}
	}
}
