// Command scrub837 scrubs EDI X12 837P claim files for service lines that
// bill the rule pack's procedure (CPT 0620T by default) and writes exception
// reports an analyst works from.
//
//	scrub837 [flags] PATH...        scrub files and folders
//	scrub837 rules [--seed-only]    print the effective rule pack as YAML
//	scrub837 data [--json] [DIR]    list the public data files --data would read
//	scrub837 explain RULE-ID        what a rule checks and the pack entries it uses
//	scrub837 history [--last N]     list the claim history's last runs
//	scrub837 version                print the version (also --version)
//
// The command line, the report formats and the exit codes are the contract
// of cmd/scrub837/REPORTS.md; see README.md.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"

	"github.com/spf13/pflag"

	"github.com/scrub837/scrub837/scrubber/pack"
)

// Exit codes (cmd/scrub837/REPORTS.md). When an input failed and a finding is at or above
// --fail-on, exitInputFailed wins: a file that could not be read is the more
// urgent signal to cron, and its findings are in the reports anyway.
const (
	exitOK          = 0 // no finding at or above --fail-on
	exitFindings    = 1 // at least one finding at or above --fail-on
	exitUsage       = 2 // bad usage, an unreadable rule pack or data file, --out unusable, or a claim history that cannot be used: no reports written
	exitInputFailed = 3 // an input could not be read or parsed, or the run had to leave something out (reports written for the rest); the claim history could not be checked (no reports) or the run not recorded in it (reports written)

	// A run stopped by a signal: 128 + the signal's number, as a shell
	// reports a process killed by it. No reports are written.
	exitSIGINT  = 130
	exitSIGTERM = 143
)

// version is set at build time: -ldflags "-X main.version=v1.2.3". Builds
// without it say "dev", so test binaries (and golden files) do not change
// with every commit.
var version = "dev"

func main() {
	// SCRUB837_CPUPROFILE=FILE writes a CPU profile of the run (for
	// performance work: go tool pprof bin/scrub837 FILE).
	if path := os.Getenv("SCRUB837_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			code := Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
			pprof.StopCPUProfile()
			f.Close()
			os.Exit(code)
		}
	}
	os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// env is what a run sees of the process: its streams and environment.
// Tests replace pieces of it.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// stderrIsTerminal decides the log format and the progress bar.
	stderrIsTerminal bool
}

// Main runs the command line args and returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{
		stdin:            stdin,
		stdout:           stdout,
		stderr:           stderr,
		getenv:           os.Getenv,
		stderrIsTerminal: isTerminal(stderr),
	}
	return e.main(args)
}

func (e *env) main(args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case "rules":
			return e.rulesCommand(args[1:])
		case "data":
			return e.dataCommand(args[1:])
		case "history":
			return e.historyCommand(args[1:])
		case "version":
			return e.versionCommand(args[1:])
		case "explain":
			return e.explainCommand(args[1:])
		case "help":
			fmt.Fprint(e.stdout, usageText(newScrubFlags(&options{})))
			return exitOK
		}
	}
	opts, err := parseScrubArgs(args, e.stdout)
	if errors.Is(err, pflag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return e.usageError(err)
	}
	if opts.version {
		return e.versionCommand(nil)
	}
	return e.scrub(opts)
}

// usageError prints err and a hint, and returns exitUsage.
func (e *env) usageError(err error) int {
	fmt.Fprintf(e.stderr, "scrub837: %v\nRun 'scrub837 --help' for usage.\n", err)
	return exitUsage
}

// rulesCommand prints the effective rule pack.
func (e *env) rulesCommand(args []string) int {
	fs, seedOnly, rulesFile, help := packFlagSet("scrub837 rules", "drop every pack entry whose source is codeset")
	if code, done := e.parseSubcommand(fs, help, args, "Usage: scrub837 rules [--seed-only] [--rules FILE]\n\nPrints the effective rule pack as YAML (what a scrub run would apply)."); done {
		return code
	}
	if fs.NArg() > 0 {
		return e.usageError(fmt.Errorf("rules takes no arguments, got %q", fs.Args()))
	}
	return e.printFromPack(*rulesFile, *seedOnly, effectiveYAML)
}

// printFromPack loads the rule pack the flags name and prints what text
// makes of it: the end of every subcommand that reads the pack.
func (e *env) printFromPack(rulesFile string, seedOnly bool, text func(*pack.Pack) (string, error)) int {
	p, err := loadPack(rulesFile, seedOnly)
	if err != nil {
		fmt.Fprintf(e.stderr, "scrub837: %v\n", err)
		return exitUsage
	}
	out, err := text(p)
	if err != nil {
		fmt.Fprintf(e.stderr, "scrub837: rule pack: %v\n", err)
		return exitUsage
	}
	if _, err := io.WriteString(e.stdout, out); err != nil {
		return exitUsage
	}
	return exitOK
}

// packFlagSet is the flag set of a subcommand that reads the rule pack:
// --seed-only, --rules FILE and --help.
func packFlagSet(name, seedOnlyUsage string) (fs *pflag.FlagSet, seedOnly *bool, rulesFile *string, help *bool) {
	fs = newFlagSet(name)
	seedOnly = fs.Bool("seed-only", false, seedOnlyUsage)
	rulesFile = fs.String("rules", "", "a rule pack YAML `FILE` replacing the embedded one (default: the embedded pack)")
	help = fs.BoolP("help", "h", false, "show this help")
	return fs, seedOnly, rulesFile, help
}

// parseSubcommand parses a subcommand's args into fs. With --help (help)
// it prints usage, a blank line and the flags instead. done says the
// command ends there, with code.
func (e *env) parseSubcommand(fs *pflag.FlagSet, help *bool, args []string, usage string) (code int, done bool) {
	if err := fs.Parse(args); err != nil {
		return e.usageError(err), true
	}
	if *help {
		fmt.Fprintf(e.stdout, "%s\n\n%s", usage, flagUsages(fs))
		return exitOK, true
	}
	return 0, false
}

// newFlagSet is an empty flag set that lists its flags in the order
// they are declared and prints nothing: the caller prints errors, once.
func newFlagSet(name string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	return fs
}

// versionCommand prints the version, the Go release and, when the binary
// carries it, the commit it was built from.
func (e *env) versionCommand(args []string) int {
	if len(args) > 0 {
		return e.usageError(fmt.Errorf("version takes no arguments, got %q", args))
	}
	line := "scrub837 " + version + " " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				line += " commit " + s.Value[:12]
			}
		}
	}
	fmt.Fprintln(e.stdout, line)
	return exitOK
}

// loadPack returns the embedded pack, or the pack in path. Its errors name
// the file and line.
func loadPack(path string, seedOnly bool) (*pack.Pack, error) {
	if path == "" {
		p, err := pack.Default(seedOnly)
		if err != nil {
			return nil, fmt.Errorf("embedded rule pack: %w", err)
		}
		return p, nil
	}
	p, err := pack.Load(path, seedOnly)
	if err != nil {
		return nil, fmt.Errorf("rule pack: %w", err)
	}
	return p, nil
}

// effectiveYAML is the pack as the run applies it.
func effectiveYAML(p *pack.Pack) (string, error) {
	b, err := p.EffectiveYAML()
	if err != nil {
		return "", err
	}
	return string(b), nil
}
