package claim_test

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/scrub837/scrub837/scrubber/claim"
	"github.com/scrub837/scrub837/x12io"
)

// Read the claims of an 837P that bill 0620T, and the structure problems
// on the way.
func ExampleReader() {
	const file = "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *261127*0300*^*00501*000000201*0*P*:~" +
		"GS*HC*SENDER*RECEIVER*20261127*0300*201*X*005010X222A1~ST*837*0001*005010X222A1~" +
		"HL*1**20*1~NM1*85*2*VASCULAR GROUP*****XX*1234567893~HL*2*1*22*0~NM1*IL*1*DOE*JANE****MI*W00000001~" +
		"CLM*C1*1500***22:B:1*Y*A*Y*Y~HI*ABK:I70234~LX*1~SV1*HC:0620T:RT*1500*UN*1***1~DTP*472*D8*20260115~" +
		"HL*3*9*22*0~CLM*C2*100***11:B:1*Y*A*Y*Y~LX*1~SV1*HC:99213*100*UN*1***1~" +
		"SE*15*0001~GE*1*201~IEA*1*000000201~"
	r := claim.NewReader(x12io.NewReader(strings.NewReader(file)), claim.Options{Procedure: "0620T"})
	defer r.Close()
	for {
		c, err := r.Next()
		if err == io.EOF {
			break
		}
		var problem *claim.Error
		if errors.As(err, &problem) {
			fmt.Println("problem:", problem)
			continue
		}
		l := c.Lines[0]
		fmt.Printf("claim %s of %s: line %d %s-%s on %s, pointing to %v\n",
			c.ID, c.MemberID, l.Number, l.Procedure, strings.Join(l.Modifiers, "-"), l.ServiceDate, c.PointedDiagnoses(&l))
	}
	n := r.Counts()
	fmt.Printf("%d claims, %d lines, %d of them 0620T\n", n.Claims, n.ServiceLines, n.TargetLines)
	// Output:
	// claim C1 of W00000001: line 1 0620T-RT on 20260115, pointing to [I70234]
	// problem: segment 13 at byte 383: HL 3 names parent HL 9, which has not been read in this transaction
	// 2 claims, 2 lines, 1 of them 0620T
}
