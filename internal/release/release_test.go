// Package release_test checks a release built by goreleaser (make release,
// or make release-check for linux_amd64 alone) in the layout the Terraform
// Registry expects, then installs it as a user would: from its zip, through
// a filesystem_mirror, with terraform init, and plans against a mock Atlas.
//
// The tests run when RELEASE_DIST names goreleaser's output directory
// (TestMain); RELEASE_TARGETS=linux_amd64 says it holds that platform alone,
// as it does for .goreleaser.yml under the same variable.
package release_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

const (
	project = "terraform-provider-atlasinv"
	// hostTarget is the platform make release-check builds and the one the
	// install test serves: CI runs on it.
	hostTarget = "linux_amd64"
)

// allTargets are the platforms of .goreleaser.yml, in Terraform's OS_ARCH
// form. A change to the platforms a release offers is a change to what its
// users can run: make it in both places.
var allTargets = []string{
	"darwin_amd64", "darwin_arm64",
	"freebsd_386", "freebsd_amd64", "freebsd_arm", "freebsd_arm64",
	"linux_386", "linux_amd64", "linux_arm", "linux_arm64",
	"windows_386", "windows_amd64", "windows_arm64",
}

// TestMain runs the tests only when RELEASE_DIST names a build. They are
// not skipped one by one: make unit runs every package and fails on a
// skipped test, and only make release-check, which sets RELEASE_DIST, has a
// release to check.
func TestMain(m *testing.M) {
	if os.Getenv("RELEASE_DIST") == "" {
		fmt.Println("internal/release: RELEASE_DIST is not set, no release to check (make release-check sets it)")
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// distDir is RELEASE_DIST, absolute; a relative one is taken from the
// repository's root, where make runs (RELEASE_DIST=dist).
func distDir(t *testing.T) string {
	t.Helper()
	dist := os.Getenv("RELEASE_DIST")
	if !filepath.IsAbs(dist) {
		dist = filepath.Join("..", "..", dist)
	}
	abs, err := filepath.Abs(dist)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// wantTargets are the platforms the release in RELEASE_DIST must have.
func wantTargets(t *testing.T) []string {
	t.Helper()
	switch targets := os.Getenv("RELEASE_TARGETS"); targets {
	case "", "all":
		return allTargets
	case hostTarget:
		return []string{hostTarget}
	default:
		t.Fatalf("RELEASE_TARGETS=%q: .goreleaser.yml knows %q (one platform) and \"all\"", targets, hostTarget)
		return nil
	}
}

// changelogVersion is the version a release built here must carry: the top
// entry of CHANGELOG.md, as scripts/version.sh reads it.
func changelogVersion(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("bash", filepath.Join("..", "..", "scripts", "version.sh")).Output()
	if err != nil {
		t.Fatalf("scripts/version.sh: %v", err)
	}
	return strings.TrimSpace(string(out))
}

func zipName(version, target string) string {
	return fmt.Sprintf("%s_%s_%s.zip", project, version, target)
}

// readSums reads the SHA256SUMS file: file name to hex digest.
func readSums(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("the SHA256SUMS file: %v", err)
	}
	defer f.Close()
	sums := map[string]string{}
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		// sha256sum's format, which the registry reads: digest, two
		// spaces, file name.
		sum, name, ok := strings.Cut(lines.Text(), "  ")
		if !ok || len(sum) != 64 || name == "" {
			t.Fatalf("%s: line %q is not \"<sha256>  <file>\"", filepath.Base(path), lines.Text())
		}
		if _, dup := sums[name]; dup {
			t.Fatalf("%s lists %s twice", filepath.Base(path), name)
		}
		sums[name] = sum
	}
	if err := lines.Err(); err != nil {
		t.Fatal(err)
	}
	return sums
}

func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestReleaseLayout checks the files the registry reads from a release: a
// zip per platform named terraform-provider-TYPE_VERSION_OS_ARCH.zip, each
// holding the binary terraform-provider-TYPE_vVERSION at its root; the
// SHA256SUMS file listing exactly those zips and the manifest, with their
// digests; and the manifest declaring plugin protocol 6.0, the provider's
// only protocol.
func TestReleaseLayout(t *testing.T) {
	dist := distDir(t)
	version := changelogVersion(t)
	prefix := project + "_" + version + "_"

	sums := readSums(t, filepath.Join(dist, prefix+"SHA256SUMS"))
	want := []string{prefix + "manifest.json"}
	for _, target := range wantTargets(t) {
		want = append(want, zipName(version, target))
	}
	slices.Sort(want)
	listed := slices.Sorted(func(yield func(string) bool) {
		for name := range sums {
			if !yield(name) {
				return
			}
		}
	})
	if !slices.Equal(listed, want) {
		t.Fatalf("SHA256SUMS lists\n  %s\nwant\n  %s", strings.Join(listed, "\n  "), strings.Join(want, "\n  "))
	}
	for name, sum := range sums {
		if got := fileSHA256(t, filepath.Join(dist, name)); got != sum {
			t.Errorf("%s: SHA256SUMS says %s, the file's digest is %s", name, sum, got)
		}
	}

	manifest, err := os.ReadFile(filepath.Join(dist, prefix+"manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(manifest, &m); err != nil {
		t.Fatalf("manifest: %v\n%s", err, manifest)
	}
	if m.Version != 1 || !reflect.DeepEqual(m.Metadata.ProtocolVersions, []string{"6.0"}) {
		t.Errorf("manifest: version %d, protocol_versions %q; want 1 and [\"6.0\"] (the provider serves protocol 6 only)\n%s",
			m.Version, m.Metadata.ProtocolVersions, manifest)
	}

	for _, target := range wantTargets(t) {
		checkZip(t, filepath.Join(dist, zipName(version, target)), version, target)
	}
}

// checkZip checks that the zip holds the provider binary, named as
// Terraform looks for it, at its root and executable.
func checkZip(t *testing.T, path, version, target string) {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Errorf("%s: %v", filepath.Base(path), err)
		return
	}
	defer z.Close()
	binary := project + "_v" + version
	if strings.HasPrefix(target, "windows_") {
		binary += ".exe"
	}
	var names []string
	for _, f := range z.File {
		names = append(names, f.Name)
		if f.Name != binary {
			continue
		}
		if f.Mode()&0o111 == 0 && !strings.HasSuffix(binary, ".exe") {
			t.Errorf("%s: %s has mode %v, not executable", filepath.Base(path), binary, f.Mode())
		}
		if f.UncompressedSize64 == 0 {
			t.Errorf("%s: %s is empty", filepath.Base(path), binary)
		}
		return
	}
	t.Errorf("%s holds %q, not the binary %s at its root", filepath.Base(path), names, binary)
}

// TestReleaseInstallsFromFilesystemMirror installs the linux_amd64 zip as
// it is, through a filesystem_mirror in the packed layout
// (HOSTNAME/NAMESPACE/TYPE/terraform-provider-TYPE_VERSION_TARGET.zip, the
// release's own zip name), with a version constraint a user would write;
// then plans against a mock Atlas with the provider from the zip. It runs on
// Terraform (TF_ACC_TERRAFORM_PATH) and, when ATLASINV_TOFU_PATH names one,
// on OpenTofu.
func TestReleaseInstallsFromFilesystemMirror(t *testing.T) {
	dist := distDir(t)
	if runtime.GOOS+"_"+runtime.GOARCH != hostTarget {
		t.Skipf("runs the %s provider: this machine is %s_%s", hostTarget, runtime.GOOS, runtime.GOARCH)
	}
	version := changelogVersion(t)
	clis := map[string]string{"terraform": os.Getenv("TF_ACC_TERRAFORM_PATH")}
	if clis["terraform"] == "" {
		t.Fatal("TF_ACC_TERRAFORM_PATH is not set: this test runs the Terraform CLI it names (make release-check sets it)")
	}
	if tofu := os.Getenv("ATLASINV_TOFU_PATH"); tofu != "" {
		clis["opentofu"] = tofu
	}
	zipPath := filepath.Join(dist, zipName(version, hostTarget))
	if _, err := os.Stat(zipPath); err != nil {
		t.Fatal(err)
	}

	const (
		orgID      = "65a1b2c0000000000000000a"
		publicKey  = "releasekey"
		privateKey = "priv-0f1e2d3c-release-key"
	)
	invites := mockatlas.GenerateInvitations(orgID, 3)
	atlas := mockatlas.New()
	atlas.AddAPIKey(publicKey, privateKey)
	atlas.AddOrg(orgID, invites...)
	srv := atlas.Start()
	t.Cleanup(srv.Close)
	var wantUsers []string
	for _, inv := range invites {
		wantUsers = append(wantUsers, inv.Username)
	}
	slices.Sort(wantUsers)

	for name, cli := range clis {
		t.Run(name, func(t *testing.T) {
			work := t.TempDir()
			mirror := filepath.Join(work, "mirror")
			for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
				dir := filepath.Join(mirror, host, "atlasinv", "atlasinv")
				if err := os.MkdirAll(dir, 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(zipPath, filepath.Join(dir, zipName(version, hostTarget))); err != nil {
					t.Fatal(err)
				}
			}
			cliConfig := filepath.Join(work, "cli.tfrc")
			rc := fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", filepath.ToSlash(mirror))
			if err := os.WriteFile(cliConfig, []byte(rc), 0o600); err != nil {
				t.Fatal(err)
			}
			config := filepath.Join(work, "config")
			if err := os.Mkdir(config, 0o700); err != nil {
				t.Fatal(err)
			}
			// A pessimistic constraint, as a user writes one: a prerelease
			// version would not match it.
			major, rest, _ := strings.Cut(version, ".")
			minor, _, _ := strings.Cut(rest, ".")
			mainTF := fmt.Sprintf(`terraform {
  required_providers {
    atlasinv = {
      source  = "atlasinv/atlasinv"
      version = "~> %s.%s"
    }
  }
}

data "atlasinv_org_invites" "all" {
  org_id = %q
}

output "invited" {
  value = sort([for i in data.atlasinv_org_invites.all.invites : i.username])
}
`, major, minor, orgID)
			if err := os.WriteFile(filepath.Join(config, "main.tf"), []byte(mainTF), 0o600); err != nil {
				t.Fatal(err)
			}
			// The whole environment: no CLI configuration, plugin cache,
			// home directory (and its implied mirror) or Atlas variables of
			// the machine's.
			env := []string{
				"PATH=" + os.Getenv("PATH"),
				"HOME=" + filepath.Join(work, "home"),
				"TF_CLI_CONFIG_FILE=" + cliConfig,
				"CHECKPOINT_DISABLE=1",
				"TF_IN_AUTOMATION=1",
				"MONGODB_ATLAS_BASE_URL=" + srv.URL,
				"MONGODB_ATLAS_PUBLIC_API_KEY=" + publicKey,
				"MONGODB_ATLAS_PRIVATE_API_KEY=" + privateKey,
			}
			run := func(args ...string) []byte {
				t.Helper()
				cmd := exec.Command(cli, args...)
				cmd.Dir, cmd.Env = config, env
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				if err := cmd.Run(); err != nil {
					t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, stdout.Bytes(), stderr.Bytes())
				}
				return stdout.Bytes()
			}

			run("init", "-no-color", "-input=false")
			lock, err := os.ReadFile(filepath.Join(config, ".terraform.lock.hcl"))
			if err != nil {
				t.Fatalf("init wrote no lock file: %v", err)
			}
			if !bytes.Contains(lock, []byte(`version     = "`+version+`"`)) {
				t.Errorf("the lock file does not select %s:\n%s", version, lock)
			}

			requestsBefore := len(atlas.Requests())
			run("plan", "-no-color", "-input=false", "-out=tfplan")
			var plan struct {
				PlannedValues struct {
					Outputs map[string]struct {
						Value []string `json:"value"`
					} `json:"outputs"`
				} `json:"planned_values"`
			}
			if out := run("show", "-no-color", "-json", "tfplan"); json.Unmarshal(out, &plan) != nil {
				t.Fatalf("show -json: not a plan:\n%s", out)
			}
			if got := plan.PlannedValues.Outputs["invited"].Value; !slices.Equal(got, wantUsers) {
				t.Errorf("the plan's output invited is %q, want the mock's invitations %q", got, wantUsers)
			}
			// The provider that answered is the release's build: its
			// User-Agent carries the version goreleaser gave it.
			requests := atlas.Requests()[requestsBefore:]
			if len(requests) == 0 {
				t.Fatal("the plan sent no request to the mock Atlas")
			}
			for _, r := range requests {
				if !strings.HasPrefix(r.UserAgent, project+"/"+version+" ") {
					t.Errorf("%s %s: User-Agent %q, want the release's %s/%s", r.Method, r.Path, r.UserAgent, project, version)
				}
			}
		})
	}
}
