package provider

import (
	"bytes"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// make install puts the provider in the implied local mirror,
// $HOME/.terraform.d/plugins, which Terraform and OpenTofu both search when
// no CLI configuration says otherwise. These tests run it as a user would,
// with HOME in a temporary directory: afterwards a configuration that only
// requires atlasinv/atlasinv at the CHANGELOG's version initializes, writes
// its lock file and plans against the mock, through each CLI, with no CLI
// configuration; after make uninstall, init no longer finds it.

// installCLI is one CLI that make install serves, and the registry host
// under which it looks the provider up.
type installCLI struct {
	name, path, host string
}

// installCLIs are the CLIs to try: the suite's own (TF_ACC_TERRAFORM_PATH,
// OpenTofu when the suite runs under it) and, on the Terraform runs,
// ATLASINV_TOFU_PATH's OpenTofu, which make test sets (its path is empty
// when it is not set: that subtest skips).
func installCLIs(t *testing.T) []installCLI {
	t.Helper()
	cli := guideCLI(t)
	if os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org" {
		return []installCLI{{"tofu", cli, "registry.opentofu.org"}}
	}
	return []installCLI{
		{"terraform", cli, "registry.terraform.io"},
		{"tofu", os.Getenv("ATLASINV_TOFU_PATH"), "registry.opentofu.org"},
	}
}

// providerVersion is the version make install gives the provider.
func providerVersion(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("bash", filepath.Join("..", "..", "scripts", "version.sh")).Output()
	if err != nil {
		t.Fatalf("scripts/version.sh: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// homeEnv is this process's environment with home as HOME and nothing that
// could point the CLIs elsewhere: no CLI configuration file, plugin cache,
// TF_ variable, XDG directory, proxy, make variable or Atlas credential. The
// Go caches and settings stay the machine's, so that make install builds
// from the build cache instead of from nothing.
func homeEnv(t *testing.T, home string) []string {
	t.Helper()
	goEnv, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE", "GOPATH", "GOENV").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	keep := strings.Split(strings.TrimSpace(string(goEnv)), "\n")
	if len(keep) != 4 {
		t.Fatalf("go env printed %q, want four lines", goEnv)
	}
	drop := func(kv string) bool {
		name, _, _ := strings.Cut(kv, "=")
		upper := strings.ToUpper(name)
		return name == "HOME" || strings.HasPrefix(name, "TF_") || name == "TERRAFORM_CONFIG" ||
			strings.HasPrefix(name, "XDG_") || strings.HasSuffix(upper, "_PROXY") ||
			name == "MAKEFLAGS" || name == "MFLAGS" || name == "MAKELEVEL" ||
			slices.Contains(allCredentialEnvs, name) ||
			strings.HasPrefix(name, "MONGODB_ATLAS_") || strings.HasPrefix(name, "MCLI_")
	}
	env := slices.DeleteFunc(os.Environ(), drop)
	return append(env, "HOME="+home, "CHECKPOINT_DISABLE=1",
		"GOCACHE="+keep[0], "GOMODCACHE="+keep[1], "GOPATH="+keep[2], "GOENV="+keep[3])
}

// runMake runs make target in the repository with env, and fails the test
// if it fails.
func runMake(t *testing.T, env []string, target string) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("make", "-C", root, target)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make %s: %v\n%s", target, err, out)
	}
	return string(out)
}

// filesUnder lists the files (not directories) under dir, relative to it.
func filesUnder(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && path == dir {
				return nil
			}
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// refusingProxy is an HTTP proxy that forwards nothing: it records the
// host of every request and refuses it. As the CLIs' HTTPS_PROXY, it shows
// whether they tried to reach a registry, and keeps them off the network.
type refusingProxy struct {
	url   string
	mu    sync.Mutex
	hosts []string
}

func newRefusingProxy(t *testing.T) *refusingProxy {
	t.Helper()
	p := &refusingProxy{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host // CONNECT host:port, for https
		if r.Method != http.MethodConnect && r.URL.Host != "" {
			host = r.URL.Host
		}
		p.mu.Lock()
		p.hosts = append(p.hosts, host)
		p.mu.Unlock()
		http.Error(w, "this test allows no network", http.StatusForbidden)
	}))
	t.Cleanup(srv.Close)
	p.url = srv.URL
	return p
}

// seen returns the hosts asked for so far, and forgets them.
func (p *refusingProxy) seen() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	hosts := p.hosts
	p.hosts = nil
	return hosts
}

// installConfig is all a user writes: the provider's source and version,
// and a read. The credentials come from the environment.
func installConfig(version string) string {
	return `terraform {
  required_providers {
    atlasinv = {
      source  = "atlasinv/atlasinv"
      version = "` + version + `"
    }
  }
}

data "atlasinv_org_invites" "all" {
  org_id = "` + testOrgID + `"
}

output "usernames" {
  value = data.atlasinv_org_invites.all.invites[*].username
}
`
}

