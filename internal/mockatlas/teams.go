package mockatlas

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
)

// An organization's teams (GET /api/atlas/v2/orgs/{orgId}/teams, operation
// listOrgTeams), as Atlas serves them: version 2023-01-01, not deprecated,
// Organization Member, paginated like listOrgUsers. Atlas "only returns
// teams for which you have access"; the mock's credentials have access to
// every team.

var teamsEndpoint = endpoint{versions: map[string]bool{MediaType: false}, def: MediaType, need: RoleOrgMember}

// Team is one team of an organization.
type Team struct {
	ID, Name string
}

// teamRow is a Team as Atlas serialises one (OpenAPI schema TeamResponse),
// with its self link.
type teamRow struct {
	ID    string `json:"id"`
	Links []link `json:"links"`
	Name  string `json:"name"`
}

// teamsPage is one answer of listOrgTeams (OpenAPI schema PaginatedTeam).
type teamsPage struct {
	Links      []link    `json:"links"`
	Results    []teamRow `json:"results"`
	TotalCount *int64    `json:"totalCount,omitempty"`
}

// AddTeams makes orgID exist (for every API) and adds teams to it. They
// are served in name order whatever order they were added in.
func (s *Server) AddTeams(orgID string, teams ...Team) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.orgs[orgID]; !ok {
		s.orgs[orgID] = []Invitation{}
	}
	if s.proj.teams == nil {
		s.proj.teams = map[string][]Team{}
	}
	s.proj.teams[orgID] = append(s.proj.teams[orgID], teams...)
}

// SetTeamsTotalCount scripts the totalCount of listOrgTeams from now on, as
// SetUsersTotalCount does for a users list; Count{} restores the exact
// count.
func (s *Server) SetTeamsTotalCount(c Count) {
	s.mu.Lock()
	s.proj.teamsCount = c.own()
	s.mu.Unlock()
}

// listOrgTeams answers page q of an organization's teams, by name, then by
// id: the mock's reading, since the recorded answer holds one team.
func (s *Server) listOrgTeams(w http.ResponseWriter, r *http.Request) {
	orgID, q, ok := s.orgPage(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	all := slices.Clone(s.proj.teams[orgID])
	count := s.proj.teamsCount
	s.mu.Unlock()
	slices.SortFunc(all, func(a, b Team) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
	})
	items, links, total := paginate(r, q, all, count)
	page := teamsPage{Links: links, Results: make([]teamRow, len(items)), TotalCount: total}
	for i, t := range items {
		page.Results[i] = teamRow{ID: t.ID, Name: t.Name, Links: []link{{Href: selfURL(r) + "/" + t.ID, Rel: "self"}}}
	}
	writeJSON(w, r, page)
}
