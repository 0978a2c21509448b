package mockatlas

import (
	"encoding/json"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlasapi"
)

func TestAcceptHeader(t *testing.T) {
	tests := []struct {
		name, accept string
		want         int
	}{
		{"exact", MediaType, 200},
		{"missing", "", 406},
		{"plain json", "application/json", 406},
		{"other version", "application/vnd.atlas.2024-11-13+json", 406},
		{"with parameters", MediaType + "; charset=utf-8", 406},
		{"list", "application/json, " + MediaType, 406},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ts, _ := start(t)
			hdr := map[string]string{"Authorization": "Bearer " + testToken}
			if tt.accept != "" {
				hdr["Accept"] = tt.accept
			}
			status, h, body := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID), hdr)
			if status != tt.want {
				t.Fatalf("status = %d, want %d", status, tt.want)
			}
			wantCT := ContentType
			if tt.want != 200 {
				wantCT = ErrorMediaType
			}
			if ct := h.Get("Content-Type"); ct != wantCT {
				t.Errorf("Content-Type = %q, want %q", ct, wantCT)
			}
			if tt.want == 406 {
				e := decodeError(t, body)
				if e.ErrorCode != "INVALID_VERSION_DATE" || e.Error != 406 || e.Reason != "Not Acceptable" {
					t.Errorf("error = %+v", e)
				}
			}
			if r := s.Requests()[0]; r.Accept != tt.accept || r.Status != tt.want || !r.Authenticated {
				t.Errorf("record = %+v", r)
			}
		})
	}
}

// Authentication is checked before the media type, as Atlas does.
func TestAuthBeforeAccept(t *testing.T) {
	_, ts, _ := start(t)
	if status, _, _ := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID), map[string]string{"Accept": "application/json"}); status != 401 {
		t.Fatalf("status = %d, want 401", status)
	}
}

func TestUsernameFilter(t *testing.T) {
	tests := []struct {
		name, rawQuery string
		wantUsers      []string
		wantDecoded    string
	}{
		{"plus encoded", "username=bob%2Batlas%40example.com", []string{"bob+atlas@example.com"}, "bob+atlas@example.com"},
		{"literal plus is a space", "username=bob+atlas@example.com", nil, "bob atlas@example.com"},
		{"exact match only", "username=BOB%2Batlas%40example.com", nil, "BOB+atlas@example.com"},
		{"plain", "username=carol%40example.org", []string{"carol@example.org"}, "carol@example.org"},
		{"nobody", "username=nobody%40example.com", nil, "nobody@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ts, _ := start(t)
			status, _, body := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID)+"?"+tt.rawQuery, bearer())
			if status != 200 {
				t.Fatalf("status = %d: %s", status, body)
			}
			if len(tt.wantUsers) == 0 && string(body) != "[]" {
				t.Fatalf("body = %s, want []", body)
			}
			var users []string
			for _, inv := range decodeInvites(t, body) {
				users = append(users, inv.Username)
			}
			if !reflect.DeepEqual(users, tt.wantUsers) {
				t.Errorf("users = %q, want %q", users, tt.wantUsers)
			}
			r := s.Requests()[0]
			if r.RawQuery != tt.rawQuery || r.Query.Get("username") != tt.wantDecoded {
				t.Errorf("record query = %q / %q, want %q / %q", r.RawQuery, r.Query.Get("username"), tt.rawQuery, tt.wantDecoded)
			}
		})
	}
}

func TestListKeepsFixtureOrderAndOmitsAbsentFields(t *testing.T) {
	_, ts, _ := start(t)
	status, _, body := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID), bearer())
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	got := decodeInvites(t, body)
	if !reflect.DeepEqual(got, DemoInvitations()) {
		t.Fatalf("served %+v\nwant %+v", got, DemoInvitations())
	}
	var raw []map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range raw[2] { // carol: the minimal fixture
		keys = append(keys, k)
	}
	if len(keys) != 4 || raw[2]["username"] != "carol@example.org" {
		t.Errorf("minimal invitation has keys %v, want id, orgId, orgName, username", keys)
	}
}

