package provider

import (
	"fmt"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

const testTeamsPath = "/api/atlas/v2/orgs/" + testOrgID + "/teams"

func teamsBlock() string {
	return fmt.Sprintf("data \"atlasinv_org_teams\" \"all\" {\n  org_id = %q\n}\n", testOrgID)
}

// More teams than one page holds: every one is listed once, in name order,
// from every page.
func TestAccOrgTeams_readsEveryPage(t *testing.T) {
	mock, url := newTestAtlas(t)
	teams := mockatlas.GenerateTeams(testOrgID, 1001)
	mock.AddTeams(testOrgID, teams...)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) + teamsBlock(),
			ConfigStateChecks: []statecheck.StateCheck{
				namedAre("data.atlasinv_org_teams.all", "teams", idsAndNames(teams, func(t mockatlas.Team) [2]string { return [2]string{t.ID, t.Name} })...),
			},
		}},
	})
	if got := pagesAsked(mock, testTeamsPath); !slices.Contains(got, "3") {
		t.Errorf("pages asked: %v, want pages 1 to 3 (1001 teams at 500 a page)", got)
	}
}

// Teams are sorted by name, then id, whatever order Atlas answers in: two
// teams may share a name. The answer is scripted out of order.
func TestAccOrgTeams_sortedByNameThenID(t *testing.T) {
	const first, second, third = "6b0000000000000000000b11", "6b0000000000000000000b12", "6b0000000000000000000b13"
	mock, url := newTestAtlas(t)
	row := func(id, name string) string { return `{"id":"` + id + `","links":[],"name":"` + name + `"}` }
	mock.SetFault(&mockatlas.Fault{Body: `{"links":[],"totalCount":3,"results":[` +
		row(third, "Ops") + "," + row(second, "Dev") + "," + row(first, "Dev") + `]}`})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) + teamsBlock(),
			ConfigStateChecks: []statecheck.StateCheck{
				namedAre("data.atlasinv_org_teams.all", "teams", [2]string{first, "Dev"}, [2]string{second, "Dev"}, [2]string{third, "Ops"}),
			},
		}},
	})
}

// An organization without teams lists none; credentials below
// Organization Member are told the role the read needs.
func TestAccOrgTeams_emptyAndRefused(t *testing.T) {
	mock, url := newTestAtlas(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:            digestProvider(url) + teamsBlock(),
			ConfigStateChecks: []statecheck.StateCheck{namedAre("data.atlasinv_org_teams.all", "teams")},
		}, {
			PreConfig:   func() { mock.SetOrgRole(testPublicKey, mockatlas.RoleOrgReadOnly) },
			Config:      digestProvider(url) + teamsBlock(),
			ExpectError: errorText(`Atlas Credentials Lack The Organization Member Role ... reading its teams requires`),
		}},
	})
}
