package reports

import (
	"cmp"
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/scrub837/scrub837/scrubber/finding"
)

// ClaimSource gives a run's target claims in input order (file, then CLM
// byte offset) without holding them all in memory.
type ClaimSource interface {
	Len() int
	// Each calls fn for every claim in input order and stops at the first
	// error fn returns. It may be called more than once, also from several
	// goroutines at once. The *ClaimSummary is valid only during the call.
	Each(fn func(*finding.ClaimSummary) error) error
}

// Status is what becomes of a target claim tonight.
type Status uint8

// Statuses, in the order the worklist shows them.
const (
	StatusHeld   Status = iota + 1 // a finding at or above --hold-on: fix it first
	StatusReview                   // warnings only (with --hold-on error): may go, worth a look
	StatusVoid                     // CLM05-3 = 8 with no error: a void goes out as it is
	StatusReady                    // nothing at warning or above: goes out
)

// Statuses lists every status in worklist order.
var Statuses = []Status{StatusHeld, StatusReview, StatusVoid, StatusReady}

func (s Status) String() string {
	switch s {
	case StatusHeld:
		return "held"
	case StatusReview:
		return "review"
	case StatusVoid:
		return "void"
	case StatusReady:
		return "ready"
	}
	return "unknown"
}

// voidFrequency is CLM05-3 of a void (cancel) of an earlier claim.
const voidFrequency = "8"

// ClaimStatusOf is a target claim's status (REPORTS.md, claims.csv): worst
// is the severity of its worst finding (0 when it has none), frequency its
// CLM05-3 and holdOn the --hold-on level (Error when 0).
//
//   - void: CLM05-3 is 8 and no finding is an error. A void with an error
//     is held like any other claim;
//   - held: a finding at or above holdOn;
//   - review: worst is a warning (only when holdOn is Error);
//   - ready: nothing at warning or above.
func ClaimStatusOf(worst finding.Severity, frequency string, holdOn finding.Severity) Status {
	if holdOn == 0 {
		holdOn = finding.Error
	}
	switch {
	case frequency == voidFrequency && worst < finding.Error:
		return StatusVoid
	case worst >= holdOn:
		return StatusHeld
	case worst >= finding.Warning:
		return StatusReview
	}
	return StatusReady
}

// ClaimRow is one row of the worklist: a target claim and what its
// findings say.
type ClaimRow struct {
	finding.ClaimSummary
	Status Status
	// Worst is the severity of its worst finding; 0 when it has none.
	Worst                   finding.Severity
	Errors, Warnings, Infos int
	// Rules are its findings' rule IDs, each once, worst first (a rule's
	// worst severity on this claim), then by ID.
	Rules []string
	// FirstFix is the suggestion of its worst finding (the first in report
	// order among equals), FirstProblem that finding's message.
	FirstFix, FirstProblem string
}

// Findings is the number of its findings.
func (c *ClaimRow) Findings() int { return c.Errors + c.Warnings + c.Infos }

// claimKey identifies a claim in a run: its input and CLM byte offset.
type claimKey struct {
	file   int
	offset int64
}

func (k claimKey) less(o claimKey) bool {
	return k.file < o.file || (k.file == o.file && k.offset < o.offset)
}

// claimAgg gathers a claim's findings.
type claimAgg struct {
	counts       [3]int // error, warning, info (a finding of no known severity counts in none)
	worst        finding.Severity
	any          bool
	fix, problem string
	rules        []ruleWorst
}

type ruleWorst struct {
	id  string
	sev finding.Severity
}

func (a *claimAgg) add(f *finding.Finding) {
	switch f.Severity {
	case finding.Error:
		a.counts[0]++
	case finding.Warning:
		a.counts[1]++
	case finding.Info:
		a.counts[2]++
	}
	if !a.any || f.Severity > a.worst {
		a.any = true
		a.worst = f.Severity
		// The finding is only valid during the call: keep copies.
		a.fix, a.problem = strings.Clone(f.Suggestion), strings.Clone(f.Message)
	}
	for i := range a.rules {
		if a.rules[i].id == f.RuleID {
			a.rules[i].sev = max(a.rules[i].sev, f.Severity)
			return
		}
	}
	a.rules = append(a.rules, ruleWorst{id: strings.Clone(f.RuleID), sev: f.Severity})
}

