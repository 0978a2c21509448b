package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"go.mongodb.org/atlas-sdk/v20241113001/admin"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas/atlasspec"
)

// Helpers that more than one test file of the package uses. A helper that
// only one file uses stays in that file.

// Credentials the test Atlas knows. The secrets are distinctive so a test can
// search logs and messages for them.
const (
	testOrgID        = "5f0c0ffee0c0ffee0c0ffee0"
	testPublicKey    = "testpubk" // an Atlas public key's shape: 8 lower-case letters
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

// Invitation fixtures, given to the mock out of order on purpose.
var (
	inviteFull = mockatlas.Invitation{
		ID: "6a0000000000000000000a01", OrgID: testOrgID, OrgName: "Acme-Corp",
		Username: "a+b@example.com", InviterUsername: "owner@example.com",
		CreatedAt: "2024-05-01T10:00:00Z", ExpiresAt: "2024-05-31T10:00:00Z",
		Roles:   []string{"ORG_MEMBER", "ORG_BILLING_ADMIN"},
		TeamIDs: []string{"6b0000000000000000000b02", "6b0000000000000000000b01"},
		GroupRoleAssignments: []mockatlas.GroupRole{
			{GroupID: "6c0000000000000000000c01", GroupRole: "GROUP_READ_ONLY"},
			{GroupID: "6c0000000000000000000c02", GroupRole: "GROUP_DATA_ACCESS_ADMIN"},
		},
	}
	inviteRolesOnly = mockatlas.Invitation{
		ID: "6a0000000000000000000a02", OrgID: testOrgID, OrgName: "Acme-Corp",
		Username: "carol@example.com", InviterUsername: "owner@example.com",
		CreatedAt: "2024-05-02T08:30:00Z", ExpiresAt: "2024-06-01T08:30:00Z",
		Roles: []string{"ORG_OWNER"},
	}
	inviteMinimal = mockatlas.Invitation{
		ID: "6a0000000000000000000a03", OrgID: testOrgID, OrgName: "Acme-Corp", Username: "dave@example.com",
	}
)

// emptySet expects an empty set: what an array Atlas leaves out becomes.
func emptySet() knownvalue.Check { return knownvalue.SetExact([]knownvalue.Check{}) }

// newTestAtlas starts a mock Atlas of the test's own, knowing every test
// credential, and stops it when the test ends.
func newTestAtlas(t *testing.T, invites ...mockatlas.Invitation) (*mockatlas.Server, string) {
	t.Helper()
	checkFixtures(t, invites...)
	m := mockatlas.New()
	m.AddAPIKey(testPublicKey, testPrivateKey)
	m.AddServiceAccount(testClientID, testClientSecret)
	m.AddAccessToken(testAccessToken)
	m.AddOrg(testOrgID, invites...)
	srv := m.Start()
	t.Cleanup(srv.Close)
	return m, srv.URL
}

// checkFixtures fails the test when it would serve an invitation Atlas could
// not send: each is validated against the schema OrganizationInvitation of
// the SDK's OpenAPI document, as the mock's own fixtures are.
func checkFixtures(t *testing.T, invites ...mockatlas.Invitation) {
	t.Helper()
	doc, _, err := atlasspec.Load()
	if err != nil {
		t.Fatalf("Atlas OpenAPI document: %v", err)
	}
	for _, inv := range invites {
		if err := atlasspec.ValidateValue(doc, "OrganizationInvitation", inv); err != nil {
			t.Fatalf("test fixture %s is not an OrganizationInvitation as the Atlas OpenAPI document defines it: %v", inv.ID, err)
		}
	}
}

// testUsersPath is the path of the test organization's users list.
const testUsersPath = "/api/atlas/v2/orgs/" + testOrgID + "/users"

// newUsersAtlas is newTestAtlas with users in the test organization.
func newUsersAtlas(t *testing.T, users ...mockatlas.User) (*mockatlas.Server, string) {
	t.Helper()
	mock, url := newTestAtlas(t)
	mock.AddUsers(testOrgID, users...)
	return mock, url
}

// factories serves the provider in-process with env as its whole
// environment, so tests neither see nor need the machine's variables.
func factories(env map[string]string) map[string]func() (tfprotov6.ProviderServer, error) {
	return factoriesInto(nil, env)
}

// factoriesInto is factories with every diagnostic of the provider's
// answers also given to sink, when not nil (see golden_test.go).
func factoriesInto(sink *diagSink, env map[string]string) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"atlasinv": func() (tfprotov6.ProviderServer, error) {
			return sink.recorded(providerserver.NewProtocol6WithError(&atlasinvProvider{version: "test", getenv: envOf(env), environ: environOf(env)})())
		},
	}
}

