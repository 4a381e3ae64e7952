package scrubber

import (
	"reflect"
	"testing"

	"github.com/scrub837/scrub837/scrubber/finding"
)

func TestPackedColumnsRoundTrip(t *testing.T) {
	f := finding.Finding{FileIndex: 3, ClaimOffset: 1 << 40, File: "drops/a.837", ISAControl: "000000001", GSControl: "7",
		STControl: "0001", ClaimID: "CLM\x1f1", LineNumber: 2, SegmentNumber: 99, ByteOffset: 12345,
		Procedure: "36200", Modifiers: []string{"59", "LT"}, Units: "1", Charge: "-5.00", ServiceDate: "20260115-20260116",
		PlaceOfService: "22", DxPointers: []string{"1", "", "2"}, PointedDiagnoses: []string{"I70234"},
		PayerName: "AETNA", PayerID: "60054", PayerGroup: "Aetna", BillingNPI: "1234567893",
		RenderingNPI: "1987654321", RenderingTaxonomy: "2086S0129X", MemberID: "W123456789"}
	cols := string(finding.Append(nil, &f))
	member, npi, _ := packedKey(cols)
	if member != f.MemberID || npi != f.BillingNPI {
		t.Fatalf("member %q npi %q", member, npi)
	}
	if got := unpackColumns(cols); !reflect.DeepEqual(got, f) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, f)
	}
	empty := finding.Finding{}
	cols = string(finding.Append(nil, &empty))
	member, npi, _ = packedKey(cols)
	if got := unpackColumns(cols); !reflect.DeepEqual(got, empty) || member != "" || npi != "" {
		t.Fatalf("empty round trip: %+v", got)
	}
}
