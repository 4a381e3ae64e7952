package reports

import (
	"bufio"
	"cmp"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"html/template"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/scrub837/scrub837/scrubber/finding"
)

func init() {
	Register(Format{Name: "html", Files: []FormatFile{{Name: "report.html", Write: WriteHTML, Streams: true}}})
}

// What report.html holds at most, so that its memory and the page stay
// bounded whatever the run's size (claims.csv and exceptions.csv have
// everything):
//
//   - HTMLMaxClaims target claims, held first, then in review, void,
//     ready, each kind in input order;
//   - HTMLMaxFindingsPerClaim findings under each claim (the rest counted);
//   - HTMLMaxOtherFindings file-level findings and findings of claims that
//     are not target claims (the rest counted);
//   - htmlMaxEarly findings set aside while the claim they belong to is not
//     complete (see EachClaim; past it they are counted, not listed).
const (
	HTMLMaxClaims           = 1000
	HTMLMaxFindingsPerClaim = 20
	HTMLMaxOtherFindings    = 200
	htmlMaxEarly            = 5000
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
// inline SVG charts drawn here, a small inline script for filtering and
// expanding) that loads nothing from anywhere. It opens on the worklist:
// the target claims, held first, each expandable to its findings, with
// the counts of held, review (warnings only), ready and void claims and the
// charges held by rule; then the findings that are not a target claim's,
// charts, and the run. Every text from the input files goes through
// html/template's contextual escaping. The output depends on r only: no
// clock, no map order.
//
// Its memory is bounded (see HTMLMaxClaims): one pass over the claims and
// findings keeps the claims and findings the page lists and counts the
// rest, and the page says what it holds and where the rest is.
func WriteHTML(w io.Writer, r *Report) error {
	t, err := r.Totals()
	if err != nil {
		return err
	}
	p, err := newHTMLPage(r, t)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := htmlTemplate.Execute(bw, p); err != nil {
		return err
	}
	return bw.Flush()
}

type htmlPage struct {
	Title     string
	CSP       string
	Script    template.JS
	Target    string
	HoldOn    string
	Run       htmlRun
	Cards     []htmlCard
	FileCount string
	Problems  []htmlProblem
	// Failed and Skipped count Problems' two kinds for the alert: a failed
	// file's claims after the fault are missing, a skipped one held no
	// 837P claim to miss.
	Failed, Skipped int

	HasClaims   bool // the report has a worklist (claims were given)
	Claims      []htmlClaim
	PageNote    string // what the page lists of the claims, when not all
	Statuses    []htmlStatusFilter
	Filters     htmlFilters
	Others      []htmlFinding
	OthersTotal string
	OthersNote  string
	Charts      []htmlChart
	Trend       *htmlTrend // with a claim history only
	MaxClaims   string
	MaxPerClaim int
}

type htmlRun struct {
	ID, ToolVersion, Pack   string
	SeedOnly                bool
	Started, Finished, Took string
	SHA256, SHA256Short     string
	Data                    string // the data files' versions by kind; "" without --data
}

type htmlCard struct {
	ID, Label, Value, Note, Class string
	Sev                           *htmlSevCounts
}

type htmlSevCounts struct{ Error, Warning, Info string }

type htmlProblem struct{ Path, Status, Error string }

type htmlOption struct{ Value, Label string }

type htmlFilters struct {
	PayerGroups, Rules, Files []htmlOption
}

type htmlStatusFilter struct {
	Value, Label, Count string
}

type htmlClaim struct {
	I                       int
	Status                  string
	ClaimID, Member         string
	Payer, PG               string
	Problem, Fix            string
	Rules                   []htmlRuleChip
	RulesKey                string // space-separated rule IDs, for the filter
	Counts                  string
	Charge, DOS             string
	File, Details           string
	Findings                []htmlFinding
	More                    string
	HasInfoOnly, AnyFinding bool
}

type htmlRuleChip struct{ ID, Sev string }

type htmlFinding struct {
	Sev, SevShort       string
	Rule, Source        string
	Message, Suggestion string
	Details             string
	Where               string // other findings: file, claim, position
}

// noPayerGroup is what the page shows for a claim without a payer group.
const noPayerGroup = "(none)"

// htmlBuilder gathers the page in one merge pass.
type htmlBuilder struct {
	r      *Report
	quota  map[Status]int
	listed map[Status]int
	byRule map[string]*sevTally
	rules  []string // in order of first appearance
	byFile map[string]*sevTally
	files  []string

	cur        []htmlFinding // findings of the claim whose row comes next
	early      map[claimKey][]htmlFinding
	earlyN     int
	earlyFile  int
	claims     map[Status][]htmlClaim
	others     []htmlFinding
	otherTotal int
}

func newHTMLPage(r *Report, t Totals) (*htmlPage, error) {
	target := targetCode(r)
	p := &htmlPage{
		Title:       target + " claim scrub · run " + cleanText(r.Run.ID),
		CSP:         htmlCSP,
		Script:      template.JS(htmlScript),
		Target:      target,
		HoldOn:      t.HoldOn.String(),
		Run:         newHTMLRun(r),
		FileCount:   fmtThousands(int64(r.Summary.Files)),
		HasClaims:   r.Claims != nil,
		MaxClaims:   fmtThousands(HTMLMaxClaims),
		MaxPerClaim: HTMLMaxFindingsPerClaim,
	}
	for _, f := range r.Files {
		if f.Status != "ok" && f.Status != "" {
			p.Problems = append(p.Problems, htmlProblem{Path: cleanText(f.Path), Status: f.Status, Error: cleanText(f.Error)})
			if f.Status == "skipped" {
				p.Skipped++
			} else {
				p.Failed++
			}
		}
	}

	b := &htmlBuilder{r: r, quota: map[Status]int{}, listed: map[Status]int{}, byRule: map[string]*sevTally{},
		byFile: map[string]*sevTally{}, early: map[claimKey][]htmlFinding{}, earlyFile: -1, claims: map[Status][]htmlClaim{}}
	room := HTMLMaxClaims
	for _, s := range Statuses {
		b.quota[s] = min(t.Of(s), room)
		room -= b.quota[s]
	}
	if err := r.mergeClaims(mergeHooks{finding: b.finding, row: b.row}); err != nil {
		return nil, err
	}
	b.flushEarly(-1)

	var sev sevTally
	for _, c := range b.byRule {
		for i := range sev {
			sev[i] += c[i]
		}
	}
	p.Cards = htmlCards(r, t, target, sev)
	for _, s := range Statuses {
		p.Claims = append(p.Claims, b.claims[s]...)
	}
	for i := range p.Claims {
		p.Claims[i].I = i
	}
	p.PageNote = pageNote(t, b.listed)
	p.Statuses = []htmlStatusFilter{{Value: "", Label: "All", Count: fmtThousands(int64(len(p.Claims)))}}
	for _, s := range Statuses {
		count := fmtThousands(int64(t.Of(s)))
		if b.listed[s] < t.Of(s) {
			count = fmtThousands(int64(b.listed[s])) + " of " + count
		}
		p.Statuses = append(p.Statuses, htmlStatusFilter{Value: s.String(), Label: statusLabel(s), Count: count})
	}
	p.Filters = htmlFilterOptions(p.Claims)
	p.Others = b.others
	p.OthersTotal = fmtThousands(int64(b.otherTotal))
	if b.otherTotal > len(b.others) {
		p.OthersNote = "The first " + fmtThousands(int64(len(b.others))) + " of " + fmtThousands(int64(b.otherTotal)) +
			" are listed; exceptions.csv lists them all."
	}
	p.Charts = []htmlChart{
		heldChargeChart(t),
		payerChart(r, t, target),
		ruleChart(b.rules, b.byRule),
		fileChart(r, b.files, b.byFile),
	}
	p.Trend = trendChart(r, t, target)
	return p, nil
}

func statusLabel(s Status) string {
	switch s {
	case StatusHeld:
		return "Held"
	case StatusReview:
		return "Review"
	case StatusVoid:
		return "Void"
	case StatusReady:
		return "Ready"
	}
	return s.String()
}

// pageNote says what the page lists of the claims, when it cannot list
// them all.
func pageNote(t Totals, listed map[Status]int) string {
	n := 0
	for _, s := range Statuses {
		n += listed[s]
	}
	if n == t.Total() {
		return ""
	}
	var parts []string
	for _, s := range Statuses {
		switch all := t.Of(s); {
		case all == 0:
		case listed[s] == all:
			parts = append(parts, "all "+fmtThousands(int64(all))+" "+s.String())
		case listed[s] == 0:
			parts = append(parts, "none of the "+fmtThousands(int64(all))+" "+s.String())
		default:
			parts = append(parts, "the first "+fmtThousands(int64(listed[s]))+" of "+fmtThousands(int64(all))+" "+s.String())
		}
	}
	return "This page lists " + fmtThousands(int64(n)) + " of the run's " + fmtThousands(int64(t.Total())) +
		" claims (" + strings.Join(parts, ", ") + "), held first; its counts and filters are of the claims it lists. " +
		"claims.csv lists every claim and exceptions.csv every finding."
}

func (b *htmlBuilder) tally(f *finding.Finding) {
	c := b.byRule[f.RuleID]
	if c == nil {
		c = &sevTally{}
		b.byRule[f.RuleID] = c
		b.rules = append(b.rules, f.RuleID)
	}
	c[sevSlot(f.Severity)]++
	c = b.byFile[f.File]
	if c == nil {
		c = &sevTally{}
		b.byFile[f.File] = c
		b.files = append(b.files, f.File)
	}
	c[sevSlot(f.Severity)]++
}

func (b *htmlBuilder) finding(f *finding.Finding, place findingPlace, key claimKey) error {
	b.tally(f)
	switch place {
	case placeClaim:
		if len(b.cur) < HTMLMaxFindingsPerClaim {
			b.cur = append(b.cur, newHTMLFinding(f, false))
		}
	case placeEarly:
		if key.file != b.earlyFile {
			b.flushEarly(key.file)
		}
		if b.earlyN < htmlMaxEarly && len(b.early[key]) < HTMLMaxFindingsPerClaim {
			b.early[key] = append(b.early[key], newHTMLFinding(f, true))
			b.earlyN++
		}
	default:
		b.other(newHTMLFinding(f, true))
	}
	return nil
}

func (b *htmlBuilder) other(f htmlFinding) {
	b.otherTotal++
	if len(b.others) < HTMLMaxOtherFindings {
		b.others = append(b.others, f)
	}
}

// flushEarly counts the findings set aside for claims of other files than
// file that got no row (claims that are not target claims) as other
// findings, and starts file's.
func (b *htmlBuilder) flushEarly(file int) {
	keys := make([]claimKey, 0, len(b.early))
	for k := range b.early {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y claimKey) int {
		if x.less(y) {
			return -1
		}
		if y.less(x) {
			return 1
		}
		return 0
	})
	for _, k := range keys {
		for _, f := range b.early[k] {
			b.other(f)
		}
	}
	clear(b.early)
	b.earlyN = 0
	b.earlyFile = file
}

