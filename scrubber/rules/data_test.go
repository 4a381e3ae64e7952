package rules

import "testing"

// The rules of the public data files are exactly the five of
// scrubber/RULES.md's "Payers' edits" section, each naming its publisher;
// none is built in or has cases.
func TestCatalogueDataRules(t *testing.T) {
	want := map[ID]string{NcciPTP: "cms", NcciPTPBypassed: "cms", MueExceeded: "cms", DxCodeNotBillable: "cms", TaxonomyInvalid: "nucc"}
	for _, r := range All() {
		if r.Data != want[r.ID] {
			t.Errorf("%s: data %q, want %q", r.ID, r.Data, want[r.ID])
		}
		if r.Data != "" && (r.Builtin || !r.OnClaim || len(r.Cases) > 0) {
			t.Errorf("%s: a data rule must fire on claims, not be built in, and have no cases: %+v", r.ID, r)
		}
	}
}
