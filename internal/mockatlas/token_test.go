package mockatlas

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

func oauthClient(ts interface{ Client() *http.Client }, tokenURL, id, secret string) *http.Client {
	cfg := clientcredentials.Config{ClientID: id, ClientSecret: secret, TokenURL: tokenURL, AuthStyle: oauth2.AuthStyleInHeader}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, ts.Client())
	return cfg.Client(ctx)
}

func TestServiceAccountTokenWorksAsBearer(t *testing.T) {
	s, ts, _ := start(t)
	// The golang.org/x/oauth2 client URL-encodes id and secret (RFC 6749
	// §2.3.1), so characters that change under encoding must survive.
	const id, secret = "mdb_sa_id_with:colon", "s3cr+t/with=odd%chars"
	s.AddServiceAccount(id, secret)
	c := oauthClient(ts, ts.URL+"/api/oauth/token", id, secret)
	for i := 0; i < 2; i++ { // the second call reuses the token
		status, _, body := do(t, c, http.MethodGet, invitesURL(ts, DemoOrgID), map[string]string{"Accept": MediaType})
		if status != 200 || len(decodeInvites(t, body)) != 5 {
			t.Fatalf("status %d, body %s", status, body)
		}
	}
	recs := s.Requests()
	if len(recs) != 3 {
		t.Fatalf("recorded %d requests, want token + 2 reads: %+v", len(recs), recs)
	}
	tok := recs[0]
	if tok.Method != "POST" || tok.Path != "/api/oauth/token" || tok.Auth != AuthBasic || !tok.Authenticated || tok.Principal != id || tok.Status != 200 {
		t.Errorf("token record = %+v", tok)
	}
	for _, r := range recs[1:] {
		if r.Auth != AuthBearer || !r.Authenticated || r.Principal != id || r.Status != 200 {
			t.Errorf("bearer record = %+v", r)
		}
	}
}

// tokenRequest posts to the token endpoint with optional Basic credentials
// (URL-encoded first, as RFC 6749 says) and form body.
func tokenRequest(t *testing.T, tsURL, id, secret, form string) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, tsURL+"/api/oauth/token", strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if id != "" {
		req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("token answer is not JSON: %v", err)
	}
	return resp.StatusCode, resp.Header, body
}

func TestTokenEndpoint(t *testing.T) {
	const grant = "grant_type=client_credentials"
	tests := []struct {
		name         string
		id, secret   string
		form         string
		want         int
		wantError    string
		wantAuth     AuthKind
		wantAuthOK   bool
		wantIdentity string
	}{
		{"good", DemoClientID, DemoClientSecret, grant, 200, "", AuthBasic, true, DemoClientID},
		{"wrong secret", DemoClientID, "mdb_sa_sk_wrong", grant, 401, "invalid_client", AuthBasic, false, DemoClientID},
		{"unknown client", "mdb_sa_id_nobody", DemoClientSecret, grant, 401, "invalid_client", AuthBasic, false, "mdb_sa_id_nobody"},
		{"no credentials", "", "", grant, 401, "invalid_client", AuthNone, false, ""},
		{"no grant type", DemoClientID, DemoClientSecret, "", 400, "invalid_request", AuthBasic, true, DemoClientID},
		{"password grant", DemoClientID, DemoClientSecret, "grant_type=password", 400, "unsupported_grant_type", AuthBasic, true, DemoClientID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ts, _ := start(t)
			status, h, body := tokenRequest(t, ts.URL, tt.id, tt.secret, tt.form)
			if status != tt.want {
				t.Fatalf("status = %d, want %d: %v", status, tt.want, body)
			}
			if ct := h.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			if tt.want == 200 {
				if body["token_type"] != "Bearer" || body["expires_in"] != float64(3600) || body["access_token"] == "" {
					t.Errorf("token answer = %v", body)
				}
				if h.Get("Cache-Control") != "no-store" {
					t.Errorf("Cache-Control = %q, want no-store", h.Get("Cache-Control"))
				}
			} else if body["error"] != tt.wantError {
				t.Errorf("error = %v, want %q", body["error"], tt.wantError)
			}
			if status == 401 && !strings.HasPrefix(h.Get("WWW-Authenticate"), "Basic ") {
				t.Errorf("401 without a Basic challenge: %q", h.Get("WWW-Authenticate"))
			}
			r := s.Requests()[0]
			if r.Auth != tt.wantAuth || r.Authenticated != tt.wantAuthOK || r.Principal != tt.wantIdentity || r.Status != tt.want {
				t.Errorf("record = %+v", r)
			}
		})
	}
}

