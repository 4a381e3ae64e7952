package reports

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"testing"
)

func htmlString(t *testing.T, r *Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestHTMLRegistered(t *testing.T) {
	f, ok := lookupFormat("html")
	if !ok || len(f.Files) != 1 || f.Files[0].Name != "report.html" || !f.Files[0].Streams {
		t.Fatalf("html format = %+v, %v", f, ok)
	}
}

func TestHTMLEscapesInput(t *testing.T) {
	page := htmlString(t, analystReport())
	for _, raw := range []string{evilClaimID, "window.__pwned=1</script>", evilPayer, `<Sons>`, `<img src=x`, `<broken>`, `("<x>")`} {
		if strings.Contains(page, raw) {
			t.Errorf("page contains input text unescaped: %q", raw)
		}
	}
	for _, esc := range []string{
		"&lt;script&gt;window.__pwned=1&lt;/script&gt;",
		"ACME &amp; &lt;Sons&gt; &#34;Health&#34;",
		"0620T&#34;&gt;&lt;img src=x onerror=alert(1)&gt;",
		"in/mon/&lt;broken&gt;.837",
	} {
		if !strings.Contains(page, esc) {
			t.Errorf("page lacks escaped text %q", esc)
		}
	}
	if n := strings.Count(strings.ToLower(page), "<script"); n != 1 {
		t.Errorf("page has %d <script elements, want 1", n)
	}
	for _, tag := range regexp.MustCompile(`<[a-zA-Z][^>]*>`).FindAllString(page, -1) {
		names := regexp.MustCompile(`"[^"]*"`).ReplaceAllString(tag, `""`)
		if regexp.MustCompile(`(?i)\son[a-z]+\s*=`).MatchString(names) {
			t.Errorf("page has an event handler attribute: %q", tag)
		}
	}
}

func TestHTMLSelfContained(t *testing.T) {
	page := htmlString(t, analystReport())
	lower := strings.ToLower(page)
	for _, s := range []string{"http://", "https://", "//cdn", "@import", "url(", "<link rel=\"stylesheet\"", "<iframe", "<object", "<embed"} {
		if strings.Contains(lower, s) {
			t.Errorf("page refers to something outside itself: %q", s)
		}
	}
	for _, m := range regexp.MustCompile(`(?i)\s(?:src|href|action|xlink:href)\s*=\s*"([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(m[1], "data:") && !strings.HasPrefix(m[1], "#") {
			t.Errorf("page loads %q", m[0])
		}
	}
	csp := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`).FindStringSubmatch(page)
	if csp == nil {
		t.Fatal("page has no Content-Security-Policy meta tag")
	}
	policy := html.UnescapeString(csp[1])
	if !strings.Contains(policy, "default-src 'none'") || !strings.Contains(policy, "script-src 'sha256-"+scriptHash(htmlScript)+"'") {
		t.Errorf("CSP = %q", policy)
	}
	if !strings.Contains(page, "<script>"+htmlScript+"</script>") {
		t.Error("inline script differs from the hashed text")
	}
}

// claimOrder lists the claim IDs of the claims view, in page order.
func claimOrder(page string) []string {
	var ids []string
	for _, m := range regexp.MustCompile(`(?s)<tbody class="claim"[^>]*>.*?<div class="mono">([^<]*)</div>`).FindAllStringSubmatch(page, -1) {
		ids = append(ids, html.UnescapeString(m[1]))
	}
	return ids
}

func TestHTMLWorklist(t *testing.T) {
	page := htmlString(t, analystReport())
	// Held first, then review, void, ready; input order within each.
	want := "CLM-1001," + evilClaimID + ",CLM-2002,CLM-1002,CLM-2009,CLM-1003,CLM-2003,CLM-2004"
	if got := strings.Join(claimOrder(page), ","); got != want {
		t.Errorf("claims in order %s\nwant %s", got, want)
	}
	for _, s := range []string{
		// the status strip: held with its dollars, review beside it, ready, void
		`<div class="k">Held</div>` + "\n" + `<div class="v">3</div>` + "\n" + `<div class="n">$6,250.00 held</div>`,
		`<div class="k">Review</div>` + "\n" + `<div class="v">1</div>`,
		`<div class="k">Ready</div>` + "\n" + `<div class="v">3</div>`,
		`<div class="k">Void</div>` + "\n" + `<div class="v">1</div>`,
		`1 failed`, `id="files-alert"`,
		// a held claim: its first fix, its rules by severity, its charge, its findings
		`<div class="fix">Add RT or LT for the treated side</div>`,
		`<span class="rule r-error">MOD-LATERALITY-MISSING</span><span class="rule r-warning">DX-NOT-SUPPORTING</span>`,
		`<td class="num">$1,250.00</td>`, `1 error · 1 warning`, "member ****4321",
		"line 1 · 0620T RT · units 1 · $1,250.00 · DOS 2026-01-05 · POS 22 · Dx 1:2 → I5022, I10",
		"file in/mon/batch-a.837 · ST 0001 · frequency 1 · 1 target line · billing NPI 1234567893",
		// an info finding is a row that the script hides by default
		`<tr class="fd i">`,
		// the status filter, with counts
		`data-status="held" aria-pressed="false">Held<span class="c">3</span>`,
		`<option value="Medicare">Medicare (4)</option>`,
		// the envelope finding is an other finding
		`SE01 says 40 segments`, `· 1 not on a 0620T claim`,
		// charts
		`id="chart-held"`, `id="chart-payers"`, `id="chart-rules"`, `id="chart-files"`,
		"LINE-UNITS: $3,750.00 on 1 held claim",
		"Medicare: 4 0620T claims; 1 held, 1 review, 2 ready, 0 void",
	} {
		if !strings.Contains(page, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	if strings.Contains(page, "W987654321") {
		t.Error("member ID shown whole without ShowIDs")
	}
	if strings.Contains(page, `id="page-note"`) {
		t.Error("a small run says the page is cut")
	}
	// Money has one format: no amount without its dollar sign and cents.
	for _, m := range regexp.MustCompile(`\$[0-9][0-9,]*(\.[0-9]+)?`).FindAllString(page, -1) {
		if !regexp.MustCompile(`^\$[0-9]{1,3}(,[0-9]{3})*\.[0-9]{2}$`).MatchString(m) {
			t.Errorf("money written as %q", m)
		}
	}
	r := analystReport()
	r.ShowIDs = true
	if !strings.Contains(htmlString(t, r), "member W987654321") {
		t.Error("ShowIDs: member ID not shown whole")
	}
}

// A big run: the page lists HTMLMaxClaims claims, held first, says so, and
// counts what it holds.
func TestHTMLLargeRunIsHonest(t *testing.T) {
	n := 3 * (HTMLMaxClaims + 500) // every claim held (each has an error)
	r := manyFindingsReport(n)
	page := htmlString(t, r)
	if got := strings.Count(page, `<tbody class="claim"`); got != HTMLMaxClaims {
		t.Errorf("%d claims listed, want %d", got, HTMLMaxClaims)
	}
	for _, s := range []string{
		`id="page-note"`, "This page lists 1,000 of the run&#39;s 1,500 claims (the first 1,000 of 1,500 held)",
		"claims.csv lists every claim and exceptions.csv every finding",
		`Held<span class="c">1,000 of 1,500</span>`,
		`<div class="v">1,500</div>`,
		`<option value="LINE-UNITS">LINE-UNITS (1,000)</option>`,
		"LINE-UNITS: 1,500 findings (1,500 error)", // charts count every finding
	} {
		if !strings.Contains(page, s) {
			t.Errorf("page lacks %q", s)
		}
	}
}

func TestHTMLFindingsPerClaimCapped(t *testing.T) {
	r := analystReport()
	extra := r.Findings[0]
	for i := 0; i < 30; i++ {
		f := extra
		f.ByteOffset = 1900 + int64(i)
		f.RuleID = "LINE-DUPLICATE"
		r.Findings = append(r.Findings, f)
	}
	scrubberSort(r)
	page := htmlString(t, r)
	if !strings.Contains(page, "12 more findings of this claim not listed here: see exceptions.csv.") {
		t.Error("no note of the findings not listed")
	}
}

// Without claims the worklist says so and every finding is an other
// finding.
func TestHTMLWithoutClaims(t *testing.T) {
	r := analystReport()
	r.Claims = nil
	page := htmlString(t, r)
	if !strings.Contains(page, `id="no-claims"`) || !strings.Contains(page, "· 7 not on a 0620T claim") {
		t.Error("no-claims page")
	}
	if got := strings.Count(page, `<tr class="of `); got != 7 {
		t.Errorf("%d other findings, want 7", got)
	}
}

// A finding of a claim that is not a target claim, set aside while it lay
// before target claims, ends among the other findings.
func TestHTMLEarlyFindingOfOtherClaim(t *testing.T) {
	page := htmlString(t, worklistReport())
	for _, s := range []string{"taxonomy 2000", "not a target claim", "file-level", "not 837P"} {
		i := strings.Index(page, s)
		if i < 0 || !strings.Contains(page[:i], `id="other-findings"`) {
			t.Errorf("%q is not among the other findings", s)
		}
	}
	if !strings.Contains(page, "· 5 not on a Target claim") {
		t.Error("other findings count")
	}
}

func TestHTMLEmptyRun(t *testing.T) {
	page := htmlString(t, &Report{Run: Run{ID: "empty"}, Claims: ClaimSlice{}})
	for _, want := range []string{`id="no-claims"`, "No Target claims in this run.", "All 0 files were read.", "No findings.", "<script>"} {
		if !strings.Contains(page, want) {
			t.Errorf("empty run: page lacks %q", want)
		}
	}
	if strings.Contains(page, `id="claims"`) {
		t.Error("empty run has a claims table")
	}
}

func TestHTMLDeterministic(t *testing.T) {
	for _, r := range []*Report{analystReport(), manyFindingsReport(3*HTMLMaxClaims + 7)} {
		first := htmlString(t, r)
		for i := 0; i < 3; i++ {
			if htmlString(t, r) != first {
				t.Fatal("two writes of the same report differ")
			}
		}
	}
}

func TestHTMLTargetCode(t *testing.T) {
	r := analystReport()
	r.Run.Rules.Procedure = "0620T"
	if got := targetCode(r); got != "0620T" {
		t.Errorf("from the pack: %q", got)
	}
	r.Run.Rules.Procedure = ""
	if got := targetCode(r); got != "Target" {
		t.Errorf("no procedure: %q", got)
	}
}

func TestHTMLHelpers(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1234: "-1,234"} {
		if got := fmtThousands(n); got != want {
			t.Errorf("fmtThousands(%d) = %q", n, got)
		}
	}
	if got := htmlDate("20260102-20260131"); got != "2026-01-02 – 2026-01-31" {
		t.Errorf("htmlDate range = %q", got)
	}
	if got := htmlDate("2026"); got != "2026" {
		t.Errorf("htmlDate other = %q", got)
	}
	if got := cutPath("a/very/long/path/to/file.837", 10); got != "…/file.837" {
		t.Errorf("cutPath = %q", got)
	}
}
