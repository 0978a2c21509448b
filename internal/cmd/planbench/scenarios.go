package main

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/cmd/planbench/floor/shape"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// scenario is one plan, made with atlasinv against the mock and with the
// floor provider for comparison.
type scenario struct {
	ID, Title string
	Auth      authMode
	Orgs      []string // one data source per organization
	PerOrg    int      // invitations in each
	// FloorShaped serves invitations shaped exactly like the floor's objects
	// (floorShaped) instead of mockatlas.GenerateInvitations, so that both
	// plans carry the same state and differ only in the provider.
	FloorShaped bool
	Floors      []floorVariant // the first is the one the targets compare with
	TimeTarget  float64        // atlasinv median <= TimeTarget x Floors[0] median; 0: none
	RSSTarget   float64        // atlasinv peak RSS <= RSSTarget x Floors[0] peak RSS; 0: none
}

type authMode string

const (
	authDigest         authMode = "digest"
	authServiceAccount authMode = "service account"
)

// floorVariant is how the floor provider builds its objects: Raw sets
// tftypes values directly (org_id = "raw"), otherwise the ordinary framework
// way.
type floorVariant struct {
	Raw bool
}

func (f floorVariant) label() string {
	if f.Raw {
		return "floor raw"
	}
	return "floor framework"
}

// Generated organizations: GeneratedOrgID indexes of the single-org
// scenarios, and of the first of the 50 that S4 and S5 share.
const (
	manyOrgs        = 50
	invitesPerMany  = 10
	manyOrgsFirstID = 100
)

// scenarios are the plans the issue asks for (S1 to S5, with invitations
// from mockatlas.GenerateInvitations), plus S2= and S3=: the same sizes with
// invitations shaped like the floor's, so the state Terraform handles is the
// same on both sides. Generated invitations carry more set elements (one or
// two roles, one or two teams, one to three project roles against the
// floor's two, none and one), and Terraform's and the framework's own work
// grows with them.
func scenarios() []scenario {
	many := make([]string, manyOrgs)
	for i := range many {
		many[i] = mockatlas.GeneratedOrgID(manyOrgsFirstID + i)
	}
	one := func(i int) []string { return []string{mockatlas.GeneratedOrgID(i)} }
	raw, framework := floorVariant{Raw: true}, floorVariant{}
	return []scenario{
		{
			ID: "S1", Title: "1 data source, 1 invitation, digest", Auth: authDigest,
			Orgs: one(0), PerOrg: 1,
			Floors: []floorVariant{framework}, TimeTarget: 1.20,
		},
		{
			ID: "S2", Title: "1 data source, 1,000 invitations, digest", Auth: authDigest,
			Orgs: one(1), PerOrg: 1000,
			Floors: []floorVariant{raw}, TimeTarget: 1.15,
		},
		{
			ID: "S2=", Title: "S2 with the floor's invitation shape", Auth: authDigest,
			Orgs: one(3), PerOrg: 1000, FloorShaped: true,
			Floors: []floorVariant{raw}, TimeTarget: 1.15,
		},
		{
			ID: "S3", Title: "1 data source, 10,000 invitations, digest", Auth: authDigest,
			Orgs: one(2), PerOrg: 10000,
			Floors: []floorVariant{raw, framework}, TimeTarget: 1.15, RSSTarget: 1.30,
		},
		{
			ID: "S3=", Title: "S3 with the floor's invitation shape", Auth: authDigest,
			Orgs: one(4), PerOrg: 10000, FloorShaped: true,
			Floors: []floorVariant{raw, framework}, TimeTarget: 1.15, RSSTarget: 1.30,
		},
		{
			ID: "S4", Title: "50 data sources x 10 invitations, service account", Auth: authServiceAccount,
			Orgs: many, PerOrg: invitesPerMany,
			Floors: []floorVariant{framework},
		},
		{
			ID: "S5", Title: "50 data sources x 10 invitations, digest", Auth: authDigest,
			Orgs: many, PerOrg: invitesPerMany,
			Floors: []floorVariant{framework},
		},
	}
}

func (s scenario) total() int { return len(s.Orgs) * s.PerOrg }

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

// dirName is a file-system-friendly form of the id.
func (s scenario) dirName() string {
	return strings.ToLower(strings.ReplaceAll(s.ID, "=", "-same"))
}

// invitations is what the mock serves for one organization of s.
func (s scenario) invitations(orgID string) []mockatlas.Invitation {
	if s.FloorShaped {
		return floorShaped(orgID, s.PerOrg)
	}
	return mockatlas.GenerateInvitations(orgID, s.PerOrg)
}

// floorShaped serves the floor's invitations (package shape) field for
// field. Only the order is shuffled, as an API would not sort by username.
func floorShaped(orgID string, n int) []mockatlas.Invitation {
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
	return out
}

// Both providers get the same shape of configuration: one data source per
// organization (for_each when there are several) and one output, the total
// number of invitations, which the plan must show.

func atlasinvConfig(s scenario) string {
	var b strings.Builder
	b.WriteString("terraform {\n  required_providers {\n    atlasinv = { source = \"atlasinv/atlasinv\" }\n  }\n}\n\n")
	if len(s.Orgs) == 1 {
		fmt.Fprintf(&b, "data \"atlasinv_org_invites\" \"this\" {\n  org_id = %q\n}\n\n", s.Orgs[0])
		b.WriteString("output \"n\" {\n  value = length(data.atlasinv_org_invites.this.invites)\n}\n")
		return b.String()
	}
	quoted := make([]string, len(s.Orgs))
	for i, id := range s.Orgs {
		quoted[i] = strconv.Quote(id)
	}
	fmt.Fprintf(&b, "data \"atlasinv_org_invites\" \"this\" {\n  for_each = toset([%s])\n  org_id   = each.value\n}\n\n",
		strings.Join(quoted, ", "))
	b.WriteString("output \"n\" {\n  value = sum([for d in data.atlasinv_org_invites.this : length(d.invites)])\n}\n")
	return b.String()
}

func floorConfig(s scenario, f floorVariant) string {
	var b strings.Builder
	b.WriteString("terraform {\n  required_providers {\n    floor = { source = \"floor/floor\" }\n  }\n}\n\n")
	orgID := strconv.Quote(mockatlas.DemoOrgID)
	if f.Raw {
		orgID = `"raw"`
	}
	if len(s.Orgs) == 1 {
		fmt.Fprintf(&b, "data \"floor_org_invites\" \"this\" {\n  org_id = %s\n  n      = %d\n}\n\n", orgID, s.PerOrg)
		b.WriteString("output \"n\" {\n  value = length(data.floor_org_invites.this.invites)\n}\n")
		return b.String()
	}
	fmt.Fprintf(&b, "data \"floor_org_invites\" \"this\" {\n  for_each = toset([for i in range(%d) : tostring(i)])\n  org_id   = %s\n  n        = %d\n}\n\n",
		len(s.Orgs), orgID, s.PerOrg)
	b.WriteString("output \"n\" {\n  value = sum([for d in data.floor_org_invites.this : length(d.invites)])\n}\n")
	return b.String()
}
