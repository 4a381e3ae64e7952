package reports

import (
	"fmt"
	"strings"
	"time"

	"github.com/scrub837/scrub837/scrubber/finding"
)

// sampleReport has a service-line finding with awkward text, a file-level
// finding with nothing but a position, and a finding whose input fields
// look like spreadsheet formulas.
func sampleReport() *Report {
	return &Report{
		Run: Run{
			ID:          "run-42",
			ToolVersion: "v1.2.3",
			Rules:       RulesInfo{Name: "default", Version: "2026.1", Procedure: "0620T", SHA256: "abc123", SeedOnly: true},
			StartedAt:   time.Date(2026, 3, 1, 9, 30, 0, 123456789, time.FixedZone("EST", -5*3600)),
			FinishedAt:  time.Date(2026, 3, 1, 14, 31, 5, 0, time.UTC),
		},
		Summary: Summary{
			Files: 2, FilesFailed: 1, Interchanges: 3, Transactions: 4, TransactionsSkipped: 5,
			Claims: 6, ServiceLines: 7, TargetClaims: 8, TargetLines: 9, CleanTargetClaims: 10,
			FindingsBySeverity:           map[string]int{"warning": 1, "error": 2, "info": 0},
			FindingsByRule:               map[string]int{"Z-RULE": 1, "A-RULE": 1, "M-RULE": 1},
			TargetClaimsByPayerGroup:     map[string]int{"Other": 1, "Aetna": 2, "Medicare": 5},
			HeldTargetClaimsByPayerGroup: map[string]int{"Aetna": 1},
		},
		Files: []File{
			{Path: "in/a.837", Bytes: 1234, SHA256: "deadbeef", Status: "ok", Transactions: 2, Claims: 6},
			{Path: "in/b.837.gz", Bytes: 9, SHA256: "feed", Status: "failed", Error: "not an X12 file"},
		},
		Findings: []finding.Finding{
			{
				File: "in/a.837", ISAControl: "000000001", GSControl: "1", STControl: "0001",
				ClaimID: "CLM,001", LineNumber: 2, SegmentNumber: 37, ByteOffset: 1024,
				RuleID: "A-RULE", Severity: finding.Error, Source: "seed",
				Message:    `modifier "25" on a line, with a comma` + "\nand a second line",
				Suggestion: "Remove 25 | or add a distinct E/M",
				Procedure:  "99213", Modifiers: []string{"25", "59"}, Units: "1", Charge: "-5.00",
				ServiceDate: "20260102", PlaceOfService: "11",
				DxPointers: []string{"1", "2"}, PointedDiagnoses: []string{"E119", "I10"},
				PayerName: "AETNA", PayerID: "60054", PayerGroup: "Aetna",
				BillingNPI: "1234567893", RenderingNPI: "1245319599", RenderingTaxonomy: "207Q00000X",
				MemberID: "W123456789",
			},
			{
				File: "in/b.837.gz", RuleID: "M-RULE", Severity: finding.Warning,
				Message: "-- file is empty", Suggestion: "=resend it",
			},
			{
				File: "-", ClaimID: "=HYPERLINK(\"http://x\")", LineNumber: 1, SegmentNumber: 5, ByteOffset: 77,
				RuleID: "Z-RULE", Severity: finding.Info, Source: "codeset",
				Message: "ok", Procedure: "+99213", Modifiers: []string{"@x"},
				Units: ".5", Charge: "=1+2", PayerName: "-2+3", PayerGroup: "Other",
				RenderingTaxonomy: "\tTAB", MemberID: "@SUM",
			},
		},
	}
}

// Input text the pages must show as text, never run or parse.
const (
	evilClaimID = `<script>window.__pwned=1</script>`
	evilPayer   = `ACME & <Sons> "Health"`
	evilCode    = `0620T"><img src=x onerror=alert(1)>`
)

