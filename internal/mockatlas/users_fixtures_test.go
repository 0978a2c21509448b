package mockatlas

import (
	"slices"
	"testing"
)

// Each pending demo user is the invitee of one demo invitation, paired as
// Atlas pairs them: neighbouring ObjectIds (same timestamp and random part,
// another counter), and the same times, inviter, roles and teams.
func TestDemoUsersPairWithInvitations(t *testing.T) {
	invites := map[string]Invitation{}
	for _, inv := range DemoInvitations() {
		invites[inv.Username] = inv
	}
	paired := 0
	for _, u := range DemoUsers() {
		if u.OrgMembershipStatus != StatusPending {
			continue
		}
		inv, ok := invites[u.Username]
		if !ok {
			t.Errorf("%s: pending without an invitation", u.Username)
			continue
		}
		delete(invites, u.Username)
		paired++
		if u.ID == inv.ID || u.ID[:18] != inv.ID[:18] {
			t.Errorf("%s: user id %s is not a neighbour of invitation id %s", u.Username, u.ID, inv.ID)
		}
		if u.InvitationCreatedAt != inv.CreatedAt || u.InvitationExpiresAt != inv.ExpiresAt || u.InviterUsername != inv.InviterUsername {
			t.Errorf("%s: user %q..%q by %q, invitation %q..%q by %q", u.Username, u.InvitationCreatedAt, u.InvitationExpiresAt,
				u.InviterUsername, inv.CreatedAt, inv.ExpiresAt, inv.InviterUsername)
		}
		if !sameSet(u.Roles.OrgRoles, inv.Roles) || !sameSet(u.TeamIDs, inv.TeamIDs) {
			t.Errorf("%s: org roles %v / %v, teams %v / %v", u.Username, u.Roles.OrgRoles, inv.Roles, u.TeamIDs, inv.TeamIDs)
		}
		var userGroups, invGroups []string
		for _, g := range u.Roles.GroupRoleAssignments {
			for _, r := range g.GroupRoles {
				userGroups = append(userGroups, g.GroupID+"/"+r)
			}
		}
		for _, g := range inv.GroupRoleAssignments {
			invGroups = append(invGroups, g.GroupID+"/"+g.GroupRole)
		}
		if !sameSet(userGroups, invGroups) {
			t.Errorf("%s: project roles %v, invitation %v", u.Username, userGroups, invGroups)
		}
	}
	if len(invites) != 0 || paired == 0 {
		t.Errorf("%d pairs; invitations without a pending user: %v", paired, invites)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b)) && len(a) == len(b)
}
