package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// The test organization's projects: Prod with two invitations, Analytics
// with one, Sandbox with none.
const (
	projProd      = "6c0000000000000000000d01"
	projAnalytics = "6c0000000000000000000d02"
	projSandbox   = "6c0000000000000000000d03"
)

var (
	invProdMallory = mockatlas.ProjectInvitation{
		ID: "6d0000000000000000000e01", GroupID: projProd, GroupName: "Prod", Username: "mallory@example.org",
		InviterUsername: "qzjxkbmw", CreatedAt: "2024-05-04T08:30:00Z", ExpiresAt: "2024-06-03T08:30:00Z",
		Roles: []string{"GROUP_OWNER"},
	}
	invProdDave = mockatlas.ProjectInvitation{
		ID: "6d0000000000000000000e02", GroupID: projProd, GroupName: "Prod", Username: "dave@example.net",
		InviterUsername: "owner@example.com", CreatedAt: "2024-05-03T14:25:00Z", ExpiresAt: "2024-06-02T14:25:00Z",
		Roles: []string{"GROUP_READ_ONLY", "GROUP_DATA_ACCESS_READ_ONLY"},
	}
	invAnalyticsDave = mockatlas.ProjectInvitation{
		ID: "6d0000000000000000000e03", GroupID: projAnalytics, GroupName: "Analytics", Username: "dave@example.net",
		InviterUsername: "owner@example.com", CreatedAt: "2024-05-05T09:00:00Z", ExpiresAt: "2024-06-04T09:00:00Z",
		Roles: []string{"GROUP_READ_ONLY"},
	}
)

// projectsAtlas is the test Atlas with the three projects and their
// invitations.
func projectsAtlas(t *testing.T) (*mockatlas.Server, string) {
	t.Helper()
	mock, url := newTestAtlas(t)
	mock.AddProjects(testOrgID,
		mockatlas.Project{ID: projSandbox, Name: "Sandbox", Created: "2024-01-01T00:00:00Z"},
		mockatlas.Project{ID: projProd, Name: "Prod", Created: "2024-01-01T00:00:00Z"},
		mockatlas.Project{ID: projAnalytics, Name: "Analytics", Created: "2024-01-01T00:00:00Z"},
	)
	mock.AddProjectInvitations(projProd, invProdMallory, invProdDave)
	mock.AddProjectInvitations(projAnalytics, invAnalyticsDave)
	return mock, url
}

// projectInvite expects one element of invites, every attribute.
func projectInvite(inv mockatlas.ProjectInvitation, roles ...string) knownvalue.Check {
	r := make([]knownvalue.Check, len(roles))
	for i, s := range roles {
		r[i] = knownvalue.StringExact(s)
	}
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id": knownvalue.StringExact(inv.ID), "project_id": knownvalue.StringExact(inv.GroupID),
		"project_name": knownvalue.StringExact(inv.GroupName), "username": knownvalue.StringExact(inv.Username),
		"inviter_username": knownvalue.StringExact(inv.InviterUsername),
		"created_at":       knownvalue.StringExact(inv.CreatedAt), "expires_at": knownvalue.StringExact(inv.ExpiresAt),
		"roles": knownvalue.ListExact(r),
	})
}

func projectInvitesBlock(name, args string) string {
	return fmt.Sprintf("data \"atlasinv_project_invites\" %q {\n  %s\n}\n", name, args)
}

// By project_id: that project's invitations, every attribute, roles
// sorted. By org_id: every project's, each with its project name, sorted
// by username, then project id; username is Atlas's filter.
func TestAccProjectInvites_byProjectAndByOrg(t *testing.T) {
	mock, url := projectsAtlas(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) +
				projectInvitesBlock("prod", fmt.Sprintf("project_id = %q", projProd)) +
				projectInvitesBlock("org", fmt.Sprintf("org_id = %q", testOrgID)) +
				projectInvitesBlock("dave", fmt.Sprintf("org_id = %q\n  username = %q", testOrgID, "dave@example.net")) +
				projectInvitesBlock("sandbox", fmt.Sprintf("project_id = %q", projSandbox)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.atlasinv_project_invites.prod", tfjsonpath.New("invites"), knownvalue.ListExact([]knownvalue.Check{
					projectInvite(invProdDave, "GROUP_DATA_ACCESS_READ_ONLY", "GROUP_READ_ONLY"),
					projectInvite(invProdMallory, "GROUP_OWNER"),
				})),
				statecheck.ExpectKnownValue("data.atlasinv_project_invites.org", tfjsonpath.New("invites"), knownvalue.ListExact([]knownvalue.Check{
					projectInvite(invProdDave, "GROUP_DATA_ACCESS_READ_ONLY", "GROUP_READ_ONLY"),
					projectInvite(invAnalyticsDave, "GROUP_READ_ONLY"),
					projectInvite(invProdMallory, "GROUP_OWNER"),
				})),
				statecheck.ExpectKnownValue("data.atlasinv_project_invites.dave", tfjsonpath.New("invites"), knownvalue.ListExact([]knownvalue.Check{
					projectInvite(invProdDave, "GROUP_DATA_ACCESS_READ_ONLY", "GROUP_READ_ONLY"),
					projectInvite(invAnalyticsDave, "GROUP_READ_ONLY"),
				})),
				statecheck.ExpectKnownValue("data.atlasinv_project_invites.sandbox", tfjsonpath.New("invites"), knownvalue.ListExact([]knownvalue.Check{})),
			},
		}},
	})
	for _, r := range mock.Requests() {
		if r.Authenticated && strings.HasSuffix(r.Path, "/invites") && r.Query.Has("username") && r.Query.Get("username") != "dave@example.net" {
			t.Errorf("username sent to Atlas: %q", r.Query.Get("username"))
		}
	}
}

