package reports

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// chromiumPath finds the browser for the browser tests. Without one the tests
// skip, except under CI=true, where they must run.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if fi, err := os.Stat("/usr/bin/chromium"); err == nil && !fi.IsDir() {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	const msg = "no chromium at /usr/bin/chromium or on PATH (install it with .ci/install-browser.sh)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + "; CI=true, so the browser test must run")
	}
	t.Skip(msg + ": skipping the browser test")
	return ""
}

// browserContext starts a headless chromium for the test, with no network
// use of its own and a fresh profile, bounded by timeout.
func browserContext(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	exe := chromiumPath(t)
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	t.Cleanup(cancel)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1440, 1000),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	return bctx
}

// writeReportFile writes r as report.html through the format registry (as
// the command does) and returns its file:// URL.
func writeReportFile(t *testing.T, r *Report) string {
	t.Helper()
	dir := t.TempDir()
	paths, err := Write(dir, []string{"html"}, r)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 1 || filepath.Base(paths[0]) != "report.html" {
		t.Fatalf("wrote %v", paths)
	}
	abs, err := filepath.Abs(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
}

func browserEval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

const visibleRowsJS = `[...document.querySelectorAll("#findings tr.f")].filter(r => r.offsetParent !== null)`

func TestBrowserHTMLReport(t *testing.T) {
	ctx := browserContext(t, 60*time.Second)
	page := writeReportFile(t, analystReport())

	// Collect the console: a CSP violation (a blocked load or script) or an
	// uncaught exception fails the test.
	var (
		mu       sync.Mutex
		messages []chromedp.ConsoleMessage
	)
	consoleCtx, stopConsole := context.WithCancel(ctx)
	console := chromedp.Console(consoleCtx)
	consoleDone := make(chan struct{})
	go func() {
		defer close(consoleDone)
		for m, err := range console {
			if err != nil {
				return
			}
			mu.Lock()
			messages = append(messages, m)
			mu.Unlock()
		}
	}()

	if err := chromedp.Do(ctx,
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.CSS("#findings")),
	); err != nil {
		t.Fatalf("loading %s: %v", page, err)
	}

	// The page's script ran: it is allowed by the CSP hash.
	if !browserEval[bool](t, ctx, `document.documentElement.classList.contains("js")`) {
		t.Error("the inline script did not run (CSP hash?)")
	}

	// Totals.
	totals, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#totals")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Claims\n120", "0620T claims\n8", "Clean 0620T claims\n4", "50.0% of 0620T claims", "Findings\n5", "1 failed"} {
		if !strings.Contains(totals, want) {
			t.Errorf("totals lack %q:\n%s", want, totals)
		}
	}
	if got := browserEval[string](t, ctx, `document.getElementById("run-id").textContent`); got != "run-2026-03-02" {
		t.Errorf("run ID shows %q", got)
	}

	// The charts are drawn: the rule chart has a bar per rule, with size.
	if n := browserEval[int](t, ctx, `document.querySelectorAll("#chart-rules g[data-set=rule]").length`); n != 4 {
		t.Errorf("rule chart has %d bars, want 4", n)
	}
	if w := browserEval[float64](t, ctx, `document.querySelector("#chart-rules g[data-set] rect.s-error").getBoundingClientRect().width`); w < 20 {
		t.Errorf("rule chart's error bar is %v px wide", w)
	}
	if n := browserEval[int](t, ctx, `document.querySelectorAll("#chart-payers g[data-set] rect.s-held").length`); n != 3 {
		t.Errorf("payer chart has %d held bars, want 3", n)
	}

	// A known finding is in the table.
	known := browserEval[string](t, ctx, `[...document.querySelectorAll("#findings tr.f")].map(r => r.innerText).find(s => s.includes("CLM-2002")) || ""`)
	for _, want := range []string{"MOD-LATERALITY-MISSING", "error", "0620T is billed without RT or LT", "Add RT or LT", "AETNA", "in/mon/batch-b.837"} {
		if !strings.Contains(known, want) {
			t.Errorf("row of CLM-2002 lacks %q: %q", want, known)
		}
	}
	if n := browserEval[int](t, ctx, visibleRowsJS+`.length`); n != 5 {
		t.Errorf("%d rows shown before filtering, want 5", n)
	}

	// Filtering by a rule narrows the table to that rule's rows.
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#f-rule"), "MOD-LATERALITY-MISSING"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("f-rule").dispatchEvent(new Event("change"))`),
	); err != nil {
		t.Fatal(err)
	}
	rules := browserEval[[]string](t, ctx, visibleRowsJS+`.map(r => r.dataset.rule)`)
	if len(rules) != 2 || rules[0] != "MOD-LATERALITY-MISSING" || rules[1] != "MOD-LATERALITY-MISSING" {
		t.Errorf("after filtering by rule, rows of %v; want the 2 MOD-LATERALITY-MISSING rows", rules)
	}
	if s := browserEval[string](t, ctx, `document.getElementById("f-status").textContent`); s != "Showing 2 of 5 rows" {
		t.Errorf("status = %q", s)
	}
	// ... and by payer group on top of it.
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#f-pg"), "Aetna"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("f-pg").dispatchEvent(new Event("change"))`),
	); err != nil {
		t.Fatal(err)
	}
	if got := browserEval[[]string](t, ctx, visibleRowsJS+`.map(r => r.querySelector("td.claim .mono").textContent)`); len(got) != 1 || got[0] != "CLM-2002" {
		t.Errorf("rule and payer group filter shows %v, want [CLM-2002]", got)
	}

	// Reset, then a click on a bar of the rule chart filters by its rule.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#f-reset")),
		chromedp.ScrollIntoView(chromedp.CSS(`#chart-rules g[data-value="LINE-UNITS"]`)),
		chromedp.Click(chromedp.CSS(`#chart-rules g[data-value="LINE-UNITS"] rect.track`)),
	); err != nil {
		t.Fatal(err)
	}
	if got := browserEval[[]string](t, ctx, visibleRowsJS+`.map(r => r.dataset.rule)`); len(got) != 1 || got[0] != "LINE-UNITS" {
		t.Errorf("after clicking the LINE-UNITS bar, rows of %v", got)
	}

	// Sorting by line number, descending on the second click.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#f-reset")),
		chromedp.Click(chromedp.CSS("#findings thead th:nth-child(2) button")),
		chromedp.Click(chromedp.CSS("#findings thead th:nth-child(2) button")),
	); err != nil {
		t.Fatal(err)
	}
	if got := browserEval[string](t, ctx, visibleRowsJS+`.map(r => r.cells[1].textContent).join(",")`); got != "2,1,1,1,1" {
		t.Errorf("lines sorted descending = %s", got)
	}
	if got := browserEval[string](t, ctx, `document.querySelector("#findings thead th:nth-child(2)").getAttribute("aria-sort")`); got != "descending" {
		t.Errorf("aria-sort = %q", got)
	}

	// The malicious claim ID is text and ran nothing.
	if !browserEval[bool](t, ctx, `typeof window.__pwned === "undefined"`) {
		t.Error("window.__pwned is set: input text ran as script")
	}
	claims := browserEval[[]string](t, ctx, `[...document.querySelectorAll("#findings td.claim .mono")].map(e => e.textContent)`)
	shown := false
	for _, c := range claims {
		shown = shown || c == evilClaimID
	}
	if !shown {
		t.Errorf("claim IDs shown %q, want %q among them as text", claims, evilClaimID)
	}
	if n := browserEval[int](t, ctx, `document.scripts.length`); n != 1 {
		t.Errorf("%d script elements, want 1", n)
	}
	if n := browserEval[int](t, ctx, `document.images.length`); n != 0 {
		t.Errorf("%d img elements from input text", n)
	}
	if got := browserEval[string](t, ctx, `[...document.querySelectorAll("#findings tr.f")].map(r => r.innerText).find(s => s.includes("ACME")) || ""`); !strings.Contains(got, evilPayer) {
		t.Errorf("payer name not shown as text: %q", got)
	}

	// Screenshot of the whole page.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#f-reset")), chromedp.EmulateViewport(1440, 1000)); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(t.ArtifactDir(), "report.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of the report: %s (%d bytes; go test -artifacts keeps it)", shot, len(png))

	stopConsole()
	<-consoleDone
	mu.Lock()
	defer mu.Unlock()
	for _, m := range messages {
		text := m.String()
		if m.IsException() || strings.Contains(text, "Content Security Policy") || strings.Contains(text, "Refused to") {
			t.Errorf("console: %s", text)
		}
	}
}

