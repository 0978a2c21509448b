package mockatlas

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlasapi"
)

func statuses(t *testing.T, url string, n int) []int {
	t.Helper()
	var out []int
	for i := 0; i < n; i++ {
		status, _, _ := do(t, nil, http.MethodGet, url, bearer())
		out = append(out, status)
	}
	return out
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestScriptedSequence(t *testing.T) {
	s, ts, _ := start(t)
	s.Script(Fault{Status: 503}, Fault{Status: 503})
	_, h, body := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID), bearer())
	e := decodeError(t, body)
	if e.Error != 503 || e.ErrorCode != "SERVICE_UNAVAILABLE" || e.Reason != "Service Unavailable" {
		t.Errorf("fault body = %+v", e)
	}
	if h.Get("Content-Type") != ErrorMediaType || h.Get(atlasapi.DeprecationHeader) == "" {
		t.Errorf("fault answer lacks API headers: %v", h)
	}
	if got := statuses(t, invitesURL(ts, DemoOrgID), 3); !equalInts(got, []int{503, 200, 200}) {
		t.Fatalf("statuses = %v", got)
	}
	if api, tok := s.PendingFaults(); api != 0 || tok != 0 {
		t.Errorf("pending = %d, %d", api, tok)
	}
	var recorded []int
	for _, r := range s.Requests() {
		recorded = append(recorded, r.Status)
	}
	if !equalInts(recorded, []int{503, 503, 200, 200}) {
		t.Errorf("recorded statuses = %v", recorded)
	}
}

func TestFaultCodes(t *testing.T) {
	tests := []struct {
		status int
		code   string
	}{
		{429, "RATE_LIMITED"}, {500, "UNEXPECTED_ERROR"}, {502, "BAD_GATEWAY"}, {503, "SERVICE_UNAVAILABLE"},
		{504, "GATEWAY_TIMEOUT"}, {403, AccessListCode}, {410, "VERSION_GONE"}, {409, "CONFLICT"},
	}
	for _, tt := range tests {
		s, ts, _ := start(t)
		s.Script(Fault{Status: tt.status})
		status, _, body := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID), bearer())
		if e := decodeError(t, body); status != tt.status || e.ErrorCode != tt.code || e.Error != tt.status {
			t.Errorf("%d: status %d, error %+v, want %s", tt.status, status, e, tt.code)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		name  string
		fault Fault
		want  int
	}{
		{"seconds", Fault{Status: 429, RetryAfter: "1"}, 429},
		{"http date", Fault{Status: 503, RetryAfter: "Wed, 21 Oct 2015 07:28:00 GMT"}, 503},
		{"header only", Fault{RetryAfter: "5"}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ts, _ := start(t)
			s.Script(tt.fault)
			status, h, _ := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID), bearer())
			if status != tt.want || h.Get(atlasapi.RetryAfterHeader) != tt.fault.RetryAfter {
				t.Fatalf("status %d, Retry-After %q", status, h.Get(atlasapi.RetryAfterHeader))
			}
		})
	}
}

// Only authenticated requests with the right Accept consume a fault.
func TestFaultsWaitForAuthAndAccept(t *testing.T) {
	s, ts, _ := start(t)
	s.Script(Fault{Status: 500})
	if status, _, _ := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID), map[string]string{"Accept": MediaType}); status != 401 {
		t.Fatalf("unauthenticated: %d", status)
	}
	if status, _, _ := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID), map[string]string{"Authorization": "Bearer " + testToken}); status != 406 {
		t.Fatalf("no Accept: %d", status)
	}
	if got := statuses(t, invitesURL(ts, DemoOrgID), 2); !equalInts(got, []int{500, 200}) {
		t.Fatalf("statuses = %v", got)
	}
}

func TestPersistentFault(t *testing.T) {
	s, ts, _ := start(t)
	f := &Fault{Status: 500}
	s.SetFault(f)
	f.Status = 418 // SetFault copied it
	s.Script(Fault{})
	if got := statuses(t, invitesURL(ts, DemoOrgID), 3); !equalInts(got, []int{200, 500, 500}) {
		t.Fatalf("statuses = %v", got)
	}
	s.SetFault(nil)
	if got := statuses(t, invitesURL(ts, DemoOrgID), 1); !equalInts(got, []int{200}) {
		t.Fatalf("after clearing: %v", got)
	}
}

