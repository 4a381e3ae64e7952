package scrubber

// checkClaim runs every per-claim rule of the pack on a target claim and
// appends its findings to out.
func checkClaim(p *Pack, c *Claim, out []Finding) []Finding {
	return out
}
