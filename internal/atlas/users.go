package atlas

import (
	"context"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	usersadmin "go.mongodb.org/atlas-sdk/v20250312020/admin"
	"golang.org/x/sync/errgroup"
)

// The organization users API (listOrgUsers, version 2025-02-19) lives in a
// newer SDK module than the invitations API. Its client shares the one
// http.Client of the configured provider, so both SDKs go through the same
// auth, retries, logging, connection pool and error translation.

const (
	// UsersPageSize is the largest page Atlas serves (itemsPerPage).
	UsersPageSize = 500
	// usersPageReaders bounds the pages read at once: inside the connection
	// cap (maxConns), one connection left for the other reads of the plan.
	// 20 pages at 50 ms then take four rounds (page 1, then 9+9+1), 0.2 s
	// of latency; 4 readers took six (BenchmarkListOrgUsersPageLatency:
	// about 0.40 s against 0.29 s).
	usersPageReaders = 9
)

// User is one organization user as the SDK decodes it.
type User = usersadmin.OrgUserResponse

// UsersFilter narrows listOrgUsers on the server.
type UsersFilter struct {
	Username *string
	// Statuses are sent as repeated orgMembershipStatuses parameters; nil
	// sends none, and Atlas lists ACTIVE and PENDING users.
	Statuses []string
}

// ListChangedError says the organization's users changed while they were
// read, twice in a row: the pages did not add up to the count Atlas gave.
type ListChangedError struct {
	URL              string // the URL of the list, without the page parameters
	TotalCount, Read int
}

func (e *ListChangedError) Error() string {
	return fmt.Sprintf("GET %s: Atlas counted %d users but the pages held %d distinct users, twice in a row",
		e.URL, e.TotalCount, e.Read)
}

func newUsersSDK(cfg Config, httpClient *http.Client) (*usersadmin.APIClient, error) {
	return usersadmin.NewClient(
		usersadmin.UseBaseURL(cfg.BaseURL),
		usersadmin.UseHTTPClient(httpClient),
		usersadmin.UseUserAgent(cfg.UserAgent),
	)
}

// ListOrgUsers reads every page of an organization's users. When the pages
// do not add up to Atlas's totalCount (a user moved across a page boundary
// while they were read), it reads the whole list once more, then gives up
// with a *ListChangedError. It never returns a user twice.
func (c *Client) ListOrgUsers(ctx context.Context, orgID string, f UsersFilter) ([]User, error) {
	path := usersPath(orgID)
	var users []User
	var total int
	for attempt := 1; attempt <= 2; attempt++ {
		var err error
		users, total, err = c.readUsers(ctx, orgID, f)
		if err != nil {
			return nil, err
		}
		if len(users) == total {
			return users, nil
		}
		tflog.SubsystemWarn(c.LogContext(ctx), LogSubsystem, "Organization users changed during the read", map[string]any{
			"path": path, "total_count": total, "read": len(users), "attempt": attempt,
		})
	}
	return nil, &ListChangedError{URL: c.cfg.BaseURL + path, TotalCount: total, Read: len(users)}
}

func usersPath(orgID string) string { return "/api/atlas/v2/orgs/" + orgID + "/users" }

// readUsers reads page 1 with the count, then the other pages concurrently,
// and merges them by id in page order.
func (c *Client) readUsers(ctx context.Context, orgID string, f UsersFilter) ([]User, int, error) {
	first, err := c.usersPage(ctx, orgID, f, 1)
	if err != nil {
		return nil, 0, err
	}
	total := first.GetTotalCount()
	pages := make([][]User, max(1, (total+UsersPageSize-1)/UsersPageSize))
	pages[0] = first.Results
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(usersPageReaders)
	for i := 1; i < len(pages); i++ {
		g.Go(func() error {
			page, err := c.usersPage(gctx, orgID, f, i+1)
			if err != nil {
				return err
			}
			pages[i] = page.Results
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, 0, err
	}
	return mergeByID(pages), total, nil
}

// mergeByID keeps the first of each id, in page order.
func mergeByID(pages [][]User) []User {
	n := 0
	for _, p := range pages {
		n += len(p)
	}
	out := make([]User, 0, n)
	seen := make(map[string]struct{}, n)
	for _, p := range pages {
		for i := range p {
			if _, dup := seen[p[i].Id]; dup {
				continue
			}
			seen[p[i].Id] = struct{}{}
			out = append(out, p[i])
		}
	}
	return out
}

// usersPage reads one page; only page 1 asks for the count (the SDK would
// ask on every page by default).
func (c *Client) usersPage(ctx context.Context, orgID string, f UsersFilter, page int) (*usersadmin.PaginatedOrgUser, error) {
	out, err := call(ctx, c, endpoint{usersPath(orgID), "Organization " + quote(orgID), usersAccess},
		func(ctx context.Context) (*usersadmin.PaginatedOrgUser, *http.Response, error) {
			req := c.users.MongoDBCloudUsersApi.ListOrgUsers(ctx, orgID).
				ItemsPerPage(UsersPageSize).PageNum(page).IncludeCount(page == 1)
			if f.Username != nil {
				req = req.Username(*f.Username)
			}
			if f.Statuses != nil {
				req = req.OrgMembershipStatuses(f.Statuses)
			}
			return req.Execute()
		})
	if err != nil {
		return nil, err
	}
	if out == nil || (page == 1 && out.TotalCount == nil) {
		// Without the count a missing page would go unnoticed.
		return nil, fmt.Errorf("GET %s: Atlas answered page %d without the totalCount that includeCount=true asks for",
			usersPath(orgID), page)
	}
	return out, nil
}
