// Command mutantrows prints one line per mutant of gremlins' JSON reports
// (make mutate, scripts/mutate.sh), "path:line:column TYPE STATUS" with paths
// from the module root, so that the script needs no JSON tool of the system.
// It fails on a mutant whose status says that gremlins did not run it to a
// verdict (RUNNABLE, or a status it does not know): such a report is not of a
// completed run.
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

// statuses are the ones a completed run gives (gremlins v0.6.0,
// internal/mutator); SKIPPED is a mutant outside --diff.
var statuses = map[string]bool{
	"KILLED": true, "LIVED": true, "TIMED OUT": true, "NOT VIABLE": true,
	"NOT COVERED": true, "SKIPPED": true,
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
				if !statuses[m.Status] {
					fail(fmt.Errorf("%s: %s:%d:%d %s has status %q: not a completed run", file, name, m.Line, m.Column, m.Type, m.Status))
				}
				fmt.Printf("%s:%d:%d %s %s\n", name, m.Line, m.Column, m.Type, m.Status)
			}
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "mutantrows:", err)
	os.Exit(1)
}
