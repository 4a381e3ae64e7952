package reports

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"time"

	gojson "github.com/goccy/go-json"

	"github.com/scrub837/scrub837/scrubber/finding"
)

func init() {
	Register(Format{Name: "json", Files: []FormatFile{{Name: "exceptions.json", Write: WriteJSON, Streams: true}}})
}

// JSONSchemaVersion is the "schema_version" of exceptions.json.
const JSONSchemaVersion = 2

type jsonRun struct {
	ID          string         `json:"id"`
	ToolVersion string         `json:"tool_version"`
	Rules       jsonRules      `json:"rules"`
	StartedAt   string         `json:"started_at"`
	FinishedAt  string         `json:"finished_at"`
	Data        []DataFileJSON `json:"data,omitempty"` // only with --data: the reports of a run without stay as they were
}

// DataFileJSON is one entry of run.data in exceptions.json (dates
// YYYY-MM-DD), which `scrub837 data --json` lists too.
type DataFileJSON struct {
	Kind      string `json:"kind"`
	File      string `json:"file"`
	Member    string `json:"member,omitempty"`
	Version   string `json:"version"`
	Part      int    `json:"part,omitempty"`
	Effective string `json:"effective,omitempty"`
	Through   string `json:"through,omitempty"`
	Rows      int    `json:"rows"`
	RowsKept  int    `json:"rows_kept"`
	SHA256    string `json:"sha256"`
	Note      string `json:"note,omitempty"`
}

type jsonRules struct {
	Name     string `json:"name"`
	Version  string `json:"version"`
	SHA256   string `json:"sha256"`
	SeedOnly bool   `json:"seed_only"`
}

