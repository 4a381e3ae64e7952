package reports

import (
	"bufio"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"html/template"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/scrub837/scrub837/scrubber/finding"
)

func init() {
	Register(Format{Name: "html", FileName: "report.html", Write: WriteHTML})
}

// HTMLFlatLimit is the most findings the HTML table lists one by one. A run
// with more gets a table grouped by rule that lists the first
// HTMLRowsPerRule findings of each rule, with the rule's count, so that the
// page stays usable in a browser; the CSV and JSON reports have them all.
const (
	HTMLFlatLimit   = 5000
	HTMLRowsPerRule = 100
)

// Charts show at most this many bars; the rest are counted in a note.
const (
	htmlChartMaxRules = 25
	htmlChartMaxFiles = 20
)

//go:embed html_template.html
var htmlTemplateText string

// htmlScript is the page's only script, inlined and allowed by its hash in
// the page's Content-Security-Policy: nothing else can run, even if some
// input text were ever to escape the template's escaping.
//
//go:embed html_script.js
var htmlScript string

// htmlCSP forbids every load from outside the page: the report opens from a
// shared drive or an e-mail attachment and must not call out.
var htmlCSP = "default-src 'none'; script-src 'sha256-" + scriptHash(htmlScript) + "'; " +
	"style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

var htmlTemplate = template.Must(template.New("report.html").Parse(htmlTemplateText))

func scriptHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// WriteHTML writes r as report.html: one self-contained page (inline CSS,
// inline SVG charts drawn here, a small inline script for sorting and
// filtering) that loads nothing from anywhere. Every text from the input
// files goes through html/template's contextual escaping. The output depends
// on r only: no clock, no map order.
//
// The page needs every finding at once (counts, charts, groups), so findings
// from a Source are read into memory here: html is for runs an analyst reads,
// and past 5,000 findings it shows the first rows of each rule.
func WriteHTML(w io.Writer, r *Report) error {
	r, err := r.inMemory()
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := htmlTemplate.Execute(bw, newHTMLPage(r)); err != nil {
		return err
	}
	return bw.Flush()
}

type htmlPage struct {
	Title     string
	CSP       string
	Script    template.JS
	Target    string
	Run       htmlRun
	Cards     []htmlCard
	FileCount string
	Problems  []File
	Charts    []htmlChart

	Filters       htmlFilters
	Rows          bool // any finding at all
	Grouped       bool
	Groups        []htmlGroup
	TotalText     string
	FlatLimitText string
	PerRule       int
}

type htmlRun struct {
	ID, ToolVersion, Pack   string
	SeedOnly                bool
	Started, Finished, Took string
	SHA256, SHA256Short     string
}

type htmlCard struct {
	ID, Label, Value, Note, Class string
	NoteClass                     string
	Sev                           *htmlSevCounts
	Share                         string // width of the share bar, 0-100; "" for none
}

type htmlSevCounts struct{ Error, Warning, Info string }

type htmlOption struct{ Value, Label string }

type htmlFilters struct {
	Rules, Severities, PayerGroups, Files []htmlOption
}

type htmlGroup struct {
	Rule, Sev, CountText string
	Cut                  bool
	Rows                 []htmlRow
}

type htmlRow struct {
	I                   int
	Sev, SevShort       string
	SevRank             int
	ClaimID, Member, ST string
	Line                string
	LineK               string
	Rule, Source        string
	Message, Suggestion string
	Procedure           string
	Modifiers           []string
	Detail, Dx          string
	Payer, PayerNote    string
	PG                  string
	File, Where         string
}

// noPayerGroup is what the page shows for a finding without a payer group
// (file- and envelope-level findings).
const noPayerGroup = "(none)"

func newHTMLPage(r *Report) *htmlPage {
	target := targetCode(r)
	p := &htmlPage{
		Title:         target + " claim scrub · run " + r.Run.ID,
		CSP:           htmlCSP,
		Script:        template.JS(htmlScript),
		Target:        target,
		Run:           newHTMLRun(r),
		FileCount:     fmtThousands(int64(r.Summary.Files)),
		Rows:          len(r.Findings) > 0,
		TotalText:     fmtThousands(int64(len(r.Findings))),
		FlatLimitText: fmtThousands(HTMLFlatLimit),
		PerRule:       HTMLRowsPerRule,
	}
	for _, f := range r.Files {
		if f.Status != "ok" && f.Status != "" {
			p.Problems = append(p.Problems, f)
		}
	}
	sev := tallySeverities(r.Findings)
	p.Cards = htmlCards(r, target, sev)
	p.Charts = []htmlChart{
		ruleChart(r),
		payerChart(r, target),
		fileChart(r),
	}
	p.Filters = htmlFilterOptions(r)
	p.Grouped = len(r.Findings) > HTMLFlatLimit
	p.Groups = htmlGroups(r, p.Grouped)
	return p
}

