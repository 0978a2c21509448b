package atlas_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// projectsMock is newMock with two projects of the test organization, the
// first with two invitations (one made by an API key), the second with one.
func projectsMock(t *testing.T) (*mockatlas.Server, *atlas.Client, []mockatlas.Project) {
	t.Helper()
	m, srv := newMock(t)
	projects := mockatlas.GenerateProjects(testOrgID, 2)
	m.AddProjects(testOrgID, projects...)
	m.AddProjectInvitations(projects[0].ID, mockatlas.GenerateProjectInvitations(projects[0], 5)[3:]...)
	m.AddProjectInvitations(projects[1].ID, mockatlas.GenerateProjectInvitations(projects[1], 1)...)
	return m, newClient(t, testConfig(srv.URL, atlas.AuthAPIKey)), projects
}

func ctx20(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func pathIs(path string) func(mockatlas.Request) bool {
	return func(r mockatlas.Request) bool { return r.Authenticated && r.Path == path }
}

// Every page of an organization's projects is read, each project once,
// with Atlas's name filter sent as given.
func TestListOrgProjects(t *testing.T) {
	t.Parallel()
	m, srv := newMock(t)
	projects := mockatlas.GenerateProjects(testOrgID, 1234)
	m.AddProjects(testOrgID, projects...)
	c := newClient(t, testConfig(srv.URL, atlas.AuthAccessToken))
	got, err := c.ListOrgProjects(ctx20(t), testOrgID, nil)
	if err != nil || len(got) != len(projects) {
		t.Fatalf("%d projects, %v; want %d", len(got), err, len(projects))
	}
	ids := map[string]bool{}
	for _, p := range got {
		ids[p.GetId()] = true
	}
	path := "/api/atlas/v2/orgs/" + testOrgID + "/groups"
	if len(ids) != len(projects) || count(m, pathIs(path)) != 3 {
		t.Errorf("%d distinct projects in %d page requests, want %d in 3", len(ids), count(m, pathIs(path)), len(projects))
	}
	name := "pROJECT-000"
	got, err = c.ListOrgProjects(ctx20(t), testOrgID, &name)
	if err != nil || len(got) != 9 || !strings.HasPrefix(got[0].Name, "Project-0001-") {
		t.Errorf("filtered: %d projects, %v; want Project-0001 to -0009", len(got), err)
	}
	for _, r := range m.Requests() {
		if r.Authenticated && r.Path == path && (r.Query.Get("itemsPerPage") != "500" || r.Query.Has("name") && r.Query.Get("name") != name) {
			t.Errorf("sent %s", r.RawQuery)
		}
	}
}

// Every page of an organization's teams is read, each team once.
func TestListOrgTeams(t *testing.T) {
	t.Parallel()
	m, srv := newMock(t)
	m.AddTeams(testOrgID, mockatlas.GenerateTeams(testOrgID, 1100)...)
	m.SetTeamsTotalCount(mockatlas.Count{Absent: true})
	got, err := newClient(t, testConfig(srv.URL, atlas.AuthServiceAccount)).ListOrgTeams(ctx20(t), testOrgID)
	ids := map[string]bool{}
	for _, team := range got {
		ids[team.GetId()] = team.GetName() != ""
	}
	if err != nil || len(got) != 1100 || len(ids) != 1100 || ids[""] {
		t.Fatalf("%d teams (%d distinct), %v; want 1100 with names", len(got), len(ids), err)
	}
	if n := count(m, pathIs("/api/atlas/v2/orgs/"+testOrgID+"/teams")); n != 3 {
		t.Errorf("%d page requests, want 3", n)
	}
}

// A project's invitations are one request, filtered by username, and keep
// their own deprecation notice, apart from the organization invitations'.
func TestListProjectInvitations(t *testing.T) {
	t.Parallel()
	m, c, projects := projectsMock(t)
	m.SetProjectInvitationsSunset("Tue, 15 Sep 2026 00:00:00 GMT")
	got, err := c.ListProjectInvitations(ctx20(t), projects[0].ID, nil)
	if err != nil || len(got) != 2 || got[0].GetGroupId() != projects[0].ID || got[0].GetGroupName() != projects[0].Name ||
		strings.Contains(got[1].GetInviterUsername(), "@") {
		t.Fatalf("got %+v, %v; want two invitations, the second made by an API key", got, err)
	}
	if _, ok := c.TakeDeprecation(); ok {
		t.Error("the project invitations' headers went to the organization invitations' notice")
	}
	d, ok := c.TakeProjectInvitationsDeprecation()
	if want := (atlas.Deprecation{Deprecated: mockatlas.ProjectInvitationsDeprecationDate, Sunset: "Tue, 15 Sep 2026 00:00:00 GMT"}); !ok || d != want {
		t.Errorf("TakeProjectInvitationsDeprecation() = %+v, %v; want %+v", d, ok, want)
	}
	if _, ok := c.TakeProjectInvitationsDeprecation(); ok {
		t.Error("the notice given twice")
	}
	username := got[1].GetUsername()
	filtered, err := c.ListProjectInvitations(ctx20(t), projects[0].ID, &username)
	if err != nil || len(filtered) != 1 || filtered[0].GetId() != got[1].GetId() {
		t.Errorf("filtered on %s: %+v, %v", username, filtered, err)
	}
	path := "/api/atlas/v2/groups/" + projects[0].ID + "/invites"
	if reqs := m.Requests(); reqs[len(reqs)-1].Path != path || reqs[len(reqs)-1].Query.Get("username") != username {
		t.Errorf("last request %s?%s", reqs[len(reqs)-1].Path, reqs[len(reqs)-1].RawQuery)
	}
	if n := count(m, pathIs(path)); n != 2 {
		t.Errorf("%d requests for two reads", n)
	}
	// And the organization invitations' headers stay out of this notice.
	other := newClient(t, c.Config())
	if err := list(t, other, testOrgID); err != nil {
		t.Fatal(err)
	}
	if d, ok := other.TakeProjectInvitationsDeprecation(); ok {
		t.Errorf("the organization invitations gave the project invitations' notice %+v", d)
	}
}

// A key without Project Owner on one project is refused there alone, with
// the role Atlas documents; a project Atlas does not hold is not found.
func TestListProjectInvitations_refusals(t *testing.T) {
	t.Parallel()
	m, c, projects := projectsMock(t)
	m.SetProjectOwner(testPublicKey, projects[0].ID, false)
	_, err := c.ListProjectInvitations(ctx20(t), projects[0].ID, nil)
	e := asAtlasError(t, err)
	if e.Kind != atlas.KindUnauthorized || e.ErrorCode != atlas.CodeRoleMissing {
		t.Fatalf("Kind, ErrorCode = %v, %q; want unauthorized, %s", e.Kind, e.ErrorCode, atlas.CodeRoleMissing)
	}
	hasFact(t, "Role", e.Role, "Project Owner")
	hasFact(t, "Reads", e.Reads, "the project's invitations")
	hasFact(t, "Path", e.Path, "/api/atlas/v2/groups/"+projects[0].ID+"/invites")
	hasFact(t, "NotFound", e.NotFound, `Project "`+projects[0].ID+`"`)
	if got, err := c.ListProjectInvitations(ctx20(t), projects[1].ID, nil); err != nil || len(got) != 1 {
		t.Errorf("the other project: %d invitations, %v", len(got), err)
	}
	_, err = c.ListProjectInvitations(ctx20(t), unknownOrgID, nil)
	e = asAtlasError(t, err)
	hasFact(t, "Kind", e.Kind, atlas.KindNotFound)
	hasFact(t, "Missing()", e.Missing(), atlas.MissingProject)
	// An organization role below Member refuses the projects and teams with
	// the role Atlas documents for them.
	m.SetOrgRole(testPublicKey, mockatlas.RoleOrgReadOnly)
	_, err = c.ListOrgProjects(ctx20(t), testOrgID, nil)
	hasFact(t, "Role", asAtlasError(t, err).Role, "Organization Member")
	_, err = c.ListOrgTeams(ctx20(t), testOrgID)
	hasFact(t, "Reads", asAtlasError(t, err).Reads, "its teams")
}

// The project invitations retire on their own: Atlas's 410 VERSION_GONE is
// KindVersionGone, with the Sunset and the notice of its own headers, and
// the organization invitations are still read.
func TestListProjectInvitations_retired(t *testing.T) {
	t.Parallel()
	m, c, projects := projectsMock(t)
	m.RetireProjectInvitations(true)
	_, err := c.ListProjectInvitations(ctx20(t), projects[1].ID, nil)
	e := asAtlasError(t, err)
	if e.Kind != atlas.KindVersionGone || e.Status != http.StatusGone || e.ErrorCode != "VERSION_GONE" ||
		e.Sunset != mockatlas.ProjectInvitationsSunsetDate || !strings.Contains(e.AtlasDetail, "is no longer available") {
		t.Fatalf("got %v (Sunset %q), want Atlas's 410 VERSION_GONE", e, e.Sunset)
	}
	if d, ok := c.TakeProjectInvitationsDeprecation(); !ok || d.Deprecated != mockatlas.ProjectInvitationsDeprecationDate {
		t.Errorf("notice from the 410: %+v, %v", d, ok)
	}
	if err := list(t, c, testOrgID); err != nil {
		t.Errorf("organization invitations while the project invitations are retired: %v", err)
	}
	m.RetireProjectInvitations(false)
	m.RetireInvitations(true)
	if _, err := c.ListProjectInvitations(ctx20(t), projects[1].ID, nil); err != nil {
		t.Errorf("project invitations while the organization invitations are retired: %v", err)
	}
}

// The projects the credentials see are read once per client, every page,
// by callers at the same time too, and a failure is kept.
func TestVisibleProjects(t *testing.T) {
	t.Parallel()
	m, srv := newMock(t)
	m.AddProjects(testOrgID, mockatlas.GenerateProjects(testOrgID, 600)...)
	other := mockatlas.GeneratedOrgID(1)
	m.AddGeneratedProjects(other, 3, 0)
	c := newClient(t, testConfig(srv.URL, atlas.AuthAccessToken))
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if got, err := c.VisibleProjects(ctx20(t)); err != nil || len(got) != 603 {
				t.Errorf("%d projects, %v; want 603", len(got), err)
			}
		})
	}
	wg.Wait()
	if n := count(m, pathIs("/api/atlas/v2/groups")); n != 2 {
		t.Errorf("%d page requests for ten callers, want 2", n)
	}

	// Credentials of one organization see its projects; a failed read is
	// the answer for the client's life.
	m.RestrictToOrg("token", other)
	c = newClient(t, testConfig(srv.URL, atlas.AuthAccessToken))
	got, err := c.VisibleProjects(ctx20(t))
	if err != nil || len(got) != 3 || slices.ContainsFunc(got, func(p atlas.Project) bool { return p.OrgId != other }) {
		t.Errorf("restricted: %d projects, %v", len(got), err)
	}
	m.Script(mockatlas.Fault{Status: http.StatusForbidden})
	c = newClient(t, testConfig(srv.URL, atlas.AuthAccessToken))
	for range 2 {
		_, err := c.VisibleProjects(ctx20(t))
		if e := asAtlasError(t, err); e.Kind != atlas.KindForbidden || e.Role != "" || e.Reads != "the projects" {
			t.Errorf("got %v (role %q), want the scripted 403 with no role", e, e.Role)
		}
	}
	if api, _ := m.PendingFaults(); api != 0 {
		t.Errorf("%d faults left", api)
	}
}

