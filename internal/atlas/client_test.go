package atlas_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

func TestListInvitationsEachMode(t *testing.T) {
	for _, mode := range allModes {
		t.Run(mode.String(), func(t *testing.T) {
			m, srv := newMock(t)
			m.AddOrg(testOrgID, mockatlas.Invitation{ID: "6634f290a54dca182530bb1e", OrgID: testOrgID, Username: "a+b@example.com"})
			// A trailing slash on the base URL is not doubled.
			c := newClient(t, testConfig(srv.URL+"/", mode))
			all, err := c.ListInvitations(context.Background(), testOrgID, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != 2 {
				t.Errorf("got %d invitations, want 2", len(all))
			}
			user := "a+b@example.com"
			some, err := c.ListInvitations(context.Background(), testOrgID, &user)
			if err != nil {
				t.Fatal(err)
			}
			if len(some) != 1 || some[0].GetUsername() != user {
				t.Errorf("filtered by %q, got %+v", user, some)
			}
			for _, r := range m.Requests() {
				if strings.Contains(r.Path, "//") {
					t.Errorf("request path %q has a doubled slash", r.Path)
				}
			}
		})
	}
}

func TestGetInvitationNotFoundNamesBothIDs(t *testing.T) {
	_, srv := newMock(t)
	c := newClient(t, testConfig(srv.URL, atlas.AuthAccessToken))
	const invID = "aaaaaaaaaaaaaaaaaaaaaaaa"
	_, err := c.GetInvitation(context.Background(), testOrgID, invID)
	e := asAtlasError(t, err)
	if e.Kind != atlas.KindNotFound || e.ErrorCode != "INVITATION_NOT_FOUND" {
		t.Errorf("Kind, ErrorCode = %v, %q; want KindNotFound, INVITATION_NOT_FOUND", e.Kind, e.ErrorCode)
	}
	if e.Path != "/api/atlas/v2/orgs/"+testOrgID+"/invites/"+invID {
		t.Errorf("Path = %q", e.Path)
	}
	hasFact(t, "Missing()", e.Missing(), atlas.MissingInvitation)
	hasFact(t, "NotFound", e.NotFound, `Invitation "`+invID+`" in organization "`+testOrgID+`"`)
	for _, id := range []string{testOrgID, invID} {
		if !strings.Contains(e.Facts(), id) {
			t.Errorf("Facts() do not name %s:\n%s", id, e.Facts())
		}
	}
}

func TestTakeDeprecation(t *testing.T) {
	t.Run("once", func(t *testing.T) {
		_, srv := newMock(t)
		c := newClient(t, testConfig(srv.URL, atlas.AuthAPIKey))
		if _, ok := c.TakeDeprecation(); ok {
			t.Fatal("a notice before any request")
		}
		if err := list(t, c, testOrgID); err != nil {
			t.Fatal(err)
		}
		d, ok := c.TakeDeprecation()
		want := atlas.Deprecation{Deprecated: mockatlas.DeprecationDate, Sunset: mockatlas.SunsetDate}
		if !ok || d != want {
			t.Fatalf("TakeDeprecation() = %+v, %v; want %+v, true", d, ok, want)
		}
		if err := list(t, c, testOrgID); err != nil {
			t.Fatal(err)
		}
		if d, ok := c.TakeDeprecation(); ok {
			t.Errorf("second TakeDeprecation() = %+v, true; want false", d)
		}
	})
	t.Run("from an error answer", func(t *testing.T) {
		_, srv := newMock(t)
		c := newClient(t, testConfig(srv.URL, atlas.AuthAccessToken))
		if err := list(t, c, unknownOrgID); err == nil {
			t.Fatal("want a 404")
		}
		if _, ok := c.TakeDeprecation(); !ok {
			t.Error("no notice after a 404 that carried the headers")
		}
	})
	t.Run("concurrent", func(t *testing.T) {
		_, srv := newMock(t)
		c := newClient(t, testConfig(srv.URL, atlas.AuthServiceAccount))
		var got atomic.Int32
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				if err := list(t, c, testOrgID); err != nil {
					t.Error(err)
				}
				if _, ok := c.TakeDeprecation(); ok {
					got.Add(1)
				}
			})
		}
		wg.Wait()
		if n := got.Load(); n != 1 {
			t.Errorf("%d callers got the notice, want exactly 1", n)
		}
	})
	t.Run("headers off", func(t *testing.T) {
		m, srv := newMock(t)
		m.SetDeprecationHeaders(false)
		c := newClient(t, testConfig(srv.URL, atlas.AuthAPIKey))
		if err := list(t, c, testOrgID); err != nil {
			t.Fatal(err)
		}
		if d, ok := c.TakeDeprecation(); ok {
			t.Errorf("TakeDeprecation() = %+v, true without the headers", d)
		}
	})
	t.Run("per client", func(t *testing.T) {
		_, srv := newMock(t)
		for i := range 2 {
			c := newClient(t, testConfig(srv.URL, atlas.AuthAPIKey))
			if err := list(t, c, testOrgID); err != nil {
				t.Fatal(err)
			}
			if _, ok := c.TakeDeprecation(); !ok {
				t.Errorf("client %d got no notice", i+1)
			}
		}
	})
}