func (b *htmlBuilder) row(c *ClaimRow) error {
	key := claimKey{c.FileIndex, c.ClaimOffset}
	if c.FileIndex != b.earlyFile {
		b.flushEarly(c.FileIndex)
	}
	fs := b.early[key]
	delete(b.early, key)
	b.earlyN -= len(fs)
	cur := b.cur
	b.cur = b.cur[:0]
	if b.listed[c.Status] >= b.quota[c.Status] {
		return nil
	}
	b.listed[c.Status]++
	fs = append(slices.Clone(fs), cur...)
	if len(fs) > HTMLMaxFindingsPerClaim {
		fs = fs[:HTMLMaxFindingsPerClaim]
	}
	b.claims[c.Status] = append(b.claims[c.Status], newHTMLClaim(b.r, c, fs))
	return nil
}

func newHTMLClaim(r *Report, c *ClaimRow, fs []htmlFinding) htmlClaim {
	hc := htmlClaim{
		Status:   c.Status.String(),
		ClaimID:  cleanText(c.ClaimID),
		Member:   cleanText(r.memberID(c.MemberID)),
		Payer:    cleanText(c.PayerName),
		PG:       cleanText(c.PayerGroup),
		Problem:  cleanText(c.FirstProblem),
		Fix:      cleanText(c.FirstFix),
		RulesKey: cleanText(strings.Join(c.Rules, " ")),
		DOS:      htmlDate(cleanText(c.ServiceDate)),
		File:     cleanText(c.File),
		Findings: fs,
	}
	if hc.PG == "" {
		hc.PG = noPayerGroup
	}
	if cents, ok := parseCents(c.TotalCharge); ok {
		hc.Charge = fmtDollars(cents)
	} else {
		hc.Charge = cleanText(c.TotalCharge)
	}
	// Each rule's worst severity on this claim, from the findings listed
	// (rules of findings not listed are shown plain).
	worst := map[string]string{}
	for _, f := range fs {
		if w, ok := worst[f.Rule]; !ok || sevRank(f.Sev) < sevRank(w) {
			worst[f.Rule] = f.Sev
		}
	}
	for _, id := range c.Rules {
		hc.Rules = append(hc.Rules, htmlRuleChip{ID: cleanText(id), Sev: worst[id]})
	}
	var counts []string
	for _, n := range []struct {
		k          int
		one, other string
	}{{c.Errors, "error", "errors"}, {c.Warnings, "warning", "warnings"}, {c.Infos, "info", "infos"}} {
		if n.k > 0 {
			counts = append(counts, htmlPlural(n.k, n.one, n.other))
		}
	}
	hc.Counts = strings.Join(counts, " · ")
	hc.AnyFinding = c.Findings() > 0
	hc.HasInfoOnly = c.Findings() > 0 && c.Errors == 0 && c.Warnings == 0
	if more := c.Findings() - len(fs); more > 0 {
		hc.More = htmlPlural(more, "more finding", "more findings") + " of this claim not listed here: see exceptions.csv."
	}
	var d []string
	if hc.File != "" {
		d = append(d, "file "+hc.File)
	}
	if c.STControl != "" {
		d = append(d, "ST "+cleanText(c.STControl))
	}
	if c.Frequency != "" {
		d = append(d, "frequency "+cleanText(c.Frequency))
	}
	d = append(d, htmlPlural(c.TargetLines, "target line", "target lines"))
	if c.BillingNPI != "" {
		d = append(d, "billing NPI "+cleanText(c.BillingNPI))
	}
	if c.RenderingNPI != "" {
		d = append(d, "rendering NPI "+cleanText(c.RenderingNPI))
	}
	if c.PayerID != "" {
		d = append(d, "payer ID "+cleanText(c.PayerID))
	}
	hc.Details = strings.Join(d, " · ")
	return hc
}

