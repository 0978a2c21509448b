package mockatlas

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Projects (Atlas's groups), as Atlas serves them: an organization's
// projects (GET /api/atlas/v2/orgs/{orgId}/groups, operation getOrgGroups,
// Organization Member, an optional name filter) and every project the
// credentials see (GET /api/atlas/v2/groups, operation listGroups, formerly
// listProjects, which the document gives no role). Both version
// 2023-01-01, not deprecated, paginated like listOrgUsers, in name order.
// The projects' invitations are in project_invites.go, the organizations'
// teams in teams.go.

var (
	orgProjectsEndpoint = endpoint{versions: map[string]bool{MediaType: false}, def: MediaType, need: RoleOrgMember}
	// The older document asked for Organization Read Only; the newer one,
	// which wins, names no role: any role in an organization lists its
	// projects (the mock's reading, as for listOrganizations).
	projectsEndpoint = endpoint{versions: map[string]bool{MediaType: false}, def: MediaType, need: RoleOrgReadOnly}
)

// Project is one project, serialised as Atlas serialises a Group (see
// projectRow).
type Project struct {
	ID      string
	OrgID   string // set by AddProjects
	Name    string
	Created string // raw RFC 3339, as Atlas sends it
	// ClusterCount is how many clusters it holds.
	ClusterCount int64
}

// projectRow is a Project as Atlas's recorded answers show one (OpenAPI
// schema Group): tags empty rather than left out, default alert settings
// on, and the self link.
type projectRow struct {
	ClusterCount              int64        `json:"clusterCount"`
	Created                   string       `json:"created"`
	ID                        string       `json:"id"`
	Links                     []link       `json:"links"`
	Name                      string       `json:"name"`
	OrgID                     string       `json:"orgId"`
	Tags                      []projectTag `json:"tags"`
	WithDefaultAlertsSettings bool         `json:"withDefaultAlertsSettings"`
}

// projectTag is one of a project's tags (OpenAPI schema ResourceTag); the
// mock's projects have none.
type projectTag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// projectsPage is one answer of getOrgGroups or listGroups (OpenAPI schema
// PaginatedAtlasGroup).
type projectsPage struct {
	Links      []link       `json:"links"`
	Results    []projectRow `json:"results"`
	TotalCount *int64       `json:"totalCount,omitempty"`
}

// projectState is the mock's projects, the organizations' teams and the
// knobs of their endpoints.
type projectState struct {
	byID       map[string]*mockProject
	teams      map[string][]Team // by organization; see teams.go
	count      Count             // SetProjectsTotalCount
	teamsCount Count             // SetTeamsTotalCount
	sunset     string            // the invitations' Sunset header; "" is ProjectInvitationsSunsetDate
	retired    bool              // RetireProjectInvitations
	delay      time.Duration     // SetProjectInvitationsDelay
}

// mockProject is a project and its pending invitations, in the order added.
type mockProject struct {
	Project
	invites []ProjectInvitation
}

// AddProjects makes orgID exist (for every API) and adds projects to it,
// each with its OrgID set to orgID; a project already held is replaced,
// its invitations kept. They are served in name order whatever order they
// were added in.
func (s *Server) AddProjects(orgID string, projects ...Project) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.orgs[orgID]; !ok {
		s.orgs[orgID] = []Invitation{}
	}
	if s.proj.byID == nil {
		s.proj.byID = map[string]*mockProject{}
	}
	for _, p := range projects {
		p.OrgID = orgID
		if held := s.proj.byID[p.ID]; held != nil {
			held.Project = p
			continue
		}
		s.proj.byID[p.ID] = &mockProject{Project: p}
	}
}

// SetProjectsTotalCount scripts the totalCount of both project lists from
// now on, as SetUsersTotalCount does for a users list; Count{} restores the
// exact count.
func (s *Server) SetProjectsTotalCount(c Count) {
	s.mu.Lock()
	s.proj.count = c.own()
	s.mu.Unlock()
}

// groupsPrefix is the path of the projects API; the segment after it is
// the project a request is about.
const groupsPrefix = "/api/atlas/v2/groups/"

// pathProjectLocked is the project r's path names, if the mock holds it.
// s.mu is held.
func (s *Server) pathProjectLocked(r *http.Request) *mockProject {
	rest, ok := strings.CutPrefix(r.URL.Path, groupsPrefix)
	if !ok {
		return nil
	}
	id, _, _ := strings.Cut(rest, "/")
	return s.proj.byID[id]
}

