package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// Atlas documents totalCount as an estimate ("may not be exact"): a plan
// lists every user once whatever the count says, and a count that is
// missing, wrong or absurd is no error.
func TestAccOrgUsers_countIsAnEstimate(t *testing.T) {
	t.Parallel()
	huge, negative := int64(1<<62), int64(-1)
	demo := mockatlas.DemoUsers() // nine users, as in Atlas's recorded answer
	large := mockatlas.GenerateUsers(testOrgID, 1100, mockatlas.StatusPending, mockatlas.StatusActive)
	tests := []struct {
		name      string
		users     []mockatlas.User
		count     mockatlas.Count
		wantPages int
	}{
		// Atlas's own recorded answer: nine rows, a count of ten.
		{"recorded answer, one too high", demo, mockatlas.Count{Skew: 1}, 1},
		{"one too low", demo, mockatlas.Count{Skew: -1}, 1},
		{"five too high over three pages", large, mockatlas.Count{Skew: 5}, 3},
		{"five too low over three pages", large, mockatlas.Count{Skew: -5}, 3},
		{"no count on page 1", large, mockatlas.Count{Absent: true}, 3},
		{"below zero", large, mockatlas.Count{Fixed: &negative}, 3},
		{"2^62 with nine users", demo, mockatlas.Count{Fixed: &huge}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mock, url := newUsersAtlas(t, tt.users...)
			mock.SetUsersTotalCount(testOrgID, tt.count)
			want := len(visibleByDefault(tt.users))
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config: digestProvider(url) + usersBlock("estimated"),
					ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue("data.atlasinv_org_users.estimated",
						tfjsonpath.New("users"), knownvalue.ListSizeExact(want))},
					Check: func(s *terraform.State) error {
						return distinctUserIDs(s, "data.atlasinv_org_users.estimated", visibleByDefault(tt.users))
					},
				}},
			})
			// Terraform may read the data source more than once per step;
			// each read starts at page 1.
			pages, reads := usersPages(mock), 0
			for _, r := range pages {
				if r.Query.Get("pageNum") == "1" {
					reads++
				}
			}
			if reads == 0 || len(pages) != reads*tt.wantPages {
				t.Errorf("%d page requests in %d reads, want %d per read", len(pages), reads, tt.wantPages)
			}
		})
	}
}

// visibleByDefault are the users Atlas lists when no status is given.
func visibleByDefault(users []mockatlas.User) []mockatlas.User {
	var out []mockatlas.User
	for _, u := range users {
		if u.OrgMembershipStatus == mockatlas.StatusActive || u.OrgMembershipStatus == mockatlas.StatusPending {
			out = append(out, u)
		}
	}
	return out
}
