package mockatlas

import (
	"net/http"
	"testing"

	"github.com/mongodb-forks/digest"
)

// A key restricted to one organization sees that one only: in the list,
// and on every path about an organization, served or not, known or not.
func TestRestrictToOrg(t *testing.T) {
	s, ts, _ := start(t)
	home := GeneratedOrgID(7)
	s.AddOrg(home, GenerateInvitations(home, 3)...)
	s.AddUsers(home, GenerateUsers(home, 4)...)
	s.RestrictToOrg(DemoPublicKey, home)
	key := &http.Client{Transport: digest.NewTransportWithHTTPRoundTripper(DemoPublicKey, DemoPrivateKey, &http.Transport{})}
	accept := map[string]string{"Accept": MediaType}
	users := map[string]string{"Accept": UsersMediaType}

	_, _, body := do(t, key, http.MethodGet, orgsURL(ts.URL, nil), accept)
	if p := decodeOrgsPage(t, body); len(p.Results) != 1 || p.Results[0].ID != home || deref(p.TotalCount) != int64(1) {
		t.Errorf("restricted key lists %+v", p)
	}
	other := []string{
		orgURL(ts.URL, DemoOrgID),
		invitesURL(ts, DemoOrgID),
		invitesURL(ts, DemoOrgID) + "/6634f290a54dca182530bb1d",
		usersURL(ts.URL, DemoOrgID, nil),
		orgURL(ts.URL, DemoOrgID) + "/apiKeys",     // not served
		orgURL(ts.URL, unknownOrgID),               // not in the mock: no 404 to tell
		invitesURL(ts, unknownOrgID) + "/nonsense", // not even a route
	}
	for _, u := range other {
		status, h, body := do(t, key, http.MethodGet, u, users)
		e := decodeError(t, body)
		if status != 401 || e.ErrorCode != RoleMissingCode || e.Detail != RoleMissingDetail || h.Get("WWW-Authenticate") != "" {
			t.Errorf("%s: %d %+v (WWW-Authenticate %q), want 401 %s without a challenge", u, status, e, h.Get("WWW-Authenticate"), RoleMissingCode)
		}
	}
	for _, tt := range []struct {
		url  string
		hdr  map[string]string
		want int
	}{
		{orgURL(ts.URL, home), accept, 200},
		{invitesURL(ts, home), accept, 200},
		{usersURL(ts.URL, home, nil), users, 200},
		{orgURL(ts.URL, home) + "/apiKeys", accept, 404},
		{orgURL(ts.URL, "abc"), accept, 400},                                       // the id's own error first
		{ts.URL + "/api/atlas/v2/clusters", accept, 404},                           // about no organization
		{orgURL(ts.URL, DemoOrgID), map[string]string{"Accept": "text/html"}, 401}, // before the Accept check
	} {
		if status, _, body := do(t, key, http.MethodGet, tt.url, tt.hdr); status != tt.want {
			t.Errorf("%s: %d %s, want %d", tt.url, status, body, tt.want)
		}
	}
	// Other credentials are not restricted; lifting the restriction frees
	// the key.
	if status, _, _ := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID), bearer()); status != 200 {
		t.Errorf("token: %d", status)
	}
	s.RestrictToOrg(DemoPublicKey, "")
	if status, _, _ := do(t, key, http.MethodGet, invitesURL(ts, DemoOrgID), accept); status != 200 {
		t.Errorf("after lifting: %d", status)
	}
}

// The access list still comes first, as for a missing role.
func TestRestrictToOrgAfterAccessList(t *testing.T) {
	s, ts, _ := start(t)
	s.RestrictToOrg("token", GeneratedOrgID(1))
	s.SetAccessList("token", "192.0.2.0/24")
	status, _, body := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID), bearer())
	if e := decodeError(t, body); status != 403 || e.ErrorCode != AccessListCode {
		t.Errorf("%d %+v, want 403 %s", status, e, AccessListCode)
	}
}

// Static tokens: "token" restricts them all, a token's own value that
// token alone, and wins.
func TestRestrictToOrgTokens(t *testing.T) {
	s, ts, _ := start(t)
	const a, b = "token-of-org-a", "token-of-org-b"
	orgA, orgB := GeneratedOrgID(1), GeneratedOrgID(2)
	for _, id := range []string{orgA, orgB} {
		s.AddOrg(id)
	}
	s.AddAccessToken(a)
	s.AddAccessToken(b)
	s.RestrictToOrg(a, orgA)
	list := func(tok string) []string {
		_, _, body := do(t, nil, http.MethodGet, orgsURL(ts.URL, nil), map[string]string{"Authorization": "Bearer " + tok, "Accept": MediaType})
		var out []string
		for _, o := range decodeOrgsPage(t, body).Results {
			out = append(out, o.ID)
		}
		return out
	}
	if got := list(a); len(got) != 1 || got[0] != orgA {
		t.Errorf("token a lists %v", got)
	}
	if got := list(b); len(got) != 3 {
		t.Errorf("token b lists %v, want all 3", got)
	}
	s.RestrictToOrg("token", orgB)
	if got := list(b); len(got) != 1 || got[0] != orgB {
		t.Errorf("token b under \"token\" lists %v", got)
	}
	if got := list(a); len(got) != 1 || got[0] != orgA {
		t.Errorf("token a's own restriction lost: %v", got)
	}
	// Restricted to an organization the mock does not have: an empty list.
	s.RestrictToOrg(a, unknownOrgID)
	if got := list(a); len(got) != 0 {
		t.Errorf("token a lists %v, want none", got)
	}
}

// A service account is restricted by its client id, on the tokens it
// fetched.
func TestRestrictToOrgServiceAccount(t *testing.T) {
	s, ts, _ := start(t)
	s.AddOrg(GeneratedOrgID(3))
	s.RestrictToOrg(DemoClientID, GeneratedOrgID(3))
	c := oauthClient(ts, ts.URL+"/api/oauth/token", DemoClientID, DemoClientSecret)
	accept := map[string]string{"Accept": MediaType}
	if status, _, body := do(t, c, http.MethodGet, orgURL(ts.URL, DemoOrgID), accept); status != 401 {
		t.Errorf("other org: %d %s", status, body)
	}
	if status, _, body := do(t, c, http.MethodGet, orgURL(ts.URL, GeneratedOrgID(3)), accept); status != 200 {
		t.Errorf("own org: %d %s", status, body)
	}
}
