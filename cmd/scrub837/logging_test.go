package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestLoggerFormats(t *testing.T) {
	var b bytes.Buffer
	log := newLogger(&options{}, "r1", false, &b)
	log.Info().Str("file", "x").Msg("file scrubbed")
	var ev map[string]any
	if err := json.Unmarshal(b.Bytes(), &ev); err != nil || ev["file"] != "x" || ev["level"] != "info" {
		t.Fatalf("not JSON when stderr is no terminal: %v\n%s", err, b.String())
	}

	b.Reset()
	log = newLogger(&options{logFormat: "console"}, "r1", false, &b)
	log.Info().Str("file", "x").Msg("file scrubbed")
	if strings.HasPrefix(strings.TrimSpace(b.String()), "{") {
		t.Errorf("--log-format console wrote JSON: %s", b.String())
	}

	b.Reset()
	log = newLogger(&options{quiet: true}, "r1", true, &b)
	log.Info().Msg("hidden")
	log.Warn().Msg("shown")
	if strings.Contains(b.String(), "hidden") || !strings.Contains(b.String(), "shown") {
		t.Errorf("-q: %s", b.String())
	}
}
