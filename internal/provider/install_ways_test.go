package provider

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// The ways "Install" in the provider's documentation (templates/
// index.md.tmpl) gives to install atlasinv, each run through the CLI as a
// user runs it: from zip files packed as a release's (the names and the
// layout of .goreleaser.yml), through the CLI configurations of
// examples/install/ and the commands of the page, read from there so that
// the page cannot drift from what runs; then a plan against the mock Atlas.
// The page's placeholders (a directory, a URL) are replaced by the test's
// own, and the test fails if one is missing.
//
// A real registry cannot be reached from here: the registry way and
// `providers mirror`, which only ever downloads from a registry, run
// against a stand-in that serves the registry protocol on the loopback
// address, with the release's files and a signature of its SHA256SUMS.

const (
	installExamples = "../../examples/install"
	installPage     = "../../templates/index.md.tmpl"
	// The placeholders of the page and of its CLI configurations.
	pageMirrorDir = "/opt/terraform/providers"
	pageMirrorURL = "https://terraform-mirror.example.com/providers/"
	releaseName   = "terraform-provider-atlasinv"
)

// hostPlatform is the platform the CLIs run on, in Terraform's OS_ARCH form.
var hostPlatform = runtime.GOOS + "_" + runtime.GOARCH

// testRelease is a release as goreleaser lays it out in dist/: one zip per
// platform, the SHA256SUMS file and the registry manifest, in dir.
type testRelease struct {
	dir, version string
	binary       string            // this machine's build, as the zip of its platform holds it
	zips         map[string]string // OS_ARCH: the zip's file name
}

func (r *testRelease) zipPath(platform string) string {
	return filepath.Join(r.dir, r.zips[platform])
}

func (r *testRelease) sumsName() string {
	return fmt.Sprintf("%s_%s_SHA256SUMS", releaseName, r.version)
}

