package reports

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Format is one kind of report, as named by --format: the files it writes
// into the output folder.
type Format struct {
	Name  string // as given to --format, lower case
	Files []FormatFile
}

// FormatFile is one file of a format.
type FormatFile struct {
	Name  string // base name in the output folder, e.g. "exceptions.csv"
	Write func(w io.Writer, r *Report) error
	// Streams: Write holds a bounded number of findings and claims at a
	// time, and so may run while other files are written (Stage.WriteFormats
	// runs such files at once).
	Streams bool
}

var (
	formatsMu sync.RWMutex
	formats   = map[string]Format{}
)

// Register makes a format known to ParseFormats and Write. Formats register
// themselves from init functions in their own files. Register panics when
// the format is incomplete or its name or a file name is already taken:
// both are programming errors.
func Register(f Format) {
	if f.Name == "" || f.Name != strings.ToLower(strings.TrimSpace(f.Name)) || strings.Contains(f.Name, ",") {
		panic(fmt.Sprintf("reports: bad format name %q", f.Name))
	}
	if len(f.Files) == 0 {
		panic(fmt.Sprintf("reports: format %q writes no file", f.Name))
	}
	for i, ff := range f.Files {
		if err := checkSetName(ff.Name); err != nil || ff.Write == nil {
			panic(fmt.Sprintf("reports: format %q needs plain file names and Write functions (file %q)", f.Name, ff.Name))
		}
		for _, other := range f.Files[:i] {
			if other.Name == ff.Name {
				panic(fmt.Sprintf("reports: format %q names %s twice", f.Name, ff.Name))
			}
		}
	}
	formatsMu.Lock()
	defer formatsMu.Unlock()
	for _, g := range formats {
		if g.Name == f.Name {
			panic(fmt.Sprintf("reports: format %q registered twice", f.Name))
		}
		for _, gf := range g.Files {
			for _, ff := range f.Files {
				if gf.Name == ff.Name {
					panic(fmt.Sprintf("reports: format %q's file %s is format %q's", f.Name, ff.Name, g.Name))
				}
			}
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

// formatFileNames lists every file name of every registered format.
func formatFileNames() []string {
	formatsMu.RLock()
	defer formatsMu.RUnlock()
	var names []string
	for _, f := range formats {
		for _, ff := range f.Files {
			names = append(names, ff.Name)
		}
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

// Write writes r into dir in each of the named formats, as one report set
// that replaces the one in dir (see Stage: formats not named here are
// removed), and returns the paths it wrote, in the order of the formats.
// dir is created if missing. Hold LockDir(dir) around it. An error that
// wraps ErrSetIncomplete comes with the paths: the reports were written.
//
// It is NewStage, WriteFormats and Commit: a command that stages more
// (ready/ and held/) calls those itself.
func Write(dir string, formatNames []string, r *Report) ([]string, error) {
	if _, err := resolveFormats(formatNames); err != nil {
		return nil, err
	}
	st, err := NewStage(dir)
	if err != nil {
		return nil, err
	}
	paths, err := st.WriteFormats(formatNames, r)
	if err != nil {
		st.Abort()
		return nil, err
	}
	if err := st.Commit(); err != nil {
		if errors.Is(err, ErrSetIncomplete) {
			return paths, err
		}
		return nil, err
	}
	return paths, nil
}

// resolveFormats looks the named formats up, duplicates dropped.
func resolveFormats(names []string) ([]Format, error) {
	var fs []Format
	for _, name := range names {
		f, ok := lookupFormat(name)
		if !ok {
			return nil, unknownFormat(name)
		}
		if !slices.ContainsFunc(fs, func(g Format) bool { return g.Name == name }) {
			fs = append(fs, f)
		}
	}
	return fs, nil
}

// WriteFormats writes r in each of the named formats into the stage and
// returns the paths the files will have once the set is committed, in the
// order of the formats. Files that stream are written at once, as many as
// there are CPUs; the others one at a time after them. On error nothing
// of the formats is left staged, and the error names the first format (in
// the order asked) that failed.
func (s *Stage) WriteFormats(formatNames []string, r *Report) ([]string, error) {
	fs, err := resolveFormats(formatNames)
	if err != nil {
		return nil, err
	}
	var files []FormatFile
	var owner []string
	for _, f := range fs {
		for _, ff := range f.Files {
			if err := s.claim(ff.Name); err != nil {
				return nil, err
			}
			files = append(files, ff)
			owner = append(owner, f.Name)
		}
	}
	errs := make([]error, len(files))
	step := stepper(s.step)
	write := func(i int) {
		step("write " + files[i].Name)
		if errs[i] = s.writeFile(files[i], r); errs[i] != nil {
			errs[i] = fmt.Errorf("writing %s report %s: %w", owner[i], filepath.Join(s.dir, files[i].Name), errs[i])
		}
	}
	var wg sync.WaitGroup
	slots := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	for i, ff := range files {
		if !ff.Streams {
			continue
		}
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			write(i)
		}()
	}
	wg.Wait()
	failed := func() bool { return slices.ContainsFunc(errs, func(err error) bool { return err != nil }) }
	for i, ff := range files {
		if !ff.Streams && !failed() {
			write(i)
		}
	}
	if failed() {
		for _, ff := range files {
			s.unclaim(ff.Name)
		}
		for _, err := range errs {
			if err != nil {
				return nil, err
			}
		}
	}
	paths := make([]string, len(files))
	for i, ff := range files {
		paths[i] = filepath.Join(s.dir, ff.Name)
	}
	return paths, nil
}

// writeFile writes one report file into the stage. The set is synced to
// disk as a whole when it is committed.
func (s *Stage) writeFile(ff FormatFile, r *Report) (err error) {
	path := filepath.Join(s.path, ff.Name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, reportFileMode)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	if err = f.Chmod(reportFileMode); err != nil { // whatever the umask
		return err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	if err = ff.Write(bw, r); err != nil {
		return err
	}
	return bw.Flush()
}
