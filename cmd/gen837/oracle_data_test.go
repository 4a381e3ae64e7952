package main

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/scrub837/scrub837/scrubber"
	"github.com/scrub837/scrub837/scrubber/codedata"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// The oracle against the public data files (gen837 --data): the manifest
// lists what the data rules fire, worked out by datafiles.go from the
// claims as written, and the scrubber with the same files must find
// exactly that.

// goldenData is the repository's data folder of the golden run.
var goldenData = filepath.Join("..", "..", "testdata", "data")

// oracleDataFolder is a data folder for the oracle that speaks for every
// date of service the generator writes (2026): the NCCI PTP and MUE tables
// and the NUCC file of testdata/data, as published, their 2026 Q1 tables
// again as the next three quarters' (the same rows under the names CMS
// gives those quarters), and ICD-10-CM order files for FY2026 and FY2027
// in the published fixed-width layout that have every diagnosis the
// generator writes as billable and their shorter prefixes as headers
// (testdata/data's has only the golden samples').
func oracleDataFolder(t testing.TB) *codedata.Set {
	t.Helper()
	dir := t.TempDir()
	copyFile := func(from, to string) {
		b, err := os.ReadFile(filepath.Join(goldenData, from))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, to), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(goldenData)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if name := e.Name(); !strings.HasPrefix(name, "icd10cm") && !strings.HasSuffix(name, ".md") {
			copyFile(name, name)
		}
	}
	for q, v := range []string{"v321r0", "v322r0", "v323r0"} {
		for part := 1; part <= 4; part++ {
			zipped := fmt.Sprintf("medicare-ncci-2026q1-practitioner-ptp-edits-ccipra-v320r0-f%d.zip", part)
			rezip(t, filepath.Join(goldenData, zipped), filepath.Join(dir, fmt.Sprintf("medicare-ncci-2026q%d-practitioner-ptp-edits-ccipra-%s-f%d.zip", q+2, v, part)),
				fmt.Sprintf("ccipra-%s-f%d.TXT", v, part))
		}
		rezip(t, filepath.Join(goldenData, "medicare-ncci-2026-q1-practitioner-services-mue-table.zip"),
			filepath.Join(dir, fmt.Sprintf("medicare-ncci-2026-q%d-practitioner-services-mue-table.zip", q+2)),
			fmt.Sprintf("MCR_MUE_PractitionerServices_Eff_%02d-01-2026.csv", 3*q+4))
	}
	codes := map[string]bool{} // code -> billable
	for _, list := range append(slices.Clone(vocabulary), []string{severityRight, severityLeft}) {
		for _, code := range list {
			codes[code] = true
		}
	}
	for code := range codes {
		for n := 3; n < len(code); n++ {
			if !codes[code[:n]] {
				codes[code[:n]] = false
			}
		}
	}
	keys := make([]string, 0, len(codes))
	for code := range codes {
		keys = append(keys, code)
	}
	slices.Sort(keys)
	var b strings.Builder
	for i, code := range keys {
		flag := '0'
		if codes[code] {
			flag = '1'
		}
		long := "Synthetic description of " + code + " for the gen837 oracle"
		// icd10OrderFiles.pdf: order number, code, flag, short description
		// (60), long description, separated by one space; CR LF.
		fmt.Fprintf(&b, "%05d %-7s %c %-60.60s %s\r\n", i+1, code, flag, long, long)
	}
	for _, name := range []string{"icd10cm-order-2026.txt", "icd10cm-order-2027.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	set, err := codedata.Load(dir, codedata.Options{Procedures: []string{procedure}})
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func loadGoldenData(t testing.TB) *codedata.Set {
	t.Helper()
	set, err := codedata.Load(goldenData, codedata.Options{Procedures: []string{procedure}})
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// dataOracle generates a drop against set, scrubs it with set, and
// compares the findings with the manifest.
func dataOracle(t *testing.T, set *codedata.Set, cfg Config) *Manifest {
	t.Helper()
	cfg.Data = set
	bufs, m := generateInMemory(t, cfg)
	got, _ := scrubDropWith(t, bufs, scrubber.Options{Data: set})
	compareToManifest(t, m, got)
	return m
}

// TestOracleData: every data rule is planted and found exactly as the
// manifest says, the pack's findings they replace are gone, and the clean
// claims stay clean.
func TestOracleData(t *testing.T) {
	set := oracleDataFolder(t)
	cfg := DefaultConfig()
	cfg.Claims, cfg.Files, cfg.Seed = 5000, 3, 20260115
	cfg.TargetShare, cfg.DefectRate = 0.2, 0.6
	m := dataOracle(t, set, cfg)
	for _, r := range rules.All() {
		if r.Data != "" && m.RulesPlanted[r.ID.String()] == 0 {
			t.Errorf("data rule %s was never expected", r.ID)
		}
	}
	g := &generator{data: newDataFiles(set)}
	for _, k := range g.data.defects() {
		if m.DefectsPlanted[k.name] == 0 {
			t.Errorf("defect %s was never planted", k.name)
		}
	}
	if n := len(g.data.defects()); n != 5 {
		t.Errorf("the oracle's folder offers %d data defects, want 5", n)
	}
	// The pack's defects that the data files judge instead: their claims
	// expect the data rule (and the scrubber found it, above).
	for defect, rule := range map[string]rules.ID{"bundle-included": rules.NcciPTP,
		"line-units": rules.MueExceeded, "line-duplicate": rules.MueExceeded, "dx-code-incomplete": rules.DxCodeNotBillable,
		"line-taxonomy-atypical": rules.TaxonomyInvalid, "dx-code-invalid": rules.DxCodeNotBillable} {
		n := 0
		for id, d := range m.Defects {
			if d == defect && slices.Contains(m.Claims[id], rule.String()) {
				n++
			}
		}
		if n == 0 {
			t.Errorf("no %s defect met the data files: none expects %s", defect, rule)
		}
	}
	t.Logf("%d claims, %d target, %d planted; data rules expected: %v", m.Totals.Claims, m.Totals.TargetClaims,
		m.Totals.PlantedClaims, dataRulesPlanted(m))
}

func dataRulesPlanted(m *Manifest) map[string]int {
	out := map[string]int{}
	for id, n := range m.RulesPlanted {
		if r, _ := rules.Lookup(id); r.Rule().Data != "" {
			out[id] = n
		}
	}
	return out
}

// Against testdata/data as it is, whose ICD-10-CM file has few of the
// generator's codes: the clean claims' codes are replaced where the file
// has another of the list, and the manifest expects DX-CODE-NOT-BILLABLE
// where it has none.
func TestOracleGoldenDataFolder(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Claims, cfg.Files, cfg.Seed = 3000, 2, 11
	cfg.TargetShare, cfg.DefectRate = 0.2, 0.5
	m := dataOracle(t, loadGoldenData(t), cfg)
	t.Logf("data rules expected: %v", dataRulesPlanted(m))
}

// With no defect planted, a drop made against the data files has no error
// on any claim and no warning but the look-alikes' (BUNDLE-OVERRIDE, or
// NCCI-PTP-BYPASSED where an edit replaces it).
func TestCleanDropData(t *testing.T) {
	set := oracleDataFolder(t)
	cfg := DefaultConfig()
	cfg.Claims, cfg.Files, cfg.TargetShare, cfg.Seed = 6000, 2, 0.5, 99
	m := dataOracle(t, set, cfg)
	for id, ids := range m.Claims {
		for _, r := range ids {
			if r != rules.BundleOverride.String() && r != rules.NcciPTPBypassed.String() && r != rules.LineTaxonomyMissing.String() {
				t.Errorf("clean claim %s expects %s", id, r)
			}
		}
	}
}

// The drop made against data files is as deterministic as one without.
func TestDeterministicData(t *testing.T) {
	set := oracleDataFolder(t)
	cfg := DefaultConfig()
	cfg.Claims, cfg.Files, cfg.DefectRate, cfg.Data = 2000, 2, 0.5, set
	a, ma := generateInMemory(t, cfg)
	b, mb := generateInMemory(t, cfg)
	for i := range a {
		if !slices.Equal(a[i].Bytes(), b[i].Bytes()) {
			t.Fatalf("file %d differs between two runs", i)
		}
	}
	if fmt.Sprint(ma) != fmt.Sprint(mb) {
		t.Fatal("manifests differ between two runs")
	}
}

// TestOracleDataSeeds is TestOracleSeeds against the oracle's data folder:
// GEN837_SEEDS=300 go test -run OracleDataSeeds ./cmd/gen837/
func TestOracleDataSeeds(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("GEN837_SEEDS"))
	if n == 0 {
		t.Skip("set GEN837_SEEDS to run")
	}
	set := oracleDataFolder(t)
	for seed := uint64(1); seed <= uint64(n); seed++ {
		cfg := DefaultConfig()
		cfg.Claims, cfg.Files, cfg.Seed = 3000, 2, seed*7919
		cfg.TargetShare, cfg.DefectRate = 0.3, 0.7
		dataOracle(t, set, cfg)
		if t.Failed() {
			t.Fatalf("seed %d", cfg.Seed)
		}
	}
}

// rezip copies the one member of ZIP from into a new ZIP to, named member.
func rezip(t testing.TB, from, to, member string) {
	t.Helper()
	zr, err := zip.OpenReader(from)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	if len(zr.File) != 1 {
		t.Fatalf("%s holds %d files, want 1", from, len(zr.File))
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	f, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	w, err := zw.Create(member)
	if err == nil {
		_, err = io.Copy(w, rc)
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
}
