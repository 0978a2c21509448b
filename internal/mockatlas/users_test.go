package mockatlas

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlasapi"
)

func usersURL(baseURL, orgID string, q url.Values) string {
	u := baseURL + "/api/atlas/v2/orgs/" + orgID + "/users"
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// usersAs is the headers of a users request with the static token and the
// given API version.
func usersAs(mediaType string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + testToken, "Accept": mediaType}
}

func decodeUsersPage(t *testing.T, body []byte) usersPage {
	t.Helper()
	var p usersPage
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("users page is not JSON: %v: %s", err, body)
	}
	return p
}

func userNames(users []User) []string {
	var out []string
	for _, u := range users {
		out = append(out, u.Username)
	}
	slices.Sort(out)
	return out
}

func TestUsers_filtersAndVersions(t *testing.T) {
	t.Parallel()
	_, ts, _ := start(t)
	tests := []struct {
		name    string
		version string
		q       url.Values
		want    []string
	}{
		{"default: ACTIVE and PENDING", UsersMediaType, nil,
			[]string{"alice.admin@example.com", "bob+atlas@example.com", "carol@example.org", "dave@example.net",
				"erin.ops@example.com", "frank.former@example.com", "owner@coffee.example.com"}},
		{"expired and rejected", UsersMediaType, url.Values{"orgMembershipStatuses": {StatusInvitationExpired, StatusInvitationRejected}},
			[]string{"grace.gone@example.org", "henry.no@example.net"}},
		{"deprecated singular parameter", UsersMediaType, url.Values{"orgMembershipStatus": {StatusInvitationExpired}},
			[]string{"grace.gone@example.org"}},
		{"username", UsersMediaType, url.Values{"username": {"bob+atlas@example.com"}}, []string{"bob+atlas@example.com"}},
		{"2023-01-01: members only, filters ignored", MediaType,
			url.Values{"orgMembershipStatuses": {StatusPending}, "username": {"bob+atlas@example.com"}},
			[]string{"frank.former@example.com", "owner@coffee.example.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, hdr, body := do(t, nil, http.MethodGet, usersURL(ts.URL, DemoOrgID, tt.q), usersAs(tt.version))
			if status != http.StatusOK || hdr.Get("Content-Type") != contentTypeOf(tt.version) {
				t.Fatalf("%d %s: %s", status, hdr.Get("Content-Type"), body)
			}
			// Atlas marks only the old version deprecated.
			if (hdr.Get(atlasapi.SunsetHeader) != "") != (tt.version == MediaType) {
				t.Errorf("version %s: Sunset header %q", tt.version, hdr.Get(atlasapi.SunsetHeader))
			}
			p := decodeUsersPage(t, body)
			if got := userNames(p.Results); !slices.Equal(got, tt.want) {
				t.Errorf("users %q, want %q", got, tt.want)
			}
			if p.TotalCount == nil || *p.TotalCount != int64(len(tt.want)) {
				t.Errorf("totalCount %v, want %d", p.TotalCount, len(tt.want))
			}
		})
	}
}

func TestUsers_pages(t *testing.T) {
	t.Parallel()
	s, ts, _ := start(t)
	org := GeneratedOrgID(7)
	all := GenerateUsers(org, 1234, StatusPending)
	s.AddUsers(org, all...)
	seen := map[string]bool{}
	for page, want := range []int{500, 500, 234, 0} {
		q := url.Values{"itemsPerPage": {"500"}, "pageNum": {string(rune('1' + page))}, "includeCount": {"false"}}
		_, _, body := do(t, nil, http.MethodGet, usersURL(ts.URL, org, q), usersAs(UsersMediaType))
		p := decodeUsersPage(t, body)
		if len(p.Results) != want || p.TotalCount != nil {
			t.Errorf("page %d: %d users, totalCount %v; want %d and no count", page+1, len(p.Results), p.TotalCount, want)
		}
		for _, u := range p.Results {
			if seen[u.ID] {
				t.Errorf("user %s on two pages", u.ID)
			}
			seen[u.ID] = true
		}
	}
	if len(seen) != len(all) {
		t.Errorf("pages held %d users, want %d", len(seen), len(all))
	}
}

