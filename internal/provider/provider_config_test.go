package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
)

// emptyModel is a provider block with nothing set.
func emptyModel() providerModel {
	return providerModel{
		PublicKey: types.StringNull(), PrivateKey: types.StringNull(),
		ClientID: types.StringNull(), ClientSecret: types.StringNull(),
		AccessToken: types.StringNull(), BaseURL: types.StringNull(),
		RequestTimeout: types.StringNull(), MaxRetries: types.Int64Null(),
	}
}

func TestResolveConfig(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t-value-never-shown"
	tests := []struct {
		name   string
		model  func(m *providerModel)
		env    map[string]string
		want   atlas.Config // only the fields compared below
		source string       // CredentialSource, exactly
		warn   string       // substring of a warning's detail; "" for no warning
	}{
		{
			name: "api key from attributes",
			model: func(m *providerModel) {
				m.PublicKey, m.PrivateKey = types.StringValue("pub"), types.StringValue(secret)
			},
			want: atlas.Config{Mode: atlas.AuthAPIKey, PublicKey: "pub", PrivateKey: secret, BaseURL: atlas.DefaultBaseURL,
				BaseURLSource: "the default, as none of base_url, MONGODB_ATLAS_BASE_URL and MCLI_OPS_MANAGER_URL is set"},
			source: "the provider attributes public_key and private_key",
		},
		{
			name:  "a misspelt variable is warned about, by name only",
			model: func(m *providerModel) { m.AccessToken = types.StringValue("token") },
			env:   map[string]string{"MONGODB_ATLAS_BASE_URLL": secret, "MONGODB_ATLAS_ORG_ID": secret, "MCLI_PROFILE": secret},
			want: atlas.Config{Mode: atlas.AuthAccessToken, AccessToken: "token", BaseURL: atlas.DefaultBaseURL,
				BaseURLSource: "the default, as none of base_url, MONGODB_ATLAS_BASE_URL and MCLI_OPS_MANAGER_URL is set"},
			source: "the provider attribute access_token",
			warn: "MONGODB_ATLAS_BASE_URLL is set but atlasinv does not read it; did you mean MONGODB_ATLAS_BASE_URL? " +
				"Rename it if it is meant for atlasinv.",
		},
		{
			name:  "a reverse proxy's prefix is kept",
			model: func(m *providerModel) { m.AccessToken = types.StringValue("token") },
			env:   map[string]string{"MONGODB_ATLAS_BASE_URL": "https://proxy.example.com/atlas/"},
			want: atlas.Config{Mode: atlas.AuthAccessToken, AccessToken: "token", BaseURL: "https://proxy.example.com/atlas",
				BaseURLSource: "the environment variable MONGODB_ATLAS_BASE_URL"},
			source: "the provider attribute access_token",
		},
		{
			name:   "api key from the first environment names",
			env:    map[string]string{"MONGODB_ATLAS_PUBLIC_API_KEY": "pub", "MONGODB_ATLAS_PRIVATE_API_KEY": secret},
			want:   atlas.Config{Mode: atlas.AuthAPIKey, PublicKey: "pub", PrivateKey: secret, BaseURL: atlas.DefaultBaseURL},
			source: "the environment variables MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY",
		},
		{
			name:   "api key from the CLI's environment names",
			env:    map[string]string{"MCLI_PUBLIC_API_KEY": "pub", "MCLI_PRIVATE_API_KEY": secret},
			want:   atlas.Config{Mode: atlas.AuthAPIKey, PublicKey: "pub", PrivateKey: secret, BaseURL: atlas.DefaultBaseURL},
			source: "the environment variables MCLI_PUBLIC_API_KEY and MCLI_PRIVATE_API_KEY",
		},
		{
			name: "earlier environment name wins",
			env: map[string]string{
				"MONGODB_ATLAS_PUBLIC_KEY": "second", "MONGODB_ATLAS_PUBLIC_API_KEY": "first", "MCLI_PUBLIC_API_KEY": "third",
				"MONGODB_ATLAS_PRIVATE_KEY": secret, "MCLI_PRIVATE_API_KEY": "third-secret",
			},
			want:   atlas.Config{Mode: atlas.AuthAPIKey, PublicKey: "first", PrivateKey: secret, BaseURL: atlas.DefaultBaseURL},
			source: "the environment variables MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_KEY",
		},
		{
			name: "attributes beat the environment as a whole pair",
			model: func(m *providerModel) {
				m.PublicKey, m.PrivateKey = types.StringValue("attr"), types.StringValue(secret)
			},
			env:    map[string]string{"MONGODB_ATLAS_PUBLIC_API_KEY": "env", "MONGODB_ATLAS_PRIVATE_API_KEY": "envsecret"},
			want:   atlas.Config{Mode: atlas.AuthAPIKey, PublicKey: "attr", PrivateKey: secret, BaseURL: atlas.DefaultBaseURL},
			source: "the provider attributes public_key and private_key",
		},
		{
			name:   "service account from environment",
			env:    map[string]string{"MONGODB_ATLAS_CLIENT_ID": "mdb_sa_id_1", "MONGODB_ATLAS_CLIENT_SECRET": secret},
			want:   atlas.Config{Mode: atlas.AuthServiceAccount, ClientID: "mdb_sa_id_1", ClientSecret: secret, BaseURL: atlas.DefaultBaseURL},
			source: "the environment variables MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET",
		},
		{
			name:   "access token from attribute",
			model:  func(m *providerModel) { m.AccessToken = types.StringValue(secret) },
			want:   atlas.Config{Mode: atlas.AuthAccessToken, AccessToken: secret, BaseURL: atlas.DefaultBaseURL},
			source: "the provider attribute access_token",
		},
		{
			name:   "access token attribute beats the token variable",
			model:  func(m *providerModel) { m.AccessToken = types.StringValue(secret) },
			env:    map[string]string{"MONGODB_ATLAS_ACCESS_TOKEN": "env-token"},
			want:   atlas.Config{Mode: atlas.AuthAccessToken, AccessToken: secret, BaseURL: atlas.DefaultBaseURL},
			source: "the provider attribute access_token",
		},
		{
			name: "access token wins over service account and api key in the environment, with a warning",
			env: map[string]string{
				"MONGODB_ATLAS_ACCESS_TOKEN": secret,
				"MONGODB_ATLAS_CLIENT_ID":    "mdb_sa_id_1", "MONGODB_ATLAS_CLIENT_SECRET": "x",
				"MONGODB_ATLAS_PUBLIC_API_KEY": "pub", "MONGODB_ATLAS_PRIVATE_API_KEY": "y",
			},
			want:   atlas.Config{Mode: atlas.AuthAccessToken, AccessToken: secret, BaseURL: atlas.DefaultBaseURL},
			source: "the environment variable MONGODB_ATLAS_ACCESS_TOKEN",
			warn: "The environment holds several credentials: an access token from the environment variable MONGODB_ATLAS_ACCESS_TOKEN; " +
				"a service account from the environment variables MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET; " +
				"an API key from the environment variables MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY. " +
				"The provider uses an access token from the environment variable MONGODB_ATLAS_ACCESS_TOKEN",
		},
		{
			name: "service account wins over api key in the environment, with a warning",
			env: map[string]string{
				"MONGODB_ATLAS_CLIENT_ID": "mdb_sa_id_1", "MONGODB_ATLAS_CLIENT_SECRET": secret,
				"MONGODB_ATLAS_PUBLIC_API_KEY": "pub", "MONGODB_ATLAS_PRIVATE_API_KEY": "y",
			},
			want:   atlas.Config{Mode: atlas.AuthServiceAccount, ClientID: "mdb_sa_id_1", ClientSecret: secret, BaseURL: atlas.DefaultBaseURL},
			source: "the environment variables MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET",
			warn:   "The provider uses a service account from the environment variables",
		},
		{
			name: "access token wins over api key in the block, with a warning",
			model: func(m *providerModel) {
				m.AccessToken = types.StringValue(secret)
				m.PublicKey, m.PrivateKey = types.StringValue("pub"), types.StringValue("y")
			},
			want:   atlas.Config{Mode: atlas.AuthAccessToken, AccessToken: secret, BaseURL: atlas.DefaultBaseURL},
			source: "the provider attribute access_token",
			warn:   "The provider block holds several credentials: an access token from the provider attribute access_token; an API key from",
		},
		// Source first, then mode: an alias with its own key uses it,
		// whatever is exported, and nothing warns.
		{
			name: "api key in the block beats an exported service account and access token",
			model: func(m *providerModel) {
				m.PublicKey, m.PrivateKey = types.StringValue("alias"), types.StringValue(secret)
			},
			env: map[string]string{
				"MONGODB_ATLAS_ACCESS_TOKEN": "env-token",
				"MONGODB_ATLAS_CLIENT_ID":    "mdb_sa_id_1", "MONGODB_ATLAS_CLIENT_SECRET": "x",
			},
			want:   atlas.Config{Mode: atlas.AuthAPIKey, PublicKey: "alias", PrivateKey: secret, BaseURL: atlas.DefaultBaseURL},
			source: "the provider attributes public_key and private_key",
		},
		{
			name: "service account in the block beats an exported access token",
			model: func(m *providerModel) {
				m.ClientID, m.ClientSecret = types.StringValue("mdb_sa_id_2"), types.StringValue(secret)
			},
			env:    map[string]string{"MONGODB_ATLAS_ACCESS_TOKEN": "env-token"},
			want:   atlas.Config{Mode: atlas.AuthServiceAccount, ClientID: "mdb_sa_id_2", ClientSecret: secret, BaseURL: atlas.DefaultBaseURL},
			source: "the provider attributes client_id and client_secret",
		},
		{
			name: "a half pair in the environment is ignored when the block holds credentials",
			model: func(m *providerModel) {
				m.PublicKey, m.PrivateKey = types.StringValue("alias"), types.StringValue(secret)
			},
			env:    map[string]string{"MONGODB_ATLAS_CLIENT_ID": "mdb_sa_id_1"},
			want:   atlas.Config{Mode: atlas.AuthAPIKey, PublicKey: "alias", PrivateKey: secret, BaseURL: atlas.DefaultBaseURL},
			source: "the provider attributes public_key and private_key",
		},
		{
			name: "base url from attribute beats the variables, trailing slash dropped, timeout and retries",
			model: func(m *providerModel) {
				m.AccessToken = types.StringValue(secret)
				m.BaseURL = types.StringValue("https://cloud.mongodbgov.com/")
				m.RequestTimeout = types.StringValue("5s")
				m.MaxRetries = types.Int64Value(0)
			},
			env: map[string]string{"MONGODB_ATLAS_BASE_URL": "https://env.example.com", "MCLI_OPS_MANAGER_URL": "https://mcli.example.com"},
			want: atlas.Config{Mode: atlas.AuthAccessToken, AccessToken: secret, BaseURL: "https://cloud.mongodbgov.com",
				BaseURLSource: "the provider attribute base_url", RequestTimeout: 5 * time.Second, MaxRetries: 0},
			source: "the provider attribute access_token",
		},
		{
			name:   "MONGODB_ATLAS_BASE_URL beats MCLI_OPS_MANAGER_URL",
			model:  func(m *providerModel) { m.AccessToken = types.StringValue(secret) },
			env:    map[string]string{"MCLI_OPS_MANAGER_URL": "https://mcli.example.com", "MONGODB_ATLAS_BASE_URL": "https://env.example.com"},
			want:   atlas.Config{Mode: atlas.AuthAccessToken, AccessToken: secret, BaseURL: "https://env.example.com"},
			source: "the provider attribute access_token",
		},
		{
			name:   "base url from the CLI's variable, http on loopback allowed",
			model:  func(m *providerModel) { m.AccessToken = types.StringValue(secret) },
			env:    map[string]string{"MCLI_OPS_MANAGER_URL": "http://127.0.0.1:8080"},
			want:   atlas.Config{Mode: atlas.AuthAccessToken, AccessToken: secret, BaseURL: "http://127.0.0.1:8080"},
			source: "the provider attribute access_token",
		},
		{
			name:   "http to localhost and ::1 allowed",
			model:  func(m *providerModel) { m.AccessToken = types.StringValue(secret) },
			env:    map[string]string{"MONGODB_ATLAS_BASE_URL": "http://[::1]:9000"},
			want:   atlas.Config{Mode: atlas.AuthAccessToken, AccessToken: secret, BaseURL: "http://[::1]:9000"},
			source: "the provider attribute access_token",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := emptyModel()
			if tt.model != nil {
				tt.model(&m)
			}
			got, diags := resolveConfig(m, envOf(tt.env), setEnvNames(environOf(tt.env)()))
			if diags.HasError() {
				t.Fatalf("unexpected errors: %v", diags.Errors())
			}
			if got.Mode != tt.want.Mode || got.PublicKey != tt.want.PublicKey || got.PrivateKey != tt.want.PrivateKey ||
				got.ClientID != tt.want.ClientID || got.ClientSecret != tt.want.ClientSecret ||
				got.AccessToken != tt.want.AccessToken || got.BaseURL != tt.want.BaseURL {
				t.Errorf("got %+v\nwant %+v", redact(got), redact(tt.want))
			}
			wantTimeout, wantRetries := tt.want.RequestTimeout, tt.want.MaxRetries
			if wantTimeout == 0 {
				wantTimeout, wantRetries = atlas.DefaultRequestTimeout, atlas.DefaultMaxRetries
			}
			if got.RequestTimeout != wantTimeout || got.MaxRetries != wantRetries {
				t.Errorf("timeout/retries = %s/%d, want %s/%d", got.RequestTimeout, got.MaxRetries, wantTimeout, wantRetries)
			}
			if got.CredentialSource != tt.source {
				t.Errorf("CredentialSource = %q, want %q", got.CredentialSource, tt.source)
			}
			if tt.want.BaseURLSource != "" && got.BaseURLSource != tt.want.BaseURLSource {
				t.Errorf("BaseURLSource = %q, want %q", got.BaseURLSource, tt.want.BaseURLSource)
			}
			warnings := diagText(diags.Warnings())
			if tt.warn == "" && warnings != "" {
				t.Errorf("unexpected warnings: %s", warnings)
			}
			if tt.warn != "" && (len(diags.Warnings()) != 1 || !strings.Contains(warnings, tt.warn)) {
				t.Errorf("warnings %q do not contain %q", warnings, tt.warn)
			}
			if strings.Contains(warnings, secret) {
				t.Errorf("a warning shows a secret: %s", warnings)
			}
		})
	}
}

