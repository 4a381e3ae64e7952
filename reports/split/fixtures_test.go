package split

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// layout is how a test file is written.
type layout struct {
	elem, rep, comp, term byte
	after                 string // after each terminator
}

var defaultLayout = layout{'*', '^', ':', '~', ""}

// tinySegments is a small 837P: a billing provider with two subscribers;
// the second has a claim of their own (C2) and a patient with a claim (C3).
var tinySegments = []string{
	"BHT*0019*00*B1*20261127*0300*CH",
	"NM1*41*2*SYNTHETIC SUBMITTER*****46*S1",
	"NM1*40*2*SYNTHETIC RECEIVER*****46*R1",
	"HL*1**20*1",
	"PRV*BI*PXC*2086S0129X",
	"NM1*85*2*SYNTHETIC VASCULAR*****XX*1234567893",
	"HL*2*1*22*0",
	"SBR*P*18*******CI",
	"NM1*IL*1*ZZALDER*ANNA****MI*SYNM1",
	"CLM*C1*1500***22:B:1*Y*A*Y*Y",
	"HI*ABK:I70234",
	"LX*1",
	"SV1*HC:0620T:RT*1500*UN*1***1",
	"DTP*472*D8*20261101",
	"HL*3*1*22*1",
	"SBR*P********CI",
	"NM1*IL*1*ZZBIRCH*BEN****MI*SYNM2",
	"CLM*C2*100***11:B:1*Y*A*Y*Y",
	"LX*1",
	"SV1*HC:99213*100*UN*1***1",
	"HL*4*3*23*0",
	"PAT*19",
	"NM1*QC*1*ZZBIRCH*CARA",
	"CLM*C3*1500***22:B:1*Y*A*Y*Y",
	"LX*1",
	"SV1*HC:0620T:LT*1500*UN*1***1",
}

func isaFor(l layout) string {
	rep := string(l.rep)
	fields := []string{"ISA", "00", "          ", "00", "          ", "ZZ", "SENDER         ", "ZZ", "RECEIVER       ",
		"261127", "0300", rep, "00501", "000000001", "0", "P", string(l.comp)}
	return strings.Join(fields, string(l.elem))
}

// writeX12 writes segments (in * : ^ notation) in a layout.
func writeX12(l layout, segs []string) string {
	var b strings.Builder
	r := strings.NewReplacer("*", string(l.elem), ":", string(l.comp), "^", string(l.rep))
	for i, s := range segs {
		if i > 0 { // the ISA is written as it is
			s = r.Replace(s)
		}
		b.WriteString(s)
		b.WriteByte(l.term)
		b.WriteString(l.after)
	}
	return b.String()
}

// tinyDrop is tinySegments in one interchange, with right trailers.
func tinyDrop(l layout) string { return tinyDropOf(l, tinySegments) }

// tinyDropOf is one interchange of one transaction holding body.
func tinyDropOf(l layout, body []string) string {
	segs := []string{isaFor(l), "GS*HC*S*R*20261127*0300*1*X*005010X222A1", "ST*837*0001*005010X222A1"}
	segs = append(segs, body...)
	segs = append(segs, fmt.Sprintf("SE*%d*0001", len(body)+2), "GE*1*1", "IEA*1*000000001")
	return writeX12(l, segs)
}

// edit returns tinySegments with the segment old replaced by news.
func edit(old string, news ...string) []string {
	var out []string
	for _, s := range tinySegments {
		if s == old {
			out = append(out, news...)
		} else {
			out = append(out, s)
		}
	}
	return out
}

// corpusDir holds real X12 files written by others (see its MANIFEST.tsv).
const corpusDir = "../../testdata/corpus"

// repairTrailers rewrites a corpus file with right SE01, GE01 and IEA01 and
// trailers that repeat their header's control number, from the manifest's
// delimiters and without x12io: the split is then tried on the layouts of
// real senders whose fixtures were written with wrong counts. Segments are
// written one a line. ok is false when the file has no ISA.
func repairTrailers(data []byte, row map[string]string) (out []byte, ok bool) {
	if row["n_isa"] == "0" || len(row["element_sep"]) != 1 {
		return nil, false
	}
	sep := row["element_sep"][0]
	term := byte('\n')
	if t := row["segment_terminator"]; t != `\n` {
		if len(t) != 1 {
			return nil, false
		}
		term = t[0]
		data = bytes.ReplaceAll(bytes.ReplaceAll(data, []byte("\r"), nil), []byte("\n"), nil)
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	var b bytes.Buffer
	var isaControl, gsControl, stControl string
	groups, txs, segs := 0, 0, 0
	inST := false
	for _, piece := range bytes.Split(data, []byte{term}) {
		piece = bytes.TrimSpace(piece)
		if len(piece) == 0 {
			continue
		}
		el := strings.Split(string(piece), string(sep))
		switch el[0] {
		case "ST", "SE", "GE", "IEA":
			for len(el) < 3 {
				el = append(el, "")
			}
		}
		switch el[0] {
		case "ISA":
			if len(el) > 13 {
				isaControl = el[13]
			}
			groups = 0
		case "GS":
			if len(el) > 6 {
				gsControl = el[6]
			}
			groups++
			txs = 0
		case "ST":
			stControl, segs, inST = el[2], 0, true
			txs++
		case "SE":
			el[1], el[2], inST = strconv.Itoa(segs+1), stControl, false
		case "GE":
			el[1], el[2] = strconv.Itoa(txs), gsControl
		case "IEA":
			el[1], el[2] = strconv.Itoa(groups), isaControl
		}
		if inST {
			segs++
		}
		b.WriteString(strings.Join(el, string(sep)))
		b.WriteByte(term)
		if term != '\n' {
			b.WriteByte('\n')
		}
	}
	return b.Bytes(), true
}

func TestRepairTrailersMakesCountsRight(t *testing.T) {
	good := tinyDrop(defaultLayout)
	broken := strings.Replace(strings.Replace(good, fmt.Sprintf("SE*%d*", len(tinySegments)+2), "SE*7*", 1), "IEA*1*000000001", "IEA*3*000000009", 1)
	fixed, ok := repairTrailers([]byte(broken), map[string]string{"element_sep": "*", "segment_terminator": "~", "n_isa": "1"})
	if !ok || string(fixed) != strings.ReplaceAll(good, "~", "~\n") {
		t.Fatalf("repaired:\n%s\nwant:\n%s", fixed, good)
	}
}
