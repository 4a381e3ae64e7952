package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readmeCronLine is the command of the crontab line in README.md's
// "Running it from cron", as cron hands it to sh: the five time fields
// dropped and every \% turned into %.
func readmeCronLine(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile("(?s)```cron\n(.*?)```").FindSubmatch(data)
	if block == nil {
		t.Fatal("README.md has no ```cron block")
	}
	var lines []string
	for _, l := range strings.Split(string(block[1]), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 {
		t.Fatalf("the cron block holds %d lines, want one: %q", len(lines), lines)
	}
	m := regexp.MustCompile(`^(\S+\s+){5}(.*)$`).FindStringSubmatch(lines[0])
	if m == nil {
		t.Fatalf("not a crontab line: %q", lines[0])
	}
	cmd := m[2]
	if strings.Contains(strings.ReplaceAll(cmd, `\%`, ""), "%") {
		t.Fatalf("an unescaped %% in the crontab line (cron ends the command there): %q", cmd)
	}
	return strings.ReplaceAll(cmd, `\%`, "%")
}

// Issue 15: the README's cron line stayed silent on exit 3 (cron mails
// output, not exit codes), and -q kept the log silent too. The line, run
// as cron runs it (sh -c, with the README's paths moved into a test
// folder), prints nothing on a night that exits 0 or 1 and one line on a
// night that exits 2 or 3; the log file gets the closing event each time.
func TestREADMECronLine(t *testing.T) {
	line := readmeCronLine(t)
	clean := tiny837("LT")
	dx, err := os.ReadFile(fixture("01-dx.837"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		inbox    map[string][]byte
		outIsBad bool
		code     string // "" for silence
	}{
		{"clean night", map[string][]byte{"a.837": clean, "a.837.done": nil}, false, ""},
		{"findings", map[string][]byte{"a.837": dx}, false, ""},
		{"an input failed", map[string][]byte{"a.837": clean, "b.837": []byte("not X12")}, false, "3"},
		{"--out unusable", map[string][]byte{"a.837": clean}, true, "2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			paths := map[string]string{
				"/usr/local/bin/scrub837": binPath,
				"/srv/scrub-reports":      filepath.Join(root, "reports"),
				"/var/log/scrub837":       filepath.Join(root, "log"),
				"/srv/claims":             filepath.Join(root, "claims"),
			}
			run := line
			for from, to := range paths {
				if !strings.Contains(run, from) {
					t.Fatalf("the cron line no longer names %s: update this test", from)
				}
				run = strings.ReplaceAll(run, from, to)
			}
			for _, dir := range []string{paths["/var/log/scrub837"], filepath.Join(paths["/srv/claims"], "inbox")} {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			for name, data := range c.inbox {
				writeTemp(t, filepath.Join(paths["/srv/claims"], "inbox"), name, data)
			}
			if c.outIsBad {
				writeTemp(t, root, "reports", []byte("a file where the reports folder should be"))
			}
			cmd := exec.Command("sh", "-c", run)
			cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH=")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil && c.code == "" {
				t.Fatalf("sh: %v\n%s", err, stderr.String())
			}
			mail := stdout.String()
			switch {
			case c.code == "" && mail != "":
				t.Errorf("cron would mail on a normal night: %q", mail)
			case c.code != "" && (strings.Count(mail, "\n") != 1 || !strings.HasPrefix(mail, "scrub837 exited "+c.code+" ")):
				t.Errorf("cron would mail %q, want one line for exit %s", mail, c.code)
			}
			log, err := os.ReadFile(filepath.Join(paths["/var/log/scrub837"], "scrub837.log"))
			if err != nil {
				t.Fatal(err)
			}
			if c.outIsBad {
				if !strings.Contains(string(log), "scrub837: ") {
					t.Errorf("the log lacks the fatal error: %s", log)
				}
			} else {
				closingEventOf(t, string(log))
			}
		})
	}
}
