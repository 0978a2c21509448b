package mockatlas

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRecordAndReset(t *testing.T) {
	s, ts, _ := start(t)
	c := ts.Client() // keeps its connection alive across requests
	for i := 0; i < 3; i++ {
		do(t, c, http.MethodGet, invitesURL(ts, DemoOrgID)+"?username=a%2Bb%40example.com", map[string]string{
			"Authorization": "Bearer " + testToken, "Accept": MediaType, "User-Agent": "terraform-provider-atlasinv/test"})
	}
	if n := s.Connections(); n != 1 {
		t.Errorf("Connections = %d, want 1 (keep-alive)", n)
	}
	recs := s.Requests()
	if len(recs) != 3 {
		t.Fatalf("recorded %d", len(recs))
	}
	r := recs[0]
	if r.Method != "GET" || r.Path != "/api/atlas/v2/orgs/"+DemoOrgID+"/invites" || r.Query.Get("username") != "a+b@example.com" ||
		r.UserAgent != "terraform-provider-atlasinv/test" || r.Accept != MediaType || r.Status != 200 || r.Auth != AuthBearer {
		t.Errorf("record = %+v", r)
	}
	if r.Time.IsZero() || recs[2].Time.Before(r.Time) {
		t.Errorf("record times %v .. %v", r.Time, recs[2].Time)
	}
	// The copy is the caller's: changing it does not change the record.
	recs[0].Query.Set("username", "changed")
	if s.Requests()[0].Query.Get("username") != "a+b@example.com" {
		t.Error("Requests shares its Query map with the record")
	}
	s.Reset()
	if len(s.Requests()) != 0 || s.Connections() != 0 {
		t.Fatalf("after Reset: %d requests, %d connections", len(s.Requests()), s.Connections())
	}
	// Reset keeps fixtures and credentials.
	c2 := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for i := 0; i < 2; i++ {
		if status, _, _ := do(t, c2, http.MethodGet, invitesURL(ts, DemoOrgID), bearer()); status != 200 {
			t.Fatalf("after Reset: status %d", status)
		}
	}
	if n := s.Connections(); n != 2 {
		t.Errorf("Connections = %d, want 2 without keep-alive", n)
	}
}

func TestRecordHoldsNoSecret(t *testing.T) {
	s, ts, _ := start(t)
	c := oauthClient(ts, ts.URL+"/api/oauth/token", DemoClientID, DemoClientSecret)
	do(t, c, http.MethodGet, invitesURL(ts, DemoOrgID), map[string]string{"Accept": MediaType})
	const path = "/api/atlas/v2/orgs/" + DemoOrgID + "/invites"
	do(t, nil, http.MethodGet, ts.URL+path, map[string]string{"Authorization": goodDigest(challengeNonce(t, ts), path).header(), "Accept": MediaType})
	do(t, nil, http.MethodGet, ts.URL+path, bearer())
	dump := fmt.Sprintf("%+v", s.Requests())
	for _, secret := range []string{DemoPrivateKey, DemoClientSecret, testToken, "Digest", "Basic "} {
		if strings.Contains(dump, secret) {
			t.Errorf("record contains %q: %s", secret, dump)
		}
	}
	s.mu.Lock()
	var issued []string
	for tok := range s.issued {
		issued = append(issued, tok)
	}
	s.mu.Unlock()
	for _, tok := range issued {
		if strings.Contains(dump, tok) {
			t.Errorf("record contains an issued token")
		}
	}
}

func TestOnRequestHook(t *testing.T) {
	s, ts, _ := start(t)
	got := make(chan Request, 1)
	s.OnRequest(func(r Request) { got <- r })
	do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID), bearer())
	if r := <-got; r.Status != 200 || r.Path != "/api/atlas/v2/orgs/"+DemoOrgID+"/invites" {
		t.Errorf("hook got %+v", r)
	}
}

func TestConcurrentClients(t *testing.T) {
	s, ts, _ := start(t)
	const n = 40
	var wg sync.WaitGroup
	errs := make(chan string, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			// No t.Fatal here: it must not be called off the test goroutine.
			const path = "/api/atlas/v2/orgs/" + DemoOrgID + "/invites"
			hdr := bearer()
			if i%2 == 0 {
				status, h, err := tryGet(ts.URL+path, map[string]string{"Accept": MediaType})
				m := nonceRE.FindStringSubmatch(h.Get("WWW-Authenticate"))
				if err != nil || status != 401 || m == nil {
					errs <- fmt.Sprintf("client %d: challenge: %d %v", i, status, err)
					return
				}
				hdr = map[string]string{"Authorization": goodDigest(m[1], path).header(), "Accept": MediaType}
			}
			if i%5 == 0 {
				s.Script(Fault{Delay: time.Millisecond})
			}
			if status, _, err := tryGet(ts.URL+path, hdr); err != nil || status != 200 {
				errs <- fmt.Sprintf("client %d: status %d, %v", i, status, err)
			}
			_ = s.Requests()
		}(i)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if got := len(s.Requests()); got != n+n/2 { // every digest client also fetched a challenge
		t.Errorf("recorded %d requests, want %d", got, n+n/2)
	}
}

func tryGet(url string, hdr map[string]string) (int, http.Header, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return 0, nil, err
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header, nil
}
