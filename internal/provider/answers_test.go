package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// Broken answers: each is told for what it is, never a crash, never an
// empty list.

func TestAccAnswers_nullOrEmptyBodyIsUnexpected(t *testing.T) {
	t.Parallel()
	bodies := []struct {
		name  string
		fault mockatlas.Fault
		shows string
	}{
		{"null", mockatlas.Fault{Body: "null"}, `"null" (JSON null: no data at all)`},
		{"empty", mockatlas.Fault{EmptyBody: true, ContentType: mockatlas.MediaType}, `"" (an empty body)`},
	}
	for _, b := range bodies {
		for _, ds := range dataSourceConfigs {
			t.Run(b.name+"/"+ds.name, func(t *testing.T) {
				mock, url := newTestAtlas(t, inviteFull)
				mock.SetFault(&b.fault)
				resource.ParallelTest(t, resource.TestCase{
					ProtoV6ProviderFactories: factories(nil),
					Steps: []resource.TestStep{{
						Config:      digestProvider(url) + ds.config,
						ExpectError: errorText("Unexpected Atlas Response ... Atlas answered 200 ... The body starts with: " + b.shows),
					}},
				})
			})
		}
	}
}

// An answer cut off mid-body, by a dropped connection or a stall past
// request_timeout, is retried like a dropped connection.
func TestAccAnswers_cutOffBodyIsRetried(t *testing.T) {
	t.Parallel()
	faults := []struct {
		name  string
		fault mockatlas.Fault
	}{
		{"dropped", mockatlas.Fault{CutAfter: 20}},
		{"stalled", mockatlas.Fault{CutAfter: 20, Stall: time.Minute}},
	}
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			mock, url := newTestAtlas(t, inviteFull)
			mock.Script(f.fault)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config: listConfig(url, `request_timeout = "2s"`),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.atlasinv_org_invites.test",
							tfjsonpath.New("invites").AtSliceIndex(0).AtMapKey("id"), knownvalue.StringExact(inviteFull.ID)),
					},
				}},
			})
			if got := authenticatedStatuses(mock); len(got) < 2 || got[1] != http.StatusOK {
				t.Errorf("signed requests answered %v, want the cut-off one then a retry answered 200", got)
			}
		})
	}
}

func TestAccAnswers_cutOffOnEveryAttemptSaysSo(t *testing.T) {
	mock, url := newTestAtlas(t, inviteFull)
	mock.SetFault(&mockatlas.Fault{CutAfter: 20})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:      listConfig(url, "max_retries = 1"),
			ExpectError: errorText("Atlas Answer Cut Off ... on each of 2 attempts ... unexpected EOF"),
		}},
	})
}

// A proxy's Basic challenge is not Atlas's digest: said so at once, not
// retried as a network error.
func TestAccAnswers_basicChallengeIsNamed(t *testing.T) {
	proxy := &mockatlas.BasicChallenge{Realm: "corporate proxy"}
	srv := httptest.NewServer(proxy)
	t.Cleanup(srv.Close)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:      listConfig(srv.URL),
			ExpectError: errorText("Unexpected Authentication Challenge ... asking for Basic authentication ... proxy"),
		}},
	})
	if n := proxy.Requests(); n != 1 {
		t.Errorf("%d requests met the challenge, want 1 (not retried)", n)
	}
}

// Token endpoint failures are the token endpoint's, with its URL: never the
// organization's (404), the API version's (406) or "cannot reach" (HTML).
// tokenAsText is a token endpoint's answer whose content type a proxy
// rewrote: a live token, 88 bytes.
const tokenAsText = `{"access_token":"eyJhbGciOiJSUzI1NiJ9.live.sig","token_type":"Bearer","expires_in":3600}`

