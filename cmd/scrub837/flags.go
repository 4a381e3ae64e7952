package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/spf13/pflag"

	"github.com/scrub837/scrub837/cmd/scrub837/internal/runner"
	"github.com/scrub837/scrub837/reports"
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/history"
)

// options are the scrub run's flags and paths (cmd/scrub837/REPORTS.md, "Command line").
type options struct {
	out       string
	format    string
	rules     string
	seedOnly  bool
	recursive bool
	workers   int
	failOn    string
	showIDs   bool
	runID     string
	logFormat string
	quiet     bool

	// Inputs and the command itself (issue 15): folder filters, --version.
	include, exclude []string
	version          bool

	// The worklist and the hand-off (REPORTS.md: --hold-on, --split).
	holdOn    string
	split     bool
	holdLevel finding.Severity // parsed --hold-on

	// The public data files (issue 16): --data DIR, else SCRUB837_DATA;
	// dataGiven: --data was on the command line (--data "" turns the
	// variable off).
	data      string
	dataGiven bool

	// The claim history (REPORTS.md, "History"; issue 17). history is
	// --history, else SCRUB837_HISTORY (filled by the command, which sees
	// the environment); "" is no history.
	history     string
	skipSeen    bool
	historyKeep int

	paths   []string
	formats []string // parsed --format
	// failLevel is the least severity that makes the run exit 1; 0 for
	// --fail-on never.
	failLevel finding.Severity
}

const (
	logFormatConsole = "console"
	logFormatJSON    = "json"
)

// newScrubFlags declares the scrub flags on a new flag set bound to o.
func newScrubFlags(o *options) *pflag.FlagSet {
	fs := newFlagSet("scrub837")
	fs.StringVarP(&o.out, "out", "o", "scrub-out", "where reports go (`DIR`, created if missing)")
	fs.StringVar(&o.format, "format", "csv,json", "which reports to write, a comma-separated `LIST` of "+strings.Join(reports.Formats(), ", "))
	fs.StringVar(&o.rules, "rules", "", "a rule pack YAML `FILE` replacing the embedded one (default: the embedded pack)")
	fs.BoolVar(&o.seedOnly, "seed-only", false, "drop every pack entry whose source is codeset")
	fs.BoolVarP(&o.recursive, "recursive", "r", false, "descend into sub-folders")
	fs.IntVarP(&o.workers, "workers", "j", runtime.NumCPU(), "files scrubbed at once (`N`)")
	fs.StringVar(&o.failOn, "fail-on", "error", "exit 1 when a finding at or above `LEVEL` exists: error, warning, info, never")
	fs.BoolVar(&o.showIDs, "show-ids", false, "write member IDs whole (default: masked to the last 4 characters)")
	fs.StringVar(&o.runID, "run-id", "", "the run's `ID` in every report (default: UTC timestamp like 20261127T031500Z)")
	fs.StringVar(&o.logFormat, "log-format", "", "`FORMAT` of the logs on stderr: console or json (default: console on a terminal, else json)")
	fs.BoolVarP(&o.quiet, "quiet", "q", false, "no progress bar or summary, warnings and errors only (the closing log event is always written)")
	// Inputs and the command itself (issue 15).
	fs.StringArrayVar(&o.include, "include", nil, "in folders, scrub only files whose name matches `GLOB` (repeatable; a GLOB with / matches the path below the folder)")
	fs.StringArrayVar(&o.exclude, "exclude", nil, "in folders, leave out entries whose name matches `GLOB` (repeatable); files named on the command line are always scrubbed")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	// The worklist and the hand-off.
	fs.BoolVar(&o.split, "split", false, "also write the drop back out as X12, claim by claim: ready/ and held/ in --out")
	fs.StringVar(&o.holdOn, "hold-on", "error", "a target claim with a finding at or above `LEVEL` is held: error or warning")

	// The public data files (issue 16).
	fs.StringVar(&o.data, "data", "", "read the CMS NCCI PTP and MUE, ICD-10-CM and NUCC files in `DIR` and apply their edits (default $SCRUB837_DATA; none when unset)")

	// The claim history (REPORTS.md, "History").
	fs.StringVar(&o.history, "history", "", "keep the claim history in a SQLite file's `PATH` or a postgres:// URL (default: $"+historyEnv+", else none)")
	fs.BoolVar(&o.skipSeen, "skip-seen", false, "skip files the history shows were scrubbed with the same rule pack (needs --history)")
	fs.IntVar(&o.historyKeep, "history-keep", history.DefaultKeepDays, "keep the history's runs of the last `DAYS` days")
	fs.BoolP("help", "h", false, "show this help")
	return fs
}

