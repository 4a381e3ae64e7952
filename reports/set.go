package reports

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
)

// The report set.
//
// --out holds exactly one run's reports (REPORTS.md, "one run's set"):
// tonight's CSV never sits beside last night's HTML, and a run killed at any
// instruction leaves last night's set or tonight's, never a mix that looks
// current. A run builds its set in a hidden staging folder inside --out and
// puts it in place with a roll-forward journal:
//
//  1. every report (and ready/, held/) is written into .scrub837-stage/ and
//     synced to disk, with a manifest naming the set (.scrub837-set);
//  2. a journal naming every rename (stage -> --out) and every removal (the
//     last set's members this set lacks) is written to .scrub837-journal.tmp,
//     synced, and renamed to .scrub837-journal: that one atomic rename is the
//     commit point;
//  3. the renames and removals are done (each one idempotent), the folder
//     is synced, the journal is removed, and the staging and trash folders
//     are emptied.
//
// A run killed before the commit point leaves the old set whole (and hidden
// leftovers); killed after it, a journal that the next run into the folder
// (NewStage, Recover) completes before anything else, as it removes every
// hidden leftover. While a journal exists the set is being replaced: a
// reader can tell (Pending) and should wait or run Recover under the lock.
//
// Why not a staged folder swapped in with one rename: --out is a folder the
// user named and may share with other files, its lock file lives in it, and
// rename(2) cannot replace a non-empty folder; an atomic exchange
// (renameat2 RENAME_EXCHANGE) is Linux-only and would still move the user's
// own files and the lock with it, and a symlink in place of --out changes
// what --out is. The journal keeps --out a plain folder on every system, at
// the price of a window (while a journal exists) in which a reader who does
// not check Pending can see some files replaced and some not.
const (
	stageName    = ".scrub837-stage"
	trashName    = ".scrub837-trash"
	journalName  = ".scrub837-journal"
	journalTemp  = ".scrub837-journal.tmp"
	manifestName = ".scrub837-set"
	probePrefix  = ".scrub837-probe-"
	setPrefix    = ".scrub837" // reserved: no set member starts with it
	journalHead  = "scrub837 report set journal 1"
	manifestHead = "scrub837 report set 1"
)

// The split folders (REPORTS.md, --split). They are members of the set when
// a run stages them and removed when it does not, even where no manifest
// says an earlier run wrote them.
const (
	ReadyDir = "ready"
	HeldDir  = "held"
)

// Stage is a report set being built in the output folder's staging area.
// Fill it (WriteFormats, Dir, Create), then Commit it, or Abort it. Hold
// LockDir(dir) from NewStage to Commit or Abort: one run at a time.
type Stage struct {
	dir, path string

	mu    sync.Mutex
	names []string // staged set members, in staging order
	state stageState

	// step, when set (tests), is called before each file-system step of
	// Commit, with a short name of the step.
	step func(string)
}

type stageState uint8

const (
	stageOpen stageState = iota
	stageCommitted
	stageAborted
)

// NewStage starts a new report set for dir, creating dir if missing. It
// first completes or discards what an earlier run left (see Recover). The
// caller holds LockDir(dir) until Commit or Abort.
func NewStage(dir string) (*Stage, error) { return newStage(dir, nil) }

func newStage(dir string, step func(string)) (*Stage, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("creating report folder: %w", err)
	}
	if _, err := recoverSet(dir, step); err != nil {
		return nil, err
	}
	s := &Stage{dir: dir, path: filepath.Join(dir, stageName), step: step}
	if err := os.Mkdir(s.path, 0o750); err != nil {
		return nil, fmt.Errorf("creating the staging folder in %s: %w", dir, err)
	}
	return s, nil
}

// Dir stages a folder of the set (ready/, held/) and returns its path in
// the staging area, for the caller to fill before Commit. The files in it
// need not be synced: Commit syncs the whole set.
func (s *Stage) Dir(name string) (string, error) {
	if err := s.claim(name); err != nil {
		return "", err
	}
	path := filepath.Join(s.path, name)
	if err := os.Mkdir(path, 0o750); err != nil {
		s.unclaim(name)
		return "", err
	}
	return path, nil
}

