// Package codedata reads the public code-set and edit files that payers'
// edits come from, as CMS, CDC and NUCC publish them: the NCCI PTP
// practitioner edits and MUE practitioner table (quarterly), the ICD-10-CM
// order file (fiscal year) and the NUCC provider taxonomy. DATA.md beside
// this file is the contract: names, layouts, and how several quarters and
// years apply by date of service.
//
// Load reads a folder once; the lookups (PTP, MUE, Diagnosis, Taxonomy,
// BypassModifier) are map look-ups that do not allocate, so a check can ask
// one per line pair or diagnosis. Every lookup says when no file speaks for
// the date (NoFile): the caller then keeps to its rule pack. Dates of
// service are the claim's CCYYMMDD strings; codes are as in the claim (no
// point in a diagnosis).
package codedata
