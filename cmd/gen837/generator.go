package main

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"strconv"
	"time"

	"github.com/scrub837/scrub837/scrubber/codedata"
	"github.com/scrub837/scrub837/scrubber/rules"
	"github.com/scrub837/scrub837/x12io"
)

// Config says what drop to generate. Exactly one of Claims and Size is set.
type Config struct {
	Claims      int64   // claims in the whole drop (partner claims of cross-claim defects included)
	Size        int64   // X12 bytes (before gzip) in the whole drop
	Files       int     // files the drop is split into (at least 1)
	Seed        uint64  // same seed and options: byte-identical output
	TargetShare float64 // share of claims that bill 0620T
	DefectRate  float64 // share of target claims that get one planted defect
	Delims      x12io.Delimiters
	Newline     bool // a line break after every segment terminator

	// Data are public data files (gen837 --data; scrubber/codedata): clean
	// claims are kept clean against them, the data rules' defects are
	// planted, and the manifest lists what the data rules fire
	// (datafiles.go). nil: the rule pack alone.
	Data *codedata.Set
}

// DefaultConfig is the command's defaults.
func DefaultConfig() Config {
	return Config{Claims: 1000, Files: 1, Seed: 1, TargetShare: 0.10, Delims: x12io.DefaultDelimiters}
}

// Validate checks a Config.
func (c *Config) Validate() error {
	switch {
	case c.Files < 1:
		return errors.New("files must be at least 1")
	case c.Claims < 0 || c.Size < 0:
		return errors.New("claims and size must not be negative")
	case c.Claims > 0 && c.Size > 0:
		return errors.New("give the number of claims or the size, not both")
	case c.Claims == 0 && c.Size == 0:
		return errors.New("give the number of claims or the size")
	case c.Claims > 0 && c.Claims < int64(c.Files):
		return errors.New("every file needs a claim: give at least as many claims as files")
	case c.TargetShare < 0 || c.TargetShare > 1:
		return errors.New("target share must be between 0 and 1")
	case c.DefectRate < 0 || c.DefectRate > 1:
		return errors.New("defect rate must be between 0 and 1")
	}
	return validDelimiters(c.Delims)
}