func TestBodyFault(t *testing.T) {
	s, ts, _ := start(t)
	s.Script(
		Fault{Body: "<html>oops</html>", ContentType: "text/html"},
		Fault{Body: `[{"id": 12`},
		Fault{Status: 502, Body: "upstream gone", ContentType: "text/plain"},
	)
	tests := []struct {
		status    int
		ct, body  string
		reqHeader map[string]string
	}{
		{200, "text/html", "<html>oops</html>", bearer()},
		{200, ContentType, `[{"id": 12`, bearer()},
		{502, "text/plain", "upstream gone", bearer()},
	}
	for i, tt := range tests {
		status, h, body := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID), tt.reqHeader)
		if status != tt.status || h.Get("Content-Type") != tt.ct || string(body) != tt.body {
			t.Errorf("%d: status %d, Content-Type %q, body %q", i, status, h.Get("Content-Type"), body)
		}
	}
}

func TestDropClosesConnection(t *testing.T) {
	s, ts, _ := start(t)
	s.Script(Fault{Drop: true})
	req, _ := http.NewRequest(http.MethodGet, invitesURL(ts, DemoOrgID), nil)
	for k, v := range bearer() {
		req.Header.Set(k, v)
	}
	// A fresh transport, so the client cannot silently retry on another
	// pooled connection and hide the drop.
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("dropped request got an answer: %d", resp.StatusCode)
	}
	if r := s.Requests()[0]; r.Status != 0 || !r.Authenticated {
		t.Errorf("record = %+v, want status 0", r)
	}
	if got := statuses(t, invitesURL(ts, DemoOrgID), 1); !equalInts(got, []int{200}) {
		t.Fatalf("after drop: %v", got)
	}
}

func TestDelay(t *testing.T) {
	s, ts, _ := start(t)
	s.Script(Fault{Delay: 80 * time.Millisecond, Status: 503})
	begin := time.Now()
	if got := statuses(t, invitesURL(ts, DemoOrgID), 1); !equalInts(got, []int{503}) {
		t.Fatalf("statuses = %v", got)
	}
	// A lower bound on a wait the mock must make: load can only lengthen it.
	if d := time.Since(begin); d < 80*time.Millisecond {
		t.Errorf("answered after %v, want at least the delay", d)
	}
}

func TestDelayStopsWhenClientGoesAway(t *testing.T) {
	s, ts, _ := start(t)
	s.Script(Fault{Delay: time.Minute})
	done := make(chan Request, 1)
	s.OnRequest(func(r Request) { done <- r })

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, invitesURL(ts, DemoOrgID), nil)
	for k, v := range bearer() {
		req.Header.Set(k, v)
	}
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("request with a 50ms deadline was answered")
	}
	// No clock: a handler that kept waiting would answer after its minute
	// with status 200, which the record shows.
	if r := <-done; r.Status != 0 {
		t.Errorf("record = %+v, want status 0 (no answer)", r)
	}
}

func TestScriptToken(t *testing.T) {
	s, ts, _ := start(t)
	s.ScriptToken(Fault{Status: 503, RetryAfter: "2"}, Fault{Status: 500})
	// Faults come before the credential check: even a wrong secret sees 503.
	status, h, _ := tokenRequest(t, ts.URL, DemoClientID, "wrong", "grant_type=client_credentials")
	if status != 503 || h.Get(atlasapi.RetryAfterHeader) != "2" || h.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, headers %v", status, h)
	}
	if status, _, _ := tokenRequest(t, ts.URL, DemoClientID, DemoClientSecret, "grant_type=client_credentials"); status != 500 {
		t.Fatalf("second: %d", status)
	}
	if status, _, _ := tokenRequest(t, ts.URL, DemoClientID, DemoClientSecret, "grant_type=client_credentials"); status != 200 {
		t.Fatalf("third: %d", status)
	}
	// The token queue is separate from the API queue.
	s.Script(Fault{Status: 429})
	if status, _, _ := tokenRequest(t, ts.URL, DemoClientID, DemoClientSecret, "grant_type=client_credentials"); status != 200 {
		t.Fatalf("token endpoint consumed an API fault: %d", status)
	}
	if api, tok := s.PendingFaults(); api != 1 || tok != 0 {
		t.Errorf("pending = %d, %d; want 1, 0", api, tok)
	}
}
