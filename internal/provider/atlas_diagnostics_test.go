package provider

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

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
		{"403", mockatlas.Fault{Status: 403}, `Atlas Denied Access ... Atlas refused the request from 192.0.2.1 ... API access list ... HTTP status: 403`},
		{"406", mockatlas.Fault{Status: 406}, `Atlas Invitations API Retired ... org_membership_statuses = ["PENDING"] ... HTTP status: 406`},
		{"410", mockatlas.Fault{Status: 410}, `Atlas Invitations API Retired ... org_membership_statuses = ["PENDING"] ... HTTP status: 410`},
		{"429 after retries", mockatlas.Fault{Status: 429, RetryAfter: "0"}, `Atlas Rate Limit Exceeded ... after 2 attempts (max_retries = 1, Retry-After honoured) ... lower -parallelism`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mock, url := newTestAtlas(t, inviteFull)
			mock.SetFault(&tt.fault)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					// invitations: a retired API fails the read instead of switching.
					Config:      listConfig(url, "max_retries = 1", `invitations_source = "invitations"`),
					ExpectError: errorText(tt.want),
				}},
			})
		})
	}
}

// protoServer configures an in-process provider server the way Terraform
// would, for tests that need to see every diagnostic (plugin-testing shows
// errors only).
func protoServer(t testing.TB, providerAttrs map[string]string) (tfprotov6.ProviderServer, *tfprotov6.GetProviderSchemaResponse) {
	t.Helper()
	ctx := context.Background()
	server, schemas := newProtoServer(t, nil)
	config := configValue(t, schemas.Provider, providerAttrs)
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: config, TerraformVersion: "1.8.5"})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("configure: %v %v", err, resp.Diagnostics)
	}
	return server, schemas
}

// readInvites reads atlasinv_org_invites for testOrgID and returns its
// diagnostics.
func readInvites(t *testing.T, server tfprotov6.ProviderServer, schemas *tfprotov6.GetProviderSchemaResponse) []*tfprotov6.Diagnostic {
	t.Helper()
	return readDataSource(t, server, schemas, "atlasinv_org_invites", map[string]string{"org_id": testOrgID})
}

// readDataSource reads a data source with the given string arguments (the
// others null) and returns its diagnostics.
func readDataSource(t testing.TB, server tfprotov6.ProviderServer, schemas *tfprotov6.GetProviderSchemaResponse,
	typeName string, args map[string]string) []*tfprotov6.Diagnostic {
	t.Helper()
	config := configValue(t, schemas.DataSourceSchemas[typeName], args)
	resp, err := server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{
		TypeName: typeName, Config: config,
	})
	if err != nil {
		t.Error(err)
		return nil
	}
	return resp.Diagnostics
}

func TestDeprecationWarningOncePerProvider(t *testing.T) {
	t.Parallel()
	for _, headers := range []bool{true, false} {
		mock, url := newTestAtlas(t, inviteFull)
		mock.SetDeprecationHeaders(headers)
		server, schemas := protoServer(t, map[string]string{"base_url": url, "public_key": testPublicKey, "private_key": testPrivateKey})
		const reads = 6
		var mu sync.Mutex
		var warnings []*tfprotov6.Diagnostic
		var wg sync.WaitGroup
		for range reads {
			wg.Go(func() {
				for _, d := range readInvites(t, server, schemas) {
					if d.Severity == tfprotov6.DiagnosticSeverityError {
						t.Errorf("read failed: %s: %s", d.Summary, d.Detail)
					}
					mu.Lock()
					warnings = append(warnings, d)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		want := 0
		if headers {
			want = 1
		}
		if len(warnings) != want {
			t.Fatalf("deprecation headers %v: %d warnings over %d reads, want %d: %v", headers, len(warnings), reads, want, warnings)
		}
		if headers {
			checkDeprecationWarning(t, warnings[0], usersReplacement(testOrgID, nil))
		}
	}
}

// TestErrorsNeverShowSecrets reads with a wrong secret in each auth mode
// and searches every diagnostic for the secrets the provider holds.
func TestErrorsNeverShowSecrets(t *testing.T) {
	t.Parallel()
	const wrong = "wrong-secret-value-5d41402abc4b2a76"
	for _, attrs := range []map[string]string{
		{"public_key": testPublicKey, "private_key": wrong},
		{"client_id": testClientID, "client_secret": wrong},
		{"access_token": wrong},
	} {
		_, url := newTestAtlas(t, inviteFull)
		attrs["base_url"] = url
		server, schemas := protoServer(t, attrs)
		diags := readInvites(t, server, schemas)
		if len(diags) == 0 {
			t.Fatalf("%v: a wrong secret gave no diagnostic", attrs)
		}
		for _, d := range diags {
			text := d.Summary + "\n" + d.Detail
			if strings.Contains(text, wrong) {
				t.Errorf("diagnostic shows the secret: %s", text)
			}
			if d.Severity == tfprotov6.DiagnosticSeverityError && !strings.HasPrefix(d.Summary, "Atlas Rejected The") {
				t.Errorf("got %q, want the 401 diagnostic", d.Summary)
			}
		}
	}
}
