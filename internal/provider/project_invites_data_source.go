package provider

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
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

var (
	_ datasource.DataSource                     = &projectInvitesDataSource{}
	_ datasource.DataSourceWithConfigure        = &projectInvitesDataSource{}
	_ datasource.DataSourceWithConfigValidators = &projectInvitesDataSource{}
)

// projectInvitesInFlight bounds the projects whose invitations are read at
// once in org_id mode, as pages.go bounds the pages of one list.
const projectInvitesInFlight = 9

type projectInvitesDataSource struct {
	atlasDataSource
}

type projectInvitesModel struct {
	ProjectID types.String `tfsdk:"project_id"`
	OrgID     types.String `tfsdk:"org_id"`
	Username  types.String `tfsdk:"username"`
	Invites   types.List   `tfsdk:"invites"`
}

// projectInviteType is one element of invites.
var projectInviteType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"id": types.StringType, "project_id": types.StringType, "project_name": types.StringType,
	"username": types.StringType, "inviter_username": types.StringType,
	"created_at": timetypes.RFC3339Type{}, "expires_at": timetypes.RFC3339Type{},
	"roles": types.ListType{ElemType: types.StringType},
}}

func newProjectInvitesDataSource() datasource.DataSource {
	return &projectInvitesDataSource{atlasDataSource{name: "project_invites"}}
}

func (d *projectInvitesDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("project_id"), path.MatchRoot("org_id")),
	}
}

func (d *projectInvitesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	orgID := orgIDAttribute()
	orgID.Required, orgID.Optional = false, true
	orgID.MarkdownDescription = "Id of an Atlas organization (24 lower-case hexadecimal characters, shown in the " +
		"Atlas UI under Organization Settings): list the invitations of every one of its projects. Set exactly one " +
		"of `org_id` and `project_id`."
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the pending project invitations of one MongoDB Atlas project, or of every project " +
			"of an organization: Atlas's older way to invite someone, which neither `atlasinv_org_invites` nor " +
			"`atlasinv_org_users` shows. Atlas has deprecated the project invitations API; the provider warns with " +
			"the dates Atlas announces. Reading a project's invitations needs the Project Owner role in it (an " +
			"Organization Owner has it in every project); listing an organization's projects needs Organization " +
			"Member. A project whose invitations cannot be read fails the read: none is skipped. With `org_id`, the " +
			"projects read are those Atlas lists for the organization, and Atlas does not document whether that " +
			"list leaves out projects the credentials cannot access: for a complete audit, use credentials with " +
			"Project Owner in every project (an Organization Owner has it). Invitations expire 30 days after " +
			"Atlas sends them.",
		Attributes: map[string]schema.Attribute{
			"project_id": schema.StringAttribute{
				MarkdownDescription: "Id of one Atlas project (24 lower-case hexadecimal characters, shown in the Atlas " +
					"UI under Project Settings): list its invitations. Set exactly one of `project_id` and `org_id`.",
				Optional:   true,
				Validators: atlasIDValidators("Atlas project (Atlas UI: Project Settings)"),
			},
			"org_id": orgID,
			"username": schema.StringAttribute{
				MarkdownDescription: "Only list the invitations of this username (an e-mail address), as Atlas " +
					"filters them. Leave it out to list every pending invitation.",
				Optional:   true,
				Validators: []validator.String{usernameValidator{what: "invitation"}},
			},
			"invites": schema.ListNestedAttribute{
				MarkdownDescription: "The pending project invitations, sorted by `username`, then `project_id`, then " +
					"`id`. Empty when there are none, and after Atlas retires the project invitations API (see the " +
					"warning it then gives).",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":               computed("Id of the invitation."),
					"project_id":       computed("Id of the project the invitation is to."),
					"project_name":     computed("Name of the project the invitation is to."),
					"username":         computed("Username (e-mail address) of the person invited."),
					"inviter_username": computed("Who sent the invitation: a username, or an API key's public key when a key sent it."),
					"created_at": schema.StringAttribute{Computed: true, CustomType: timetypes.RFC3339Type{},
						MarkdownDescription: "When Atlas sent the invitation, as an RFC 3339 timestamp in UTC."},
					"expires_at": schema.StringAttribute{Computed: true, CustomType: timetypes.RFC3339Type{},
						MarkdownDescription: "When the invitation expires (30 days after it was sent), as an RFC 3339 " +
							"timestamp in UTC. Compare it with `timecmp(...)` and `timeadd(...)`."},
					"roles": schema.ListAttribute{Computed: true, ElementType: types.StringType,
						MarkdownDescription: "The project roles the invitation grants, such as `GROUP_OWNER`, sorted."},
				}},
			},
		},
	}
}

