// Package shape is the one invitation and the one project invitation the
// floor provider answers n times, shared with planbench, which serves the
// same invitations from the mock (the "=" scenarios, and S9) so that both
// plans carry the same state.
package shape

import "fmt"

// The strings every invitation has.
const (
	OrgName   = "Acme"
	Inviter   = "owner@acme.example"
	CreatedAt = "2025-05-04T09:42:00Z"
	ExpiresAt = "2025-06-04T09:42:00Z"
	GroupRole = "GROUP_READ_ONLY"
)

// Roles are the organization roles of every invitation; it has no team.
var Roles = []string{"ORG_MEMBER", "ORG_READ_ONLY"}

// ID, Username and GroupID are what tells invitation i from the others.
func ID(i int) string       { return fmt.Sprintf("%024x", i) }
func Username(i int) string { return fmt.Sprintf("user%06d@big.example", i) }
func GroupID(i int) string  { return fmt.Sprintf("6b%022x", i) }

// The project invitations of the floor's floor_project_invites, which
// planbench's S9 serves from the mock: invitation i, with ID, Username and
// the strings above, is to project i / ProjectInvitesEach and grants
// ProjectRole.
const (
	ProjectInvitesEach = 5
	ProjectRole        = "GROUP_OWNER"
)

// ProjectID and ProjectName tell project p from the others.
func ProjectID(p int) string   { return fmt.Sprintf("6c%022x", p) }
func ProjectName(p int) string { return fmt.Sprintf("Project-%04d", p+1) }
