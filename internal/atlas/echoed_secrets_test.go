package atlas_test

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// Whatever answers at base_url may echo a credential it received, anywhere
// in its answer. No text the client keeps from an answer shows 8 or more
// characters of a secret that the answer held whole: not the start of a
// body, wherever the cut falls, nor Atlas's errorCode or parameters, the
// token endpoint's OAuth error, or the headers an error keeps.

// testSecret is a secret of a real credential's shape whose characters are
// random, drawn per run: a fixed value ("…00000000…") or the prefix every
// client secret shares ("mdb_sa_sk_") would match innocent text. Messages
// name a secret, never show it.
type testSecret struct {
	name  string
	value string
	from  int // where the random characters start; a fixed prefix is not searched for
}

const (
	hexChars       = "0123456789abcdef"
	base62Chars    = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	base64URLChars = base62Chars + "-_"
)

func randomChars(n int, alphabet string) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// randomPrivateKey has an API private key's shape: a UUID.
func randomPrivateKey() testSecret {
	h := randomChars(32, hexChars)
	return testSecret{name: "the private key", value: h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]}
}

func randomClientSecret() testSecret {
	return testSecret{name: "the client secret", value: "mdb_sa_sk_" + randomChars(40, base62Chars), from: len("mdb_sa_sk_")}
}

// randomAccessToken has a JWT's shape: "eyJ", as every JWT starts, then
// random segments.
func randomAccessToken() testSecret {
	return testSecret{name: "the access token", value: "eyJ" + randomChars(33, base64URLChars) + "." + randomChars(42, base64URLChars), from: 3}
}

// minShown is the shortest run of a secret's characters that counts as
// showing it.
const minShown = 8

// shownIn says whether text holds minShown consecutive characters of the
// secret's random part.
func (s testSecret) shownIn(text string) bool {
	for i := s.from; i+minShown <= len(s.value); i++ {
		if strings.Contains(text, s.value[i:i+minShown]) {
			return true
		}
	}
	return false
}

// hidden is text with every run of minShown or more characters of a secret
// starred out, so that a message can show where it was.
func hidden(text string, secrets ...testSecret) string {
	b := []byte(text)
	for _, s := range secrets {
		for i := s.from; i+minShown <= len(s.value); i++ {
			w := s.value[i : i+minShown]
			for at := 0; ; {
				j := strings.Index(text[at:], w)
				if j < 0 {
					break
				}
				copy(b[at+j:], strings.Repeat("*", minShown))
				at += j + 1
			}
		}
	}
	return string(b)
}

// shownTexts are every text of a failed call that a caller can show, by name.
func shownTexts(err error, e *atlas.Error, d atlas.Deprecation) map[string]string {
	out := map[string]string{"RootCause()": e.RootCause(), "Deprecation": d.Deprecated + " " + d.Sunset}
	for i, text := range errorTexts(err, e) {
		out[[...]string{"the error", "Error()", "Facts()", "AtlasDetail", "BodyStart", "the struct"}[i]] = text
	}
	return out
}

// assertNotShown fails the test when a text shows minShown characters of s.
func assertNotShown(t *testing.T, texts map[string]string, secrets ...testSecret) {
	t.Helper()
	for name, text := range texts {
		for _, s := range secrets {
			if s.shownIn(text) {
				t.Errorf("%s shows %d or more characters of %s (starred):\n%s", name, minShown, s.name, hidden(text, secrets...))
			}
		}
	}
}

// echoAtlas is a mock that knows this run's random credentials, behind a
// handler that adds the headers a test sets to every answer and, when
// challenge is set, answers an unsigned API request 401 with it.
type echoAtlas struct {
	m                              *mockatlas.Server
	srv                            *httptest.Server
	key, clientSecret, accessToken testSecret

	mu        sync.Mutex
	header    http.Header
	challenge string
	bearer    string // the last bearer token that reached the server
}

func newEchoAtlas(t *testing.T) *echoAtlas {
	t.Helper()
	a := &echoAtlas{m: mockatlas.New(), key: randomPrivateKey(), clientSecret: randomClientSecret(),
		accessToken: randomAccessToken(), header: http.Header{}}
	a.m.AddAPIKey(testPublicKey, a.key.value)
	a.m.AddServiceAccount(testClientID, a.clientSecret.value)
	a.m.AddAccessToken(a.accessToken.value)
	// Off until a test echoes in them: a notice is taken once per client,
	// and the first answer's would hide the echo.
	a.m.SetDeprecationHeaders(false)
	a.m.AddOrg(testOrgID, mockatlas.Invitation{ID: "6634f290a54dca182530bb1d", OrgID: testOrgID, OrgName: "Test-Org",
		Username: "dave@example.net", Roles: []string{"ORG_READ_ONLY"}})
	a.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		for k, v := range a.header {
			w.Header()[k] = v
		}
		challenge := a.challenge
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			a.bearer = tok
		}
		a.mu.Unlock()
		if challenge != "" && r.Header.Get("Authorization") == "" && r.URL.Path != tokenPath {
			w.Header().Set("WWW-Authenticate", challenge)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		a.m.ServeHTTP(w, r)
	}))
	t.Cleanup(a.srv.Close)
	return a
}

