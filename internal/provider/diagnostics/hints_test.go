package diagnostics_test

import (
	"strings"
	"testing"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/provider/diagnostics"
)

// TestDetailOfEachFailure: each kind of failure says what to change, with
// the settings that decide it, then the facts of the request.
func TestDetailOfEachFailure(t *testing.T) {
	setup := atlas.Setup{
		Mode: atlas.AuthAPIKey, Principal: `public key "pubkeyab"`, CredentialSource: "MONGODB_ATLAS_PUBLIC_KEY",
		BaseURL: "https://atlas.example", BaseOrigin: "https://atlas.example:443", RequestTimeout: 2 * time.Second, MaxRetries: 2,
	}
	const url = "https://atlas.example/api/atlas/v2/orgs/5f0c0ffee0c0ffee0c0ffee0/invites"
	tests := []struct {
		name   string
		err    atlas.Error
		has    []string
		hasNot []string
	}{
		{"role missing", atlas.Error{Kind: atlas.KindUnauthorized, Status: 401, ErrorCode: atlas.CodeRoleMissing,
			Role: "Organization Owner", Reads: "its invitations"},
			[]string{"Atlas accepted the API key (HTTP digest) credentials (public key \"pubkeyab\", from MONGODB_ATLAS_PUBLIC_KEY), " +
				"but they lack the Organization Owner role in this organization, which reading its invitations requires.",
				"Give the API key or service account the Organization Owner role"}, []string{"revoked"}},
		{"refused, no role documented", atlas.Error{Kind: atlas.KindUnauthorized, Status: 401, ErrorCode: atlas.CodeRoleMissing,
			Reads: "the organizations"},
			[]string{"Atlas accepted the API key (HTTP digest) credentials (public key \"pubkeyab\", from MONGODB_ATLAS_PUBLIC_KEY), " +
				"but answered 401 USER_UNAUTHORIZED when they read the organizations; Atlas documents no role that this read requires."},
			[]string{"Organization Member", "Organization Owner", "lack", "revoked"}},
		{"credentials rejected", atlas.Error{Kind: atlas.KindUnauthorized, Status: 401, ErrorCode: "UNAUTHORIZED", Role: "Organization Owner"},
			[]string{"Atlas did not accept the API key (HTTP digest) credentials (public key \"pubkeyab\", from MONGODB_ATLAS_PUBLIC_KEY).",
				"the right ones for https://atlas.example, current and not revoked", "MONGODB_ATLAS_*"}, []string{"Organization Owner"}},
		{"access list, address in the parameters", atlas.Error{Kind: atlas.KindForbidden, Status: 403, ErrorCode: atlas.CodeAccessList,
			Parameters: []any{"not an address", "192.0.2.7"}},
			[]string{"Atlas refused the request from 192.0.2.7: it is not on the API access list", "Add 192.0.2.7 to the access list"}, nil},
		{"access list, address in the detail", atlas.Error{Kind: atlas.KindForbidden, Status: 403, ErrorCode: atlas.CodeAccessList,
			AtlasDetail: "IP address 2001:db8::5 is not allowed to access this resource."},
			[]string{"Atlas refused the request from 2001:db8::5", "Add 2001:db8::5 to"}, nil},
		{"access list, no address", atlas.Error{Kind: atlas.KindForbidden, Status: 403, ErrorCode: atlas.CodeAccessList,
			AtlasDetail: "IP address nowhere is not allowed"},
			[]string{"Atlas refused the request from this machine's address", "Add this machine's address to"}, nil},
		{"another 403", atlas.Error{Kind: atlas.KindForbidden, Status: 403, ErrorCode: "SOMETHING_ELSE", Parameters: []any{"192.0.2.7"}},
			[]string{"Atlas answered 403 Forbidden; for this API that means the request came from an address it does not allow", "Add 192.0.2.7"},
			[]string{"refused the request from"}},
		{"no such organization", atlas.Error{Kind: atlas.KindNotFound, Status: 404, ErrorCode: "ORG_NOT_FOUND", NotFound: `Organization "0123"`},
			[]string{`Atlas found no such organization. Organization "0123" does not exist or is not visible to the API key (HTTP digest) ` +
				`credentials (public key "pubkeyab", from MONGODB_ATLAS_PUBLIC_KEY).`}, nil},
		{"no such invitation", atlas.Error{Kind: atlas.KindNotFound, Status: 404, ErrorCode: "INVITATION_NOT_FOUND", NotFound: `Invitation "ab"`},
			[]string{"Atlas found the organization but no such invitation (it may have been accepted, revoked or expired). Invitation \"ab\""}, nil},
		{"a 404 that names nothing", atlas.Error{Kind: atlas.KindNotFound, Status: 404, ErrorCode: "RESOURCE_NOT_FOUND", NotFound: `Invitation "ab"`},
			[]string{`Invitation "ab" does not exist or is not visible`}, []string{"Atlas found"}},
		{"version gone", atlas.Error{Kind: atlas.KindVersionGone, Status: 410, ErrorCode: "VERSION_GONE", MediaType: "application/vnd.atlas.2023-01-01+json"},
			[]string{"(application/vnd.atlas.2023-01-01+json) for this endpoint. Upgrade the atlasinv provider."}, nil},
		{"rate limited", atlas.Error{Kind: atlas.KindRateLimited, Status: 429, Attempts: 3},
			[]string{"after 3 attempts (max_retries = 2, Retry-After honoured)", "lower -parallelism, or raise max_retries"}, nil},
		{"server error, one attempt", atlas.Error{Kind: atlas.KindServer, Status: 501, Attempts: 1},
			[]string{"Atlas answered 501 after 1 attempt (max_retries = 2)"}, nil},
		{"timeout", atlas.Error{Kind: atlas.KindTimeout, Attempts: 2},
			[]string{"No answer from https://atlas.example within request_timeout (2s) per attempt, after 2 attempts."}, nil},
		{"network", atlas.Error{Kind: atlas.KindNetwork, Attempts: 3},
			[]string{"Could not connect to the Atlas API at https://atlas.example after 3 attempts: unknown error.", "MONGODB_ATLAS_BASE_URL"}, nil},
		{"no such host", atlas.Error{Kind: atlas.KindNetwork, Attempts: 1, UnknownHost: "atlas.example"},
			[]string{`The name atlas.example does not exist: the resolver answered "no such host", so the request was not retried.`,
				"Check the host name in base_url (or MONGODB_ATLAS_BASE_URL), now https://atlas.example"}, []string{"Could not connect"}},
		{"HTML instead of JSON", atlas.Error{Kind: atlas.KindBadResponse, Status: 200, ContentType: "text/html", BodyStart: "<html>"},
			[]string{`Atlas answered 200 with content type "text/html"`, `The body starts with: "<html>". Something other`}, nil},
		{"empty body", atlas.Error{Kind: atlas.KindBadResponse, Status: 200, ContentType: "application/json", BodyStart: " "},
			[]string{`The body starts with: " " (an empty body).`}, nil},
		{"JSON null", atlas.Error{Kind: atlas.KindBadResponse, Status: 200, BodyStart: "null\n"},
			[]string{`(JSON null: no data at all)`}, nil},
		{"canceled", atlas.Error{Kind: atlas.KindCanceled},
			[]string{"Terraform canceled the operation before Atlas answered in full."}, nil},
		{"redirect", atlas.Error{Kind: atlas.KindRedirect, Status: 302, RedirectTarget: "https://elsewhere.example:443"},
			[]string{"a redirect to https://elsewhere.example:443, another origin than base_url's (https://atlas.example:443)"}, nil},
		{"too large", atlas.Error{Kind: atlas.KindTooLarge, Status: 200, Method: "GET", URL: url},
			[]string{"The answer to GET " + url + " was larger than the provider's limit of 64 MiB"}, nil},
		{"cut off", atlas.Error{Kind: atlas.KindCutOff, Status: 200, Attempts: 3},
			[]string{"request_timeout = 2s) on each of 3 attempts: unknown error."}, nil},
		{"cut off, one attempt", atlas.Error{Kind: atlas.KindCutOff, Status: 200, Attempts: 1},
			[]string{"request_timeout = 2s) on its only attempt: unknown error."}, []string{"each of"}},
		{"foreign challenge", atlas.Error{Kind: atlas.KindChallenge, Status: 401, Challenge: "Basic"},
			[]string{"The server at https://atlas.example answered 401 asking for Basic authentication"}, nil},
		{"token rejected with an OAuth error", atlas.Error{Kind: atlas.KindTokenRejected, Status: 401, ErrorCode: "invalid_client", URL: "https://atlas.example/api/oauth/token"},
			[]string{"Atlas's token endpoint (https://atlas.example/api/oauth/token) refused the service account credentials", "with 401 (invalid_client)."}, nil},
		{"token rejected bare", atlas.Error{Kind: atlas.KindTokenRejected, Status: 400, URL: "T"},
			[]string{"with 400. Check that client_id and client_secret"}, []string{"()"}},
		{"token endpoint unreachable", atlas.Error{Kind: atlas.KindTokenEndpoint, Attempts: 1, URL: "T"},
			[]string{"Could not get a service account token from Atlas's token endpoint (T) after 1 attempt: unknown error.",
				"Check base_url (or MONGODB_ATLAS_BASE_URL), which must be the Atlas origin (https://cloud.mongodb.com) with no path, and any proxy in between."}, nil},
		{"token answer unreadable", atlas.Error{Kind: atlas.KindTokenEndpoint, Status: 299, ContentType: "text/plain", BodyLen: 12, URL: "T"},
			[]string{`answered 299 with content type "text/plain" and a body of 12 bytes, not a token`, "The body is not shown"}, nil},
		{"token answer of one byte", atlas.Error{Kind: atlas.KindTokenEndpoint, Status: 200, BodyLen: 1},
			[]string{"and a body of 1 byte, not"}, nil},
		{"token answer empty", atlas.Error{Kind: atlas.KindTokenEndpoint, Status: 200, BodyLen: 0},
			[]string{"and a body of 0 bytes, not"}, nil},
		{"token answer not read in full", atlas.Error{Kind: atlas.KindTokenEndpoint, Status: 200, BodyLen: -1},
			[]string{"and a body not read in full, not"}, nil},
		{"token endpoint 300", atlas.Error{Kind: atlas.KindTokenEndpoint, Status: 300, URL: "T"},
			[]string{"answered 300 Multiple Choices, so no service account token was issued."}, []string{"content type"}},
		{"token endpoint 500", atlas.Error{Kind: atlas.KindTokenEndpoint, Status: 500, Attempts: 3, URL: "T"},
			[]string{"(T) answered 500 Internal Server Error after 3 attempts (max_retries = 2). This is usually transient"}, nil},
		{"token endpoint 403", atlas.Error{Kind: atlas.KindTokenEndpoint, Status: 403, ErrorCode: "invalid_request", URL: "T"},
			[]string{"answered 403 Forbidden (invalid_request), so no service account token was issued."}, []string{"transient"}},
		{"token endpoint 429", atlas.Error{Kind: atlas.KindTokenEndpoint, Status: 429, Attempts: 2},
			[]string{"answered 429 Too Many Requests after 2 attempts"}, nil},
		{"users changed", atlas.Error{Kind: atlas.KindListChanged, List: &atlas.ListFacts{What: "users", Change: "page 3 repeats an item", Pages: 4, PageSize: 500}},
			[]string{"The users changed while Terraform read them page by page, on two reads in a row (page 3 repeats an item).",
				"narrow the read with the data source's filters.", "Pages read: 4 (of 500 items each)"}, nil},
		{"organizations too long", atlas.Error{Kind: atlas.KindListTooLong, List: &atlas.ListFacts{What: "organizations", MaxPages: 400, PageSize: 500}},
			[]string{"Atlas listed more than 200000 organizations (400 full pages of 500)", "Narrow the read with the data source's filters, and check base_url"}, nil},
		{"list kind without its facts", atlas.Error{Kind: atlas.KindListChanged, Status: 200},
			[]string{"Atlas answered 200 OK."}, nil},
		{"another status", atlas.Error{Kind: atlas.KindOther, Status: 400, ErrorCode: "VALIDATION_ERROR"},
			[]string{"Atlas answered 400 Bad Request.\n\nRequest: ", "Atlas error code: VALIDATION_ERROR"}, nil},
		{"no status at all", atlas.Error{Kind: atlas.KindOther},
			[]string{"The request failed: unknown error."}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.err
			e.Setup = setup
			detail := diagnostics.Detail(&e)
			hint, facts, ok := strings.Cut(detail, "\n\n")
			if !ok || facts != e.Facts() {
				t.Fatalf("detail is not the hint, a blank line and the facts:\n%s", detail)
			}
			for _, s := range tt.has {
				if !strings.Contains(detail, s) {
					t.Errorf("detail lacks %q:\n%s", s, detail)
				}
			}
			for _, s := range tt.hasNot {
				if strings.Contains(hint, s) {
					t.Errorf("hint says %q:\n%s", s, hint)
				}
			}
		})
	}
}

