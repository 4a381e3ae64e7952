package reports

import (
	"strings"
	"unicode/utf8"

	"github.com/scrub837/scrub837/scrubber/finding"
)

// cleanText is s as the reports write text: valid UTF-8 (each run of
// invalid bytes becomes one U+FFFD) with no NUL bytes (dropped). Input
// files are bytes, not text: a name or ID in Latin-1, or a NUL in an
// element, would otherwise make a CSV or JSON report invalid UTF-8, which
// readers reject or mangle. Totals.TextRepaired counts the values this
// changes.
func cleanText(s string) string {
	if isClean(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.ReplaceAll(s, "\x00", "")
}

// isClean reports whether cleanText leaves s as it is.
func isClean(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == 0 || c >= utf8.RuneSelf {
			return utf8.ValidString(s[i:]) && strings.IndexByte(s[i:], 0) < 0
		}
	}
	return true
}

// cleanAll cleans every value of row in place.
func cleanAll(row []string) {
	for i, s := range row {
		row[i] = cleanText(s)
	}
}

// cleanList is l cleaned, a copy only when a value changes.
func cleanList(l []string) []string {
	for _, s := range l {
		if !isClean(s) {
			out := make([]string, len(l))
			for j := range l {
				out[j] = cleanText(l[j])
			}
			return out
		}
	}
	return l
}

// countDirty counts the values cleanText would change.
func countDirty(values ...string) int {
	n := 0
	for _, s := range values {
		if !isClean(s) {
			n++
		}
	}
	return n
}

func countDirtyFinding(f *finding.Finding) int {
	n := 0
	for _, s := range [...]string{f.File, f.ISAControl, f.GSControl, f.STControl, f.ClaimID, f.RuleID, f.Source,
		f.Message, f.Suggestion, f.Procedure, f.Units, f.Charge, f.ServiceDate, f.PlaceOfService,
		f.PayerName, f.PayerID, f.PayerGroup, f.BillingNPI, f.RenderingNPI, f.RenderingTaxonomy, f.MemberID} {
		if !isClean(s) {
			n++
		}
	}
	for _, l := range [...][]string{f.Modifiers, f.DxPointers, f.PointedDiagnoses} {
		n += countDirty(l...)
	}
	return n
}

func countDirtyClaim(c *finding.ClaimSummary) int {
	return countDirty(c.File, c.ClaimID, c.STControl, c.Frequency, c.ServiceDate, c.TotalCharge,
		c.PayerName, c.PayerID, c.PayerGroup, c.BillingNPI, c.RenderingNPI, c.MemberID)
}
