package runner

import (
	"bytes"
	"io"
)

// Progress is told how the run goes: the command's progress bar. Its
// methods may be called from several goroutines.
type Progress interface {
	// Start: size bytes in files inputs (size -1: unknown, stdin).
	Start(size int64, files int)
	AddBytes(n int64)
	// AddClaims counts claims read. While a file is read the count is an
	// estimate (CLM segments seen go by); when the file is done the run
	// corrects it to what the scrubber read (n may then be negative).
	AddClaims(n int)
	FileDone()
	// Phase says that the files are scrubbed and the run now does what
	// name says ("matching claims across files", "writing reports"). The
	// run ends with the last phase: the command stops the bar when Run
	// returns.
	Phase(name string)
}

// Phases of a run after the scrubbing, as Progress.Phase names them.
const (
	PhaseCrossClaims = "matching claims across files"
	PhaseReports     = "writing reports"
)

// claimCounter tells a Progress about the claims of an X12 stream as it
// is read: it counts CLM segments, the element separator and segment
// terminator taken from the ISA header. It is an estimate for the bar
// only (a stream whose ISA is not at its start is not counted); the run
// corrects it with the scrubber's count.
type claimCounter struct {
	r    io.Reader
	add  func(int)
	seen int
	head []byte // the first 106 bytes: the ISA segment
	// needle is terminator "CLM" separator; lined is the same after a
	// line break (a terminator followed by one hides from needle). Empty:
	// not counting.
	needle, lined []byte
	ready         bool
	tail          [4]byte // the last len(needle)-1 bytes read, for matches across reads
	tailLen       int
}

const isaLength = 106

func (c *claimCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.count(p[:n])
	}
	return n, err
}

func (c *claimCounter) count(p []byte) {
	if !c.ready {
		take := min(isaLength-len(c.head), len(p))
		c.head = append(c.head, p[:take]...)
		if len(c.head) < isaLength {
			return
		}
		c.ready = true
		if !bytes.HasPrefix(c.head, []byte("ISA")) {
			return // not X12 as expected: count nothing
		}
		term, sep := c.head[isaLength-1], c.head[3]
		c.needle = []byte{term, 'C', 'L', 'M', sep}
		if term != '\n' {
			c.lined = []byte{'\n', 'C', 'L', 'M', sep}
		}
	}
	if c.needle == nil {
		return
	}
	k := bytes.Count(p, c.needle)
	if c.lined != nil {
		k += bytes.Count(p, c.lined)
	}
	// A match split between the last read and this one.
	var joined [8]byte
	j := copy(joined[:], c.tail[:c.tailLen])
	j += copy(joined[j:], p[:min(len(p), len(c.needle)-1)])
	k += bytes.Count(joined[:j], c.needle)
	if c.lined != nil {
		k += bytes.Count(joined[:j], c.lined)
	}
	if len(p) >= len(c.tail) {
		c.tailLen = copy(c.tail[:], p[len(p)-len(c.tail):])
	} else {
		// Short read: keep the last bytes of tail and p together.
		var both [8]byte
		m := copy(both[:], c.tail[:c.tailLen])
		m += copy(both[m:], p)
		c.tailLen = copy(c.tail[:], both[max(0, m-len(c.tail)):m])
	}
	if k > 0 {
		c.seen += k
		c.add(k)
	}
}
