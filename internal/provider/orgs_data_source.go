package provider

import (
	"cmp"
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
)

var (
	_ datasource.DataSource              = &orgsDataSource{}
	_ datasource.DataSourceWithConfigure = &orgsDataSource{}
)

type orgsDataSource struct {
	atlasDataSource
}

type orgsModel struct {
	Name          types.String `tfsdk:"name"`
	Organizations types.List   `tfsdk:"organizations"`
}

// orgType is one element of organizations.
var orgType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"id": types.StringType, "name": types.StringType, "is_deleted": types.BoolType,
}}

func newOrgsDataSource() datasource.DataSource {
	return &orgsDataSource{atlasDataSource{name: "orgs"}}
}

func (d *orgsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the MongoDB Atlas organizations the provider's credentials can see, with their " +
			"names: an organization API key or service account sees its own organization only. Use it to derive " +
			"`org_id` from the credentials instead of hard-coding it, and to put organization names beside " +
			"`atlasinv_org_users`. Atlas documents no role that this read requires.",
		Attributes: map[string]schema.Attribute{
			"name": exactNameAttribute("organizations", "every organization the credentials can see"),
			"organizations": schema.ListNestedAttribute{
				MarkdownDescription: "The organizations, every page of them, sorted by `name` and then `id`. Empty when " +
					"there are none.",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id": schema.StringAttribute{
						MarkdownDescription: "Id of the organization (24 lower-case hexadecimal characters), for `org_id`.",
						Computed:            true,
					},
					"name": schema.StringAttribute{
						MarkdownDescription: "Name of the organization.",
						Computed:            true,
					},
					"is_deleted": schema.BoolAttribute{
						MarkdownDescription: "Whether Atlas has marked the organization deleted. Null when Atlas does not say.",
						Computed:            true,
					},
				}},
			},
		},
	}
}

func (d *orgsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config orgsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := config.Name.ValueStringPointer()
	orgs, err := d.client.ListOrganizations(ctx, name)
	if d.failed(ctx, &resp.Diagnostics, err, "", path.Empty()) {
		return
	}
	// Atlas's name filter is a case-insensitive prefix match.
	if name != nil {
		orgs = slices.DeleteFunc(orgs, func(o atlas.Organization) bool { return o.Name != *name })
	}
	slices.SortFunc(orgs, func(a, b atlas.Organization) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.GetId(), b.GetId()))
	})
	elems := make([]attr.Value, len(orgs))
	for i, o := range orgs {
		elems[i] = types.ObjectValueMust(orgType.AttrTypes, map[string]attr.Value{
			"id": types.StringPointerValue(o.Id), "name": types.StringValue(o.Name), "is_deleted": types.BoolPointerValue(o.IsDeleted),
		})
	}
	list, diags := types.ListValue(orgType, elems)
	resp.Diagnostics.Append(diags...)
	config.Organizations = list
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}