// analystReport is a small run as an analyst would see it: three inputs (one
// failed), 0620T claims held, in review, ready and void over several payer
// groups and files, findings of each severity over several rules, a
// file-level finding, a malicious claim ID and a payer name full of markup.
func analystReport() *Report {
	line := func(file string, idx int, claim string, claimAt int64, lx int, seg, off int64, rule string, sev finding.Severity,
		msg, sug, payer, payerID, group string) finding.Finding {
		return finding.Finding{
			FileIndex: idx, ClaimOffset: claimAt, File: file,
			ISAControl: "000000101", GSControl: "101", STControl: "0001",
			ClaimID: claim, LineNumber: lx, SegmentNumber: seg, ByteOffset: off,
			RuleID: rule, Severity: sev, Source: "seed", Message: msg, Suggestion: sug,
			Procedure: "0620T", Modifiers: []string{"RT"}, Units: "1", Charge: "1250.00",
			ServiceDate: "20260105", PlaceOfService: "22",
			DxPointers: []string{"1", "2"}, PointedDiagnoses: []string{"I5022", "I10"},
			PayerName: payer, PayerID: payerID, PayerGroup: group,
			BillingNPI: "1234567893", RenderingNPI: "1245319599", RenderingTaxonomy: "207RC0000X",
			MemberID: "W987654321",
		}
	}
	const a, b = "in/mon/batch-a.837", "in/mon/batch-b.837"
	fs := []finding.Finding{
		line(a, 0, "CLM-1001", 1700, 1, 31, 1800, "MOD-LATERALITY-MISSING", finding.Error,
			"0620T is billed without RT or LT", "Add RT or LT for the treated side", "MEDICARE PART B", "12202", "Medicare"),
		line(a, 0, "CLM-1001", 1700, 1, 32, 1850, "DX-NOT-SUPPORTING", finding.Warning,
			"No pointed diagnosis supports 0620T", "Point the line at a diagnosis from the policy list", "MEDICARE PART B", "12202", "Medicare"),
		line(a, 0, "CLM-1002", 2600, 1, 45, 2700, "DX-NOT-SUPPORTING", finding.Warning,
			"No pointed diagnosis supports 0620T", "Point the line at a diagnosis from the policy list", "MEDICARE PART B", "12202", "Medicare"),
		line(a, 0, evilClaimID, 4000, 1, 60, 4100, "LINE-UNITS", finding.Error,
			"0620T is billed with 3 units; expected 1", "Bill 1 unit", evilPayer, "99999", "Other"),
		line(b, 1, "CLM-2002", 850, 2, 18, 950, "MOD-LATERALITY-MISSING", finding.Error,
			"0620T is billed without RT or LT", "Add RT or LT for the treated side", "AETNA", "60054", "Aetna"),
		line(b, 1, "CLM-2003", 2500, 1, 44, 2600, "LINE-POS-ATYPICAL", finding.Info,
			"Place of service 11 is atypical for 0620T", "Check the place of service", "BLUE CROSS OF TEXAS", "84980", "BCBS"),
		{FileIndex: 1, File: b, ISAControl: "000000102", ByteOffset: 9000, SegmentNumber: 200, RuleID: "X12-SE-COUNT",
			Severity: finding.Warning, Message: "SE01 says 40 segments; the transaction has 41", Suggestion: "Recount SE01"},
	}
	fs[3].Procedure = evilCode
	fs[3].Units = "3"
	fs[5].Modifiers = nil
	fs[5].PlaceOfService = "11"
	claim := func(file string, idx int, at int64, id, freq, charge, payer, payerID, group string) finding.ClaimSummary {
		return finding.ClaimSummary{FileIndex: idx, File: file, ClaimOffset: at, ClaimID: id, STControl: "0001", Frequency: freq,
			ServiceDate: "20260105", TargetLines: 1, TotalCharge: charge, PayerName: payer, PayerID: payerID, PayerGroup: group,
			BillingNPI: "1234567893", RenderingNPI: "1245319599", MemberID: "W987654321"}
	}
	claims := ClaimSlice{
		claim(a, 0, 1700, "CLM-1001", "1", "1250.00", "MEDICARE PART B", "12202", "Medicare"),
		claim(a, 0, 2600, "CLM-1002", "1", "1250.00", "MEDICARE PART B", "12202", "Medicare"),
		claim(a, 0, 3300, "CLM-1003", "1", "980", "MEDICARE PART B", "12202", "Medicare"),
		claim(a, 0, 4000, evilClaimID, "1", "3750.00", evilPayer, "99999", "Other"),
		claim(b, 1, 850, "CLM-2002", "1", "1250.00", "AETNA", "60054", "Aetna"),
		claim(b, 1, 1700, "CLM-2009", "8", "1250.00", "AETNA", "60054", "Aetna"),
		claim(b, 1, 2500, "CLM-2003", "1", "1250.00", "BLUE CROSS OF TEXAS", "84980", "BCBS"),
		claim(b, 1, 3500, "CLM-2004", "1", "1250.00", "MEDICARE PART B", "12202", "Medicare"),
	}
	return &Report{
		Run: Run{
			ID:          "run-2026-03-02",
			ToolVersion: "v0.9.0",
			Rules:       RulesInfo{Name: "0620T-policy", Version: "2026.1", Procedure: "0620T", SHA256: strings.Repeat("ab", 32), SeedOnly: true},
			StartedAt:   time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC),
			FinishedAt:  time.Date(2026, 3, 2, 6, 1, 30, 0, time.UTC),
		},
		Summary: Summary{
			Files: 3, FilesFailed: 1, Interchanges: 2, Transactions: 2,
			Claims: 120, ServiceLines: 310, TargetClaims: 8, TargetLines: 9, CleanTargetClaims: 3,
			FindingsBySeverity: map[string]int{"error": 3, "warning": 3, "info": 1},
			FindingsByRule: map[string]int{"MOD-LATERALITY-MISSING": 2, "DX-NOT-SUPPORTING": 2,
				"LINE-UNITS": 1, "LINE-POS-ATYPICAL": 1, "X12-SE-COUNT": 1},
			TargetClaimsByPayerGroup:      map[string]int{"Medicare": 4, "Aetna": 2, "BCBS": 1, "Other": 1},
			HeldTargetClaimsByPayerGroup:  map[string]int{"Medicare": 1, "Aetna": 1, "Other": 1},
			CleanTargetClaimsByPayerGroup: map[string]int{"Medicare": 2, "BCBS": 1},
		},
		Files: []File{
			{Path: a, Bytes: 5000, SHA256: "aa", Status: "ok", Transactions: 1, Claims: 70},
			{Path: b, Bytes: 3000, SHA256: "bb", Status: "ok", Transactions: 1, Claims: 50},
			{Path: "in/mon/<broken>.837", Bytes: 12, SHA256: "cc", Status: "failed", Error: `no ISA segment at byte 0 ("<x>")`},
		},
		Findings: fs,
		Claims:   claims,
	}
}