func sevRank(s string) int {
	return slices.Index(sevSlotNames[:], s)
}

func newHTMLFinding(f *finding.Finding, withWhere bool) htmlFinding {
	si := sevSlot(f.Severity)
	hf := htmlFinding{
		Sev:        sevSlotNames[si],
		SevShort:   sevSlotNames[si][:1],
		Rule:       cleanText(f.RuleID),
		Source:     cleanText(f.Source),
		Message:    cleanText(f.Message),
		Suggestion: cleanText(f.Suggestion),
	}
	var d []string
	if f.LineNumber > 0 {
		d = append(d, "line "+strconv.Itoa(f.LineNumber))
	}
	if f.Procedure != "" {
		code := cleanText(f.Procedure)
		if len(f.Modifiers) > 0 {
			code += " " + cleanText(strings.Join(f.Modifiers, " "))
		}
		d = append(d, code)
	}
	if f.Units != "" {
		d = append(d, "units "+cleanText(f.Units))
	}
	if f.Charge != "" {
		if cents, ok := parseCents(f.Charge); ok {
			d = append(d, fmtDollars(cents))
		} else {
			d = append(d, "charge "+cleanText(f.Charge))
		}
	}
	if f.ServiceDate != "" {
		d = append(d, "DOS "+htmlDate(cleanText(f.ServiceDate)))
	}
	if f.PlaceOfService != "" {
		d = append(d, "POS "+cleanText(f.PlaceOfService))
	}
	if len(f.DxPointers) > 0 || len(f.PointedDiagnoses) > 0 {
		dx := "Dx"
		if len(f.DxPointers) > 0 {
			dx += " " + cleanText(strings.Join(f.DxPointers, ":"))
		}
		if len(f.PointedDiagnoses) > 0 {
			dx += " → " + cleanText(strings.Join(f.PointedDiagnoses, ", "))
		}
		d = append(d, dx)
	}
	if f.RenderingTaxonomy != "" {
		d = append(d, "taxonomy "+cleanText(f.RenderingTaxonomy))
	}
	if f.SegmentNumber > 0 {
		d = append(d, "segment "+fmtThousands(f.SegmentNumber))
	}
	d = append(d, "byte "+fmtThousands(f.ByteOffset))
	if hf.Source != "" {
		d = append(d, "source "+hf.Source)
	}
	hf.Details = strings.Join(d, " · ")
	if withWhere {
		w := cleanText(f.File)
		if f.ClaimID != "" {
			w += " · claim " + cleanText(f.ClaimID)
		}
		hf.Where = w
	}
	return hf
}

