package mockatlas

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// The OpenAPI document describes the token endpoint only as the security
// scheme ServiceAccounts: OAuth 2, client-credentials flow, its tokenUrl, and
// the invitation operations accept it. What the flow itself is (a form POST
// with the client in HTTP Basic, a JSON answer with access_token, token_type
// and expires_in, errors as {"error": ...}) is RFC 6749 §4.4, §5.1 and §5.2,
// which the document points to by naming the flow. This test holds the mock
// to both: the endpoint at the document's tokenUrl, answering as RFC 6749
// says, and a token it issues opening the documented operation.
func TestTokenEndpointConformsToOpenAPI(t *testing.T) {
	doc := loadAtlasSpec(t)
	ref := doc.Components.SecuritySchemes["ServiceAccounts"]
	if ref == nil || ref.Value.Type != "oauth2" || ref.Value.Flows == nil || ref.Value.Flows.ClientCredentials == nil {
		t.Fatalf("security scheme ServiceAccounts is not OAuth 2 client credentials: %+v", ref)
	}
	tokenURL, err := url.Parse(ref.Value.Flows.ClientCredentials.TokenURL)
	if err != nil || tokenURL.Path == "" {
		t.Fatalf("tokenUrl %q: %v", ref.Value.Flows.ClientCredentials.TokenURL, err)
	}
	for _, path := range []string{specListPath, specGetPath} {
		op := doc.Paths.Value(path).Get
		security := doc.Security
		if op.Security != nil {
			security = *op.Security
		}
		if !slices.ContainsFunc(security, func(r openapi3.SecurityRequirement) bool { _, ok := r["ServiceAccounts"]; return ok }) {
			t.Errorf("%s does not accept ServiceAccounts tokens: %v", op.OperationID, security)
		}
	}

	s, ts, _ := start(t)
	post := func(t *testing.T, id, secret, form string) (int, http.Header, map[string]any) {
		t.Helper()
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, ts.URL+tokenURL.Path, strings.NewReader(form))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret)) // RFC 6749 §2.3.1
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var body map[string]any
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Fatalf("answer %d is not a JSON object (RFC 6749 §5.1, §5.2): %q", resp.StatusCode, raw)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type = %q, want application/json", ct)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control = %q, want no-store (RFC 6749 §5.1)", cc)
		}
		return resp.StatusCode, resp.Header, body
	}

	t.Run("token issued", func(t *testing.T) {
		status, _, body := post(t, DemoClientID, DemoClientSecret, "grant_type=client_credentials")
		tok, _ := body["access_token"].(string)
		typ, _ := body["token_type"].(string)
		expires, _ := body["expires_in"].(float64)
		if status != http.StatusOK || tok == "" || !strings.EqualFold(typ, "bearer") || expires < 1 || expires != float64(int64(expires)) {
			t.Fatalf("status %d, body %v: want 200 with access_token, token_type Bearer, expires_in whole seconds > 0", status, body)
		}
		// The token opens the documented operation, whose answer conforms.
		router := specRouter(t, doc, ts.URL)
		tc := conformanceCase{op: opList}
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, ts.URL+"/api/atlas/v2/orgs/"+DemoOrgID+"/invites", nil)
		req.Header.Set("Accept", MediaType)
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := &recordingTransport{base: http.DefaultTransport}
		resp, err := (&http.Client{Transport: rec}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		ex := rec.got[0]
		if ex.status != http.StatusOK {
			t.Fatalf("list with the issued token answered %d", ex.status)
		}
		checkRequest(t, router, tc, ex)
		if err := validateAnswer(t, doc, router, ex, undocumentedStatuses); err != nil {
			t.Errorf("answer does not conform: %v", err)
		}
	})

	// RFC 6749 §5.2: 400, or 401 with WWW-Authenticate when the client
	// authenticated with HTTP Basic, and the error code it names.
	for _, tc := range []struct {
		name, secret, form string
		status             int
		code               string
	}{
		{"wrong client secret", "wrong", "grant_type=client_credentials", http.StatusUnauthorized, "invalid_client"},
		{"no grant_type", DemoClientSecret, "", http.StatusBadRequest, "invalid_request"},
		{"other grant_type", DemoClientSecret, "grant_type=password", http.StatusBadRequest, "unsupported_grant_type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, h, body := post(t, DemoClientID, tc.secret, tc.form)
			if status != tc.status || body["error"] != tc.code {
				t.Errorf("status %d, body %v; want %d with error %q", status, body, tc.status, tc.code)
			}
			if status == http.StatusUnauthorized && !strings.HasPrefix(h.Get("WWW-Authenticate"), "Basic ") {
				t.Errorf("401 without a Basic challenge: WWW-Authenticate %q", h.Get("WWW-Authenticate"))
			}
		})
	}
	if n := len(s.Requests()); n != 5 {
		t.Errorf("the mock saw %d requests, want 5", n)
	}
}