// manyFindingsReport has n findings over a few rules and n/3 claims, in
// report order.
func manyFindingsReport(n int) *Report {
	r := analystReport()
	rules := []struct {
		id  string
		sev finding.Severity
	}{{"LINE-UNITS", finding.Error}, {"DX-NOT-SUPPORTING", finding.Warning}, {"LINE-POS-ATYPICAL", finding.Info}}
	r.Findings = make([]finding.Finding, 0, n)
	var claims ClaimSlice
	for i := 0; i < n; i++ {
		ru := rules[i%len(rules)]
		claimAt := int64(100*(i-i%3)) + 1
		if i%3 == 0 {
			claims = append(claims, finding.ClaimSummary{File: "in/big.837", ClaimOffset: claimAt, ClaimID: fmt.Sprintf("C%06d", i),
				Frequency: "1", TotalCharge: "100", PayerGroup: "Medicare", TargetLines: 1})
		}
		r.Findings = append(r.Findings, finding.Finding{
			File: "in/big.837", ClaimOffset: claimAt, ClaimID: fmt.Sprintf("C%06d", i), LineNumber: 1,
			SegmentNumber: int64(10 + i), ByteOffset: int64(100 * i),
			RuleID: ru.id, Severity: ru.sev, Message: "m", Procedure: "0620T", PayerGroup: "Medicare",
		})
	}
	r.Claims = claims
	return r
}

// scrubberSort puts r's findings back in report order.
func scrubberSort(r *Report) { finding.Sort(r.Findings) }

// ClaimSlice is a ClaimSource held in memory.
type ClaimSlice []finding.ClaimSummary

// Len is the number of claims.
func (s ClaimSlice) Len() int { return len(s) }

// Each calls fn for each claim in order.
func (s ClaimSlice) Each(fn func(*finding.ClaimSummary) error) error {
	for i := range s {
		if err := fn(&s[i]); err != nil {
			return err
		}
	}
	return nil
}
