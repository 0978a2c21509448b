package provider

import (
	"context"
	"net"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// What the provider makes of the environment beyond the variables it reads,
// and of a base_url that holds the API's path.

// TestEditDistance: the Levenshtein distance, each edit counted once.
func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"MONGODB_ATLAS_BASE_URL", "MONGODB_ATLAS_BASE_URL", 0},
		{"MONGODB_ATLAS_PRIVATE_API_KEYS", "MONGODB_ATLAS_PRIVATE_API_KEY", 1}, // an insertion
		{"MONGODB_ATLAS_PRIVAT_API_KEY", "MONGODB_ATLAS_PRIVATE_API_KEY", 1},   // a deletion
		{"MONGODB_ATLAS_PUBLIC_API_KEZ", "MONGODB_ATLAS_PUBLIC_API_KEY", 1},    // a substitution
		{"MONGODB_ATLAS_BASE_ULR", "MONGODB_ATLAS_BASE_URL", 2},                // a transposition is two
		{"MONGODB_ATLAS_BASEURL", "MONGODB_ATLAS_BASE_URL", 1},
		{"MONGODB_ATLAS_CLIENTID", "MONGODB_ATLAS_CLIENT_ID", 1},
		{"MONGODB_ATLAS_ACESS_TOKN", "MONGODB_ATLAS_ACCESS_TOKEN", 2},
		{"MONGODB_ATLAS_PUBLIC_KEY", "MONGODB_ATLAS_PUBLIC_API_KEY", 4},
		{"kitten", "sitting", 3},
		{"flaw", "lawn", 2},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := editDistance(tt.b, tt.a); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d (not symmetric)", tt.b, tt.a, got, tt.want)
		}
	}
}

