package provider

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Every diagnostic the tests of this package produce, in one file that a
// person reads to review the provider's words: testdata/diagnostics.golden.
// The provider servers the tests build (factories, processProvider,
// newProtoServer) record the diagnostics of every response; after a run of
// the whole package that passed, TestMain compares what they recorded,
// normalised, sorted and de-duplicated, with the file. A change of wording
// without the file fails make test (its unit step runs the whole package).
//
// Not in the file: what a provider binary built by a test says through a
// CLI the test runs itself (the guides', the README's), which no server of
// this process serves, and Terraform's own diagnostics.

const goldenFile = "testdata/diagnostics.golden"

var updateGolden = flag.Bool("update", false, "rewrite "+goldenFile+" from this run (or set ATLASINV_UPDATE_GOLDEN=1)")

// goldenChildEnv names, in a child test process that a test of this
// package starts (proxy_test.go), the file where the child leaves its
// diagnostics for the parent to collect (childDiagnostics).
const goldenChildEnv = "ATLASINV_GOLDEN_CHILD_OUT"

func TestMain(m *testing.M) {
	code := m.Run()
	if out := os.Getenv(goldenChildEnv); out != "" {
		if err := os.WriteFile(out, []byte(strings.Join(collected.blocks(), "\n\n")), 0o600); err != nil {
			fmt.Fprintf(os.Stderr, "writing the diagnostics for the parent test: %v\n", err)
			code = 1
		}
		os.Exit(code)
	}
	if code == 0 {
		code = checkGolden()
	}
	os.Exit(code)
}

// wholeRun says why this run's collection is not the whole package's, or
// "" when it is: a filtered run, or one without the acceptance tests,
// records only part of the diagnostics.
func wholeRun() string {
	for _, name := range []string{"test.run", "test.skip", "test.bench", "test.fuzz", "test.list"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" {
			return "-" + strings.TrimPrefix(name, "test.") + " is set"
		}
	}
	if os.Getenv("TF_ACC") == "" {
		return "TF_ACC is not set, so the acceptance tests did not run"
	}
	return ""
}

const updateHint = "Review the wording, then rewrite the file from a run of the whole package: " +
	"ATLASINV_UPDATE_GOLDEN=1 make unit, or go test ./internal/provider/ -update with TF_ACC=1 and the " +
	"other variables make unit sets (see CONTRIBUTING.md, Diagnostics)."

// checkGolden compares the collection with the golden file, or rewrites the
// file when asked, and returns the exit code.
func checkGolden() int {
	update := *updateGolden || os.Getenv("ATLASINV_UPDATE_GOLDEN") != ""
	if why := wholeRun(); why != "" {
		if update {
			fmt.Fprintf(os.Stderr, "%s not rewritten: %s; only a run of the whole package records every diagnostic\n", goldenFile, why)
			return 1
		}
		return 0
	}
	got := collected.render()
	if update {
		err := os.MkdirAll(filepath.Dir(goldenFile), 0o755)
		if err == nil {
			err = os.WriteFile(goldenFile, []byte(got), 0o644)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "writing %s: %v\n", goldenFile, err)
			return 1
		}
		return 0
	}
	want, err := os.ReadFile(goldenFile)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%v\n%s\n", err, updateHint)
		return 1
	}
	if string(want) == got {
		return 0
	}
	gone, added := blockDiff(string(want), got)
	fmt.Fprintf(os.Stderr, "The diagnostics the tests produced differ from %s.\n", goldenFile)
	for _, b := range gone {
		fmt.Fprintf(os.Stderr, "\n--- only in %s:\n%s", goldenFile, b)
	}
	for _, b := range added {
		fmt.Fprintf(os.Stderr, "\n+++ only in this run:\n%s", b)
	}
	fmt.Fprintf(os.Stderr, "\n\n%s\n", updateHint)
	return 1
}

// blockDiff lists the diagnostics only in want and only in got.
func blockDiff(want, got string) (gone, added []string) {
	w, g := splitBlocks(want), splitBlocks(got)
	for _, b := range w {
		if !slices.Contains(g, b) {
			gone = append(gone, b)
		}
	}
	for _, b := range g {
		if !slices.Contains(w, b) {
			added = append(added, b)
		}
	}
	return gone, added
}

