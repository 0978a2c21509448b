package atlas_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// syncBuffer is a log sink that parallel transports may write to.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// logEntries decodes the JSON lines tflogtest wrote.
func logEntries(t *testing.T, out string) []map[string]any {
	t.Helper()
	entries, err := tflogtest.MultilineJSONDecode(strings.NewReader(out))
	if err != nil {
		t.Fatalf("decoding the log: %v\n%s", err, out)
	}
	return entries
}

// findEntry returns the first "Atlas request" entry for method, path and
// status, or nil.
func findEntry(entries []map[string]any, msg, method, path string, status int) map[string]any {
	for _, e := range entries {
		if e["@message"] != msg || e["method"] != method || e["path"] != path {
			continue
		}
		if status == 0 || e["status"] == float64(status) {
			return e
		}
	}
	return nil
}

// assertCleanLog fails when the log shows a secret or an Authorization value.
func assertCleanLog(t *testing.T, out string) {
	t.Helper()
	assertNoSecret(t, "the log", out)
	for _, bad := range []string{"Authorization", "authorization", "Digest ", "Bearer ", "Basic ", "response=", "cnonce"} {
		if strings.Contains(out, bad) {
			t.Errorf("the log contains %q:\n%s", bad, out)
		}
	}
}

func TestLoggingEachMode(t *testing.T) {
	invites := "/api/atlas/v2/orgs/" + testOrgID + "/invites"
	tests := []struct {
		mode atlas.AuthMode
		// lines that must be logged: method, path, status
		want []struct {
			method, path string
			status       int
		}
	}{
		{atlas.AuthAPIKey, []struct {
			method, path string
			status       int
		}{{"GET", invites, 401}, {"GET", invites, 503}, {"GET", invites, 200}}},
		{atlas.AuthServiceAccount, []struct {
			method, path string
			status       int
		}{{"POST", tokenPath, 200}, {"GET", invites, 503}, {"GET", invites, 200}}},
		{atlas.AuthAccessToken, []struct {
			method, path string
			status       int
		}{{"GET", invites, 503}, {"GET", invites, 200}}},
	}
	for _, tt := range tests {
		t.Run(tt.mode.String(), func(t *testing.T) {
			m, srv := newMock(t)
			m.Script(mockatlas.Fault{Status: http.StatusServiceUnavailable})
			var out syncBuffer
			ctx, cancel := context.WithTimeout(tflogtest.RootLogger(context.Background(), &out), 20*time.Second)
			defer cancel()
			if _, err := newClient(t, testConfig(srv.URL, tt.mode)).ListInvitations(ctx, testOrgID, nil); err != nil {
				t.Fatal(err)
			}
			log := out.String()
			entries := logEntries(t, log)
			for _, w := range tt.want {
				e := findEntry(entries, "Atlas request", w.method, w.path, w.status)
				if e == nil {
					t.Errorf("no \"Atlas request\" line for %s %s %d in:\n%s", w.method, w.path, w.status, log)
					continue
				}
				if e["@module"] != "provider.atlas" {
					t.Errorf("line logged by %v, want the atlas subsystem", e["@module"])
				}
				if id, _ := e["request_id"].(string); id == "" {
					t.Errorf("%s %s %d: no request_id", w.method, w.path, w.status)
				}
				if _, ok := e["duration_ms"]; !ok {
					t.Errorf("%s %s %d: no duration_ms", w.method, w.path, w.status)
				}
			}
			if e := findEntry(entries, "Atlas request", "GET", invites, 200); e != nil && e["attempt"] != float64(2) {
				t.Errorf("the successful attempt logged attempt %v, want 2", e["attempt"])
			}
			if e := findEntry(entries, "Retrying Atlas request", "GET", invites, 0); e == nil {
				t.Errorf("no \"Retrying Atlas request\" line in:\n%s", log)
			} else if e["attempt"] != float64(2) {
				t.Errorf("the retry logged attempt %v, want 2", e["attempt"])
			}
			assertCleanLog(t, log)
		})
	}
}

