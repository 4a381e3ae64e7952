#!/usr/bin/env bash
# make bench: end-to-end throughput and memory of scrub837 on generated
# 837P drops, with `cat` as the floor, then the Go micro-benchmarks.
#
# Generates (with bin/gen837, deterministic) drops of 250 MB, 500 MB and
# 1 GB as several files and 1 GB as one file, 10% of claims billing 0620T
# and 5% of those with one planted defect (so the reports have rows), in a
# temporary folder under /tmp that is removed at the end (one drop on disk
# at a time). For each drop it times `cat FILES > /dev/null` and
# `scrub837 -j 1` and `-j 2` (reports included) under /usr/bin/time -v, and
# prints one Markdown table. Then it writes that output between the
# markers of scripts/PERFORMANCE.md (everything) and README.md (a short table):
# the tables there are this script's, never typed by hand.
#
# With BENCH_BASELINE=BINARY (another build of scrub837, e.g. of an older
# commit) every scrub837 run alternates with the same run of BINARY, on the
# same drop, and a second table gives the ratios (this build / baseline) of
# the median wall time, CPU time and peak RSS: on a shared machine only
# alternated runs compare fairly.
#
# The page cache cannot be dropped without root, so every drop is read once
# with cat before anything is timed: all runs read from a warm cache, and
# the cat row is the cost of reading the bytes at all.
#
# Environment:
#   BENCH_RUNS=3          runs of each command; a row shows the median run
#   BENCH_SIZES="250MB 500MB 1GB"
#                         the several-file drops; the last one is also made
#                         as a single file (quick check: "25MB 50MB 100MB")
#   BENCH_4GB=1           also a 4 GB drop in 4x BENCH_FILES files
#   BENCH_FILES=4         files of the several-file drops
#   BENCH_TARGET_SHARE    share of claims with 0620T (default 0.10)
#   BENCH_DEFECT_RATE     share of 0620T claims with a planted defect (0.05)
#   BENCH_SEED            generator seed (1)
#   BENCH_SKIP_GO=1       skip the go test -bench part
#   BENCH_STRICT=1        exit 1 when a target is missed
#   BENCH_TMP=/tmp        where the temporary folder is made
#   BENCH_BASELINE=BINARY alternate every scrub837 run with BINARY's
#   BENCH_DATA=DIR        scrub with --data DIR (the drops are generated with
#                         gen837 --data DIR, so they are clean against it) and
#                         alternate every run with the same run without data:
#                         the ratios are the cost of the data files (their
#                         load included). Not with BENCH_BASELINE; prints
#                         only (BENCH_WRITE does not apply).
#   BENCH_WRITE=0         print only: do not rewrite PERFORMANCE.md, README.md
set -euo pipefail

cd "$(dirname "$0")/.."

