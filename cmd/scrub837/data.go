package main

// The public data files (issue 16; scrubber/codedata/DATA.md): --data and
// SCRUB837_DATA for a scrub, and `scrub837 data DIR`, which lists what a
// scrub would read.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rs/zerolog"

	"github.com/scrub837/scrub837/cmd/scrub837/internal/runner"
	"github.com/scrub837/scrub837/reports"
	"github.com/scrub837/scrub837/scrubber/codedata"
	"github.com/scrub837/scrub837/scrubber/pack"
)

// dataEnv names the data folder when --data is not given.
const dataEnv = "SCRUB837_DATA"

// dataDir is the run's data folder: --data, else SCRUB837_DATA; "" for
// none (--data "" turns the variable off).
func dataDir(o *options, getenv func(string) string) string {
	if o.dataGiven {
		return o.data
	}
	return getenv(dataEnv)
}

// loadData reads the data folder dir for pack p's procedure.
func loadData(dir string, p *pack.Pack) (*codedata.Set, error) {
	return codedata.Load(dir, codedata.Options{Procedures: []string{p.Procedure}})
}

// loadRunData loads a scrub's data folder, once before scrubbing, and logs
// what it read. An error (a recognised file that is malformed, a folder
// that cannot be read) is a usage error and no reports are written: a
// nightly run must not quietly scrub without the edits the team thinks it
// has. Its text says so; a structured event with the file, ZIP member and
// line is logged first. Data files are public tables: no claim data.
func (e *env) loadRunData(o *options, p *pack.Pack, log zerolog.Logger) (*codedata.Set, error) {
	dir := dataDir(o, e.getenv)
	if dir == "" {
		return nil, nil
	}
	start := time.Now()
	set, err := loadData(dir, p)
	if err == nil {
		logData(log, dir, set, time.Since(start))
		return set, nil
	}
	var fe *codedata.FileError
	if !errors.As(err, &fe) {
		return nil, fmt.Errorf("data folder: %w (no reports written)", err)
	}
	ev := log.Error().Str("data", dir).Str("file", fe.Path)
	if fe.Member != "" {
		ev = ev.Str("member", fe.Member)
	}
	if fe.Line > 0 {
		ev = ev.Int("line", fe.Line)
	}
	ev.Str("reason", fe.Reason).Msg("a data file cannot be used")
	return nil, fmt.Errorf("data file: %w (fix or remove it; no reports written)", err)
}

// logData logs what a run read from its data folder: one event for the
// folder, one for each file not read (a warning when it holds a table
// under another name), one warning for each note.
func logData(log zerolog.Logger, dir string, set *codedata.Set, took time.Duration) {
	files := set.Files()
	var versions []string
	count := map[codedata.Kind]int{}
	for _, f := range files {
		count[f.Kind]++
		if v := string(f.Kind) + " " + f.Version; f.Note == "" && !slices.Contains(versions, v) {
			versions = append(versions, v)
		}
	}
	ev := log.Info()
	if len(files) == 0 {
		ev = log.Warn()
	}
	ev.Str("data", dir).Int("files", len(files)).
		Int("ncci_ptp", count[codedata.KindPTP]).Int("ncci_mue", count[codedata.KindMUE]).
		Int("icd10cm", count[codedata.KindICD10CM]).Int("nucc_taxonomy", count[codedata.KindNUCC]).
		Strs("versions", versions).Dur("duration_ms", took).
		Msg(map[bool]string{true: "data files loaded", false: "no data file recognised: the rule pack applies alone"}[len(files) > 0])
	for _, u := range set.Unrecognised() {
		ev := log.Info()
		if u.Renamed {
			ev = log.Warn()
		}
		ev = ev.Str("data", dir).Str("file", u.Path)
		if u.Member != "" {
			ev = ev.Str("member", u.Member)
		}
		ev.Str("reason", u.Reason).Msg("data file not read")
	}
	for _, n := range set.Notes() {
		log.Warn().Str("data", dir).Msg(n)
	}
}