// row makes the claim's worklist row.
func (a *claimAgg) row(c *finding.ClaimSummary, holdOn finding.Severity) ClaimRow {
	row := ClaimRow{ClaimSummary: *c, Errors: a.counts[0], Warnings: a.counts[1], Infos: a.counts[2],
		FirstFix: a.fix, FirstProblem: a.problem}
	if a.any {
		row.Worst = a.worst
	}
	slices.SortFunc(a.rules, func(x, y ruleWorst) int {
		if c := cmp.Compare(y.sev, x.sev); c != 0 {
			return c
		}
		return strings.Compare(x.id, y.id)
	})
	row.Rules = make([]string, len(a.rules))
	for i, r := range a.rules {
		row.Rules[i] = r.id
	}
	row.Status = ClaimStatusOf(row.Worst, c.Frequency, holdOn)
	return row
}

// findingPlace says whose a finding is, as the merge sees it.
type findingPlace uint8

const (
	// placeClaim: a finding of the claim whose row comes next.
	placeClaim findingPlace = iota
	// placeEarly: a finding of a later claim in the same file that lies
	// before that claim's CLM segment (in a loop it shares with other
	// claims, such as the 2000A billing provider). The claim may turn out
	// not to be a target claim; then no row takes it.
	placeEarly
	// placeOther: a file- or envelope-level finding, or one of a claim that
	// is not a target claim.
	placeOther
)

// mergeHooks receive the merge's output. Either may be nil.
type mergeHooks struct {
	// finding is called for every finding, in report order, before the row
	// of the claim it belongs to. key is the claim's (for placeClaim and
	// placeEarly).
	finding func(f *finding.Finding, place findingPlace, key claimKey) error
	// row is called for every target claim, in input order, once its
	// findings are all seen. The row is valid only during the call.
	row func(*ClaimRow) error
}

// EachClaim calls fn with the worklist row of each target claim, in input
// order, stopping at the first error fn returns. The row is valid only
// during the call. Without Claims it calls fn for nothing.
//
// It merges the claims with the findings in one pass, holding only the
// claims not complete yet: the findings come in report order (file, byte
// offset, rule) and a claim's findings lie before the next target claim's
// CLM segment. Most lie in the claim's own bytes; some lie in a loop before
// it that several claims share (the billing provider's taxonomy): those are
// tallied for their claim until its row comes (a small tally a claim, for
// at most the claims of one file). A finding that lies after a
// later claim's CLM segment but names an earlier claim breaks that order:
// the merge stops with an error rather than give a wrong status.
func (r *Report) EachClaim(fn func(*ClaimRow) error) error {
	return r.mergeClaims(mergeHooks{row: fn})
}

// mergeClaims runs the merge of EachClaim with hooks. Findings after the
// last target claim, and all of them without Claims, go to the finding
// hook as placeOther.
func (r *Report) mergeClaims(h mergeHooks) (err error) {
	var ferr error
	next, stop := iter.Pull(func(yield func(*finding.Finding) bool) {
		ferr = r.EachFinding(func(f *finding.Finding) error {
			if !yield(f) {
				return errStopEach
			}
			return nil
		})
	})
	defer func() {
		stop()
		if err == nil {
			err = ferr
		}
	}()
	head, ok := next()

	holdOn := r.holdOn()
	early := map[claimKey]*claimAgg{}
	earlyFile := -1
	emit := func(f *finding.Finding, place findingPlace, key claimKey) error {
		if h.finding == nil {
			return nil
		}
		return h.finding(f, place, key)
	}
	// window takes the findings before limit (exclusive) and returns the
	// current claim's tally.
	window := func(cur *finding.ClaimSummary, limit claimKey, endOfFile bool) (*claimAgg, error) {
		key := claimKey{cur.FileIndex, cur.ClaimOffset}
		if cur.FileIndex != earlyFile {
			clear(early)
			earlyFile = cur.FileIndex
		}
		agg := early[key]
		if agg == nil {
			agg = &claimAgg{}
		}
		delete(early, key)
		for ok {
			f := head
			at := claimKey{f.FileIndex, f.ByteOffset}
			if endOfFile {
				if f.FileIndex > cur.FileIndex {
					break
				}
			} else if !at.less(limit) {
				break
			}
			owner := claimKey{f.FileIndex, f.ClaimOffset}
			var err error
			switch {
			case f.ClaimOffset == 0 || f.FileIndex != cur.FileIndex:
				err = emit(f, placeOther, owner)
			case owner == key:
				agg.add(f)
				err = emit(f, placeClaim, key)
			case f.ByteOffset < f.ClaimOffset:
				a := early[owner]
				if a == nil {
					a = &claimAgg{}
					early[owner] = a
				}
				a.add(f)
				err = emit(f, placeEarly, owner)
			case owner.less(key) && f.ByteOffset >= cur.ClaimOffset:
				return nil, fmt.Errorf("reports: finding %s of the claim at byte %d of %s lies at byte %d, after the next target claim's CLM segment (byte %d): findings and claims are out of step",
					f.RuleID, f.ClaimOffset, f.File, f.ByteOffset, cur.ClaimOffset)
			default:
				err = emit(f, placeOther, owner) // a claim that is not a target claim
			}
			if err != nil {
				return nil, err
			}
			head, ok = next()
		}
		return agg, nil
	}

	var cur finding.ClaimSummary
	have := false
	finish := func(next *finding.ClaimSummary) error {
		var limit claimKey
		endOfFile := next == nil || next.FileIndex != cur.FileIndex
		if !endOfFile {
			limit = claimKey{next.FileIndex, next.ClaimOffset}
		}
		agg, err := window(&cur, limit, endOfFile)
		if err != nil {
			return err
		}
		row := agg.row(&cur, holdOn)
		if h.row != nil {
			return h.row(&row)
		}
		return nil
	}
	if r.Claims != nil {
		err = r.Claims.Each(func(c *finding.ClaimSummary) error {
			if have {
				if !(claimKey{cur.FileIndex, cur.ClaimOffset}).less(claimKey{c.FileIndex, c.ClaimOffset}) {
					return fmt.Errorf("reports: claims out of input order: %s at byte %d (file %d) after byte %d (file %d)",
						c.ClaimID, c.ClaimOffset, c.FileIndex, cur.ClaimOffset, cur.FileIndex)
				}
				if err := finish(c); err != nil {
					return err
				}
			}
			cur, have = *c, true
			return nil
		})
		if err == nil && have {
			err = finish(nil)
		}
		if err != nil {
			return err
		}
	}
	for ; ok; head, ok = next() {
		if err := emit(head, placeOther, claimKey{head.FileIndex, head.ClaimOffset}); err != nil {
			return err
		}
	}
	return nil
}

