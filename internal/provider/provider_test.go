package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// userAgentRE is the User-Agent of the provider under test driven by a real
// CLI: the CLI's version, never "unknown".
var userAgentRE = regexp.MustCompile(`^terraform-provider-atlasinv/test Terraform/\d+\.\d+\.\d+\S*$`)

// authCase is one way to give the provider credentials.
type authCase struct {
	name      string
	block     string            // provider block attributes besides base_url
	env       map[string]string // environment besides the base URL
	wantAuth  mockatlas.AuthKind
	principal string
}

var authCases = []authCase{
	{
		name:     "api key from attributes",
		block:    fmt.Sprintf("public_key = %q\n  private_key = %q", testPublicKey, testPrivateKey),
		wantAuth: mockatlas.AuthDigest, principal: testPublicKey,
	},
	{
		name:     "api key from environment",
		env:      map[string]string{"MONGODB_ATLAS_PUBLIC_API_KEY": testPublicKey, "MONGODB_ATLAS_PRIVATE_API_KEY": testPrivateKey},
		wantAuth: mockatlas.AuthDigest, principal: testPublicKey,
	},
	{
		name:     "service account from attributes",
		block:    fmt.Sprintf("client_id = %q\n  client_secret = %q", testClientID, testClientSecret),
		wantAuth: mockatlas.AuthBearer, principal: testClientID,
	},
	{
		name:     "service account from environment",
		env:      map[string]string{"MONGODB_ATLAS_CLIENT_ID": testClientID, "MONGODB_ATLAS_CLIENT_SECRET": testClientSecret},
		wantAuth: mockatlas.AuthBearer, principal: testClientID,
	},
	{
		name:     "access token from attributes",
		block:    fmt.Sprintf("access_token = %q", testAccessToken),
		wantAuth: mockatlas.AuthBearer, principal: "token",
	},
	{
		name:     "access token from environment",
		env:      map[string]string{"MONGODB_ATLAS_ACCESS_TOKEN": testAccessToken},
		wantAuth: mockatlas.AuthBearer, principal: "token",
	},
}

func TestAccProvider_authModes(t *testing.T) {
	t.Parallel()
	for _, tc := range authCases {
		t.Run(tc.name, func(t *testing.T) {
			mock, url := newTestAtlas(t, inviteFull)
			env := map[string]string{"MONGODB_ATLAS_BASE_URL": url}
			for k, v := range tc.env {
				env[k] = v
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				Steps: []resource.TestStep{{
					Config: fmt.Sprintf(`
provider "atlasinv" {
  %s
}
data "atlasinv_org_invites" "test" {
  org_id = %q
}`, tc.block, testOrgID),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.atlasinv_org_invites.test",
							tfjsonpath.New("invites").AtSliceIndex(0).AtMapKey("id"), knownvalue.StringExact(inviteFull.ID)),
					},
					Check: func(*terraform.State) error {
						ok := 0
						for _, r := range apiRequests(mock) {
							if !r.Authenticated {
								continue
							}
							if r.Auth != tc.wantAuth || !strings.HasPrefix(r.Principal, tc.principal) {
								return fmt.Errorf("mock saw %s auth as %q, want %s as %q", r.Auth, r.Principal, tc.wantAuth, tc.principal)
							}
							// The CLI's own version, which the CLI tells the provider.
							if !userAgentRE.MatchString(r.UserAgent) {
								return fmt.Errorf("User-Agent %q", r.UserAgent)
							}
							ok++
						}
						if ok == 0 {
							return fmt.Errorf("mock saw no authenticated request")
						}
						return nil
					},
				}},
			})
		})
	}
}

