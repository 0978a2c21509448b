package mockatlas

import "time"

// DemoUsers returns the demo organization's users, deliberately not in the
// username order they are served in: every membership status, one user with
// every field, one with only the fields the schema requires, a '+' in a
// username. The pending users are the invitees of DemoInvitations, as Atlas
// pairs them: the user's id is a neighbour of the invitation's (same
// timestamp, another counter), and the times, inviter, roles and teams are
// the invitation's.
func DemoUsers() []User {
	const (
		projectA = "65eef240daa0eee8b9997f5c"
		projectB = "65eef2417c2999fdafe59325"
		teamA    = "65badf003cd654af4dfad714"
		teamB    = "65badf0227a0aeb3fee9232f"
		owner    = "owner@coffee.example.com"
	)
	return []User{
		{
			ID: "65f1a2b3c4d5e6f708192a3b", Username: owner, OrgMembershipStatus: StatusActive,
			Roles:     UserRoles{OrgRoles: []string{"ORG_OWNER"}},
			CreatedAt: "2023-09-14T08:00:00Z", LastAuth: "2024-05-06T07:55:10Z",
			FirstName: "Olive", LastName: "Owner", Country: "IE", MobileNumber: "2125550123",
		},
		{
			ID: "6620e2486d132cded6237b2f", Username: "alice.admin@example.com", OrgMembershipStatus: StatusPending,
			InviterUsername: owner, InvitationCreatedAt: "2024-04-18T09:05:12Z", InvitationExpiresAt: "2024-05-18T09:05:12Z",
			Roles: UserRoles{
				OrgRoles: []string{"ORG_MEMBER", "ORG_BILLING_ADMIN"},
				GroupRoleAssignments: []UserGroupRoles{
					{GroupID: projectA, GroupRoles: []string{"GROUP_OWNER"}},
					{GroupID: projectB, GroupRoles: []string{"GROUP_READ_ONLY", "GROUP_DATA_ACCESS_READ_ONLY"}},
				},
			},
			TeamIDs: []string{teamB, teamA},
		},
		{
			ID: "663212a0174494d6493c9d5d", Username: "bob+atlas@example.com", OrgMembershipStatus: StatusPending,
			InviterUsername: "alice.admin@example.com", InvitationCreatedAt: "2024-05-01T10:00:00Z", InvitationExpiresAt: "2024-05-31T10:00:00Z",
			Roles: UserRoles{OrgRoles: []string{"ORG_MEMBER"}},
		},
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
		{
			ID: "6634f290a54dca182530bb1e", Username: "dave@example.net", OrgMembershipStatus: StatusPending,
			InviterUsername: owner, InvitationCreatedAt: "2024-05-03T14:20:00Z", InvitationExpiresAt: "2024-06-02T14:20:00Z",
			Roles: UserRoles{OrgRoles: []string{"ORG_READ_ONLY"},
				GroupRoleAssignments: []UserGroupRoles{{GroupID: projectB, GroupRoles: []string{"GROUP_DATA_ACCESS_READ_ONLY"}}}},
		},
		{
			ID: "662fceab3460be31201e69ff", Username: "erin.ops@example.com", OrgMembershipStatus: StatusPending,
			InviterUsername: owner, InvitationCreatedAt: "2024-04-29T16:45:31Z", InvitationExpiresAt: "2024-05-29T16:45:31Z",
			Roles: UserRoles{OrgRoles: []string{"ORG_OWNER"}}, TeamIDs: []string{"65badf038af2211f9ee491c5"},
		},
		{
			// Only what the schema requires: id, username, status, roles.
			ID: "66388e00d91e3f721fcb1972", Username: "carol@example.org", OrgMembershipStatus: StatusPending,
		},
	}
}

// GenerateUsers returns n realistic users of orgID with every field their
// status has, statuses taken in turn from statuses (PENDING when none):
// 24-hex ids, unique usernames (some with '+' tags), RFC 3339 times, roles,
// teams and project roles from a small per-organization pool. The same
// arguments give the same result; the order is shuffled, not sorted.
func GenerateUsers(orgID string, n int, statuses ...string) []User {
	out := make([]User, 0, max(n, 0))
	if n <= 0 {
		return out
	}
	if len(statuses) == 0 {
		statuses = []string{StatusPending}
	}
	pool := newGeneratorPool("users/"+orgID, 0x5e75)
	rng := pool.rng
	countries := []string{"US", "GB", "DE", "IN", "JP", "BR", "FR", "IE"}

	for i := 0; i < n; i++ {
		at := pool.at(i)
		first, last, name := pool.person(i)
		u := User{
			ID:                  objectIDAt(at, rng, uint32(i)),
			Username:            name,
			OrgMembershipStatus: statuses[i%len(statuses)],
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
