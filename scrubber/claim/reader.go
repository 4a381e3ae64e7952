package claim

import (
	"io"

	"github.com/scrub837/scrub837/x12io"
)

// Options say which claims a Reader returns and how.
type Options struct {
	// Procedure is the procedure code of interest (0620T): a claim with a
	// line that bills it (SV101 HC:code) is returned.
	Procedure string
	// Related, when set, also returns the claims with a line that bills a
	// code it accepts. It runs on the goroutine that walks the segments.
	Related func(code []byte) bool
	// PayerGroup, when set, names the claims' payer group (Claim.PayerGroup)
	// from the payer's ID and name, once per subscriber loop. It runs on
	// the goroutine that calls Next.
	PayerGroup func(id, name string) string
	// File and FileIndex are copied into every Claim.
	File      string
	FileIndex int
	// Concurrent walks the segments on a goroutine of its own, ahead of
	// Next (which then makes the Claims' strings): worth it when a CPU is
	// spare, a cost when none is. Close the Reader to stop the goroutine.
	Concurrent bool
}

// Counts are what a Reader read.
type Counts struct {
	Interchanges        int   // every ISA
	Transactions        int   // every ST
	TransactionsSkipped int   // not 837P (KindNotProfessional)
	Claims              int   // every CLM, in any transaction
	ServiceLines        int   // every LX of an 837P transaction
	TargetLines         int   // lines that bill Options.Procedure
	Bytes               int64 // X12 bytes read
	Professional        bool  // some transaction was 837P
}

// Reader reads the claims of one X12 input.
type Reader struct {
	w          walker
	dec        decoder
	concurrent bool        // Options.Concurrent
	bg         *background // the concurrent walk, from the first Next

	// the events of the walker's last step (when not concurrent): at most
	// one claim, first, then problems
	queue   []event
	next    int
	counted Counts // Counts once the walk has ended
}

// event is one thing the walk found: a claim (err nil) or a problem.
type event struct {
	err *Error
	job int // the concurrent walk: the claim's job in its batch
}

// NewReader reads claims from r, which it now owns: it limits the segments
// r hands out to those it reads (x12io.Reader.Want). It reads nothing
// before the first Next.
func NewReader(r *x12io.Reader, o Options) *Reader {
	r.Want(walkedSegments...)
	cr := &Reader{
		w:   walker{r: r, procedure: o.Procedure, isRelated: o.Related},
		dec: decoder{file: o.File, fileIndex: o.FileIndex, group: o.PayerGroup},
	}
	cr.concurrent = o.Concurrent
	if !o.Concurrent {
		cr.w.out = (*sequential)(cr)
	}
	return cr
}

// Next returns the next claim that bills Options.Procedure or a related
// code, or the next problem of the claims' structure as an *Error, in file
// order; io.EOF at the end. The Claim and everything in it is valid until
// the next call: copy what must outlive it. After an *Error that is Fatal
// reading has stopped and Next returns io.EOF.
func (r *Reader) Next() (*Claim, error) {
	if r.concurrent {
		if r.bg == nil {
			r.bg = startBackground(&r.w)
		}
		return r.bg.next(r)
	}
	for {
		if r.next < len(r.queue) {
			ev := r.queue[r.next]
			r.next++
			if ev.err != nil {
				return nil, ev.err
			}
			return &r.dec.claim, nil
		}
		r.queue, r.next = r.queue[:0], 0
		if r.w.finished {
			r.counted = r.w.counts
			return nil, io.EOF
		}
		r.w.step()
	}
}

// Counts are what the Reader read, once Next has returned io.EOF.
func (r *Reader) Counts() Counts { return r.counted }

// Close stops a concurrent walk that has not reached the end (a caller
// that gives up early must close the Reader). It does nothing otherwise,
// and can be called again.
func (r *Reader) Close() {
	if r.bg != nil {
		r.bg.close()
	}
}

// sequential takes the walker's events on the goroutine that calls Next:
// a claim is decoded at once, while its header context is the walker's.
type sequential Reader

func (s *sequential) claim(raw *rawClaim) {
	s.dec.decode(raw)
	s.queue = append(s.queue, event{})
}

func (s *sequential) problem(e *Error) { s.queue = append(s.queue, event{err: e}) }