func TestAccInstall_makeInstallServesInitWithNoCLIConfiguration(t *testing.T) {
	t.Parallel()
	clis := installCLIs(t)
	if _, err := exec.LookPath("make"); err != nil {
		t.Fatalf("make install needs make: %v", err)
	}
	version := providerVersion(t)
	home := t.TempDir()
	env := homeEnv(t, home)

	out := runMake(t, env, "install")
	plugins := filepath.Join(home, ".terraform.d", "plugins")
	target := runtime.GOOS + "_" + runtime.GOARCH
	binary := "terraform-provider-atlasinv_v" + version
	var want []string
	for _, host := range []string{"registry.opentofu.org", "registry.terraform.io"} {
		want = append(want, "plugins/"+host+"/atlasinv/atlasinv/"+version+"/"+target+"/"+binary)
	}
	if got := filesUnder(t, filepath.Join(home, ".terraform.d")); !slices.Equal(got, want) {
		t.Fatalf("make install left under $HOME/.terraform.d:\n  %s\nwant the binary under each registry host:\n  %s\nmake printed:\n%s",
			strings.Join(got, "\n  "), strings.Join(want, "\n  "), out)
	}
	for _, rel := range want {
		path := filepath.Join(home, ".terraform.d", filepath.FromSlash(rel))
		v, err := exec.Command(path, "-version").Output()
		if err != nil {
			t.Fatalf("%s -version: %v", rel, err)
		}
		if !strings.HasPrefix(string(v), "terraform-provider-atlasinv "+version+" ") {
			t.Errorf("%s -version printed %q, want the version %s", rel, v, version)
		}
	}

	mock, url := newTestAtlas(t, inviteFull)
	proxy := newRefusingProxy(t)
	cliEnv := append(slices.Clone(env),
		"TF_IN_AUTOMATION=1", "HTTPS_PROXY="+proxy.url, "HTTP_PROXY="+proxy.url,
		"MONGODB_ATLAS_BASE_URL="+url,
		"MONGODB_ATLAS_PUBLIC_API_KEY="+testPublicKey, "MONGODB_ATLAS_PRIVATE_API_KEY="+testPrivateKey)
	if _, err := os.Stat(filepath.Join(home, ".terraformrc")); err == nil {
		t.Fatal("the temporary HOME has a .terraformrc; the test wants no CLI configuration")
	}

	for _, cli := range clis {
		t.Run(cli.name, func(t *testing.T) {
			if cli.path == "" {
				t.Skip("set ATLASINV_TOFU_PATH to an OpenTofu CLI (make test does)")
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(installConfig(version)), 0o600); err != nil {
				t.Fatal(err)
			}
			runCLI(t, cli.path, dir, cliEnv, "init", "-no-color", "-input=false")
			lock, err := os.ReadFile(filepath.Join(dir, ".terraform.lock.hcl"))
			if err != nil {
				t.Fatalf("init wrote no lock file: %v", err)
			}
			for _, line := range []string{
				`provider "` + cli.host + `/atlasinv/atlasinv" {`,
				`version     = "` + version + `"`,
				`"h1:`,
			} {
				if !strings.Contains(string(lock), line) {
					t.Errorf(".terraform.lock.hcl lacks %s:\n%s", line, lock)
				}
			}
			// The provider init installed is the one in $HOME's mirror (the
			// CLIs link the working directory to an unpacked mirror).
			installed := filepath.Join(dir, ".terraform", "providers", cli.host, "atlasinv", "atlasinv", version, target)
			from, err := filepath.EvalSymlinks(installed)
			if err != nil {
				t.Fatalf("init installed no provider at %s: %v", installed, err)
			}
			mirror, err := filepath.EvalSymlinks(filepath.Join(plugins, cli.host, "atlasinv", "atlasinv", version, target))
			if err != nil {
				t.Fatal(err)
			}
			if from != mirror {
				t.Errorf("init installed the provider from %s, want %s", from, mirror)
			}

			mock.Reset()
			plan := runCLI(t, cli.path, dir, cliEnv, "plan", "-no-color", "-input=false", "-lock=false")
			if !strings.Contains(string(plan), inviteFull.Username) {
				t.Errorf("the plan does not show the mock's invitation %s:\n%s", inviteFull.Username, plan)
			}
			ua := "terraform-provider-atlasinv/" + version + " "
			read := countRequests(mock, func(r mockatlas.Request) bool {
				return r.Authenticated && r.Principal == testPublicKey && strings.HasPrefix(r.UserAgent, ua)
			})
			if read == 0 {
				t.Errorf("the mock saw no request signed with the test key from %s...; requests: %+v", ua, mock.Requests())
			}
			if hosts := proxy.seen(); len(hosts) != 0 {
				t.Errorf("%s init and plan went to the network with the provider in the implied mirror: %v", cli.name, hosts)
			}
		})
	}

	out = runMake(t, env, "uninstall")
	if got := filesUnder(t, filepath.Join(home, ".terraform.d")); len(got) != 0 {
		t.Fatalf("make uninstall left under $HOME/.terraform.d:\n  %s\nmake printed:\n%s", strings.Join(got, "\n  "), out)
	}
	for _, cli := range clis {
		t.Run(cli.name+" after uninstall", func(t *testing.T) {
			if cli.path == "" {
				t.Skip("set ATLASINV_TOFU_PATH to an OpenTofu CLI (make test does)")
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(installConfig(version)), 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(cli.path, "init", "-no-color", "-input=false")
			cmd.Dir = dir
			cmd.Env = cliEnv
			var output bytes.Buffer
			cmd.Stdout, cmd.Stderr = &output, &output
			if err := cmd.Run(); err == nil {
				t.Fatalf("%s init succeeded after make uninstall:\n%s", cli.name, output.Bytes())
			}
			// Nothing local offers it any more, so the CLI asked its
			// registry (which the proxy refused).
			if said := strings.Join(strings.Fields(output.String()), " "); !strings.Contains(said, "could not connect to "+cli.host) {
				t.Errorf("%s init after make uninstall did not fail on reaching %s:\n%s", cli.name, cli.host, output.Bytes())
			}
			if hosts := proxy.seen(); !slices.Contains(hosts, cli.host+":443") {
				t.Errorf("%s init after make uninstall asked the network for %v, want %s:443; it printed:\n%s", cli.name, hosts, cli.host, output.Bytes())
			}
		})
	}
}
