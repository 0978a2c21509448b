package atlas_test

import (
	"bytes"
	"context"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
)

// A refused redirect is told in the diagnostic only: nothing reaches the
// plugin's stderr (net/http prints there when a transport hands up both a
// response and an error). Not parallel: it swaps the standard logger's
// output, which parallel tests would write to as well.
func TestRefusedRedirectPrintsNothing(t *testing.T) {
	var printed bytes.Buffer
	prev := log.Writer()
	log.SetOutput(&printed)
	t.Cleanup(func() { log.SetOutput(prev) })

	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		t.Error("the redirect was followed")
	}))
	t.Cleanup(elsewhere.Close)
	redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+r.URL.Path, http.StatusFound)
	}))
	t.Cleanup(redirecting.Close)

	for _, mode := range allModes {
		t.Run(mode.String(), func(t *testing.T) {
			printed.Reset()
			c := newClient(t, testConfig(redirecting.URL, mode))
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_, err := c.ListInvitations(ctx, testOrgID, nil)
			if k := asAtlasError(t, err).Kind; k != atlas.KindRedirect {
				t.Fatalf("kind %v, want KindRedirect: %v", k, err)
			}
			if printed.Len() > 0 {
				t.Errorf("the refused redirect printed to the standard logger: %q", printed.String())
			}
		})
	}
}
