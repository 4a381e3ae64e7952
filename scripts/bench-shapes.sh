#!/usr/bin/env bash
# Time and peak memory of scrub837 on the pathological shapes of issue 14,
# each at three sizes, each twice the last: both must grow with the input
# linearly (time per line or claim about constant), whatever its shape.
#
# Shapes (bin/gen837 --shape, see cmd/gen837/shapes.go):
#   one-claim    one claim, n 0620T lines and n 76937 lines on one date
#   long-claim   one claim, n 0620T lines of co-surgeons, each its own NPI
#   one-patient  n claims of one patient, one 0620T line each, one date
# (the last also gzipped: a small file that holds many claims).
#
# Prints one Markdown table, and writes it between the markers of
# scripts/PERFORMANCE.md (BENCH_WRITE=0: print only).
#
# Environment:
#   SHAPES_SCALE=1   multiply every n (0.1 for a quick look)
#   BENCH_BASELINE   another scrub837 build: its rows too, for the same files
#   BENCH_TIMEOUT=600 seconds a run may take before it is stopped (and shown
#                    as such): the baseline may be quadratic
#   BENCH_TMP=/tmp   where the temporary folder is made
set -euo pipefail

cd "$(dirname "$0")/.."

BENCH_NAME=bench-shapes
. scripts/benchlib.sh
SCALE=${SHAPES_SCALE:-1}
TIMEOUT=${BENCH_TIMEOUT:-600}
build_binaries

TMP=$(mktemp -d "${BENCH_TMP:-/tmp}/scrub837-shapes.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

ROWS="$TMP/rows.txt"
: >"$ROWS"

# run BUILD SHAPE N GZ FILE: scrub FILE under /usr/bin/time -v and add a row:
# build shape n gz bytes wall_s rss_kb findings report_bytes.
run() {
	local build=$1 shape=$2 n=$3 gz=$4 file=$5 bin t0 t1 rc=0
	bin=$PWD/bin/scrub837
	[ "$build" = baseline ] && bin=$BASELINE
	rm -rf "$TMP/out"
	t0=$(date +%s%N)
	timeout "$TIMEOUT" /usr/bin/time -v -o "$TMP/time.txt" "$bin" -o "$TMP/out" -j 1 --run-id shapes --fail-on never -q \
		--format csv "$file" 2>"$TMP/scrub.log" || rc=$?
	t1=$(date +%s%N)
	if [ "$rc" = 124 ]; then
		echo "$build $shape $n $gz $(stat -c %s "$file") timeout - - -" >>"$ROWS"
		return
	fi
	[ "$rc" = 0 ] || { echo "bench-shapes: scrub837 exited $rc on $file" >&2; tail -5 "$TMP/scrub.log" >&2; exit 1; }
	local rss findings report
	rss=$(awk -F': *' '/Maximum resident set size/ {print $2}' "$TMP/time.txt")
	findings=$(($(wc -l <"$TMP/out/exceptions.csv") - 1))
	report=$(stat -c %s "$TMP/out/exceptions.csv")
	echo "$build $shape $n $gz $(stat -c %s "$file") $(awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.3f", ns / 1e9 }') $rss $findings $report" >>"$ROWS"
}

# shape SHAPE GZ N...: generate each size, scrub it.
shape() {
	local s=$1 gz=$2 n file flags
	shift 2
	for n in "$@"; do
		n=$(awk -v n="$n" -v k="$SCALE" 'BEGIN { printf "%d", n * k }')
		flags=()
		[ "$gz" = gz ] && flags=(--gzip)
		echo "  $s n=$n $gz..." >&2
		bin/gen837 --shape "$s" --n "$n" --out "$TMP/in" -q "${flags[@]}"
		file=$(ls "$TMP"/in/*)
		run this "$s" "$n" "$gz" "$file"
		if [ -n "$BASELINE" ]; then
			run baseline "$s" "$n" "$gz" "$file"
		fi
		rm -rf "$TMP/in"
	done
}

shape one-claim plain 5000 10000 20000
shape long-claim plain 25000 50000 100000
shape one-patient plain 100000 200000 400000
shape one-patient gz 250000 500000 1000000

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null | head -1)" ]; then
	commit="$commit + uncommitted changes"
fi
{
echo "### Pathological shapes ($(date -u +%Y-%m-%d))"
echo
echo "Machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM, $("$GO" version | awk '{print $3}'), commit $commit."
echo "Command: \`bash scripts/bench-shapes.sh\` (one run each; \`scrub837 -j 1 --format csv\`; a run over ${TIMEOUT}s is stopped)."
echo "Per unit: wall time per line (one-claim: per 0620T line, each with its 76937 line) or per claim. Each size"
echo "doubles the last: with linear growth the time per unit stays about the same and so does the report per finding."
echo
echo "| build | shape | n | input MB | wall s | µs per unit | peak RSS MB | findings | exceptions.csv MB |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
awk '{
	name = $2 ($4 == "gz" ? " (gzip)" : "")
	if ($6 == "timeout") {
		printf "| %s | %s | %d | %.1f | > '"$TIMEOUT"' | | | | |\n", $1, name, $3, $5 / 1e6
		next
	}
	printf "| %s | %s | %d | %.1f | %.2f | %.1f | %.1f | %d | %.1f |\n", $1, name, $3, $5 / 1e6, $6, $6 * 1e6 / $3, $7 / 1024, $8, $9 / 1e6
}' "$ROWS"
} >"$TMP/out.md"
cat "$TMP/out.md"

if [ "${BENCH_WRITE:-1}" != 0 ]; then
	begin="<!-- bench-shapes:output -->"
	end="<!-- /bench-shapes:output -->"
	f=scripts/PERFORMANCE.md
	if grep -qxF "$begin" "$f" && grep -qxF "$end" "$f"; then
		awk -v b="$begin" -v e="$end" -v c="$TMP/out.md" '
			$0 == b { print; while ((getline line < c) > 0) print line; skip = 1; next }
			$0 == e { skip = 0 }
			!skip' "$f" >"$f.tmp" && mv "$f.tmp" "$f"
		echo "bench-shapes: wrote the table into $f" >&2
	else
		echo "bench-shapes: $f lacks the markers $begin ... $end: not written" >&2
	fi
fi
