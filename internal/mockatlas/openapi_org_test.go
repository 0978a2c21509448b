package mockatlas

// Spec conformance of getOrganization: every answer the mock gives on it is
// checked against the invitations SDK's document (the SDK the provider
// reads the organization with), as the other endpoints are.

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

const (
	specOrgPath = "/api/atlas/v2/orgs/{orgId}"
	opGetOrg    = "getOrganization"
)

// undocumentedOrgStatuses are the statuses the mock answers on
// getOrganization that its document does not list (it lists 200, 400, 401,
// 404, 409 and 500): 403 for the access list, 406 for an unsupported
// version, 410 and 429 as scripted faults, 502/503/504 from Atlas's
// gateways.
var undocumentedOrgStatuses = map[int]bool{403: true, 406: true, 410: true, 429: true, 502: true, 503: true, 504: true}

// orgOperation returns getOrganization of doc, checked to be valid on its
// own (the whole document is not: see readAtlasSpec).
func orgOperation(t *testing.T, doc *openapi3.T) *openapi3.Operation {
	t.Helper()
	item := doc.Paths.Value(specOrgPath)
	if item == nil || item.Get == nil || item.Get.OperationID != opGetOrg {
		t.Fatalf("GET %s is not %s", specOrgPath, opGetOrg)
	}
	if err := item.Get.Validate(context.Background()); err != nil {
		t.Fatalf("%s is not valid OpenAPI: %v", opGetOrg, err)
	}
	return item.Get
}

