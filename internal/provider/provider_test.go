package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// Credentials the test Atlas knows. The secrets are distinctive so a test can
// search logs and messages for them.
const (
	testOrgID        = "5f0c0ffee0c0ffee0c0ffee0"
	testPublicKey    = "testpubkey"
	testPrivateKey   = "priv-7c1d2e3f-secret-digest-key"
	testClientID     = "mdb_sa_id_0123456789abcdef01234567"
	testClientSecret = "mdb_sa_sk_secret-client-secret-value"
	testAccessToken  = "static-access-token-secret-value"
)

// allCredentialEnvs are every variable the provider reads, so that a test can
// make sure none leaks in from the machine running it.
var allCredentialEnvs = []string{
	"MONGODB_ATLAS_PUBLIC_API_KEY", "MONGODB_ATLAS_PUBLIC_KEY", "MCLI_PUBLIC_API_KEY",
	"MONGODB_ATLAS_PRIVATE_API_KEY", "MONGODB_ATLAS_PRIVATE_KEY", "MCLI_PRIVATE_API_KEY",
	"MONGODB_ATLAS_CLIENT_ID", "MONGODB_ATLAS_CLIENT_SECRET", "MONGODB_ATLAS_ACCESS_TOKEN",
	"MONGODB_ATLAS_BASE_URL", "MCLI_OPS_MANAGER_URL",
}

// newTestAtlas starts a mock Atlas of the test's own, knowing every test
// credential, and stops it when the test ends.
func newTestAtlas(t *testing.T, invites ...mockatlas.Invitation) (*mockatlas.Server, string) {
	t.Helper()
	m := mockatlas.New()
	m.AddAPIKey(testPublicKey, testPrivateKey)
	m.AddServiceAccount(testClientID, testClientSecret)
	m.AddAccessToken(testAccessToken)
	m.AddOrg(testOrgID, invites...)
	srv := m.Start()
	t.Cleanup(srv.Close)
	return m, srv.URL
}

// factories serves the provider in-process with env as its whole
// environment, so tests neither see nor need the machine's variables.
func factories(env map[string]string) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"atlasinv": func() (tfprotov6.ProviderServer, error) {
			return providerserver.NewProtocol6WithError(&atlasinvProvider{version: "test", getenv: envOf(env)})()
		},
	}
}

// digestProvider is a provider block with an API key in attributes.
func digestProvider(baseURL string, extra ...string) string {
	return fmt.Sprintf(`
provider "atlasinv" {
  base_url    = %q
  public_key  = %q
  private_key = %q
  %s
}
`, baseURL, testPublicKey, testPrivateKey, strings.Join(extra, "\n  "))
}

// errorText matches a diagnostic whatever way Terraform wraps its lines:
// words match across any white space, and "..." stands for anything.
func errorText(text string) *regexp.Regexp {
	var pieces []string
	for _, piece := range strings.Split(text, "...") {
		words := strings.Fields(piece)
		for i, w := range words {
			words[i] = regexp.QuoteMeta(w)
		}
		pieces = append(pieces, strings.Join(words, `\s+`))
	}
	return regexp.MustCompile(`(?s)` + strings.Join(pieces, `.*`))
}

// apiRequests are the requests the mock answered on the invitations API,
// challenges included.
func apiRequests(m *mockatlas.Server) []mockatlas.Request {
	var out []mockatlas.Request
	for _, r := range m.Requests() {
		if strings.HasPrefix(r.Path, "/api/atlas/v2/") {
			out = append(out, r)
		}
	}
	return out
}

func countRequests(m *mockatlas.Server, keep func(mockatlas.Request) bool) int {
	n := 0
	for _, r := range m.Requests() {
		if keep(r) {
			n++
		}
	}
	return n
}
