package mockatlas

import (
	"encoding/json"
	"net/mail"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// Property names of the OpenAPI schema OrganizationInvitation (links aside),
// and the orgName pattern it declares.
var (
	schemaProps = map[string]bool{
		"createdAt": true, "expiresAt": true, "groupRoleAssignments": true, "id": true, "inviterUsername": true,
		"orgId": true, "orgName": true, "roles": true, "teamIds": true, "username": true,
	}
	orgNameRE = regexp.MustCompile(`^[\p{L}\p{N}\-_.(),:&@+']{1,64}$`)
)

// checkSchema asserts what the OpenAPI file says of one invitation: known
// properties only, orgName present and well formed, 24-hex ids, RFC 3339
// times, e-mail usernames, unique array items.
func checkSchema(t *testing.T, inv Invitation) {
	t.Helper()
	b, _ := json.Marshal(inv)
	var raw map[string]any
	_ = json.Unmarshal(b, &raw)
	for k := range raw {
		if !schemaProps[k] {
			t.Errorf("%s: property %q is not in the schema", inv.ID, k)
		}
	}
	if !orgNameRE.MatchString(inv.OrgName) {
		t.Errorf("%s: orgName %q does not match the schema pattern", inv.ID, inv.OrgName)
	}
	for _, id := range append([]string{inv.ID, inv.OrgID}, inv.TeamIDs...) {
		if !objectID.MatchString(id) {
			t.Errorf("%s: id %q is not 24 hex", inv.ID, id)
		}
	}
	for _, u := range []string{inv.Username, inv.InviterUsername} {
		if u == "" {
			continue
		}
		if a, err := mail.ParseAddress(u); err != nil || a.Address != u {
			t.Errorf("%s: %q is not an e-mail address", inv.ID, u)
		}
	}
	var created, expires time.Time
	for _, ts := range []struct {
		v   string
		out *time.Time
	}{{inv.CreatedAt, &created}, {inv.ExpiresAt, &expires}} {
		if ts.v == "" {
			continue
		}
		p, err := time.Parse(time.RFC3339, ts.v)
		if err != nil || !strings.HasSuffix(ts.v, "Z") {
			t.Errorf("%s: time %q is not RFC 3339 UTC", inv.ID, ts.v)
		}
		*ts.out = p
	}
	if !created.IsZero() && !expires.After(created) {
		t.Errorf("%s: expires %v not after created %v", inv.ID, expires, created)
	}
	assertUnique(t, inv.ID+" roles", inv.Roles)
	assertUnique(t, inv.ID+" teamIds", inv.TeamIDs)
	var groups []string
	for _, g := range inv.GroupRoleAssignments {
		if !objectID.MatchString(g.GroupID) || !strings.HasPrefix(g.GroupRole, "GROUP_") {
			t.Errorf("%s: group role %+v", inv.ID, g)
		}
		groups = append(groups, g.GroupID+"/"+g.GroupRole)
	}
	assertUnique(t, inv.ID+" groupRoleAssignments", groups)
}

func assertUnique(t *testing.T, what string, vs []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, v := range vs {
		if seen[v] {
			t.Errorf("%s: %q repeated", what, v)
		}
		seen[v] = true
	}
}

func usernames(invs []Invitation) []string {
	var out []string
	for _, inv := range invs {
		out = append(out, inv.Username)
	}
	return out
}

func TestDemoFixtures(t *testing.T) {
	invs := DemoInvitations()
	if len(invs) != 5 {
		t.Fatalf("%d demo invitations", len(invs))
	}
	ids := map[string]bool{}
	var full, plus, minimal int
	for _, inv := range invs {
		checkSchema(t, inv)
		if ids[inv.ID] {
			t.Errorf("id %s repeated", inv.ID)
		}
		ids[inv.ID] = true
		if inv.OrgID != DemoOrgID || inv.OrgName != DemoOrgName {
			t.Errorf("%s: org %s %s", inv.ID, inv.OrgID, inv.OrgName)
		}
		if inv.InviterUsername != "" && inv.CreatedAt != "" && inv.ExpiresAt != "" && len(inv.Roles) > 0 &&
			len(inv.TeamIDs) >= 2 && len(inv.GroupRoleAssignments) >= 2 {
			full++
		}
		if strings.Contains(inv.Username, "+") {
			plus++
		}
		if reflect.DeepEqual(inv, Invitation{ID: inv.ID, OrgID: inv.OrgID, OrgName: inv.OrgName, Username: inv.Username}) {
			minimal++
		}
	}
	if full != 1 || plus != 1 || minimal != 1 {
		t.Errorf("full=%d plus=%d minimal=%d, want one of each", full, plus, minimal)
	}
	if sort.StringsAreSorted(usernames(invs)) {
		t.Error("demo invitations are sorted; they must exercise the provider's sort")
	}
	for _, id := range []string{DemoOrgID} {
		if !objectID.MatchString(id) {
			t.Errorf("DemoOrgID %q is not 24 hex", id)
		}
	}
	if !strings.HasPrefix(DemoClientID, "mdb_sa_id_") || !strings.HasPrefix(DemoClientSecret, "mdb_sa_sk_") {
		t.Error("demo service account does not look like one")
	}
}

func TestGenerateInvitations(t *testing.T) {
	const org = "65a1b2c00000000000000007"
	a := GenerateInvitations(org, 500)
	if !reflect.DeepEqual(a, GenerateInvitations(org, 500)) {
		t.Fatal("not deterministic")
	}
	if len(a) != 500 {
		t.Fatalf("len = %d", len(a))
	}
	ids, users := map[string]bool{}, map[string]bool{}
	plus := 0
	for _, inv := range a {
		checkSchema(t, inv)
		if inv.ID == "" || inv.OrgID != org || inv.OrgName == "" || inv.Username == "" || inv.InviterUsername == "" ||
			inv.CreatedAt == "" || inv.ExpiresAt == "" || len(inv.Roles) == 0 || len(inv.TeamIDs) == 0 || len(inv.GroupRoleAssignments) == 0 {
			t.Fatalf("a field is missing: %+v", inv)
		}
		if ids[inv.ID] || users[inv.Username] {
			t.Fatalf("duplicate id or username: %+v", inv)
		}
		ids[inv.ID], users[inv.Username] = true, true
		if strings.Contains(inv.Username, "+") {
			plus++
		}
	}
	if plus == 0 {
		t.Error("no generated username has a '+'")
	}
	if sort.StringsAreSorted(usernames(a)) {
		t.Error("generated invitations are sorted")
	}
	if b := GenerateInvitations("65a1b2c00000000000000008", 500); reflect.DeepEqual(usernames(a), usernames(b)) {
		t.Error("two organizations got the same invitations")
	}
	for _, n := range []int{0, -1} {
		if got := GenerateInvitations(org, n); got == nil || len(got) != 0 {
			t.Errorf("n=%d: %#v, want empty non-nil", n, got)
		}
	}
}

func TestGeneratedOrgID(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		id := GeneratedOrgID(i)
		if !objectID.MatchString(id) || seen[id] {
			t.Fatalf("GeneratedOrgID(%d) = %q", i, id)
		}
		seen[id] = true
	}
	if GeneratedOrgID(0) != "65a1b2c00000000000000001" {
		t.Errorf("GeneratedOrgID(0) = %s; the printed ids are documented as stable", GeneratedOrgID(0))
	}
}

// LoadDemo's credentials are the ones the constants advertise.
func TestLoadDemoCredentials(t *testing.T) {
	s := New()
	s.LoadDemo()
	if s.apiKeys[DemoPublicKey] != DemoPrivateKey || s.serviceAccounts[DemoClientID] != DemoClientSecret {
		t.Fatal("demo credentials not registered")
	}
	if len(s.orgs[DemoOrgID]) != 5 {
		t.Fatalf("demo org has %d invitations", len(s.orgs[DemoOrgID]))
	}
}

func BenchmarkList10k(b *testing.B) {
	s := New()
	s.AddAccessToken(testToken)
	s.AddOrg(DemoOrgID, GenerateInvitations(DemoOrgID, 10000)...)
	ts := s.Start()
	defer ts.Close()
	c := ts.Client()
	for i := 0; i < b.N; i++ {
		req, _ := newRequest(ts.URL + "/api/atlas/v2/orgs/" + DemoOrgID + "/invites")
		resp, err := c.Do(req)
		if err != nil || resp.StatusCode != 200 {
			b.Fatal(err)
		}
		var out []Invitation
		_ = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if len(out) != 10000 {
			b.Fatalf("got %d", len(out))
		}
	}
}