func orgSpecRouter(t *testing.T, doc *openapi3.T, serverURL string) routers.Router {
	t.Helper()
	r, err := gorillamux.NewRouter(&openapi3.T{
		OpenAPI: doc.OpenAPI, Info: doc.Info, Components: doc.Components, Security: doc.Security,
		Servers: openapi3.Servers{{URL: serverURL}},
		Paths:   openapi3.NewPaths(openapi3.WithPath(specOrgPath, doc.Paths.Value(specOrgPath))),
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func orgConformanceCases() []conformanceCase {
	path := func(orgID string) string { return "/api/atlas/v2/orgs/" + orgID }
	fault := func(f Fault) func(*Server) { return func(s *Server) { s.Script(f) } }
	generated := GeneratedOrgID(40)
	member := func(s *Server) { s.SetOrgRole(DemoPublicKey, RoleOrgMember) }
	owner := func(s *Server) { s.SetOrgOwner(DemoPublicKey, true) }
	cases := []conformanceCase{
		{name: "demo", path: path(DemoOrgID), auth: viaDigest, want: []int{401, 200}},
		{name: "pretty", path: path(DemoOrgID) + "?pretty=true", auth: viaBearer, want: []int{200}},
		{name: "generated name, users only", path: path(generated), auth: viaBearer, want: []int{200},
			setup: func(s *Server) { s.AddUsers(generated, GenerateUsers(generated, 5)...) }},
		{name: "name set", path: path(DemoOrgID), auth: viaBearer, want: []int{200},
			setup: func(s *Server) { s.SetOrgName(DemoOrgID, "Coffee(EU)-Org:1&2@x+y'z") },
			undo:  func(s *Server) { s.SetOrgName(DemoOrgID, "") }},
		{name: "200 key with Organization Member", path: path(DemoOrgID), auth: viaDigest, want: []int{401, 200}, setup: member, undo: owner},
		{name: "401 key with Organization Read Only", path: path(DemoOrgID), auth: viaDigest, want: []int{401, 401},
			setup: func(s *Server) { s.SetOrgRole(DemoPublicKey, RoleOrgReadOnly) }, undo: owner},
		// A key of another organization: 401 USER_UNAUTHORIZED (RestrictToOrg).
		{name: "401 key of another organization", path: path(DemoOrgID), auth: viaDigest, want: []int{401, 401},
			setup: func(s *Server) { s.RestrictToOrg(DemoPublicKey, generated) }, undo: func(s *Server) { s.RestrictToOrg(DemoPublicKey, "") }},
		{name: "200 key of this organization", path: path(DemoOrgID), auth: viaDigest, want: []int{401, 200},
			setup: func(s *Server) { s.RestrictToOrg(DemoPublicKey, DemoOrgID) }, undo: func(s *Server) { s.RestrictToOrg(DemoPublicKey, "") }},
		{name: "401 no credentials", path: path(DemoOrgID), auth: viaNone, want: []int{401}},
		{name: "401 wrong private key", path: path(DemoOrgID), auth: viaBadDigest, want: []int{401, 401}},
		{name: "403 address not on the access list", path: path(DemoOrgID), auth: viaBearer, want: []int{403},
			setup: func(s *Server) { s.SetAccessList("token", "192.0.2.0/24") }, undo: func(s *Server) { s.SetAccessList("token") }},
		{name: "404 unknown org", path: path(unknownOrgID), auth: viaBearer, want: []int{404}},
		{name: "400 invalid org id", path: path("abc"), auth: viaBearer, want: []int{400}, badParam: "orgId"},
		{name: "406 other version", path: path(DemoOrgID), auth: viaBearer,
			hdr: map[string]string{"Accept": UsersMediaType}, want: []int{406}},
		{name: "control: name missing", path: path(DemoOrgID), auth: viaBearer, want: []int{200},
			setup: fault(Fault{Body: `{"id":"` + DemoOrgID + `","isDeleted":false,"links":[]}`}), wantInvalid: "doesn't match schema"},
		// Atlas allows no spaces in a name; SetOrgName does not check.
		{name: "control: name with a space", path: path(DemoOrgID), auth: viaBearer, want: []int{200},
			setup: func(s *Server) { s.SetOrgName(DemoOrgID, "Coffee Demo Org") }, undo: func(s *Server) { s.SetOrgName(DemoOrgID, "") },
			wantInvalid: "doesn't match schema"},
		{name: "control: id not an ObjectId", path: path(DemoOrgID), auth: viaBearer, want: []int{200},
			setup: fault(Fault{Body: `{"id":"coffee","name":"Coffee","isDeleted":false}`}), wantInvalid: "doesn't match schema"},
	}
	for _, status := range []int{400, 401, 403, 404, 406, 409, 410, 429, 500, 502, 503, 504} {
		cases = append(cases, conformanceCase{name: fmt.Sprintf("fault %d", status), path: path(DemoOrgID),
			auth: viaBearer, setup: fault(Fault{Status: status}), want: []int{status}})
	}
	for i := range cases {
		cases[i].op = opGetOrg
	}
	return cases
}

// TestMockOrgConformsToOpenAPI validates every answer of getOrganization
// against the document: status documented, media type, body schema.
func TestMockOrgConformsToOpenAPI(t *testing.T) {
	doc := loadAtlasSpec(t)
	orgOperation(t, doc)
	s, ts, _ := start(t)
	router := orgSpecRouter(t, doc, ts.URL)
	for _, tc := range orgConformanceCases() {
		t.Run(tc.name, func(t *testing.T) { checkConformance(t, s, ts.URL, doc, router, tc, undocumentedOrgStatuses) })
	}
}

// What the mock takes from the document: one version, MediaType, and the
// role it names.
func TestOrgSpecFacts(t *testing.T) {
	op := orgOperation(t, loadAtlasSpec(t))
	ok := op.Responses.Status(200).Value.Content
	if len(ok) != 1 || ok.Get(MediaType) == nil {
		t.Errorf("%s: 200 is %v, want only %s", opGetOrg, keys(ok), MediaType)
	}
	if !strings.Contains(op.Description, "Organization Member role") || orgEndpoint.need != RoleOrgMember {
		t.Errorf("%s: the document says %q; the mock needs role %d", opGetOrg, op.Description, orgEndpoint.need)
	}
	if op.Deprecated || orgEndpoint.versions[MediaType] {
		t.Errorf("%s: deprecated in the document %v, in the mock %v", opGetOrg, op.Deprecated, orgEndpoint.versions[MediaType])
	}
}
