// Package diagnostics words the failures of Atlas calls for Terraform users:
// a Title Case summary, a hint that says what to change (the provider
// attribute, the MONGODB_ATLAS_* variable, the CLI flag, the Atlas role),
// then the facts of the request. The atlas package gives the facts; every
// word of advice is here.
package diagnostics

import (
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
)

// Detail is the hint, then the facts of the request, for a failure no data
// source's attributes can help with (AddAtlasError words the others).
func Detail(e *atlas.Error) string {
	return detail(e, "")
}

// detail is Detail for a read of the data source dataSource (its type name,
// "" when it is none): a hint may name the attributes of that data source.
func detail(e *atlas.Error, dataSource string) string {
	return hint(e, dataSource) + "\n\n" + e.Facts()
}

// missingAttr is the attribute that holds the id of what Atlas did not find.
var missingAttr = map[string]path.Path{
	atlas.MissingOrganization: path.Root("org_id"),
	atlas.MissingInvitation:   path.Root("invitation_id"),
}

// AddAtlasError turns a failed Atlas call of the data source dataSource (its
// type name, e.g. "atlasinv_org_users") into a diagnostic; its hint names
// only attributes that data source has. A not-found answer is the fault of
// an id the user gave: the one Atlas's errorCode names, else notFoundAttr
// when it is not path.Empty() (a data source with several ids cannot tell
// which one Atlas did not find).
func AddAtlasError(diags *diag.Diagnostics, err error, dataSource string, notFoundAttr path.Path) {
	var atlasErr *atlas.Error
	if !errors.As(err, &atlasErr) {
		diags.AddError("Atlas Request Failed", err.Error())
		return
	}
	if atlasErr.Kind == atlas.KindNotFound {
		attr, named := missingAttr[atlasErr.Missing()]
		if !named {
			attr = notFoundAttr
		}
		if !attr.Equal(path.Empty()) {
			diags.AddAttributeError(attr, Summary(atlasErr), detail(atlasErr, dataSource))
			return
		}
	}
	diags.AddError(Summary(atlasErr), detail(atlasErr, dataSource))
}
