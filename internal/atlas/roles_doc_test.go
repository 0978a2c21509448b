package atlas_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas/atlasspec"
)

// The role a 401 USER_UNAUTHORIZED diagnostic names must be one Atlas's own
// OpenAPI document requires for the operation that failed, so a user who
// grants it is done; where the document requires none, the diagnostic names
// none. The newest SDK module's document decides wherever it has the
// operation: older documents word roles in prose that newer ones have
// dropped (listOrganizations' "Organization Member").

// rolesDocFile is the untransformed document: the SDK's transformed copy is
// rewritten for code generation, this one is Atlas's as published.
const rolesDocFile = "openapi/atlas-api.yaml"

// rolesDocs are the documents roles are read from, newest first. Each is
// parsed at most once per test binary, and only when asked for: it is
// several MB.
var rolesDocs = []struct {
	module string
	load   func() (*openapi3.T, error)
}{
	{atlasspec.UsersSDKModule, rolesDocOf(atlasspec.UsersSDKModule)},
	{atlasspec.SDKModule, rolesDocOf(atlasspec.SDKModule)},
}

func rolesDocOf(module string) func() (*openapi3.T, error) {
	return sync.OnceValues(func() (*openapi3.T, error) {
		dir, err := atlasspec.ModuleDir(module)
		if err != nil {
			return nil, err
		}
		loader := openapi3.NewLoader()
		loader.IsExternalRefsAllowed = false
		doc, err := loader.LoadFromFile(filepath.Join(dir, filepath.FromSlash(rolesDocFile)))
		if err != nil {
			return nil, fmt.Errorf("load %s of %s: %w", rolesDocFile, module, err)
		}
		return doc, nil
	})
}

// documentedRoles finds method and a concrete path in the newest document
// that has them, and the roles it requires there.
func documentedRoles(method, path string) (where string, roles []string, err error) {
	for _, d := range rolesDocs {
		doc, err := d.load()
		if err != nil {
			return "", nil, err
		}
		template, op, err := documentedOperation(doc, method, path)
		if errors.Is(err, errNoOperation) {
			continue
		}
		if err != nil {
			return "", nil, err
		}
		return fmt.Sprintf("%s %s (operation %s of %s)", method, template, op.OperationID, d.module), rolesRequired(op), nil
	}
	return "", nil, fmt.Errorf("no document has a %s operation whose path template matches %s", method, path)
}

var pathParam = regexp.MustCompile(`\\\{[^}]*\\\}`)

// matchesTemplate reports whether a concrete path fits an OpenAPI path
// template: each {param} stands for one non-empty segment.
func matchesTemplate(template, path string) bool {
	re := "^" + pathParam.ReplaceAllString(regexp.QuoteMeta(template), `[^/]+`) + "$"
	return regexp.MustCompile(re).MatchString(path)
}

// documentedOperation finds the operation for method and a concrete path.
// Operation ids change between SDK versions; method and path template do
// not. Of several matching templates the one with the most literal text
// wins, as OpenAPI matches concrete paths before templated ones.
func documentedOperation(doc *openapi3.T, method, path string) (string, *openapi3.Operation, error) {
	var best string
	var bestOp *openapi3.Operation
	bestLen, tie := -1, false
	for template, item := range doc.Paths.Map() {
		op := item.GetOperation(method)
		if op == nil || !matchesTemplate(template, path) {
			continue
		}
		n := len(pathParam.ReplaceAllString(regexp.QuoteMeta(template), ""))
		switch {
		case n > bestLen:
			best, bestOp, bestLen, tie = template, op, n, false
		case n == bestLen:
			tie = true
		}
	}
	switch {
	case bestOp == nil:
		return "", nil, fmt.Errorf("%w: %s %s", errNoOperation, method, path)
	case tie:
		return "", nil, fmt.Errorf("several %s path templates match %s equally", method, path)
	}
	return best, bestOp, nil
}

// errNoOperation: a document has no operation for a method and path.
var errNoOperation = errors.New("the document has no operation whose path template matches")

// describedRole is how documents without x-rolesRequirements word a role.
var describedRole = regexp.MustCompile(`must have the ([A-Z][A-Za-z ]+?) role`)

// rolesRequired are the roles an operation requires: its
// x-rolesRequirements, else the role its description asks for.
func rolesRequired(op *openapi3.Operation) []string {
	list, _ := op.Extensions["x-rolesRequirements"].([]any)
	var roles []string
	for _, r := range list {
		if s, ok := r.(string); ok {
			roles = append(roles, s)
		}
	}
	if len(roles) == 0 {
		if m := describedRole.FindStringSubmatch(op.Description); m != nil {
			roles = append(roles, m[1])
		}
	}
	return roles
}

func TestRolesDocPathTemplate(t *testing.T) {
	tests := []struct {
		template, path string
		want           bool
	}{
		{"/api/atlas/v2/orgs/{orgId}/invites", "/api/atlas/v2/orgs/5f0c/invites", true},
		{"/api/atlas/v2/orgs/{orgId}/invites/{invitationId}", "/api/atlas/v2/orgs/5f0c/invites/6634", true},
		{"/api/atlas/v2/orgs/{orgId}/invites/{invitationId}", "/api/atlas/v2/orgs/5f0c/invites", false},
		{"/api/atlas/v2/orgs/{orgId}/invites", "/api/atlas/v2/orgs/5f0c/invites/6634", false},
		{"/api/atlas/v2/orgs/{orgId}/users", "/api/atlas/v2/orgs//users", false},
		{"/api/atlas/v2/orgs/{orgId}/users", "/api/atlas/v2/orgs/5f0c/users/", false},
		{"/api/atlas/v2/orgs/{orgId}/users/{userId}:addRole", "/api/atlas/v2/orgs/5f0c/users/ab:addRole", true},
		{"/api/atlas/v2/orgs/{orgId}/users/{userId}:addRole", "/api/atlas/v2/orgs/5f0c/users/ab", false},
		{"/api/atlas/v2/orgs/{orgId}/users.json", "/api/atlas/v2/orgs/5f0c/usersxjson", false},
	}
	for _, tt := range tests {
		if got := matchesTemplate(tt.template, tt.path); got != tt.want {
			t.Errorf("matchesTemplate(%q, %q) = %v, want %v", tt.template, tt.path, got, tt.want)
		}
	}
}

