package mockatlas

// Spec conformance of listOrganizations: every answer the mock gives on it
// is checked against the invitations SDK's document (the SDK whose
// OrganizationsApi.ListOrganizations reads it), as the other endpoints are.

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas/atlasspec"
)

const (
	specOrgsPath = "/api/atlas/v2/orgs"
	opListOrgs   = "listOrganizations"
)

// undocumentedOrgsStatuses are the statuses the mock answers on
// listOrganizations that its document does not list (it lists 200, 400,
// 401, 404, 409 and 500): 403 for the access list, 406 for an unsupported
// version, 410 and 429 as scripted faults, 502/503/504 from Atlas's
// gateways.
var undocumentedOrgsStatuses = map[int]bool{403: true, 406: true, 410: true, 429: true, 502: true, 503: true, 504: true}

// orgsOperation returns listOrganizations of doc, checked to be valid on
// its own (the whole document is not: see readAtlasSpec).
func orgsOperation(t *testing.T, doc *openapi3.T) *openapi3.Operation {
	t.Helper()
	item := doc.Paths.Value(specOrgsPath)
	if item == nil || item.Get == nil || item.Get.OperationID != opListOrgs {
		t.Fatalf("GET %s is not %s", specOrgsPath, opListOrgs)
	}
	if err := item.Get.Validate(context.Background()); err != nil {
		t.Fatalf("%s is not valid OpenAPI: %v", opListOrgs, err)
	}
	return item.Get
}

