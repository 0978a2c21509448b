package provider

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas/atlasspec"
)

// The guide "Audit everyone invited into an organization" (templates/
// guides/audit-everyone-invited.md.tmpl) embeds the files of
// guideEveryoneDir; these tests run those very files through the CLI, as
// the guide tells, against a mock organization holding one case of
// everything the guide's checks and merge must get right. Like the
// multi-organization guide's tests, they run a build of the provider
// installed by the CLI, not the in-process server.
const guideEveryoneDir = "../../examples/guides/audit-everyone-invited"

// The mock organization of the guide's tests, its key, and its projects and
// teams by id. The hidden project and team are named by invitations but
// not served by the lists, as Atlas may leave out those the credentials
// cannot access: the guide's joins must fall back to the id.
const (
	everyoneOrgID     = "66a1c0ffee0c0ffee0c0e7e1"
	everyonePublicKey = "evryonky"
	everyonePrivKey   = "priv-everyone-5c6d7e8f-guide-key"

	everyoneProd      = "66a100000000000000000a01"
	everyoneAnalytics = "66a100000000000000000a02"
	everyoneSandbox   = "66a100000000000000000a03"
	everyoneHiddenPrj = "66a100000000000000000a09"
	everyoneOps       = "66a200000000000000000b01"
	everyoneData      = "66a200000000000000000b02"
	everyoneHiddenTm  = "66a200000000000000000b09"
)

