package atlas_test

import (
	"context"
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
// grants it is done. The document is the one inside the newest SDK module
// in go.mod; the invitations SDK's documents list no x-rolesRequirements.

// rolesDocFile is the untransformed document: the SDK's transformed copy is
// rewritten for code generation, this one is Atlas's as published.
const rolesDocFile = "openapi/atlas-api.yaml"

// rolesDoc parses the document once per test binary: it is several MB.
var rolesDoc = sync.OnceValues(func() (*openapi3.T, error) {
	dir, err := atlasspec.ModuleDir(atlasspec.UsersSDKModule)
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	file := filepath.Join(dir, filepath.FromSlash(rolesDocFile))
	doc, err := loader.LoadFromFile(file)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", rolesDocFile, err)
	}
	return doc, nil
})

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
		return "", nil, fmt.Errorf("the document has no %s operation whose path template matches %s", method, path)
	case tie:
		return "", nil, fmt.Errorf("several %s path templates match %s equally", method, path)
	}
	return best, bestOp, nil
}

func rolesRequired(op *openapi3.Operation) []string {
	list, _ := op.Extensions["x-rolesRequirements"].([]any)
	var roles []string
	for _, r := range list {
		if s, ok := r.(string); ok {
			roles = append(roles, s)
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
// refused.
func TestRolesNamedInErrorsAreThoseAtlasDocuments(t *testing.T) {
	doc, err := rolesDoc()
	if err != nil {
		t.Fatal(err)
	}
	m, srv := newMock(t)
	// Organization Read Only is below what any of the reads needs.
	m.SetOrgRole(testPublicKey, mockatlas.RoleOrgReadOnly)
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
	}
	for _, r := range reads {
		t.Run(r.name, func(t *testing.T) {
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
			role := e.Role
			if role == "" || e.Reads == "" {
				t.Fatalf("Role, Reads = %q, %q; want the role the read needs and what it reads with it", role, e.Reads)
			}

			template, op, err := documentedOperation(doc, e.Method, e.Path)
			if err != nil {
				t.Fatal(err)
			}
			documented := rolesRequired(op)
			t.Logf("%s %s (operation %s) needs one of %q", e.Method, template, op.OperationID, documented)
			if len(documented) == 0 {
				t.Fatalf("%s %s (operation %s) lists no x-rolesRequirements", e.Method, template, op.OperationID)
			}
			// The document words roles as the client does ("Organization
			// Owner"), so they compare as they are.
			if !slices.Contains(documented, role) {
				t.Errorf("%s %s names the role %q; Atlas documents %s %s (operation %s) as needing one of %q",
					e.Method, e.Path, role, e.Method, template, op.OperationID, documented)
			}
		})
	}
}
