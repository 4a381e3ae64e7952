package history_test

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/scrub837/scrub837/scrubber/history"
	"github.com/scrub837/scrub837/scrubber/history/historytest"
)

// The history benchmark (scripts/bench-history.sh runs it; never part of
// go test ./...): -history.bench.phase=generate fills a history with
// synthetic nightly runs through Record, and =night scrubs one night against
// it: duplicate lookups, skip-seen lookups, recording, pruning.
var (
	benchPhase   = flag.String("history.bench.phase", "", "generate or night (empty: the history benchmark does not run)")
	benchTarget  = flag.String("history.bench.target", "", "the history: a SQLite path or a postgres:// URL")
	benchClaims  = flag.Int("history.bench.claims", 10_000_000, "target claims in the generated history")
	benchRuns    = flag.Int("history.bench.runs", 400, "nightly runs the history's claims are spread over")
	benchNight   = flag.Int("history.bench.night", 100_000, "target claims in the night")
	benchResends = flag.Int("history.bench.resends", 1_000, "claims of the night that went out before (duplicates)")
)

const (
	benchPatients     = 2_000_000 // so each patient has about 5 claims in 10 million
	benchFilesPerRun  = 20
	benchDaysOfClaims = 30 // a claim's date of service is up to 30 days before its run
	benchSeed         = 837
)

var benchPayers = []string{"60054", "87726", "62308", "00882", "SB580"}

func benchDay(r int) time.Time { return time.Date(2025, 1, 1, 2, 0, 0, 0, time.UTC).AddDate(0, 0, r) }

func benchFile(r, f int) string { return "run" + strconv.Itoa(r) + "-file" + strconv.Itoa(f) + ".837" }

// benchNightRun builds synthetic run r of the history: the same claims each
// time it is asked for, so the night can re-send some.
func benchNightRun(s *history.Store, r, claims int) (history.Run, []history.File, []history.Claim) {
	rng := rand.New(rand.NewPCG(benchSeed, uint64(r)))
	run := history.Run{ID: "bench-" + strconv.Itoa(r), Started: benchDay(r), Finished: benchDay(r).Add(20 * time.Minute),
		ToolVersion: "bench", PackVersion: "2026.1", PackSHA256: sha("pack"), ExitCode: 1}
	files := make([]history.File, benchFilesPerRun)
	for f := range files {
		files[f] = history.File{Path: "/drops/" + benchFile(r, f), SHA256: sha(benchFile(r, f)), Bytes: 40 << 20, Status: history.FileOK}
	}
	out := make([]history.Claim, claims)
	for i := range out {
		payer := benchPayers[rng.IntN(len(benchPayers))]
		c := history.Claim{
			ClaimID:      "R" + strconv.Itoa(r) + "C" + strconv.Itoa(i),
			FileSHA256:   files[i%benchFilesPerRun].SHA256,
			Frequency:    "1",
			Status:       history.StatusReady,
			BillingNPI:   "1234567893",
			RenderingNPI: "1245319599",
			PayerID:      payer,
			Patient:      s.PatientKey(payer, "MBR"+strconv.Itoa(rng.IntN(benchPatients))),
		}
		switch p := rng.IntN(100); {
		case p < 13:
			c.Status = history.StatusHeld
		case p < 28:
			c.Status = history.StatusReview
		}
		switch p := rng.IntN(100); {
		case p < 5:
			c.Frequency, c.PayerClaimRef = "7", "ICN"+strconv.Itoa(rng.IntN(1e9))
		case p < 7:
			c.Frequency, c.Status, c.PayerClaimRef = "8", history.StatusVoid, "ICN"+strconv.Itoa(rng.IntN(1e9))
		}
		date := benchDay(r).AddDate(0, 0, -rng.IntN(benchDaysOfClaims)).Format("20060102")
		side := [2]string{"LT", "RT"}[rng.IntN(2)]
		c.Lines = []history.Line{{Date: date, Side: side}}
		if rng.IntN(100) < 3 {
			c.Lines = append(c.Lines, history.Line{Date: date, Side: map[string]string{"LT": "RT", "RT": "LT"}[side]})
		}
		out[i] = c
	}
	return run, files, out
}