// A first read cut short by its caller (a plan interrupted) is not the
// answer for the client's life: the next caller reads again, for the
// visible projects as for the visible organizations.
func TestVisibleListsForgetACancelledRead(t *testing.T) {
	t.Parallel()
	m, srv := newMock(t)
	m.AddProjects(testOrgID, mockatlas.GenerateProjects(testOrgID, 2)...)
	c := newClient(t, testConfig(srv.URL, atlas.AuthAccessToken))
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.VisibleProjects(cancelled); err == nil {
		t.Fatal("projects read with a cancelled context: no error")
	}
	if _, err := c.VisibleOrganizations(cancelled); err == nil {
		t.Fatal("organizations read with a cancelled context: no error")
	}
	if got, err := c.VisibleProjects(ctx20(t)); err != nil || len(got) != 2 {
		t.Errorf("after a cancelled read: %d projects, %v; want 2", len(got), err)
	}
	if got, err := c.VisibleOrganizations(ctx20(t)); err != nil || len(got) != 1 {
		t.Errorf("after a cancelled read: %d organizations, %v; want 1", len(got), err)
	}
}

// A 200 whose body starts with null is no answer, whatever follows past the
// start the client keeps: never an empty list, never a crash.
func TestNullWithATailIsNoAnswer(t *testing.T) {
	t.Parallel()
	m, c, projects := projectsMock(t)
	body := "null" + strings.Repeat(" ", 300) + "tail"
	reads := map[string]func() error{
		"ListProjectInvitations": func() error { _, err := c.ListProjectInvitations(ctx20(t), projects[0].ID, nil); return err },
		"ListOrgProjects":        func() error { _, err := c.ListOrgProjects(ctx20(t), testOrgID, nil); return err },
		"ListInvitations":        func() error { return list(t, c, testOrgID) },
	}
	for name, read := range reads {
		m.Script(mockatlas.Fault{Body: body})
		if e := asAtlasError(t, read()); e.Kind != atlas.KindBadResponse {
			t.Errorf("%s: %v, want a bad response", name, e)
		}
	}
}
