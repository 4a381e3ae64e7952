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

// visibleClaimsJS lists the claim IDs the claims view shows.
const visibleClaimsJS = `[...document.querySelectorAll("#claims tbody.claim")].filter(b => !b.hidden).map(b => b.querySelector("td .mono").textContent)`

func clickStatus(t *testing.T, ctx context.Context, status string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.seg button[data-status="`+status+`"]`))); err != nil {
		t.Fatal(err)
	}
}

// screenshot saves the viewport at w×h as name in the test's artifact
// folder (kept with go test -artifacts -outputdir DIR).
func screenshot(t *testing.T, ctx context.Context, w, h int64, name string, full bool) {
	t.Helper()
	var png []byte
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, h), chromedp.Sleep(100*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	var err error
	if full {
		png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG
	} else {
		png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
	}
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.ArtifactDir(), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s (%d bytes)", path, len(png))
}

func TestBrowserClaimsView(t *testing.T) {
	ctx := browserContext(t, 90*time.Second)
	page := writeReportFile(t, analystReport())

	// A CSP violation or an uncaught exception in the console fails the test.
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
		chromedp.EmulateViewport(1366, 768),
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.CSS("#claims")),
	); err != nil {
		t.Fatalf("loading %s: %v", page, err)
	}
	if !browserEval[bool](t, ctx, `document.documentElement.classList.contains("js")`) {
		t.Error("the inline script did not run (CSP hash?)")
	}

	// Above the fold at 1366×768: the status counts, the first claims and
	// their first fixes.
	if got := browserEval[float64](t, ctx, `document.querySelector("#claims tbody.claim:nth-of-type(3) td.what .fix").getBoundingClientRect().bottom`); got > 768 {
		t.Errorf("the third claim's first fix ends at %v px, below the fold of a 1366×768 screen", got)
	}
	strip, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#totals")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Held\n3", "$6,250.00 held", "Review\n1", "warnings only", "Ready\n3", "Void\n1", "1 failed"} {
		if !strings.Contains(strip, want) {
			t.Errorf("status strip lacks %q:\n%s", want, strip)
		}
	}
	// The message column takes most of the width.
	if w := browserEval[float64](t, ctx, `document.querySelector("#claims tbody.claim td.what").getBoundingClientRect().width / document.querySelector("#claims").getBoundingClientRect().width`); w < 0.45 {
		t.Errorf("the problem and fix column is %.0f%% of the table", 100*w)
	}
	screenshot(t, ctx, 1366, 768, "claims-1366x768.png", false)

	// Held first; all claims listed; findings closed.
	if got := browserEval[[]string](t, ctx, visibleClaimsJS); strings.Join(got, ",") != "CLM-1001,"+evilClaimID+",CLM-2002,CLM-1002,CLM-2009,CLM-1003,CLM-2003,CLM-2004" {
		t.Errorf("claims shown: %v", got)
	}
	openRows := `[...document.querySelectorAll("#claims tr.fd")].filter(r => r.offsetParent !== null).map(r => r.querySelector("td.mono").textContent)`
	if got := browserEval[[]string](t, ctx, openRows); len(got) != 0 {
		t.Errorf("finding rows shown before opening a claim: %v", got)
	}

	// Open the first claim: its findings show.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#c0 td.st button`))); err != nil {
		t.Fatal(err)
	}
	if got := browserEval[[]string](t, ctx, openRows); strings.Join(got, ",") != "MOD-LATERALITY-MISSING,DX-NOT-SUPPORTING" {
		t.Errorf("after opening CLM-1001: %v", got)
	}
	if got := browserEval[string](t, ctx, `document.querySelector("#c0 td.st button").getAttribute("aria-expanded")`); got != "true" {
		t.Errorf("aria-expanded = %q", got)
	}

	// Filter by status: review, then ready.
	clickStatus(t, ctx, "review")
	if got := browserEval[[]string](t, ctx, visibleClaimsJS); strings.Join(got, ",") != "CLM-1002" {
		t.Errorf("review claims: %v", got)
	}
	if s := browserEval[string](t, ctx, `document.getElementById("f-status").textContent`); s != "Showing 1 of the 8 claims of this page" {
		t.Errorf("status = %q", s)
	}
	clickStatus(t, ctx, "ready")
	if got := browserEval[[]string](t, ctx, visibleClaimsJS); strings.Join(got, ",") != "CLM-1003,CLM-2003,CLM-2004" {
		t.Errorf("ready claims: %v", got)
	}
	// Info findings are hidden until asked for.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#c6 td.st button`))); err != nil {
		t.Fatal(err)
	}
	if got := browserEval[[]string](t, ctx, openRows); len(got) != 0 {
		t.Errorf("info findings shown by default: %v", got)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#f-info`))); err != nil {
		t.Fatal(err)
	}
	if got := browserEval[[]string](t, ctx, openRows); strings.Join(got, ",") != "LINE-POS-ATYPICAL" {
		t.Errorf("info findings after the toggle: %v", got)
	}

	// Held, then a payer group and a rule on top.
	clickStatus(t, ctx, "held")
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#f-pg"), "Aetna"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("f-pg").dispatchEvent(new Event("change"))`),
	); err != nil {
		t.Fatal(err)
	}
	if got := browserEval[[]string](t, ctx, visibleClaimsJS); strings.Join(got, ",") != "CLM-2002" {
		t.Errorf("held Aetna claims: %v", got)
	}
	clickStatus(t, ctx, "")
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#f-pg"), ""),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("f-pg").dispatchEvent(new Event("change"))`),
		chromedp.ScrollIntoView(chromedp.CSS(`#chart-rules g[data-value="LINE-UNITS"]`)),
		chromedp.Click(chromedp.CSS(`#chart-rules g[data-value="LINE-UNITS"] rect.track`)),
	); err != nil {
		t.Fatal(err)
	}
	if got := browserEval[[]string](t, ctx, visibleClaimsJS); len(got) != 1 || got[0] != evilClaimID {
		t.Errorf("after clicking the LINE-UNITS bar: %v", got)
	}

	// The malicious claim ID is text and ran nothing.
	if !browserEval[bool](t, ctx, `typeof window.__pwned === "undefined"`) {
		t.Error("window.__pwned is set: input text ran as script")
	}
	if n := browserEval[int](t, ctx, `document.scripts.length`); n != 1 {
		t.Errorf("%d script elements, want 1", n)
	}
	if n := browserEval[int](t, ctx, `document.images.length`); n != 0 {
		t.Errorf("%d img elements from input text", n)
	}

	// The page scrolls (no inner scroll box) and the table header sticks.
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#f-rule"), ""),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("f-rule").dispatchEvent(new Event("change"))`),
		chromedp.Click(chromedp.CSS("#f-expand")),
		chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, document.getElementById("claims").getBoundingClientRect().top + window.scrollY + 200)`),
	); err != nil {
		t.Fatal(err)
	}
	if top := browserEval[float64](t, ctx, `document.querySelector("#claims thead th").getBoundingClientRect().top`); top < -1 || top > 1 {
		t.Errorf("table header top at %v px after scrolling, want 0 (sticky)", top)
	}
	screenshot(t, ctx, 1366, 768, "claims-open-scrolled-1366x768.png", false)

	// The page as it opens, on a big screen, and whole.
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#claims")),
		chromedp.Click(chromedp.CSS(`#c0 td.st button`))); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, 1920, 1080, "claims-1920x1080.png", false)
	screenshot(t, ctx, 1366, 768, "page-1366-full.png", true)

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
// claim and finding is there and the controls, which need the script, are
// hidden.
func TestBrowserHTMLWithoutScript(t *testing.T) {
	ctx := browserContext(t, 60*time.Second)
	page := writeReportFile(t, analystReport())
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#claims"))); err != nil {
		t.Fatal(err)
	}
	if n := browserEval[int](t, ctx, `[...document.querySelectorAll("#claims tr.fd")].filter(r => r.offsetParent !== null).length`); n != 6 {
		t.Errorf("%d finding rows shown without script, want 6", n)
	}
	if browserEval[bool](t, ctx, `document.documentElement.classList.contains("js")`) {
		t.Error("the page script ran although scripts are off")
	}
	if d := browserEval[string](t, ctx, `getComputedStyle(document.querySelector(".toolbar")).display`); d != "none" {
		t.Errorf("toolbar display = %q without script, want none", d)
	}
	if n := browserEval[int](t, ctx, `document.querySelectorAll("svg.chart").length`); n != 4 {
		t.Errorf("%d charts without script, want 4", n)
	}
}

// TestBrowserHTMLLargeRun: a run bigger than the page says what the page
// holds, and its filters count the claims it lists.
func TestBrowserHTMLLargeRun(t *testing.T) {
	ctx := browserContext(t, 90*time.Second)
	r := manyFindingsReport(3 * (HTMLMaxClaims + 500))
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768), chromedp.Navigate(writeReportFile(t, r)),
		chromedp.WaitVisible(chromedp.CSS("#claims"))); err != nil {
		t.Fatal(err)
	}
	note := browserEval[string](t, ctx, `document.getElementById("page-note").textContent`)
	if !strings.Contains(note, "This page lists 1,000 of the run's 1,500 claims") || !strings.Contains(note, "claims.csv lists every claim") {
		t.Errorf("page note %q", note)
	}
	if got := browserEval[string](t, ctx, `document.querySelector('.seg button[data-status="held"]').textContent`); got != "Held1,000 of 1,500" {
		t.Errorf("held button %q", got)
	}
	if got := browserEval[string](t, ctx, `document.getElementById("f-status").textContent`); got != "Showing all 1,000 claims of this page" {
		t.Errorf("status %q", got)
	}
	screenshot(t, ctx, 1366, 768, "large-1366x768.png", false)
}