// dataCommand is `scrub837 data [--json] [--rules FILE] [DIR]`: what
// --data DIR would read, and what it would not, with the reason.
func (e *env) dataCommand(args []string) int {
	fs := newFlagSet("scrub837 data")
	asJSON := fs.Bool("json", false, "print one JSON document (for scripts) instead of the table")
	rulesFile := fs.String("rules", "", "a rule pack YAML `FILE` whose procedure the PTP and MUE rows are kept for (default: the embedded pack's)")
	help := fs.BoolP("help", "h", false, "show this help")
	if code, done := e.parseSubcommand(fs, help, args, "Usage: scrub837 data [--json] [--rules FILE] [DIR]\n\n"+
		"Lists the public data files in DIR (default $"+dataEnv+") that scrub837 --data DIR reads: kind, version\n"+
		"or quarter, dates, rows; and the files it does not read, with the reason. Exit 2 when a file it\n"+
		"recognises cannot be used, as a scrub would."); done {
		return code
	}
	dir := e.getenv(dataEnv)
	switch fs.NArg() {
	case 0:
		if dir == "" {
			return e.usageError(fmt.Errorf("data: name the data folder (or set %s)", dataEnv))
		}
	case 1:
		dir = fs.Arg(0)
	default:
		return e.usageError(fmt.Errorf("data takes one folder, got %q", fs.Args()))
	}
	p, err := loadPack(*rulesFile, false)
	if err != nil {
		fmt.Fprintf(e.stderr, "scrub837: %v\n", err)
		return exitUsage
	}
	set, err := loadData(dir, p)
	if err != nil {
		fmt.Fprintf(e.stderr, "scrub837: data: %v\n", err)
		return exitUsage
	}
	if *asJSON {
		err = writeDataJSON(e.stdout, dir, set)
	} else {
		err = writeDataText(e.stdout, dir, set)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "scrub837: data: %v\n", err)
		return exitUsage
	}
	return exitOK
}

// kindNames are the kinds as people call them.
var kindNames = map[codedata.Kind]string{
	codedata.KindPTP:     "NCCI PTP",
	codedata.KindMUE:     "NCCI MUE",
	codedata.KindICD10CM: "ICD-10-CM",
	codedata.KindNUCC:    "NUCC taxonomy",
}

// writeDataText writes the listing for people: a table of the files read,
// then the files not read and the notes.
func writeDataText(w io.Writer, dir string, set *codedata.Set) error {
	files, skipped, notes := set.Files(), set.Unrecognised(), set.Notes()
	var b strings.Builder
	fmt.Fprintf(&b, "Data folder %s: %s read, %s not read.\n", dir, plural(len(files), "file", "files"), plural(len(skipped), "file", "files"))
	if len(files) > 0 {
		b.WriteString("\n")
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "KIND\tVERSION\tPART\tDATES\tROWS\tKEPT\tFILE")
		for _, f := range files {
			part := ""
			if f.Part > 0 {
				part = strconv.Itoa(f.Part)
			}
			dates := isoDate(f.Effective)
			if f.Through != "" {
				dates += " to " + isoDate(f.Through)
			}
			name := f.Path
			if f.Member != "" {
				name += "[" + f.Member + "]"
			}
			if f.Note != "" {
				name += " (" + f.Note + ")"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\n", kindNames[f.Kind], f.Version, part, dates, f.RowsRead, f.RowsKept, name)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(skipped) > 0 {
		b.WriteString("\nNot read:\n")
		for _, u := range skipped {
			name := u.Path
			if u.Member != "" {
				name += "[" + u.Member + "]"
			}
			fmt.Fprintf(&b, "  %s: %s\n", name, u.Reason)
		}
	}
	if len(notes) > 0 {
		b.WriteString("\nNotes:\n")
		for _, n := range notes {
			fmt.Fprintf(&b, "  %s\n", n)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

type notReadJSON struct {
	File    string `json:"file"`
	Member  string `json:"member,omitempty"`
	Reason  string `json:"reason"`
	Renamed bool   `json:"renamed"`
}

// writeDataJSON writes the listing for scripts: {"folder", "files" (as
// run.data in exceptions.json), "not_read", "notes"}; lists are never null.
func writeDataJSON(w io.Writer, dir string, set *codedata.Set) error {
	doc := struct {
		Folder  string                 `json:"folder"`
		Files   []reports.DataFileJSON `json:"files"`
		NotRead []notReadJSON          `json:"not_read"`
		Notes   []string               `json:"notes"`
	}{Folder: dir, Files: reports.DataFilesJSON(runner.DataFiles(set)), NotRead: []notReadJSON{}, Notes: append([]string{}, set.Notes()...)}
	if doc.Files == nil {
		doc.Files = []reports.DataFileJSON{}
	}
	for _, u := range set.Unrecognised() {
		doc.NotRead = append(doc.NotRead, notReadJSON{File: u.Path, Member: u.Member, Reason: u.Reason, Renamed: u.Renamed})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

// isoDate writes CCYYMMDD as YYYY-MM-DD ("" stays "").
func isoDate(d string) string {
	if len(d) != 8 {
		return d
	}
	return d[:4] + "-" + d[4:6] + "-" + d[6:]
}
