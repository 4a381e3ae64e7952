package reports

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/scrub837/scrub837/scrubber/finding"
)

// Input text the pages must show as text, never run or parse.
const (
	evilClaimID = `<script>window.__pwned=1</script>`
	evilPayer   = `ACME & <Sons> "Health"`
	evilCode    = `0620T"><img src=x onerror=alert(1)>`
)

// analystReport is a small run as an analyst would see it: three inputs (one
// failed), 0620T findings of each severity over several rules, payer groups
// and files, a malicious claim ID and a payer name full of markup.
func analystReport() *Report {
	line := func(file string, idx int, claim string, lx int, seg, off int64, rule string, sev finding.Severity,
		msg, sug, payer, payerID, group string) finding.Finding {
		return finding.Finding{
			FileIndex: idx, ClaimOffset: off - 100, File: file,
			ISAControl: "000000101", GSControl: "101", STControl: "0001",
			ClaimID: claim, LineNumber: lx, SegmentNumber: seg, ByteOffset: off,
			RuleID: rule, Severity: sev, Source: "seed", Message: msg, Suggestion: sug,
			Procedure: "0620T", Modifiers: []string{"RT"}, Units: "1", Charge: "1250.00",
			ServiceDate: "20260105", PlaceOfService: "22",
			DxPointers: []string{"1", "2"}, PointedDiagnoses: []string{"I5022", "I10"},
			PayerName: payer, PayerID: payerID, PayerGroup: group,
			BillingNPI: "1234567893", RenderingNPI: "1245319599", RenderingTaxonomy: "207RC0000X",
			MemberID: "W987654321",
		}
	}
	fs := []finding.Finding{
		line("in/mon/batch-a.837", 0, "CLM-1001", 1, 31, 1800, "MOD-LATERALITY-MISSING", finding.Error,
			"0620T is billed without RT or LT", "Add RT or LT for the treated side", "MEDICARE PART B", "12202", "Medicare"),
		line("in/mon/batch-a.837", 0, "CLM-1001", 1, 32, 1850, "DX-NOT-SUPPORTING", finding.Warning,
			"No pointed diagnosis supports 0620T", "Point the line at a diagnosis from the policy list", "MEDICARE PART B", "12202", "Medicare"),
		line("in/mon/batch-a.837", 0, evilClaimID, 1, 60, 4100, "LINE-UNITS", finding.Error,
			"0620T is billed with 3 units; expected 1", "Bill 1 unit", evilPayer, "99999", "Other"),
		line("in/mon/batch-b.837", 1, "CLM-2002", 2, 18, 950, "MOD-LATERALITY-MISSING", finding.Error,
			"0620T is billed without RT or LT", "Add RT or LT for the treated side", "AETNA", "60054", "Aetna"),
		line("in/mon/batch-b.837", 1, "CLM-2003", 1, 44, 2600, "LINE-POS-ATYPICAL", finding.Info,
			"Place of service 11 is atypical for 0620T", "Check the place of service", "BLUE CROSS OF TEXAS", "84980", "BCBS"),
	}
	fs[2].Procedure = evilCode
	fs[2].Units = "3"
	fs[4].Modifiers = nil
	fs[4].PlaceOfService = "11"
	return &Report{
		Run: Run{
			ID:          "run-2026-03-02",
			ToolVersion: "v0.9.0",
			Rules:       RulesInfo{Name: "0620T-policy", Version: "2026.1", Procedure: "0620T", SHA256: strings.Repeat("ab", 32), SeedOnly: true},
			StartedAt:   time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC),
			FinishedAt:  time.Date(2026, 3, 2, 6, 1, 30, 0, time.UTC),
		},
		Summary: Summary{
			Files: 3, FilesFailed: 1, Interchanges: 2, Transactions: 2,
			Claims: 120, ServiceLines: 310, TargetClaims: 8, TargetLines: 9, CleanTargetClaims: 4,
			FindingsBySeverity: map[string]int{"error": 3, "warning": 1, "info": 1},
			FindingsByRule: map[string]int{"MOD-LATERALITY-MISSING": 2, "DX-NOT-SUPPORTING": 1,
				"LINE-UNITS": 1, "LINE-POS-ATYPICAL": 1},
			TargetClaimsByPayerGroup:      map[string]int{"Medicare": 4, "Aetna": 2, "BCBS": 1, "Other": 1},
			HeldTargetClaimsByPayerGroup:  map[string]int{"Medicare": 1, "Aetna": 1, "Other": 1},
			CleanTargetClaimsByPayerGroup: map[string]int{"Medicare": 2, "Aetna": 1, "BCBS": 1},
		},
		Files: []File{
			{Path: "in/mon/batch-a.837", Bytes: 5000, SHA256: "aa", Status: "ok", Transactions: 1, Claims: 70},
			{Path: "in/mon/batch-b.837", Bytes: 3000, SHA256: "bb", Status: "ok", Transactions: 1, Claims: 50},
			{Path: "in/mon/<broken>.837", Bytes: 12, SHA256: "cc", Status: "failed", Error: `no ISA segment at byte 0 ("<x>")`},
		},
		Findings: fs,
	}
}

