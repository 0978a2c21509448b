package atlas_test

import (
	"cmp"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// resettingURL returns the URL of a loopback server that resets every
// connection: a network failure no other listener can take over, as one could
// a closed port.
func resettingURL(t *testing.T) string {
	t.Helper()
	r, err := mockatlas.StartResetter()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r.URL
}

func TestErrorTranslation(t *testing.T) {
	const htmlBody = "<html><head><title>Sign in</title></head><body>Please log in</body></html>"
	resetURL := resettingURL(t)
	tests := []struct {
		name   string
		mode   atlas.AuthMode
		setup  func(m *mockatlas.Server)
		config func(cfg *atlas.Config)
		orgID  string
		ctx    func() (context.Context, context.CancelFunc)

		kind         atlas.ErrorKind
		status       int
		errorCode    string
		attempts     int
		method, path string   // default GET and the invites path
		factsHas     []string // substrings of Facts()
		// fields checks the facts the row is about beyond those above and
		// the Setup every row checks.
		fields func(t *testing.T, e *atlas.Error)
	}{
		{
			name: "401 wrong private key", mode: atlas.AuthAPIKey,
			config: func(c *atlas.Config) { c.PrivateKey = "wrong-" + testPrivateKey },
			kind:   atlas.KindUnauthorized, status: 401, errorCode: "UNAUTHORIZED", attempts: 1,
			factsHas: []string{"HTTP status: 401", "Atlas error code: UNAUTHORIZED"},
			fields: func(t *testing.T, e *atlas.Error) {
				hasFact(t, "Setup.Principal", e.Setup.Principal, `public key "`+testPublicKey+`"`)
				hasFact(t, "Setup.CredentialSource", e.Setup.CredentialSource, "provider block")
			},
		},
		{
			name: "401 unknown access token", mode: atlas.AuthAccessToken,
			config: func(c *atlas.Config) { c.AccessToken = "wrong-" + testAccessToken },
			kind:   atlas.KindUnauthorized, status: 401, errorCode: "UNAUTHORIZED", attempts: 1,
			fields: func(t *testing.T, e *atlas.Error) {
				hasFact(t, "Setup.Principal", e.Setup.Principal, "an access token")
			},
		},
		{
			name: "403", mode: atlas.AuthAPIKey,
			setup: func(m *mockatlas.Server) { m.Script(mockatlas.Fault{Status: 403}) },
			kind:  atlas.KindForbidden, status: 403, errorCode: "IP_ADDRESS_NOT_ON_ACCESS_LIST", attempts: 1,
			factsHas: []string{"Atlas error code: " + atlas.CodeAccessList},
			fields: func(t *testing.T, e *atlas.Error) {
				hasFact(t, "BlockedAddress()", e.BlockedAddress(), "192.0.2.1")
			},
		},
		{
			name: "404 unknown org", mode: atlas.AuthAPIKey, orgID: unknownOrgID,
			kind: atlas.KindNotFound, status: 404, errorCode: "ORG_NOT_FOUND", attempts: 1,
			factsHas: []string{"Atlas detail: Organization " + unknownOrgID + " does not exist."},
			fields: func(t *testing.T, e *atlas.Error) {
				hasFact(t, "NotFound", e.NotFound, `Organization "`+unknownOrgID+`"`)
				hasFact(t, "Missing()", e.Missing(), atlas.MissingOrganization)
			},
		},
		{
			name: "406", mode: atlas.AuthServiceAccount,
			setup: func(m *mockatlas.Server) { m.Script(mockatlas.Fault{Status: 406}) },
			kind:  atlas.KindVersionGone, status: 406, errorCode: "INVALID_VERSION_DATE", attempts: 1,
			fields: func(t *testing.T, e *atlas.Error) {
				hasFact(t, "MediaType", e.MediaType, "application/vnd.atlas.2023-01-01+json")
			},
		},
		{
			name: "410", mode: atlas.AuthAccessToken,
			setup: func(m *mockatlas.Server) { m.Script(mockatlas.Fault{Status: 410}) },
			kind:  atlas.KindVersionGone, status: 410, errorCode: "VERSION_GONE", attempts: 1,
			fields: func(t *testing.T, e *atlas.Error) {
				hasFact(t, "MediaType", e.MediaType, "application/vnd.atlas.2023-01-01+json")
			},
		},
		{
			name: "429 exhausted", mode: atlas.AuthAPIKey,
			setup: func(m *mockatlas.Server) { m.SetFault(&mockatlas.Fault{Status: 429}) },
			kind:  atlas.KindRateLimited, status: 429, errorCode: "RATE_LIMITED", attempts: 2,
			fields: func(t *testing.T, e *atlas.Error) {
				hasFact(t, "Setup.MaxRetries", e.Setup.MaxRetries, 1)
			},
		},
		{
			name: "500 exhausted", mode: atlas.AuthServiceAccount,
			setup: func(m *mockatlas.Server) { m.SetFault(&mockatlas.Fault{Status: 500}) },
			kind:  atlas.KindServer, status: 500, errorCode: "UNEXPECTED_ERROR", attempts: 2,
			factsHas: []string{"HTTP status: 500"},
			fields: func(t *testing.T, e *atlas.Error) {
				hasFact(t, "Setup.MaxRetries", e.Setup.MaxRetries, 1)
			},
		},
		{
			name: "500 exhausted with more retries", mode: atlas.AuthAPIKey,
			setup:  func(m *mockatlas.Server) { m.SetFault(&mockatlas.Fault{Status: 500}) },
			config: func(c *atlas.Config) { c.MaxRetries = 3 },
			kind:   atlas.KindServer, status: 500, errorCode: "UNEXPECTED_ERROR", attempts: 4,
			fields: func(t *testing.T, e *atlas.Error) {
				hasFact(t, "Setup.MaxRetries", e.Setup.MaxRetries, 3)
			},
		},
		{
			name: "501 not retried", mode: atlas.AuthAPIKey,
			setup: func(m *mockatlas.Server) { m.SetFault(&mockatlas.Fault{Status: 501}) },
			kind:  atlas.KindServer, status: 501, errorCode: "NOT_IMPLEMENTED", attempts: 1,
		},
		{
			name: "400 other", mode: atlas.AuthAPIKey,
			setup: func(m *mockatlas.Server) { m.Script(mockatlas.Fault{Status: 400}) },
			kind:  atlas.KindOther, status: 400, errorCode: "VALIDATION_ERROR", attempts: 1,
			factsHas: []string{"HTTP status: 400", "Atlas error code: VALIDATION_ERROR"},
		},
		{
			name: "timeout", mode: atlas.AuthAPIKey,
			// The mock stops waiting when the client gives up.
			setup:  func(m *mockatlas.Server) { m.SetFault(&mockatlas.Fault{Delay: time.Hour}) },
			config: func(c *atlas.Config) { c.RequestTimeout = 200 * time.Millisecond },
			kind:   atlas.KindTimeout, attempts: 2,
			fields: func(t *testing.T, e *atlas.Error) {
				hasFact(t, "Setup.RequestTimeout", e.Setup.RequestTimeout, 200*time.Millisecond)
				hasFact(t, "TimedOut()", e.TimedOut(), true)
			},
		},
		{
			name: "network error", mode: atlas.AuthAPIKey,
			config: func(c *atlas.Config) { c.BaseURL = resetURL },
			kind:   atlas.KindNetwork, attempts: 2,
			fields: func(t *testing.T, e *atlas.Error) {
				hasFact(t, "Setup.BaseURL", e.Setup.BaseURL, resetURL)
				hasFact(t, "TimedOut()", e.TimedOut(), false)
				// The root cause once, without the URL wrapper net/http adds.
				cause := e.RootCause()
				if !strings.HasPrefix(cause, "read tcp ") || strings.Count(cause, "connection reset by peer") != 1 ||
					strings.Contains(cause, resetURL) {
					t.Errorf("RootCause() = %q, want the read's connection reset, once, without the URL", cause)
				}
				if strings.Count(e.Error(), "connection reset by peer") != 1 {
					t.Errorf("Error() = %q, want the root cause once", e.Error())
				}
			},
		},
		{
			name: "HTML body with 200", mode: atlas.AuthAPIKey,
			setup: func(m *mockatlas.Server) {
				m.Script(mockatlas.Fault{Body: htmlBody, ContentType: "text/html; charset=utf-8"})
			},
			kind: atlas.KindBadResponse, status: 200, attempts: 1,
			factsHas: []string{"HTTP status: 200"},
			fields: func(t *testing.T, e *atlas.Error) {
				hasFact(t, "ContentType", e.ContentType, "text/html; charset=utf-8")
				if !strings.HasPrefix(e.BodyStart, "<html><head><title>Sign in") {
					t.Errorf("BodyStart = %q, want the start of the page", e.BodyStart)
				}
			},
		},
		{
			name: "canceled context", mode: atlas.AuthAPIKey,
			ctx: func() (context.Context, context.CancelFunc) {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				return ctx, cancel
			},
			kind: atlas.KindCanceled, attempts: 1,
		},
		{
			name: "canceled context, service account", mode: atlas.AuthServiceAccount,
			ctx: func() (context.Context, context.CancelFunc) {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				return ctx, cancel
			},
			kind: atlas.KindCanceled, attempts: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, srv := newMock(t)
			if tt.setup != nil {
				tt.setup(m)
			}
			cfg := testConfig(srv.URL, tt.mode)
			if tt.config != nil {
				tt.config(&cfg)
			}
			orgID := testOrgID
			if tt.orgID != "" {
				orgID = tt.orgID
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			if tt.ctx != nil {
				ctx, cancel = tt.ctx()
			}
			defer cancel()

			_, err := newClient(t, cfg).ListInvitations(ctx, orgID, nil)
			e := asAtlasError(t, err)
			if e.Kind != tt.kind {
				t.Errorf("Kind = %v, want %v (error: %v)", e.Kind, tt.kind, e)
			}
			if e.Status != tt.status {
				t.Errorf("Status = %d, want %d", e.Status, tt.status)
			}
			if e.ErrorCode != tt.errorCode {
				t.Errorf("ErrorCode = %q, want %q", e.ErrorCode, tt.errorCode)
			}
			if e.Attempts != tt.attempts {
				t.Errorf("Attempts = %d, want %d", e.Attempts, tt.attempts)
			}
			method, path := http.MethodGet, "/api/atlas/v2/orgs/"+orgID+"/invites"
			if e.Method != method || e.Path != path {
				t.Errorf("request = %s %s, want %s %s", e.Method, e.Path, method, path)
			}
			if !strings.Contains(e.Facts(), "Request: "+method+" "+strings.TrimSuffix(cfg.BaseURL, "/")+path) {
				t.Errorf("Facts() do not name the request:\n%s", e.Facts())
			}
			for _, want := range tt.factsHas {
				if !strings.Contains(e.Facts(), want) {
					t.Errorf("Facts() lack %q:\n%s", want, e.Facts())
				}
			}
			// The configuration the call ran with, its request timeout the
			// default when none is set; the test servers' URLs are origins
			// with their ports.
			wantSetup := atlas.Setup{Mode: cfg.Mode, Principal: cfg.Principal(), CredentialSource: cfg.CredentialSource,
				BaseURL: cfg.BaseURL, BaseOrigin: cfg.BaseURL, RequestTimeout: cmp.Or(cfg.RequestTimeout, atlas.DefaultRequestTimeout),
				MaxRetries: cfg.MaxRetries}
			if e.Setup != wantSetup {
				t.Errorf("Setup = %+v, want %+v", e.Setup, wantSetup)
			}
			if line := e.Error(); strings.Contains(line, "\n") || !strings.HasPrefix(line, "atlas: "+tt.kind.String()+": "+method+" ") {
				t.Errorf("Error() = %q, want one line of the kind and the request", line)
			}
			if tt.fields != nil {
				tt.fields(t, e)
			}
			if tt.kind == atlas.KindBadResponse {
				if !strings.HasPrefix(e.ContentType, "text/html") {
					t.Errorf("ContentType = %q, want text/html", e.ContentType)
				}
				if e.BodyStart == "" || !strings.HasPrefix(htmlBody, e.BodyStart) {
					t.Errorf("BodyStart = %q, want a prefix of the body", e.BodyStart)
				}
				for _, text := range []string{e.Error(), e.Facts(), e.RootCause()} {
					if strings.Contains(text, "read on closed response body") {
						t.Errorf("the error shows the SDK's unhelpful message:\n%s", text)
					}
				}
			}
			assertNoSecret(t, "the error", errorTexts(err, e)...)
		})
	}
}

// With a persistent 503 and an hour between attempts, canceling the context
// ends the call at once, not after the backoff.
func TestCancelDuringBackoff(t *testing.T) {
	for _, mode := range allModes {
		t.Run(mode.String(), func(t *testing.T) {
			m, srv := newMock(t)
			m.SetFault(&mockatlas.Fault{Status: http.StatusServiceUnavailable})
			cfg := testConfig(srv.URL, mode)
			cfg.MaxRetries = 4
			cfg.RetryWaitMin, cfg.RetryWaitMax = time.Hour, 2*time.Hour
			c := newClient(t, cfg)

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() {
				_, err := c.ListInvitations(ctx, testOrgID, nil)
				done <- err
			}()
			// Cancel once the first 503 has been answered, i.e. in the backoff.
			for count(m, func(r mockatlas.Request) bool { return r.Status == 503 }) == 0 {
				time.Sleep(5 * time.Millisecond)
			}
			cancel()
			// No clock: with an hour of backoff ahead, a call that ignored
			// the cancel would not return before the test binary's timeout.
			e := asAtlasError(t, <-done)
			if e.Kind != atlas.KindCanceled {
				t.Errorf("Kind = %v, want KindCanceled (error: %v)", e.Kind, e)
			}
			if e.Attempts != 1 {
				t.Errorf("Attempts = %d, want 1", e.Attempts)
			}
			if n := count(m, func(r mockatlas.Request) bool { return r.Status == 503 }); n != 1 {
				t.Errorf("%d attempts answered 503, want 1", n)
			}
		})
	}
}

// Only the start of a body that is not JSON is kept for the message, however
// the body is read.
func TestBadResponseKeepsOnlyTheStart(t *testing.T) {
	m, srv := newMock(t)
	body := "<html>" + strings.Repeat("proxy login page ", 300) + "</html>"
	m.Script(mockatlas.Fault{Body: body, ContentType: "text/html"})
	e := asAtlasError(t, list(t, newClient(t, testConfig(srv.URL, atlas.AuthAccessToken)), testOrgID))
	if e.Kind != atlas.KindBadResponse {
		t.Fatalf("Kind = %v, want KindBadResponse (error: %v)", e.Kind, e)
	}
	if want := body[:256]; e.BodyStart != want {
		t.Errorf("BodyStart has %d bytes, want the first 256:\n%q", len(e.BodyStart), e.BodyStart)
	}
}
