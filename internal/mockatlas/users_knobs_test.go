package mockatlas

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// readUsers pages through orgID's users, itemsPerPage at a time, until a
// short page, and returns every row served (repeats included) and the
// totalCount of each page.
func readUsers(t *testing.T, ts *httptest.Server, orgID string, itemsPerPage int, q url.Values) (rows []User, counts []*int64) {
	t.Helper()
	for page := 1; page < 100; page++ {
		v := url.Values{"itemsPerPage": {strconv.Itoa(itemsPerPage)}, "pageNum": {strconv.Itoa(page)}}
		for k, vs := range q {
			v[k] = vs
		}
		status, _, body := do(t, nil, http.MethodGet, usersURL(ts.URL, orgID, v), usersAs(UsersMediaType))
		if status != http.StatusOK {
			t.Fatalf("page %d: %d %s", page, status, body)
		}
		p := decodeUsersPage(t, body)
		rows, counts = append(rows, p.Results...), append(counts, p.TotalCount)
		if len(p.Results) < itemsPerPage {
			return rows, counts
		}
	}
	t.Fatal("more than 100 pages")
	return nil, nil
}

func ids(users []User) []string {
	var out []string
	for _, u := range users {
		out = append(out, u.ID)
	}
	return out
}

func TestUsers_servedInUsernameOrder(t *testing.T) {
	t.Parallel()
	s, ts, _ := start(t)
	org := GeneratedOrgID(30)
	added := GenerateUsers(org, 1234, UserStatuses...)
	// Same username twice, the larger id first: ties go by id.
	added = append(added,
		User{ID: "ffffffffffffffffffffff02", Username: "twin@example.com", OrgMembershipStatus: StatusPending},
		User{ID: "ffffffffffffffffffffff01", Username: "twin@example.com", OrgMembershipStatus: StatusPending})
	s.AddUsers(org, added...)
	want := slices.Clone(added)
	slices.SortStableFunc(want, compareUsers)
	if slices.Equal(ids(added), ids(want)) {
		t.Fatal("the fixtures are already sorted: the test proves nothing")
	}
	got, _ := readUsers(t, ts, org, 500, url.Values{"orgMembershipStatuses": UserStatuses})
	if !slices.Equal(ids(got), ids(want)) {
		t.Errorf("not served in username order")
	}

	// The one deliberately unsorted list: as added, until turned off.
	for _, tt := range []struct {
		unsorted bool
		want     []User
	}{{true, added}, {false, want}} {
		s.SetUsersUnsorted(org, tt.unsorted)
		if got, _ := readUsers(t, ts, org, 500, url.Values{"orgMembershipStatuses": UserStatuses}); !slices.Equal(ids(got), ids(tt.want)) {
			t.Errorf("unsorted=%v: wrong order", tt.unsorted)
		}
	}
}

func TestUsers_totalCount(t *testing.T) {
	t.Parallel()
	i64 := func(v int64) *int64 { return &v }
	tests := []struct {
		name  string
		count Count
		want  *int64 // on every page of a read of 1234 users
	}{
		{"exact", Count{}, i64(1234)},
		{"skewed up", Count{Skew: 7}, i64(1241)},
		{"skewed down", Count{Skew: -34}, i64(1200)},
		{"skewed below zero", Count{Skew: -5000}, i64(0)},
		{"absent", Count{Absent: true}, nil},
		{"fixed huge", Count{Fixed: i64(1 << 62)}, i64(1 << 62)},
		{"fixed negative", Count{Fixed: i64(-3)}, i64(-3)},
		{"absent wins over fixed", Count{Absent: true, Fixed: i64(5)}, nil},
		{"fixed wins over skew", Count{Fixed: i64(5), Skew: 3}, i64(5)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, ts, _ := start(t)
			org, other := GeneratedOrgID(31), GeneratedOrgID(32)
			s.AddUsers(org, GenerateUsers(org, 1234, StatusPending)...)
			s.AddUsers(other, GenerateUsers(other, 3, StatusPending)...)
			s.SetUsersTotalCount(org, tt.count)
			for read := 0; read < 2; read++ {
				_, counts := readUsers(t, ts, org, 500, url.Values{"includeCount": {"true"}})
				for page, c := range counts {
					if (c == nil) != (tt.want == nil) || (c != nil && *c != *tt.want) {
						t.Errorf("read %d page %d: totalCount %v, want %v", read+1, page+1, deref(c), deref(tt.want))
					}
				}
			}
			if _, counts := readUsers(t, ts, org, 500, url.Values{"includeCount": {"false"}}); counts[0] != nil {
				t.Errorf("includeCount=false answered %d", *counts[0])
			}
			if _, counts := readUsers(t, ts, other, 500, nil); counts[0] == nil || *counts[0] != 3 {
				t.Errorf("another organization's count: %v, want 3", deref(counts[0]))
			}
			s.SetUsersTotalCount(org, Count{})
			if _, counts := readUsers(t, ts, org, 500, nil); counts[0] == nil || *counts[0] != 1234 {
				t.Errorf("after Count{}: %v, want 1234", deref(counts[0]))
			}
		})
	}
}

