package pack

import "strings"

// prefixMap is a map of pack diagnoses looked up by prefix: a pack
// diagnosis covers every claim code that starts with it. The checks look up
// every diagnosis of every target claim several times, and most codes match
// nothing: the first `short` bytes of every key (heads) rule those out in
// one probe, and lens skips the lengths no key has.
type prefixMap[T any] struct {
	m     map[string]T
	heads map[string]struct{}
	short int    // the shortest key's length
	lens  uint64 // bit n: some key is n bytes long (n < 64)
}

func newPrefixMap[T any](m map[string]T) prefixMap[T] {
	pm := prefixMap[T]{m: m, heads: map[string]struct{}{}, short: -1}
	for k := range m {
		if k == "" {
			continue // no claim code is looked up by its empty prefix
		}
		if pm.short < 0 || len(k) < pm.short {
			pm.short = len(k)
		}
		if len(k) < 64 {
			pm.lens |= 1 << len(k)
		}
	}
	for k := range m {
		if k != "" {
			pm.heads[k[:pm.short]] = struct{}{}
		}
	}
	return pm
}

// covers reports whether some key may be a prefix of code (false: none is).
func (pm *prefixMap[T]) covers(code string) bool {
	if pm.short < 0 || len(code) < pm.short {
		return false
	}
	_, ok := pm.heads[code[:pm.short]]
	return ok
}

// at returns the entry of the prefix of code n bytes long.
func (pm *prefixMap[T]) at(code string, n int) (T, bool) {
	if n < 64 && pm.lens&(1<<n) == 0 {
		var zero T
		return zero, false
	}
	v, ok := pm.m[code[:n]]
	return v, ok
}

// longestPrefix finds the entry of pm for the longest prefix of code: the
// most specific entry decides.
func longestPrefix[T any](pm *prefixMap[T], code string) (T, bool) {
	v, n := longestPrefixLen(pm, code)
	return v, n > 0
}

// longestPrefixLen is longestPrefix with the length of the prefix that
// matched (0: none did).
func longestPrefixLen[T any](pm *prefixMap[T], code string) (T, int) {
	if pm.covers(code) {
		for n := len(code); n >= pm.short; n-- {
			if v, ok := pm.at(code, n); ok {
				return v, n
			}
		}
	}
	var zero T
	return zero, 0
}

// normalizeDiagnosis removes the point and upper-cases a diagnosis code:
// "i70.23" -> "I7023". A code already in that form is returned as is,
// without allocating.
func normalizeDiagnosis(code string) string {
	code = strings.TrimSpace(code)
	for i := 0; i < len(code); i++ {
		if c := code[i]; c == '.' || c >= 'a' && c <= 'z' {
			return strings.ToUpper(strings.ReplaceAll(code, ".", ""))
		}
	}
	return code
}
