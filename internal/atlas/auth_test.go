package atlas_test

import (
	"cmp"
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

func statuses(m *mockatlas.Server, match func(mockatlas.Request) bool) []int {
	var out []int
	for _, r := range m.Requests() {
		if match(r) {
			out = append(out, r.Status)
		}
	}
	return out
}

func TestServiceAccountConcurrentCallsFetchOneToken(t *testing.T) {
	m, srv := newMock(t)
	c := newClient(t, testConfig(srv.URL, atlas.AuthServiceAccount))

	const n = 20
	start := make(chan struct{})
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			<-start
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			invites, err := c.ListInvitations(ctx, testOrgID, nil)
			if err == nil && len(invites) != 1 {
				t.Errorf("got %d invitations, want 1", len(invites))
			}
			errs <- err
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("ListInvitations: %v", err)
		}
	}
	if got := count(m, isTokenRequest); got != 1 {
		t.Errorf("%d token requests for %d parallel calls, want 1", got, n)
	}
	bearer := count(m, func(r mockatlas.Request) bool {
		return isAPIRequest(r) && r.Auth == mockatlas.AuthBearer && r.Authenticated && r.Principal == testClientID
	})
	if bearer != n {
		t.Errorf("%d API requests authenticated with the service account's token, want %d", bearer, n)
	}
}

