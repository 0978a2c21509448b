package atlas

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

const (
	internalClientID     = "mdb_sa_id_0a1b2c3d4e5f60718293a4b5"
	internalClientSecret = "mdb_sa_sk_SECRET-b81e90aa"
)

// clock is a settable replacement for tokenSource.now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func newTestTokenSource(t *testing.T, ttl time.Duration) (*tokenSource, *mockatlas.Server, *clock) {
	t.Helper()
	m := mockatlas.New()
	m.AddServiceAccount(internalClientID, internalClientSecret)
	m.SetTokenTTL(ttl)
	srv := m.Start()
	t.Cleanup(srv.Close)
	cfg := Config{
		BaseURL: srv.URL + "/", Mode: AuthServiceAccount,
		ClientID: internalClientID, ClientSecret: internalClientSecret,
		UserAgent: "test", RequestTimeout: 10 * time.Second, MaxRetries: 1,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
	}
	ts := newTokenSource(cfg, retryingClient(cfg, &wireTransport{base: newPool(nil)}))
	c := &clock{t: time.Now()}
	ts.now = c.now
	return ts, m, c
}

func tokenRequests(m *mockatlas.Server) int {
	n := 0
	for _, r := range m.Requests() {
		if r.Method == http.MethodPost && r.Path == tokenPath {
			n++
		}
	}
	return n
}

func TestTokenSourceRenewsShortlyBeforeExpiry(t *testing.T) {
	const ttl = 10 * time.Minute
	ts, m, clk := newTestTokenSource(t, ttl)
	ctx := context.Background()

	first, err := ts.token(ctx)
	if err != nil || first == "" {
		t.Fatalf("token() = %q, %v", first, err)
	}
	// oauth2 stamps the expiry with the real clock when the answer arrives:
	// count from there, not from before the fetch, so that a slow fetch on
	// a loaded machine does not move the renewal window.
	base := ts.cached.Expiry.Add(-ttl)
	steps := []struct {
		name    string
		at      time.Duration // after the first fetch
		renewed bool
	}{
		{"at once", 0, false},
		{"half way", ttl / 2, false},
		{"just outside the renewal window", ttl - tokenRenewBefore - 5*time.Second, false},
		{"inside the renewal window", ttl - tokenRenewBefore + 5*time.Second, true},
	}
	want, fetches := first, 1
	for _, st := range steps {
		clk.set(base.Add(st.at))
		got, err := ts.token(ctx)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if st.renewed {
			fetches++
			if got == want {
				t.Errorf("%s: token not renewed", st.name)
			}
			want = got
		} else if got != want {
			t.Errorf("%s: token renewed too early", st.name)
		}
		if n := tokenRequests(m); n != fetches {
			t.Errorf("%s: %d token requests, want %d", st.name, n, fetches)
		}
	}
	// The renewed token is cached in turn. oauth2 stamps its expiry with the
	// real clock, so go back to it.
	clk.set(time.Now())
	if got, _ := ts.token(ctx); got != want {
		t.Error("renewed token not reused")
	}
	if n := tokenRequests(m); n != fetches {
		t.Errorf("%d token requests, want %d", n, fetches)
	}
}

// The token endpoint's URL is built from a base URL with a trailing slash
// without doubling it, and the attempt counter of the API call is not touched.
func TestTokenSourceKeepsAttemptsApart(t *testing.T) {
	ts, m, _ := newTestTokenSource(t, time.Hour)
	m.ScriptToken(mockatlas.Fault{Status: http.StatusServiceUnavailable})
	ctx, st := withCallState(context.Background(), nil)
	if _, err := ts.token(ctx); err != nil {
		t.Fatal(err)
	}
	if n := tokenRequests(m); n != 2 {
		t.Errorf("%d token requests, want 2 (503 then 200)", n)
	}
	if got := st.attempts.Load(); got != 0 {
		t.Errorf("the API call's attempt count is %d after a token fetch, want 0", got)
	}
}

func TestTokenSourceErrorIsTokenError(t *testing.T) {
	ts, _, _ := newTestTokenSource(t, time.Hour)
	ts.conf.ClientSecret = "wrong"
	_, err := ts.token(context.Background())
	var ce *tokenError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %T %v, want *tokenError", err, err)
	}
	if ce.Status != http.StatusUnauthorized || !ce.Rejected() {
		t.Errorf("Status = %d, Rejected() = %v, want 401 and true", ce.Status, ce.Rejected())
	}
	if ts.cached != nil {
		t.Error("a failed fetch left a cached token")
	}
	// Fixing the secret (a later call) fetches afresh.
	ts.conf.ClientSecret = internalClientSecret
	if _, err := ts.token(context.Background()); err != nil {
		t.Errorf("after the failure: %v", err)
	}
}

// TestBearerTransportClosesTheBodyWhenNoToken: a RoundTripper that fails
// must close the request body, as net/http requires; the token error goes
// up as it came.
func TestBearerTransportClosesTheBodyWhenNoToken(t *testing.T) {
	noToken := errors.New("no token")
	tr := &bearerTransport{pinned: "https://cloud.mongodb.com:443",
		token: func(context.Context) (string, error) { return "", noToken }}
	body := &closeRecorder{Reader: strings.NewReader("{}")}
	req, err := http.NewRequest(http.MethodPost, "https://cloud.mongodb.com/api/atlas/v2/orgs", body)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.RoundTrip(req); !errors.Is(err, noToken) || !body.closed {
		t.Errorf("err %v, body closed %v; want the token error and the body closed", err, body.closed)
	}
	req, _ = http.NewRequest(http.MethodGet, "https://cloud.mongodb.com/api/atlas/v2/orgs", nil)
	if _, err := tr.RoundTrip(req); !errors.Is(err, noToken) {
		t.Errorf("without a body: err %v, want the token error", err)
	}
}

func TestTokenErrorSaysWhatFailed(t *testing.T) {
	err := &tokenError{err: errors.New("oauth2: cannot fetch token")}
	if got, want := err.Error(), "service account token request: oauth2: cannot fetch token"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
