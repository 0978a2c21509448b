package provider

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// The guide "Run the audit in CI" (templates/guides/run-audit-in-ci.md.tmpl)
// embeds the files of guideCIDir: the configuration, the GitHub Actions
// workflow audit.yml and the shell script audit.sh. These tests run what the
// workflow and the script run, against a mock Atlas, with the provider
// installed as they install it: from a release zip downloaded from
// ATLASINV_RELEASES, which the test points at a server of its own on the
// loopback address, serving a release it packs.
//
// The workflow runs through a small stand-in for the Actions runner: the
// run steps as written, in bash as the workflow's defaults say, with the
// workflow's, the job's and the step's env, the secrets the test gives,
// and the runner's files (GITHUB_ENV, GITHUB_STEP_SUMMARY); a step that
// fails ends the job. Of the steps that use an action, checkout is the
// test's copy of the folder and setup-terraform the suite's CLI on PATH
// as terraform. Anything else in the workflow (another action, an if, an
// expression in a run script) fails the test, which then needs teaching.
const guideCIDir = "../../examples/guides/audit-in-ci"

// ciWorkflow is what the stand-in runner reads of a workflow.
type ciWorkflow struct {
	Env  map[string]string `yaml:"env"`
	Jobs map[string]struct {
		Env      map[string]string `yaml:"env"`
		Defaults struct {
			Run struct {
				Shell            string `yaml:"shell"`
				WorkingDirectory string `yaml:"working-directory"`
			} `yaml:"run"`
		} `yaml:"defaults"`
		Steps []ciStep `yaml:"steps"`
	} `yaml:"jobs"`
}

type ciStep struct {
	Name             string            `yaml:"name"`
	Uses             string            `yaml:"uses"`
	With             map[string]any    `yaml:"with"`
	Run              string            `yaml:"run"`
	Env              map[string]string `yaml:"env"`
	If               string            `yaml:"if"`
	Shell            string            `yaml:"shell"`
	WorkingDirectory string            `yaml:"working-directory"`
	ContinueOnError  any               `yaml:"continue-on-error"`
}

func (s ciStep) title() string {
	if s.Name != "" {
		return s.Name
	}
	if s.Uses != "" {
		return s.Uses
	}
	return strings.TrimSpace(s.Run)
}

