package mockatlas

import "time"

// DemoUsers returns the demo organization's users, deliberately not in the
// username order they are served in: every membership status, one user with
// every field, one with only the fields the schema requires, a '+' in a
// username. The pending users are PendingUsersFor(DemoInvitations()).
func DemoUsers() []User {
	const (
		projectB = "65eef2417c2999fdafe59325"
		owner    = "owner@coffee.example.com"
	)
	invitee := map[string]User{}
	for _, u := range PendingUsersFor(DemoInvitations()) {
		invitee[u.Username] = u
	}
	return []User{
		{
			ID: "65f1a2b3c4d5e6f708192a3b", Username: owner, OrgMembershipStatus: StatusActive,
			Roles:     UserRoles{OrgRoles: []string{"ORG_OWNER"}},
			CreatedAt: "2023-09-14T08:00:00Z", LastAuth: "2024-05-06T07:55:10Z",
			FirstName: "Olive", LastName: "Owner", Country: "IE", MobileNumber: "2125550123",
		},
		invitee["alice.admin@example.com"],
		invitee["bob+atlas@example.com"],
		{
			ID: "6500aa11bb22cc33dd44ee55", Username: "frank.former@example.com", OrgMembershipStatus: StatusActive,
			Roles:     UserRoles{OrgRoles: []string{"ORG_READ_ONLY"}, GroupRoleAssignments: []UserGroupRoles{{GroupID: projectB, GroupRoles: []string{"GROUP_READ_ONLY"}}}},
			CreatedAt: "2023-10-02T12:00:00Z", LastAuth: "2023-12-20T16:30:00Z",
			FirstName: "Frank", LastName: "Former", Country: "US",
		},
		{
			ID: "6601bb22cc33dd44ee55ff66", Username: "grace.gone@example.org", OrgMembershipStatus: StatusInvitationExpired,
			InviterUsername: owner, InvitationCreatedAt: "2024-02-01T09:00:00Z", InvitationExpiresAt: "2024-03-02T09:00:00Z",
			Roles: UserRoles{OrgRoles: []string{"ORG_MEMBER"}},
		},
		{
			ID: "6602cc33dd44ee55ff667788", Username: "henry.no@example.net", OrgMembershipStatus: StatusInvitationRejected,
			InviterUsername: owner, InvitationCreatedAt: "2024-03-11T11:11:11Z",
			Roles: UserRoles{OrgRoles: []string{"ORG_READ_ONLY"}},
		},
		invitee["dave@example.net"],
		invitee["erin.ops@example.com"],
		// Only what the schema requires: id, username, status, roles.
		invitee["carol@example.org"],
	}
}

// GenerateUsers returns n realistic users of orgID with every field their
// status has, statuses taken in turn from statuses (PENDING when none):
// 24-hex ids, unique usernames (some with '+' tags), RFC 3339 times, roles,
// teams and project roles from a small per-organization pool. The same
// arguments give the same result; the order is shuffled, not sorted.
func GenerateUsers(orgID string, n int, statuses ...string) []User {
	if len(statuses) == 0 {
		statuses = []string{StatusPending}
	}
	return generateUsers(newGeneratorPool("users/"+orgID, 0x5e75), 0, n, statuses)
}

// generateUsers is GenerateUsers drawing from pool and numbering its n
// people from `from` on: people of different numbers have different
// usernames.
func generateUsers(pool *generatorPool, from, n int, statuses []string) []User {
	out := make([]User, 0, max(n, 0))
	if n <= 0 {
		return out
	}
	rng := pool.rng
	countries := []string{"US", "GB", "DE", "IN", "JP", "BR", "FR", "IE"}

	for i := from; i < from+n; i++ {
		at := pool.at(i)
		first, last, name := pool.person(i)
		u := User{
			ID:                  objectIDAt(at, rng, uint32(i)),
			Username:            name,
			OrgMembershipStatus: statuses[(i-from)%len(statuses)],
			Roles:               UserRoles{OrgRoles: pickDistinct(rng, orgRoles, 1+rng.IntN(2))},
			TeamIDs:             pickDistinct(rng, pool.teams, rng.IntN(3)),
		}
		for _, p := range pickDistinct(rng, pool.projects, 1+rng.IntN(3)) {
			u.Roles.GroupRoleAssignments = append(u.Roles.GroupRoleAssignments,
				UserGroupRoles{GroupID: p, GroupRoles: pickDistinct(rng, groupRoles, 1+rng.IntN(2))})
		}
		switch u.OrgMembershipStatus {
		case StatusActive:
			u.CreatedAt = at.Format(time.RFC3339)
			u.LastAuth = at.Add(time.Duration(rng.IntN(120*24)) * time.Hour).Format(time.RFC3339)
			u.FirstName, u.LastName = first, last
			u.Country = countries[rng.IntN(len(countries))]
		default:
			u.InviterUsername = pool.inviters[rng.IntN(len(pool.inviters))]
			u.InvitationCreatedAt = at.Format(time.RFC3339)
			if u.OrgMembershipStatus != StatusInvitationRejected {
				u.InvitationExpiresAt = at.Add(30 * 24 * time.Hour).Format(time.RFC3339)
			}
		}
		out = append(out, u)
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}
