package scrubber_test

import (
	"fmt"
	"strings"

	"github.com/scrub837/scrub837/scrubber"
	"github.com/scrub837/scrub837/scrubber/pack"
)

// Scrub one 837P against the default rule pack: a 0620T line whose
// pointer names no diagnosis and whose claim total is off by one cent.
func Example() {
	const file = "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *261127*0300*^*00501*000000201*0*P*:~" +
		"GS*HC*SENDER*RECEIVER*20261127*0300*201*X*005010X222A1~ST*837*0001*005010X222A1~" +
		"HL*1**20*1~PRV*BI*PXC*2086S0129X~NM1*85*2*VASCULAR GROUP*****XX*1234567893~" +
		"HL*2*1*22*0~NM1*IL*1*DOE*JANE****MI*W00000001~NM1*PR*2*AETNA*****PI*60054~" +
		"CLM*C1*1500.01***22:B:1*Y*A*Y*Y~HI*ABK:I70221~LX*1~SV1*HC:0620T:RT*1500*UN*1***2~DTP*472*D8*20260115~" +
		"SE*13*0001~GE*1*201~IEA*1*000000201~"
	p, err := pack.Default(false)
	if err != nil {
		panic(err)
	}
	s := scrubber.New(p, scrubber.Options{})
	defer s.Close()
	res := s.Scrub(0, "claims.837", strings.NewReader(file))
	if err := s.Finish([]*scrubber.FileResult{res}); err != nil {
		panic(err)
	}
	fmt.Printf("%s: %s, %d claim, %d target claim\n", res.Name, res.Status, res.Claims, res.TargetClaims)
	for _, f := range res.Findings {
		fmt.Printf("%s %s line %d: %s\n", f.RuleID, f.Severity, f.LineNumber, f.Message)
	}
	// Output:
	// claims.837: ok, 1 claim, 1 target claim
	// CLAIM-CHARGE-MISMATCH error line 0: the claim total (CLM02) 1500.01 differs from the sum of the line charges (SV102) 1500.00 by 0.01
	// DX-POINTER-DANGLING error line 1: diagnosis pointer 2 of 0620T on line 1 names diagnosis 2, but the claim has only 1 diagnosis
}