func deref(p *int64) any {
	if p == nil {
		return "absent"
	}
	return *p
}

// A change during a read is an insertion or a deletion in username order:
// the later pages shift, so a user shows twice or is skipped.
func TestUsers_churn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		kind   Churn
		reads  int
		status string
		// rows served, distinct users and users in the list after each of
		// three reads of 12 users, 5 a page
		rows, distinct, after [3]int
	}{
		{"insert once", ChurnInsert, 1, StatusPending, [3]int{13, 13, 13}, [3]int{12, 13, 13}, [3]int{13, 13, 13}},
		{"insert every read", ChurnInsert, -1, StatusActive, [3]int{13, 14, 15}, [3]int{12, 13, 14}, [3]int{13, 14, 15}},
		{"delete once", ChurnDelete, 1, StatusPending, [3]int{11, 11, 11}, [3]int{11, 11, 11}, [3]int{11, 11, 11}},
		{"delete twice", ChurnDelete, 2, StatusActive, [3]int{11, 10, 10}, [3]int{11, 10, 10}, [3]int{11, 10, 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, ts, clock := start(t)
			org := GeneratedOrgID(33)
			s.AddUsers(org, GenerateUsers(org, 12, tt.status)...)
			s.SetUsersChurn(org, tt.reads, tt.kind)
			for read := 0; read < 3; read++ {
				before := listedUsers(s, org)
				rows, _ := readUsers(t, ts, org, 5, nil)
				after := listedUsers(s, org)
				if len(rows) != tt.rows[read] || len(distinctIDs(rows)) != tt.distinct[read] || len(after) != tt.after[read] {
					t.Errorf("read %d: %d rows, %d distinct, %d after; want %d, %d, %d", read+1,
						len(rows), len(distinctIDs(rows)), len(after), tt.rows[read], tt.distinct[read], tt.after[read])
				}
				if len(after) == len(before) {
					continue
				}
				if tt.kind == ChurnDelete {
					if slices.Contains(ids(after), before[0].ID) || !slices.Equal(ids(after), ids(before[1:])) {
						t.Errorf("read %d did not delete the first user only", read+1)
					}
					continue
				}
				// The inserted user sorts first, is valid, and has the
				// status of page 1's first user.
				u := after[0]
				if slices.Contains(ids(before), u.ID) || !objectID.MatchString(u.ID) || u.OrgMembershipStatus != tt.status ||
					u.Username >= before[0].Username || len(u.Roles.OrgRoles) == 0 {
					t.Errorf("read %d inserted %+v, before %s", read+1, u, before[0].Username)
				}
				for _, at := range []string{u.CreatedAt, u.LastAuth, u.InvitationCreatedAt, u.InvitationExpiresAt} {
					if _, err := time.Parse(time.RFC3339, at); at != "" && err != nil {
						t.Errorf("inserted time %q: %v", at, err)
					}
				}
				if want := clock.Now().Format(time.RFC3339); u.CreatedAt+u.InvitationCreatedAt != want {
					t.Errorf("inserted at %q%q, want %s", u.CreatedAt, u.InvitationCreatedAt, want)
				}
			}
		})
	}
	defer func() {
		if recover() == nil {
			t.Error("an unknown Churn did not panic")
		}
	}()
	New().SetUsersChurn(DemoOrgID, 1, Churn(0))
}

// listedUsers is orgID's list as served, read without a request (which
// could churn it).
func listedUsers(s *Server, orgID string) []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.users[orgID].listed())
}

func distinctIDs(users []User) map[string]bool {
	out := map[string]bool{}
	for _, u := range users {
		out[u.ID] = true
	}
	return out
}

