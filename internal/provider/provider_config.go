package provider

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
)

// credentialPair is an id and its secret, with the environment variables
// that can supply each, in order of precedence.
type credentialPair struct {
	name               string // for messages: "API key"
	idAttr, secretAttr string
	idEnvs, secretEnvs []string
}

var (
	apiKeyPair = credentialPair{
		name:       "API key",
		idAttr:     "public_key",
		secretAttr: "private_key",
		idEnvs:     []string{"MONGODB_ATLAS_PUBLIC_API_KEY", "MONGODB_ATLAS_PUBLIC_KEY", "MCLI_PUBLIC_API_KEY"},
		secretEnvs: []string{"MONGODB_ATLAS_PRIVATE_API_KEY", "MONGODB_ATLAS_PRIVATE_KEY", "MCLI_PRIVATE_API_KEY"},
	}
	serviceAccountPair = credentialPair{
		name:       "service account",
		idAttr:     "client_id",
		secretAttr: "client_secret",
		idEnvs:     []string{"MONGODB_ATLAS_CLIENT_ID"},
		secretEnvs: []string{"MONGODB_ATLAS_CLIENT_SECRET"},
	}
	accessTokenEnvs = []string{"MONGODB_ATLAS_ACCESS_TOKEN"}
	baseURLEnvs     = []string{"MONGODB_ATLAS_BASE_URL", "MCLI_OPS_MANAGER_URL"}
)

// serviceAccountIDPrefix starts every service-account client id; seen in
// public_key it means the two kinds of credentials were mixed up.
const serviceAccountIDPrefix = "mdb_sa"

// resolveConfig merges the provider block with the environment into one
// client configuration. A value in the block beats the environment, and the
// two halves of a credential pair always come from the same place.
func resolveConfig(m providerModel, getenv func(string) string) (atlas.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	cfg := atlas.Config{RequestTimeout: atlas.DefaultRequestTimeout, MaxRetries: atlas.DefaultMaxRetries}

	for attr, v := range map[string]interface{ IsUnknown() bool }{
		"public_key": m.PublicKey, "private_key": m.PrivateKey, "client_id": m.ClientID,
		"client_secret": m.ClientSecret, "access_token": m.AccessToken, "base_url": m.BaseURL,
		"request_timeout": m.RequestTimeout, "max_retries": m.MaxRetries,
	} {
		if v.IsUnknown() {
			diags.AddAttributeError(path.Root(attr), "Unknown Provider Configuration Value",
				fmt.Sprintf("The provider cannot be configured because %s is not known until apply "+
					"(it comes from a resource that does not exist yet). Set %s to a known value, "+
					"or apply that resource first.", attr, attr))
		}
	}
	if diags.HasError() {
		return cfg, diags
	}

	token, tokenSource := firstSet(m.AccessToken, "access_token", accessTokenEnvs, getenv)
	clientID, clientSecret, saSource := resolvePair(serviceAccountPair, m.ClientID, m.ClientSecret, getenv, &diags)
	publicKey, privateKey, keySource := resolvePair(apiKeyPair, m.PublicKey, m.PrivateKey, getenv, &diags)
	if strings.HasPrefix(publicKey, serviceAccountIDPrefix) {
		detail := "The public key " + quoted(publicKey) + " (from " + keySource + ") is a service account client id. " +
			"Put it in client_id (or MONGODB_ATLAS_CLIENT_ID) and its secret in client_secret (or MONGODB_ATLAS_CLIENT_SECRET)."
		if m.PublicKey.IsNull() {
			diags.AddError("Service Account Id Used As API Key", detail)
		} else {
			diags.AddAttributeError(path.Root("public_key"), "Service Account Id Used As API Key", detail)
		}
	}

	var used []string
	if token != "" {
		used = append(used, "an access token from "+tokenSource)
	}
	if clientID != "" {
		used = append(used, "a service account from "+saSource)
	}
	if publicKey != "" {
		used = append(used, "an API key from "+keySource)
	}
	switch {
	case token != "":
		cfg.Mode, cfg.AccessToken, cfg.CredentialSource = atlas.AuthAccessToken, token, tokenSource
	case clientID != "":
		cfg.Mode, cfg.ClientID, cfg.ClientSecret, cfg.CredentialSource = atlas.AuthServiceAccount, clientID, clientSecret, saSource
	case publicKey != "":
		cfg.Mode, cfg.PublicKey, cfg.PrivateKey, cfg.CredentialSource = atlas.AuthAPIKey, publicKey, privateKey, keySource
	}
	if len(used) > 1 {
		diags.AddWarning("Several Atlas Credentials Set",
			fmt.Sprintf("Found %s. The provider uses %s (access token, then service account, then API key) "+
				"and ignores the rest. Remove the credentials you do not mean to use.", strings.Join(used, "; "), used[0]))
	}
	if cfg.Mode == 0 && !diags.HasError() {
		diags.AddError("No Atlas Credentials",
			"The provider needs credentials for Atlas. Set one of: access_token (or MONGODB_ATLAS_ACCESS_TOKEN); "+
				"client_id and client_secret of a service account (or MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET); "+
				"public_key and private_key of an API key (or MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY).")
	}

	baseURL, baseSource := firstSet(m.BaseURL, "base_url", baseURLEnvs, getenv)
	if baseURL == "" {
		baseURL, baseSource = atlas.DefaultBaseURL, "the default"
	}
	if problem := checkBaseURL(baseURL); problem != "" {
		detail := fmt.Sprintf("The base URL %s (from %s) %s. Use an absolute URL such as %s.",
			quoted(baseURL), baseSource, problem, atlas.DefaultBaseURL)
		if m.BaseURL.IsNull() {
			diags.AddError("Invalid Atlas Base URL", detail)
		} else {
			diags.AddAttributeError(path.Root("base_url"), "Invalid Atlas Base URL", detail)
		}
	}
	cfg.BaseURL = strings.TrimSuffix(baseURL, "/")

	if !m.RequestTimeout.IsNull() {
		d, _ := m.RequestTimeout.ValueGoDuration()
		cfg.RequestTimeout = d
	}
	if !m.MaxRetries.IsNull() {
		cfg.MaxRetries = int(m.MaxRetries.ValueInt64())
	}
	return cfg, diags
}