// StatusCounts counts target claims by status.
type StatusCounts struct {
	Held, Review, Void, Ready int
}

func (c *StatusCounts) add(s Status) {
	switch s {
	case StatusHeld:
		c.Held++
	case StatusReview:
		c.Review++
	case StatusVoid:
		c.Void++
	case StatusReady:
		c.Ready++
	}
}

// Of is the count of status s.
func (c StatusCounts) Of(s Status) int {
	switch s {
	case StatusHeld:
		return c.Held
	case StatusReview:
		return c.Review
	case StatusVoid:
		return c.Void
	case StatusReady:
		return c.Ready
	}
	return 0
}

// Total is the number of claims counted.
func (c StatusCounts) Total() int { return c.Held + c.Review + c.Void + c.Ready }

// Totals are the worklist's totals, computed from the claims and the
// findings (Report.Totals).
type Totals struct {
	HoldOn finding.Severity
	StatusCounts
	ByPayerGroup map[string]StatusCounts
	// HeldCharge is the sum of the held claims' total charges (CLM02), in
	// cents; HeldUnpriced counts held claims whose CLM02 is not an amount.
	HeldCharge   int64
	HeldUnpriced int
	// HeldChargeByRule and HeldClaimsByRule: each held claim's total charge
	// and count under every rule that holds it (a finding at or above
	// --hold-on), so a claim held by two rules counts under both.
	HeldChargeByRule map[string]int64
	HeldClaimsByRule map[string]int
	// TextRepaired counts text values (in findings, claims and files) with
	// invalid UTF-8 or NUL bytes: the reports write them repaired (see
	// cleanText).
	TextRepaired int
}

// Totals computes the worklist's totals in one pass over the claims and the
// findings (once: later calls return the first result, so call it when the
// report is complete). Writers call it; the command may too, for its
// summary and logs.
func (r *Report) Totals() (Totals, error) {
	r.totalsOnce.Do(func() { r.totals, r.totalsErr = r.computeTotals() })
	return r.totals, r.totalsErr
}

