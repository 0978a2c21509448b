package diagnostics_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/provider/diagnostics"
)

func TestOrgMayBeWrong(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{&atlas.Error{Kind: atlas.KindUnauthorized, Status: 401, ErrorCode: "USER_UNAUTHORIZED"}, true},
		{&atlas.Error{Kind: atlas.KindUnauthorized, Status: 401}, false}, // credentials rejected
		{&atlas.Error{Kind: atlas.KindNotFound, Status: 404, ErrorCode: "ORG_NOT_FOUND"}, true},
		{&atlas.Error{Kind: atlas.KindNotFound, Status: 404, ErrorCode: "RESOURCE_NOT_FOUND"}, true},
		{&atlas.Error{Kind: atlas.KindNotFound, Status: 404, ErrorCode: "INVITATION_NOT_FOUND"}, false},
		{&atlas.Error{Kind: atlas.KindForbidden, Status: 403, ErrorCode: "USER_UNAUTHORIZED"}, false},
		{fmt.Errorf("read: %w", &atlas.Error{Kind: atlas.KindNotFound, ErrorCode: "ORG_NOT_FOUND"}), true},
		{errors.New("not an Atlas error"), false},
	}
	for _, tt := range tests {
		if got := diagnostics.OrgMayBeWrong(tt.err); got != tt.want {
			t.Errorf("OrgMayBeWrong(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

func orgs(n int) []atlas.Organization {
	out := make([]atlas.Organization, n)
	for i := range out {
		id, name := fmt.Sprintf("%024x", i+1), fmt.Sprintf("Org-%02d", i+1)
		out[i] = atlas.Organization{Id: &id, Name: name}
	}
	return out
}

// Which diagnostic a refusal gets, from the organizations the credentials
// see: the org id first, the role only for an organization they see.
func TestAddOrgScopedError(t *testing.T) {
	roleMissing := &atlas.Error{Kind: atlas.KindUnauthorized, Status: 401, ErrorCode: "USER_UNAUTHORIZED", Role: "Organization Owner",
		Reads: "its invitations", Setup: atlas.Setup{Principal: `public key "abcdefgh"`}}
	const missing = "ffffffffffffffffffffffff"
	tests := []struct {
		name    string
		orgID   string
		visible []atlas.Organization
		listErr error
		summary string
		has     []string
		hasNot  []string
		atOrgID bool
	}{
		{"not seen, none seen", missing, nil, nil, "Organization Not Visible To These Credentials",
			[]string{`org_id "` + missing + `" is not one of`, "They see no organization."}, []string{"Owner", "Give the"}, true},
		{"not seen, one seen", missing, orgs(1), nil, "Organization Not Visible To These Credentials",
			[]string{`They see 1 organization: "Org-01" (000000000000000000000001).`}, []string{"Owner"}, true},
		{"not seen, ten seen", missing, orgs(10), nil, "Organization Not Visible To These Credentials",
			[]string{`They see 10 organizations: "Org-01"`, `"Org-10" (00000000000000000000000a).`}, []string{"more"}, true},
		{"not seen, twelve seen", missing, orgs(12), nil, "Organization Not Visible To These Credentials",
			[]string{`"Org-10" (00000000000000000000000a), and 2 more.`}, []string{"Org-11"}, true},
		{"seen: the role advice stands", "000000000000000000000002", orgs(3), nil, "Atlas Credentials Lack The Organization Owner Role",
			[]string{"Give the API key or service account the Organization Owner role"}, []string{"Not Visible"}, false},
		{"not read: both causes, the org id first", missing, nil,
			&atlas.Error{Kind: atlas.KindServer, Status: 500, ErrorCode: "UNEXPECTED_ERROR", Method: "GET", URL: "https://atlas.example/api/atlas/v2/orgs"},
			"Wrong Organization Id Or Missing Organization Owner Role",
			[]string{"could not be read (Atlas Server Error: Atlas answered 500 UNEXPECTED_ERROR to GET https://atlas.example/api/atlas/v2/orgs)",
				"1. org_id \"" + missing + "\" may not be", "2. Atlas accepted"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var diags diag.Diagnostics
			diagnostics.AddOrgScopedError(&diags, roleMissing, "atlasinv_org_invites", path.Root("org_id"), tt.orgID, tt.visible, tt.listErr)
			if len(diags) != 1 {
				t.Fatalf("%d diagnostics, want 1: %v", len(diags), diags)
			}
			d := diags[0]
			if d.Summary() != tt.summary {
				t.Errorf("summary %q, want %q", d.Summary(), tt.summary)
			}
			for _, h := range tt.has {
				if !strings.Contains(d.Detail(), h) {
					t.Errorf("detail lacks %q:\n%s", h, d.Detail())
				}
			}
			for _, h := range tt.hasNot {
				if strings.Contains(d.Detail(), h) || strings.Contains(d.Summary(), h) {
					t.Errorf("diagnostic holds %q:\n%s\n%s", h, d.Summary(), d.Detail())
				}
			}
			wa, ok := d.(diag.DiagnosticWithPath)
			if got := ok && wa.Path().Equal(path.Root("org_id")); got != tt.atOrgID {
				t.Errorf("at org_id: %v, want %v", got, tt.atOrgID)
			}
		})
	}
}

// Why the organizations could not be read, whatever failed.
func TestAddOrgScopedErrorNamesWhyTheListFailed(t *testing.T) {
	roleMissing := &atlas.Error{Kind: atlas.KindUnauthorized, Status: 401, ErrorCode: "USER_UNAUTHORIZED", Role: "Organization Owner"}
	for _, tt := range []struct {
		listErr error
		want    string
	}{
		{&atlas.Error{Kind: atlas.KindNetwork, Method: "GET", URL: "https://atlas.example/api/atlas/v2/orgs"}, "could not be read (Cannot Reach Atlas: "},
		{errors.New("no list"), "could not be read (no list)"},
	} {
		var diags diag.Diagnostics
		diagnostics.AddOrgScopedError(&diags, roleMissing, "atlasinv_org_invites", path.Root("org_id"), "ffffffffffffffffffffffff", nil, tt.listErr)
		if len(diags) != 1 || !strings.Contains(diags[0].Detail(), tt.want) {
			t.Errorf("%v: %v, want a detail with %q", tt.listErr, diags, tt.want)
		}
	}
}

func TestProjectMayBeWrong(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{&atlas.Error{Kind: atlas.KindUnauthorized, Status: 401, ErrorCode: "USER_UNAUTHORIZED"}, true},
		{&atlas.Error{Kind: atlas.KindUnauthorized, Status: 401}, false},
		{&atlas.Error{Kind: atlas.KindNotFound, Status: 404, ErrorCode: "GROUP_NOT_FOUND"}, true},
		{&atlas.Error{Kind: atlas.KindServer, Status: 500}, false},
		{errors.New("not an Atlas error"), false},
	}
	for _, tt := range tests {
		if got := diagnostics.ProjectMayBeWrong(tt.err); got != tt.want {
			t.Errorf("ProjectMayBeWrong(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

// A project the credentials do not see is named at project_id, with no
// role advice; one they see, or an unknown answer, keeps the read's own;
// when the projects could not be read, both causes are named, the id first.
func TestAddProjectScopedError(t *testing.T) {
	roleMissing := &atlas.Error{Kind: atlas.KindUnauthorized, Status: 401, ErrorCode: "USER_UNAUTHORIZED", Role: "Project Owner",
		Reads: "the project's invitations", Setup: atlas.Setup{Principal: `public key "abcdefgh"`}}
	id, other := "6c0000000000000000000d01", "6c0000000000000000000d02"
	seen := []atlas.Project{{Id: &other, Name: "Other"}}
	tests := []struct {
		name     string
		err      error
		visible  []atlas.Project
		listErr  error
		summary  string
		has      string
		hasNot   string
		atProjID bool
	}{
		{"not seen", roleMissing, seen, nil, "Project Not Visible To These Credentials",
			`project_id "` + id + `" is not one of the 1 projects`, "Give the", true},
		{"seen", roleMissing, append(seen, atlas.Project{Id: &id, Name: "Prod"}), nil, "Atlas Credentials Lack The Project Owner Role",
			"Give the API key or service account the Project Owner role", "Not Visible", false},
		{"projects not read", roleMissing, nil, errors.New("no list"), "Wrong Project Id Or Missing Project Owner Role",
			`could not be read (no list):` + "\n\n" + `1. project_id "` + id + `" may not be a project`, "Not Visible", true},
		{"not an Atlas error", errors.New("boom"), seen, nil, "Atlas Request Failed", "boom", "Not Visible", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var diags diag.Diagnostics
			diagnostics.AddProjectScopedError(&diags, tt.err, "atlasinv_project_invites", id, tt.visible, tt.listErr)
			if len(diags) != 1 {
				t.Fatalf("%d diagnostics, want 1: %v", len(diags), diags)
			}
			d := diags[0]
			if d.Summary() != tt.summary || !strings.Contains(d.Detail(), tt.has) || strings.Contains(d.Detail(), tt.hasNot) {
				t.Errorf("%q: %q; want %q with %q and without %q", d.Summary(), d.Detail(), tt.summary, tt.has, tt.hasNot)
			}
			wa, ok := d.(diag.DiagnosticWithPath)
			if got := ok && wa.Path().Equal(path.Root("project_id")); got != tt.atProjID {
				t.Errorf("at project_id: %v, want %v", got, tt.atProjID)
			}
		})
	}
}
