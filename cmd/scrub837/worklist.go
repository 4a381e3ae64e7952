package main

import (
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/scrub837/scrub837/cmd/scrub837/internal/runner"
	"github.com/scrub837/scrub837/reports"
)

// numbers writes counts and amounts with thousands separators.
var numbers = message.NewPrinter(language.English)

// worklistText is the summary's lines about the worklist (REPORTS.md,
// claims.csv) and, with --split, the hand-off.
func worklistText(t reports.Totals, split *runner.SplitCounts) string {
	var b strings.Builder
	numbers.Fprintf(&b, "  worklist (--hold-on %s): %d held, %d review, %d ready, %d void; %s held",
		t.HoldOn, t.Held, t.Review, t.Ready, t.Void, dollars(t.HeldCharge))
	if t.HeldUnpriced > 0 {
		numbers.Fprintf(&b, " (and %d held %s with no amount)", t.HeldUnpriced, plural(t.HeldUnpriced, "claim", "claims"))
	}
	b.WriteString("\n")
	if split != nil {
		numbers.Fprintf(&b, "  split: %d %s to ready/, %d to held/ (%d %s split)",
			split.Ready, plural(split.Ready, "claim", "claims"), split.Held, split.Files, plural(split.Files, "file", "files"))
		if split.Whole > 0 {
			numbers.Fprintf(&b, "; %d %s copied whole to held/ (%d %s)",
				split.Whole, plural(split.Whole, "file", "files"), split.WholeClaims, plural(split.WholeClaims, "claim", "claims"))
		}
		if split.Changed > 0 {
			numbers.Fprintf(&b, "; %d changed while scrubbed (failed)", split.Changed)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// dollars writes cents as "$1,234.50".
func dollars(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return sign + numbers.Sprintf("$%d.%02d", cents/100, cents%100)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// worklistFields are the run's closing log event's fields about the
// worklist and the hand-off (key-value pairs, in this order).
func worklistFields(t reports.Totals, split *runner.SplitCounts) []any {
	fields := []any{
		"hold_on", t.HoldOn.String(),
		"held", t.Held, "review", t.Review, "ready", t.Ready, "void", t.Void,
		"held_charge", float64(t.HeldCharge) / 100,
	}
	if split != nil {
		fields = append(fields,
			"split_ready_claims", split.Ready, "split_held_claims", split.Held,
			"split_files", split.Files, "split_whole_files", split.Whole, "split_whole_claims", split.WholeClaims)
	}
	return fields
}
