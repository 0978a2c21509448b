package provider

import (
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
)

// clientFrom takes the Atlas client the provider configured. A nil provider
// data means Terraform has not configured the provider yet (validation).
func clientFrom(providerData any, diags *diag.Diagnostics) *atlas.Client {
	if providerData == nil {
		return nil
	}
	client, ok := providerData.(*atlas.Client)
	if !ok {
		diags.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *atlas.Client, got %T. This is a bug in the provider; please report it.", providerData))
		return nil
	}
	return client
}

// addAtlasError turns a failed Atlas call into a diagnostic. A not-found
// answer is the fault of the id the user gave, so it points at notFoundAttr.
func addAtlasError(diags *diag.Diagnostics, err error, notFoundAttr path.Path) {
	var atlasErr *atlas.Error
	if !errors.As(err, &atlasErr) {
		diags.AddError("Atlas Request Failed", err.Error())
		return
	}
	if atlasErr.Kind == atlas.KindNotFound {
		diags.AddAttributeError(notFoundAttr, atlasErr.Summary(), atlasErr.Detail())
		return
	}
	diags.AddError(atlasErr.Summary(), atlasErr.Detail())
}

// addDeprecationWarning warns once per provider that the invitations API
// is going away, as soon as Atlas says so.
func addDeprecationWarning(diags *diag.Diagnostics, client *atlas.Client) {
	d, ok := client.TakeDeprecation()
	if !ok {
		return
	}
	sunset := d.Sunset
	if sunset == "" {
		sunset = "a date Atlas has not announced"
	}
	diags.AddWarning("Atlas Invitations API Is Deprecated",
		fmt.Sprintf("Atlas marks the organization invitations API as deprecated (since %s) and will remove it on %s. "+
			"Its replacement is the organization users API: pending invitations are the users with "+
			"orgMembershipStatus=PENDING. Plan to move to a data source built on it before that date.",
			orDefault(d.Deprecated, "an unannounced date"), sunset))
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
