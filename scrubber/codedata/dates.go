package codedata

import (
	"fmt"

	"github.com/scrub837/scrub837/scrubber/internal/d8"
)

// date is a calendar date as the number CCYYMMDD (20260112), the way dates
// of service arrive in the claim, so that dates compare as integers. 0 is
// "no date"; openEnd stands for an edit with no deletion date.
type date int32

const openEnd date = 99991231

// parseDate reads CCYYMMDD (a claim's D8 date, a PTP file's dates) and
// checks that the day exists. It does not allocate.
func parseDate[T string | []byte](s T) (date, bool) {
	n, ok := d8.Parse(s)
	return date(n), ok
}

func makeDate(y, m, d int) date { return date(y*10000 + m*100 + d) }

func (d date) year() int  { return int(d) / 10000 }
func (d date) month() int { return int(d) / 100 % 100 }

// String is the date as CCYYMMDD, or "" for none and for the open end.
func (d date) String() string {
	if d == 0 || d == openEnd {
		return ""
	}
	return fmt.Sprintf("%08d", int(d))
}

// quarterEnd is the last day of the calendar quarter that holds d: CMS
// publishes NCCI files for a calendar quarter.
func quarterEnd(d date) date {
	m := (d.month()-1)/3*3 + 3
	return makeDate(d.year(), m, d8.DaysIn(d.year(), m))
}

// dayBefore is the day before d.
func dayBefore(d date) date {
	y, m, day := d.year(), d.month(), int(d)%100
	if day > 1 {
		return makeDate(y, m, day-1)
	}
	if m > 1 {
		return makeDate(y, m-1, d8.DaysIn(y, m-1))
	}
	return makeDate(y-1, 12, 31)
}

// fiscalYear is the federal fiscal year of d: FY2026 runs from 2025-10-01
// to 2026-09-30, and so does the ICD-10-CM code set of that name.
func fiscalYear(d date) int {
	if d.month() >= 10 {
		return d.year() + 1
	}
	return d.year()
}

func fiscalYearStart(fy int) date { return makeDate(fy-1, 10, 1) }
func fiscalYearEnd(fy int) date   { return makeDate(fy, 9, 30) }
