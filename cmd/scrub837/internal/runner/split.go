package runner

import (
	"bufio"
	"cmp"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/rs/zerolog"

	"github.com/scrub837/scrub837/reports"
	"github.com/scrub837/scrub837/reports/split"
	"github.com/scrub837/scrub837/scrubber"
	"github.com/scrub837/scrub837/scrubber/finding"
)

// SplitCounts are what --split did (REPORTS.md, "ready/ and held/"): every
// claim read is in Ready, Held or WholeClaims.
type SplitCounts struct {
	Files       int // inputs split claim by claim
	Whole       int // inputs copied whole to held/ (not read to their end, a file-level finding at or above --hold-on, or the split refused them)
	WholeClaims int // the claims the first pass read in the inputs copied whole
	Ready, Held int // claims written to ready/ and held/ by the inputs split
	// Changed counts inputs whose bytes on the second read differed from
	// the first: copied whole, and failed in the reports.
	Changed int
}

// splitInput is one input's part in the split: where its halves go and how
// the first pass left it.
type splitInput struct {
	index int
	in    input
	res   *scrubber.FileResult
	meta  fileMeta
	stem  string // its name in ready/ and held/ (see splitNames)
	path  string // what to read again: the input, or the tee of stdin ("": none)
}

// splitOutcome is what became of one input.
type splitOutcome struct {
	whole       bool
	wholeClaims int
	counts      split.Counts
	changed     error // the second read gave other bytes: the reason
}

// splitter writes the inputs back out into the staged ready/ and held/.
type splitter struct {
	ctx               context.Context // done: stop (the staged set is discarded)
	readyDir, heldDir string
	holdOn            finding.Severity
	findings          spoolSource
	claims            *claimSpool
	log               zerolog.Logger
}

