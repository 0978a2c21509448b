package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
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

// The guide "Audit several organizations" (templates/guides/
// audit-several-organizations.md.tmpl) embeds the configurations under
// guideMultiOrgDir; these tests run those very files, module folder
// included, against a mock Atlas with two organizations, each with an API
// key restricted to it, as Atlas's organization API keys are.
//
// They drive the CLI themselves rather than through resource.Test, for two
// reasons. The in-process provider server of factories() is one server for
// every configuration of the provider: each alias (or for_each instance)
// reattaches to it and the last ConfigureProvider wins, so every
// organization would be read with one organization's key. Here the CLI
// installs a build of the provider from a local mirror and starts one
// provider process per configuration, as with a released provider. And
// terraform-plugin-testing reads the state back into its legacy shape after
// every test, which refuses a state with child modules ("Modules are not
// supported"), so the module example cannot run under it at all (its
// ConfigDirectory would not copy the modules/ subfolder either).
const guideMultiOrgDir = "../../examples/guides/audit-several-organizations"

// guideOrg is one organization of the guide's mock Atlas.
type guideOrg struct {
	alias, id, name     string
	publicKey, privKey  string
	pending, notPending []mockatlas.User
}

func guideOrgs() []*guideOrg {
	return []*guideOrg{
		{alias: "eu", id: "65e0c0ffee0c0ffee0c0e0e1", name: "Acme EU", publicKey: "acmeeuky", privKey: "priv-eu-0a1b2c3d-guide-key"},
		{alias: "us", id: "65e0c0ffee0c0ffee0c0e0f2", name: "Acme US", publicKey: "acmeusky", privKey: "priv-us-4e5f6a7b-guide-key"},
	}
}

// guideMultiOrgAtlas serves orgs: each with its name, three pending
// invitations among three users who are not pending, and an API key that
// sees that organization alone.
func guideMultiOrgAtlas(t *testing.T, orgs []*guideOrg) (*mockatlas.Server, string) {
	t.Helper()
	m := mockatlas.New()
	seen := map[string]string{}
	for _, o := range orgs {
		invites := mockatlas.GenerateInvitations(o.id, 3)
		checkFixtures(t, invites...)
		users := mockatlas.GenerateOrgUsers(o.id, invites, 3)
		for _, u := range users {
			if other, ok := seen[u.Username]; ok {
				t.Fatalf("fixture: %s is a user of both %s and %s; the test could not tell the organizations apart", u.Username, other, o.name)
			}
			seen[u.Username] = o.name
			if u.OrgMembershipStatus == mockatlas.StatusPending {
				o.pending = append(o.pending, u)
			} else {
				o.notPending = append(o.notPending, u)
			}
		}
		if len(o.pending) != 3 || len(o.notPending) != 3 {
			t.Fatalf("fixture: %s has %d pending and %d other users, want 3 and 3", o.name, len(o.pending), len(o.notPending))
		}
		m.AddAPIKey(o.publicKey, o.privKey)
		m.AddOrg(o.id)
		m.SetOrgName(o.id, o.name)
		m.AddUsers(o.id, users...)
		m.RestrictToOrg(o.publicKey, o.id)
	}
	srv := m.Start()
	t.Cleanup(srv.Close)
	return m, srv.URL
}

// guideCredentials is the value of the examples' sensitive variable
// credentials: each organization's key under keyOf(organization).
func guideCredentials(orgs []*guideOrg, keyOf func(*guideOrg) string) map[string]any {
	creds := map[string]any{}
	for _, o := range orgs {
		creds[keyOf(o)] = map[string]string{"public_key": o.publicKey, "private_key": o.privKey}
	}
	return creds
}

// guideInvitation is one element of the examples' output
// pending_invitations.
type guideInvitation struct {
	Username  string   `json:"username"`
	InvitedBy string   `json:"invited_by"`
	OrgRoles  []string `json:"org_roles"`
	ExpiresAt string   `json:"expires_at"`
}