func validDelimiters(d x12io.Delimiters) error {
	set := []byte{d.Element, d.Repetition, d.Component, d.Segment}
	for i, b := range set {
		if b == 0 || b == ' ' || b == '\n' || b == '\r' || b == '.' || b == '-' ||
			(b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b > 126 || b < 32 {
			return fmt.Errorf("delimiter %q cannot be used: delimiters must be punctuation that never occurs in the data", b)
		}
		for _, o := range set[:i] {
			if o == b {
				return fmt.Errorf("delimiter %q is used twice", b)
			}
		}
	}
	return nil
}

// Manifest is what a drop holds and which rules must fire on it. Claims
// maps every claim on which a rule must fire to those rules, at every
// severity (sorted; a rule that must fire twice on the claim is listed
// twice): the claims with a planted defect, and the others the rules have
// something to say about (an info-level LINE-TAXONOMY-MISSING on a claim
// with no taxonomy, the BUNDLE-OVERRIDE of an other-limb look-alike). A
// claim not in Claims must have no finding at all.
type Manifest struct {
	Seed           uint64              `json:"seed"`
	Claims         map[string][]string `json:"claims"`
	RulesPlanted   map[string]int      `json:"rules_planted"`
	Defects        map[string]string   `json:"defects"` // claim ID -> the defect planted
	DefectsPlanted map[string]int      `json:"defects_planted"`
	// LookAlikes counts the legitimate claims written to look like a
	// defect (co-surgeons, an assistant, a replacement, a void, an
	// other-limb line, an unsided code), by kind: none may be a duplicate
	// or held.
	LookAlikes map[string]int `json:"look_alikes"`
	Files      []FileSummary  `json:"files"`
	Totals     Totals         `json:"totals"`
}

// FileSummary is one file of the drop.
type FileSummary struct {
	Index        int    `json:"index"`
	Name         string `json:"name,omitempty"` // set by the command
	Bytes        int64  `json:"bytes"`          // X12 bytes, before gzip
	Claims       int64  `json:"claims"`
	TargetClaims int64  `json:"target_claims"`
	ServiceLines int64  `json:"service_lines"`
}

// Totals sum the files.
type Totals struct {
	Bytes         int64 `json:"bytes"`
	Claims        int64 `json:"claims"`
	TargetClaims  int64 `json:"target_claims"`
	ServiceLines  int64 `json:"service_lines"`
	PlantedClaims int64 `json:"planted_claims"`
}

// record lists the rules that must fire on a claim, and its planted defect
// ("" for none).
func (m *Manifest) record(claimID, defect string, ids []rules.ID) {
	if len(ids) == 0 && defect == "" {
		return
	}
	sorted := make([]string, len(ids))
	for i, id := range ids {
		sorted[i] = id.String()
	}
	sort.Strings(sorted)
	m.Claims[claimID] = sorted
	for _, r := range sorted {
		m.RulesPlanted[r]++
	}
	if defect != "" {
		m.Defects[claimID] = defect
		m.DefectsPlanted[defect]++
		m.Totals.PlantedClaims++
	}
}

// countingWriter counts the X12 bytes written to a file.
type countingWriter struct {
	w   io.Writer
	n   int64
	err error // the first write error: the file ends there
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	if err != nil && c.err == nil {
		c.err = err
	}
	return n, err
}

// provider is a billing provider (2000A) and its rendering providers.
type provider struct {
	name, npi, tin, tax string
	street, phone       string
	city                city
	canTarget           bool // bills 0620T: has renderers with a listed taxonomy
	taxOK               bool // its PRV*BI is listed or absent: no 2310B needed on a target claim
	renderers           []renderer
}

type renderer struct {
	npi, first, last, tax string
	listed                bool
}

// subscriber is a 2000B subscriber and, when patient is set, its 2000C
// dependant the claims are for.
type subscriber struct {
	member, last, first    string
	group, streetNo        int
	dob                    int32
	gender                 string
	payer                  int
	street                 string
	city                   city
	patient                bool
	pLast, pFirst, pGender string
	pDob                   int32
	rel                    string
}

// partner is the second claim of a cross-claim defect, written after the
// original (in the same subscriber loop, or at the start of the next file).
type partner struct {
	kind   string
	prov   int
	sub    subscriber
	date   int32
	side   string
	sideDx []string // supporting diagnoses of the original line, for a duplicate

	// with data files: the original claim and its billing NPI, whose units
	// of the day count with the partner's (MUE-EXCEEDED across claims)
	orig    *claim
	origNPI string
}

type generator struct {
	cfg  Config
	rng  *rand.Rand
	d    x12io.Delimiters
	w    *x12io.Writer
	cw   *countingWriter
	man  *Manifest
	date time.Time // interchange date (from the seed)

	providers []provider
	kinds     []defectKind // defect kinds in planting order
	plantSeq  int
	lookSeq   int       // look-alikes written
	pending   []partner // partners for the next file

	file       int
	fileSum    *FileSummary
	claimSeq   int64
	memberSeq  int64
	claimQuota int64 // claims for this file (Claims mode)
	byteQuota  int64 // bytes for this file (Size mode)
	hl         int   // last HL ID of the open transaction
	st         int   // transactions in the file
	stClaims   int   // claims in the open transaction
	stMax      int

	data  *dataFiles // cfg.Data; nil without
	trace int64      // last 2300 REF*D9 number
	cl    claim      // the claim being built, reused
	buf   []byte     // scratch for strings that are kept (IDs)
	sc    scratch    // values of the segments being written
}

// Generate writes the drop: file i goes to open(i) (0-based), which the
// generator closes. The drop streams: nothing but the open claim is held.
func Generate(cfg Config, open func(i int) (io.WriteCloser, error)) (*Manifest, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	g := &generator{
		cfg: cfg,
		rng: rand.New(rand.NewPCG(cfg.Seed, 0x837_0620)),
		d:   cfg.Delims,
		man: &Manifest{
			Seed:           cfg.Seed,
			Claims:         map[string][]string{},
			RulesPlanted:   map[string]int{},
			Defects:        map[string]string{},
			DefectsPlanted: map[string]int{},
			LookAlikes:     map[string]int{},
		},
	}
	g.date = time.Date(2026, 11, 2, 3, 15, 0, 0, time.UTC).AddDate(0, 0, int(cfg.Seed%20))
	g.makeProviders()
	if cfg.Data != nil {
		g.data = newDataFiles(cfg.Data)
		if err := g.data.fixProviders(g); err != nil {
			return nil, err
		}
	}
	g.kinds = append(allDefects(), g.data.defects()...)
	g.rng.Shuffle(len(g.kinds), func(i, j int) { g.kinds[i], g.kinds[j] = g.kinds[j], g.kinds[i] })

	for i := 0; i < cfg.Files; i++ {
		wc, err := open(i)
		if err != nil {
			return nil, err
		}
		err = g.writeFile(i, wc)
		if cerr := wc.Close(); err == nil && cerr != nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("file %d: %w", i+1, err)
		}
	}
	return g.man, nil
}

