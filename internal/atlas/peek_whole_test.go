package atlas_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
)

// A body that arrived in full is kept as sent, up to the cut: a start of a
// secret at its end is no secret cut in two (a cut-off answer keeps no body
// at all: KindCutOff).
func TestBodyStartKeepsAWholeBodyAsSent(t *testing.T) {
	body := "<p>" + testAccessToken[:12]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	cfg := testConfig(srv.URL, atlas.AuthAccessToken)
	cfg.MaxRetries = 0
	e := asAtlasError(t, list(t, newClient(t, cfg), testOrgID))
	if e.Kind != atlas.KindBadResponse || e.BodyStart != body {
		t.Errorf("%v with BodyStart %q, want KindBadResponse with %q", e.Kind, e.BodyStart, body)
	}
}
