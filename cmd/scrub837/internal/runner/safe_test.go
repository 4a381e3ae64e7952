package runner

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/scrub837/scrub837/scrubber"
	"github.com/scrub837/scrub837/scrubber/finding"
)

func TestSafeError(t *testing.T) {
	cases := map[string]string{
		`expected an ISA segment at the start, found "NM1*IL*1*DOE*JANE"`: `expected an ISA segment at the start, found "…"`,
		`segment ID "dOE" is not 2 or 3 upper-case letters or digits`:     `segment ID "…" is not 2 or 3 upper-case letters or digits`,
		`SE02 "0002" does not match ST02 "0001"`:                          `SE02 "…" does not match ST02 "…"`,
		`a "quoted \" escape" and 'single'`:                               `a "…" and "…"`,
		"no such file or directory":                                       "no such file or directory",
		"two\nlines":                                                      "two lines",
	}
	for in, want := range cases {
		if got := SafeText(in); got != want {
			t.Errorf("SafeText(%q) = %q, want %q", in, got, want)
		}
	}
	if got := SafeText(strings.Repeat("x", 1000)); len(got) > 310 {
		t.Errorf("long message kept %d bytes", len(got))
	}
}

// A file's log event has its counts and no claim data.
func TestLogFile(t *testing.T) {
	var b bytes.Buffer
	res := &scrubber.FileResult{Index: 2, Name: "x.837", Status: scrubber.StatusFailed, Claims: 3,
		Error:    `expected an ISA segment at the start, found "DOE*JANE*19400101"`,
		Findings: []finding.Finding{{RuleID: "FILE-UNREADABLE", Severity: finding.Error, MemberID: "W123456789"}}}
	var counts findingCounts
	counts.add(res.Findings)
	logFile(zerolog.New(&b), input{name: "x.837"}, res, fileMeta{bytes: 10}, counts)
	var ev map[string]any
	if err := json.Unmarshal(b.Bytes(), &ev); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if ev["file"] != "x.837" || ev["status"] != "failed" || ev["level"] != "error" || ev["errors"] != float64(1) || ev["bytes"] != float64(10) {
		t.Errorf("event: %v", ev)
	}
	if strings.Contains(b.String(), "DOE") || strings.Contains(b.String(), "19400101") || strings.Contains(b.String(), "W123456789") {
		t.Errorf("log line leaks data: %s", b.String())
	}
}