// share splits total into n parts, the first ones a unit larger.
func share(total int64, n, i int) int64 {
	q, r := total/int64(n), total%int64(n)
	if int64(i) < r {
		return q + 1
	}
	return q
}

func (g *generator) writeFile(i int, wc io.Writer) error {
	g.file = i
	g.claimSeq = 0
	g.cw = &countingWriter{w: wc}
	g.w = x12io.NewWriter(g.cw, g.d)
	g.w.SetNewline(g.cfg.Newline)
	g.man.Files = append(g.man.Files, FileSummary{Index: i})
	g.fileSum = &g.man.Files[len(g.man.Files)-1]
	if g.cfg.Claims > 0 {
		g.claimQuota, g.byteQuota = share(g.cfg.Claims, g.cfg.Files, i), 0
	} else {
		g.claimQuota, g.byteQuota = 0, share(g.cfg.Size, g.cfg.Files, i)
	}
	last := i == g.cfg.Files-1

	control := strconv.Itoa(i + 1)
	date := g.date.Add(time.Duration(i) * time.Minute)
	g.w.BeginInterchange(x12io.Interchange{
		SenderQualifier: "ZZ", SenderID: "SCRUBGEN", ReceiverQualifier: "ZZ", ReceiverID: "PAYERHUB",
		Date: date, Control: control, Usage: "P",
	})
	g.w.BeginGroup("HC", "SCRUBGEN", "PAYERHUB", date, control, "005010X222A1")
	g.st = 0
	pending := g.pending
	g.pending = nil
	for first := true; first || !g.fileDone(); first = false {
		g.beginTransaction()
		if first {
			for _, p := range pending {
				g.writePartnerFile(p)
			}
		}
		for g.stClaims < g.stMax && !g.fileDone() {
			g.billingLoop(last)
		}
		g.w.EndTransaction()
	}
	g.w.EndGroup()
	g.w.EndInterchange()
	if err := g.w.Flush(); err != nil {
		return err
	}
	g.fileSum.Bytes = g.cw.n
	g.man.Totals.Bytes += g.cw.n
	return nil
}

func (g *generator) fileDone() bool {
	if g.cw.err != nil {
		return true // the write failed: Flush reports it
	}
	if g.fileSum.Claims == 0 {
		return false // every file holds a claim
	}
	if g.byteQuota > 0 {
		return g.cw.n >= g.byteQuota
	}
	return g.fileSum.Claims >= g.claimQuota
}

