package mockatlas

import (
	"hash/fnv"
	"time"
)

// Fixtures dated relative to a moment, for the standalone command: with
// the fixed 2024 dates every open invitation has long expired for someone
// trying the provider today. Tests keep the fixed dates (DemoInvitations,
// DemoUsers, GenerateInvitations, GenerateOrgUsers), which they pin. Only
// dates move, so ids stay stable from one run to the next: ids, people,
// roles and order are those of the fixed fixtures, but for one demo user
// whose invitation expired hours ago (demoLapsedUser).
//
// Atlas's invitations expire 30 days after they are made, and an expired
// one shows in the organization users API as INVITATION_EXPIRED. Whether
// the invitations API still lists it is not documented; the mock's reading
// is that it does not. So these fixtures list an invitation only while it
// is open, and show the expired ones as users alone.

const (
	day = 24 * time.Hour
	// invitationLifetime is how long an Atlas invitation stays open.
	invitationLifetime = 30 * day
	// The newest and oldest open invitation GenerateInvitationsAt makes.
	newestInvitation = 45 * time.Minute
	oldestInvitation = 29*day + 12*time.Hour
)

// demoInvitationAges are how long before now each dated demo invitation was
// made, by id: ages across the 30 days, so that a policy on age has
// something on each side of its threshold; alice's expires within a day,
// erin's within 7.
var demoInvitationAges = map[string]time.Duration{
	"6634f290a54dca182530bb1d": 27*time.Hour + 40*time.Minute,                           // dave: 28 days left
	"6620e2486d132cded6237b2e": 29*day + 6*time.Hour + 55*time.Minute,                   // alice: 17 hours 5 minutes left
	"663212a0174494d6493c9d5c": 5*day + 2*time.Hour,                                     // bob: 25 days left
	"662fceab3460be31201e69fe": 23*day + 15*time.Hour + 14*time.Minute + 29*time.Second, // erin: 6 days 8 hours left
}

// ages are how long before now a user was created (or invited) and last
// signed in.
type ages struct{ created, lastAuth time.Duration }

// demoUserAges are the dates of the demo users who are not invitees of an
// open invitation, by id.
var demoUserAges = map[string]ages{
	"65f1a2b3c4d5e6f708192a3b": {created: 601 * day, lastAuth: 2*time.Hour + 5*time.Minute}, // the owner
	"6500aa11bb22cc33dd44ee55": {created: 580 * day, lastAuth: 137 * day},                   // frank, ACTIVE
	"6601bb22cc33dd44ee55ff66": {created: 96 * day},                                         // grace, INVITATION_EXPIRED 66 days ago
	"6602cc33dd44ee55ff667788": {created: 41 * day},                                         // henry, INVITATION_REJECTED
}

// demoLapsedUser is only in the demo dated relative to now: an invitation
// that expired 9 hours before now, next to grace's that expired months
// before, for a policy that tells the two apart. The fixed demo keeps the
// users of Atlas's recorded answer.
func demoLapsedUser(now time.Time) User {
	created := now.Add(-invitationLifetime - 9*time.Hour)
	return User{
		ID: "6603dd44ee55ff6677889900", Username: "ivy.lapsed@example.com", OrgMembershipStatus: StatusInvitationExpired,
		InviterUsername:     "owner@coffee.example.com",
		InvitationCreatedAt: created.Format(time.RFC3339), InvitationExpiresAt: created.Add(invitationLifetime).Format(time.RFC3339),
		Roles: UserRoles{OrgRoles: []string{"ORG_MEMBER"},
			GroupRoleAssignments: []UserGroupRoles{{GroupID: "65eef240daa0eee8b9997f5c", GroupRoles: []string{"GROUP_READ_ONLY"}}}},
	}
}

// DemoInvitationsAt is DemoInvitations dated relative to now: created from
// a day to 29 days ago, each expiring 30 days after it was created, so
// within the next 30 days, one of them within a day and another within 7.
// The invitation without dates keeps none.
func DemoInvitationsAt(now time.Time) []Invitation {
	now = now.UTC().Truncate(time.Second)
	out := DemoInvitations()
	for i := range out {
		if age, ok := demoInvitationAges[out[i].ID]; ok {
			created := now.Add(-age)
			out[i].CreatedAt = created.Format(time.RFC3339)
			out[i].ExpiresAt = created.Add(invitationLifetime).Format(time.RFC3339)
		}
	}
	return out
}

