package mockatlas

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"testing"
	"time"
)

// A moment that is not on a whole second, in a zone other than UTC.
var atNow = time.Date(2031, 7, 14, 9, 30, 15, 123456789, time.FixedZone("X", 2*3600))

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return v
}

// checkOpenInvitations asserts what relative dates promise of open
// invitations: created before now, within the last 30 days, expiring 30
// days after creation (so within the next 30 days), some within 7; and
// everything else as in the fixed fixtures.
func checkOpenInvitations(t *testing.T, fixed, got []Invitation) {
	t.Helper()
	now := atNow.UTC().Truncate(time.Second)
	if len(got) != len(fixed) {
		t.Fatalf("%d invitations, want %d", len(got), len(fixed))
	}
	soon := 0
	for i, inv := range got {
		checkSchema(t, inv)
		f := fixed[i]
		if f.CreatedAt == "" {
			if !reflect.DeepEqual(inv, f) {
				t.Errorf("undated invitation changed: %+v", inv)
			}
			continue
		}
		f.CreatedAt, f.ExpiresAt = inv.CreatedAt, inv.ExpiresAt
		if !reflect.DeepEqual(inv, f) {
			t.Errorf("more than the dates changed:\n%+v\n%+v", inv, fixed[i])
		}
		created, expires := mustTime(t, inv.CreatedAt), mustTime(t, inv.ExpiresAt)
		if !created.Before(now) || now.Sub(created) >= invitationLifetime || expires.Sub(created) != invitationLifetime {
			t.Errorf("%s: created %v, expires %v, now %v", inv.ID, created, expires, now)
		}
		if expires.Sub(now) < 7*day {
			soon++
		}
	}
	if soon == 0 || soon == len(got) {
		t.Errorf("%d of %d invitations expire within 7 days", soon, len(got))
	}
}

func TestDemoInvitationsAt(t *testing.T) {
	got := DemoInvitationsAt(atNow)
	checkOpenInvitations(t, DemoInvitations(), got)
	if !reflect.DeepEqual(got, DemoInvitationsAt(atNow.Add(time.Millisecond))) {
		t.Error("not the same within one second")
	}
	if reflect.DeepEqual(got, DemoInvitationsAt(atNow.Add(time.Hour))) {
		t.Error("an hour later, the same dates")
	}
}

func TestDemoUsersAt(t *testing.T) {
	now := atNow.UTC().Truncate(time.Second)
	got := DemoUsersAt(atNow)
	// The fixed users in their order, and the lapsed invitee after grace.
	var fixed []User
	for _, u := range DemoUsers() {
		fixed = append(fixed, u)
		if u.Username == "grace.gone@example.org" {
			fixed = append(fixed, demoLapsedUser(now))
		}
	}
	pending := map[string]User{}
	for _, u := range PendingUsersFor(DemoInvitationsAt(atNow)) {
		pending[u.Username] = u
	}
	if len(got) != len(fixed) || len(got) != len(DemoUsers())+1 {
		t.Fatalf("%d users, want %d", len(got), len(fixed))
	}
	for i, u := range got {
		if u.ID != fixed[i].ID || u.Username != fixed[i].Username || u.OrgMembershipStatus != fixed[i].OrgMembershipStatus {
			t.Errorf("user %d is %s %s, want %s %s", i, u.ID, u.Username, fixed[i].ID, fixed[i].Username)
		}
		switch u.OrgMembershipStatus {
		case StatusPending:
			if !reflect.DeepEqual(u, pending[u.Username]) {
				t.Errorf("%s: %+v, want its invitation's %+v", u.Username, u, pending[u.Username])
			}
		case StatusActive:
			created, last := mustTime(t, u.CreatedAt), mustTime(t, u.LastAuth)
			if !created.Before(last) || last.After(now) || now.Sub(created) < 365*day {
				t.Errorf("%s: created %v, last auth %v", u.Username, created, last)
			}
		case StatusInvitationExpired:
			if exp := mustTime(t, u.InvitationExpiresAt); !exp.Before(now) || exp.Sub(mustTime(t, u.InvitationCreatedAt)) != invitationLifetime {
				t.Errorf("%s: expired invitation %s..%s", u.Username, u.InvitationCreatedAt, u.InvitationExpiresAt)
			}
		case StatusInvitationRejected:
			if !mustTime(t, u.InvitationCreatedAt).Before(now) || u.InvitationExpiresAt != "" {
				t.Errorf("%s: rejected invitation %s..%s", u.Username, u.InvitationCreatedAt, u.InvitationExpiresAt)
			}
		}
	}
}