func (g *generator) beginTransaction() {
	g.st++
	g.hl = 0
	g.stClaims = 0
	g.stMax = 500 + g.rng.IntN(2500)
	control := g.pad(int64(g.st), 4)
	g.w.BeginTransaction("837", control, "005010X222A1")
	g.w.Segment("BHT", "0019", "00", "B"+strconv.Itoa(g.file+1)+"-"+control, g.date.Format("20060102"), "0315", "CH")
	g.w.Segment("NM1", "41", "2", "SCRUB837 CLEARINGHOUSE", "", "", "", "", "46", "SCRUBGEN01")
	g.w.Segment("PER", "IC", "EDI SUPPORT", "TE", "3125550100")
	g.w.Segment("NM1", "40", "2", "PAYER HUB", "", "", "", "", "46", "PAYERHUB01")
}

// pad writes n with at least width digits.
func (g *generator) pad(n int64, width int) string {
	g.buf = g.appendPadded(g.buf[:0], n, width)
	return string(g.buf)
}

// nextHL is the next HL ID, a scratch value.
func (g *generator) nextHL() string {
	g.hl++
	return g.sc.int(int64(g.hl))
}

// billingLoop writes a 2000A billing provider with some subscribers.
func (g *generator) billingLoop(lastFile bool) {
	capable := max(0.5, g.cfg.TargetShare)
	var pi int
	if g.rng.Float64() < capable {
		pi = g.pickProvider(true)
	} else {
		pi = g.pickProvider(false)
	}
	prov := &g.providers[pi]
	billHL := g.writeBilling(prov)
	targetP := 0.0
	if prov.canTarget {
		targetP = g.cfg.TargetShare / capable
	}
	n := 3 + g.rng.IntN(40)
	for s := 0; s < n && g.stClaims < g.stMax && !g.fileDone(); s++ {
		sub := g.newSubscriber()
		g.writeSubscriber(billHL, &sub)
		claims := 1
		if g.rng.IntN(7) == 0 {
			claims = 2
		}
		targetDone := false
		for k := 0; k < claims && (k == 0 || !g.fileDone()); k++ {
			if !targetDone && g.rng.Float64() < targetP {
				targetDone = true
				g.emitTarget(pi, &sub, lastFile)
			} else {
				c := g.ordinaryClaim(prov)
				g.writeClaim(c)
			}
		}
	}
}

// emitTarget makes a target claim, plants a defect in it when its turn
// comes, and writes it (and the partner claim of a cross-claim defect). A
// claim without a defect may be made a look-alike instead.
func (g *generator) emitTarget(pi int, sub *subscriber, lastFile bool) {
	prov := &g.providers[pi]
	c := g.targetClaim(prov)
	if g.cfg.DefectRate <= 0 || g.rng.Float64() >= g.cfg.DefectRate {
		g.emitClean(pi, sub, c)
		return
	}
	kind := g.kinds[g.plantSeq%len(g.kinds)]
	g.plantSeq++
	partnerHere := lastFile || g.rng.IntN(2) == 0
	if kind.cross != "" && partnerHere && !g.room(2) {
		// no room for the partner claim in this file: --claims is exact
		kind = g.kinds[g.plantSeq%len(g.kinds)]
		g.plantSeq++
		if kind.cross != "" {
			g.emitClean(pi, sub, c)
			return
		}
	}
	if kind.cross == "" {
		ids := kind.apply(g, c)
		g.writeClaim(c)
		g.man.record(c.id, kind.name, g.expect(c, prov, append(ids, infoRules(c, prov)...)))
		return
	}
	// Cross-claim: the original stays clean; the partner carries the finding.
	p := g.partnerOf(kind.cross, pi, sub, c)
	g.writeClaim(c)
	g.man.record(c.id, "", g.expect(c, prov, infoRules(c, prov)))
	if !partnerHere {
		g.pending = append(g.pending, p)
		return
	}
	pc := g.partnerClaim(&p)
	g.writeClaim(pc)
	g.man.record(pc.id, kind.name, g.expectPartner(pc, &p, prov, append(partnerRules(p.kind), infoRules(pc, prov)...)))
}

