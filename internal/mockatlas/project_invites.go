package mockatlas

import (
	"fmt"
	"net/http"
	"time"
)

// A project's pending invitations (GET
// /api/atlas/v2/groups/{groupId}/invites, operation listGroupInvites,
// formerly listProjectInvitations), as Atlas serves them: version
// 2023-01-01, deprecated with dates of its own and retired apart from the
// organization invitations, readable with Project Owner; a bare JSON array
// without pages, filtered by username. Neither the organization invitations
// nor the organization users list shows these invitations.

// The Deprecation header of the project invitations and the default of
// their Sunset header, as Atlas's recorded answers carry them
// (SetProjectInvitationsSunset moves the Sunset).
const (
	ProjectInvitationsDeprecationDate = "Wed, 4 Oct 2023 00:00:00 GMT"
	ProjectInvitationsSunsetDate      = "Thu, 1 Jul 2027 00:00:00 GMT"
)

// projectInvitesEndpoint needs Project Owner of the project (the document's
// x-rolesRequirements), whatever the organization role.
var projectInvitesEndpoint = endpoint{versions: map[string]bool{MediaType: true}, def: MediaType,
	need: RoleOrgReadOnly, projectOwner: true, dates: projectInvitationsAPI, retirable: true}

// ProjectInvitation is one pending project invitation, serialised as Atlas
// JSON (OpenAPI schema GroupInvitation) in the recorded answers' field
// order, without links, which they do not carry. Empty strings and nil
// slices are omitted so tests can model fields Atlas leaves out.
// InviterUsername may be an API key's public key rather than an e-mail
// address: Atlas's recorded answers show one, although the document gives
// the field format email.
type ProjectInvitation struct {
	CreatedAt       string   `json:"createdAt,omitempty"` // raw RFC 3339, as Atlas sends it
	ExpiresAt       string   `json:"expiresAt,omitempty"`
	GroupID         string   `json:"groupId,omitempty"`
	GroupName       string   `json:"groupName,omitempty"`
	ID              string   `json:"id,omitempty"`
	InviterUsername string   `json:"inviterUsername,omitempty"`
	Roles           []string `json:"roles,omitempty"`
	Username        string   `json:"username,omitempty"`
}

// AddProjectInvitations appends invites to the project's, in the given
// order, served so. They are copied as given: AddProjects' project is not
// written into them. It panics if the mock does not hold the project,
// which is a bug in the test.
func (s *Server) AddProjectInvitations(projectID string, invites ...ProjectInvitation) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.proj.byID[projectID]
	if p == nil {
		panic(fmt.Sprintf("mockatlas: AddProjectInvitations: no project %s (AddProjects first)", projectID))
	}
	for _, inv := range invites {
		inv.Roles = cloneSlice(inv.Roles)
		p.invites = append(p.invites, inv)
	}
}

// SetProjectOwner gives principal (as SetOrgRole names it) the Project Owner
// role on projectID, or takes it away: a read of that project's invitations
// is then answered 401 USER_UNAUTHORIZED, as a missing role is. Unless set
// here, a principal is Project Owner of every project exactly when it is
// Organization Owner (the default), as Atlas gives an Organization Owner
// every project. Taken away here, an Organization Owner keeps its other
// reads: a key that lacks the role on one project without lowering its
// organization role, which Atlas would not allow (the mock's reading, kept
// so that one project alone fails).
func (s *Server) SetProjectOwner(principal, projectID string, owner bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rules.projects == nil {
		s.rules.projects = map[string]map[string]bool{}
	}
	if s.rules.projects[principal] == nil {
		s.rules.projects[principal] = map[string]bool{}
	}
	s.rules.projects[principal][projectID] = owner
}

// projectOwnerLocked says whether principal is Project Owner of the project
// r's path names; true for a project the mock does not hold, which the
// handler answers. s.mu is held.
func (s *Server) projectOwnerLocked(r *http.Request, principal string) bool {
	p := s.pathProjectLocked(r)
	if p == nil {
		return true
	}
	if owner, ok := s.rules.projects[principal][p.ID]; ok {
		return owner
	}
	_, lower := s.rules.roles[principal]
	return !lower
}

// RetireProjectInvitations makes the project invitations answer as
// RetireInvitations makes the organization invitations answer: 410
// VERSION_GONE with their own Deprecation and Sunset headers. The two are
// independent, as Atlas retires each API on its own.
func (s *Server) RetireProjectInvitations(on bool) {
	s.mu.Lock()
	s.proj.retired = on
	s.mu.Unlock()
}

// SetProjectInvitationsSunset sets the project invitations' Sunset header
// from now on, as SetSunset does the organization invitations'; ""
// restores ProjectInvitationsSunsetDate.
func (s *Server) SetProjectInvitationsSunset(httpDate string) {
	s.mu.Lock()
	s.proj.sunset = httpDate
	s.mu.Unlock()
}

// SetProjectInvitationsDelay makes every answer of the project invitations
// wait d first, like one project's round trip to a real Atlas (0 turns it
// off), as SetUsersPageDelay does for the users pages.
func (s *Server) SetProjectInvitationsDelay(d time.Duration) {
	s.mu.Lock()
	s.proj.delay = d
	s.mu.Unlock()
}

func (s *Server) listGroupInvites(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	delay := s.proj.delay
	s.mu.Unlock()
	if !wait(r, delay) {
		return
	}
	_, invites, ok := s.projectOrError(w, r)
	if !ok {
		return
	}
	out := withUsername(r, invites, func(inv ProjectInvitation) string { return inv.Username })
	writeJSON(w, r, out)
}
