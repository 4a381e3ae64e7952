package claim

import "io"

// The concurrent walk overlaps one file's two halves: a goroutine reads
// and places segments (the walker), and Next decodes the kept claims and
// returns them to the caller, who checks them. With a core to spare (one
// file at a time on a two-core machine, say) a file is read in about the
// time of the larger half instead of the sum.
//
// Claims travel in batches that copy the claim's kept segments and its
// header context: a few hundred bytes per kept claim, not the file. The
// events of a batch keep the walk's order of claims and problems.

const (
	batchJobs  = 64
	batchBytes = 32 << 10
	batches    = 4
)

// job is one claim of a batch: where its bytes are, and the rest of its
// rawClaim.
type job struct {
	arenaStart, arenaEnd int // the claim's kept segments in the batch's data
	segStart, segEnd     int // their refs in the batch's segs
	headers              [numHeaders]struct{ start, end int }
	raw                  rawClaim // without arena, segs and header data
}

type batch struct {
	data   []byte
	segs   []segRef
	jobs   []job
	events []event
}

type background struct {
	full, free chan *batch
	stop       chan struct{}
	stopped    bool
	panicked   any // a panic of the walk, raised again by next

	filling *batch // the walker's
	cur     *batch // Next's
	pos     int    // the next event of cur
	raw     rawClaim
}

// startBackground starts walking w on a goroutine of its own.
func startBackground(w *walker) *background {
	bg := &background{
		full: make(chan *batch, batches),
		free: make(chan *batch, batches),
		stop: make(chan struct{}),
	}
	for range batches {
		bg.free <- &batch{}
	}
	w.out = bg
	go bg.walk(w)
	return bg
}

// walk runs on the walker's goroutine until the input ends or Close.
func (bg *background) walk(w *walker) {
	defer close(bg.full)
	defer func() {
		if p := recover(); p != nil {
			bg.panicked = p
		}
	}()
	for !w.finished && !bg.stopped {
		w.step()
	}
	if bg.filling != nil && len(bg.filling.events) > 0 {
		bg.send()
	}
}

// take makes sure the walker has a batch to fill; false when Close asked
// the walk to stop.
func (bg *background) take() bool {
	if bg.filling != nil {
		return true
	}
	select {
	case b := <-bg.free:
		b.data, b.segs, b.jobs, b.events = b.data[:0], b.segs[:0], b.jobs[:0], b.events[:0]
		bg.filling = b
		return true
	case <-bg.stop:
		bg.stopped = true
		return false
	}
}

func (bg *background) send() {
	select {
	case bg.full <- bg.filling:
	case <-bg.stop:
		bg.stopped = true
	}
	bg.filling = nil
}

// claim copies the claim into the batch being filled.
func (bg *background) claim(raw *rawClaim) {
	if !bg.take() {
		return
	}
	b := bg.filling
	j := job{raw: *raw}
	j.raw.arena, j.raw.segs = nil, nil
	for i := range raw.headers {
		start := len(b.data)
		b.data = append(b.data, raw.headers[i].data...)
		j.headers[i].start, j.headers[i].end = start, len(b.data)
		j.raw.headers[i].data = nil
	}
	j.arenaStart = len(b.data)
	b.data = append(b.data, raw.arena...)
	j.arenaEnd = len(b.data)
	j.segStart = len(b.segs)
	b.segs = append(b.segs, raw.segs...)
	j.segEnd = len(b.segs)
	b.jobs = append(b.jobs, j)
	b.events = append(b.events, event{job: len(b.jobs) - 1})
	if len(b.jobs) >= batchJobs || len(b.data) >= batchBytes {
		bg.send()
	}
}

func (bg *background) problem(e *Error) {
	if bg.take() {
		bg.filling.events = append(bg.filling.events, event{err: e})
	}
}

// next is Reader.Next of a concurrent walk.
func (bg *background) next(r *Reader) (*Claim, error) {
	for {
		if b := bg.cur; b != nil && bg.pos < len(b.events) {
			ev := b.events[bg.pos]
			bg.pos++
			if ev.err != nil {
				return nil, ev.err
			}
			return r.dec.decode(bg.load(b, &b.jobs[ev.job])), nil
		}
		if bg.cur != nil {
			bg.free <- bg.cur // never blocks: there are only so many batches
			bg.cur = nil
		}
		b, ok := <-bg.full
		if !ok {
			if p := bg.panicked; p != nil {
				bg.panicked = nil
				panic(p)
			}
			r.counted = r.w.counts // the walk has ended: its counts are final
			return nil, io.EOF
		}
		bg.cur, bg.pos = b, 0
	}
}

// load is the rawClaim of a job, its slices into the batch.
func (bg *background) load(b *batch, j *job) *rawClaim {
	bg.raw = j.raw
	bg.raw.arena = b.data[j.arenaStart:j.arenaEnd]
	bg.raw.segs = b.segs[j.segStart:j.segEnd]
	for i := range bg.raw.headers {
		bg.raw.headers[i].data = b.data[j.headers[i].start:j.headers[i].end]
	}
	return &bg.raw
}

// close stops the walk and waits for its goroutine to end.
func (bg *background) close() {
	select {
	case <-bg.stop:
		return // closed already
	default:
	}
	close(bg.stop)
	for range bg.full {
	}
}
