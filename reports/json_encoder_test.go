package reports

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/scrub837/scrub837/scrubber/finding"
)

// exceptions.json is byte for byte what encoding/json writes, for findings
// whose values hold what escaping has to get right: quotes, backslashes,
// HTML characters, control bytes, invalid UTF-8, U+2028 and U+2029,
// non-ASCII letters; numbers and non-numbers in the number columns; empty
// and nil lists; absent line and segment numbers.
func TestJSONEncoderMatchesEncodingJSON(t *testing.T) {
	tricky := []string{
		"", `plain`, `"quoted" and \back\slash`, "<b>&amp;</b> 'x'", "tab\there\nnew\rline",
		"\x00\x01\x1f\x7f", "bad \xff\xfe utf-8", "sep \u2028 and \u2029", "Zoë Ångström 漢字 🙂",
		strings.Repeat("long ", 200),
	}
	r := sampleReport()
	r.Source = nil
	r.Findings = nil
	for i, s := range tricky {
		f := finding.Finding{
			FileIndex: i % 2, File: "f" + s, ClaimID: s, RuleID: "R" + s, Severity: finding.Severity(i % 4),
			Message: s, Suggestion: s + s, Procedure: s, Modifiers: []string{s, "LT"}, Units: []string{"1", "2.50", s, ""}[i%4],
			Charge: []string{"1500", "0.5", s, "-1"}[i%4], ServiceDate: s, PlaceOfService: s, DxPointers: nil,
			PointedDiagnoses: []string{}, PayerName: s, PayerID: s, PayerGroup: s, BillingNPI: s, RenderingNPI: s,
			RenderingTaxonomy: s, MemberID: s + "123456", ISAControl: s, GSControl: s, STControl: s,
		}
		if i%3 == 0 {
			f.LineNumber, f.SegmentNumber, f.ByteOffset = i+1, int64(i*7), int64(i*100)
		}
		r.Findings = append(r.Findings, f)
	}
	r.Run.ID = tricky[3]
	write := func() []byte {
		var b bytes.Buffer
		if err := WriteJSON(&b, r); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	got := write()
	defer func(f func(io.Writer) jsonEncoder) { newJSONEncoder = f }(newJSONEncoder)
	newJSONEncoder = func(w io.Writer) jsonEncoder { return json.NewEncoder(w) }
	want := write()
	if !bytes.Equal(got, want) {
		t.Fatalf("exceptions.json differs from encoding/json's:\n got %q\nwant %q", got, want)
	}
	if !json.Valid(got) || !bytes.Contains(got, []byte(`\u2028`)) || !bytes.Contains(got, []byte("<b>&amp;</b>")) {
		t.Fatalf("the report is not valid JSON, or the tricky values were not written")
	}
}