func TestServiceAccountTokenReused(t *testing.T) {
	m, srv := newMock(t)
	c := newClient(t, testConfig(srv.URL, atlas.AuthServiceAccount))
	for i := range 3 {
		if err := list(t, c, testOrgID); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	if got := statuses(m, isTokenRequest); !slices.Equal(got, []int{200}) {
		t.Errorf("token requests answered %v, want one 200", got)
	}
	if got := statuses(m, isAPIRequest); !slices.Equal(got, []int{200, 200, 200}) {
		t.Errorf("API requests answered %v, want three 200s", got)
	}
	// Two clients (two configured providers) do not share a token.
	if err := list(t, newClient(t, testConfig(srv.URL, atlas.AuthServiceAccount)), testOrgID); err != nil {
		t.Fatal(err)
	}
	if got := count(m, isTokenRequest); got != 2 {
		t.Errorf("%d token requests for two clients, want 2", got)
	}
}

// A canceled call must not poison the token cache, and the token fetch must
// use each call's own context.
func TestServiceAccountCanceledFetchDoesNotStick(t *testing.T) {
	m, srv := newMock(t)
	c := newClient(t, testConfig(srv.URL, atlas.AuthServiceAccount))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.ListInvitations(ctx, testOrgID, nil); asAtlasError(t, err).Kind != atlas.KindCanceled {
		t.Fatalf("canceled call: %v, want KindCanceled", err)
	}
	if err := list(t, c, testOrgID); err != nil {
		t.Fatalf("call after a canceled one: %v", err)
	}
	if got := count(m, func(r mockatlas.Request) bool { return isAPIRequest(r) && r.Status == 200 }); got != 1 {
		t.Errorf("%d successful API requests, want 1", got)
	}
}

// A call waiting for a token fetch in flight ends as soon as its caller
// cancels, however long the token endpoint takes, and the abandoned fetch
// leaves nothing behind: the next call fetches a token afresh.
func TestServiceAccountCanceledWhileWaitingForToken(t *testing.T) {
	const hold = 10 * time.Second // far longer than the call may take
	m, _ := newMock(t)
	release := make(chan struct{})
	arrived := make(chan struct{}, 1)
	var held atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The first token request is held even if the client goes away:
		// only the caller's own cancel can end its wait.
		if isTokenPath(r) && held.CompareAndSwap(false, true) {
			arrived <- struct{}{}
			select {
			case <-release:
			case <-time.After(hold):
			}
		}
		m.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first: Close waits for the held handler
	c := newClient(t, testConfig(srv.URL, atlas.AuthServiceAccount))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	canceledAt := make(chan time.Time, 1)
	go func() {
		select {
		case <-arrived:
			time.Sleep(50 * time.Millisecond)
		case <-time.After(hold):
		}
		canceledAt <- time.Now()
		cancel()
	}()
	_, err := c.ListInvitations(ctx, testOrgID, nil)
	returned := time.Now()
	if e := asAtlasError(t, err); e.Kind != atlas.KindCanceled {
		t.Fatalf("Kind = %d, want KindCanceled (error: %v)", e.Kind, err)
	}
	if took := returned.Sub(<-canceledAt); took > 2*time.Second {
		t.Errorf("the call returned %v after its cancel: it waited for the token fetch instead", took)
	}

	if err := list(t, c, testOrgID); err != nil {
		t.Fatalf("call after the canceled one: %v", err)
	}
	if got := count(m, func(r mockatlas.Request) bool { return isAPIRequest(r) && r.Status == http.StatusOK }); got != 1 {
		t.Errorf("%d successful API requests, want 1", got)
	}
}

func isTokenPath(r *http.Request) bool { return r.Method == http.MethodPost && r.URL.Path == tokenPath }

func TestServiceAccountTokenFailures(t *testing.T) {
	tests := []struct {
		name       string
		secret     string
		tokenFault []mockatlas.Fault
		timeout    time.Duration

		kind          atlas.ErrorKind
		status        int
		tokenStatuses []int    // what the token endpoint answered, in order
		factsHas      []string // substrings of Facts()
		timedOut      bool
	}{
		{
			name: "wrong secret", secret: "wrong-" + testClientSecret,
			kind: atlas.KindTokenRejected, status: 401, tokenStatuses: []int{401},
			factsHas: []string{"Request: POST {url}/api/oauth/token", "HTTP status: 401"},
		},
		{
			name: "token endpoint 503 exhausted", secret: testClientSecret,
			tokenFault: []mockatlas.Fault{{Status: 503}, {Status: 503}},
			kind:       atlas.KindTokenEndpoint, status: 503, tokenStatuses: []int{503, 503},
			factsHas: []string{"Request: POST {url}/api/oauth/token", "HTTP status: 503"},
		},
		{
			name: "token endpoint 403", secret: testClientSecret,
			tokenFault: []mockatlas.Fault{{Status: 403}},
			kind:       atlas.KindTokenEndpoint, status: 403, tokenStatuses: []int{403},
		},
		{
			// Each token attempt has its own request_timeout; the API
			// layer does not add attempts of its own.
			name: "token endpoint times out", secret: testClientSecret, timeout: 200 * time.Millisecond,
			// The mock stops waiting when the client gives up.
			tokenFault: []mockatlas.Fault{{Delay: time.Hour}, {Delay: time.Hour}},
			kind:       atlas.KindTokenEndpoint, status: 0, tokenStatuses: []int{0, 0},
			factsHas: []string{"Request: POST {url}/api/oauth/token"}, timedOut: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, srv := newMock(t)
			m.ScriptToken(tt.tokenFault...)
			cfg := testConfig(srv.URL, atlas.AuthServiceAccount)
			cfg.ClientSecret = tt.secret
			cfg.RequestTimeout = tt.timeout
			err := list(t, newClient(t, cfg), testOrgID)
			e := asAtlasError(t, err)
			if e.Kind != tt.kind || e.Status != tt.status {
				t.Errorf("Kind, Status = %v, %d; want %v, %d (error: %v)", e.Kind, e.Status, tt.kind, tt.status, e)
			}
			if e.Method != http.MethodPost || e.Path != tokenPath {
				t.Errorf("request = %s %s, want POST %s", e.Method, e.Path, tokenPath)
			}
			for _, want := range tt.factsHas {
				want = strings.ReplaceAll(want, "{url}", srv.URL)
				if !strings.Contains(e.Facts(), want) {
					t.Errorf("Facts() lack %q:\n%s", want, e.Facts())
				}
			}
			// One attempt counted for each answer (or silence) of the token
			// endpoint, each with its own request_timeout.
			hasFact(t, "Attempts", e.Attempts, len(tt.tokenStatuses))
			hasFact(t, "TimedOut()", e.TimedOut(), tt.timedOut)
			hasFact(t, "Setup.RequestTimeout", e.Setup.RequestTimeout, cmp.Or(tt.timeout, atlas.DefaultRequestTimeout))
			hasFact(t, "Setup.Principal", e.Setup.Principal, `client id "`+testClientID+`"`)
			hasFact(t, "Setup.CredentialSource", e.Setup.CredentialSource, "provider block")
			// The token client made its own retries; the API layer must not
			// multiply them (MaxRetries 1 would double the list).
			if got := statuses(m, isTokenRequest); tt.tokenStatuses != nil && !slices.Equal(got, tt.tokenStatuses) {
				t.Errorf("token endpoint answered %v, want %v", got, tt.tokenStatuses)
			}
			if got := count(m, isAPIRequest); got != 0 {
				t.Errorf("%d API requests without a token, want 0", got)
			}
			texts := errorTexts(err, e)
			assertNoSecret(t, "the error", texts...)
			for _, text := range texts {
				if strings.Contains(text, tt.secret) {
					t.Errorf("the error contains the secret used:\n%s", text)
				}
			}
		})
	}
}

func TestServiceAccountTokenRetriedOn503(t *testing.T) {
	m, srv := newMock(t)
	m.ScriptToken(mockatlas.Fault{Status: http.StatusServiceUnavailable})
	if err := list(t, newClient(t, testConfig(srv.URL, atlas.AuthServiceAccount)), testOrgID); err != nil {
		t.Fatal(err)
	}
	if got := statuses(m, isTokenRequest); !slices.Equal(got, []int{503, 200}) {
		t.Errorf("token endpoint answered %v, want 503, 200", got)
	}
	if got := statuses(m, isAPIRequest); !slices.Equal(got, []int{200}) {
		t.Errorf("API answered %v, want one 200", got)
	}
	if _, tok := m.PendingFaults(); tok != 0 {
		t.Errorf("%d token faults left unconsumed", tok)
	}
}

