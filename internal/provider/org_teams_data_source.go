package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource              = &orgTeamsDataSource{}
	_ datasource.DataSourceWithConfigure = &orgTeamsDataSource{}
)

type orgTeamsDataSource struct {
	atlasDataSource
}

type orgTeamsModel struct {
	OrgID types.String `tfsdk:"org_id"`
	Teams types.List   `tfsdk:"teams"`
}

func newOrgTeamsDataSource() datasource.DataSource {
	return &orgTeamsDataSource{atlasDataSource{name: "org_teams"}}
}

func (d *orgTeamsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the teams of a MongoDB Atlas organization with their names, to put a team's name " +
			"beside its id: in `team_ids` of `atlasinv_org_users` or `atlasinv_org_invites`, for instance. Reading " +
			"them needs the Organization Member role. Atlas only returns the teams the credentials have access to, " +
			"so join with `lookup(names, id, id)`, which falls back to the id; credentials with the Organization " +
			"Owner role, which has access to every team, see them all.",
		Attributes: map[string]schema.Attribute{
			"org_id": orgIDAttribute(),
			"teams":  namedAttribute("team", "shown in the Atlas UI under Organization Access Manager, Teams", "teams"),
		},
	}
}

func (d *orgTeamsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config orgTeamsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := config.OrgID.ValueString()
	teams, err := d.client.ListOrgTeams(ctx, orgID)
	if d.failed(ctx, &resp.Diagnostics, err, orgID, path.Root("org_id")) {
		return
	}
	items := make([]named, len(teams))
	for i, t := range teams {
		items[i] = named{id: t.GetId(), name: t.GetName()}
	}
	config.Teams = namedList(items, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}
