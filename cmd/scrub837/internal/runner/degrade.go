package runner

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/scrub837/scrub837/scrubber"
	"github.com/scrub837/scrub837/scrubber/finding"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// What a run does when its machine runs short (issue 14: "exit 3 means
// reports were written"): it writes its reports without what it could not
// do, says so in them and in the log, and the command exits 3.

// skipCrossClaims records that the cross-claim rules could not run
// (Finish failed with err): each result with target claims gets a
// FILE-CROSS-CLAIM-SKIPPED finding. It returns how many did.
//
// The finding is made here rather than in package scrubber: its cause is
// the run's (its temporary folder, its file handles), not the input's.
func skipCrossClaims(results []*scrubber.FileResult, err error) int {
	why := SafeText(err.Error())
	return fileNotice(results, rules.FileCrossClaimSkipped, func(res *scrubber.FileResult) string {
		return fmt.Sprintf("the cross-claim rules (%s across claims, %s) could not run: %s. "+
			"This file's %d target claims were not compared with the other claims of the run", rules.LineDuplicate, rules.BundleCrossClaim, why, res.TargetClaims)
	}, "free space in the temporary folder ($TMPDIR) or raise the open-file limit (ulimit -n) and run again; "+
		"until then, check these claims for duplicates across claims by hand")
}

// skipHistory records that the claim history could not be checked for
// duplicates (err): each result with target claims gets a
// FILE-HISTORY-SKIPPED finding. It returns how many did.
func skipHistory(results []*scrubber.FileResult, err error) int {
	why := SafeText(err.Error())
	return fileNotice(results, rules.FileHistorySkipped, func(res *scrubber.FileResult) string {
		return fmt.Sprintf("the claim history could not be checked for duplicates (%s): %s. "+
			"This file's %d target claims were not compared with earlier nights' claims", rules.HistDuplicate, why, res.TargetClaims)
	}, "make the history reachable (the database, its key) and run again before sending these claims; "+
		"until then, check them against earlier nights' claims by hand")
}

// fileNotice gives each result with target claims a finding of rule id,
// saying what the run could not do for it. It returns how many got one.
func fileNotice(results []*scrubber.FileResult, id rules.ID, message func(*scrubber.FileResult) string, suggestion string) int {
	rule := id.Rule()
	n := 0
	for _, res := range results {
		if res == nil || res.TargetClaims == 0 {
			continue
		}
		res.Findings = append(res.Findings, finding.Finding{
			FileIndex:  res.Index,
			File:       res.Name,
			RuleID:     rule.ID.String(),
			Severity:   rule.Severity,
			Message:    message(res),
			Suggestion: suggestion,
		})
		finding.Sort(res.Findings)
		n++
	}
	return n
}

// Files scrubbed at once: -j, but no more than there are inputs, than
// filesPerCPU a CPU (more only add memory: -j 100000 on 20,000 files took
// 2 GB), and than the open-file limit leaves room for.
const (
	filesPerCPU = 4
	// handlesPerFile: the input, and one to spare (a gzip file, a retry).
	handlesPerFile = 2
	// handlesReserved: the run's own: standard streams, the runtime, the
	// findings spool, the cross-claim index's 64 partitions, the locks,
	// the report files.
	handlesReserved = 96
)

func filesAtOnce(workers, inputs, cpus int, openFileLimit uint64) int {
	n := min(max(1, workers), inputs, filesPerCPU*max(1, cpus))
	if openFileLimit > 0 {
		byHandles := (int(min(openFileLimit, 1<<20)) - handlesReserved) / handlesPerFile
		n = min(n, max(1, byHandles))
	}
	return n
}

// isOutOfHandles reports whether err says the process (EMFILE) or the
// system (ENFILE) has no file handle left.
func isOutOfHandles(err error) bool {
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE)
}

// openRetryFor is how long a file that cannot be opened for want of file
// handles is retried: other files close theirs as they finish.
const openRetryFor = 5 * time.Second

// failWith makes res a failed file's, with a FILE-UNREADABLE finding that
// says why: a file read to the end of its X12 whose bytes could not all
// be read, or that changed while it was read.
func failWith(s *scrubber.Scrubber, res *scrubber.FileResult, err error) {
	u := s.Unreadable(res.Index, res.Name, err)
	res.Status, res.Error = u.Status, u.Error
	res.Findings = append(res.Findings, u.Findings...)
	finding.Sort(res.Findings)
}

// sidecarExtensions are the names of files that travel with claim files
// in drop folders (transfer markers, control files, checksums, manifests).
var sidecarExtensions = []string{".done", ".ok", ".ctl", ".md5", ".json"}

// suggestExclude: a failed file whose name looks like a sidecar's is
// probably not claims at all; its error and finding say how to leave such
// files out.
func suggestExclude(res *scrubber.FileResult, name string) {
	ext := strings.ToLower(filepath.Ext(name))
	if !slices.Contains(sidecarExtensions, ext) {
		return
	}
	hint := fmt.Sprintf("it looks like a %s file that travels with the claims, not claims: leave such files out with --exclude=*%s", ext, ext)
	res.Error += "; " + hint
	for i := range res.Findings {
		if f := &res.Findings[i]; f.RuleID == rules.FileUnreadable.String() {
			f.Suggestion = hint + " (or, if it should hold claims, ask the sender to resend it)"
		}
	}
}