func TestResolveConfigErrors(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t-value-never-shown"
	tests := []struct {
		name  string
		model func(m *providerModel)
		env   map[string]string
		attr  string   // attribute the error points at, "" for a plain error
		want  []string // substrings of summary+detail
		never []string // besides secret, what no error may show
	}{
		{
			name: "no credentials at all",
			want: []string{"No Atlas Credentials", "MONGODB_ATLAS_ACCESS_TOKEN", "MONGODB_ATLAS_CLIENT_ID", "MONGODB_ATLAS_PUBLIC_API_KEY"},
		},
		{
			name:  "public_key without private_key",
			model: func(m *providerModel) { m.PublicKey = types.StringValue("pub") },
			env:   map[string]string{"MONGODB_ATLAS_PRIVATE_API_KEY": secret},
			attr:  "private_key",
			want:  []string{"Incomplete API Key", "public_key is set", "private_key is not", "never combined"},
		},
		{
			name:  "private_key without public_key",
			model: func(m *providerModel) { m.PrivateKey = types.StringValue(secret) },
			attr:  "public_key",
			want:  []string{"Incomplete API Key", "private_key is set", "MONGODB_ATLAS_PUBLIC_API_KEY"},
		},
		{
			name:  "client_id without client_secret",
			model: func(m *providerModel) { m.ClientID = types.StringValue("mdb_sa_id_1") },
			attr:  "client_secret",
			want:  []string{"Incomplete Service Account", "client_secret", "MONGODB_ATLAS_CLIENT_SECRET"},
		},
		{
			name:  "client_secret without client_id",
			model: func(m *providerModel) { m.ClientSecret = types.StringValue(secret) },
			attr:  "client_id",
			want:  []string{"Incomplete Service Account", "client_id", "MONGODB_ATLAS_CLIENT_ID"},
		},
		{
			name: "public key in the environment without its private key",
			env:  map[string]string{"MONGODB_ATLAS_PUBLIC_KEY": "pub"},
			want: []string{"Incomplete API Key", "MONGODB_ATLAS_PUBLIC_KEY is set", "MONGODB_ATLAS_PRIVATE_API_KEY"},
		},
		{
			name: "client secret in the environment without its id",
			env:  map[string]string{"MONGODB_ATLAS_CLIENT_SECRET": secret},
			want: []string{"Incomplete Service Account", "MONGODB_ATLAS_CLIENT_SECRET is set", "MONGODB_ATLAS_CLIENT_ID"},
		},
		{
			name: "service account id in public_key",
			model: func(m *providerModel) {
				m.PublicKey, m.PrivateKey = types.StringValue("mdb_sa_id_0123456789abcdef01234567"), types.StringValue(secret)
			},
			attr: "public_key",
			want: []string{"Service Account Credential Used As API Key", `the service account client id "mdb_sa_id_0123456789abcdef01234567"`,
				"client_id", "MONGODB_ATLAS_CLIENT_ID"},
		},
		{
			name: "client secret in public_key is described, not shown",
			model: func(m *providerModel) {
				m.PublicKey, m.PrivateKey = types.StringValue("mdb_sa_sk_"+secret), types.StringValue("x")
			},
			attr: "public_key",
			want: []string{"Service Account Credential Used As API Key", "starts with mdb_sa", "not shown", "client_secret"},
		},
		{
			name: "service account id in the public key variable",
			env:  map[string]string{"MONGODB_ATLAS_PUBLIC_API_KEY": "mdb_sa_id_123", "MONGODB_ATLAS_PRIVATE_API_KEY": secret},
			want: []string{"Service Account Credential Used As API Key", "MONGODB_ATLAS_PUBLIC_API_KEY"},
		},
		{
			name: "half a pair in the block is not completed from the environment",
			model: func(m *providerModel) {
				m.PublicKey = types.StringValue("abcdefgh")
			},
			env: map[string]string{
				"MONGODB_ATLAS_PRIVATE_API_KEY": secret, "MONGODB_ATLAS_PUBLIC_API_KEY": "envkeyxx",
				"MONGODB_ATLAS_ACCESS_TOKEN": "env-token",
			},
			attr: "private_key",
			want: []string{"Incomplete API Key", "never combined with environment variables"},
		},
		{
			name: "base url with the API's path in the attribute",
			model: func(m *providerModel) {
				m.AccessToken, m.BaseURL = types.StringValue(secret), types.StringValue("https://cloud.mongodb.com/api/atlas/v2")
			},
			attr: "base_url",
			want: []string{"Invalid Atlas Base URL", `The base URL "https://cloud.mongodb.com/api/atlas/v2", from the provider attribute base_url, ` +
				"ends with /api/atlas/v2, the API's path, which the provider adds to every request itself. " +
				"Drop /api/atlas/v2: use https://cloud.mongodb.com."},
		},
		{
			name:  "base url with the API's path in a variable",
			model: func(m *providerModel) { m.AccessToken = types.StringValue(secret) },
			env:   map[string]string{"MCLI_OPS_MANAGER_URL": "https://cloud.mongodbgov.com/api/atlas/"},
			want: []string{"Invalid Atlas Base URL", ", from the environment variable MCLI_OPS_MANAGER_URL,",
				"Drop /api/atlas/: use https://cloud.mongodbgov.com."},
		},
		{
			name: "a misspelt secret variable is named by the error it explains",
			env:  map[string]string{"MCLI_PUBLIC_API_KEY": "pub", "MCLI_PRIVATE_API_KY": secret, "MONGODB_ATLAS_CLIENTID": "x"},
			want: []string{"Incomplete API Key", "MCLI_PUBLIC_API_KEY is set but none of", "Export the API key's secret in MONGODB_ATLAS_PRIVATE_API_KEY, " +
				"or unset MCLI_PUBLIC_API_KEY. MCLI_PRIVATE_API_KY is set but atlasinv does not read it; did you mean MCLI_PRIVATE_API_KEY?"},
			never: []string{"MONGODB_ATLAS_CLIENTID"},
		},
		{
			name: "a misspelt id variable is named by the error it explains",
			env:  map[string]string{"MONGODB_ATLAS_CLIENT_SECRET": secret, "MONGODB_ATLAS_CLIENT_ID_": "mdb_sa_id_1"},
			want: []string{"Incomplete Service Account", "or unset MONGODB_ATLAS_CLIENT_SECRET. " +
				"MONGODB_ATLAS_CLIENT_ID_ is set but atlasinv does not read it; did you mean MONGODB_ATLAS_CLIENT_ID?"},
		},
		{
			name: "misspelt credential variables are named when none is read",
			env: map[string]string{"MONGODB_ATLAS_ACCESS_TOKN": secret, "MONGODB_ATLAS_PUBLIC_API_KEYS": "pub",
				"MONGODB_ATLAS_BASE_URLL": "https://x.example.com"},
			want: []string{"No Atlas Credentials", "MONGODB_ATLAS_PRIVATE_API_KEY). " +
				"MONGODB_ATLAS_ACCESS_TOKN is set but atlasinv does not read it; did you mean MONGODB_ATLAS_ACCESS_TOKEN? " +
				"MONGODB_ATLAS_PUBLIC_API_KEYS is set but atlasinv does not read it; did you mean MONGODB_ATLAS_PUBLIC_API_KEY?"},
			never: []string{"MONGODB_ATLAS_BASE_URLL"},
		},
		{
			name: "relative base url",
			model: func(m *providerModel) {
				m.AccessToken, m.BaseURL = types.StringValue(secret), types.StringValue("cloud.mongodb.com")
			},
			attr: "base_url",
			want: []string{"Invalid Atlas Base URL", "not an absolute http(s) URL"},
		},
		{
			name: "ftp base url",
			model: func(m *providerModel) {
				m.AccessToken, m.BaseURL = types.StringValue(secret), types.StringValue("ftp://example.com")
			},
			attr: "base_url",
			want: []string{"not an absolute http(s) URL"},
		},
		{
			name:  "plain http to a remote host",
			model: func(m *providerModel) { m.AccessToken = types.StringValue(secret) },
			env:   map[string]string{"MONGODB_ATLAS_BASE_URL": "http://cloud.mongodb.com"},
			want:  []string{"Invalid Atlas Base URL", "MONGODB_ATLAS_BASE_URL", "plain http", "use https"},
		},
		{
			name: "base url with user info: refused without repeating them",
			model: func(m *providerModel) {
				m.AccessToken, m.BaseURL = types.StringValue(secret), types.StringValue("https://svc:Hunter2-pass@cloud.example.com/x")
			},
			attr:  "base_url",
			want:  []string{`The base URL "https://cloud.example.com/x" (user and password not shown)`, "must not carry a user or password"},
			never: []string{"svc", "Hunter2-pass"},
		},
		{
			name:  "base url with a query",
			model: func(m *providerModel) { m.AccessToken = types.StringValue(secret) },
			env:   map[string]string{"MONGODB_ATLAS_BASE_URL": "https://cloud.mongodb.com/?key=Hunter2-pass"},
			want:  []string{"Invalid Atlas Base URL", "MONGODB_ATLAS_BASE_URL", "must not have a query or fragment", "(query not shown)"},
			never: []string{"Hunter2-pass"},
		},
		{
			name: "base url with an empty query",
			model: func(m *providerModel) {
				m.AccessToken, m.BaseURL = types.StringValue(secret), types.StringValue("https://cloud.mongodb.com?")
			},
			attr: "base_url",
			want: []string{"must not have a query or fragment"},
		},
		{
			name: "base url with a fragment",
			model: func(m *providerModel) {
				m.AccessToken, m.BaseURL = types.StringValue(secret), types.StringValue("https://cloud.mongodb.com/#Hunter2-pass")
			},
			attr:  "base_url",
			want:  []string{"must not have a query or fragment", "(fragment not shown)"},
			never: []string{"Hunter2-pass"},
		},
		{
			name: "a secret pasted into base_url is not shown",
			model: func(m *providerModel) {
				m.AccessToken, m.BaseURL = types.StringValue(secret), types.StringValue("Hunter2-pass")
			},
			attr:  "base_url",
			want:  []string{"not an absolute http(s) URL", "not shown"},
			never: []string{"Hunter2-pass"},
		},
		{
			name: "unknown value",
			model: func(m *providerModel) {
				m.AccessToken = types.StringValue(secret)
				m.PublicKey = types.StringUnknown()
			},
			attr: "public_key",
			want: []string{"Unknown Provider Configuration Value", "public_key is not known until apply"},
		},
		{
			name: "unknown invitations_source",
			model: func(m *providerModel) {
				m.AccessToken = types.StringValue(secret)
				m.InvitationsSource = types.StringUnknown()
			},
			attr: "invitations_source",
			want: []string{"Unknown Provider Configuration Value", "invitations_source is not known until apply"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := emptyModel()
			if tt.model != nil {
				tt.model(&m)
			}
			_, diags := resolveConfig(m, envOf(tt.env), setEnvNames(environOf(tt.env)()))
			errs := diags.Errors()
			if len(errs) == 0 {
				t.Fatal("expected an error, got none")
			}
			text := diagText(errs)
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("errors %q do not contain %q", text, w)
				}
			}
			for _, never := range append(tt.never, secret) {
				if strings.Contains(text, never) {
					t.Errorf("an error shows %q: %s", never, text)
				}
			}
			if len(errs) != 1 {
				t.Errorf("%d errors, want exactly one: %s", len(errs), text)
			}
			withPath, isAttr := errs[0].(diag.DiagnosticWithPath)
			switch {
			case tt.attr == "" && isAttr:
				t.Errorf("error points at %s, want a plain error", withPath.Path())
			case tt.attr != "" && (!isAttr || withPath.Path().String() != tt.attr):
				t.Errorf("error %q does not point at %s", errs[0].Summary(), tt.attr)
			}
		})
	}
}

