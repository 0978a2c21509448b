package atlas_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

func isOrgRequest(r mockatlas.Request) bool {
	return r.Authenticated && r.Path == "/api/atlas/v2/orgs/"+testOrgID
}

// An organization's name is read once per client, by reads at the same
// time too; a failure is not kept, so the next read asks again.
func TestOrganizationNameReadOnce(t *testing.T) {
	t.Parallel()
	m, srv := newMock(t)
	m.SetOrgName(testOrgID, "Coffee & Co")
	m.Script(mockatlas.Fault{Status: http.StatusForbidden})
	c := newClient(t, testConfig(srv.URL, atlas.AuthAccessToken))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := c.OrganizationName(ctx, testOrgID); asAtlasError(t, err).Kind != atlas.KindForbidden {
		t.Fatalf("first read: %v, want the scripted 403", err)
	}
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if name, err := c.OrganizationName(ctx, testOrgID); err != nil || name != "Coffee & Co" {
				t.Errorf("name %q, %v; want Coffee & Co", name, err)
			}
		}()
	}
	wg.Wait()
	if n := count(m, isOrgRequest); n != 2 {
		t.Errorf("%d getOrganization requests, want 2: the failed one, then one for ten reads", n)
	}
}

// listOrganizations goes through the same list reader and error
// translation as every read: each organization once, the name sent as
// Atlas's filter, a refusal told as such.
func TestListOrganizations(t *testing.T) {
	t.Parallel()
	m, srv := newMock(t)
	m.SetOrgName(testOrgID, "Coffee & Co")
	c := newClient(t, testConfig(srv.URL, atlas.AuthAccessToken))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	name := "coffee"
	orgs, err := c.ListOrganizations(ctx, &name)
	if err != nil || len(orgs) != 1 || orgs[0].GetId() != testOrgID || orgs[0].Name != "Coffee & Co" {
		t.Fatalf("got %+v, %v; want the test organization", orgs, err)
	}
	for _, r := range m.Requests() {
		if r.Authenticated && r.Path == "/api/atlas/v2/orgs" && r.Query.Get("name") != name {
			t.Errorf("name sent as %q, want %q", r.Query.Get("name"), name)
		}
	}
	m.Script(mockatlas.Fault{Status: http.StatusForbidden})
	orgs, err = c.ListOrganizations(ctx, nil)
	if ae := asAtlasError(t, err); orgs != nil || ae.Kind != atlas.KindForbidden || ae.Path != "/api/atlas/v2/orgs" {
		t.Errorf("got %d organizations and %v, want none and the 403 of /api/atlas/v2/orgs", len(orgs), err)
	}
}
