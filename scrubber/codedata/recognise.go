package codedata

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// Kind is the kind of a recognised data file.
type Kind string

// The kinds of file Load reads.
const (
	KindPTP     Kind = "ncci-ptp"      // CMS NCCI procedure-to-procedure edits, practitioner
	KindMUE     Kind = "ncci-mue"      // CMS NCCI medically unlikely edits, practitioner services
	KindICD10CM Kind = "icd10cm"       // CDC/CMS ICD-10-CM order file
	KindNUCC    Kind = "nucc-taxonomy" // NUCC health care provider taxonomy
)

// edition is what a published file name says about the file: its kind and
// the quarter, fiscal year or version it belongs to.
type edition struct {
	kind    Kind
	version string // as shown in Files(): v321r0, FY2026, 26.0...
	order   int    // sorts editions of one kind, oldest first
	part    int    // PTP part (f1..f4)
	start   date   // first date of service the edition speaks for
	fy      int    // ICD-10-CM fiscal year
}

// key names the edition (and PTP part): two files with one key are the
// same table twice.
func (e edition) key() string { return fmt.Sprintf("%s %s f%d", e.kind, e.version, e.part) }

var (
	// ccipra-v321r0-f1.TXT: NCCI PTP practitioner edits, version 32.1
	// revision 0, part 1 (CMS spells the extension .TXT or .txt).
	rePTP = regexp.MustCompile(`(?i)^ccipra-v(\d\d)(\d)r(\d+)-f(\d+)\.txt$`)
	// MCR_MUE_PractitionerServices_Eff_04-01-2026.csv
	reMUE = regexp.MustCompile(`(?i)^mcr_mue_practitionerservices_eff_(\d\d)-(\d\d)-(\d{4})\.csv$`)
	// icd10cm_order_2026.txt (CMS; CDC before 2023), icd10cm-order-2026.txt
	// (CDC since 2023), icd10cm-order-April-1-2026.txt (a mid-year update).
	reICD = regexp.MustCompile(`(?i)^icd10cm[-_]order[-_](?:([a-z]+)[-_](?:(\d{1,2})[-_])?)?(\d{4})\.txt$`)
	// A mid-year update named by its folder or ZIP rather than by the order
	// file itself: april-1-2026-code-descriptions-tabular-order.zip (CMS),
	// icd10cm-Code Descriptions-April-1-2026.zip (CDC).
	reUpdateDate = regexp.MustCompile(`(?i)(?:^|[^a-z])(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[-_ ](\d{1,2})[-_ ](\d{4})(?:[^0-9]|$)`)
	// nucc_taxonomy_251.csv: version 25.1.
	reNUCC = regexp.MustCompile(`(?i)^nucc_taxonomy_(\d\d)(\d)\.csv$`)
)

var months = map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
	"jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}

// recognise reads a file's published name. where is the path of the file
// (and of the ZIP member) relative to the data folder, used for the date
// of an ICD-10-CM update that only its ZIP or folder names. A name that is
// not recognised comes back with the reason, for the listing.
func recognise(name, where string) (edition, string) {
	base := path.Base(name)
	if m := rePTP.FindStringSubmatch(base); m != nil {
		major, _ := strconv.Atoi(m[1])
		minor, _ := strconv.Atoi(m[2])
		rev, _ := strconv.Atoi(m[3])
		part, _ := strconv.Atoi(m[4])
		if minor > 3 {
			return edition{}, "named like an NCCI PTP file, but version " + m[1] + m[2] + " names no quarter"
		}
		// CMS numbers versions by quarter: v321r0 is the 2026 Q2 release
		// (its ZIP is medicare-ncci-2026q2-practitioner-ptp-edits-ccipra-v321r0-f1.zip).
		return edition{kind: KindPTP, version: fmt.Sprintf("v%02d%dr%d", major, minor, rev),
			order: (major*10+minor)*1000 + rev, part: part,
			start: makeDate(1994+major, minor*3+1, 1)}, ""
	}
	if m := reMUE.FindStringSubmatch(base); m != nil {
		mm, _ := strconv.Atoi(m[1])
		dd, _ := strconv.Atoi(m[2])
		yy, _ := strconv.Atoi(m[3])
		d, ok := parseDate(fmt.Sprintf("%04d%02d%02d", yy, mm, dd))
		if !ok {
			return edition{}, "named like an MUE file, but " + m[1] + "-" + m[2] + "-" + m[3] + " is not a date"
		}
		return edition{kind: KindMUE, version: "Eff " + d.String(), order: int(d), start: d}, ""
	}
	if m := reICD.FindStringSubmatch(base); m != nil {
		return recogniseICD(m, where)
	}
	if m := reNUCC.FindStringSubmatch(base); m != nil {
		major, _ := strconv.Atoi(m[1])
		minor, _ := strconv.Atoi(m[2])
		return edition{kind: KindNUCC, version: fmt.Sprintf("%d.%d", major, minor), order: major*10 + minor}, ""
	}
	return edition{}, unrecognisedReason(base)
}