// processProvider serves the provider the way Terraform starts it: it reads
// the real process environment.
func processProvider() map[string]func() (tfprotov6.ProviderServer, error) {
	serve := providerserver.NewProtocol6WithError(New("test")())
	return map[string]func() (tfprotov6.ProviderServer, error){
		"atlasinv": func() (tfprotov6.ProviderServer, error) { return recorded(serve()) },
	}
}

// clearCredentialEnv empties, for the test, every variable the provider
// reads, so that none leaks in from the machine running it.
func clearCredentialEnv(t *testing.T) {
	for _, name := range allCredentialEnvs {
		t.Setenv(name, "")
	}
}

// envOf is a getenv that reads kv alone.
func envOf(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

// environOf is an environ that lists kv alone, as os.Environ would.
func environOf(kv map[string]string) func() []string {
	return func() []string {
		var out []string
		for k, v := range kv {
			out = append(out, k+"="+v)
		}
		return out
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

// credentialBlocks are the provider's auth modes, as provider block lines.
var credentialBlocks = []struct{ name, block string }{
	{"api key", fmt.Sprintf("public_key = %q\n  private_key = %q", testPublicKey, testPrivateKey)},
	{"service account", fmt.Sprintf("client_id = %q\n  client_secret = %q", testClientID, testClientSecret)},
	{"access token", fmt.Sprintf("access_token = %q", testAccessToken)},
}

// providerWith is a provider block for url with the given credential lines
// and any extra lines.
func providerWith(url, block string, extra ...string) string {
	return fmt.Sprintf("provider \"atlasinv\" {\n  base_url = %q\n  %s\n  %s\n}\n", url, block, strings.Join(extra, "\n  "))
}

// listConfig reads atlasinv_org_invites for testOrgID with an API key,
// providerExtra lines added to the provider block.
func listConfig(url string, providerExtra ...string) string {
	return digestProvider(url, providerExtra...) + fmt.Sprintf(`
data "atlasinv_org_invites" "test" {
  org_id = %q
}`, testOrgID)
}

// invitesData is an atlasinv_org_invites block; %q is the organization id.
const invitesData = `
data "atlasinv_org_invites" "test" {
  org_id = %q
}`

// dataSourceConfigs read each data source; the invitations list first.
var dataSourceConfigs = []struct{ name, config string }{
	{"org_invites", fmt.Sprintf("data \"atlasinv_org_invites\" \"test\" {\n  org_id = %q\n}\n", testOrgID)},
	{"org_invite", fmt.Sprintf("data \"atlasinv_org_invite\" \"test\" {\n  org_id = %q\n  invitation_id = %q\n}\n", testOrgID, inviteFull.ID)},
	{"org_users", fmt.Sprintf("data \"atlasinv_org_users\" \"test\" {\n  org_id = %q\n}\n", testOrgID)},
}

// usersBlock is an atlasinv_org_users block for the test organization.
func usersBlock(name string, args ...string) string {
	return fmt.Sprintf("data \"atlasinv_org_users\" %q {\n  org_id = %q\n  %s\n}\n", name, testOrgID, strings.Join(args, "\n  "))
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

// countRequests counts the requests the mock recorded that keep accepts.
func countRequests(m *mockatlas.Server, keep func(mockatlas.Request) bool) int {
	n := 0
	for _, r := range m.Requests() {
		if keep(r) {
			n++
		}
	}
	return n
}

// authenticatedStatuses lists what the mock answered to each signed request.
func authenticatedStatuses(m *mockatlas.Server) []int {
	var out []int
	for _, r := range apiRequests(m) {
		if r.Authenticated {
			out = append(out, r.Status)
		}
	}
	return out
}

// usersPages are the signed page requests the mock answered.
func usersPages(m *mockatlas.Server) []mockatlas.Request {
	var out []mockatlas.Request
	for _, r := range m.Requests() {
		if r.Path == testUsersPath && r.Authenticated {
			out = append(out, r)
		}
	}
	return out
}

// distinctUserIDs checks that state holds each of want's ids exactly once.
func distinctUserIDs(s *terraform.State, address string, want []mockatlas.User) error {
	rs, ok := s.RootModule().Resources[address]
	if !ok {
		return fmt.Errorf("%s not in state", address)
	}
	attrs := rs.Primary.Attributes
	n, _ := strconv.Atoi(attrs["users.#"])
	seen := map[string]bool{}
	for i := range n {
		id := attrs[fmt.Sprintf("users.%d.id", i)]
		if seen[id] {
			return fmt.Errorf("user %s is in state twice", id)
		}
		seen[id] = true
	}
	for _, u := range want {
		if !seen[u.ID] {
			return fmt.Errorf("user %s (%s) is missing from state", u.ID, u.Username)
		}
	}
	return nil
}

// newProtoServer is an in-process provider server with env as its whole
// environment, and its schemas.
func newProtoServer(t testing.TB, env map[string]string) (tfprotov6.ProviderServer, *tfprotov6.GetProviderSchemaResponse) {
	t.Helper()
	server, err := recorded(providerserver.NewProtocol6WithError(&atlasinvProvider{version: "test", getenv: envOf(env), environ: environOf(env)})())
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return server, schemas
}

// configValue is a configuration of schema s as Terraform sends it: the
// given attributes set (strings, or []tftypes.Value for a set), every other
// attribute null.
func configValue[V any](t testing.TB, s *tfprotov6.Schema, set map[string]V) *tfprotov6.DynamicValue {
	t.Helper()
	typ, ok := s.ValueType().(tftypes.Object)
	if !ok {
		t.Fatalf("schema type is %T", s.ValueType())
	}
	attrs := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		attrs[name] = tftypes.NewValue(at, nil)
		if v, ok := set[name]; ok {
			attrs[name] = tftypes.NewValue(at, v)
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, attrs))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// protoServer configures an in-process provider server the way Terraform
// would, for tests that need to see every diagnostic (plugin-testing shows
// errors only).
func protoServer(t testing.TB, providerAttrs map[string]string) (tfprotov6.ProviderServer, *tfprotov6.GetProviderSchemaResponse) {
	t.Helper()
	ctx := context.Background()
	server, schemas := newProtoServer(t, nil)
	config := configValue(t, schemas.Provider, providerAttrs)
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: config, TerraformVersion: "1.8.5"})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("configure: %v %v", err, resp.Diagnostics)
	}
	return server, schemas
}

// readInvites reads atlasinv_org_invites for testOrgID and returns its
// diagnostics.
func readInvites(t *testing.T, server tfprotov6.ProviderServer, schemas *tfprotov6.GetProviderSchemaResponse) []*tfprotov6.Diagnostic {
	t.Helper()
	return readDataSource(t, server, schemas, "atlasinv_org_invites", map[string]string{"org_id": testOrgID})
}

// readDataSource reads a data source with the given string arguments (the
// others null) and returns its diagnostics.
func readDataSource(t testing.TB, server tfprotov6.ProviderServer, schemas *tfprotov6.GetProviderSchemaResponse,
	typeName string, args map[string]string) []*tfprotov6.Diagnostic {
	t.Helper()
	config := configValue(t, schemas.DataSourceSchemas[typeName], args)
	resp, err := server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{
		TypeName: typeName, Config: config,
	})
	if err != nil {
		t.Error(err)
		return nil
	}
	return resp.Diagnostics
}

// decodeInvites parses JSON the way the SDK does for this endpoint.
func decodeInvites(t testing.TB, body string) []admin.OrganizationInvitation {
	t.Helper()
	var out []admin.OrganizationInvitation
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("decoding fixture: %v", err)
	}
	return out
}

// str is a known tftypes string.
func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

// strSet is a known set of strings.
func strSet(items ...string) tftypes.Value {
	elems := make([]tftypes.Value, len(items))
	for i, s := range items {
		elems[i] = str(s)
	}
	return tftypes.NewValue(stringSetType, elems)
}

// benchSizes are the list lengths the conversion benchmarks measure.
var benchSizes = []int{1, 1000, 10000}
