package scrubber

import (
	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// Rules of scrubber/RULES.md "Claims, files and X12 structure" that look at
// a target claim as a whole: its frequency, the reference a replacement or
// void needs, and its providers' NPIs. CLAIM-CHARGE-MISMATCH is in
// checks_line.go with the line charges it sums.

// Claim frequency codes (CLM05-3) an 837P allows.
const (
	frequencyOriginal    = "1"
	frequencyReplacement = "7"
	frequencyVoid        = "8"
)

// frequencyWord names a valid frequency code for messages.
func frequencyWord(f string) string {
	switch f {
	case frequencyReplacement:
		return "a replacement (CLM05-3 = 7)"
	case frequencyVoid:
		return "a void (CLM05-3 = 8)"
	}
	return "an original (CLM05-3 = 1)"
}

// frequency is CLAIM-FREQUENCY-INVALID and CLAIM-ORIGINAL-REF-MISSING.
func (k *claimCheck) frequency() {
	c := k.c
	switch c.Frequency {
	case frequencyOriginal:
	case frequencyReplacement, frequencyVoid:
		if c.OriginalRef == "" {
			verb := "replaces"
			if c.Frequency == frequencyVoid {
				verb = "voids"
			}
			k.fire(rules.ClaimOriginalRefMissing, nil, c.Pos, "",
				"claim "+c.ID+" is "+frequencyWord(c.Frequency)+" but has no REF*F8: the payer cannot tell which claim it "+verb,
				"add REF*F8 with the payer's claim control number of the original claim (from its remittance) to the claim's 2300 loop, after CLM")
		}
	default:
		what := "has no frequency code (CLM05-3 is empty)"
		if c.Frequency != "" {
			what = "has frequency code " + shortValue(c.Frequency) + " in CLM05-3"
		}
		k.fire(rules.ClaimFrequencyInvalid, nil, c.Pos, "",
			"claim "+c.ID+" "+what+"; an 837P claim is 1 (original), 7 (replacement) or 8 (void)",
			"set CLM05-3 to 1 for a new claim, or to 7 (replace) or 8 (void) with the payer's claim control number of the earlier claim in REF*F8")
	}
}

// shortValue quotes a short, plain value of a well-formed segment for a
// message, and only describes anything else: a message must not carry a
// stray run of claim bytes.
func shortValue(s string) string {
	if len(s) > 4 {
		return "of " + itoa(len(s)) + " characters"
	}
	for i := 0; i < len(s); i++ {
		if !isUpper(s[i]) && !isDigit(s[i]) {
			return "of " + itoa(len(s)) + " characters that are not all letters or digits"
		}
	}
	return quote(s)
}

// npiProvider names, by loop and NM101, a provider whose NPI NPI-INVALID
// checks, and the segment that holds it.
func npiProvider(n *claim.ProviderNPI) (who, segment string) {
	switch n.Loop + n.Entity {
	case "2010AA85":
		return "billing provider", "2010AA NM1*85"
	case "2310ADN":
		return "referring provider", "2310A NM1*DN"
	case "2310AP3":
		return "primary care provider", "2310A NM1*P3"
	case "2310B82":
		return "rendering provider", "2310B NM1*82"
	case "2310C77":
		return "service facility", "2310C NM1*77"
	}
	return "rendering provider", "2420A NM1*82"
}

// npis is NPI-INVALID: every provider NPI of the claim (NM108 XX) must be
// 10 digits whose last is the check digit. A value that is not 10 digits is
// described, not quoted: something other than an NPI (a tax ID, a member's
// number) may have been keyed into NM109.
func (k *claimCheck) npis() {
	rs, ok := k.p.Rule(rules.NPIInvalid)
	if !ok {
		return
	}
	c := k.c
	for i := range c.NPIs {
		n := &c.NPIs[i]
		who, segment := npiProvider(n)
		var l *claim.Line
		if n.Line >= 0 && n.Line < len(c.Lines) {
			l = &c.Lines[n.Line]
			who += " of line " + lineNumber(l)
		}
		var msg string
		switch {
		case n.NPI == "":
			msg = "the NPI of the " + who + " (" + segment + ") is empty, though NM108 says XX (NPI)"
		case len(n.NPI) != 10 || !allDigits(n.NPI):
			msg = "the NPI of the " + who + " (" + segment + ") is not 10 digits: NM109 has " + itoa(len(n.NPI)) + " characters"
			if !allDigits(n.NPI) {
				msg += ", not all digits"
			}
		case !validNPI(n.NPI):
			msg = "NPI " + n.NPI + " of the " + who + " (" + segment + ") fails its check digit: the Luhn check over 80840 and its first 9 digits gives " +
				string(npiCheckDigit(n.NPI[:9])) + ", not " + n.NPI[9:]
		default:
			continue
		}
		k.emit(rs, l, n.Pos, "", msg+"; payers reject a claim with an invalid NPI",
			"correct NM109 of the "+who+" ("+segment+") to the provider's 10-digit NPI (look it up in NPPES)")
	}
}

// validNPI reports whether a 10-digit NPI's last digit is its check digit.
func validNPI(npi string) bool { return npiCheckDigit(npi[:9]) == npi[9] }

// npiCheckDigit is the NPI check digit of nine digits: the Luhn check digit
// of the card-issuer prefix 80840 followed by them (the prefix adds 24 to
// the Luhn sum).
func npiCheckDigit(nine string) byte {
	sum := 24
	for i := 8; i >= 0; i-- {
		d := int(nine[i] - '0')
		if (8-i)%2 == 0 { // from the right, every other digit is doubled
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}
