package benchdrop

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/scrub837/scrub837/x12io"
)

// count reads data, which must read cleanly, and counts its segments by
// the key each gives.
func count(t *testing.T, data []byte, key func(seg *x12io.Segment) string) map[string]int {
	t.Helper()
	counts := map[string]int{}
	r := x12io.NewReader(bytes.NewReader(data))
	for {
		seg, err := r.Next()
		if errors.Is(err, io.EOF) {
			return counts
		}
		if err != nil {
			t.Fatal(err)
		}
		counts[key(seg)]++
	}
}

// A drop reads cleanly, holds whole transactions of 500 claims, has the
// loops its options ask for, and is the same every time.
func TestDrop(t *testing.T) {
	for _, o := range []Options{{MinBytes: 1}, {MinBytes: 300 << 10, Receiver: true, PatientEvery: 3}} {
		data := Drop(o)
		if len(data) < o.MinBytes {
			t.Errorf("%+v: %d bytes", o, len(data))
		}
		if !bytes.Equal(data, Drop(o)) {
			t.Errorf("%+v: two drops differ", o)
		}
		counts := count(t, data, func(seg *x12io.Segment) string {
			id := string(seg.ID())
			switch id {
			case "HL":
				id += "*" + string(seg.Element(3)) // the level: 20, 22, 23
			case "NM1":
				id += "*" + string(seg.Element(1)) // the entity
			}
			return id
		})
		st := counts["ST"]
		if st == 0 || counts["CLM"] != 500*st || counts["HL*22"] != 500*st {
			t.Errorf("%+v: %d transactions, %d claims, %d subscribers", o, st, counts["CLM"], counts["HL*22"])
		}
		wantReceivers, wantPatients := 0, 0
		if o.Receiver {
			wantReceivers = st
		}
		if o.PatientEvery > 0 {
			wantPatients = (500 + o.PatientEvery - 1) / o.PatientEvery * st
		}
		if counts["NM1*40"] != wantReceivers || counts["HL*23"] != wantPatients || counts["NM1*QC"] != wantPatients {
			t.Errorf("%+v: %d receivers, %d patient loops, %d patient names; want %d, %d", o,
				counts["NM1*40"], counts["HL*23"], counts["NM1*QC"], wantReceivers, wantPatients)
		}
	}
}

// Claims holds the claims asked for in transactions of 500, one in
// targetEvery billing 0620T.
func TestClaims(t *testing.T) {
	data := Claims(1001, 3)
	counts := count(t, data, func(seg *x12io.Segment) string {
		if string(seg.ID()) == "SV1" && bytes.HasPrefix(seg.Element(1), []byte("HC:0620T")) {
			return "target SV1"
		}
		return string(seg.ID())
	})
	if counts["ST"] != 3 || counts["CLM"] != 1001 || counts["target SV1"] != 334 {
		t.Errorf("%d transactions, %d claims, %d 0620T lines; want 3, 1001, 334", counts["ST"], counts["CLM"], counts["target SV1"])
	}
	if !bytes.Equal(data, Claims(1001, 3)) {
		t.Error("two drops differ")
	}
}
