package mockatlas

// Spec conformance of the projects endpoints: every answer the mock gives on
// listGroupInvites, getOrgGroups, listOrgTeams and listGroups is checked
// against the document of the SDK module the client reads them with (the
// users SDK's), as the other endpoints are against theirs.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas/atlasspec"
)

const (
	specProjectInvitesPath = "/api/atlas/v2/groups/{groupId}/invites"
	specOrgProjectsPath    = "/api/atlas/v2/orgs/{orgId}/groups"
	specTeamsPath          = "/api/atlas/v2/orgs/{orgId}/teams"
	specProjectsPath       = "/api/atlas/v2/groups"

	opProjectInvites = "listGroupInvites"
	opOrgProjects    = "getOrgGroups"
	opTeams          = "listOrgTeams"
	opProjects       = "listGroups"
)

// projectOps are the operations, by path.
var projectOps = map[string]string{
	specProjectInvitesPath: opProjectInvites, specOrgProjectsPath: opOrgProjects,
	specTeamsPath: opTeams, specProjectsPath: opProjects,
}

// undocumentedProjectStatuses are, per operation, the statuses the mock
// answers that the document does not list. Each lists 200, 401, 403, 404,
// 429 and 500, and all but listGroupInvites 400: 400 for a malformed
// project id (listGroupInvites), 406 for an unsupported version, 409 and
// 410 as scripted faults (410 also once the project invitations are
// retired, although the document marks the operation deprecated with an
// x-sunset), 502/503/504 from Atlas's gateways.
var undocumentedProjectStatuses = map[string]map[int]bool{
	opProjectInvites: {400: true, 406: true, 409: true, 410: true, 502: true, 503: true, 504: true},
	opOrgProjects:    {406: true, 409: true, 410: true, 502: true, 503: true, 504: true},
	opTeams:          {406: true, 409: true, 410: true, 502: true, 503: true, 504: true},
	opProjects:       {406: true, 409: true, 410: true, 502: true, 503: true, 504: true},
}

var projectsSpec struct {
	once sync.Once
	doc  *openapi3.T
	err  error
}

// loadProjectsSpec is the users SDK's document, each of the four operations
// checked to be valid on its own (the whole document is not: see
// readAtlasSpec).
func loadProjectsSpec(t *testing.T) *openapi3.T {
	t.Helper()
	projectsSpec.once.Do(func() {
		doc, file, err := atlasspec.LoadModule(atlasspec.UsersSDKModule)
		if err != nil {
			projectsSpec.err = err
			return
		}
		for path, opID := range projectOps {
			item := doc.Paths.Value(path)
			if item == nil || item.Get == nil || item.Get.OperationID != opID {
				projectsSpec.err = fmt.Errorf("%s: GET %s is not %s", file, path, opID)
				return
			}
			if err := item.Get.Validate(context.Background()); err != nil {
				projectsSpec.err = fmt.Errorf("%s: %s is not valid OpenAPI: %w", file, opID, err)
				return
			}
		}
		// Where Atlas and its document disagree, Atlas wins: its recorded
		// answers of listGroupInvites name an API key's public key (8
		// letters, no @) as inviterUsername, which the document declares
		// format email. Only this field is exempt (see the "control:
		// username not an e-mail address" case).
		inviter := doc.Components.Schemas["GroupInvitation"].Value.Properties["inviterUsername"]
		if inviter != nil && inviter.Value.Format == "email" {
			inviter.Value.Format = ""
		}
		projectsSpec.doc = doc
	})
	if projectsSpec.err != nil {
		t.Fatalf("Atlas OpenAPI document of %s: %v", atlasspec.UsersSDKModule, projectsSpec.err)
	}
	return projectsSpec.doc
}

