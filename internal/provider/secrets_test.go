package provider

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// Every value the provider is given might be a secret in the wrong place,
// so a message names where a value came from and shows it only when it has
// an id's shape. These tests give each config field and each variable a
// distinct secret-looking marker, also in the wrong fields, and search every
// diagnostic, and a TRACE log, for any of them.

// marker is a secret-looking value unique to where it is put.
func marker(where string) string { return "Zq9" + strings.ReplaceAll(where, "_", "") + "Xsecret" }

var markerRE = regexp.MustCompile(`Zq9\w*?Xsecret`)

// allDiagnostics configures an in-process provider the way Terraform does
// (validate, configure, then one read when configure succeeds) and returns
// every diagnostic, whatever its severity.
func allDiagnostics(t *testing.T, attrs map[string]string, env map[string]string) []*tfprotov6.Diagnostic {
	t.Helper()
	ctx := context.Background()
	server, schemas := newProtoServer(t, env)
	config := configValue(t, schemas.Provider, attrs)
	var out []*tfprotov6.Diagnostic
	v, err := server.ValidateProviderConfig(ctx, &tfprotov6.ValidateProviderConfigRequest{Config: config})
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, v.Diagnostics...)
	c, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: config, TerraformVersion: "1.8.5"})
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, c.Diagnostics...)
	for _, d := range out {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return out
		}
	}
	return append(out, readInvites(t, server, schemas)...)
}

func TestNoMarkerInAnyDiagnostic(t *testing.T) {
	t.Parallel()
	_, url := newTestAtlas(t, inviteFull)
	hostPort := strings.TrimPrefix(url, "http://")
	every := func(names []string) map[string]string {
		out := map[string]string{}
		for _, n := range names {
			out[n] = marker(n)
		}
		return out
	}
	credentialAttrs := []string{"public_key", "private_key", "client_id", "client_secret", "access_token"}
	tests := []struct {
		name  string
		attrs map[string]string
		env   map[string]string
		// want is a diagnostic summary that must appear, so that each case
		// is known to reach the code it means to test.
		want string
	}{
		{name: "every attribute and variable a marker", attrs: every(append(credentialAttrs, "base_url", "request_timeout")),
			env: every(allCredentialEnvs), want: "Invalid Request Timeout"},
		{name: "every credential attribute a marker, read fails", attrs: merge(every(credentialAttrs), map[string]string{"base_url": url}),
			want: "Atlas Rejected The Credentials"},
		{name: "api key attributes only", attrs: map[string]string{"base_url": url, "public_key": marker("pk"), "private_key": marker("sk")},
			want: "Atlas Rejected The Credentials"},
		{name: "client secret in public_key", attrs: map[string]string{"base_url": url, "public_key": "mdb_sa_sk_" + marker("cs"), "private_key": marker("sk")},
			want: "Service Account Credential Used As API Key"},
		{name: "client secret in client_id", attrs: map[string]string{"base_url": url, "client_id": marker("cs"), "client_secret": marker("cid")},
			want: "Atlas Rejected The Service Account Credentials"},
		{name: "private key alone in public_key", attrs: map[string]string{"base_url": url, "public_key": marker("sk")},
			want: "Incomplete API Key"},
		{name: "secret alone in client_id", attrs: map[string]string{"base_url": url, "client_id": marker("cs")},
			want: "Incomplete Service Account"},
		{name: "user and password in base_url", attrs: map[string]string{"base_url": "http://" + marker("user") + ":" + marker("pass") + "@" + hostPort, "access_token": testAccessToken},
			want: "Invalid Atlas Base URL"},
		{name: "token in the base_url query", attrs: map[string]string{"base_url": url + "/?token=" + marker("q") + "#" + marker("f"), "access_token": testAccessToken},
			want: "Invalid Atlas Base URL"},
		{name: "secret as base_url", attrs: map[string]string{"base_url": marker("b"), "access_token": testAccessToken},
			want: "Invalid Atlas Base URL"},
		{name: "secret as request_timeout", attrs: map[string]string{"base_url": url, "access_token": testAccessToken, "request_timeout": marker("t")},
			want: "Invalid Request Timeout"},
		{name: "swapped api key variables", env: map[string]string{"MONGODB_ATLAS_BASE_URL": url,
			"MONGODB_ATLAS_PUBLIC_API_KEY": marker("priv"), "MONGODB_ATLAS_PRIVATE_API_KEY": testPublicKey}, want: "Atlas Rejected The Credentials"},
		{name: "swapped service account variables", env: map[string]string{"MONGODB_ATLAS_BASE_URL": url,
			"MONGODB_ATLAS_CLIENT_ID": marker("sec"), "MONGODB_ATLAS_CLIENT_SECRET": testClientID}, want: "Atlas Rejected The Service Account Credentials"},
		{name: "the CLI's variables as markers", env: map[string]string{"MCLI_OPS_MANAGER_URL": url,
			"MCLI_PUBLIC_API_KEY": marker("mpub"), "MCLI_PRIVATE_API_KEY": marker("mpriv")}, want: "Atlas Rejected The Credentials"},
		{name: "a half pair of markers in the environment", env: map[string]string{"MONGODB_ATLAS_BASE_URL": url,
			"MONGODB_ATLAS_PRIVATE_KEY": marker("h"), "MONGODB_ATLAS_CLIENT_SECRET": marker("h2")}, want: "Incomplete API Key"},
		{name: "every variable a marker but the base URL", env: merge(every(allCredentialEnvs), map[string]string{"MONGODB_ATLAS_BASE_URL": url}),
			want: "Atlas Rejected The Credentials"},
		{name: "service account prefix marker in the public key variable", env: map[string]string{"MONGODB_ATLAS_BASE_URL": url,
			"MONGODB_ATLAS_PUBLIC_API_KEY": "mdb_sa_sk_" + marker("e"), "MONGODB_ATLAS_PRIVATE_API_KEY": marker("e2")},
			want: "Service Account Credential Used As API Key"},
	}
	for _, tt := range tests {
		diags := allDiagnostics(t, tt.attrs, tt.env)
		var all strings.Builder
		for _, d := range diags {
			fmt.Fprintf(&all, "%s: %s\n", d.Summary, d.Detail)
		}
		if !strings.Contains(all.String(), tt.want) {
			t.Errorf("%s: no %q diagnostic; got:\n%s", tt.name, tt.want, all.String())
		}
		if m := markerRE.FindAllString(all.String(), -1); m != nil {
			t.Errorf("%s: diagnostics show %v:\n%s", tt.name, m, all.String())
		}
	}
}

