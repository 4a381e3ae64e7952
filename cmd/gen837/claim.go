package main

import "strconv"

// The claim model the generator builds before it writes a claim: a clean
// claim is made first, a planted defect then changes it, and only then is it
// written. Values that a defect may make invalid are kept as text.

// dx is one HI diagnosis.
type dx struct {
	qual string // ABK (principal), ABF, or a wrong qualifier (BF)
	code string
}

// line is one 2400 service line.
type line struct {
	proc      string
	mods      []string
	charge    int64  // cents
	chargeRaw string // when set (or noCharge), SV102 as written instead of charge
	noCharge  bool   // SV102 empty
	units     string // SV104
	pos       string // SV105; "" uses CLM05-1
	pointers  []string
	date      int32  // yyyymmdd
	dateQual  string // D8 (default) or RD8
	dateRaw   string // when set, DTP03 as written
	noDate    bool   // no DTP*472
	lineNPI   string // 2420A NM1*82 NM109 (with lineTax)
	lineTax   string // 2420A PRV*PE
	lineFirst string
	lineLast  string
}

func (l *line) isTarget() bool { return l.proc == "0620T" }

// chargeCents is what the line adds to the claim total: its charge, or 0
// when SV102 is missing, zero or not an amount written by the generator.
func (l *line) chargeCents() int64 {
	if l.noCharge || l.chargeRaw != "" {
		return rawCents(l.chargeRaw)
	}
	return l.charge
}

// rawCents reads the few raw charges the generator writes ("0", "0.00",
// "-250"); anything else counts as 0.
func rawCents(s string) int64 {
	switch s {
	case "", "0", "0.00":
		return 0
	}
	neg := false
	if s[0] == '-' {
		neg, s = true, s[1:]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0
	}
	if neg {
		n = -n
	}
	return n * 100
}

// side is the side the line's modifiers name: 'R', 'L', 'B' (50) or 0.
func (l *line) side() byte {
	for _, m := range l.mods {
		switch m {
		case "RT":
			return 'R'
		case "LT":
			return 'L'
		case "50":
			return 'B'
		}
	}
	return 0
}

// setSide replaces the line's side modifier (RT, LT, 50) with m ("" removes it).
func (l *line) setSide(m string) {
	out := make([]string, 0, 4)
	placed := false
	for _, x := range l.mods {
		if x == "RT" || x == "LT" || x == "50" {
			if !placed && m != "" {
				out = append(out, m)
				placed = true
			}
			continue
		}
		out = append(out, x)
	}
	if !placed && m != "" {
		out = append([]string{m}, out...)
	}
	l.mods = out
}

// claim is one 2300 claim.
type claim struct {
	id        string
	target    bool
	pos       string // CLM05-1
	dx        []dx
	priorAuth string

	renderNPI, renderFirst, renderLast string // 2310B NM1*82 ("" none)
	renderTax                          string // 2310B PRV*PE ("" none)
	facility                           int    // index into hospitalNames + 1; 0 none

	freq    string // CLM05-3: "" is 1 (original); 7 replacement, 8 void, or a wrong one
	noFreq  bool   // CLM05-3 left empty
	origRef string // 2300 REF*F8: the payer's number of the claim a 7 or 8 stands for

	lines       []line
	trace       int64 // 2300 REF*D9 (0: none)
	lineControl bool  // 2400 REF*6R on every line
	totalDelta  int64 // cents added to the sum of the lines in CLM02
	straySV1    bool  // an SV1 before the first LX (X12-SYNTAX)
}

// reset empties the claim for reuse, keeping its slices' memory.
func (c *claim) reset() {
	lines, dxs := c.lines[:0], c.dx[:0]
	*c = claim{lines: lines, dx: dxs}
}

// newLine appends an empty line and returns it. The line reuses the memory
// of the one that held its place in a previous claim: lines never share
// slices (isolate clears the places it frees). The pointer is valid until
// the next newLine.
func (c *claim) newLine() *line {
	n := len(c.lines)
	if n < cap(c.lines) {
		c.lines = c.lines[:n+1]
		l := &c.lines[n]
		mods, ptrs := l.mods[:0], l.pointers[:0]
		*l = line{mods: mods, pointers: ptrs}
		return l
	}
	c.lines = append(c.lines, line{mods: make([]string, 0, 4), pointers: make([]string, 0, 4)})
	return &c.lines[n]
}