// packRelease builds the provider for this machine and packs a release of
// version for platforms (this machine's added if missing). The zip of
// another platform holds a stand-in for its binary: nothing here runs it,
// and locking or mirroring it only hashes the zip and its files.
func packRelease(t *testing.T, version string, platforms []string) *testRelease {
	t.Helper()
	root := filepath.Join("..", "..")
	work := t.TempDir()
	rel := &testRelease{dir: filepath.Join(work, "release"), version: version, binary: filepath.Join(work, "provider"), zips: map[string]string{}}
	if err := os.Mkdir(rel.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("building the provider: %v", err)
	}
	// The version as goreleaser sets it; only the link step differs from a
	// plain go build, so the compiled packages come from the build cache.
	bin := rel.binary
	build := exec.Command(goTool, "build", "-ldflags", "-X main.version="+version, "-o", bin, ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	built, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	// goreleaser's archives hold the README and the CHANGELOG next to the
	// binary (its default files).
	var extras []zipEntry
	for _, name := range []string{"CHANGELOG.md", "README.md"} {
		body, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		extras = append(extras, zipEntry{name: name, body: body, mode: 0o644})
	}
	if !slices.Contains(platforms, hostPlatform) {
		platforms = append(slices.Clone(platforms), hostPlatform)
	}
	for _, p := range platforms {
		binary := fmt.Sprintf("%s_v%s", releaseName, version)
		body := built
		if strings.HasPrefix(p, "windows_") {
			binary += ".exe"
		}
		if p != hostPlatform {
			body = []byte("a stand-in for the " + p + " build of " + releaseName + "\n")
		}
		name := fmt.Sprintf("%s_%s_%s.zip", releaseName, version, p)
		writeZip(t, filepath.Join(rel.dir, name), append([]zipEntry{{name: binary, body: body, mode: 0o755}}, extras...))
		rel.zips[p] = name
	}
	manifest, err := os.ReadFile(filepath.Join(root, "terraform-registry-manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	manifestName := fmt.Sprintf("%s_%s_manifest.json", releaseName, version)
	if err := os.WriteFile(filepath.Join(rel.dir, manifestName), manifest, 0o600); err != nil {
		t.Fatal(err)
	}
	// SHA256SUMS as goreleaser writes it: "<sum>  <name>", sorted by name.
	names := append(slices.Collect(func(yield func(string) bool) {
		for _, n := range rel.zips {
			if !yield(n) {
				return
			}
		}
	}), manifestName)
	slices.Sort(names)
	var sums strings.Builder
	for _, n := range names {
		fmt.Fprintf(&sums, "%s  %s\n", fileSHA256(t, filepath.Join(rel.dir, n)), n)
	}
	if err := os.WriteFile(filepath.Join(rel.dir, rel.sumsName()), []byte(sums.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return rel
}

type zipEntry struct {
	name string
	body []byte
	mode os.FileMode
}

func writeZip(t *testing.T, path string, entries []zipEntry) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		h.SetMode(e.mode)
		w, err := zw.CreateHeader(h)
		if err == nil {
			_, err = w.Write(e.body)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// zipH1 is the "h1:" hash Terraform and OpenTofu record for a provider
// package: the SHA-256 of the lines "<SHA-256 of the file>  <name>" of its
// files, sorted by name, in base64 (Go modules' dirhash Hash1).
func zipH1(t *testing.T, path string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	files := slices.Clone(zr.File)
	slices.SortFunc(files, func(a, b *zip.File) int { return strings.Compare(a.Name, b.Name) })
	summary := sha256.New()
	for _, f := range files {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		_, err = io.Copy(h, r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(summary, "%x  %s\n", h.Sum(nil), f.Name)
	}
	return "h1:" + base64.StdEncoding.EncodeToString(summary.Sum(nil))
}

// releaseVersion is the version make install and make release give the
// provider: CHANGELOG.md's top entry, as scripts/version.sh reads it.
func releaseVersion(t *testing.T) string {
	t.Helper()
	cmd := exec.Command("bash", "scripts/version.sh")
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("scripts/version.sh: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// packedMirror lays rel's zips out as a filesystem mirror in the packed
// layout, under both CLIs' registry hosts.
func packedMirror(t *testing.T, rel *testRelease) string {
	t.Helper()
	dir := t.TempDir()
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		d := filepath.Join(dir, host, "atlasinv", "atlasinv")
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
		for _, name := range rel.zips {
			if err := os.Link(filepath.Join(rel.dir, name), filepath.Join(d, name)); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// cliFlavour tells Terraform from OpenTofu by what the CLI says it is.
type cliFlavour struct {
	path, name, host string
}

var cliFlavours sync.Map // path: cliFlavour

func flavourOf(t *testing.T, cli string) cliFlavour {
	t.Helper()
	if f, ok := cliFlavours.Load(cli); ok {
		return f.(cliFlavour) //nolint:forcetypeassert // only cliFlavour is stored
	}
	out, err := exec.Command(cli, "version").Output()
	if err != nil {
		t.Fatalf("%s version: %v", cli, err)
	}
	f := cliFlavour{path: cli, name: "terraform", host: "registry.terraform.io"}
	if bytes.Contains(out, []byte("OpenTofu v")) {
		f = cliFlavour{path: cli, name: "opentofu", host: "registry.opentofu.org"}
	}
	cliFlavours.Store(cli, f)
	return f
}

// waysCLIs are the CLIs an install test runs: the suite's own, and on
// the Terraform runs OpenTofu as well when ATLASINV_TOFU_PATH names it (make
// test does); noTofu says why OpenTofu does not run, if it does not.
func waysCLIs(t *testing.T) (clis []cliFlavour, noTofu string) {
	t.Helper()
	main := flavourOf(t, guideCLI(t))
	clis = []cliFlavour{main}
	if main.name == "terraform" {
		if tofu := os.Getenv("ATLASINV_TOFU_PATH"); tofu != "" {
			clis = append(clis, flavourOf(t, tofu))
		} else {
			noTofu = "OpenTofu: set ATLASINV_TOFU_PATH to an OpenTofu CLI (make test does: bash scripts/install-cli.sh tofu 1.12.6), or run the suite under OpenTofu"
		}
	}
	return clis, noTofu
}

// isolatedCLIEnv is the whole environment of a CLI an install test runs: this
// process's, without any TF_ or XDG_ variable, SSL_CERT_FILE or Atlas
// credentials of the machine; an empty home, so that no CLI configuration
// and no implied local mirror of the machine (make install's) count; the
// CLI configuration cliConfig; then extra (NAME=value).
func isolatedCLIEnv(t *testing.T, cliConfig string, extra ...string) []string {
	t.Helper()
	home := t.TempDir()
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "XDG_") ||
			name == "HOME" || name == "SSL_CERT_FILE" || slices.Contains(allCredentialEnvs, name) {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, "config"), "XDG_DATA_HOME="+filepath.Join(home, "data"),
		"XDG_DATA_DIRS="+filepath.Join(home, "shared"),
		"TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	return append(env, extra...)
}

// demoAtlasEnv starts a mock Atlas with the demo organization and returns
// the variables that point the provider at it.
func demoAtlasEnv(t *testing.T) []string {
	t.Helper()
	m := mockatlas.New()
	m.LoadDemo()
	srv := m.Start()
	t.Cleanup(srv.Close)
	return []string{"MONGODB_ATLAS_BASE_URL=" + srv.URL,
		"MONGODB_ATLAS_PUBLIC_API_KEY=" + mockatlas.DemoPublicKey,
		"MONGODB_ATLAS_PRIVATE_API_KEY=" + mockatlas.DemoPrivateKey}
}

// pageCLIConfig writes the CLI configuration examples/install/<name>, with
// the page's placeholder replaced by value, and returns its path.
func pageCLIConfig(t *testing.T, name, placeholder, value string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(installExamples, name))
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	if strings.Count(text, `"`+placeholder+`"`) != 1 {
		t.Fatalf("examples/install/%s: want the placeholder %q once, quoted; the test replaces it with its own", name, placeholder)
	}
	path := filepath.Join(t.TempDir(), "cli.tfrc")
	if err := os.WriteFile(path, []byte(strings.Replace(text, placeholder, value, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// pageCommand is the one line of the install page that starts with prefix,
// as its words, with the page's mirror directory replaced by dir and the
// CLI's name by cli.
func pageCommand(t *testing.T, prefix, cli, dir string) []string {
	t.Helper()
	raw, err := os.ReadFile(installPage)
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for line := range strings.Lines(string(raw)) {
		if strings.HasPrefix(strings.TrimSpace(line), prefix) {
			found = append(found, strings.TrimSpace(line))
		}
	}
	if len(found) != 1 {
		t.Fatalf("templates/index.md.tmpl: want one line that starts with %q, found %d", prefix, len(found))
	}
	if !strings.Contains(found[0], pageMirrorDir) {
		t.Fatalf("templates/index.md.tmpl: %q does not name the mirror %s", found[0], pageMirrorDir)
	}
	words := strings.Fields(strings.ReplaceAll(found[0], pageMirrorDir, dir))
	words[0] = cli
	return words
}

// platformsOf are the -platform values of a command.
func platformsOf(words []string) []string {
	var out []string
	for _, w := range words {
		if p, ok := strings.CutPrefix(w, "-platform="); ok {
			out = append(out, p)
		}
	}
	return out
}

// waysConfig copies examples/install/main.tf, the configuration the page
// tries an installation with, into a new directory.
func waysConfig(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	raw, err := os.ReadFile(filepath.Join(installExamples, "main.tf"))
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "main.tf"), raw, 0o600)
	}
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// runCLIFailing runs the CLI like runCLI, but expects it to fail, and
// returns what it printed on both outputs.
func runCLIFailing(t *testing.T, cli, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(cli, args...)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("%s %s: want a failure, got %v\n%s", filepath.Base(cli), args[0], err, out)
	}
	return string(out)
}

// lockEntry is the one provider of a dependency lock file.
type lockEntry struct {
	address, version string
	hashes           []string
}

var (
	lockProvider = regexp.MustCompile(`(?m)^provider "([^"]+)" \{`)
	lockVersion  = regexp.MustCompile(`(?m)^\s+version\s+= "([^"]+)"`)
	lockHash     = regexp.MustCompile(`"((?:h1|zh):[^"]+)"`)
)

func readLockFile(t *testing.T, dir string) lockEntry {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, ".terraform.lock.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	providers := lockProvider.FindAllStringSubmatch(string(raw), -1)
	version := lockVersion.FindStringSubmatch(string(raw))
	if len(providers) != 1 || version == nil {
		t.Fatalf("the lock file does not hold one provider with its version:\n%s", raw)
	}
	e := lockEntry{address: providers[0][1], version: version[1]}
	for _, m := range lockHash.FindAllStringSubmatch(string(raw), -1) {
		e.hashes = append(e.hashes, m[1])
	}
	slices.Sort(e.hashes)
	return e
}

// checkLock fails unless the lock file of dir records atlasinv at rel's
// version under the CLI's host, with exactly the hashes want.
func checkLock(t *testing.T, dir string, cli cliFlavour, rel *testRelease, want ...string) {
	t.Helper()
	got := readLockFile(t, dir)
	if address := cli.host + "/atlasinv/atlasinv"; got.address != address || got.version != rel.version {
		t.Errorf("the lock file records %s %s, want %s %s", got.address, got.version, address, rel.version)
	}
	want = slices.Clone(want)
	slices.Sort(want)
	if !slices.Equal(got.hashes, want) {
		t.Errorf("the lock file's hashes:\n  %s\nwant:\n  %s", strings.Join(got.hashes, "\n  "), strings.Join(want, "\n  "))
	}
}

// initAndPlan runs init, then a plan that must read the demo organization
// through the installed provider.
func initAndPlan(t *testing.T, cli cliFlavour, dir string, env []string) {
	t.Helper()
	out := runCLI(t, cli.path, dir, env, "init", "-no-color", "-input=false")
	if !bytes.Contains(out, []byte("atlasinv/atlasinv v")) {
		t.Errorf("init does not say it installed atlasinv/atlasinv:\n%s", out)
	}
	if plan := runCLI(t, cli.path, dir, env, "plan", "-no-color", "-input=false", "-lock=false"); !bytes.Contains(plan, []byte(`"`+mockatlas.DemoOrgName+`"`)) {
		t.Errorf("the plan does not list the demo organization %q:\n%s", mockatlas.DemoOrgName, plan)
	}
}

// tlsFiles serves h over https on the loopback address and returns its URL
// and a file holding its certificate, for SSL_CERT_FILE: Go on Linux and
// the other Unix systems but macOS reads the trusted certificates from
// there. On macOS and Windows the CLI asks the system, which a test cannot
// teach a certificate.
func tlsFiles(t *testing.T, h http.Handler) (url, certFile string) {
	t.Helper()
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		t.Skip("https to a test server needs SSL_CERT_FILE, which Go ignores on " + runtime.GOOS)
	}
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	certFile = filepath.Join(t.TempDir(), "cert.pem")
	block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(certFile, block, 0o600); err != nil {
		t.Fatal(err)
	}
	return srv.URL, certFile
}

// countingFiles serves dir under prefix and counts the zip files served.
func countingFiles(prefix, dir string, zips *atomic.Int32) http.Handler {
	files := http.StripPrefix(prefix, http.FileServer(http.Dir(dir)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".zip") {
			zips.Add(1)
		}
		files.ServeHTTP(w, r)
	})
}

func TestAccInstallWays(t *testing.T) {
	t.Parallel()
	clis, noTofu := waysCLIs(t)
	lockWords := pageCommand(t, "terraform providers lock ", "terraform", pageMirrorDir)
	mirrorWords := pageCommand(t, "terraform providers mirror ", "terraform", pageMirrorDir)
	platforms := platformsOf(lockWords)
	if len(platforms) < 2 {
		t.Fatalf("the page's providers lock names %d platforms; it is there to lock several", len(platforms))
	}
	for _, p := range platformsOf(mirrorWords) {
		if !slices.Contains(platforms, p) {
			platforms = append(platforms, p)
		}
	}
	rel := packRelease(t, releaseVersion(t), platforms)
	atlas := demoAtlasEnv(t)

	for _, cli := range clis {
		t.Run(cli.name, func(t *testing.T) {
			t.Parallel()
			t.Run("filesystem_mirror", func(t *testing.T) { installFromFilesystemMirror(t, cli, rel, atlas) })
			t.Run("providers_lock", func(t *testing.T) { lockEveryPlatform(t, cli, rel, atlas) })
			t.Run("network_mirror", func(t *testing.T) { installFromNetworkMirror(t, cli, rel, atlas) })
			t.Run("registry_stand_in_and_providers_mirror", func(t *testing.T) { installFromRegistryStandIn(t, cli, rel, atlas) })
			t.Run("implied_local_mirror_traps", func(t *testing.T) { impliedLocalMirrorTraps(t, cli, rel, atlas) })
		})
	}
	if noTofu != "" {
		t.Run("opentofu", func(t *testing.T) { t.Skip(noTofu) })
	}
}

// The release's zips in a directory, through the page's filesystem_mirror:
// init installs this machine's zip and locks its hash alone.
func installFromFilesystemMirror(t *testing.T, cli cliFlavour, rel *testRelease, atlas []string) {
	cfg := pageCLIConfig(t, "filesystem-mirror.tfrc", pageMirrorDir, filepath.ToSlash(packedMirror(t, rel)))
	dir := waysConfig(t)
	initAndPlan(t, cli, dir, isolatedCLIEnv(t, cfg, atlas...))
	checkLock(t, dir, cli, rel, zipH1(t, rel.zipPath(hostPlatform)))
}

// The page's providers lock, from the same mirror: one hash per platform
// named, and an init that then installs from the mirror against that lock
// file. A lock file without this machine's platform makes init fail, which
// is why the page locks every platform.
func lockEveryPlatform(t *testing.T, cli cliFlavour, rel *testRelease, atlas []string) {
	mirror := packedMirror(t, rel)
	cfg := pageCLIConfig(t, "filesystem-mirror.tfrc", pageMirrorDir, filepath.ToSlash(mirror))
	env := isolatedCLIEnv(t, cfg, atlas...)
	words := pageCommand(t, "terraform providers lock ", cli.path, mirror)
	dir := waysConfig(t)
	runCLI(t, cli.path, dir, env, words[1:]...)
	var want []string
	for _, p := range platformsOf(words) {
		want = append(want, zipH1(t, rel.zipPath(p)))
	}
	checkLock(t, dir, cli, rel, want...)
	initAndPlan(t, cli, dir, env)
	checkLock(t, dir, cli, rel, want...)

	var other string
	for _, p := range platformsOf(words) {
		if p != hostPlatform {
			other = p
			break
		}
	}
	dir = waysConfig(t)
	runCLI(t, cli.path, dir, env, "providers", "lock", "-fs-mirror="+mirror, "-platform="+other)
	out := runCLIFailing(t, cli.path, dir, env, "init", "-no-color", "-input=false")
	if !strings.Contains(out, "checksums") {
		t.Errorf("init against a lock file of %s alone: want a failure about the checksums, got:\n%s", other, out)
	}
}

// The page's network-mirror.sh lays the release out, an https server
// serves it, and init installs through the page's network_mirror, checking
// the zip against the SHA256SUMS hash the script gave it: a wrong one fails
// init. OpenTofu records that hash in the lock file next to the package's
// own; Terraform records a mirror's hashes only when they are signed. An
// http URL is refused.
func installFromNetworkMirror(t *testing.T, cli cliFlavour, rel *testRelease, atlas []string) {
	mirror := t.TempDir()
	script := exec.Command("sh", filepath.Join(installExamples, "network-mirror.sh"), rel.dir, mirror)
	if out, err := script.CombinedOutput(); err != nil {
		t.Fatalf("network-mirror.sh: %v\n%s", err, out)
	}
	var zips atomic.Int32
	url, certFile := tlsFiles(t, countingFiles("/providers/", mirror, &zips))
	cfg := pageCLIConfig(t, "network-mirror.tfrc", pageMirrorURL, url+"/providers/")
	env := isolatedCLIEnv(t, cfg, append(atlas, "SSL_CERT_FILE="+certFile)...)
	dir := waysConfig(t)
	initAndPlan(t, cli, dir, env)
	want := []string{zipH1(t, rel.zipPath(hostPlatform))}
	if cli.name == "opentofu" {
		want = append(want, "zh:"+fileSHA256(t, rel.zipPath(hostPlatform)))
	}
	checkLock(t, dir, cli, rel, want...)
	if zips.Load() != 1 {
		t.Errorf("the network mirror served %d zip files, want 1", zips.Load())
	}

	versionJSON := filepath.Join(mirror, cli.host, "atlasinv", "atlasinv", rel.version+".json")
	raw, err := os.ReadFile(versionJSON)
	if err != nil {
		t.Fatal(err)
	}
	sum := fileSHA256(t, rel.zipPath(hostPlatform))
	if !bytes.Contains(raw, []byte("zh:"+sum)) {
		t.Fatalf("network-mirror.sh gave %s no hash zh:%s:\n%s", rel.zips[hostPlatform], sum, raw)
	}
	wrong := strings.Repeat("0", len(sum))
	if err := os.WriteFile(versionJSON, bytes.ReplaceAll(raw, []byte(sum), []byte(wrong)), 0o600); err != nil {
		t.Fatal(err)
	}
	out := runCLIFailing(t, cli.path, waysConfig(t), env, "init", "-no-color", "-input=false")
	if !strings.Contains(out, "zh:"+wrong) {
		t.Errorf("init from a network mirror that gives a wrong hash: want a failure that names it, got:\n%s", out)
	}

	cfg = pageCLIConfig(t, "network-mirror.tfrc", pageMirrorURL, strings.Replace(url, "https://", "http://", 1)+"/providers/")
	out = runCLIFailing(t, cli.path, waysConfig(t), isolatedCLIEnv(t, cfg, atlas...), "init", "-no-color", "-input=false")
	if !strings.Contains(out, "https") {
		t.Errorf("init through an http network mirror: want a refusal that says https, got:\n%s", out)
	}
}

// A stand-in registry serves the release, and init installs from it with
// no provider_installation at all: the registry way, with the lock file
// recording every platform's zip hash from the signed SHA256SUMS. Then the
// page's providers mirror fills a directory from it, which works as a
// filesystem mirror as it is and as a network mirror over https.
func installFromRegistryStandIn(t *testing.T, cli cliFlavour, rel *testRelease, atlas []string) {
	registryURL, certFile, _ := serveRegistry(t, rel)
	env := isolatedCLIEnv(t, registryCLIConfig(t, registryURL), append(atlas, "SSL_CERT_FILE="+certFile)...)
	dir := waysConfig(t)
	initAndPlan(t, cli, dir, env)
	// Every line of the signed SHA256SUMS counts, the manifest's included.
	want := []string{zipH1(t, rel.zipPath(hostPlatform))}
	sums, err := os.ReadFile(filepath.Join(rel.dir, rel.sumsName()))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(sums)) {
		want = append(want, "zh:"+strings.Fields(line)[0])
	}
	checkLock(t, dir, cli, rel, want...)

	filled := t.TempDir()
	words := pageCommand(t, "terraform providers mirror ", cli.path, filled)
	runCLI(t, cli.path, dir, env, words[1:]...)
	hostDir := filepath.Join(filled, cli.host, "atlasinv", "atlasinv")
	for _, p := range platformsOf(words) {
		if got, want := fileSHA256(t, filepath.Join(hostDir, rel.zips[p])), fileSHA256(t, rel.zipPath(p)); got != want {
			t.Errorf("providers mirror: %s is not the release's zip", rel.zips[p])
		}
	}
	for _, index := range []string{"index.json", rel.version + ".json"} {
		if _, err := os.Stat(filepath.Join(hostDir, index)); err != nil {
			t.Errorf("providers mirror wrote no %s: %v", index, err)
		}
	}

	t.Run("as a filesystem mirror", func(t *testing.T) {
		cfg := pageCLIConfig(t, "filesystem-mirror.tfrc", pageMirrorDir, filepath.ToSlash(filled))
		initAndPlan(t, cli, waysConfig(t), isolatedCLIEnv(t, cfg, atlas...))
	})
	t.Run("as a network mirror", func(t *testing.T) {
		var zips atomic.Int32
		url, certFile := tlsFiles(t, countingFiles("/providers/", filled, &zips))
		cfg := pageCLIConfig(t, "network-mirror.tfrc", pageMirrorURL, url+"/providers/")
		initAndPlan(t, cli, waysConfig(t), isolatedCLIEnv(t, cfg, append(atlas, "SSL_CERT_FILE="+certFile)...))
		if zips.Load() != 1 {
			t.Errorf("the network mirror served %d zip files, want 1", zips.Load())
		}
	})
}

// serveRegistry serves rel through the provider registry protocol over
// https, under both hosts' addresses atlasinv/atlasinv: the versions, each
// platform's download with the SHA256SUMS, its detached signature and the
// public key of a key made for the test. The protocols are those of the
// registry manifest that a release carries.
func serveRegistry(t *testing.T, rel *testRelease) (url, certFile string, asked *atomic.Int32) {
	t.Helper()
	manifest, err := os.ReadFile(filepath.Join(rel.dir, fmt.Sprintf("%s_%s_manifest.json", releaseName, rel.version)))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(manifest, &m); err != nil || len(m.Metadata.ProtocolVersions) == 0 {
		t.Fatalf("the registry manifest names no protocol version (%v):\n%s", err, manifest)
	}
	sums, err := os.ReadFile(filepath.Join(rel.dir, rel.sumsName()))
	if err != nil {
		t.Fatal(err)
	}
	key, err := openpgp.NewEntity("atlasinv test release", "", "release@example.invalid", &packet.Config{RSABits: 2048})
	if err != nil {
		t.Fatal(err)
	}
	var signature, public bytes.Buffer
	if err := openpgp.DetachSign(&signature, key, bytes.NewReader(sums), nil); err != nil {
		t.Fatal(err)
	}
	w, err := armor.Encode(&public, openpgp.PublicKeyType, nil)
	if err == nil {
		err = key.Serialize(w)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		t.Fatal(err)
	}

	type platform struct {
		OS   string `json:"os"`
		Arch string `json:"arch"`
	}
	var platforms []platform
	shasum := map[string]string{} // zip file name: its SHA-256
	for p, name := range rel.zips {
		goos, goarch, _ := strings.Cut(p, "_")
		platforms = append(platforms, platform{goos, goarch})
		shasum[name] = fileSHA256(t, filepath.Join(rel.dir, name))
	}
	// The URLs of a download are relative: the CLIs resolve them against
	// the download's own URL.
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/providers/atlasinv/atlasinv/versions", func(w http.ResponseWriter, _ *http.Request) {
		registryJSON(w, map[string]any{"versions": []any{map[string]any{
			"version": rel.version, "protocols": m.Metadata.ProtocolVersions, "platforms": platforms,
		}}})
	})
	mux.HandleFunc("GET /v1/providers/atlasinv/atlasinv/{version}/download/{os}/{arch}", func(w http.ResponseWriter, r *http.Request) {
		name, ok := rel.zips[r.PathValue("os")+"_"+r.PathValue("arch")]
		if r.PathValue("version") != rel.version || !ok {
			http.NotFound(w, r)
			return
		}
		registryJSON(w, map[string]any{
			"protocols": m.Metadata.ProtocolVersions, "os": r.PathValue("os"), "arch": r.PathValue("arch"),
			"filename": name, "download_url": "/files/" + name, "shasum": shasum[name],
			"shasums_url":           "/files/" + rel.sumsName(),
			"shasums_signature_url": "/files/" + rel.sumsName() + ".sig",
			"signing_keys": map[string]any{"gpg_public_keys": []any{map[string]any{
				"key_id": key.PrimaryKey.KeyIdString(), "ascii_armor": public.String(),
			}}},
		})
	})
	mux.HandleFunc("GET /files/{name}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("name") == rel.sumsName()+".sig" {
			_, _ = w.Write(signature.Bytes())
			return
		}
		http.ServeFile(w, r, filepath.Join(rel.dir, filepath.Base(r.PathValue("name"))))
	})
	asked = new(atomic.Int32)
	url, certFile = tlsFiles(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		mux.ServeHTTP(w, r)
	}))
	return url, certFile, asked
}

// registryCLIConfig is a CLI configuration that sends both CLIs' registry
// hosts to the stand-in registry at url, and has no provider_installation.
func registryCLIConfig(t *testing.T, url string) string {
	t.Helper()
	var rc strings.Builder
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		fmt.Fprintf(&rc, "host %q {\n  services = {\n    \"providers.v1\" = %q\n  }\n}\n", host, url+"/v1/providers/")
	}
	path := filepath.Join(t.TempDir(), "cli.tfrc")
	if err := os.WriteFile(path, []byte(rc.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func registryJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// The two traps of the implied local mirror that make install fills, in
// the unpacked layout make install uses: with atlasinv there, init never
// asks the registry for it, though one serves it; and once the same
// version is reinstalled with other code (here, bytes appended to the
// binary), init fails against the lock file, init -upgrade too, until the
// lock file's entry is deleted.
func impliedLocalMirrorTraps(t *testing.T, cli cliFlavour, rel *testRelease, atlas []string) {
	registryURL, certFile, asked := serveRegistry(t, rel)
	home := t.TempDir()
	bin := filepath.Join(home, ".terraform.d", "plugins", cli.host, "atlasinv", "atlasinv", rel.version, hostPlatform,
		fmt.Sprintf("%s_v%s", releaseName, rel.version))
	built, err := os.ReadFile(rel.binary)
	if err == nil {
		err = os.MkdirAll(filepath.Dir(bin), 0o700)
	}
	if err == nil {
		err = os.WriteFile(bin, built, 0o700)
	}
	if err != nil {
		t.Fatal(err)
	}
	env := isolatedCLIEnv(t, registryCLIConfig(t, registryURL), append(atlas, "SSL_CERT_FILE="+certFile, "HOME="+home)...)
	dir := waysConfig(t)
	initAndPlan(t, cli, dir, env)
	if n := asked.Load(); n != 0 {
		t.Errorf("with atlasinv in the implied local mirror, init asked the registry %d times, want none", n)
	}
	before := readLockFile(t, dir)

	if err := os.WriteFile(bin, append(built, "other code"...), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"init"}, {"init", "-upgrade"}} {
		out := runCLIFailing(t, cli.path, dir, env, append(args, "-no-color", "-input=false")...)
		if !strings.Contains(out, "checksums") {
			t.Errorf("%s after a reinstall of the same version: want a failure about the checksums, got:\n%s", strings.Join(args, " "), out)
		}
	}
	if err := os.Remove(filepath.Join(dir, ".terraform.lock.hcl")); err != nil {
		t.Fatal(err)
	}
	initAndPlan(t, cli, dir, env)
	if after := readLockFile(t, dir); slices.Equal(after.hashes, before.hashes) {
		t.Errorf("the lock file kept the hashes of the first install: %v", after.hashes)
	}
	if n := asked.Load(); n != 0 {
		t.Errorf("init asked the registry %d times, want none", n)
	}
}