// Over more projects than are read at once, and more than one page of
// them, every project's invitations are in the list.
func TestAccProjectInvites_orgReadsEveryProject(t *testing.T) {
	mock, url := newTestAtlas(t)
	mock.AddGeneratedProjects(testOrgID, 520, 1)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) + projectInvitesBlock("org", fmt.Sprintf("org_id = %q", testOrgID)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.atlasinv_project_invites.org", tfjsonpath.New("invites"), knownvalue.ListSizeExact(520)),
			},
		}},
	})
}

// A project whose invitations the credentials cannot read fails the whole
// read in org_id mode, naming the project and the role it needs in it;
// by project_id the same project is refused with the same role.
func TestAccProjectInvites_projectWithoutTheRoleFails(t *testing.T) {
	mock, url := projectsAtlas(t)
	mock.SetProjectOwner(testPublicKey, projAnalytics, false)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url, "max_retries = 0") + projectInvitesBlock("org", fmt.Sprintf("org_id = %q", testOrgID)),
			ExpectError: errorText(`Atlas Credentials Lack The Project Owner Role ... invitations of project "Analytics" (` +
				projAnalytics + `) ... no project is skipped ... lack the Project Owner role in this project`),
		}, {
			Config:      digestProvider(url, "max_retries = 0") + projectInvitesBlock("one", fmt.Sprintf("project_id = %q", projAnalytics)),
			ExpectError: errorText(`Atlas Credentials Lack The Project Owner Role ... lack the Project Owner role in this project`),
		}},
	})
}

// Two projects without the role: the first in Atlas's order (by name) is
// named, whichever answered first.
func TestAccProjectInvites_firstProjectThatFailsIsNamed(t *testing.T) {
	mock, url := projectsAtlas(t)
	mock.SetProjectOwner(testPublicKey, projSandbox, false)
	mock.SetProjectOwner(testPublicKey, projProd, false)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:      digestProvider(url, "max_retries = 0") + projectInvitesBlock("org", fmt.Sprintf("org_id = %q", testOrgID)),
			ExpectError: errorText(`Atlas Credentials Lack The Project Owner Role ... invitations of project "Prod" (` + projProd + `)`),
		}},
	})
}

// A failure that is no refusal of the project (a server error) is worded
// as any other read's.
func TestAccProjectInvites_serverErrorByProjectID(t *testing.T) {
	mock, url := projectsAtlas(t)
	mock.SetFault(&mockatlas.Fault{Status: http.StatusInternalServerError})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:      digestProvider(url, "max_retries = 0") + projectInvitesBlock("one", fmt.Sprintf("project_id = %q", projProd)),
			ExpectError: errorText(`Atlas Server Error ... Request: GET ... /api/atlas/v2/groups/` + projProd + `/invites ... HTTP status: 500`),
		}},
	})
}

// A project_id the credentials do not see is named as the fault, with no
// role advice.
func TestAccProjectInvites_projectNotVisible(t *testing.T) {
	_, url := projectsAtlas(t)
	const unknown = "6c0000000000000000000dff"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url, "max_retries = 0") + projectInvitesBlock("one", fmt.Sprintf("project_id = %q", unknown)),
			ExpectError: errorText(`Project Not Visible To These Credentials ... project_id "` + unknown +
				`" is not one of the 3 projects ... Check project_id for a typo`),
		}},
	})
}