func newHTMLRun(r *Report) htmlRun {
	run := htmlRun{
		ID:          r.Run.ID,
		ToolVersion: r.Run.ToolVersion,
		Pack:        strings.TrimSpace(r.Run.Rules.Name + " " + r.Run.Rules.Version),
		SeedOnly:    r.Run.Rules.SeedOnly,
		Started:     htmlTime(r.Run.StartedAt),
		Finished:    htmlTime(r.Run.FinishedAt),
		SHA256:      r.Run.Rules.SHA256,
		SHA256Short: r.Run.Rules.SHA256,
	}
	if run.Pack == "" {
		run.Pack = "(unnamed)"
	}
	if utf8.RuneCountInString(run.SHA256Short) > 16 {
		run.SHA256Short = string([]rune(run.SHA256Short)[:16]) + "…"
	}
	if !r.Run.StartedAt.IsZero() && !r.Run.FinishedAt.IsZero() && !r.Run.FinishedAt.Before(r.Run.StartedAt) {
		run.Took = "took " + htmlDuration(r.Run.FinishedAt.Sub(r.Run.StartedAt))
	}
	return run
}

func htmlTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05") + " UTC"
}

func htmlDuration(d time.Duration) string {
	if d < time.Second {
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	}
	return d.Round(time.Second).String()
}

// sevTally holds finding counts by severity: error, warning, info, and
// anything else.
type sevTally [4]int

func sevSlot(s finding.Severity) int {
	switch s {
	case finding.Error:
		return 0
	case finding.Warning:
		return 1
	case finding.Info:
		return 2
	}
	return 3
}

var sevSlotNames = [4]string{"error", "warning", "info", "unknown"}

func (c *sevTally) total() int { return c[0] + c[1] + c[2] + c[3] }

func tallySeverities(fs []finding.Finding) sevTally {
	var c sevTally
	for i := range fs {
		c[sevSlot(fs[i].Severity)]++
	}
	return c
}

func htmlCards(r *Report, target string, sev sevTally) []htmlCard {
	s := &r.Summary
	files := htmlCard{ID: "t-files", Label: "Files", Value: fmtThousands(int64(s.Files)), Note: "all read"}
	if s.FilesFailed > 0 {
		files.Note = fmtThousands(int64(s.FilesFailed)) + " failed"
		files.NoteClass = "e"
	}
	clean := htmlCard{ID: "t-clean", Label: "Clean " + target + " claims", Value: fmtThousands(int64(s.CleanTargetClaims))}
	if s.TargetClaims > 0 {
		pct := htmlPercent(s.CleanTargetClaims, s.TargetClaims)
		clean.Note = pct + " of " + target + " claims"
		clean.Share = pct[:len(pct)-1]
		clean.Class = "good"
	} else {
		clean.Note = "no " + target + " claims"
	}
	held := sumByGroup(s.HeldTargetClaimsByPayerGroup)
	heldCard := htmlCard{ID: "t-held", Label: "Held " + target + " claims", Value: fmtThousands(int64(held)), Note: "with an error finding"}
	if held > 0 {
		heldCard.Class = "bad"
	}
	return []htmlCard{
		files,
		{ID: "t-claims", Label: "Claims", Value: fmtThousands(int64(s.Claims)), Note: fmtThousands(int64(s.ServiceLines)) + " service lines"},
		{ID: "t-target", Label: target + " claims", Value: fmtThousands(int64(s.TargetClaims)), Note: fmtThousands(int64(s.TargetLines)) + " " + target + " lines"},
		clean,
		heldCard,
		{ID: "t-findings", Label: "Findings", Value: fmtThousands(int64(sev.total())), Sev: &htmlSevCounts{
			Error:   fmtThousands(int64(sev[0])),
			Warning: fmtThousands(int64(sev[1])),
			Info:    fmtThousands(int64(sev[2])),
		}},
	}
}