func benchReport(key string, format string, args ...any) {
	fmt.Printf("bench: %-28s %s\n", key, fmt.Sprintf(format, args...))
}

func peakRSS() string {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return "?"
	}
	return fmt.Sprintf("%.0f MiB", float64(ru.Maxrss)/1024) // Linux: KiB
}

func TestBenchHistory(t *testing.T) {
	if *benchPhase == "" {
		t.Skip("the history benchmark runs with -history.bench.phase (scripts/bench-history.sh)")
	}
	ctx := context.Background()
	s, err := history.Open(ctx, *benchTarget, testKey)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	perRun := *benchClaims / *benchRuns
	switch *benchPhase {
	case "generate":
		// Loaded as a bulk load is: without the random-keyed patient index,
		// built once at the end (sorted) instead of updated at random 10
		// million times. The night phase records with every index in place.
		recreate := dropPatientIndex(t, *benchTarget)
		start := time.Now()
		for r := range *benchRuns {
			run, files, claims := benchNightRun(s, r, perRun)
			if err := s.Record(ctx, run, files, claims); err != nil {
				t.Fatal(err)
			}
			if (r+1)%50 == 0 {
				el := time.Since(start)
				fmt.Fprintf(os.Stderr, "generated %d runs, %d claims, %s (%.0f claims/s)\n", r+1, (r+1)*perRun, el.Round(time.Second), float64((r+1)*perRun)/el.Seconds())
			}
		}
		el := time.Since(start)
		indexStart := time.Now()
		recreate()
		benchReport("generate.claims", "%d in %d runs", perRun**benchRuns, *benchRuns)
		benchReport("generate.time", "%s (%.0f claims/s, Record per run, no patient index)", el.Round(time.Second), float64(perRun**benchRuns)/el.Seconds())
		benchReport("generate.patient_index", "%s", time.Since(indexStart).Round(time.Second))
		benchReport("generate.cpu", "%s (this process)", cpuTime())
		benchReport("generate.size", "%s", historySize(t, *benchTarget))
		benchReport("generate.peak_rss", "%s", peakRSS())
	case "night":
		benchNightPhase(t, ctx, s, perRun)
	default:
		t.Fatalf("-history.bench.phase=%q: want generate or night", *benchPhase)
	}
}