// room reports whether n more claims fit in this file (--claims is exact).
func (g *generator) room(n int64) bool {
	return g.claimQuota == 0 || g.fileSum.Claims+n <= g.claimQuota
}

// partnerOf describes the partner claim of kind for target claim c: the
// same patient, provider, date and leg as its first target line.
func (g *generator) partnerOf(kind string, pi int, sub *subscriber, c *claim) partner {
	t := c.targets()[0]
	l := &c.lines[t]
	p := partner{kind: kind, prov: pi, sub: *sub, date: l.date, side: sideModifier(l.side())}
	if g.data != nil {
		p.orig, p.origNPI = c.clone(), g.providers[pi].npi
	}
	for _, ptr := range l.pointers {
		if n, err := strconv.Atoi(ptr); err == nil && n >= 1 && n <= len(c.dx) && isSupporting(c.dx[n-1].code) {
			p.sideDx = append(p.sideDx, c.dx[n-1].code)
		}
	}
	return p
}

// lookAlikeEvery: one clean target claim in lookAlikeEvery is made a
// look-alike (when the file has room for its partner).
const lookAlikeEvery = 12

// Look-alikes: legitimate claims that resemble a defect and must not be
// reported as one.
const (
	lookCoSurgeons  = "co-surgeons"  // 62 on both surgeons' claims, each their own NPI
	lookAssistant   = "assistant"    // an assistant at surgery's claim (80, 81, 82, AS)
	lookReplacement = "replacement"  // CLM05-3 = 7 with REF*F8: not a duplicate of its original
	lookVoid        = "void"         // CLM05-3 = 8 with REF*F8: claim-level rules only
	lookOtherLimb   = "other-limb"   // a related line on the other leg: BUNDLE-OVERRIDE, never BUNDLE-INCLUDED
	lookUnsided     = "unsided-code" // a 6th character 8 (other extremity) on a sided line: no laterality finding
)

var lookAlikeKinds = []string{lookCoSurgeons, lookAssistant, lookReplacement, lookVoid, lookOtherLimb}

// emitClean writes a target claim without a defect, now and then made a
// look-alike with a partner claim after it.
func (g *generator) emitClean(pi int, sub *subscriber, c *claim) {
	prov := &g.providers[pi]
	if g.rng.IntN(lookAlikeEvery) != 0 || !g.room(2) {
		g.writeClaim(c)
		g.man.record(c.id, "", g.expect(c, prov, infoRules(c, prov)))
		return
	}
	kind := lookAlikeKinds[g.lookSeq%len(lookAlikeKinds)]
	g.lookSeq++
	if kind == lookOtherLimb {
		ids := g.otherLimbLine(c)
		g.writeClaim(c)
		g.man.record(c.id, "", g.expect(c, prov, append(ids, infoRules(c, prov)...)))
		if ids != nil {
			g.man.LookAlikes[kind]++
		}
		return
	}
	t := c.targets()[0]
	if kind == lookCoSurgeons {
		// one surgeon's share: 62 beside the side, nothing else
		l := &c.lines[t]
		stripExtras(l)
		l.mods = append(l.mods, "62")
	}
	g.writeClaim(c)
	g.man.record(c.id, "", g.expect(c, prov, infoRules(c, prov)))
	var pc *claim
	var p partner
	switch kind {
	case lookReplacement, lookVoid:
		pc = c.clone()
		pc.id = g.claimID()
		pc.origRef = "PCCN" + g.digits(11)
		pc.freq = "7"
		if kind == lookVoid {
			pc.freq = "8"
			// a void's lines are the voided claim's business: broken ones
			// draw no finding
			pc.lines[t].pointers = nil
			pc.lines[t].mods = nil
		}
	default:
		p = g.partnerOf(kind, pi, sub, c)
		pc = g.partnerClaim(&p)
	}
	g.writeClaim(pc)
	if p.orig == nil { // a replacement or a void of c: c is its original
		p.orig, p.origNPI = c, prov.npi
	}
	g.man.record(pc.id, "", g.expectPartner(pc, &p, prov, infoRules(pc, prov)))
	g.man.LookAlikes[kind]++
}

