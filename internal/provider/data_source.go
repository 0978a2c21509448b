package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/provider/diagnostics"
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
		diagnostics.AddAtlasError(diags, err, "atlasinv_"+d.name, notFoundAttr)
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