func TestOrgErrors(t *testing.T) {
	const unknown = "0123456789abcdef01234567"
	tests := []struct {
		name, orgID   string
		want          int
		code          string
		detailHasOrg  bool
		wantParameter string
	}{
		{"unknown org", unknown, 404, "ORG_NOT_FOUND", true, unknown},
		{"short id", "abc", 400, "INVALID_ORG_ID", true, "abc"},
		{"upper-case hex", strings.ToUpper(DemoOrgID), 400, "INVALID_ORG_ID", true, strings.ToUpper(DemoOrgID)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ts, _ := start(t)
			for _, url := range []string{invitesURL(ts, tt.orgID), invitesURL(ts, tt.orgID) + "/6634f290a54dca182530bb1d"} {
				status, h, body := do(t, nil, http.MethodGet, url, bearer())
				if status != tt.want {
					t.Fatalf("%s: status = %d, want %d", url, status, tt.want)
				}
				if h.Get("Content-Type") != ErrorMediaType {
					t.Errorf("Content-Type = %q", h.Get("Content-Type"))
				}
				e := decodeError(t, body)
				if e.ErrorCode != tt.code || e.Error != tt.want || !strings.Contains(e.Detail, tt.orgID) ||
					len(e.Parameters) != 1 || e.Parameters[0] != tt.wantParameter {
					t.Errorf("error = %+v", e)
				}
			}
		})
	}
}

func TestUnknownOrgDetail(t *testing.T) {
	_, ts, _ := start(t)
	_, _, body := do(t, nil, http.MethodGet, invitesURL(ts, "0123456789abcdef01234567"), bearer())
	if e := decodeError(t, body); e.Detail != "Organization 0123456789abcdef01234567 does not exist." {
		t.Errorf("detail = %q", e.Detail)
	}
}

func TestEmptyOrg(t *testing.T) {
	s, ts, _ := start(t)
	const empty = "aaaaaaaaaaaaaaaaaaaaaaaa"
	s.AddOrg(empty)
	status, _, body := do(t, nil, http.MethodGet, invitesURL(ts, empty), bearer())
	if status != 200 || string(body) != "[]" {
		t.Fatalf("status %d body %q, want 200 []", status, body)
	}
}

func TestGetInvitation(t *testing.T) {
	_, ts, _ := start(t)
	want := DemoInvitations()[1]
	status, _, body := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID)+"/"+want.ID, bearer())
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	var got Invitation
	if err := json.Unmarshal(body, &got); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v (%v), want %+v", got, err, want)
	}

	const missing = "ffffffffffffffffffffffff"
	status, _, body = do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID)+"/"+missing, bearer())
	e := decodeError(t, body)
	if status != 404 || e.ErrorCode != "INVITATION_NOT_FOUND" || !strings.Contains(e.Detail, missing) || !strings.Contains(e.Detail, DemoOrgID) {
		t.Errorf("missing invitation: status %d, error %+v", status, e)
	}

	status, _, body = do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID)+"/not-an-id", bearer())
	if e := decodeError(t, body); status != 400 || e.ErrorCode != "INVALID_INVITATION_ID" {
		t.Errorf("bad invitation id: status %d, error %+v", status, e)
	}
}

// A stale invitation id gets either of the answers Atlas may give, each
// an Atlas error body; an invitation the organization holds is still served.
func TestStaleInvitationAnswers(t *testing.T) {
	const missing = "ffffffffffffffffffffffff"
	tests := []struct {
		name   string
		answer StaleAnswer
		code   string
		detail string
	}{
		{"invitation not found", StaleInvitationNotFound, "INVITATION_NOT_FOUND",
			"Invitation " + missing + " does not exist in organization " + DemoOrgID + "."},
		{"resource not found", StaleResourceNotFound, "RESOURCE_NOT_FOUND",
			"Cannot find resource /api/atlas/v2/orgs/" + DemoOrgID + "/invites/" + missing + "."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ts, _ := start(t)
			s.SetStaleInvitationAnswer(tt.answer)
			status, h, body := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID)+"/"+missing, bearer())
			e := decodeError(t, body)
			if status != 404 || e.Error != 404 || e.ErrorCode != tt.code || e.Detail != tt.detail || e.Reason != "Not Found" {
				t.Errorf("status %d, error %+v; want 404 %s %q", status, e, tt.code, tt.detail)
			}
			if ct := h.Get("Content-Type"); ct != ErrorMediaType {
				t.Errorf("Content-Type = %q, want %q", ct, ErrorMediaType)
			}
			want := DemoInvitations()[0]
			if status, _, body := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID)+"/"+want.ID, bearer()); status != 200 {
				t.Errorf("held invitation: status %d: %s", status, body)
			}
		})
	}
}