func diagText(ds diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.Summary() + ": " + d.Detail() + "\n")
	}
	return b.String()
}

func redact(c atlas.Config) atlas.Config {
	for _, s := range []*string{&c.PrivateKey, &c.ClientSecret, &c.AccessToken} {
		if *s != "" {
			*s = "<set>"
		}
	}
	return c
}

// TestDescribeURL: a base URL is shown as far as it cannot hold a secret,
// whole when nothing is left out, and not at all when it is not http(s).
func TestDescribeURL(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"https://cloud.mongodb.com", `"https://cloud.mongodb.com"`},
		{"http://127.0.0.1:8080/atlas", `"http://127.0.0.1:8080/atlas"`},
		{"https://svc:Hunter2-pass@cloud.mongodb.com/x?k=v#f", `"https://cloud.mongodb.com/x" (user and password, query and fragment not shown)`},
		{"https://cloud.mongodb.com/?", `"https://cloud.mongodb.com/" (query not shown)`},
		{"ftp://cloud.mongodb.com", "(not shown: it is not an http(s) URL and may be a secret in the wrong place)"},
		{"mdb_sa_sk_Hunter2", "(not shown: it is not an http(s) URL and may be a secret in the wrong place)"},
		{"https:///path-only", "(not shown: it is not an http(s) URL and may be a secret in the wrong place)"},
	}
	for _, tt := range tests {
		if got := describeURL(tt.raw); got != tt.want {
			t.Errorf("describeURL(%q) = %s, want %s", tt.raw, got, tt.want)
		}
	}
}