func splitBlocks(s string) []string {
	var out []string
	for _, b := range strings.Split(s, "\n\n") {
		if strings.HasPrefix(b, "Error: ") || strings.HasPrefix(b, "Warning: ") {
			out = append(out, b)
		}
	}
	return out
}

// diagCollector holds every diagnostic the package's provider servers
// returned, rendered and normalised; tests run in parallel.
type diagCollector struct {
	mu   sync.Mutex
	seen map[string]bool
}

var collected = &diagCollector{seen: map[string]bool{}}

func (c *diagCollector) add(diags []*tfprotov6.Diagnostic) {
	if len(diags) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, d := range diags {
		if d != nil {
			c.seen[renderDiagnostic(d)] = true
		}
	}
}

// blocks are the rendered diagnostics collected, sorted.
func (c *diagCollector) blocks() []string {
	c.mu.Lock()
	blocks := make([]string, 0, len(c.seen))
	for b := range c.seen {
		blocks = append(blocks, b)
	}
	c.mu.Unlock()
	slices.Sort(blocks)
	return blocks
}

func (c *diagCollector) render() string {
	blocks := c.blocks()
	var b strings.Builder
	b.WriteString(goldenHeader)
	for _, block := range blocks {
		b.WriteString("\n\n")
		b.WriteString(block)
	}
	b.WriteString("\n")
	return b.String()
}

const goldenHeader = `# Every diagnostic the tests of internal/provider produce, one per block:
# the severity and summary, the attribute it points at, then the detail.
# Ports, paths of the machine, and the block of a warning given once per
# provider configuration are normalised (golden_test.go says why nothing
# else changes from run to run); blocks are sorted and de-duplicated.
# Written by: ATLASINV_UPDATE_GOLDEN=1 make unit (see CONTRIBUTING.md).`

// childDiagnostics is, for a test that runs this test binary again in a
// child process, the variable to give the child, and a function to call
// once it has run that collects the child's diagnostics here.
func childDiagnostics(t *testing.T) (env string, collect func()) {
	out := filepath.Join(t.TempDir(), "diagnostics")
	return goldenChildEnv + "=" + out, func() {
		raw, err := os.ReadFile(out)
		if err != nil {
			t.Errorf("the child's diagnostics: %v", err)
			return
		}
		collected.mu.Lock()
		defer collected.mu.Unlock()
		for _, b := range strings.Split(string(raw), "\n\n") {
			if b != "" {
				collected.seen[b] = true
			}
		}
	}
}

