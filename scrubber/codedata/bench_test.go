package codedata

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// BenchmarkLoadRealSize loads a synthetic data folder of real size: an NCCI
// PTP practitioner set of 4.4 million rows in four parts, zipped a part each
// as CMS ships them, a 15,000-row MUE table, a 98,000-row ICD-10-CM order
// file and a NUCC file. It reports the load time, the rows read and the
// peak live heap during the load. The folder is generated first (outside the
// timer) into CODEDATA_BENCH_DIR when that is set and empty (and reused when
// it holds the files), else into a temporary folder. Slow: not part of make
// test; scripts/bench-codedata.sh runs it and measures the process's peak RSS.
func BenchmarkLoadRealSize(b *testing.B) {
	dir := os.Getenv("CODEDATA_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	if _, err := os.Stat(filepath.Join(dir, "nucc_taxonomy_260.csv")); err != nil {
		start := time.Now()
		if err := writeRealSizeSet(dir); err != nil {
			b.Fatal(err)
		}
		b.Logf("generated %s in %v", dir, time.Since(start).Round(time.Millisecond))
	}
	runtime.GC()
	b.ResetTimer()
	var peak uint64
	var rows int
	for b.Loop() {
		stop := sampleHeap(&peak)
		s, err := Load(dir, target)
		stop()
		if err != nil {
			b.Fatal(err)
		}
		rows = 0
		for _, f := range s.Files() {
			rows += f.RowsRead
		}
		if e, st := s.PTP("0620T", "36200", "20260114"); st != Found || e.Indicator != NotAllowed {
			b.Fatalf("0620T/36200: %v %+v", st, e)
		}
		runtime.KeepAlive(s)
	}
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// sampleHeap records the largest live heap seen until stop is called.
func sampleHeap(peak *uint64) (stop func()) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > *peak {
				*peak = v
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

var benchRationales = []string{MIS, STD, CPTI, MUT, "HCPCS/CPT procedure code definition", "Designation of sex"}

const (
	MIS  = "Misuse of Column Two code with Column One code"
	STD  = "Standards of medical/surgical practice"
	CPTI = "CPT Manual or CMS manual coding instruction"
	MUT  = "Mutually exclusive procedures"
)

// writeRealSizeSet writes the synthetic folder: 12,000 column 1 codes in
// code order, about 365 column 2 codes each, split in four parts by column 1
// like the real set; 0620T has 600 pairs as column 1 and 40 as column 2.
func writeRealSizeSet(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	codes := make([]string, 0, 12000)
	for i := 0; len(codes) < 11000; i++ {
		codes = append(codes, fmt.Sprintf("%05d", 10000+i*8))
	}
	codes = append(codes, "0620T")
	for i := 0; len(codes) < 12000; i++ {
		codes = append(codes, fmt.Sprintf("G%04d", i))
	}
	// code order: digits before letters, as CMS sorts
	sortStrings(codes)
	perPart := (len(codes) + 3) / 4
	for p := 0; p < 4; p++ {
		part := codes[p*perPart : min(len(codes), (p+1)*perPart)]
		name := fmt.Sprintf("ccipra-v320r0-f%d.TXT", p+1)
		zpath := filepath.Join(dir, fmt.Sprintf("medicare-ncci-2026q1-practitioner-ptp-edits-ccipra-v320r0-f%d.zip", p+1))
		if err := writeZip(zpath, name, func(w io.Writer) error { return writePTPPart(w, part, codes, rng) }); err != nil {
			return err
		}
	}
	if err := writeFile(filepath.Join(dir, "MCR_MUE_PractitionerServices_Eff_01-01-2026.csv"), func(w io.Writer) error {
		fmt.Fprint(w, "\"CPT codes, descriptions and other data only are copyright 2025 American Medical Association.\r\n\r\nCPT\xae is a registered trademark.\",,,\r\n")
		fmt.Fprint(w, "\"HCPCS/\r\nCPT Code\",Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale\r\n")
		for i := 0; i < 15000; i++ {
			c := codes[i%len(codes)]
			if i >= len(codes) {
				c = fmt.Sprintf("J%04d", i%10000)
			}
			fmt.Fprintf(w, "%s,%d,%d Date of Service Edit: Policy,Code Descriptor / CPT Instruction\r\n", c, 1+i%4, 2+i%2)
		}
		return nil
	}); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, "icd10cm-order-2026.txt"), func(w io.Writer) error {
		for i := 0; i < 98000; i++ {
			code := fmt.Sprintf("%c%02d%02dX", 'A'+rune(i/4000), i%4000/40, i%40)
			flag := '1'
			if i%4 == 0 {
				flag = '0' // about a quarter are headers, as in the real file
			}
			long := "Synthetic diagnosis description of a length like the real ones, number " + fmt.Sprint(i)
			fmt.Fprintf(w, "%05d %-7s %c %-60.60s %s\n", i+1, code, flag, long, long)
		}
		return nil
	}); err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, "nucc_taxonomy_260.csv"), func(w io.Writer) error {
		fmt.Fprint(w, "\xef\xbb\xbfCode,Grouping,Classification,Specialization,Definition,Notes,Display Name,Section\r\n")
		for i := 0; i < 900; i++ {
			fmt.Fprintf(w, "%03dX%05dX,Synthetic Grouping,Classification %d,Specialization %d,\"A synthetic definition, long enough.\",,Display %d,Individual\r\n", 100+i%900, i, i, i, i)
		}
		return nil
	})
}

func writePTPPart(w io.Writer, part, all []string, rng *rand.Rand) error {
	fmt.Fprint(w, "CPT only copyright 2025 American Medical Association.  All rights reserved.\t\t\t\t\t\t\r\n"+
		"Column1/Column2 Edits\t\t\t\t\t\t\r\n"+
		"Column 1\tColumn 2\t*=in existence\tEffective\tDeletion\tModifier\tPTP Edit Rationale\r\n"+
		"\t\tprior to 1996\tDate\tDate\t0=not allowed\t\r\n"+
		"\t\t\t\t*=no data\t1=allowed\t\r\n"+
		"\t\t\t\t\t9=not applicable\t\r\n")
	for _, c1 := range part {
		n := 300 + rng.IntN(130)
		if c1 == "0620T" {
			n = 600
		}
		start := rng.IntN(len(all))
		for k := 0; k < n; k++ {
			c2 := all[(start+k*7)%len(all)]
			if c2 == c1 {
				continue
			}
			if c1 == "0620T" && k == 0 {
				c2 = "36200"
			}
			if k%300 == 0 && c1 != "0620T" {
				c2 = "0620T" // 0620T in column 2 now and then
			}
			prior, eff, del, ind := "", "20200701", "*", byte('0'+rng.IntN(2))
			switch rng.IntN(10) {
			case 0:
				prior, eff = "*", "19960101"
			case 1:
				del = "20231231"
			case 2:
				del, ind = eff, '9'
			}
			if c1 == "0620T" && k == 0 {
				del, ind = "*", '0'
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%c\t%s\r\n", c1, c2, prior, eff, del, ind, benchRationales[rng.IntN(len(benchRationales))])
		}
	}
	return nil
}

func writeZip(path, member string, body func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	w, err := zw.Create(member)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	if err := body(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

func writeFile(path string, body func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	if err := body(bw); err != nil {
		return err
	}
	return bw.Flush()
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
