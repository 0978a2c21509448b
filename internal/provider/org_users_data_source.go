package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
)

var (
	_ datasource.DataSource              = &orgUsersDataSource{}
	_ datasource.DataSourceWithConfigure = &orgUsersDataSource{}
)

// membershipStatuses are the values orgMembershipStatuses accepts.
var membershipStatuses = []string{"ACTIVE", "PENDING", "INVITATION_EXPIRED", "INVITATION_REJECTED"}

type orgUsersDataSource struct {
	atlasDataSource
}

// orgUsersModel is the data source as Terraform sends it; the computed users
// are written as raw values by the conversion (see user_model.go).
type orgUsersModel struct {
	OrgID    types.String `tfsdk:"org_id"`
	Username types.String `tfsdk:"username"`
	Statuses types.Set    `tfsdk:"org_membership_statuses"`
	Users    types.List   `tfsdk:"users"`
}

func newOrgUsersDataSource() datasource.DataSource {
	return &orgUsersDataSource{atlasDataSource{name: "org_users"}}
}

func (d *orgUsersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the users of a MongoDB Atlas organization with the organization users API " +
			"(version 2025-02-19): members, pending invitations, expired and rejected invitations, with their " +
			"organization, team and project roles. It replaces `atlasinv_org_invites`, whose API Atlas has deprecated " +
			"and will retire on the date its `Sunset` header gives: pending invitations are the users with `org_membership_status = \"PENDING\"`.",
		Attributes: map[string]schema.Attribute{
			"org_id": orgIDAttribute(),
			"username": schema.StringAttribute{
				MarkdownDescription: "Only list the user with this email address. Atlas matches it exactly. " +
					"Leave it out to list every user.",
				Optional:   true,
				Validators: []validator.String{usernameValidator{what: "user"}},
			},
			"org_membership_statuses": schema.SetAttribute{
				MarkdownDescription: "Only list users with these membership statuses, each one of `ACTIVE`, `PENDING`, " +
					"`INVITATION_EXPIRED`, `INVITATION_REJECTED` (upper case). Leave it out for Atlas's default, " +
					"`ACTIVE` and `PENDING` users.",
				Optional:    true,
				ElementType: types.StringType,
				Validators: []validator.Set{
					notEmptySet{},
					setvalidator.ValueStringsAre(stringvalidator.OneOf(membershipStatuses...)),
				},
			},
			"users": schema.ListNestedAttribute{
				MarkdownDescription: "The users, every page of them, sorted by `username` and then `id`. Empty when there are none. " +
					"Phone numbers are not read.",
				Computed:     true,
				NestedObject: schema.NestedAttributeObject{Attributes: userSchemaAttributes()},
			},
		},
	}
}

func (d *orgUsersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config orgUsersModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	filter := atlas.UsersFilter{Username: config.Username.ValueStringPointer()}
	if !config.Statuses.IsNull() {
		resp.Diagnostics.Append(config.Statuses.ElementsAs(ctx, &filter.Statuses, false)...)
		if resp.Diagnostics.HasError() {
			return
		}
		slices.Sort(filter.Statuses) // one query string for one set
	}
	users, err := d.client.ListOrgUsers(ctx, config.OrgID.ValueString(), filter)
	if d.failed(ctx, &resp.Diagnostics, err, config.OrgID.ValueString(), path.Root("org_id")) {
		return
	}
	d.warnUsernameCase(&resp.Diagnostics, "organization "+config.OrgID.ValueString(), filter.Username, len(users), "user", amongStatuses(filter.Statuses))
	statuses, err := config.Statuses.ToTerraformValue(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Internal Error", "org_membership_statuses: "+err.Error())
		return
	}
	resp.State.Raw = tftypes.NewValue(resp.State.Raw.Type(), map[string]tftypes.Value{
		"org_id":                  tftypes.NewValue(tftypes.String, config.OrgID.ValueString()),
		"username":                stringValue(config.Username.ValueStringPointer()),
		"org_membership_statuses": statuses,
		"users":                   usersListValue(users),
	})
}

// notEmptySet refuses an empty set where leaving the attribute out means
// something else (Atlas's default).
type notEmptySet struct{}

func (notEmptySet) Description(context.Context) string {
	return "must not be empty; leave it out for Atlas's default"
}

func (v notEmptySet) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (notEmptySet) ValidateSet(_ context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || len(req.ConfigValue.Elements()) > 0 {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Empty Membership Status Set",
		fmt.Sprintf("%s is an empty set, which would list nobody. Leave it out for Atlas's default "+
			"(ACTIVE and PENDING users), or name the statuses to list, e.g. [\"PENDING\"].", req.Path))
}
