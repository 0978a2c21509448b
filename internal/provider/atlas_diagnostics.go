package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
)

// atlasDataSource is embedded in every data source: it names it, receives
// the provider's Atlas client and reports the outcome of each call.
type atlasDataSource struct {
	name   string // type name without the provider prefix
	client *atlas.Client
	conf   *configuredProvider
}

func (d *atlasDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.name
}

func (d *atlasDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.conf = configuredFrom(req.ProviderData, &resp.Diagnostics)
	if d.conf != nil {
		d.client = d.conf.client
	}
}

// failed adds the diagnostic of a failed Atlas call and says whether the
// call failed. A not-found error points at the attribute Atlas's errorCode
// names, else at notFoundAttr (path.Empty() for none: a data source with
// several ids cannot tell which one Atlas did not find).
func (d *atlasDataSource) failed(diags *diag.Diagnostics, err error, notFoundAttr path.Path) bool {
	if err != nil {
		addAtlasError(diags, err, notFoundAttr)
		return true
	}
	return false
}

// invitationsFailed is failed for the data sources on the deprecated
// invitations API: the deprecation warning comes first, with a failed read
// as with a successful one, and an error that means Atlas has retired the
// API says so and shows the replacement. replacement is the data source
// block to paste instead.
func (d *atlasDataSource) invitationsFailed(diags *diag.Diagnostics, err error, notFoundAttr path.Path, r replacement) bool {
	addDeprecationWarning(diags, d.client, r)
	if invitationsRetired(err) {
		addRetiredError(diags, err, r)
		return true
	}
	return d.failed(diags, err, notFoundAttr)
}

// configuredFrom takes what the provider configured. A nil provider data
// means Terraform has not configured the provider yet (validation).
func configuredFrom(providerData any, diags *diag.Diagnostics) *configuredProvider {
	if providerData == nil {
		return nil
	}
	conf, ok := providerData.(*configuredProvider)
	if !ok {
		diags.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *configuredProvider, got %T. This is a bug in the provider; please report it.", providerData))
		return nil
	}
	return conf
}

// missingAttr is the attribute that holds the id of what Atlas did not find.
var missingAttr = map[string]path.Path{
	atlas.MissingOrganization: path.Root("org_id"),
	atlas.MissingInvitation:   path.Root("invitation_id"),
}

// addAtlasError turns a failed Atlas call into a diagnostic. A not-found
// answer is the fault of an id the user gave: the one Atlas's errorCode
// names, else notFoundAttr when it is not empty.
func addAtlasError(diags *diag.Diagnostics, err error, notFoundAttr path.Path) {
	var atlasErr *atlas.Error
	if !errors.As(err, &atlasErr) {
		diags.AddError("Atlas Request Failed", err.Error())
		return
	}
	if summary, hint, ok := readWording(atlasErr); ok {
		diags.AddError(summary, hint+"\n\n"+atlasErr.Facts())
		return
	}
	if atlasErr.Kind == atlas.KindNotFound {
		attr, named := missingAttr[atlasErr.Missing()]
		if !named {
			attr = notFoundAttr
		}
		if !attr.Equal(path.Empty()) {
			diags.AddAttributeError(attr, atlasErr.Summary(), atlasErr.Detail())
			return
		}
	}
	diags.AddError(atlasErr.Summary(), atlasErr.Detail())
}

// addDeprecationWarning warns once per provider that the invitations API
// is going away, as soon as Atlas says so, and shows the replacement.
func addDeprecationWarning(diags *diag.Diagnostics, client *atlas.Client, r replacement) {
	d, ok := client.TakeDeprecation()
	if !ok {
		return
	}
	diags.AddWarning("Atlas Invitations API Is Deprecated", deprecationDetail(d, r))
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// readWording words the failures of a whole read of many pages, which only
// the Terraform side can advise on.
func readWording(e *atlas.Error) (summary, hint string, ok bool) {
	l := e.List
	if l == nil {
		return "", "", false
	}
	subject, narrow := "Organization Users", "username or org_membership_statuses"
	if l.What == "organizations" {
		subject, narrow = "Organizations", "name"
	}
	switch e.Kind {
	case atlas.KindListChanged:
		return subject + " Changed During The Read",
			fmt.Sprintf("The %s changed while Terraform read them page by page, on two reads in a row (%s). "+
				"Terraform does not use a list that may miss or repeat some. Run the plan again; if this persists, "+
				"the list is changing continuously: plan when it is quieter, or narrow the read with %s.",
				l.What, l.Change, narrow), true
	case atlas.KindListTooLong:
		return subject + " List Too Long",
			fmt.Sprintf("Atlas listed more than %d %s (%d full pages of %d), the most one read of this provider takes, "+
				"far beyond the largest real lists; the read stopped there rather than grow without bound. "+
				"Narrow the read with %s, and check base_url: something other than Atlas may be answering.",
				l.MaxPages*l.PageSize, l.What, l.MaxPages, l.PageSize, narrow), true
	}
	return "", "", false
}
