// Command gen837 writes deterministic synthetic 837P (005010X222A1) claim
// drops for testing and benchmarking scrub837: billing providers,
// subscribers with and without 2000C patients, payers of every payer group,
// claims of one to six lines, 0620T on a chosen share of claims, and, on a
// chosen share of those, exactly one planted defect that a rule of
// scrubber/RULES.md must catch, and legitimate look-alikes that no rule may
// report. A JSON manifest lists every claim on which a rule must fire, with
// those rules at every severity.
//
//	gen837 --size 1GB --files 4 --out /tmp/drop
//	gen837 --claims 5000 --defect-rate 0.5 --out drop --manifest drop/manifest.json
//
// The same flags give byte-identical files.
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/scrub837/scrub837/scrubber/codedata"
	"github.com/scrub837/scrub837/x12io"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	def := DefaultConfig()
	fs := pflag.NewFlagSet("gen837", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	claims := fs.Int64("claims", 0, fmt.Sprintf("number of claims in the whole drop (default %d when --size is not given)", def.Claims))
	size := fs.String("size", "", "target size of the whole drop before gzip, e.g. 250MB, 1GB (instead of --claims)")
	files := fs.Int("files", def.Files, "number of files the drop is split into")
	seed := fs.Uint64("seed", def.Seed, "random seed: the same seed and flags give byte-identical output")
	targetShare := fs.Float64("target-share", def.TargetShare, "share of claims that bill 0620T")
	defectRate := fs.Float64("defect-rate", 0, "share of 0620T claims that get exactly one planted defect")
	out := fs.String("out", ".", "folder the files are written to (created if missing)")
	manifest := fs.String("manifest", "", "write the JSON manifest (claim ID -> rules that must fire) to this file")
	prefix := fs.String("prefix", "drop", "file names: PREFIX-0001.837")
	gz := fs.Bool("gzip", false, "gzip every file (.837.gz); sizes count the X12 bytes before compression")
	newline := fs.Bool("newline", false, "write a line break after every segment terminator")
	d := def.Delims
	delims := fs.String("delimiters", string([]byte{d.Element, d.Repetition, d.Component, d.Segment}), "element, repetition, component separators and segment terminator")
	dataDir := fs.String("data", "", "public data files (CMS NCCI PTP and MUE, ICD-10-CM, NUCC) in `DIR`: keep clean claims clean against them, plant the data rules' defects, and expect what their rules fire")
	quiet := fs.BoolP("quiet", "q", false, "print nothing on success")
	// Pathological shapes (issue 14): one file of one form.
	shape := fs.String("shape", "", "instead of a drop, one file of a pathological shape: one-claim, long-claim or one-patient (see cmd/gen837)")
	shapeN := fs.Int("n", 1000, "with --shape: the number of lines (one-claim, long-claim) or claims (one-patient)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: gen837 [flags]\n\nWrites a synthetic 837P claim drop (see cmd/gen837).\n\n%s", fs.FlagUsages())
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gen837: unexpected arguments: %s\n", strings.Join(fs.Args(), " "))
		return 2
	}
	cfg := Config{Claims: *claims, Files: *files, Seed: *seed, TargetShare: *targetShare,
		DefectRate: *defectRate, Newline: *newline}
	if *size != "" {
		n, err := parseSize(*size)
		if err != nil {
			fmt.Fprintf(stderr, "gen837: --size: %v\n", err)
			return 2
		}
		cfg.Size = n
	} else if cfg.Claims == 0 {
		cfg.Claims = def.Claims
	}
	d, err := parseDelimiters(*delims)
	if err != nil {
		fmt.Fprintf(stderr, "gen837: --delimiters: %v\n", err)
		return 2
	}
	cfg.Delims = d
	if *dataDir != "" {
		set, err := codedata.Load(*dataDir, codedata.Options{Procedures: []string{procedure}})
		if err != nil {
			fmt.Fprintf(stderr, "gen837: --data: %v\n", err)
			return 2
		}
		cfg.Data = set
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintf(stderr, "gen837: %v\n", err)
		return 2
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintf(stderr, "gen837: %v\n", err)
		return 1
	}
	if *shape != "" {
		return runShape(*shape, *shapeN, filepath.Join(*out, *prefix+"-"+*shape+".837"), *gz, cfg, *quiet, stderr)
	}
	width := max(4, len(strconv.Itoa(cfg.Files)))
	var names []string
	open := func(i int) (io.WriteCloser, error) {
		name := filepath.Join(*out, fmt.Sprintf("%s-%0*d.837", *prefix, width, i+1))
		if *gz {
			name += ".gz"
		}
		names = append(names, name)
		return createFile(name, *gz)
	}
	start := time.Now()
	m, err := Generate(cfg, open)
	if err != nil {
		fmt.Fprintf(stderr, "gen837: %v\n", err)
		return 1
	}
	for i := range m.Files {
		if i < len(names) {
			m.Files[i].Name = filepath.Base(names[i])
		}
	}
	if *manifest != "" {
		if err := writeManifest(*manifest, m); err != nil {
			fmt.Fprintf(stderr, "gen837: %v\n", err)
			return 1
		}
	}
	if !*quiet {
		secs := time.Since(start).Seconds()
		fmt.Fprintf(stderr, "gen837: %d files, %d bytes, %d claims (%d with 0620T, %d with a planted defect) in %.1fs (%.0f MB/s)\n",
			len(names), m.Totals.Bytes, m.Totals.Claims, m.Totals.TargetClaims, m.Totals.PlantedClaims,
			secs, float64(m.Totals.Bytes)/1e6/max(secs, 1e-9))
	}
	return 0
}