// getOrgGroups answers an organization's projects, filtered by name: a
// case-insensitive prefix, as the document describes it.
func (s *Server) getOrgGroups(w http.ResponseWriter, r *http.Request) {
	orgID, q, ok := s.orgPage(w, r)
	if !ok {
		return
	}
	v := r.URL.Query()
	prefix, filtered := v.Get("name"), v.Has("name")
	s.servedProjects(w, r, q, func(p *mockProject) bool {
		return p.OrgID == orgID && (!filtered || hasPrefixFold(p.Name, prefix))
	})
}

// listGroups answers every project the credentials see: those of every
// organization, or of their own for credentials that belong to one
// (RestrictToOrg).
func (s *Server) listGroups(w http.ResponseWriter, r *http.Request) {
	q, ok := parsePaging(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	home, homed := s.homeOrgLocked(r, recordOf(r).Principal)
	s.mu.Unlock()
	s.servedProjects(w, r, q, func(p *mockProject) bool { return !homed || p.OrgID == home })
}

// servedProjects answers page q of the projects that match, in Atlas's
// order: by name, byte-wise (the recorded listGroups puts "Atlas CLI E2E"
// before "accessList-e2e-149"), then by id. getOrgGroups has no recorded
// answer; that it shares the order is the mock's reading.
func (s *Server) servedProjects(w http.ResponseWriter, r *http.Request, q pageQuery, match func(*mockProject) bool) {
	s.mu.Lock()
	var all []Project
	for _, p := range s.proj.byID {
		if match(p) {
			all = append(all, p.Project)
		}
	}
	count := s.proj.count
	s.mu.Unlock()
	slices.SortFunc(all, func(a, b Project) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
	})
	items, links, total := paginate(r, q, all, count)
	page := projectsPage{Links: links, Results: make([]projectRow, len(items)), TotalCount: total}
	for i, p := range items {
		page.Results[i] = projectRow{ClusterCount: p.ClusterCount, Created: p.Created, ID: p.ID,
			Links: []link{{Href: rootURL(r) + groupsPrefix + p.ID, Rel: "self"}}, Name: p.Name, OrgID: p.OrgID,
			Tags: []projectTag{}, WithDefaultAlertsSettings: true}
	}
	writeJSON(w, r, page)
}

// paginate is page q of all as Atlas pages a list: the page's items, the
// self link and the previous and next ones where there are such pages, and
// the estimated count when it was asked for.
func paginate[T any](r *http.Request, q pageQuery, all []T, count Count) ([]T, []link, *int64) {
	start := min((q.pageNum-1)*q.itemsPerPage, len(all))
	end := min(start+q.itemsPerPage, len(all))
	links := []link{{Href: pageURL(r, q.pageNum, q.itemsPerPage), Rel: "self"}}
	if q.pageNum > 1 {
		links = append(links, link{Href: pageURL(r, q.pageNum-1, q.itemsPerPage), Rel: "previous"})
	}
	if end < len(all) {
		links = append(links, link{Href: pageURL(r, q.pageNum+1, q.itemsPerPage), Rel: "next"})
	}
	var total *int64
	if q.includeCount {
		total = count.answer(len(all))
	}
	return all[start:end:end], links, total
}

// rootURL is the scheme and host r asked, to which Atlas's links append a
// path.
func rootURL(r *http.Request) string {
	return strings.TrimSuffix(selfURL(r), strings.TrimSuffix(r.URL.Path, "/"))
}

// projectOrError is a snapshot of the project the path names ({groupId})
// and its invitations, or answers 400 for an id that is not one and 404
// GROUP_NOT_FOUND, worded as Atlas's recorded answer, for a project the
// mock does not hold.
func (s *Server) projectOrError(w http.ResponseWriter, r *http.Request) (Project, []ProjectInvitation, bool) {
	id := r.PathValue("groupId")
	if !objectID.MatchString(id) {
		// Atlas's code for a malformed project id is not recorded; this
		// one is worded as INVALID_ORG_ID is (the mock's reading).
		writeError(w, http.StatusBadRequest, "INVALID_GROUP_ID",
			fmt.Sprintf("An invalid group ID %s was specified.", id), id)
		return Project{}, nil, false
	}
	s.mu.Lock()
	p := s.proj.byID[id]
	var project Project
	var invites []ProjectInvitation
	if p != nil {
		// Invitations are only ever appended under the lock: this prefix
		// is stable without copying them.
		project, invites = p.Project, p.invites[:len(p.invites):len(p.invites)]
	}
	s.mu.Unlock()
	if p == nil {
		writeError(w, http.StatusNotFound, "GROUP_NOT_FOUND", fmt.Sprintf("No group with ID %s exists.", id), id)
		return Project{}, nil, false
	}
	return project, invites, true
}
