package main

// The claims view of report.html as an analyst meets it after a real run
// (the reports package's browser tests use hand-built reports): the
// binary scrubs the samples, and headless Chromium opens the page.

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browser starts headless Chromium for the test. Without one the test
// skips, except under CI=true, where it must run.
func browser(t *testing.T) context.Context {
	t.Helper()
	exe, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("no chromium on PATH (.ci/install-browser.sh); CI=true, so the browser test must run")
		}
		t.Skip("no chromium on PATH (.ci/install-browser.sh): skipping the browser test")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	t.Cleanup(cancel)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()), chromedp.Flag("disable-background-networking", true))
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(cancelBrowser)
	return bctx
}

func evalJS[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// shoot saves the viewport at w×h in the test's artifact folder (kept with
// go test -artifacts -outputdir DIR).
func shoot(t *testing.T, ctx context.Context, w, h int64, name string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, h), chromedp.Sleep(100*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.ArtifactDir(), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", path)
}

// TestBrowserClaimsViewOfARun: the page's counts are claims.csv's; a held
// claim opens to its findings (exceptions.csv's, info hidden); the status
// buttons show claims.csv's claims of that status, in its order (held
// first is the page's order: within a status it is input order).
func TestBrowserClaimsViewOfARun(t *testing.T) {
	ctx := browser(t)
	out := goldenReports(t, goldenRun{name: "browser", flags: []string{"--format", "csv,html"}})
	claims := readCSVMaps(t, filepath.Join(out, "claims.csv"))
	findings := readCSVMaps(t, filepath.Join(out, "exceptions.csv"))
	byStatus := map[string][]string{}
	for _, c := range claims {
		byStatus[c["status"]] = append(byStatus[c["status"]], c["claim_id"])
	}
	page := (&url.URL{Scheme: "file", Path: filepath.Join(out, "report.html")}).String()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768), chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#claims"))); err != nil {
		t.Fatal(err)
	}
	shoot(t, ctx, 1366, 768, "run-1366x768.png")
	shoot(t, ctx, 1920, 1080, "run-1920x1080.png")

	// Two samples are broken on purpose, two are not 837P.
	alert := evalJS[string](t, ctx, `document.getElementById("files-alert").textContent`)
	if want := "2 of 11 files failed: claims in them after the fault are not in this worklist. 2 files were skipped (no 837P in them). See which and why."; alert != want {
		t.Errorf("files alert %q, want %q", alert, want)
	}
	for _, s := range []string{"held", "review", "ready", "void"} {
		got := evalJS[string](t, ctx, `document.querySelector('.seg button[data-status="`+s+`"] .c').textContent`)
		if got != strconv.Itoa(len(byStatus[s])) {
			t.Errorf("the %s button counts %s, claims.csv %d", s, got, len(byStatus[s]))
		}
	}
	const visible = `[...document.querySelectorAll("#claims tbody.claim")].filter(b => !b.hidden).map(b => b.querySelector("td .mono").textContent)`
	if got, want := evalJS[[]string](t, ctx, visible), append(append(append(byStatus["held"], byStatus["review"]...), byStatus["void"]...), byStatus["ready"]...); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("claims on the page:\n%v\nclaims.csv, held first:\n%v", got, want)
	}

	// Open the first held claim: its error and warning findings show.
	first := byStatus["held"][0]
	var want []string
	for _, f := range findings {
		if f["claim_id"] == first && f["severity"] != "info" {
			want = append(want, f["rule_id"])
		}
	}
	const open = `[...document.querySelectorAll("#claims tr.fd")].filter(r => r.offsetParent !== null).map(r => r.querySelector("td.mono").textContent)`
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768), chromedp.Click(chromedp.CSS(`#c0 td.st button`))); err != nil {
		t.Fatal(err)
	}
	if got := evalJS[[]string](t, ctx, open); strings.Join(got, ",") != strings.Join(want, ",") || len(want) == 0 {
		t.Errorf("claim %s opened shows %v; exceptions.csv has %v", first, got, want)
	}
	shoot(t, ctx, 1366, 768, "run-open-1366x768.png")

	// Filter by status.
	for _, s := range []string{"review", "ready"} {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.seg button[data-status="`+s+`"]`))); err != nil {
			t.Fatal(err)
		}
		if got := evalJS[[]string](t, ctx, visible); strings.Join(got, ",") != strings.Join(byStatus[s], ",") {
			t.Errorf("%s claims on the page %v, in claims.csv %v", s, got, byStatus[s])
		}
	}
	shoot(t, ctx, 1920, 1080, "run-ready-1920x1080.png")
}
