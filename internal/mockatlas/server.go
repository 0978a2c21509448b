// Package mockatlas is an in-memory MongoDB Atlas Admin API v2 server for
// tests and demos: the organizations list and one organization, an
// organization's invitations (list and one), its users, projects and teams,
// the projects' invitations and every project the credentials see, real
// HTTP digest and bearer authentication with the OAuth 2 client-credentials
// token (and revoke) endpoint, organization and project roles and API
// access lists, the Atlas media types and error bodies, the two invitations
// APIs' Deprecation and Sunset headers and their retirement, scriptable
// faults, latency and rate limits, a user list that changes while it is
// paged, and a record of what it received. A proxy and servers that reset
// or challenge every request stand in for what lies between a client and
// Atlas.
package mockatlas

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"time"
)

// Wire constants shared with tests that assert on them.
const (
	// MediaType is the Accept value the invitations endpoints and
	// getOrganization serve (the users endpoint serves it too, deprecated).
	// Answers carry it with a charset: ContentType.
	MediaType = "application/vnd.atlas.2023-01-01+json"
	// ContentType is the Content-Type of a successful answer to MediaType,
	// as Atlas sends it (errors are ErrorMediaType, as the OpenAPI document
	// declares them).
	ContentType = MediaType + charset
	// DeprecationDate is the Deprecation header real Atlas sends for the
	// deprecated invitations API; SunsetDate is the Sunset header's default
	// (SetSunset moves it, as Atlas has). Where Atlas documents the headers:
	// atlasapi.DeprecationHeader.
	DeprecationDate = "Wed, 19 Feb 2025 00:00:00 GMT"
	SunsetDate      = "Thu, 1 Jul 2027 00:00:00 GMT"
)

// objectID is the shape of Atlas ids (orgId, invitationId): 24 lower-case hex.
var objectID = regexp.MustCompile(`^[a-f0-9]{24}$`)

// Server is the mock. The zero value is not usable; call New. All methods are
// safe for concurrent use.
type Server struct {
	mu sync.Mutex

	orgs            map[string][]Invitation
	orgNames        map[string]string   // see SetOrgName
	users           map[string]*userOrg // see users.go
	usersPageDelay  time.Duration
	latency         time.Duration     // see SetLatency
	orgsCount       Count             // see SetOrgsTotalCount
	churnSeq        int               // users ChurnInsert has made
	apiKeys         map[string]string // public key -> private key
	serviceAccounts map[string]string // client id -> secret
	staticTokens    map[string]bool
	issued          map[string]issuedToken
	nonces          map[string]time.Time // unused digest nonce -> issued at
	tokenTTL        time.Duration
	deprecation     bool
	sunset          string       // the Sunset header; see SetSunset
	retired         bool         // see RetireInvitations
	staleInvitation StaleAnswer  // see SetStaleInvitationAnswer
	rules           accessRules  // roles and access lists (auth.go)
	proj            projectState // projects, their invitations, teams (projects.go)

	faults      []Fault
	persistent  *Fault
	tokenFaults []Fault

	limiter limiter

	record    []*Request
	conns     int
	onRequest func(Request)

	// now is the clock for token expiry, nonce lifetime and the record, so
	// tests can move time without sleeping.
	now func() time.Time

	mux *http.ServeMux
}

// New returns an empty server: no organizations, no credentials, deprecation
// headers on, issued tokens valid for one hour.
func New() *Server {
	s := &Server{
		orgs:            map[string][]Invitation{},
		apiKeys:         map[string]string{},
		serviceAccounts: map[string]string{},
		staticTokens:    map[string]bool{},
		issued:          map[string]issuedToken{},
		nonces:          map[string]time.Time{},
		tokenTTL:        time.Hour,
		deprecation:     true,
		sunset:          SunsetDate,
		now:             time.Now,
		mux:             http.NewServeMux(),
	}
	s.mux.HandleFunc("GET /api/atlas/v2/orgs", s.api(orgsEndpoint, s.listOrgs))
	s.mux.HandleFunc("GET /api/atlas/v2/orgs/{orgId}", s.api(orgEndpoint, s.getOrg))
	s.mux.HandleFunc("GET /api/atlas/v2/orgs/{orgId}/invites", s.api(invitationsEndpoint, s.listInvites))
	s.mux.HandleFunc("GET /api/atlas/v2/orgs/{orgId}/invites/{invitationId}", s.api(invitationsEndpoint, s.getInvite))
	s.mux.HandleFunc("GET /api/atlas/v2/orgs/{orgId}/users", s.api(usersEndpoint, s.listUsers))
	s.mux.HandleFunc("GET /api/atlas/v2/orgs/{orgId}/groups", s.api(orgProjectsEndpoint, s.getOrgGroups))
	s.mux.HandleFunc("GET /api/atlas/v2/orgs/{orgId}/teams", s.api(teamsEndpoint, s.listOrgTeams))
	s.mux.HandleFunc("GET /api/atlas/v2/groups", s.api(projectsEndpoint, s.listGroups))
	s.mux.HandleFunc("GET /api/atlas/v2/groups/{groupId}/invites", s.api(projectInvitesEndpoint, s.listGroupInvites))
	s.mux.HandleFunc("/api/oauth/token", s.token)
	s.mux.HandleFunc("/api/oauth/revoke", s.revoke)
	// Everything else still authenticates first, as Atlas does, then 404s
	// (or 405s a known path with the wrong method).
	s.mux.HandleFunc("/", s.api(otherEndpoint, s.noRoute))
	return s
}

