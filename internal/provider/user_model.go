package provider

import (
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	usersadmin "go.mongodb.org/atlas-sdk/v20250312020/admin"
)

// This file is the one conversion from Atlas organization users to Terraform
// values, in the style of invite_model.go (and sharing its converter): tftypes
// values built directly, repeated values built once. The schema below and
// these types must describe the same object; a test checks that they do.
// mobileNumber and links are deliberately not exposed: an access audit needs
// no phone number, and state files travel.

var (
	userGroupRolesType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"group_id":    tftypes.String,
		"group_roles": stringSetType,
	}}
	userGroupRolesSetType = tftypes.Set{ElementType: userGroupRolesType}

	// userAttrTypes are the attributes of one user.
	userAttrTypes = map[string]tftypes.Type{
		"id":                     tftypes.String,
		"username":               tftypes.String,
		"org_membership_status":  tftypes.String,
		"org_roles":              stringSetType,
		"group_role_assignments": userGroupRolesSetType,
		"team_ids":               stringSetType,
		"inviter_username":       tftypes.String,
		"invitation_created_at":  tftypes.String,
		"invitation_expires_at":  tftypes.String,
		"created_at":             tftypes.String,
		"last_auth":              tftypes.String,
		"first_name":             tftypes.String,
		"last_name":              tftypes.String,
		"country":                tftypes.String,
	}
	userType     = tftypes.Object{AttributeTypes: userAttrTypes}
	userListType = tftypes.List{ElementType: userType}

	emptyUserGroupRolesSet = tftypes.NewValue(userGroupRolesSetType, []tftypes.Value{})
)

func rfc3339Attr(desc string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, CustomType: timetypes.RFC3339Type{}, MarkdownDescription: desc}
}

// userSchemaAttributes describes one user, for the user.
func userSchemaAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id": schema.StringAttribute{Computed: true,
			MarkdownDescription: "Unique 24-hexadecimal id of the Atlas user (not an invitation id). Never null."},
		"username": schema.StringAttribute{Computed: true,
			MarkdownDescription: "Email address of the user. Never null."},
		"org_membership_status": schema.StringAttribute{Computed: true,
			MarkdownDescription: "`ACTIVE` (a member), `PENDING` (invited, not yet accepted), `INVITATION_EXPIRED` or " +
				"`INVITATION_REJECTED`. Never null."},
		"org_roles": schema.SetAttribute{Computed: true, ElementType: types.StringType,
			MarkdownDescription: "Organization roles, such as `ORG_MEMBER` or `ORG_OWNER` (for an invitation: the roles it grants). " +
				"Empty when Atlas lists none."},
		"group_role_assignments": schema.SetNestedAttribute{Computed: true,
			MarkdownDescription: "Projects the user belongs to (or joins on accepting), each with its project roles. Empty when none.",
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"group_id": schema.StringAttribute{Computed: true,
					MarkdownDescription: "Id of the project (Atlas calls projects groups). Atlas's documentation does not require it, " +
						"so it may be null."},
				"group_roles": schema.SetAttribute{Computed: true, ElementType: types.StringType,
					MarkdownDescription: "Project roles, such as `GROUP_READ_ONLY`. Empty when Atlas lists none."},
			}},
		},
		"team_ids": schema.SetAttribute{Computed: true, ElementType: types.StringType,
			MarkdownDescription: "Ids of the user's teams. Empty when none."},
		"inviter_username": schema.StringAttribute{Computed: true,
			MarkdownDescription: "Email address of the Atlas user who sent the invitation. Null for `ACTIVE` users, whose " +
				"rows carry no invitation fields. Atlas documents it for every `PENDING`, `INVITATION_EXPIRED` and " +
				"`INVITATION_REJECTED` user, but it may be null for one of those too when Atlas leaves it out."},
		"invitation_created_at": rfc3339Attr("When Atlas sent the invitation, as an RFC 3339 timestamp in UTC. " +
			"Null for `ACTIVE` users, whose rows carry no invitation fields. Atlas documents it for every `PENDING`, " +
			"`INVITATION_EXPIRED` and `INVITATION_REJECTED` user, but it may be null for one of those too when Atlas leaves it out."),
		"invitation_expires_at": rfc3339Attr("When the invitation expires (30 days after it was sent), as an RFC 3339 " +
			"timestamp in UTC. Null for `ACTIVE` users and for `INVITATION_REJECTED` ones, and **may be null for a `PENDING` or " +
			"`INVITATION_EXPIRED` user too**: Atlas does not promise an expiry for them. Compare it with `timecmp(...)` " +
			"and `timeadd(...)` only once it is known not to be null, as in " +
			"`u.invitation_expires_at == null ? false : timecmp(u.invitation_expires_at, ...) < 0`: `timecmp` fails the plan " +
			"on null, and `u.invitation_expires_at != null && timecmp(...)` is no guard on Terraform 1.8 and older, " +
			"whose `&&` evaluates both sides."),
		"created_at": rfc3339Attr("When the user's Atlas account was created, as an RFC 3339 timestamp in UTC. " +
			"Null for `PENDING`, `INVITATION_EXPIRED` and `INVITATION_REJECTED` users, whose rows carry no profile fields. " +
			"Atlas documents it for every `ACTIVE` user, but it may be null for one when Atlas leaves it out."),
		"last_auth": rfc3339Attr("When the user last signed in to Atlas, as an RFC 3339 timestamp in UTC. " +
			"Null for `PENDING`, `INVITATION_EXPIRED` and `INVITATION_REJECTED` users, whose rows carry no profile fields, " +
			"and may be null for an `ACTIVE` user too (one who never signed in, for instance)."),
		"first_name": schema.StringAttribute{Computed: true,
			MarkdownDescription: "The user's first name. Null for `PENDING`, `INVITATION_EXPIRED` and `INVITATION_REJECTED` " +
				"users, whose rows carry no profile fields. Atlas documents it for every `ACTIVE` user, but it may be null " +
				"for one when Atlas leaves it out."},
		"last_name": schema.StringAttribute{Computed: true,
			MarkdownDescription: "The user's last name. Null for `PENDING`, `INVITATION_EXPIRED` and `INVITATION_REJECTED` " +
				"users, whose rows carry no profile fields. Atlas documents it for every `ACTIVE` user, but it may be null " +
				"for one when Atlas leaves it out."},
		"country": schema.StringAttribute{Computed: true,
			MarkdownDescription: "The user's country, as an ISO 3166-1 alpha-2 code such as `US`. Null for `PENDING`, " +
				"`INVITATION_EXPIRED` and `INVITATION_REJECTED` users, whose rows carry no profile fields, and may be null " +
				"for an `ACTIVE` user too, when Atlas has none."},
	}
}