// TestBrowserHTMLWithoutScript loads the page with JavaScript off: every
// finding is still there and the filter controls, which need the script,
// are hidden.
func TestBrowserHTMLWithoutScript(t *testing.T) {
	ctx := browserContext(t, 60*time.Second)
	page := writeReportFile(t, analystReport())
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#findings"))); err != nil {
		t.Fatal(err)
	}
	// Evaluate runs even with page scripts off.
	if n := browserEval[int](t, ctx, visibleRowsJS+`.length`); n != 5 {
		t.Errorf("%d rows shown without script, want 5", n)
	}
	if browserEval[bool](t, ctx, `document.documentElement.classList.contains("js")`) {
		t.Error("the page script ran although scripts are off")
	}
	if d := browserEval[string](t, ctx, `getComputedStyle(document.querySelector(".toolbar")).display`); d != "none" {
		t.Errorf("filter toolbar display = %q without script, want none", d)
	}
	if n := browserEval[int](t, ctx, `document.querySelectorAll("svg.chart").length`); n != 3 {
		t.Errorf("%d charts without script, want 3", n)
	}
}

// TestBrowserHTMLLargeRuns: a big flat table shows its rows a page at a
// time, and a grouped table (over HTMLFlatLimit findings) filters by group.
func TestBrowserHTMLLargeRuns(t *testing.T) {
	ctx := browserContext(t, 60*time.Second)
	status := func() string {
		return browserEval[string](t, ctx, `document.getElementById("f-status").textContent`)
	}
	visible := func() int { return browserEval[int](t, ctx, visibleRowsJS+`.length`) }

	if err := chromedp.Do(ctx, chromedp.Navigate(writeReportFile(t, manyFindingsReport(2500))),
		chromedp.WaitVisible(chromedp.CSS("#findings"))); err != nil {
		t.Fatal(err)
	}
	if n, s := visible(), status(); n != 1000 || s != "Showing the first 1,000 of 2,500 rows" {
		t.Errorf("first page: %d rows, status %q", n, s)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#f-more-btn"))); err != nil {
		t.Fatal(err)
	}
	if n := visible(); n != 2000 {
		t.Errorf("after Show more: %d rows, want 2000", n)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#f-all-btn"))); err != nil {
		t.Fatal(err)
	}
	if n, s := visible(), status(); n != 2500 || s != "Showing all 2,500 rows" {
		t.Errorf("after Show all: %d rows, status %q", n, s)
	}
	if browserEval[bool](t, ctx, `document.getElementById("f-more").offsetParent !== null`) {
		t.Error("Show more still shown with every row shown")
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(writeReportFile(t, manyFindingsReport(HTMLFlatLimit+1))),
		chromedp.WaitVisible(chromedp.CSS("#findings"))); err != nil {
		t.Fatal(err)
	}
	groups := `[...document.querySelectorAll("#findings tbody.grp")].filter(b => b.offsetParent !== null).map(b => b.dataset.rule)`
	if got := browserEval[[]string](t, ctx, groups); strings.Join(got, ",") != "LINE-UNITS,DX-NOT-SUPPORTING,LINE-POS-ATYPICAL" {
		t.Errorf("groups shown: %v", got)
	}
	if n := visible(); n != 3*HTMLRowsPerRule {
		t.Errorf("grouped table shows %d rows, want %d", n, 3*HTMLRowsPerRule)
	}
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#f-sev"), "warning"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("f-sev").dispatchEvent(new Event("change"))`),
	); err != nil {
		t.Fatal(err)
	}
	if got := browserEval[[]string](t, ctx, groups); strings.Join(got, ",") != "DX-NOT-SUPPORTING" {
		t.Errorf("groups shown for warnings: %v", got)
	}
	if n := visible(); n != HTMLRowsPerRule {
		t.Errorf("%d warning rows shown, want %d", n, HTMLRowsPerRule)
	}
}
