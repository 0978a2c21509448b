package provider

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// Through the Terraform CLI: what the provider retries (throttling,
// transient statuses, dropped connections) and when it gives up
// (max_retries, request_timeout), checked against every attempt the mock
// saw.

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

func TestAccRetry_droppedConnectionIsRetried(t *testing.T) {
	mock, url := newTestAtlas(t, inviteFull)
	mock.Script(mockatlas.Fault{Drop: true})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: listConfig(url),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.atlasinv_org_invites.test", tfjsonpath.New("invites"), knownvalue.ListSizeExact(1)),
			},
		}},
	})
	// Status 0: the mock closed the connection without answering.
	if got := authenticatedStatuses(mock); len(got) < 2 || got[0] != 0 || got[1] != 200 {
		t.Errorf("signed attempts answered %v, want a dropped one, then 200", got)
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
	// Measured by the mock between the two arrivals, and a lower bound on a
	// wait the provider must make: load can only lengthen it.
	wait := next.Sub(throttled)
	t.Logf("retried %s after the 429 with Retry-After: 1", wait)
	if wait < time.Second {
		t.Errorf("retried %s after the 429, want at least the 1s Retry-After asked for", wait)
	}
}

// The provider gives up after max_retries retries: exactly max_retries + 1
// signed attempts, and 0 disables retries whatever the default is.
func TestAccRetry_serverErrorGivesUpAfterMaxRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		status     int
		maxRetries int
		want       string
	}{
		{"500, max_retries 2", http.StatusInternalServerError, 2,
			`Atlas Server Error ... Atlas answered 500 after 3 attempts (max_retries = 2) ... Atlas error code: UNEXPECTED_ERROR`},
		{"503, max_retries 0", http.StatusServiceUnavailable, 0,
			`Atlas Server Error ... Atlas answered 503 after 1 attempt (max_retries = 0) ... HTTP status: 503`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mock, url := newTestAtlas(t, inviteFull)
			mock.SetFault(&mockatlas.Fault{Status: tt.status})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config:      listConfig(url, fmt.Sprintf("max_retries = %d", tt.maxRetries)),
					ExpectError: errorText(tt.want),
				}},
			})
			if got := authenticatedStatuses(mock); len(got) != tt.maxRetries+1 {
				t.Errorf("mock saw %d signed attempts (%v), want exactly %d", len(got), got, tt.maxRetries+1)
			}
		})
	}
}

func TestAccRetry_requestTimeout(t *testing.T) {
	mock, url := newTestAtlas(t, inviteFull)
	// The mock would answer after an hour, and stops waiting when the
	// client goes away: without a request timeout the read would not end
	// in time to fail as expected, so no clock is needed here.
	mock.SetFault(&mockatlas.Fault{Delay: time.Hour})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:      listConfig(url, `request_timeout = "1s"`, "max_retries = 1"),
			ExpectError: errorText(`Atlas Request Timed Out ... within request_timeout (1s) per attempt, after 2 attempts`),
		}},
	})
	// Both signed attempts were abandoned by the provider: the mock
	// recorded no answer (status 0) for either.
	abandoned := countRequests(mock, func(r mockatlas.Request) bool { return r.Authenticated && r.Status == 0 })
	if answered := countRequests(mock, func(r mockatlas.Request) bool { return r.Authenticated && r.Status != 0 }); answered != 0 || abandoned != 2 {
		t.Errorf("signed attempts: %d abandoned, %d answered; want 2 abandoned", abandoned, answered)
	}
}

func TestAccRetry_connectionResetNamesBaseURL(t *testing.T) {
	// A server that resets every connection, not a closed port: another
	// test's server could take a closed port between its close and the
	// provider's dial.
	reset, err := mockatlas.StartResetter()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(reset.Close)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:      listConfig(reset.URL, "max_retries = 1"),
			ExpectError: errorText(`Cannot Reach Atlas ... Could not connect to the Atlas API at ` + reset.URL + ` after 2 attempts ... connection reset by peer`),
		}},
	})
	if n := reset.Resets(); n != 2 {
		t.Errorf("the server reset %d requests, want 2 (max_retries = 1)", n)
	}
}