// usersListValue converts the users of every page, sorted by username then
// id (byte-wise) so the plan does not change when Atlas reorders. Users
// alike in both keep the order Atlas sent them in.
func usersListValue(users []usersadmin.OrgUserResponse) tftypes.Value {
	order := byUsernameThenID(len(users), func(i int) (string, string) { return users[i].Username, users[i].Id })
	c := userConverter{converter: newConverter()}
	elems := make([]tftypes.Value, len(order))
	for i, pos := range order {
		elems[i] = tftypes.NewValue(userType, c.attrValues(&users[pos]))
	}
	return tftypes.NewValue(userListType, elems)
}

// userConverter adds the user-only shapes to the shared converter.
type userConverter struct {
	*converter
	assignments []assignmentKey // scratch: a project role set being sorted
}

// assignmentKey is one project's roles with the key that identifies them.
type assignmentKey struct {
	key string
	a   *usersadmin.GroupRoleAssignment
}

func (c *userConverter) attrValues(u *usersadmin.OrgUserResponse) map[string]tftypes.Value {
	return map[string]tftypes.Value{
		"id":                     tftypes.NewValue(tftypes.String, u.Id),
		"username":               tftypes.NewValue(tftypes.String, u.Username),
		"org_membership_status":  c.shared(u.OrgMembershipStatus),
		"org_roles":              c.stringSet(u.Roles.OrgRoles),
		"group_role_assignments": c.groupRolesSet(u.Roles.GroupRoleAssignments),
		"team_ids":               c.stringSet(u.TeamIds),
		"inviter_username":       c.sharedPtr(u.InviterUsername),
		"invitation_created_at":  timeValue(u.InvitationCreatedAt),
		"invitation_expires_at":  timeValue(u.InvitationExpiresAt),
		"created_at":             timeValue(u.CreatedAt),
		"last_auth":              timeValue(u.LastAuth),
		"first_name":             stringValue(u.FirstName),
		"last_name":              stringValue(u.LastName),
		"country":                c.sharedPtr(u.Country),
	}
}

// groupRolesSet builds the set of {group_id, group_roles}, duplicates
// dropped, each distinct element and set built once per converter.
func (c *userConverter) groupRolesSet(items *[]usersadmin.GroupRoleAssignment) tftypes.Value {
	if items == nil || len(*items) == 0 {
		return emptyUserGroupRolesSet
	}
	c.assignments = c.assignments[:0]
	for i := range *items {
		// The key: the project id (self-delimiting), then the role set's
		// key, which stringSet leaves in c.key for a non-empty set.
		a := &(*items)[i]
		roles := "s"
		if a.GroupRoles != nil && len(*a.GroupRoles) > 0 {
			c.stringSet(a.GroupRoles)
			roles = string(c.key)
		}
		key := string(appendKeyString(append(c.key[:0], 'g'), a.GroupId)) + roles
		c.assignments = append(c.assignments, assignmentKey{key, a})
	}
	slices.SortFunc(c.assignments, func(x, y assignmentKey) int { return strings.Compare(x.key, y.key) })
	c.assignments = slices.CompactFunc(c.assignments, func(x, y assignmentKey) bool { return x.key == y.key })
	c.key = append(c.key[:0], 'a')
	for _, e := range c.assignments {
		c.key = appendKeyString(c.key, &e.key)
	}
	setKey := string(c.key)
	if v, ok := c.built[setKey]; ok {
		return v
	}
	elems := make([]tftypes.Value, len(c.assignments))
	for i, e := range c.assignments {
		elems[i] = c.groupRoles(e)
	}
	v := tftypes.NewValue(userGroupRolesSetType, elems)
	c.built[setKey] = v
	return v
}

// groupRoles returns one project's roles object, built once per converter.
func (c *userConverter) groupRoles(e assignmentKey) tftypes.Value {
	key := "p" + e.key
	if v, ok := c.built[key]; ok {
		return v
	}
	v := tftypes.NewValue(userGroupRolesType, map[string]tftypes.Value{
		"group_id":    c.sharedPtr(e.a.GroupId),
		"group_roles": c.stringSet(e.a.GroupRoles),
	})
	c.built[key] = v
	return v
}
