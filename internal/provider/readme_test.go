package provider

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// README.md's first configuration block is the first thing people copy. It
// must plan as written against the mock Atlas that `make demo` serves, with
// the variables the demo exports. It runs through the CLI with the provider
// installed under its registry address, as a user's would be: resource.Test
// serves it in process as hashicorp/atlasinv, the very address a block
// without required_providers asks for, so it could not tell.

// readmeFirstBlock returns the first ```hcl or ```terraform block of
// README.md.
func readmeFirstBlock(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var block []string
	in := false
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		line := sc.Text()
		fence := strings.TrimSpace(line)
		switch {
		case !in && (fence == "```hcl" || fence == "```terraform"):
			in = true
		case in && fence == "```":
			return strings.Join(block, "\n") + "\n"
		case in:
			block = append(block, line)
		}
	}
	t.Fatal("README.md has no ```hcl or ```terraform block")
	return ""
}

// readmeReads says, by data source type, what shows that a read found
// something in the demo organization: a list that is not empty, or an
// attribute that is not null. A README that asks for an id or a username the
// demo does not have fails here (or in the plan) rather than show nothing.
var readmeReads = map[string]string{
	"atlasinv_org_invites": "invites",
	"atlasinv_org_invite":  "username",
	"atlasinv_org_users":   "users",
	"atlasinv_orgs":        "organizations",
}

func TestAccReadmeFirstBlock_plansAgainstTheDemo(t *testing.T) {
	t.Parallel()
	cli := guideCLI(t)
	config := t.TempDir()
	if err := os.WriteFile(filepath.Join(config, "main.tf"), []byte(readmeFirstBlock(t)), 0o600); err != nil {
		t.Fatal(err)
	}
	// What `make demo` and `make mock` serve: the demo organization, dated
	// relative to now.
	m := mockatlas.New()
	m.LoadDemoAt(time.Now())
	srv := m.Start()
	t.Cleanup(srv.Close)

	env := append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+builtProviderCLIConfig(t),
		"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	for _, name := range allCredentialEnvs {
		env = append(env, name+"=")
	}
	run := func(t *testing.T, env []string, args ...string) []byte {
		t.Helper()
		return runCLI(t, cli, config, env, args...)
	}
	run(t, env, "init", "-no-color", "-input=false")

	baseURL := "MONGODB_ATLAS_BASE_URL=" + srv.URL
	for _, c := range []struct {
		name string
		vars []string
	}{
		// What make demo and make mock export for a command.
		{"api key", []string{baseURL,
			"MONGODB_ATLAS_PUBLIC_API_KEY=" + mockatlas.DemoPublicKey,
			"MONGODB_ATLAS_PRIVATE_API_KEY=" + mockatlas.DemoPrivateKey}},
		// The alternative the mock prints.
		{"service account", []string{baseURL,
			"MONGODB_ATLAS_CLIENT_ID=" + mockatlas.DemoClientID,
			"MONGODB_ATLAS_CLIENT_SECRET=" + mockatlas.DemoClientSecret}},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := append(append([]string{}, env...), c.vars...)
			run(t, env, "plan", "-no-color", "-input=false", "-lock=false", "-out=readme.tfplan")
			checkReadmeReads(t, run(t, env, "show", "-no-color", "-json", "readme.tfplan"))
		})
	}
}

// checkReadmeReads fails unless the plan read at least one data source and
// every one it read found something in the demo organization.
func checkReadmeReads(t *testing.T, planJSON []byte) {
	t.Helper()
	var plan struct {
		PriorState struct {
			Values struct {
				RootModule struct {
					Resources []struct {
						Address string                     `json:"address"`
						Mode    string                     `json:"mode"`
						Type    string                     `json:"type"`
						Values  map[string]json.RawMessage `json:"values"`
					} `json:"resources"`
				} `json:"root_module"`
			} `json:"values"`
		} `json:"prior_state"`
	}
	if err := json.Unmarshal(planJSON, &plan); err != nil {
		t.Fatalf("show -json: %v\n%s", err, planJSON)
	}
	read := 0
	for _, r := range plan.PriorState.Values.RootModule.Resources {
		if r.Mode != "data" {
			continue
		}
		read++
		attr, ok := readmeReads[r.Type]
		if !ok {
			t.Errorf("%s: no rule in readmeReads for %s", r.Address, r.Type)
			continue
		}
		switch v := strings.TrimSpace(string(r.Values[attr])); v {
		case "", "null", "[]":
			t.Errorf("%s read nothing from the demo organization (%s = %s): use ids and names the mock's demo fixtures have", r.Address, attr, v)
		}
	}
	if read == 0 {
		t.Errorf("the plan read no data source:\n%s", planJSON)
	}
}
