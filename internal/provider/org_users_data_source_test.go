package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// usernamesAre checks the users' usernames, in order.
func usernamesAre(name string, usernames ...string) statecheck.StateCheck {
	checks := make([]knownvalue.Check, len(usernames))
	for i, u := range usernames {
		checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"username": knownvalue.StringExact(u)})
	}
	return statecheck.ExpectKnownValue("data.atlasinv_org_users."+name, tfjsonpath.New("users"), knownvalue.ListExact(checks))
}

func TestAccOrgUsers_statusFiltersAndDefault(t *testing.T) {
	mock, url := newUsersAtlas(t, mockatlas.DemoUsers()...)
	// Atlas answers in username order; served in the fixtures' own order,
	// the order checked below is the provider's own sort.
	mock.SetUsersUnsorted(testOrgID, true)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) +
				usersBlock("default") +
				usersBlock("active", `org_membership_statuses = ["ACTIVE"]`) +
				usersBlock("pending", `org_membership_statuses = ["PENDING"]`) +
				usersBlock("expired", `org_membership_statuses = ["INVITATION_EXPIRED"]`) +
				usersBlock("rejected", `org_membership_statuses = ["INVITATION_REJECTED"]`) +
				usersBlock("cleanup", `org_membership_statuses = ["INVITATION_REJECTED", "INVITATION_EXPIRED"]`),
			ConfigStateChecks: []statecheck.StateCheck{
				// Left out: Atlas's default, ACTIVE and PENDING.
				usernamesAre("default", "alice.admin@example.com", "bob+atlas@example.com", "carol@example.org",
					"dave@example.net", "erin.ops@example.com", "frank.former@example.com", "owner@coffee.example.com"),
				statecheck.ExpectKnownValue("data.atlasinv_org_users.default", tfjsonpath.New("org_membership_statuses"), knownvalue.Null()),
				usernamesAre("active", "frank.former@example.com", "owner@coffee.example.com"),
				usernamesAre("pending", "alice.admin@example.com", "bob+atlas@example.com", "carol@example.org",
					"dave@example.net", "erin.ops@example.com"),
				usernamesAre("expired", "grace.gone@example.org"),
				usernamesAre("rejected", "henry.no@example.net"),
				usernamesAre("cleanup", "grace.gone@example.org", "henry.no@example.net"),
				statecheck.ExpectKnownValue("data.atlasinv_org_users.cleanup", tfjsonpath.New("org_membership_statuses"),
					knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("INVITATION_EXPIRED"), knownvalue.StringExact("INVITATION_REJECTED")})),
			},
		}},
	})
	// What went on the wire: the version that honours filters, and nothing
	// at all for the default.
	sent := map[string]bool{}
	for _, r := range usersPages(mock) {
		if r.Accept != mockatlas.UsersMediaType {
			t.Errorf("Accept %q, want %q", r.Accept, mockatlas.UsersMediaType)
		}
		sent[strings.Join(r.Query["orgMembershipStatuses"], ",")] = true
	}
	for _, want := range []string{"", "ACTIVE", "PENDING", "INVITATION_EXPIRED", "INVITATION_REJECTED", "INVITATION_EXPIRED,INVITATION_REJECTED"} {
		if !sent[want] {
			t.Errorf("no request with orgMembershipStatuses=%q; sent %v", want, sent)
		}
	}
}

