package mockatlas

import (
	"net/http"
	"strings"
)

// One organization per key. Atlas's organization API keys and service
// accounts belong to exactly one organization: listOrganizations shows
// them that one, and any request about another organization is refused.
// The mock's credentials see every organization unless restricted, as a
// credential with roles in several organizations would.

// orgsPrefix is the path of the organizations API; the segment after it is
// the organization a request is about.
const orgsPrefix = "/api/atlas/v2/orgs/"

// RestrictToOrg makes principal belong to orgID alone ("" lifts the
// restriction). principal is as SetOrgRole names it: an API key's public
// key, a service account's client id, or "token" for every token
// registered with AddAccessToken; a registered token's own value restricts
// that token alone (and wins over "token").
//
// A restricted principal's listOrganizations shows orgID only (if the mock
// has it), listProjects only orgID's projects, and every request whose path
// names another organization, known to the mock or not, or a project of
// another organization, on any endpoint (served or not), is answered 401
// USER_UNAUTHORIZED "Current user is not authorized to perform this
// action.", after the access list and before the Accept check, as a
// missing role is. This is the mock's reading, not a recorded answer: the
// key has no role there, as with a missing role; a 404 would tell whether
// the organization exists, and 403 is the access list's answer. An
// organization id that is not an ObjectId still gets its 400.
func (s *Server) RestrictToOrg(principal, orgID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if orgID == "" {
		delete(s.rules.homes, principal)
		return
	}
	if s.rules.homes == nil {
		s.rules.homes = map[string]string{}
	}
	s.rules.homes[principal] = orgID
}

// homeOrgLocked is the organization r's credentials, authenticated as
// principal, are restricted to, if any.
func (s *Server) homeOrgLocked(r *http.Request, principal string) (string, bool) {
	if kind, tok := splitAuthorization(r.Header.Get("Authorization")); kind == AuthBearer && s.staticTokens[tok] {
		if home, ok := s.rules.homes[tok]; ok {
			return home, true
		}
	}
	home, ok := s.rules.homes[principal]
	return home, ok
}

// pathOrgLocked is the organization r's path is about: the one it names,
// or the one that holds the project it names. "" when it names neither, an
// id that is not well-formed (which the handler refuses with 400), or a
// project the mock does not hold (which the handler answers 404: the
// mock's reading, since Atlas cannot tell whose it is either). s.mu is
// held.
func (s *Server) pathOrgLocked(r *http.Request) string {
	if rest, ok := strings.CutPrefix(r.URL.Path, orgsPrefix); ok {
		orgID, _, _ := strings.Cut(rest, "/")
		if objectID.MatchString(orgID) {
			return orgID
		}
		return ""
	}
	if p := s.pathProjectLocked(r); p != nil {
		return p.OrgID
	}
	return ""
}
