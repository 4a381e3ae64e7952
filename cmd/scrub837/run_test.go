package main

import (
	"testing"
	"time"
)

func TestRunClock(t *testing.T) {
	c, err := newRunClock(func(string) string { return "" })
	if err != nil || c.fixed != nil {
		t.Fatalf("no SOURCE_DATE_EPOCH: %v %v", c, err)
	}
	if d := time.Since(c.now()); d < 0 || d > time.Minute {
		t.Errorf("wall clock off by %v", d)
	}
	c, err = newRunClock(func(string) string { return "1764213300" })
	if err != nil {
		t.Fatal(err)
	}
	if got := c.now(); !got.Equal(time.Unix(1764213300, 0)) || got.Location() != time.UTC {
		t.Errorf("SOURCE_DATE_EPOCH: %v", got)
	}
	if got := defaultRunID(c.now()); got != "20251127T031500Z" {
		t.Errorf("run ID %q", got)
	}
	for _, bad := range []string{"yesterday", "-5", "1.5"} {
		if _, err := newRunClock(func(string) string { return bad }); err == nil {
			t.Errorf("SOURCE_DATE_EPOCH=%s accepted", bad)
		}
	}
}

// A user's GOGC or GOMEMLIMIT turns the run's memory ceiling off.
func TestOwnGCSettingsLeaveAUsersAlone(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	if !ownGCSettings(getenv) {
		t.Error("no GOGC or GOMEMLIMIT: the run should set its ceiling")
	}
	for _, name := range []string{"GOGC", "GOMEMLIMIT"} {
		env = map[string]string{name: "100"}
		if ownGCSettings(getenv) {
			t.Errorf("with %s set the run sets its own ceiling", name)
		}
	}
}