func TestAccOrgUsers_everyFieldNullsAndEmptySets(t *testing.T) {
	_, url := newUsersAtlas(t, mockatlas.DemoUsers()...)
	null := knownvalue.Null()
	s := knownvalue.StringExact
	set := func(items ...string) knownvalue.Check {
		checks := []knownvalue.Check{}
		for _, i := range items {
			checks = append(checks, s(i))
		}
		return knownvalue.SetExact(checks)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) + usersBlock("all", `org_membership_statuses = ["ACTIVE", "PENDING", "INVITATION_EXPIRED", "INVITATION_REJECTED"]`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.atlasinv_org_users.all", tfjsonpath.New("users"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{ // pending, projects and teams
						"id": s("6620e2486d132cded6237b2f"), "username": s("alice.admin@example.com"), "org_membership_status": s("PENDING"),
						"org_roles": set("ORG_BILLING_ADMIN", "ORG_MEMBER"),
						"group_role_assignments": knownvalue.SetExact([]knownvalue.Check{
							knownvalue.ObjectExact(map[string]knownvalue.Check{"group_id": s("65eef240daa0eee8b9997f5c"), "group_roles": set("GROUP_OWNER")}),
							knownvalue.ObjectExact(map[string]knownvalue.Check{"group_id": s("65eef2417c2999fdafe59325"),
								"group_roles": set("GROUP_DATA_ACCESS_READ_ONLY", "GROUP_READ_ONLY")}),
						}),
						"team_ids":         set("65badf003cd654af4dfad714", "65badf0227a0aeb3fee9232f"),
						"inviter_username": s("owner@coffee.example.com"), "invitation_created_at": s("2024-04-18T09:05:12Z"),
						"invitation_expires_at": s("2024-05-18T09:05:12Z"), "created_at": null, "last_auth": null,
						"first_name": null, "last_name": null, "country": null,
					}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"username": s("bob+atlas@example.com")}),
					knownvalue.ObjectExact(map[string]knownvalue.Check{ // only the required fields
						"id": s("66388e00d91e3f721fcb1972"), "username": s("carol@example.org"), "org_membership_status": s("PENDING"),
						"org_roles": set(), "group_role_assignments": knownvalue.SetExact([]knownvalue.Check{}), "team_ids": set(),
						"inviter_username": null, "invitation_created_at": null, "invitation_expires_at": null,
						"created_at": null, "last_auth": null, "first_name": null, "last_name": null, "country": null,
					}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"username": s("dave@example.net")}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"username": s("erin.ops@example.com")}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"username": s("frank.former@example.com")}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"username": s("grace.gone@example.org"),
						"org_membership_status": s("INVITATION_EXPIRED"), "invitation_expires_at": s("2024-03-02T09:00:00Z")}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"username": s("henry.no@example.net"),
						"org_membership_status": s("INVITATION_REJECTED"), "invitation_created_at": s("2024-03-11T11:11:11Z"),
						"invitation_expires_at": null}),
					knownvalue.ObjectExact(map[string]knownvalue.Check{ // active: every field, no phone number
						"id": s("65f1a2b3c4d5e6f708192a3b"), "username": s("owner@coffee.example.com"), "org_membership_status": s("ACTIVE"),
						"org_roles": set("ORG_OWNER"), "group_role_assignments": knownvalue.SetExact([]knownvalue.Check{}), "team_ids": set(),
						"inviter_username": null, "invitation_created_at": null, "invitation_expires_at": null,
						"created_at": s("2023-09-14T08:00:00Z"), "last_auth": s("2024-05-06T07:55:10Z"),
						"first_name": s("Olive"), "last_name": s("Owner"), "country": s("IE"),
					}),
				})),
			},
		}},
	})
}

func TestAccOrgUsers_usernameFilter(t *testing.T) {
	mock, url := newUsersAtlas(t, mockatlas.DemoUsers()...)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) + usersBlock("bob", `username = "bob+atlas@example.com"`) +
				usersBlock("nobody", `username = "nobody@example.com"`),
			ConfigStateChecks: []statecheck.StateCheck{
				usernamesAre("bob", "bob+atlas@example.com"),
				statecheck.ExpectKnownValue("data.atlasinv_org_users.bob", tfjsonpath.New("username"), knownvalue.StringExact("bob+atlas@example.com")),
				usernamesAre("nobody"),
			},
		}},
	})
	for _, r := range usersPages(mock) {
		if u := r.Query.Get("username"); u != "bob+atlas@example.com" && u != "nobody@example.com" {
			t.Errorf("username sent as %q (raw query %s)", u, r.RawQuery)
		}
	}
}

