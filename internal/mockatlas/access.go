package mockatlas

// What valid credentials may do: their role, their API access list, and
// the organization they belong to (restrict.go), and the answers Atlas
// gives when they may not.

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
)

// Atlas's wording for the two refusals of valid credentials. Atlas answers
// a key that lacks the role an endpoint needs (Organization Owner for the
// invitations) with 401 USER_UNAUTHORIZED, not 403: the OpenAPI file lists
// 401 and no 403 for both invitation operations. Credentials about an
// organization they do not belong to get the same answer (RestrictToOrg).
// 403 is the API access list.
const (
	RoleMissingCode   = "USER_UNAUTHORIZED"
	RoleMissingDetail = "Current user is not authorized to perform this action."
	AccessListCode    = "IP_ADDRESS_NOT_ON_ACCESS_LIST"
)

// OrgRole is an organization role of the mock, in increasing order of what
// it may read: Atlas's listOrgUsers and getOrganization need Organization
// Member, the invitation operations need Organization Owner.
type OrgRole int

const (
	RoleOrgReadOnly OrgRole = iota + 1 // ORG_READ_ONLY
	RoleOrgMember                      // ORG_MEMBER
	RoleOrgOwner                       // ORG_OWNER, every credential's default
)

// accessRules is what valid credentials may do: the role of each principal
// that is not an Organization Owner, and which have an API access list.
// Principals are as the record names them: a public key, a client id, or
// "token" for every token registered with AddAccessToken. The zero value
// allows everything.
type accessRules struct {
	roles       map[string]OrgRole
	accessLists map[string][]netip.Prefix
	homes       map[string]string          // see RestrictToOrg
	projects    map[string]map[string]bool // principal -> project -> Project Owner; see SetProjectOwner
}

// SetOrgOwner gives principal the Organization Owner role (the default for
// every credential) or takes it away, leaving Organization Read Only: every
// API request with these credentials is then answered 401
// USER_UNAUTHORIZED, as Atlas does.
func (s *Server) SetOrgOwner(principal string, owner bool) {
	role := RoleOrgReadOnly
	if owner {
		role = RoleOrgOwner
	}
	s.SetOrgRole(principal, role)
}

// SetOrgRole gives principal role in every organization of the mock.
// Requests that need a higher role are answered 401 USER_UNAUTHORIZED.
func (s *Server) SetOrgRole(principal string, role OrgRole) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rules.roles == nil {
		s.rules.roles = map[string]OrgRole{}
	}
	if role == RoleOrgOwner {
		delete(s.rules.roles, principal)
	} else {
		s.rules.roles[principal] = role
	}
}

// SetAccessList restricts principal to requests from the given addresses or
// CIDR blocks (e.g. "192.0.2.0/24"); others get 403
// IP_ADDRESS_NOT_ON_ACCESS_LIST naming the caller's address. No entries
// lifts the restriction. It panics on an entry that does not parse, which is
// a bug in the test.
func (s *Server) SetAccessList(principal string, entries ...string) {
	var list []netip.Prefix
	for _, e := range entries {
		p, err := netip.ParsePrefix(e)
		if err != nil {
			a, aerr := netip.ParseAddr(e)
			if aerr != nil {
				panic(fmt.Sprintf("mockatlas: access list entry %q: %v", e, err))
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		list = append(list, p.Masked())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rules.accessLists == nil {
		s.rules.accessLists = map[string][]netip.Prefix{}
	}
	if len(list) == 0 {
		delete(s.rules.accessLists, principal)
	} else {
		s.rules.accessLists[principal] = list
	}
}

// authorize answers what Atlas answers valid credentials that may not make
// the request to ep, in Atlas's order: the access list first, then the
// organization, then the role. It runs after authenticate succeeded and
// returns false when it has answered.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, rec *Request, ep endpoint) bool {
	s.mu.Lock()
	principal := rec.Principal
	list, restricted := s.rules.accessLists[principal]
	role, lower := s.rules.roles[principal]
	home, homed := s.homeOrgLocked(r, principal)
	pathOrg := s.pathOrgLocked(r)
	projectOwner := !ep.projectOwner || s.projectOwnerLocked(r, principal)
	s.mu.Unlock()
	if restricted {
		addr := remoteAddr(r)
		allowed := false
		for _, p := range list {
			allowed = allowed || (addr.IsValid() && p.Contains(addr))
		}
		if !allowed {
			writeError(w, http.StatusForbidden, AccessListCode,
				fmt.Sprintf("IP address %s is not allowed to access this resource.", addr), addr.String())
			return false
		}
	}
	if homed && pathOrg != "" && pathOrg != home {
		// Same answer as a missing role: the credentials have no role at
		// all in another organization (see RestrictToOrg).
		writeError(w, http.StatusUnauthorized, RoleMissingCode, RoleMissingDetail)
		return false
	}
	if lower && role < ep.need || !projectOwner {
		// No WWW-Authenticate: the credentials were accepted, so there is
		// nothing to answer with other credentials of the same kind.
		writeError(w, http.StatusUnauthorized, RoleMissingCode, RoleMissingDetail)
		return false
	}
	return true
}

func remoteAddr(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}
