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

// Detail is the hint, then the facts of the request.
func Detail(e *atlas.Error) string {
	return hint(e) + "\n\n" + e.Facts()
}

// missingAttr is the attribute that holds the id of what Atlas did not find.
var missingAttr = map[string]path.Path{
	atlas.MissingOrganization: path.Root("org_id"),
	atlas.MissingInvitation:   path.Root("invitation_id"),
}

// AddAtlasError turns a failed Atlas call into a diagnostic. A not-found
// answer is the fault of an id the user gave: the one Atlas's errorCode
// names, else notFoundAttr when it is not path.Empty() (a data source with
// several ids cannot tell which one Atlas did not find).
func AddAtlasError(diags *diag.Diagnostics, err error, notFoundAttr path.Path) {
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
			diags.AddAttributeError(attr, Summary(atlasErr), Detail(atlasErr))
			return
		}
	}
	diags.AddError(Summary(atlasErr), Detail(atlasErr))
}