// When the projects the credentials see cannot be read either, both causes
// are named, the project id first, the role second.
func TestAccProjectInvites_projectsCannotBeReadEither(t *testing.T) {
	mock, url := projectsAtlas(t)
	mock.SetProjectOwner(testPublicKey, projAnalytics, false)
	mock.SetFault(&mockatlas.Fault{Status: http.StatusInternalServerError})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url, "max_retries = 0") + projectInvitesBlock("one", fmt.Sprintf("project_id = %q", projAnalytics)),
			ExpectError: errorText(`Wrong Project Id Or Missing Project Owner Role ... the list of projects the credentials see, ` +
				`which would tell which, could not be read (Atlas Server Error ... 1. project_id "` + projAnalytics +
				`" may not be a project that the ... 2. ... lack the Project Owner role in this project`),
		}},
	})
}

// Exactly one of project_id and org_id.
func TestAccProjectInvites_exactlyOneScope(t *testing.T) {
	_, url := projectsAtlas(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:      digestProvider(url) + projectInvitesBlock("none", ""),
			ExpectError: errorText(`Missing Attribute Configuration ... Exactly one of these attributes must be configured: [project_id,org_id]`),
		}, {
			Config:      digestProvider(url) + projectInvitesBlock("both", fmt.Sprintf("org_id = %q\n  project_id = %q", testOrgID, projProd)),
			ExpectError: errorText(`Invalid Attribute Combination ... Exactly one of these attributes must be configured: [project_id,org_id]`),
		}},
	})
}

// Retired, the project invitations fail the read under "invitations".
func TestAccProjectInvites_retiredFailsUnderInvitations(t *testing.T) {
	mock, url := projectsAtlas(t)
	mock.RetireProjectInvitations(true)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:      digestProvider(url, `invitations_source = "invitations"`) + projectInvitesBlock("org", fmt.Sprintf("org_id = %q", testOrgID)),
			ExpectError: errorText(`Atlas Project Invitations API Retired ... HTTP status: 410`),
		}},
	})
}

// Retired, under "auto" the read gives an empty list through the CLI, and
// in-process one warning per provider configuration, however many reads,
// saying the invitations can no longer be read and where new ones show.
func TestAccProjectInvites_retiredGivesEmptyListAndOneWarning(t *testing.T) {
	mock, url := projectsAtlas(t)
	mock.RetireProjectInvitations(true)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) + projectInvitesBlock("org", fmt.Sprintf("org_id = %q", testOrgID)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.atlasinv_project_invites.org", tfjsonpath.New("invites"), knownvalue.ListExact([]knownvalue.Check{})),
			},
		}},
	})
	for _, source := range []string{"auto", "org_users"} {
		server, schemas := protoServer(t, map[string]string{"base_url": url, "public_key": testPublicKey,
			"private_key": testPrivateKey, "invitations_source": source})
		var warnings []*tfprotov6.Diagnostic
		for _, args := range []map[string]string{{"org_id": testOrgID}, {"project_id": projProd}} {
			for _, d := range readDataSource(t, server, schemas, "atlasinv_project_invites", args) {
				if d.Severity != tfprotov6.DiagnosticSeverityWarning {
					t.Errorf("%s: %s: %s", source, d.Summary, d.Detail)
					continue
				}
				warnings = append(warnings, d)
			}
		}
		if len(warnings) != 1 || warnings[0].Summary != "Project Invitations No Longer Readable" {
			t.Fatalf("%s: want one warning, got %v", source, warnings)
		}
		for _, s := range []string{"lists none: that does not mean there are none", "atlasinv_org_users", "PENDING",
			"group_role_assignments", "410"} {
			if !strings.Contains(warnings[0].Detail, s) {
				t.Errorf("%s: warning lacks %q:\n%s", source, s, warnings[0].Detail)
			}
		}
	}
}

// While Atlas serves the project invitations, their own Deprecation and
// Sunset headers are announced once per provider configuration.
func TestAccProjectInvites_deprecationWarnedOnce(t *testing.T) {
	_, url := projectsAtlas(t)
	server, schemas := protoServer(t, map[string]string{"base_url": url, "public_key": testPublicKey, "private_key": testPrivateKey})
	var got []string
	for range 2 {
		for _, d := range readDataSource(t, server, schemas, "atlasinv_project_invites", map[string]string{"org_id": testOrgID}) {
			got = append(got, d.Summary+": "+d.Detail)
		}
	}
	if len(got) != 1 || !strings.Contains(got[0], "Atlas Project Invitations API Is Deprecated: ") ||
		!strings.Contains(got[0], "since 4 October 2023 and will remove it on 1 July 2027") {
		t.Errorf("diagnostics: %q", got)
	}
}