// runShape writes one file of a pathological shape (shapes.go): exit 2
// for an unknown shape or n, 1 when the file cannot be written.
func runShape(shape string, n int, name string, gz bool, cfg Config, quiet bool, stderr io.Writer) int {
	if err := checkShape(shape, n); err != nil {
		fmt.Fprintf(stderr, "gen837: %v\n", err)
		return 2
	}
	if gz {
		name += ".gz"
	}
	f, err := createFile(name, gz)
	if err == nil {
		err = writeShape(shape, n, f, cfg.Delims, cfg.Newline)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "gen837: %v\n", err)
		return 1
	}
	if !quiet {
		fmt.Fprintf(stderr, "gen837: %s, %s with n = %d\n", name, shape, n)
	}
	return 0
}

// fileWriter is a created file, optionally gzipped, closed in order.
type fileWriter struct {
	f  *os.File
	bw *bufio.Writer
	gz *gzip.Writer
	w  io.Writer
}

func createFile(name string, gz bool) (io.WriteCloser, error) {
	f, err := os.Create(name)
	if err != nil {
		return nil, err
	}
	fw := &fileWriter{f: f, bw: bufio.NewWriterSize(f, 1<<20)}
	fw.w = fw.bw
	if gz {
		fw.gz, _ = gzip.NewWriterLevel(fw.bw, gzip.BestSpeed)
		fw.w = fw.gz
	}
	return fw, nil
}

func (fw *fileWriter) Write(p []byte) (int, error) { return fw.w.Write(p) }

func (fw *fileWriter) Close() error {
	var errs []error
	if fw.gz != nil {
		errs = append(errs, fw.gz.Close())
	}
	errs = append(errs, fw.bw.Flush(), fw.f.Close())
	return errors.Join(errs...)
}

func writeManifest(name string, m *Manifest) error {
	if dir := filepath.Dir(name); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(name, append(data, '\n'), 0o644)
}

// parseSize reads 1GB, 250MB, 512KB, 1.5GB or a plain number of bytes.
// Units are decimal (1 MB = 10^6 bytes), as MB/s figures are; MiB and GiB
// are binary.
func parseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := 1.0
	for _, u := range []struct {
		suffix string
		m      float64
	}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"G", 1e9}, {"M", 1e6}, {"K", 1e3}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.m
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("%q is not a size like 250MB or 1GB", s)
	}
	return int64(v * mult), nil
}

// parseDelimiters reads four characters: element, repetition, component,
// segment terminator.
func parseDelimiters(s string) (x12io.Delimiters, error) {
	if len(s) != 4 {
		return x12io.Delimiters{}, fmt.Errorf("%q: give four characters: element, repetition, component, terminator (e.g. \"*^:~\")", s)
	}
	d := x12io.Delimiters{Element: s[0], Repetition: s[1], Component: s[2], Segment: s[3]}
	return d, validDelimiters(d)
}