// DemoUsersAt is DemoUsers dated relative to now, with demoLapsedUser after
// grace: the pending users are PendingUsersFor(DemoInvitationsAt(now)); the
// members were created over a year ago and last signed in before now; one
// expired invitation expired months ago, the other hours ago; the rejected
// one was made weeks ago.
func DemoUsersAt(now time.Time) []User {
	now = now.UTC().Truncate(time.Second)
	pending := map[string]User{}
	for _, u := range PendingUsersFor(DemoInvitationsAt(now)) {
		pending[u.Username] = u
	}
	fixed := DemoUsers()
	out := make([]User, 0, len(fixed)+1)
	for _, u := range fixed {
		if p, ok := pending[u.Username]; ok && u.OrgMembershipStatus == StatusPending {
			u = p
		} else if a, ok := demoUserAges[u.ID]; ok {
			redate(&u, now, a)
		}
		out = append(out, u)
		if u.Username == "grace.gone@example.org" {
			out = append(out, demoLapsedUser(now))
		}
	}
	return out
}

// LoadDemoAt is LoadDemo with DemoInvitationsAt(now), DemoUsersAt(now) and
// DemoProjectInvitationsAt(now).
func (s *Server) LoadDemoAt(now time.Time) {
	s.loadDemo(DemoInvitationsAt(now), DemoUsersAt(now), DemoProjectInvitationsAt(now))
}

// GenerateInvitationsAt is GenerateInvitations(orgID, n) dated relative to
// now: the same invitations in the same order, created in the same order
// but within the last 30 days (from 45 minutes to 29.5 days ago, evenly
// spread as the fixed dates are), each expiring 30 days after it was
// created: within the next 30 days, about a fifth of them within 7.
func GenerateInvitationsAt(orgID string, n int, now time.Time) []Invitation {
	now = now.UTC().Truncate(time.Second)
	out := GenerateInvitations(orgID, n)
	times := make([]time.Time, len(out))
	var first, last time.Time
	for i, inv := range out {
		t, err := time.Parse(time.RFC3339, inv.CreatedAt)
		if err != nil {
			continue // never: GenerateInvitations writes RFC 3339
		}
		times[i] = t
		if first.IsZero() || t.Before(first) {
			first = t
		}
		if t.After(last) {
			last = t
		}
	}
	span := last.Sub(first)
	for i := range out {
		age := newestInvitation
		if span > 0 {
			frac := float64(last.Sub(times[i])) / float64(span)
			age += time.Duration(frac * float64(oldestInvitation-newestInvitation))
		}
		created := now.Add(-age).Truncate(time.Second)
		out[i].CreatedAt = created.Format(time.RFC3339)
		out[i].ExpiresAt = created.Add(invitationLifetime).Format(time.RFC3339)
	}
	return out
}

// GenerateOrgUsersAt is GenerateOrgUsers dated relative to now: give it
// GenerateInvitationsAt's invitations, whose dates its pending users carry.
// The other users keep who they are and get dates of their status drawn
// from their id: members created in the last two years who signed in
// since, expired invitations that expired in the last four months,
// rejected ones made in the last two months.
func GenerateOrgUsersAt(orgID string, invites []Invitation, others int, now time.Time) []User {
	now = now.UTC().Truncate(time.Second)
	out := GenerateOrgUsers(orgID, invites, others)
	for i := range out {
		u := &out[i]
		h := fnv.New64a()
		_, _ = h.Write([]byte(u.ID))
		seed := h.Sum64()
		pick := func(lo, hi time.Duration) time.Duration { // in [lo, hi), whole seconds
			seed = seed*6364136223846793005 + 1442695040888963407
			return lo + time.Duration((seed>>11)%uint64((hi-lo)/time.Second))*time.Second
		}
		switch u.OrgMembershipStatus {
		case StatusActive:
			created := pick(30*day, 730*day)
			redate(u, now, ages{created: created, lastAuth: pick(time.Hour, min(created, 90*day))})
		case StatusInvitationExpired:
			redate(u, now, ages{created: pick(invitationLifetime+day, invitationLifetime+120*day)})
		case StatusInvitationRejected:
			redate(u, now, ages{created: pick(day, 60*day)})
		}
	}
	return out
}

// redate gives u the dates a ago: a member its createdAt and lastAuth, an
// invitee its invitationCreatedAt and, if it had one, an
// invitationExpiresAt 30 days later.
func redate(u *User, now time.Time, a ages) {
	created := now.Add(-a.created)
	if u.OrgMembershipStatus == StatusActive {
		u.CreatedAt = created.Format(time.RFC3339)
		u.LastAuth = now.Add(-a.lastAuth).Format(time.RFC3339)
		return
	}
	u.InvitationCreatedAt = created.Format(time.RFC3339)
	if u.InvitationExpiresAt != "" {
		u.InvitationExpiresAt = created.Add(invitationLifetime).Format(time.RFC3339)
	}
}
