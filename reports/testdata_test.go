package reports

import (
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
