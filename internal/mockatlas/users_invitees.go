package mockatlas

import (
	"encoding/hex"
	"hash/fnv"
	"slices"
)

// PendingUsersFor returns the pending user of each invitation, in the same
// order, as Atlas pairs them in the org users API: status PENDING, the same
// username, the invitation's inviterUsername, createdAt (as
// invitationCreatedAt), expiresAt (as invitationExpiresAt), roles (as
// roles.orgRoles), teamIds and project roles (as roles.groupRoleAssignments,
// one entry per project, in the order the projects first appear), and an
// id of its own next to the invitation's (see neighbourID). Fields the
// invitation lacks the user lacks too.
func PendingUsersFor(invites []Invitation) []User {
	out := make([]User, 0, len(invites))
	for _, inv := range invites {
		out = append(out, User{
			ID:                  neighbourID(inv),
			Username:            inv.Username,
			OrgMembershipStatus: StatusPending,
			Roles: UserRoles{
				OrgRoles:             cloneSlice(inv.Roles),
				GroupRoleAssignments: groupRolesOf(inv.GroupRoleAssignments),
			},
			TeamIDs:             cloneSlice(inv.TeamIDs),
			InviterUsername:     inv.InviterUsername,
			InvitationCreatedAt: inv.CreatedAt,
			InvitationExpiresAt: inv.ExpiresAt,
		})
	}
	return out
}

// neighbourID is the id of inv's pending user. Atlas gives the user an
// ObjectId of its own made at the same time as the invitation's: the same
// 4-byte timestamp and 5-byte random part, the 3-byte counter one higher
// (wrapping). An invitation whose id is not an ObjectId gets an
// ObjectId-shaped hash of its id and username instead, which cannot be
// its id either.
func neighbourID(inv Invitation) string {
	if objectID.MatchString(inv.ID) {
		b, _ := hex.DecodeString(inv.ID)
		counter := (uint32(b[9])<<16 | uint32(b[10])<<8 | uint32(b[11])) + 1
		b[9], b[10], b[11] = byte(counter>>16), byte(counter>>8), byte(counter)
		return hex.EncodeToString(b)
	}
	h := fnv.New128a()
	_, _ = h.Write([]byte(inv.ID + "\x00" + inv.Username))
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// groupRolesOf turns an invitation's project roles (one row per project
// and role) into a user's (one row per project, with its roles), keeping
// the order in which projects and roles first appear and dropping
// repeats.
func groupRolesOf(rows []GroupRole) []UserGroupRoles {
	if rows == nil {
		return nil
	}
	out := make([]UserGroupRoles, 0, len(rows))
	at := map[string]int{}
	for _, r := range rows {
		i, ok := at[r.GroupID]
		if !ok {
			i = len(out)
			at[r.GroupID] = i
			out = append(out, UserGroupRoles{GroupID: r.GroupID})
		}
		g := &out[i]
		if r.GroupRole != "" && !slices.Contains(g.GroupRoles, r.GroupRole) {
			g.GroupRoles = append(g.GroupRoles, r.GroupRole)
		}
	}
	return out
}

// otherStatuses are the membership statuses of users who are not the
// invitees of an organization's open invitations.
var otherStatuses = []string{StatusActive, StatusInvitationExpired, StatusInvitationRejected}

// GenerateOrgUsers returns the users of orgID whose open invitations are
// invites (typically GenerateInvitations(orgID, n)), so that both APIs show
// the same people: PendingUsersFor(invites), then `others` users generated
// as GenerateUsers generates them with statuses ACTIVE,
// INVITATION_EXPIRED and INVITATION_REJECTED in turn, in the projects and
// teams GenerateInvitations gives orgID, and with usernames none of
// GenerateInvitations' invitees has. The same arguments give the same
// result; the order is shuffled, not sorted.
func GenerateOrgUsers(orgID string, invites []Invitation, others int) []User {
	pool := newGeneratorPool("users/"+orgID, 0x5e75)
	same := newGeneratorPool(orgID, 0x6a7c1a5) // GenerateInvitations' pool
	pool.projects, pool.teams = same.projects, same.teams
	// Numbering the others after the invitees keeps their usernames apart.
	out := append(PendingUsersFor(invites), generateUsers(pool, len(invites), others, otherStatuses)...)
	pool.rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}
