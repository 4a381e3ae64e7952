// Package history keeps scrub837's claim history: the runs, their input files
// and their target claims (claims with a 0620T line), in a SQLite file or a
// PostgreSQL database, so that a night can find claims that already went out
// (HIST-DUPLICATE), skip files it has already scrubbed (--skip-seen), and
// show trends (scrub837 history).
//
// # What is stored
//
// For each run: its ID, start and finish times, tool version, rule pack
// version and SHA-256, exit code and counts (files, failed, skipped, target
// claims held / review / ready / void). For each file: its path as the
// reports show it, SHA-256, size and status. For each target claim: CLM01,
// the file's SHA-256, the frequency (CLM05-3), the status, REF*F8, billing
// and rendering NPI, payer ID, the date of service and side of each target
// line, and the patient as a PatientKey.
//
// Never stored: member IDs, names, birth dates, addresses, diagnoses, or the
// key. The patient key is HMAC-SHA-256 over payer ID, a separator and member
// ID under a secret; without the secret, a list of member IDs cannot be
// hashed to find them in the history. The history is still not de-identified
// data: claim IDs (the provider's patient control number), dates of service
// and file paths link back to the claim files, so it is kept as the reports
// are (the SQLite file and its key file are created mode 0600). File paths
// are kept as given: a shop whose file names carry patient names should
// rename its drops, as those names are already in every report and log.
//
// # The key
//
// The secret is 32 random bytes written as 64 hex digits (more bytes are
// accepted, fewer are not), e.g. from `openssl rand -hex 32`. It comes from
// SCRUB837_HISTORY_KEY (KeyEnv) or, for a SQLite file only, from a key file
// beside it, PATH.key, which the first run creates (mode 0600, refused when
// others can read it). The history keeps an HMAC of a fixed label under the
// key, so a different key (a lost key file, a changed variable) is refused
// rather than silently matching no patient again. Back the key up as well as
// the history, but apart from it: without the key old patients never match
// new claims, and with both, a list of member IDs can be looked for. (A key
// file beside the history protects a copy of the history taken alone, not
// the host: whoever reads one there reads the other.) PostgreSQL has no key
// file: without the variable, Open fails.
//
// # SQLite or PostgreSQL
//
// A SQLite file (WAL mode) suits one host running the nightly job: nothing to
// install, and two runs at once wait for each other. Move to PostgreSQL when
// several hosts or teams must share one history (a SQLite file on a network
// share is not safe to lock), or when the history must be backed up,
// monitored and access-controlled by a database team. Size alone is no
// reason: 10 million target claims (400 nights of 25,000) make a SQLite file
// of about 2 GB that answers a night's lookups in seconds. Both hold the same
// schema (schema_version tells its version; Open migrates), and CopyTo moves
// a history from one to the other, under the same key.
//
// # Use
//
// Open before scrubbing (a bad URL or key is a *UsageError); Seen for each
// input before reading it (--skip-seen); Duplicates for the night's target
// claims once they are scrubbed, before the reports; Record once the reports
// are in place (one transaction: a run that dies before it records nothing);
// Prune for retention; Runs for trends.
package history
