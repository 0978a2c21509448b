package mockatlas

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"
)

// noRedirects lets a test see a redirect answer itself.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func TestBodyFaults(t *testing.T) {
	s, ts, _ := start(t)
	url := invitesURL(ts, DemoOrgID)

	s.Script(Fault{Location: "http://127.0.0.2:1/elsewhere"})
	status, hdr, body := do(t, noRedirects, http.MethodGet, url, bearer())
	if status != http.StatusFound || hdr.Get("Location") != "http://127.0.0.2:1/elsewhere" || len(body) != 0 {
		t.Errorf("redirect: %d, Location %q, %d body bytes", status, hdr.Get("Location"), len(body))
	}

	s.Script(Fault{EmptyBody: true})
	if status, _, body := do(t, nil, http.MethodGet, url, bearer()); status != http.StatusOK || len(body) != 0 {
		t.Errorf("empty body: %d with %d bytes", status, len(body))
	}

	s.Script(Fault{Status: http.StatusServiceUnavailable, BodySize: 1 << 20})
	if status, _, body := do(t, nil, http.MethodGet, url, bearer()); status != http.StatusServiceUnavailable ||
		len(body) < 1<<20-64<<10 || len(body) > 1<<20+64<<10 || body[0] != '[' || body[len(body)-1] != ']' {
		t.Errorf("streamed body: %d with %d bytes", status, len(body))
	}
}

// A cut-off answer declares its full length, sends part of it, and ends
// the connection; with Stall it waits first.
func TestCutOffAnswer(t *testing.T) {
	for _, stall := range []time.Duration{0, 200 * time.Millisecond} {
		s, ts, _ := start(t)
		s.Script(Fault{CutAfter: 10, Stall: stall})
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, invitesURL(ts, DemoOrgID), nil)
		for k, v := range bearer() {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		declared, _ := strconv.Atoi(resp.Header.Get("Content-Length"))
		body, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK || len(body) != 10 || declared <= 10 || !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("stall %s: %d, %d of %d declared bytes, err %v", stall, resp.StatusCode, len(body), declared, err)
		}
	}
}

func TestRateLimit(t *testing.T) {
	s, ts, _ := start(t)
	s.SetRateLimit(&RateLimit{Rate: 0.001, Burst: 2, Seed: 1})
	url := invitesURL(ts, DemoOrgID)
	var statuses []int
	var retryAfter string
	for range 3 {
		status, hdr, _ := do(t, nil, http.MethodGet, url, bearer())
		statuses = append(statuses, status)
		retryAfter = hdr.Get("Retry-After")
	}
	if statuses[0] != 200 || statuses[1] != 200 || statuses[2] != http.StatusTooManyRequests {
		t.Errorf("statuses %v, want 200 200 429", statuses)
	}
	if n, err := strconv.Atoi(retryAfter); err != nil || n < 1 {
		t.Errorf("Retry-After %q, want whole seconds", retryAfter)
	}
	// Coming back at once is before the Retry-After: counted as early.
	do(t, nil, http.MethodGet, url, bearer())
	if st := s.RateStats(); st.Admitted != 2 || st.Throttled != 2 || st.Early != 1 {
		t.Errorf("stats %+v, want 2 admitted, 2 throttled, 1 early", st)
	}

	// A seeded fail rate of 1 fails every admitted request with 503.
	s.SetRateLimit(&RateLimit{Rate: 1000, Burst: 10, FailRate: 1, Seed: 1})
	if status, _, _ := do(t, nil, http.MethodGet, url, bearer()); status != http.StatusServiceUnavailable {
		t.Errorf("fail rate 1: %d, want 503", status)
	}
}
