package mockatlas

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock replaces the server's clock so expiry tests never sleep.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

const testToken = "static-test-token"

// start returns a demo server with a fake clock and a static bearer token,
// served on loopback for the duration of the test.
func start(t *testing.T) (*Server, *httptest.Server, *fakeClock) {
	t.Helper()
	s := New()
	clock := &fakeClock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	s.now = clock.Now
	s.LoadDemo()
	s.AddAccessToken(testToken)
	ts := s.Start()
	t.Cleanup(ts.Close)
	return s, ts, clock
}

func invitesURL(ts *httptest.Server, orgID string) string {
	return ts.URL + "/api/atlas/v2/orgs/" + orgID + "/invites"
}

// do sends a request with the given headers (nil values are not set) and
// returns the status, headers and body.
func do(t *testing.T, c *http.Client, method, url string, hdr map[string]string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, body
}

// bearer is the headers of a well-formed API request with the static token.
func bearer() map[string]string {
	return map[string]string{"Authorization": "Bearer " + testToken, "Accept": MediaType}
}

func decodeError(t *testing.T, body []byte) APIError {
	t.Helper()
	var e APIError
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body is not JSON: %v: %s", err, body)
	}
	return e
}

func decodeInvites(t *testing.T, body []byte) []Invitation {
	t.Helper()
	var out []Invitation
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("body is not a JSON array of invitations: %v: %s", err, body)
	}
	return out
}

var nonceRE = regexp.MustCompile(`nonce="([^"]+)"`)

// challengeNonce asks for a challenge with an unauthenticated request and
// returns its nonce.
func challengeNonce(t *testing.T, ts *httptest.Server) string {
	t.Helper()
	status, h, _ := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID), map[string]string{"Accept": MediaType})
	if status != http.StatusUnauthorized {
		t.Fatalf("challenge status = %d, want 401", status)
	}
	m := nonceRE.FindStringSubmatch(h.Get("WWW-Authenticate"))
	if m == nil {
		t.Fatalf("no nonce in %q", h.Get("WWW-Authenticate"))
	}
	return m[1]
}

// digestParams are the parts of a hand-built digest Authorization header.
type digestParams struct {
	user, pass, realm, method, uri, nonce, qop, nc, cnonce, algorithm string
	response                                                          string // if set, sent instead of the computed hash
}

func md5s(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// header builds the Authorization value the way RFC 7616 clients do.
func (p digestParams) header() string {
	resp := p.response
	if resp == "" {
		ha1 := md5s(p.user + ":" + p.realm + ":" + p.pass)
		ha2 := md5s(p.method + ":" + p.uri)
		resp = md5s(strings.Join([]string{ha1, p.nonce, p.nc, p.cnonce, p.qop, ha2}, ":"))
	}
	parts := []string{
		fmt.Sprintf(`username="%s"`, p.user),
		fmt.Sprintf(`realm="%s"`, p.realm),
		fmt.Sprintf(`nonce="%s"`, p.nonce),
		fmt.Sprintf(`uri="%s"`, p.uri),
		fmt.Sprintf(`response="%s"`, resp),
	}
	if p.algorithm != "" {
		parts = append(parts, "algorithm="+p.algorithm)
	}
	if p.qop != "" {
		parts = append(parts, "qop="+p.qop, "nc="+p.nc, fmt.Sprintf(`cnonce="%s"`, p.cnonce))
	}
	return "Digest " + strings.Join(parts, ", ")
}

// goodDigest is a correct answer to nonce for GET uri with the demo key.
func goodDigest(nonce, uri string) digestParams {
	return digestParams{
		user: DemoPublicKey, pass: DemoPrivateKey, realm: Realm, method: http.MethodGet,
		uri: uri, nonce: nonce, qop: "auth", nc: "00000001", cnonce: "0a4f113b", algorithm: "MD5",
	}
}

// newRequest is a GET with the static token and the right Accept header.
func newRequest(url string) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	for k, v := range bearer() {
		req.Header.Set(k, v)
	}
	return req, nil
}
