package mockatlas

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"time"
)

// Invitation is one fixture, serialised as Atlas JSON (OpenAPI schema
// OrganizationInvitation, without links). Empty strings and nil slices are
// omitted so tests can model fields Atlas leaves out.
type Invitation struct {
	ID                   string      `json:"id,omitempty"`
	OrgID                string      `json:"orgId,omitempty"`
	OrgName              string      `json:"orgName,omitempty"`
	Username             string      `json:"username,omitempty"`
	InviterUsername      string      `json:"inviterUsername,omitempty"`
	CreatedAt            string      `json:"createdAt,omitempty"` // raw, as Atlas sends it, e.g. "2024-05-01T10:00:00Z"
	ExpiresAt            string      `json:"expiresAt,omitempty"`
	Roles                []string    `json:"roles,omitempty"`
	TeamIDs              []string    `json:"teamIds,omitempty"`
	GroupRoleAssignments []GroupRole `json:"groupRoleAssignments,omitempty"`
}

// GroupRole is one project role the invitee gets on accepting.
type GroupRole struct {
	GroupID   string `json:"groupId,omitempty"`
	GroupRole string `json:"groupRole,omitempty"`
}

// clone copies the slices so a fixture cannot change under the server after
// AddOrg.
func (inv Invitation) clone() Invitation {
	inv.Roles = cloneSlice(inv.Roles)
	inv.TeamIDs = cloneSlice(inv.TeamIDs)
	inv.GroupRoleAssignments = cloneSlice(inv.GroupRoleAssignments)
	return inv
}

func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}

// Demo fixtures: what the standalone command and `make demo` serve. None of
// these is a real credential.
const (
	DemoOrgID        = "5f0c0ffee0c0ffee0c0ffee0"
	DemoOrgName      = "Coffee-Demo-Org"
	DemoPublicKey    = "demopub1"
	DemoPrivateKey   = "00000000-0000-4000-8000-0000000000de"
	DemoClientID     = "mdb_sa_id_5f0c0ffee0c0ffee0c0ffee1"
	DemoClientSecret = "mdb_sa_sk_demo-not-a-real-secret"
)

// DemoInvitations returns the demo organization's invitations, deliberately
// not sorted: one with every field, one with a '+' in the username, one with
// only id, orgId, orgName and username. Each is the invitation of a pending
// user of DemoUsers.
func DemoInvitations() []Invitation {
	const (
		projectA = "65eef240daa0eee8b9997f5c"
		projectB = "65eef2417c2999fdafe59325"
		teamA    = "65badf003cd654af4dfad714"
		teamB    = "65badf0227a0aeb3fee9232f"
		teamC    = "65badf038af2211f9ee491c5"
		owner    = "owner@coffee.example.com"
	)
	return []Invitation{
		{
			ID: "6634f290a54dca182530bb1d", OrgID: DemoOrgID, OrgName: DemoOrgName,
			Username: "dave@example.net", InviterUsername: owner,
			CreatedAt: "2024-05-03T14:20:00Z", ExpiresAt: "2024-06-02T14:20:00Z",
			Roles:                []string{"ORG_READ_ONLY"},
			GroupRoleAssignments: []GroupRole{{GroupID: projectB, GroupRole: "GROUP_DATA_ACCESS_READ_ONLY"}},
		},
		{
			ID: "6620e2486d132cded6237b2e", OrgID: DemoOrgID, OrgName: DemoOrgName,
			Username: "alice.admin@example.com", InviterUsername: owner,
			CreatedAt: "2024-04-18T09:05:12Z", ExpiresAt: "2024-05-18T09:05:12Z",
			Roles:   []string{"ORG_MEMBER", "ORG_BILLING_ADMIN"},
			TeamIDs: []string{teamB, teamA},
			GroupRoleAssignments: []GroupRole{
				{GroupID: projectA, GroupRole: "GROUP_OWNER"},
				{GroupID: projectB, GroupRole: "GROUP_READ_ONLY"},
				{GroupID: projectB, GroupRole: "GROUP_DATA_ACCESS_READ_ONLY"},
			},
		},
		{
			ID: "66388e00d91e3f721fcb1971", OrgID: DemoOrgID, OrgName: DemoOrgName,
			Username: "carol@example.org",
		},
		{
			ID: "663212a0174494d6493c9d5c", OrgID: DemoOrgID, OrgName: DemoOrgName,
			Username: "bob+atlas@example.com", InviterUsername: "alice.admin@example.com",
			CreatedAt: "2024-05-01T10:00:00Z", ExpiresAt: "2024-05-31T10:00:00Z",
			Roles: []string{"ORG_MEMBER"},
		},
		{
			ID: "662fceab3460be31201e69fe", OrgID: DemoOrgID, OrgName: DemoOrgName,
			Username: "erin.ops@example.com", InviterUsername: owner,
			CreatedAt: "2024-04-29T16:45:31Z", ExpiresAt: "2024-05-29T16:45:31Z",
			Roles:   []string{"ORG_OWNER"},
			TeamIDs: []string{teamC},
		},
	}
}

