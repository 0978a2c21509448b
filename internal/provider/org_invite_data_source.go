package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
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

// orgInviteModel is the data source as Terraform sends it. Read only takes
// the configured ids from it; the invitation's fields are written as raw
// values by the shared conversion (see invite_model.go).
type orgInviteModel struct {
	OrgID                types.String      `tfsdk:"org_id"`
	InvitationID         types.String      `tfsdk:"invitation_id"`
	ID                   types.String      `tfsdk:"id"`
	OrgName              types.String      `tfsdk:"org_name"`
	Username             types.String      `tfsdk:"username"`
	InviterUsername      types.String      `tfsdk:"inviter_username"`
	CreatedAt            timetypes.RFC3339 `tfsdk:"created_at"`
	ExpiresAt            timetypes.RFC3339 `tfsdk:"expires_at"`
	Roles                types.Set         `tfsdk:"roles"`
	TeamIDs              types.Set         `tfsdk:"team_ids"`
	GroupRoleAssignments types.Set         `tfsdk:"group_role_assignments"`
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
	var config orgInviteModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	invite, err := d.client.GetInvitation(ctx, config.OrgID.ValueString(), config.InvitationID.ValueString())
	if d.failed(&resp.Diagnostics, err, path.Root("invitation_id")) {
		return
	}
	attrs := inviteAttrValues(invite)
	// The configured ids are what the user asked for; state keeps them as given.
	attrs["org_id"] = tftypes.NewValue(tftypes.String, config.OrgID.ValueString())
	attrs["invitation_id"] = tftypes.NewValue(tftypes.String, config.InvitationID.ValueString())
	resp.State.Raw = tftypes.NewValue(resp.State.Raw.Type(), attrs)
}
