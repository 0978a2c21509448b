package main

import (
	"context"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/cmd/planbench/floor/shape"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// projectInviteType is one element of floor_project_invites' invites, the
// attributes of atlasinv_project_invites' with the framework's plain types.
var projectInviteType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"id": types.StringType, "project_id": types.StringType, "project_name": types.StringType,
	"username": types.StringType, "inviter_username": types.StringType,
	"created_at": types.StringType, "expires_at": types.StringType,
	"roles": types.ListType{ElemType: types.StringType},
}}

// projectInvitesDataSource is floor_project_invites: n project invitations
// of package shape, built the ordinary framework way whatever org_id says.
type projectInvitesDataSource struct{}

var _ datasource.DataSource = projectInvitesDataSource{}

func (projectInvitesDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = "floor_project_invites"
}

func (projectInvitesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := schema.StringAttribute{Computed: true}
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"org_id": schema.StringAttribute{Required: true},
		"n":      schema.Int64Attribute{Optional: true},
		"invites": schema.ListNestedAttribute{Computed: true, NestedObject: schema.NestedAttributeObject{
			Attributes: map[string]schema.Attribute{
				"id": str, "project_id": str, "project_name": str, "username": str, "inviter_username": str,
				"created_at": str, "expires_at": str,
				"roles": schema.ListAttribute{Computed: true, ElementType: types.StringType},
			},
		}},
	}}
}

func (projectInvitesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m invitesModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	elems := make([]attr.Value, int(m.N.ValueInt64()))
	for i := range elems {
		p := i / shape.ProjectInvitesEach
		obj, diags := types.ObjectValue(projectInviteType.AttrTypes, map[string]attr.Value{
			"id": types.StringValue(shape.ID(i)), "project_id": types.StringValue(shape.ProjectID(p)),
			"project_name": types.StringValue(shape.ProjectName(p)), "username": types.StringValue(shape.Username(i)),
			"inviter_username": types.StringValue(shape.Inviter),
			"created_at":       types.StringValue(shape.CreatedAt), "expires_at": types.StringValue(shape.ExpiresAt),
			"roles": types.ListValueMust(types.StringType, []attr.Value{types.StringValue(shape.ProjectRole)}),
		})
		if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
			return
		}
		elems[i] = obj
	}
	m.Invites = types.ListValueMust(projectInviteType, elems)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
