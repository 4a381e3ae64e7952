package rules

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A rule ID is written in one non-test Go file, this package's rules.go:
// every other string literal of the module's production code names a rule
// through its ID constant, so renaming or adding a rule touches one table.
func TestRuleIDStringsOnlyInTheCatalogue(t *testing.T) {
	var names []string
	for _, r := range All() {
		names = append(names, regexp.QuoteMeta(r.ID.String()))
	}
	anyID := regexp.MustCompile(`(^|[^A-Z0-9-])(` + strings.Join(names, "|") + `)($|[^A-Z0-9-])`)
	root := filepath.Join("..", "..")
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		if filepath.ToSlash(path) == "../../scrubber/rules/rules.go" {
			return nil
		}
		files++
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if m := anyID.FindStringSubmatch(lit.Value); m != nil {
					t.Errorf("%s: the string %s names the rule %s: use its rules constant", path, lit.Value, m[2])
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("read %d production Go files: the walk did not find the module", files)
	}
}
