package history

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// KeyEnv names the environment variable that holds the patient-key secret:
// 64 hex digits (32 random bytes; more are accepted), e.g. from
// `openssl rand -hex 32`. The same text is what a SQLite history's PATH.key
// file holds.
const KeyEnv = "SCRUB837_HISTORY_KEY"

// minKeyBytes is the shortest secret accepted: HMAC-SHA-256's full strength.
const minKeyBytes = 32

// PatientKey stands for a patient in the history: HMAC-SHA-256 of the payer
// ID and the member ID under the history's secret. The zero PatientKey means
// "no member ID": such a claim is recorded but never compared.
type PatientKey [sha256.Size]byte

// IsZero reports whether k stands for no patient.
func (k PatientKey) IsZero() bool { return k == PatientKey{} }

// patientKeySeparator joins payer ID and member ID; it cannot occur in an
// X12 element, so ("AB", "C") and ("A", "BC") differ.
const patientKeySeparator = "\x1f"

// PatientKey returns the key for the member memberID of the payer payerID
// (2010BB NM109 and 2010BA NM109). Both are trimmed and upper-cased first,
// so a member ID typed in lower case by one clearinghouse is the same
// patient. An empty member ID gives the zero key.
func (s *Store) PatientKey(payerID, memberID string) PatientKey {
	memberID = strings.ToUpper(strings.TrimSpace(memberID))
	if memberID == "" {
		return PatientKey{}
	}
	mac := hmac.New(sha256.New, s.key)
	mac.Write([]byte(strings.ToUpper(strings.TrimSpace(payerID))))
	mac.Write([]byte(patientKeySeparator))
	mac.Write([]byte(memberID))
	var k PatientKey
	mac.Sum(k[:0])
	return k
}

// parseKey reads a secret written as hex (surrounding space ignored).
func parseKey(text, from string) ([]byte, error) {
	key, err := hex.DecodeString(strings.TrimSpace(text))
	if err != nil {
		return nil, usageErrorf("%s: the history key must be hex digits (e.g. openssl rand -hex 32): %v", from, err)
	}
	if len(key) < minKeyBytes {
		return nil, usageErrorf("%s: the history key has %d bytes; it needs at least %d (64 hex digits, e.g. openssl rand -hex 32)", from, len(key), minKeyBytes)
	}
	return key, nil
}

// keyCheckName is the meta row holding HMAC(key, keyCheckLabel): it tells a
// wrong key from the right one without storing the key.
const (
	keyCheckName  = "key_check"
	keyCheckLabel = "scrub837 history key check v1"
)

func keyCheck(key []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(keyCheckLabel))
	return hex.EncodeToString(mac.Sum(nil))
}

// storedKeyCheck returns the history's key check, "" for a history that has
// none yet.
func (s *Store) storedKeyCheck(ctx context.Context) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, s.d.sql(`SELECT value FROM meta WHERE name = ?`), keyCheckName).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("history: reading the key check: %w", err)
	}
	return v, nil
}

// checkKey makes sure s.key is the key the history was recorded under; the
// first Open of a new history writes the check.
func (s *Store) checkKey(ctx context.Context, keySource string) error {
	want := keyCheck(s.key)
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var have string
	err = tx.QueryRowContext(ctx, s.d.sql(`SELECT value FROM meta WHERE name = ?`), keyCheckName).Scan(&have)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := tx.ExecContext(ctx, s.d.sql(`INSERT INTO meta (name, value) VALUES (?, ?)`), keyCheckName, want); err != nil {
			return fmt.Errorf("history: writing the key check: %w", err)
		}
	case err != nil:
		return fmt.Errorf("history: reading the key check: %w", err)
	case !hmac.Equal([]byte(have), []byte(want)):
		return usageErrorf("%s was recorded under another key than the one in %s: its patients would not match. Use the key it was created with", s.where, keySource)
	}
	return tx.Commit()
}

// readKeyFile returns the secret kept in name beside the SQLite history
// where, creating it (mode 0600) when the history has no key check yet. A
// history that has one and lost its key file is an error, not a new key:
// every earlier patient would stop matching.
func readKeyFile(name, where string, historyIsNew bool) ([]byte, error) {
	text, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		if !historyIsNew {
			return nil, usageErrorf("%s is missing, and history %s was recorded under it: restore it, or set %s to the key", name, where, KeyEnv)
		}
		return createKeyFile(name, where)
	}
	if err != nil {
		return nil, fmt.Errorf("history: reading the key: %w", err)
	}
	if err := checkKeyFileMode(name); err != nil {
		return nil, err
	}
	return parseKey(string(text), name)
}

// createKeyFile writes a new random key to name, whole or not at all: it is
// written to a temporary file and linked into place, so a second process
// creating it at the same moment reads the first one's key, never a part.
func createKeyFile(name, where string) ([]byte, error) {
	key := make([]byte, minKeyBytes)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("history: making a key: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), filepath.Base(name)+".tmp*")
	if err != nil {
		return nil, fmt.Errorf("history: writing the key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		tmp.Close()
		return nil, fmt.Errorf("history: writing the key: %w", err)
	}
	_, err = tmp.WriteString(hex.EncodeToString(key) + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("history: writing the key: %w", err)
	}
	if err := os.Link(tmp.Name(), name); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return readKeyFile(name, where, false)
		}
		return nil, fmt.Errorf("history: writing the key: %w", err)
	}
	return key, nil
}

// checkKeyFileMode refuses a key file that others can read, as ssh does
// with a private key: the key is what keeps the patient hashes from being
// recomputed from a list of member IDs.
func checkKeyFileMode(name string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	fi, err := os.Stat(name)
	if err != nil {
		return fmt.Errorf("history: reading the key: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return usageErrorf("%s can be read by others (mode %04o): chmod 600 %s", name, fi.Mode().Perm(), name)
	}
	return nil
}