func TestNewClientLeavesDefaultClientAlone(t *testing.T) {
	_, srv := newMock(t)
	before := *http.DefaultClient
	beforeTransport := http.DefaultTransport
	for _, mode := range allModes {
		c := newClient(t, testConfig(srv.URL, mode))
		if err := list(t, c, testOrgID); err != nil {
			t.Fatalf("%v: %v", mode, err)
		}
	}
	after := *http.DefaultClient
	if after.Transport != before.Transport || after.Timeout != before.Timeout || after.Jar != before.Jar {
		t.Errorf("http.DefaultClient changed: before %+v, after %+v", before, after)
	}
	if http.DefaultTransport != beforeTransport {
		t.Error("http.DefaultTransport changed")
	}
}

func TestConfigKeepsNoTrailingSlashAndDefaults(t *testing.T) {
	c := newClient(t, atlas.Config{BaseURL: "http://127.0.0.1:1/", Mode: atlas.AuthAccessToken, AccessToken: testAccessToken})
	got := c.Config()
	if got.BaseURL != "http://127.0.0.1:1" {
		t.Errorf("BaseURL = %q, want no trailing slash", got.BaseURL)
	}
	// The documented defaults: 60 s per attempt, 4 retries, Atlas's origin.
	if got.RequestTimeout != 60*time.Second || atlas.DefaultRequestTimeout != 60*time.Second {
		t.Errorf("RequestTimeout = %v (default %v), want 60s", got.RequestTimeout, atlas.DefaultRequestTimeout)
	}
	if atlas.DefaultMaxRetries != 4 || atlas.DefaultBaseURL != "https://cloud.mongodb.com" {
		t.Errorf("defaults: %d retries, base URL %q; want 4, https://cloud.mongodb.com", atlas.DefaultMaxRetries, atlas.DefaultBaseURL)
	}
}

func TestPrincipalNeverASecret(t *testing.T) {
	tests := []struct {
		mode atlas.AuthMode
		want string
	}{
		{atlas.AuthAPIKey, `public key "` + testPublicKey + `"`},
		{atlas.AuthServiceAccount, `client id "` + testClientID + `"`},
		{atlas.AuthAccessToken, "an access token"},
		{0, "no credentials"},
	}
	for _, tt := range tests {
		cfg := testConfig("http://127.0.0.1:1", tt.mode)
		if got := cfg.Principal(); got != tt.want {
			t.Errorf("%v: Principal() = %q, want %q", tt.mode, got, tt.want)
		}
		assertNoSecret(t, "Principal()", cfg.Principal(), tt.mode.String())
	}
}
