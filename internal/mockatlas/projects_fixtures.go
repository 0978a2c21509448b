package mockatlas

import (
	"fmt"
	"time"
)

// The demo organization's projects, teams and project invitations, and
// generators of many. The demo's projects and teams are the ones its
// invitations and users name by id.

// The demo's projects and teams, by id.
const (
	DemoProjectProd      = "65eef240daa0eee8b9997f5c"
	DemoProjectAnalytics = "65eef2417c2999fdafe59325"
	DemoProjectSandbox   = "65eef2429b1d4c3e8f7a6b51"
)

// DemoProjects returns the demo organization's projects: the two its
// invitations and users name, and one that no one is invited to.
func DemoProjects() []Project {
	return []Project{
		{ID: DemoProjectProd, OrgID: DemoOrgID, Name: "Coffee-Prod", Created: "2023-09-14T08:05:00Z", ClusterCount: 3},
		{ID: DemoProjectAnalytics, OrgID: DemoOrgID, Name: "Coffee-Analytics", Created: "2023-09-14T08:06:00Z", ClusterCount: 1},
		{ID: DemoProjectSandbox, OrgID: DemoOrgID, Name: "Coffee-Sandbox", Created: "2024-02-20T15:30:00Z"},
	}
}

// DemoTeams returns the demo organization's teams: the three its
// invitations name.
func DemoTeams() []Team {
	return []Team{
		{ID: "65badf003cd654af4dfad714", Name: "Baristas"},
		{ID: "65badf0227a0aeb3fee9232f", Name: "Roasters"},
		{ID: "65badf038af2211f9ee491c5", Name: "Platform-Ops"},
	}
}

// DemoLegacyInviteID is the demo's legacy project invitation: a pending
// GROUP_OWNER of Coffee-Prod, made by an API key, for someone whom neither
// the organization invitations nor the organization users show.
const DemoLegacyInviteID = "6636b8e0f1a2b3c4d5e6f701"

// DemoProjectInvitations returns the demo organization's project
// invitations: the legacy GROUP_OWNER (DemoLegacyInviteID), and dave, whom
// the organization invitations also invite, invited to Coffee-Analytics
// through the project as well.
func DemoProjectInvitations() []ProjectInvitation {
	return []ProjectInvitation{
		{
			ID: DemoLegacyInviteID, GroupID: DemoProjectProd, GroupName: "Coffee-Prod",
			Username: "mallory.contractor@example.org", InviterUsername: "qzjxkbmw", // an API key's public key
			CreatedAt: "2024-05-04T08:30:00Z", ExpiresAt: "2024-06-03T08:30:00Z",
			Roles: []string{"GROUP_OWNER"},
		},
		{
			ID: "6636b8e0f1a2b3c4d5e6f702", GroupID: DemoProjectAnalytics, GroupName: "Coffee-Analytics",
			Username: "dave@example.net", InviterUsername: "owner@coffee.example.com",
			CreatedAt: "2024-05-03T14:25:00Z", ExpiresAt: "2024-06-02T14:25:00Z",
			Roles: []string{"GROUP_DATA_ACCESS_READ_ONLY", "GROUP_READ_ONLY"},
		},
	}
}

// demoProjectInvitationAges are how long before now each dated demo
// project invitation was made, by id.
var demoProjectInvitationAges = map[string]time.Duration{
	DemoLegacyInviteID:         3*day + 4*time.Hour, // 26 days left
	"6636b8e0f1a2b3c4d5e6f702": 27*time.Hour + 35*time.Minute,
}

// DemoProjectInvitationsAt is DemoProjectInvitations dated relative to now,
// each expiring 30 days after it was made.
func DemoProjectInvitationsAt(now time.Time) []ProjectInvitation {
	now = now.UTC().Truncate(time.Second)
	out := DemoProjectInvitations()
	for i := range out {
		created := now.Add(-demoProjectInvitationAges[out[i].ID])
		out[i].CreatedAt = created.Format(time.RFC3339)
		out[i].ExpiresAt = created.Add(invitationLifetime).Format(time.RFC3339)
	}
	return out
}

