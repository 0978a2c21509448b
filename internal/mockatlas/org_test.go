package mockatlas

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"go.mongodb.org/atlas-sdk/v20241113001/admin"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlasapi"
)

func orgURL(baseURL, orgID string) string { return baseURL + "/api/atlas/v2/orgs/" + orgID }

func TestGetOrganization(t *testing.T) {
	s, ts, _ := start(t)
	status, h, body := do(t, nil, http.MethodGet, orgURL(ts.URL, DemoOrgID), bearer())
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	if ct := h.Get("Content-Type"); ct != ContentType {
		t.Errorf("Content-Type = %q, want %q", ct, ContentType)
	}
	// Not deprecated, whatever the invitations API announces.
	if h.Get(atlasapi.DeprecationHeader) != "" || h.Get(atlasapi.SunsetHeader) != "" {
		t.Errorf("Deprecation %q, Sunset %q on getOrganization", h.Get(atlasapi.DeprecationHeader), h.Get(atlasapi.SunsetHeader))
	}
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"id": DemoOrgID, "name": DemoOrgName, "isDeleted": false,
		"links": []any{map[string]any{"href": orgURL(ts.URL, DemoOrgID), "rel": "self"}},
	}
	if b, _ := json.Marshal(raw); string(b) != mustJSON(t, want) {
		t.Errorf("answer %s, want %s", b, mustJSON(t, want))
	}
	recs := s.Requests()
	if last := recs[len(recs)-1]; last.Path != "/api/atlas/v2/orgs/"+DemoOrgID || last.Status != 200 || !last.Authenticated {
		t.Errorf("record = %+v", last)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The name: SetOrgName's, else the first orgName the invitations carry,
// else GeneratedOrgName.
func TestOrgName(t *testing.T) {
	s, ts, _ := start(t)
	usersOnly, generated, mixed := GeneratedOrgID(30), GeneratedOrgID(31), GeneratedOrgID(32)
	s.AddUsers(usersOnly, GenerateUsers(usersOnly, 3)...)
	s.AddOrg(generated, GenerateInvitations(generated, 3)...)
	s.AddOrg(mixed, Invitation{ID: "6634f290a54dca182530bb1d", Username: "a@example.com"},
		Invitation{ID: "6634f290a54dca182530bb2d", Username: "b@example.com", OrgName: "Second"},
		Invitation{ID: "6634f290a54dca182530bb3d", Username: "c@example.com", OrgName: "Third"})
	name := func(orgID string) string {
		t.Helper()
		status, _, body := do(t, nil, http.MethodGet, orgURL(ts.URL, orgID), bearer())
		var o organization
		if err := json.Unmarshal(body, &o); status != 200 || err != nil || o.ID != orgID {
			t.Fatalf("%s: %d %s", orgID, status, body)
		}
		return o.Name
	}
	steps := []struct {
		name   string
		do     func()
		org    string
		expect string
	}{
		{"demo: its invitations' orgName", func() {}, DemoOrgID, DemoOrgName},
		{"users only: generated", func() {}, usersOnly, GeneratedOrgName(usersOnly)},
		{"generated invitations: the same generated name", func() {}, generated, GeneratedOrgName(generated)},
		{"the first invitation that has one", func() {}, mixed, "Second"},
		{"set", func() { s.SetOrgName(DemoOrgID, "Renamed-Org") }, DemoOrgID, "Renamed-Org"},
		{"set before the org exists", func() { s.SetOrgName(emptyOrgID, "Later"); s.AddOrg(emptyOrgID) }, emptyOrgID, "Later"},
		{"cleared", func() { s.SetOrgName(DemoOrgID, "") }, DemoOrgID, DemoOrgName},
	}
	for _, st := range steps {
		st.do()
		if got := name(st.org); got != st.expect {
			t.Errorf("%s: name %q, want %q", st.name, got, st.expect)
		}
	}
	if inv := GenerateInvitations(generated, 1)[0]; inv.OrgName != GeneratedOrgName(generated) {
		t.Errorf("GenerateInvitations names the org %q, GeneratedOrgName %q", inv.OrgName, GeneratedOrgName(generated))
	}
}

func TestGetOrganizationRefusals(t *testing.T) {
	s, ts, _ := start(t)
	s.SetOrgName(unknownOrgID, "Not-Added") // naming an org does not make it exist
	otherVersion := map[string]string{"Authorization": "Bearer " + testToken, "Accept": UsersMediaType}
	tests := []struct {
		name   string
		setup  func()
		method string
		orgID  string
		hdr    map[string]string
		status int
		code   string
	}{
		{name: "unknown org", orgID: unknownOrgID, status: 404, code: "ORG_NOT_FOUND"},
		{name: "invalid org id", orgID: "abc", status: 400, code: "INVALID_ORG_ID"},
		{name: "no credentials", orgID: DemoOrgID, hdr: map[string]string{"Accept": MediaType}, status: 401, code: "UNAUTHORIZED"},
		{name: "Organization Member may read it", setup: func() { s.SetOrgRole("token", RoleOrgMember) }, orgID: DemoOrgID, status: 200},
		{name: "Organization Read Only may not", setup: func() { s.SetOrgRole("token", RoleOrgReadOnly) }, orgID: DemoOrgID,
			status: 401, code: RoleMissingCode},
		{name: "another version", setup: func() { s.SetOrgOwner("token", true) }, orgID: DemoOrgID, hdr: otherVersion,
			status: 406, code: "INVALID_VERSION_DATE"},
		{name: "scripted fault", setup: func() { s.Script(Fault{Status: 503}) }, orgID: DemoOrgID, status: 503, code: "SERVICE_UNAVAILABLE"},
		{name: "persistent fault", setup: func() { s.SetFault(&Fault{Status: 500}) }, orgID: DemoOrgID, status: 500, code: "UNEXPECTED_ERROR"},
		{name: "fault cleared", setup: func() { s.SetFault(nil) }, orgID: DemoOrgID, status: 200},
		{name: "the invitations retired, not the org", setup: func() { s.RetireInvitations(true) }, orgID: DemoOrgID, status: 200},
		{name: "read-only mock", method: http.MethodPatch, orgID: DemoOrgID, status: 405, code: "METHOD_NOT_ALLOWED"},
	}
	for _, tt := range tests {
		if tt.setup != nil {
			tt.setup()
		}
		method, hdr := tt.method, tt.hdr
		if method == "" {
			method = http.MethodGet
		}
		if hdr == nil {
			hdr = bearer()
		}
		status, _, body := do(t, nil, method, orgURL(ts.URL, tt.orgID), hdr)
		if status != tt.status {
			t.Errorf("%s: status %d, want %d: %s", tt.name, status, tt.status, body)
			continue
		}
		if tt.code != "" {
			if e := decodeError(t, body); e.ErrorCode != tt.code || e.Error != tt.status {
				t.Errorf("%s: error %+v, want %d %s", tt.name, e, tt.status, tt.code)
			}
		}
	}
	if api, _ := s.PendingFaults(); api != 0 {
		t.Errorf("%d scripted faults left", api)
	}
	if recs := s.Requests(); len(recs) != len(tests) {
		t.Errorf("%d requests recorded, want %d", len(recs), len(tests))
	}
}

// The SDK's OrganizationsApi.GetOrganization decodes the answer and the 404.
func TestAtlasSDKGetsTheOrganization(t *testing.T) {
	_, ts, _ := start(t)
	c := sdkClient(t, ts.URL)
	ctx := context.Background()
	org, _, err := c.OrganizationsApi.GetOrganization(ctx, DemoOrgID).Execute()
	if err != nil || org.GetId() != DemoOrgID || org.GetName() != DemoOrgName || !org.HasIsDeleted() || org.GetIsDeleted() ||
		len(org.GetLinks()) != 1 || org.GetLinks()[0].GetRel() != "self" {
		t.Fatalf("org %+v, err %v", org, err)
	}
	_, _, err = c.OrganizationsApi.GetOrganization(ctx, unknownOrgID).Execute()
	if !admin.IsErrorCode(err, "ORG_NOT_FOUND") {
		t.Fatalf("unknown org: err %v, want ORG_NOT_FOUND", err)
	}
}