// usageText is the help text of the scrub command.
func usageText(fs *pflag.FlagSet) string {
	var b bytes.Buffer
	b.WriteString(`Usage:
  scrub837 [flags] PATH...        scrub files and folders (a folder: every regular file in it; -r recurses)
  scrub837 rules [--seed-only]    print the effective rule pack as YAML (what would be applied)
  scrub837 data [--json] [DIR]    list the public data files in DIR that --data would read
  scrub837 explain RULE-ID        what a rule checks, its severity, its source, and the pack entries it uses
  scrub837 history [--last N]     list the claim history's last runs (see --history)
  scrub837 version                (also --version)

PATH may be a file, a folder, or - for standard input. .gz files are read transparently.
In folders, hidden entries (a name starting with .) are skipped and listed in the reports.

Flags:
`)
	b.WriteString(flagUsages(fs))
	b.WriteString(`
Exit codes:
  0  no finding at or above --fail-on
  1  at least one finding at or above --fail-on
  2  bad usage (a PATH that does not exist too), an unreadable rule pack or data file, --out unusable,
     or a claim history that cannot be used (no reports written)
  3  at least one input could not be read or parsed, or the run had to leave something out (temporary
     space or file handles ran out); the reports are written for everything else (3 wins over 1);
     the claim history could not be checked (no reports) or the run could not be recorded in it
  130, 143  stopped by SIGINT or SIGTERM (no reports written; last night's are left as they were)
`)
	return b.String()
}

// flagUsages lists the flags one a line, as cmd/scrub837/REPORTS.md writes them
// ("-o, --out DIR"), with their defaults.
func flagUsages(fs *pflag.FlagSet) string {
	type row struct{ left, right string }
	var rows []row
	width := 0
	fs.VisitAll(func(f *pflag.Flag) {
		name, usage := pflag.UnquoteUsage(f)
		left := "    "
		if f.Shorthand != "" {
			left = "-" + f.Shorthand + ", "
		}
		left += "--" + f.Name
		if f.Value.Type() != "bool" {
			if name == "" {
				name = strings.ToUpper(f.Value.Type())
			}
			left += " " + name
		}
		right := usage
		if f.Value.Type() != "bool" && f.DefValue != "" && f.DefValue != "[]" && f.Name != "workers" {
			right += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		if f.Name == "workers" {
			right += " (default: the number of CPUs, " + f.DefValue + " here)"
		}
		rows = append(rows, row{left, right})
		width = max(width, len(left))
	})
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, r.left, r.right)
	}
	return b.String()
}

// parseScrubArgs parses the scrub command line. With -h it prints the help
// to stdout and returns pflag.ErrHelp.
func parseScrubArgs(args []string, stdout io.Writer) (*options, error) {
	o := &options{}
	fs := newScrubFlags(o)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(stdout, usageText(fs))
		}
		return nil, err
	}
	if help, _ := fs.GetBool("help"); help {
		fmt.Fprint(stdout, usageText(fs))
		return nil, pflag.ErrHelp
	}
	o.paths = fs.Args()
	o.dataGiven = fs.Changed("data")
	if o.version {
		return o, nil
	}
	if err := o.validate(); err != nil {
		return nil, err
	}
	return o, nil
}

// validate checks the values pflag cannot and fills the parsed fields.
func (o *options) validate() error {
	if len(o.paths) == 0 {
		return errors.New("no PATH given: name the files or folders to scrub (- for standard input)")
	}
	stdin := 0
	for _, p := range o.paths {
		if p == "" {
			return errors.New("an empty PATH was given")
		}
		if p == "-" {
			stdin++
		}
	}
	if stdin > 1 {
		return errors.New("- (standard input) can be given only once")
	}
	if strings.TrimSpace(o.out) == "" {
		return errors.New("--out must name a folder")
	}
	formats, err := reports.ParseFormats(o.format)
	if err != nil {
		return fmt.Errorf("--format: %w", err)
	}
	o.formats = formats
	if o.workers < 1 {
		return fmt.Errorf("--workers must be at least 1, got %d", o.workers)
	}
	switch strings.ToLower(o.failOn) {
	case "never":
		o.failLevel = 0
	default:
		sev, err := finding.ParseSeverity(o.failOn)
		if err != nil {
			return fmt.Errorf("--fail-on %q: must be error, warning, info or never", o.failOn)
		}
		o.failLevel = sev
	}
	switch strings.ToLower(strings.TrimSpace(o.holdOn)) {
	case "error":
		o.holdLevel = finding.Error
	case "warning":
		o.holdLevel = finding.Warning
	default:
		return fmt.Errorf("--hold-on %q: must be error or warning", o.holdOn)
	}
	switch o.logFormat {
	case "", logFormatConsole, logFormatJSON:
	default:
		return fmt.Errorf("--log-format %q: must be console or json", o.logFormat)
	}
	if o.runID != "" {
		if err := checkRunID(o.runID); err != nil {
			return err
		}
	}
	for _, p := range o.include {
		if err := runner.CheckPattern(p); err != nil {
			return fmt.Errorf("--include %w", err)
		}
	}
	for _, p := range o.exclude {
		if err := runner.CheckPattern(p); err != nil {
			return fmt.Errorf("--exclude %w", err)
		}
	}
	if o.historyKeep < 1 {
		return fmt.Errorf("--history-keep must be at least 1 day, got %d", o.historyKeep)
	}
	return nil
}

// checkRunID refuses run IDs that would break a CSV cell or a log line.
func checkRunID(id string) error {
	if strings.TrimSpace(id) == "" {
		return errors.New("--run-id must not be blank")
	}
	if len(id) > 128 {
		return errors.New("--run-id is longer than 128 characters")
	}
	for _, r := range id {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("--run-id %q contains a control character", id)
		}
	}
	return nil
}
