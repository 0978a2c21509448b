package mockatlas

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mongodb-forks/digest"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlasapi"
)

var challengeRE = regexp.MustCompile(`^Digest realm="MMS Public API", domain="", nonce="[A-Za-z0-9_-]{32}", algorithm=MD5, qop="auth", stale=false$`)

func TestDigestChallenge(t *testing.T) {
	s, ts, _ := start(t)
	var nonces []string
	for i := 0; i < 2; i++ {
		status, h, body := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID), map[string]string{"Accept": MediaType})
		if status != http.StatusUnauthorized {
			t.Fatalf("status = %d, want 401", status)
		}
		ch := h.Get("WWW-Authenticate")
		if !challengeRE.MatchString(ch) {
			t.Fatalf("challenge %q does not have the Atlas shape", ch)
		}
		nonces = append(nonces, nonceRE.FindStringSubmatch(ch)[1])
		if ct := h.Get("Content-Type"); ct != ErrorMediaType {
			t.Errorf("Content-Type = %q, want %q", ct, ErrorMediaType)
		}
		if h.Get(atlasapi.DeprecationHeader) != DeprecationDate || h.Get(atlasapi.SunsetHeader) != SunsetDate {
			t.Errorf("deprecation headers missing on 401: %v", h)
		}
		e := decodeError(t, body)
		if e.Error != 401 || e.ErrorCode != "UNAUTHORIZED" || e.Reason != "Unauthorized" || e.Parameters == nil {
			t.Errorf("error body = %+v", e)
		}
	}
	if nonces[0] == nonces[1] {
		t.Errorf("two challenges reused nonce %q", nonces[0])
	}
	for _, r := range s.Requests() {
		if r.Auth != AuthNone || r.Authenticated || r.Status != 401 {
			t.Errorf("record = %+v, want unauthenticated 401 with no auth", r)
		}
	}
}

// The digest client the Atlas SDK itself uses must get through.
func TestDigestWithLibraryClient(t *testing.T) {
	s, ts, _ := start(t)
	c := &http.Client{Transport: digest.NewTransportWithHTTPRoundTripper(DemoPublicKey, DemoPrivateKey, ts.Client().Transport)}
	url := invitesURL(ts, DemoOrgID) + "?username=" + url.QueryEscape("bob+atlas@example.com")
	status, _, body := do(t, c, http.MethodGet, url, map[string]string{"Accept": MediaType})
	if status != http.StatusOK {
		t.Fatalf("status = %d, body %s", status, body)
	}
	if got := decodeInvites(t, body); len(got) != 1 || got[0].Username != "bob+atlas@example.com" {
		t.Fatalf("invites = %+v", got)
	}
	recs := s.Requests()
	if len(recs) != 2 {
		t.Fatalf("recorded %d requests, want challenge + answer: %+v", len(recs), recs)
	}
	if r := recs[0]; r.Auth != AuthNone || r.Status != 401 {
		t.Errorf("first = %+v, want unauthenticated 401", r)
	}
	if r := recs[1]; r.Auth != AuthDigest || !r.Authenticated || r.Principal != DemoPublicKey || r.Status != 200 {
		t.Errorf("second = %+v, want digest 200 as %s", r, DemoPublicKey)
	}
}

func TestDigestWrongPrivateKeyWithLibraryClient(t *testing.T) {
	s, ts, _ := start(t)
	c := &http.Client{Transport: digest.NewTransportWithHTTPRoundTripper(DemoPublicKey, "not-the-key", ts.Client().Transport)}
	status, h, body := do(t, c, http.MethodGet, invitesURL(ts, DemoOrgID), map[string]string{"Accept": MediaType})
	if status != http.StatusUnauthorized {
		t.Fatalf("status = %d, want 401", status)
	}
	if !challengeRE.MatchString(h.Get("WWW-Authenticate")) {
		t.Errorf("rejection carries no fresh challenge: %q", h.Get("WWW-Authenticate"))
	}
	if e := decodeError(t, body); e.ErrorCode != "UNAUTHORIZED" {
		t.Errorf("errorCode = %q", e.ErrorCode)
	}
	last := s.Requests()[1]
	if last.Auth != AuthDigest || last.Authenticated || last.Principal != DemoPublicKey {
		t.Errorf("record = %+v, want failed digest as %s", last, DemoPublicKey)
	}
}

func TestDigestHandBuilt(t *testing.T) {
	const path = "/api/atlas/v2/orgs/" + DemoOrgID + "/invites"
	tests := []struct {
		name   string
		edit   func(p *digestParams)
		header string // instead of the edited params
		want   int
	}{
		{name: "correct", edit: func(*digestParams) {}, want: 200},
		{name: "algorithm omitted means MD5", edit: func(p *digestParams) { p.algorithm = "" }, want: 200},
		{name: "wrong response hash", edit: func(p *digestParams) { p.response = strings.Repeat("0", 32) }, want: 401},
		{name: "wrong private key", edit: func(p *digestParams) { p.pass = DemoPrivateKey + "x" }, want: 401},
		{name: "unknown public key", edit: func(p *digestParams) { p.user = "nobody" }, want: 401},
		{name: "wrong realm", edit: func(p *digestParams) { p.realm = "other" }, want: 401},
		{name: "hash over another uri", edit: func(p *digestParams) { p.uri = path + "?username=x" }, want: 401},
		{name: "made-up nonce", edit: func(p *digestParams) { p.nonce = "bm90LWlzc3VlZA" }, want: 401},
		{name: "SHA-256 not offered", edit: func(p *digestParams) { p.algorithm = "SHA-256" }, want: 401},
		{name: "no qop (RFC 2069)", edit: func(p *digestParams) { p.qop = "" }, want: 401},
		{name: "malformed", header: `Digest username="demopub1, realm=`, want: 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ts, _ := start(t)
			p := goodDigest(challengeNonce(t, ts), path)
			tt.edit = orNop(tt.edit)
			tt.edit(&p)
			h := tt.header
			if h == "" {
				h = p.header()
			}
			status, hdr, _ := do(t, nil, http.MethodGet, ts.URL+path, map[string]string{"Authorization": h, "Accept": MediaType})
			if status != tt.want {
				t.Fatalf("status = %d, want %d", status, tt.want)
			}
			last := s.Requests()[1]
			if last.Auth != AuthDigest || last.Authenticated != (tt.want == 200) || last.Status != tt.want {
				t.Errorf("record = %+v", last)
			}
			if tt.want == 401 && !challengeRE.MatchString(hdr.Get("WWW-Authenticate")) {
				t.Errorf("401 without a fresh challenge: %q", hdr.Get("WWW-Authenticate"))
			}
		})
	}
}