func (a *echoAtlas) config(mode atlas.AuthMode) atlas.Config {
	cfg := testConfig(a.srv.URL, mode)
	cfg.PrivateKey, cfg.ClientSecret, cfg.AccessToken = a.key.value, a.clientSecret.value, a.accessToken.value
	return cfg
}

func (a *echoAtlas) setHeader(name, value string) {
	a.mu.Lock()
	a.header.Set(name, value)
	a.mu.Unlock()
}

// The secrets an echo test gives back: the mode's own credential, and for a
// service account the token issued to the client too.
const (
	ownSecret = iota
	issuedToken
)

var kindNames = [...]string{ownSecret: "own secret", issuedToken: "issued token"}

func secretKinds(mode atlas.AuthMode) []int {
	if mode == atlas.AuthServiceAccount {
		return []int{ownSecret, issuedToken}
	}
	return []int{ownSecret}
}

// secret is the secret of that kind for c. The issued token is known once a
// read has succeeded, which this reads.
func (a *echoAtlas) secret(t *testing.T, c *atlas.Client, mode atlas.AuthMode, kind int) testSecret {
	t.Helper()
	if kind == issuedToken {
		if err := list(t, c, testOrgID); err != nil {
			t.Fatalf("the read that gets a token: %v", err)
		}
		a.mu.Lock()
		defer a.mu.Unlock()
		return testSecret{name: "the issued token", value: a.bearer}
	}
	return map[atlas.AuthMode]testSecret{atlas.AuthAPIKey: a.key, atlas.AuthServiceAccount: a.clientSecret,
		atlas.AuthAccessToken: a.accessToken}[mode]
}

func atlasErrorBody(status int, code, params string) string {
	return fmt.Sprintf(`{"error":%d,"errorCode":%q,"detail":"Something went wrong.","parameters":%s,"reason":%q}`,
		status, code, params, http.StatusText(status))
}

// echoCases are the places of an answer, other than its body, where a
// server can echo a secret, and the fact of the error that keeps it.
var echoCases = []struct {
	name string
	// modes it applies to; nil: every mode.
	modes []atlas.AuthMode
	// echo makes the server's answers hold s.
	echo func(a *echoAtlas, s string)
	kept func(e *atlas.Error, d atlas.Deprecation) string
}{
	{"errorCode", nil, func(a *echoAtlas, s string) {
		a.m.SetFault(&mockatlas.Fault{Status: 400, ContentType: mockatlas.ErrorMediaType, Body: atlasErrorBody(400, s, "[]")})
	}, func(e *atlas.Error, _ atlas.Deprecation) string { return e.ErrorCode }},
	{"parameters", nil, func(a *echoAtlas, s string) {
		a.m.SetFault(&mockatlas.Fault{Status: 403, ContentType: mockatlas.ErrorMediaType,
			Body: atlasErrorBody(403, "IP_ADDRESS_NOT_ON_ACCESS_LIST", `["`+s+`"]`)})
	}, func(e *atlas.Error, _ atlas.Deprecation) string { return fmt.Sprint(e.Parameters) }},
	{"Sunset header", nil, func(a *echoAtlas, s string) {
		a.m.SetDeprecationHeaders(true)
		a.m.SetSunset(s)
		a.m.SetFault(&mockatlas.Fault{Status: 500})
	}, func(e *atlas.Error, d atlas.Deprecation) string { return e.Sunset + " " + d.Sunset }},
	{"Date header", nil, func(a *echoAtlas, s string) {
		a.setHeader("Date", s)
		a.m.SetFault(&mockatlas.Fault{Status: 404})
	}, func(e *atlas.Error, _ atlas.Deprecation) string { return e.Date }},
	{"Deprecation header", nil, func(a *echoAtlas, s string) {
		a.setHeader("Deprecation", s)
		a.m.SetFault(&mockatlas.Fault{Status: 500})
	}, func(_ *atlas.Error, d atlas.Deprecation) string { return d.Deprecated }},
	{"Content-Type header", nil, func(a *echoAtlas, s string) {
		a.m.SetFault(&mockatlas.Fault{Body: "<html>Sign in</html>", ContentType: "text/html; " + s})
	}, func(e *atlas.Error, _ atlas.Deprecation) string { return e.ContentType }},
	{"a redirect within the origin", nil, func(a *echoAtlas, s string) {
		a.m.SetFault(&mockatlas.Fault{Location: a.srv.URL + "/api/atlas/v2/orgs/" + testOrgID + "/invites?token=" + s})
	}, func(e *atlas.Error, _ atlas.Deprecation) string { return e.URL }},
	{"a challenge's scheme", []atlas.AuthMode{atlas.AuthAPIKey}, func(a *echoAtlas, s string) {
		a.mu.Lock()
		a.challenge = s + ` realm="proxy"`
		a.mu.Unlock()
	}, func(e *atlas.Error, _ atlas.Deprecation) string { return e.Challenge }},
	{"OAuth error", []atlas.AuthMode{atlas.AuthServiceAccount}, func(a *echoAtlas, s string) {
		a.m.ScriptToken(mockatlas.Fault{Status: 401, ContentType: "application/json",
			Body: `{"error":"` + s + `","error_description":"The client credentials are invalid."}`})
	}, func(e *atlas.Error, _ atlas.Deprecation) string { return e.ErrorCode }},
	{"OAuth error_description", []atlas.AuthMode{atlas.AuthServiceAccount}, func(a *echoAtlas, s string) {
		a.m.ScriptToken(mockatlas.Fault{Status: 400, ContentType: "application/json",
			Body: `{"error":"invalid_client","error_description":"No client ` + s + `.","error_uri":"https://example.net/` + s + `"}`})
	}, func(e *atlas.Error, _ atlas.Deprecation) string { return e.RootCause() }},
	{"OAuth error, form-encoded", []atlas.AuthMode{atlas.AuthServiceAccount}, func(a *echoAtlas, s string) {
		a.m.ScriptToken(mockatlas.Fault{Status: 401, ContentType: "application/x-www-form-urlencoded",
			Body: "error=" + s + "&error_description=" + s})
	}, func(e *atlas.Error, _ atlas.Deprecation) string { return e.ErrorCode }},
}

