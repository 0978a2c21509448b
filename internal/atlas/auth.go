package atlas

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// tokenPath is where Atlas exchanges service-account credentials for tokens.
const tokenPath = "/api/oauth/token"

// tokenRenewBefore renews a token this long before Atlas would reject it, so
// a request never leaves with a token that expires on the way.
const tokenRenewBefore = time.Minute

// tokenSource fetches a service-account token once per provider and reuses it
// until shortly before expiry. Every fetch uses the context of the request
// that needs it (not one captured at Configure, which ends with Configure),
// and the mutex makes parallel reads wait for one fetch instead of each
// spending a request of Atlas's small token-endpoint budget.
type tokenSource struct {
	conf   clientcredentials.Config
	client *http.Client
	now    func() time.Time

	mu     sync.Mutex
	cached *oauth2.Token
}

func newTokenSource(cfg Config, wire http.RoundTripper) *tokenSource {
	withUA := &userAgentTransport{base: wire, userAgent: cfg.UserAgent}
	return &tokenSource{
		conf: clientcredentials.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			TokenURL:     strings.TrimSuffix(cfg.BaseURL, "/") + tokenPath,
			AuthStyle:    oauth2.AuthStyleInHeader,
		},
		client: &http.Client{Transport: &retryablehttp.RoundTripper{Client: newRetryClient(cfg, withUA)}},
		now:    time.Now,
	}
}

func (s *tokenSource) token(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cached != nil && (s.cached.Expiry.IsZero() || s.now().Add(tokenRenewBefore).Before(s.cached.Expiry)) {
		return s.cached.AccessToken, nil
	}
	// The token exchange is its own call: keep its attempts out of the
	// API call's count.
	fetchCtx := context.WithValue(ctx, callStateKey{}, (*callState)(nil))
	fetchCtx = context.WithValue(fetchCtx, oauth2.HTTPClient, s.client)
	tok, err := s.conf.Token(fetchCtx)
	if err != nil {
		return "", &credentialsError{err: err}
	}
	s.cached = tok
	return tok.AccessToken, nil
}

// credentialsError is a failed token exchange. It already went through its
// own retries, so the API request that needed the token is not retried.
type credentialsError struct {
	err error
}

func (e *credentialsError) Error() string { return "service account token request: " + e.err.Error() }
func (e *credentialsError) Unwrap() error { return e.err }

// status is the HTTP status of the token endpoint's refusal, if it answered.
func (e *credentialsError) status() int {
	var re *oauth2.RetrieveError
	if errors.As(e.err, &re) && re.Response != nil {
		return re.Response.StatusCode
	}
	return 0
}

type userAgentTransport struct {
	base      http.RoundTripper
	userAgent string
}

func (t *userAgentTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.Header.Set("User-Agent", t.userAgent)
	return t.base.RoundTrip(r)
}