// TestAccOrgUsers_threePagesNoDuplicate reads 1,234 users: pages of 500,
// each with the count (page 1's decides how many to ask for at once, the
// last one's is compared with it), each user exactly once.
func TestAccOrgUsers_threePagesNoDuplicate(t *testing.T) {
	users := mockatlas.GenerateUsers(testOrgID, 1234, mockatlas.StatusActive, mockatlas.StatusPending)
	mock, url := newUsersAtlas(t, users...)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) + usersBlock("big"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.atlasinv_org_users.big", tfjsonpath.New("users"), knownvalue.ListSizeExact(1234)),
			},
			Check: func(s *terraform.State) error { return distinctUserIDs(s, "data.atlasinv_org_users.big", users) },
		}},
	})
	pages := map[string]int{}
	for _, r := range usersPages(mock) {
		pages[r.Query.Get("pageNum")+"/"+r.Query.Get("itemsPerPage")+"/"+r.Query.Get("includeCount")]++
	}
	if len(pages) != 3 || pages["1/500/true"] == 0 || pages["2/500/true"] != pages["1/500/true"] || pages["3/500/true"] != pages["1/500/true"] {
		t.Errorf("pages requested (page/itemsPerPage/includeCount: times) %v, want pages 1, 2 and 3 once per read, each with the count", pages)
	}
}

// A user inserted while the pages are read shifts the later pages by one:
// a user on two pages. The list is read once more, and the plan gets it as
// the second read saw it, each user once.
func TestAccOrgUsers_listChangingOnceIsReadAgain(t *testing.T) {
	users := mockatlas.GenerateUsers(testOrgID, 1234, mockatlas.StatusPending)
	mock, url := newUsersAtlas(t, users...)
	mock.SetUsersChurn(testOrgID, 1, mockatlas.ChurnInsert)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:            digestProvider(url) + usersBlock("moving"),
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue("data.atlasinv_org_users.moving", tfjsonpath.New("users"), knownvalue.ListSizeExact(1235))},
			Check:             func(s *terraform.State) error { return distinctUserIDs(s, "data.atlasinv_org_users.moving", users) },
		}},
	})
	// The first read saw the change and read all three pages again.
	if got := usersPages(mock); len(got) < 6 || got[3].Query.Get("pageNum") != "1" {
		t.Errorf("%d page requests; want the first read to read page 1 again as its fourth request", len(got))
	}
}

// The change only the counts can see: 1,200 users, pages 2 and 3 read at
// once, page 3 answers and ends the list, then a user is inserted in page
// 2's range, so page 2 pushes its last user onto page 3, already read. No
// user is on two pages; page 2's count (1,201) tells the change, the list is
// read again, and the state holds every user, the inserted one included.
func TestAccOrgUsers_insertionOntoAPageAlreadyReadIsReadAgain(t *testing.T) {
	users := mockatlas.GenerateUsers(testOrgID, 1200, mockatlas.StatusPending)
	mock, url := newUsersAtlas(t, users...)
	mock.SetUsersInsertWhileHeld(testOrgID, 3, 2, 700)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:            digestProvider(url) + usersBlock("moving"),
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue("data.atlasinv_org_users.moving", tfjsonpath.New("users"), knownvalue.ListSizeExact(1201))},
			Check:             func(s *terraform.State) error { return distinctUserIDs(s, "data.atlasinv_org_users.moving", users) },
		}},
	})
	if got := usersPages(mock); len(got) < 6 || got[3].Query.Get("pageNum") != "1" {
		t.Errorf("%d page requests; want the first read to read page 1 again as its fourth request", len(got))
	}
}

// A user deleted while the pages are read is skipped silently by the later
// pages; Atlas's count on those pages tells it. Twice in a row
// fails the plan rather than hand it a list with a user missing.
func TestAccOrgUsers_listAlwaysChangingFails(t *testing.T) {
	mock, url := newUsersAtlas(t, mockatlas.GenerateUsers(testOrgID, 1234, mockatlas.StatusPending)...)
	mock.SetUsersChurn(testOrgID, -1, mockatlas.ChurnDelete)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) + usersBlock("moving"),
			ExpectError: errorText(`Organization Users Changed During The Read ... The users changed while Terraform read them page by page, ` +
				`on two reads in a row (Atlas's count changed from 1233 on page 1 to 1232 on page 2) ... Run the plan again ... ` +
				`Request: GET ... ` + testUsersPath + ` ... Pages read: 3 ... Atlas's estimated count: 1233 on page 1, 1232 on page 2`),
		}},
	})
	if n := len(usersPages(mock)); n != 6 {
		t.Errorf("%d page requests, want 6: two reads of three pages, then the error", n)
	}
}

