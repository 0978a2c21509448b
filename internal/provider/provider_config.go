package provider

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
)

// providerModel is the provider block as Terraform sends it.
type providerModel struct {
	PublicKey      types.String `tfsdk:"public_key"`
	PrivateKey     types.String `tfsdk:"private_key"`
	ClientID       types.String `tfsdk:"client_id"`
	ClientSecret   types.String `tfsdk:"client_secret"`
	AccessToken    types.String `tfsdk:"access_token"`
	BaseURL        types.String `tfsdk:"base_url"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
	// InvitationsSource is not part of the client's configuration: it
	// decides which Atlas API serves the invitations data sources.
	InvitationsSource types.String `tfsdk:"invitations_source"`
}

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

var (
	// credentialEnvs are every credential variable the provider reads.
	credentialEnvs = slices.Concat(accessTokenEnvs, serviceAccountPair.idEnvs, serviceAccountPair.secretEnvs,
		apiKeyPair.idEnvs, apiKeyPair.secretEnvs)
	// readEnvs are every variable the provider reads.
	readEnvs = slices.Concat(credentialEnvs, baseURLEnvs)
)

// serviceAccountIDPrefix starts every service-account client id and secret;
// seen in public_key it means the two kinds of credentials were mixed up.
const serviceAccountIDPrefix = "mdb_sa"

// credentialSet is what one source, the provider block or the environment,
// holds: each complete mode with where it came from ("" when absent).
type credentialSet struct {
	token, tokenFrom               string
	clientID, clientSecret, saFrom string
	publicKey, privateKey, keyFrom string
}

// modes lists the complete modes of the set, in precedence order, as
// messages name them.
func (s credentialSet) modes() []string {
	var out []string
	if s.tokenFrom != "" {
		out = append(out, "an access token from "+s.tokenFrom)
	}
	if s.saFrom != "" {
		out = append(out, "a service account from "+s.saFrom)
	}
	if s.keyFrom != "" {
		out = append(out, "an API key from "+s.keyFrom)
	}
	return out
}

// resolveConfig merges the provider block with the environment into one
// client configuration, source first, then mode: when the block
// holds any complete credential only the block counts, else only the
// environment; within that source an access token beats a service account,
// which beats an API key. The halves of a pair always come from one place.
//
// setNames are the variables set in the environment: one that is probably a
// misspelling of a variable the provider reads gets a warning, or is named
// by the credentials error it explains.
func resolveConfig(m providerModel, getenv func(string) string, setNames []string) (atlas.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	cfg := atlas.Config{RequestTimeout: atlas.DefaultRequestTimeout, MaxRetries: atlas.DefaultMaxRetries}

	for attr, v := range map[string]interface{ IsUnknown() bool }{
		"public_key": m.PublicKey, "private_key": m.PrivateKey, "client_id": m.ClientID,
		"client_secret": m.ClientSecret, "access_token": m.AccessToken, "base_url": m.BaseURL,
		"request_timeout": m.RequestTimeout, "max_retries": m.MaxRetries, "invitations_source": m.InvitationsSource,
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

	misses, named := misspeltEnvs(setNames, readEnvs, otherToolsEnvs), map[string]bool{}
	src, inBlock := blockCredentials(m, &diags)
	if len(src.modes()) == 0 && !diags.HasError() {
		src, inBlock = envCredentials(getenv, misses, named, &diags), false
	}
	checkPublicKey(src, inBlock, &diags)
	switch {
	case src.tokenFrom != "":
		cfg.Mode, cfg.AccessToken, cfg.CredentialSource = atlas.AuthAccessToken, src.token, src.tokenFrom
	case src.saFrom != "":
		cfg.Mode, cfg.ClientID, cfg.ClientSecret, cfg.CredentialSource = atlas.AuthServiceAccount, src.clientID, src.clientSecret, src.saFrom
	case src.keyFrom != "":
		cfg.Mode, cfg.PublicKey, cfg.PrivateKey, cfg.CredentialSource = atlas.AuthAPIKey, src.publicKey, src.privateKey, src.keyFrom
	}
	if used := src.modes(); len(used) > 1 {
		where := "The environment"
		if inBlock {
			where = "The provider block"
		}
		diags.AddWarning("Several Atlas Credentials Set",
			fmt.Sprintf("%s holds several credentials: %s. The provider uses %s (access token, then service account, then API key) "+
				"and ignores the rest. Remove the credentials you do not mean to use.", where, strings.Join(used, "; "), used[0]))
	}
	if cfg.Mode == 0 && !diags.HasError() {
		diags.AddError("No Atlas Credentials",
			"The provider needs credentials for Atlas. Set one of: access_token (or MONGODB_ATLAS_ACCESS_TOKEN); "+
				"client_id and client_secret of a service account (or MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET); "+
				"public_key and private_key of an API key (or MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY)."+
				missNotes(misses, credentialEnvs, named))
	}

	baseURL, baseSource := firstSet(m.BaseURL, "base_url", baseURLEnvs, getenv)
	if baseURL == "" {
		// Said in the facts of a connection error: a misspelt variable
		// sends the requests here.
		baseURL, baseSource = atlas.DefaultBaseURL, "the default, as none of base_url, "+strings.Join(baseURLEnvs, " and ")+" is set"
	}
	if problem, fix := checkBaseURL(baseURL); problem != "" {
		detail := fmt.Sprintf("The base URL %s, from %s, %s. %s", describeURL(baseURL), baseSource, problem, fix)
		if m.BaseURL.IsNull() {
			diags.AddError("Invalid Atlas Base URL", detail)
		} else {
			diags.AddAttributeError(path.Root("base_url"), "Invalid Atlas Base URL", detail)
		}
	}
	cfg.BaseURL, cfg.BaseURLSource = strings.TrimSuffix(baseURL, "/"), baseSource

	for _, miss := range misses {
		if !named[miss.set] {
			diags.AddWarning("Possibly Misspelt Environment Variable", misspeltText(miss)+
				" Rename it if it is meant for atlasinv.")
		}
	}

	if !m.RequestTimeout.IsNull() {
		// The validator has already refused anything else.
		if d, err := time.ParseDuration(m.RequestTimeout.ValueString()); err == nil && d > 0 {
			cfg.RequestTimeout = d
		}
	}
	if !m.MaxRetries.IsNull() {
		cfg.MaxRetries = int(m.MaxRetries.ValueInt64())
	}
	return cfg, diags
}

// blockCredentials is what the provider block holds; the second result is
// true. Half a pair is an attribute error.
func blockCredentials(m providerModel, diags *diag.Diagnostics) (credentialSet, bool) {
	var s credentialSet
	if !m.AccessToken.IsNull() {
		s.token, s.tokenFrom = m.AccessToken.ValueString(), "the provider attribute access_token"
	}
	s.clientID, s.clientSecret, s.saFrom = blockPair(serviceAccountPair, m.ClientID, m.ClientSecret, diags)
	s.publicKey, s.privateKey, s.keyFrom = blockPair(apiKeyPair, m.PublicKey, m.PrivateKey, diags)
	return s, true
}

// envCredentials is what the environment holds. Half a pair is an error that
// names the variables, and the misses that were probably meant for the
// missing half.
func envCredentials(getenv func(string) string, misses []nearMiss, named map[string]bool, diags *diag.Diagnostics) credentialSet {
	var s credentialSet
	if v, name := firstEnv(accessTokenEnvs, getenv); v != "" {
		s.token, s.tokenFrom = v, "the environment variable "+name
	}
	s.clientID, s.clientSecret, s.saFrom = envPair(serviceAccountPair, getenv, misses, named, diags)
	s.publicKey, s.privateKey, s.keyFrom = envPair(apiKeyPair, getenv, misses, named, diags)
	return s
}

// checkPublicKey refuses a service-account credential in the public key of
// the chosen source, without repeating it unless it is a client id (a
// client secret starts with mdb_sa too).
func checkPublicKey(s credentialSet, inBlock bool, diags *diag.Diagnostics) {
	if s.keyFrom == "" || !strings.HasPrefix(s.publicKey, serviceAccountIDPrefix) {
		return
	}
	what := "starts with " + serviceAccountIDPrefix + ", as service account credentials do, so it is not an API key's public key (" +
		atlas.PublicKeyShape + "); it is not shown, since it may be a secret"
	if atlas.IsClientID(s.publicKey) {
		what = "is the service account client id " + quoted(s.publicKey) + ", not an API key's public key (" + atlas.PublicKeyShape + ")"
	}
	detail := "The public key from " + s.keyFrom + " " + what + ". " +
		"Put the client id in client_id (or MONGODB_ATLAS_CLIENT_ID) and its secret in client_secret (or MONGODB_ATLAS_CLIENT_SECRET)."
	if inBlock {
		diags.AddAttributeError(path.Root("public_key"), "Service Account Credential Used As API Key", detail)
	} else {
		diags.AddError("Service Account Credential Used As API Key", detail)
	}
}

// blockPair takes both halves from the provider block. Half a pair is an
// error: the block is never completed from the environment.
func blockPair(p credentialPair, id, secret types.String, diags *diag.Diagnostics) (string, string, string) {
	switch {
	case id.IsNull() && secret.IsNull():
		return "", "", ""
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

// envPair takes both halves from the environment, each from the first of its
// variables that is set.
func envPair(p credentialPair, getenv func(string) string, misses []nearMiss, named map[string]bool,
	diags *diag.Diagnostics) (string, string, string) {
	idVal, idEnv := firstEnv(p.idEnvs, getenv)
	secretVal, secretEnv := firstEnv(p.secretEnvs, getenv)
	switch {
	case idVal == "" && secretVal == "":
		return "", "", ""
	case secretVal == "":
		diags.AddError("Incomplete "+titleCase(p.name),
			fmt.Sprintf("%s is set but %s. Export the %s's secret in %s, or unset %s.",
				idEnv, noneSet(p.secretEnvs), p.name, p.secretEnvs[0], idEnv)+missNotes(misses, p.secretEnvs, named))
		return "", "", ""
	case idVal == "":
		diags.AddError("Incomplete "+titleCase(p.name),
			fmt.Sprintf("%s is set but %s. Export the %s's id in %s, or unset %s.",
				secretEnv, noneSet(p.idEnvs), p.name, p.idEnvs[0], secretEnv)+missNotes(misses, p.idEnvs, named))
		return "", "", ""
	}
	return idVal, secretVal, "the environment variables " + idEnv + " and " + secretEnv
}

// noneSet says that none of envs is set: "X is not" for one variable,
// "none of X, Y, Z is" for several.
func noneSet(envs []string) string {
	if len(envs) == 1 {
		return envs[0] + " is not"
	}
	return "none of " + strings.Join(envs, ", ") + " is"
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

// describeURL shows a base URL in a message only as far as it cannot hold a
// secret: scheme, host and path of a URL that parses with a host. User,
// password, query and fragment are left out, and anything that is not such a
// URL (a secret pasted into the wrong place, say) is not shown at all.
func describeURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return "(not shown: it is not an http(s) URL and may be a secret in the wrong place)"
	}
	shown := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
	var left []string
	if u.User != nil {
		left = append(left, "user and password")
	}
	if u.RawQuery != "" || u.ForceQuery {
		left = append(left, "query")
	}
	if u.Fragment != "" {
		left = append(left, "fragment")
	}
	if n := len(left); n > 0 {
		if n > 1 {
			left = append(left[:n-2], left[n-2]+" and "+left[n-1])
		}
		return quoted(shown.String()) + " (" + strings.Join(left, ", ") + " not shown)"
	}
	return quoted(shown.String())
}

// checkBaseURL says what is wrong with a base URL and what to do about it,
// or "" when nothing is.
func checkBaseURL(raw string) (problem, fix string) {
	fix = "Use an absolute URL such as " + atlas.DefaultBaseURL + "."
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "cannot be parsed", fix
	case u.Scheme != "http" && u.Scheme != "https":
		return "is not an absolute http(s) URL", fix
	case u.Host == "" || u.Hostname() == "":
		return "has no host", fix
	case u.User != nil:
		return "must not carry a user or password: credentials belong in the credential attributes", fix
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return "must not have a query or fragment", fix
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return "uses plain http to a host that is not loopback, which would send credentials unencrypted; use https", fix
	}
	if prefix, apiPath := splitAPIPath(u.Path); apiPath != "" {
		// Every request path starts with the API's path: kept here, it
		// would be sent twice and every read would fail as not found.
		// Any other path, a reverse proxy's prefix, is kept.
		base := url.URL{Scheme: u.Scheme, Host: u.Host, Path: prefix}
		return "ends with " + apiPath + ", the API's path, which the provider adds to every request itself",
			"Drop " + apiPath + ": use " + base.String() + "."
	}
	return "", ""
}

// splitAPIPath splits a base URL's path ending with the Atlas API's path
// (/api/atlas/v2 or /api/atlas, in any case, with or without a trailing
// slash) into what comes before and that path; apiPath is "" otherwise.
func splitAPIPath(p string) (prefix, apiPath string) {
	trimmed := strings.TrimRight(p, "/")
	for _, suffix := range []string{"/api/atlas/v2", "/api/atlas"} {
		if at := len(trimmed) - len(suffix); at >= 0 && strings.EqualFold(trimmed[at:], suffix) {
			return trimmed[:at], p[at:]
		}
	}
	return p, ""
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
