package mockatlas

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Every answer waits the latency: API endpoints served or not, errors and
// challenges, the token endpoint.
func TestLatencyOnEveryAnswer(t *testing.T) {
	s, ts, _ := start(t)
	const d = 40 * time.Millisecond
	s.SetLatency(d)
	tests := []struct {
		name, method, url string
		hdr               map[string]string
		want              int
	}{
		{"list organizations", "GET", orgsURL(ts.URL, nil), bearer(), 200},
		{"get organization", "GET", orgURL(ts.URL, DemoOrgID), bearer(), 200},
		{"invitations", "GET", invitesURL(ts, DemoOrgID), bearer(), 200},
		{"users", "GET", usersURL(ts.URL, DemoOrgID, nil), usersAs(UsersMediaType), 200},
		{"unknown route", "GET", ts.URL + "/api/atlas/v2/groups/" + DemoProjectProd + "/clusters", bearer(), 404},
		{"project invitations", "GET", ts.URL + "/api/atlas/v2/groups/" + DemoProjectProd + "/invites", bearer(), 200},
		{"challenge", "GET", orgsURL(ts.URL, nil), map[string]string{"Accept": MediaType}, 401},
		{"token endpoint", "GET", ts.URL + "/api/oauth/token", nil, 405},
	}
	for _, tt := range tests {
		begin := time.Now()
		status, _, body := do(t, nil, tt.method, tt.url, tt.hdr)
		if took := time.Since(begin); status != tt.want || took < d {
			t.Errorf("%s: %d after %v, want %d after at least %v: %s", tt.name, status, took, tt.want, d, body)
		}
	}
	s.SetLatency(0)
	begin := time.Now()
	do(t, nil, http.MethodGet, orgsURL(ts.URL, nil), bearer())
	if took := time.Since(begin); took >= d {
		t.Errorf("latency 0: took %v", took)
	}
}

// The users page delay adds to the latency.
func TestLatencyAndUsersPageDelay(t *testing.T) {
	s, ts, _ := start(t)
	s.SetLatency(30 * time.Millisecond)
	s.SetUsersPageDelay(30 * time.Millisecond)
	begin := time.Now()
	if status, _, _ := do(t, nil, http.MethodGet, usersURL(ts.URL, DemoOrgID, nil), usersAs(UsersMediaType)); status != 200 {
		t.Fatalf("status %d", status)
	}
	if took := time.Since(begin); took < 60*time.Millisecond {
		t.Errorf("took %v, want at least 60ms", took)
	}
}

// A client that gives up during the latency gets no answer, and the request
// ends there: recorded as 0 long before the latency is over, with no
// scripted fault consumed.
func TestLatencyClientGoesAway(t *testing.T) {
	s, ts, _ := start(t)
	s.SetLatency(5 * time.Second)
	s.Script(Fault{Status: 500})
	done := make(chan Request, 1)
	s.OnRequest(func(r Request) { done <- r })
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, orgsURL(ts.URL, nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range bearer() {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("answered %d", resp.StatusCode)
	}
	if !errors.Is(err, context.DeadlineExceeded) && !strings.Contains(err.Error(), "deadline") {
		t.Errorf("err %v", err)
	}
	select {
	case r := <-done:
		if r.Status != 0 {
			t.Errorf("recorded %d, want 0", r.Status)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the request was still waiting after its client left")
	}
	if api, _ := s.PendingFaults(); api != 1 {
		t.Errorf("%d faults queued, want the one left untouched", api)
	}
	s.SetLatency(0)
	if status, _, _ := do(t, nil, http.MethodGet, orgsURL(ts.URL, nil), bearer()); status != 500 {
		t.Errorf("next request: %d, want the queued 500", status)
	}
}
