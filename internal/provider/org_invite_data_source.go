package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

var (
	_ datasource.DataSource              = &orgInviteDataSource{}
	_ datasource.DataSourceWithConfigure = &orgInviteDataSource{}
)

type orgInviteDataSource struct {
	atlasDataSource
}

func newOrgInviteDataSource() datasource.DataSource {
	return &orgInviteDataSource{atlasDataSource{name: "org_invite"}}
}

func (d *orgInviteDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := inviteSchemaAttributes()
	attrs["org_id"] = schema.StringAttribute{
		MarkdownDescription: "Id of the Atlas organization (24 lower-case hexadecimal characters).",
		Required:            true,
		Validators:          atlasIDValidators("Atlas organization (Atlas UI: Organization Settings)"),
	}
	attrs["invitation_id"] = schema.StringAttribute{
		MarkdownDescription: "Id of the invitation (24 lower-case hexadecimal characters), as listed by " +
			"`atlasinv_org_invites` or shown in an audit.",
		Required:   true,
		Validators: atlasIDValidators("invitation"),
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one pending invitation of a MongoDB Atlas organization by its id, " +
			"without listing the whole organization.",
		Attributes: attrs,
	}
}

func (d *orgInviteDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	// Only the two ids are read from the configuration; everything else is
	// computed, written below as raw values by the shared conversion.
	var orgID, invitationID types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("org_id"), &orgID)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("invitation_id"), &invitationID)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if d.conf.fromUsers() {
		d.conf.addInviteNotServed(&resp.Diagnostics, orgID.ValueString(), invitationID.ValueString())
		return
	}
	invite, err := d.client.GetInvitation(ctx, orgID.ValueString(), invitationID.ValueString())
	if d.conf.switchOnRetired(err) {
		d.conf.addInviteNotServed(&resp.Diagnostics, orgID.ValueString(), invitationID.ValueString())
		return
	}
	// A 404 names the missing id in its errorCode; without one, either id
	// may be at fault, so no attribute is blamed.
	if d.invitationsFailed(ctx, &resp.Diagnostics, err, orgID.ValueString(), path.Empty(), inviteReplacement(orgID.ValueString(), invite)) {
		return
	}
	attrs := inviteAttrValues(invite)
	// The configured ids are what the user asked for; state keeps them as given.
	attrs["org_id"] = tftypes.NewValue(tftypes.String, orgID.ValueString())
	attrs["invitation_id"] = tftypes.NewValue(tftypes.String, invitationID.ValueString())
	resp.State.Raw = tftypes.NewValue(resp.State.Raw.Type(), attrs)
}