// TestCheckBaseURL: what base_url may be, and what each refusal says and
// advises.
func TestCheckBaseURL(t *testing.T) {
	const useAbsolute = "Use an absolute URL such as https://cloud.mongodb.com."
	tests := []struct{ raw, want, fix string }{
		// The API's path is the provider's to add; any other path, a
		// reverse proxy's prefix, is kept.
		{"https://cloud.mongodb.com/api/atlas/v2", "ends with /api/atlas/v2, the API's path, which the provider adds to every request itself",
			"Drop /api/atlas/v2: use https://cloud.mongodb.com."},
		{"https://cloud.mongodb.com/api/atlas/v2/", "ends with /api/atlas/v2/, the API's path, which the provider adds to every request itself",
			"Drop /api/atlas/v2/: use https://cloud.mongodb.com."},
		{"https://cloud.mongodb.com/api/atlas", "ends with /api/atlas, the API's path, which the provider adds to every request itself",
			"Drop /api/atlas: use https://cloud.mongodb.com."},
		{"https://cloud.mongodb.com/api/atlas//", "ends with /api/atlas//, the API's path, which the provider adds to every request itself",
			"Drop /api/atlas//: use https://cloud.mongodb.com."},
		{"https://cloud.mongodbgov.com/API/Atlas/V2", "ends with /API/Atlas/V2, the API's path, which the provider adds to every request itself",
			"Drop /API/Atlas/V2: use https://cloud.mongodbgov.com."},
		{"https://proxy.example.com/atlas/api/atlas/v2", "ends with /api/atlas/v2, the API's path, which the provider adds to every request itself",
			"Drop /api/atlas/v2: use https://proxy.example.com/atlas."},
		{"http://127.0.0.1:8080/api/atlas/", "ends with /api/atlas/, the API's path, which the provider adds to every request itself",
			"Drop /api/atlas/: use http://127.0.0.1:8080."},
		{"https://proxy.example.com/atlas", "", ""},
		{"https://proxy.example.com/atlas/", "", ""},
		{"https://proxy.example.com/api", "", ""},
		{"https://proxy.example.com/myapi/atlas", "", ""},
		{"https://proxy.example.com/api/atlas/v2/orgs", "", ""},
		{"https://proxy.example.com/api/atlasv2", "", ""},
		{"https://proxy.example.com/api/atlas/v1.0", "", ""},

		{"https://cloud.mongodb.com", "", ""},
		{"http://localhost:8080", "", ""},
		{"http://127.0.0.1:8080", "", ""},
		{"http://[::1]:9000", "", ""},
		{"http://[::1", "cannot be parsed", ""},
		{"cloud.mongodb.com", "is not an absolute http(s) URL", ""},
		{"ftp://cloud.mongodb.com", "is not an absolute http(s) URL", ""},
		{"https://", "has no host", ""},
		{"https://:443", "has no host", ""},
		{"https://user:pw@cloud.mongodb.com", "must not carry a user or password: credentials belong in the credential attributes", ""},
		{"https://cloud.mongodb.com?x=1", "must not have a query or fragment", ""},
		{"https://cloud.mongodb.com?", "must not have a query or fragment", ""},
		{"https://cloud.mongodb.com#top", "must not have a query or fragment", ""},
		{"http://cloud.mongodb.com", "uses plain http to a host that is not loopback, which would send credentials unencrypted; use https", ""},
		{"http://localhost.example.com", "uses plain http to a host that is not loopback, which would send credentials unencrypted; use https", ""},
		{"http://10.0.0.1", "uses plain http to a host that is not loopback, which would send credentials unencrypted; use https", ""},
	}
	for _, tt := range tests {
		if tt.fix == "" && tt.want != "" {
			tt.fix = useAbsolute
		}
		if got, fix := checkBaseURL(tt.raw); got != tt.want || fix != tt.fix {
			t.Errorf("checkBaseURL(%q) = %q, %q, want %q, %q", tt.raw, got, fix, tt.want, tt.fix)
		}
	}
}
