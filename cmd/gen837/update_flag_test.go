package main

import "flag"

// The golden files of cmd/scrub837 are refreshed with 'go test ./... -update';
// every test binary must accept the flag. This package has no golden files.
var _ = flag.Bool("update", false, "rewrite golden files (none in this package)")
