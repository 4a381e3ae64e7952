package scrubber

// Pack lookups the per-claim checks need beyond pack.go's.

// OverrideModifier returns the entry of a modifier that claims a bundled
// line is a distinct service (59, XE, XS, XP, XU in the default pack). The
// checks need its source: BUNDLE-OVERRIDE exists only because of it.
func (p *Pack) OverrideModifier(code string) (*CodeEntry, bool) {
	e, ok := p.overrides[code]
	return e, ok
}