// TestMisspeltEnvs: which set variables are taken for a misspelling of one
// the provider reads, and which one each was probably meant to be.
func TestMisspeltEnvs(t *testing.T) {
	tests := []struct {
		name string
		set  []string
		want []nearMiss
	}{
		{name: "nothing set"},
		{
			name: "an extra letter",
			set:  []string{"MONGODB_ATLAS_PRIVATE_API_KEYS"},
			want: []nearMiss{{"MONGODB_ATLAS_PRIVATE_API_KEYS", "MONGODB_ATLAS_PRIVATE_API_KEY"}},
		},
		{
			name: "two edits, each of every kind of variable",
			set: []string{"MONGODB_ATLAS_ACESS_TOKN", "MONGODB_ATLAS_CLIENTID", "MONGODB_ATLAS_CLIENT_SECRETS",
				"MONGODB_ATLAS_PUBLIC_APIKEY", "MONGODB_ATLAS_PRIVATEKEY", "MCLI_PUBLIC_API_KY", "MCLI_PRIVATE_API_KEYS",
				"MONGODB_ATLAS_BASE_ULR", "MCLI_OPS_MANAGER_URI"},
			want: []nearMiss{
				{"MONGODB_ATLAS_ACESS_TOKN", "MONGODB_ATLAS_ACCESS_TOKEN"},
				{"MONGODB_ATLAS_CLIENTID", "MONGODB_ATLAS_CLIENT_ID"},
				{"MONGODB_ATLAS_CLIENT_SECRETS", "MONGODB_ATLAS_CLIENT_SECRET"},
				{"MONGODB_ATLAS_PUBLIC_APIKEY", "MONGODB_ATLAS_PUBLIC_API_KEY"},
				{"MONGODB_ATLAS_PRIVATEKEY", "MONGODB_ATLAS_PRIVATE_KEY"},
				{"MCLI_PUBLIC_API_KY", "MCLI_PUBLIC_API_KEY"},
				{"MCLI_PRIVATE_API_KEYS", "MCLI_PRIVATE_API_KEY"},
				{"MONGODB_ATLAS_BASE_ULR", "MONGODB_ATLAS_BASE_URL"},
				{"MCLI_OPS_MANAGER_URI", "MCLI_OPS_MANAGER_URL"},
			},
		},
		{
			name: "the closest is meant",
			// One edit from MONGODB_ATLAS_PUBLIC_KEY, two from _PUBLIC_API_KEY.
			set:  []string{"MONGODB_ATLAS_PUBLIC_KEYS"},
			want: []nearMiss{{"MONGODB_ATLAS_PUBLIC_KEYS", "MONGODB_ATLAS_PUBLIC_KEY"}},
		},
		{
			name: "three edits are not a misspelling",
			set:  []string{"MONGODB_ATLAS_BASE_URL_QA", "MONGODB_ATLAS_PRIVATE_APY_KY_", "MONGODB_ATLAS_TOKEN"},
		},
		{
			name: "what the provider reads",
			set:  slices.Clone(readEnvs),
		},
		{
			name: "what other tools read",
			set: []string{"MONGODB_ATLAS_ORG_ID", "MONGODB_ATLAS_PROJECT_ID", "MONGODB_ATLAS_PROFILE", "MONGODB_ATLAS_OUTPUT",
				"MONGODB_ATLAS_OPS_MANAGER_URL", "MONGODB_ATLAS_SERVICE", "MONGODB_ATLAS_REFRESH_TOKEN",
				"MONGODB_ATLAS_ENABLE_PREVIEW", "MONGODB_ATLAS_ENABLE_BETA", "MONGODB_ATLAS_TELEMETRY_ENABLED",
				"MONGODB_ATLAS_SKIP_UPDATE_CHECK", "MONGODB_ATLAS_IS_CONTAINERIZED",
				"MCLI_ORG_ID", "MCLI_PROJECT_ID", "MCLI_CLIENT_ID", "MCLI_CLIENT_SECRET", "MCLI_ACCESS_TOKEN",
				"MCLI_BASE_URL", "MCLI_SERVICE", "MCLI_OUTPUT", "MCLI_PROFILE", "MCLI_OPS_MANAGER_SKIP_VERIFY"},
		},
		{
			name: "other prefixes are not looked at",
			set:  []string{"MONGODB_ATLAS", "ATLAS_PUBLIC_API_KEY", "MONGODB_ATLAS_PUBLIC_API_KEY_", "TF_VAR_MONGODB_ATLAS_BASE_URL", "mongodb_atlas_base_url"},
			want: []nearMiss{{"MONGODB_ATLAS_PUBLIC_API_KEY_", "MONGODB_ATLAS_PUBLIC_API_KEY"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := misspeltEnvs(tt.set, readEnvs, otherToolsEnvs); !slices.Equal(got, tt.want) {
				t.Errorf("misspeltEnvs(%q)\n = %v\nwant %v", tt.set, got, tt.want)
			}
		})
	}
	// Another tool's variable is never taken for a misspelling, however
	// close to one the provider reads: none of them is within two edits of
	// one today, so each is tried against a read variable one edit away,
	// with and without the list.
	for name := range otherToolsEnvs {
		read := []string{name + "S"}
		if got := misspeltEnvs([]string{name}, read, otherToolsEnvs); len(got) != 0 {
			t.Errorf("%s, another tool's variable, is taken for %s", name, got[0].meant)
		}
		if got := misspeltEnvs([]string{name}, read, nil); len(got) != 1 {
			t.Errorf("%s is not taken for %s without the list of other tools' variables", name, read[0])
		}
	}
}

// TestSetEnvNames: the names of the variables that hold a value, sorted;
// an empty one is unset, as for every variable the provider reads.
func TestSetEnvNames(t *testing.T) {
	got := setEnvNames([]string{"B=2", "A=x=y", "EMPTY=", "=C:=C:\\", "NOEQUALS", "MONGODB_ATLAS_BASE_URLL=https://x"})
	want := []string{"A", "B", "MONGODB_ATLAS_BASE_URLL"}
	if !slices.Equal(got, want) {
		t.Errorf("setEnvNames = %q, want %q", got, want)
	}
}

// A misspelt variable gets a warning naming it and the variable it was
// probably meant to be, and never its value. In process, as Terraform
// configures the provider: terraform-plugin-testing shows errors only.
func TestMisspeltVariableWarns(t *testing.T) {
	t.Parallel()
	const value = "priv-misspelt-value-never-shown"
	_, url := newTestAtlas(t)
	env := map[string]string{
		"MONGODB_ATLAS_PRIVATE_API_KEYS": value,
		"MONGODB_ATLAS_BASE_URLL":        value,
		// Other tools' variables, and variables far from any the provider reads.
		"MONGODB_ATLAS_ORG_ID": testOrgID, "MONGODB_ATLAS_PROJECT_ID": value, "MCLI_CLIENT_ID": value,
		"MONGODB_ATLAS_ENABLE_PREVIEW": "true", "HOME": value,
	}
	server, schemas := newProtoServer(t, env)
	resp, err := server.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{
		Config: configValue(t, schemas.Provider, map[string]string{
			"base_url": url, "public_key": testPublicKey, "private_key": testPrivateKey,
		}),
		TerraformVersion: "1.8.5",
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range resp.Diagnostics {
		if d.Severity != tfprotov6.DiagnosticSeverityWarning {
			t.Errorf("unexpected %v %q: %s", d.Severity, d.Summary, d.Detail)
		}
		if strings.Contains(d.Summary+d.Detail, value) {
			t.Errorf("a diagnostic shows a variable's value: %s", d.Detail)
		}
		got = append(got, d.Summary+": "+d.Detail)
	}
	want := []string{
		"Possibly Misspelt Environment Variable: MONGODB_ATLAS_BASE_URLL is set but atlasinv does not read it; " +
			"did you mean MONGODB_ATLAS_BASE_URL? Rename it if it is meant for atlasinv.",
		"Possibly Misspelt Environment Variable: MONGODB_ATLAS_PRIVATE_API_KEYS is set but atlasinv does not read it; " +
			"did you mean MONGODB_ATLAS_PRIVATE_API_KEY? Rename it if it is meant for atlasinv.",
	}
	if !slices.Equal(got, want) {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A misspelt variable named by the credentials error it explains is not
// warned about as well; one the error does not name still is.
func TestMisspeltVariableNamedOnce(t *testing.T) {
	env := map[string]string{"MONGODB_ATLAS_PUBLIC_API_KEY": "pub", "MONGODB_ATLAS_PRIVATE_API_KEYS": "x", "MONGODB_ATLAS_BASE_URLL": "y"}
	_, diags := resolveConfig(emptyModel(), envOf(env), setEnvNames(environOf(env)()))
	errs, warnings := diagText(diags.Errors()), diagText(diags.Warnings())
	if !strings.Contains(errs, "MONGODB_ATLAS_PRIVATE_API_KEYS is set") || strings.Contains(errs, "MONGODB_ATLAS_BASE_URLL") {
		t.Errorf("errors: %s", errs)
	}
	if want := "Possibly Misspelt Environment Variable: MONGODB_ATLAS_BASE_URLL is set but atlasinv does not read it; " +
		"did you mean MONGODB_ATLAS_BASE_URL? Rename it if it is meant for atlasinv.\n"; warnings != want {
		t.Errorf("warnings:\n%s\nwant:\n%s", warnings, want)
	}
}

// A credentials error that a misspelt variable explains names it, through
// the CLI: the missing half of a key pair, and no credentials at all.
func TestAccMisspeltVariableInCredentialsError(t *testing.T) {
	const value = "priv-misspelt-value-never-shown"
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{
			name: "the private key's variable misspelt",
			env:  map[string]string{"MONGODB_ATLAS_PUBLIC_API_KEY": testPublicKey, "MONGODB_ATLAS_PRIVATE_API_KEYS": value},
			want: "Incomplete API Key ... MONGODB_ATLAS_PUBLIC_API_KEY is set but none of MONGODB_ATLAS_PRIVATE_API_KEY, " +
				"MONGODB_ATLAS_PRIVATE_KEY, MCLI_PRIVATE_API_KEY is. ... MONGODB_ATLAS_PRIVATE_API_KEYS is set but atlasinv " +
				"does not read it; did you mean MONGODB_ATLAS_PRIVATE_API_KEY?",
		},
		{
			name: "the client id's variable misspelt",
			env:  map[string]string{"MONGODB_ATLAS_CLIENTID": testClientID, "MONGODB_ATLAS_CLIENT_SECRET": value},
			want: "Incomplete Service Account ... MONGODB_ATLAS_CLIENT_SECRET is set but MONGODB_ATLAS_CLIENT_ID is not. " +
				"... MONGODB_ATLAS_CLIENTID is set but atlasinv does not read it; did you mean MONGODB_ATLAS_CLIENT_ID?",
		},
		{
			name: "the only credential's variable misspelt",
			env:  map[string]string{"MONGODB_ATLAS_ACESS_TOKEN": value, "MONGODB_ATLAS_BASE_URLL": value},
			want: "No Atlas Credentials ... MONGODB_ATLAS_ACESS_TOKEN is set but atlasinv does not read it; " +
				"did you mean MONGODB_ATLAS_ACCESS_TOKEN?",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mock, url := newTestAtlas(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(tt.env),
				Steps: []resource.TestStep{{
					Config:      providerWith(url, "") + dataSourceConfigs[0].config,
					ExpectError: errorText(tt.want),
				}},
			})
			if n := len(mock.Requests()); n != 0 {
				t.Errorf("%d requests, want none: the configuration is refused", n)
			}
		})
	}
}

// A base_url that holds the API's path is refused when the provider is
// configured, through the CLI, before any request: in the attribute (an
// attribute error) and in either variable (an error naming the variable).
// A reverse proxy's prefix is kept (TestAccAnswers_requestLineShowsURLSent).
func TestAccBaseURLWithAPIPathRefused(t *testing.T) {
	for _, path := range []string{"/api/atlas/v2", "/api/atlas/v2/", "/api/atlas", "/api/atlas/"} {
		t.Run("attribute "+path, func(t *testing.T) {
			mock, url := newTestAtlas(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config: listConfig(url + path),
					// The snippet of base_url: an attribute error.
					ExpectError: errorText(`Invalid Atlas Base URL ... in provider "atlasinv": ` +
						`... base_url = "` + url + path + `" ... The base URL "` + url + path + `", from the provider attribute base_url, ends with ` +
						path + `, the API's path, which the provider adds to every request itself. Drop ` + path + `: use ` + url + "."),
				}},
			})
			if n := len(mock.Requests()); n != 0 {
				t.Errorf("%d requests, want none: the configuration is refused", n)
			}
		})
	}
	for _, name := range baseURLEnvs {
		t.Run(name, func(t *testing.T) {
			mock, url := newTestAtlas(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(map[string]string{name: url + "/api/atlas/v2"}),
				Steps: []resource.TestStep{{
					Config: "provider \"atlasinv\" {\n  " + credentialBlocks[2].block + "\n}\n" + dataSourceConfigs[0].config,
					ExpectError: errorText(`Invalid Atlas Base URL ... The base URL "` + url + `/api/atlas/v2", from the environment variable ` +
						name + `, ends with /api/atlas/v2, the API's path, which the provider adds to every request itself. ` +
						`Drop /api/atlas/v2: use ` + url + "."),
				}},
			})
			if n := len(mock.Requests()); n != 0 {
				t.Errorf("%d requests, want none: the configuration is refused", n)
			}
		})
	}
}

