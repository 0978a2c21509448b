package main

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/cmd/planbench/floor/shape"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// scenario is one plan, made with atlasinv against the mock and with the
// floor provider for comparison. A new scenario is one more entry in
// scenarios(): what atlasinv reads (Source), what the mock serves (Serve,
// Fault) and what must hold (the targets).
type scenario struct {
	ID, Title string
	Auth      authMode
	Orgs      []string // one data source per organization
	PerOrg    int      // objects the mock serves for each
	Source    source   // what atlasinv reads; zero: atlasinv_org_invites
	// InvitationsSource is atlasinv's provider attribute invitations_source
	// (a provider block in the configuration); empty: not set.
	InvitationsSource string
	// Serve gives the mock one organization's fixtures; nil: n invitations
	// from mockatlas.GenerateInvitations.
	Serve func(m *mockatlas.Server, orgID string, n int)
	// Fault, when set, applies to every API request during the scenario's
	// atlasinv plans (for example a Delay: latency).
	Fault *mockatlas.Fault
	// PageDelay is how long the mock waits before each page of the org
	// users API during the scenario's atlasinv plans.
	PageDelay time.Duration
	// Latency is how long the mock waits before every answer during the
	// scenario's plans (mockatlas SetLatency): a round trip to Atlas, which
	// a digest challenge pays too.
	Latency time.Duration
	Floors  []floorVariant // the first is the one the targets compare with
	// Versus, when set, is the scenario whose atlasinv plans the time and
	// RSS targets compare with instead of the first floor; it runs whenever
	// this one does.
	Versus string
	// Targets: atlasinv's median plan time and peak RSS at most this many
	// times the reference's (0: none); atlasinv's median plan time at most
	// AddedTarget seconds above Versus's (0: none); and request counts that
	// must hold in every timed plan.
	TimeTarget, RSSTarget, AddedTarget float64
	Wire                               []wireTarget
}

type authMode string

const (
	authDigest         authMode = "digest"
	authServiceAccount authMode = "service account"
	authAccessToken    authMode = "access token"
)

// benchAccessToken is the access token the mock accepts in the
// access-token scenarios; it grants nothing anywhere else.
const benchAccessToken = "planbench-access-token"

// source is the data source atlasinv reads in a scenario: its type, the
// computed list whose length the plan's output sums, any attributes beside
// org_id (HCL lines), and the floor's data source of the same shape (empty:
// floor_org_invites).
type source struct{ Type, List, Attrs, Floor string }

var (
	invitesSource = source{Type: "atlasinv_org_invites", List: "invites"}
	// pendingUsers are the invitations as the org users API has them.
	pendingUsers = source{Type: "atlasinv_org_users", List: "users", Attrs: `org_membership_statuses = ["PENDING"]` + "\n"}
	// projectInvites are the invitations of every project of the
	// organization (org_id mode).
	projectInvites = source{Type: "atlasinv_project_invites", List: "invites", Floor: "floor_project_invites"}
)

// floorVariant is how the floor provider builds its objects: Raw sets
// tftypes values directly (org_id = "raw"), otherwise the ordinary framework
// way.
type floorVariant struct{ Raw bool }

func (f floorVariant) label() string {
	if f.Raw {
		return "floor raw"
	}
	return "floor framework"
}

// wireTarget is a count the mock sees in each timed atlasinv plan, which
// must lie within [Min, Max] in every one (Min == Max: exactly).
type wireTarget struct {
	What     string
	Of       func(wireStats) float64
	Min, Max float64
}

var (
	tokensPerPlan   = func(w wireStats) float64 { return float64(w.TokenRequests) }
	requestsPerRead = func(w wireStats) float64 { return w.PerRead }
	connsPerPlan    = func(w wireStats) float64 { return float64(w.Connections) }
	// pagesPerPlan counts the answered API requests: a digest client's 401
	// challenges are not pages.
	pagesPerPlan      = func(w wireStats) float64 { return float64(w.APIRequests - w.Unauthorized) }
	challengesPerPlan = func(w wireStats) float64 { return float64(w.Unauthorized) }
	// The answered requests by endpoint: users pages, getOrganization, and
	// all the others (the invitations API, for one).
	usersPagesPerPlan = func(w wireStats) float64 { return float64(w.UsersPages) }
	orgReadsPerPlan   = func(w wireStats) float64 { return float64(w.OrgReads) }
	otherPerPlan      = func(w wireStats) float64 { return float64(w.APIRequests - w.Unauthorized - w.UsersPages - w.OrgReads) }
)

