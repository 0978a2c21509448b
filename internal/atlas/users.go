package atlas

import (
	"context"
	"net/http"

	usersadmin "go.mongodb.org/atlas-sdk/v20250312020/admin"
)

// The organization users API (listOrgUsers, version 2025-02-19) lives in a
// newer SDK module than the invitations API. Its client shares the one
// http.Client of the configured provider, so both SDKs go through the same
// auth, retries, logging, connection pool and error translation.

// User is one organization user as the SDK decodes it.
type User = usersadmin.OrgUserResponse

// UsersFilter narrows listOrgUsers on the server.
type UsersFilter struct {
	Username *string
	// Statuses are sent as repeated orgMembershipStatuses parameters; nil
	// sends none, and Atlas lists ACTIVE and PENDING users.
	Statuses []string
}

// ListOrgUsers reads every page of an organization's users, each user once,
// as readList reads every list.
func (c *Client) ListOrgUsers(ctx context.Context, orgID string, f UsersFilter) ([]User, error) {
	path := "/api/atlas/v2/orgs/" + orgID + "/users"
	ep := endpoint{path: path, notFound: "Organization " + quote(orgID), access: usersAccess}
	return readList(ctx, c, list[User]{path: path, what: "users", access: usersAccess,
		id: func(u *User) string { return u.Id },
		fetch: func(ctx context.Context, pageNum int) (page[User], error) {
			out, err := call(ctx, c, ep, func(ctx context.Context) (*usersadmin.PaginatedOrgUser, *http.Response, error) {
				req := c.users.MongoDBCloudUsersApi.ListOrgUsers(ctx, orgID).
					ItemsPerPage(PageSize).PageNum(pageNum).IncludeCount(true)
				if f.Username != nil {
					req = req.Username(*f.Username)
				}
				if f.Statuses != nil {
					req = req.OrgMembershipStatuses(f.Statuses)
				}
				return req.Execute()
			})
			if err != nil {
				return page[User]{}, err
			}
			return page[User]{items: out.Results, count: countOf(out.TotalCount)}, nil
		}})
}
