package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// These tests export real environment variables (t.Setenv, so not
// parallel) to the provider Terraform starts, and read from the mocks'
// records which credentials and which base URL were actually used.

func readsOne() []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.atlasinv_org_invites.test", tfjsonpath.New("invites"), knownvalue.ListSizeExact(1)),
	}
}

// used sums up how the mock was asked: authenticated requests per auth kind
// and principal, and token fetches.
func used(m *mockatlas.Server) (byWho map[string]int, tokenFetches int) {
	byWho = map[string]int{}
	for _, r := range m.Requests() {
		switch {
		case r.Path == "/api/oauth/token":
			tokenFetches++
		case r.Authenticated:
			byWho[string(r.Auth)+" "+r.Principal]++
		}
	}
	return byWho, tokenFetches
}

// TestAccPrecedence_blockBeatsEnvironment: an alias whose block holds a
// complete credential uses it, whatever is exported, in every pairing.
func TestAccPrecedence_blockBeatsEnvironment(t *testing.T) {
	tests := []struct {
		name  string
		block string
		env   map[string]string
		want  string // the only "auth principal" the mock may see
	}{
		{
			name:  "api key in the block, service account and access token exported",
			block: fmt.Sprintf("public_key = %q\n  private_key = %q", testPublicKey, testPrivateKey),
			env: map[string]string{
				"MONGODB_ATLAS_CLIENT_ID": testClientID, "MONGODB_ATLAS_CLIENT_SECRET": testClientSecret,
				"MONGODB_ATLAS_ACCESS_TOKEN": testAccessToken,
			},
			want: "digest " + testPublicKey,
		},
		{
			name:  "service account in the block, access token exported",
			block: fmt.Sprintf("client_id = %q\n  client_secret = %q", testClientID, testClientSecret),
			env:   map[string]string{"MONGODB_ATLAS_ACCESS_TOKEN": testAccessToken},
			want:  "bearer " + testClientID,
		},
		{
			// The exported token is not one the mock knows: using it fails.
			name:  "access token in the block, another token exported",
			block: fmt.Sprintf("access_token = %q", testAccessToken),
			env:   map[string]string{"MONGODB_ATLAS_ACCESS_TOKEN": "exported-token-the-mock-does-not-know"},
			want:  "bearer token",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearCredentialEnv(t)
			mock, url := newTestAtlas(t, inviteFull)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: processProvider(),
				Steps: []resource.TestStep{{
					Config:            fmt.Sprintf("provider \"atlasinv\" {\n  base_url = %q\n  %s\n}\n", url, tt.block) + fmt.Sprintf(invitesData, testOrgID),
					ConfigStateChecks: readsOne(),
				}},
			})
			byWho, _ := used(mock)
			if len(byWho) != 1 || byWho[tt.want] == 0 {
				t.Errorf("mock saw %v, want only %q", byWho, tt.want)
			}
		})
	}
}

// TestAccPrecedence_baseURL: base_url in the block beats both variables,
// and MONGODB_ATLAS_BASE_URL beats MCLI_OPS_MANAGER_URL. Each candidate is a
// mock of its own; only the winner may be asked anything.
func TestAccPrecedence_baseURL(t *testing.T) {
	tests := []struct {
		name    string
		inBlock bool
		envs    []string // variables that point at a mock of their own
		winner  string   // "block" or the variable
	}{
		{name: "block beats both variables", inBlock: true, envs: []string{"MONGODB_ATLAS_BASE_URL", "MCLI_OPS_MANAGER_URL"}, winner: "block"},
		{name: "MONGODB_ATLAS_BASE_URL beats MCLI_OPS_MANAGER_URL", envs: []string{"MONGODB_ATLAS_BASE_URL", "MCLI_OPS_MANAGER_URL"}, winner: "MONGODB_ATLAS_BASE_URL"},
		{name: "MCLI_OPS_MANAGER_URL alone", envs: []string{"MCLI_OPS_MANAGER_URL"}, winner: "MCLI_OPS_MANAGER_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearCredentialEnv(t)
			t.Setenv("MONGODB_ATLAS_ACCESS_TOKEN", testAccessToken)
			mocks := map[string]*mockatlas.Server{}
			block := ""
			if tt.inBlock {
				m, url := newTestAtlas(t, inviteFull)
				mocks["block"], block = m, fmt.Sprintf("base_url = %q", url)
			}
			for _, name := range tt.envs {
				m, url := newTestAtlas(t, inviteFull)
				mocks[name] = m
				t.Setenv(name, url)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: processProvider(),
				Steps: []resource.TestStep{{
					Config:            fmt.Sprintf("provider \"atlasinv\" {\n  %s\n}\n", block) + fmt.Sprintf(invitesData, testOrgID),
					ConfigStateChecks: readsOne(),
				}},
			})
			for name, m := range mocks {
				n := len(m.Requests())
				if name == tt.winner && n == 0 {
					t.Errorf("the base URL from %s was never asked", name)
				}
				if name != tt.winner && n != 0 {
					t.Errorf("the base URL from %s was asked %d times; only %s's should be", name, n, tt.winner)
				}
			}
		})
	}
}