// Generated organizations: GeneratedOrgID indexes of the single-org
// scenarios, and of the first of the 50 that S4 and S5 share.
const (
	manyOrgs        = 50
	invitesPerMany  = 10
	manyOrgsFirstID = 100
	s2OrgID         = 1 // S2 and S8
	usersOrgID      = 5 // S6 and S7
	projectsOrgID   = 6 // S9 and S9d
)

// S2 and S8: 1,000 invitations, S8's as their pending users, which fill 2
// pages of mockatlas.MaxItemsPerPage.
const s2Invites = 1000

// S6 and S7: S3's 10,000 invitations as pending users, over 20 pages of
// mockatlas.MaxItemsPerPage; S7 with the latency of a real Atlas page.
const (
	pendingUserCount = 10000
	usersPageLatency = 50 * time.Millisecond
)

// S9 and S9d (issue 26): atlasinv_project_invites in org_id mode over 200
// projects of shape.ProjectInvitesEach invitations, from a mock that waits
// 50 ms before every answer. The invitations are read at most 9 projects at
// once: 23 rounds after the one page of projects, 1.2 s of waiting with an
// access token, twice that with digest, whose challenge is a round trip of
// its own.
const (
	orgProjects     = 200
	projectsLatency = 50 * time.Millisecond
	projectsReadMax = 2.0 // the bound on the read, in seconds: S9 over its floor, and the Go benchmark
)

