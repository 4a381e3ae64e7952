package reports

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Format is one kind of report: its --format name, the file it is written
// to inside the output folder, and the function that writes it.
type Format struct {
	Name     string // as given to --format, lower case
	FileName string // base name in the output folder, e.g. "exceptions.csv"
	Write    func(w io.Writer, r *Report) error
	// Streams: Write holds one finding at a time, so it may run while
	// other formats are written (Write runs such formats at once).
	Streams bool
}

var (
	formatsMu sync.RWMutex
	formats   = map[string]Format{}
)

// Register makes a format known to ParseFormats and Write. Formats register
// themselves from init functions in their own files. Register panics when
// the format is incomplete or its name or file name is already taken: both
// are programming errors.
func Register(f Format) {
	if f.Name == "" || f.Name != strings.ToLower(strings.TrimSpace(f.Name)) || strings.Contains(f.Name, ",") {
		panic(fmt.Sprintf("reports: bad format name %q", f.Name))
	}
	if f.FileName == "" || f.FileName != filepath.Base(f.FileName) || f.Write == nil {
		panic(fmt.Sprintf("reports: format %q needs a plain file name and a Write function", f.Name))
	}
	formatsMu.Lock()
	defer formatsMu.Unlock()
	for _, g := range formats {
		if g.Name == f.Name || g.FileName == f.FileName {
			panic(fmt.Sprintf("reports: format %q (%s) registered twice or clashes with %q (%s)", f.Name, f.FileName, g.Name, g.FileName))
		}
	}
	formats[f.Name] = f
}

// Formats lists the names of the registered formats, sorted.
func Formats() []string {
	formatsMu.RLock()
	defer formatsMu.RUnlock()
	names := make([]string, 0, len(formats))
	for name := range formats {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func lookupFormat(name string) (Format, bool) {
	formatsMu.RLock()
	defer formatsMu.RUnlock()
	f, ok := formats[name]
	return f, ok
}

func unknownFormat(name string) error {
	return fmt.Errorf("unknown report format %q (known formats: %s)", name, strings.Join(Formats(), ", "))
}

// ParseFormats reads a --format value: format names separated by commas,
// trimmed and lower-cased, duplicates dropped, order kept. Empty items are
// skipped; an empty list or an unknown name is an error that lists the
// known formats.
func ParseFormats(list string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, item := range strings.Split(list, ",") {
		name := strings.ToLower(strings.TrimSpace(item))
		if name == "" || seen[name] {
			continue
		}
		if _, ok := lookupFormat(name); !ok {
			return nil, unknownFormat(name)
		}
		seen[name] = true
		out = append(out, name)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no report format given (known formats: %s)", strings.Join(Formats(), ", "))
	}
	return out, nil
}

// reportFileMode is the mode of written reports: they carry claim data
// (diagnoses, masked member IDs), so they are not world-readable.
const reportFileMode = 0o640

// Write writes r into dir in each of the named formats and returns the
// paths it wrote, in the order of formats. dir is created if missing.
//
// Every report is first written to a temporary file in dir and synced to
// disk; only when all of them are complete are they renamed into place, so a
// crash or a failing writer never leaves a half-written report, and a
// failure leaves the previous run's reports as they were rather than mixing
// the two runs. Temporary files are removed on error. Writers that share an
// output folder should hold LockDir(dir) around Write.
func Write(dir string, formatNames []string, r *Report) ([]string, error) {
	var fs []Format
	seen := map[string]bool{}
	for _, name := range formatNames {
		f, ok := lookupFormat(name)
		if !ok {
			return nil, unknownFormat(name)
		}
		if !seen[name] {
			seen[name] = true
			fs = append(fs, f)
		}
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("creating report folder: %w", err)
	}

	// Streaming formats are written at once, as many as there are CPUs;
	// the others, which hold every finding in memory, one at a time.
	temps := make([]string, len(fs))
	errs := make([]error, len(fs))
	var wg sync.WaitGroup
	slots := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	for i, f := range fs {
		if !f.Streams {
			continue
		}
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			temps[i], errs[i] = writeTemp(dir, f, r)
		}()
	}
	wg.Wait()
	for i, f := range fs {
		if !f.Streams && !slices.ContainsFunc(errs, func(err error) bool { return err != nil }) {
			temps[i], errs[i] = writeTemp(dir, f, r)
		}
	}
	removeTemps := func() {
		for _, t := range temps {
			if t != "" {
				os.Remove(t)
			}
		}
	}
	for _, err := range errs {
		if err != nil {
			removeTemps()
			return nil, err // the error of the first format (in the order asked) that failed
		}
	}

	written := make([]string, 0, len(fs))
	for i, f := range fs {
		final := filepath.Join(dir, f.FileName)
		if err := os.Rename(temps[i], final); err != nil {
			removeTemps()
			syncDir(dir)
			return written, fmt.Errorf("writing %s: %w", final, err)
		}
		temps[i] = ""
		written = append(written, final)
	}
	// Make the renames durable; best effort (some file systems refuse to
	// sync a directory, and the reports are complete either way).
	syncDir(dir)
	return written, nil
}

// RemoveStaleTemps removes from dir the temporary report files (see
// writeTemp) that a run killed while writing left behind, and returns
// their paths. Call it only while holding LockDir(dir): then no other run
// is writing there.
func RemoveStaleTemps(dir string) ([]string, error) {
	formatsMu.RLock()
	patterns := make([]string, 0, len(formats))
	for _, f := range formats {
		patterns = append(patterns, tempPattern(f))
	}
	formatsMu.RUnlock()
	var removed []string
	for _, pattern := range patterns {
		// CreateTemp puts digits where the * is.
		matches, err := filepath.Glob(filepath.Join(dir, strings.Replace(pattern, "*", "[0-9]*", 1)))
		if err != nil {
			return removed, err
		}
		for _, path := range matches {
			if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return removed, err
			}
			removed = append(removed, path)
		}
	}
	sort.Strings(removed)
	return removed, nil
}

// tempPattern is the os.CreateTemp pattern of f's temporary files.
func tempPattern(f Format) string { return "." + f.FileName + ".*.tmp" }

// writeTemp writes one report to a new temporary file in dir, syncs and
// closes it, and returns its path. On error the file is removed.
func writeTemp(dir string, f Format, r *Report) (_ string, err error) {
	tmp, err := os.CreateTemp(dir, tempPattern(f))
	if err != nil {
		return "", fmt.Errorf("writing %s report: %w", f.Name, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			err = fmt.Errorf("writing %s report %s: %w", f.Name, filepath.Join(dir, f.FileName), err)
		}
	}()
	bw := bufio.NewWriterSize(tmp, 64<<10)
	if err = f.Write(bw, r); err != nil {
		return "", err
	}
	if err = bw.Flush(); err != nil {
		return "", err
	}
	if err = tmp.Chmod(reportFileMode); err != nil {
		return "", err
	}
	if err = tmp.Sync(); err != nil {
		return "", err
	}
	if err = tmp.Close(); err != nil {
		return "", err
	}
	return tmp.Name(), nil
}

func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}