func TestGenerateInvitationsAt(t *testing.T) {
	org := GeneratedOrgID(3)
	fixed, got := GenerateInvitations(org, 300), GenerateInvitationsAt(org, 300, atNow)
	checkOpenInvitations(t, fixed, got)
	// Created in the same order as the fixed ones.
	order := func(invs []Invitation) []string {
		s := slices.Clone(invs)
		slices.SortStableFunc(s, func(a, b Invitation) int { return mustTime(t, a.CreatedAt).Compare(mustTime(t, b.CreatedAt)) })
		var ids []string
		for _, inv := range s {
			ids = append(ids, inv.ID)
		}
		return ids
	}
	if !slices.Equal(order(fixed), order(got)) {
		t.Error("creation order changed")
	}
	if one := GenerateInvitationsAt(org, 1, atNow); len(one) != 1 || mustTime(t, one[0].ExpiresAt).Before(atNow) {
		t.Errorf("one invitation: %+v", one)
	}
	if none := GenerateInvitationsAt(org, 0, atNow); len(none) != 0 {
		t.Errorf("no invitations: %+v", none)
	}
}

func TestGenerateOrgUsersAt(t *testing.T) {
	now := atNow.UTC().Truncate(time.Second)
	org := GeneratedOrgID(4)
	invites := GenerateInvitationsAt(org, 40, atNow)
	got := GenerateOrgUsersAt(org, invites, 30, atNow)
	fixed := GenerateOrgUsers(org, GenerateInvitations(org, 40), 30)
	if !reflect.DeepEqual(got, GenerateOrgUsersAt(org, invites, 30, atNow)) {
		t.Error("not deterministic")
	}
	pending := map[string]User{}
	for _, u := range PendingUsersFor(invites) {
		pending[u.ID] = u
	}
	for i, u := range got {
		if u.ID != fixed[i].ID || u.Username != fixed[i].Username || u.OrgMembershipStatus != fixed[i].OrgMembershipStatus {
			t.Fatalf("user %d is %s %s, want %s %s", i, u.ID, u.Username, fixed[i].ID, fixed[i].Username)
		}
		switch u.OrgMembershipStatus {
		case StatusPending:
			if !reflect.DeepEqual(u, pending[u.ID]) {
				t.Errorf("%s: not its invitation's dates", u.Username)
			}
		case StatusActive:
			created, last := mustTime(t, u.CreatedAt), mustTime(t, u.LastAuth)
			if last.Before(created) || last.After(now) || now.Sub(created) > 730*day {
				t.Errorf("%s: created %v, last auth %v", u.Username, created, last)
			}
		case StatusInvitationExpired:
			created, exp := mustTime(t, u.InvitationCreatedAt), mustTime(t, u.InvitationExpiresAt)
			if !exp.Before(now) || exp.Sub(created) != invitationLifetime || now.Sub(exp) > 121*day {
				t.Errorf("%s: expired invitation %v..%v", u.Username, created, exp)
			}
		case StatusInvitationRejected:
			if c := mustTime(t, u.InvitationCreatedAt); !c.Before(now) || now.Sub(c) > 60*day || u.InvitationExpiresAt != "" {
				t.Errorf("%s: rejected invitation %v", u.Username, c)
			}
		}
	}
}