// AddOrg makes orgID exist (even with no invitations) and appends invites to
// it, in the given order. The invitations are copied.
func (s *Server) AddOrg(orgID string, invites ...Invitation) {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := s.orgs[orgID]
	if list == nil {
		list = []Invitation{}
	}
	for _, inv := range invites {
		list = append(list, inv.clone())
	}
	s.orgs[orgID] = list
}

// AddAPIKey registers a programmatic API key for HTTP digest.
func (s *Server) AddAPIKey(publicKey, privateKey string) {
	s.mu.Lock()
	s.apiKeys[publicKey] = privateKey
	s.mu.Unlock()
}

// AddServiceAccount registers OAuth client credentials for POST /api/oauth/token.
func (s *Server) AddServiceAccount(clientID, clientSecret string) {
	s.mu.Lock()
	s.serviceAccounts[clientID] = clientSecret
	s.mu.Unlock()
}

// AddAccessToken registers a bearer token that is valid until removed.
func (s *Server) AddAccessToken(token string) {
	s.mu.Lock()
	s.staticTokens[token] = true
	s.mu.Unlock()
}

// RemoveAccessToken invalidates a token, whether registered or issued.
func (s *Server) RemoveAccessToken(token string) {
	s.mu.Lock()
	delete(s.staticTokens, token)
	delete(s.issued, token)
	s.mu.Unlock()
}

// SetTokenTTL sets the lifetime (and expires_in) of tokens issued from now on.
func (s *Server) SetTokenTTL(d time.Duration) {
	s.mu.Lock()
	s.tokenTTL = d
	s.mu.Unlock()
}

// SetDeprecationHeaders turns the Deprecation and Sunset headers on or off.
func (s *Server) SetDeprecationHeaders(on bool) {
	s.mu.Lock()
	s.deprecation = on
	s.mu.Unlock()
}

// ServeHTTP records the request, routes it and records the status answered.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := s.begin(r)
	sw := &statusWriter{ResponseWriter: w}
	// Deferred so that an aborted answer (Drop) is still recorded, as 0.
	defer func() { s.finish(rec, sw.status) }()
	r = r.WithContext(context.WithValue(r.Context(), recordKey{}, rec))
	s.mu.Lock()
	latency := s.latency
	s.mu.Unlock()
	if !wait(r, latency) {
		return // the client went away: nothing to answer
	}
	s.mux.ServeHTTP(sw, r)
}

// Start serves on a loopback httptest server whose connections are counted.
// The caller closes it.
func (s *Server) Start() *httptest.Server {
	ts := httptest.NewUnstartedServer(s)
	ts.Config.ConnState = s.ConnState
	ts.Start()
	return ts
}

// Serve serves on ln in a goroutine, counting connections, and returns the
// http.Server so the caller can Shutdown it.
func (s *Server) Serve(ln net.Listener) *http.Server {
	srv := &http.Server{
		Handler:           s,
		ConnState:         s.ConnState,
		ReadHeaderTimeout: 30 * time.Second,
	}
	go func() { _ = srv.Serve(ln) }()
	return srv
}

type recordKey struct{}

func recordOf(r *http.Request) *Request {
	rec, _ := r.Context().Value(recordKey{}).(*Request)
	if rec == nil { // a handler reached without ServeHTTP; keep going
		rec = &Request{}
	}
	return rec
}

// withUsername is items whose username is the request's username filter, or
// all of them without one. Query() has already decoded the value: %2B is
// '+', a bare '+' a space, as in any form-encoded query. The match is exact,
// case included, which is the mock's reading: the OpenAPI document says
// only that username is the invited user's e-mail address, nothing of case,
// and no recorded answer filters on one with capitals. So the provider never
// relies on case folding: it sends the address as written, and warns when
// one with capitals matches nobody.
func withUsername[T any](r *http.Request, items []T, username func(T) string) []T {
	q := r.URL.Query()
	out := make([]T, 0, len(items))
	for _, item := range items {
		if q.Has("username") && username(item) != q.Get("username") {
			continue
		}
		out = append(out, item)
	}
	return out
}

