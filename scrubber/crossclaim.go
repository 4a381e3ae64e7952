package scrubber

// crossIndex keeps, per file, only what the cross-claim rules need: the
// target lines and related-code lines with their patient, provider and date.
type crossIndex struct{}

// add indexes a claim that has target lines or lines with related codes.
func (x *crossIndex) add(p *Pack, c *Claim) {}

// crossClaimFindings compares the indexes of every file of the run (in
// input order) and returns the cross-claim findings.
func crossClaimFindings(p *Pack, files []*crossIndex) []Finding { return nil }
