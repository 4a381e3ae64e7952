package d8

import "testing"

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int32
		ok   bool
	}{
		{"20260115", 20260115, true},
		{"20240229", 20240229, true}, // leap year
		{"20000229", 20000229, true}, // divisible by 400
		{"19000228", 19000228, true}, // first year taken
		{"20250229", 0, false},       // not a leap year
		{"19000229", 0, false},       // divisible by 100, not by 400
		{"18991231", 0, false},       // before 1900
		{"20261301", 0, false},
		{"20260001", 0, false},
		{"20260100", 0, false},
		{"20260431", 0, false},
		{"20261231", 20261231, true},
		{"2026011", 0, false},
		{"202601155", 0, false},
		{"2026-1-5", 0, false},
		{"", 0, false},
	} {
		got, ok := Parse(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("Parse(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
		gotB, okB := Parse([]byte(c.in))
		if gotB != got || okB != ok {
			t.Errorf("Parse([]byte(%q)) = %d, %v; the string form gives %d, %v", c.in, gotB, okB, got, ok)
		}
	}
}

func TestDaysIn(t *testing.T) {
	want := []int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	for m, w := range want {
		if got := DaysIn(2026, m+1); got != w {
			t.Errorf("DaysIn(2026, %d) = %d, want %d", m+1, got, w)
		}
	}
	for _, c := range []struct{ year, days int }{{2024, 29}, {2000, 29}, {1900, 28}, {2100, 28}} {
		if got := DaysIn(c.year, 2); got != c.days {
			t.Errorf("DaysIn(%d, 2) = %d, want %d", c.year, got, c.days)
		}
	}
}

func TestParseDoesNotAllocate(t *testing.T) {
	b := []byte("20260115")
	if n := testing.AllocsPerRun(100, func() { Parse("20260115"); Parse(b) }); n != 0 {
		t.Errorf("Parse allocates %v times a call", n)
	}
}