func readCIWorkflow(t *testing.T) ciWorkflow {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(guideCIDir, "audit.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf ciWorkflow
	if err := yaml.Unmarshal(raw, &wf); err != nil {
		t.Fatalf("audit.yml: %v", err)
	}
	if len(wf.Jobs) != 1 {
		t.Fatalf("audit.yml has %d jobs; the stand-in runner runs one", len(wf.Jobs))
	}
	return wf
}

// ciStepResult is what a step printed, and whether it failed.
type ciStepResult struct {
	title  string
	output string
	failed bool
}

// ciRun is what a run of the workflow left: each step that ran, and the
// job's summary.
type ciRun struct {
	steps   []ciStepResult
	summary string
}

var ciExpression = regexp.MustCompile(`\$\{\{\s*([a-z]+)\.([A-Za-z0-9_]+)\s*\}\}`)

// resolve replaces the expressions ${{ secrets.X }}, ${{ vars.X }} and
// ${{ env.X }} of value; any other expression fails the test.
func (r *ciRunner) resolve(t *testing.T, where, value string) string {
	t.Helper()
	out := ciExpression.ReplaceAllStringFunc(value, func(expr string) string {
		m := ciExpression.FindStringSubmatch(expr)
		var v string
		var ok bool
		switch m[1] {
		case "secrets":
			v, ok = r.secrets[m[2]]
		case "vars":
			v, ok = r.vars[m[2]]
		case "env":
			v, ok = r.env[m[2]]
		}
		if !ok {
			t.Fatalf("%s: %s: the stand-in runner has no value for it", where, expr)
		}
		return v
	})
	if strings.Contains(out, "${{") {
		t.Fatalf("%s: an expression the stand-in runner does not know: %s", where, value)
	}
	return out
}

// ciRunner runs a workflow's one job.
type ciRunner struct {
	cli       string            // the CLI the setup-terraform step puts on PATH
	workspace string            // GITHUB_WORKSPACE, where checkout put the folder
	base      []string          // the machine's environment
	secrets   map[string]string // secrets.X
	vars      map[string]string // vars.X
	override  map[string]string // workflow env the test replaces
	env       map[string]string // the workflow's env, then the job's, then GITHUB_ENV's
}

func (r *ciRunner) run(t *testing.T, wf ciWorkflow) ciRun {
	t.Helper()
	temp := t.TempDir()
	bin := t.TempDir()
	r.env = map[string]string{}
	for k, v := range wf.Env {
		r.env[k] = r.resolve(t, "env."+k, v)
	}
	for k, v := range r.override {
		if _, ok := r.env[k]; !ok {
			t.Fatalf("audit.yml has no env %s for the test to replace", k)
		}
		r.env[k] = v
	}
	var result ciRun
	for _, job := range wf.Jobs {
		for k, v := range job.Env {
			r.env[k] = r.resolve(t, "job env."+k, v)
		}
		if job.Defaults.Run.Shell != "bash" {
			t.Fatalf("audit.yml: the job's default shell is %q; the stand-in runner runs bash", job.Defaults.Run.Shell)
		}
		for i, step := range job.Steps {
			if step.If != "" || step.Shell != "" || step.ContinueOnError != nil {
				t.Fatalf("audit.yml: step %q: if, shell and continue-on-error are not known to the stand-in runner", step.title())
			}
			switch {
			case strings.HasPrefix(step.Uses, "actions/checkout@"):
				// The workspace is the test's copy of the folder.
			case strings.HasPrefix(step.Uses, "hashicorp/setup-terraform@"):
				if fmt.Sprint(step.With["terraform_wrapper"]) != "false" {
					t.Fatalf("audit.yml: setup-terraform without terraform_wrapper: false; the wrapper's lines would reach jq")
				}
				if err := os.Symlink(r.cli, filepath.Join(bin, "terraform")); err != nil {
					t.Fatal(err)
				}
			case step.Uses != "":
				t.Fatalf("audit.yml: step %q uses an action the stand-in runner does not know", step.title())
			default:
				dir := step.WorkingDirectory
				if dir == "" {
					dir = job.Defaults.Run.WorkingDirectory
				}
				res := r.runStep(t, i, step, filepath.Join(r.workspace, dir), temp, bin)
				summary, err := os.ReadFile(filepath.Join(temp, fmt.Sprintf("summary-%d", i)))
				if err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
				result.summary += string(summary)
				result.steps = append(result.steps, res)
				if res.failed {
					return result
				}
			}
		}
	}
	return result
}

// runStep runs one run step as the runner does, with bash
// --noprofile --norc -eo pipefail, and takes in what it wrote to
// GITHUB_ENV.
func (r *ciRunner) runStep(t *testing.T, i int, step ciStep, dir, temp, bin string) ciStepResult {
	t.Helper()
	script := r.resolve(t, "step "+step.title(), step.Run)
	path := filepath.Join(temp, fmt.Sprintf("step-%d.sh", i))
	envFile := filepath.Join(temp, fmt.Sprintf("env-%d", i))
	if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	env := slices.Clone(r.base)
	for k, v := range r.env {
		env = append(env, k+"="+v)
	}
	for k, v := range step.Env {
		env = append(env, k+"="+r.resolve(t, "step "+step.title()+" env."+k, v))
	}
	env = append(env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"CI=true", "GITHUB_ACTIONS=true", "GITHUB_WORKSPACE="+r.workspace, "RUNNER_TEMP="+temp,
		"GITHUB_ENV="+envFile, "GITHUB_STEP_SUMMARY="+filepath.Join(temp, fmt.Sprintf("summary-%d", i)))
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", path)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	res := ciStepResult{title: step.title(), output: string(out), failed: err != nil}
	if raw, err := os.ReadFile(envFile); err == nil {
		for line := range strings.Lines(string(raw)) {
			k, v, ok := strings.Cut(strings.TrimSuffix(line, "\n"), "=")
			if !ok || strings.Contains(k, "<<") {
				t.Fatalf("step %q: GITHUB_ENV line %q: the stand-in runner reads NAME=value lines only", step.title(), line)
			}
			r.env[k] = v
		}
	}
	return res
}

// serveCIRelease serves rel as a release's download URLs do
// (<base>/v<VERSION>/<file>), over http on the loopback address, which curl
// takes as well as https, and returns the base.
func serveCIRelease(t *testing.T, rel *testRelease) string {
	t.Helper()
	prefix := "/releases/download/v" + rel.version + "/"
	mux := http.NewServeMux()
	mux.Handle(prefix, http.StripPrefix(prefix, http.FileServer(http.Dir(rel.dir))))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + "/releases/download"
}

// ciAtlas serves the organization of the example's terraform.tfvars (the
// demo organization's id) to the demo service account. With breach, its
// pending invitations are the demo's, one of which grants ORG_OWNER, and
// one more to an address outside the allowed domains; without, the demo's
// pending invitations but the ORG_OWNER one.
func ciAtlas(t *testing.T, breach bool) string {
	t.Helper()
	m := mockatlas.New()
	users := mockatlas.DemoUsers()
	if breach {
		users = append(users, ciOutsider)
	} else {
		users = slices.DeleteFunc(users, func(u mockatlas.User) bool {
			return u.OrgMembershipStatus == mockatlas.StatusPending && slices.Contains(u.Roles.OrgRoles, "ORG_OWNER")
		})
	}
	m.AddUsers(mockatlas.DemoOrgID, users...)
	m.SetOrgName(mockatlas.DemoOrgID, mockatlas.DemoOrgName)
	m.AddServiceAccount(mockatlas.DemoClientID, mockatlas.DemoClientSecret)
	srv := m.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

// ciOutsider is a pending invitation to an address outside the allowed
// domains of terraform.tfvars.
var ciOutsider = mockatlas.User{
	ID: "6604ee55ff66778899aabb00", Username: "mallory@elsewhere.test", OrgMembershipStatus: mockatlas.StatusPending,
	InviterUsername: "bob+atlas@example.com", InvitationCreatedAt: "2024-05-02T10:00:00Z", InvitationExpiresAt: "2024-06-01T10:00:00Z",
	Roles: mockatlas.UserRoles{OrgRoles: []string{"ORG_MEMBER"}},
}

// The postconditions' messages, as main.tf words them, and the summary's
// rows for the offenders.
const (
	ciOwnerBreach   = "Pending invitations grant ORG_OWNER: erin.ops@example.com."
	ciDomainBreach  = "Pending invitations to addresses outside example.com, example.net, example.org: mallory@elsewhere.test."
	ciSummaryHeader = "## Pending Atlas invitations that break the policy"
	ciOwnerRow      = "| erin.ops@example.com | owner@coffee.example.com | ORG_OWNER | 2024-05-29T16:45:31Z | grants ORG_OWNER |"
	ciOutsiderRow   = "| mallory@elsewhere.test | bob+atlas@example.com | ORG_MEMBER | 2024-06-01T10:00:00Z | outside the allowed domains |"
)

// ciTools skips the test without the tools the workflow and the script run
// besides the CLI, which GitHub's runners have.
func ciTools(t *testing.T) {
	t.Helper()
	if hostPlatform != "linux_amd64" && hostPlatform != "linux_arm64" {
		t.Skip("the workflow and the script install a Linux release zip; this machine is " + hostPlatform)
	}
	for _, tool := range []string{"bash", "curl", "sha256sum", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the workflow and the script need %s, which is not on PATH", tool)
		}
	}
}

// ciWorkspace copies the example's configuration into dir/sub: what
// checkout and the guide's "copy main.tf and terraform.tfvars" leave.
func ciWorkspace(t *testing.T, sub string) string {
	t.Helper()
	ws := t.TempDir()
	dir := filepath.Join(ws, sub)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"main.tf", "terraform.tfvars", "audit.sh"} {
		raw, err := os.ReadFile(filepath.Join(guideCIDir, name))
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, name), raw, 0o600)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return ws
}

