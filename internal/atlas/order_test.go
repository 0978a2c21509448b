package atlas_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// designOrder is the order of the package's files that DESIGN.md gives
// under "The Atlas client", from the bottom up.
func designOrder(t *testing.T) []string {
	t.Helper()
	design, err := os.ReadFile("../../DESIGN.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(design), "\n## The Atlas client\n")
	if !ok {
		t.Fatal(`DESIGN.md has no "## The Atlas client" section`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var order []string
	for _, m := range regexp.MustCompile("(?m)^\\d+\\. `([a-z_]+\\.go)`").FindAllStringSubmatch(section, -1) {
		order = append(order, m[1])
	}
	return order
}

// TestFilesUseOnlyFilesBelow: every file of the package is in DESIGN.md's
// order, and uses only package-level names defined in itself or in the
// files before it, so that the package reads from the bottom up.
func TestFilesUseOnlyFilesBelow(t *testing.T) {
	order := designOrder(t)
	fset := token.NewFileSet()
	files := map[string]*ast.File{}
	paths, _ := filepath.Glob("*.go")
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files[p] = f
	}
	var names []string
	for p := range files {
		names = append(names, p)
	}
	sort.Strings(names)
	if !slices.Equal(sorted(order), names) {
		t.Fatalf("DESIGN.md orders %v; the package's files are %v", order, names)
	}

	definedIn := map[string]string{} // package-level name -> its file
	for p, f := range files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					definedIn[d.Name.Name] = p
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						definedIn[s.Name.Name] = p
					case *ast.ValueSpec:
						for _, n := range s.Names {
							definedIn[n.Name] = p
						}
					}
				}
			}
		}
	}
	for i, p := range order {
		above := map[string]bool{}
		for _, q := range order[i+1:] {
			above[q] = true
		}
		for _, id := range packageNamesUsed(files[p]) {
			if q := definedIn[id.Name]; above[q] {
				t.Errorf("%s uses %s, defined in %s, a file above it (DESIGN.md, The Atlas client)", fset.Position(id.Pos()), id.Name, q)
			}
		}
	}
}

// packageNamesUsed are the identifiers of f that the parser could not
// resolve within the file: package-level names of other files, imported
// packages and predeclared names. Selectors and the keys of composite
// literals are fields or methods, not package-level names.
func packageNamesUsed(f *ast.File) []*ast.Ident {
	skip := map[*ast.Ident]bool{}
	var used []*ast.Ident
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			skip[n.Sel] = true
		case *ast.FuncDecl:
			skip[n.Name] = true // a definition; a method's name is no package-level name
		case *ast.KeyValueExpr:
			if id, ok := n.Key.(*ast.Ident); ok {
				skip[id] = true
			}
		case *ast.Ident:
			//nolint:staticcheck // Obj is the parser's own resolution, enough for one file.
			if n.Obj == nil && !skip[n] {
				used = append(used, n)
			}
		}
		return true
	})
	return used
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return s
}