// Create stages a file of the set and opens it for writing (mode 0640);
// the caller writes and closes it before Commit.
func (s *Stage) Create(name string) (*os.File, error) {
	if err := s.claim(name); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(s.path, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, reportFileMode)
	if err != nil {
		s.unclaim(name)
		return nil, err
	}
	return f, nil
}

// checkSetName accepts a plain name for a set member: one path element, not
// hidden as the set's own files are, with no line break (the journal is
// one name a line).
func checkSetName(name string) error {
	if name == "" || name != filepath.Base(name) || name == "." || name == ".." ||
		strings.HasPrefix(name, setPrefix) || strings.ContainsAny(name, "\r\n/\\") {
		return fmt.Errorf("reports: %q cannot be a report set member", name)
	}
	return nil
}

func (s *Stage) claim(name string) error {
	if err := checkSetName(name); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != stageOpen {
		return errors.New("reports: the report set is already committed or aborted")
	}
	if slices.Contains(s.names, name) {
		return fmt.Errorf("reports: %s is staged twice", name)
	}
	s.names = append(s.names, name)
	return nil
}

// unclaim takes name out of the set and removes what was staged under it.
func (s *Stage) unclaim(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := slices.Index(s.names, name); i >= 0 {
		s.names = slices.Delete(s.names, i, i+1)
		os.RemoveAll(filepath.Join(s.path, name))
	}
}

// Abort discards the staged set; the output folder keeps its set. It does
// nothing after Commit.
func (s *Stage) Abort() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != stageOpen {
		return
	}
	s.state = stageAborted
	os.RemoveAll(s.path)
}

// ErrSetIncomplete is what a Commit error wraps when the new set was
// committed but could not all be put in place: the journal stays, readers
// see Pending, and the next NewStage or Recover completes it. The reports
// were written: a command must not say otherwise.
var ErrSetIncomplete = errors.New("the new report set is committed but not all in place; the next run into this folder completes it")

// Commit puts the staged set in place of the output folder's set: the
// members staged replace theirs, and members of the last set (named by its
// manifest, or a format's file, ready/, held/) that this set lacks are
// removed. Before the commit point an error leaves the old set as it was
// (and Commit discards the stage); after it, the error wraps
// ErrSetIncomplete.
func (s *Stage) Commit() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != stageOpen {
		return errors.New("reports: the report set is already committed or aborted")
	}
	j, err := s.prepare()
	if err != nil {
		s.state = stageAborted
		os.RemoveAll(s.path)
		os.Remove(filepath.Join(s.dir, journalTemp))
		return err
	}
	s.state = stageCommitted
	if err := applyJournal(s.dir, j, s.step); err != nil {
		// One more try: every step is idempotent, and a transient failure
		// (an interrupted call, a busy file on some systems) may pass.
		if err2 := applyJournal(s.dir, j, s.step); err2 != nil {
			return fmt.Errorf("%w: %v", ErrSetIncomplete, err)
		}
	}
	return nil
}

// prepare syncs the staged set, writes its manifest, and commits the
// journal (the commit point), returning the journal.
func (s *Stage) prepare() (journal, error) {
	step := stepper(s.step)
	step("manifest")
	var b strings.Builder
	b.WriteString(manifestHead + "\n")
	for _, name := range s.names {
		b.WriteString(name + "\n")
	}
	if err := os.WriteFile(filepath.Join(s.path, manifestName), []byte(b.String()), reportFileMode); err != nil {
		return journal{}, fmt.Errorf("writing the report set's manifest: %w", err)
	}
	step("sync-stage")
	if err := syncTree(s.path); err != nil {
		return journal{}, fmt.Errorf("syncing the new reports to disk: %w", err)
	}

	j := journal{renames: append(slices.Clone(s.names), manifestName)}
	known := append(formatFileNames(), ReadyDir, HeldDir)
	known = append(known, readManifest(s.dir)...)
	sort.Strings(known)
	for _, name := range slices.Compact(known) {
		if slices.Contains(s.names, name) {
			continue
		}
		if _, err := os.Lstat(filepath.Join(s.dir, name)); err == nil {
			j.removes = append(j.removes, name)
		}
	}

	step("journal-write")
	tmp := filepath.Join(s.dir, journalTemp)
	if err := writeSynced(tmp, j.encode()); err != nil {
		return journal{}, fmt.Errorf("writing the report set's journal: %w", err)
	}
	step("journal-commit")
	if err := os.Rename(tmp, filepath.Join(s.dir, journalName)); err != nil {
		return journal{}, fmt.Errorf("committing the report set's journal: %w", err)
	}
	step("journal-dir-sync")
	syncDir(s.dir)
	return j, nil
}

