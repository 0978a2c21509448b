package mockatlas

import (
	"net/http"
	"strings"
)

// The organization itself (GET /api/atlas/v2/orgs/{orgId}, operation
// getOrganization), as Atlas serves it: version 2023-01-01, not
// deprecated, readable with Organization Member.

// organization is the answer (OpenAPI schema AtlasOrganization).
type organization struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	IsDeleted bool   `json:"isDeleted"`
	Links     []link `json:"links"`
}

// link is one entry of links (OpenAPI schema Link).
type link struct {
	Href string `json:"href"`
	Rel  string `json:"rel"`
}

// SetOrgName sets the name getOrganization answers for orgID; "" goes back
// to the default: the orgName of the organization's first invitation that
// has one, else GeneratedOrgName. It neither makes orgID exist (AddOrg and
// AddUsers do) nor changes the orgName the invitations carry. Atlas allows
// only letters, digits and -_.(),:&@+' in a name; the mock serves any.
func (s *Server) SetOrgName(orgID, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if name == "" {
		delete(s.orgNames, orgID)
		return
	}
	if s.orgNames == nil {
		s.orgNames = map[string]string{}
	}
	s.orgNames[orgID] = name
}

// GeneratedOrgName is the name of an organization that has none of its
// own: the one GenerateInvitations gives its invitations, so a generated
// organization is named alike with or without them.
func GeneratedOrgName(orgID string) string {
	if len(orgID) > 6 {
		return "Org-" + orgID[len(orgID)-6:]
	}
	return "Org-" + orgID
}

func (s *Server) getOrg(w http.ResponseWriter, r *http.Request) {
	orgID := r.PathValue("orgId")
	invites, ok := s.orgInvites(w, orgID)
	if !ok {
		return
	}
	writeJSON(w, r, organization{
		ID: orgID, Name: s.orgName(orgID, invites), Links: []link{{Href: selfURL(r), Rel: "self"}},
	})
}

// orgName is the name of orgID, whose invitations are invites (see
// SetOrgName).
func (s *Server) orgName(orgID string, invites []Invitation) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.orgNameLocked(orgID, invites)
}

func (s *Server) orgNameLocked(orgID string, invites []Invitation) string {
	if name := s.orgNames[orgID]; name != "" {
		return name
	}
	for _, inv := range invites {
		if inv.OrgName != "" {
			return inv.OrgName
		}
	}
	return GeneratedOrgName(orgID)
}

// selfURL is the URL of the resource r asked for, on the host it asked,
// without the query: Atlas's self link, pointing back at the mock.
func selfURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + strings.TrimSuffix(r.URL.Path, "/")
}
