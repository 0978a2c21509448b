package atlas_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

const usersPath = "/api/atlas/v2/orgs/" + testOrgID + "/users"

func isUsersPage(r mockatlas.Request) bool { return r.Path == usersPath && r.Authenticated }

func listUsers(t *testing.T, c *atlas.Client, f atlas.UsersFilter) ([]atlas.User, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	return c.ListOrgUsers(ctx, testOrgID, f)
}

// requireDistinct fails unless users holds exactly the ids of want.
func requireDistinct(t *testing.T, users []atlas.User, want []mockatlas.User) {
	t.Helper()
	got := map[string]int{}
	for _, u := range users {
		got[u.Id]++
	}
	for id, n := range got {
		if n > 1 {
			t.Errorf("user %s returned %d times", id, n)
		}
	}
	for _, u := range want {
		if got[u.ID] == 0 {
			t.Errorf("user %s (%s) missing", u.ID, u.Username)
		}
	}
	if len(users) != len(want) {
		t.Errorf("got %d users, want %d", len(users), len(want))
	}
}

func TestListOrgUsers_pagesMergedOnce(t *testing.T) {
	t.Parallel()
	m, srv := newMock(t)
	users := mockatlas.GenerateUsers(testOrgID, 1234, mockatlas.StatusActive, mockatlas.StatusPending)
	m.AddUsers(testOrgID, users...)
	got, err := listUsers(t, newClient(t, testConfig(srv.URL, atlas.AuthAccessToken)), atlas.UsersFilter{})
	if err != nil {
		t.Fatal(err)
	}
	requireDistinct(t, got, users)

	var pages []string
	for _, r := range m.Requests() {
		if !isUsersPage(r) {
			continue
		}
		if r.Accept != mockatlas.UsersMediaType {
			t.Errorf("Accept %q, want %q", r.Accept, mockatlas.UsersMediaType)
		}
		if r.Query.Get("itemsPerPage") != "500" {
			t.Errorf("itemsPerPage=%q, want 500", r.Query.Get("itemsPerPage"))
		}
		// Every page asks for the count: the one of the page that ends the
		// list is compared with page 1's.
		if r.Query.Get("includeCount") != "true" {
			t.Errorf("page %s: includeCount=%q, want true", r.Query.Get("pageNum"), r.Query.Get("includeCount"))
		}
		if r.Query.Has("orgMembershipStatuses") || r.Query.Has("username") {
			t.Errorf("no filter given, yet the query was %s", r.RawQuery)
		}
		pages = append(pages, r.Query.Get("pageNum"))
	}
	slices.Sort(pages)
	if !slices.Equal(pages, []string{"1", "2", "3"}) {
		t.Errorf("pages read: %v, want 1, 2, 3 once each", pages)
	}
}

func TestListOrgUsers_filtersSent(t *testing.T) {
	t.Parallel()
	m, srv := newMock(t)
	m.AddUsers(testOrgID, mockatlas.DemoUsers()...)
	c := newClient(t, testConfig(srv.URL, atlas.AuthAPIKey))
	name := "bob+atlas@example.com"
	got, err := listUsers(t, c, atlas.UsersFilter{Username: &name, Statuses: []string{"INVITATION_EXPIRED", "PENDING"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Username != name {
		t.Fatalf("got %+v, want only %s", got, name)
	}
	var last mockatlas.Request
	for _, r := range m.Requests() {
		if isUsersPage(r) {
			last = r
		}
	}
	if s := last.Query["orgMembershipStatuses"]; !slices.Equal(s, []string{"INVITATION_EXPIRED", "PENDING"}) {
		t.Errorf("orgMembershipStatuses sent as %q, want two repeated parameters", s)
	}
	if last.Query.Get("username") != name {
		t.Errorf("username sent as %q (raw query %s)", last.Query.Get("username"), last.RawQuery)
	}
}

// Atlas lists users in username order, so a change during the read shifts
// the later pages: an insertion shows as a user on two pages, a deletion as
// the count at the end differing from page 1's. Either way the list is read
// once more, and the second read is the answer.
func TestListOrgUsers_listChangingOnceIsReadAgain(t *testing.T) {
	for _, tc := range []struct {
		name      string
		churn     mockatlas.Churn
		wantUsers int
	}{
		{"insert", mockatlas.ChurnInsert, 1235},
		{"delete", mockatlas.ChurnDelete, 1233},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, srv := newMock(t)
			users := mockatlas.GenerateUsers(testOrgID, 1234, mockatlas.StatusPending)
			m.AddUsers(testOrgID, users...)
			m.SetUsersChurn(testOrgID, 1, tc.churn)
			got, err := listUsers(t, newClient(t, testConfig(srv.URL, atlas.AuthAccessToken)), atlas.UsersFilter{})
			if err != nil {
				t.Fatal(err)
			}
			ids := map[string]bool{}
			for _, u := range got {
				if ids[u.Id] {
					t.Errorf("user %s returned twice", u.Id)
				}
				ids[u.Id] = true
			}
			if len(got) != tc.wantUsers {
				t.Errorf("got %d users, want %d: the list as the second read saw it", len(got), tc.wantUsers)
			}
			if n := count(m, isUsersPage); n != 6 {
				t.Errorf("%d page requests, want 6: three pages, then all three again", n)
			}
		})
	}
}

func TestListOrgUsers_listAlwaysChangingFails(t *testing.T) {
	for name, churn := range map[string]mockatlas.Churn{"insert": mockatlas.ChurnInsert, "delete": mockatlas.ChurnDelete} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m, srv := newMock(t)
			m.AddUsers(testOrgID, mockatlas.GenerateUsers(testOrgID, 1234, mockatlas.StatusPending)...)
			m.SetUsersChurn(testOrgID, -1, churn)
			got, err := listUsers(t, newClient(t, testConfig(srv.URL, atlas.AuthAccessToken)), atlas.UsersFilter{})
			ae := asAtlasError(t, err)
			if got != nil || ae.Kind != atlas.KindListChanged || ae.List == nil {
				t.Fatalf("got %d users and %v, want none and KindListChanged with the read's facts", len(got), err)
			}
			if ae.URL != srv.URL+usersPath || ae.Method != http.MethodGet || !strings.Contains(ae.Facts(), "Request: GET "+srv.URL+usersPath) {
				t.Errorf("facts %q, want the Request line of %s", ae.Facts(), srv.URL+usersPath)
			}
			if n := count(m, isUsersPage); n != 6 {
				t.Errorf("%d page requests, want 6: the list is read twice, no more", n)
			}
		})
	}
}

