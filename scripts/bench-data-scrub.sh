#!/usr/bin/env bash
# What --data costs a scrub: one drop made against testdata/data (gen837
# --data, so the data rules have work), scrubbed by the same binary with and
# without `--data testdata/data`, the two alternated BENCH_RUNS times (on a
# shared VM only alternated runs compare fairly). Prints each pair, then
# the medians of wall and CPU time (user + system, from /usr/bin/time) and
# their ratios with/without. CPU time moves less with the machine's load.
#
# The data folder is testdata/data, whose files are small: this measures
# the checks' cost with the files loaded. Loading a real-size folder is
# scripts/bench-codedata.sh's figure (its synthetic PTP set keeps about
# 25,000 rows that pair 0620T with other codes, so a drop scrubbed against
# it is mostly NCCI findings: no measure of a real night).
#
# Environment: BENCH_SIZE=250MB, BENCH_RUNS=7, BENCH_TMP=/tmp.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
SIZE=${BENCH_SIZE:-250MB}
RUNS=${BENCH_RUNS:-7}
[ -x /usr/bin/time ] || { echo "bench-data-scrub: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
TMP=$(mktemp -d "${BENCH_TMP:-/tmp}/scrub837-data-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

DATA=testdata/data
mkdir -p bin
"$GO" build -o bin/scrub837 ./cmd/scrub837
"$GO" build -o bin/gen837 ./cmd/gen837
bin/gen837 --size "$SIZE" --files 1 --seed 1 --target-share 0.10 --defect-rate 0.05 --data testdata/data --out "$TMP/drop" -q
cat "$TMP"/drop/* >/dev/null

# run NAME FLAGS...: one scrub; appends "NAME wall cpu" to rows.
run() {
	local name=$1
	shift
	rm -rf "$TMP/out"
	/usr/bin/time -f '%e %U %S' -o "$TMP/t" bin/scrub837 -o "$TMP/out" -j 1 --run-id bench --fail-on never -q "$@" "$TMP"/drop/* 2>/dev/null
	awk -v n="$name" '{printf "%s %.2f %.2f\n", n, $1, $2 + $3}' "$TMP/t" >>"$TMP/rows"
}
: >"$TMP/rows"
for _ in $(seq "$RUNS"); do
	run without
	run with --data "$DATA"
done
echo "drop: gen837 --size $SIZE --data testdata/data ($(du -m "$TMP"/drop/* | awk '{print $1}') MB), scrubbed with --data $DATA; scrub837 -j 1, csv+json reports; $RUNS alternated pairs"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
paste -d' ' <(grep '^without' "$TMP/rows") <(grep '^with ' "$TMP/rows") |
	awk '{printf "  pair %d: without %s s wall, %s s CPU; with %s s wall, %s s CPU\n", NR, $2, $3, $5, $6}'
median() { sort -n | awk '{a[NR] = $1} END {print (a[int((NR + 1) / 2)] + a[int(NR / 2) + 1]) / 2}'; }
ww=$(awk '$1 == "without" {print $2}' "$TMP/rows" | median)
wc=$(awk '$1 == "without" {print $3}' "$TMP/rows" | median)
dw=$(awk '$1 == "with" {print $2}' "$TMP/rows" | median)
dc=$(awk '$1 == "with" {print $3}' "$TMP/rows" | median)
awk -v ww="$ww" -v wc="$wc" -v dw="$dw" -v dc="$dc" 'BEGIN {
	printf "medians: without %.2f s wall, %.2f s CPU; with %.2f s wall, %.2f s CPU; ratio with/without: wall %.3f, CPU %.3f\n", ww, wc, dw, dc, dw / ww, dc / wc }'
