package pack

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/token"
)

// Error is a rule pack that cannot be used, with every problem found in it.
// Its text is one "file:line: path: what is wrong" line a problem.
type Error struct {
	File     string
	Problems []Problem // in line order
}

// Problem is one thing wrong in a pack.
type Problem struct {
	Line    int    // 1-based; 0 when it is about the file as a whole
	Path    string // the field, e.g. "rules[3].severity"; "" for YAML syntax
	Message string
}

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		var b strings.Builder
		b.WriteString(e.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
		}
		b.WriteString(": ")
		if p.Path != "" {
			b.WriteString(p.Path + ": ")
		}
		b.WriteString(p.Message)
		lines[i] = b.String()
	}
	return strings.Join(lines, "\n")
}

// problem is an *Error with one problem.
func problem(file string, line int, path, message string) *Error {
	return &Error{File: file, Problems: []Problem{{Line: line, Path: path, Message: message}}}
}

// sortProblems puts problems in line order, keeping the order of those on
// one line.
func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Line < ps[j].Line })
}

// yamlError turns a go-yaml error into an *Error at the line it names. A
// quote left open reads on to the next quote, lines further down, where the
// YAML then breaks: go-yaml names that line, so when a quoted value that
// spans lines starts before it, the problem is put where the quote opened.
func yamlError(file string, data []byte, err error) *Error {
	var ye yaml.Error
	if !errors.As(err, &ye) || ye.GetToken() == nil {
		return problem(file, 0, "", err.Error())
	}
	line, message := ye.GetToken().Position.Line, ye.GetMessage()
	if open := openQuoteBefore(data, line); open > 0 {
		return problem(file, open, "", fmt.Sprintf("a quote opened on this line is not closed on it (YAML reads on to line %d, then: %s)", line, message))
	}
	return problem(file, line, "", message)
}

// openQuoteBefore is the line where the last quoted value that starts
// before line and spans several lines begins; 0 when there is none.
func openQuoteBefore(data []byte, line int) int {
	open := 0
	for _, t := range lexer.Tokenize(string(data)) {
		if t.Position == nil || t.Position.Line >= line {
			break
		}
		if (t.Type == token.DoubleQuoteType || t.Type == token.SingleQuoteType) && strings.ContainsAny(t.Origin, "\r\n") {
			open = t.Position.Line
		}
	}
	return open
}
