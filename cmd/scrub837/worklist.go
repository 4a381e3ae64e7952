package main

import (
	"fmt"
	"strings"

	"github.com/scrub837/scrub837/cmd/scrub837/internal/runner"
	"github.com/scrub837/scrub837/reports"
)

// worklistText is the summary's lines about the worklist (REPORTS.md,
// claims.csv) and, with --split, the hand-off.
func worklistText(t reports.Totals, split *runner.SplitCounts) string {
	var b strings.Builder
	fmt.Fprintf(&b, "  worklist (--hold-on %s): %s held, %s review, %s ready, %s void; %s held",
		t.HoldOn, thousands(t.Held), thousands(t.Review), thousands(t.Ready), thousands(t.Void), dollars(t.HeldCharge))
	if t.HeldUnpriced > 0 {
		word := "claims"
		if t.HeldUnpriced == 1 {
			word = "claim"
		}
		fmt.Fprintf(&b, " (and %s held %s with no amount)", thousands(t.HeldUnpriced), word)
	}
	b.WriteString("\n")
	if split != nil {
		fmt.Fprintf(&b, "  split: %s to ready/, %s to held/ (%s split)",
			plural(split.Ready, "claim", "claims"), thousands(split.Held), plural(split.Files, "file", "files"))
		if split.Whole > 0 {
			fmt.Fprintf(&b, "; %s copied whole to held/ (%s)",
				plural(split.Whole, "file", "files"), plural(split.WholeClaims, "claim", "claims"))
		}
		if split.Changed > 0 {
			fmt.Fprintf(&b, "; %s changed while scrubbed (failed)", thousands(split.Changed))
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
	return fmt.Sprintf("%s$%s.%02d", sign, thousands(int(cents/100)), cents%100)
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