func (s *Server) listInvites(w http.ResponseWriter, r *http.Request) {
	orgID := r.PathValue("orgId")
	invites, ok := s.orgInvites(w, orgID)
	if !ok {
		return
	}
	out := withUsername(r, invites, func(inv Invitation) string { return inv.Username })
	writeJSON(w, r, out)
}

func (s *Server) getInvite(w http.ResponseWriter, r *http.Request) {
	orgID, invID := r.PathValue("orgId"), r.PathValue("invitationId")
	invites, ok := s.orgInvites(w, orgID)
	if !ok {
		return
	}
	if !objectID.MatchString(invID) {
		writeError(w, http.StatusBadRequest, "INVALID_INVITATION_ID",
			fmt.Sprintf("An invalid invitation ID %s was specified.", invID), invID)
		return
	}
	for _, inv := range invites {
		if inv.ID == invID {
			writeJSON(w, r, inv)
			return
		}
	}
	s.mu.Lock()
	stale := s.staleInvitation
	s.mu.Unlock()
	if stale == StaleResourceNotFound {
		writeError(w, http.StatusNotFound, "RESOURCE_NOT_FOUND", fmt.Sprintf("Cannot find resource %s.", r.URL.Path), r.URL.Path)
		return
	}
	writeError(w, http.StatusNotFound, "INVITATION_NOT_FOUND",
		fmt.Sprintf("Invitation %s does not exist in organization %s.", invID, orgID), invID, orgID)
}

// StaleAnswer is how the mock answers a read of an invitation id that its
// organization does not hold (accepted, revoked, expired, or never made).
// What Atlas answers a stale id is not recorded: these are the two answers
// it may give, and a test of a stale id runs both (the mock's reading).
type StaleAnswer int

const (
	// StaleInvitationNotFound is 404 INVITATION_NOT_FOUND naming the
	// invitation and the organization: the mock's default.
	StaleInvitationNotFound StaleAnswer = iota
	// StaleResourceNotFound is 404 RESOURCE_NOT_FOUND "Cannot find resource
	// <path>.", the answer Atlas gives for a path it does not serve.
	StaleResourceNotFound
)

// SetStaleInvitationAnswer sets how a read of an invitation id that the
// organization does not hold is answered from now on.
func (s *Server) SetStaleInvitationAnswer(a StaleAnswer) {
	s.mu.Lock()
	s.staleInvitation = a
	s.mu.Unlock()
}

// orgInvites validates orgID and returns a snapshot of its invitations, or
// answers 400/404 and returns false.
func (s *Server) orgInvites(w http.ResponseWriter, orgID string) ([]Invitation, bool) {
	if !objectID.MatchString(orgID) {
		writeError(w, http.StatusBadRequest, "INVALID_ORG_ID",
			fmt.Sprintf("An invalid organization ID %s was specified.", orgID), orgID)
		return nil, false
	}
	s.mu.Lock()
	invites, ok := s.orgs[orgID]
	// The stored slice is only ever appended to under the lock, so this
	// prefix is stable without copying every element.
	invites = invites[:len(invites):len(invites)]
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "ORG_NOT_FOUND",
			fmt.Sprintf("Organization %s does not exist.", orgID), orgID)
		return nil, false
	}
	return invites, true
}

func (s *Server) noRoute(w http.ResponseWriter, r *http.Request) {
	// Would the path match with GET? Then it is the method that is wrong.
	probe := r.Clone(r.Context())
	probe.Method = http.MethodGet
	if _, pattern := s.mux.Handler(probe); pattern != "/" && pattern != "" {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED",
			fmt.Sprintf("Method %s is not allowed on %s; this mock is read-only.", r.Method, r.URL.Path), r.Method)
		return
	}
	writeError(w, http.StatusNotFound, "RESOURCE_NOT_FOUND",
		fmt.Sprintf("Cannot find resource %s.", r.URL.Path), r.URL.Path)
}

// writeJSON answers 200 with v as JSON; ?pretty=true indents it, as Atlas
// does.
func writeJSON(w http.ResponseWriter, r *http.Request, v any) {
	var b []byte
	var err error
	if r.URL.Query().Get("pretty") == "true" {
		b, err = json.MarshalIndent(v, "", "  ")
	} else {
		b, err = json.Marshal(v)
	}
	if err != nil {
		writeError(w, http.StatusInternalServerError, "UNEXPECTED_ERROR", err.Error())
		return
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

func newRequestID() string {
	return fmt.Sprintf("%016x%08x", rand.Uint64(), rand.Uint32())
}
