package mockatlas

import (
	"crypto/sha256"
	"fmt"
	"reflect"
	"testing"
)

func TestPendingUsersFor(t *testing.T) {
	const (
		p1, p2 = "65eef240daa0eee8b9997f5c", "65eef2417c2999fdafe59325"
		team   = "65badf003cd654af4dfad714"
	)
	tests := []struct {
		name string
		in   Invitation
		want User
	}{
		{
			name: "every field; project roles grouped by project, repeats dropped",
			in: Invitation{
				ID: "6620e2486d132cded6237b2e", OrgID: DemoOrgID, OrgName: DemoOrgName, Username: "a@example.com",
				InviterUsername: "o@example.com", CreatedAt: "2024-04-18T09:05:12Z", ExpiresAt: "2024-05-18T09:05:12Z",
				Roles: []string{"ORG_MEMBER", "ORG_BILLING_ADMIN"}, TeamIDs: []string{team},
				GroupRoleAssignments: []GroupRole{
					{GroupID: p2, GroupRole: "GROUP_READ_ONLY"}, {GroupID: p1, GroupRole: "GROUP_OWNER"},
					{GroupID: p2, GroupRole: "GROUP_DATA_ACCESS_READ_ONLY"}, {GroupID: p2, GroupRole: "GROUP_READ_ONLY"},
				},
			},
			want: User{
				ID: "6620e2486d132cded6237b2f", Username: "a@example.com", OrgMembershipStatus: StatusPending,
				InviterUsername: "o@example.com", InvitationCreatedAt: "2024-04-18T09:05:12Z", InvitationExpiresAt: "2024-05-18T09:05:12Z",
				Roles: UserRoles{
					OrgRoles: []string{"ORG_MEMBER", "ORG_BILLING_ADMIN"},
					GroupRoleAssignments: []UserGroupRoles{
						{GroupID: p2, GroupRoles: []string{"GROUP_READ_ONLY", "GROUP_DATA_ACCESS_READ_ONLY"}},
						{GroupID: p1, GroupRoles: []string{"GROUP_OWNER"}},
					},
				},
				TeamIDs: []string{team},
			},
		},
		{
			name: "only id and username",
			in:   Invitation{ID: "66388e00d91e3f721fcb1971", Username: "c@example.org"},
			want: User{ID: "66388e00d91e3f721fcb1972", Username: "c@example.org", OrgMembershipStatus: StatusPending},
		},
		{
			name: "counter wraps, timestamp and random part kept",
			in:   Invitation{ID: "66388e00d91e3f721fffffff", Username: "w@example.org", Roles: []string{"ORG_READ_ONLY"}},
			want: User{ID: "66388e00d91e3f721f000000", Username: "w@example.org", OrgMembershipStatus: StatusPending,
				Roles: UserRoles{OrgRoles: []string{"ORG_READ_ONLY"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PendingUsersFor([]Invitation{tt.in})
			if len(got) != 1 || !reflect.DeepEqual(got[0], tt.want) {
				t.Fatalf("PendingUsersFor = %#v\nwant %#v", got, []User{tt.want})
			}
			// The user shares nothing with the invitation.
			if len(got[0].Roles.OrgRoles) > 0 {
				got[0].Roles.OrgRoles[0] = "CHANGED"
				if tt.in.Roles[0] == "CHANGED" {
					t.Error("the user's roles alias the invitation's")
				}
			}
		})
	}

	t.Run("an id that is not an ObjectId", func(t *testing.T) {
		got := PendingUsersFor([]Invitation{{ID: "inv-1", Username: "x@example.com"}, {ID: "inv-1", Username: "y@example.com"}})
		if !objectID.MatchString(got[0].ID) || got[0].ID == got[1].ID {
			t.Errorf("ids %s, %s: want distinct ObjectIds", got[0].ID, got[1].ID)
		}
	})
	t.Run("order kept, none empty", func(t *testing.T) {
		invites := GenerateInvitations(GeneratedOrgID(5), 50)
		got := PendingUsersFor(invites)
		for i, u := range got {
			if u.Username != invites[i].Username || u.ID == invites[i].ID || u.ID[:18] != invites[i].ID[:18] {
				t.Fatalf("%d: user %s %s for invitation %s %s", i, u.ID, u.Username, invites[i].ID, invites[i].Username)
			}
		}
		if got := PendingUsersFor(nil); got == nil || len(got) != 0 {
			t.Errorf("PendingUsersFor(nil) = %#v, want empty", got)
		}
	})
}

// DemoUsers builds its pending users with PendingUsersFor; the result is the
// list as it was written out before, field for field.
func TestDemoUsersUnchanged(t *testing.T) {
	const (
		projectA = "65eef240daa0eee8b9997f5c"
		projectB = "65eef2417c2999fdafe59325"
		teamA    = "65badf003cd654af4dfad714"
		teamB    = "65badf0227a0aeb3fee9232f"
		owner    = "owner@coffee.example.com"
	)
	want := []User{
		{ID: "65f1a2b3c4d5e6f708192a3b", Username: owner, OrgMembershipStatus: StatusActive,
			Roles:     UserRoles{OrgRoles: []string{"ORG_OWNER"}},
			CreatedAt: "2023-09-14T08:00:00Z", LastAuth: "2024-05-06T07:55:10Z",
			FirstName: "Olive", LastName: "Owner", Country: "IE", MobileNumber: "2125550123"},
		{ID: "6620e2486d132cded6237b2f", Username: "alice.admin@example.com", OrgMembershipStatus: StatusPending,
			InviterUsername: owner, InvitationCreatedAt: "2024-04-18T09:05:12Z", InvitationExpiresAt: "2024-05-18T09:05:12Z",
			Roles: UserRoles{OrgRoles: []string{"ORG_MEMBER", "ORG_BILLING_ADMIN"}, GroupRoleAssignments: []UserGroupRoles{
				{GroupID: projectA, GroupRoles: []string{"GROUP_OWNER"}},
				{GroupID: projectB, GroupRoles: []string{"GROUP_READ_ONLY", "GROUP_DATA_ACCESS_READ_ONLY"}},
			}},
			TeamIDs: []string{teamB, teamA}},
		{ID: "663212a0174494d6493c9d5d", Username: "bob+atlas@example.com", OrgMembershipStatus: StatusPending,
			InviterUsername: "alice.admin@example.com", InvitationCreatedAt: "2024-05-01T10:00:00Z", InvitationExpiresAt: "2024-05-31T10:00:00Z",
			Roles: UserRoles{OrgRoles: []string{"ORG_MEMBER"}}},
		{ID: "6500aa11bb22cc33dd44ee55", Username: "frank.former@example.com", OrgMembershipStatus: StatusActive,
			Roles:     UserRoles{OrgRoles: []string{"ORG_READ_ONLY"}, GroupRoleAssignments: []UserGroupRoles{{GroupID: projectB, GroupRoles: []string{"GROUP_READ_ONLY"}}}},
			CreatedAt: "2023-10-02T12:00:00Z", LastAuth: "2023-12-20T16:30:00Z",
			FirstName: "Frank", LastName: "Former", Country: "US"},
		{ID: "6601bb22cc33dd44ee55ff66", Username: "grace.gone@example.org", OrgMembershipStatus: StatusInvitationExpired,
			InviterUsername: owner, InvitationCreatedAt: "2024-02-01T09:00:00Z", InvitationExpiresAt: "2024-03-02T09:00:00Z",
			Roles: UserRoles{OrgRoles: []string{"ORG_MEMBER"}}},
		{ID: "6602cc33dd44ee55ff667788", Username: "henry.no@example.net", OrgMembershipStatus: StatusInvitationRejected,
			InviterUsername: owner, InvitationCreatedAt: "2024-03-11T11:11:11Z",
			Roles: UserRoles{OrgRoles: []string{"ORG_READ_ONLY"}}},
		{ID: "6634f290a54dca182530bb1e", Username: "dave@example.net", OrgMembershipStatus: StatusPending,
			InviterUsername: owner, InvitationCreatedAt: "2024-05-03T14:20:00Z", InvitationExpiresAt: "2024-06-02T14:20:00Z",
			Roles: UserRoles{OrgRoles: []string{"ORG_READ_ONLY"},
				GroupRoleAssignments: []UserGroupRoles{{GroupID: projectB, GroupRoles: []string{"GROUP_DATA_ACCESS_READ_ONLY"}}}}},
		{ID: "662fceab3460be31201e69ff", Username: "erin.ops@example.com", OrgMembershipStatus: StatusPending,
			InviterUsername: owner, InvitationCreatedAt: "2024-04-29T16:45:31Z", InvitationExpiresAt: "2024-05-29T16:45:31Z",
			Roles: UserRoles{OrgRoles: []string{"ORG_OWNER"}}, TeamIDs: []string{"65badf038af2211f9ee491c5"}},
		{ID: "66388e00d91e3f721fcb1972", Username: "carol@example.org", OrgMembershipStatus: StatusPending},
	}
	if got := DemoUsers(); !reflect.DeepEqual(got, want) {
		t.Errorf("DemoUsers changed:\n got %#v\nwant %#v", got, want)
	}
}

// GenerateUsers' output is pinned: benchmarks and other packages' tests
// compare runs across changes to this package.
func TestGenerateUsersPinned(t *testing.T) {
	for _, tt := range []struct {
		users []User
		want  string
	}{
		{GenerateUsers(GeneratedOrgID(50), 50, UserStatuses...), "00c60770d84537249db921ab93f4e7bb3e1974aeea8e3661b808e620c63bb9d8"},
		{GenerateUsers(GeneratedOrgID(1234), 1234, UserStatuses...), "e9ab2576f33eb5493b925b0e0088ccee36b8e987e5da52d19ab99bc9501bedd3"},
	} {
		if got := fmt.Sprintf("%x", sha256.Sum256([]byte(fmt.Sprintf("%#v", tt.users)))); got != tt.want {
			t.Errorf("GenerateUsers of %d users changed: %s", len(tt.users), got)
		}
	}
}

// A generated organization's pending users are its invitees; the others
// have the other statuses, in the same projects and teams, and are other
// people.
func TestGenerateOrgUsers(t *testing.T) {
	org := GeneratedOrgID(7)
	invites := GenerateInvitations(org, 40)
	users := GenerateOrgUsers(org, invites, 30)
	if !reflect.DeepEqual(users, GenerateOrgUsers(org, invites, 30)) {
		t.Fatal("GenerateOrgUsers is not deterministic")
	}
	if len(users) != 70 {
		t.Fatalf("%d users, want 70", len(users))
	}
	pending := map[string]User{}
	for _, u := range PendingUsersFor(invites) {
		pending[u.Username] = u
	}
	projects, teams := map[string]bool{}, map[string]bool{}
	for _, inv := range GenerateInvitations(org, 500) { // every project and team of the pool
		for _, g := range inv.GroupRoleAssignments {
			projects[g.GroupID] = true
		}
		for _, id := range inv.TeamIDs {
			teams[id] = true
		}
	}
	statuses := map[string]int{}
	var names, userIDs []string
	for _, u := range users {
		statuses[u.OrgMembershipStatus]++
		names, userIDs = append(names, u.Username), append(userIDs, u.ID)
		if u.OrgMembershipStatus == StatusPending {
			if want, ok := pending[u.Username]; !ok || !reflect.DeepEqual(u, want) {
				t.Errorf("pending %s is not its invitation's user: %#v", u.Username, u)
			}
			continue
		}
		for _, g := range u.Roles.GroupRoleAssignments {
			if !projects[g.GroupID] {
				t.Errorf("%s: project %s is not one of the organization's", u.Username, g.GroupID)
			}
		}
		for _, id := range u.TeamIDs {
			if !teams[id] {
				t.Errorf("%s: team %s is not one of the organization's", u.Username, id)
			}
		}
	}
	want := map[string]int{StatusPending: 40, StatusActive: 10, StatusInvitationExpired: 10, StatusInvitationRejected: 10}
	if !reflect.DeepEqual(statuses, want) {
		t.Errorf("statuses %v, want %v", statuses, want)
	}
	assertUnique(t, "username", names)
	assertUnique(t, "id", userIDs)
	if got := GenerateOrgUsers(org, nil, 0); len(got) != 0 {
		t.Errorf("no invitations, no others: %d users", len(got))
	}
}
