package provider

import (
	"fmt"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

const testProjectsPath = "/api/atlas/v2/orgs/" + testOrgID + "/groups"

// More projects than one page holds: every one is listed once, in name
// order, from every page.
func TestAccOrgProjects_readsEveryPage(t *testing.T) {
	mock, url := newTestAtlas(t)
	projects := mockatlas.GenerateProjects(testOrgID, 1001)
	mock.AddProjects(testOrgID, projects...)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) + fmt.Sprintf("data \"atlasinv_org_projects\" \"all\" {\n  org_id = %q\n}\n", testOrgID),
			ConfigStateChecks: []statecheck.StateCheck{
				namedAre("data.atlasinv_org_projects.all", "projects", idsAndNames(projects, func(p mockatlas.Project) [2]string { return [2]string{p.ID, p.Name} })...),
			},
		}},
	})
	// Terraform reads the data source at plan and again at refresh.
	if got := pagesAsked(mock, testProjectsPath); !slices.Contains(got, "3") {
		t.Errorf("pages asked: %v, want pages 1 to 3 (1001 projects at 500 a page)", got)
	}
}

// name keeps only the project spelt exactly as given, case included:
// Atlas's filter answers every project whose name starts with it in any
// case. Projects that share a name are sorted by id.
func TestAccOrgProjects_nameIsExactAndCaseSensitive(t *testing.T) {
	const prod, prodUpper, prodEU, twinA, twinB = "6c0000000000000000000c01", "6c0000000000000000000c02",
		"6c0000000000000000000c03", "6c0000000000000000000c04", "6c0000000000000000000c05"
	mock, url := newTestAtlas(t)
	mock.AddProjects(testOrgID,
		mockatlas.Project{ID: twinB, Name: "Twin", Created: "2024-01-01T00:00:00Z"},
		mockatlas.Project{ID: prodEU, Name: "Prod-EU", Created: "2024-01-01T00:00:00Z"},
		mockatlas.Project{ID: prodUpper, Name: "PROD", Created: "2024-01-01T00:00:00Z"},
		mockatlas.Project{ID: twinA, Name: "Twin", Created: "2024-01-01T00:00:00Z"},
		mockatlas.Project{ID: prod, Name: "Prod", Created: "2024-01-01T00:00:00Z"},
	)
	block := func(name, filter string) string {
		return fmt.Sprintf("data \"atlasinv_org_projects\" %q {\n  org_id = %q\n  name = %q\n}\n", name, testOrgID, filter)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) + block("title", "Prod") + block("upper", "PROD") + block("prefix", "Pro") +
				block("twins", "Twin") + fmt.Sprintf("data \"atlasinv_org_projects\" \"all\" {\n  org_id = %q\n}\n", testOrgID),
			ConfigStateChecks: []statecheck.StateCheck{
				namedAre("data.atlasinv_org_projects.title", "projects", [2]string{prod, "Prod"}),
				namedAre("data.atlasinv_org_projects.upper", "projects", [2]string{prodUpper, "PROD"}),
				namedAre("data.atlasinv_org_projects.prefix", "projects"),
				namedAre("data.atlasinv_org_projects.twins", "projects", [2]string{twinA, "Twin"}, [2]string{twinB, "Twin"}),
				namedAre("data.atlasinv_org_projects.all", "projects", [2]string{prodUpper, "PROD"}, [2]string{prod, "Prod"},
					[2]string{prodEU, "Prod-EU"}, [2]string{twinA, "Twin"}, [2]string{twinB, "Twin"}),
			},
		}},
	})
	sent := map[string]bool{}
	for _, r := range mock.Requests() {
		if r.Authenticated && r.Path == testProjectsPath {
			sent[r.Query.Get("name")] = true
		}
	}
	if !sent["Prod"] || !sent["PROD"] || !sent["Pro"] || !sent[""] {
		t.Errorf("names sent to Atlas: %v, want the filter sent as given (and none for the list of all)", sent)
	}
}

// Projects are sorted by name, then id, whatever order Atlas answers in.
// The mock answers in that order already, so the answer is scripted.
func TestAccOrgProjects_sortedByNameThenID(t *testing.T) {
	const first, second, third = "6c0000000000000000000c11", "6c0000000000000000000c12", "6c0000000000000000000c13"
	mock, url := newTestAtlas(t)
	row := func(id, name string) string {
		return `{"clusterCount":0,"created":"2024-01-01T00:00:00Z","id":"` + id + `","links":[],"name":"` + name +
			`","orgId":"` + testOrgID + `","tags":[]}`
	}
	mock.SetFault(&mockatlas.Fault{Body: `{"links":[],"totalCount":3,"results":[` +
		row(third, "b") + "," + row(second, "a") + "," + row(first, "a") + `]}`})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) + fmt.Sprintf("data \"atlasinv_org_projects\" \"all\" {\n  org_id = %q\n}\n", testOrgID),
			ConfigStateChecks: []statecheck.StateCheck{
				namedAre("data.atlasinv_org_projects.all", "projects", [2]string{first, "a"}, [2]string{second, "a"}, [2]string{third, "b"}),
			},
		}},
	})
}

// Credentials below Organization Member are told the role the read needs;
// an org_id the credentials do not see is named as the fault, with no
// role advice.
func TestAccOrgProjects_refusals(t *testing.T) {
	for name, c := range map[string]struct {
		setup func(*mockatlas.Server)
		orgID string
		want  string
	}{
		"missing role": {
			setup: func(m *mockatlas.Server) { m.SetOrgRole(testPublicKey, mockatlas.RoleOrgReadOnly) },
			orgID: testOrgID,
			want:  `Atlas Credentials Lack The Organization Member Role ... reading its projects requires`,
		},
		"another organization": {
			setup: func(m *mockatlas.Server) { m.RestrictToOrg(testPublicKey, testOrgID) },
			orgID: otherTestOrg,
			want:  `Organization Not Visible To These Credentials ... org_id "` + otherTestOrg + `" is not one of the organizations`,
		},
	} {
		t.Run(name, func(t *testing.T) {
			mock, url := newTestAtlas(t)
			mock.AddOrg(otherTestOrg)
			c.setup(mock)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config:      digestProvider(url) + fmt.Sprintf("data \"atlasinv_org_projects\" \"all\" {\n  org_id = %q\n}\n", c.orgID),
					ExpectError: errorText(c.want),
				}},
			})
		})
	}
}