func orNop(f func(*digestParams)) func(*digestParams) {
	if f == nil {
		return func(*digestParams) {}
	}
	return f
}

func TestDigestNonceIsSingleUse(t *testing.T) {
	_, ts, _ := start(t)
	const path = "/api/atlas/v2/orgs/" + DemoOrgID + "/invites"
	nonce := challengeNonce(t, ts)

	// A failed attempt does not use the nonce up.
	bad := goodDigest(nonce, path)
	bad.pass = "wrong"
	if status, _, _ := do(t, nil, http.MethodGet, ts.URL+path, map[string]string{"Authorization": bad.header(), "Accept": MediaType}); status != 401 {
		t.Fatalf("wrong key: status %d, want 401", status)
	}
	auth := goodDigest(nonce, path).header()
	if status, _, _ := do(t, nil, http.MethodGet, ts.URL+path, map[string]string{"Authorization": auth, "Accept": MediaType}); status != 200 {
		t.Fatalf("first use: status %d, want 200", status)
	}
	status, h, _ := do(t, nil, http.MethodGet, ts.URL+path, map[string]string{"Authorization": auth, "Accept": MediaType})
	if status != 401 {
		t.Fatalf("replay: status %d, want 401", status)
	}
	fresh := nonceRE.FindStringSubmatch(h.Get("WWW-Authenticate"))
	if fresh == nil || fresh[1] == nonce {
		t.Fatalf("replay answered without a new nonce: %q", h.Get("WWW-Authenticate"))
	}
	if status, _, _ := do(t, nil, http.MethodGet, ts.URL+path, map[string]string{"Authorization": goodDigest(fresh[1], path).header(), "Accept": MediaType}); status != 200 {
		t.Fatalf("new nonce: status %d, want 200", status)
	}
}

// The digest uri covers the query string, here with an encoded '+'.
func TestDigestURIWithQuery(t *testing.T) {
	_, ts, _ := start(t)
	uri := "/api/atlas/v2/orgs/" + DemoOrgID + "/invites?username=bob%2Batlas%40example.com"
	status, _, body := do(t, nil, http.MethodGet, ts.URL+uri, map[string]string{"Authorization": goodDigest(challengeNonce(t, ts), uri).header(), "Accept": MediaType})
	if status != 200 || len(decodeInvites(t, body)) != 1 {
		t.Fatalf("status %d, body %s", status, body)
	}
}

func TestDigestNonceExpires(t *testing.T) {
	_, ts, clock := start(t)
	const path = "/api/atlas/v2/orgs/" + DemoOrgID + "/invites"
	nonce := challengeNonce(t, ts)
	clock.Advance(nonceTTL + time.Second)
	if status, _, _ := do(t, nil, http.MethodGet, ts.URL+path, map[string]string{"Authorization": goodDigest(nonce, path).header(), "Accept": MediaType}); status != 401 {
		t.Fatalf("stale nonce: status %d, want 401", status)
	}
}

func TestOtherAuthSchemes(t *testing.T) {
	tests := []struct {
		header string
		want   AuthKind
	}{
		{"Basic " + base64.StdEncoding.EncodeToString([]byte(DemoPublicKey+":"+DemoPrivateKey)), AuthBasic},
		{"Negotiate abc", AuthUnknown},
		{"Bearer", AuthBearer},
	}
	for _, tt := range tests {
		s, ts, _ := start(t)
		status, _, _ := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID), map[string]string{"Authorization": tt.header, "Accept": MediaType})
		if status != 401 {
			t.Errorf("%s: status %d, want 401", tt.want, status)
		}
		if r := s.Requests()[0]; r.Auth != tt.want || r.Authenticated {
			t.Errorf("%s: record %+v", tt.want, r)
		}
	}
}

func TestParseAuthParams(t *testing.T) {
	tests := []struct {
		in   string
		want map[string]string
	}{
		{`a="x, y", b=tok,c="q\"uote"`, map[string]string{"a": "x, y", "b": "tok", "c": `q"uote`}},
		{`Username="u" , NC=00000001`, map[string]string{"username": "u", "nc": "00000001"}},
		{``, map[string]string{}},
		{`a="unterminated`, nil},
		{`a=1, a=2`, nil},
		{`novalue`, nil},
	}
	for _, tt := range tests {
		got, ok := parseAuthParams(tt.in)
		if ok != (tt.want != nil) {
			t.Errorf("%q: ok = %v", tt.in, ok)
			continue
		}
		if len(got) != len(tt.want) {
			t.Errorf("%q: got %v, want %v", tt.in, got, tt.want)
		}
		for k, v := range tt.want {
			if got[k] != v {
				t.Errorf("%q: %s = %q, want %q", tt.in, k, got[k], v)
			}
		}
	}
}
