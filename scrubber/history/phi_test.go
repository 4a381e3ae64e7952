package history_test

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scrub837/scrub837/scrubber/history"
	"github.com/scrub837/scrub837/scrubber/history/historytest"
)

// phiMembers are member IDs distinctive enough that finding one in the
// history's bytes can only mean it was stored.
var phiMembers = []string{"QZXMEMBER7301", "QZXMEMBER7302", "QZXMEMBER7303"}

// recordPHINight records claims of phiMembers, and looks them up. The API has
// no field for a name, birth date or diagnosis: only member IDs go in, and
// only through PatientKey.
func recordPHINight(t *testing.T, s *history.Store) {
	var claims []history.Claim
	for i, m := range phiMembers {
		claims = append(claims, claim(s, "CLM-"+itoa(i), "phi.837", m, "20260105", "RT"))
	}
	record(t, s, run("phi", 1), []history.File{okFile("phi.837")}, claims...)
	if got := duplicates(t, s, claim(s, "NEW", "new.837", phiMembers[0], "20260105", "RT")); len(got) != 1 {
		t.Fatalf("the PHI night is not in the history: %+v", got)
	}
}

// secrets are what must not be found: each member ID as text (either case)
// and as hex (how PostgreSQL prints bytea), and the key.
func secrets(t *testing.T) map[string][]byte {
	key, err := hex.DecodeString(testKey)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{"the key as hex": []byte(testKey), "the key": key}
	for _, m := range phiMembers {
		out["member "+m] = []byte(m)
		out["member "+m+" (lower case)"] = []byte(strings.ToLower(m))
		out["member "+m+" as hex"] = []byte(hex.EncodeToString([]byte(m)))
	}
	return out
}

func TestNoPHIInSQLiteFiles(t *testing.T) {
	path := historytest.SQLite(t)
	s := openHistory(t, path)
	recordPHINight(t, s)
	scan := func(when string) {
		files, err := filepath.Glob(path + "*")
		if err != nil {
			t.Fatal(err)
		}
		scanned := 0
		for _, name := range files {
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			scanned += len(data)
			for what, b := range secrets(t) {
				if bytes.Contains(data, b) {
					t.Errorf("%s: %s holds %s", when, filepath.Base(name), what)
				}
			}
			// The claim is there, so the scan would see a member ID stored as text.
			if strings.HasSuffix(name, ".db-wal") || strings.HasSuffix(name, ".db") {
				if bytes.Contains(data, []byte("CLM-1")) {
					scanned = -1 << 40
				}
			}
		}
		if scanned >= 0 {
			t.Fatalf("%s: the claim IDs are in none of %v: the scan reads the wrong files", when, files)
		}
	}
	scan("while open (WAL)")
	s.Close()
	scan("after closing")
}

func TestNoPHIInPostgresRows(t *testing.T) {
	target := newPostgresHistory(t)
	s := openHistory(t, target)
	recordPHINight(t, s)
	db := historytest.DB(t, target)
	tables := historytest.Tables(t, db)
	if len(tables) < 6 {
		t.Fatalf("tables in the history's schema: %v", tables)
	}
	sawClaim := false
	for _, table := range tables {
		for _, row := range historytest.Rows(t, db, table) {
			sawClaim = sawClaim || strings.Contains(row, "CLM-1")
			for what, b := range secrets(t) {
				if strings.Contains(row, string(b)) {
					t.Errorf("table %s holds %s: %s", table, what, row)
				}
			}
		}
	}
	if !sawClaim {
		t.Fatal("no row holds a claim ID: the scan reads the wrong rows")
	}
}
