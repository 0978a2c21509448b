package atlas_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// Test credentials. The secret values are distinctive so that a test can
// search any output for them; none is a real credential.
const (
	testOrgID        = "5f0c0ffee0c0ffee0c0ffee0"
	unknownOrgID     = "0123456789abcdef01234567"
	testPublicKey    = "pubkeyab" // the shape of an Atlas public key: 8 lower-case letters
	testPrivateKey   = "privkey-SECRET-7f3a9c11"
	testClientID     = "mdb_sa_id_0a1b2c3d4e5f60718293a4b5"
	testClientSecret = "mdb_sa_sk_SECRET-b81e90aa"
	testAccessToken  = "acctok-SECRET-44d2e7f0"
	testUserAgent    = "terraform-provider-atlasinv/test Terraform/1.8.5"

	tokenPath = "/api/oauth/token"
)

// allSecrets are every secret a test config carries.
var allSecrets = []string{testPrivateKey, testClientSecret, testAccessToken}

// newMock starts a mock with every test credential and one organization with
// one invitation. It is closed when the test ends.
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

// testConfig is a fast-retrying config for mode against baseURL. It carries
// every secret whatever the mode, so that secret checks cover all of them.
func testConfig(baseURL string, mode atlas.AuthMode) atlas.Config {
	return atlas.Config{
		BaseURL:          baseURL,
		Mode:             mode,
		PublicKey:        testPublicKey,
		PrivateKey:       testPrivateKey,
		ClientID:         testClientID,
		ClientSecret:     testClientSecret,
		AccessToken:      testAccessToken,
		CredentialSource: "provider block",
		UserAgent:        testUserAgent,
		MaxRetries:       1,
		RetryWaitMin:     time.Millisecond,
		RetryWaitMax:     5 * time.Millisecond,
	}
}

var allModes = []atlas.AuthMode{atlas.AuthAPIKey, atlas.AuthServiceAccount, atlas.AuthAccessToken}

func newClient(t *testing.T, cfg atlas.Config) *atlas.Client {
	t.Helper()
	c, err := atlas.NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

// list calls ListInvitations with a deadline so that a hanging client fails
// the test instead of the whole run.
func list(t *testing.T, c *atlas.Client, orgID string) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := c.ListInvitations(ctx, orgID, nil)
	return err
}

// asAtlasError fails the test unless err is an *atlas.Error.
func asAtlasError(t *testing.T, err error) *atlas.Error {
	t.Helper()
	if err == nil {
		t.Fatal("got no error, want an *atlas.Error")
	}
	var ae *atlas.Error
	if !errors.As(err, &ae) {
		t.Fatalf("error %T %q is not an *atlas.Error", err, err)
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

// errorTexts are every text of a failed call a caller could show or log:
// the error's line, its facts, Atlas's own words, the start of a body, and
// the whole struct, so that a secret in any field is found.
func errorTexts(err error, e *atlas.Error) []string {
	return []string{err.Error(), e.Error(), e.Facts(), e.AtlasDetail, e.BodyStart, fmt.Sprintf("%+v", *e)}
}

// hasFact fails the test when a fact of an error (named for the message) is
// not the one wanted.
func hasFact[T comparable](t *testing.T, name string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %#v, want %#v", name, got, want)
	}
}

// count returns how many recorded requests match.
func count(m *mockatlas.Server, match func(mockatlas.Request) bool) int {
	n := 0
	for _, r := range m.Requests() {
		if match(r) {
			n++
		}
	}
	return n
}

func isTokenRequest(r mockatlas.Request) bool {
	return r.Method == http.MethodPost && r.Path == tokenPath
}

func isAPIRequest(r mockatlas.Request) bool {
	return strings.HasPrefix(r.Path, "/api/atlas/v2/")
}