// TestAccProvider_processEnvironment proves that the provider Terraform
// starts reads the real process environment (the other tests inject theirs).
func TestAccProvider_processEnvironment(t *testing.T) {
	for _, name := range allCredentialEnvs {
		t.Setenv(name, "")
	}
	mock, url := newTestAtlas(t, inviteFull)
	t.Setenv("MONGODB_ATLAS_BASE_URL", url)
	t.Setenv("MCLI_PUBLIC_API_KEY", testPublicKey)
	t.Setenv("MCLI_PRIVATE_API_KEY", testPrivateKey)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: processProvider(),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
data "atlasinv_org_invites" "test" {
  org_id = %q
}`, testOrgID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.atlasinv_org_invites.test", tfjsonpath.New("invites"), knownvalue.ListSizeExact(1)),
			},
		}},
	})
	if n := countRequests(mock, func(r mockatlas.Request) bool { return r.Authenticated && r.Principal == testPublicKey }); n == 0 {
		t.Error("mock saw no request signed with the key from MCLI_PUBLIC_API_KEY")
	}
}

func TestAccProvider_serviceAccountTokenFetchedOnce(t *testing.T) {
	mock, url := newTestAtlas(t, inviteFull, inviteRolesOnly)
	const reads = 12
	var config strings.Builder
	fmt.Fprintf(&config, "provider \"atlasinv\" {\n  base_url = %q\n  client_id = %q\n  client_secret = %q\n}\n", url, testClientID, testClientSecret)
	for i := range reads {
		fmt.Fprintf(&config, "data \"atlasinv_org_invites\" \"d%d\" {\n  org_id = %q\n}\n", i, testOrgID)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: config.String(),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.atlasinv_org_invites.d11", tfjsonpath.New("invites"), knownvalue.ListSizeExact(2)),
			},
		}},
	})
	// plugin-testing runs several Terraform commands per step (plan, apply,
	// refresh, plan), each starting the provider afresh: one token each.
	tokens := countRequests(mock, func(r mockatlas.Request) bool { return r.Path == "/api/oauth/token" })
	perProcess := countRequests(mock, func(r mockatlas.Request) bool { return r.Auth == mockatlas.AuthBearer }) / reads
	t.Logf("%d token requests, %d bearer requests for %d reads per provider run", tokens, perProcess*reads, reads)
	if tokens == 0 || tokens != perProcess {
		t.Errorf("%d token requests for %d provider runs of %d reads each: want one per provider run", tokens, perProcess, reads)
	}
}

func TestAccProvider_invalidSettingsFailAtPlan(t *testing.T) {
	t.Parallel()
	mock, url := newTestAtlas(t, inviteFull)
	tests := []struct{ setting, want string }{
		{`request_timeout = "soon"`, `Invalid Request Timeout ... request_timeout must be a Go duration: a number and a unit`},
		{`request_timeout = "0s"`, `request_timeout must be a positive duration such as "30s", got "0s"`},
		{`request_timeout = "-5s"`, `request_timeout must be a positive duration`},
		{`max_retries = -1`, `Attribute max_retries value must be between 0 and 20, got: -1`},
		{`max_retries = 100`, `Attribute max_retries value must be between 0 and 20, got: 100`},
		{`base_url = ""`, `Attribute base_url string length must be at least 1`},
	}
	for _, tt := range tests {
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(map[string]string{"MONGODB_ATLAS_BASE_URL": url}),
			Steps: []resource.TestStep{{
				Config: fmt.Sprintf(`
provider "atlasinv" {
  access_token = %q
  %s
}
data "atlasinv_org_invites" "test" {
  org_id = %q
}`, testAccessToken, tt.setting, testOrgID),
				ExpectError: errorText(tt.want),
			}},
		})
	}
	if n := len(mock.Requests()); n != 0 {
		t.Errorf("mock saw %d requests, want none", n)
	}
}

func TestUserAgentNamesTheTerraformVersion(t *testing.T) {
	if got, want := userAgent("1.2.3", "1.8.5"), "terraform-provider-atlasinv/1.2.3 Terraform/1.8.5"; got != want {
		t.Errorf("userAgent = %q, want %q", got, want)
	}
	if got, want := userAgent("dev", ""), "terraform-provider-atlasinv/dev Terraform/unknown"; got != want {
		t.Errorf("userAgent without a Terraform version = %q, want %q", got, want)
	}
}
