package mockatlas

import (
	"net/http"
	"testing"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlasapi"
)

// Answers carry the versioned media type with a charset, as Atlas sends it;
// errors are plain JSON unless a fault asks for Atlas's media type.
func TestContentTypes(t *testing.T) {
	t.Parallel()
	s, ts, _ := start(t)
	users := usersURL(ts.URL, DemoOrgID, nil)
	tests := []struct {
		name   string
		fault  *Fault
		url    string
		hdr    map[string]string
		status int
		want   string
	}{
		{"invitations", nil, invitesURL(ts, DemoOrgID), bearer(), 200, "application/vnd.atlas.2023-01-01+json;charset=utf-8"},
		{"one invitation", nil, invitesURL(ts, DemoOrgID) + "/6634f290a54dca182530bb1d", bearer(), 200, ContentType},
		{"users", nil, users, usersAs(UsersMediaType), 200, "application/vnd.atlas.2025-02-19+json;charset=utf-8"},
		{"users, deprecated version", nil, users, usersAs(MediaType), 200, ContentType},
		{"error", nil, invitesURL(ts, "0123456789abcdef01234567"), bearer(), 404, ErrorMediaType},
		{"fault error in Atlas's media type", &Fault{Status: 500, ContentType: UsersMediaType}, users, usersAs(UsersMediaType), 500, UsersContentType},
		{"fault error in another media type", &Fault{Status: 500, ContentType: "text/plain"}, users, usersAs(UsersMediaType), 500, "text/plain"},
		{"fault body, the endpoint's type", &Fault{Body: "[]"}, invitesURL(ts, DemoOrgID), bearer(), 200, ContentType},
	}
	for _, tt := range tests {
		if tt.fault != nil {
			s.Script(*tt.fault)
		}
		status, h, _ := do(t, nil, http.MethodGet, tt.url, tt.hdr)
		if status != tt.status || h.Get("Content-Type") != tt.want {
			t.Errorf("%s: %d %q, want %d %q", tt.name, status, h.Get("Content-Type"), tt.status, tt.want)
		}
	}
}

// Deprecation and Sunset go with the invitations endpoints and the
// deprecated version of the users endpoint only; the Sunset date moves.
func TestSunset(t *testing.T) {
	t.Parallel()
	s, ts, _ := start(t)
	endpoints := []struct {
		name       string
		url        string
		hdr        map[string]string
		deprecated bool
	}{
		{"list invitations", invitesURL(ts, DemoOrgID), bearer(), true},
		{"get invitation", invitesURL(ts, DemoOrgID) + "/6634f290a54dca182530bb1d", bearer(), true},
		{"invitations 404", invitesURL(ts, "0123456789abcdef01234567"), bearer(), true},
		{"users 2023-01-01", usersURL(ts.URL, DemoOrgID, nil), usersAs(MediaType), true},
		{"users 2025-02-19", usersURL(ts.URL, DemoOrgID, nil), usersAs(UsersMediaType), false},
		{"list organizations", ts.URL + "/api/atlas/v2/orgs", bearer(), false},
		{"unknown path", ts.URL + "/api/atlas/v2/clusters", bearer(), false},
	}
	for _, sunset := range []struct{ set, want string }{
		{"", SunsetDate},
		{"Fri, 31 Jul 2026 00:00:00 GMT", "Fri, 31 Jul 2026 00:00:00 GMT"},
		{"Tue, 15 Sep 2026 00:00:00 GMT", "Tue, 15 Sep 2026 00:00:00 GMT"},
		{"", "Thu, 1 Jul 2027 00:00:00 GMT"},
	} {
		s.SetSunset(sunset.set)
		for _, ep := range endpoints {
			_, h, _ := do(t, nil, http.MethodGet, ep.url, ep.hdr)
			want, wantDep := "", ""
			if ep.deprecated {
				want, wantDep = sunset.want, DeprecationDate
			}
			if h.Get(atlasapi.SunsetHeader) != want || h.Get(atlasapi.DeprecationHeader) != wantDep {
				t.Errorf("SetSunset(%q), %s: Sunset %q, Deprecation %q; want %q, %q", sunset.set, ep.name,
					h.Get(atlasapi.SunsetHeader), h.Get(atlasapi.DeprecationHeader), want, wantDep)
			}
		}
	}
}

// 410 reads as Atlas words it: the version asked for, the path.
func TestVersionGoneDetail(t *testing.T) {
	t.Parallel()
	s, ts, _ := start(t)
	tests := []struct {
		url, path string
		hdr       map[string]string
		version   string
	}{
		{invitesURL(ts, DemoOrgID), "api/atlas/v2/orgs/" + DemoOrgID + "/invites", bearer(), "2023-01-01"},
		{usersURL(ts.URL, DemoOrgID, nil), "api/atlas/v2/orgs/" + DemoOrgID + "/users", usersAs(UsersMediaType), "2025-02-19"},
	}
	for _, tt := range tests {
		s.Script(Fault{Status: http.StatusGone})
		status, _, body := do(t, nil, http.MethodGet, tt.url, tt.hdr)
		e := decodeError(t, body)
		want := "Version " + tt.version + " of " + tt.path + " is no longer available"
		if status != 410 || e.ErrorCode != "VERSION_GONE" || e.Detail != want || len(e.Parameters) != 2 {
			t.Errorf("%s: %d %+v, want detail %q", tt.path, status, e, want)
		}
	}
}

func TestRetireInvitations(t *testing.T) {
	t.Parallel()
	s, ts, _ := start(t)
	s.SetSunset("Tue, 15 Sep 2026 00:00:00 GMT")
	s.SetDeprecationHeaders(false) // a retired version says so regardless
	get := invitesURL(ts, DemoOrgID) + "/6634f290a54dca182530bb1d"
	tests := []struct {
		name   string
		url    string
		hdr    map[string]string
		status int
		path   string // of a 410
	}{
		{"list", invitesURL(ts, DemoOrgID), bearer(), 410, "api/atlas/v2/orgs/" + DemoOrgID + "/invites"},
		{"get", get, bearer(), 410, "api/atlas/v2/orgs/" + DemoOrgID + "/invites/6634f290a54dca182530bb1d"},
		{"authentication first", get, map[string]string{"Accept": MediaType}, 401, ""},
		{"unknown version", get, map[string]string{"Authorization": "Bearer " + testToken, "Accept": UsersMediaType}, 406, ""},
		{"users unaffected", usersURL(ts.URL, DemoOrgID, nil), usersAs(MediaType), 200, ""},
	}
	for _, on := range []bool{true, false} {
		s.RetireInvitations(on)
		for _, tt := range tests {
			want := tt.status
			if !on && want == 410 {
				want = 200
			}
			status, h, body := do(t, nil, http.MethodGet, tt.url, tt.hdr)
			if status != want {
				t.Errorf("retired=%v, %s: status %d, want %d", on, tt.name, status, want)
				continue
			}
			if status != 410 {
				continue
			}
			e := decodeError(t, body)
			if e.ErrorCode != "VERSION_GONE" || e.Detail != "Version 2023-01-01 of "+tt.path+" is no longer available" ||
				h.Get(atlasapi.SunsetHeader) != "Tue, 15 Sep 2026 00:00:00 GMT" || h.Get("Content-Type") != ErrorMediaType {
				t.Errorf("%s: %+v, Sunset %q, Content-Type %q", tt.name, e, h.Get(atlasapi.SunsetHeader), h.Get("Content-Type"))
			}
		}
	}
}