// splitAll splits every input, n at a time, and returns the counts and the
// inputs whose bytes changed between the two reads (by index, with why).
// An error is one of writing the halves: the run cannot hand off.
func (sp *splitter) splitAll(inputs []splitInput, n int) (SplitCounts, map[int]error, error) {
	outcomes := make([]splitOutcome, len(inputs))
	errs := make([]error, len(inputs))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range max(1, min(n, len(inputs))) {
		wg.Go(func() {
			for i := range jobs {
				if errs[i] = sp.ctx.Err(); errs[i] == nil {
					outcomes[i], errs[i] = sp.one(&inputs[i])
				}
			}
		})
	}
	for i := range inputs {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := sp.ctx.Err(); err != nil {
		return SplitCounts{}, nil, err
	}
	if err := errors.Join(errs...); err != nil {
		return SplitCounts{}, nil, err
	}
	var c SplitCounts
	changed := map[int]error{}
	for i, o := range outcomes {
		switch {
		case o.changed != nil:
			changed[inputs[i].index] = o.changed
			c.Changed++
			c.Whole++
			c.WholeClaims += o.wholeClaims
		case o.whole:
			c.Whole++
			c.WholeClaims += o.wholeClaims
		case o.counts.Claims > 0:
			c.Files++
			c.Ready += o.counts.Ready
			c.Held += o.counts.Held
		}
	}
	return c, changed, nil
}

// one splits an input, or copies it whole to held/.
func (sp *splitter) one(si *splitInput) (splitOutcome, error) {
	res := si.res
	log := sp.log.With().Str("file", res.Name).Logger()
	if si.in.err != nil || si.meta.sha256 == "" {
		// Never opened: there is nothing to copy, and no claim was read.
		log.Warn().Msg("not in ready/ or held/: the input could not be opened")
		return splitOutcome{whole: true}, nil
	}
	if si.path == "" {
		// Standard input whose copy could not be kept (the run says so).
		log.Warn().Msg("not in ready/ or held/: standard input could not be kept for a second read")
		return splitOutcome{whole: true}, nil
	}
	if si.meta.seen {
		// --skip-seen: the run that scrubbed it wrote its ready/ and held/;
		// tonight's must not send it again.
		log.Info().Msg("not in ready/ or held/: skipped, an earlier run scrubbed it (--skip-seen)")
		return splitOutcome{}, nil
	}
	whole := splitOutcome{whole: true, wholeClaims: res.Claims}
	if res.Status == scrubber.StatusFailed {
		return whole, sp.copyWhole(si, log, "the input could not be read to its end")
	}
	plan, err := sp.plan(si.index, res)
	if err != nil {
		return splitOutcome{}, err
	}
	if plan.whole {
		return whole, sp.copyWhole(si, log, "a finding about the file at or above --hold-on")
	}
	counts, serr, err := sp.split(si, plan)
	if err != nil {
		return splitOutcome{}, err
	}
	if serr == nil && (counts.Claims != res.Claims || counts.Bytes != res.Bytes) {
		serr = &changedError{reason: fmt.Sprintf("the second read, for --split, gave %d claims in %d bytes, the first %d in %d", counts.Claims, counts.Bytes, res.Claims, res.Bytes)}
	}
	var changed *changedError
	switch {
	case errors.As(serr, &changed):
		whole.changed = serr
		return whole, sp.copyWhole(si, log, SafeText(serr.Error()))
	case serr != nil:
		return whole, sp.copyWhole(si, log, SafeText(serr.Error()))
	}
	return splitOutcome{counts: counts}, nil
}

// changedError is a second read that did not give the first one's bytes.
type changedError struct{ reason string }

func (e *changedError) Error() string { return "the file changed while it was scrubbed: " + e.reason }

// holdPlan says which claims of one input are held: those with a finding
// at or above --hold-on, but target claims as their worklist status says
// (a void with no error follows its status: not held); the whole input
// when a finding about the file or an envelope (no claim) is at or above
// --hold-on.
type holdPlan struct {
	whole bool
	// worst: the claims with a finding at warning or above (hold-on is
	// never lower), by CLM offset; sev is cleared for a target claim its
	// status does not hold.
	worst []claimWorst
}

type claimWorst struct {
	off int64
	sev finding.Severity
}

// plan makes input index's holdPlan from its findings and claim summaries.
// Its memory is 16 bytes a claim with a warning or an error.
func (sp *splitter) plan(index int, res *scrubber.FileResult) (holdPlan, error) {
	var p holdPlan
	err := sp.findings.eachOfFile(index, res.Findings, func(f *finding.Finding) error {
		switch {
		case f.Severity < finding.Warning:
		case f.ClaimOffset == 0:
			p.whole = p.whole || f.Severity >= sp.holdOn
		case len(p.worst) > 0 && p.worst[len(p.worst)-1].off == f.ClaimOffset:
			last := &p.worst[len(p.worst)-1]
			last.sev = max(last.sev, f.Severity)
		default:
			p.worst = append(p.worst, claimWorst{f.ClaimOffset, f.Severity})
		}
		return nil
	})
	if err != nil {
		return p, err
	}
	// Findings are in byte order, and a claim's mostly lie in its own
	// bytes; those in a loop shared with later claims come out of order.
	slices.SortFunc(p.worst, func(a, b claimWorst) int { return cmp.Compare(a.off, b.off) })
	kept := 0
	for _, w := range p.worst {
		if kept > 0 && p.worst[kept-1].off == w.off {
			p.worst[kept-1].sev = max(p.worst[kept-1].sev, w.sev)
			continue
		}
		p.worst[kept] = w
		kept++
	}
	p.worst = p.worst[:kept]
	err = sp.claims.eachOfFile(index, func(c *finding.ClaimSummary) error {
		if i, ok := p.find(c.ClaimOffset); ok {
			if reports.ClaimStatusOf(p.worst[i].sev, c.Frequency, sp.holdOn) != reports.StatusHeld {
				p.worst[i].sev = 0
			}
		}
		return nil
	})
	return p, err
}

func (p *holdPlan) find(off int64) (int, bool) {
	i := sort.Search(len(p.worst), func(i int) bool { return p.worst[i].off >= off })
	return i, i < len(p.worst) && p.worst[i].off == off
}

// held is split's decision: the claim whose CLM is at off is held.
func (p *holdPlan) held(holdOn finding.Severity) func(off int64) bool {
	return func(off int64) bool {
		i, ok := p.find(off)
		return ok && p.worst[i].sev >= holdOn
	}
}

// split reads the input again and splits it into ready/STEM and
// held/STEM. serr says why the input was not split (its halves are
// removed); err is a write error.
func (sp *splitter) split(si *splitInput, plan holdPlan) (counts split.Counts, serr, err error) {
	f, err := os.Open(si.path)
	if err != nil {
		return counts, fmt.Errorf("opening it again: %w", cleanPathError(err)), nil
	}
	defer f.Close()
	sum := newRawCounter(nil)
	br := bufio.NewReaderSize(io.TeeReader(f, sum), 64<<10)
	var x12 io.Reader = br
	if isGzip(br) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return counts, fmt.Errorf("decompressing: %w", err), nil
		}
		x12 = zr
	}
	ready := &lazyFile{path: filepath.Join(sp.readyDir, si.stem)}
	held := &lazyFile{path: filepath.Join(sp.heldDir, si.stem)}
	counts, serr = split.Split(x12, plan.held(sp.holdOn), ready, held)
	var se *split.Error
	if serr != nil && !errors.As(serr, &se) {
		err = serr // Split's other errors are those of writing the halves
	}
	_, derr := io.Copy(io.Discard, br) // the rest, for the hash
	if cerr := errors.Join(ready.close(), held.close()); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		return counts, nil, fmt.Errorf("writing ready/ and held/ for %s: %w", si.res.Name, err)
	case serr != nil:
	case derr != nil:
		serr = fmt.Errorf("reading it again: %w", cleanPathError(derr))
	case sum.sum() != si.meta.sha256:
		serr = &changedError{reason: "its SHA-256 on the second read, for --split, is not the first read's"}
	}
	if serr != nil {
		// A half left behind would be committed and sent: removing them
		// must work.
		if err := errors.Join(ready.remove(), held.remove()); err != nil {
			return counts, nil, fmt.Errorf("removing the halves of %s, which was not split: %w", si.res.Name, err)
		}
	}
	return counts, serr, nil
}