// TestNotFoundSentenceWhateverThePrincipal: a 404 names the credentials as
// every other hint does, whether their id is shown or described (a public
// key not shaped like one, such as the demo's, may be a secret).
func TestNotFoundSentenceWhateverThePrincipal(t *testing.T) {
	tests := []struct {
		cfg  atlas.Config
		want string
	}{
		{atlas.Config{Mode: atlas.AuthAPIKey, PublicKey: "demopub1", CredentialSource: "the provider attributes public_key and private_key"},
			`Organization "0123" does not exist or is not visible to the API key (HTTP digest) credentials (a public key not shown ` +
				`because it is not 8 lower-case letters, from the provider attributes public_key and private_key). Check the id`},
		{atlas.Config{Mode: atlas.AuthServiceAccount, ClientID: "mdb_sa_sk_x", CredentialSource: "the environment variables X and Y"},
			`Organization "0123" does not exist or is not visible to the service account (OAuth 2 client credentials) credentials ` +
				`(a client id not shown because it is not mdb_sa_id_ followed by 24 hexadecimal digits, from the environment variables X and Y). Check the id`},
		{atlas.Config{Mode: atlas.AuthAPIKey, PublicKey: "pubkeyab", CredentialSource: "the provider attributes public_key and private_key"},
			`Organization "0123" does not exist or is not visible to the API key (HTTP digest) credentials (public key "pubkeyab", ` +
				`from the provider attributes public_key and private_key). Check the id`},
	}
	for _, tt := range tests {
		e := atlas.Error{Kind: atlas.KindNotFound, Status: 404, ErrorCode: "RESOURCE_NOT_FOUND", NotFound: `Organization "0123"`,
			Setup: atlas.Setup{Mode: tt.cfg.Mode, Principal: tt.cfg.Principal(), CredentialSource: tt.cfg.CredentialSource}}
		if detail := diagnostics.Detail(&e); !strings.HasPrefix(detail, tt.want) {
			t.Errorf("detail does not start with\n%s\n:\n%s", tt.want, detail)
		}
	}
}