func merge(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// TestAccNoMarkerInTraceLog runs plans through the CLI with markers in every
// credential variable, swapped pairs included, and TF_LOG=TRACE, then
// searches the log and the error for any marker.
func TestAccNoMarkerInTraceLog(t *testing.T) {
	_, url := newTestAtlas(t, inviteFull)
	cases := []map[string]string{
		// Every variable a marker: the access token wins and is refused.
		func() map[string]string {
			env := map[string]string{}
			for _, n := range allCredentialEnvs {
				env[n] = marker(n)
			}
			env["MONGODB_ATLAS_BASE_URL"], env["MCLI_OPS_MANAGER_URL"] = url, url
			return env
		}(),
		// Swapped API key variables: the private key in the public key's place.
		{"MONGODB_ATLAS_PUBLIC_API_KEY": marker("swappedpriv"), "MONGODB_ATLAS_PRIVATE_API_KEY": testPublicKey, "MONGODB_ATLAS_BASE_URL": url},
		// Swapped service account variables.
		{"MONGODB_ATLAS_CLIENT_ID": marker("swappedsecret"), "MONGODB_ATLAS_CLIENT_SECRET": testClientID, "MONGODB_ATLAS_BASE_URL": url},
	}
	for i, env := range cases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			clearCredentialEnv(t)
			for k, v := range env {
				t.Setenv(k, v)
			}
			logPath := filepath.Join(t.TempDir(), "trace.log")
			t.Setenv("TF_LOG", "TRACE")
			t.Setenv("TF_ACC_LOG_PATH", logPath)
			var errText string
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: processProvider(),
				Steps: []resource.TestStep{{
					Config:      fmt.Sprintf(invitesData, testOrgID),
					ExpectError: regexp.MustCompile(`Atlas Rejected The (Service Account )?Credentials`),
				}},
				ErrorCheck: func(err error) error {
					if err != nil {
						errText = err.Error()
					}
					return err
				},
			})
			raw, err := os.ReadFile(logPath)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(raw), "Atlas request") {
				t.Fatalf("the trace log (%d bytes) has no Atlas request lines: the test would prove nothing", len(raw))
			}
			for what, text := range map[string]string{"the trace log": string(raw), "the error": errText} {
				if m := markerRE.FindAllString(text, -1); m != nil {
					t.Errorf("%s shows %v", what, m)
				}
			}
		})
	}
}