// The token client's own retries (with their backoff and Retry-After) must
// not be bounded by the request_timeout of the one API attempt that needed
// the token: request_timeout is per HTTP attempt. When they are, net/http
// replaces the credentials error with its own timeout error, so the API layer
// retries the whole exchange, and Retry-After from the token endpoint is cut
// short.
func TestServiceAccountTokenRetryNotCutByAPIAttemptTimeout(t *testing.T) {
	m, srv := newMock(t)
	m.ScriptToken(mockatlas.Fault{Status: http.StatusServiceUnavailable, RetryAfter: "1"})
	cfg := testConfig(srv.URL, atlas.AuthServiceAccount)
	cfg.RequestTimeout = 500 * time.Millisecond
	var out syncBuffer
	ctx, cancel := context.WithTimeout(tflogtest.RootLogger(context.Background(), &out), 20*time.Second)
	defer cancel()
	start := time.Now()
	_, err := newClient(t, cfg).ListInvitations(ctx, testOrgID, nil)
	took := time.Since(start)
	if err != nil {
		t.Fatalf("ListInvitations: %v", err)
	}
	if got := statuses(m, isTokenRequest); !slices.Equal(got, []int{503, 200}) {
		t.Errorf("token endpoint answered %v, want 503, 200", got)
	}
	// A lower bound on a wait the client must make: load can only lengthen it.
	if took < time.Second {
		t.Errorf("the call took %v: the token endpoint's Retry-After: 1 was not honoured", took)
	}
	if findEntry(logEntries(t, out.String()), "Retrying Atlas request", http.MethodGet, "/api/atlas/v2/orgs/"+testOrgID+"/invites", 0) != nil {
		t.Errorf("the API request was retried because its token fetch outlived the API attempt's timeout:\n%s", out.String())
	}
}

// Each retry re-runs authentication: with digest, a new challenge per
// attempt, so no nonce is ever replayed.
func TestRetriesReauthenticate(t *testing.T) {
	t.Run("digest", func(t *testing.T) {
		m, srv := newMock(t)
		m.Script(mockatlas.Fault{Status: http.StatusServiceUnavailable})
		if err := list(t, newClient(t, testConfig(srv.URL, atlas.AuthAPIKey)), testOrgID); err != nil {
			t.Fatal(err)
		}
		challenges := statuses(m, func(r mockatlas.Request) bool { return r.Auth == mockatlas.AuthNone })
		signed := statuses(m, func(r mockatlas.Request) bool {
			return r.Auth == mockatlas.AuthDigest && r.Authenticated && r.Principal == testPublicKey
		})
		if !slices.Equal(challenges, []int{401, 401}) {
			t.Errorf("unauthenticated requests answered %v, want two 401 challenges", challenges)
		}
		if !slices.Equal(signed, []int{503, 200}) {
			t.Errorf("signed requests answered %v, want 503, 200", signed)
		}
		if len(m.Requests()) != 4 {
			t.Errorf("%d requests, want 4", len(m.Requests()))
		}
	})
	for _, mode := range []atlas.AuthMode{atlas.AuthServiceAccount, atlas.AuthAccessToken} {
		t.Run(mode.String(), func(t *testing.T) {
			m, srv := newMock(t)
			m.Script(mockatlas.Fault{Status: http.StatusBadGateway}, mockatlas.Fault{Status: http.StatusGatewayTimeout})
			cfg := testConfig(srv.URL, mode)
			cfg.MaxRetries = 2
			if err := list(t, newClient(t, cfg), testOrgID); err != nil {
				t.Fatal(err)
			}
			got := statuses(m, func(r mockatlas.Request) bool {
				return isAPIRequest(r) && r.Auth == mockatlas.AuthBearer && r.Authenticated
			})
			if !slices.Equal(got, []int{502, 504, 200}) {
				t.Errorf("bearer requests answered %v, want 502, 504, 200", got)
			}
		})
	}
}

func TestUserAgent(t *testing.T) {
	for _, mode := range allModes {
		t.Run(mode.String(), func(t *testing.T) {
			m, srv := newMock(t)
			// A retry and (for the service account) a retried token
			// request: every attempt carries the configured User-Agent.
			m.Script(mockatlas.Fault{Status: http.StatusServiceUnavailable})
			m.ScriptToken(mockatlas.Fault{Status: http.StatusServiceUnavailable})
			if err := list(t, newClient(t, testConfig(srv.URL, mode)), testOrgID); err != nil {
				t.Fatal(err)
			}
			reqs := m.Requests()
			if len(reqs) == 0 {
				t.Fatal("no requests recorded")
			}
			for _, r := range reqs {
				if r.UserAgent != testUserAgent {
					t.Errorf("%s %s (status %d) carried User-Agent %q, want %q", r.Method, r.Path, r.Status, r.UserAgent, testUserAgent)
				}
			}
			if mode == atlas.AuthServiceAccount && count(m, isTokenRequest) != 2 {
				t.Errorf("%d token requests, want 2 (503 then 200)", count(m, isTokenRequest))
			}
		})
	}
}