func benchNightPhase(t *testing.T, ctx context.Context, s *history.Store, perRun int) {
	rng := rand.New(rand.NewPCG(benchSeed, 1<<40))
	tonight := *benchRuns
	run, files, night := benchNightRun(s, tonight, *benchNight)
	for i := range night {
		night[i].Status = "" // not scrubbed yet when it is looked up
	}
	// Re-sends: originals that went out in earlier runs, sent again tonight
	// under a new claim ID (up to 100 from each earlier run drawn), spread
	// over the night.
	resent := 0
	for resent < *benchResends {
		_, _, earlier := benchNightRun(s, rng.IntN(*benchRuns), perRun)
		taken := 0
		for _, c := range earlier {
			if resent == *benchResends || taken == 100 {
				break
			}
			if c.Frequency != "1" || c.Status != history.StatusReady && c.Status != history.StatusReview {
				continue
			}
			i := resent * (len(night) / *benchResends)
			night[i].Patient, night[i].Lines, night[i].Frequency = c.Patient, c.Lines, "1"
			resent++
			taken++
		}
	}

	// One line at a time, as a naive caller would.
	const singles = 2000
	start := time.Now()
	for i := range singles {
		if _, err := s.Duplicates(ctx, night[i:i+1]); err != nil {
			t.Fatal(err)
		}
	}
	single := time.Since(start) / singles

	start = time.Now()
	dups, err := s.Duplicates(ctx, night)
	if err != nil {
		t.Fatal(err)
	}
	batch := time.Since(start)
	lines := 0
	for _, c := range night {
		if c.Frequency == "1" {
			lines += len(c.Lines)
		}
	}
	flagged := map[int]bool{}
	for _, d := range dups {
		flagged[d.Claim] = true
	}
	benchReport("night.claims", "%d (%d original lines looked up, %d re-sent)", len(night), lines, *benchResends)
	benchReport("duplicates.one_by_one", "%s a claim (%d calls of one claim)", single.Round(time.Microsecond), singles)
	benchReport("duplicates.batch", "%s for the night, %s a line; %d claims flagged (%d matches)",
		batch.Round(time.Millisecond), (batch / time.Duration(max(lines, 1))).Round(100*time.Nanosecond), len(flagged), len(dups))
	if len(flagged) < *benchResends*9/10 {
		t.Errorf("only %d claims flagged for %d re-sent", len(flagged), *benchResends)
	}

	start = time.Now()
	seen := 0
	const seenCalls = 1000
	for i := range seenCalls {
		_, ok, err := s.Seen(ctx, sha(benchFile(rng.IntN(*benchRuns*2), i%benchFilesPerRun)), sha("pack"))
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			seen++
		}
	}
	benchReport("seen", "%s a file (%d calls, %d seen)", (time.Since(start) / seenCalls).Round(time.Microsecond), seenCalls, seen)

	for i := range night {
		night[i].Status = []string{history.StatusReady, history.StatusReview, history.StatusHeld}[i%3]
		if night[i].Frequency == "8" {
			night[i].Status = history.StatusVoid
		}
	}
	start = time.Now()
	if err := s.Record(ctx, run, files, night); err != nil {
		t.Fatal(err)
	}
	benchReport("record.night", "%s for %d claims", time.Since(start).Round(time.Millisecond), len(night))

	start = time.Now()
	runs, err := s.Runs(ctx, 30)
	if err != nil || len(runs) != min(30, *benchRuns+1) { // a small history (RUNS < 29) has fewer
		t.Fatalf("Runs: %d, %v", len(runs), err)
	}
	benchReport("runs.last30", "%s", time.Since(start).Round(time.Microsecond))

	start = time.Now()
	// The oldest night, as --history-keep does each night (none is left
	// when the night phase runs again on the same history).
	pruned, err := s.Prune(ctx, benchDay(1))
	if err != nil || pruned > 1 {
		t.Fatalf("Prune: %d, %v", pruned, err)
	}
	benchReport("prune.one_night", "%s (%d claims)", time.Since(start).Round(time.Millisecond), perRun)
	benchReport("night.size", "%s", historySize(t, *benchTarget))
	benchReport("night.peak_rss", "%s", peakRSS())
	benchReport("night.cpu", "%s (this process)", cpuTime())
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return (time.Duration(ru.Utime.Nano()) + time.Duration(ru.Stime.Nano())).Round(100 * time.Millisecond)
}

// dropPatientIndex drops the index claims_patient and returns the func that
// builds it again, from its definition as the history holds it.
func dropPatientIndex(t *testing.T, target string) (recreate func()) {
	db := historytest.DB(t, target)
	query := `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'claims_patient'`
	if !filepath.IsAbs(target) {
		query = `SELECT pg_get_indexdef('claims_patient'::regclass)`
	}
	var def string
	if err := db.QueryRow(query).Scan(&def); err != nil {
		t.Fatalf("reading the patient index: %v", err)
	}
	if _, err := db.Exec(`DROP INDEX claims_patient`); err != nil {
		t.Fatal(err)
	}
	return func() {
		if _, err := db.Exec(def); err != nil {
			t.Fatalf("building the patient index: %v", err)
		}
	}
}

// historySize is the history's size on disk: the SQLite file with its WAL,
// or the PostgreSQL schema's tables with their indexes and TOAST.
func historySize(t *testing.T, target string) string {
	mib := func(n int64) string { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }
	if filepath.IsAbs(target) {
		var total int64
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if fi, err := os.Stat(target + suffix); err == nil {
				total += fi.Size()
			}
		}
		return mib(total)
	}
	db, err := sql.Open("pgx", target)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tables, indexes int64
	if err := db.QueryRow(`SELECT COALESCE(SUM(pg_table_size(c.oid)), 0), COALESCE(SUM(pg_indexes_size(c.oid)), 0)
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind = 'r'`).Scan(&tables, &indexes); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%s (tables %s, indexes %s)", mib(tables+indexes), mib(tables), mib(indexes))
}
