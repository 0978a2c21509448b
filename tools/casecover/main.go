// Command casecover completes a Go coverage profile for mutation testing
// (scripts/mutate.sh). Go's coverage blocks leave out two kinds of code
// that runs: the expressions of a switch's cases, which sit between the
// switch header's block and the case body's, and package-level const and
// var declarations. gremlins counts a mutant there as NOT COVERED and never
// runs it. This adds a block for each: a case's expressions count as run
// when the switch header ran (a case the tests never reach then shows as a
// surviving mutant, not as uncovered), and package-level declarations as run
// whenever the package's tests ran at all.
//
// Usage: casecover PROFILE MODULE_DIR
package main

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/cover"
	"golang.org/x/tools/go/ast/astutil"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: casecover PROFILE MODULE_DIR")
		os.Exit(2)
	}
	if err := complete(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "casecover:", err)
		os.Exit(1)
	}
}

func complete(profilePath, moduleDir string) error {
	profiles, err := cover.ParseProfiles(profilePath)
	if err != nil {
		return err
	}
	modPath, err := modulePath(filepath.Join(moduleDir, "go.mod"))
	if err != nil {
		return err
	}
	var extra []string
	for _, p := range profiles {
		rel, ok := strings.CutPrefix(p.FileName, modPath+"/")
		if !ok {
			continue
		}
		blocks, err := missingBlocks(filepath.Join(moduleDir, rel), p)
		if err != nil {
			return err
		}
		for _, b := range blocks {
			extra = append(extra, fmt.Sprintf("%s:%d.%d,%d.%d 0 %d", p.FileName, b.StartLine, b.StartCol, b.EndLine, b.EndCol, b.Count))
		}
	}
	f, err := os.OpenFile(profilePath, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, line := range extra {
		fmt.Fprintln(w, line)
	}
	if err := w.Flush(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

func modulePath(goMod string) (string, error) {
	data, err := os.ReadFile(goMod)
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`), nil
		}
	}
	return "", fmt.Errorf("%s names no module", goMod)
}

// missingBlocks are the blocks for file's case expressions and
// package-level declarations, counted as described above.
func missingBlocks(file string, p *cover.Profile) ([]cover.ProfileBlock, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	ran := false
	for _, b := range p.Blocks {
		ran = ran || b.Count > 0
	}
	block := func(from, to token.Pos, count int) cover.ProfileBlock {
		s, e := fset.Position(from), fset.Position(to)
		return cover.ProfileBlock{StartLine: s.Line, StartCol: s.Column, EndLine: e.Line, EndCol: e.Column, Count: count}
	}
	var out []cover.ProfileBlock
	if ran {
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && (g.Tok == token.CONST || g.Tok == token.VAR) {
				out = append(out, block(g.Pos(), g.End(), 1))
			}
		}
	}
	astutil.Apply(f, func(c *astutil.Cursor) bool {
		var body *ast.BlockStmt
		switch s := c.Node().(type) {
		case *ast.SwitchStmt:
			body = s.Body
		case *ast.TypeSwitchStmt:
			body = s.Body
		default:
			return true
		}
		count := countAt(fset, p, c.Node().Pos())
		for _, stmt := range body.List {
			cc, ok := stmt.(*ast.CaseClause)
			if !ok || cc.List == nil {
				continue
			}
			out = append(out, block(cc.Case, cc.Colon, count))
		}
		return true
	}, nil)
	return out, nil
}

// countAt is the count of the profile block that holds pos.
func countAt(fset *token.FileSet, p *cover.Profile, pos token.Pos) int {
	at := fset.Position(pos)
	for _, b := range p.Blocks {
		starts := b.StartLine < at.Line || b.StartLine == at.Line && b.StartCol <= at.Column
		ends := at.Line < b.EndLine || at.Line == b.EndLine && at.Column <= b.EndCol
		if starts && ends {
			return b.Count
		}
	}
	return 0
}