func (d *projectInvitesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config projectInvitesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	username := config.Username.ValueStringPointer()
	var invites []atlas.ProjectInvitation
	var ok bool
	in := "organization " + config.OrgID.ValueString()
	if projectID := config.ProjectID.ValueString(); projectID != "" {
		in = "project " + projectID
		invites, ok = d.readProject(ctx, &resp.Diagnostics, projectID, username)
	} else {
		invites, ok = d.readOrg(ctx, &resp.Diagnostics, config.OrgID.ValueString(), username)
	}
	if !ok {
		return
	}
	// Once the API is retired the list is empty for that reason alone.
	if !d.conf.projectInvitesRetiredWarned.Load() {
		d.warnUsernameCase(&resp.Diagnostics, in, username, len(invites), "pending project invitation", "")
	}
	config.Invites = projectInvitesList(invites, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}

// readProject reads one project's invitations. A refusal is weighed
// against the projects the credentials see before any role is advised.
func (d *projectInvitesDataSource) readProject(ctx context.Context, diags *diag.Diagnostics, projectID string, username *string) ([]atlas.ProjectInvitation, bool) {
	invites, err := d.client.ListProjectInvitations(ctx, projectID, username)
	if d.projectInvitationsEnd(diags, err) {
		return nil, !diags.HasError()
	}
	if err == nil {
		return invites, true
	}
	if !diagnostics.ProjectMayBeWrong(err) {
		diagnostics.AddAtlasError(diags, err, "atlasinv_"+d.name, path.Root("project_id"))
		return nil, false
	}
	visible, listErr := d.client.VisibleProjects(ctx)
	diagnostics.AddProjectScopedError(diags, err, "atlasinv_"+d.name, projectID, visible, listErr)
	return nil, false
}

// projectFailure is the failed read of one project's invitations.
type projectFailure struct {
	project atlas.Project
	err     error
}

func (f *projectFailure) Error() string { return f.err.Error() }
func (f *projectFailure) Unwrap() error { return f.err }

// readOrg reads the invitations of every project of orgID, at most
// projectInvitesInFlight at once. A project that fails ends the read, named:
// a gap in an audit must never pass as no invitations. After a failure no
// project is started, and those under way finish, so that the project named
// is always the first in Atlas's order that fails, whatever the timing.
func (d *projectInvitesDataSource) readOrg(ctx context.Context, diags *diag.Diagnostics, orgID string, username *string) ([]atlas.ProjectInvitation, bool) {
	projects, err := d.client.ListOrgProjects(ctx, orgID, nil)
	if d.failed(ctx, diags, err, orgID, path.Root("org_id")) {
		return nil, false
	}
	var (
		mu       sync.Mutex
		all      []atlas.ProjectInvitation
		first    *projectFailure
		firstAt  int
		wg       sync.WaitGroup
		stopping bool
	)
	slots := make(chan struct{}, projectInvitesInFlight)
	for i, p := range projects {
		slots <- struct{}{}
		mu.Lock()
		stop := stopping
		mu.Unlock()
		if stop {
			<-slots
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			invites, err := d.client.ListProjectInvitations(ctx, p.GetId(), username)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				stopping = true
				if first == nil || i < firstAt {
					first, firstAt = &projectFailure{project: p, err: err}, i
				}
				return
			}
			all = append(all, invites...)
		}()
	}
	wg.Wait()
	if first == nil {
		d.projectInvitationsEnd(diags, nil)
		return all, true
	}
	if d.projectInvitationsEnd(diags, first.err) {
		return nil, !diags.HasError()
	}
	var sub diag.Diagnostics
	diagnostics.AddAtlasError(&sub, first.err, "atlasinv_"+d.name, path.Root("org_id"))
	lead := fmt.Sprintf("Reading the invitations of project %q (%s) of organization %s failed, so the list would "+
		"have a gap; no project is skipped. ", first.project.Name, first.project.GetId(), orgID)
	for _, s := range sub.Errors() {
		diags.AddAttributeError(path.Root("org_id"), s.Summary(), lead+s.Detail())
	}
	return nil, false
}