func orgsSpecRouter(t *testing.T, doc *openapi3.T, serverURL string) routers.Router {
	t.Helper()
	r, err := gorillamux.NewRouter(&openapi3.T{
		OpenAPI: doc.OpenAPI, Info: doc.Info, Components: doc.Components, Security: doc.Security,
		Servers: openapi3.Servers{{URL: serverURL}},
		Paths:   openapi3.NewPaths(openapi3.WithPath(specOrgsPath, doc.Paths.Value(specOrgsPath))),
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func orgsConformanceCases() []conformanceCase {
	path := func(q url.Values) string {
		if len(q) == 0 {
			return specOrgsPath
		}
		return specOrgsPath + "?" + q.Encode()
	}
	fault := func(f Fault) func(*Server) { return func(s *Server) { s.Script(f) } }
	owner := func(s *Server) { s.SetOrgOwner(DemoPublicKey, true) }
	home := GeneratedOrgID(50)
	addOrgs := func(s *Server) {
		for i := 50; i < 53; i++ {
			id := GeneratedOrgID(i)
			s.AddOrg(id, GenerateInvitationsAt(id, 4, time.Now())...)
		}
	}
	count := func(c Count) func(*Server) { return func(s *Server) { s.SetOrgsTotalCount(c) } }
	exact := count(Count{})
	neg := int64(-1)
	cases := []conformanceCase{
		{name: "every organization", path: path(nil), auth: viaDigest, setup: addOrgs, want: []int{401, 200}},
		{name: "pretty", path: path(url.Values{"pretty": {"true"}}), auth: viaBearer, want: []int{200}},
		{name: "name prefix, any case", path: path(url.Values{"name": {"coffee-"}}), auth: viaBearer, want: []int{200}},
		{name: "name matches nothing", path: path(url.Values{"name": {"nobody"}}), auth: viaBearer, want: []int{200}},
		{name: "page 2 of 4 with count", path: path(url.Values{"itemsPerPage": {"1"}, "pageNum": {"2"}, "includeCount": {"true"}}),
			auth: viaBearer, want: []int{200}},
		{name: "page without count", path: path(url.Values{"itemsPerPage": {"500"}, "includeCount": {"false"}}), auth: viaBearer, want: []int{200}},
		{name: "page past the end", path: path(url.Values{"pageNum": {"9"}}), auth: viaBearer, want: []int{200}},
		{name: "key of one organization", path: path(nil), auth: viaDigest, want: []int{401, 200},
			setup: func(s *Server) { s.RestrictToOrg(DemoPublicKey, home) }, undo: func(s *Server) { s.RestrictToOrg(DemoPublicKey, "") }},
		{name: "count skewed", path: path(nil), auth: viaBearer, setup: count(Count{Skew: 3}), undo: exact, want: []int{200}},
		{name: "count absent although asked for", path: path(nil), auth: viaBearer, setup: count(Count{Absent: true}), undo: exact, want: []int{200}},
		{name: "200 key with Organization Member", path: path(nil), auth: viaDigest, want: []int{401, 200},
			setup: func(s *Server) { s.SetOrgRole(DemoPublicKey, RoleOrgMember) }, undo: owner},
		{name: "200 key with Organization Read Only", path: path(nil), auth: viaDigest, want: []int{401, 200},
			setup: func(s *Server) { s.SetOrgRole(DemoPublicKey, RoleOrgReadOnly) }, undo: owner},
		{name: "401 no credentials", path: path(nil), auth: viaNone, want: []int{401}},
		{name: "401 wrong private key", path: path(nil), auth: viaBadDigest, want: []int{401, 401}},
		{name: "401 unknown bearer token", path: path(nil), auth: viaBadBearer, want: []int{401}},
		{name: "403 address not on the access list", path: path(nil), auth: viaBearer, want: []int{403},
			setup: func(s *Server) { s.SetAccessList("token", "192.0.2.0/24") }, undo: func(s *Server) { s.SetAccessList("token") }},
		{name: "400 itemsPerPage over 500", path: path(url.Values{"itemsPerPage": {"501"}}), auth: viaBearer, want: []int{400}, badParam: "itemsPerPage"},
		{name: "400 pageNum 0", path: path(url.Values{"pageNum": {"0"}}), auth: viaBearer, want: []int{400}, badParam: "pageNum"},
		{name: "406 other version", path: path(nil), auth: viaBearer, hdr: map[string]string{"Accept": UsersMediaType}, want: []int{406}},
		{name: "control: organization without a name", path: path(nil), auth: viaBearer, want: []int{200},
			setup: fault(Fault{Body: `{"results":[{"id":"` + DemoOrgID + `","isDeleted":false}],"totalCount":1}`}), wantInvalid: "doesn't match schema"},
		{name: "control: negative count", path: path(nil), auth: viaBearer, setup: count(Count{Fixed: &neg}), undo: exact,
			want: []int{200}, wantInvalid: "doesn't match schema"},
	}
	for _, status := range []int{400, 401, 403, 404, 406, 409, 410, 429, 500, 502, 503, 504} {
		cases = append(cases, conformanceCase{name: fmt.Sprintf("fault %d", status), path: path(nil),
			auth: viaBearer, setup: fault(Fault{Status: status}), want: []int{status}})
	}
	for i := range cases {
		cases[i].op = opListOrgs
	}
	return cases
}

// TestMockOrgsConformToOpenAPI validates every answer of listOrganizations
// against the document: status documented, media type, body schema.
func TestMockOrgsConformToOpenAPI(t *testing.T) {
	doc := loadAtlasSpec(t)
	orgsOperation(t, doc)
	s, ts, _ := start(t)
	router := orgsSpecRouter(t, doc, ts.URL)
	for _, tc := range orgsConformanceCases() {
		t.Run(tc.name, func(t *testing.T) { checkConformance(t, s, ts.URL, doc, router, tc, undocumentedOrgsStatuses) })
	}
}

// What the mock takes from the document: one version, MediaType, not
// deprecated, the role it names, the paging of listOrgUsers and the name
// filter it describes.
func TestOrgsSpecFacts(t *testing.T) {
	op := orgsOperation(t, loadAtlasSpec(t))
	ok := op.Responses.Status(200).Value.Content
	if len(ok) != 1 || ok.Get(MediaType) == nil || ok.Get(MediaType).Schema.Ref != "#/components/schemas/PaginatedOrganization" {
		t.Errorf("%s: 200 is %v, want only %s PaginatedOrganization", opListOrgs, keys(ok), MediaType)
	}
	// The older document asks for Organization Member; the newer one, which
	// wins, names no role: the mock lets any role list its organizations.
	newer, _, err := atlasspec.LoadModule(atlasspec.UsersSDKModule)
	if err != nil {
		t.Fatal(err)
	}
	listOrgs := newer.Paths.Value(specOrgsPath)
	if !strings.Contains(op.Description, "Organization Member role") || listOrgs == nil || listOrgs.Get == nil ||
		strings.Contains(listOrgs.Get.Description, "role") || listOrgs.Get.Extensions["x-rolesRequirements"] != nil ||
		orgsEndpoint.need != RoleOrgReadOnly {
		t.Errorf("%s: the older document says %q, the newer %+v; the mock needs role %d", opListOrgs, op.Description, listOrgs, orgsEndpoint.need)
	}
	if op.Deprecated || orgsEndpoint.versions[MediaType] {
		t.Errorf("%s: deprecated in the document %v, in the mock %v", opListOrgs, op.Deprecated, orgsEndpoint.versions[MediaType])
	}
	params := map[string]*openapi3.Parameter{}
	for _, p := range op.Parameters {
		params[p.Value.Name] = p.Value
	}
	ipp := params["itemsPerPage"]
	if ipp == nil || ipp.Schema.Value.Max == nil || *ipp.Schema.Value.Max != MaxItemsPerPage || ipp.Schema.Value.Default != float64(100) {
		t.Errorf("%s: itemsPerPage %+v, the mock serves 1..%d, 100 by default", opListOrgs, ipp, MaxItemsPerPage)
	}
	if ic := params["includeCount"]; ic == nil || ic.Schema.Value.Default != true {
		t.Errorf("%s: includeCount %+v, the mock counts by default", opListOrgs, ic)
	}
	if n := params["name"]; n == nil || !strings.Contains(n.Description, "case-insensitive") || !strings.Contains(n.Description, "starts with") {
		t.Errorf("%s: name %+v, the mock filters by a case-insensitive prefix", opListOrgs, n)
	}
}