// ciBaseEnv is the machine's environment without its TF_ and Atlas
// variables, with an empty home, plus the mock Atlas's URL, which a real
// job does not need.
func ciBaseEnv(t *testing.T, atlasURL string) []string {
	t.Helper()
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "XDG_") || name == "HOME" || name == "PATH" ||
			slices.Contains(allCredentialEnvs, name) {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "HOME="+t.TempDir(), "MONGODB_ATLAS_BASE_URL="+atlasURL)
}

// TestAccGuideCI runs the guide's workflow and script, and shows what it
// says of check blocks, with one build of the provider, packed as a release
// of the version audit.yml installs.
func TestAccGuideCI(t *testing.T) {
	t.Parallel()
	clis, noTofu := waysCLIs(t)
	wf := readCIWorkflow(t)
	rel := packRelease(t, wf.Env["ATLASINV_VERSION"], []string{hostPlatform})
	releases := serveCIRelease(t, rel)
	t.Run("workflow", func(t *testing.T) {
		t.Parallel()
		guideCIWorkflow(t, clis[0], wf, releases)
	})
	for _, cli := range clis {
		t.Run("shell script/"+cli.name, func(t *testing.T) {
			t.Parallel()
			guideCIShellScript(t, cli, rel.version, releases)
		})
		t.Run("check block only warns/"+cli.name, func(t *testing.T) {
			t.Parallel()
			guideCICheckBlock(t, cli, rel)
		})
	}
	if noTofu != "" {
		t.Run("opentofu", func(t *testing.T) { t.Skip(noTofu) })
	}
}

