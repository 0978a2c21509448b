package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlasapi"
)

// authCapture remembers every credential that crossed the wire, so a test
// can look for them where they must never be: the logs. It also plays a
// misbehaving proxy that echoes the request's Authorization value in the
// request-id header of the answer, which the provider logs: so a credential
// really reaches a log call, and only masking keeps it out of the log.
type authCapture struct {
	mu     sync.Mutex
	values map[string]bool
}

var digestResponse = regexp.MustCompile(`response="([0-9a-f]+)"`)

func (c *authCapture) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h := r.Header.Get("Authorization"); h != "" {
			c.mu.Lock()
			scheme, value, _ := strings.Cut(h, " ")
			switch scheme {
			case "Bearer", "Basic":
				c.values[value] = true
			case "Digest":
				if m := digestResponse.FindStringSubmatch(value); m != nil {
					c.values[m[1]] = true
				}
			}
			c.mu.Unlock()
			w = &echoAuthorization{ResponseWriter: w, value: h}
		}
		next.ServeHTTP(w, r)
	})
}

// echoAuthorization sets the request-id header of the answer to the
// request's Authorization value, over the mock's own id.
type echoAuthorization struct {
	http.ResponseWriter
	value string
}

func (w *echoAuthorization) WriteHeader(code int) {
	w.Header().Set(atlasapi.RequestIDHeader, w.value)
	w.ResponseWriter.WriteHeader(code)
}

func (w *echoAuthorization) Write(b []byte) (int, error) {
	if w.Header().Get(atlasapi.RequestIDHeader) != w.value {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// TestAccLogging_traceLogHasNoSecrets runs a plan per auth mode with
// TF_LOG=TRACE into a file, then reads the file: it must hold the provider's
// Atlas request lines and none of the secrets, tokens or digest responses.
func TestAccLogging_traceLogHasNoSecrets(t *testing.T) {
	// The secrets come from the environment: plugin-testing itself logs the
	// configuration it writes, and that is the harness's log, not ours.
	modes := []struct {
		name string
		env  map[string]string
	}{
		{"api key", map[string]string{"MONGODB_ATLAS_PUBLIC_API_KEY": testPublicKey, "MONGODB_ATLAS_PRIVATE_API_KEY": testPrivateKey}},
		{"service account", map[string]string{"MONGODB_ATLAS_CLIENT_ID": testClientID, "MONGODB_ATLAS_CLIENT_SECRET": testClientSecret}},
		{"access token", map[string]string{"MONGODB_ATLAS_ACCESS_TOKEN": testAccessToken}},
	}
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			logPath := filepath.Join(t.TempDir(), "trace.log")
			t.Setenv("TF_LOG", "TRACE")
			t.Setenv("TF_ACC_LOG_PATH", logPath)

			mock := mockatlas.New()
			mock.AddAPIKey(testPublicKey, testPrivateKey)
			mock.AddServiceAccount(testClientID, testClientSecret)
			mock.AddAccessToken(testAccessToken)
			mock.AddOrg(testOrgID, inviteFull)
			capture := &authCapture{values: map[string]bool{}}
			srv := httptest.NewServer(capture.wrap(mock))
			t.Cleanup(srv.Close)

			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(mode.env),
				Steps: []resource.TestStep{{
					Config: fmt.Sprintf(`
provider "atlasinv" {
  base_url = %q
}
data "atlasinv_org_invites" "test" {
  org_id = %q
}`, srv.URL, testOrgID),
				}},
			})

			raw, err := os.ReadFile(logPath)
			if err != nil {
				t.Fatal(err)
			}
			log := string(raw)
			if !strings.Contains(log, "Atlas request") || !strings.Contains(log, `"@module":"atlasinv.atlas"`) && !strings.Contains(log, "atlasinv.atlas") {
				t.Fatalf("the trace log (%d bytes) has no Atlas request lines: the test would prove nothing", len(raw))
			}
			secrets := []string{testPrivateKey, testClientSecret, testAccessToken}
			capture.mu.Lock()
			for v := range capture.values {
				secrets = append(secrets, v)
			}
			capture.mu.Unlock()
			if len(secrets) < 4 {
				t.Fatalf("captured no credential from the wire")
			}
			for _, s := range secrets {
				if strings.Contains(log, s) {
					t.Errorf("the trace log contains a secret (%d chars starting %q)", len(s), s[:4])
				}
			}
			// The echoed credentials did reach the log, masked: otherwise
			// the checks above would prove nothing about masking.
			if !strings.Contains(log, `request_id="***"`) {
				t.Errorf("the trace log has no masked request_id: the echoed credential never reached a log call")
			}
		})
	}
}
