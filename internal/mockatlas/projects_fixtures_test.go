package mockatlas

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The generators give the same projects, invitations and teams for the
// same arguments, each id and name once, and every field set.
func TestGenerateProjects(t *testing.T) {
	org := GeneratedOrgID(3)
	projects := GenerateProjects(org, 200)
	if !reflect.DeepEqual(projects, GenerateProjects(org, 200)) || reflect.DeepEqual(projects, GenerateProjects(GeneratedOrgID(4), 200)) {
		t.Fatal("GenerateProjects is not a function of its arguments alone")
	}
	seen := map[string]bool{}
	keys := 0
	for _, p := range projects {
		if seen[p.ID] || seen[p.Name] || !objectID.MatchString(p.ID) || p.OrgID != org || p.Created == "" {
			t.Fatalf("project %+v: repeated, or a field missing", p)
		}
		seen[p.ID], seen[p.Name] = true, true
		for _, inv := range GenerateProjectInvitations(p, 5) {
			if seen[inv.ID] || seen[inv.Username+p.ID] || inv.GroupID != p.ID || inv.GroupName != p.Name || len(inv.Roles) == 0 ||
				inv.CreatedAt == "" || inv.ExpiresAt == "" || inv.InviterUsername == "" {
				t.Fatalf("invitation %+v of %s: repeated, or a field missing", inv, p.ID)
			}
			seen[inv.ID], seen[inv.Username+p.ID] = true, true
			if !strings.Contains(inv.InviterUsername, "@") {
				keys++
			}
		}
	}
	if keys != 200 {
		t.Errorf("%d invitations made by an API key, want one in five", keys)
	}
	for i, team := range GenerateTeams(org, 30) {
		if seen[team.ID] || !objectID.MatchString(team.ID) || team.Name == "" {
			t.Fatalf("team %d %+v: repeated, or a field missing", i, team)
		}
		seen[team.ID] = true
	}
}

// AddGeneratedProjects serves each project with its invitations; adding an
// invitation to a project the mock does not hold is a bug in the test.
func TestAddGeneratedProjects(t *testing.T) {
	s, ts, _ := start(t)
	org := GeneratedOrgID(5)
	projects := s.AddGeneratedProjects(org, 200, 3)
	_, _, body := do(t, nil, http.MethodGet, projectInvitesURL(ts.URL, projects[199].ID), bearer())
	if got := decodeProjectInvites(t, body); !reflect.DeepEqual(got, GenerateProjectInvitations(projects[199], 3)) {
		t.Errorf("served %+v", got)
	}
	if ids, _, _, count := getPage(t, orgURL(ts.URL, org)+"/groups?itemsPerPage=500"); len(ids) != 200 || *count != 200 {
		t.Errorf("%d projects, count %d", len(ids), *count)
	}
	defer func() {
		if recover() == nil {
			t.Error("AddProjectInvitations on an unknown project did not panic")
		}
	}()
	s.AddProjectInvitations(unknownOrgID, ProjectInvitation{ID: missingID})
}

// The demo dated relative to now has its project invitations open, each
// expiring 30 days after it was made.
func TestDemoProjectInvitationsAt(t *testing.T) {
	now := time.Date(2026, 8, 20, 10, 30, 0, 0, time.UTC)
	fixed := DemoProjectInvitations()
	for i, inv := range DemoProjectInvitationsAt(now) {
		created, err1 := time.Parse(time.RFC3339, inv.CreatedAt)
		expires, err2 := time.Parse(time.RFC3339, inv.ExpiresAt)
		if err1 != nil || err2 != nil || !created.Before(now) || created.Before(now.Add(-29*day)) || expires.Sub(created) != invitationLifetime {
			t.Errorf("%s: created %s, expires %s (%v, %v)", inv.ID, inv.CreatedAt, inv.ExpiresAt, err1, err2)
		}
		inv.CreatedAt, inv.ExpiresAt = fixed[i].CreatedAt, fixed[i].ExpiresAt
		if !reflect.DeepEqual(inv, fixed[i]) {
			t.Errorf("more than the dates moved: %+v", inv)
		}
	}
	s := New()
	s.LoadDemoAt(now)
	s.mu.Lock()
	got := s.proj.byID[DemoProjectProd].invites
	s.mu.Unlock()
	if len(got) != 1 || got[0].CreatedAt != DemoProjectInvitationsAt(now)[0].CreatedAt {
		t.Errorf("LoadDemoAt: %+v", got)
	}
}