// manyFindingsReport has n findings over a few rules, in report order.
func manyFindingsReport(n int) *Report {
	r := analystReport()
	rules := []struct {
		id  string
		sev finding.Severity
	}{{"LINE-UNITS", finding.Error}, {"DX-NOT-SUPPORTING", finding.Warning}, {"LINE-POS-ATYPICAL", finding.Info}}
	r.Findings = make([]finding.Finding, 0, n)
	for i := 0; i < n; i++ {
		ru := rules[i%len(rules)]
		r.Findings = append(r.Findings, finding.Finding{
			File: "in/big.837", ClaimID: fmt.Sprintf("C%06d", i), LineNumber: 1,
			SegmentNumber: int64(10 + i), ByteOffset: int64(100 * i),
			RuleID: ru.id, Severity: ru.sev, Message: "m", Procedure: "0620T", PayerGroup: "Medicare",
		})
	}
	return r
}

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
	if !ok || f.FileName != "report.html" {
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
	// One script element only: ours.
	if n := strings.Count(strings.ToLower(page), "<script"); n != 1 {
		t.Errorf("page has %d <script elements, want 1", n)
	}
	// No event-handler attribute anywhere (attribute values, where escaped
	// input text lives, are left out of the search).
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
	// src and href attributes may only hold data: URLs.
	for _, m := range regexp.MustCompile(`(?i)\s(?:src|href|action|xlink:href)\s*=\s*"([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(m[1], "data:") {
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
	// The hash allows exactly the inline script as written.
	if !strings.Contains(page, "<script>"+htmlScript+"</script>") {
		t.Error("inline script differs from the hashed text")
	}
}

func TestHTMLSummaryAndCharts(t *testing.T) {
	page := htmlString(t, analystReport())
	for _, want := range []string{
		`id="run-id">run-2026-03-02</b>`,
		"2026-03-02 06:00:00 UTC", "took 1m30s", "0620T-policy 2026.1", "--seed-only",
		`<div class="k">0620T claims</div>`, `<div class="v">120</div>`, "310 service lines", "9 0620T lines",
		`<div class="k">Clean 0620T claims</div>`, "50.0% of 0620T claims",
		"Files that failed or were skipped (1 of 3)", "no ISA segment at byte 0",
		`<svg class="chart" id="chart-rules"`, `<svg class="chart" id="chart-payers"`, `<svg class="chart" id="chart-files"`,
		`class="s-error"`, `class="s-warning"`, `class="s-info"`, `class="s-held"`, `class="s-clean"`,
		"MOD-LATERALITY-MISSING: 2 findings (2 error)",
		"Medicare: 4 0620T claims, 1 held, 2 clean",
		`<option value="MOD-LATERALITY-MISSING">MOD-LATERALITY-MISSING (2)</option>`,
		`<option value="Medicare">Medicare (2)</option>`,
		"Add RT or LT for the treated side", "DOS 2026-01-05", "Dx ptr 1:2 → I5022, I10",
		"member ******4321",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "W987654321") {
		t.Error("member ID shown whole without ShowIDs")
	}
	if got := strings.Count(page, `<tr class="f `); got != 5 {
		t.Errorf("%d finding rows, want 5", got)
	}
	if strings.Contains(page, `class="grp"`) {
		t.Error("a small run is grouped")
	}

	r := analystReport()
	r.ShowIDs = true
	if !strings.Contains(htmlString(t, r), "member W987654321") {
		t.Error("ShowIDs: member ID not shown whole")
	}
}