// TestErrorsNeverShowSecrets reads with a wrong secret in each auth mode
// and searches every diagnostic for the secrets the provider holds.
func TestErrorsNeverShowSecrets(t *testing.T) {
	t.Parallel()
	const wrong = "wrong-secret-value-5d41402abc4b2a76"
	for _, attrs := range []map[string]string{
		{"public_key": testPublicKey, "private_key": wrong},
		{"client_id": testClientID, "client_secret": wrong},
		{"access_token": wrong},
	} {
		_, url := newTestAtlas(t, inviteFull)
		attrs["base_url"] = url
		server, schemas := protoServer(t, attrs)
		diags := readInvites(t, server, schemas)
		if len(diags) == 0 {
			t.Fatalf("%v: a wrong secret gave no diagnostic", attrs)
		}
		for _, d := range diags {
			text := d.Summary + "\n" + d.Detail
			if strings.Contains(text, wrong) {
				t.Errorf("diagnostic shows the secret: %s", text)
			}
			if d.Severity == tfprotov6.DiagnosticSeverityError && !strings.HasPrefix(d.Summary, "Atlas Rejected The") {
				t.Errorf("got %q, want the 401 diagnostic", d.Summary)
			}
		}
	}
}

// randomSecret is prefix and n characters of alphabet, drawn per run: a
// fixed value, or the prefix every client secret shares, would match
// innocent text. Only the random part is searched for.
type randomSecret struct{ prefix, random string }

func newRandomSecret(prefix string, n int, alphabet string) randomSecret {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return randomSecret{prefix, string(b)}
}

func (s randomSecret) String() string { return s.prefix + s.random }

// shownIn says whether text holds 8 consecutive characters of the random
// part, and where they start in it.
func (s randomSecret) shownIn(text string) (int, bool) {
	for i := 0; i+8 <= len(s.random); i++ {
		if strings.Contains(text, s.random[i:i+8]) {
			return i, true
		}
	}
	return 0, false
}

// starred is text with every run of 8 or more characters of a secret's
// random part starred out.
func starred(text string, secrets ...randomSecret) string {
	b := []byte(text)
	for _, s := range secrets {
		for i := 0; i+8 <= len(s.random); i++ {
			for at := 0; ; {
				j := strings.Index(text[at:], s.random[i:i+8])
				if j < 0 {
					break
				}
				copy(b[at+j:], "********")
				at += j + 1
			}
		}
	}
	return string(b)
}

