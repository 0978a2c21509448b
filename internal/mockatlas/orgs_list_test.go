package mockatlas

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func orgsURL(baseURL string, q url.Values) string {
	u := baseURL + "/api/atlas/v2/orgs"
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

func decodeOrgsPage(t *testing.T, body []byte) orgsPage {
	t.Helper()
	var p orgsPage
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("not a PaginatedOrganization: %v: %s", err, body)
	}
	return p
}

func orgNames(p orgsPage) []string {
	var out []string
	for _, o := range p.Results {
		out = append(out, o.Name)
	}
	return out
}

// addNamedOrgs adds organizations named to the demo server, in the given
// order, with ids that sort the other way round.
func addNamedOrgs(s *Server, names ...string) []string {
	ids := make([]string, len(names))
	for i, n := range names {
		ids[i] = GeneratedOrgID(100 - i)
		s.AddOrg(ids[i])
		s.SetOrgName(ids[i], n)
	}
	return ids
}

// Every organization, by name then id, with the page's links and each
// organization's self link; the wire shape of Atlas.
func TestListOrgs(t *testing.T) {
	s, ts, _ := start(t)
	ids := addNamedOrgs(s, "beta", "Alpha", "alpha-2", "Twin", "Twin")
	status, h, body := do(t, nil, http.MethodGet, orgsURL(ts.URL, nil), bearer())
	if status != 200 || h.Get("Content-Type") != ContentType || h.Get("Deprecation") != "" || h.Get("Sunset") != "" {
		t.Fatalf("status %d, headers %v: %s", status, h, body)
	}
	p := decodeOrgsPage(t, body)
	// Byte-wise: upper case first.
	want := []string{"Alpha", DemoOrgName, "Twin", "Twin", "alpha-2", "beta"}
	if got := orgNames(p); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("names %v, want %v", got, want)
	}
	if p.Results[2].ID != ids[4] || p.Results[3].ID != ids[3] {
		t.Errorf("equal names not in id order: %s, %s", p.Results[2].ID, p.Results[3].ID)
	}
	if p.TotalCount == nil || *p.TotalCount != 6 {
		t.Errorf("totalCount %v, want 6", deref(p.TotalCount))
	}
	demo := p.Results[1]
	if demo.ID != DemoOrgID || demo.IsDeleted || len(demo.Links) != 1 || demo.Links[0].Href != ts.URL+"/api/atlas/v2/orgs/"+DemoOrgID {
		t.Errorf("demo org %+v", demo)
	}
	if len(p.Links) != 1 || p.Links[0].Rel != "self" || p.Links[0].Href != ts.URL+"/api/atlas/v2/orgs?itemsPerPage=100&pageNum=1" {
		t.Errorf("page links %+v", p.Links)
	}
	// The raw answer has exactly Atlas's fields.
	var raw map[string]json.RawMessage
	_ = json.Unmarshal(body, &raw)
	if len(raw) != 3 || raw["results"] == nil || raw["links"] == nil || raw["totalCount"] == nil {
		t.Errorf("answer fields %v", keys(raw))
	}
}

func TestListOrgsQuery(t *testing.T) {
	s, ts, _ := start(t)
	addNamedOrgs(s, "beta", "Alpha", "alpha-2", "Ärger", "ärgerlich", "Coffee")
	tests := []struct {
		name  string
		q     url.Values
		names []string
		count any
		rels  string
	}{
		{"prefix, any case", url.Values{"name": {"ALP"}}, []string{"Alpha", "alpha-2"}, int64(2), "self"},
		{"whole name", url.Values{"name": {"alpha-2"}}, []string{"alpha-2"}, int64(1), "self"},
		{"a prefix, not a substring", url.Values{"name": {"lpha"}}, nil, int64(0), "self"},
		{"non-ASCII case", url.Values{"name": {"äRG"}}, []string{"Ärger", "ärgerlich"}, int64(2), "self"},
		{"longer than any name", url.Values{"name": {"coffee-demo-org-and-more"}}, nil, int64(0), "self"},
		{"empty name matches all", url.Values{"name": {""}, "itemsPerPage": {"3"}}, []string{"Alpha", "Coffee", DemoOrgName}, int64(7), "self,next"},
		{"page 2", url.Values{"itemsPerPage": {"3"}, "pageNum": {"2"}}, []string{"alpha-2", "beta", "Ärger"}, int64(7), "self,previous,next"},
		{"last page", url.Values{"itemsPerPage": {"3"}, "pageNum": {"3"}, "includeCount": {"false"}}, []string{"ärgerlich"}, "absent", "self,previous"},
		{"past the end", url.Values{"itemsPerPage": {"3"}, "pageNum": {"9"}}, nil, int64(7), "self,previous"},
		{"filter and page", url.Values{"name": {"c"}, "itemsPerPage": {"1"}, "pageNum": {"2"}}, []string{DemoOrgName}, int64(2), "self,previous"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := do(t, nil, http.MethodGet, orgsURL(ts.URL, tt.q), bearer())
			if status != 200 {
				t.Fatalf("status %d: %s", status, body)
			}
			p := decodeOrgsPage(t, body)
			if got := orgNames(p); strings.Join(got, ",") != strings.Join(tt.names, ",") || p.Results == nil {
				t.Errorf("names %v, want %v", got, tt.names)
			}
			if deref(p.TotalCount) != tt.count {
				t.Errorf("totalCount %v, want %v", deref(p.TotalCount), tt.count)
			}
			var rels []string
			for _, l := range p.Links {
				rels = append(rels, l.Rel)
				u, err := url.Parse(l.Href)
				if err != nil || u.Query().Get("name") != tt.q.Get("name") || u.Query().Get("itemsPerPage") == "" {
					t.Errorf("link %+v does not keep the query", l)
				}
			}
			if strings.Join(rels, ",") != tt.rels {
				t.Errorf("links %v, want %s", rels, tt.rels)
			}
		})
	}
}

