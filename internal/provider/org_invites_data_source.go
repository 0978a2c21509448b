package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"go.mongodb.org/atlas-sdk/v20241113001/admin"
)

var (
	_ datasource.DataSource              = &orgInvitesDataSource{}
	_ datasource.DataSourceWithConfigure = &orgInvitesDataSource{}
)

type orgInvitesDataSource struct {
	atlasDataSource
}

// orgInvitesModel is the data source as Terraform sends it. Read only takes
// the configured arguments from it; the computed invites are written as raw
// values by the shared conversion (see invite_model.go).
type orgInvitesModel struct {
	OrgID    types.String `tfsdk:"org_id"`
	Username types.String `tfsdk:"username"`
	Invites  types.List   `tfsdk:"invites"`
}

func newOrgInvitesDataSource() datasource.DataSource {
	return &orgInvitesDataSource{atlasDataSource{name: "org_invites"}}
}

func (d *orgInvitesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the pending invitations of a MongoDB Atlas organization: who was invited, " +
			"by whom, when the invitation expires, and the organization, team and project roles it grants.",
		Attributes: map[string]schema.Attribute{
			"org_id": orgIDAttribute(),
			"username": schema.StringAttribute{
				MarkdownDescription: "Only list the invitations of this email address. Atlas matches it exactly. " +
					"Leave it out to list every invitation.",
				Optional:   true,
				Validators: []validator.String{usernameValidator{what: "invitation"}},
			},
			"invites": schema.ListNestedAttribute{
				MarkdownDescription: "The invitations, sorted by `username` and then `id`. Empty when there are none.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: inviteSchemaAttributes()},
			},
		},
	}
}

func (d *orgInvitesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config orgInvitesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID, username := config.OrgID.ValueString(), config.Username.ValueStringPointer()
	var invites []admin.OrganizationInvitation
	var err error
	fromUsers := d.conf.fromUsers()
	if !fromUsers {
		invites, err = d.client.ListInvitations(ctx, orgID, username)
		fromUsers = d.conf.switchOnRetired(err)
	}
	if fromUsers {
		var ok bool
		if invites, ok = d.conf.readInvitesFromUsers(ctx, &resp.Diagnostics, orgID, username); !ok {
			return
		}
	} else if d.invitationsFailed(ctx, &resp.Diagnostics, err, orgID, path.Root("org_id"), listReplacement(orgID, username)) {
		return
	}
	d.warnUsernameCase(&resp.Diagnostics, "organization "+orgID, username, len(invites), "pending invitation", "")
	resp.State.Raw = tftypes.NewValue(resp.State.Raw.Type(), map[string]tftypes.Value{
		"org_id":   tftypes.NewValue(tftypes.String, config.OrgID.ValueString()),
		"username": stringValue(config.Username.ValueStringPointer()),
		"invites":  invitesListValue(invites),
	})
}
