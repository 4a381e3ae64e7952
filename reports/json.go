package reports

import (
	"bufio"
	"bytes"
	"encoding/json"

	"errors"
	gojson "github.com/goccy/go-json"
	"io"
	"time"

	"github.com/scrub837/scrub837/scrubber/finding"
)

func init() {
	Register(Format{Name: "json", FileName: "exceptions.json", Write: WriteJSON, Streams: true})
}

// JSONSchemaVersion is the "schema_version" of exceptions.json.
const JSONSchemaVersion = 1

type jsonRun struct {
	ID          string    `json:"id"`
	ToolVersion string    `json:"tool_version"`
	Rules       jsonRules `json:"rules"`
	StartedAt   string    `json:"started_at"`
	FinishedAt  string    `json:"finished_at"`
}

type jsonRules struct {
	Name     string `json:"name"`
	Version  string `json:"version"`
	SHA256   string `json:"sha256"`
	SeedOnly bool   `json:"seed_only"`
}

// jsonSummary leaves out Summary.HeldTargetClaimsByPayerGroup: it is for
// charts and not in the schema.
type jsonSummary struct {
	Files                    int            `json:"files"`
	FilesFailed              int            `json:"files_failed"`
	Interchanges             int            `json:"interchanges"`
	Transactions             int            `json:"transactions"`
	TransactionsSkipped      int            `json:"transactions_skipped"`
	Claims                   int            `json:"claims"`
	ServiceLines             int            `json:"service_lines"`
	TargetClaims             int            `json:"target_claims"`
	TargetLines              int            `json:"target_lines"`
	CleanTargetClaims        int            `json:"clean_target_claims"`
	FindingsBySeverity       map[string]int `json:"findings_by_severity"`
	FindingsByRule           map[string]int `json:"findings_by_rule"`
	TargetClaimsByPayerGroup map[string]int `json:"target_claims_by_payer_group"`
}

type jsonFile struct {
	Path         string `json:"path"`
	Bytes        int64  `json:"bytes"`
	SHA256       string `json:"sha256"`
	Status       string `json:"status"`
	Error        string `json:"error"`
	Transactions int    `json:"transactions"`
	Claims       int    `json:"claims"`
}

// jsonFinding has the CSV columns as fields, in CSV order, under the CSV
// header names. Pointers are null: LineNumber and SegmentNumber when 0 (not
// about a line / no segment), Units and Charge when empty or not a decimal.
type jsonFinding struct {
	RunID             string       `json:"run_id"`
	File              string       `json:"file"`
	ISAControl        string       `json:"isa_control"`
	GSControl         string       `json:"gs_control"`
	STControl         string       `json:"st_control"`
	ClaimID           string       `json:"claim_id"`
	LineNumber        *int         `json:"line_number"`
	SegmentNumber     *int64       `json:"segment_number"`
	ByteOffset        int64        `json:"byte_offset"`
	RuleID            string       `json:"rule_id"`
	Severity          string       `json:"severity"`
	Source            string       `json:"source"`
	Message           string       `json:"message"`
	Suggestion        string       `json:"suggestion"`
	Procedure         string       `json:"procedure"`
	Modifiers         []string     `json:"modifiers"`
	Units             *json.Number `json:"units"`
	Charge            *json.Number `json:"charge"`
	ServiceDate       string       `json:"service_date"`
	PlaceOfService    string       `json:"place_of_service"`
	DxPointers        []string     `json:"dx_pointers"`
	PointedDiagnoses  []string     `json:"pointed_diagnoses"`
	PayerName         string       `json:"payer_name"`
	PayerID           string       `json:"payer_id"`
	PayerGroup        string       `json:"payer_group"`
	BillingNPI        string       `json:"billing_npi"`
	RenderingNPI      string       `json:"rendering_npi"`
	RenderingTaxonomy string       `json:"rendering_taxonomy"`
	MemberID          string       `json:"member_id"`
}