// htmlPercent is part/whole as a percentage with one decimal, rounded half up:
// "87.5%".
func htmlPercent(part, whole int) string {
	if whole <= 0 {
		return "—"
	}
	p := (int64(part)*1000 + int64(whole)/2) / int64(whole)
	return strconv.FormatInt(p/10, 10) + "." + strconv.FormatInt(p%10, 10) + "%"
}

func sumByGroup(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// htmlPlural is n and the noun that fits it: "1 file", "2 files".
func htmlPlural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmtThousands(int64(n)) + " " + many
}

// fmtThousands writes n with thousands separators: 1,234,567.
func fmtThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// targetCode names the procedure the run is about ("0620T"): the rule
// pack's, else "Target".
func targetCode(r *Report) string {
	if p := r.Run.Rules.Procedure; p != "" {
		return p
	}
	return "Target"
}

// Charts.

type htmlChart struct {
	ID, Title, Sub string
	Width, Height  int
	Legend         []htmlLegend
	Bars           []htmlBar
	More           string
	Empty          string
}

type htmlLegend struct {
	X, TX        int
	Class, Label string
}

type htmlBar struct {
	Label, Tip             string
	Set, Value             string // filter this bar sets when clicked
	LabelX, TrackX, TrackW int
	Y, H, TextY            int
	Segs                   []htmlSeg
	Total                  string
	TotalX                 string
}

type htmlSeg struct {
	X, W, Class string
}

// chart geometry, in SVG user units (about CSS pixels: a chart card is
// about this wide on a laptop screen)
const (
	chartWidth  = 460
	chartLabelW = 172 // right edge of the labels
	chartBarX   = 180
	chartTop    = 26
	chartRow    = 24
	chartBarH   = 16
	chartLabelN = 25 // runes of a label before it is cut
	chartCharW  = 7  // width of a digit or letter of the value labels
)

type chartItem struct {
	label, tip  string
	set, value  string
	segs        []int // in legend order
	totalSuffix string
}

func chartLegend(classes, labels []string) []htmlLegend {
	var out []htmlLegend
	x := chartBarX
	for i := range classes {
		out = append(out, htmlLegend{X: x, TX: x + 14, Class: classes[i], Label: labels[i]})
		x += 14 + 7*utf8.RuneCountInString(labels[i]) + 16
	}
	return out
}

func newChart(id, title, sub, empty string, classes, labels []string, items []chartItem, more string) htmlChart {
	c := htmlChart{ID: id, Title: title, Sub: sub, Width: chartWidth, Empty: empty, More: more}
	if len(items) == 0 {
		return c
	}
	c.Legend = chartLegend(classes, labels)
	most, totalLen := 0, 0
	totals := make([]string, len(items))
	for i, it := range items {
		t := 0
		for _, v := range it.segs {
			t += v
		}
		most = max(most, t)
		totals[i] = fmtThousands(int64(t)) + it.totalSuffix
		if n := utf8.RuneCountInString(totals[i]); n > totalLen {
			totalLen = n
		}
	}
	// The bars take what the labels on both sides leave.
	barMaxW := max(chartWidth-chartBarX-10-chartCharW*totalLen, 80)
	for i, it := range items {
		y := chartTop + i*chartRow
		bar := htmlBar{
			Label: it.label, Tip: it.tip, Set: it.set, Value: it.value,
			LabelX: chartLabelW, TrackX: chartBarX, TrackW: barMaxW,
			Y: y, H: chartBarH, TextY: y + 12,
			Total: totals[i], TotalX: svgNum(float64(chartBarX + barMaxW + 6)),
		}
		x := float64(chartBarX)
		for j, v := range it.segs {
			if v == 0 {
				continue
			}
			w := float64(v) / float64(most) * float64(barMaxW)
			bar.Segs = append(bar.Segs, htmlSeg{X: svgNum(x), W: svgNum(w), Class: classes[j]})
			x += w
		}
		c.Bars = append(c.Bars, bar)
	}
	c.Height = chartTop + len(items)*chartRow + 2
	return c
}

// svgNum writes v with at most two decimals and no trailing zeros.
func svgNum(v float64) string {
	return strconv.FormatFloat(float64(int64(v*100+0.5))/100, 'f', -1, 64)
}

