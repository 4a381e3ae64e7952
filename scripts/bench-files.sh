#!/usr/bin/env bash
# Many small files: what scrub837 costs per file, not per byte. make bench
# (scripts/bench.sh) times big drops in a few files; a night can also bring
# thousands of small ones, where opening, reading ahead, spooling and
# reporting each file costs more than its claims.
#
# Generates one drop with bin/gen837 (BENCH_FILES_N files of
# BENCH_FILE_CLAIMS claims each, 10% of claims billing 0620T, 5% of those
# with a planted defect) in a temporary folder, then scrubs it BENCH_RUNS
# times with `scrub837 -j J --fail-on never -q --format csv,json FOLDER`
# under /usr/bin/time -v, alternating with BENCH_BASELINE (another build)
# when it is given, and prints a Markdown table of the medians: wall time,
# user and system CPU time, peak RSS, and the ratios against the baseline.
# Prints only: the figures go into scripts/PERFORMANCE.md by hand, with the
# command that made them.
#
# Environment:
#   BENCH_FILES_N=5000      files in the drop
#   BENCH_FILE_CLAIMS=4     claims per file
#   BENCH_RUNS=5            runs of each build; a row is the median
#   BENCH_J="1 2"           the -j values timed
#   BENCH_BASELINE=BINARY   alternate every run with BINARY's
#   BENCH_SEED=1            generator seed
#   BENCH_TMP=/tmp          where the temporary folder is made
set -euo pipefail

cd "$(dirname "$0")/.."

BENCH_NAME=bench-files
. scripts/benchlib.sh
NFILES=${BENCH_FILES_N:-5000}
PERFILE=${BENCH_FILE_CLAIMS:-4}
RUNS=${BENCH_RUNS:-5}
read -r -a JS <<<"${BENCH_J:-1 2}"
SEED=${BENCH_SEED:-1}

for v in "$NFILES" "$PERFILE" "$RUNS"; do
	case $v in '' | *[!0-9]* | 0) die "BENCH_FILES_N, BENCH_FILE_CLAIMS and BENCH_RUNS must be positive numbers" ;; esac
done
build_binaries
BIN=$PWD/bin/scrub837

TMP=$(mktemp -d "${BENCH_TMP:-/tmp}/scrub837-files.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

echo "generating $NFILES files of $PERFILE claims..." >&2
summary=$(bin/gen837 --claims $((NFILES * PERFILE)) --files "$NFILES" --seed "$SEED" --target-share 0.10 \
	--defect-rate 0.05 --out "$TMP/drop" 2>&1 >/dev/null)
echo "  $summary" >&2
bytes=$(sed -E 's/.* ([0-9]+) bytes, .*/\1/' <<<"$summary")
cat "$TMP/drop"/* >/dev/null # warm the page cache

# run BUILD BINARY J: one timed run; appends "build j wall user sys rss_kb".
run() {
	local build=$1 bin=$2 j=$3 t0 t1 rc=0
	rm -rf "$TMP/out"
	t0=$(date +%s%N)
	/usr/bin/time -v -o "$TMP/time.txt" "$bin" -o "$TMP/out" -j "$j" --run-id bench --fail-on never -q \
		--format csv,json "$TMP/drop" 2>"$TMP/scrub.log" || rc=$?
	t1=$(date +%s%N)
	[ "$rc" = 0 ] || { tail -5 "$TMP/scrub.log" >&2; die "$build exited $rc"; }
	awk -F': *' -v b="$build" -v j="$j" -v ns=$((t1 - t0)) '
		/User time \(seconds\)/ { u = $2 } /System time \(seconds\)/ { s = $2 }
		/Maximum resident set size/ { r = $2 }
		END { printf "%s %s %.3f %.2f %.2f %d\n", b, j, ns / 1e9, u, s, r }' "$TMP/time.txt" >>"$TMP/runs.txt"
}

: >"$TMP/runs.txt"
for j in "${JS[@]}"; do
	for ((i = 0; i < RUNS; i++)); do
		echo "  -j $j run $((i + 1))/$RUNS" >&2
		run new "$BIN" "$j"
		if [ -n "$BASELINE" ]; then run baseline "$BASELINE" "$j"; fi
	done
done

# The median of each column on its own (wall, user, sys, CPU, RSS) per build and -j.
medians() {
	awk -v n="$RUNS" '
		{ k = $1 " " $2; w[k] = w[k] " " $3; u[k] = u[k] " " $4; s[k] = s[k] " " $5; c[k] = c[k] " " ($4 + $5); r[k] = r[k] " " $6; keys[k] = 1 }
		function med(list,   a, m, i, j, t) {
			m = split(list, a, " ")
			for (i = 2; i <= m; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
			return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
		}
		END { for (k in keys) printf "%s %.3f %.2f %.2f %.2f %.1f\n", k, med(w[k]), med(u[k]), med(s[k]), med(c[k]), med(r[k]) / 1024 }' "$TMP/runs.txt" | sort -k2,2n -k1,1r
}
medians >"$TMP/med.txt"

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null | head -1)" ]; then commit="$commit + uncommitted changes"; fi
echo "### Many small files ($(date -u +%Y-%m-%d))"
echo
echo "Machine: $(nproc) CPUs, $(uname -sr), $("$GO" version | awk '{print $3}'), commit $commit; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
echo "Drop: \`gen837 --claims $((NFILES * PERFILE)) --files $NFILES --seed $SEED --target-share 0.10 --defect-rate 0.05\`"
echo "($bytes bytes). Command: \`scrub837 -o DIR -j J --run-id bench --fail-on never -q --format csv,json FOLDER\`;"
if [ -n "$BASELINE" ]; then
	echo "each run alternated with the baseline's (\`$BASELINE\`). Medians of $RUNS runs, each column on its own."
else
	echo "medians of $RUNS runs, each column on its own."
fi
echo
echo "| files | build | -j | wall s | user s | sys s | CPU s | peak RSS MB | CPU ms/file |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
awk -v n="$NFILES" '{ printf "| %d | %s | %s | %.2f | %.2f | %.2f | %.2f | %.1f | %.3f |\n", n, $1, $2, $3, $4, $5, $6, $7, $6 * 1000 / n }' "$TMP/med.txt"
if [ -n "$BASELINE" ]; then
	echo
	echo "| -j | wall ratio | user ratio | CPU ratio | peak RSS ratio |"
	echo "|---:|---:|---:|---:|---:|"
	awk '$1 == "baseline" { w[$2] = $3; u[$2] = $4; c[$2] = $6; r[$2] = $7; next }
		{ nw[$2] = $3; nu[$2] = $4; nc[$2] = $6; nr[$2] = $7 }
		END { for (j in nw) if (j in w) printf "| %s | %.3f | %.3f | %.3f | %.3f |\n", j, nw[j] / w[j], nu[j] / u[j], nc[j] / c[j], nr[j] / r[j] }' "$TMP/med.txt" | sort
	echo
	echo "A ratio is this build's median over the baseline's; below 1 is this build doing better."
fi
