package diagnostics_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/provider/diagnostics"
)

// TestVersionWordingOnlyForAtlasCodes: a 406 or 410 says "upgrade the
// provider" only when Atlas's own errorCode says the version is not
// served. A plain answer without an errorCode (a proxy's, or a server at a
// wrong base_url) says what was answered and that it did not come from
// Atlas's API; another Atlas errorCode is shown for what it is. Each answer
// goes through the client, so the kind and code are the atlas package's.
func TestVersionWordingOnlyForAtlasCodes(t *testing.T) {
	const upgrade = "Upgrade the atlasinv provider."
	notFromAtlas := []string{"without an Atlas error code", "did not come from Atlas's API",
		"a proxy, or from a base_url that is not the Atlas API", "check base_url (or MONGODB_ATLAS_BASE_URL)"}
	tests := []struct {
		name    string
		fault   mockatlas.Fault
		summary string
		has     []string
		hasNot  []string
	}{
		{"410 VERSION_GONE", mockatlas.Fault{Status: http.StatusGone}, "Atlas API Version No Longer Served",
			[]string{"Atlas no longer serves the API version this provider speaks (" + mockatlas.MediaType + ") for this endpoint. " + upgrade},
			[]string{"proxy"}},
		{"406 INVALID_VERSION_DATE", mockatlas.Fault{Status: http.StatusNotAcceptable}, "Atlas API Version No Longer Served",
			[]string{upgrade}, []string{"proxy"}},
		{"410 in plain text", mockatlas.Fault{Status: http.StatusGone, Body: "Gone", ContentType: "text/plain"}, "Answer Not From The Atlas API",
			append([]string{`answered 410 Gone (content type "text/plain") without an Atlas error code`}, notFromAtlas...),
			[]string{upgrade, "no longer serves"}},
		{"406 in HTML", mockatlas.Fault{Status: http.StatusNotAcceptable, Body: "<html>Not Acceptable</html>", ContentType: "text/html"},
			"Answer Not From The Atlas API",
			append([]string{`answered 406 Not Acceptable (content type "text/html") without an Atlas error code`}, notFromAtlas...),
			[]string{upgrade, "no longer serves"}},
		{"410 in JSON without an errorCode", mockatlas.Fault{Status: http.StatusGone, Body: `{"error":410,"detail":"gone"}`, ContentType: "application/json"},
			"Answer Not From The Atlas API", append([]string{"answered 410 Gone"}, notFromAtlas...), []string{upgrade}},
		{"410 with another Atlas errorCode", mockatlas.Fault{Status: http.StatusGone, ContentType: mockatlas.ErrorMediaType,
			Body: `{"error":410,"errorCode":"RESOURCE_GONE","detail":"Gone for good.","reason":"Gone","parameters":[]}`},
			"Atlas Request Failed", []string{"Atlas answered 410 Gone with error code RESOURCE_GONE, which does not say that it no longer serves",
				"Atlas detail: Gone for good."}, []string{upgrade, "proxy"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, srv := newMock(t)
			m.SetFault(&tt.fault)
			_, err := newClient(t, testConfig(srv.URL, atlas.AuthAPIKey)).ListInvitations(context.Background(), testOrgID, nil)
			e := asAtlasError(t, err)
			if e.Kind != atlas.KindVersionGone || e.Status != tt.fault.Status {
				t.Fatalf("got %v %d, want %v %d", e.Kind, e.Status, atlas.KindVersionGone, tt.fault.Status)
			}
			if got := diagnostics.Summary(e); got != tt.summary {
				t.Errorf("summary %q, want %q", got, tt.summary)
			}
			detail := diagnostics.Detail(e)
			hint, _, _ := strings.Cut(detail, "\n\n")
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