// resolvePair takes both halves from the provider block if either is there,
// else both from the environment. Half a pair is an error that names what is
// missing and where it can come from.
func resolvePair(p credentialPair, id, secret types.String, getenv func(string) string, diags *diag.Diagnostics) (string, string, string) {
	if !id.IsNull() || !secret.IsNull() {
		switch {
		case secret.IsNull():
			diags.AddAttributeError(path.Root(p.secretAttr), "Incomplete "+titleCase(p.name),
				fmt.Sprintf("%s is set in the provider block but %s is not. Set %s as well: values in the provider block "+
					"are never combined with environment variables. Or remove %s to take both from %s and %s.",
					p.idAttr, p.secretAttr, p.secretAttr, p.idAttr, p.idEnvs[0], p.secretEnvs[0]))
			return "", "", ""
		case id.IsNull():
			diags.AddAttributeError(path.Root(p.idAttr), "Incomplete "+titleCase(p.name),
				fmt.Sprintf("%s is set in the provider block but %s is not. Set %s as well: values in the provider block "+
					"are never combined with environment variables. Or remove %s to take both from %s and %s.",
					p.secretAttr, p.idAttr, p.idAttr, p.secretAttr, p.idEnvs[0], p.secretEnvs[0]))
			return "", "", ""
		}
		return id.ValueString(), secret.ValueString(), "the provider attributes " + p.idAttr + " and " + p.secretAttr
	}
	idVal, idEnv := firstEnv(p.idEnvs, getenv)
	secretVal, secretEnv := firstEnv(p.secretEnvs, getenv)
	switch {
	case idVal == "" && secretVal == "":
		return "", "", ""
	case secretVal == "":
		diags.AddError("Incomplete "+titleCase(p.name),
			fmt.Sprintf("%s is set but none of %s is. Export the %s's secret in %s, or unset %s.",
				idEnv, strings.Join(p.secretEnvs, ", "), p.name, p.secretEnvs[0], idEnv))
		return "", "", ""
	case idVal == "":
		diags.AddError("Incomplete "+titleCase(p.name),
			fmt.Sprintf("%s is set but none of %s is. Export the %s's id in %s, or unset %s.",
				secretEnv, strings.Join(p.idEnvs, ", "), p.name, p.idEnvs[0], secretEnv))
		return "", "", ""
	}
	return idVal, secretVal, "the environment variables " + idEnv + " and " + secretEnv
}

// firstSet is the attribute's value if set, else the first non-empty
// environment variable; the second result says where the value came from.
func firstSet(v types.String, attr string, envs []string, getenv func(string) string) (string, string) {
	if !v.IsNull() {
		return v.ValueString(), "the provider attribute " + attr
	}
	val, env := firstEnv(envs, getenv)
	if val == "" {
		return "", ""
	}
	return val, "the environment variable " + env
}

func firstEnv(envs []string, getenv func(string) string) (string, string) {
	for _, e := range envs {
		if v := getenv(e); v != "" {
			return v, e
		}
	}
	return "", ""
}

// checkBaseURL says what is wrong with a base URL, or "" when nothing is.
func checkBaseURL(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "cannot be parsed"
	case u.Scheme != "http" && u.Scheme != "https":
		return "is not an absolute http(s) URL"
	case u.Host == "" || u.Hostname() == "":
		return "has no host"
	case u.User != nil:
		return "must not carry credentials"
	case u.RawQuery != "" || u.Fragment != "":
		return "must not have a query or fragment"
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return "uses plain http to a host that is not loopback, which would send credentials unencrypted; use https"
	}
	return ""
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func quoted(s string) string { return fmt.Sprintf("%q", s) }

func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		if w == "API" {
			continue
		}
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

// positiveDuration rejects zero and negative timeouts; the custom type
// already rejects strings that are not durations.
type positiveDuration struct{}

func (positiveDuration) Description(context.Context) string {
	return "must be a positive duration"
}

func (v positiveDuration) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (positiveDuration) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	if err == nil && d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Request Timeout",
			fmt.Sprintf("request_timeout must be a positive duration such as \"30s\", got %q.", req.ConfigValue.ValueString()))
	}
}
