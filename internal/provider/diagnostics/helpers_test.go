package diagnostics_test

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// The mock's demo organization and credentials, and an access token; none
// is a real credential.
const (
	testOrgID       = mockatlas.DemoOrgID
	unknownOrgID    = "0123456789abcdef01234567"
	testPublicKey   = "pubkeyab" // shaped like an Atlas public key, so messages show it
	testPrivateKey  = "privkey-SECRET-7f3a9c11"
	testClientID    = mockatlas.DemoClientID
	testAccessToken = "acctok-SECRET-44d2e7f0"
)

var allSecrets = []string{testPrivateKey, mockatlas.DemoClientSecret, testAccessToken}

// newMock starts the demo mock, which also takes testPublicKey and
// testAccessToken; it is closed when the test ends.
func newMock(t *testing.T) (*mockatlas.Server, *httptest.Server) {
	t.Helper()
	m := mockatlas.New()
	m.LoadDemo()
	m.AddAPIKey(testPublicKey, testPrivateKey)
	m.AddAccessToken(testAccessToken)
	srv := m.Start()
	t.Cleanup(srv.Close)
	return m, srv
}

// testConfig is a fast-retrying config for mode against baseURL.
func testConfig(baseURL string, mode atlas.AuthMode) atlas.Config {
	return atlas.Config{
		BaseURL: baseURL, Mode: mode, CredentialSource: "provider block",
		PublicKey: testPublicKey, PrivateKey: testPrivateKey,
		ClientID: testClientID, ClientSecret: mockatlas.DemoClientSecret, AccessToken: testAccessToken,
		MaxRetries: 1, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
	}
}

// asAtlasError fails the test unless err is an *atlas.Error.
func asAtlasError(t *testing.T, err error) *atlas.Error {
	t.Helper()
	var ae *atlas.Error
	if !errors.As(err, &ae) {
		t.Fatalf("error %T %v is not an *atlas.Error", err, err)
	}
	return ae
}

// assertNoSecret fails when any secret appears in any of texts.
func assertNoSecret(t *testing.T, what string, texts ...string) {
	t.Helper()
	for _, text := range texts {
		for _, s := range allSecrets {
			if strings.Contains(text, s) {
				t.Errorf("%s contains the secret %q:\n%s", what, s, text)
			}
		}
	}
}

func newClient(t *testing.T, cfg atlas.Config) *atlas.Client {
	t.Helper()
	c, err := atlas.NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}