// LoadDemoAt serves the relative dates; LoadDemo keeps the fixed ones.
func TestLoadDemoAt(t *testing.T) {
	s := New()
	s.LoadDemoAt(atNow)
	s.AddAccessToken(testToken)
	ts := s.Start()
	defer ts.Close()
	_, _, body := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID), bearer())
	if got := decodeInvites(t, body); !reflect.DeepEqual(got, DemoInvitationsAt(atNow)) {
		t.Errorf("served %+v", got)
	}
	_, _, body = do(t, nil, http.MethodGet, usersURL(ts.URL, DemoOrgID, map[string][]string{"orgMembershipStatuses": UserStatuses}), usersAs(UsersMediaType))
	if n := len(decodeUsersPage(t, body).Results); n != len(DemoUsersAt(atNow)) {
		t.Errorf("served %d users", n)
	}
}

// The ages a policy on age needs, whatever the clock: open invitations
// spread over their 30 days, one expiring within 24 hours; every one made
// before now and expiring after it, 30 days after it was made.
func TestDemoInvitationsAtAges(t *testing.T) {
	for _, clock := range []time.Time{atNow, time.Now(), time.Date(2024, 2, 29, 23, 59, 59, 0, time.UTC)} {
		t.Run(clock.Format(time.RFC3339), func(t *testing.T) {
			now := clock.UTC().Truncate(time.Second)
			var ages []time.Duration
			withinADay := 0
			for _, inv := range DemoInvitationsAt(clock) {
				if inv.CreatedAt == "" {
					continue // carol's, which has no dates in Atlas's answer either
				}
				created, expires := mustTime(t, inv.CreatedAt), mustTime(t, inv.ExpiresAt)
				if expires.Sub(created) != 30*24*time.Hour {
					t.Errorf("%s: expires %v after it was made, want 30 days", inv.Username, expires.Sub(created))
				}
				if !created.Before(now) || !expires.After(now) || now.Sub(created) >= 30*24*time.Hour {
					t.Errorf("%s: made %s, expires %s: not open at %s", inv.Username, inv.CreatedAt, inv.ExpiresAt, now.Format(time.RFC3339))
				}
				if expires.Sub(now) <= 24*time.Hour {
					withinADay++
				}
				ages = append(ages, now.Sub(created))
			}
			slices.Sort(ages)
			if withinADay != 1 {
				t.Errorf("%d invitations expire within 24 hours, want 1", withinADay)
			}
			// Several ages: under a week, and over three weeks, apart.
			if len(ages) < 4 || ages[0] > 7*24*time.Hour || ages[len(ages)-1] < 21*24*time.Hour {
				t.Errorf("ages %v", ages)
			}
		})
	}
}

// The INVITATION_EXPIRED users of the relative demo: invitations made over
// 30 days ago that expired 30 days after, one within the last day and one
// months ago; and, in the mock's reading, no longer in the invitations API.
func TestDemoUsersAtExpiredInvitations(t *testing.T) {
	now := atNow.UTC().Truncate(time.Second)
	open := map[string]bool{}
	for _, inv := range DemoInvitationsAt(atNow) {
		open[inv.Username] = true
	}
	var sinceExpiry []time.Duration
	for _, u := range DemoUsersAt(atNow) {
		if u.OrgMembershipStatus != StatusInvitationExpired {
			continue
		}
		created, expired := mustTime(t, u.InvitationCreatedAt), mustTime(t, u.InvitationExpiresAt)
		if now.Sub(created) <= 30*24*time.Hour || expired.Sub(created) != 30*24*time.Hour || !expired.Before(now) {
			t.Errorf("%s: invitation made %s, expired %s, now %s", u.Username, u.InvitationCreatedAt, u.InvitationExpiresAt, now.Format(time.RFC3339))
		}
		if open[u.Username] {
			t.Errorf("%s: expired, yet listed by the invitations API", u.Username)
		}
		sinceExpiry = append(sinceExpiry, now.Sub(expired))
	}
	slices.Sort(sinceExpiry)
	if len(sinceExpiry) < 2 || sinceExpiry[0] > 24*time.Hour || sinceExpiry[len(sinceExpiry)-1] < 30*24*time.Hour {
		t.Errorf("time since the expired invitations expired: %v, want one within a day and one over 30 days", sinceExpiry)
	}
}

