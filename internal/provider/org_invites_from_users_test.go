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

// atlasinv_org_invites served from the organization users API keeps what
// the data source promises on the invitations API.

// The username filter still filters: the one pending invitation of that
// address, not every pending user of the organization.
func TestAccOrgInvitesFromUsers_usernameFilters(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		source string // a provider block line
		retire bool
	}{
		"org_users":              {source: `invitations_source = "org_users"`},
		"auto, after the switch": {retire: true},
	} {
		t.Run(name, func(t *testing.T) {
			mock, url, invites := pairedAtlas(t)
			mock.RetireInvitations(tc.retire)
			const username = "bob+atlas@example.com"
			var wantID string
			for _, u := range mockatlas.PendingUsersFor(invites) {
				if u.Username == username {
					wantID = u.ID
				}
			}
			if wantID == "" || len(invites) < 2 {
				t.Fatalf("the fixtures need %s among several pending users", username)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config: digestProvider(url, tc.source) + fmt.Sprintf(`
data "atlasinv_org_invites" "x" {
  org_id   = %q
  username = %q
}`, testOrgID, username),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.atlasinv_org_invites.x", tfjsonpath.New("invites"), knownvalue.ListExact([]knownvalue.Check{
							knownvalue.ObjectPartial(map[string]knownvalue.Check{
								"id":       knownvalue.StringExact(wantID),
								"username": knownvalue.StringExact(username),
							}),
						})),
					},
				}},
			})
		})
	}
}

// A users list that keeps changing fails atlasinv_org_invites with a hint
// that names its own filter, username, and not atlasinv_org_users'
// org_membership_statuses, which this data source does not have.
func TestAccOrgInvitesFromUsers_listHintNamesItsOwnFilter(t *testing.T) {
	mock, url := newUsersAtlas(t, mockatlas.GenerateUsers(testOrgID, 1234, mockatlas.StatusPending)...)
	mock.SetUsersChurn(testOrgID, -1, mockatlas.ChurnDelete)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url, `invitations_source = "org_users"`) + invitesBlock,
			ExpectError: errorText(`Organization Users Changed During The Read ... or narrow the read with username. ` +
				`Request: GET ... ` + testUsersPath),
		}},
	})
}
