package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// Atlas answers credentials outside an organization as it answers a missing
// role or a missing organization. Before any advice, the provider reads the
// organizations the credentials see, once per configuration: an org_id they
// do not see is named as the fault, with what they do see and no role
// advice; only an org_id they see gets the role advice; and when the
// organizations cannot be read, both causes are named, the org id first.
func TestAccWrongOrg_namedBeforeAnyRole(t *testing.T) {
	t.Parallel()
	const otherOrg = "6b0c0ffee0c0ffee0c0ffee1"
	typo := testOrgID[:23] + "1"
	principals := map[string]string{"api key": testPublicKey, "service account": testClientID, "access token": "token"}
	tests := []struct {
		name   string
		orgID  string
		setup  func(m *mockatlas.Server, principal string)
		want   []string
		absent []string
	}{
		{
			name: "one digit off", orgID: typo,
			want: []string{"Error: Organization Not Visible To These Credentials",
				fmt.Sprintf(`org_id %q is not one of the organizations that the`, typo), "which is why Atlas answered 404 ORG_NOT_FOUND",
				"Check org_id for a typo", fmt.Sprintf(`They see 1 organization: "Acme-Corp" (%s).`, testOrgID)},
			absent: []string{"Owner", "Give the"},
		},
		{
			name: "the other organization's id", orgID: otherOrg,
			setup: func(m *mockatlas.Server, principal string) {
				m.AddOrg(otherOrg, mockatlas.Invitation{ID: "6b0000000000000000000b01", OrgID: otherOrg, OrgName: "Beta-Corp",
					Username: "zed@example.com", InviterUsername: "owner@example.com", Roles: []string{"ORG_MEMBER"}})
				m.RestrictToOrg(principal, testOrgID)
			},
			want: []string{"Error: Organization Not Visible To These Credentials", "which is why Atlas answered 401 USER_UNAUTHORIZED",
				fmt.Sprintf(`They see 1 organization: "Acme-Corp" (%s).`, testOrgID)},
			absent: []string{"Owner", "Give the", "Beta-Corp"},
		},
		{
			name: "visible, without the role", orgID: testOrgID,
			setup:  func(m *mockatlas.Server, principal string) { m.SetOrgOwner(principal, false) },
			want:   []string{"Error: Atlas Credentials Lack The Organization Owner Role", "Give the API key or service account the Organization Owner role"},
			absent: []string{"Organization Not Visible", "Wrong Organization Id"},
		},
		{
			name: "the organizations cannot be read either", orgID: testOrgID,
			setup: func(m *mockatlas.Server, principal string) {
				m.SetOrgOwner(principal, false)
				m.SetFault(&mockatlas.Fault{Status: http.StatusInternalServerError})
			},
			want: []string{"Error: Wrong Organization Id Or Missing Organization Owner Role",
				"the list of organizations the credentials see, which would tell which, could not be read (Atlas Server Error",
				fmt.Sprintf(`1. org_id %q may not be an organization that the`, testOrgID),
				"2. Atlas accepted the", "lack the Organization Owner role"},
		},
	}
	for _, creds := range credentialBlocks {
		for _, tt := range tests {
			t.Run(creds.name+"/"+tt.name, func(t *testing.T) {
				mock, url := newTestAtlas(t, inviteFull)
				if tt.setup != nil {
					tt.setup(mock, principals[creds.name])
				}
				// Two reads of the plan meet the refusal; the organizations
				// are read once for both.
				config := providerWith(url, creds.block, "max_retries = 0") + fmt.Sprintf(`
data "atlasinv_org_invites" "a" {
  org_id = %q
}
data "atlasinv_org_users" "b" {
  org_id = %q
}`, tt.orgID, tt.orgID)
				var errText string
				resource.ParallelTest(t, resource.TestCase{
					ProtoV6ProviderFactories: factories(nil),
					Steps:                    []resource.TestStep{{Config: config}},
					ErrorCheck: func(err error) error {
						if err != nil {
							errText = err.Error()
						}
						return nil
					},
				})
				flat := strings.Join(strings.Fields(errText), " ")
				for _, w := range tt.want {
					if !strings.Contains(flat, strings.Join(strings.Fields(w), " ")) {
						t.Errorf("the plan's error lacks %q:\n%s", w, errText)
					}
				}
				for _, a := range tt.absent {
					if strings.Contains(flat, a) {
						t.Errorf("the plan's error holds %q:\n%s", a, errText)
					}
				}
				if n := orgsListings(mock); n > 1 {
					t.Errorf("the organizations were read %d times, want at most once per provider configuration", n)
				}
			})
		}
	}
}

// orgsListings counts the authenticated reads of the organizations list.
func orgsListings(m *mockatlas.Server) int {
	n := 0
	for _, r := range m.Requests() {
		if r.Path == "/api/atlas/v2/orgs" && r.Authenticated {
			n++
		}
	}
	return n
}
