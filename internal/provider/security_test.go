package provider

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// Credentials go only to base_url's scheme, host and port (a redirect
// elsewhere fails the read), and an answer over 64 MiB is refused while it
// streams.

// otherOrigin is a second Atlas on another port of the same host (Go's own
// redirect rule would forward credentials there). It knows no credential,
// so it would challenge a digest client for an answer to its own nonce.
func otherOrigin(t *testing.T) (*mockatlas.Server, string) {
	t.Helper()
	m := mockatlas.New()
	srv := m.Start()
	t.Cleanup(srv.Close)
	return m, srv.URL
}

// redirectError is what the user must read: a redirect, where to, and no
// secret (the error text is matched whole by ExpectError; the secrets are
// distinctive enough that a partial match would show).
func redirectError(other string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)Atlas Answered With A Redirect.*` + regexp.QuoteMeta(other) +
		`.*credentials\s+are\s+never\s+sent\s+to\s+another\s+origin.*check\s+base_url`)
}

func TestAccSecurity_redirectToAnotherOriginSendsItNothing(t *testing.T) {
	t.Parallel()
	for _, mode := range credentialBlocks {
		for _, ds := range dataSourceConfigs {
			t.Run(mode.name+"/"+ds.name, func(t *testing.T) {
				mock, url := newTestAtlas(t, inviteFull)
				other, otherURL := otherOrigin(t)
				mock.SetFault(&mockatlas.Fault{Location: otherURL + "/api/atlas/v2/orgs/" + testOrgID + "/invites"})
				resource.ParallelTest(t, resource.TestCase{
					ProtoV6ProviderFactories: factories(nil),
					Steps: []resource.TestStep{{
						Config:      providerWith(url, mode.block) + ds.config,
						ExpectError: redirectError(otherURL),
					}},
				})
				if got := other.Requests(); len(got) != 0 {
					t.Errorf("the other origin received %d requests (first: %+v), want none", len(got), got[0])
				}
				// Refused, not retried: one signed request met the redirect.
				if got := authenticatedStatuses(mock); len(got) != 1 || got[0] != http.StatusFound {
					t.Errorf("signed requests answered %v, want one 302", got)
				}
				t.Logf("%s, %s: the other origin received %d requests", mode.name, ds.name, len(other.Requests()))
			})
		}
	}
}

func TestAccSecurity_tokenEndpointRedirectSendsItNothing(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			mock, url := newTestAtlas(t, inviteFull)
			other, otherURL := otherOrigin(t)
			mock.ScriptToken(mockatlas.Fault{Status: status, Location: otherURL + "/api/oauth/token"})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config:      providerWith(url, credentialBlocks[1].block) + dataSourceConfigs[0].config,
					ExpectError: redirectError(otherURL),
				}},
			})
			if got := other.Requests(); len(got) != 0 {
				t.Errorf("the other origin received %d requests (first: %+v), want none", len(got), got[0])
			}
			if got := len(apiRequests(mock)); got != 0 {
				t.Errorf("%d API requests without a token, want 0", got)
			}
			t.Logf("token endpoint %d: the other origin received %d requests", status, len(other.Requests()))
		})
	}
}

// Same origin: followed (DESIGN.md, "Credentials stay with base_url's origin"). The credentials go back
// to the server that already has them; digest answers its fresh challenge.
func TestAccSecurity_sameOriginRedirectIsFollowed(t *testing.T) {
	t.Parallel()
	for _, mode := range credentialBlocks {
		t.Run(mode.name, func(t *testing.T) {
			mock, url := newTestAtlas(t, inviteFull)
			mock.Script(mockatlas.Fault{Location: url + "/api/atlas/v2/orgs/" + testOrgID + "/invites?pretty=true"})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config: providerWith(url, mode.block) + dataSourceConfigs[0].config,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.atlasinv_org_invites.test",
							tfjsonpath.New("invites").AtSliceIndex(0).AtMapKey("id"), knownvalue.StringExact(inviteFull.ID)),
					},
				}},
			})
			if n := countRequests(mock, func(r mockatlas.Request) bool { return r.Query.Get("pretty") == "true" && r.Authenticated }); n != 1 {
				t.Errorf("%d signed requests to the redirect target, want 1", n)
			}
		})
	}
}

// A 1 GiB answer (success or error) is refused at 64 MiB while it streams,
// once: retrying would get the same answer. The users pages go through the
// same client.
func TestAccSecurity_hugeAnswerIsRefused(t *testing.T) {
	t.Parallel()
	lists := []struct{ config, path string }{
		{dataSourceConfigs[0].config, "/invites"},
		{dataSourceConfigs[2].config, "/users?"},
	}
	for _, status := range []int{http.StatusOK, http.StatusServiceUnavailable} {
		for _, list := range lists {
			t.Run(http.StatusText(status)+"/"+strings.Trim(list.path, "/?"), func(t *testing.T) {
				mock, url := newTestAtlas(t, inviteFull)
				mock.SetFault(&mockatlas.Fault{Status: status, BodySize: 1 << 30})
				resource.ParallelTest(t, resource.TestCase{
					ProtoV6ProviderFactories: factories(nil),
					Steps: []resource.TestStep{{
						Config: digestProvider(url) + list.config,
						ExpectError: regexp.MustCompile(`(?s)Atlas Answer Too Large.*limit\s+of\s+64\s+MiB.*Request:\s+GET\s+` +
							regexp.QuoteMeta(url+"/api/atlas/v2/orgs/"+testOrgID+list.path)),
					}},
				})
				if got := authenticatedStatuses(mock); len(got) != 1 {
					t.Errorf("signed requests answered %v, want exactly one (not retried)", got)
				}
			})
		}
	}
}