// cutLabel shortens s to n runes, cutting the end ("…" at the end).
func cutLabel(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// cutPath shortens a path to n runes, keeping its end (the file name).
func cutPath(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return "…" + string(r[len(r)-(n-1):])
}

var sevClasses = []string{"s-error", "s-warning", "s-info", "s-unknown"}
var sevLabels = []string{"error", "warning", "info", "unknown"}

// sevLegend drops the "unknown" series when no finding has an unknown
// severity.
func sevLegend(items []chartItem) ([]string, []string, []chartItem) {
	unknown := false
	for _, it := range items {
		if it.segs[3] > 0 {
			unknown = true
		}
	}
	if unknown {
		return sevClasses, sevLabels, items
	}
	for i := range items {
		items[i].segs = items[i].segs[:3]
	}
	return sevClasses[:3], sevLabels[:3], items
}

func sevTip(name string, c sevTally) string {
	var parts []string
	for i, n := range c {
		if n > 0 {
			parts = append(parts, fmtThousands(int64(n))+" "+sevSlotNames[i])
		}
	}
	return name + ": " + fmtThousands(int64(c.total())) + " findings (" + strings.Join(parts, ", ") + ")"
}

type ruleCount struct {
	rule string
	c    sevTally
}

// tallyBy counts findings by severity for each key, in order of first
// appearance (ruleCount.rule holds the key).
func tallyBy(fs []finding.Finding, key func(*finding.Finding) string) []ruleCount {
	idx := map[string]int{}
	var out []ruleCount
	for i := range fs {
		f := &fs[i]
		k := key(f)
		j, ok := idx[k]
		if !ok {
			j = len(out)
			idx[k] = j
			out = append(out, ruleCount{rule: k})
		}
		out[j].c[sevSlot(f.Severity)]++
	}
	return out
}

func countByRule(fs []finding.Finding) []ruleCount {
	out := tallyBy(fs, func(f *finding.Finding) string { return f.RuleID })
	sort.SliceStable(out, func(a, b int) bool {
		ta, tb := out[a].c.total(), out[b].c.total()
		if ta != tb {
			return ta > tb
		}
		return out[a].rule < out[b].rule
	})
	return out
}

func ruleChart(r *Report) htmlChart {
	rules := countByRule(r.Findings)
	var items []chartItem
	more := ""
	for i, rc := range rules {
		if i == htmlChartMaxRules {
			rest, restRules := 0, len(rules)-i
			for _, x := range rules[i:] {
				rest += x.c.total()
			}
			more = htmlPlural(restRules, "more rule", "more rules") + " with " + htmlPlural(rest, "finding", "findings") + " not drawn."
			break
		}
		items = append(items, chartItem{
			label: cutLabel(rc.rule, chartLabelN), tip: sevTip(rc.rule, rc.c),
			set: "rule", value: rc.rule, segs: append([]int(nil), rc.c[:]...),
		})
	}
	classes, labels, items := sevLegend(items)
	return newChart("chart-rules", "Findings by rule",
		"Stacked by severity; most frequent first. Click a bar to filter the table.",
		"No findings.", classes, labels, items, more)
}

func payerChart(r *Report, target string) htmlChart {
	s := &r.Summary
	type group struct {
		name               string
		total, held, clean int
	}
	var groups []group
	for name, n := range s.TargetClaimsByPayerGroup {
		groups = append(groups, group{name: name, total: n, held: s.HeldTargetClaimsByPayerGroup[name]})
	}
	// Held claims in a group with no total (should not happen) still show.
	for name, n := range s.HeldTargetClaimsByPayerGroup {
		if _, ok := s.TargetClaimsByPayerGroup[name]; !ok && n > 0 {
			groups = append(groups, group{name: name, total: n, held: n})
		}
	}
	withClean := s.CleanTargetClaimsByPayerGroup != nil
	for i := range groups {
		if withClean {
			groups[i].clean = s.CleanTargetClaimsByPayerGroup[groups[i].name]
		}
	}
	sort.Slice(groups, func(a, b int) bool {
		if groups[a].total != groups[b].total {
			return groups[a].total > groups[b].total
		}
		return groups[a].name < groups[b].name
	})
	var items []chartItem
	var classes, labels []string
	if withClean {
		classes = []string{"s-clean", "s-review", "s-held"}
		labels = []string{"clean", "warnings only", "held (error)"}
	} else {
		classes = []string{"s-notheld", "s-held"}
		labels = []string{"not held (no error)", "held (error)"}
	}
	for _, g := range groups {
		if g.total == 0 {
			continue
		}
		held := min(g.held, g.total)
		var segs []int
		tip := g.name + ": " + fmtThousands(int64(g.total)) + " " + target + " claims, " + fmtThousands(int64(held)) + " held"
		if withClean {
			clean := min(g.clean, g.total-held)
			segs = []int{clean, g.total - held - clean, held}
			tip += ", " + fmtThousands(int64(clean)) + " clean"
		} else {
			segs = []int{g.total - held, held}
		}
		items = append(items, chartItem{
			label: cutLabel(g.name, chartLabelN), tip: tip, set: "pg", value: g.name,
			segs: segs, totalSuffix: " · " + fmtThousands(int64(held)) + " held",
		})
	}
	sub := target + " claims in each payer group; held claims have at least one error finding."
	return newChart("chart-payers", target+" claims by payer group", sub,
		"No "+target+" claims in this run.", classes, labels, items, "")
}

func fileChart(r *Report) htmlChart {
	files := tallyBy(r.Findings, func(f *finding.Finding) string { return f.File }) // rule holds the file name
	// Most findings first; ties in input order.
	sort.SliceStable(files, func(a, b int) bool { return files[a].c.total() > files[b].c.total() })
	var items []chartItem
	more := ""
	for i, fc := range files {
		if i == htmlChartMaxFiles {
			rest := 0
			for _, x := range files[i:] {
				rest += x.c.total()
			}
			more = htmlPlural(len(files)-i, "more file", "more files") + " with " + htmlPlural(rest, "finding", "findings") + " not drawn."
			break
		}
		items = append(items, chartItem{
			label: cutPath(fc.rule, chartLabelN), tip: sevTip(fc.rule, fc.c),
			set: "file", value: fc.rule, segs: append([]int(nil), fc.c[:]...),
		})
	}
	if clean := r.Summary.Files - len(files); clean > 0 && len(files) > 0 {
		note := htmlPlural(clean, "file", "files") + " had no findings."
		if more != "" {
			more += " " + note
		} else {
			more = note
		}
	}
	classes, labels, items := sevLegend(items)
	return newChart("chart-files", "Findings by file",
		"Stacked by severity; most findings first. Click a bar to filter the table.",
		"No findings.", classes, labels, items, more)
}

// Table.

func htmlFilterOptions(r *Report) htmlFilters {
	var fl htmlFilters
	rules := countByRule(r.Findings)
	sort.Slice(rules, func(a, b int) bool { return rules[a].rule < rules[b].rule })
	for _, rc := range rules {
		fl.Rules = append(fl.Rules, htmlOption{Value: rc.rule, Label: rc.rule + " (" + fmtThousands(int64(rc.c.total())) + ")"})
	}
	sev := tallySeverities(r.Findings)
	for i, n := range sev {
		if n > 0 {
			fl.Severities = append(fl.Severities, htmlOption{Value: sevSlotNames[i], Label: sevSlotNames[i] + " (" + fmtThousands(int64(n)) + ")"})
		}
	}
	groups := map[string]int{}
	fileIdx := map[string]int{}
	var files []htmlOption
	var fileCounts []int
	for i := range r.Findings {
		f := &r.Findings[i]
		groups[payerGroupKey(f)]++
		j, ok := fileIdx[f.File]
		if !ok {
			j = len(files)
			fileIdx[f.File] = j
			files = append(files, htmlOption{Value: f.File})
			fileCounts = append(fileCounts, 0)
		}
		fileCounts[j]++
	}
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	sort.Strings(names)
	for _, g := range names {
		fl.PayerGroups = append(fl.PayerGroups, htmlOption{Value: g, Label: g + " (" + fmtThousands(int64(groups[g])) + ")"})
	}
	for j := range files {
		files[j].Label = cutPath(files[j].Value, 48) + " (" + fmtThousands(int64(fileCounts[j])) + ")"
	}
	fl.Files = files
	return fl
}

func payerGroupKey(f *finding.Finding) string {
	if f.PayerGroup == "" {
		return noPayerGroup
	}
	return f.PayerGroup
}

// htmlGroups puts the findings in table bodies: one body with every finding,
// or, when grouped, one body a rule (worst severity first, then most
// findings, then rule ID) with the rule's first HTMLRowsPerRule findings.
func htmlGroups(r *Report, grouped bool) []htmlGroup {
	if !grouped {
		g := htmlGroup{Rows: make([]htmlRow, 0, len(r.Findings))}
		for i := range r.Findings {
			g.Rows = append(g.Rows, newHTMLRow(r, i))
		}
		return []htmlGroup{g}
	}
	type acc struct {
		g     htmlGroup
		n     int
		worst int // sevSlot of the worst severity (lower is worse)
	}
	idx := map[string]int{}
	var accs []*acc
	for i := range r.Findings {
		f := &r.Findings[i]
		j, ok := idx[f.RuleID]
		if !ok {
			j = len(accs)
			idx[f.RuleID] = j
			accs = append(accs, &acc{g: htmlGroup{Rule: f.RuleID}, worst: len(sevSlotNames)})
		}
		a := accs[j]
		a.n++
		if s := sevSlot(f.Severity); s < a.worst {
			a.worst = s
		}
		if len(a.g.Rows) < HTMLRowsPerRule {
			a.g.Rows = append(a.g.Rows, newHTMLRow(r, i))
		}
	}
	sort.SliceStable(accs, func(x, y int) bool {
		a, b := accs[x], accs[y]
		if a.worst != b.worst {
			return a.worst < b.worst
		}
		if a.n != b.n {
			return a.n > b.n
		}
		return a.g.Rule < b.g.Rule
	})
	out := make([]htmlGroup, 0, len(accs))
	for _, a := range accs {
		a.g.Sev = sevSlotNames[a.worst]
		a.g.CountText = fmtThousands(int64(a.n))
		a.g.Cut = a.n > len(a.g.Rows)
		out = append(out, a.g)
	}
	return out
}

func newHTMLRow(r *Report, i int) htmlRow {
	f := &r.Findings[i]
	si := sevSlot(f.Severity)
	row := htmlRow{
		I:          i,
		Sev:        sevSlotNames[si],
		SevShort:   sevSlotNames[si][:1],
		SevRank:    si,
		ClaimID:    f.ClaimID,
		Member:     r.MemberID(f),
		ST:         f.STControl,
		Rule:       f.RuleID,
		Source:     f.Source,
		Message:    f.Message,
		Suggestion: f.Suggestion,
		Procedure:  f.Procedure,
		Modifiers:  f.Modifiers,
		Payer:      f.PayerName,
		PG:         payerGroupKey(f),
		File:       f.File,
	}
	if f.LineNumber > 0 {
		row.Line = strconv.Itoa(f.LineNumber)
		row.LineK = row.Line
	}
	var detail []string
	if f.Units != "" {
		detail = append(detail, "units "+f.Units)
	}
	if f.Charge != "" {
		if _, ok := jsonDecimal(f.Charge); ok {
			detail = append(detail, "$"+f.Charge)
		} else {
			detail = append(detail, "charge "+f.Charge)
		}
	}
	if f.ServiceDate != "" {
		detail = append(detail, "DOS "+htmlDate(f.ServiceDate))
	}
	if f.PlaceOfService != "" {
		detail = append(detail, "POS "+f.PlaceOfService)
	}
	row.Detail = strings.Join(detail, " · ")
	if len(f.DxPointers) > 0 || len(f.PointedDiagnoses) > 0 {
		dx := "Dx"
		if len(f.DxPointers) > 0 {
			dx += " ptr " + strings.Join(f.DxPointers, ":")
		}
		if len(f.PointedDiagnoses) > 0 {
			dx += " → " + strings.Join(f.PointedDiagnoses, ", ")
		}
		row.Dx = dx
	}
	var payer []string
	if f.PayerGroup != "" {
		payer = append(payer, f.PayerGroup)
	}
	if f.PayerID != "" {
		payer = append(payer, "ID "+f.PayerID)
	}
	row.PayerNote = strings.Join(payer, " · ")
	var where []string
	if f.SegmentNumber > 0 {
		where = append(where, "segment "+fmtThousands(f.SegmentNumber))
	}
	where = append(where, "byte "+fmtThousands(f.ByteOffset))
	row.Where = strings.Join(where, " · ")
	return row
}

// htmlDate writes CCYYMMDD as CCYY-MM-DD (and a range of two such dates
// with an en dash); anything else as it is.
func htmlDate(s string) string {
	one := func(d string) (string, bool) {
		if len(d) != 8 {
			return "", false
		}
		for i := 0; i < 8; i++ {
			if d[i] < '0' || d[i] > '9' {
				return "", false
			}
		}
		return d[:4] + "-" + d[4:6] + "-" + d[6:], true
	}
	if d, ok := one(s); ok {
		return d
	}
	if from, to, ok := strings.Cut(s, "-"); ok {
		a, ok1 := one(from)
		b, ok2 := one(to)
		if ok1 && ok2 {
			return a + " – " + b
		}
	}
	return s
}
