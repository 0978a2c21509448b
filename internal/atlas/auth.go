package atlas

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mongodb-forks/digest"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// tokenPath is where Atlas exchanges service-account credentials for tokens.
const tokenPath = "/api/oauth/token"

// tokenRenewBefore renews a token this long before Atlas would reject it, so
// a request never leaves with a token that expires on the way.
const tokenRenewBefore = time.Minute

// newAuth returns the transport that signs each attempt for cfg's mode,
// sending credentials only to base_url's origin. The digest transport
// fetches a fresh challenge every time, so a retry never replays a nonce.
// tokenClient carries service-account token requests (with their own
// retries); the token source is returned so a call can fetch its token
// before the request starts.
func newAuth(cfg Config, wire http.RoundTripper, tokenClient *http.Client) (http.RoundTripper, *tokenSource) {
	pinned := parseOrigin(cfg.BaseURL)
	switch cfg.Mode {
	case AuthAPIKey:
		d := digest.NewTransportWithHTTPRoundTripper(cfg.PublicKey, cfg.PrivateKey, &challengeRecorder{base: wire})
		return &apiKeyTransport{pinned: pinned, digest: d}, nil
	case AuthServiceAccount:
		tokens := newTokenSource(cfg, tokenClient)
		return &bearerTransport{pinned: pinned, base: wire, token: tokens.token}, tokens
	case AuthAccessToken:
		static := func(context.Context) (string, error) { return cfg.AccessToken, nil }
		return &bearerTransport{pinned: pinned, base: wire, token: static}, nil
	default:
		return wire, nil
	}
}

// refuseOtherOrigin closes the request body and returns an error when req
// is not for the pinned origin.
func refuseOtherOrigin(req *http.Request, pinned origin) error {
	if got := originOf(req.URL); got != pinned {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return &originError{target: got, pinned: pinned}
	}
	return nil
}

type bearerTransport struct {
	pinned origin
	base   http.RoundTripper
	token  func(context.Context) (string, error)
}

func (t *bearerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := refuseOtherOrigin(req, t.pinned); err != nil {
		return nil, err
	}
	tok, err := t.token(req.Context())
	if err != nil {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, err
	}
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+tok)
	return t.base.RoundTrip(r)
}

// apiKeyTransport is HTTP digest for one origin. When the server's challenge
// is not a digest one (a proxy asking for Basic credentials, say), it says
// so instead of the digest library's bare "challenge is bad", and the retry
// layer stops: another attempt gets the same challenge.
type apiKeyTransport struct {
	pinned origin
	digest *digest.Transport
}

func (t *apiKeyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := refuseOtherOrigin(req, t.pinned); err != nil {
		return nil, err
	}
	seen := &challengeSeen{}
	req = req.WithContext(context.WithValue(req.Context(), challengeKey{}, seen))
	resp, err := t.digest.RoundTrip(req)
	if errors.Is(err, digest.ErrBadChallenge) || errors.Is(err, digest.ErrAlgNotImplemented) {
		return nil, &challengeError{header: seen.get()}
	}
	return resp, err
}

type challengeKey struct{}

type challengeSeen struct {
	mu     sync.Mutex
	header string
}

func (c *challengeSeen) get() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.header
}

// challengeRecorder sits under the digest transport and keeps the
// WWW-Authenticate header of an unsigned request's 401.
type challengeRecorder struct {
	base http.RoundTripper
}

func (t *challengeRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err == nil && resp.StatusCode == http.StatusUnauthorized && req.Header.Get("Authorization") == "" {
		if seen, ok := req.Context().Value(challengeKey{}).(*challengeSeen); ok {
			seen.mu.Lock()
			seen.header = resp.Header.Get("WWW-Authenticate")
			seen.mu.Unlock()
		}
	}
	return resp, err
}

// challengeError is a 401 whose challenge is not Atlas's digest one.
type challengeError struct {
	header string // WWW-Authenticate: a scheme and a realm, never a secret
}

func (e *challengeError) final() {}

// Scheme is the challenge's authentication scheme, e.g. "Basic".
func (e *challengeError) Scheme() string {
	scheme, _, _ := strings.Cut(strings.TrimSpace(e.header), " ")
	if scheme == "" {
		return "(none)"
	}
	return scheme
}

func (e *challengeError) Error() string {
	return fmt.Sprintf("the server asked for %s authentication instead of Atlas's digest challenge", e.Scheme())
}

// tokenSource fetches a service-account token once per provider and reuses it
// until shortly before expiry. One fetch is in flight at a time: reads that
// need a token while it runs wait for it and share its outcome, token or
// error, so a failing endpoint is asked once, not once per waiting read. The
// next read after a failure tries again. Every fetch runs with the values
// (log fields, masks) of the read that started it but not its deadline or
// cancel: it ends when every read waiting for it has gone.
type tokenSource struct {
	conf       clientcredentials.Config
	client     *http.Client
	now        func() time.Time
	configured []string // the configuration's secrets

	mu     sync.Mutex
	cached *oauth2.Token
	flight *tokenFetch
}