// As served: the invitations API lists the open invitations, each the
// invitation of a PENDING user, and none of the INVITATION_EXPIRED users
// (the mock's reading), even asked for by name.
func TestLoadDemoAtServesExpiredAsUsersOnly(t *testing.T) {
	s := New()
	s.LoadDemoAt(atNow)
	s.AddAccessToken(testToken)
	ts := s.Start()
	defer ts.Close()
	_, _, body := do(t, nil, http.MethodGet, usersURL(ts.URL, DemoOrgID, url.Values{"orgMembershipStatuses": UserStatuses}), usersAs(UsersMediaType))
	status := map[string]string{}
	expired := 0
	for _, u := range decodeUsersPage(t, body).Results {
		status[u.Username] = u.OrgMembershipStatus
		if u.OrgMembershipStatus == StatusInvitationExpired {
			expired++
			code, _, body := do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID)+"?username="+url.QueryEscape(u.Username), bearer())
			if got := decodeInvites(t, body); code != http.StatusOK || len(got) != 0 {
				t.Errorf("%s: invitations API answers %d %+v, want none", u.Username, code, got)
			}
		}
	}
	_, _, body = do(t, nil, http.MethodGet, invitesURL(ts, DemoOrgID), bearer())
	invites := decodeInvites(t, body)
	for _, inv := range invites {
		if status[inv.Username] != StatusPending {
			t.Errorf("%s: listed, but the user is %q", inv.Username, status[inv.Username])
		}
		if inv.ExpiresAt != "" && !mustTime(t, inv.ExpiresAt).After(atNow) {
			t.Errorf("%s: listed, expired %s", inv.Username, inv.ExpiresAt)
		}
	}
	if expired < 2 || len(invites) != len(DemoInvitations()) {
		t.Errorf("%d expired users, %d invitations", expired, len(invites))
	}
}

// The relative demo's answers conform to Atlas's OpenAPI documents, as the
// fixed demo's do.
func TestLoadDemoAtConformsToOpenAPI(t *testing.T) {
	s := New()
	s.LoadDemoAt(time.Now())
	s.AddAccessToken(testToken)
	ts := s.Start()
	defer ts.Close()
	list := "/api/atlas/v2/orgs/" + DemoOrgID + "/invites"
	doc := loadAtlasSpec(t)
	router := specRouter(t, doc, ts.URL)
	for _, tc := range []conformanceCase{
		{name: "list invitations", op: opList, path: list, auth: viaDigest, want: []int{401, 200}},
		{name: "get the invitation about to expire", op: opGet, path: list + "/" + fullInvite, auth: viaBearer, want: []int{200}},
	} {
		t.Run(tc.name, func(t *testing.T) { checkConformance(t, s, ts.URL, doc, router, tc, undocumentedStatuses) })
	}
	usersDoc := loadUsersSpec(t)
	usersRouter := usersSpecRouter(t, usersDoc, ts.URL)
	for _, st := range UserStatuses {
		tc := conformanceCase{name: fmt.Sprintf("list %s users", st), op: opListUsers,
			path: "/api/atlas/v2/orgs/" + DemoOrgID + "/users?" + url.Values{"orgMembershipStatuses": {st}}.Encode(),
			auth: viaBearer, hdr: map[string]string{"Accept": UsersMediaType}, want: []int{200}}
		t.Run(tc.name, func(t *testing.T) {
			checkConformance(t, s, ts.URL, usersDoc, usersRouter, tc, undocumentedUsersStatuses)
		})
	}
}
