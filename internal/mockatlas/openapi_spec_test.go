package mockatlas

// Loading the SDK's OpenAPI document and talking to the mock the way the
// conformance test needs: a router for the two operations and a transport
// that records every exchange.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas/atlasspec"
)

var atlasSpec struct {
	once sync.Once
	doc  *openapi3.T
	file string
	err  error
}

// loadAtlasSpec loads the SDK's OpenAPI document once per test binary and
// checks the two operations the mock serves.
func loadAtlasSpec(t *testing.T) *openapi3.T {
	t.Helper()
	atlasSpec.once.Do(func() {
		atlasSpec.file, atlasSpec.doc, atlasSpec.err = readAtlasSpec()
	})
	if atlasSpec.err != nil {
		t.Fatalf("Atlas OpenAPI document: %v", atlasSpec.err)
	}
	return atlasSpec.doc
}

func readAtlasSpec() (string, *openapi3.T, error) {
	doc, file, err := atlasspec.Load()
	if err != nil {
		return file, nil, err
	}
	// doc.Validate cannot be used: the document has patterns with
	// look-ahead, e.g. "(?!" in schema AccessListItem, which Go's RE2
	// regexp rejects. The two operations this mock serves (and every schema
	// they reference) validate on their own.
	ctx := context.Background()
	for path, opID := range map[string]string{specListPath: opList, specGetPath: opGet} {
		item := doc.Paths.Value(path)
		if item == nil || item.Get == nil {
			return file, nil, fmt.Errorf("%s: no GET %s", file, path)
		}
		if item.Get.OperationID != opID {
			return file, nil, fmt.Errorf("%s: GET %s is %q, want %q", file, path, item.Get.OperationID, opID)
		}
		if err := item.Get.Validate(ctx); err != nil {
			return file, nil, fmt.Errorf("%s: operation %s is not valid OpenAPI: %w", file, opID, err)
		}
	}
	return file, doc, nil
}

// specRouter routes requests to the two invitation operations of doc, with
// the document's servers replaced by the test server.
func specRouter(t *testing.T, doc *openapi3.T, serverURL string) routers.Router {
	t.Helper()
	scoped := &openapi3.T{
		OpenAPI:    doc.OpenAPI,
		Info:       doc.Info,
		Components: doc.Components,
		Security:   doc.Security,
		Servers:    openapi3.Servers{{URL: serverURL}},
		Paths: openapi3.NewPaths(
			openapi3.WithPath(specListPath, doc.Paths.Value(specListPath)),
			openapi3.WithPath(specGetPath, doc.Paths.Value(specGetPath)),
		),
	}
	r, err := gorillamux.NewRouter(scoped)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// specAuthentication stands in for the document's security schemes: it only
// checks that the request carries credentials of the scheme's kind (HTTP
// digest for DigestAuth, a bearer token for the OAuth 2 ServiceAccounts).
func specAuthentication(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	h := in.RequestValidationInput.Request.Header.Get("Authorization")
	scheme, _, _ := strings.Cut(h, " ")
	ss := in.SecurityScheme
	switch {
	case ss.Type == "http" && strings.EqualFold(ss.Scheme, scheme):
		return nil
	case ss.Type == "oauth2" && strings.EqualFold(scheme, "bearer"):
		return nil
	}
	return fmt.Errorf("no %s credentials", in.SecuritySchemeName)
}

func specOptions() *openapi3filter.Options {
	return &openapi3filter.Options{
		AuthenticationFunc:      specAuthentication,
		IncludeResponseStatus:   true, // an undocumented status is an error
		MultiError:              true,
		SchemaValidationOptions: atlasspec.SchemaOptions(),
	}
}

// exchange is one request the client sent and the answer it got.
type exchange struct {
	req    *http.Request
	status int
	header http.Header
	body   []byte
}

// recordingTransport keeps every exchange, including digest challenges the
// digest transport answers on its own.
type recordingTransport struct {
	base http.RoundTripper
	mu   sync.Mutex
	got  []exchange
}

func (rt *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := rt.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	rt.mu.Lock()
	rt.got = append(rt.got, exchange{req: req, status: resp.StatusCode, header: resp.Header.Clone(), body: body})
	rt.mu.Unlock()
	return resp, nil
}

// Ways a conformance case authenticates.
const (
	viaDigest    = "digest"     // the real digest client, demo API key
	viaBadDigest = "bad-digest" // the real digest client, wrong private key
	viaBearer    = "bearer"     // a valid static bearer token
	viaBadBearer = "bad-bearer" // an unknown bearer token
	viaNone      = "none"       // no Authorization header
)