// The workflow, through the stand-in runner, on the suite's CLI: on the
// OpenTofu run of the suite, OpenTofu stands in for the Terraform that
// setup-terraform installs, which the guide says the steps allow.
func guideCIWorkflow(t *testing.T, cli cliFlavour, wf ciWorkflow, releases string) {
	ciTools(t)
	if hostPlatform != "linux_amd64" {
		t.Skip("audit.yml installs the linux_amd64 zip; this machine is " + hostPlatform)
	}
	for _, breach := range []bool{false, true} {
		t.Run(map[bool]string{false: "no breach", true: "breach"}[breach], func(t *testing.T) {
			t.Parallel()
			r := &ciRunner{
				cli: cli.path, workspace: ciWorkspace(t, "audit"), base: ciBaseEnv(t, ciAtlas(t, breach)),
				secrets:  map[string]string{"MONGODB_ATLAS_CLIENT_ID": mockatlas.DemoClientID, "MONGODB_ATLAS_CLIENT_SECRET": mockatlas.DemoClientSecret},
				override: map[string]string{"ATLASINV_RELEASES": releases},
			}
			run := r.run(t, wf)
			checkCIRun(t, run.steps, run.summary, breach)
		})
	}
}

// checkCIRun checks what the workflow's or the script's steps printed and
// the summary: every step passes without a breach; with one, the last
// step, the enforcing plan, fails, naming both offenders, after the summary
// listed them.
func checkCIRun(t *testing.T, steps []ciStepResult, summary string, breach bool) {
	t.Helper()
	last := steps[len(steps)-1]
	for _, s := range steps[:len(steps)-1] {
		if s.failed {
			t.Fatalf("step %q failed:\n%s", s.title, s.output)
		}
	}
	if !strings.Contains(summary, ciSummaryHeader) {
		t.Errorf("no summary; got:\n%s", summary)
	}
	if !breach {
		if last.failed {
			t.Fatalf("step %q failed without a breach:\n%s", last.title, last.output)
		}
		if !strings.Contains(summary, ciSummaryHeader+"\n\nNone.\n") {
			t.Errorf("the summary without a breach:\n%s\nwant it to say None.", summary)
		}
		return
	}
	if !last.failed || !strings.HasPrefix(last.title, "Enforce") && last.title != "plan" {
		t.Fatalf("with a breach, the last step to run is %q (failed: %v), want the enforcing plan to fail:\n%s", last.title, last.failed, last.output)
	}
	said := diagnosticText(last.output)
	for _, msg := range []string{ciOwnerBreach, ciDomainBreach} {
		if !strings.Contains(said, msg) {
			t.Errorf("the failing plan does not say %q:\n%s", msg, last.output)
		}
	}
	for _, row := range []string{ciOwnerRow, ciOutsiderRow} {
		if !strings.Contains(summary, row) {
			t.Errorf("the summary has no row %q:\n%s", row, summary)
		}
	}
	if n := strings.Count(summary, "\n| "); n != 3 {
		t.Errorf("the summary has %d table rows, want the header and the two offenders:\n%s", n, summary)
	}
}

