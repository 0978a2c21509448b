package atlas_test

import (
	"testing"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas/atlasspec"
)

// The reader asks for PageSize items a page and takes a shorter page as the
// end of the list, which holds only if PageSize is the largest page Atlas
// documents for every list it reads (DESIGN.md, The count is a hint): a
// page size above the maximum would be refused, one below it would make
// Atlas's full pages look short.
func TestPageSizeIsTheDocumentedMaximum(t *testing.T) {
	lists := []struct{ module, path string }{
		{atlasspec.UsersSDKModule, "/api/atlas/v2/orgs/{orgId}/users"},
		{atlasspec.SDKModule, "/api/atlas/v2/orgs"},
		{atlasspec.UsersSDKModule, "/api/atlas/v2/orgs"},
		{atlasspec.UsersSDKModule, "/api/atlas/v2/orgs/{orgId}/groups"},
		{atlasspec.UsersSDKModule, "/api/atlas/v2/orgs/{orgId}/teams"},
		{atlasspec.UsersSDKModule, "/api/atlas/v2/groups"},
	}
	for _, l := range lists {
		doc, file, err := atlasspec.LoadModule(l.module)
		if err != nil {
			t.Fatal(err)
		}
		item := doc.Paths.Find(l.path)
		if item == nil || item.Get == nil {
			t.Fatalf("%s: no GET %s", file, l.path)
		}
		p := item.Get.Parameters.GetByInAndName("query", "itemsPerPage")
		if p == nil || p.Schema == nil || p.Schema.Value == nil || p.Schema.Value.Max == nil {
			t.Fatalf("%s of %s: itemsPerPage has no documented maximum", l.path, l.module)
		}
		if most := int(*p.Schema.Value.Max); most != atlas.PageSize {
			t.Errorf("%s of %s: itemsPerPage is at most %d, PageSize is %d", l.path, l.module, most, atlas.PageSize)
		}
	}
}