// journal is the list of steps that put a committed set in place.
type journal struct {
	renames []string // from the staging folder into the output folder
	removes []string // from the output folder (by way of the trash folder)
}

func (j journal) encode() []byte {
	var b strings.Builder
	b.WriteString(journalHead + "\n")
	for _, n := range j.renames {
		b.WriteString("rename " + n + "\n")
	}
	for _, n := range j.removes {
		b.WriteString("remove " + n + "\n")
	}
	b.WriteString("end\n")
	return []byte(b.String())
}

var errBadJournal = errors.New("the report set's journal is unreadable")

func parseJournal(data []byte) (journal, error) {
	var j journal
	lines := strings.Split(string(data), "\n")
	if len(lines) < 3 || lines[0] != journalHead || lines[len(lines)-1] != "" || lines[len(lines)-2] != "end" {
		return j, errBadJournal
	}
	for _, l := range lines[1 : len(lines)-2] {
		op, name, ok := strings.Cut(l, " ")
		if !ok || (name != manifestName && checkSetName(name) != nil) {
			return journal{}, errBadJournal
		}
		switch op {
		case "rename":
			j.renames = append(j.renames, name)
		case "remove":
			j.removes = append(j.removes, name)
		default:
			return journal{}, errBadJournal
		}
	}
	return j, nil
}