// everyoneAtlas is the guide's organization around now, invited to in every
// way the guide tells apart:
//
//   - alice, invited both ways into Prod: through the organization with
//     GROUP_READ_ONLY, and through the project with capitals in her address
//     and another role. The guide must show her once for Prod.
//   - mallory, a pending GROUP_OWNER of Prod who exists only as a project
//     invitation, from outside the allowed domain: the case the guide
//     exists for.
//   - gary, a pending GROUP_OWNER of Analytics through the organization's
//     group role assignments, in a team the teams list does not show.
//   - owen, a pending ORG_OWNER; pat, a pending member from outside the
//     allowed domain; nadia, whose invitation has no dates.
//   - olivia (organization) and sam (project), invited 12 and 20 days ago:
//     past the 7 days the tests allow. Olivia's project is hidden.
//   - an active owner, and two expired invitations (an ORG_OWNER and an
//     outside address), none of which the checks may flag.
func everyoneAtlas(t *testing.T, now time.Time) string {
	t.Helper()
	at := func(days int) string { return now.Add(time.Duration(days) * 24 * time.Hour).UTC().Format(time.RFC3339) }
	const admin = "it.admin@corp.example.com"
	member := []string{"ORG_MEMBER"}
	pending := func(id, username string, orgRoles []string, invitedDaysAgo int, teams []string, projects ...mockatlas.UserGroupRoles) mockatlas.User {
		return mockatlas.User{
			ID: id, Username: username, OrgMembershipStatus: mockatlas.StatusPending,
			Roles:   mockatlas.UserRoles{OrgRoles: orgRoles, GroupRoleAssignments: projects},
			TeamIDs: teams, InviterUsername: admin,
			InvitationCreatedAt: at(-invitedDaysAgo), InvitationExpiresAt: at(30 - invitedDaysAgo),
		}
	}
	expired := func(id, username string, orgRoles []string) mockatlas.User {
		return mockatlas.User{
			ID: id, Username: username, OrgMembershipStatus: mockatlas.StatusInvitationExpired,
			Roles: mockatlas.UserRoles{OrgRoles: orgRoles}, InviterUsername: admin,
			InvitationCreatedAt: at(-45), InvitationExpiresAt: at(-15),
		}
	}
	users := []mockatlas.User{
		{
			ID: "66a300000000000000000c00", Username: admin, OrgMembershipStatus: mockatlas.StatusActive,
			Roles:     mockatlas.UserRoles{OrgRoles: []string{"ORG_OWNER"}},
			CreatedAt: "2023-09-14T08:00:00Z", LastAuth: at(-1), FirstName: "Ida", LastName: "Admin", Country: "IE",
		},
		pending("66a300000000000000000c01", "alice@corp.example.com", member, 2, []string{everyoneOps},
			mockatlas.UserGroupRoles{GroupID: everyoneProd, GroupRoles: []string{"GROUP_READ_ONLY"}}),
		pending("66a300000000000000000c02", "gary@corp.example.com", member, 3, []string{everyoneOps, everyoneHiddenTm},
			mockatlas.UserGroupRoles{GroupID: everyoneAnalytics, GroupRoles: []string{"GROUP_OWNER"}}),
		pending("66a300000000000000000c03", "olivia@corp.example.com", member, 12, []string{everyoneData},
			mockatlas.UserGroupRoles{GroupID: everyoneHiddenPrj, GroupRoles: []string{"GROUP_READ_ONLY"}}),
		pending("66a300000000000000000c04", "owen@corp.example.com", []string{"ORG_OWNER"}, 1, nil),
		pending("66a300000000000000000c05", "pat@partner.example.net", member, 1, nil),
		// Atlas may leave the invitation's dates out: the age check must
		// skip her, where timecmp(null, ...) would fail the plan.
		{
			ID: "66a300000000000000000c08", Username: "nadia@corp.example.com", OrgMembershipStatus: mockatlas.StatusPending,
			Roles: mockatlas.UserRoles{OrgRoles: member}, InviterUsername: admin,
		},
		expired("66a300000000000000000c06", "eve@corp.example.com", []string{"ORG_OWNER"}),
		expired("66a300000000000000000c07", "xavier@old-vendor.example.net", member),
	}
	invite := func(id, project, name, username string, invitedDaysAgo int, roles ...string) mockatlas.ProjectInvitation {
		return mockatlas.ProjectInvitation{
			ID: id, GroupID: project, GroupName: name, Username: username, InviterUsername: admin,
			CreatedAt: at(-invitedDaysAgo), ExpiresAt: at(30 - invitedDaysAgo), Roles: roles,
		}
	}
	prod := []mockatlas.ProjectInvitation{
		invite("66a400000000000000000d01", everyoneProd, "Prod", "mallory@contractor.example.org", 1, "GROUP_OWNER"),
		invite("66a400000000000000000d02", everyoneProd, "Prod", "Alice@Corp.Example.com", 1, "GROUP_DATA_ACCESS_READ_WRITE"),
	}
	analytics := []mockatlas.ProjectInvitation{
		invite("66a400000000000000000d03", everyoneAnalytics, "Analytics", "sam@corp.example.com", 20, "GROUP_READ_ONLY"),
	}
	checkProjectInvitations(t, slices.Concat(prod, analytics))

	m := mockatlas.New()
	m.AddAPIKey(everyonePublicKey, everyonePrivKey)
	m.AddOrg(everyoneOrgID)
	m.AddUsers(everyoneOrgID, users...)
	m.AddProjects(everyoneOrgID,
		mockatlas.Project{ID: everyoneProd, Name: "Prod", Created: "2023-09-14T08:05:00Z", ClusterCount: 2},
		mockatlas.Project{ID: everyoneAnalytics, Name: "Analytics", Created: "2023-09-14T08:06:00Z", ClusterCount: 1},
		mockatlas.Project{ID: everyoneSandbox, Name: "Sandbox", Created: "2024-02-20T15:30:00Z"})
	m.AddTeams(everyoneOrgID,
		mockatlas.Team{ID: everyoneOps, Name: "Platform-Ops"}, mockatlas.Team{ID: everyoneData, Name: "Data"})
	m.AddProjectInvitations(everyoneProd, prod...)
	m.AddProjectInvitations(everyoneAnalytics, analytics...)
	srv := m.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

// checkProjectInvitations fails the test when it would serve a project
// invitation Atlas could not send: each is validated against the schema
// GroupInvitation of the OpenAPI document of the SDK that has the projects'
// invitations. (The users are served as the mock's own tests validate
// them.)
func checkProjectInvitations(t *testing.T, invites []mockatlas.ProjectInvitation) {
	t.Helper()
	doc, _, err := atlasspec.LoadModule(atlasspec.UsersSDKModule)
	if err != nil {
		t.Fatalf("Atlas OpenAPI document: %v", err)
	}
	for _, inv := range invites {
		if err := atlasspec.ValidateValue(doc, "GroupInvitation", inv); err != nil {
			t.Fatalf("test fixture %s is not a GroupInvitation: %v", inv.ID, err)
		}
	}
}

// runGuideEveryone runs the guide's configuration with cli against the
// organization of everyoneAtlas, allowing one e-mail domain (written in
// capitals: the guide compares domains without case) and 7 days, and
// checks its outputs and its checks' warnings.
func runGuideEveryone(t *testing.T, cli string) {
	now := time.Now()
	url := everyoneAtlas(t, now)
	outputs, applied := runGuideExampleEnv(t, cli, guideEveryoneDir, "", map[string]any{
		"org_id":                  everyoneOrgID,
		"allowed_email_domains":   []string{"Corp.Example.com"},
		"max_invitation_age_days": 7,
	}, map[string]string{
		"MONGODB_ATLAS_BASE_URL":    url,
		"MONGODB_ATLAS_PUBLIC_KEY":  everyonePublicKey,
		"MONGODB_ATLAS_PRIVATE_KEY": everyonePrivKey,
	})
	day := func(days int) string {
		return now.Add(time.Duration(days) * 24 * time.Hour).UTC().Format(time.DateOnly)
	}
	owners := []string{
		"gary@corp.example.com: GROUP_OWNER of Analytics (organization invitation)",
		"mallory@contractor.example.org: GROUP_OWNER of Prod (project invitation)",
		"owen@corp.example.com: ORG_OWNER",
	}
	outside := []string{"mallory@contractor.example.org", "pat@partner.example.net"}
	want := map[string]any{
		// alice, gary, olivia, owen, pat, nadia, mallory and sam: alice
		// once, whatever the case of her address.
		"pending_people": 8.0,
		// Sandbox has nobody; the hidden project and team keep their ids.
		"pending_by_project":               map[string]any{"Prod": 2.0, "Analytics": 2.0, everyoneHiddenPrj: 1.0},
		"pending_by_team":                  map[string]any{"Platform-Ops": 2.0, "Data": 1.0, everyoneHiddenTm: 1.0},
		"expired_invitations":              2.0,
		"pending_owners":                   asJSON(owners),
		"stale_invitations":                map[string]any{"olivia@corp.example.com": day(-12), "sam@corp.example.com": day(-20)},
		"invitees_outside_allowed_domains": asJSON(outside),
		"invited_both_ways": map[string]any{
			"alice@corp.example.com to Prod": []any{"GROUP_DATA_ACCESS_READ_WRITE", "GROUP_READ_ONLY"},
		},
	}
	got := map[string]any{}
	for name, raw := range outputs {
		var out struct {
			Sensitive bool `json:"sensitive"`
			Value     any  `json:"value"`
		}
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("output %s: %v\n%s", name, err, raw)
		}
		if out.Sensitive {
			t.Errorf("output %s is sensitive; nothing in it is secret", name)
		}
		got[name] = out.Value
	}
	if !slices.Equal(slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want))) {
		t.Errorf("outputs %v, want %v", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
	}
	for name, w := range want {
		if g, ok := got[name]; ok && !reflect.DeepEqual(g, w) {
			gj, _ := json.MarshalIndent(g, "", "  ")
			wj, _ := json.MarshalIndent(w, "", "  ")
			t.Errorf("output %s:\n%s\nwant:\n%s", name, gj, wj)
		}
	}

	// Each check warns, naming its offenders. The CLI wraps a warning's
	// lines in a box: compare the words only.
	printed := strings.Join(strings.Fields(strings.ReplaceAll(string(applied), "│", " ")), " ")
	for check, words := range map[string]string{
		"no_pending_owners":           "Pending invitations grant an owner role: " + strings.Join(owners, "; ") + ".",
		"no_stale_invitations":        "Invited more than 7 days ago and still pending: olivia@corp.example.com, sam@corp.example.com.",
		"invitees_in_allowed_domains": "Invited from outside corp.example.com: " + strings.Join(outside, ", ") + ".",
	} {
		if !strings.Contains(printed, `check "`+check+`"`) {
			t.Errorf("apply printed no warning of check %q:\n%s", check, applied)
		}
		if !strings.Contains(printed, words) {
			t.Errorf("apply printed no %q (check %s):\n%s", words, check, applied)
		}
	}
}

// asJSON is a list of strings as encoding/json decodes it into an any.
func asJSON(list []string) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}

// The guide's configuration through the suite's CLI: Terraform 1.8.5
// (make unit), 1.5.7 (make acc-old), or OpenTofu (make acc-tofu).
func TestAccGuideEveryone_suiteCLI(t *testing.T) {
	t.Parallel()
	runGuideEveryone(t, guideCLI(t))
}

// The same through OpenTofu on the Terraform runs of the suite too, since
// the guide says it runs on both.
func TestAccGuideEveryone_openTofu(t *testing.T) {
	t.Parallel()
	runGuideEveryone(t, guideOpenTofuCLI(t, "the guide says its configuration runs on OpenTofu"))
}
