package atlas

import (
	"context"
	"net/http"

	usersadmin "go.mongodb.org/atlas-sdk/v20250312020/admin"
)

// An organization's projects and teams, the projects the credentials see,
// and a project's pending invitations: Atlas's older way to invite, which
// neither the organization invitations nor the organization users show.
// All are read with the users API's SDK, which has every one of them, so
// they share its auth, retries, logging, pool and error translation.

// Project is one project (Atlas's group) as the SDK decodes it.
type Project = usersadmin.Group

// Team is one team as the SDK decodes it.
type Team = usersadmin.TeamResponse

// ProjectInvitation is one pending project invitation as the SDK decodes
// it. Its InviterUsername may be an API key's public key rather than an
// e-mail address (Atlas's recorded answers).
type ProjectInvitation = usersadmin.GroupInvitation

// What each read needs, from the document's x-rolesRequirements. Project
// Owner is a role in the project, not in the organization; an Organization
// Owner has it on every project. listGroups names no role.
var (
	orgProjectsAccess    = access{role: "Organization Member", reads: "its projects"}
	teamsAccess          = access{role: "Organization Member", reads: "its teams"}
	projectInvitesAccess = access{role: "Project Owner", reads: "the project's invitations"}
	projectsAccess       = access{reads: "the projects"}
)

// ListOrgProjects reads every page of an organization's projects, each
// once, as readList reads every list. name is sent as Atlas's own filter,
// a case-insensitive prefix match: the caller keeps the exact matches it
// wants. Atlas may leave out projects the credentials cannot access.
func (c *Client) ListOrgProjects(ctx context.Context, orgID string, name *string) ([]Project, error) {
	path := "/api/atlas/v2/orgs/" + orgID + "/groups"
	ep := endpoint{path: path, notFound: "Organization " + quote(orgID), access: orgProjectsAccess}
	return readList(ctx, c, list[Project]{path: path, what: "projects", access: orgProjectsAccess,
		id: func(p *Project) string { return p.GetId() },
		fetch: func(ctx context.Context, pageNum int) (page[Project], error) {
			out, err := call(ctx, c, ep, func(ctx context.Context) (*usersadmin.PaginatedAtlasGroup, *http.Response, error) {
				req := c.users.OrganizationsApi.GetOrgGroups(ctx, orgID).ItemsPerPage(PageSize).PageNum(pageNum).IncludeCount(true)
				if name != nil {
					req = req.Name(*name)
				}
				return req.Execute()
			})
			if err != nil {
				return page[Project]{}, err
			}
			return page[Project]{items: out.GetResults(), count: countOf(out.TotalCount)}, nil
		}})
}

// ListOrgTeams reads every page of an organization's teams, each once, as
// readList reads every list. Atlas "only returns teams for which you have
// access".
func (c *Client) ListOrgTeams(ctx context.Context, orgID string) ([]Team, error) {
	path := "/api/atlas/v2/orgs/" + orgID + "/teams"
	ep := endpoint{path: path, notFound: "Organization " + quote(orgID), access: teamsAccess}
	return readList(ctx, c, list[Team]{path: path, what: "teams", access: teamsAccess,
		id: func(t *Team) string { return t.GetId() },
		fetch: func(ctx context.Context, pageNum int) (page[Team], error) {
			out, err := call(ctx, c, ep, func(ctx context.Context) (*usersadmin.PaginatedTeam, *http.Response, error) {
				return c.users.TeamsApi.ListOrgTeams(ctx, orgID).ItemsPerPage(PageSize).PageNum(pageNum).IncludeCount(true).Execute()
			})
			if err != nil {
				return page[Team]{}, err
			}
			return page[Team]{items: out.GetResults(), count: countOf(out.TotalCount)}, nil
		}})
}

// ListProjectInvitations lists a project's pending invitations, filtered by
// username when one is given: one request, since Atlas answers them all in
// one bare array. Their Deprecation and Sunset headers go to the project
// invitations' own notice (TakeProjectInvitationsDeprecation).
func (c *Client) ListProjectInvitations(ctx context.Context, projectID string, username *string) ([]ProjectInvitation, error) {
	ep := endpoint{path: "/api/atlas/v2/groups/" + projectID + "/invites", notFound: "Project " + quote(projectID),
		access: projectInvitesAccess, notice: &c.projectInvitations}
	return call(ctx, c, ep, func(ctx context.Context) ([]ProjectInvitation, *http.Response, error) {
		req := c.users.ProjectsApi.ListGroupInvites(ctx, projectID)
		if username != nil {
			req = req.Username(*username)
		}
		return req.Execute()
	})
}

// TakeProjectInvitationsDeprecation returns the project invitations API's
// deprecation notice once per client, as TakeDeprecation returns the
// organization invitations': the two APIs' dates and retirements are their
// own.
func (c *Client) TakeProjectInvitationsDeprecation() (Deprecation, bool) {
	return c.projectInvitations.take()
}

// VisibleProjects is every project these credentials can see (listGroups,
// every page), read once per client by the first caller, however it ends:
// it tells a project the credentials do not see from a missing role after
// a refusal, as VisibleOrganizations does for organizations. Concurrent
// callers wait for the one read.
func (c *Client) VisibleProjects(ctx context.Context) ([]Project, error) {
	return c.visibleProjects.get(ctx, func() ([]Project, error) { return c.listProjects(ctx) })
}

// listProjects reads every page of listGroups, each project once.
func (c *Client) listProjects(ctx context.Context) ([]Project, error) {
	const path = "/api/atlas/v2/groups"
	ep := endpoint{path: path, notFound: "The list of projects", access: projectsAccess}
	return readList(ctx, c, list[Project]{path: path, what: "projects", access: projectsAccess,
		id: func(p *Project) string { return p.GetId() },
		fetch: func(ctx context.Context, pageNum int) (page[Project], error) {
			out, err := call(ctx, c, ep, func(ctx context.Context) (*usersadmin.PaginatedAtlasGroup, *http.Response, error) {
				return c.users.ProjectsApi.ListGroups(ctx).ItemsPerPage(PageSize).PageNum(pageNum).IncludeCount(true).Execute()
			})
			if err != nil {
				return page[Project]{}, err
			}
			return page[Project]{items: out.GetResults(), count: countOf(out.TotalCount)}, nil
		}})
}
