package diagnostics_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/provider/diagnostics"
)

// TestAddAtlasErrorBlamesTheAttribute: a not-found answer is the fault of
// the id Atlas's errorCode names, else of the attribute the data source
// gives; every other failure is the configuration's or Atlas's.
func TestAddAtlasErrorBlamesTheAttribute(t *testing.T) {
	notFound := func(code string) error {
		return &atlas.Error{Kind: atlas.KindNotFound, Status: 404, ErrorCode: code}
	}
	tests := []struct {
		name         string
		err          error
		notFoundAttr path.Path
		attr         path.Path // path.Empty(): no attribute
		summary      string
	}{
		{"organization named", notFound("ORG_NOT_FOUND"), path.Root("invitation_id"), path.Root("org_id"), "Atlas Resource Not Found"},
		{"invitation named", notFound("INVITATION_NOT_FOUND"), path.Empty(), path.Root("invitation_id"), "Atlas Resource Not Found"},
		{"nothing named: the data source's attribute", notFound("RESOURCE_NOT_FOUND"), path.Root("org_id"), path.Root("org_id"), "Atlas Resource Not Found"},
		{"nothing named, no attribute given", notFound("RESOURCE_NOT_FOUND"), path.Empty(), path.Empty(), "Atlas Resource Not Found"},
		{"not a 404", &atlas.Error{Kind: atlas.KindServer, Status: 500, ErrorCode: "ORG_NOT_FOUND"}, path.Root("org_id"), path.Empty(), "Atlas Server Error"},
		{"wrapped", errors.Join(errors.New("reading"), notFound("ORG_NOT_FOUND")), path.Empty(), path.Root("org_id"), "Atlas Resource Not Found"},
		{"not an Atlas error", errors.New("boom"), path.Root("org_id"), path.Empty(), "Atlas Request Failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var diags diag.Diagnostics
			diagnostics.AddAtlasError(&diags, tt.err, "atlasinv_org_invite", tt.notFoundAttr)
			if len(diags) != 1 || diags[0].Severity() != diag.SeverityError {
				t.Fatalf("want one error, got %v", diags)
			}
			d := diags[0]
			if d.Summary() != tt.summary {
				t.Errorf("summary %q, want %q", d.Summary(), tt.summary)
			}
			attr := path.Empty()
			if wp, ok := d.(diag.DiagnosticWithPath); ok {
				attr = wp.Path()
			}
			if !attr.Equal(tt.attr) {
				t.Errorf("blames %q, want %q", attr, tt.attr)
			}
			var ae *atlas.Error
			want := "boom"
			if errors.As(tt.err, &ae) {
				want = diagnostics.Detail(ae)
			}
			if d.Detail() != want {
				t.Errorf("detail %q, want %q", d.Detail(), want)
			}
		})
	}
}

// TestTokenEndpointSilence: a token endpoint that never answers is said to
// have timed out, naming request_timeout, not a connection failure.
func TestTokenEndpointSilence(t *testing.T) {
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(done) }) // runs first: the client may keep the connection open
	cfg := testConfig(srv.URL, atlas.AuthServiceAccount)
	cfg.RequestTimeout, cfg.MaxRetries = 100*time.Millisecond, 0
	_, err := newClient(t, cfg).ListInvitations(context.Background(), testOrgID, nil)
	e := asAtlasError(t, err)
	detail := diagnostics.Detail(e)
	if e.Kind != atlas.KindTokenEndpoint || !strings.Contains(detail, "did not answer within request_timeout (100ms) on its only attempt.") {
		t.Errorf("kind %v, want a token endpoint timeout:\n%s", e.Kind, detail)
	}
	assertNoSecret(t, "the detail", detail, diagnostics.Summary(e))
}

// TestConnectionFailureNamedOnce: the root cause of a refused connection is
// named once, without the URL wrappers.
func TestConnectionFailureNamedOnce(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	cfg := testConfig(srv.URL, atlas.AuthAPIKey)
	cfg.MaxRetries = 0
	_, err := newClient(t, cfg).ListInvitations(context.Background(), testOrgID, nil)
	e := asAtlasError(t, err)
	detail := diagnostics.Detail(e)
	if e.Kind != atlas.KindNetwork || !strings.Contains(detail, "after 1 attempt: dial tcp ") ||
		strings.Count(detail, "connection refused") != 1 {
		t.Errorf("kind %v, want the refused connection named once:\n%s", e.Kind, detail)
	}
}
