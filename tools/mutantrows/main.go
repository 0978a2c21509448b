// Command mutantrows prints one line per mutant of gremlins' JSON reports
// (make mutate, scripts/mutate.sh), "path:line:column TYPE STATUS" with paths
// from the module root, so that the script needs no JSON tool of the system.
//
//	go run ./mutantrows internal/atlas=../.tmp/mutate/atlas.json ...
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"strings"
)

// report is the part of gremlins' output format the script reads.
type report struct {
	Files []struct {
		Name      string `json:"file_name"`
		Mutations []struct {
			Type   string `json:"type"`
			Status string `json:"status"`
			Line   int    `json:"line"`
			Column int    `json:"column"`
		} `json:"mutations"`
	} `json:"files"`
}

func main() {
	for _, arg := range os.Args[1:] {
		pkg, file, ok := strings.Cut(arg, "=")
		if !ok {
			fail(fmt.Errorf("argument %q is not PACKAGE=REPORT.json", arg))
		}
		raw, err := os.ReadFile(file)
		if err != nil {
			fail(err)
		}
		var r report
		if err := json.Unmarshal(raw, &r); err != nil {
			fail(fmt.Errorf("%s: %w", file, err))
		}
		for _, f := range r.Files {
			name := f.Name
			if !strings.HasPrefix(name, pkg+"/") {
				name = path.Join(pkg, name)
			}
			for _, m := range f.Mutations {
				fmt.Printf("%s:%d:%d %s %s\n", name, m.Line, m.Column, m.Type, m.Status)
			}
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "mutantrows:", err)
	os.Exit(1)
}