// tokenFetch is one token request and the reads waiting for it.
type tokenFetch struct {
	done      chan struct{}
	tok       *oauth2.Token
	err       error
	waiters   int
	abandoned bool
	cancel    context.CancelFunc
}

func newTokenSource(cfg Config, client *http.Client) *tokenSource {
	return &tokenSource{
		conf: clientcredentials.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			TokenURL:     strings.TrimSuffix(cfg.BaseURL, "/") + tokenPath,
			AuthStyle:    oauth2.AuthStyleInHeader,
		},
		client:     client,
		now:        time.Now,
		configured: cfg.secrets(),
	}
}

// secrets are the configuration's secrets and the token last issued.
func (s *tokenSource) secrets() []string {
	out := slices.Clone(s.configured)
	if tok := s.issued(); tok != "" {
		out = append(out, tok)
	}
	return out
}

// issued is the token last issued, or "".
func (s *tokenSource) issued() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cached == nil {
		return ""
	}
	return s.cached.AccessToken
}

func (s *tokenSource) token(ctx context.Context) (string, error) {
	s.mu.Lock()
	if s.cached != nil && (s.cached.Expiry.IsZero() || s.now().Add(tokenRenewBefore).Before(s.cached.Expiry)) {
		tok := s.cached.AccessToken
		s.mu.Unlock()
		return tok, nil
	}
	f := s.flight
	if f == nil || f.abandoned {
		fetchCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f = &tokenFetch{done: make(chan struct{}), cancel: cancel}
		s.flight = f
		go s.fetch(fetchCtx, f)
	}
	f.waiters++
	s.mu.Unlock()

	select {
	case <-f.done:
		if f.err != nil {
			return "", f.err
		}
		return f.tok.AccessToken, nil
	case <-ctx.Done():
		s.mu.Lock()
		f.waiters--
		if f.waiters == 0 {
			f.abandoned = true
			f.cancel()
		}
		s.mu.Unlock()
		return "", ctx.Err()
	}
}

func (s *tokenSource) fetch(ctx context.Context, f *tokenFetch) {
	defer f.cancel()
	// The exchange is its own call: its attempts and answer are kept apart
	// from the API call's.
	ctx, st := withCallState(ctx, s.secrets)
	ctx = context.WithValue(ctx, oauth2.HTTPClient, s.client)
	tok, err := s.conf.Token(ctx)
	if err != nil {
		err = newTokenError(s.conf.TokenURL, st, err) // before s.mu: it asks for the issued token
	}
	s.mu.Lock()
	if err == nil {
		s.cached = tok
		f.tok = tok
	} else {
		f.err = err
	}
	if s.flight == f {
		s.flight = nil
	}
	s.mu.Unlock()
	close(f.done)
}

// tokenError is a failed token exchange, with what the token endpoint
// answered. It already went through its own retries, so the API request
// that needed the token is not retried. It keeps the length of the body,
// never the body: a 2xx answer the client could not read may still hold a
// live token.
type tokenError struct {
	URL         string
	Status      int // 0 when the endpoint did not answer
	ContentType string
	BodyLen     int64  // -1 when not read in full
	OAuthError  string // the OAuth error code ("invalid_client"), if any
	Attempts    int
	err         error
}

func newTokenError(url string, st *callState, err error) *tokenError {
	last := st.lastAnswer()
	e := &tokenError{URL: url, Attempts: max(st.attemptCount(), 1), err: err,
		Status: last.status, ContentType: last.contentType, BodyLen: last.bodyLen}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		// Its Error() quotes the endpoint's words: a secret they echo goes,
		// and the body goes whole, as it may hold a live token.
		secrets := st.heldSecrets()
		re.ErrorCode, re.ErrorDescription = redact(re.ErrorCode, secrets), redact(re.ErrorDescription, secrets)
		re.ErrorURI, re.Body = redact(re.ErrorURI, secrets), nil
		e.OAuthError = re.ErrorCode
		if re.Response != nil {
			e.Status = re.Response.StatusCode
			e.ContentType = re.Response.Header.Get("Content-Type")
		}
	}
	return e
}

func (e *tokenError) final() {}

func (e *tokenError) Error() string { return "service account token request: " + e.err.Error() }
func (e *tokenError) Unwrap() error { return e.err }

// Rejected reports whether the endpoint refused the client id and secret
// (OAuth 2 answers invalid_client with 400 or 401).
func (e *tokenError) Rejected() bool {
	return e.Status == http.StatusBadRequest || e.Status == http.StatusUnauthorized
}
