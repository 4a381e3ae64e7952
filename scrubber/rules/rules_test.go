package rules

import (
	"regexp"
	"testing"

	"github.com/scrub837/scrub837/scrubber/finding"
)

// Every ID has a row with a well-formed, unique name, a severity and a
// description, and Lookup finds it by that name.
func TestCatalogue(t *testing.T) {
	name := regexp.MustCompile(`^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$`)
	all := All()
	if len(all) != int(numIDs)-1 {
		t.Fatalf("All has %d rules, want %d", len(all), numIDs-1)
	}
	seen := map[string]bool{}
	for i, r := range all {
		if r.ID != ID(i+1) {
			t.Errorf("rule %d has ID %d: All is not in ID order", i, r.ID)
		}
		s := r.ID.String()
		if !name.MatchString(s) || seen[s] {
			t.Errorf("rule %d: name %q is malformed or taken", r.ID, s)
		}
		seen[s] = true
		if id, ok := Lookup(s); !ok || id != r.ID {
			t.Errorf("Lookup(%q) = %d, %v", s, id, ok)
		}
		if r.Severity < finding.Info || r.Severity > finding.Error || r.Checks == "" {
			t.Errorf("%s: severity %v, checks %q", s, r.Severity, r.Checks)
		}
	}
	if _, ok := Lookup("DX-MADE-UP"); ok {
		t.Error("Lookup found a rule that does not exist")
	}
	if ID(0).String() != "unknown" || numIDs.String() != "unknown" || numIDs.Rule().Checks != "" {
		t.Error("an ID outside the catalogue has a name or a row")
	}
}

// The built-in rules are the X12 structure, file and history rules; the
// history rules are HIST-DUPLICATE and the warning that the history could
// not be asked; only DX-LATERALITY-CONFLICT has a case.
func TestCatalogueBuiltinsAndCases(t *testing.T) {
	builtin := regexp.MustCompile(`^(X12|FILE|HIST)-`)
	for _, r := range All() {
		if r.Builtin != builtin.MatchString(r.ID.String()) {
			t.Errorf("%s: built in %v", r.ID, r.Builtin)
		}
		if r.History != (r.ID == HistDuplicate || r.ID == FileHistorySkipped) {
			t.Errorf("%s: history %v", r.ID, r.History)
		}
		if (len(r.Cases) > 0) != (r.ID == DxLateralityConflict) {
			t.Errorf("%s: cases %v", r.ID, r.Cases)
		}
	}
	if !DxLateralityConflict.HasCase(CaseBilateral) || DxLateralityConflict.HasCase("nonesuch") || LineUnits.HasCase(CaseBilateral) {
		t.Error("HasCase")
	}
}