// checkPendingInvitations checks the examples' combined output: under each
// organization's name, its own pending users (in the provider's order:
// username, then id) and nothing else.
func checkPendingInvitations(t *testing.T, outputs map[string]json.RawMessage, orgs []*guideOrg) {
	t.Helper()
	want := map[string][]guideInvitation{}
	for _, o := range orgs {
		users := slices.Clone(o.pending)
		slices.SortFunc(users, func(a, b mockatlas.User) int {
			if c := strings.Compare(a.Username, b.Username); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		})
		for _, u := range users {
			want[o.name] = append(want[o.name], guideInvitation{
				Username: u.Username, InvitedBy: u.InviterUsername,
				OrgRoles: slices.Sorted(slices.Values(u.Roles.OrgRoles)), ExpiresAt: u.InvitationExpiresAt,
			})
		}
	}
	var out struct {
		Sensitive bool                         `json:"sensitive"`
		Value     map[string][]guideInvitation `json:"value"`
	}
	raw, ok := outputs["pending_invitations"]
	if !ok {
		t.Fatalf("no output pending_invitations; outputs: %v", slices.Sorted(maps.Keys(outputs)))
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("output pending_invitations: %v\n%s", err, raw)
	}
	if out.Sensitive {
		t.Error("output pending_invitations is sensitive; nothing in it comes from the credentials")
	}
	if !reflect.DeepEqual(out.Value, want) {
		got, _ := json.MarshalIndent(out.Value, "", "  ")
		exp, _ := json.MarshalIndent(want, "", "  ")
		t.Errorf("output pending_invitations:\n%s\nwant each organization's own pending users under its name:\n%s", got, exp)
	}
}

// eachKeyReadItsOwnUsers fails unless each organization's users were read,
// and only ever with that organization's own key.
func eachKeyReadItsOwnUsers(t *testing.T, m *mockatlas.Server, orgs []*guideOrg) {
	t.Helper()
	for _, o := range orgs {
		reads := 0
		for _, r := range m.Requests() {
			if !r.Authenticated || r.Path != "/api/atlas/v2/orgs/"+o.id+"/users" {
				continue
			}
			reads++
			if r.Principal != o.publicKey || r.Status != 200 {
				t.Errorf("%s's users read with key %q (status %d), want its own key %q", o.name, r.Principal, r.Status, o.publicKey)
			}
		}
		if reads == 0 {
			t.Errorf("%s's users were never read", o.name)
		}
	}
}

// guideCLI is the CLI the acceptance tests run: TF_ACC_TERRAFORM_PATH, as
// for resource.Test. Like resource.Test, it skips the test unless TF_ACC is
// set.
func guideCLI(t *testing.T) string {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 and TF_ACC_TERRAFORM_PATH to run it")
	}
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		t.Fatal("TF_ACC_TERRAFORM_PATH is not set: this test runs the CLI it names (make acc, acc-old or acc-tofu set it)")
	}
	return cli
}

// guideOpenTofuCLI is the OpenTofu CLI a guide's OpenTofu test runs: the
// suite's own CLI when the suite runs under OpenTofu, else the one
// ATLASINV_TOFU_PATH names, which make test sets on the Terraform runs so
// that the test runs (and nothing is skipped) there too. why says why the
// test needs OpenTofu, for the skip without it.
func guideOpenTofuCLI(t *testing.T, why string) string {
	t.Helper()
	cli := guideCLI(t)
	if os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org" {
		return cli
	}
	cli = os.Getenv("ATLASINV_TOFU_PATH")
	if cli == "" {
		t.Skip(why + "; set ATLASINV_TOFU_PATH to an OpenTofu CLI " +
			"(make test does: bash scripts/install-cli.sh tofu 1.12.6), or run the suite under OpenTofu")
	}
	return cli
}

// builtProviderCLIConfig builds the provider and returns a CLI
// configuration that installs it from a local mirror as atlasinv/atlasinv,
// and nothing else. (dev_overrides would not do: init still looks the
// provider up in the registry.)
func builtProviderCLIConfig(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("building the provider: %v", err)
	}
	work := t.TempDir()
	bin := filepath.Join(work, "terraform-provider-atlasinv")
	build := exec.Command(goTool, "build", "-o", bin, ".")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// The unpacked layout, HOSTNAME/NAMESPACE/TYPE/VERSION/TARGET, under
	// Terraform's registry host and OpenTofu's.
	mirror := filepath.Join(work, "mirror")
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		dir := filepath.Join(mirror, host, "atlasinv", "atlasinv", "0.0.1", runtime.GOOS+"_"+runtime.GOARCH)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Link(bin, filepath.Join(dir, "terraform-provider-atlasinv")); err != nil {
			t.Fatal(err)
		}
	}
	cliConfig := filepath.Join(work, "cli.tfrc")
	rc := fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", filepath.ToSlash(mirror))
	if err := os.WriteFile(cliConfig, []byte(rc), 0o600); err != nil {
		t.Fatal(err)
	}
	return cliConfig
}