// Every read the client makes, refused for want of a role, names in its
// error a role that Atlas's document requires for the request that was
// refused, or none where the document requires none.
func TestRolesNamedInErrorsAreThoseAtlasDocuments(t *testing.T) {
	m, srv := newMock(t)
	// Organization Read Only is below what any of the reads needs in the
	// mock.
	m.SetOrgRole(testPublicKey, mockatlas.RoleOrgReadOnly)
	project := mockatlas.GenerateProjects(testOrgID, 1)[0]
	m.AddProjects(testOrgID, project)
	c := newClient(t, testConfig(srv.URL, atlas.AuthAPIKey))

	reads := []struct {
		name string
		read func(context.Context) error
	}{
		{"ListInvitations", func(ctx context.Context) error {
			_, err := c.ListInvitations(ctx, testOrgID, nil)
			return err
		}},
		{"GetInvitation", func(ctx context.Context) error {
			_, err := c.GetInvitation(ctx, testOrgID, "6634f290a54dca182530bb1d")
			return err
		}},
		{"ListOrgUsers", func(ctx context.Context) error {
			_, err := c.ListOrgUsers(ctx, testOrgID, atlas.UsersFilter{})
			return err
		}},
		{"OrganizationName", func(ctx context.Context) error {
			_, err := c.OrganizationName(ctx, testOrgID)
			return err
		}},
		{"ListOrganizations", func(ctx context.Context) error {
			_, err := c.ListOrganizations(ctx, nil)
			return err
		}},
		{"ListOrgProjects", func(ctx context.Context) error {
			_, err := c.ListOrgProjects(ctx, testOrgID, nil)
			return err
		}},
		{"ListOrgTeams", func(ctx context.Context) error {
			_, err := c.ListOrgTeams(ctx, testOrgID)
			return err
		}},
		{"ListProjectInvitations", func(ctx context.Context) error {
			_, err := c.ListProjectInvitations(ctx, project.ID, nil)
			return err
		}},
		{"VisibleProjects", func(ctx context.Context) error {
			_, err := c.VisibleProjects(ctx)
			return err
		}},
	}
	for _, r := range reads {
		t.Run(r.name, func(t *testing.T) {
			if r.name == "ListOrganizations" || r.name == "VisibleProjects" {
				// Any role lists its organizations and projects (the newer
				// document names none), so Atlas's refusal is scripted.
				m.SetFault(&mockatlas.Fault{Status: http.StatusUnauthorized, ContentType: mockatlas.ErrorMediaType,
					Body: `{"detail":"` + mockatlas.RoleMissingDetail + `","error":401,"errorCode":"` + mockatlas.RoleMissingCode + `","parameters":[],"reason":"Unauthorized"}`})
				defer m.SetFault(nil)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			e := asAtlasError(t, r.read(ctx))
			if e.Kind != atlas.KindUnauthorized || e.Status != http.StatusUnauthorized || e.ErrorCode != mockatlas.RoleMissingCode {
				t.Fatalf("Kind, Status, ErrorCode = %d, %d, %q; want KindUnauthorized, 401, %q (error: %v)",
					e.Kind, e.Status, e.ErrorCode, mockatlas.RoleMissingCode, e)
			}
			// The code a caller tells the missing role by is the one Atlas
			// (and the mock) sends.
			if e.ErrorCode != atlas.CodeRoleMissing {
				t.Errorf("ErrorCode = %q, want atlas.CodeRoleMissing (%q)", e.ErrorCode, atlas.CodeRoleMissing)
			}
			if e.Reads == "" {
				t.Errorf("Reads is empty; want what the read reads")
			}

			where, documented, err := documentedRoles(e.Method, e.Path)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s needs one of %q", where, documented)
			// The document words roles as the client does ("Organization
			// Owner"), so they compare as they are.
			switch {
			case len(documented) == 0 && e.Role != "":
				t.Errorf("%s %s names the role %q; Atlas documents %s as needing none", e.Method, e.Path, e.Role, where)
			case len(documented) > 0 && !slices.Contains(documented, e.Role):
				t.Errorf("%s %s names the role %q; Atlas documents %s as needing one of %q", e.Method, e.Path, e.Role, where, documented)
			}
		})
	}
}

func TestRolesRequiredReadsBothWordings(t *testing.T) {
	tests := []struct {
		name string
		op   openapi3.Operation
		want []string
	}{
		{"x-rolesRequirements", openapi3.Operation{Extensions: map[string]any{"x-rolesRequirements": []any{"Organization Owner"}},
			Description: "To use this resource, the requesting API Key must have the Organization Member role."}, []string{"Organization Owner"}},
		{"the description alone", openapi3.Operation{
			Description: "Returns one organization. To use this resource, the requesting API Key must have the Organization Member role."},
			[]string{"Organization Member"}},
		{"neither", openapi3.Operation{Description: "Returns all organizations to which the requesting Service Account or API Key has access."}, nil},
	}
	for _, tt := range tests {
		if got := rolesRequired(&tt.op); !slices.Equal(got, tt.want) {
			t.Errorf("%s: rolesRequired = %q, want %q", tt.name, got, tt.want)
		}
	}
}
