package provider

import (
	"cmp"
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource              = &orgProjectsDataSource{}
	_ datasource.DataSourceWithConfigure = &orgProjectsDataSource{}
)

type orgProjectsDataSource struct {
	atlasDataSource
}

type orgProjectsModel struct {
	OrgID    types.String `tfsdk:"org_id"`
	Name     types.String `tfsdk:"name"`
	Projects types.List   `tfsdk:"projects"`
}

// namedType is one element of projects and of teams: what a configuration
// needs to turn an id into a name.
var namedType = types.ObjectType{AttrTypes: map[string]attr.Type{"id": types.StringType, "name": types.StringType}}

// named is an id and its name.
type named struct{ id, name string }

// namedAttribute is the computed list of projects or teams: what names
// the item ("project"), whose id is shown under where in the Atlas UI.
func namedAttribute(what, where, list string) schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		MarkdownDescription: "The " + list + ", every page of them, sorted by `name` and then `id`. Empty when there are none.",
		Computed:            true,
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Id of the " + what + " (24 lower-case hexadecimal characters, " + where + ").",
				Computed:            true,
			},
			"name": schema.StringAttribute{MarkdownDescription: "Name of the " + what + ".", Computed: true},
		}},
	}
}

// namedList sorts items by name, then id (two may share a name), into the
// value of a projects or teams attribute.
func namedList(items []named, diags *diag.Diagnostics) types.List {
	slices.SortFunc(items, func(a, b named) int { return cmp.Or(cmp.Compare(a.name, b.name), cmp.Compare(a.id, b.id)) })
	elems := make([]attr.Value, len(items))
	for i, n := range items {
		elems[i] = types.ObjectValueMust(namedType.AttrTypes, map[string]attr.Value{
			"id": types.StringValue(n.id), "name": types.StringValue(n.name),
		})
	}
	list, d := types.ListValue(namedType, elems)
	diags.Append(d...)
	return list
}

func newOrgProjectsDataSource() datasource.DataSource {
	return &orgProjectsDataSource{atlasDataSource{name: "org_projects"}}
}

func (d *orgProjectsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the projects of a MongoDB Atlas organization with their names, to put a project's " +
			"name beside its id: in `group_role_assignments` of `atlasinv_org_users`, for instance. Reading them needs " +
			"the Organization Member role. Atlas does not document whether it leaves out projects the credentials " +
			"cannot access, so join with `lookup(names, id, id)`, which falls back to the id rather than fail.",
		Attributes: map[string]schema.Attribute{
			"org_id": orgIDAttribute(),
			"name": schema.StringAttribute{
				MarkdownDescription: "Only list the projects with exactly this name (case included). Leave it out to " +
					"list every project.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"projects": namedAttribute("project", "shown in the Atlas UI under Project Settings", "projects"),
		},
	}
}

func (d *orgProjectsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config orgProjectsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID, name := config.OrgID.ValueString(), config.Name.ValueStringPointer()
	projects, err := d.client.ListOrgProjects(ctx, orgID, name)
	if d.failed(ctx, &resp.Diagnostics, err, orgID, path.Root("org_id")) {
		return
	}
	items := make([]named, 0, len(projects))
	for _, p := range projects {
		// Atlas's name filter is a case-insensitive prefix match.
		if name == nil || p.Name == *name {
			items = append(items, named{id: p.GetId(), name: p.Name})
		}
	}
	config.Projects = namedList(items, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}