// scenarios are S1 to S5 (invitations from mockatlas.GenerateInvitations)
// and S2= and S3=: the same sizes with invitations shaped like the floor's,
// so the state Terraform handles is the same on both sides. Generated
// invitations carry more set elements (one or two roles, one or two teams,
// one to three project roles against the floor's two, none and one), and
// Terraform's and the framework's own work grows with them. S6 and S7 read
// S3's count as pending users through atlasinv_org_users (issue 9): S6 is
// held to S3's atlasinv plans, S7 to S6's. S8 reads S2's invitations, as
// their pending users, through atlasinv_org_invites with invitations_source
// = "org_users", and is held to S2's atlasinv plans. S9 reads the
// invitations of 200 projects at 50 ms a round trip with an access token,
// and may add at most 2 s to the plan of the same-shape floor; S9d is S9
// with digest, measured beside it, with no target of time.
func scenarios() []scenario {
	many := make([]string, manyOrgs)
	for i := range many {
		many[i] = mockatlas.GeneratedOrgID(manyOrgsFirstID + i)
	}
	one := func(i int) []string { return []string{mockatlas.GeneratedOrgID(i)} }
	raw, framework := floorVariant{Raw: true}, floorVariant{}
	return []scenario{
		{ID: "S1", Title: "1 data source, 1 invitation, digest", Auth: authDigest,
			Orgs: one(0), PerOrg: 1, Floors: []floorVariant{framework}, TimeTarget: 1.20},
		{ID: "S2", Title: "1 data source, 1,000 invitations, digest", Auth: authDigest,
			Orgs: one(s2OrgID), PerOrg: s2Invites, Floors: []floorVariant{raw}, TimeTarget: 1.15},
		{ID: "S2=", Title: "S2 with the floor's invitation shape", Auth: authDigest,
			Orgs: one(3), PerOrg: 1000, Serve: floorShaped, Floors: []floorVariant{raw}, TimeTarget: 1.15},
		{ID: "S3", Title: "1 data source, 10,000 invitations, digest", Auth: authDigest,
			Orgs: one(2), PerOrg: 10000, Floors: []floorVariant{raw, framework}, TimeTarget: 1.15, RSSTarget: 1.30},
		{ID: "S3=", Title: "S3 with the floor's invitation shape", Auth: authDigest,
			Orgs: one(4), PerOrg: 10000, Serve: floorShaped,
			Floors: []floorVariant{raw, framework}, TimeTarget: 1.15, RSSTarget: 1.30},
		{ID: "S4", Title: "50 data sources x 10 invitations, service account", Auth: authServiceAccount,
			Orgs: many, PerOrg: invitesPerMany, Floors: []floorVariant{framework},
			Wire: []wireTarget{
				{What: "token requests per plan", Of: tokensPerPlan, Min: 1, Max: 1},
				{What: "API requests per data source", Of: requestsPerRead, Min: 1, Max: 1},
				{What: "TCP connections per plan", Of: connsPerPlan, Max: 10},
			}},
		{ID: "S5", Title: "50 data sources x 10 invitations, digest", Auth: authDigest,
			Orgs: many, PerOrg: invitesPerMany, Floors: []floorVariant{framework},
			Wire: []wireTarget{{What: "API requests per data source", Of: requestsPerRead, Max: 2}}},
		{ID: "S6", Title: "1 data source, 10,000 pending users over 20 pages, digest", Auth: authDigest,
			Orgs: one(usersOrgID), PerOrg: pendingUserCount, Source: pendingUsers, Serve: servePendingUsers,
			Floors: []floorVariant{raw}, Versus: "S3", TimeTarget: 1.25, RSSTarget: 1.30, Wire: usersWire},
		{ID: "S7", Title: "S6 with the mock waiting 50 ms before each page", Auth: authDigest,
			Orgs: one(usersOrgID), PerOrg: pendingUserCount, Source: pendingUsers, Serve: servePendingUsers,
			PageDelay: usersPageLatency, Floors: []floorVariant{raw}, Versus: "S6", AddedTarget: 0.35, Wire: usersWire},
		{ID: "S8", Title: `S2's 1,000 invitations read from the org users API (invitations_source = "org_users")`, Auth: authDigest,
			Orgs: one(s2OrgID), PerOrg: s2Invites, InvitationsSource: "org_users", Serve: serveInvitees,
			Floors: []floorVariant{raw}, Versus: "S2", TimeTarget: 1.20, Wire: inviteesWire},
		{ID: "S9", Title: "1 data source, 200 projects x 5 project invitations, 50 ms a round trip, access token",
			Auth: authAccessToken, Orgs: one(projectsOrgID), PerOrg: orgProjects * shape.ProjectInvitesEach,
			Source: projectInvites, Serve: serveProjects, Latency: projectsLatency,
			Floors: []floorVariant{framework}, AddedTarget: projectsReadMax, Wire: projectsWire(0)},
		{ID: "S9d", Title: "S9 with digest: a challenge round trip before each request", Auth: authDigest,
			Orgs: one(projectsOrgID), PerOrg: orgProjects * shape.ProjectInvitesEach,
			Source: projectInvites, Serve: serveProjects, Latency: projectsLatency,
			Floors: []floorVariant{framework}, Wire: projectsWire(orgProjects + 1)},
	}
}

// projectsWire: S9's read, the one page of projects then each project's
// invitations, each once; challenges answered 401 (digest: one before
// each request); no token requested; within the connection cap.
func projectsWire(challenges float64) []wireTarget {
	return []wireTarget{
		{What: "API requests answered per plan", Of: pagesPerPlan, Min: orgProjects + 1, Max: orgProjects + 1},
		{What: "401 challenges per plan", Of: challengesPerPlan, Min: challenges, Max: challenges},
		{What: "token requests per plan", Of: tokensPerPlan, Min: 0, Max: 0},
		{What: "TCP connections per plan", Of: connsPerPlan, Max: 10},
	}
}

