package codedata

import (
	"strings"
	"testing"
)

func TestRecognisePublishedNames(t *testing.T) {
	cases := []struct {
		name, where string
		kind        Kind
		version     string
		part        int
		start       string
		reason      string
	}{
		{"ccipra-v321r0-f1.TXT", "", KindPTP, "v321r0", 1, "20260401", ""},
		{"ccipra-v313r0-f4.txt", "", KindPTP, "v313r0", 4, "20251001", ""},
		{"ccipra-v320r1-f2.TXT", "", KindPTP, "v320r1", 2, "20260101", ""},
		{"ccipra-v324r0-f1.TXT", "", "", "", 0, "", "names no quarter"},
		{"ccipra-v321r0-f1.xlsx", "", "", "", 0, "", "Excel copy"},
		{"ccioph-v321r0-f1.TXT", "", "", "", 0, "", "outpatient hospitals"},
		{"MCR_MUE_PractitionerServices_Eff_04-01-2026.csv", "", KindMUE, "Eff 20260401", 0, "20260401", ""},
		{"mcr_mue_practitionerservices_eff_10-01-2025.CSV", "", KindMUE, "Eff 20251001", 0, "20251001", ""},
		{"MCR_MUE_PractitionerServices_Eff_02-30-2026.csv", "", "", "", 0, "", "is not a date"},
		{"MCR_MUE_OutpatientHospitalServices_Eff_04-01-2026.csv", "", "", "", 0, "", "another provider type"},
		{"MCR_MUE_PractitionerServices_Eff_04-01-2026.xlsx", "", "", "", 0, "", "Excel copy"},
		{"icd10cm-order-2026.txt", "", KindICD10CM, "FY2026", 0, "20251001", ""},
		{"icd10cm_order_2025.txt", "", KindICD10CM, "FY2025", 0, "20241001", ""},
		{"ICD10CM-Order-2025.TXT", "", KindICD10CM, "FY2025", 0, "20241001", ""},
		{"icd10cm-order-April-1-2026.txt", "", KindICD10CM, "FY2026 update 20260401", 0, "20260401", ""},
		{"icd10cm-order-Jan-2025.txt", "", KindICD10CM, "FY2025 update 20250101", 0, "20250101", ""},
		{"Code Descriptions/icd10cm_order_2026.txt", "april-1-2026-code-descriptions-tabular-order.zip/Code Descriptions/icd10cm_order_2026.txt", KindICD10CM, "FY2026 update 20260401", 0, "20260401", ""},
		{"icd10cm-order-2026.txt", "icd10cm-Code Descriptions-April-1-2026.zip/icd10cm-order-2026.txt", KindICD10CM, "FY2026 update 20260401", 0, "20260401", ""},
		{"icd10cm-order-2026.txt", "2026-code-descriptions-tabular-order.zip/icd10cm-order-2026.txt", KindICD10CM, "FY2026", 0, "20251001", ""},
		{"icd10cm-order-addenda-2026.txt", "", "", "", 0, "", "addenda"},
		{"icd10cm-codes-2026.txt", "", "", "", 0, "", "other than the order file"},
		{"nucc_taxonomy_251.csv", "", KindNUCC, "25.1", 0, "", ""},
		{"nucc_taxonomy_260.csv", "", KindNUCC, "26.0", 0, "", ""},
		{"._icd10cm_order_2026.txt", "", "", "", 0, "", "not a file scrub837 reads"},
	}
	for _, c := range cases {
		where := c.where
		if where == "" {
			where = c.name
		}
		e, reason := recognise(c.name, where)
		if c.reason != "" {
			if !strings.Contains(reason, c.reason) {
				t.Errorf("%s: reason %q, want %q", c.name, reason, c.reason)
			}
			continue
		}
		if reason != "" || e.kind != c.kind || e.version != c.version || e.part != c.part || e.start.String() != c.start {
			t.Errorf("%s (%s): %+v %q, want %s %s part %d from %s", c.name, where, e, reason, c.kind, c.version, c.part, c.start)
		}
	}
}

func TestSniffUnpublishedNames(t *testing.T) {
	for head, want := range map[string]string{
		"CPT only copyright\r\nColumn1/Column2 Edits\t\t\r\n":                                                  "NCCI PTP",
		"\"notice\",,,\r\n\"HCPCS/\r\nCPT Code\",Practitioner Services MUE Values,MUE Adjudication Indicator,": "MUE table",
		"\xef\xbb\xbfCode,Grouping,Classification,Specialization":                                              "NUCC taxonomy",
		"00001 A00     0 Cholera                                   ":                                           "ICD-10-CM order file",
		"hello": "",
	} {
		if got := sniff([]byte(head)); want == "" && got != "" || !strings.Contains(got, want) {
			t.Errorf("sniff(%q) = %q, want %q", head, got, want)
		}
	}
}

func TestDates(t *testing.T) {
	for s, ok := range map[string]bool{"20240229": true, "20250229": false, "20261301": false, "20260100": false,
		"2026011": false, "2026O114": false, "18991231": false, "20261231": true} {
		if _, got := parseDate(s); got != ok {
			t.Errorf("parseDate(%s) ok = %v", s, got)
		}
	}
	for d, want := range map[date]int{20250930: 2025, 20251001: 2026, 20260930: 2026, 20261001: 2027} {
		if fiscalYear(d) != want {
			t.Errorf("fiscalYear(%d) = %d, want %d", d, fiscalYear(d), want)
		}
	}
	for d, want := range map[date]date{20260101: 20251231, 20260301: 20260228, 20240301: 20240229, 20260415: 20260414} {
		if dayBefore(d) != want {
			t.Errorf("dayBefore(%d) = %d", d, dayBefore(d))
		}
	}
	for d, want := range map[date]date{20260101: 20260331, 20260515: 20260630, 20261001: 20261231, 20260930: 20260930} {
		if quarterEnd(d) != want {
			t.Errorf("quarterEnd(%d) = %d", d, quarterEnd(d))
		}
	}
}