var (
	ansiEscape    = regexp.MustCompile(`\x1b\[[0-9;]*m`)
	diagnosticBar = regexp.MustCompile(`(?m)^\s*[│╷╵]\s?`)
)

// diagnosticText is what the CLI printed as plain words: without colours,
// the bars of its diagnostics, and the line breaks it wraps messages with.
func diagnosticText(out string) string {
	out = diagnosticBar.ReplaceAllString(ansiEscape.ReplaceAllString(out, ""), "")
	return strings.Join(strings.Fields(out), " ")
}

// The script for any other CI, run as its header says, with cli.
func guideCIShellScript(t *testing.T, cli cliFlavour, version, releases string) {
	ciTools(t)
	raw, err := os.ReadFile(filepath.Join(guideCIDir, "audit.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte("version=${ATLASINV_VERSION:-"+version+"}")) {
		t.Fatalf("audit.sh's default ATLASINV_VERSION is not audit.yml's, %s", version)
	}
	for _, breach := range []bool{false, true} {
		t.Run(map[bool]string{false: "no breach", true: "breach"}[breach], func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(ciWorkspace(t, "audit"), "audit")
			env := append(ciBaseEnv(t, ciAtlas(t, breach)), "PATH="+os.Getenv("PATH"),
				"TERRAFORM="+cli.path, "ATLASINV_RELEASES="+releases,
				"MONGODB_ATLAS_CLIENT_ID="+mockatlas.DemoClientID, "MONGODB_ATLAS_CLIENT_SECRET="+mockatlas.DemoClientSecret)
			cmd := exec.Command("bash", "audit.sh")
			cmd.Dir = dir
			cmd.Env = env
			out, err := cmd.CombinedOutput()
			summary, _ := os.ReadFile(filepath.Join(dir, "audit-summary.md"))
			// The script's steps are one: its last command is the plan.
			checkCIRun(t, []ciStepResult{{title: "plan", output: string(out), failed: err != nil}}, string(summary), breach)
		})
	}
}

// ciCheckBlockConfig is the guide's owner rule as a check block instead of
// a postcondition.
const ciCheckBlockConfig = `terraform {
  required_providers {
    atlasinv = {
      source = "atlasinv/atlasinv"
    }
  }
}

provider "atlasinv" {}

data "atlasinv_org_users" "pending" {
  org_id                  = "` + mockatlas.DemoOrgID + `"
  org_membership_statuses = ["PENDING"]
}

check "no_owner_invitations" {
  assert {
    condition     = length([for u in data.atlasinv_org_users.pending.users : u if contains(u.org_roles, "ORG_OWNER")]) == 0
    error_message = "Pending invitations grant ORG_OWNER: ${join(", ", [for u in data.atlasinv_org_users.pending.users : u.username if contains(u.org_roles, "ORG_OWNER")])}."
  }
}
`

// What the guide says of check blocks, which is why it uses postconditions:
// a failing check is a warning, and the plan exits 0.
func guideCICheckBlock(t *testing.T, cli cliFlavour, rel *testRelease) {
	cfg := pageCLIConfig(t, "filesystem-mirror.tfrc", pageMirrorDir, filepath.ToSlash(packedMirror(t, rel)))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(ciCheckBlockConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	env := isolatedCLIEnv(t, cfg, "MONGODB_ATLAS_BASE_URL="+ciAtlas(t, true),
		"MONGODB_ATLAS_CLIENT_ID="+mockatlas.DemoClientID, "MONGODB_ATLAS_CLIENT_SECRET="+mockatlas.DemoClientSecret)
	runCLI(t, cli.path, dir, env, "init", "-no-color", "-input=false")
	// runCLI fails the test unless the plan exits 0.
	said := diagnosticText(string(runCLI(t, cli.path, dir, env, "plan", "-no-color", "-input=false")))
	for _, want := range []string{"Warning: Check block assertion failed", ciOwnerBreach} {
		if !strings.Contains(said, want) {
			t.Errorf("the plan does not say %q:\n%s", want, said)
		}
	}
}
