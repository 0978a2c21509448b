package atlas

import (
	"context"
	"net/http"
	"strconv"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	usersadmin "go.mongodb.org/atlas-sdk/v20250312020/admin"
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
	// 20 pages at 50 ms then take four rounds (page 1, then 9+9+3), 0.2 s
	// of latency; 4 readers took six.
	usersPageReaders = 9
	// usersPagesAhead bounds how far past the pages known to be full a read
	// asks, whatever Atlas's count promises: the count is an estimate, and
	// an absurd one must not turn into thousands of requests.
	usersPagesAhead = 18
	// MaxUsersPages bounds one read (200,000 users, far beyond the largest
	// organizations): the 64 MiB limit is per answer, not per read.
	MaxUsersPages = 400
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

func newUsersSDK(cfg Config, httpClient *http.Client) (*usersadmin.APIClient, error) {
	return usersadmin.NewClient(
		usersadmin.UseBaseURL(cfg.BaseURL),
		usersadmin.UseHTTPClient(httpClient),
		usersadmin.UseUserAgent(cfg.UserAgent),
	)
}

// ListOrgUsers reads every page of an organization's users, each user once.
//
// Atlas's totalCount is an estimate: it only decides how many pages to ask
// for at once. The list ends at the first page that is not full. A change
// during the read shows in Atlas's own signals (a user on two pages, a page
// past the end that is not empty, or the count at the end of the read
// differing from page 1's): the list is then read once more, and a second
// change fails with KindListChanged.
func (c *Client) ListOrgUsers(ctx context.Context, orgID string, f UsersFilter) ([]User, error) {
	var read usersRead
	for attempt := 1; attempt <= 2; attempt++ {
		var err error
		read, err = c.readUsers(ctx, orgID, f)
		if err != nil {
			return nil, err
		}
		if read.change == "" {
			return read.users, nil
		}
		tflog.SubsystemWarn(c.LogContext(ctx), LogSubsystem, "Organization users changed during the read", map[string]any{
			"path": usersPath(orgID), "change": read.change, "pages": read.pages, "attempt": attempt,
		})
	}
	return nil, c.listError(KindListChanged, orgID, read)
}

func usersPath(orgID string) string { return "/api/atlas/v2/orgs/" + orgID + "/users" }

// usersRead is one pass over the pages.
type usersRead struct {
	users                 []User
	pages                 int  // pages asked for
	firstCount, lastCount *int // page 1's count and the count of the page that ended the list
	change                string
}

// ListFacts are what one read of every page of a list saw.
type ListFacts struct {
	Pages, Users          int  // pages asked for, distinct users merged
	FirstCount, LastCount *int // Atlas's estimate on page 1 and on the page that ended the list
	Change                string
	MaxPages, PageSize    int
}

func countText(n *int) string {
	if n == nil {
		return "none"
	}
	return strconv.Itoa(*n)
}

// listError is a read that failed as a whole, not one request of it.
func (c *Client) listError(kind ErrorKind, orgID string, r usersRead) *Error {
	path := usersPath(orgID)
	return &Error{Kind: kind, Method: http.MethodGet, Path: path, URL: c.cfg.BaseURL + path, cfg: c.cfg, access: usersAccess,
		List: &ListFacts{Pages: r.pages, Users: len(r.users), FirstCount: r.firstCount, LastCount: r.lastCount,
			Change: r.change, MaxPages: MaxUsersPages, PageSize: UsersPageSize}}
}

// pageResult is one page's answer, or its failure.
type pageResult struct {
	num   int
	users []User
	count *int
	err   error
}

// readUsers reads page 1, then the next pages a few at a time while the
// pages known so far are full, and merges them by id in page order.
func (c *Client) readUsers(ctx context.Context, orgID string, f UsersFilter) (usersRead, error) {
	first, err := c.usersPage(ctx, orgID, f, 1)
	if err != nil {
		return usersRead{}, err
	}
	r := usersRead{pages: 1, firstCount: first.count, lastCount: first.count}
	if len(first.users) < UsersPageSize {
		r.users = mergeByID(map[int][]User{1: first.users}, 1, &r.change)
		return r, nil
	}
	// The last page the count promises: the one after the last full page
	// (empty when the count is a multiple of the page size).
	promised := 1
	if first.count != nil {
		promised = min(*first.count/UsersPageSize+1, MaxUsersPages)
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan pageResult)
	pages := map[int][]User{1: first.users}
	counts := map[int]*int{}
	next, inFlight := 2, 0
	end := MaxUsersPages + 1 // the first page that is not full, once seen
	full := 1                // pages 1..full are read and full
	var failed error
	for {
		for failed == nil && inFlight < usersPageReaders && next < end && next <= MaxUsersPages &&
			(next == full+1 || next <= min(promised, full+usersPagesAhead)) {
			go func(num int) {
				p, err := c.usersPage(ctx, orgID, f, num)
				p.num, p.err = num, err
				results <- p
			}(next)
			next++
			inFlight++
		}
		if inFlight == 0 {
			break
		}
		p := <-results
		inFlight--
		r.pages++
		if p.err != nil {
			if failed == nil {
				failed = p.err
				cancel() // the pages still in flight end at once
			}
			continue
		}
		pages[p.num], counts[p.num] = p.users, p.count
		if len(p.users) < UsersPageSize {
			end = min(end, p.num)
		}
		for len(pages[full+1]) >= UsersPageSize {
			full++
		}
	}
	if failed != nil {
		return usersRead{}, failed
	}
	if full >= MaxUsersPages {
		return r, c.listError(KindListTooLong, orgID, r)
	}
	r.lastCount = counts[end]
	r.users = mergeByID(pages, end, &r.change)
	switch {
	case r.change != "":
	case len(pages) > end && !emptyPast(pages, end):
		r.change = "a page past the end of the list held users"
	case r.firstCount != nil && r.lastCount != nil && *r.firstCount != *r.lastCount:
		r.change = "Atlas's count changed between the first and the last page"
	}
	return r, nil
}

// emptyPast says whether every page read after end is empty, as it is when
// the list did not grow during the read.
func emptyPast(pages map[int][]User, end int) bool {
	for n, p := range pages {
		if n > end && len(p) > 0 {
			return false
		}
	}
	return true
}

// mergeByID keeps the first of each id in pages 1..last, in page order. A
// user listed twice means the list moved during the read: change says so.
func mergeByID(pages map[int][]User, last int, change *string) []User {
	n := 0
	for i := 1; i <= last; i++ {
		n += len(pages[i])
	}
	out := make([]User, 0, n)
	seen := make(map[string]struct{}, n)
	for i := 1; i <= last; i++ {
		for _, u := range pages[i] {
			if _, dup := seen[u.Id]; dup {
				if *change == "" {
					*change = "a user was listed on two pages"
				}
				continue
			}
			seen[u.Id] = struct{}{}
			out = append(out, u)
		}
	}
	return out
}

// usersPage reads one page with its count. A count that is missing or below
// zero is no count at all: Atlas documents it as an estimate, never as the
// measure of the list.
func (c *Client) usersPage(ctx context.Context, orgID string, f UsersFilter, page int) (pageResult, error) {
	out, err := call(ctx, c, endpoint{path: usersPath(orgID), notFound: "Organization " + quote(orgID), access: usersAccess},
		func(ctx context.Context) (*usersadmin.PaginatedOrgUser, *http.Response, error) {
			req := c.users.MongoDBCloudUsersApi.ListOrgUsers(ctx, orgID).
				ItemsPerPage(UsersPageSize).PageNum(page).IncludeCount(true)
			if f.Username != nil {
				req = req.Username(*f.Username)
			}
			if f.Statuses != nil {
				req = req.OrgMembershipStatuses(f.Statuses)
			}
			return req.Execute()
		})
	if err != nil {
		return pageResult{}, err
	}
	p := pageResult{users: out.Results}
	if out.TotalCount != nil && *out.TotalCount >= 0 {
		p.count = out.TotalCount
	}
	return p, nil
}
