package mockatlas

import (
	"crypto/md5" //nolint:gosec // HTTP digest as Atlas speaks it is MD5
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlasapi"
)

// Realm is the digest realm Atlas announces.
const Realm = "MMS Public API"

// nonceTTL bounds how long an unused challenge nonce stays valid, so that the
// nonce table cannot grow without limit.
const nonceTTL = 5 * time.Minute

type issuedToken struct {
	clientID string
	expires  time.Time
}

// authenticate checks the Authorization header of an API request, records
// what it carried and, when it is not valid, answers 401 with a fresh digest
// challenge and returns false.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, rec *Request) bool {
	kind, cred := splitAuthorization(r.Header.Get("Authorization"))
	var principal, detail string
	ok := false
	switch kind {
	case AuthNone:
		detail = "You are not authorized for this resource: no credentials were sent."
	case AuthDigest:
		principal, ok, detail = s.verifyDigest(r, cred)
	case AuthBearer:
		principal, ok, detail = s.verifyBearer(cred)
		if !ok {
			w.Header().Add("WWW-Authenticate", `Bearer realm="`+Realm+`", error="invalid_token"`)
		}
	default:
		detail = "You are not authorized for this resource: use HTTP digest with an API key, or a bearer token."
	}
	s.setAuth(rec, kind, ok, principal)
	if ok {
		return true
	}
	// The digest challenge goes first: digest clients read the first
	// WWW-Authenticate header only.
	w.Header()["Www-Authenticate"] = append([]string{s.challenge()}, w.Header().Values("WWW-Authenticate")...)
	writeError(w, http.StatusUnauthorized, "UNAUTHORIZED", detail)
	return false
}

func splitAuthorization(h string) (AuthKind, string) {
	h = strings.TrimSpace(h)
	if h == "" {
		return AuthNone, ""
	}
	scheme, rest, _ := strings.Cut(h, " ")
	rest = strings.TrimSpace(rest)
	switch strings.ToLower(scheme) {
	case "digest":
		return AuthDigest, rest
	case "bearer":
		return AuthBearer, rest
	case "basic":
		return AuthBasic, rest
	}
	return AuthUnknown, rest
}

// challenge issues a fresh nonce and returns the WWW-Authenticate value, in
// the exact shape Atlas sends (some digest clients parse it strictly).
func (s *Server) challenge() string {
	nonce := randomString(24)
	s.mu.Lock()
	now := s.now()
	if len(s.nonces) > 1000 { // sweep only when it matters
		for n, at := range s.nonces {
			if now.Sub(at) > nonceTTL {
				delete(s.nonces, n)
			}
		}
	}
	s.nonces[nonce] = now
	s.mu.Unlock()
	return fmt.Sprintf(`Digest realm="%s", domain="", nonce="%s", algorithm=MD5, qop="auth", stale=false`, Realm, nonce)
}

// verifyDigest checks an RFC 7616 (qop=auth, MD5) response against the
// stored private key. A nonce is consumed by its first successful use, so a
// replay gets a new challenge.
func (s *Server) verifyDigest(r *http.Request, cred string) (principal string, ok bool, detail string) {
	p, parsed := parseAuthParams(cred)
	if !parsed {
		return "", false, "Malformed digest Authorization header."
	}
	principal = p["username"]
	for _, k := range []string{"username", "realm", "nonce", "uri", "response", "qop", "nc", "cnonce"} {
		if p[k] == "" {
			return principal, false, fmt.Sprintf("Digest Authorization header lacks %q.", k)
		}
	}
	switch {
	case p["realm"] != Realm:
		return principal, false, fmt.Sprintf("Digest realm must be %q.", Realm)
	case p["qop"] != "auth":
		return principal, false, `Digest qop must be "auth".`
	case p["algorithm"] != "" && !strings.EqualFold(p["algorithm"], "MD5"):
		return principal, false, "Digest algorithm must be MD5."
	case p["uri"] != r.RequestURI && p["uri"] != r.URL.RequestURI():
		return principal, false, "Digest uri does not match the request."
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	issuedAt, known := s.nonces[p["nonce"]]
	if !known || s.now().Sub(issuedAt) > nonceTTL {
		return principal, false, "Digest nonce is unknown, expired or already used; answer the new challenge."
	}
	private, exists := s.apiKeys[principal]
	if !exists {
		// Hash anyway so that timing does not tell keys apart.
		private = "\x00"
	}
	ha1 := md5hex(principal + ":" + Realm + ":" + private)
	ha2 := md5hex(r.Method + ":" + p["uri"])
	want := md5hex(strings.Join([]string{ha1, p["nonce"], p["nc"], p["cnonce"], p["qop"], ha2}, ":"))
	if subtle.ConstantTimeCompare([]byte(want), []byte(strings.ToLower(p["response"]))) != 1 || !exists {
		return principal, false, "Invalid digest credentials: unknown public key or wrong private key."
	}
	delete(s.nonces, p["nonce"])
	return principal, true, ""
}

func (s *Server) verifyBearer(token string) (principal string, ok bool, detail string) {
	if token == "" {
		return "", false, "Empty bearer token."
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.staticTokens[token] {
		return "token", true, ""
	}
	it, known := s.issued[token]
	if !known {
		return "", false, "Invalid access token."
	}
	if !s.now().Before(it.expires) {
		delete(s.issued, token)
		return it.clientID, false, "The access token has expired; request a new one."
	}
	return it.clientID, true, ""
}

// oauthCaller is what an OAuth endpoint request says about its client.
type oauthCaller struct {
	rec        *Request
	id, secret string
	hasBasic   bool
	kind       AuthKind
}

// beginOAuth does what both OAuth endpoints do first: the common headers,
// POST only, the form body read (only then does the server notice a client
// that gives up during a scripted delay), and the client recorded, not yet
// checked.
func (s *Server) beginOAuth(w http.ResponseWriter, r *http.Request) (oauthCaller, bool) {
	c := oauthCaller{rec: recordOf(r)}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set(atlasapi.RequestIDHeader, newRequestID())
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		writeError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "Use POST.", r.Method)
		return c, false
	}
	c.id, c.secret, c.hasBasic = clientCredentials(r)
	c.kind, _ = splitAuthorization(r.Header.Get("Authorization"))
	s.setAuth(c.rec, c.kind, false, c.id)
	_ = r.ParseForm()
	return c, true
}