func TestEchoedSecretsRedactedEverywhere(t *testing.T) {
	for _, tt := range echoCases {
		for _, mode := range allModes {
			if tt.modes != nil && tt.modes[0] != mode {
				continue
			}
			for _, kind := range secretKinds(mode) {
				t.Run(tt.name+"/"+mode.String()+"/"+kindNames[kind], func(t *testing.T) {
					t.Parallel()
					a := newEchoAtlas(t)
					if kind == issuedToken && strings.HasPrefix(tt.name, "OAuth") {
						// A token that expires within the minute is renewed on
						// the next read, which meets the echo.
						a.m.SetTokenTTL(30 * time.Second)
					}
					c := newClient(t, a.config(mode))
					s := a.secret(t, c, mode, kind)
					tt.echo(a, s.value)
					err := list(t, c, testOrgID)
					e := asAtlasError(t, err)
					d, _ := c.TakeDeprecation()
					assertNotShown(t, shownTexts(err, e, d), s)
					// The echo is kept, redacted: the test reached it.
					if kept := tt.kept(e, d); !strings.Contains(kept, "(redacted)") {
						t.Errorf("%v error; the echo is kept as %q, want it redacted", e.Kind, hidden(kept, s))
					}
				})
			}
		}
	}
}

// A body's start is redacted before it is cut: a secret that straddles the
// cut at 256 bytes shows no part, nor does one that the cut reaches only
// because an earlier secret, redacted, shortened the text.
func TestEchoedSecretAtTheCut(t *testing.T) {
	const peek = 256
	for _, mode := range allModes {
		for _, kind := range secretKinds(mode) {
			for _, twice := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/%s/twice=%v", mode, kindNames[kind], twice), func(t *testing.T) {
					t.Parallel()
					a := newEchoAtlas(t)
					c := newClient(t, a.config(mode))
					s := a.secret(t, c, mode, kind)
					head, hi := "<html>", peek+2
					if twice {
						head += s.value
						hi += len(s.value) - len("(redacted)")
					}
					for at := peek - len(s.value) - 2; at <= hi; at++ {
						// The filler shares no character with any secret.
						body := head + strings.Repeat("~", at-len(head)) + s.value + "</html>"
						a.m.SetFault(&mockatlas.Fault{Body: body, ContentType: "text/html"})
						err := list(t, c, testOrgID)
						e := asAtlasError(t, err)
						if e.Kind != atlas.KindBadResponse || !strings.HasPrefix(e.BodyStart, "<html>") {
							t.Fatalf("secret at byte %d: %v error, body start %q; want a bad response that keeps the body's start",
								at, e.Kind, hidden(e.BodyStart, s))
						}
						assertNotShown(t, shownTexts(err, e, atlas.Deprecation{}), s)
						if t.Failed() {
							t.Fatalf("with the secret at byte %d of the body (%d bytes long)", at, len(body))
						}
					}
				})
			}
		}
	}
}