// otherLimbLine adds a line with an included code of the pack on the other
// leg from target line t's, on t's date, when every target line of that
// date is on t's leg, and returns the rules that fire: BUNDLE-OVERRIDE
// (CMS counts anatomic modifiers among those that bypass a PTP edit). nil
// when the claim does not lend itself to it.
func (g *generator) otherLimbLine(c *claim) []rules.ID {
	t := c.targets()[0]
	s := c.lines[t].side()
	if s != 'R' && s != 'L' || len(c.lines) >= 6 {
		return nil
	}
	for i := range c.lines {
		l := &c.lines[i]
		if i != t && l.date == c.lines[t].date && (l.isTarget() && l.side() != s || isRelated(l.proc)) {
			return nil
		}
	}
	g.addRelated(c, g.data.otherLimbCode(g, []string{"75710", "75820"}, c.lines[t].date), c.lines[t].date, sideModifier('R'+'L'-s))
	return []rules.ID{rules.BundleOverride}
}

func partnerRules(kind string) []rules.ID {
	switch kind {
	case crossBundle:
		return []rules.ID{rules.BundleCrossClaim}
	case crossDuplicate:
		return []rules.ID{rules.LineDuplicate}
	}
	return nil
}

// writePartnerFile writes a partner claim at the start of a file, under its
// own billing and subscriber loops (the original's provider and member).
func (g *generator) writePartnerFile(p partner) {
	if p.kind == crossDuplicate && g.rng.IntN(2) == 0 {
		// another provider billed the same leg on the same day
		p.prov = g.pickProvider(true)
	}
	prov := &g.providers[p.prov]
	billHL := g.writeBilling(prov)
	g.writeSubscriber(billHL, &p.sub)
	pc := g.partnerClaim(&p)
	g.writeClaim(pc)
	g.man.record(pc.id, p.kind+"-next-file", g.expectPartner(pc, &p, prov, append(partnerRules(p.kind), infoRules(pc, prov)...)))
}

func sideModifier(s byte) string {
	switch s {
	case 'R':
		return "RT"
	case 'L':
		return "LT"
	case 'B':
		return "50"
	}
	return ""
}

func (g *generator) pickProvider(capable bool) int {
	for {
		i := g.rng.IntN(len(g.providers))
		if g.providers[i].canTarget == capable {
			return i
		}
	}
}

// npi makes a 10-digit NPI with a valid check digit.
func (g *generator) npi() string {
	var d [9]byte
	d[0] = byte('1' + g.rng.IntN(2))
	for i := 1; i < 9; i++ {
		d[i] = byte('0' + g.rng.IntN(10))
	}
	return withCheckDigit(string(d[:]))
}

// withCheckDigit appends the NPI check digit (Luhn over 80840 and the nine
// digits) to nine digits.
func withCheckDigit(nine string) string {
	sum := 24 // the constant for the 80840 prefix
	for i := 8; i >= 0; i-- {
		v := int(nine[i] - '0')
		if (8-i)%2 == 0 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return nine + string(rune('0'+(10-sum%10)%10))
}

func (g *generator) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.rng.IntN(10))
	}
	return string(b)
}

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