// renderDiagnostic writes one diagnostic as its block of the golden file.
// Blocks are separated by a blank line, so every line of a block holds
// something: a detail's own blank lines are kept as lines holding "|".
func renderDiagnostic(d *tfprotov6.Diagnostic) string {
	severity := "Error"
	if d.Severity == tfprotov6.DiagnosticSeverityWarning {
		severity = "Warning"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", severity, d.Summary)
	if p := attributePath(d.Attribute); p != "" {
		fmt.Fprintf(&b, "\n  at %s", p)
	}
	detail := d.Detail
	if onceRequestWarnings[d.Summary] {
		detail = firstReadsProject.ReplaceAllString(detail, "/groups/<the project read first>/")
	}
	if onceWarnings[d.Summary] {
		detail = firstReadsBlock.ReplaceAllString(firstReadsLists.ReplaceAllString(detail, "<what the block lists>"),
			"<the atlasinv_org_users block of the read that warned first>")
	}
	for _, line := range strings.Split(strings.TrimRight(detail, "\n"), "\n") {
		b.WriteString(strings.TrimRight("\n  | "+line, " \t"))
	}
	return normalise(b.String())
}

// onceWarnings are the warnings given once per provider configuration,
// with the replacement block of the read that gave them. Terraform runs a
// configuration's reads in parallel, so which read that is, and so the
// block's org_id and username and what it lists, changes from run to run
// in a test with several reads: the golden file shows a placeholder. The
// blocks themselves are in the errors of one read ("Atlas Invitations API
// Retired", "Invitation Ids Unknown To The Organization Users API"). A new
// warning given once per configuration with words of the read that gave it
// (its request, say) belongs here, with what varies replaced.
var onceWarnings = map[string]bool{
	"Atlas Invitations API Is Deprecated":              true,
	"Invitations Read From The Organization Users API": true,
}

// onceRequestWarnings are warnings given once per provider configuration
// with the request of the read that gave them: which project was read first
// changes from run to run.
var onceRequestWarnings = map[string]bool{
	"Project Invitations No Longer Readable": true,
}

var (
	firstReadsProject = regexp.MustCompile(`/groups/[0-9a-f]{24}/`)
	firstReadsLists   = regexp.MustCompile(`This block lists[^\n]*`)
	firstReadsBlock   = regexp.MustCompile(`(?s)data "atlasinv_org_users" "pending" \{\n.*?\n\}`)
)

// attributePath writes a path as Terraform users write it: org_id,
// users[0].username.
func attributePath(p *tftypes.AttributePath) string {
	if p == nil {
		return ""
	}
	var b strings.Builder
	for _, step := range p.Steps() {
		switch s := step.(type) {
		case tftypes.AttributeName:
			if b.Len() > 0 {
				b.WriteString(".")
			}
			b.WriteString(string(s))
		case tftypes.ElementKeyString:
			fmt.Fprintf(&b, "[%q]", string(s))
		case tftypes.ElementKeyInt:
			fmt.Fprintf(&b, "[%d]", int64(s))
		default:
			b.WriteString("[*]")
		}
	}
	return b.String()
}

// machinePath is a path under one of machineDirs, once replaced: what
// follows the directory holds a test's random temporary names.
var machinePath = regexp.MustCompile(`<dir>[^\s"'),;:]*`)

// loopbackPort is a port on loopback: every test's mock listens on a port
// of its own, and a connection leaves from another.
var loopbackPort = regexp.MustCompile(`(127\.0\.0\.1|localhost|\[::1\]):\d+`)

// normalise replaces the parts of a rendered diagnostic that differ from
// one run to the next: every path of the machine that ran it, and ports.
// The ports of one diagnostic are told apart, <port1>, <port2>, in the
// order they first appear (a redirect from one server to another), or
// <port> when there is one.
//
// The tests' other changing parts stay out of the diagnostics: the mock's
// dates are fixed (or relative to now only in state, never in a
// diagnostic), ids come from fixtures, secrets are redacted as
// "(redacted)", and durations are configured ones (request_timeout), never
// measured. What a race decides is left out where it is rendered
// (onceWarnings).
func normalise(s string) string {
	for _, dir := range machineDirs() {
		s = strings.ReplaceAll(s, dir, "<dir>")
	}
	s = machinePath.ReplaceAllString(s, "<path>")
	ports := map[string]string{}
	var order []string
	for _, m := range loopbackPort.FindAllStringSubmatch(s, -1) {
		port := strings.TrimPrefix(m[0], m[1]+":")
		if _, seen := ports[port]; !seen {
			ports[port] = ""
			order = append(order, port)
		}
	}
	for i, port := range order {
		ports[port] = "<port>"
		if len(order) > 1 {
			ports[port] = fmt.Sprintf("<port%d>", i+1)
		}
	}
	return loopbackPort.ReplaceAllStringFunc(s, func(hostPort string) string {
		i := strings.LastIndex(hostPort, ":")
		return hostPort[:i+1] + ports[hostPort[i+1:]]
	})
}

// machineDirs are the directories of this machine a diagnostic may name,
// longest first: the temporary directory, the repository's, the home.
var machineDirs = sync.OnceValue(func() []string {
	var dirs []string
	for _, get := range []func() (string, error){
		func() (string, error) { return os.TempDir(), nil }, func() (string, error) { return filepath.Abs("../..") },
		os.UserHomeDir, os.UserCacheDir,
	} {
		if d, err := get(); err == nil && len(d) > 1 {
			dirs = append(dirs, d)
			if resolved, err := filepath.EvalSymlinks(d); err == nil && resolved != d {
				dirs = append(dirs, resolved)
			}
		}
	}
	slices.SortFunc(dirs, func(a, b string) int { return len(b) - len(a) })
	return dirs
})

// recorded wraps a provider server so that the diagnostics of its answers
// are collected.
func recorded(server tfprotov6.ProviderServer, err error) (tfprotov6.ProviderServer, error) {
	return (*diagSink)(nil).recorded(server, err)
}

// recorded is recorded that also gives the sink, when not nil, every
// diagnostic of the server's answers, for a test to check what a CLI showed
// beside an error (ExpectError sees the errors only).
func (s *diagSink) recorded(server tfprotov6.ProviderServer, err error) (tfprotov6.ProviderServer, error) {
	if err != nil {
		return nil, err
	}
	return recordingServer{server, s}, nil
}

// diagSink holds the diagnostics of one test's provider servers.
type diagSink struct {
	mu    sync.Mutex
	diags []*tfprotov6.Diagnostic
}

// all returns what the sink holds.
func (s *diagSink) all() []*tfprotov6.Diagnostic {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.diags)
}