func projectsSpecRouter(t *testing.T, doc *openapi3.T, serverURL string) routers.Router {
	t.Helper()
	var paths []openapi3.NewPathsOption
	for path := range projectOps {
		paths = append(paths, openapi3.WithPath(path, doc.Paths.Value(path)))
	}
	r, err := gorillamux.NewRouter(&openapi3.T{
		OpenAPI: doc.OpenAPI, Info: doc.Info, Components: doc.Components, Security: doc.Security,
		Servers: openapi3.Servers{{URL: serverURL}},
		Paths:   openapi3.NewPaths(paths...),
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestMockProjectsConformToOpenAPI validates every answer of the four
// endpoints against their operations: status documented, media type, body
// schema.
func TestMockProjectsConformToOpenAPI(t *testing.T) {
	doc := loadProjectsSpec(t)
	s, ts, _ := start(t)
	router := projectsSpecRouter(t, doc, ts.URL)
	for _, tc := range projectsConformanceCases() {
		t.Run(tc.op+"/"+tc.name, func(t *testing.T) {
			checkConformance(t, s, ts.URL, doc, router, tc, undocumentedProjectStatuses[tc.op])
		})
	}
}

// What the mock takes from the document: the roles, the one deprecated
// operation and its sunset, the versions, the paging and the name filter.
func TestProjectsSpecFacts(t *testing.T) {
	doc := loadProjectsSpec(t)
	eps := map[string]endpoint{opProjectInvites: projectInvitesEndpoint, opOrgProjects: orgProjectsEndpoint,
		opTeams: teamsEndpoint, opProjects: projectsEndpoint}
	for path, opID := range projectOps {
		op, ep := doc.Paths.Value(path).Get, eps[opID]
		var roles []string
		list, _ := op.Extensions["x-rolesRequirements"].([]any)
		for _, r := range list {
			roles = append(roles, fmt.Sprint(r))
		}
		// The role the mock asks for is the one the document names; the
		// document names none for listGroups, and the mock lets any role
		// list projects.
		want := map[string][]string{opProjectInvites: {"Project Owner"}, opOrgProjects: {"Organization Member"},
			opTeams: {"Organization Member"}, opProjects: nil}[opID]
		mockRole := map[OrgRole]string{RoleOrgMember: "Organization Member"}[ep.need]
		if ep.projectOwner {
			mockRole = "Project Owner"
		}
		if !slices.Equal(roles, want) || (len(want) == 0) != (mockRole == "") || len(want) > 0 && mockRole != want[0] {
			t.Errorf("%s: the document requires %q, want %q; the mock asks for %q", opID, roles, want, mockRole)
		}
		ok := op.Responses.Status(200).Value.Content
		if len(ok) != 1 || ok.Get(MediaType) == nil {
			t.Errorf("%s: 200 is %v, want only %s", opID, keys(ok), MediaType)
		}
		if op.Deprecated != ep.versions[MediaType] || op.Deprecated != (opID == opProjectInvites) {
			t.Errorf("%s: deprecated in the document %v, in the mock %v", opID, op.Deprecated, ep.versions[MediaType])
		}
		params := map[string]*openapi3.Parameter{}
		for _, p := range op.Parameters {
			params[p.Value.Name] = p.Value
		}
		if opID == opProjectInvites {
			if schema := ok.Get(MediaType).Schema.Value; !schema.Type.Is("array") || params["username"] == nil || params["itemsPerPage"] != nil {
				t.Errorf("%s: a bare array filtered by username, without pages; the document says %v, params %v", opID, schema.Type, keys(params))
			}
			continue
		}
		ipp := params["itemsPerPage"]
		if ipp == nil || ipp.Schema.Value.Max == nil || *ipp.Schema.Value.Max != MaxItemsPerPage || ipp.Schema.Value.Default != float64(100) {
			t.Errorf("%s: itemsPerPage %+v, the mock serves 1..%d, 100 by default", opID, ipp, MaxItemsPerPage)
		}
		if n := params["name"]; (n != nil) != (opID == opOrgProjects) ||
			n != nil && (!strings.Contains(n.Description, "case-insensitive") || !strings.Contains(n.Description, "prefixed")) {
			t.Errorf("%s: name %+v, the mock filters getOrgGroups alone, by a case-insensitive prefix", opID, n)
		}
	}
	// The operation's x-sunset is the day of the Sunset header the mock
	// sends by default, as Atlas's recorded answers send it (the day in one
	// digit, which http.ParseTime refuses).
	sunset, err := time.Parse("Mon, 2 Jan 2006 15:04:05 GMT", ProjectInvitationsSunsetDate)
	if x := doc.Paths.Value(specProjectInvitesPath).Get.Extensions["x-sunset"]; err != nil || fmt.Sprint(x) != sunset.Format(time.DateOnly) {
		t.Errorf("x-sunset %v, the mock's Sunset %s (%v)", x, ProjectInvitationsSunsetDate, err)
	}
}
