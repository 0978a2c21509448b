package atlas_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// Atlas documents totalCount as an estimate ("may not be exact"). It only
// decides how many pages are asked for at once: whatever it says, a read
// returns every user once, ends at the first page that is not full, and
// neither fails nor fans out on a count that is wrong, missing or absurd.
func TestListOrgUsers_countIsAnEstimate(t *testing.T) {
	int64p := func(n int64) *int64 { return &n }
	tests := []struct {
		name       string
		users      int
		count      mockatlas.Count
		wantPages  int // page requests, exactly
		sequential bool
	}{
		{name: "exact, one page", users: 9, wantPages: 1},
		{name: "one too high, one page", users: 9, count: mockatlas.Count{Skew: 1}, wantPages: 1},
		{name: "one too low, one page", users: 9, count: mockatlas.Count{Skew: -1}, wantPages: 1},
		{name: "five too high, three pages", users: 1100, count: mockatlas.Count{Skew: 5}, wantPages: 3},
		{name: "five too low, three pages", users: 1100, count: mockatlas.Count{Skew: -5}, wantPages: 3},
		// The count says two pages; page 2 is full, so page 3 is read too.
		{name: "five too low, at a page boundary", users: 1000, count: mockatlas.Count{Skew: -5}, wantPages: 3},
		// Pages past the end, asked for on the count's word, come back empty.
		{name: "a page too high", users: 1100, count: mockatlas.Count{Skew: 500}, wantPages: 4},
		{name: "absent: page by page", users: 1234, count: mockatlas.Count{Absent: true}, wantPages: 3, sequential: true},
		{name: "negative: no count", users: 1234, count: mockatlas.Count{Fixed: int64p(-3)}, wantPages: 3, sequential: true},
		{name: "a million, one user", users: 1, count: mockatlas.Count{Fixed: int64p(1_000_000)}, wantPages: 1},
		{name: "2^62, one user", users: 1, count: mockatlas.Count{Fixed: int64p(1 << 62)}, wantPages: 1},
		{name: "zero, three pages", users: 1100, count: mockatlas.Count{Fixed: int64p(0)}, wantPages: 3, sequential: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, srv := newMock(t)
			users := mockatlas.GenerateUsers(testOrgID, tc.users, mockatlas.StatusPending)
			m.AddUsers(testOrgID, users...)
			m.SetUsersTotalCount(testOrgID, tc.count)
			peak := peakInFlight(t, srv.Config)
			got, err := listUsers(t, newClient(t, testConfig(srv.URL, atlas.AuthAccessToken)), atlas.UsersFilter{})
			if err != nil {
				t.Fatal(err)
			}
			requireDistinct(t, got, users)
			if n := count(m, isUsersPage); n != tc.wantPages {
				t.Errorf("%d page requests, want %d", n, tc.wantPages)
			}
			if p := peak(); tc.sequential && p > 1 {
				t.Errorf("%d pages in flight at once, want 1: with no count to go by, pages are read one by one", p)
			}
		})
	}
}

// An absurd count on a large organization asks for at most 18 pages past
// those known to be full, never thousands.
func TestListOrgUsers_absurdCountFansOutWithinBound(t *testing.T) {
	t.Parallel()
	m, srv := newMock(t)
	users := mockatlas.GenerateUsers(testOrgID, 1100, mockatlas.StatusPending)
	m.AddUsers(testOrgID, users...)
	huge := int64(1 << 62)
	m.SetUsersTotalCount(testOrgID, mockatlas.Count{Fixed: &huge})
	got, err := listUsers(t, newClient(t, testConfig(srv.URL, atlas.AuthAccessToken)), atlas.UsersFilter{})
	if err != nil {
		t.Fatal(err)
	}
	requireDistinct(t, got, users)
	if n := count(m, isUsersPage); n < 3 || n > 1+18 {
		t.Errorf("%d page requests, want 3 to 19", n)
	}
}

// peakInFlight wraps the server's handler and returns a function that
// tells the most requests it served at once.
func peakInFlight(t *testing.T, srv *http.Server) func() int {
	t.Helper()
	var mu sync.Mutex
	inFlight, peak := 0, 0
	next := srv.Handler
	srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		peak = max(peak, inFlight)
		mu.Unlock()
		defer func() { mu.Lock(); inFlight--; mu.Unlock() }()
		next.ServeHTTP(w, r)
	})
	return func() int { mu.Lock(); defer mu.Unlock(); return peak }
}

// fullPages answers every page of the users endpoint with 500 distinct
// users and a count of 2^62, past any real organization: only the read's
// own bound ends it.
func fullPages(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("pageNum"))
		rows := make([]map[string]any, atlas.PageSize)
		for i := range rows {
			n := (page-1)*atlas.PageSize + i
			rows[i] = map[string]any{"id": fmt.Sprintf("%024x", n), "username": fmt.Sprintf("u%07d@example.com", n),
				"orgMembershipStatus": "PENDING", "roles": map[string]any{}}
		}
		w.Header().Set("Content-Type", mockatlas.UsersMediaType)
		_ = json.NewEncoder(w).Encode(map[string]any{"results": rows, "totalCount": 1 << 62})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// A list that never ends stops at MaxUsersPages with its own error, whose
