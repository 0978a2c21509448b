package diagnostics_test

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/provider/diagnostics"
)

// TestListHintNamesTheFailingDataSourceAttributes: a list that fails as a
// whole is narrowed with the attributes of the data source that read it,
// and no other: atlasinv_org_invites reads the users list too (from the
// organization users API), but has no org_membership_statuses.
func TestListHintNamesTheFailingDataSourceAttributes(t *testing.T) {
	tooLong := func(what string) *atlas.Error {
		return &atlas.Error{Kind: atlas.KindListTooLong, List: &atlas.ListFacts{What: what, MaxPages: 400, PageSize: 500}}
	}
	changed := func(what string) *atlas.Error {
		return &atlas.Error{Kind: atlas.KindListChanged, List: &atlas.ListFacts{What: what, Change: "page 3 repeats an item"}}
	}
	tests := []struct {
		name       string
		dataSource string
		err        *atlas.Error
		has        string
		hasNot     []string
	}{
		{"invites too long", "atlasinv_org_invites", tooLong("users"),
			"Narrow the read with username, and check base_url", []string{"org_membership_statuses", "with name"}},
		{"invites changed", "atlasinv_org_invites", changed("users"),
			"narrow the read with username.", []string{"org_membership_statuses", "with name"}},
		{"users too long", "atlasinv_org_users", tooLong("users"),
			"Narrow the read with username or org_membership_statuses, and check base_url", []string{"with name"}},
		{"users changed", "atlasinv_org_users", changed("users"),
			"narrow the read with username or org_membership_statuses.", []string{"with name"}},
		{"organizations too long", "atlasinv_orgs", tooLong("organizations"),
			"Narrow the read with name, and check base_url", []string{"username", "org_membership_statuses"}},
		{"organizations changed", "atlasinv_orgs", changed("organizations"),
			"narrow the read with name.", []string{"username", "org_membership_statuses"}},
		{"no data source", "", tooLong("users"),
			"Narrow the read with the data source's filters, and check base_url", []string{"username", "org_membership_statuses"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var diags diag.Diagnostics
			diagnostics.AddAtlasError(&diags, tt.err, tt.dataSource, path.Root("org_id"))
			if len(diags) != 1 {
				t.Fatalf("want one diagnostic, got %v", diags)
			}
			hint, _, _ := strings.Cut(diags[0].Detail(), "\n\nRequest:")
			if !strings.Contains(hint, tt.has) {
				t.Errorf("hint lacks %q:\n%s", tt.has, hint)
			}
			for _, s := range tt.hasNot {
				if strings.Contains(hint, s) {
					t.Errorf("hint names %q, not an attribute of %q:\n%s", s, tt.dataSource, hint)
				}
			}
		})
	}
}
