package runner

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/scrub837/scrub837/reports"
)

// fakeHistory finds every target claim whose ID is in sent, on its first
// line, and says it has seen the files in seen.
type fakeHistory struct {
	mu       sync.Mutex
	sent     map[string]bool
	seen     map[string]bool
	fail     error
	calls    int
	recorded *Result
	claims   int                       // target claims Record saw in the report
	statuses map[string]reports.Status // and their statuses
	rules    map[string][]string       // and rules
}

func (h *fakeHistory) Seen(ctx context.Context, sha string) (string, bool, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return "scrubbed in run earlier on 2026-01-01 03:15 UTC", h.seen[sha], nil
}

func (h *fakeHistory) Duplicates(ctx context.Context, claims []NightClaim) ([]LineDuplicate, error) {
	h.calls++
	if h.fail != nil {
		return nil, h.fail
	}
	var out []LineDuplicate
	for i, c := range claims {
		if h.sent[c.Summary.ClaimID] && len(c.Summary.Lines) > 0 && c.FileSHA256 != "" {
			out = append(out, LineDuplicate{Claim: i, Line: 0, Earlier: []Earlier{{RunID: "earlier", Started: time.Unix(0, 0), ClaimID: "OLD-" + c.Summary.ClaimID}}})
		}
	}
	return out, nil
}

// Record reads the report as the command's does: while the run's spools
// are open.
func (h *fakeHistory) Record(ctx context.Context, res *Result) error {
	h.recorded = res
	h.statuses, h.rules = map[string]reports.Status{}, map[string][]string{}
	return res.Report.EachClaim(func(c *reports.ClaimRow) error {
		h.claims++
		h.statuses[c.ClaimID] = c.Status
		h.rules[c.ClaimID] = append([]string(nil), c.Rules...)
		return nil
	})
}

// HIST-DUPLICATE findings are in the reports, hold their claims, move them
// from clean to held in the summary, and the run is recorded once its
// reports are in place.
func TestRunWithHistory(t *testing.T) {
	plain, err := Run(testConfig(t, samples(t)...))
	if err != nil {
		t.Fatal(err)
	}
	// DX-CLEAN was ready (clean), DX-POINTER-DUPLICATE in review, DX-POINTER-MISSING held.
	h := &fakeHistory{sent: map[string]bool{"DX-CLEAN": true, "DX-POINTER-DUPLICATE": true, "DX-POINTER-MISSING": true}}
	cfg := testConfig(t, samples(t)...)
	cfg.History = h
	res, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if h.recorded != res || h.claims != res.Report.Summary.TargetClaims || res.HistoryErr != nil {
		t.Errorf("recorded %p (result %p), %d claims of %d, %v", h.recorded, res, h.claims, res.Report.Summary.TargetClaims, res.HistoryErr)
	}
	statuses, rules := h.statuses, h.rules
	for id := range h.sent {
		if statuses[id] != reports.StatusHeld || rules[id][0] != "HIST-DUPLICATE" && rules[id][len(rules[id])-1] != "HIST-DUPLICATE" {
			t.Errorf("%s: %v %v", id, statuses[id], rules[id])
		}
	}
	p, s := plain.Report.Summary, res.Report.Summary
	if s.FindingsByRule["HIST-DUPLICATE"] != 3 || s.FindingsBySeverity["error"] != p.FindingsBySeverity["error"]+3 ||
		s.CleanTargetClaims != p.CleanTargetClaims-1 || sum(s.HeldTargetClaimsByPayerGroup) != sum(p.HeldTargetClaimsByPayerGroup)+2 ||
		res.Report.NumFindings() != plain.Report.NumFindings()+3 {
		t.Errorf("summary: %d HIST-DUPLICATE, errors %d (were %d), clean %d (were %d), held %d (were %d), findings %d (were %d)",
			s.FindingsByRule["HIST-DUPLICATE"], s.FindingsBySeverity["error"], p.FindingsBySeverity["error"],
			s.CleanTargetClaims, p.CleanTargetClaims, sum(s.HeldTargetClaimsByPayerGroup), sum(p.HeldTargetClaimsByPayerGroup),
			res.Report.NumFindings(), plain.Report.NumFindings())
	}
	if res.Totals.Held != plain.Totals.Held+2 || res.Totals.Ready != plain.Totals.Ready-1 || res.Totals.Review != plain.Totals.Review-1 {
		t.Errorf("totals %+v, were %+v", res.Totals.StatusCounts, plain.Totals.StatusCounts)
	}
	// A night in batches gives the same findings as in one.
	defer func(n int) { historyBatch = n }(historyBatch)
	historyBatch = 2
	h2 := &fakeHistory{sent: h.sent}
	cfg = testConfig(t, samples(t)...)
	cfg.History = h2
	batched, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if h2.calls < 10 || batched.Report.Summary.FindingsByRule["HIST-DUPLICATE"] != 3 || batched.Totals.StatusCounts != res.Totals.StatusCounts {
		t.Errorf("in batches of 2: %d calls, %d HIST-DUPLICATE, totals %+v", h2.calls, batched.Report.Summary.FindingsByRule["HIST-DUPLICATE"], batched.Totals.StatusCounts)
	}
}

// A lookup that fails leaves no reports.
func TestRunWithHistoryThatFails(t *testing.T) {
	cfg := testConfig(t, samples(t)...)
	cfg.History = &fakeHistory{fail: errors.New("the server went away")}
	_, err := Run(cfg)
	var re *Error
	if !errors.As(err, &re) || re.Stage != StageHistory {
		t.Fatalf("err = %v, want a StageHistory error", err)
	}
	if _, serr := os.Stat(filepath.Join(cfg.Out, "exceptions.csv")); serr == nil {
		t.Error("reports were written")
	}
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