func (r *Report) computeTotals() (Totals, error) {
	t := Totals{HoldOn: r.holdOn(), ByPayerGroup: map[string]StatusCounts{},
		HeldChargeByRule: map[string]int64{}, HeldClaimsByRule: map[string]int{}}
	// The rules at or above --hold-on of the claims not complete yet.
	holding := map[claimKey][]string{}
	holdingFile := -1
	for i := range r.Files {
		t.TextRepaired += countDirty(r.Files[i].Path, r.Files[i].Error)
	}
	err := r.mergeClaims(mergeHooks{
		finding: func(f *finding.Finding, place findingPlace, key claimKey) error {
			t.TextRepaired += countDirtyFinding(f)
			if place != placeOther && f.Severity >= t.HoldOn {
				if !slices.Contains(holding[key], f.RuleID) {
					holding[key] = append(holding[key], strings.Clone(f.RuleID))
				}
			}
			return nil
		},
		row: func(c *ClaimRow) error {
			key := claimKey{c.FileIndex, c.ClaimOffset}
			rules := holding[key]
			delete(holding, key)
			if c.FileIndex != holdingFile {
				// Early findings of claims of earlier files that were
				// not target claims: no row will take them.
				for k := range holding {
					if k.file < c.FileIndex {
						delete(holding, k)
					}
				}
				holdingFile = c.FileIndex
			}
			t.TextRepaired += countDirtyClaim(&c.ClaimSummary)
			t.add(c.Status)
			g := t.ByPayerGroup[c.PayerGroup]
			g.add(c.Status)
			t.ByPayerGroup[c.PayerGroup] = g
			if c.Status != StatusHeld {
				return nil
			}
			cents, ok := parseCents(c.TotalCharge)
			if ok {
				t.HeldCharge += cents
			} else {
				t.HeldUnpriced++
			}
			for _, rule := range rules {
				t.HeldClaimsByRule[rule]++
				if ok {
					t.HeldChargeByRule[rule] += cents
				}
			}
			return nil
		},
	})
	return t, err
}

// parseCents reads an X12 amount ("1250", "1250.5", "-5.00") as cents,
// rounded half away from zero.
func parseCents(s string) (int64, bool) {
	d, ok := jsonDecimal(s)
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseFloat(d, 64)
	if err != nil || math.Abs(v) > 1e15 {
		return 0, false
	}
	return int64(math.Round(v * 100)), true
}

// fmtCents writes cents as a plain decimal with two places: "1234.50".
func fmtCents(c int64) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return sign + strconv.FormatInt(c/100, 10) + "." + fmt.Sprintf("%02d", c%100)
}

// fmtDollars writes cents as the reports show money: "$1,234.50".
func fmtDollars(c int64) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return sign + "$" + fmtThousands(c/100) + "." + fmt.Sprintf("%02d", c%100)
}

// claimIndex tells, for each finding in report order, whether it is a
// target claim's and that claim's place in the worklist (EachClaim's order,
// claims[] in exceptions.json). It reads the claims alongside the findings
// and holds only those a finding may still name: from the claim the
// findings are in to the farthest one an early finding named (a finding in
// a loop several claims share lies before their CLM segments), so its
// memory is bounded by the claims under one such loop.
type claimIndex struct {
	next  func() (*finding.ClaimSummary, bool)
	stop  func()
	err   func() error
	ahead []claimKey // claims read, from the first one findings may still name
	base  int        // the place of ahead[0]
	done  bool       // no claim left to read
}

func newClaimIndex(r *Report) *claimIndex {
	x := &claimIndex{err: func() error { return nil }}
	if r.Claims == nil {
		x.done = true
		x.stop = func() {}
		return x
	}
	var ferr error
	x.next, x.stop = iter.Pull(func(yield func(*finding.ClaimSummary) bool) {
		ferr = r.Claims.Each(func(c *finding.ClaimSummary) error {
			if !yield(c) {
				return errStopEach
			}
			return nil
		})
	})
	x.err = func() error {
		if errors.Is(ferr, errStopEach) {
			return nil
		}
		return ferr
	}
	return x
}

// find returns the place of f's claim in the worklist; ok is false when f
// is about no target claim. Call it for findings in report order.
func (x *claimIndex) find(f *finding.Finding) (int, bool) {
	at := claimKey{f.FileIndex, f.ByteOffset}
	// Claims the findings have passed: a claim's findings all lie before
	// the next target claim's CLM segment.
	drop := 0
	for drop+1 < len(x.ahead) && !at.less(x.ahead[drop+1]) {
		drop++
	}
	x.ahead, x.base = x.ahead[drop:], x.base+drop
	if f.ClaimOffset == 0 {
		return 0, false
	}
	want := claimKey{f.FileIndex, f.ClaimOffset}
	for !x.done && (len(x.ahead) == 0 || x.ahead[len(x.ahead)-1].less(want)) {
		c, ok := x.next()
		if !ok {
			x.done = true
			break
		}
		x.ahead = append(x.ahead, claimKey{c.FileIndex, c.ClaimOffset})
	}
	i, found := slices.BinarySearchFunc(x.ahead, want, func(a, b claimKey) int {
		switch {
		case a.less(b):
			return -1
		case b.less(a):
			return 1
		}
		return 0
	})
	return x.base + i, found
}

// close stops reading the claims and returns the error reading them gave.
func (x *claimIndex) close() error {
	x.stop()
	return x.err()
}