func recogniseICD(m []string, where string) (edition, string) {
	fyName, _ := strconv.Atoi(m[3])
	e := edition{kind: KindICD10CM, fy: fyName, start: fiscalYearStart(fyName)}
	if m[1] != "" {
		mon, ok := months[strings.ToLower(m[1])[:min(3, len(m[1]))]]
		if !ok || strings.EqualFold(m[1], "addenda") {
			return edition{}, "ICD-10-CM order addenda: only the changes of the year, not the code set; scrub837 reads the full order file"
		}
		day := 1
		if m[2] != "" {
			day, _ = strconv.Atoi(m[2])
		}
		d, ok := parseDate(fmt.Sprintf("%04d%02d%02d", fyName, mon, day))
		if !ok {
			return edition{}, "named like an ICD-10-CM order file, but its date is not a date"
		}
		e.start, e.fy = d, fiscalYear(d)
	} else if u := reUpdateDate.FindStringSubmatch(path.Dir(where)); u != nil {
		// CMS names the April update's order file like October's and tells
		// them apart by the ZIP: april-1-2026-code-descriptions-tabular-order.zip.
		day, _ := strconv.Atoi(u[2])
		y, _ := strconv.Atoi(u[3])
		if d, ok := parseDate(fmt.Sprintf("%04d%02d%02d", y, months[strings.ToLower(u[1])], day)); ok && fiscalYear(d) == fyName {
			e.start = d
		}
	}
	e.version = fmt.Sprintf("FY%d", e.fy)
	if e.start != fiscalYearStart(e.fy) {
		e.version += " update " + e.start.String()
	}
	e.order = e.fy*100000000 + int(e.start)%100000000
	return e, ""
}

// unrecognisedReason says why a file is not read, for the files an analyst
// may expect scrub837 to read.
func unrecognisedReason(base string) string {
	lower := strings.ToLower(base)
	switch {
	case strings.HasPrefix(lower, "ccioph-"):
		return "NCCI PTP edits for outpatient hospitals: scrub837 reads the practitioner set (ccipra-…)"
	case strings.HasPrefix(lower, "ccipra-") && strings.HasSuffix(lower, ".xlsx"),
		strings.HasPrefix(lower, "mcr_mue_") && strings.HasSuffix(lower, ".xlsx"):
		return "the Excel copy of a table: scrub837 reads the tab-delimited .TXT / .csv copy CMS publishes beside it"
	case strings.HasPrefix(lower, "mcr_mue_"):
		return "an MUE table for another provider type: scrub837 reads the practitioner services table"
	case strings.Contains(lower, "order") && strings.Contains(lower, "addenda"):
		return "ICD-10-CM order addenda: only the changes of the year, not the code set; scrub837 reads the full order file"
	case strings.HasPrefix(lower, "icd10cm"):
		return "an ICD-10-CM file other than the order file (icd10cm-order-YYYY.txt), which is the one scrub837 reads"
	}
	return genericReason
}

const genericReason = "not a file scrub837 reads (NCCI PTP ccipra-…TXT, MCR_MUE_PractitionerServices_Eff_….csv, icd10cm-order-….txt, nucc_taxonomy_….csv)"

// sniff looks at the first bytes of a file whose name is not a published
// one, to tell the analyst when it holds a table scrub837 would read under
// its published name (the name carries the quarter or year, so it is needed).
func sniff(head []byte) string {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	switch {
	case bytes.Contains(head, []byte("Column1/Column2")) || bytes.Contains(head, []byte("Column 1\tColumn 2")):
		return "looks like an NCCI PTP table: keep the name CMS gives it (ccipra-vNNNrN-fN.TXT), which names the quarter"
	case bytes.Contains(head, []byte("MUE Adjudication Indicator")):
		return "looks like an MUE table: keep the name CMS gives it (MCR_MUE_PractitionerServices_Eff_MM-DD-YYYY.csv), which names the quarter"
	case bytes.HasPrefix(head, []byte("Code,Grouping,Classification")):
		return "looks like the NUCC taxonomy: keep the name NUCC gives it (nucc_taxonomy_NNN.csv), which names the version"
	case icdLineShape.Match(head):
		return "looks like an ICD-10-CM order file: keep the published name (icd10cm-order-YYYY.txt), which names the fiscal year"
	}
	return ""
}

var icdLineShape = regexp.MustCompile(`^\d{5} [A-Z][0-9A-Z]{2}[0-9A-Z ]{4} [01] `)