func newHTMLRun(r *Report) htmlRun {
	run := htmlRun{
		ID:          cleanText(r.Run.ID),
		ToolVersion: cleanText(r.Run.ToolVersion),
		Pack:        cleanText(strings.TrimSpace(r.Run.Rules.Name + " " + r.Run.Rules.Version)),
		SeedOnly:    r.Run.Rules.SeedOnly,
		Started:     htmlTime(r.Run.StartedAt),
		Finished:    htmlTime(r.Run.FinishedAt),
		SHA256:      cleanText(r.Run.Rules.SHA256),
	}
	run.SHA256Short = run.SHA256
	if run.Pack == "" {
		run.Pack = "(unnamed)"
	}
	if utf8.RuneCountInString(run.SHA256Short) > 16 {
		run.SHA256Short = string([]rune(run.SHA256Short)[:16]) + "…"
	}
	if !r.Run.StartedAt.IsZero() && !r.Run.FinishedAt.IsZero() && !r.Run.FinishedAt.Before(r.Run.StartedAt) {
		run.Took = "took " + htmlDuration(r.Run.FinishedAt.Sub(r.Run.StartedAt))
	}
	run.Data = htmlDataFiles(r.Run.Data)
	return run
}

// dataKindNames are the data files' kinds as analysts call them.
var dataKindNames = map[string]string{"ncci-ptp": "NCCI PTP", "ncci-mue": "NCCI MUE", "icd10cm": "ICD-10-CM", "nucc-taxonomy": "NUCC"}

