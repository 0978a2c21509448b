package atlas_test

// FuzzAtlasAnswers's reads: the one an execution makes, and the checks of
// what a list or the client's cache returns.

import (
	"context"
	"testing"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
)

// fzResult is what a read returned.
type fzResult struct {
	users    []atlas.User
	orgs     []atlas.Organization
	projects []atlas.Project
	teams    []atlas.Team
	name     string
	err      error
}

// fzRead makes the plan's read.
func fzRead(ctx context.Context, c *atlas.Client, p *fzPlan) fzResult {
	var r fzResult
	username := "dave+x@example.net"
	switch p.readKind() {
	case fzReadInvites:
		_, r.err = c.ListInvitations(ctx, testOrgID, nil)
	case fzReadInvitesByUsername:
		_, r.err = c.ListInvitations(ctx, testOrgID, &username)
	case fzReadInvite:
		_, r.err = c.GetInvitation(ctx, testOrgID, fzInvitationID)
	case fzReadUsers:
		r.users, r.err = c.ListOrgUsers(ctx, testOrgID, atlas.UsersFilter{})
	case fzReadUsersFiltered:
		r.users, r.err = c.ListOrgUsers(ctx, testOrgID, atlas.UsersFilter{Username: &username, Statuses: []string{"ACTIVE", "PENDING"}})
	case fzReadOrg:
		r.name, r.err = c.OrganizationName(ctx, testOrgID)
	case fzReadOrgs:
		r.orgs, r.err = c.ListOrganizations(ctx, nil)
	case fzReadOrgsByName:
		name := "Test-Org & Co+ü"
		r.orgs, r.err = c.ListOrganizations(ctx, &name)
	case fzReadOrgProjects:
		r.projects, r.err = c.ListOrgProjects(ctx, testOrgID, nil)
	case fzReadOrgProjectsByName:
		name := "Coffee-Prod & Co+ü"
		r.projects, r.err = c.ListOrgProjects(ctx, testOrgID, &name)
	case fzReadTeams:
		r.teams, r.err = c.ListOrgTeams(ctx, testOrgID)
	case fzReadProjectInvites:
		_, r.err = c.ListProjectInvitations(ctx, fzProjectID, nil)
	case fzReadProjectInvitesByUsername:
		_, r.err = c.ListProjectInvitations(ctx, fzProjectID, &username)
	default:
		r.projects, r.err = c.VisibleProjects(ctx)
	}
	return r
}

// fzDistinct fails the execution when an id is listed twice.
func fzDistinct[T any](t *testing.T, what string, items []T, id func(T) string, seen map[string]bool) {
	t.Helper()
	for _, item := range items {
		if seen[id(item)] {
			t.Fatalf("%s id %q listed twice among %d", what, id(item), len(items))
		}
		seen[id(item)] = true
	}
}

// readAgain fails the execution unless what the client keeps, read again,
// is what the read gave, without another request.
func (x *fzExec) readAgain(t *testing.T, what, first string, read func(context.Context) (string, error)) {
	t.Helper()
	x.mu.Lock()
	before := x.requests
	x.mu.Unlock()
	again, end := context.WithTimeout(context.Background(), fzBound)
	got, err := read(again)
	end()
	x.mu.Lock()
	after := x.requests
	x.mu.Unlock()
	if err != nil || got != first || after != before {
		t.Fatalf("%s read again: %q, %v after %q, and %d more requests", what, got, err, first, after-before)
	}
}
