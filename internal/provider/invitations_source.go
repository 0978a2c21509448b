package provider

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"go.mongodb.org/atlas-sdk/v20241113001/admin"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/provider/diagnostics"
)

// The values of invitations_source: which Atlas API serves the invitations
// data sources.
const (
	sourceAuto        = "auto"
	sourceInvitations = "invitations"
	sourceOrgUsers    = "org_users"
)

var invitationsSources = []string{sourceAuto, sourceInvitations, sourceOrgUsers}

// configuredProvider is one provider configuration, as every data source of
// it sees it: the Atlas client, and which API serves invitations. In auto,
// the first answer that says Atlas has retired the invitations API switches
// the configuration to the organization users API for the rest of the
// command (Terraform runs each configuration as one process per command).
type configuredProvider struct {
	client  *atlas.Client
	source  string
	retired atomic.Pointer[atlas.Error] // auto only: the answer that retired the invitations API
	warned  atomic.Bool                 // the served-from-users warning was given
	// projectInvitesRetiredWarned: the project invitations API's retirement was told, once per configuration
	projectInvitesRetiredWarned atomic.Bool
}

func newConfiguredProvider(client *atlas.Client, source string) *configuredProvider {
	if source == "" {
		source = sourceAuto
	}
	return &configuredProvider{client: client, source: source}
}

// fromUsers says whether invitations are read from the organization users
// API without asking the invitations API first.
func (p *configuredProvider) fromUsers() bool {
	return p.source == sourceOrgUsers || p.retired.Load() != nil
}

// switchOnRetired switches an auto configuration to the users API when err
// means Atlas has retired the invitations API, and says whether the read
// that got err is to be served from the users API.
func (p *configuredProvider) switchOnRetired(err error) bool {
	var ae *atlas.Error
	if p.source != sourceAuto || !invitationsRetired(err) || !errors.As(err, &ae) {
		return false
	}
	p.retired.CompareAndSwap(nil, ae)
	p.client.TakeDeprecation() // retired, the API's coming end is no longer news: no read warns of it
	return true
}

// readInvitesFromUsers reads an organization's pending invitations from the
// organization users API, in the shape of the invitations API's answer.
func (p *configuredProvider) readInvitesFromUsers(ctx context.Context, diags *diag.Diagnostics, orgID string, username *string) ([]admin.OrganizationInvitation, bool) {
	users, err := p.client.ListOrgUsers(ctx, orgID, atlas.UsersFilter{Username: username, Statuses: []string{"PENDING"}})
	if err != nil {
		addReadError(ctx, diags, p.client, err, "atlasinv_org_invites", orgID, path.Root("org_id"))
		return nil, false
	}
	name, err := p.client.OrganizationName(ctx, orgID)
	if err != nil {
		addOrgNameError(diags, err)
		return nil, false
	}
	p.addServedWarning(diags, usersReplacement(orgID, username))
	invites := make([]admin.OrganizationInvitation, len(users))
	for i := range users {
		invites[i] = invitationFromUser(&users[i], orgID, name)
	}
	return invites, true
}

// invitationFromUser is a pending user as the invitation it stands for:
// the same invitee, inviter, dates (Atlas's recorded answers show them
// equal), organization, team and project roles; the id is the user's, the
// only id the users API has.
func invitationFromUser(u *atlas.User, orgID, orgName string) admin.OrganizationInvitation {
	inv := admin.OrganizationInvitation{
		Id: &u.Id, OrgId: &orgID, OrgName: orgName, Username: &u.Username,
		InviterUsername: u.InviterUsername, CreatedAt: u.InvitationCreatedAt, ExpiresAt: u.InvitationExpiresAt,
		Roles: u.Roles.OrgRoles, TeamIds: u.TeamIds,
	}
	if u.Roles.GroupRoleAssignments != nil {
		var groups []admin.GroupRole
		for _, g := range *u.Roles.GroupRoleAssignments {
			if g.GroupRoles == nil {
				continue
			}
			for _, role := range *g.GroupRoles {
				groups = append(groups, admin.GroupRole{GroupId: g.GroupId, GroupRole: &role})
			}
		}
		inv.GroupRoleAssignments = &groups
	}
	return inv
}

// addServedWarning says, once per provider configuration, that the
// invitations were read from the users API, why, and what changed.
func (p *configuredProvider) addServedWarning(diags *diag.Diagnostics, replacement string) {
	if !p.warned.CompareAndSwap(false, true) {
		return
	}
	why := `invitations_source = "org_users" is set`
	if ae := p.retired.Load(); ae != nil {
		why = fmt.Sprintf("Atlas answered a read of the invitations API with %d %s%s, which means it has retired that API",
			ae.Status, ae.ErrorCode, retiredOn(ae))
	}
	diags.AddWarning("Invitations Read From The Organization Users API",
		fmt.Sprintf("atlasinv_org_invites read the organizations' pending invitations from Atlas's organization users "+
			"API, because %s. The invitations are the same, with the same invitees, inviters, dates and roles, with one "+
			"difference: each invitation's id is now the pending user's id, since the users API has no invitation ids. "+
			"atlasinv_org_invite, which reads one invitation by its id, fails in this configuration.\n\n"+
			"To read the same list on purpose and without this warning, replace the data source with "+
			"atlasinv_org_users:\n\n%s\n\nEach attribute and its counterpart are in %s.",
			why, replacement, migrationGuide))
}

// retiredOn is when the retiring answer says the API ended: its Sunset
// header, else its Date.
func retiredOn(ae *atlas.Error) string {
	switch {
	case ae.Sunset != "":
		return " (its Sunset header gives " + headerDate(ae.Sunset) + ")"
	case ae.Date != "":
		return " (dated " + headerDate(ae.Date) + ")"
	}
	return ""
}

func addOrgNameError(diags *diag.Diagnostics, err error) {
	var ae *atlas.Error
	if !errors.As(err, &ae) {
		diags.AddError("Organization Name Not Read", err.Error())
		return
	}
	diags.AddAttributeError(path.Root("org_id"), "Organization Name Not Read",
		"The pending invitations were read from Atlas's organization users API, which does not carry the "+
			"organization's name that org_name holds; reading it from the organization itself failed: "+
			diagnostics.Summary(ae)+". "+diagnostics.Detail(ae))
}

// addInviteNotServed is atlasinv_org_invite's error where the users API
// serves invitations: it knows no invitation ids.
func (p *configuredProvider) addInviteNotServed(diags *diag.Diagnostics, orgID, invitationID string) {
	why := `invitations_source = "org_users" is set`
	if ae := p.retired.Load(); ae != nil {
		why = fmt.Sprintf("Atlas has retired the invitations API: it answered %d %s%s", ae.Status, ae.ErrorCode, retiredOn(ae))
	}
	placeholder := "the invitee's email address"
	diags.AddAttributeError(path.Root("invitation_id"), "Invitation Ids Unknown To The Organization Users API",
		fmt.Sprintf("This provider configuration reads invitations from Atlas's organization users API, because %s. "+
			"The organization users API has no invitation ids, so invitation %q cannot be read by its id. Read the invitee's pending "+
			"invitation by their email address instead:\n\n%s\n\nEach attribute and its counterpart are in %s.",
			why, invitationID, usersReplacement(orgID, &placeholder), migrationGuide))
}