// copyWhole copies the input's bytes, as they are (still compressed for
// gzip data), to held/: STEM, or STEM.gz for gzip data.
func (sp *splitter) copyWhole(si *splitInput, log zerolog.Logger, why string) error {
	src, err := os.Open(si.path)
	if err != nil {
		log.Warn().Str("reason", why).Err(cleanPathError(err)).Msg("not copied to held/: the input could not be opened again")
		return nil
	}
	defer src.Close()
	br := bufio.NewReaderSize(src, 64<<10)
	name := si.stem
	if isGzip(br) {
		name += ".gz"
	}
	dst := &lazyFile{path: filepath.Join(sp.heldDir, name)}
	if _, err := dst.Write(nil); err != nil { // an empty input is copied too
		return fmt.Errorf("writing held/ for %s: %w", si.res.Name, err)
	}
	_, cerr := io.Copy(dst, br)
	if err := dst.close(); err != nil || dst.err != nil {
		return fmt.Errorf("writing held/ for %s: %w", si.res.Name, errors.Join(err, dst.err))
	}
	if cerr != nil {
		log.Warn().Str("reason", why).Err(cleanPathError(cerr)).Msg("copied to held/ as far as it could be read")
		return nil
	}
	log.Info().Str("reason", why).Str("held", name).Msg("copied whole to held/")
	return nil
}

// lazyFile is a half: created on its first write (a half with no claim
// gets no byte, and no file), buffered.
type lazyFile struct {
	path string
	f    *os.File
	w    *bufio.Writer
	err  error // the first error of creating or writing it
}

func (l *lazyFile) Write(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if l.f == nil {
		f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
		if err != nil {
			l.err = err
			return 0, err
		}
		l.f, l.w = f, bufio.NewWriterSize(f, 64<<10)
	}
	n, err := l.w.Write(p)
	if err != nil {
		l.err = err
	}
	return n, err
}

// close flushes and closes the file, if it was created.
func (l *lazyFile) close() error {
	if l.f == nil {
		return nil
	}
	err := l.w.Flush()
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}

func (l *lazyFile) remove() error {
	l.close()
	err := os.Remove(l.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// splitNames gives each input its name in ready/ and held/: its base name
// without a trailing .gz (a half is plain X12), "stdin" for standard
// input. Names are unique over the run, compared without case (the folders
// may be copied to a system that ignores it): a name already taken by an
// earlier input gets "-2", "-3"... before its extension, in input order,
// so the same command line always gives the same names.
func splitNames(inputs []input) []string {
	names := make([]string, len(inputs))
	taken := map[string]bool{}
	for i, in := range inputs {
		stem := "stdin"
		if !in.stdin {
			stem = filepath.Base(in.name)
			for hasGzipName(stem) && len(stem) > len(".gz") {
				stem = stem[:len(stem)-len(".gz")]
			}
		}
		name := stem
		ext := filepath.Ext(stem)
		if ext == stem {
			ext = "" // ".837": a hidden name, not an extension
		}
		for k := 2; taken[strings.ToLower(name)] || taken[strings.ToLower(name)+".gz"]; k++ {
			name = strings.TrimSuffix(stem, ext) + "-" + strconv.Itoa(k) + ext
		}
		taken[strings.ToLower(name)] = true
		names[i] = name
	}
	return names
}
