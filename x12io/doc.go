// Package x12io reads and writes ASC X12 interchanges as a stream of segments.
//
// A Reader takes its delimiters from each ISA segment, so one input may hold
// several interchanges with different delimiters. It hands out one Segment at
// a time from a reused buffer: reading never loads the input whole, and a
// malformed segment cannot make memory grow past the segment length cap.
//
// Envelope problems (control numbers, counts, missing trailers) and syntax
// problems (a segment over the cap, a bad segment ID) are returned as *Error
// values with the segment number and byte offset where they were found; they
// are not fatal, and the caller keeps calling Next. Only an *Error with Fatal
// set (input that is not X12, a read error) ends the stream. A read error
// comes after every segment read before it (a gzip stream cut short still
// gives its claims), marked Truncated when the input ended inside an
// envelope or a segment.
//
// A Writer emits segments with given delimiters and keeps the SE, GE and IEA
// counts right; tests and the claim-drop generator build their files with it,
// and the ready/held split (reports/split) copies an input's envelopes and
// segments through it.
package x12io