// WriteJSON writes r as exceptions.json (REPORTS.md), indented by two
// spaces. The document head (run, summary, files) is marshalled whole; the
// findings are streamed one at a time into a hand-written array, so memory
// does not grow with the report. The output depends on r only: map keys are
// sorted, times are RFC 3339 in UTC to the second, lists and maps are never
// null. <, > and & are written as they are, not as \u003c escapes: the file
// is read as JSON, never pasted into HTML.
func WriteJSON(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	head := struct {
		SchemaVersion int         `json:"schema_version"`
		Run           jsonRun     `json:"run"`
		Summary       jsonSummary `json:"summary"`
		Files         []jsonFile  `json:"files"`
	}{
		SchemaVersion: JSONSchemaVersion,
		Run: jsonRun{
			ID:          r.Run.ID,
			ToolVersion: r.Run.ToolVersion,
			Rules: jsonRules{
				Name:     r.Run.Rules.Name,
				Version:  r.Run.Rules.Version,
				SHA256:   r.Run.Rules.SHA256,
				SeedOnly: r.Run.Rules.SeedOnly,
			},
			StartedAt:  jsonTime(r.Run.StartedAt),
			FinishedAt: jsonTime(r.Run.FinishedAt),
		},
		Summary: jsonSummary{
			Files:                    r.Summary.Files,
			FilesFailed:              r.Summary.FilesFailed,
			Interchanges:             r.Summary.Interchanges,
			Transactions:             r.Summary.Transactions,
			TransactionsSkipped:      r.Summary.TransactionsSkipped,
			Claims:                   r.Summary.Claims,
			ServiceLines:             r.Summary.ServiceLines,
			TargetClaims:             r.Summary.TargetClaims,
			TargetLines:              r.Summary.TargetLines,
			CleanTargetClaims:        r.Summary.CleanTargetClaims,
			FindingsBySeverity:       nonNilMap(r.Summary.FindingsBySeverity),
			FindingsByRule:           nonNilMap(r.Summary.FindingsByRule),
			TargetClaimsByPayerGroup: nonNilMap(r.Summary.TargetClaimsByPayerGroup),
		},
		Files: make([]jsonFile, 0, len(r.Files)),
	}
	for _, f := range r.Files {
		head.Files = append(head.Files, jsonFile{
			Path:         f.Path,
			Bytes:        f.Bytes,
			SHA256:       f.SHA256,
			Status:       f.Status,
			Error:        f.Error,
			Transactions: f.Transactions,
			Claims:       f.Claims,
		})
	}

	var buf bytes.Buffer
	enc := newJSONEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(head); err != nil {
		return err
	}
	// Reopen the head object: drop its closing "}\n" and add "findings".
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n}\n"))
	if len(b) == buf.Len() {
		return errors.New("reports: unexpected JSON encoder output")
	}
	bw.Write(b)
	bw.WriteString(",\n  \"findings\": [")

	enc.SetIndent("    ", "  ")
	i := 0
	err := r.EachFinding(func(f *finding.Finding) error {
		buf.Reset()
		if err := enc.Encode(newJSONFinding(r, f)); err != nil {
			return err
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		i++
		bw.WriteString("\n    ")
		// Stop at the first failed write (a full disk) instead of
		// encoding the rest for nothing; bufio keeps the error.
		_, err := bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		return err
	})
	if err != nil {
		return err
	}
	if i > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("]\n}\n")
	return bw.Flush()
}

// jsonEncoder is what WriteJSON needs of an encoder: encoding/json's
// Encoder has it too.
type jsonEncoder interface {
	SetEscapeHTML(on bool)
	SetIndent(prefix, indent string)
	Encode(v any) error
}

// newJSONEncoder makes the encoder of exceptions.json: goccy/go-json, which
// writes the indented form directly, where encoding/json marshals and then
// re-scans to indent (two thirds of the report's time on a drop with many
// findings). Its bytes are encoding/json's: TestJSONEncoderMatchesEncodingJSON
// compares the two, tricky strings included. A variable for that test.
var newJSONEncoder = func(w io.Writer) jsonEncoder { return gojson.NewEncoder(w) }

func newJSONFinding(r *Report, f *finding.Finding) jsonFinding {
	jf := jsonFinding{
		RunID:             r.Run.ID,
		File:              f.File,
		ISAControl:        f.ISAControl,
		GSControl:         f.GSControl,
		STControl:         f.STControl,
		ClaimID:           f.ClaimID,
		ByteOffset:        f.ByteOffset,
		RuleID:            f.RuleID,
		Severity:          f.Severity.String(),
		Source:            f.Source,
		Message:           f.Message,
		Suggestion:        f.Suggestion,
		Procedure:         f.Procedure,
		Modifiers:         nonNilList(f.Modifiers),
		Units:             jsonNumber(f.Units),
		Charge:            jsonNumber(f.Charge),
		ServiceDate:       f.ServiceDate,
		PlaceOfService:    f.PlaceOfService,
		DxPointers:        nonNilList(f.DxPointers),
		PointedDiagnoses:  nonNilList(f.PointedDiagnoses),
		PayerName:         f.PayerName,
		PayerID:           f.PayerID,
		PayerGroup:        f.PayerGroup,
		BillingNPI:        f.BillingNPI,
		RenderingNPI:      f.RenderingNPI,
		RenderingTaxonomy: f.RenderingTaxonomy,
		MemberID:          r.MemberID(f),
	}
	if f.LineNumber != 0 {
		n := f.LineNumber
		jf.LineNumber = &n
	}
	if f.SegmentNumber != 0 {
		n := f.SegmentNumber
		jf.SegmentNumber = &n
	}
	return jf
}

// jsonTime is t as RFC 3339 in UTC, to the second.
func jsonTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}

// jsonNumber is s as a JSON number, or nil (null) when s is empty or not a
// decimal.
func jsonNumber(s string) *json.Number {
	d, ok := jsonDecimal(s)
	if !ok {
		return nil
	}
	n := json.Number(d)
	return &n
}

func nonNilList(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

func nonNilMap(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}
