package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/scrub837/scrub837/scrubber/finding"
)

func TestParseScrubArgsDefaults(t *testing.T) {
	o, err := parseScrubArgs([]string{"a.837"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if o.out != "scrub-out" || o.format != "csv,json" || o.failLevel != finding.Error ||
		o.workers < 1 || o.recursive || o.showIDs || o.quiet || o.seedOnly || o.runID != "" {
		t.Errorf("defaults: %+v", o)
	}
	if strings.Join(o.formats, ",") != "csv,json" {
		t.Errorf("formats = %q", o.formats)
	}
	if len(o.paths) != 1 || o.paths[0] != "a.837" {
		t.Errorf("paths = %q", o.paths)
	}
}

func TestParseScrubArgsShortForms(t *testing.T) {
	o, err := parseScrubArgs([]string{"-o", "out", "-r", "-j", "3", "-q", "dir", "-", "--fail-on", "warning",
		"--show-ids", "--seed-only", "--run-id", "nightly-1", "--log-format", "json", "--rules", "p.yaml", "--format", "json"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if o.out != "out" || !o.recursive || o.workers != 3 || !o.quiet || !o.showIDs || !o.seedOnly ||
		o.runID != "nightly-1" || o.logFormat != "json" || o.rules != "p.yaml" || o.failLevel != finding.Warning {
		t.Errorf("parsed: %+v", o)
	}
	if strings.Join(o.paths, " ") != "dir -" {
		t.Errorf("paths = %q (flags may follow paths, - is a path)", o.paths)
	}
}

// Issue 18: --fail-on NEVER (upper case) was rejected, and only lower case
// was tested for one level. Every level, in every case.
func TestParseScrubArgsFailOnLevels(t *testing.T) {
	for text, want := range map[string]finding.Severity{
		"error": finding.Error, "warning": finding.Warning, "info": finding.Info, "never": 0,
	} {
		for _, spelled := range []string{text, strings.ToUpper(text), strings.ToUpper(text[:1]) + text[1:]} {
			o, err := parseScrubArgs([]string{"--fail-on", spelled, "x"}, &bytes.Buffer{})
			if err != nil {
				t.Fatalf("--fail-on %s: %v", spelled, err)
			}
			if o.failLevel != want {
				t.Errorf("--fail-on %s: level %v, want %v", spelled, o.failLevel, want)
			}
		}
	}
}

func TestParseScrubArgsIncludeExcludeVersion(t *testing.T) {
	o, err := parseScrubArgs([]string{"--include", "*.837", "--exclude", "*.done", "--exclude=*.json", "--include", "in/*.x12", "dir"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(o.include, " ") != "*.837 in/*.x12" || strings.Join(o.exclude, " ") != "*.done *.json" {
		t.Errorf("include %q exclude %q", o.include, o.exclude)
	}
	o, err = parseScrubArgs([]string{"--version"}, &bytes.Buffer{})
	if err != nil || !o.version {
		t.Errorf("--version without a PATH: %v %+v", err, o)
	}
}

// --hold-on takes error (the default) or warning; --split is off unless
// given.
func TestParseScrubArgsWorklist(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		level finding.Severity
		split bool
	}{
		{[]string{"x"}, finding.Error, false},
		{[]string{"--hold-on", "warning", "--split", "x"}, finding.Warning, true},
		{[]string{"--hold-on", "Error", "x"}, finding.Error, false},
	} {
		o, err := parseScrubArgs(tc.args, &bytes.Buffer{})
		if err != nil {
			t.Fatalf("%q: %v", tc.args, err)
		}
		if o.holdLevel != tc.level || o.split != tc.split {
			t.Errorf("%q: hold on %v, split %v", tc.args, o.holdLevel, o.split)
		}
	}
	for _, bad := range []string{"info", "never", ""} {
		if _, err := parseScrubArgs([]string{"--hold-on", bad, "x"}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "--hold-on") {
			t.Errorf("--hold-on %q: %v", bad, err)
		}
	}
}

func TestParseScrubArgsErrors(t *testing.T) {
	for _, args := range [][]string{
		{},                           // no path
		{"--fail-on", "fatal", "x"},  // bad level
		{"-j", "0", "x"},             // no workers
		{"-j", "many", "x"},          // not a number
		{"--format", "pdf", "x"},     // unknown format
		{"--log-format", "xml", "x"}, // unknown log format
		{"--no-such-flag", "x"},      // unknown flag
		{"-", "-"},                   // stdin twice
		{"--run-id", "a\nb", "x"},    // control character
		{"--run-id", " ", "x"},       // blank
		{"-o", "", "x"},              // no out
		{""},                         // empty path
		{"--include", "[a-", "x"},    // bad pattern
		{"--exclude", "", "x"},       // empty pattern
		{"--history-keep", "0", "x"}, // keeps nothing
	} {
		if _, err := parseScrubArgs(args, &bytes.Buffer{}); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
}

func TestParseScrubArgsHelp(t *testing.T) {
	var out bytes.Buffer
	_, err := parseScrubArgs([]string{"--help"}, &out)
	if !errors.Is(err, pflag.ErrHelp) {
		t.Fatalf("err = %v, want ErrHelp", err)
	}
	for _, want := range []string{"-o, --out DIR", "--format LIST", "--rules FILE", "--seed-only", "-r, --recursive",
		"-j, --workers N", "--fail-on LEVEL", "--show-ids", "--run-id ID", "--log-format", "-q, --quiet", "Exit codes",
		"--include GLOB", "--exclude GLOB", "--version", "scrub837 explain RULE-ID", "143",
		"--history PATH", "--skip-seen", "--history-keep DAYS", "scrub837 history"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "(default [])") {
		t.Errorf("help shows an empty list as a default:\n%s", out.String())
	}
}