func TestAccOrgUsers_badStatusesFailAtPlan(t *testing.T) {
	t.Parallel()
	mock, url := newUsersAtlas(t, mockatlas.DemoUsers()...)
	tests := []struct{ arg, want string }{
		{`org_membership_statuses = []`, `Empty Membership Status Set ... org_membership_statuses is an empty set ... Leave it out for Atlas's default (ACTIVE and PENDING users)`},
		{`org_membership_statuses = ["pending"]`, `Attribute org_membership_statuses[Value("pending")] value must be one of: ["ACTIVE" "PENDING" "INVITATION_EXPIRED" "INVITATION_REJECTED"], got: "pending"`},
		{`org_membership_statuses = ["ACTIVE", "INVITED"]`, `value must be one of: ... got: "INVITED"`},
		{`org_membership_statuses = [""]`, `got: ""`},
		{`org_id = "5F0C0FFEE0C0FFEE0C0FFEE0"`, `Attribute org_id must be the 24-character lower-case hexadecimal id`},
		{`username = ""`, `Empty Username Filter ... leave username out to list every user, or set it to one email address`},
	}
	for _, tt := range tests {
		config := digestProvider(url) + usersBlock("bad", tt.arg)
		if strings.HasPrefix(tt.arg, "org_id") {
			config = digestProvider(url) + "data \"atlasinv_org_users\" \"bad\" {\n  " + tt.arg + "\n}\n"
		}
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(nil),
			Steps:                    []resource.TestStep{{Config: config, ExpectError: errorText(tt.want)}},
		})
	}
	if n := len(mock.Requests()); n != 0 {
		t.Errorf("mock saw %d requests, want none: validation must fail at plan, before any request", n)
	}
}

// TestAccOrgUsers_errorsAsForTheOtherDataSources: each failure reads the
// same for the users data source as for the invitations one, with the users
// request named.
func TestAccOrgUsers_errorsAsForTheOtherDataSources(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault *mockatlas.Fault
		org   string
		want  string
	}{
		{"401", nil, testOrgID, `Atlas Rejected The Credentials ... did not accept the API key (HTTP digest) credentials`},
		{"403", &mockatlas.Fault{Status: http.StatusForbidden}, testOrgID, `Atlas Denied Access ... Atlas refused the request from 192.0.2.1 ... not on the API access list`},
		// An organization the key does not see: named as such (wrong_org_test.go).
		{"404", nil, unknownTestOrg, `Organization Not Visible To These Credentials ... org_id "` + unknownTestOrg + `" is not one of the organizations ` +
			`that the API key (HTTP digest) credentials (public key "` + testPublicKey + `", from the provider attributes public_key and private_key) can see`},
		{"429", &mockatlas.Fault{Status: http.StatusTooManyRequests, RetryAfter: "0"}, testOrgID, `Atlas Rate Limit Exceeded ... after 2 attempts (max_retries = 1, Retry-After honoured)`},
		{"500", &mockatlas.Fault{Status: http.StatusInternalServerError}, testOrgID, `Atlas Server Error ... Atlas answered 500 after 2 attempts (max_retries = 1)`},
		{"503", &mockatlas.Fault{Status: http.StatusServiceUnavailable, RetryAfter: "0"}, testOrgID, `Atlas Server Error ... Atlas answered 503 after 2 attempts`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, ds := range []struct{ typ, path string }{
				{"atlasinv_org_invites", "/api/atlas/v2/orgs/" + tt.org + "/invites"},
				{"atlasinv_org_users", "/api/atlas/v2/orgs/" + tt.org + "/users"},
			} {
				mock, url := newUsersAtlas(t, mockatlas.DemoUsers()...)
				mock.SetFault(tt.fault)
				provider := digestProvider(url, "max_retries = 1")
				if tt.name == "401" {
					provider = fmt.Sprintf("provider \"atlasinv\" {\n  base_url = %q\n  public_key = %q\n  private_key = \"wrong-private-key\"\n}\n", url, testPublicKey)
				}
				resource.Test(t, resource.TestCase{
					ProtoV6ProviderFactories: factories(nil),
					Steps: []resource.TestStep{{
						Config:      provider + fmt.Sprintf("data %q \"x\" {\n  org_id = %q\n}\n", ds.typ, tt.org),
						ExpectError: errorText(tt.want + ` ... Request: GET ... ` + ds.path + ` ... HTTP status: ` + tt.name[:3]),
					}},
				})
			}
		})
	}
}

const unknownTestOrg = "0123456789abcdef01234567"
