package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// The lists of the pack a rule reads (its catalogue row) are ones the
// default pack has.
func TestExplainKnowsEveryRule(t *testing.T) {
	p, err := pack.Default(false)
	if err != nil {
		t.Fatal(err)
	}
	yaml, err := p.EffectiveYAML()
	if err != nil {
		t.Fatal(err)
	}
	withLists := 0
	for _, r := range rules.All() {
		for _, s := range r.PackLists {
			if !bytes.Contains(yaml, []byte("\n"+s+":")) {
				t.Errorf("%s reads %q, which the default pack does not have", r.ID, s)
			}
		}
		if len(r.PackLists) > 0 {
			withLists++
		}
	}
	if withLists < 20 {
		t.Errorf("only %d rules name the pack lists they read", withLists)
	}
}

func TestExplainRule(t *testing.T) {
	p, err := pack.Default(false)
	if err != nil {
		t.Fatal(err)
	}
	text, err := explainRule(rules.DxLateralityConflict, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"DX-LATERALITY-CONFLICT: ", "Severity: error (warning when bilateral). Source: seed",
		"Pack: 0620T-default", "\nlaterality:\n", "side: R", "scrubber/RULES.md"} {
		if !strings.Contains(text, want) {
			t.Errorf("explain DX-LATERALITY-CONFLICT lacks %q:\n%s", want, text)
		}
	}
	text, _ = explainRule(rules.X12Syntax, p)
	if !strings.Contains(text, "Built in") || !strings.Contains(text, "no list of the pack") {
		t.Errorf("explain X12-SYNTAX:\n%s", text)
	}
	seed, err := pack.Default(true)
	if err != nil {
		t.Fatal(err)
	}
	if text, _ := explainRule(rules.ModAnesthesia, seed); !strings.Contains(text, "Off: ") {
		t.Errorf("a codeset rule with --seed-only:\n%s", text)
	}
}