// checkClient answers 401 unless the client is a known service account with
// its secret, and records it as authenticated when it is.
func (s *Server) checkClient(w http.ResponseWriter, c oauthCaller) bool {
	if !c.hasBasic {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Client authentication with HTTP Basic is required.")
		return false
	}
	s.mu.Lock()
	want, known := s.serviceAccounts[c.id]
	s.mu.Unlock()
	if !known || !secretMatches(c.secret, want) {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Unknown client or wrong client secret.")
		return false
	}
	s.setAuth(c.rec, c.kind, true, c.id)
	return true
}

// token is POST /api/oauth/token: OAuth 2 client credentials (RFC 6749 §4.4)
// with the client authenticated by HTTP Basic.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	c, ok := s.beginOAuth(w, r)
	if !ok {
		return
	}
	if f, ok := s.nextTokenFault(); ok && s.applyFault(w, r, f) {
		return
	}
	if !s.checkClient(w, c) {
		return
	}
	switch gt := r.PostForm.Get("grant_type"); gt {
	case "client_credentials":
	case "":
		oauthError(w, http.StatusBadRequest, "invalid_request", "grant_type is required (application/x-www-form-urlencoded body).")
		return
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "Only client_credentials is supported.")
		return
	}

	tok := randomString(32)
	s.mu.Lock()
	now, ttl := s.now(), s.tokenTTL
	for t, it := range s.issued { // drop expired tokens so the map stays small
		if !now.Before(it.expires) {
			delete(s.issued, t)
		}
	}
	s.issued[tok] = issuedToken{clientID: c.id, expires: now.Add(ttl)}
	s.mu.Unlock()

	body, _ := json.Marshal(map[string]any{
		"access_token": tok,
		"token_type":   "Bearer",
		"expires_in":   int64((ttl + time.Second - 1) / time.Second), // round up: 0 would mean "never expires"
	})
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// revoke is POST /api/oauth/revoke (RFC 7009), which the Atlas SDK calls
// before fetching a new token.
func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	c, ok := s.beginOAuth(w, r)
	if !ok || !s.checkClient(w, c) {
		return
	}
	s.mu.Lock()
	// Per RFC 7009 an unknown token is not an error; only the owner's
	// tokens are revoked.
	if it, ok := s.issued[r.PostForm.Get("token")]; ok && it.clientID == c.id {
		delete(s.issued, r.PostForm.Get("token"))
	}
	s.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// clientCredentials reads HTTP Basic client credentials. RFC 6749 §2.3.1 has
// clients form-encode id and secret before Basic encoding, so they are
// unescaped; a value that does not unescape is taken as sent.
func clientCredentials(r *http.Request) (id, secret string, ok bool) {
	id, secret, ok = r.BasicAuth()
	if !ok {
		return "", "", false
	}
	if u, err := url.QueryUnescape(id); err == nil {
		id = u
	}
	return id, secret, true
}

// secretMatches accepts the form-decoded secret (RFC 6749) or, for clients
// that skip the encoding, the secret exactly as sent.
func secretMatches(sent, want string) bool {
	dec, err := url.QueryUnescape(sent)
	if err == nil && subtle.ConstantTimeCompare([]byte(dec), []byte(want)) == 1 {
		return true
	}
	return subtle.ConstantTimeCompare([]byte(sent), []byte(want)) == 1
}

func oauthError(w http.ResponseWriter, status int, code, description string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="`+Realm+`"`)
	}
	body, _ := json.Marshal(map[string]string{"error": code, "error_description": description})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// parseAuthParams parses RFC 7235 auth-params: comma-separated key=value
// pairs whose values are tokens or quoted strings with backslash escapes.
// Keys are lower-cased; a duplicate key makes the header invalid.
func parseAuthParams(s string) (map[string]string, bool) {
	params := map[string]string{}
	for {
		s = strings.TrimLeft(s, " \t,")
		if s == "" {
			return params, true
		}
		eq := strings.IndexByte(s, '=')
		if eq <= 0 {
			return nil, false
		}
		key := strings.ToLower(strings.TrimSpace(s[:eq]))
		s = strings.TrimLeft(s[eq+1:], " \t")
		var val string
		if strings.HasPrefix(s, `"`) {
			var b strings.Builder
			i := 1
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				b.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, false // unterminated quoted string
			}
			val, s = b.String(), s[i+1:]
		} else {
			end := strings.IndexAny(s, ", \t")
			if end < 0 {
				end = len(s)
			}
			val, s = s[:end], s[end:]
		}
		if _, dup := params[key]; dup {
			return nil, false
		}
		params[key] = val
	}
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s)) //nolint:gosec // required by the protocol
	return hex.EncodeToString(sum[:])
}

// randomString returns n random bytes, base64url-encoded without padding (so
// it never needs quoting or escaping in a header).
func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}