// jsonSummary leaves out Summary.HeldTargetClaimsByPayerGroup and
// CleanTargetClaimsByPayerGroup: they are for charts. The worklist totals
// come from Report.Totals: claims by status under --hold-on, and the held
// claims' total charges (a claim held by two rules counts under both).
type jsonSummary struct {
	Files                    int                    `json:"files"`
	FilesFailed              int                    `json:"files_failed"`
	Interchanges             int                    `json:"interchanges"`
	Transactions             int                    `json:"transactions"`
	TransactionsSkipped      int                    `json:"transactions_skipped"`
	Claims                   int                    `json:"claims"`
	ServiceLines             int                    `json:"service_lines"`
	TargetClaims             int                    `json:"target_claims"`
	TargetLines              int                    `json:"target_lines"`
	CleanTargetClaims        int                    `json:"clean_target_claims"`
	FindingsBySeverity       map[string]int         `json:"findings_by_severity"`
	FindingsByRule           map[string]int         `json:"findings_by_rule"`
	TargetClaimsByPayerGroup map[string]int         `json:"target_claims_by_payer_group"`
	HoldOn                   string                 `json:"hold_on"`
	ClaimsByStatus           map[string]int         `json:"claims_by_status"`
	HeldCharge               json.Number            `json:"held_charge"`
	HeldChargeByRule         map[string]json.Number `json:"held_charge_by_rule"`
	HeldClaimsByRule         map[string]int         `json:"held_claims_by_rule"`
	TextRepaired             int                    `json:"text_repaired"`
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

// jsonClaim has the claims.csv columns as fields, in that order, under the
// same names, but run_id (the document's run.id); counts, target lines and
// the total charge are numbers (the charge null when it is not one).
type jsonClaim struct {
	File          string       `json:"file"`
	STControl     string       `json:"st_control"`
	ClaimID       string       `json:"claim_id"`
	Status        string       `json:"status"`
	WorstSeverity string       `json:"worst_severity"`
	Errors        int          `json:"errors"`
	Warnings      int          `json:"warnings"`
	Infos         int          `json:"infos"`
	Rules         []string     `json:"rules"`
	FirstFix      string       `json:"first_fix"`
	Frequency     string       `json:"frequency"`
	ServiceDate   string       `json:"service_date"`
	TargetLines   int          `json:"target_lines"`
	TotalCharge   *json.Number `json:"total_charge"`
	PayerName     string       `json:"payer_name"`
	PayerID       string       `json:"payer_id"`
	PayerGroup    string       `json:"payer_group"`
	BillingNPI    string       `json:"billing_npi"`
	RenderingNPI  string       `json:"rendering_npi"`
	MemberID      string       `json:"member_id"`
}

// jsonFinding is a finding that is not a target claim's (a file's, an
// envelope's, another claim's): the CSV columns as fields, in CSV order,
// under the CSV header names, but run_id (the document's run.id).
type jsonFinding struct {
	File       string `json:"file"`
	ISAControl string `json:"isa_control"`
	GSControl  string `json:"gs_control"`
	STControl  string `json:"st_control"`
	ClaimID    string `json:"claim_id"`
	jsonFindingCols
	PayerName         string `json:"payer_name"`
	PayerID           string `json:"payer_id"`
	PayerGroup        string `json:"payer_group"`
	BillingNPI        string `json:"billing_npi"`
	RenderingNPI      string `json:"rendering_npi"`
	RenderingTaxonomy string `json:"rendering_taxonomy"`
	MemberID          string `json:"member_id"`
}

// jsonClaimFinding is a finding of a target claim: "claim" is the claim's
// place in claims[] (from 0), which holds the claim's own columns (file,
// st_control, payer_name, payer_id, payer_group, billing_npi, member_id),
// so they are not repeated on each of its findings.
type jsonClaimFinding struct {
	Claim      int    `json:"claim"`
	ISAControl string `json:"isa_control"`
	GSControl  string `json:"gs_control"`
	ClaimID    string `json:"claim_id"`
	jsonFindingCols
	RenderingNPI      string `json:"rendering_npi"`
	RenderingTaxonomy string `json:"rendering_taxonomy"`
}

// jsonFindingCols are the columns every finding has, from line_number to
// pointed_diagnoses. Pointers are null: LineNumber and SegmentNumber when
// 0 (not about a line / no segment), Units and Charge when empty or not a
// decimal.
type jsonFindingCols struct {
	LineNumber       *int         `json:"line_number"`
	SegmentNumber    *int64       `json:"segment_number"`
	ByteOffset       int64        `json:"byte_offset"`
	RuleID           string       `json:"rule_id"`
	Severity         string       `json:"severity"`
	Source           string       `json:"source"`
	Message          string       `json:"message"`
	Suggestion       string       `json:"suggestion"`
	Procedure        string       `json:"procedure"`
	Modifiers        []string     `json:"modifiers"`
	Units            *json.Number `json:"units"`
	Charge           *json.Number `json:"charge"`
	ServiceDate      string       `json:"service_date"`
	PlaceOfService   string       `json:"place_of_service"`
	DxPointers       []string     `json:"dx_pointers"`
	PointedDiagnoses []string     `json:"pointed_diagnoses"`
}

// WriteJSON writes r as exceptions.json, schema 2 (REPORTS.md): the head
// (schema_version, run, summary, files) indented by two spaces, then
// "claims" and "findings" with each claim and each finding as one compact
// line, so that grep, wc -l and jq -c work on the file line by line while
// it stays one JSON document, and a finding costs no indentation. Each
// element line ends with a comma but the last of its array.
//
// Each value is written once: the run ID is run.id (no row repeats it),
// and a target claim's findings name the claim by its place in claims[]
// ("claim") rather than repeat its file, ST, payer, billing NPI and member
// ID. On a drop with about one finding a target claim that makes a
// finding 713 bytes where it was 887, the claims 506 bytes each.
//
// The claims and findings are streamed one at a time, so memory does not
// grow with the report. The output depends on r only: map keys are sorted,
// times are RFC 3339 in UTC to the second, lists and maps are never null,
// text is valid UTF-8 without NUL (cleanText). <, > and & are written as
// they are, not as \u003c escapes: the file is read as JSON, never pasted
// into HTML.
func WriteJSON(w io.Writer, r *Report) error {
	totals, err := r.Totals()
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	head := struct {
		SchemaVersion int         `json:"schema_version"`
		Run           jsonRun     `json:"run"`
		Summary       jsonSummary `json:"summary"`
		Files         []jsonFile  `json:"files"`
	}{
		SchemaVersion: JSONSchemaVersion,
		Run: jsonRun{
			ID:          cleanText(r.Run.ID),
			ToolVersion: cleanText(r.Run.ToolVersion),
			Rules: jsonRules{
				Name:     cleanText(r.Run.Rules.Name),
				Version:  cleanText(r.Run.Rules.Version),
				SHA256:   cleanText(r.Run.Rules.SHA256),
				SeedOnly: r.Run.Rules.SeedOnly,
			},
			StartedAt:  jsonTime(r.Run.StartedAt),
			FinishedAt: jsonTime(r.Run.FinishedAt),
			Data:       DataFilesJSON(r.Run.Data),
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
			HoldOn:                   totals.HoldOn.String(),
			ClaimsByStatus:           map[string]int{},
			HeldCharge:               json.Number(fmtCents(totals.HeldCharge)),
			HeldChargeByRule:         map[string]json.Number{},
			HeldClaimsByRule:         nonNilMap(totals.HeldClaimsByRule),
			TextRepaired:             totals.TextRepaired,
		},
		Files: make([]jsonFile, 0, len(r.Files)),
	}
	for _, s := range Statuses {
		head.Summary.ClaimsByStatus[s.String()] = totals.Of(s)
	}
	for rule, c := range totals.HeldChargeByRule {
		head.Summary.HeldChargeByRule[rule] = json.Number(fmtCents(c))
	}
	for _, f := range r.Files {
		head.Files = append(head.Files, jsonFile{
			Path:         cleanText(f.Path),
			Bytes:        f.Bytes,
			SHA256:       cleanText(f.SHA256),
			Status:       f.Status,
			Error:        cleanText(f.Error),
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
	// Reopen the head object: drop its closing "}\n" and add the arrays.
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n}\n"))
	if len(b) == buf.Len() {
		return errors.New("reports: unexpected JSON encoder output")
	}
	bw.Write(b)

	enc.SetIndent("", "")
	// array writes one array of the document: each element on its line.
	array := func(name string, each func(put func(v any) error) error) error {
		bw.WriteString(",\n  \"" + name + "\": [")
		n := 0
		err := each(func(v any) error {
			buf.Reset()
			if err := enc.Encode(v); err != nil {
				return err
			}
			if n > 0 {
				bw.WriteByte(',')
			}
			n++
			bw.WriteByte('\n')
			// Stop at the first failed write (a full disk) instead of
			// encoding the rest for nothing; bufio keeps the error.
			_, err := bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
			return err
		})
		if err != nil {
			return err
		}
		if n > 0 {
			bw.WriteString("\n  ")
		}
		bw.WriteString("]")
		return nil
	}
	err = array("claims", func(put func(any) error) error {
		return r.EachClaim(func(c *ClaimRow) error { return put(newJSONClaim(r, c)) })
	})
	if err != nil {
		return err
	}
	err = array("findings", func(put func(any) error) error {
		claims := newClaimIndex(r)
		err := r.EachFinding(func(f *finding.Finding) error {
			if i, ok := claims.find(f); ok {
				return put(newJSONClaimFinding(i, f))
			}
			return put(newJSONFinding(r, f))
		})
		if cerr := claims.close(); err == nil {
			err = cerr
		}
		return err
	})
	if err != nil {
		return err
	}
	bw.WriteString("\n}\n")
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

func newJSONClaim(r *Report, c *ClaimRow) jsonClaim {
	worst := ""
	if c.Worst != 0 {
		worst = c.Worst.String()
	}
	return jsonClaim{
		File:          cleanText(c.File),
		STControl:     cleanText(c.STControl),
		ClaimID:       cleanText(c.ClaimID),
		Status:        c.Status.String(),
		WorstSeverity: worst,
		Errors:        c.Errors,
		Warnings:      c.Warnings,
		Infos:         c.Infos,
		Rules:         nonNilList(cleanList(c.Rules)),
		FirstFix:      cleanText(c.FirstFix),
		Frequency:     cleanText(c.Frequency),
		ServiceDate:   cleanText(c.ServiceDate),
		TargetLines:   c.TargetLines,
		TotalCharge:   jsonNumber(c.TotalCharge),
		PayerName:     cleanText(c.PayerName),
		PayerID:       cleanText(c.PayerID),
		PayerGroup:    cleanText(c.PayerGroup),
		BillingNPI:    cleanText(c.BillingNPI),
		RenderingNPI:  cleanText(c.RenderingNPI),
		MemberID:      cleanText(r.memberID(c.MemberID)),
	}
}

func newJSONFinding(r *Report, f *finding.Finding) jsonFinding {
	return jsonFinding{
		File:              cleanText(f.File),
		ISAControl:        cleanText(f.ISAControl),
		GSControl:         cleanText(f.GSControl),
		STControl:         cleanText(f.STControl),
		ClaimID:           cleanText(f.ClaimID),
		jsonFindingCols:   newJSONFindingCols(f),
		PayerName:         cleanText(f.PayerName),
		PayerID:           cleanText(f.PayerID),
		PayerGroup:        cleanText(f.PayerGroup),
		BillingNPI:        cleanText(f.BillingNPI),
		RenderingNPI:      cleanText(f.RenderingNPI),
		RenderingTaxonomy: cleanText(f.RenderingTaxonomy),
		MemberID:          cleanText(r.MemberID(f)),
	}
}

func newJSONClaimFinding(claim int, f *finding.Finding) jsonClaimFinding {
	return jsonClaimFinding{
		Claim:             claim,
		ISAControl:        cleanText(f.ISAControl),
		GSControl:         cleanText(f.GSControl),
		ClaimID:           cleanText(f.ClaimID),
		jsonFindingCols:   newJSONFindingCols(f),
		RenderingNPI:      cleanText(f.RenderingNPI),
		RenderingTaxonomy: cleanText(f.RenderingTaxonomy),
	}
}

func newJSONFindingCols(f *finding.Finding) jsonFindingCols {
	c := jsonFindingCols{
		ByteOffset:       f.ByteOffset,
		RuleID:           cleanText(f.RuleID),
		Severity:         f.Severity.String(),
		Source:           cleanText(f.Source),
		Message:          cleanText(f.Message),
		Suggestion:       cleanText(f.Suggestion),
		Procedure:        cleanText(f.Procedure),
		Modifiers:        nonNilList(cleanList(f.Modifiers)),
		Units:            jsonNumber(f.Units),
		Charge:           jsonNumber(f.Charge),
		ServiceDate:      cleanText(f.ServiceDate),
		PlaceOfService:   cleanText(f.PlaceOfService),
		DxPointers:       nonNilList(cleanList(f.DxPointers)),
		PointedDiagnoses: nonNilList(cleanList(f.PointedDiagnoses)),
	}
	if f.LineNumber != 0 {
		n := f.LineNumber
		c.LineNumber = &n
	}
	if f.SegmentNumber != 0 {
		n := f.SegmentNumber
		c.SegmentNumber = &n
	}
	return c
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

// DataFilesJSON is run.data for files (nil for none).
func DataFilesJSON(files []DataFile) []DataFileJSON {
	var out []DataFileJSON
	for _, f := range files {
		out = append(out, DataFileJSON{
			Kind:      cleanText(f.Kind),
			File:      cleanText(f.Path),
			Member:    cleanText(f.Member),
			Version:   cleanText(f.Version),
			Part:      f.Part,
			Effective: isoDate(f.Effective),
			Through:   isoDate(f.Through),
			Rows:      f.Rows,
			RowsKept:  f.RowsKept,
			SHA256:    cleanText(f.SHA256),
			Note:      cleanText(f.Note),
		})
	}
	return out
}

// isoDate writes CCYYMMDD as YYYY-MM-DD; other text as it is.
func isoDate(d string) string {
	if len(d) != 8 {
		return cleanText(d)
	}
	return d[:4] + "-" + d[4:6] + "-" + d[6:]
}
