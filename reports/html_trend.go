package reports

import (
	"strconv"
	"time"
)

// TrendRun is an earlier run as the claim history keeps it (--history):
// report.html draws the target claims of the last runs, this one
// included, by status.
type TrendRun struct {
	ID                               string
	Started                          time.Time
	ExitCode                         int
	Files, FilesFailed, FilesSkipped int
	TargetClaims                     int
	Held, Review, Ready, Void        int
}

// htmlTrend is the trend chart: one column a run, oldest on the left,
// its target claims stacked by status (held at the bottom, where a rise
// shows first).
type htmlTrend struct {
	Title, Sub     string
	Width, Height  int
	Legend         []htmlLegend
	Ticks          []htmlTick // the count axis, with grid lines
	Cols           []htmlCol
	Labels         []htmlTick // dates under the columns
	PlotX, PlotEnd int
	Note           string
}

type htmlTick struct {
	X, Y   string
	Label  string
	Anchor string // text-anchor of a date label
}

type htmlCol struct {
	Tip  string
	Segs []htmlColSeg
	// Outline, when set, frames this run's column.
	Outline *htmlColSeg
	// Empty marks a run without target claims on the baseline.
	Empty *htmlColSeg
}

type htmlColSeg struct {
	X, W, Y, H, Class string
}

// trend chart geometry, in SVG user units (as the other charts)
const (
	trendWidth  = chartWidth
	trendTop    = 30  // below the legend
	trendPlotH  = 130 // the columns' height at the largest run
	trendPlotX  = 44  // left of it: the axis labels
	trendLabelH = 18  // below it: the dates
)

// trendChart draws earlier (oldest first, at most 29) and this run; nil
// when the run has no history.
func trendChart(r *Report, t Totals, target string) *htmlTrend {
	if r.Trend == nil {
		return nil
	}
	runs := make([]TrendRun, 0, len(r.Trend)+1)
	runs = append(runs, r.Trend...)
	runs = append(runs, TrendRun{
		ID: r.Run.ID, Started: r.Run.StartedAt, TargetClaims: t.Total(),
		Held: t.Held, Review: t.Review, Ready: t.Ready, Void: t.Void,
	})
	classes := []string{"s-held", "s-review", "s-void", "s-clean"}
	labels := []string{"held", "review", "void", "ready"}
	c := &htmlTrend{
		Title: target + " claims, run by run",
		Sub: "The last " + htmlPlural(len(runs), "run", "runs") + " in the claim history, this one on the right (outlined): " +
			"each run's " + target + " claims by what became of them.",
		Width: trendWidth, Height: trendTop + trendPlotH + trendLabelH + 4,
		PlotX: trendPlotX, PlotEnd: trendWidth - 4,
	}
	baseY := trendTop + trendPlotH
	if len(runs) == 1 {
		c.Note = "This is the first run in the history: the chart grows a column a run."
	}
	x := trendPlotX
	for i := range classes {
		c.Legend = append(c.Legend, htmlLegend{X: x, TX: x + 14, Class: classes[i], Label: labels[i]})
		x += 14 + 7*len(labels[i]) + 16
	}
	most := 0
	for _, run := range runs {
		most = max(most, run.Held+run.Review+run.Void+run.Ready)
	}
	top := niceCeil(most)
	for _, v := range []int{0, top / 2, top} {
		if v == 0 && top == 0 {
			continue
		}
		y := float64(baseY) - float64(v)/float64(max(top, 1))*trendPlotH
		c.Ticks = append(c.Ticks, htmlTick{X: strconv.Itoa(trendPlotX - 6), Y: svgNum(y), Label: fmtThousands(int64(v))})
	}
	// Columns share the plot width; a few runs do not make fat columns.
	plotW := float64(c.PlotEnd - c.PlotX)
	slot := plotW / float64(max(len(runs), 12))
	colW := slot * 0.7
	left := float64(c.PlotEnd) - slot*float64(len(runs)) // a short history sits on the right
	every := (len(runs) + 5) / 6                         // about six date labels
	for i, run := range runs {
		this := i == len(runs)-1
		x := left + slot*float64(i) + (slot-colW)/2
		col := htmlCol{Tip: trendTip(run, target, this)}
		y := float64(baseY)
		for j, v := range []int{run.Held, run.Review, run.Void, run.Ready} {
			if v <= 0 || top == 0 {
				continue
			}
			h := float64(v) / float64(top) * trendPlotH
			y -= h
			col.Segs = append(col.Segs, htmlColSeg{X: svgNum(x), W: svgNum(colW), Y: svgNum(y), H: svgNum(h), Class: classes[j]})
		}
		if len(col.Segs) == 0 {
			col.Empty = &htmlColSeg{X: svgNum(x), W: svgNum(colW), Y: svgNum(float64(baseY) - 2), H: "2", Class: "track"}
			y -= 2
		}
		if this {
			col.Outline = &htmlColSeg{X: svgNum(x - 2), W: svgNum(colW + 4), Y: svgNum(y - 2), H: svgNum(float64(baseY) - y + 2)}
		}
		c.Cols = append(c.Cols, col)
		// Dates every few runs, counted from this run, which is always
		// labelled.
		if back := len(runs) - 1 - i; back%every == 0 && (back == 0 || back > every/2) {
			label := htmlTick{X: svgNum(x + colW/2), Y: strconv.Itoa(baseY + 14), Label: run.Started.UTC().Format("01-02"), Anchor: "middle"}
			if this {
				// Flush right: the column is at the chart's edge.
				label.X, label.Label, label.Anchor = svgNum(x+colW+2), "this run", "end"
			}
			c.Labels = append(c.Labels, label)
		}
	}
	return c
}

// trendTip is a column's tooltip.
func trendTip(run TrendRun, target string, this bool) string {
	name := "run " + run.ID
	if this {
		name = "this run, " + run.ID
	}
	tip := name + ", " + htmlTime(run.Started) + ": " + htmlPlural(run.Held+run.Review+run.Void+run.Ready, target+" claim", target+" claims") +
		" (" + fmtThousands(int64(run.Held)) + " held, " + fmtThousands(int64(run.Review)) + " review, " +
		fmtThousands(int64(run.Void)) + " void, " + fmtThousands(int64(run.Ready)) + " ready)"
	if !this {
		tip += "; " + htmlPlural(run.Files, "file", "files")
		if run.FilesSkipped > 0 {
			tip += ", " + fmtThousands(int64(run.FilesSkipped)) + " skipped"
		}
		if run.FilesFailed > 0 {
			tip += ", " + fmtThousands(int64(run.FilesFailed)) + " failed"
		}
		tip += "; exit " + strconv.Itoa(run.ExitCode)
	}
	return tip
}

// niceCeil rounds n up to a multiple of half its power of ten (290 to
// 300, 12,345 to 15,000), so the axis reads in round numbers and the
// tallest column fills most of it.
func niceCeil(n int) int {
	if n <= 0 {
		return 0
	}
	step := 1
	for step*10 <= n {
		step *= 10
	}
	if step >= 10 {
		step /= 2
	}
	return (n + step - 1) / step * step
}
