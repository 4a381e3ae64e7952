# The start the scrub837 benchmarks share (bench.sh, bench-shapes.sh,
# bench-files.sh): sourced from the repository's root with BENCH_NAME set.
# Checks GNU time, makes BENCH_BASELINE absolute, builds bin/scrub837 and
# bin/gen837. Sets GO and BASELINE; defines die.

GO=${GO:-go}

die() {
	echo "$BENCH_NAME: $*" >&2
	exit 2
}

/usr/bin/time -v true >/dev/null 2>&1 || die "GNU /usr/bin/time is needed (apt-get install time)"

BASELINE=${BENCH_BASELINE:-}
if [ -n "$BASELINE" ]; then
	BASELINE=$(cd "$(dirname "$BASELINE")" && pwd)/$(basename "$BASELINE")
	[ -x "$BASELINE" ] || die "BENCH_BASELINE=$BASELINE is not an executable"
fi

# build_binaries builds what the benchmark runs (after its own checks, so a
# bad setting fails before the build).
build_binaries() {
	echo "building bin/scrub837 and bin/gen837..." >&2
	mkdir -p bin
	"$GO" build -o bin/scrub837 ./cmd/scrub837
	"$GO" build -o bin/gen837 ./cmd/gen837
}
