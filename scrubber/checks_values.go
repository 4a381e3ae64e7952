package scrubber

import (
	"strconv"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/internal/d8"
)

// Value parsing for the per-claim checks: service dates, amounts, units and
// diagnosis pointers. Everything here is allocation-free and regexp-free: it
// runs on every target claim.

// dateRange is a service date or range as yyyymmdd numbers (20260115);
// From == To for a D8 date. The zero value means "no usable date". The
// rules compare the days first to last: a range counts for at most its
// first maxRangeDays days (scrubber/RULES.md), so that the lines one line
// can share a date with lie within a bounded window of days.
type dateRange struct {
	From, To    int32 // as written, for messages
	first, last int32 // day numbers (dayNumber) the rules compare
}

// maxRangeDays is the most days of an RD8 range the rules compare.
const maxRangeDays = 31

// newDateRange is the range of two valid yyyymmdd dates, from <= to.
func newDateRange(from, to int32) dateRange {
	first, last := dayNumber(from), dayNumber(to)
	return dateRange{From: from, To: to, first: first, last: min(last, first+maxRangeDays-1)}
}

func (d dateRange) valid() bool { return d.From != 0 }

// overlaps reports whether two usable dates share a day.
func (d dateRange) overlaps(o dateRange) bool {
	return d.valid() && o.valid() && d.first <= o.last && o.first <= d.last
}

// dayNumber is the number of days from 0000-03-01 to a valid yyyymmdd date
// of the proleptic Gregorian calendar (days from civil, H. Hinnant): day
// numbers of consecutive dates are consecutive.
func dayNumber(ymd int32) int32 {
	y, m, d := ymd/10000, ymd/100%100, ymd%100
	if m <= 2 {
		y--
	}
	era := y / 400 // years are 1900 or later: never negative
	yoe := y - era*400
	doy := (153*((m+9)%12)+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe
}

// parseServiceDate reads DTP02/DTP03 of a DTP*472: D8 CCYYMMDD or RD8
// CCYYMMDD-CCYYMMDD with start <= end. Years before 1900 are refused (no
// 837P service is that old; such a date is a typing slip).
func parseServiceDate(qualifier, value string) (dateRange, bool) {
	switch qualifier {
	case "D8":
		d, ok := d8.Parse(value)
		if !ok {
			return dateRange{}, false
		}
		return newDateRange(d, d), true
	case "RD8":
		if len(value) != 17 || value[8] != '-' {
			return dateRange{}, false
		}
		from, ok1 := d8.Parse(value[:8])
		to, ok2 := d8.Parse(value[9:])
		if !ok1 || !ok2 || from > to {
			return dateRange{}, false
		}
		return newDateRange(from, to), true
	}
	return dateRange{}, false
}

// lineDate is the line's usable service date (zero when missing or invalid).
func lineDate(l *claim.Line) dateRange {
	if l.DatePos.IsZero() && l.ServiceDate == "" {
		return dateRange{}
	}
	d, _ := parseServiceDate(l.DateQualifier, l.ServiceDate)
	return d
}

// formatDate writes a yyyymmdd number as YYYY-MM-DD for messages.
func formatDate(d int32) string {
	s := strconv.Itoa(int(d))
	if len(s) != 8 {
		return s
	}
	return s[:4] + "-" + s[4:6] + "-" + s[6:]
}

// formatRange writes a date range for messages.
func formatRange(d dateRange) string {
	if d.From == d.To {
		return formatDate(d.From)
	}
	return formatDate(d.From) + " to " + formatDate(d.To)
}

// parseFixed reads an X12 decimal (R type: optional leading minus, digits,
// optional point and fraction) exactly, as an integer count of 10^-scale
// units: parseFixed("12.5", 2) = 1250. Fraction digits beyond scale must be
// zeros, else the value is not exact at that scale and ok is false. No
// floating point is involved, so sums compare exactly.
func parseFixed(s string, scale int) (int64, bool) {
	neg := false
	if s != "" && s[0] == '-' {
		neg, s = true, s[1:]
	}
	var v int64
	seen, point, frac := false, false, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.' && !point:
			point = true
		case c >= '0' && c <= '9':
			seen = true
			if point {
				if frac == scale {
					if c != '0' {
						return 0, false
					}
					continue
				}
				frac++
			}
			if v > maxFixed {
				return 0, false
			}
			v = v*10 + int64(c-'0')
		default:
			return 0, false
		}
	}
	if !seen {
		return 0, false // "", "-", "." are not numbers
	}
	for ; frac < scale; frac++ {
		if v > maxFixed {
			return 0, false
		}
		v *= 10
	}
	if neg {
		v = -v
	}
	return v, true
}

// maxFixed bounds parseFixed well below int64 overflow (and any real amount).
const maxFixed = 1e15

// formatCents writes an amount in cents as dollars: 150000 -> "1500.00".
func formatCents(c int64) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	cents := c % 100
	s := sign + strconv.FormatInt(c/100, 10) + "."
	if cents < 10 {
		s += "0"
	}
	return s + strconv.FormatInt(cents, 10)
}

// parsePointer reads one SV107 pointer: digits only, no sign or point.
// It returns 0 when the text is not an unsigned integer (the caller decides
// whether the value is in 1-12).
func parsePointer(s string) (int, bool) {
	if s == "" || len(s) > 4 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