// A base_url taken from the default says so in the facts of a connection
// error: with the base-URL variable misspelt, the requests go to Atlas's
// default URL, and the error must not leave the user wondering why. The
// default is not on loopback, so HTTPS_PROXY points at a closed loopback
// port: nothing leaves the machine, and the connection fails at once.
// Not parallel: the proxy is read from the process environment.
func TestAccDefaultBaseURLNamedInConnectionError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HTTPS_PROXY", "http://"+closed)
	t.Setenv("https_proxy", "")
	t.Setenv("NO_PROXY", "")
	t.Setenv("no_proxy", "")
	_, url := newTestAtlas(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(map[string]string{"MONGODB_ATLAS_BASE_URLL": url}),
		Steps: []resource.TestStep{{
			Config: "provider \"atlasinv\" {\n  " + credentialBlocks[2].block + "\n  max_retries = 0\n}\n" + dataSourceConfigs[0].config,
			ExpectError: regexp.MustCompile(`Request:\s+GET\s+https://cloud\.mongodb\.com/api/atlas/v2/orgs/` + testOrgID + `/invites` +
				`(?s:.*)` + `Base\s+URL:\s+https://cloud\.mongodb\.com,\s+from\s+the\s+default,\s+as\s+none\s+of\s+base_url,\s+` +
				`MONGODB_ATLAS_BASE_URL\s+and\s+MCLI_OPS_MANAGER_URL\s+is\s+set`),
		}},
	})
}