// Rows carry the fields of their status; members always a mobileNumber,
// null when they have none.
func TestUsers_rowFieldsByStatus(t *testing.T) {
	t.Parallel()
	s, ts, _ := start(t)
	org := GeneratedOrgID(34)
	// Fields a status does not have are dropped, whatever the fixture says.
	s.AddUsers(org, User{ID: "aaaaaaaaaaaaaaaaaaaaaa01", Username: "p@example.com", OrgMembershipStatus: StatusPending,
		CreatedAt: "2024-01-01T00:00:00Z", FirstName: "P", MobileNumber: "2125550199", InvitationCreatedAt: "2024-01-01T00:00:00Z"},
		User{ID: "aaaaaaaaaaaaaaaaaaaaaa02", Username: "a@example.com", OrgMembershipStatus: StatusActive,
			InvitationCreatedAt: "2024-01-01T00:00:00Z", InviterUsername: "x@example.com", CreatedAt: "2024-01-01T00:00:00Z"})
	invitation := map[string]bool{"id": true, "username": true, "orgMembershipStatus": true, "roles": true, "teamIds": true,
		"inviterUsername": true, "invitationCreatedAt": true, "invitationExpiresAt": true}
	member := map[string]bool{"id": true, "username": true, "orgMembershipStatus": true, "roles": true, "teamIds": true,
		"createdAt": true, "lastAuth": true, "firstName": true, "lastName": true, "country": true, "mobileNumber": true}
	seen := map[string]int{}
	for _, o := range []string{DemoOrgID, org, GeneratedOrgID(35)} {
		if o == GeneratedOrgID(35) {
			s.AddUsers(o, GenerateUsers(o, 40, UserStatuses...)...)
		}
		q := url.Values{"orgMembershipStatuses": UserStatuses, "itemsPerPage": {"500"}}
		_, _, body := do(t, nil, http.MethodGet, usersURL(ts.URL, o, q), usersAs(UsersMediaType))
		var page struct{ Results []map[string]any }
		if err := json.Unmarshal(body, &page); err != nil {
			t.Fatal(err)
		}
		for _, row := range page.Results {
			st, _ := row["orgMembershipStatus"].(string)
			seen[st]++
			allowed := invitation
			if st == StatusActive {
				allowed = member
				mobile, ok := row["mobileNumber"]
				if !ok || (mobile != nil && row["username"] != "owner@coffee.example.com") || (mobile == nil && row["username"] == "owner@coffee.example.com") {
					t.Errorf("%s: mobileNumber %v (present %v)", row["username"], mobile, ok)
				}
			}
			for k := range row {
				if !allowed[k] {
					t.Errorf("%s row %s carries %q", st, row["username"], k)
				}
			}
		}
	}
	for _, st := range UserStatuses {
		if seen[st] == 0 {
			t.Errorf("no %s row checked", st)
		}
	}
}

// SetUsersInsertWhileHeld: page 2 waits for page 3, a user is inserted in
// page 2's range in between, and page 2 pushes its last user onto page 3,
// already served. No user is served twice; page 2's count is one higher.
// The next read sees the list as it is, unheld.
func TestUsers_insertWhileHeld(t *testing.T) {
	t.Parallel()
	s, ts, _ := start(t)
	org := GeneratedOrgID(34)
	s.AddUsers(org, GenerateUsers(org, 12, StatusPending)...)
	before := listedUsers(s, org)
	s.SetUsersInsertWhileHeld(org, 3, 2, 6)
	page := func(num int) usersPage {
		v := url.Values{"itemsPerPage": {"5"}, "pageNum": {strconv.Itoa(num)}}
		status, _, body := do(t, nil, http.MethodGet, usersURL(ts.URL, org, v), usersAs(UsersMediaType))
		if status != http.StatusOK {
			t.Errorf("page %d: %d %s", num, status, body)
		}
		return decodeUsersPage(t, body)
	}
	held := make(chan usersPage)
	go func() { held <- page(2) }()
	select {
	case <-held:
		t.Fatal("page 2 answered before page 3")
	case <-time.After(100 * time.Millisecond):
	}
	p3 := page(3)
	p2 := <-held
	after := listedUsers(s, org)
	local, domain, _ := strings.Cut(before[6].Username, "@")
	if len(after) != 13 || after[7].Username != local+"_inserted@"+domain {
		t.Fatalf("after the insertion: %d users, the 8th %q; want 13, the 7th's name with _inserted", len(after), after[min(7, len(after)-1)].Username)
	}
	if !slices.Equal(ids(p3.Results), ids(before[10:])) || *p3.TotalCount != 12 {
		t.Errorf("page 3 served %v (count %d), want the last 2 users of 12", ids(p3.Results), *p3.TotalCount)
	}
	if !slices.Equal(ids(p2.Results), ids(after[5:10])) || *p2.TotalCount != 13 || slices.Contains(ids(p2.Results), before[9].ID) {
		t.Errorf("page 2 served %v (count %d), want users 6 to 10 of 13, without the one pushed onto page 3", ids(p2.Results), *p2.TotalCount)
	}
	if rows, _ := readUsers(t, ts, org, 5, nil); !slices.Equal(ids(rows), ids(after)) {
		t.Errorf("the next read served %d users, want the 13 in order", len(rows))
	}
}