func TestTokenEndpointRejectsGET(t *testing.T) {
	_, ts, _ := start(t)
	status, h, _ := do(t, nil, http.MethodGet, ts.URL+"/api/oauth/token", nil)
	if status != http.StatusMethodNotAllowed || h.Get("Allow") != "POST" {
		t.Fatalf("status = %d, Allow = %q", status, h.Get("Allow"))
	}
}

func TestTokenExpiry(t *testing.T) {
	s, ts, clock := start(t)
	s.SetTokenTTL(2 * time.Minute)
	status, _, body := tokenRequest(t, ts.URL, DemoClientID, DemoClientSecret, "grant_type=client_credentials")
	if status != 200 || body["expires_in"] != float64(120) {
		t.Fatalf("status %d, answer %v", status, body)
	}
	hdr := map[string]string{"Authorization": "Bearer " + accessToken(t, body), "Accept": MediaType}
	clock.Advance(2*time.Minute - time.Second)
	if status, _, _ := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID), hdr); status != 200 {
		t.Fatalf("before expiry: status %d, want 200", status)
	}
	clock.Advance(time.Second)
	status, h, eb := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID), hdr)
	if status != 401 {
		t.Fatalf("after expiry: status %d, want 401", status)
	}
	if e := decodeError(t, eb); e.ErrorCode != "UNAUTHORIZED" || !strings.Contains(e.Detail, "expired") {
		t.Errorf("error = %+v", e)
	}
	if vals := h.Values("WWW-Authenticate"); len(vals) != 2 || !challengeRE.MatchString(vals[0]) || !strings.HasPrefix(vals[1], "Bearer ") {
		t.Errorf("WWW-Authenticate = %q, want digest challenge then Bearer", vals)
	}
}

func TestTokenTTLRoundsUp(t *testing.T) {
	s, ts, _ := start(t)
	s.SetTokenTTL(500 * time.Millisecond)
	// expires_in 0 would read as "never expires" to OAuth clients.
	if _, _, body := tokenRequest(t, ts.URL, DemoClientID, DemoClientSecret, "grant_type=client_credentials"); body["expires_in"] != float64(1) {
		t.Fatalf("expires_in = %v, want 1", body["expires_in"])
	}
}

func TestBearerTokens(t *testing.T) {
	s, ts, _ := start(t)
	hdr := func(tok string) map[string]string {
		return map[string]string{"Authorization": "Bearer " + tok, "Accept": MediaType}
	}
	if status, _, _ := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID), hdr("never-issued")); status != 401 {
		t.Fatalf("unknown token: status %d, want 401", status)
	}
	if status, _, _ := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID), hdr(testToken)); status != 200 {
		t.Fatalf("static token: status %d, want 200", status)
	}
	s.RemoveAccessToken(testToken)
	if status, _, _ := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID), hdr(testToken)); status != 401 {
		t.Fatalf("removed token: status %d, want 401", status)
	}
	recs := s.Requests()
	want := []struct {
		ok        bool
		principal string
	}{{false, ""}, {true, "token"}, {false, ""}}
	for i, w := range want {
		if r := recs[i]; r.Auth != AuthBearer || r.Authenticated != w.ok || r.Principal != w.principal {
			t.Errorf("record %d = %+v, want ok=%v principal=%q", i, r, w.ok, w.principal)
		}
	}
}

func TestRevoke(t *testing.T) {
	_, ts, _ := start(t)
	_, _, body := tokenRequest(t, ts.URL, DemoClientID, DemoClientSecret, "grant_type=client_credentials")
	tok := accessToken(t, body)
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/oauth/revoke", strings.NewReader("token="+url.QueryEscape(tok)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(DemoClientID, DemoClientSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("revoke status %d", resp.StatusCode)
	}
	if status, _, _ := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID), map[string]string{"Authorization": "Bearer " + tok, "Accept": MediaType}); status != 401 {
		t.Fatalf("revoked token still works: status %d", status)
	}
}

func accessToken(t *testing.T, body map[string]any) string {
	t.Helper()
	tok, ok := body["access_token"].(string)
	if !ok || tok == "" {
		t.Fatalf("no access_token in %v", body)
	}
	return tok
}