// projectInvitationsEnd gives the project invitations API's deprecation
// warning, once per provider configuration, and says whether err means
// Atlas has retired the API, having then added what that means under
// invitations_source: an error, or one warning per configuration and an
// empty list.
func (d *projectInvitesDataSource) projectInvitationsEnd(diags *diag.Diagnostics, err error) bool {
	if !invitationsRetired(err) {
		if dep, ok := d.client.TakeProjectInvitationsDeprecation(); ok {
			diags.AddWarning("Atlas Project Invitations API Is Deprecated", projectDeprecationDetail(dep))
		}
		return false
	}
	d.client.TakeProjectInvitationsDeprecation() // retired, its coming end is no longer news
	var ae *atlas.Error
	errors.As(err, &ae)
	if d.conf.source == sourceInvitations {
		diags.AddError("Atlas Project Invitations API Retired", "Atlas no longer serves the project invitations API "+
			"that atlasinv_project_invites reads. With invitations_source = \"invitations\" this read fails; with "+
			"\"auto\" (the default) or \"org_users\" it gives an empty list and a warning. "+projectRetiredNote+"\n\n"+ae.Facts())
		return true
	}
	if d.conf.projectInvitesRetiredWarned.CompareAndSwap(false, true) {
		diags.AddWarning("Project Invitations No Longer Readable", "Atlas no longer serves the project invitations "+
			"API, so atlasinv_project_invites lists none: that does not mean there are none. "+projectRetiredNote+
			" This warning is given once per provider configuration.\n\n"+ae.Facts())
	}
	return true
}

// projectRetiredNote says where project invitations show after retirement.
const projectRetiredNote = "Users added to projects since Atlas retired it appear in atlasinv_org_users with " +
	"org_membership_status PENDING until they accept, with their project roles in group_role_assignments."

func projectDeprecationDetail(dep atlas.Deprecation) string {
	return fmt.Sprintf("Atlas has marked the project invitations API, which atlasinv_project_invites reads, deprecated "+
		"since %s and will remove it on %s. After that date this data source gives an empty list and a warning "+
		"(invitations_source \"auto\" or \"org_users\") or fails (\"invitations\"). %s",
		cmp.Or(headerDate(dep.Deprecated), "an unannounced date"), cmp.Or(headerDate(dep.Sunset), "a date Atlas has not announced"),
		projectRetiredNote)
}

// projectInvitesList sorts invites by username, project id and id into the
// value of invites.
func projectInvitesList(invites []atlas.ProjectInvitation, diags *diag.Diagnostics) types.List {
	slices.SortFunc(invites, func(a, b atlas.ProjectInvitation) int {
		return cmp.Or(cmp.Compare(a.GetUsername(), b.GetUsername()), cmp.Compare(a.GetGroupId(), b.GetGroupId()),
			cmp.Compare(a.GetId(), b.GetId()))
	})
	elems := make([]attr.Value, len(invites))
	for i, inv := range invites {
		roles := slices.Sorted(slices.Values(inv.GetRoles()))
		roleValues := make([]attr.Value, len(roles))
		for j, r := range roles {
			roleValues[j] = types.StringValue(r)
		}
		elems[i] = types.ObjectValueMust(projectInviteType.AttrTypes, map[string]attr.Value{
			"id": types.StringPointerValue(inv.Id), "project_id": types.StringPointerValue(inv.GroupId),
			"project_name": types.StringPointerValue(inv.GroupName), "username": types.StringPointerValue(inv.Username),
			"inviter_username": types.StringPointerValue(inv.InviterUsername),
			"created_at":       rfc3339Value(inv.CreatedAt), "expires_at": rfc3339Value(inv.ExpiresAt),
			"roles": types.ListValueMust(types.StringType, roleValues),
		})
	}
	list, d := types.ListValue(projectInviteType, elems)
	diags.Append(d...)
	return list
}

// rfc3339Value is t in UTC, as the other invitation models write times.
func rfc3339Value(t *time.Time) timetypes.RFC3339 {
	if t == nil {
		return timetypes.NewRFC3339Null()
	}
	return timetypes.NewRFC3339ValueMust(t.UTC().Format(time.RFC3339Nano))
}
