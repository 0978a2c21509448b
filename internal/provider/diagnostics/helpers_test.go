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

// Test credentials: distinctive values a test can search any output for;
// none is a real credential.
const (
	testOrgID        = "5f0c0ffee0c0ffee0c0ffee0"
	unknownOrgID     = "0123456789abcdef01234567"
	testPublicKey    = "pubkeyab" // the shape of an Atlas public key: 8 lower-case letters
	testPrivateKey   = "privkey-SECRET-7f3a9c11"
	testClientID     = "mdb_sa_id_0a1b2c3d4e5f60718293a4b5"
	testClientSecret = "mdb_sa_sk_SECRET-b81e90aa"
	testAccessToken  = "acctok-SECRET-44d2e7f0"
)

var allSecrets = []string{testPrivateKey, testClientSecret, testAccessToken}

// newMock starts a mock with every test credential and one organization
// with one invitation, closed when the test ends.
func newMock(t *testing.T) (*mockatlas.Server, *httptest.Server) {
	t.Helper()
	m := mockatlas.New()
	m.AddAPIKey(testPublicKey, testPrivateKey)
	m.AddServiceAccount(testClientID, testClientSecret)
	m.AddAccessToken(testAccessToken)
	m.AddOrg(testOrgID, mockatlas.Invitation{
		ID: "6634f290a54dca182530bb1d", OrgID: testOrgID, OrgName: "Test-Org",
		Username: "dave@example.net", Roles: []string{"ORG_READ_ONLY"},
	})
	srv := m.Start()
	t.Cleanup(srv.Close)
	return m, srv
}

// testConfig is a fast-retrying config for mode against baseURL, carrying
// every secret whatever the mode.
func testConfig(baseURL string, mode atlas.AuthMode) atlas.Config {
	return atlas.Config{
		BaseURL: baseURL, Mode: mode,
		PublicKey: testPublicKey, PrivateKey: testPrivateKey,
		ClientID: testClientID, ClientSecret: testClientSecret, AccessToken: testAccessToken,
		CredentialSource: "provider block",
		MaxRetries:       1, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
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