// A failing later page fails the whole read: a partial list is never returned.
func TestListOrgUsers_pageErrorFailsTheRead(t *testing.T) {
	t.Parallel()
	m, srv := newMock(t)
	m.AddUsers(testOrgID, mockatlas.GenerateUsers(testOrgID, 1234, mockatlas.StatusPending)...)
	m.Script(mockatlas.Fault{}, mockatlas.Fault{Status: http.StatusForbidden})
	got, err := listUsers(t, newClient(t, testConfig(srv.URL, atlas.AuthAccessToken)), atlas.UsersFilter{})
	ae := asAtlasError(t, err)
	if got != nil || ae.Kind != atlas.KindForbidden || ae.Path != usersPath || ae.ErrorCode != mockatlas.AccessListCode {
		t.Errorf("got %d users, error %+v; want none and the 403 of %s with its errorCode", len(got), ae, usersPath)
	}
}

func TestListOrgUsers_versionGoneNamesTheVersionSent(t *testing.T) {
	t.Parallel()
	m, srv := newMock(t)
	m.SetFault(&mockatlas.Fault{Status: http.StatusGone})
	_, err := listUsers(t, newClient(t, testConfig(srv.URL, atlas.AuthAccessToken)), atlas.UsersFilter{})
	ae := asAtlasError(t, err)
	if ae.Kind != atlas.KindVersionGone || ae.MediaType != mockatlas.UsersMediaType {
		t.Errorf("got %v with MediaType %q, want version gone for %s", ae, ae.MediaType, mockatlas.UsersMediaType)
	}
}

// The pages of 10,000 users are read a few at a time, never more than the
// provider's bound, and more than one at once.
func TestListOrgUsers_pagesReadConcurrentlyWithinBound(t *testing.T) {
	t.Parallel()
	m, srv := newMock(t)
	users := mockatlas.GenerateUsers(testOrgID, 10000, mockatlas.StatusPending)
	m.AddUsers(testOrgID, users...)
	m.SetUsersPageDelay(20 * time.Millisecond)
	peakNow := peakInFlight(t, srv.Config)
	got, err := listUsers(t, newClient(t, testConfig(srv.URL, atlas.AuthAccessToken)), atlas.UsersFilter{Statuses: []string{"PENDING"}})
	if err != nil {
		t.Fatal(err)
	}
	requireDistinct(t, got, users)
	peak := peakNow()
	t.Logf("21 pages, at most %d in flight", peak)
	if n := count(m, isUsersPage); n != 21 {
		t.Errorf("%d page requests, want 21: 20 full pages, then the empty one that ends the list", n)
	}
	if peak > 9 || peak < 2 {
		t.Errorf("at most %d pages in flight, want 2 to 9 (one connection of the 10 left for other reads)", peak)
	}
}

// Both SDKs go through the one http.Client of the provider: the same
// keep-alive connection, the same credentials and User-Agent.
func TestListOrgUsers_sharesTheProvidersHTTPClient(t *testing.T) {
	t.Parallel()
	m, srv := newMock(t)
	m.AddUsers(testOrgID, mockatlas.DemoUsers()...)
	c := newClient(t, testConfig(srv.URL, atlas.AuthServiceAccount))
	if err := list(t, c, testOrgID); err != nil {
		t.Fatal(err)
	}
	if _, err := listUsers(t, c, atlas.UsersFilter{}); err != nil {
		t.Fatal(err)
	}
	if n := m.Connections(); n != 1 {
		t.Errorf("%d connections for two sequential reads, want 1 (one pool)", n)
	}
	if n := count(m, isTokenRequest); n != 1 {
		t.Errorf("%d token requests, want 1 (one token cache)", n)
	}
	for _, r := range m.Requests() {
		if isAPIRequest(r) && (r.UserAgent != testUserAgent || r.Principal != testClientID) {
			t.Errorf("%s sent as %q by %q, want %q by %q", r.Path, r.UserAgent, r.Principal, testUserAgent, testClientID)
		}
	}
}
