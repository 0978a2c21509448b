// Command floor is the benchmark's floor: the smallest provider on
// terraform-plugin-framework that answers an invitation-shaped data source,
// with no HTTP and no authentication. `make bench` times the same plan with it
// and with atlasinv. What a plan with the floor costs (process start,
// handshake, schema, read, state encoding, Terraform's own walk) every
// framework provider pays, so the ratio to it is atlasinv's own cost.
//
// data "floor_org_invites" answers n invitations made up in memory:
//   - org_id = "raw": built straight as tftypes values into State.Raw, the
//     fastest read this architecture allows;
//   - any other org_id: the ordinary framework way, types.ObjectValue and
//     State.Set.
//
// Both ways give the same objects (package shape, which planbench also
// serves from the mock): two roles, no team, one project role.
//
// data "floor_project_invites" answers n project invitations of package
// shape (project_invites.go), shape.ProjectInvitesEach to a project, the
// ordinary framework way: the floor of atlasinv_project_invites.
package main

import (
	"context"
	"log"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/cmd/planbench/floor/shape"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func main() {
	err := providerserver.Serve(context.Background(), func() provider.Provider { return floorProvider{} },
		providerserver.ServeOpts{Address: "registry.terraform.io/floor/floor"})
	if err != nil {
		log.Fatal(err)
	}
}

type floorProvider struct{}

var _ provider.Provider = floorProvider{}

func (floorProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "floor"
}

func (floorProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (floorProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (floorProvider) Resources(context.Context) []func() resource.Resource { return nil }

func (floorProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		func() datasource.DataSource { return invitesDataSource{} },
		func() datasource.DataSource { return projectInvitesDataSource{} },
	}
}

// The element types, declared once for the framework values; the raw way
// takes its tftypes from them too.
var (
	groupRoleType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"group_id": types.StringType, "group_role": types.StringType,
	}}
	stringSetType = types.SetType{ElemType: types.StringType}
	inviteType    = types.ObjectType{AttrTypes: map[string]attr.Type{
		"id": types.StringType, "org_id": types.StringType, "org_name": types.StringType,
		"username": types.StringType, "inviter_username": types.StringType,
		"created_at": types.StringType, "expires_at": types.StringType,
		"roles": stringSetType, "team_ids": stringSetType,
		"group_role_assignments": types.SetType{ElemType: groupRoleType},
	}}
)

type invitesDataSource struct{}

var _ datasource.DataSource = invitesDataSource{}

func (invitesDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = "floor_org_invites"
}

func (invitesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := schema.StringAttribute{Computed: true}
	strs := schema.SetAttribute{Computed: true, ElementType: types.StringType}
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"org_id": schema.StringAttribute{Required: true},
		"n":      schema.Int64Attribute{Optional: true},
		"invites": schema.ListNestedAttribute{Computed: true, NestedObject: schema.NestedAttributeObject{
			Attributes: map[string]schema.Attribute{
				"id": str, "org_id": str, "org_name": str, "username": str, "inviter_username": str,
				"created_at": str, "expires_at": str, "roles": strs, "team_ids": strs,
				"group_role_assignments": schema.SetNestedAttribute{Computed: true, NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{"group_id": str, "group_role": str},
				}},
			},
		}},
	}}
}

type invitesModel struct {
	OrgID   types.String `tfsdk:"org_id"`
	N       types.Int64  `tfsdk:"n"`
	Invites types.List   `tfsdk:"invites"`
}

func (invitesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m invitesModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	n := int(m.N.ValueInt64())
	if m.OrgID.ValueString() == "raw" {
		resp.State.Raw = rawState(ctx, req.Config.Raw.Type(), m.OrgID.ValueString(), n)
		return
	}
	elems := make([]attr.Value, n)
	for i := range elems {
		group := types.ObjectValueMust(groupRoleType.AttrTypes, map[string]attr.Value{
			"group_id": types.StringValue(shape.GroupID(i)), "group_role": types.StringValue(shape.GroupRole),
		})
		obj, diags := types.ObjectValue(inviteType.AttrTypes, map[string]attr.Value{
			"id": types.StringValue(shape.ID(i)), "org_id": m.OrgID, "org_name": types.StringValue(shape.OrgName),
			"username": types.StringValue(shape.Username(i)), "inviter_username": types.StringValue(shape.Inviter),
			"created_at": types.StringValue(shape.CreatedAt), "expires_at": types.StringValue(shape.ExpiresAt),
			"roles":                  types.SetValueMust(types.StringType, []attr.Value{types.StringValue(shape.Roles[0]), types.StringValue(shape.Roles[1])}),
			"team_ids":               types.SetValueMust(types.StringType, nil),
			"group_role_assignments": types.SetValueMust(groupRoleType, []attr.Value{group}),
		})
		if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
			return
		}
		elems[i] = obj
	}
	m.Invites = types.ListValueMust(inviteType, elems)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// rawState is the whole data source state as tftypes values, with no
// attr.Value layer and no reflection. stateType is the schema's object type.
func rawState(ctx context.Context, stateType tftypes.Type, orgID string, n int) tftypes.Value {
	obj := inviteType.TerraformType(ctx)
	group := groupRoleType.TerraformType(ctx)
	strSet := stringSetType.TerraformType(ctx)
	groupSet := tftypes.Set{ElementType: group}
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	elems := make([]tftypes.Value, n)
	for i := range elems {
		elems[i] = tftypes.NewValue(obj, map[string]tftypes.Value{
			"id": str(shape.ID(i)), "org_id": str(orgID), "org_name": str(shape.OrgName),
			"username": str(shape.Username(i)), "inviter_username": str(shape.Inviter),
			"created_at": str(shape.CreatedAt), "expires_at": str(shape.ExpiresAt),
			"roles":    tftypes.NewValue(strSet, []tftypes.Value{str(shape.Roles[0]), str(shape.Roles[1])}),
			"team_ids": tftypes.NewValue(strSet, []tftypes.Value{}),
			"group_role_assignments": tftypes.NewValue(groupSet, []tftypes.Value{tftypes.NewValue(group, map[string]tftypes.Value{
				"group_id": str(shape.GroupID(i)), "group_role": str(shape.GroupRole),
			})}),
		})
	}
	return tftypes.NewValue(stateType, map[string]tftypes.Value{
		"org_id":  str(orgID),
		"n":       tftypes.NewValue(tftypes.Number, n),
		"invites": tftypes.NewValue(tftypes.List{ElementType: obj}, elems),
	})
}