// loadDemoProjects adds the demo organization's projects, teams and
// project invitations.
func (s *Server) loadDemoProjects(invites []ProjectInvitation) {
	s.AddProjects(DemoOrgID, DemoProjects()...)
	s.AddTeams(DemoOrgID, DemoTeams()...)
	for _, inv := range invites {
		s.AddProjectInvitations(inv.GroupID, inv)
	}
}

// GenerateProjects returns n projects of orgID: ObjectId-shaped ids, unique
// names that sort in the order generated ("Project-0001-..."), creation
// dates and cluster counts. The same arguments give the same result.
func GenerateProjects(orgID string, n int) []Project {
	out := make([]Project, 0, max(n, 0))
	pool := newGeneratorPool("projects/"+orgID, 0x9e0)
	words := []string{"web", "api", "etl", "search", "billing", "auth", "reports", "ml"}
	for i := range n {
		created := pool.at(i).Add(-365 * day)
		out = append(out, Project{
			ID: objectIDAt(created, pool.rng, uint32(i)), OrgID: orgID,
			Name:    fmt.Sprintf("Project-%04d-%s", i+1, words[pool.rng.IntN(len(words))]),
			Created: created.Format(time.RFC3339), ClusterCount: int64(pool.rng.IntN(4)),
		})
	}
	return out
}

// GenerateProjectInvitations returns n pending invitations to project p,
// with every field set: unique usernames (some with '+' tags), inviters
// that are e-mail addresses or, one in five, an API key's public key,
// RFC 3339 dates 30 days apart, and one or two project roles. The same
// arguments give the same result.
func GenerateProjectInvitations(p Project, n int) []ProjectInvitation {
	out := make([]ProjectInvitation, 0, max(n, 0))
	pool := newGeneratorPool("project-invites/"+p.ID, 0x1a7)
	for i := range n {
		created := pool.at(i)
		_, _, user := pool.person(i)
		inviter := pool.inviters[pool.rng.IntN(len(pool.inviters))]
		if i%5 == 4 {
			inviter = "keyinv" + string(rune('a'+i%26)) + string(rune('a'+(i/26)%26))
		}
		out = append(out, ProjectInvitation{
			ID: objectIDAt(created, pool.rng, uint32(i)), GroupID: p.ID, GroupName: p.Name,
			Username: user, InviterUsername: inviter,
			CreatedAt: created.Format(time.RFC3339), ExpiresAt: created.Add(invitationLifetime).Format(time.RFC3339),
			Roles: pickDistinct(pool.rng, groupRoles, 1+pool.rng.IntN(2)),
		})
	}
	return out
}

// AddGeneratedProjects adds n generated projects to orgID
// (GenerateProjects), each with invitesEach generated invitations
// (GenerateProjectInvitations), and returns the projects.
func (s *Server) AddGeneratedProjects(orgID string, n, invitesEach int) []Project {
	projects := GenerateProjects(orgID, n)
	s.AddProjects(orgID, projects...)
	for _, p := range projects {
		s.AddProjectInvitations(p.ID, GenerateProjectInvitations(p, invitesEach)...)
	}
	return projects
}

// GenerateTeams returns n teams with ObjectId-shaped ids and unique names
// that sort in the order generated ("Team-0001"). The same arguments give
// the same result.
func GenerateTeams(orgID string, n int) []Team {
	out := make([]Team, 0, max(n, 0))
	pool := newGeneratorPool("teams/"+orgID, 0x7ea)
	for i := range n {
		out = append(out, Team{ID: objectIDAt(pool.at(i), pool.rng, uint32(i)), Name: fmt.Sprintf("Team-%04d", i+1)})
	}
	return out
}