// LoadDemo adds the demo organization (named DemoOrgName, with
// DemoInvitations and DemoUsers, DemoProjects with DemoProjectInvitations,
// and DemoTeams), the demo API key and the demo service account.
func (s *Server) LoadDemo() {
	s.loadDemo(DemoInvitations(), DemoUsers(), DemoProjectInvitations())
}

func (s *Server) loadDemo(invites []Invitation, users []User, projectInvites []ProjectInvitation) {
	s.AddOrg(DemoOrgID, invites...)
	s.AddUsers(DemoOrgID, users...)
	s.loadDemoProjects(projectInvites)
	// Named outright, not only through its invitations' orgName, so that
	// getOrganization and listOrganizations serve the name even once the
	// invitations are gone.
	s.SetOrgName(DemoOrgID, DemoOrgName)
	s.AddAPIKey(DemoPublicKey, DemoPrivateKey)
	s.AddServiceAccount(DemoClientID, DemoClientSecret)
}

// GeneratedOrgID is the id of the i-th generated organization (from 0), the
// ones the standalone command's -orgs flag creates.
func GeneratedOrgID(i int) string {
	return fmt.Sprintf("65a1b2c0%016x", uint64(i)+1)
}

var (
	firstNames = []string{"maria", "james", "wei", "aisha", "lucas", "sofia", "kenji", "olga", "tomas", "priya", "noah", "fatima", "liam", "chen", "elena", "omar"}
	lastNames  = []string{"garcia", "smith", "zhang", "okafor", "martin", "rossi", "tanaka", "ivanova", "novak", "sharma", "brown", "haddad", "murphy", "li", "popescu", "khan"}
	domains    = []string{"example.com", "example.org", "example.net", "corp.example.com"}
	orgRoles   = []string{"ORG_MEMBER", "ORG_MEMBER", "ORG_MEMBER", "ORG_READ_ONLY", "ORG_BILLING_ADMIN", "ORG_GROUP_CREATOR", "ORG_BILLING_READ_ONLY", "ORG_OWNER"}
	groupRoles = []string{"GROUP_READ_ONLY", "GROUP_DATA_ACCESS_READ_ONLY", "GROUP_DATA_ACCESS_READ_WRITE", "GROUP_CLUSTER_MANAGER", "GROUP_DATA_ACCESS_ADMIN", "GROUP_OWNER", "GROUP_SEARCH_INDEX_EDITOR"}
)