// The paging parameters are checked as listOrgUsers checks them; its own
// filters mean nothing here.
func TestListOrgsBadQuery(t *testing.T) {
	_, ts, _ := start(t)
	for _, q := range []url.Values{
		{"itemsPerPage": {"501"}}, {"itemsPerPage": {"0"}}, {"pageNum": {"0"}}, {"pageNum": {"x"}}, {"includeCount": {"maybe"}},
	} {
		status, _, body := do(t, nil, http.MethodGet, orgsURL(ts.URL, q), bearer())
		if e := decodeError(t, body); status != 400 || e.ErrorCode != "INVALID_QUERY_PARAMETER" {
			t.Errorf("%v: %d %+v, want 400 INVALID_QUERY_PARAMETER", q, status, e)
		}
	}
	status, _, body := do(t, nil, http.MethodGet, orgsURL(ts.URL, url.Values{"itemsPerPage": {"500"}, "orgMembershipStatuses": {"nope"}}), bearer())
	if status != 200 || len(decodeOrgsPage(t, body).Results) != 1 {
		t.Errorf("listOrgUsers' filter on listOrganizations: %d %s", status, body)
	}
}

func TestListOrgsTotalCount(t *testing.T) {
	s, ts, _ := start(t)
	fixed := int64(99)
	for _, tt := range []struct {
		c    Count
		want any
	}{{Count{Skew: 4}, int64(5)}, {Count{Skew: -4}, int64(0)}, {Count{Absent: true}, "absent"}, {Count{Fixed: &fixed}, int64(99)}, {Count{}, int64(1)}} {
		s.SetOrgsTotalCount(tt.c)
		fixed = 7 // the server keeps its own copy
		_, _, body := do(t, nil, http.MethodGet, orgsURL(ts.URL, nil), bearer())
		if got := deref(decodeOrgsPage(t, body).TotalCount); got != tt.want {
			t.Errorf("%+v: totalCount %v, want %v", tt.c, got, tt.want)
		}
		fixed = 99
	}
}

// listOrganizations needs no role beyond belonging to the organization, as
// the newer document (listOrgs) says by naming none.
func TestListOrgsRole(t *testing.T) {
	s, ts, _ := start(t)
	for _, tt := range []struct {
		role OrgRole
		want int
	}{{RoleOrgReadOnly, 200}, {RoleOrgMember, 200}, {RoleOrgOwner, 200}} {
		s.SetOrgRole("token", tt.role)
		if status, _, body := do(t, nil, http.MethodGet, orgsURL(ts.URL, nil), bearer()); status != tt.want {
			t.Errorf("role %d: %d %s, want %d", tt.role, status, body, tt.want)
		}
	}
}

// The demo organization is named in both organization endpoints, even with
// no invitations left to carry the name.
func TestDemoOrgName(t *testing.T) {
	s := New()
	s.loadDemo(nil, DemoUsers(), nil)
	s.AddAccessToken(testToken)
	ts := s.Start()
	defer ts.Close()
	_, _, body := do(t, nil, http.MethodGet, orgURL(ts.URL, DemoOrgID), bearer())
	var o organization
	_ = json.Unmarshal(body, &o)
	_, _, body = do(t, nil, http.MethodGet, orgsURL(ts.URL, nil), bearer())
	if p := decodeOrgsPage(t, body); o.Name != DemoOrgName || len(p.Results) != 1 || p.Results[0].Name != DemoOrgName {
		t.Errorf("getOrganization %q, listOrganizations %v; want %q", o.Name, orgNames(p), DemoOrgName)
	}
}