func (g *generator) makeProviders() {
	const n = 60
	g.providers = make([]provider, n)
	for i := range g.providers {
		p := &g.providers[i]
		p.canTarget = i%2 == 0
		c := pick(g.rng, cities)
		p.city = c
		p.street = strconv.Itoa(100+g.rng.IntN(9800)) + " " + pick(g.rng, streets)
		p.npi = g.npi()
		p.tin = g.digits(9)
		p.phone = "312555" + g.digits(4)
		if p.canTarget {
			p.name = c.name + " " + groupNames[g.rng.IntN(4)]
			switch g.rng.IntN(4) {
			case 0:
				p.tax, p.taxOK = "", true
			case 1:
				p.tax, p.taxOK = groupTaxonomy, false
			default:
				p.tax, p.taxOK = pick(g.rng, listedTaxonomies), true
			}
		} else {
			p.name = c.name + " " + groupNames[4+g.rng.IntN(len(groupNames)-4)]
			p.tax = pick(g.rng, unlistedTaxonomies)
		}
		nr := 2 + g.rng.IntN(6)
		for k := 0; k < nr; k++ {
			r := renderer{npi: g.npi(), first: pick(g.rng, firstNames), last: pick(g.rng, lastNames)}
			if p.canTarget && (k == 0 || g.rng.IntN(3) > 0) {
				r.tax, r.listed = pick(g.rng, listedTaxonomies), true
			} else {
				r.tax = pick(g.rng, unlistedTaxonomies)
			}
			p.renderers = append(p.renderers, r)
		}
	}
}

func (g *generator) newSubscriber() subscriber {
	g.memberSeq++
	s := subscriber{
		last:   pick(g.rng, lastNames),
		first:  pick(g.rng, firstNames),
		payer:  g.rng.IntN(len(payers)),
		city:   pick(g.rng, cities),
		gender: pick(g.rng, []string{"M", "F"}),
		dob:    ymd(1932+g.rng.IntN(45), 1+g.rng.IntN(12), 1+g.rng.IntN(28)),
	}
	// unique across the drop: file and sequence
	b := g.buf[:0]
	b = append(b, 'W')
	b = strconv.AppendInt(b, int64(g.file+1), 10)
	b = append(b, 'X')
	g.buf = g.appendPadded(b, g.memberSeq, 8)
	s.member = string(g.buf)
	s.streetNo, s.street = 10+g.rng.IntN(9900), pick(g.rng, streets)
	s.group = g.rng.IntN(1000000)
	if g.rng.IntN(8) == 0 {
		s.patient = true
		s.pLast, s.pFirst = s.last, pick(g.rng, firstNames)
		s.pGender = pick(g.rng, []string{"M", "F"})
		s.pDob = ymd(1940+g.rng.IntN(50), 1+g.rng.IntN(12), 1+g.rng.IntN(28))
		s.rel = pick(g.rng, []string{"01", "19", "G8"})
	}
	return s
}

func (g *generator) appendPadded(b []byte, n int64, width int) []byte {
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], n, 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

func ymd(y, m, d int) int32 { return int32(y*10000 + m*100 + d) }

// claimID is unique across the drop: file number and sequence.
func (g *generator) claimID() string {
	g.claimSeq++
	g.trace++
	b := g.buf[:0]
	b = append(b, 'F')
	b = g.appendPadded(b, int64(g.file+1), 3)
	b = append(b, 'C')
	b = g.appendPadded(b, g.claimSeq, 7)
	g.buf = b
	return string(b)
}

// Service dates: days of 2025 and 2026 as yyyymmdd.
var calendar = func() []int32 {
	var out []int32
	for d := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2027; d = d.AddDate(0, 0, 1) {
		out = append(out, ymd(d.Year(), int(d.Month()), d.Day()))
	}
	return out
}()

// dayIndex of 2026-01-01 in calendar.
const jan2026 = 365

// day returns the date n days after 2025-01-01.
func day(n int) int32 { return calendar[n] }

// dayOf is the calendar index of a date (linear search is fine: rare).
func dayOf(d int32) int {
	i := sort.Search(len(calendar), func(i int) bool { return calendar[i] >= d })
	return i
}