// runGuideExample copies the example folder dir, subfolders included, and
// runs in the copy what the guide tells to run: init, apply, then output
// -json, whose outputs it returns. tfvars, if not empty, is written to the
// copy as terraform.tfvars; vars are exported as TF_VAR_ variables, JSON
// encoded. The provider gets none of the machine's Atlas variables.
func runGuideExample(t *testing.T, cli, dir, tfvars string, vars map[string]any) map[string]json.RawMessage {
	t.Helper()
	outputs, _ := runGuideExampleEnv(t, cli, dir, tfvars, vars, nil)
	return outputs
}

// runGuideExampleEnv is runGuideExample with env exported too (a guide
// whose credentials come from MONGODB_ATLAS_ variables), and it also
// returns what apply printed, where the check blocks' warnings are.
func runGuideExampleEnv(t *testing.T, cli, dir, tfvars string, vars map[string]any, env map[string]string) (map[string]json.RawMessage, []byte) {
	t.Helper()
	config := filepath.Join(t.TempDir(), "config")
	if err := os.CopyFS(config, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	if tfvars != "" {
		if err := os.WriteFile(filepath.Join(config, "terraform.tfvars"), []byte(tfvars), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	environ := append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+builtProviderCLIConfig(t),
		"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	for _, name := range allCredentialEnvs {
		environ = append(environ, name+"=")
	}
	for name, v := range env {
		environ = append(environ, name+"="+v)
	}
	for name, v := range vars {
		value, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if s, ok := v.(string); ok {
			value = []byte(s)
		}
		environ = append(environ, "TF_VAR_"+name+"="+string(value))
	}
	run := func(args ...string) []byte {
		t.Helper()
		return runCLI(t, cli, config, environ, args...)
	}
	run("init", "-no-color", "-input=false")
	applied := run("apply", "-no-color", "-input=false", "-auto-approve")
	var outputs map[string]json.RawMessage
	if out := run("output", "-no-color", "-json"); json.Unmarshal(out, &outputs) != nil {
		t.Fatalf("output -json: not JSON:\n%s", out)
	}
	return outputs, applied
}

// The Terraform way: one module instance per organization, each with the
// provider alias of its organization's key, deriving org_id from what the
// key sees. Runs on every CLI.
func TestAccGuideMultiOrg_terraformModules(t *testing.T) {
	t.Parallel()
	cli := guideCLI(t)
	orgs := guideOrgs()
	mock, url := guideMultiOrgAtlas(t, orgs)
	outputs := runGuideExample(t, cli, filepath.Join(guideMultiOrgDir, "terraform"), "", map[string]any{
		"base_url":    url,
		"credentials": guideCredentials(orgs, func(o *guideOrg) string { return o.alias }),
	})
	checkPendingInvitations(t, outputs, orgs)
	eachKeyReadItsOwnUsers(t, mock, orgs)
}

// The OpenTofu way: for_each on the provider block, over the organization
// ids, each instance's key looked up by id in the sensitive credentials map.
func TestAccGuideMultiOrg_openTofuProviderForEach(t *testing.T) {
	t.Parallel()
	// for_each in a provider block is OpenTofu's (1.9 and later).
	cli := guideOpenTofuCLI(t, "for_each in a provider block is OpenTofu's")
	orgs := guideOrgs()
	mock, url := guideMultiOrgAtlas(t, orgs)
	quoted := make([]string, len(orgs))
	for i, o := range orgs {
		quoted[i] = fmt.Sprintf("%q", o.id)
	}
	// OpenTofu evaluates a provider's for_each at init too: as the guide
	// says, the ids are in terraform.tfvars, which every command reads, and
	// the keys are exported.
	outputs := runGuideExample(t, cli, filepath.Join(guideMultiOrgDir, "opentofu"),
		"org_ids = ["+strings.Join(quoted, ", ")+"]\n", map[string]any{
			"base_url":    url,
			"credentials": guideCredentials(orgs, func(o *guideOrg) string { return o.id }),
		})
	checkPendingInvitations(t, outputs, orgs)
	eachKeyReadItsOwnUsers(t, mock, orgs)
}

// runCLI runs the Terraform or OpenTofu CLI cli in dir with env as its whole
// environment, fails the test if it fails, and returns what it printed.
func runCLI(t *testing.T, cli, dir string, env []string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(cli, args...)
	cmd.Dir = dir
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", filepath.Base(cli), args[0], err, stdout.Bytes(), stderr.Bytes())
	}
	return stdout.Bytes()
}
