// Command hugeplan measures the provider's peak memory while it refuses a
// 1 GiB answer (under 512 MiB: DESIGN.md, Bounded answers): it serves the
// mock Atlas on loopback with every API answer a streamed 1 GiB body, runs
// a real `terraform plan` with the built provider, and prints the provider
// process's peak RSS and the plan's error. scripts/hugeplan.sh (make
// hugeplan) builds everything and runs it.
//
// Terraform starts the provider through a launcher: this binary, copied
// linked into the dev_overrides directory as terraform-provider-atlasinv. It runs
// the real provider as its child with the same stdio and writes the child's
// rusage peak RSS (the provider's own, launcher excluded) to a file.
package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

const (
	providerName = "terraform-provider-atlasinv"
	envReal      = "HUGEPLAN_REAL_PROVIDER"
	envRSS       = "HUGEPLAN_RSS_FILE"
)

func main() {
	if filepath.Base(os.Args[0]) == providerName {
		os.Exit(launch())
	}
	os.Exit(run())
}

// launch runs the real provider and records its peak RSS in KiB.
func launch() int {
	cmd := exec.Command(os.Getenv(envReal), os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		_ = os.WriteFile(os.Getenv(envRSS), []byte(strconv.FormatInt(ru.Maxrss, 10)), 0o600)
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode()
	}
	return 0
}

func run() int {
	terraform := flag.String("terraform", "", "terraform `binary`")
	provider := flag.String("provider", "", "the built provider `binary`")
	size := flag.Int64("size", 1<<30, "size of every answer, in `bytes`")
	flag.Parse()
	if *terraform == "" || *provider == "" {
		fmt.Fprintln(os.Stderr, "usage: hugeplan -terraform BIN -provider BIN")
		return 2
	}
	if err := measure(*terraform, *provider, *size); err != nil {
		fmt.Fprintln(os.Stderr, "hugeplan:", err)
		return 1
	}
	return 0
}

func measure(terraform, provider string, size int64) error {
	work, err := os.MkdirTemp("", "hugeplan")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(work) }()

	mock := mockatlas.New()
	mock.AddAPIKey(mockatlas.DemoPublicKey, mockatlas.DemoPrivateKey)
	mock.AddOrg(mockatlas.DemoOrgID)
	mock.SetFault(&mockatlas.Fault{BodySize: size})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := mock.Serve(ln)
	defer func() { _ = srv.Close() }()

	// The launcher stands in for the provider in a dev_overrides directory.
	overrides := filepath.Join(work, "providers")
	if err := os.Mkdir(overrides, 0o700); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	if err := os.Symlink(self, filepath.Join(overrides, providerName)); err != nil {
		return err
	}
	cliConfig := filepath.Join(work, "cli.tfrc")
	if err := os.WriteFile(cliConfig, []byte(fmt.Sprintf(
		"provider_installation {\n  dev_overrides {\n    \"registry.terraform.io/atlasinv/atlasinv\" = %q\n  }\n  direct {}\n}\n",
		overrides)), 0o600); err != nil {
		return err
	}
	config := fmt.Sprintf(`terraform {
  required_providers {
    atlasinv = { source = "atlasinv/atlasinv" }
  }
}
provider "atlasinv" {
  base_url    = "http://%s"
  public_key  = %q
  private_key = %q
}
data "atlasinv_org_invites" "huge" {
  org_id = %q
}
`, ln.Addr(), mockatlas.DemoPublicKey, mockatlas.DemoPrivateKey, mockatlas.DemoOrgID)
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(config), 0o600); err != nil {
		return err
	}

	rssFile := filepath.Join(work, "rss")
	absProvider, err := filepath.Abs(provider)
	if err != nil {
		return err
	}
	cmd := exec.Command(terraform, "plan", "-input=false", "-no-color")
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1",
		envReal+"="+absProvider, envRSS+"="+rssFile)
	out, planErr := cmd.CombinedOutput()
	if planErr == nil {
		return fmt.Errorf("the plan succeeded; it should have refused the answer:\n%s", out)
	}
	kib, err := os.ReadFile(rssFile)
	if err != nil {
		return fmt.Errorf("no peak RSS recorded (%v); plan output:\n%s", err, out)
	}
	n, _ := strconv.ParseInt(strings.TrimSpace(string(kib)), 10, 64)
	signed := 0
	for _, r := range mock.Requests() {
		if r.Authenticated {
			signed++
		}
	}
	fmt.Printf("answer size: %d MiB per request; signed requests: %d\n", size>>20, signed)
	fmt.Printf("provider peak RSS: %.1f MiB (limit 512 MiB)\n", float64(n)/1024)
	fmt.Printf("plan error:\n%s\n", errorLines(string(out)))
	if n >= 512*1024 {
		return fmt.Errorf("peak RSS %.1f MiB is over 512 MiB", float64(n)/1024)
	}
	return nil
}

// errorLines keeps the plan's error diagnostic.
func errorLines(out string) string {
	if i := strings.Index(out, "Error:"); i >= 0 {
		return out[i:]
	}
	return out
}