BENCH_NAME=bench
. scripts/benchlib.sh
RUNS=${BENCH_RUNS:-3}
FILES=${BENCH_FILES:-4}
SHARE=${BENCH_TARGET_SHARE:-0.10}
DEFECTS=${BENCH_DEFECT_RATE:-0.05}
SEED=${BENCH_SEED:-1}
DATA=${BENCH_DATA:-}
read -r -a SIZES <<<"${BENCH_SIZES:-250MB 500MB 1GB}"
BIG=${SIZES[${#SIZES[@]}-1]}

case $RUNS in '' | *[!0-9]* | 0) die "BENCH_RUNS must be a positive number" ;; esac
if [ -n "$DATA" ]; then
	[ -z "$BASELINE" ] || die "BENCH_DATA and BENCH_BASELINE cannot be used together"
	[ -d "$DATA" ] || die "BENCH_DATA=$DATA is not a folder"
	DATA=$(cd "$DATA" && pwd)
fi

build_binaries

TMP=$(mktemp -d "${BENCH_TMP:-/tmp}/scrub837-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# /usr/bin/time runs programs, not shell functions: two small wrappers.
printf '#!/bin/sh\nexec cat "$@" >/dev/null\n' >"$TMP/cat_files"
# scrub BINARY J FILES...
cat >"$TMP/scrub" <<WRAPPER
#!/bin/sh
bin=\$1
j=\$2
shift 2
rm -rf "$TMP/out"
exec "\$bin" -o "$TMP/out" -j "\$j" --run-id bench --fail-on never -q --log-format json "\$@" 2>"$TMP/scrub.log"
WRAPPER
# scrub_data BINARY J FILES...: the same with the data files.
cat >"$TMP/scrub_data" <<WRAPPER
#!/bin/sh
bin=\$1
j=\$2
shift 2
rm -rf "$TMP/out"
exec "\$bin" -o "$TMP/out" -j "\$j" --run-id bench --fail-on never -q --log-format json --data "$DATA" "\$@" 2>"$TMP/scrub.log"
WRAPPER
chmod +x "$TMP/cat_files" "$TMP/scrub" "$TMP/scrub_data"
BIN="$PWD/bin/scrub837"
# With BENCH_DATA the measured run has --data and the baseline is the same
# build without it.
MAIN=scrub
if [ -n "$DATA" ]; then
	MAIN=scrub_data
	BASELINE=$BIN
fi

ROWS="$TMP/rows.txt"
BASEROWS="$TMP/baserows.txt"
: >"$ROWS"
: >"$BASEROWS"

# run_timed OUT CMD...: runs CMD under /usr/bin/time -v and writes
# "wall_seconds peak_rss_kb cpu_seconds" to OUT. The wall time is read
# around the run with a nanosecond clock (time -v rounds it to 10 ms); the
# peak RSS is time -v's "Maximum resident set size"; the CPU time is its
# user plus system time (steadier than wall time on a busy VM).
run_timed() {
	local out=$1
	shift
	local t0 t1 rss cpu
	t0=$(date +%s%N)
	if ! /usr/bin/time -v -o "$TMP/time.txt" "$@"; then
		echo "bench: command failed: $*" >&2
		cat "$TMP/time.txt" >&2 || true
		if [ -f "$TMP/scrub.log" ]; then tail -5 "$TMP/scrub.log" >&2; fi
		exit 1
	fi
	t1=$(date +%s%N)
	rss=$(awk -F': *' '/Maximum resident set size/ {print $2}' "$TMP/time.txt")
	cpu=$(awk -F': *' '/User time \(seconds\)|System time \(seconds\)/ {s += $2} END {print s}' "$TMP/time.txt")
	awk -v ns=$((t1 - t0)) -v rss="$rss" -v cpu="$cpu" 'BEGIN { printf "%.3f %d %.2f\n", ns / 1e9, rss, cpu }' >"$out"
}

# median OUT RUNS_FILE: OUT gets the run with the median wall time.
median() {
	sort -n "$2" | awk -v n="$RUNS" 'NR == int((n + 1) / 2)' >"$1"
}

# median_run OUT CMD...: RUNS runs; OUT gets the run with the median wall time.
median_run() {
	local out=$1
	shift
	local i
	: >"$TMP/runs.txt"
	for ((i = 0; i < RUNS; i++)); do
		run_timed "$TMP/one.txt" "$@"
		cat "$TMP/one.txt" >>"$TMP/runs.txt"
	done
	median "$out" "$TMP/runs.txt"
}

# scrub_runs LABEL NFILES BYTES CLAIMS COMMAND J [ENV...] -- FILES...: RUNS
# runs of bin/scrub837 (alternating with the baseline's, when there is
# one); adds their median rows to ROWS (and BASEROWS).
scrub_runs() {
	local label=$1 nfiles=$2 bytes=$3 claims=$4 cmd=$5 j=$6
	shift 6
	local envs=()
	while [ "$1" != -- ]; do
		envs+=("$1")
		shift
	done
	shift
	local i
	: >"$TMP/runs.txt"
	: >"$TMP/baseruns.txt"
	for ((i = 0; i < RUNS; i++)); do
		run_timed "$TMP/one.txt" env "${envs[@]}" "$TMP/$MAIN" "$BIN" "$j" "$@"
		cat "$TMP/one.txt" >>"$TMP/runs.txt"
		if [ -n "$BASELINE" ]; then
			run_timed "$TMP/one.txt" env "${envs[@]}" "$TMP/scrub" "$BASELINE" "$j" "$@"
			cat "$TMP/one.txt" >>"$TMP/baseruns.txt"
		fi
	done
	median "$TMP/r.txt" "$TMP/runs.txt"
	echo "$label $nfiles $bytes $claims $cmd $j $(cat "$TMP/r.txt")" >>"$ROWS"
	if [ -n "$BASELINE" ]; then
		median "$TMP/r.txt" "$TMP/baseruns.txt"
		echo "$label $nfiles $bytes $claims $cmd $j $(cat "$TMP/r.txt")" >>"$BASEROWS"
	fi
}

# bench_drop LABEL SIZE NFILES: generate, time cat and scrub837 -j 1, -j 2,
# delete. Rows: label files bytes claims command workers wall rss_kb cpu.
bench_drop() {
	local label=$1 size=$2 nfiles=$3
	local dir="$TMP/drop" summary bytes claims j
	rm -rf "$dir"
	echo "generating $label ($size in $nfiles file(s))..." >&2
	local gendata=()
	if [ -n "$DATA" ]; then gendata=(--data "$DATA"); fi
	summary=$(bin/gen837 --size "$size" --files "$nfiles" --seed "$SEED" --target-share "$SHARE" \
		--defect-rate "$DEFECTS" "${gendata[@]}" --out "$dir" 2>&1 >/dev/null)
	echo "  $summary" >&2
	bytes=$(sed -E 's/.* ([0-9]+) bytes, ([0-9]+) claims.*/\1/' <<<"$summary")
	claims=$(sed -E 's/.* ([0-9]+) bytes, ([0-9]+) claims.*/\2/' <<<"$summary")
	local files=("$dir"/*.837)
	cat "${files[@]}" >/dev/null # warm the page cache

	median_run "$TMP/r.txt" "$TMP/cat_files" "${files[@]}"
	echo "$label $nfiles $bytes $claims cat - $(cat "$TMP/r.txt")" >>"$ROWS"
	for j in 1 2; do
		echo "  scrub837 -j $j..." >&2
		scrub_runs "$label" "$nfiles" "$bytes" "$claims" scrub837 "$j" -- "${files[@]}"
	done
	# -j 1 held to one CPU: what one worker does alone (with a spare CPU,
	# -j 1 also reads ahead, hashes and reads claims on a second one).
	echo "  GOMAXPROCS=1 scrub837 -j 1..." >&2
	scrub_runs "$label" "$nfiles" "$bytes" "$claims" scrub837-1cpu 1 GOMAXPROCS=1 -- "${files[@]}"
	rm -rf "$dir"
}

for size in "${SIZES[@]}"; do
	bench_drop "$size" "$size" "$FILES"
done
bench_drop "$BIG-single" "$BIG" 1
if [ "${BENCH_4GB:-0}" = 1 ]; then
	bench_drop "4GB" 4GB $((FILES * 4))
fi

cpu=$(lscpu 2>/dev/null | awk -F': *' '/^Model name/ {print $2; exit}' || true)
[ -n "$cpu" ] || cpu=$(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || echo unknown)
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || echo unknown)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null | head -1)" ]; then
	commit="$commit + uncommitted changes"
fi

# The table: machine, command, one row per drop and command.
{
echo "### Benchmark ($(date -u +%Y-%m-%d))"
echo
echo "Machine: $(nproc) CPUs ($cpu), $mem RAM, $(uname -sr), $("$GO" version | awk '{print $3}'), commit $commit."
echo "Command: \`make bench\` (scripts/bench.sh, BENCH_RUNS=$RUNS: each row is the median of $RUNS runs)."
dataflag=""
if [ -n "$DATA" ]; then dataflag=" --data $DATA"; fi
echo "Drops: \`gen837 --size SIZE --files N --seed $SEED --target-share $SHARE --defect-rate $DEFECTS$dataflag\`"
echo "(several-file drops in $FILES files). Each drop is read once with cat before timing, so every run reads a"
echo "warm page cache. scrub837 runs as \`scrub837 -o DIR -j N --run-id bench --fail-on never -q$dataflag FILES\`, reports"
echo "(exceptions.csv, exceptions.json) included. MB = 10^6 bytes."
echo
echo "| drop | files | size MB | command | workers | wall s | MB/s | claims/s | peak RSS MB | CPU s | CPU s/GB |"
echo "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|"
awk '{
	mb = $3 / 1e6
	cmd = ($5 == "cat") ? "`cat FILES > /dev/null`" : ($5 == "scrub837-1cpu") ? "`GOMAXPROCS=1 scrub837 -j 1`" : "`scrub837 -j " $6 "`"
	printf "| %s | %d | %.0f | %s | %s | %.2f | %.0f | %.0f | %.1f | %.2f | %.2f |\n", $1, $2, mb, cmd, $6, $7, mb / $7, $4 / $7, $8 / 1024, $9, $9 / ($3 / 1e9)
}' "$ROWS"
} >"$TMP/table.md"

# The README's short form: the scrub837 rows of the largest drops, from the
# same runs (PERFORMANCE.md has every row).
{
echo "$(date -u +%Y-%m-%d), commit $commit, $(nproc) CPUs, $("$GO" version | awk '{print $3}'); median of $RUNS runs, reports included, warm page cache."
echo
echo "| drop | files | command | wall s | MB/s | peak RSS MB | CPU s/GB |"
echo "|---|---:|---|---:|---:|---:|---:|"
awk -v big="$BIG" '($1 == big || $1 == big "-single" || $1 == "4GB") && $5 != "cat" {
	mb = $3 / 1e6
	cmd = ($5 == "scrub837-1cpu") ? "`GOMAXPROCS=1 scrub837 -j 1`" : "`scrub837 -j " $6 "`"
	printf "| %s | %d | %s | %.2f | %.0f | %.1f | %.2f |\n", $1, $2, cmd, $7, mb / $7, $8 / 1024, $9 / ($3 / 1e9)
}' "$ROWS"
} >"$TMP/readme-table.md"

# With a baseline: this build against it, run for run.
compare() {
	if [ -n "$DATA" ]; then
		echo "With the data files against without: the table above is \`scrub837 --data $DATA\` (their load"
		echo "included); each run alternated with the same run without \`--data\` ($RUNS of each, medians); a"
		echo "ratio above 1 is what the data files cost."
	else
		echo "Against the baseline \`$BASELINE\` ($("$BASELINE" version 2>/dev/null | awk '{print $2, $NF}')): the same drops, each scrub837 run"
		echo "alternated with the baseline's ($RUNS of each, medians); a ratio below 1 is this build doing better."
	fi
	echo
	echo "| drop | command | workers | wall s (base) | wall ratio | CPU s (base) | CPU ratio | peak RSS MB (base) | RSS ratio |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
	awk 'NR == FNR { key = $1 " " $5 " " $6; w[key] = $7; r[key] = $8; c[key] = $9; next }
	{
		key = $1 " " $5 " " $6
		cmd = ($5 == "scrub837-1cpu") ? "`GOMAXPROCS=1 scrub837 -j 1`" : "`scrub837 -j " $6 "`"
		printf "| %s | %s | %s | %.2f (%.2f) | %.3f | %.2f (%.2f) | %.3f | %.1f (%.1f) | %.3f |\n", $1, cmd, $6, w[key], $7, w[key] / $7, c[key], $9, c[key] / $9, r[key] / 1024, $8 / 1024, r[key] / $8
	}' "$ROWS" "$BASEROWS"
	awk 'NR == FNR { key = $1 " " $5 " " $6; w[key] = $7; r[key] = $8; c[key] = $9; next }
	{ key = $1 " " $5 " " $6; sw += log(w[key] / $7); sc += log(c[key] / $9); sr += log(r[key] / $8); n++ }
	END { if (n) printf "\nGeometric means of the ratios over %d rows: wall %.3f, CPU %.3f, peak RSS %.3f.\n", n, exp(sw / n), exp(sc / n), exp(sr / n) }' "$ROWS" "$BASEROWS"
}

{
cat "$TMP/table.md"
# Targets on a 2-core machine: -j 1 >= 400 MB/s on the 1 GB drops; -j 2 >=
# 1.7x -j 1 on the several-file drops (on one file both use the spare CPU
# the same way); peak RSS < 100 MB on 1 GB and, for
# 4 GB, within 10% of that; time linear in size (MB/s within 15% across the
# sizes). The wall-time check swings with the VM's load; the CPU seconds
# per GB of the one-CPU runs are the steadier measure of the same thing.
echo
echo "Targets:"
missed=0
report() { # ok text
	if [ "$1" = 1 ]; then
		echo "- [x] $2"
	else
		echo "- [ ] $2: missed"
		missed=1
	fi
}
mbps() { awk -v d="$1" -v j="$2" '$1 == d && $5 == "scrub837" && $6 == j { printf "%.0f", $3 / 1e6 / $7 }' "$ROWS"; }
rss() { awk -v d="$1" -v j="$2" '$1 == d && $5 == "scrub837" && $6 == j { printf "%.1f", $8 / 1024 }' "$ROWS"; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'; }
for d in "$BIG" "$BIG-single"; do
	v=$(mbps "$d" 1)
	if ge "$v" 400; then ok=1; else ok=0; fi
	report $ok "-j 1 on $d: $v MB/s (target >= 400 MB/s)"
done
mbps1cpu() { awk -v d="$1" '$1 == d && $5 == "scrub837-1cpu" { printf "%.0f", $3 / 1e6 / $7 }' "$ROWS"; }
for d in "${SIZES[@]}"; do
	r=$(awk -v a="$(mbps "$d" 1)" -v b="$(mbps "$d" 2)" 'BEGIN { printf "%.2f", b / a }')
	if ge "$r" 1.7; then ok=1; else ok=0; fi
	r1=$(awk -v a="$(mbps1cpu "$d")" -v b="$(mbps "$d" 2)" 'BEGIN { printf "%.2f", b / a }')
	report $ok "-j 2 / -j 1 on $d: ${r}x (target >= 1.7x; -j 2 / -j 1 on one CPU: ${r1}x)"
done
for d in "$BIG" "$BIG-single"; do
	for j in 1 2; do
		v=$(rss "$d" "$j")
		if ge 100 "$v"; then ok=1; else ok=0; fi
		report $ok "peak RSS on $d, -j $j: $v MB (target < 100 MB)"
	done
done
if [ "${BENCH_4GB:-0}" = 1 ]; then
	for j in 1 2; do
		a=$(rss "$BIG" "$j")
		b=$(rss 4GB "$j")
		r=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }')
		if ge 1.10 "$r"; then ok=1; else ok=0; fi
		report $ok "peak RSS 4GB / $BIG at -j $j: $b / $a MB = ${r}x (target <= 1.10x)"
	done
fi
for j in 1 2; do
	all=$(for d in "${SIZES[@]}"; do
		mbps "$d" "$j"
		echo
	done | sort -n)
	lo=$(head -1 <<<"$all")
	hi=$(tail -1 <<<"$all")
	if ge "$(awk -v l="$lo" -v h="$hi" 'BEGIN { print l / h }')" 0.85; then ok=1; else ok=0; fi
	report $ok "linear in size at -j $j: $lo to $hi MB/s over ${SIZES[*]} (target: within 15%)"
done
cpu_all=$(for d in "${SIZES[@]}"; do
	awk -v d="$d" '$1 == d && $5 == "scrub837-1cpu" { printf "%.2f\n", $9 / ($3 / 1e9) }' "$ROWS"
done | sort -n)
lo=$(head -1 <<<"$cpu_all")
hi=$(tail -1 <<<"$cpu_all")
if ge "$(awk -v l="$lo" -v h="$hi" 'BEGIN { print l / h }')" 0.85; then ok=1; else ok=0; fi
report $ok "linear in size, CPU time of -j 1 on one CPU: $lo to $hi CPU s/GB over ${SIZES[*]} (target: within 15%)"

if [ -n "$BASELINE" ]; then
	echo
	compare
fi
if [ "${BENCH_SKIP_GO:-0}" != 1 ]; then
	echo
	echo "Go benchmarks: \`go test -bench . -benchmem -run '^\$' ./x12io/ ./scrubber/... ./cmd/gen837/\`"
	echo
	echo '```'
	"$GO" test -bench . -benchmem -run '^$' ./x12io/ ./scrubber/... ./cmd/gen837/ 2>&1 |
		grep -E '^(Benchmark|cpu:|pkg:|FAIL|--- FAIL|panic)' || true
	echo '```'
fi

} >"$TMP/out.md"
cat "$TMP/out.md"

# replace_between FILE BEGIN END CONTENT: the lines between the marker
# lines BEGIN and END of FILE become CONTENT's.
replace_between() {
	local file=$1 begin=$2 end=$3 content=$4
	grep -qxF "$begin" "$file" && grep -qxF "$end" "$file" || die "$file lacks the markers $begin ... $end"
	awk -v b="$begin" -v e="$end" -v c="$content" '
		$0 == b { print; while ((getline line < c) > 0) print line; skip = 1; next }
		$0 == e { skip = 0 }
		!skip' "$file" >"$file.tmp" && mv "$file.tmp" "$file"
}
# The tables there are of runs without data: a BENCH_DATA run prints only.
if [ "${BENCH_WRITE:-1}" != 0 ] && [ -z "$DATA" ]; then
	replace_between scripts/PERFORMANCE.md "<!-- bench:output -->" "<!-- /bench:output -->" "$TMP/out.md"
	replace_between README.md "<!-- bench:table -->" "<!-- /bench:table -->" "$TMP/readme-table.md"
	echo >&2
	echo "bench: wrote the output into scripts/PERFORMANCE.md and the table into README.md" >&2
fi

if [ "${BENCH_STRICT:-0}" = 1 ] && [ "$missed" = 1 ]; then
	exit 1
fi
exit 0
