package provider

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/provider/diagnostics"
)

// atlasDataSource is embedded in every data source: it names it, receives
// the provider's Atlas client and reports the outcome of each call.
type atlasDataSource struct {
	name   string // type name without the provider prefix
	client *atlas.Client
	conf   *configuredProvider
}

func (d *atlasDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.name
}

func (d *atlasDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.conf = configuredFrom(req.ProviderData, &resp.Diagnostics)
	if d.conf != nil {
		d.client = d.conf.client
	}
}

// failed adds the diagnostic of a failed Atlas call about organization
// orgID ("" for none) and says whether the call failed. A not-found error
// points at the attribute Atlas's errorCode names, else at notFoundAttr
// (path.Empty() for none: a data source with several ids cannot tell which
// one Atlas did not find).
func (d *atlasDataSource) failed(ctx context.Context, diags *diag.Diagnostics, err error, orgID string, notFoundAttr path.Path) bool {
	if err != nil {
		addReadError(ctx, diags, d.client, err, "atlasinv_"+d.name, orgID, notFoundAttr)
		return true
	}
	return false
}

// addReadError words a failed read of dataSource about organization orgID
// ("" for none). An answer that Atlas also gives credentials outside the
// organization is weighed against the organizations they see, read once
// per provider configuration, before any advice: a mistyped org_id must
// never be told to raise a role.
func addReadError(ctx context.Context, diags *diag.Diagnostics, client *atlas.Client, err error, dataSource, orgID string, notFoundAttr path.Path) {
	if orgID == "" || !diagnostics.OrgMayBeWrong(err) {
		diagnostics.AddAtlasError(diags, err, dataSource, notFoundAttr)
		return
	}
	visible, listErr := client.VisibleOrganizations(ctx)
	diagnostics.AddOrgScopedError(diags, err, dataSource, notFoundAttr, orgID, visible, listErr)
}

// invitationsFailed is failed for the data sources on the deprecated
// invitations API: the deprecation warning comes first, with a failed read
// as with a successful one, and an error that means Atlas has retired the
// API says so and shows the replacement, alone: a warning that the API
// will end beside the error that it has ended would tell two stories.
// replacement is the data source block to paste instead.
func (d *atlasDataSource) invitationsFailed(ctx context.Context, diags *diag.Diagnostics, err error, orgID string, notFoundAttr path.Path, r replacement) bool {
	if invitationsRetired(err) {
		d.client.TakeDeprecation() // spent: no later read of this configuration warns either
		addRetiredError(diags, err, r)
		return true
	}
	addDeprecationWarning(diags, d.client, r)
	return d.failed(ctx, diags, err, orgID, notFoundAttr)
}

// configuredFrom takes what the provider configured. A nil provider data
// means Terraform has not configured the provider yet (validation).
func configuredFrom(providerData any, diags *diag.Diagnostics) *configuredProvider {
	if providerData == nil {
		return nil
	}
	conf, ok := providerData.(*configuredProvider)
	if !ok {
		diags.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *configuredProvider, got %T. This is a bug in the provider; please report it.", providerData))
		return nil
	}
	return conf
}

// warnUsernameCase warns, on username, when a read filtered on a username
// with upper-case letters found nothing (found is how many it found): how
// Atlas compares case is not documented, so the capitals may be why, and an
// audit that finds nobody must not pass in silence. A lower-case address
// gets no warning, so that one expected to match nobody can silence it.
// in is where the read looked ("organization <id>"), what the item listed;
// among narrows what was asked, "" for nothing.
func (d *atlasDataSource) warnUsernameCase(diags *diag.Diagnostics, in string, username *string, found int, what, among string) {
	if username == nil || found > 0 {
		return
	}
	lower := strings.ToLower(*username)
	if lower == *username {
		return
	}
	diags.AddAttributeWarning(path.Root("username"), "No Match For A Username With Upper-Case Letters",
		fmt.Sprintf("atlasinv_%s found no %s with username %q in %s%s. Atlas usernames are e-mail "+
			"addresses, typed at sign-up or in the invitation; Atlas documents neither whether it keeps their "+
			"capitals nor how it compares their case, so the capitals may be why nothing matched. Try the address "+
			"in lower case:\n\n  username = %q\n\nA lower-case address that matches nobody gives no warning.",
			d.name, what, *username, in, among, lower))
}

// amongStatuses is what atlasinv_org_users asked for besides the username:
// the membership statuses, sorted, or Atlas's default.
func amongStatuses(statuses []string) string {
	switch len(statuses) {
	case 0:
		return " among its ACTIVE and PENDING users (Atlas's default when org_membership_statuses is left out)"
	case 1:
		return " among its " + statuses[0] + " users"
	}
	return " among its " + strings.Join(statuses[:len(statuses)-1], ", ") + " and " + statuses[len(statuses)-1] + " users"
}

// atlasID is the shape of every Atlas object id.
var atlasID = regexp.MustCompile(`^[a-f0-9]{24}$`)

func atlasIDValidators(what string) []validator.String {
	return []validator.String{stringvalidator.RegexMatches(atlasID,
		"must be the 24-character lower-case hexadecimal id of the "+what)}
}

// orgIDAttribute is the organization to list, as the list data sources take it.
func orgIDAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Id of the Atlas organization (24 lower-case hexadecimal characters, " +
			"shown in the Atlas UI under Organization Settings).",
		Required:   true,
		Validators: atlasIDValidators("Atlas organization (Atlas UI: Organization Settings)"),
	}
}

// exactNameAttribute is the optional name filter of a list data source:
// Atlas's own filter is a case-insensitive prefix match, so the data source
// keeps only exact matches. what names the items ("projects"), every what
// leaving it out lists.
func exactNameAttribute(what, every string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Only list the " + what + " with exactly this name (case included). Leave it out to list " +
			every + ".",
		Optional:   true,
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
	}
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