func TestCommonHeaders(t *testing.T) {
	s, ts, _ := start(t)
	seen := map[string]bool{}
	for _, url := range []string{invitesURL(ts, DemoOrgID), invitesURL(ts, "0123456789abcdef01234567")} {
		_, h, _ := do(t, nil, http.MethodGet, url, bearer())
		id := h.Get(atlasapi.RequestIDHeader)
		if len(id) != 24 || seen[id] {
			t.Errorf("request id %q missing or repeated", id)
		}
		seen[id] = true
		if h.Get(atlasapi.DeprecationHeader) != DeprecationDate || h.Get(atlasapi.SunsetHeader) != SunsetDate {
			t.Errorf("Deprecation/Sunset = %q/%q", h.Get(atlasapi.DeprecationHeader), h.Get(atlasapi.SunsetHeader))
		}
	}
	s.SetDeprecationHeaders(false)
	_, h, _ := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID), bearer())
	if h.Get(atlasapi.DeprecationHeader) != "" || h.Get(atlasapi.SunsetHeader) != "" {
		t.Errorf("deprecation headers sent while off: %v", h)
	}
}

func TestUnknownRoutes(t *testing.T) {
	_, ts, _ := start(t)
	tests := []struct {
		method, path string
		hdr          map[string]string
		want         int
		code         string
	}{
		{"GET", "/api/atlas/v2/groups/" + DemoProjectProd + "/clusters", bearer(), 404, "RESOURCE_NOT_FOUND"},
		{"GET", "/api/atlas/v2/orgs/" + DemoOrgID + "/apiKeys", bearer(), 404, "RESOURCE_NOT_FOUND"},
		{"POST", "/api/atlas/v2/groups/" + DemoProjectProd + "/invites", bearer(), 405, "METHOD_NOT_ALLOWED"},
		{"POST", "/api/atlas/v2/orgs", bearer(), 405, "METHOD_NOT_ALLOWED"},
		{"POST", "/api/atlas/v2/orgs/" + DemoOrgID + "/invites", bearer(), 405, "METHOD_NOT_ALLOWED"},
		{"DELETE", "/api/atlas/v2/orgs/" + DemoOrgID + "/invites/6634f290a54dca182530bb1d", bearer(), 405, "METHOD_NOT_ALLOWED"},
		{"GET", "/api/atlas/v2/clusters", map[string]string{"Accept": MediaType}, 401, "UNAUTHORIZED"},
	}
	for _, tt := range tests {
		status, _, body := do(t, nil, tt.method, ts.URL+tt.path, tt.hdr)
		if e := decodeError(t, body); status != tt.want || e.ErrorCode != tt.code {
			t.Errorf("%s %s: status %d, error %+v; want %d %s", tt.method, tt.path, status, e, tt.want, tt.code)
		}
	}
}

func TestAddOrgCopiesFixtures(t *testing.T) {
	s, ts, _ := start(t)
	const org = "bbbbbbbbbbbbbbbbbbbbbbbb"
	inv := Invitation{ID: "cccccccccccccccccccccccc", OrgName: "X", Username: "x@example.com", Roles: []string{"ORG_MEMBER"}}
	s.AddOrg(org, inv)
	inv.Roles[0] = "CHANGED"
	s.AddOrg(org, Invitation{ID: "dddddddddddddddddddddddd", OrgName: "X", Username: "y@example.com"})
	_, _, body := do(t, nil, http.MethodGet, invitesURL(ts, org), bearer())
	got := decodeInvites(t, body)
	if len(got) != 2 || got[0].Roles[0] != "ORG_MEMBER" || got[1].Username != "y@example.com" {
		t.Fatalf("served %+v", got)
	}
}

func TestPretty(t *testing.T) {
	_, ts, _ := start(t)
	_, _, body := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID)+"?pretty=true", bearer())
	if !strings.HasPrefix(string(body), "[\n  {\n") {
		t.Fatalf("not indented: %.40s", body)
	}
}

func TestServeOnListener(t *testing.T) {
	s := New()
	s.LoadDemo()
	s.AddAccessToken(testToken)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := s.Serve(ln)
	defer srv.Close()
	status, _, _ := do(t, nil, http.MethodGet, "http://"+ln.Addr().String()+"/api/atlas/v2/orgs/"+DemoOrgID+"/invites", bearer())
	if status != 200 || s.Connections() != 1 {
		t.Fatalf("status %d, connections %d", status, s.Connections())
	}
}
