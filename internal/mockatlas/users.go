package mockatlas

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The organization users API (GET /api/atlas/v2/orgs/{orgId}/users,
// operation listOrgUsers), as Atlas serves it: version 2025-02-19 lists
// every membership status and honours the filters; the deprecated
// 2023-01-01 lists ACTIVE users only and ignores them. Users in username
// order, pages of at most 500, an estimated totalCount on request.

// UsersMediaType is the version of listOrgUsers that knows membership
// statuses (the Accept value); UsersContentType is the Content-Type of its
// successful answers.
const (
	UsersMediaType   = "application/vnd.atlas.2025-02-19+json"
	UsersContentType = UsersMediaType + charset
)

// usersVersions are the versions listOrgUsers serves, and whether Atlas
// marks each one deprecated (it sends Deprecation and Sunset headers then).
var usersVersions = map[string]bool{UsersMediaType: false, MediaType: true}

// Organization membership statuses (orgMembershipStatus).
const (
	StatusActive             = "ACTIVE"
	StatusPending            = "PENDING"
	StatusInvitationExpired  = "INVITATION_EXPIRED"
	StatusInvitationRejected = "INVITATION_REJECTED"
)

// UserStatuses are every membership status Atlas knows.
var UserStatuses = []string{StatusActive, StatusPending, StatusInvitationExpired, StatusInvitationRejected}

// MaxItemsPerPage is the largest page listOrgUsers serves.
const MaxItemsPerPage = 500

// User is one organization user, serialised as Atlas JSON (OpenAPI schema
// OrgUserResponse, without links). Empty strings and nil slices are omitted
// so tests can model fields Atlas leaves out; the fields a row carries also
// depend on its status, as in Atlas (see MarshalJSON).
type User struct {
	ID                  string    `json:"id,omitempty"`
	Username            string    `json:"username,omitempty"`
	OrgMembershipStatus string    `json:"orgMembershipStatus,omitempty"`
	Roles               UserRoles `json:"roles"` // required by the schema, possibly empty
	TeamIDs             []string  `json:"teamIds,omitempty"`
	InviterUsername     string    `json:"inviterUsername,omitempty"`
	InvitationCreatedAt string    `json:"invitationCreatedAt,omitempty"` // raw RFC 3339, as Atlas sends it
	InvitationExpiresAt string    `json:"invitationExpiresAt,omitempty"`
	CreatedAt           string    `json:"createdAt,omitempty"`
	LastAuth            string    `json:"lastAuth,omitempty"`
	FirstName           string    `json:"firstName,omitempty"`
	LastName            string    `json:"lastName,omitempty"`
	Country             string    `json:"country,omitempty"`
	MobileNumber        string    `json:"mobileNumber,omitempty"` // served (null when empty), never exposed by the provider
}

// UserRoles are a user's organization and project roles.
type UserRoles struct {
	OrgRoles             []string         `json:"orgRoles,omitempty"`
	GroupRoleAssignments []UserGroupRoles `json:"groupRoleAssignments,omitempty"`
}

// UserGroupRoles are a user's roles in one project.
type UserGroupRoles struct {
	GroupID    string   `json:"groupId,omitempty"`
	GroupRoles []string `json:"groupRoles,omitempty"`
}

func (u User) clone() User {
	u.TeamIDs = cloneSlice(u.TeamIDs)
	u.Roles.OrgRoles = cloneSlice(u.Roles.OrgRoles)
	groups := cloneSlice(u.Roles.GroupRoleAssignments)
	for i := range groups {
		groups[i].GroupRoles = cloneSlice(groups[i].GroupRoles)
	}
	u.Roles.GroupRoleAssignments = groups
	return u
}

// userOrg is one organization's users and how its list misbehaves.
type userOrg struct {
	users []User // in the order added
	// sorted is users in username order (ties by id), built when needed;
	// nil after a change.
	sorted []User
	// unsorted serves users as added (SetUsersUnsorted).
	unsorted bool
	// churn is how many more reads see the list change between page 1
	// and the later pages (negative: every read), and how.
	churn     int
	churnKind Churn
	insert    *heldInsert // SetUsersInsertWhileHeld
	count     Count       // SetUsersTotalCount
}

// listed is the org's users in the order they are served.
func (o *userOrg) listed() []User {
	if o.unsorted {
		return o.users
	}
	if o.sorted == nil {
		o.sorted = slices.Clone(o.users)
		slices.SortStableFunc(o.sorted, compareUsers)
	}
	return o.sorted
}

// compareUsers is Atlas's order: username byte-wise, then id.
func compareUsers(a, b User) int {
	return cmp.Or(strings.Compare(a.Username, b.Username), strings.Compare(a.ID, b.ID))
}

// usersPage is one answer of listOrgUsers (OpenAPI schema PaginatedOrgUser).
type usersPage struct {
	Results    []User `json:"results"`
	TotalCount *int64 `json:"totalCount,omitempty"`
}

// AddUsers makes orgID exist (for both APIs) and adds users to it. They are
// served in username order whatever order they were added in (but see
// SetUsersUnsorted). The users are copied.
func (s *Server) AddUsers(orgID string, users ...User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.orgs[orgID]; !ok {
		s.orgs[orgID] = []Invitation{}
	}
	o := s.userOrgLocked(orgID)
	for _, u := range users {
		o.users = append(o.users, u.clone())
	}
	o.sorted = nil
}

// SetUsersUnsorted makes orgID's users served in the order they were added
// (on) instead of Atlas's username order: a list no real Atlas gives, kept
// so that a client's own sorting stays tested.
func (s *Server) SetUsersUnsorted(orgID string, on bool) {
	s.mu.Lock()
	s.userOrgLocked(orgID).unsorted = on
	s.mu.Unlock()
}

// SetUsersPageDelay makes every answer of the users endpoint wait d first,
// like the latency of a real Atlas page (0 turns it off). A scripted Delay
// fault adds to it.
func (s *Server) SetUsersPageDelay(d time.Duration) {
	s.mu.Lock()
	s.usersPageDelay = d
	s.mu.Unlock()
}

func (s *Server) userOrgLocked(orgID string) *userOrg {
	if s.users == nil {
		s.users = map[string]*userOrg{}
	}
	o := s.users[orgID]
	if o == nil {
		o = &userOrg{}
		s.users[orgID] = o
	}
	return o
}

// pageQuery is what listOrgUsers reads from the query string.
type pageQuery struct {
	itemsPerPage, pageNum int
	includeCount          bool
	username              *string
	statuses              []string // nil: ACTIVE and PENDING
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	delay := s.usersPageDelay
	s.mu.Unlock()
	if !wait(r, delay) {
		return
	}
	orgID := r.PathValue("orgId")
	if _, ok := s.orgInvites(w, orgID); !ok {
		return
	}
	q, ok := parsePageQuery(w, r)
	if !ok || !s.waitHeld(r, orgID, q.pageNum) {
		return
	}
	if r.Header.Get("Accept") != UsersMediaType {
		// 2023-01-01 lists members only and silently ignores the filters:
		// the reason the provider must speak 2025-02-19.
		q.username, q.statuses = nil, []string{StatusActive}
	}
	if q.statuses == nil {
		q.statuses = []string{StatusActive, StatusPending}
	}

	// One pass that counts the matches and copies only the page: copying
	// every match for each page made the mock, not the client, the cost of
	// a large read.
	page := usersPage{Results: []User{}}
	start := (q.pageNum - 1) * q.itemsPerPage
	matched := 0
	s.mu.Lock()
	o := s.users[orgID]
	var count Count
	if o != nil {
		count = o.count
		for _, u := range o.listed() {
			// The username matches exactly, case included, as on the
			// invitations API: the mock's reading, since the OpenAPI
			// document says only "Email address to filter users by".
			if !slices.Contains(q.statuses, u.OrgMembershipStatus) || (q.username != nil && u.Username != *q.username) {
				continue
			}
			if matched >= start && matched < start+q.itemsPerPage {
				page.Results = append(page.Results, u)
			}
			matched++
		}
		if q.pageNum == 1 && len(page.Results) > 0 {
			s.churnLocked(o, page.Results[0])
		}
	}
	s.mu.Unlock()

	if q.includeCount {
		page.TotalCount = count.answer(matched)
	}
	writeJSON(w, r, page)
	s.insertAfterAnswer(w, orgID, q.pageNum)
}

// parsePageQuery reads and checks listOrgUsers' query as Atlas does,
// answering 400 (and returning false) for a value it refuses.
func parsePageQuery(w http.ResponseWriter, r *http.Request) (pageQuery, bool) {
	q, ok := parsePaging(w, r)
	if !ok {
		return q, false
	}
	v := r.URL.Query()
	if v.Has("username") {
		u := v.Get("username")
		q.username = &u
	}
	if v.Has("orgMembershipStatus") && v.Has("orgMembershipStatuses") {
		writeError(w, http.StatusBadRequest, "INVALID_QUERY_PARAMETER",
			"orgMembershipStatus cannot be combined with orgMembershipStatuses.", "orgMembershipStatus")
		return q, false
	}
	statuses := append(v["orgMembershipStatuses"], v["orgMembershipStatus"]...)
	for _, st := range statuses {
		if !slices.Contains(UserStatuses, st) {
			writeError(w, http.StatusBadRequest, "INVALID_ENUM_VALUE",
				fmt.Sprintf("An invalid enumeration value %s was specified for orgMembershipStatuses.", st), st, "orgMembershipStatuses")
			return q, false
		}
	}
	if len(statuses) > 0 {
		q.statuses = statuses
	}
	return q, true
}

// parsePaging reads and checks the paging parameters Atlas's paginated
// lists share (itemsPerPage, pageNum, includeCount), answering 400 (and
// returning false) for a value it refuses.
func parsePaging(w http.ResponseWriter, r *http.Request) (pageQuery, bool) {
	v := r.URL.Query()
	q := pageQuery{itemsPerPage: 100, pageNum: 1, includeCount: true}
	for _, p := range []struct {
		name     string
		dst      *int
		min, max int
	}{{"itemsPerPage", &q.itemsPerPage, 1, MaxItemsPerPage}, {"pageNum", &q.pageNum, 1, 1 << 20}} {
		if !v.Has(p.name) {
			continue
		}
		n, err := strconv.Atoi(v.Get(p.name))
		if err != nil || n < p.min || n > p.max {
			writeError(w, http.StatusBadRequest, "INVALID_QUERY_PARAMETER",
				fmt.Sprintf("Invalid query parameter %s: %q must be an integer from %d to %d.", p.name, v.Get(p.name), p.min, p.max),
				p.name, v.Get(p.name))
			return q, false
		}
		*p.dst = n
	}
	if v.Has("includeCount") {
		b, err := strconv.ParseBool(v.Get("includeCount"))
		if err != nil {
			writeError(w, http.StatusBadRequest, "INVALID_QUERY_PARAMETER",
				fmt.Sprintf("Invalid query parameter includeCount: %q must be true or false.", v.Get("includeCount")),
				"includeCount", v.Get("includeCount"))
			return q, false
		}
		q.includeCount = b
	}
	return q, true
}

// orgPage is the organization of r's path and the page r asks for of one
// of its lists; false when either has been answered with an error.
func (s *Server) orgPage(w http.ResponseWriter, r *http.Request) (string, pageQuery, bool) {
	orgID := r.PathValue("orgId")
	if _, ok := s.orgInvites(w, orgID); !ok {
		return "", pageQuery{}, false
	}
	q, ok := parsePaging(w, r)
	return orgID, q, ok
}
