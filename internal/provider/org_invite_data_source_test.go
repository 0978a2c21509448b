package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func orgInviteConfig(url, invitationID string) string {
	return digestProvider(url) + fmt.Sprintf(`
data "atlasinv_org_invite" "test" {
  org_id        = %q
  invitation_id = %q
}`, testOrgID, invitationID)
}

func TestAccOrgInvite_allFields(t *testing.T) {
	_, url := newTestAtlas(t, inviteMinimal, inviteFull)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: orgInviteConfig(url, inviteFull.ID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.atlasinv_org_invite.test", tfjsonpath.New("invitation_id"), knownvalue.StringExact(inviteFull.ID)),
				statecheck.ExpectKnownValue("data.atlasinv_org_invite.test", tfjsonpath.New("id"), knownvalue.StringExact(inviteFull.ID)),
				statecheck.ExpectKnownValue("data.atlasinv_org_invite.test", tfjsonpath.New("org_id"), knownvalue.StringExact(testOrgID)),
				statecheck.ExpectKnownValue("data.atlasinv_org_invite.test", tfjsonpath.New("org_name"), knownvalue.StringExact("Acme-Corp")),
				statecheck.ExpectKnownValue("data.atlasinv_org_invite.test", tfjsonpath.New("username"), knownvalue.StringExact("a+b@example.com")),
				statecheck.ExpectKnownValue("data.atlasinv_org_invite.test", tfjsonpath.New("inviter_username"), knownvalue.StringExact("owner@example.com")),
				statecheck.ExpectKnownValue("data.atlasinv_org_invite.test", tfjsonpath.New("created_at"), knownvalue.StringExact("2024-05-01T10:00:00Z")),
				statecheck.ExpectKnownValue("data.atlasinv_org_invite.test", tfjsonpath.New("expires_at"), knownvalue.StringExact("2024-05-31T10:00:00Z")),
				statecheck.ExpectKnownValue("data.atlasinv_org_invite.test", tfjsonpath.New("roles"), knownvalue.SetExact([]knownvalue.Check{
					knownvalue.StringExact("ORG_BILLING_ADMIN"), knownvalue.StringExact("ORG_MEMBER"),
				})),
				statecheck.ExpectKnownValue("data.atlasinv_org_invite.test", tfjsonpath.New("team_ids"), knownvalue.SetExact([]knownvalue.Check{
					knownvalue.StringExact("6b0000000000000000000b01"), knownvalue.StringExact("6b0000000000000000000b02"),
				})),
				statecheck.ExpectKnownValue("data.atlasinv_org_invite.test", tfjsonpath.New("group_role_assignments"), knownvalue.SetExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"group_id": knownvalue.StringExact("6c0000000000000000000c01"), "group_role": knownvalue.StringExact("GROUP_READ_ONLY"),
					}),
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"group_id": knownvalue.StringExact("6c0000000000000000000c02"), "group_role": knownvalue.StringExact("GROUP_DATA_ACCESS_ADMIN"),
					}),
				})),
			},
		}},
	})
}

func TestAccOrgInvite_requiredFieldsOnly(t *testing.T) {
	_, url := newTestAtlas(t, inviteMinimal, inviteFull)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: orgInviteConfig(url, inviteMinimal.ID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.atlasinv_org_invite.test", tfjsonpath.New("id"), knownvalue.StringExact(inviteMinimal.ID)),
				statecheck.ExpectKnownValue("data.atlasinv_org_invite.test", tfjsonpath.New("org_id"), knownvalue.StringExact(testOrgID)),
				statecheck.ExpectKnownValue("data.atlasinv_org_invite.test", tfjsonpath.New("org_name"), knownvalue.StringExact("Acme-Corp")),
				statecheck.ExpectKnownValue("data.atlasinv_org_invite.test", tfjsonpath.New("username"), knownvalue.StringExact("dave@example.com")),
				statecheck.ExpectKnownValue("data.atlasinv_org_invite.test", tfjsonpath.New("inviter_username"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.atlasinv_org_invite.test", tfjsonpath.New("created_at"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.atlasinv_org_invite.test", tfjsonpath.New("expires_at"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.atlasinv_org_invite.test", tfjsonpath.New("roles"), emptySet()),
				statecheck.ExpectKnownValue("data.atlasinv_org_invite.test", tfjsonpath.New("team_ids"), emptySet()),
				statecheck.ExpectKnownValue("data.atlasinv_org_invite.test", tfjsonpath.New("group_role_assignments"), emptySet()),
			},
		}},
	})
}

func TestAccOrgInvite_unknownIDNamesBothIDs(t *testing.T) {
	_, url := newTestAtlas(t, inviteFull)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:      orgInviteConfig(url, "6a00000000000000000fffff"),
			ExpectError: errorText(`Atlas Resource Not Found ... Invitation "6a00000000000000000fffff" in organization "` + testOrgID + `" does not exist`),
		}},
	})
}

func TestAccOrgInvite_invalidIDFailsBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	mock, url := newTestAtlas(t, inviteFull)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:      orgInviteConfig(url, "6A0000000000000000000A01"),
			ExpectError: errorText(`Attribute invitation_id must be the 24-character lower-case hexadecimal id of the invitation`),
		}},
	})
	if n := len(mock.Requests()); n != 0 {
		t.Errorf("mock saw %d requests, want none", n)
	}
}

// TestAccOrgInvite_sameAsListElement reads one invitation both ways in one
// configuration: the two data sources share one conversion, so the objects
// must be equal attribute by attribute.
func TestAccOrgInvite_sameAsListElement(t *testing.T) {
	_, url := newTestAtlas(t, inviteMinimal, inviteFull, inviteRolesOnly)
	same := statecheck.CompareValue(compare.ValuesSame())
	var checks []statecheck.StateCheck
	for _, attr := range []string{"id", "org_id", "org_name", "username", "inviter_username", "created_at", "expires_at",
		"roles", "team_ids", "group_role_assignments"} {
		pair := statecheck.CompareValue(compare.ValuesSame())
		checks = append(checks,
			pair.AddStateValue("data.atlasinv_org_invites.all", tfjsonpath.New("invites").AtSliceIndex(0).AtMapKey(attr)),
			pair.AddStateValue("data.atlasinv_org_invite.one", tfjsonpath.New(attr)),
		)
	}
	checks = append(checks,
		same.AddStateValue("data.atlasinv_org_invites.all", tfjsonpath.New("invites").AtSliceIndex(0).AtMapKey("id")),
		same.AddStateValue("data.atlasinv_org_invite.one", tfjsonpath.New("invitation_id")),
	)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) + fmt.Sprintf(`
data "atlasinv_org_invites" "all" {
  org_id   = %q
  username = %q
}
data "atlasinv_org_invite" "one" {
  org_id        = %q
  invitation_id = %q
}`, testOrgID, inviteFull.Username, testOrgID, inviteFull.ID),
			ConfigStateChecks: checks,
		}},
	})
}