// htmlDataFiles sums run.data up for the page: the versions read, by kind
// ("ICD-10-CM FY2026 · NCCI PTP v313r0, v320r0"); files not used (a copy,
// a superseded version) are left out. exceptions.json lists every file.
func htmlDataFiles(files []DataFile) string {
	var kinds []string
	versions := map[string][]string{}
	for _, f := range files {
		if f.Note != "" {
			continue
		}
		if _, ok := versions[f.Kind]; !ok {
			kinds = append(kinds, f.Kind)
		}
		if !slices.Contains(versions[f.Kind], f.Version) {
			versions[f.Kind] = append(versions[f.Kind], f.Version)
		}
	}
	parts := make([]string, 0, len(kinds))
	for _, k := range kinds {
		name := dataKindNames[k]
		if name == "" {
			name = k
		}
		parts = append(parts, name+" "+strings.Join(versions[k], ", "))
	}
	return cleanText(strings.Join(parts, " · "))
}

func htmlTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04") + " UTC"
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

func htmlCards(r *Report, t Totals, target string, sev sevTally) []htmlCard {
	s := &r.Summary
	held := htmlCard{ID: "t-held", Label: "Held", Value: fmtThousands(int64(t.Held)),
		Note: fmtDollars(t.HeldCharge) + " held"}
	if t.Held > 0 {
		held.Class = "bad"
	}
	review := htmlCard{ID: "t-review", Label: "Review", Value: fmtThousands(int64(t.Review)), Note: "warnings only"}
	if t.Review > 0 {
		review.Class = "warn"
	}
	if t.HoldOn == finding.Warning {
		review.Note = "--hold-on warning: none"
	}
	ready := htmlCard{ID: "t-ready", Label: "Ready", Value: fmtThousands(int64(t.Ready)), Note: "can go out", Class: "good"}
	void := htmlCard{ID: "t-void", Label: "Void", Value: fmtThousands(int64(t.Void)), Note: "CLM05-3 = 8"}
	files := htmlCard{ID: "t-files", Label: "Files", Value: fmtThousands(int64(s.Files)), Note: "all read"}
	if s.FilesFailed > 0 {
		files.Note = fmtThousands(int64(s.FilesFailed)) + " failed"
		files.Class = "bad"
	}
	findings := htmlCard{ID: "t-findings", Label: "Findings", Value: fmtThousands(int64(sev.total())), Sev: &htmlSevCounts{
		Error:   fmtThousands(int64(sev[0])),
		Warning: fmtThousands(int64(sev[1])),
		Info:    fmtThousands(int64(sev[2])),
	}}
	claims := htmlCard{ID: "t-target", Label: target + " claims", Value: fmtThousands(int64(s.TargetClaims)),
		Note: "of " + fmtThousands(int64(s.Claims)) + " claims · " + fmtThousands(int64(s.TargetLines)) + " lines"}
	return []htmlCard{held, review, ready, void, claims, findings, files}
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
	label, tip string
	set, value string
	segs       []int64 // in legend order
	total      string  // the value label; default: the sum, with separators
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
	var most int64
	totalLen := 0
	totals := make([]string, len(items))
	for i, it := range items {
		var t int64
		for _, v := range it.segs {
			t += v
		}
		most = max(most, t)
		totals[i] = it.total
		if totals[i] == "" {
			totals[i] = fmtThousands(t)
		}
		totalLen = max(totalLen, utf8.RuneCountInString(totals[i]))
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
			if v <= 0 || most <= 0 {
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
	return name + ": " + htmlPlural(c.total(), "finding", "findings") + " (" + strings.Join(parts, ", ") + ")"
}

func sevSegs(c sevTally) []int64 {
	return []int64{int64(c[0]), int64(c[1]), int64(c[2]), int64(c[3])}
}

// byCount orders keys by their tally's total, largest first, then by key.
func byCount(keys []string, m map[string]*sevTally) []string {
	out := slices.Clone(keys)
	sort.SliceStable(out, func(a, b int) bool {
		ta, tb := m[out[a]].total(), m[out[b]].total()
		if ta != tb {
			return ta > tb
		}
		return out[a] < out[b]
	})
	return out
}

func ruleChart(rules []string, byRule map[string]*sevTally) htmlChart {
	sorted := byCount(rules, byRule)
	var items []chartItem
	more := ""
	for i, rule := range sorted {
		if i == htmlChartMaxRules {
			rest := 0
			for _, x := range sorted[i:] {
				rest += byRule[x].total()
			}
			more = htmlPlural(len(sorted)-i, "more rule", "more rules") + " with " + htmlPlural(rest, "finding", "findings") + " not drawn."
			break
		}
		c := cleanText(rule)
		items = append(items, chartItem{
			label: cutLabel(c, chartLabelN), tip: sevTip(c, *byRule[rule]),
			set: "rule", value: c, segs: sevSegs(*byRule[rule]),
		})
	}
	classes, labels, items := sevLegend(items)
	return newChart("chart-rules", "Findings by rule",
		"Every finding of the run, stacked by severity; most frequent first. Click a bar to list the claims with that rule.",
		"No findings.", classes, labels, items, more)
}

func heldChargeChart(t Totals) htmlChart {
	rules := make([]string, 0, len(t.HeldClaimsByRule))
	for r := range t.HeldClaimsByRule {
		rules = append(rules, r)
	}
	slices.SortFunc(rules, func(a, b string) int {
		if c := cmp.Compare(t.HeldChargeByRule[b], t.HeldChargeByRule[a]); c != 0 {
			return c
		}
		if c := cmp.Compare(t.HeldClaimsByRule[b], t.HeldClaimsByRule[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	var items []chartItem
	more := ""
	for i, rule := range rules {
		if i == htmlChartMaxRules {
			more = htmlPlural(len(rules)-i, "more rule", "more rules") + " not drawn."
			break
		}
		c := cleanText(rule)
		n := t.HeldClaimsByRule[rule]
		items = append(items, chartItem{
			label: cutLabel(c, chartLabelN),
			tip:   c + ": " + fmtDollars(t.HeldChargeByRule[rule]) + " on " + htmlPlural(n, "held claim", "held claims"),
			set:   "rule", value: c, segs: []int64{t.HeldChargeByRule[rule]},
			total: fmtDollars(t.HeldChargeByRule[rule]) + " · " + fmtThousands(int64(n)),
		})
	}
	sub := "Total charges (CLM02) of the held claims, by the rules that hold them (a claim held by two rules counts under both); then the number of claims."
	if t.HeldUnpriced > 0 {
		sub += " " + htmlPlural(t.HeldUnpriced, "held claim has", "held claims have") + " no amount in CLM02."
	}
	return newChart("chart-held", "Charges held, by rule", sub, "No claim is held.",
		[]string{"s-held"}, []string{"charges held"}, items, more)
}

func payerChart(r *Report, t Totals, target string) htmlChart {
	s := &r.Summary
	type group struct {
		name  string
		total int
		st    StatusCounts
	}
	var groups []group
	for name, n := range s.TargetClaimsByPayerGroup {
		groups = append(groups, group{name: name, total: n, st: payerStatus(r, t, name)})
	}
	sort.Slice(groups, func(a, b int) bool {
		if groups[a].total != groups[b].total {
			return groups[a].total > groups[b].total
		}
		return groups[a].name < groups[b].name
	})
	classes := []string{"s-clean", "s-void", "s-review", "s-held"}
	labels := []string{"ready", "void", "review", "held"}
	var items []chartItem
	for _, g := range groups {
		if g.total == 0 {
			continue
		}
		name := cleanText(g.name)
		items = append(items, chartItem{
			label: cutLabel(name, chartLabelN),
			tip: name + ": " + htmlPlural(g.total, target+" claim", target+" claims") + "; " + fmtThousands(int64(g.st.Held)) + " held, " +
				fmtThousands(int64(g.st.Review)) + " review, " + fmtThousands(int64(g.st.Ready)) + " ready, " + fmtThousands(int64(g.st.Void)) + " void",
			set: "pg", value: name,
			segs:  []int64{int64(g.st.Ready), int64(g.st.Void), int64(g.st.Review), int64(g.st.Held)},
			total: fmtThousands(int64(g.total)) + " · " + fmtThousands(int64(g.st.Held)) + " held",
		})
	}
	sub := target + " claims in each payer group by what becomes of them (held: a finding at or above --hold-on " + t.HoldOn.String() + ")."
	return newChart("chart-payers", target+" claims by payer group", sub,
		"No "+target+" claims in this run.", classes, labels, items, "")
}

func fileChart(r *Report, files []string, byFile map[string]*sevTally) htmlChart {
	// Most findings first; ties in input order.
	sorted := slices.Clone(files)
	sort.SliceStable(sorted, func(a, b int) bool { return byFile[sorted[a]].total() > byFile[sorted[b]].total() })
	var items []chartItem
	more := ""
	for i, f := range sorted {
		if i == htmlChartMaxFiles {
			rest := 0
			for _, x := range sorted[i:] {
				rest += byFile[x].total()
			}
			more = htmlPlural(len(sorted)-i, "more file", "more files") + " with " + htmlPlural(rest, "finding", "findings") + " not drawn."
			break
		}
		c := cleanText(f)
		items = append(items, chartItem{
			label: cutPath(c, chartLabelN), tip: sevTip(c, *byFile[f]),
			set: "file", value: c, segs: sevSegs(*byFile[f]),
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
		"Every finding of the run, stacked by severity; most findings first. Click a bar to list that file's claims.",
		"No findings.", classes, labels, items, more)
}

// htmlFilterOptions lists the payer groups, rules and files of the claims
// the page lists, each with how many of them it has.
func htmlFilterOptions(claims []htmlClaim) htmlFilters {
	count := func(keys func(*htmlClaim) []string, label func(string) string) []htmlOption {
		n := map[string]int{}
		for i := range claims {
			for _, k := range keys(&claims[i]) {
				n[k]++
			}
		}
		names := make([]string, 0, len(n))
		for k := range n {
			names = append(names, k)
		}
		sort.Strings(names)
		out := make([]htmlOption, 0, len(names))
		for _, k := range names {
			out = append(out, htmlOption{Value: k, Label: label(k) + " (" + fmtThousands(int64(n[k])) + ")"})
		}
		return out
	}
	same := func(s string) string { return s }
	return htmlFilters{
		PayerGroups: count(func(c *htmlClaim) []string { return []string{c.PG} }, same),
		Rules: count(func(c *htmlClaim) []string {
			ids := make([]string, len(c.Rules))
			for i, r := range c.Rules {
				ids[i] = r.ID
			}
			return ids
		}, same),
		Files: count(func(c *htmlClaim) []string { return []string{c.File} }, func(s string) string { return cutPath(s, 48) }),
	}
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