// facts name the request and what was read.
func TestListOrgUsers_readIsBounded(t *testing.T) {
	t.Parallel()
	srv := fullPages(t)
	c := newClient(t, testConfig(srv.URL, atlas.AuthAccessToken))
	got, err := listUsers(t, c, atlas.UsersFilter{})
	ae := asAtlasError(t, err)
	if got != nil || ae.Kind != atlas.KindListTooLong || ae.List == nil {
		t.Fatalf("got %d users and %v, want KindListTooLong", len(got), err)
	}
	if ae.List.Pages < atlas.MaxPages || ae.List.Pages > atlas.MaxPages+18 {
		t.Errorf("%d pages asked for, want %d to %d", ae.List.Pages, atlas.MaxPages, atlas.MaxPages+18)
	}
	if ae.URL != srv.URL+usersPath || !strings.Contains(ae.Facts(), "Request: GET "+srv.URL+usersPath) {
		t.Errorf("error %+v, want the URL of the list", ae)
	}
	if l := ae.List; l.What != "users" || l.MaxPages != atlas.MaxPages || l.PageSize != atlas.PageSize ||
		!strings.Contains(ae.Facts(), fmt.Sprintf("Pages read: %d (of %d items each)", l.Pages, atlas.PageSize)) {
		t.Errorf("list facts %+v, want users read in pages of %d up to %d pages:\n%s", *l, atlas.PageSize, atlas.MaxPages, ae.Facts())
	}
}

// The same pages with every page number shifted by one: page 1 is full,
// and every page repeats the last users of the one before. A user on two
// pages is the list moving: read twice, then failed.
func TestListOrgUsers_userOnTwoPagesIsAChange(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests++
		mu.Unlock()
		page, _ := strconv.Atoi(r.URL.Query().Get("pageNum"))
		rows := []map[string]any{}
		if page <= 2 {
			// Page 2 starts with page 1's last user.
			for i := range atlas.PageSize - (page - 1) {
				n := (page-1)*(atlas.PageSize-1) + i
				rows = append(rows, map[string]any{"id": fmt.Sprintf("%024x", n), "username": fmt.Sprintf("u%07d@example.com", n),
					"orgMembershipStatus": "PENDING", "roles": map[string]any{}})
			}
		}
		w.Header().Set("Content-Type", mockatlas.UsersMediaType)
		_ = json.NewEncoder(w).Encode(map[string]any{"results": rows, "totalCount": 999})
	}))
	t.Cleanup(srv.Close)
	_, err := listUsers(t, newClient(t, testConfig(srv.URL, atlas.AuthAccessToken)), atlas.UsersFilter{})
	if ae := asAtlasError(t, err); ae.Kind != atlas.KindListChanged {
		t.Fatalf("%v, want KindListChanged", err)
	}
	if requests != 4 {
		t.Errorf("%d page requests, want 4: two pages, read twice", requests)
	}
}

// A count of 0 on page 1 is a count: when the page that ends the list says
// otherwise, the list moved.
func TestListOrgUsers_countFromZeroIsAChange(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("pageNum"))
		n, count := atlas.PageSize, 0
		if page > 1 {
			n, count = 200, 700
		}
		rows := make([]map[string]any, n)
		for i := range rows {
			id := (page-1)*atlas.PageSize + i
			rows[i] = map[string]any{"id": fmt.Sprintf("%024x", id), "username": fmt.Sprintf("u%07d@example.com", id),
				"orgMembershipStatus": "PENDING", "roles": map[string]any{}}
		}
		w.Header().Set("Content-Type", mockatlas.UsersMediaType)
		_ = json.NewEncoder(w).Encode(map[string]any{"results": rows, "totalCount": count})
	}))
	t.Cleanup(srv.Close)
	_, err := listUsers(t, newClient(t, testConfig(srv.URL, atlas.AuthAccessToken)), atlas.UsersFilter{})
	ae := asAtlasError(t, err)
	if ae.Kind != atlas.KindListChanged || !strings.Contains(ae.Facts(), "Atlas's estimated count: 0 on page 1, 700 on page 2") {
		t.Errorf("%v, want KindListChanged with both counts in its facts", err)
	}
}

// Without any count, a user on two pages still tells the change, and the
// facts say there was no count.
func TestListOrgUsers_changeWithoutCount(t *testing.T) {
	t.Parallel()
	m, srv := newMock(t)
	m.AddUsers(testOrgID, mockatlas.GenerateUsers(testOrgID, 1234, mockatlas.StatusPending)...)
	m.SetUsersTotalCount(testOrgID, mockatlas.Count{Absent: true})
	m.SetUsersChurn(testOrgID, -1, mockatlas.ChurnInsert)
	_, err := listUsers(t, newClient(t, testConfig(srv.URL, atlas.AuthAccessToken)), atlas.UsersFilter{})
	ae := asAtlasError(t, err)
	if ae.Kind != atlas.KindListChanged || ae.List.Change != "one of the users was listed twice" ||
		!strings.Contains(ae.Facts(), "Atlas's estimated count: none on page 1, none on page 3") {
		t.Errorf("%v\n%s, want KindListChanged, no count, the user listed twice", err, ae.Facts())
	}
}