// Failures log too, and still no secret: a wrong private key, a wrong client
// secret, an unknown access token, and a refused connection.
func TestLoggingFailures(t *testing.T) {
	tests := []struct {
		name   string
		mode   atlas.AuthMode
		config func(*atlas.Config)
		msg    string
	}{
		{"wrong private key", atlas.AuthAPIKey, func(c *atlas.Config) { c.PrivateKey = "wrong-" + testPrivateKey }, "Atlas request"},
		{"wrong client secret", atlas.AuthServiceAccount, func(c *atlas.Config) { c.ClientSecret = "wrong-" + testClientSecret }, "Atlas request"},
		{"unknown access token", atlas.AuthAccessToken, func(c *atlas.Config) { c.AccessToken = "wrong-" + testAccessToken }, "Atlas request"},
		{"connection reset", atlas.AuthAPIKey, nil, "Atlas request failed"},
	}
	reset := resettingURL(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, srv := newMock(t)
			cfg := testConfig(srv.URL, tt.mode)
			if tt.config != nil {
				tt.config(&cfg)
			} else {
				cfg.BaseURL = reset
			}
			var out syncBuffer
			ctx := tflogtest.RootLogger(context.Background(), &out)
			if _, err := newClient(t, cfg).ListInvitations(ctx, testOrgID, nil); err == nil {
				t.Fatal("want an error")
			}
			log := out.String()
			if !strings.Contains(log, tt.msg) {
				t.Errorf("no %q line in:\n%s", tt.msg, log)
			}
			assertCleanLog(t, log)
			// The wrong secrets, too.
			for _, s := range []string{cfg.PrivateKey, cfg.ClientSecret, cfg.AccessToken} {
				if strings.Contains(log, s) {
					t.Errorf("the log contains %q", s)
				}
			}
		})
	}
}

// LogContext masks this client's secrets and any Authorization value in what
// other code logs with the context it returns.
func TestLogContextMasks(t *testing.T) {
	var out syncBuffer
	c := newClient(t, testConfig("http://127.0.0.1:1", atlas.AuthAPIKey))
	ctx := c.LogContext(tflogtest.RootLogger(context.Background(), &out))
	for _, s := range allSecrets {
		tflog.SubsystemDebug(ctx, atlas.LogSubsystem, "message with "+s, map[string]any{"field": "value " + s})
		tflog.Debug(ctx, "root message with "+s, map[string]any{"field": s})
	}
	// Each header value with the pieces of it that must not survive: every
	// parameter of the digest answer, not only its scheme.
	headers := []struct {
		value  string
		pieces []string
	}{
		{
			`Digest username="pubkey01", realm="MMS Public API", nonce="n0nce-7c1e", uri="/api/atlas/v2/orgs/x", ` +
				`algorithm=MD5, response="0123abcd9876", qop=auth, nc=00000001, cnonce="cn0nce-55aa"`,
			[]string{"Digest ", "username=", "pubkey01", "MMS Public API", "n0nce-7c1e", "/api/atlas/v2/orgs/x",
				"algorithm=MD5", "0123abcd9876", "qop=auth", "nc=00000001", "cn0nce-55aa"},
		},
		{"Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig", []string{"Bearer ", "eyJhbGciOiJIUzI1NiJ9", "payload.sig"}},
		{"Basic bWRiX3NhOnNlY3JldA==", []string{"Basic ", "bWRiX3NhOnNlY3JldA"}},
	}
	for _, h := range headers {
		tflog.SubsystemTrace(ctx, atlas.LogSubsystem, "header: "+h.value, map[string]any{"Authorization": h.value})
	}
	log := out.String()
	if n := len(logEntries(t, log)); n != 3*2+len(headers) {
		t.Errorf("%d log lines, want %d (masking must not drop lines)", n, 3*2+len(headers))
	}
	assertNoSecret(t, "the masked log", log)
	for _, h := range headers {
		for _, piece := range h.pieces {
			if strings.Contains(log, piece) {
				t.Errorf("the masked log keeps %q of the header value %q:\n%s", piece, h.value, log)
			}
		}
	}
}