func TestHTMLTargetCode(t *testing.T) {
	r := analystReport()
	if got := targetCode(r); got != "0620T" {
		t.Errorf("the pack's procedure: %q", got)
	}
	r.Run.Rules.Procedure = ""
	if got := targetCode(r); got != "Target" {
		t.Errorf("no procedure: %q", got)
	}
}

func TestHTMLEmptyRun(t *testing.T) {
	page := htmlString(t, &Report{Run: Run{ID: "empty"}})
	for _, want := range []string{`id="no-findings"`, "All 0 files were read.", "No findings.", "<script>"} {
		if !strings.Contains(page, want) {
			t.Errorf("empty run: page lacks %q", want)
		}
	}
	if strings.Contains(page, `id="findings"`) {
		t.Error("empty run has a findings table")
	}
}

func TestHTMLDeterministic(t *testing.T) {
	for _, r := range []*Report{analystReport(), manyFindingsReport(HTMLFlatLimit + 7)} {
		first := htmlString(t, r)
		for i := 0; i < 5; i++ {
			if htmlString(t, r) != first {
				t.Fatal("two writes of the same report differ")
			}
		}
	}
}

func TestHTMLFlatAtLimit(t *testing.T) {
	page := htmlString(t, manyFindingsReport(HTMLFlatLimit))
	if got := strings.Count(page, `<tr class="f `); got != HTMLFlatLimit {
		t.Errorf("%d rows at the limit, want %d", got, HTMLFlatLimit)
	}
	if strings.Contains(page, `id="grouped-note"`) {
		t.Error("grouped at the limit")
	}
}

func TestHTMLGroupsLargeRuns(t *testing.T) {
	n := HTMLFlatLimit + 1
	page := htmlString(t, manyFindingsReport(n))
	if !strings.Contains(page, `id="grouped-note"`) || !strings.Contains(page, "5,001 findings, more than 5,000") {
		t.Error("no note that the table is grouped")
	}
	if got, want := strings.Count(page, `<tr class="f `), 3*HTMLRowsPerRule; got != want {
		t.Errorf("%d rows, want %d (%d per rule)", got, want, HTMLRowsPerRule)
	}
	if got := strings.Count(page, `<tbody class="grp"`); got != 3 {
		t.Errorf("%d groups, want 3", got)
	}
	// Worst severity first, each with its full count.
	e := strings.Index(page, `data-rule="LINE-UNITS">`+"\n"+`<tr class="g">`)
	w := strings.Index(page, `data-rule="DX-NOT-SUPPORTING">`+"\n"+`<tr class="g">`)
	i := strings.Index(page, `data-rule="LINE-POS-ATYPICAL">`+"\n"+`<tr class="g">`)
	if e < 0 || w < 0 || i < 0 || !(e < w && w < i) {
		t.Errorf("group order: error %d, warning %d, info %d", e, w, i)
	}
	if got := strings.Count(page, "1,667 findings · first 100 shown"); got != 3 {
		t.Errorf("%d group headings with the rule's count, want 3", got)
	}
	// The first rows of each rule, in report order: C000000, C000003, ...
	if !strings.Contains(page, ">C000000<") || !strings.Contains(page, ">C000297<") || strings.Contains(page, ">C000300<") {
		t.Error("grouped rows are not the first of each rule")
	}
	// The rule chart still counts every finding.
	if !strings.Contains(page, "LINE-UNITS: 1,667 findings (1,667 error)") {
		t.Error("chart does not count all findings")
	}
}

func TestHTMLHelpers(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1234: "-1,234"} {
		if got := fmtThousands(n); got != want {
			t.Errorf("fmtThousands(%d) = %q", n, got)
		}
	}
	for _, c := range [][3]string{{"1", "8", "12.5%"}, {"2", "3", "66.7%"}, {"0", "5", "0.0%"}, {"5", "5", "100.0%"}} {
		var a, b int
		fmt.Sscan(c[0], &a)
		fmt.Sscan(c[1], &b)
		if got := htmlPercent(a, b); got != c[2] {
			t.Errorf("htmlPercent(%d, %d) = %q", a, b, got)
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