func TestAccAnswers_tokenEndpointFailuresNamedAsSuch(t *testing.T) {
	t.Parallel()
	html := "<html><body>Sign in</body></html>"
	tests := []struct {
		name  string
		fault mockatlas.Fault
		want  string
	}{
		{"400", mockatlas.Fault{Status: 400, Body: `{"error":"invalid_client"}`, ContentType: "application/json"},
			"Atlas Rejected The Service Account Credentials ... {token} ... with 400 (invalid_client)"},
		{"401", mockatlas.Fault{Status: 401, Body: `{"error":"invalid_client"}`, ContentType: "application/json"},
			"Atlas Rejected The Service Account Credentials ... {token} ... with 401 (invalid_client)"},
		{"404", mockatlas.Fault{Status: 404}, "Atlas Token Request Failed ... token endpoint ({token}) answered 404 Not Found ... with no path"},
		{"406", mockatlas.Fault{Status: 406}, "Atlas Token Request Failed ... token endpoint ({token}) answered 406 Not Acceptable"},
		{"503", mockatlas.Fault{Status: 503}, "Atlas Token Request Failed ... answered 503 Service Unavailable after 2 attempts"},
		{"HTML", mockatlas.Fault{Body: html, ContentType: "text/html"}, "Atlas Token Request Failed ... token endpoint ({token}) answered 200 with content type \"text/html\" and a body of 33 bytes, not a token ... The body is not shown: it may hold a live token"},
		// A proxy that rewrites the token's content type: the answer holds a
		// live token, which the diagnostic (and Terraform's log of it) must
		// not carry.
		{"token as text/plain", mockatlas.Fault{Body: tokenAsText, ContentType: "text/plain"}, "Atlas Token Request Failed ... token endpoint ({token}) answered 200 with content type \"text/plain\" and a body of 88 bytes, not a token this provider can read. The body is not shown"},
		{"over 64 MiB", mockatlas.Fault{BodySize: 65 << 20}, "Atlas Answer Too Large ... The answer to POST {token} was larger than the provider's limit of 64 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mock, url := newTestAtlas(t, inviteFull)
			f := tt.fault
			mock.ScriptToken(f, f)
			want := regexp.MustCompile(regexp.QuoteMeta("{token}")).ReplaceAllString(tt.want, url+"/api/oauth/token")
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config:      providerWith(url, credentialBlocks[1].block, "max_retries = 1") + dataSourceConfigs[0].config,
					ExpectError: errorText(want),
				}},
			})
		})
	}
}

// The Request: line shows the URL sent: a base_url with a path (a reverse
// proxy's prefix, which the provider keeps) sends the API's path after it,
// and the message must show it. (A base_url that ends with the API's path
// is refused: TestAccBaseURLWithAPIPathRefused.)
func TestAccAnswers_requestLineShowsURLSent(t *testing.T) {
	_, url := newTestAtlas(t, inviteFull)
	sent := url + "/atlas/api/atlas/v2/orgs/" + testOrgID + "/invites"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:      listConfig(url + "/atlas"),
			ExpectError: regexp.MustCompile(`Request:\s+GET\s+` + regexp.QuoteMeta(sent)),
		}},
	})
}

// A failing token endpoint is asked once for the reads that wait on it, not
// once per waiting read: 10 parallel reads, the endpoint answering 503 (the
// first answer late, so every read is waiting by then), max_retries = 2.
func TestAccAnswers_failedTokenFetchIsShared(t *testing.T) {
	mock, url := newTestAtlas(t, inviteFull)
	const reads, maxRetries = 10, 2
	mock.ScriptToken(mockatlas.Fault{Status: http.StatusServiceUnavailable, Delay: 2 * time.Second},
		mockatlas.Fault{Status: http.StatusServiceUnavailable}, mockatlas.Fault{Status: http.StatusServiceUnavailable})
	config := providerWith(url, credentialBlocks[1].block, fmt.Sprintf("max_retries = %d", maxRetries))
	for i := range reads {
		config += fmt.Sprintf("data \"atlasinv_org_invites\" \"d%d\" {\n  org_id = %q\n}\n", i, testOrgID)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: errorText("Atlas Token Request Failed ... answered 503 Service Unavailable after 3 attempts"),
		}},
	})
	tokens := countRequests(mock, func(r mockatlas.Request) bool { return r.Path == "/api/oauth/token" })
	t.Logf("%d token requests for %d waiting reads", tokens, reads)
	if tokens != maxRetries+1 {
		t.Errorf("%d token requests for %d waiting reads, want %d (one fetch, its retries)", tokens, reads, maxRetries+1)
	}
}
