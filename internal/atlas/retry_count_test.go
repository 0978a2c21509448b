package atlas_test

import (
	"net/http"
	"testing"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// max_retries = 0 disables retries (docs/index.md, "Timeouts and retries"): one attempt, on
// the API and on the token endpoint, never the default of 4 in disguise.
func TestMaxRetriesZeroMakesOneAttempt(t *testing.T) {
	tests := []struct {
		name  string
		mode  atlas.AuthMode
		setup func(m *mockatlas.Server)
		match func(mockatlas.Request) bool // the attempts to count
		kind  atlas.ErrorKind
	}{
		{
			name: "api key, 503", mode: atlas.AuthAPIKey,
			setup: func(m *mockatlas.Server) { m.SetFault(&mockatlas.Fault{Status: http.StatusServiceUnavailable}) },
			match: func(r mockatlas.Request) bool { return isAPIRequest(r) && r.Authenticated },
			kind:  atlas.KindServer,
		},
		{
			name: "access token, 429", mode: atlas.AuthAccessToken,
			setup: func(m *mockatlas.Server) {
				m.SetFault(&mockatlas.Fault{Status: http.StatusTooManyRequests, RetryAfter: "0"})
			},
			match: isAPIRequest,
			kind:  atlas.KindRateLimited,
		},
		{
			name: "service account, token endpoint 503", mode: atlas.AuthServiceAccount,
			setup: func(m *mockatlas.Server) {
				m.ScriptToken(mockatlas.Fault{Status: http.StatusServiceUnavailable}, mockatlas.Fault{Status: http.StatusServiceUnavailable})
			},
			match: isTokenRequest,
			kind:  atlas.KindTokenEndpoint,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, srv := newMock(t)
			tt.setup(m)
			cfg := testConfig(srv.URL, tt.mode)
			cfg.MaxRetries = 0
			e := asAtlasError(t, list(t, newClient(t, cfg), testOrgID))
			if e.Kind != tt.kind {
				t.Errorf("Kind = %v, want %v (error: %v)", e.Kind, tt.kind, e)
			}
			if n := count(m, tt.match); n != 1 {
				t.Errorf("the mock saw %d attempts, want exactly 1", n)
			}
			if e.Attempts != 1 {
				t.Errorf("Attempts = %d, want 1", e.Attempts)
			}
			// The error carries the max_retries it ran with, for the token
			// endpoint's attempts as for the API's.
			hasFact(t, "Setup.MaxRetries", e.Setup.MaxRetries, 0)
		})
	}
}
