package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// Every rule of the catalogue but those of the data files (which read no
// pack list: explain names their files) is in explain's table (with the
// lists of the pack its check reads, or none), and a rule's lists are ones
// the default pack has.
func TestExplainKnowsEveryRule(t *testing.T) {
	p, err := pack.Default(false)
	if err != nil {
		t.Fatal(err)
	}
	yaml, err := p.EffectiveYAML()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules.All() {
		name := r.ID.String()
		sections, listed := packSectionsOf[name]
		none := r.Data != ""
		for _, n := range rulesWithoutSections {
			none = none || n == name
		}
		if listed == none {
			t.Errorf("%s: in packSectionsOf %v, in rulesWithoutSections %v: want exactly one", name, listed, none)
		}
		if listed {
			found := false
			for _, s := range sections {
				found = found || bytes.Contains(yaml, []byte("\n"+s+":"))
			}
			if !found {
				t.Errorf("%s reads %v, none of which the default pack has", name, sections)
			}
		}
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
