package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

const otherTestOrg = "5f0c0ffee0c0ffee0c0ffe01"

// orgsAtlas has two organizations: the test one and another.
func orgsAtlas(t *testing.T) (*mockatlas.Server, string) {
	t.Helper()
	mock, url := newTestAtlas(t)
	mock.SetOrgName(testOrgID, "Production")
	mock.AddOrg(otherTestOrg)
	mock.SetOrgName(otherTestOrg, "production-eu")
	return mock, url
}

func orgsAre(address string, orgs ...[2]string) statecheck.StateCheck {
	checks := make([]knownvalue.Check, len(orgs))
	for i, o := range orgs {
		checks[i] = knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id": knownvalue.StringExact(o[0]), "name": knownvalue.StringExact(o[1]), "is_deleted": knownvalue.Bool(false),
		})
	}
	return statecheck.ExpectKnownValue(address, tfjsonpath.New("organizations"), knownvalue.ListExact(checks))
}

// A key that sees every organization lists them all, sorted by name; name
// keeps only the exact match although Atlas's filter is a prefix match that
// ignores case.
func TestAccOrgs_listsWhatTheCredentialsSee(t *testing.T) {
	mock, url := orgsAtlas(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) + `
data "atlasinv_orgs" "all" {}
data "atlasinv_orgs" "exact" {
  name = "Production"
}
data "atlasinv_orgs" "none" {
  name = "Prod"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				orgsAre("data.atlasinv_orgs.all", [2]string{testOrgID, "Production"}, [2]string{otherTestOrg, "production-eu"}),
				orgsAre("data.atlasinv_orgs.exact", [2]string{testOrgID, "Production"}),
				orgsAre("data.atlasinv_orgs.none"),
			},
		}},
	})
	sent := map[string]bool{}
	for _, r := range mock.Requests() {
		if r.Authenticated && r.Path == "/api/atlas/v2/orgs" {
			sent[r.Query.Get("name")] = true
		}
	}
	if !sent["Production"] || !sent["Prod"] || !sent[""] {
		t.Errorf("names sent to Atlas: %v, want the filter sent as given (and none for the list of all)", sent)
	}
}

// An organization key sees its own organization only: org_id comes from the
// credentials, and the name joins back onto the users.
func TestAccOrgs_organizationKeySeesItsOwn(t *testing.T) {
	mock, url := orgsAtlas(t)
	mock.RestrictToOrg(testPublicKey, testOrgID)
	mock.AddUsers(testOrgID, mockatlas.DemoUsers()...)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) + `
data "atlasinv_orgs" "mine" {}
data "atlasinv_org_users" "pending" {
  org_id                  = one(data.atlasinv_orgs.mine.organizations).id
  org_membership_statuses = ["PENDING"]
}
output "first" {
  value = "${one(data.atlasinv_orgs.mine.organizations).name}: ${data.atlasinv_org_users.pending.users[0].username}"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				orgsAre("data.atlasinv_orgs.mine", [2]string{testOrgID, "Production"}),
				statecheck.ExpectKnownOutputValue("first", knownvalue.StringExact("Production: alice.admin@example.com")),
			},
		}},
	})
}

// Atlas's count is an estimate here too: wrong or absent, every
// organization is listed once.
func TestAccOrgs_countIsAnEstimate(t *testing.T) {
	for name, c := range map[string]mockatlas.Count{"one too high": {Skew: 1}, "absent": {Absent: true}} {
		t.Run(name, func(t *testing.T) {
			mock, url := orgsAtlas(t)
			mock.SetOrgsTotalCount(c)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config: digestProvider(url) + "data \"atlasinv_orgs\" \"all\" {}\n",
					ConfigStateChecks: []statecheck.StateCheck{
						orgsAre("data.atlasinv_orgs.all", [2]string{testOrgID, "Production"}, [2]string{otherTestOrg, "production-eu"}),
					},
				}},
			})
		})
	}
}

func TestAccOrgs_errorsNameTheRequest(t *testing.T) {
	mock, url := orgsAtlas(t)
	mock.SetFault(&mockatlas.Fault{Status: 403})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:      digestProvider(url, "max_retries = 0") + "data \"atlasinv_orgs\" \"all\" {}\n",
			ExpectError: errorText(`Atlas Denied Access ... Request: GET ... /api/atlas/v2/orgs?includeCount=true&itemsPerPage=500&pageNum=1 ... HTTP status: 403`),
		}},
	})
}

// name is exact, case included: Atlas's filter answers every organization
// whose name starts with it in any case, and only the one spelt as given
// stays.
func TestAccOrgs_nameFilterMatchesCase(t *testing.T) {
	const upperOrg, lowerOrg = "5f0c0ffee0c0ffee0c0ffe02", "5f0c0ffee0c0ffee0c0ffe03"
	mock, url := orgsAtlas(t)
	mock.AddOrg(upperOrg)
	mock.SetOrgName(upperOrg, "PRODUCTION")
	mock.AddOrg(lowerOrg)
	mock.SetOrgName(lowerOrg, "production")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) + `
data "atlasinv_orgs" "title" {
  name = "Production"
}
data "atlasinv_orgs" "lower" {
  name = "production"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				orgsAre("data.atlasinv_orgs.title", [2]string{testOrgID, "Production"}),
				orgsAre("data.atlasinv_orgs.lower", [2]string{lowerOrg, "production"}),
			},
		}},
	})
}

// Organizations are sorted by name, then id, whatever order Atlas answers
// in: two organizations may share a name. The mock answers in that order
// already, so the answer here is scripted out of order.
func TestAccOrgs_sortedByNameThenID(t *testing.T) {
	const first, second, third = "5f0c0ffee0c0ffee0c0ffe11", "5f0c0ffee0c0ffee0c0ffe12", "5f0c0ffee0c0ffee0c0ffe13"
	mock, url := orgsAtlas(t)
	mock.SetFault(&mockatlas.Fault{Body: `{"links":[],"totalCount":3,"results":[` +
		`{"id":"` + third + `","name":"Twin","isDeleted":false,"links":[]},` +
		`{"id":"` + second + `","name":"Twin","isDeleted":false,"links":[]},` +
		`{"id":"` + first + `","name":"Alone","isDeleted":false,"links":[]}]}`})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) + "data \"atlasinv_orgs\" \"all\" {}\n",
			ConfigStateChecks: []statecheck.StateCheck{
				orgsAre("data.atlasinv_orgs.all", [2]string{first, "Alone"}, [2]string{second, "Twin"}, [2]string{third, "Twin"}),
			},
		}},
	})
}
