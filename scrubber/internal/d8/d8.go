// Package d8 reads the CCYYMMDD dates of X12 (format qualifier D8) and of
// the CMS files, for the scrubber and for its code-data tables alike.
package d8

// Parse reads s as CCYYMMDD and checks that the day exists; the date comes
// back as the number CCYYMMDD (20260115), so that dates compare as
// integers. Years before 1900 are refused (no 837P service or code-data
// edit is that old: such a date is a typing slip). It does not allocate.
func Parse[T string | []byte](s T) (int32, bool) {
	if len(s) != 8 {
		return 0, false
	}
	var n int32
	for i := 0; i < 8; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int32(c-'0')
	}
	year, month, day := n/10000, n/100%100, n%100
	if year < 1900 || month < 1 || month > 12 || day < 1 || int(day) > DaysIn(int(year), int(month)) {
		return 0, false
	}
	return n, true
}

// DaysIn is the number of days of month (1 to 12) in year, of the
// Gregorian calendar.
func DaysIn(year, month int) int {
	switch month {
	case 4, 6, 9, 11:
		return 30
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	}
	return 31
}
