# scrub837: make run (scrub the samples), make test (vet + tests).
# Needs only Go (see go.mod for the version).

GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
OUT     ?= scrub-out

# The sample files: the synthetic 837P files made for the rules, the broken
# ones, and three copies from public repositories (testdata/samples.txt).
SAMPLES := $(shell grep -v '^\#' testdata/samples.txt)

.PHONY: all build run test bench fuzz clean

all: build

build:
	$(GO) build -ldflags '$(LDFLAGS)' -o bin/scrub837 ./cmd/scrub837
	$(GO) build -ldflags '$(LDFLAGS)' -o bin/gen837 ./cmd/gen837

# Scrub the samples into $(OUT)/ and print the tool's summary; the logs go
# to $(OUT)/scrub837.log. Findings are the expected result on these files
# (--fail-on never), and so is exit 3: some samples are broken on purpose (a
# truncated file, binary garbage). Only a usage error (2) or a crash fails.
run:
	$(GO) build -ldflags '$(LDFLAGS)' -o bin/scrub837 ./cmd/scrub837
	@mkdir -p $(OUT); rc=0; \
	./bin/scrub837 -o $(OUT) --run-id sample --fail-on never --format csv,json,html,xlsx --log-format json $(SAMPLES) 2>$(OUT)/scrub837.log || rc=$$?; \
	if [ $$rc -ne 0 ] && [ $$rc -ne 3 ]; then cat $(OUT)/scrub837.log >&2; echo "make run: scrub837 exited $$rc" >&2; exit $$rc; fi; \
	if [ $$rc -eq 3 ]; then echo "  exit 3 is expected here: testdata holds deliberately broken files (the failed ones above)"; fi; \
	echo "  logs: $(OUT)/scrub837.log"; \
	echo "Open $(OUT)/report.html in a browser, or $(OUT)/exceptions.csv / exceptions.xlsx (one finding a row)."

test:
	$(GO) vet ./...
	$(GO) test ./...

# Scrub generated drops end to end and write the figures into
# scripts/PERFORMANCE.md and the table into README.md (BENCH_WRITE=0: print
# only). BENCH_BASELINE=path/to/other/scrub837 alternates every run with
# that build's and adds the ratios. The knobs are in scripts/bench.sh.
bench:
	bash scripts/bench.sh

# Short, bounded fuzz runs of the X12 reader, of the ready/held split, of
# the whole scrub (bytes to findings, cross-claim and data rules included:
# scrubber) and of a whole run (inputs to reports, internal/runner). A run
# or scrub is slow to repeat, so their inputs are minimised for 5 s at most.
# -fuzz must match one target: anchored, so FuzzReaderWant is not matched too.
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzReader$$' -fuzztime 30s ./x12io/
	$(GO) test -run '^$$' -fuzz '^FuzzSplit$$' -fuzztime 30s ./reports/split/
	$(GO) test -run '^$$' -fuzz '^FuzzScrub$$' -fuzztime 30s -fuzzminimizetime 5s ./scrubber/
	$(GO) test -run '^$$' -fuzz '^FuzzRun$$' -fuzztime 30s -fuzzminimizetime 5s ./cmd/scrub837/internal/runner/

clean:
	rm -rf bin $(OUT)
