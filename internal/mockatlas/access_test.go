package mockatlas

import (
	"net/http"
	"testing"

	"github.com/mongodb-forks/digest"
)

// TestAccessRules checks the two ways Atlas refuses valid credentials, for
// each kind of credential, with the answer Atlas gives: 401 USER_UNAUTHORIZED
// without a challenge for a missing role, 403 IP_ADDRESS_NOT_ON_ACCESS_LIST
// naming the caller's address for the access list.
func TestAccessRules(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(s *Server, principal string)
		status    int
		code      string
		detail    string
		challenge bool // a WWW-Authenticate header on the refusal
	}{
		{name: "owner by default", setup: func(*Server, string) {}, status: 200},
		{
			name:   "role taken away",
			setup:  func(s *Server, p string) { s.SetOrgOwner(p, false) },
			status: 401, code: RoleMissingCode, detail: "Current user is not authorized to perform this action.",
		},
		{
			name:   "role given back",
			setup:  func(s *Server, p string) { s.SetOrgOwner(p, false); s.SetOrgOwner(p, true) },
			status: 200,
		},
		{
			name:   "address not on the access list",
			setup:  func(s *Server, p string) { s.SetAccessList(p, "192.0.2.0/24", "2001:db8::1") },
			status: 403, code: AccessListCode, detail: "IP address 127.0.0.1 is not allowed to access this resource.",
		},
		{
			name:   "address on the access list",
			setup:  func(s *Server, p string) { s.SetAccessList(p, "192.0.2.0/24", "127.0.0.1") },
			status: 200,
		},
		{
			name:   "access list lifted",
			setup:  func(s *Server, p string) { s.SetAccessList(p, "192.0.2.7"); s.SetAccessList(p) },
			status: 200,
		},
		{
			name: "access list before role",
			setup: func(s *Server, p string) {
				s.SetOrgOwner(p, false)
				s.SetAccessList(p, "192.0.2.7")
			},
			status: 403, code: AccessListCode, detail: "IP address 127.0.0.1 is not allowed to access this resource.",
		},
	}
	creds := []struct {
		name, principal string
		client          func(ts *http.Client) *http.Client
		hdr             map[string]string
	}{
		{
			name: "api key", principal: DemoPublicKey,
			client: func(c *http.Client) *http.Client {
				return &http.Client{Transport: digest.NewTransportWithHTTPRoundTripper(DemoPublicKey, DemoPrivateKey, c.Transport)}
			},
			hdr: map[string]string{"Accept": MediaType},
		},
		{name: "access token", principal: "token", hdr: bearer()},
	}
	for _, cred := range creds {
		for _, tt := range tests {
			t.Run(cred.name+"/"+tt.name, func(t *testing.T) {
				s, ts, _ := start(t)
				tt.setup(s, cred.principal)
				c := ts.Client()
				if cred.client != nil {
					c = cred.client(c)
				}
				status, h, body := do(t, c, http.MethodGet, invitesURL(ts, DemoOrgID), cred.hdr)
				if status != tt.status {
					t.Fatalf("status = %d, want %d: %s", status, tt.status, body)
				}
				recs := s.Requests()
				last := recs[len(recs)-1]
				if !last.Authenticated || last.Principal != cred.principal || last.Status != tt.status {
					t.Errorf("record = %+v, want authenticated %s answered %d", last, cred.principal, tt.status)
				}
				if tt.status == 200 {
					return
				}
				e := decodeError(t, body)
				if e.Error != tt.status || e.ErrorCode != tt.code || e.Detail != tt.detail {
					t.Errorf("error body = %+v, want %d %s %q", e, tt.status, tt.code, tt.detail)
				}
				if got := h.Get("WWW-Authenticate"); (got != "") != tt.challenge {
					t.Errorf("WWW-Authenticate = %q on a refusal of accepted credentials", got)
				}
			})
		}
	}
}

// A service account's principal is its client id, also on the tokens it
// fetched.
func TestAccessRulesServiceAccount(t *testing.T) {
	s, ts, _ := start(t)
	s.SetOrgOwner(DemoClientID, false)
	c := oauthClient(ts, ts.URL+"/api/oauth/token", DemoClientID, DemoClientSecret)
	status, _, body := do(t, c, http.MethodGet, invitesURL(ts, DemoOrgID), map[string]string{"Accept": MediaType})
	if e := decodeError(t, body); status != 401 || e.ErrorCode != RoleMissingCode {
		t.Fatalf("status %d %+v, want 401 %s", status, e, RoleMissingCode)
	}
}

func TestSetAccessListRejectsGarbage(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("SetAccessList accepted a malformed entry")
		}
	}()
	New().SetAccessList("k", "not-an-address")
}
