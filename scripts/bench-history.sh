#!/usr/bin/env bash
# The claim-history benchmark (issue 17): a history of CLAIMS target claims
# (default 10 million) over RUNS nightly runs (400), generated through
# Record, then a night of NIGHT target claims (100,000) of which RESENDS
# (1,000) went out before: time per duplicate lookup (one by one and for the
# batch), per skip-seen lookup, to record the night and to prune a night;
# the history's size on disk and each phase's peak RSS. For SQLite, and for
# PostgreSQL when SCRUB837_TEST_POSTGRES is set (eval "$(bash
# .ci/install-postgres.sh)"); the PostgreSQL history goes in a schema of its
# own, history_bench, dropped first.
#
#   scripts/bench-history.sh [sqlite|postgres|both]     (default both)
#   CLAIMS=1000000 scripts/bench-history.sh sqlite       (a quicker run)
#
# Output: bench-out/history/*.log, and the figures on stdout. Not part of
# make test: at 10 million claims it takes tens of minutes and some GB of disk.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

which=${1:-both}
claims=${CLAIMS:-10000000}
runs=${RUNS:-400}
night=${NIGHT:-100000}
resends=${RESENDS:-1000}
out=bench-out/history
mkdir -p "$out"

go test -c -o "$out/history.test" ./scrubber/history/
flags=(-history.bench.claims="$claims" -history.bench.runs="$runs" -history.bench.night="$night" -history.bench.resends="$resends")

phase() { # phase NAME TARGET
	echo "== $backend: $1 ($claims claims, $runs runs, night $night)" >&2
	"$out/history.test" -test.run '^TestBenchHistory$' -test.v -test.timeout 3h \
		-history.bench.phase="$1" -history.bench.target="$2" "${flags[@]}" 2>&1 |
		tee "$out/$backend-$1.log" | grep -E '^(bench:|generated|--- FAIL|FAIL|panic)'
}

go version
echo "machine: $(nproc) CPUs, $(free -g | awk '/^Mem:/ {print $2}') GiB; $(uname -sr)"

if [ "$which" = sqlite ] || [ "$which" = both ]; then
	backend=sqlite
	db="$PWD/$out/history.db"
	rm -f "$db" "$db-wal" "$db-shm" "$db.key"
	phase generate "$db"
	phase night "$db"
fi

if [ "$which" = postgres ] || [ "$which" = both ]; then
	backend=postgres
	if [ -z "${SCRUB837_TEST_POSTGRES:-}" ]; then
		echo "bench-history: SCRUB837_TEST_POSTGRES is not set: no PostgreSQL run (eval \"\$(bash .ci/install-postgres.sh)\")" >&2
		exit 1
	fi
	psql -X -q -v ON_ERROR_STOP=1 "$SCRUB837_TEST_POSTGRES" \
		-c 'DROP SCHEMA IF EXISTS history_bench CASCADE' -c 'CREATE SCHEMA history_bench'
	case "$SCRUB837_TEST_POSTGRES" in *\?*) sep='&' ;; *) sep='?' ;; esac
	target="$SCRUB837_TEST_POSTGRES${sep}search_path=history_bench"
	echo "server: $(psql -X -tA "$SCRUB837_TEST_POSTGRES" -c 'SHOW server_version'), shared_buffers $(psql -X -tA "$SCRUB837_TEST_POSTGRES" -c 'SHOW shared_buffers')"
	phase generate "$target"
	phase night "$target"
fi
