package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// ranHere is what the child commands below write in their working
// directory: their environment, which holds the mock's base URL.
const ranHere = "ran-here"

// checkRanIn asserts that a child wrote ranHere in dir, with the mock's
// loopback URL and PWD set to dir.
func checkRanIn(t *testing.T, dir string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, ranHere))
	if err != nil {
		t.Fatalf("the command did not run in %s: %v", dir, err)
	}
	env := "\n" + string(b)
	if !strings.Contains(env, "\nMONGODB_ATLAS_BASE_URL=http://127.0.0.1:") || !strings.Contains(env, "\nPWD="+dir+"\n") {
		t.Errorf("the command's environment lacks the mock's URL or PWD=%s:\n%s", dir, b)
	}
}

// What `go run -C <repo>` does, in process: the working directory is not
// the caller's, $PWD is. The command runs in $PWD; a relative -dir and
// -env-file are taken from it too.
func TestRunCommandInCallerDirectory(t *testing.T) {
	caller := t.TempDir()
	t.Setenv("PWD", caller)
	var stderr bytes.Buffer
	if code := run([]string{"--", "sh", "-c", "env > " + ranHere}, io.Discard, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	checkRanIn(t, caller)
	if !strings.Contains(stderr.String(), "mockatlas: running sh -c env > "+ranHere+" in "+caller+"\n") {
		t.Errorf("the banner does not say where the command runs:\n%s", stderr.String())
	}

	sub := filepath.Join(caller, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	args := []string{"-quiet", "-dir", "sub", "-env-file", "atlas.env", "--", "sh", "-c", "test -s ../atlas.env && env > " + ranHere}
	if code := run(args, io.Discard, &stderr); code != 0 {
		t.Fatalf("run %v: exit %d: %s", args, code, stderr.String())
	}
	checkRanIn(t, sub)
}

func TestRunRefusesMissingDirectory(t *testing.T) {
	t.Setenv("PWD", t.TempDir())
	var stderr bytes.Buffer
	if code := run([]string{"-dir", "missing", "--", "true"}, io.Discard, &stderr); code != 2 || !strings.Contains(stderr.String(), "not a directory") {
		t.Errorf("exit %d: %s", code, stderr.String())
	}
}

// $PWD counts only when it names a directory; otherwise the working
// directory is the caller's.
func TestCallerDir(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	file := filepath.Join(tmp, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for pwd, want := range map[string]string{tmp: tmp, "": wd, "relative": wd, file: wd, filepath.Join(tmp, "missing"): wd} {
		t.Setenv("PWD", pwd)
		if got, err := callerDir(); err != nil || got != want {
			t.Errorf("PWD=%q: %q, %v; want %q", pwd, got, err, want)
		}
	}
}

// The two documented ways to run the mock from outside the repository,
// started from a temporary directory: the command runs there.
func TestMockFromAnotherDirectory(t *testing.T) {
	repo, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(repo, "go.mod")); err != nil {
		t.Fatalf("repository root: %v", err)
	}
	for name, argv := range map[string][]string{
		"go run -C": {"go", "run", "-C", repo, "./internal/cmd/mockatlas", "-quiet", "--", "sh", "-c", "env > " + ranHere},
		"make -C":   {"make", "-s", "-C", repo, "mock", "MOCK_FLAGS=-quiet", "ARGS=sh -c 'env > " + ranHere + "'"},
	} {
		t.Run(name, func(t *testing.T) {
			caller := t.TempDir()
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
			// As a shell in caller would start it; Go sets PWD to Dir.
			cmd.Dir = caller
			// Not the settings of a make that runs this test.
			for _, kv := range os.Environ() {
				name, _, _ := strings.Cut(kv, "=")
				if name != "MAKEFLAGS" && name != "MFLAGS" && name != "MAKELEVEL" && name != "PWD" {
					cmd.Env = append(cmd.Env, kv)
				}
			}
			cmd.Env = append(cmd.Env, "PWD="+caller)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, out)
			}
			checkRanIn(t, caller)
		})
	}
}