// serveProjects serves n invitations of package shape over n /
// shape.ProjectInvitesEach projects of orgID: field for field what
// floor_project_invites answers.
func serveProjects(m *mockatlas.Server, orgID string, n int) {
	projects := make([]mockatlas.Project, n/shape.ProjectInvitesEach)
	for p := range projects {
		projects[p] = mockatlas.Project{ID: shape.ProjectID(p), Name: shape.ProjectName(p), Created: shape.CreatedAt}
	}
	m.AddProjects(orgID, projects...)
	for i := range n {
		p := i / shape.ProjectInvitesEach
		m.AddProjectInvitations(shape.ProjectID(p), mockatlas.ProjectInvitation{
			ID: shape.ID(i), GroupID: shape.ProjectID(p), GroupName: shape.ProjectName(p),
			Username: shape.Username(i), InviterUsername: shape.Inviter,
			CreatedAt: shape.CreatedAt, ExpiresAt: shape.ExpiresAt, Roles: []string{shape.ProjectRole},
		})
	}
}

// usersWire: every page read once (no re-read: the list does not change),
// within the connection cap. 10,000 users fill 20 pages exactly, so the read
// ends at the empty page 21: only a page that is not full ends a list.
var usersWire = []wireTarget{
	{What: "pages read per plan", Of: pagesPerPlan, Min: pendingUserCount/mockatlas.MaxItemsPerPage + 1, Max: pendingUserCount/mockatlas.MaxItemsPerPage + 1},
	{What: "TCP connections per plan", Of: connsPerPlan, Max: 10},
}

// servePendingUsers serves n generated users, all PENDING.
func servePendingUsers(m *mockatlas.Server, orgID string, n int) {
	m.AddUsers(orgID, mockatlas.GenerateUsers(orgID, n, mockatlas.StatusPending)...)
}

// inviteesWire: S8's read. 1,000 pending users fill 2 pages exactly, so the
// read ends at the empty page 3; then the organization's name, once
// (getOrganization); nothing else (no invitations API); within the
// connection cap.
var inviteesWire = []wireTarget{
	{What: "users pages read per plan", Of: usersPagesPerPlan, Min: s2Invites/mockatlas.MaxItemsPerPage + 1, Max: s2Invites/mockatlas.MaxItemsPerPage + 1},
	{What: "getOrganization reads per plan", Of: orgReadsPerPlan, Min: 1, Max: 1},
	{What: "other API requests per plan", Of: otherPerPlan, Min: 0, Max: 0},
	{What: "TCP connections per plan", Of: connsPerPlan, Max: 10},
}

// serveInvitees serves, in the org users API, the pending user of each of
// the n invitations the default fixtures give orgID (what S2 serves there).
func serveInvitees(m *mockatlas.Server, orgID string, n int) {
	m.AddUsers(orgID, mockatlas.PendingUsersFor(mockatlas.GenerateInvitations(orgID, n))...)
}

func (s scenario) total() int { return len(s.Orgs) * s.PerOrg }

// readsUsers says whether atlasinv reads s's organizations from the org
// users API rather than the invitations API.
func (s scenario) readsUsers() bool {
	return s.Source == pendingUsers || s.InvitationsSource == "org_users"
}

// fixtures is what the mock serves s's organizations from: "invitations",
// "users" (readsUsers) or "projects" (their project invitations).
func (s scenario) fixtures() string {
	switch {
	case s.Source == projectInvites:
		return "projects"
	case s.readsUsers():
		return "users"
	default:
		return "invitations"
	}
}

func (s scenario) selected(only string) bool {
	if only == "" {
		return true
	}
	for _, id := range strings.Split(only, ",") {
		if strings.EqualFold(strings.TrimSpace(id), s.ID) {
			return true
		}
	}
	return false
}

// selectScenarios is the scenarios only names, in table order, with every
// scenario one of them is compared with (Versus).
func selectScenarios(all []scenario, only string) []scenario {
	need := map[string]bool{}
	for _, s := range all {
		if s.selected(only) {
			for id := s.ID; id != "" && !need[id]; {
				need[id] = true
				id = versusOf(all, id)
			}
		}
	}
	var out []scenario
	for _, s := range all {
		if need[s.ID] {
			out = append(out, s)
		}
	}
	return out
}

func versusOf(all []scenario, id string) string {
	for _, s := range all {
		if s.ID == id {
			return s.Versus
		}
	}
	return ""
}

// dirName is a file-system-friendly form of the id.
func (s scenario) dirName() string {
	return strings.ToLower(strings.ReplaceAll(s.ID, "=", "-same"))
}

