package provider

import (
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// These tests drive every failure Atlas can hand the provider through the
// Terraform CLI, and check both the diagnostic the user reads and what the
// mock saw.

func listConfig(url string, providerExtra ...string) string {
	return digestProvider(url, providerExtra...) + fmt.Sprintf(`
data "atlasinv_org_invites" "test" {
  org_id = %q
}`, testOrgID)
}

// authenticatedStatuses lists what the mock answered to each signed request.
func authenticatedStatuses(m *mockatlas.Server) []int {
	var out []int
	for _, r := range apiRequests(m) {
		if r.Authenticated {
			out = append(out, r.Status)
		}
	}
	return out
}

func TestAccRetry_transient503sThenSuccess(t *testing.T) {
	mock, url := newTestAtlas(t, inviteFull)
	mock.Script(mockatlas.Fault{Status: http.StatusServiceUnavailable}, mockatlas.Fault{Status: http.StatusServiceUnavailable})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: listConfig(url),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.atlasinv_org_invites.test", tfjsonpath.New("invites"), knownvalue.ListSizeExact(1)),
			},
		}},
	})
	// The first read took three signed attempts; later Terraform commands of
	// the step read again, at the first attempt.
	got := authenticatedStatuses(mock)
	if len(got) < 3 || got[0] != 503 || got[1] != 503 || got[2] != 200 {
		t.Fatalf("signed attempts answered %v, want 503, 503, 200 first", got)
	}
	for _, s := range got[3:] {
		if s != 200 {
			t.Fatalf("signed attempts answered %v: later reads should succeed at once", got)
		}
	}
	// Each attempt fetched a fresh digest challenge: no nonce was replayed.
	challenges := countRequests(mock, func(r mockatlas.Request) bool { return !r.Authenticated && r.Status == 401 })
	if challenges != len(got) {
		t.Errorf("%d challenges for %d signed attempts, want one each", challenges, len(got))
	}
}

func TestAccRetry_honoursRetryAfter(t *testing.T) {
	mock, url := newTestAtlas(t, inviteFull)
	mock.Script(mockatlas.Fault{Status: http.StatusTooManyRequests, RetryAfter: "1"})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: listConfig(url),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.atlasinv_org_invites.test", tfjsonpath.New("invites"), knownvalue.ListSizeExact(1)),
			},
		}},
	})
	var throttled, next time.Time
	for _, r := range apiRequests(mock) {
		switch {
		case r.Status == 429:
			throttled = r.Time
		case !throttled.IsZero() && next.IsZero():
			next = r.Time // the fresh challenge of the retry
		}
	}
	if throttled.IsZero() || next.IsZero() {
		t.Fatal("mock saw no 429 followed by a retry")
	}
	if wait := next.Sub(throttled); wait < time.Second {
		t.Errorf("retried %s after the 429, want at least the 1s Retry-After asked for", wait)
	}
}

func TestAccRetry_serverErrorGivesUpAfterMaxRetries(t *testing.T) {
	mock, url := newTestAtlas(t, inviteFull)
	mock.SetFault(&mockatlas.Fault{Status: http.StatusInternalServerError})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:      listConfig(url, "max_retries = 2"),
			ExpectError: errorText(`Atlas Server Error ... Atlas answered 500 after 3 attempts (max_retries = 2) ... Atlas error code: UNEXPECTED_ERROR`),
		}},
	})
	if got := authenticatedStatuses(mock); len(got) != 3 {
		t.Errorf("mock saw %d signed attempts (%v), want exactly 3", len(got), got)
	}
}

func TestAccRetry_requestTimeout(t *testing.T) {
	const mockDelay = 30 * time.Second
	mock, url := newTestAtlas(t, inviteFull)
	mock.SetFault(&mockatlas.Fault{Delay: mockDelay})
	start := time.Now()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:      listConfig(url, `request_timeout = "1s"`, "max_retries = 1"),
			ExpectError: errorText(`Atlas Request Timed Out ... within request_timeout (1s) per attempt, after 2 attempts`),
		}},
	})
	if elapsed := time.Since(start); elapsed >= mockDelay {
		t.Errorf("gave up after %s, not before the mock's %s answer", elapsed, mockDelay)
	}
	if n := countRequests(mock, func(r mockatlas.Request) bool { return r.Authenticated && r.Status == 200 }); n != 0 {
		t.Errorf("mock answered %d slow requests: the provider should have stopped waiting", n)
	}
}

func TestAccRetry_connectionRefusedNamesBaseURL(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	_ = ln.Close()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:      listConfig(closed, "max_retries = 1"),
			ExpectError: errorText(`Cannot Reach Atlas ... Could not connect to the Atlas API at ` + closed + ` after 2 attempts ... connection refused`),
		}},
	})
}

func TestAccDiagnostics_htmlBodyShowsContentTypeAndStart(t *testing.T) {
	mock, url := newTestAtlas(t, inviteFull)
	mock.SetFault(&mockatlas.Fault{Body: "<html><body>Please sign in to the corporate proxy</body></html>", ContentType: "text/html"})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:      listConfig(url),
			ExpectError: errorText(`Unexpected Atlas Response ... answered 200 with content type "text/html" ... The body starts with: "<html><body>Please sign in`),
		}},
	})
}

func TestAccDiagnostics_eachStatusHasItsHint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault mockatlas.Fault
		want  string
	}{
		{"403", mockatlas.Fault{Status: 403}, `Atlas Denied Access ... Organization Owner role ... HTTP status: 403`},
		{"406", mockatlas.Fault{Status: 406}, `Atlas API Version No Longer Served ... application/vnd.atlas.2023-01-01+json ... HTTP status: 406`},
		{"410", mockatlas.Fault{Status: 410}, `Atlas API Version No Longer Served ... Upgrade the atlasinv provider ... HTTP status: 410`},
		{"429 after retries", mockatlas.Fault{Status: 429, RetryAfter: "0"}, `Atlas Rate Limit Exceeded ... after 2 attempts (max_retries = 1, Retry-After honoured) ... lower -parallelism`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mock, url := newTestAtlas(t, inviteFull)
			mock.SetFault(&tt.fault)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config:      listConfig(url, "max_retries = 1"),
					ExpectError: errorText(tt.want),
				}},
			})
		})
	}
}