// recordingServer is a provider server that records the diagnostics of
// every response of the calls this provider answers.
type recordingServer struct {
	tfprotov6.ProviderServer
	sink *diagSink
}

func (s recordingServer) record(diags []*tfprotov6.Diagnostic) {
	collected.add(diags)
	if s.sink != nil && len(diags) > 0 {
		s.sink.mu.Lock()
		s.sink.diags = append(s.sink.diags, diags...)
		s.sink.mu.Unlock()
	}
}

func (s recordingServer) GetMetadata(ctx context.Context, req *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	resp, err := s.ProviderServer.GetMetadata(ctx, req)
	if resp != nil {
		s.record(resp.Diagnostics)
	}
	return resp, err
}

func (s recordingServer) GetProviderSchema(ctx context.Context, req *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	resp, err := s.ProviderServer.GetProviderSchema(ctx, req)
	if resp != nil {
		s.record(resp.Diagnostics)
	}
	return resp, err
}

func (s recordingServer) ValidateProviderConfig(ctx context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	resp, err := s.ProviderServer.ValidateProviderConfig(ctx, req)
	if resp != nil {
		s.record(resp.Diagnostics)
	}
	return resp, err
}

func (s recordingServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	resp, err := s.ProviderServer.ConfigureProvider(ctx, req)
	if resp != nil {
		s.record(resp.Diagnostics)
	}
	return resp, err
}

func (s recordingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	resp, err := s.ProviderServer.ValidateDataResourceConfig(ctx, req)
	if resp != nil {
		s.record(resp.Diagnostics)
	}
	return resp, err
}

func (s recordingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	resp, err := s.ProviderServer.ReadDataSource(ctx, req)
	if resp != nil {
		s.record(resp.Diagnostics)
	}
	return resp, err
}

// TestGoldenNormalise: what changes from run to run is replaced, and the
// ports of one diagnostic stay apart.
func TestGoldenNormalise(t *testing.T) {
	tmp := filepath.Join(t.TempDir(), "cli.tfrc")
	for in, want := range map[string]string{
		"to http://127.0.0.1:4242, another origin than base_url's (http://127.0.0.1:80)":            "to http://127.0.0.1:<port1>, another origin than base_url's (http://127.0.0.1:<port2>)",
		"at http://127.0.0.1:4242 after 2 attempts: read tcp 127.0.0.1:5151->127.0.0.1:4242: reset": "at http://127.0.0.1:<port1> after 2 attempts: read tcp 127.0.0.1:<port2>->127.0.0.1:<port1>: reset",
		"Request: GET http://localhost:4242/api, Base URL: http://localhost:4242":                   "Request: GET http://localhost:<port>/api, Base URL: http://localhost:<port>",
		"reading " + tmp + ": denied": "reading <path>: denied",
		"(" + tmp + ")":               "(<path>)",
	} {
		if got := normalise(in); got != want {
			t.Errorf("normalise(%q) = %q, want %q", in, got, want)
		}
	}
}