func TestUsers_badQueriesAre400(t *testing.T) {
	t.Parallel()
	_, ts, _ := start(t)
	tests := []struct {
		q    url.Values
		code string
	}{
		{url.Values{"itemsPerPage": {"501"}}, "INVALID_QUERY_PARAMETER"},
		{url.Values{"itemsPerPage": {"0"}}, "INVALID_QUERY_PARAMETER"},
		{url.Values{"pageNum": {"x"}}, "INVALID_QUERY_PARAMETER"},
		{url.Values{"includeCount": {"maybe"}}, "INVALID_QUERY_PARAMETER"},
		{url.Values{"orgMembershipStatuses": {"PENDING", "pending"}}, "INVALID_ENUM_VALUE"},
		{url.Values{"orgMembershipStatuses": {"INVITED"}}, "INVALID_ENUM_VALUE"},
		{url.Values{"orgMembershipStatus": {"ACTIVE"}, "orgMembershipStatuses": {"ACTIVE"}}, "INVALID_QUERY_PARAMETER"},
	}
	for _, tt := range tests {
		status, hdr, body := do(t, nil, http.MethodGet, usersURL(ts.URL, DemoOrgID, tt.q), usersAs(UsersMediaType))
		if status != http.StatusBadRequest || hdr.Get("Content-Type") != ErrorMediaType {
			t.Errorf("%s: %d %s, want 400 %s", tt.q.Encode(), status, hdr.Get("Content-Type"), ErrorMediaType)
			continue
		}
		if e := decodeError(t, body); e.ErrorCode != tt.code || e.Error != 400 || e.Detail == "" {
			t.Errorf("%s: error %+v, want %s", tt.q.Encode(), e, tt.code)
		}
	}
	if status, _, _ := do(t, nil, http.MethodGet, usersURL(ts.URL, DemoOrgID, nil), usersAs("application/vnd.atlas.2024-01-01+json")); status != http.StatusNotAcceptable {
		t.Errorf("unknown version answered %d, want 406", status)
	}
	if status, _, _ := do(t, nil, http.MethodGet, usersURL(ts.URL, "0123456789abcdef01234567", nil), usersAs(UsersMediaType)); status != http.StatusNotFound {
		t.Errorf("unknown organization answered %d, want 404", status)
	}
}

func TestUsers_pageDelay(t *testing.T) {
	t.Parallel()
	s, ts, _ := start(t)
	s.SetUsersPageDelay(time.Hour)
	client := &http.Client{Timeout: 200 * time.Millisecond}
	req, err := http.NewRequest(http.MethodGet, usersURL(ts.URL, DemoOrgID, nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range usersAs(UsersMediaType) {
		req.Header.Set(k, v)
	}
	if resp, err := client.Do(req); err == nil {
		_ = resp.Body.Close()
		t.Fatalf("answered %d despite an hour's page delay", resp.StatusCode)
	}
	s.SetUsersPageDelay(0)
	if status, _, _ := do(t, nil, http.MethodGet, usersURL(ts.URL, DemoOrgID, nil), usersAs(UsersMediaType)); status != http.StatusOK {
		t.Errorf("answered %d with the delay off", status)
	}
}

func TestGenerateUsers(t *testing.T) {
	t.Parallel()
	a := GenerateUsers("org", 200, UserStatuses...)
	if b := GenerateUsers("org", 200, UserStatuses...); !slices.EqualFunc(a, b, func(x, y User) bool { return x.ID == y.ID && x.Username == y.Username }) {
		t.Error("same arguments, different users")
	}
	ids, names, statuses := map[string]bool{}, map[string]bool{}, map[string]int{}
	for _, u := range a {
		if !objectID.MatchString(u.ID) || ids[u.ID] || names[u.Username] {
			t.Errorf("bad or repeated id/username: %+v", u)
		}
		ids[u.ID], names[u.Username] = true, true
		statuses[u.OrgMembershipStatus]++
		active := u.OrgMembershipStatus == StatusActive
		if active != (u.CreatedAt != "") || active == (u.InvitationCreatedAt != "") || u.MobileNumber != "" {
			t.Errorf("fields do not fit status %s: %+v", u.OrgMembershipStatus, u)
		}
		if (u.OrgMembershipStatus == StatusInvitationRejected) != (u.InvitationExpiresAt == "" && !active) {
			t.Errorf("expiry does not fit status %s: %+v", u.OrgMembershipStatus, u)
		}
	}
	for _, st := range UserStatuses {
		if statuses[st] != 50 {
			t.Errorf("%d users %s, want 50", statuses[st], st)
		}
	}
}
