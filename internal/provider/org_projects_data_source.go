package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
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
			"org_id":   orgIDAttribute(),
			"name":     exactNameAttribute("projects", "every project"),
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