// serve gives the mock the fixtures of every organization of s that is not
// in served yet, and adds them there. Fixtures are an organization's
// invitations, its users or its projects, so scenarios reading the same
// organization through the same API share them (S4 and S5, S6 and S7, S9
// and S9d), and S8 adds pending users beside the invitations of S2's
// organization.
func (s scenario) serve(m *mockatlas.Server, served map[string]bool) {
	for _, org := range s.Orgs {
		key := org + " " + s.fixtures()
		if served[key] {
			continue
		}
		served[key] = true
		if s.Serve != nil {
			s.Serve(m, org, s.PerOrg)
		} else {
			m.AddOrg(org, mockatlas.GenerateInvitations(org, s.PerOrg)...)
		}
	}
}

// floorShaped serves the floor's invitations (package shape) field for
// field. Only the order is shuffled, as an API would not sort by username.
func floorShaped(m *mockatlas.Server, orgID string, n int) {
	out := make([]mockatlas.Invitation, n)
	for i := range out {
		out[i] = mockatlas.Invitation{
			ID: shape.ID(i), OrgID: orgID, OrgName: shape.OrgName,
			Username: shape.Username(i), InviterUsername: shape.Inviter,
			CreatedAt: shape.CreatedAt, ExpiresAt: shape.ExpiresAt, Roles: shape.Roles,
			GroupRoleAssignments: []mockatlas.GroupRole{{GroupID: shape.GroupID(i), GroupRole: shape.GroupRole}},
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(n, func(i, j int) { out[i], out[j] = out[j], out[i] })
	m.AddOrg(orgID, out...)
}

// Both providers get the same shape of configuration: one data source per
// organization (for_each when there are several) and one output n, the total
// number of objects, which the plan must show.

func atlasinvConfig(s scenario) string {
	src := s.Source
	if src.Type == "" {
		src = invitesSource
	}
	var cfg string
	if len(s.Orgs) == 1 {
		cfg = config("atlasinv", src.Type, src.List, "", fmt.Sprintf("org_id = %q\n%s", s.Orgs[0], src.Attrs))
	} else {
		quoted := make([]string, len(s.Orgs))
		for i, id := range s.Orgs {
			quoted[i] = strconv.Quote(id)
		}
		cfg = config("atlasinv", src.Type, src.List, "toset(["+strings.Join(quoted, ", ")+"])", "org_id = each.value\n"+src.Attrs)
	}
	if s.InvitationsSource != "" {
		cfg += fmt.Sprintf("\nprovider \"atlasinv\" {\n  invitations_source = %q\n}\n", s.InvitationsSource)
	}
	return cfg
}

func floorConfig(s scenario, f floorVariant) string {
	orgID := strconv.Quote(mockatlas.DemoOrgID)
	if f.Raw {
		orgID = `"raw"`
	}
	forEach := ""
	if len(s.Orgs) > 1 {
		forEach = fmt.Sprintf("toset([for i in range(%d) : tostring(i)])", len(s.Orgs))
	}
	typ := cmp.Or(s.Source.Floor, "floor_org_invites")
	return config("floor", typ, "invites", forEach, fmt.Sprintf("org_id = %s\nn = %d\n", orgID, s.PerOrg))
}

// config is a configuration with one data source "this" of type typ (one
// per key of forEach when it is not empty) with the given attributes, and
// the output n: the length of its list attribute, summed over all of them.
func config(provider, typ, list, forEach, attrs string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "terraform {\n  required_providers {\n    %s = { source = \"%[1]s/%[1]s\" }\n  }\n}\n\n", provider)
	fmt.Fprintf(&b, "data %q \"this\" {\n", typ)
	n := fmt.Sprintf("length(data.%s.this.%s)", typ, list)
	if forEach != "" {
		fmt.Fprintf(&b, "for_each = %s\n", forEach)
		n = fmt.Sprintf("sum([for d in data.%s.this : length(d.%s)])", typ, list)
	}
	fmt.Fprintf(&b, "%s}\n\noutput \"n\" {\n  value = %s\n}\n", attrs, n)
	return b.String()
}