// GenerateInvitations returns n realistic invitations to orgID with every
// field set: 24-hex ids shaped like ObjectIds, unique usernames (some with
// '+' tags), RFC 3339 times, roles, teams and project roles drawn from a
// small per-organization pool. The same arguments give the same result; the
// order is shuffled, not sorted.
func GenerateInvitations(orgID string, n int) []Invitation {
	out := make([]Invitation, 0, max(n, 0))
	if n <= 0 {
		return out
	}
	pool := newGeneratorPool(orgID, 0x6a7c1a5)
	rng := pool.rng
	orgName := GeneratedOrgName(orgID)

	for i := 0; i < n; i++ {
		created := pool.at(i)
		_, _, user := pool.person(i)
		inv := Invitation{
			ID:              objectIDAt(created, rng, uint32(i)),
			OrgID:           orgID,
			OrgName:         orgName,
			Username:        user,
			InviterUsername: pool.inviters[rng.IntN(len(pool.inviters))],
			CreatedAt:       created.Format(time.RFC3339),
			ExpiresAt:       created.Add(30 * 24 * time.Hour).Format(time.RFC3339),
			Roles:           pickDistinct(rng, orgRoles, 1+rng.IntN(2)),
			TeamIDs:         pickDistinct(rng, pool.teams, 1+rng.IntN(2)),
		}
		for _, p := range pickDistinct(rng, pool.projects, 1+rng.IntN(3)) {
			inv.GroupRoleAssignments = append(inv.GroupRoleAssignments,
				GroupRole{GroupID: p, GroupRole: groupRoles[rng.IntN(len(groupRoles))]})
		}
		out = append(out, inv)
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// generatorPool is what a generator draws from for one organization: a
// random source seeded by the organization, a base time, and the
// organization's projects, teams and inviters.
type generatorPool struct {
	rng                       *rand.Rand
	base                      time.Time
	projects, teams, inviters []string
}

func newGeneratorPool(seed string, stream uint64) *generatorPool {
	h := fnv.New64a()
	_, _ = h.Write([]byte(seed))
	p := &generatorPool{rng: rand.New(rand.NewPCG(h.Sum64(), stream)), projects: make([]string, 6), teams: make([]string, 4),
		inviters: []string{"owner@" + domains[0], "it.admin@" + domains[3], "cto@" + domains[0]}}
	p.base = time.Date(2024, 1, 2, 9, 0, 0, 0, time.UTC).Add(time.Duration(p.rng.IntN(90*24)) * time.Hour)
	for i := range p.projects {
		p.projects[i] = objectIDAt(p.base.Add(-time.Duration(400+i)*time.Hour), p.rng, uint32(i))
	}
	for i := range p.teams {
		p.teams[i] = objectIDAt(p.base.Add(-time.Duration(300+i)*time.Hour), p.rng, uint32(i))
	}
	return p
}

// at is the time of the i-th generated item: about 37 minutes apart.
func (p *generatorPool) at(i int) time.Time {
	return p.base.Add(time.Duration(i)*37*time.Minute + time.Duration(p.rng.IntN(1800))*time.Second)
}

// person is the i-th generated person: names and a unique e-mail address.
func (p *generatorPool) person(i int) (first, last, username string) {
	first, last = firstNames[p.rng.IntN(len(firstNames))], lastNames[p.rng.IntN(len(lastNames))]
	username = fmt.Sprintf("%s.%s%d@%s", first, last, i, domains[p.rng.IntN(len(domains))])
	if i%7 == 3 { // plus-addressing, which must survive URL encoding
		username = fmt.Sprintf("%s.%s+atlas%d@%s", first, last, i, domains[p.rng.IntN(len(domains))])
	}
	return first, last, username
}

// objectIDAt builds an ObjectId-shaped id: 4-byte seconds, 5 random bytes, a
// 3-byte counter (which keeps ids from one call unique).
func objectIDAt(t time.Time, rng *rand.Rand, counter uint32) string {
	var b [12]byte
	binary.BigEndian.PutUint32(b[0:4], uint32(t.Unix()))
	r := rng.Uint64()
	for k := 4; k < 9; k++ {
		b[k] = byte(r >> (8 * (k - 4)))
	}
	b[9], b[10], b[11] = byte(counter>>16), byte(counter>>8), byte(counter)
	return hex.EncodeToString(b[:])
}

// pickDistinct returns up to k distinct values of from (duplicates in from
// only weight the draw).
func pickDistinct(rng *rand.Rand, from []string, k int) []string {
	seen := map[string]bool{}
	var out []string
	for tries := 0; len(out) < k && tries < 8*k; tries++ {
		v := from[rng.IntN(len(from))]
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