// applyJournal does the steps of a committed journal, each of them
// idempotent, then removes the journal and the staging and trash folders.
func applyJournal(dir string, j journal, stepHook func(string)) error {
	step := stepper(stepHook)
	stage, trash := filepath.Join(dir, stageName), filepath.Join(dir, trashName)
	// aside moves dir/name into the trash folder (a folder cannot be
	// replaced by a rename, and a removal that is cut short must not leave
	// half a folder in the set).
	aside := func(name string) error {
		if err := os.MkdirAll(trash, 0o750); err != nil {
			return err
		}
		if err := os.RemoveAll(filepath.Join(trash, name)); err != nil {
			return err
		}
		return os.Rename(filepath.Join(dir, name), filepath.Join(trash, name))
	}
	for _, name := range j.renames {
		src, dst := filepath.Join(stage, name), filepath.Join(dir, name)
		si, err := os.Lstat(src)
		if errors.Is(err, fs.ErrNotExist) {
			continue // done before
		}
		if err != nil {
			return err
		}
		if di, err := os.Lstat(dst); err == nil && (si.IsDir() || di.IsDir()) {
			step("aside " + name)
			if err := aside(name); err != nil {
				return err
			}
		}
		step("rename " + name)
		if err := os.Rename(src, dst); err != nil {
			return err
		}
	}
	for _, name := range j.removes {
		if _, err := os.Lstat(filepath.Join(dir, name)); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		step("remove " + name)
		if err := aside(name); err != nil {
			return err
		}
	}
	step("dir-sync")
	syncDir(dir)
	step("journal-remove")
	if err := os.Remove(filepath.Join(dir, journalName)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	step("journal-remove-sync")
	syncDir(dir)
	step("cleanup")
	os.RemoveAll(trash)
	os.RemoveAll(stage)
	step("done")
	return nil
}

func stepper(f func(string)) func(string) {
	if f == nil {
		return func(string) {}
	}
	return f
}

// Recovery is what Recover found in an output folder.
type Recovery struct {
	// Completed: an earlier run had committed its set but was stopped
	// before all of it was in place; Recover put it in place.
	Completed bool
	// BadJournal: a journal was unreadable (a damaged disk): it was
	// discarded with the staged set, and the folder holds what it held.
	BadJournal bool
	// Removed lists the hidden leftovers removed: an uncommitted staging
	// folder, trash, temporary files of this and earlier versions.
	Removed []string
}

// Recover completes a report set an earlier run committed but did not put
// all in place (a journal in dir), and removes the hidden leftovers of runs
// killed while writing. NewStage calls it; a command may call it first to
// log what it did. Call it while holding LockDir(dir).
func Recover(dir string) (Recovery, error) { return recoverSet(dir, nil) }

func recoverSet(dir string, step func(string)) (Recovery, error) {
	var rec Recovery
	data, err := os.ReadFile(filepath.Join(dir, journalName))
	switch {
	case err == nil:
		j, perr := parseJournal(data)
		if perr == nil {
			if err := applyJournal(dir, j, step); err != nil {
				return rec, fmt.Errorf("%w: %v", ErrSetIncomplete, err)
			}
			rec.Completed = true
			return rec, nil
		}
		rec.BadJournal = true
		if err := os.Remove(filepath.Join(dir, journalName)); err != nil {
			return rec, err
		}
	case errors.Is(err, fs.ErrNotExist):
	default:
		return rec, fmt.Errorf("reading the report set's journal: %w", err)
	}
	removed, err := removeLeftovers(dir)
	rec.Removed = removed
	return rec, err
}

// removeLeftovers removes the staging and trash folders, a journal not
// committed, write probes, and the temporary reports of earlier versions
// (".exceptions.csv.123.tmp").
func removeLeftovers(dir string) ([]string, error) {
	var removed []string
	candidates := []string{filepath.Join(dir, stageName), filepath.Join(dir, trashName), filepath.Join(dir, journalTemp)}
	patterns := []string{filepath.Join(dir, probePrefix+"*")}
	for _, name := range formatFileNames() {
		patterns = append(patterns, filepath.Join(dir, "."+name+".[0-9]*.tmp"))
	}
	for _, p := range patterns {
		m, err := filepath.Glob(p)
		if err != nil {
			return removed, err
		}
		candidates = append(candidates, m...)
	}
	for _, path := range candidates {
		if _, err := os.Lstat(path); err != nil {
			continue
		}
		if err := os.RemoveAll(path); err != nil {
			return removed, err
		}
		removed = append(removed, path)
	}
	sort.Strings(removed)
	return removed, nil
}

// Pending reports whether dir's report set is being replaced: a run
// committed a new set and has not put all of it in place yet (it is
// running, or was killed and the next run completes it). A reader that sees
// it true should wait, or take LockDir(dir) and Recover.
func Pending(dir string) bool {
	_, err := os.Lstat(filepath.Join(dir, journalName))
	return err == nil
}

// readManifest returns the members of dir's current set as its manifest
// names them (none when it has none or it is unreadable).
func readManifest(dir string) []string {
	f, err := os.Open(filepath.Join(dir, manifestName))
	if err != nil {
		return nil
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var names []string
	for first := true; sc.Scan(); first = false {
		if first {
			if sc.Text() != manifestHead {
				return nil
			}
			continue
		}
		if checkSetName(sc.Text()) == nil {
			names = append(names, sc.Text())
		}
	}
	return names
}

// CheckWritable reports whether reports can be written into dir (created
// if missing): a command calls it before scrubbing, so a read-only --out
// fails at once rather than after the night's work.
func CheckWritable(dir string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("report folder %s cannot be created: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, probePrefix+"*")
	if err != nil {
		return fmt.Errorf("report folder %s is not writable: %w", dir, err)
	}
	name := f.Name()
	_, werr := f.Write([]byte("x"))
	cerr := f.Close()
	rerr := os.Remove(name)
	if err := errors.Join(werr, cerr, rerr); err != nil {
		return fmt.Errorf("report folder %s is not writable: %w", dir, err)
	}
	return nil
}

// writeSynced writes data to a new file at path and syncs it.
func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, reportFileMode)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	return errors.Join(werr, serr, cerr)
}

// syncDir makes renames in dir durable; best effort (some file systems
// refuse to sync a folder).
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

// syncTreeWalk syncs every file and folder under root.
func syncTreeWalk(root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && !d.Type().IsRegular() {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		serr := f.Sync()
		if d.IsDir() {
			serr = nil // best effort, as syncDir
		}
		return errors.Join(serr, f.Close())
	})
}