// total is CLM02 in cents.
func (c *claim) total() int64 {
	var s int64
	for i := range c.lines {
		s += c.lines[i].chargeCents()
	}
	return s + c.totalDelta
}

// dxIndex is the 1-based position of code in HI, or 0.
func (c *claim) dxIndex(code string) int {
	for i, d := range c.dx {
		if d.code == code {
			return i + 1
		}
	}
	return 0
}

// addDx appends a diagnosis (ABK when it is the first) and returns its
// position; an existing code is reused. A code of atherosclerosis with
// ulceration brings the ulcer's severity code (L97.-) along when the claim
// has none for that leg, as ICD-10-CM asks (DX-ULCER-SEVERITY-MISSING).
func (c *claim) addDx(code string) int {
	if n := c.dxIndex(code); n > 0 {
		return n
	}
	q := "ABF"
	if len(c.dx) == 0 {
		q = "ABK"
	}
	c.dx = append(c.dx, dx{qual: q, code: code})
	n := len(c.dx)
	c.ensureSeverity()
	return n
}

// ensureSeverity adds the ulcer severity code of each leg whose ulceration
// the claim codes, when it has no severity code yet.
func (c *claim) ensureSeverity() {
	if c.hasSeverity() {
		return
	}
	right, left := false, false
	for _, d := range c.dx {
		switch ulcerSide(d.code) {
		case 'R':
			right = true
		case 'L':
			left = true
		}
	}
	if right {
		c.dx = append(c.dx, dx{qual: "ABF", code: severityRight})
	}
	if left {
		c.dx = append(c.dx, dx{qual: "ABF", code: severityLeft})
	}
}

// hasSeverity reports whether the claim codes an ulcer's severity (L97.-,
// L98.4-).
func (c *claim) hasSeverity() bool {
	for _, d := range c.dx {
		if isSeverity(d.code) {
			return true
		}
	}
	return false
}

func isSeverity(code string) bool {
	return len(code) >= 3 && code[:3] == "L97" || len(code) >= 4 && code[:4] == "L984"
}

// ulcerSide is the leg of an atherosclerosis-with-ulceration code (I70.23,
// I70.24 native; I70.x3, I70.x4 bypass grafts): 'R', 'L', or 0 for any
// other code (I70.x5, other extremity, is never generated).
func ulcerSide(code string) byte {
	if len(code) < 5 || code[:3] != "I70" || code[3] < '2' || code[3] > '7' {
		return 0
	}
	switch code[4] {
	case '3':
		return 'R'
	case '4':
		return 'L'
	}
	return 0
}

// clone is a deep copy of c (lines and diagnoses of its own).
func (c *claim) clone() *claim {
	out := *c
	out.dx = append([]dx(nil), c.dx...)
	out.lines = make([]line, len(c.lines))
	for i, l := range c.lines {
		l.mods = append([]string(nil), l.mods...)
		l.pointers = append([]string(nil), l.pointers...)
		out.lines[i] = l
	}
	return &out
}

// isTarget reports whether the claim bills 0620T.
func (c *claim) isTarget() bool {
	for i := range c.lines {
		if c.lines[i].isTarget() {
			return true
		}
	}
	return false
}

// targets are the indexes of the target lines.
func (c *claim) targets() []int {
	var out []int
	for i := range c.lines {
		if c.lines[i].isTarget() {
			out = append(out, i)
		}
	}
	return out
}

// formatCents writes an amount as X12 decimal with trailing zeros
// suppressed: 1850000 -> "18500", 1850050 -> "18500.5".
func appendCents(b []byte, c int64) []byte {
	if c < 0 {
		b = append(b, '-')
		c = -c
	}
	b = strconv.AppendInt(b, c/100, 10)
	if f := c % 100; f != 0 {
		b = append(b, '.', byte('0'+f/10))
		if f%10 != 0 {
			b = append(b, byte('0'+f%10))
		}
	}
	return b
}

// dateString writes yyyymmdd.
func dateString(d int32) string { return strconv.Itoa(int(d)) }
