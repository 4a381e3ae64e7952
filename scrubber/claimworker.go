package scrubber

import (
	"bytes"
	"fmt"

	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/x12io"
)

// The claim worker overlaps one file's two halves: the walker reads and
// places segments, and the worker materializes and checks the target and
// related claims the walker hands it. With a core to spare (one file at a
// time on a two-core machine, say) a file is scrubbed in about the time of
// the larger half instead of the sum.
//
// Claims travel in batches that copy the claim's kept segments and its
// header context: a few hundred bytes per target claim, not the file. The
// worker is a second walker that only ever runs checkOpenClaim, with its
// own FileResult; join adds what it found to the file's. Findings are
// sorted after the merge and tallies are sums, so reports do not depend on
// which goroutine did what.

const (
	claimBatchJobs  = 64
	claimBatchBytes = 32 << 10
	claimBatches    = 4
)

// claimHeader is one kept header segment of a job: bytes data[start:end].
type claimHeader struct {
	start, end int
	pos        Pos
	ok         bool
}

// claimJob is one claim to check, and the context materialize reads.
type claimJob struct {
	arenaStart, arenaEnd int // the claim's kept segments in the batch's data
	segStart, segEnd     int // their refs in the batch's segs
	targetLines          int
	related              bool
	worst                finding.Severity
	patient              bool
	env                  x12io.Envelope
	delims               x12io.Delimiters
	billingOpen          bool
	subscrOpen           bool
	headers              [4]claimHeader // PRV*BI, NM1*85, NM1*IL, NM1*PR
}

type claimBatch struct {
	data []byte
	segs []segRef
	jobs []claimJob
}

type claimWorker struct {
	full, free chan *claimBatch
	done       chan struct{}
	batch      *claimBatch // being filled by the walker
	checker    *walker     // the worker's walker
	panicked   any         // a panic on the worker's goroutine, re-raised by join
}

// startClaims gives w a claim worker.
func (w *walker) startClaims() {
	res := &FileResult{Index: w.res.Index, Name: w.res.Name, scrub: w.res.scrub}
	cw := &claimWorker{
		full:    make(chan *claimBatch, claimBatches),
		free:    make(chan *claimBatch, claimBatches),
		done:    make(chan struct{}),
		checker: newWalker(w.s, res),
	}
	for range claimBatches {
		cw.free <- &claimBatch{}
	}
	w.claims = cw
	go cw.run()
}

// submit copies the open claim of w into the batch being filled.
func (cw *claimWorker) submit(w *walker) {
	if cw.batch == nil {
		b := <-cw.free
		b.data, b.segs, b.jobs = b.data[:0], b.segs[:0], b.jobs[:0]
		cw.batch = b
	}
	b := cw.batch
	j := claimJob{
		targetLines: w.targetLines,
		related:     w.related,
		worst:       w.claimWorst,
		patient:     w.patient,
		env:         w.txEnv,
		delims:      w.delims,
		billingOpen: w.billing.open,
		subscrOpen:  w.subscr.open,
	}
	for i, h := range [...]*savedSeg{&w.billing.prvBI, &w.billing.nm185, &w.subscr.nm1IL, &w.subscr.nm1PR} {
		start := len(b.data)
		b.data = append(b.data, h.data...)
		j.headers[i] = claimHeader{start: start, end: len(b.data), pos: h.pos, ok: h.ok}
	}
	j.arenaStart = len(b.data)
	b.data = append(b.data, w.arena...)
	j.arenaEnd = len(b.data)
	j.segStart = len(b.segs)
	b.segs = append(b.segs, w.segs...)
	j.segEnd = len(b.segs)
	b.jobs = append(b.jobs, j)
	if len(b.jobs) >= claimBatchJobs || len(b.data) >= claimBatchBytes {
		cw.full <- b
		cw.batch = nil
	}
}

// run checks the batches' claims until full is closed.
func (cw *claimWorker) run() {
	defer close(cw.done)
	defer func() {
		if p := recover(); p != nil {
			cw.panicked = p
			// Let the walker finish: hand its batches straight back.
			for b := range cw.full {
				cw.free <- b
			}
		}
	}()
	w := cw.checker
	for b := range cw.full {
		for i := range b.jobs {
			cw.load(w, b, &b.jobs[i])
			w.checkOpenClaim()
		}
		cw.free <- b
	}
}

// load makes the worker's walker look as the submitting walker did when
// the claim ended. Header strings are remade only when the header bytes
// change (a billing provider has many claims).
func (cw *claimWorker) load(w *walker, b *claimBatch, j *claimJob) {
	w.arena = b.data[j.arenaStart:j.arenaEnd]
	w.segs = b.segs[j.segStart:j.segEnd]
	w.targetLines, w.related, w.claimWorst, w.patient = j.targetLines, j.related, j.worst, j.patient
	w.txEnv, w.delims, w.elemSep = j.env, j.delims, j.delims.Element
	w.billing.open, w.subscr.open = j.billingOpen, j.subscrOpen
	w.billing.cached = loadHeader(&w.billing.prvBI, b, &j.headers[0]) && w.billing.cached
	w.billing.cached = loadHeader(&w.billing.nm185, b, &j.headers[1]) && w.billing.cached
	w.subscr.cached = loadHeader(&w.subscr.nm1IL, b, &j.headers[2]) && w.subscr.cached
	w.subscr.cached = loadHeader(&w.subscr.nm1PR, b, &j.headers[3]) && w.subscr.cached
}

// loadHeader copies a job's header segment into s and reports whether it
// is the one s held.
func loadHeader(s *savedSeg, b *claimBatch, h *claimHeader) bool {
	data := b.data[h.start:h.end]
	same := s.ok == h.ok && s.pos == h.pos && bytes.Equal(s.data, data)
	if !same {
		s.data = append(s.data[:0], data...)
		s.pos, s.ok = h.pos, h.ok
	}
	return same
}

// joinClaims sends the last batch, waits for the worker and adds what it
// found to the file's result. A panic on the worker is raised here, on
// the caller's goroutine, as if the walker had hit it.
func (w *walker) joinClaims() {
	cw := w.claims
	if cw == nil {
		return
	}
	w.claims = nil
	if cw.batch != nil && len(cw.batch.jobs) > 0 {
		cw.full <- cw.batch
	}
	close(cw.full)
	<-cw.done
	if cw.panicked != nil {
		panic(fmt.Sprint(cw.panicked))
	}
	got := cw.checker.res
	w.res.Findings = append(w.res.Findings, got.Findings...)
	w.res.TargetClaims += got.TargetClaims
	for group, t := range got.Targets {
		w.res.addTally(group, t)
	}
}
