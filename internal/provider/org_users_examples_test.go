package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// The atlasinv_org_users example, as the documentation shows it, planned
// against the mock: its check block, its postcondition and its "expires
// within 7 days" local must hold up on every CLI the suite runs on
// (Terraform 1.8.5, Terraform 1.5.7, OpenTofu), whose && does not always
// short-circuit.

// exampleOrgUsersConfig is the example's data-source.tf, read at test time so
// that the test plans what the documentation shows, with the provider
// pointed at the mock. Its variable "org_id" gets its value from
// exampleOrgUsersVariables.
func exampleOrgUsersConfig(t *testing.T, url string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "examples", "data-sources", "atlasinv_org_users", "data-source.tf"))
	if err != nil {
		t.Fatalf("reading the example: %v", err)
	}
	return digestProvider(url) + string(raw)
}

var exampleOrgUsersVariables = config.Variables{"org_id": config.StringVariable(testOrgID)}

const exampleOwner = "owner@coffee.example.com"

// exampleOrgUsers are an organization's users around now: an active owner
// (whom the ORG_OWNER check must not count: it reads PENDING users only), a
// pending invitation whose expiry Atlas left out, one expiring in 3 days,
// one in 20 days, and an expired and a rejected one. No pending invitation
// grants ORG_OWNER and every one names its inviter.
func exampleOrgUsers(now time.Time) []mockatlas.User {
	at := func(d time.Duration) string { return now.Add(d).UTC().Format(time.RFC3339) }
	day := 24 * time.Hour
	member := mockatlas.UserRoles{OrgRoles: []string{"ORG_MEMBER"}}
	return []mockatlas.User{
		{
			ID: "65f1a2b3c4d5e6f708192a3b", Username: exampleOwner, OrgMembershipStatus: mockatlas.StatusActive,
			Roles:     mockatlas.UserRoles{OrgRoles: []string{"ORG_OWNER"}},
			CreatedAt: "2023-09-14T08:00:00Z", LastAuth: at(-day), FirstName: "Olive", LastName: "Owner", Country: "IE",
		},
		{
			ID: "6634f290a54dca182530bb1e", Username: "no.expiry@example.com", OrgMembershipStatus: mockatlas.StatusPending,
			Roles: member, InviterUsername: exampleOwner, InvitationCreatedAt: at(-2 * day),
		},
		{
			ID: "6634f290a54dca182530bb1f", Username: "soon@example.com", OrgMembershipStatus: mockatlas.StatusPending,
			Roles: member, InviterUsername: exampleOwner, InvitationCreatedAt: at(-27 * day), InvitationExpiresAt: at(3 * day),
		},
		{
			ID: "6634f290a54dca182530bb20", Username: "later@example.com", OrgMembershipStatus: mockatlas.StatusPending,
			Roles: member, InviterUsername: exampleOwner, InvitationCreatedAt: at(-10 * day), InvitationExpiresAt: at(20 * day),
		},
		{
			ID: "6601bb22cc33dd44ee55ff66", Username: "grace.gone@example.org", OrgMembershipStatus: mockatlas.StatusInvitationExpired,
			Roles: member, InviterUsername: exampleOwner, InvitationCreatedAt: at(-60 * day), InvitationExpiresAt: at(-30 * day),
		},
		{
			ID: "6602cc33dd44ee55ff667788", Username: "henry.no@example.net", OrgMembershipStatus: mockatlas.StatusInvitationRejected,
			Roles: member, InviterUsername: exampleOwner, InvitationCreatedAt: at(-5 * day),
		},
	}
}

// checkBlockStatus expects the plan's result for the check block name.
type checkBlockStatus struct {
	name string
	want tfjson.CheckStatus
}

func (c checkBlockStatus) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, r := range req.Plan.Checks {
		if r.Address.Kind == tfjson.CheckKindCheckBlock && r.Address.Name == c.name {
			if r.Status != c.want {
				resp.Error = fmt.Errorf("check block %q: status %q, want %q", c.name, r.Status, c.want)
			}
			return
		}
	}
	resp.Error = fmt.Errorf("check block %q not in the plan's check results", c.name)
}

func TestAccOrgUsersExample_plans(t *testing.T) {
	now := time.Now()
	soon := now.Add(3 * 24 * time.Hour).UTC().Format(time.RFC3339)
	ownerInvited := mockatlas.User{
		ID: "662fceab3460be31201e69ff", Username: "erin.ops@example.com", OrgMembershipStatus: mockatlas.StatusPending,
		Roles: mockatlas.UserRoles{OrgRoles: []string{"ORG_OWNER"}}, InviterUsername: exampleOwner,
		InvitationCreatedAt: now.Add(-24 * time.Hour).UTC().Format(time.RFC3339),
	}
	tests := []struct {
		name  string
		users []mockatlas.User
		check tfjson.CheckStatus
	}{
		// A PENDING user without an expiry: the null-safe local skips it,
		// where timecmp(null, ...) would fail the plan. The active owner
		// does not trip the check, which reads PENDING users only.
		{"null expiry, no owner invited", exampleOrgUsers(now), tfjson.CheckStatusPass},
		// An invitation into ORG_OWNER: the check fails, which Terraform
		// and OpenTofu report as a warning; the plan goes on.
		{"owner invited: the check warns", append(exampleOrgUsers(now), ownerInvited), tfjson.CheckStatusFail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, url := newUsersAtlas(t, tt.users...)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config:          exampleOrgUsersConfig(t, url),
					ConfigVariables: exampleOrgUsersVariables,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{checkBlockStatus{"no_pending_org_owner_invitations", tt.check}},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownOutputValue("invitations_expiring_within_7_days",
							knownvalue.MapExact(map[string]knownvalue.Check{"soon@example.com": knownvalue.StringExact(soon)})),
					},
				}},
			})
		})
	}
}

// The postcondition on data.atlasinv_org_users.pending stops the plan with
// an error past 200 pending invitations.
func TestAccOrgUsersExample_postconditionStopsThePlan(t *testing.T) {
	users := append(exampleOrgUsers(time.Now()), mockatlas.GenerateUsers(testOrgID, 201, mockatlas.StatusPending)...)
	_, url := newUsersAtlas(t, users...)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:          exampleOrgUsersConfig(t, url),
			ConfigVariables: exampleOrgUsersVariables,
			ExpectError:     errorText(`Resource postcondition failed ... pending invitations: review who is inviting in bulk before relying on this list.`),
		}},
	})
}
