package reports

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// trendReport is analystReport with a history of n earlier runs: run i has
// 10*(i+1) target claims, i+1 of them held.
func trendReport(n int) *Report {
	r := analystReport()
	r.Trend = []TrendRun{}
	for i := range n {
		r.Trend = append(r.Trend, TrendRun{
			ID: "night-" + string(rune('a'+i%26)), Started: time.Date(2026, 1, 1+i, 3, 15, 0, 0, time.UTC),
			Files: 4, FilesSkipped: 1, ExitCode: 1, TargetClaims: 10 * (i + 1),
			Held: i + 1, Review: 2, Void: 1, Ready: 10*(i+1) - i - 4,
		})
	}
	return r
}

var trendColumn = regexp.MustCompile(`(?s)<g><title>([^<]*)</title>(.*?)</g>`)

// trendSVG is the trend chart of page, "" when it has none.
func trendSVG(page string) string {
	start := strings.Index(page, `<svg class="chart" id="chart-trend"`)
	if start < 0 {
		return ""
	}
	end := strings.Index(page[start:], "</svg>")
	return page[start : start+end]
}

func TestHTMLTrendOnlyWithAHistory(t *testing.T) {
	if svg := trendSVG(htmlString(t, analystReport())); svg != "" {
		t.Errorf("a report without a history has a trend chart:\n%s", svg)
	}
	page := htmlString(t, trendReport(0))
	svg := trendSVG(page)
	if svg == "" {
		t.Fatal("a report with an empty history has no trend chart")
	}
	if cols := trendColumn.FindAllStringSubmatch(svg, -1); len(cols) != 1 || !strings.Contains(cols[0][1], "this run") {
		t.Errorf("the first run's chart should have one column, this run's: %q", cols)
	}
	if !strings.Contains(page, "first run in the history") {
		t.Error("the first run's chart does not say it is the first")
	}
}

func TestHTMLTrendColumns(t *testing.T) {
	r := trendReport(29)
	tot, err := r.Totals()
	if err != nil {
		t.Fatal(err)
	}
	svg := trendSVG(htmlString(t, r))
	cols := trendColumn.FindAllStringSubmatch(svg, -1)
	if len(cols) != 30 {
		t.Fatalf("%d columns, want 30 (29 earlier runs and this one)", len(cols))
	}
	// Oldest first; this run last, outlined, with its own counts.
	if !strings.HasPrefix(cols[0][1], "run night-a, 2026-01-01 03:15 UTC: 10 0620T claims (1 held, 2 review, 1 void, 6 ready); 4 files, 1 skipped; exit 1") {
		t.Errorf("first column: %q", cols[0][1])
	}
	last := cols[29]
	want := "this run, " + r.Run.ID
	if !strings.HasPrefix(last[1], want) || !strings.Contains(last[1], htmlPlural(tot.Total(), "0620T claim", "0620T claims")) ||
		!strings.Contains(last[1], fmtThousands(int64(tot.Held))+" held") {
		t.Errorf("last column %q: want this run's %d claims, %d held", last[1], tot.Total(), tot.Held)
	}
	if strings.Count(svg, `class="outline"`) != 1 || !strings.Contains(last[2], `class="outline"`) {
		t.Error("only this run's column should be outlined")
	}
	// Held sits at the bottom of each column, and the tallest column (290
	// claims) reaches the top of the axis (300: rounded up).
	heights := map[string]float64{}
	for _, col := range cols[:29] {
		segs := regexp.MustCompile(`height="([0-9.]+)" class="(s-[a-z]+)"`).FindAllStringSubmatch(col[2], -1)
		if len(segs) == 0 || segs[0][2] != "s-held" {
			t.Fatalf("column %q: held is not the first (bottom) segment: %v", col[1], segs)
		}
		for _, s := range segs {
			h, err := strconv.ParseFloat(s[1], 64)
			if err != nil {
				t.Fatal(err)
			}
			heights[col[1]] += h
		}
	}
	tallest := heights[cols[28][1]]
	if want := 290.0 / 300 * trendPlotH; tallest < want-0.1 || tallest > want+0.1 {
		t.Errorf("the tallest column is %.2f high, want %.2f", tallest, want)
	}
	if !strings.Contains(svg, ">300</text>") || !strings.Contains(svg, ">150</text>") {
		t.Error("the axis does not read 0, 150, 300")
	}
	if n := strings.Count(svg, `text-anchor="middle"`) + strings.Count(svg, `text-anchor="end" class="vl">this run<`); n < 5 || n > 7 {
		t.Errorf("%d date labels (want about six, this run's included)", n)
	}
}

func TestNiceCeil(t *testing.T) {
	for n, want := range map[int]int{0: 0, 1: 1, 3: 3, 7: 7, 10: 10, 11: 15, 199: 200, 201: 250, 290: 300, 12345: 15000} {
		if got := niceCeil(n); got != want {
			t.Errorf("niceCeil(%d) = %d, want %d", n, got, want)
		}
	}
}
