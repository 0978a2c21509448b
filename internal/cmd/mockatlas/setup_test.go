package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mongodb-forks/digest"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// keyGet reads path with an API key (HTTP digest) and returns the status
// and body.
func keyGet(t *testing.T, baseURL, path, public, private string) (int, []byte) {
	t.Helper()
	c := &http.Client{Transport: digest.NewTransportWithHTTPRoundTripper(public, private, &http.Transport{})}
	req, err := http.NewRequest(http.MethodGet, baseURL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", mockatlas.MediaType)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

type orgsPage struct {
	Results []struct {
		ID, Name string
	} `json:"results"`
	TotalCount int `json:"totalCount"`
}

func listOrgs(t *testing.T, baseURL, public, private string) orgsPage {
	t.Helper()
	status, body := keyGet(t, baseURL, "/api/atlas/v2/orgs", public, private)
	var p orgsPage
	if err := json.Unmarshal(body, &p); status != 200 || err != nil {
		t.Fatalf("list organizations as %s: %d %s", public, status, body)
	}
	return p
}

// -org-keys, -readonly-key and -relative-dates, as newServer builds them.
func TestNewServerKeysAndDates(t *testing.T) {
	now := time.Now()
	s, generated := newServer(options{demo: true, orgs: 2, invites: 12, users: 3, orgKeys: true, readOnlyKey: true, now: now})
	ts := s.Start()
	defer ts.Close()

	// The demo key sees every organization, the demo one by its name.
	all := listOrgs(t, ts.URL, mockatlas.DemoPublicKey, mockatlas.DemoPrivateKey)
	names := map[string]string{}
	for _, o := range all.Results {
		names[o.ID] = o.Name
	}
	if all.TotalCount != 3 || names[mockatlas.DemoOrgID] != mockatlas.DemoOrgName || names[generated[1]] != mockatlas.GeneratedOrgName(generated[1]) {
		t.Errorf("demo key lists %+v", all)
	}
	status, body := keyGet(t, ts.URL, "/api/atlas/v2/orgs/"+mockatlas.DemoOrgID, mockatlas.DemoPublicKey, mockatlas.DemoPrivateKey)
	if status != 200 || !strings.Contains(string(body), `"name":"`+mockatlas.DemoOrgName+`"`) {
		t.Errorf("getOrganization: %d %s", status, body)
	}

	// Each organization's key sees its own only.
	orgs := append([]string{mockatlas.DemoOrgID}, generated...)
	for i, id := range orgs {
		pub, priv := orgKey(id)
		if p := listOrgs(t, ts.URL, pub, priv); len(p.Results) != 1 || p.Results[0].ID != id {
			t.Errorf("%s's key lists %+v", id, p)
		}
		if status, body := keyGet(t, ts.URL, "/api/atlas/v2/orgs/"+id+"/invites", pub, priv); status != 200 {
			t.Errorf("%s's key on its invitations: %d %s", id, status, body)
		}
		other := orgs[(i+1)%len(orgs)]
		status, body := keyGet(t, ts.URL, "/api/atlas/v2/orgs/"+other+"/invites", pub, priv)
		if status != 401 || !strings.Contains(string(body), mockatlas.RoleMissingCode) {
			t.Errorf("%s's key on %s: %d %s", id, other, status, body)
		}
	}

	// The read-only key lists its organizations (Atlas documents no role for
	// that) and is refused everything else.
	if status, body := keyGet(t, ts.URL, "/api/atlas/v2/orgs", readOnlyPublicKey, readOnlyPrivateKey); status != 200 {
		t.Errorf("read-only key on /api/atlas/v2/orgs: %d %s", status, body)
	}
	for _, path := range []string{"/api/atlas/v2/orgs/" + mockatlas.DemoOrgID, "/api/atlas/v2/orgs/" + mockatlas.DemoOrgID + "/invites"} {
		status, body := keyGet(t, ts.URL, path, readOnlyPublicKey, readOnlyPrivateKey)
		if status != 401 || !strings.Contains(string(body), mockatlas.RoleMissingCode) {
			t.Errorf("read-only key on %s: %d %s", path, status, body)
		}
	}

	// Open invitations expire within the next 30 days.
	_, body = keyGet(t, ts.URL, "/api/atlas/v2/orgs/"+generated[0]+"/invites", mockatlas.DemoPublicKey, mockatlas.DemoPrivateKey)
	var invites []mockatlas.Invitation
	_ = json.Unmarshal(body, &invites)
	for _, inv := range append(invites, mockatlas.DemoInvitationsAt(now)...) {
		if inv.ExpiresAt == "" {
			continue
		}
		exp, err := time.Parse(time.RFC3339, inv.ExpiresAt)
		if err != nil || !exp.After(now) || exp.After(now.Add(30*24*time.Hour)) {
			t.Errorf("%s expires %s", inv.ID, inv.ExpiresAt)
		}
	}
	if len(invites) != 12 {
		t.Errorf("%d invitations", len(invites))
	}
}

// Without the flags: no extra keys, the fixed dates.
func TestNewServerDefaults(t *testing.T) {
	s, _ := newServer(options{demo: true})
	ts := s.Start()
	defer ts.Close()
	pub, priv := orgKey(mockatlas.DemoOrgID)
	for _, k := range [][2]string{{pub, priv}, {readOnlyPublicKey, readOnlyPrivateKey}} {
		if status, body := keyGet(t, ts.URL, "/api/atlas/v2/orgs", k[0], k[1]); status != 401 || !strings.Contains(string(body), `"UNAUTHORIZED"`) {
			t.Errorf("key %s: %d %s, want an unknown key", k[0], status, body)
		}
	}
	_, body := keyGet(t, ts.URL, "/api/atlas/v2/orgs/"+mockatlas.DemoOrgID+"/invites", mockatlas.DemoPublicKey, mockatlas.DemoPrivateKey)
	var invites []mockatlas.Invitation
	if err := json.Unmarshal(body, &invites); err != nil || len(invites) != 5 || invites[0].CreatedAt != mockatlas.DemoInvitations()[0].CreatedAt {
		t.Errorf("invitations %s", body)
	}
}

var (
	publicKeyRE  = regexp.MustCompile(`^[a-z]{8}$`)
	privateKeyRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$`)
)

func TestOrgKey(t *testing.T) {
	seen := map[string]bool{}
	for _, id := range []string{mockatlas.DemoOrgID, mockatlas.GeneratedOrgID(0), mockatlas.GeneratedOrgID(1)} {
		pub, priv := orgKey(id)
		if p2, k2 := orgKey(id); p2 != pub || k2 != priv {
			t.Errorf("%s: not stable", id)
		}
		if !publicKeyRE.MatchString(pub) || !privateKeyRE.MatchString(priv) || seen[pub] || pub == mockatlas.DemoPublicKey {
			t.Errorf("%s: key %s / %s", id, pub, priv)
		}
		seen[pub] = true
	}
}

// The flags end to end: run serves, prints the extra keys and runs the
// command.
func TestRunPrintsKeys(t *testing.T) {
	var stdout, stderr bytes.Buffer
	args := []string{"-quiet", "-orgs", "1", "-org-keys", "-readonly-key", "-relative-dates", "-latency", "1ms", "--", "true"}
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("run %v = %d: %s", args, code, stderr.String())
	}
	out := stderr.String()
	demoPub, _ := orgKey(mockatlas.DemoOrgID)
	genPub, genPriv := orgKey(mockatlas.GeneratedOrgID(0))
	for _, want := range []string{
		"MONGODB_ATLAS_PUBLIC_API_KEY=" + readOnlyPublicKey + " MONGODB_ATLAS_PRIVATE_API_KEY=" + readOnlyPrivateKey,
		mockatlas.DemoOrgID + ": export MONGODB_ATLAS_PUBLIC_API_KEY=" + demoPub,
		mockatlas.GeneratedOrgID(0) + ": export MONGODB_ATLAS_PUBLIC_API_KEY=" + genPub + " MONGODB_ATLAS_PRIVATE_API_KEY=" + genPriv,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