// TestAccEchoedSecretsNeverShown runs plans through the CLI, with
// TF_LOG=TRACE, against an Atlas that echoes the credentials it received:
// across byte 256 of a body, as Atlas's errorCode, as the Sunset of the
// invitations API's retirement, and as the token endpoint's OAuth error.
// Neither the error nor the log holds 8 characters of any of them.
func TestAccEchoedSecretsNeverShown(t *testing.T) {
	const hex, base62 = "0123456789abcdef", "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	key := newRandomSecret("", 36, hex)
	clientSecret := newRandomSecret("mdb_sa_sk_", 40, base62)
	accessToken := newRandomSecret("eyJ", 60, base62)
	secrets := map[string]randomSecret{"the private key": key, "the client secret": clientSecret, "the access token": accessToken}
	modes := []struct {
		name   string
		secret randomSecret
		env    map[string]string
	}{
		{"api key", key, map[string]string{"MONGODB_ATLAS_PUBLIC_API_KEY": testPublicKey, "MONGODB_ATLAS_PRIVATE_API_KEY": key.String()}},
		{"service account", clientSecret, map[string]string{"MONGODB_ATLAS_CLIENT_ID": testClientID, "MONGODB_ATLAS_CLIENT_SECRET": clientSecret.String()}},
		{"access token", accessToken, map[string]string{"MONGODB_ATLAS_ACCESS_TOKEN": accessToken.String()}},
	}
	faults := []struct {
		name  string
		modes string // the modes it applies to, by name; "" for all
		// echo makes the mock echo s; it returns the provider block's
		// extra lines and the error it leads to.
		echo func(m *mockatlas.Server, s string) (extra, want string)
	}{
		{"body start", "", func(m *mockatlas.Server, s string) (string, string) {
			// Two thirds of it before the cut at 256 bytes.
			body := "<html>" + strings.Repeat("~", 256-2*len(s)/3-len("<html>")) + s + "</html>"
			m.SetFault(&mockatlas.Fault{Body: body, ContentType: "text/html"})
			return "", "Unexpected Atlas Response ... The body starts with"
		}},
		{"errorCode", "", func(m *mockatlas.Server, s string) (string, string) {
			m.SetFault(&mockatlas.Fault{Status: 400, ContentType: mockatlas.ErrorMediaType,
				Body: `{"error":400,"errorCode":"` + s + `","detail":"Bad request.","parameters":[],"reason":"Bad Request"}`})
			return "", "Atlas error code: (redacted)"
		}},
		{"Sunset", "", func(m *mockatlas.Server, s string) (string, string) {
			m.SetSunset(s)
			m.RetireInvitations(true)
			return `invitations_source = "invitations"`, "Atlas Invitations API Retired ... (its Sunset header gives (redacted))"
		}},
		{"OAuth error", "service account", func(m *mockatlas.Server, s string) (string, string) {
			m.ScriptToken(mockatlas.Fault{Status: 401, ContentType: "application/json",
				Body: `{"error":"` + s + `","error_description":"No client ` + s + `."}`})
			return "", "Atlas Rejected The Service Account Credentials"
		}},
	}
	for _, f := range faults {
		for _, mode := range modes {
			if f.modes != "" && f.modes != mode.name {
				continue
			}
			t.Run(f.name+"/"+mode.name, func(t *testing.T) {
				m := mockatlas.New()
				m.AddAPIKey(testPublicKey, key.String())
				m.AddServiceAccount(testClientID, clientSecret.String())
				m.AddAccessToken(accessToken.String())
				m.AddOrg(testOrgID, inviteFull)
				srv := m.Start()
				t.Cleanup(srv.Close)
				extra, want := f.echo(m, mode.secret.String())
				clearCredentialEnv(t)
				for k, v := range mode.env {
					t.Setenv(k, v)
				}
				t.Setenv("MONGODB_ATLAS_BASE_URL", srv.URL)
				logPath := filepath.Join(t.TempDir(), "trace.log")
				t.Setenv("TF_LOG", "TRACE")
				t.Setenv("TF_ACC_LOG_PATH", logPath)
				// The error is taken here, not matched by ExpectError, whose
				// message would show it, secret and all, when it fails.
				var errText string
				resource.Test(t, resource.TestCase{
					ProtoV6ProviderFactories: processProvider(),
					Steps: []resource.TestStep{{
						Config: "provider \"atlasinv\" {\n  " + extra + "\n}\n" + fmt.Sprintf(invitesData, testOrgID),
					}},
					ErrorCheck: func(err error) error {
						errText = err.Error()
						return nil
					},
				})
				raw, err := os.ReadFile(logPath)
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(string(raw), "Atlas request") {
					t.Fatalf("the trace log (%d bytes) has no Atlas request lines: the test would prove nothing", len(raw))
				}
				for what, text := range map[string]string{"the trace log": string(raw), "the error": errText} {
					for name, s := range secrets {
						if at, ok := s.shownIn(text); ok {
							t.Errorf("%s shows 8 or more characters of %s (from its random part's byte %d)", what, name, at)
						}
					}
				}
				if !errorText(want).MatchString(errText) {
					t.Errorf("the plan's error does not match %q; got (secrets starred):\n%s", want, starred(errText, key, clientSecret, accessToken))
				}
			})
		}
	}
}
