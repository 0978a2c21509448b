package atlas

import (
	"context"
	"net/http"

	"go.mongodb.org/atlas-sdk/v20241113001/admin"
)

// orgAccess is what getOrganization needs (x-rolesRequirements).
var orgAccess = access{role: "Organization Member", reads: "its name"}

// OrganizationName is the organization's name (getOrganization), read once
// per organization per client.
func (c *Client) OrganizationName(ctx context.Context, orgID string) (string, error) {
	if name, ok := c.orgs.known(orgID); ok {
		return name, nil
	}
	v, err, _ := c.orgs.flight.Do(orgID, func() (any, error) {
		// Another flight may have ended between the look-up above and this one.
		if name, ok := c.orgs.known(orgID); ok {
			return name, nil
		}
		org, err := call(ctx, c, endpoint{path: "/api/atlas/v2/orgs/" + orgID, notFound: "Organization " + quote(orgID), access: orgAccess},
			func(ctx context.Context) (*admin.AtlasOrganization, *http.Response, error) {
				return c.sdk.OrganizationsApi.GetOrganization(ctx, orgID).Execute()
			})
		if err != nil {
			return "", err
		}
		c.orgs.mu.Lock()
		if c.orgs.names == nil {
			c.orgs.names = map[string]string{}
		}
		c.orgs.names[orgID] = org.Name
		c.orgs.mu.Unlock()
		return org.Name, nil
	})
	if err != nil {
		return "", err
	}
	name, _ := v.(string)
	return name, nil
}

// Organization is one organization as the SDK decodes it.
type Organization = admin.AtlasOrganization

// orgsAccess: the newest SDK's document (operation listOrgs) lists no
// x-rolesRequirements and asks for no role. The older document's
// description asked for Organization Member; the newer one wins, so a
// refusal names no role (roles_doc_test.go keeps the two in step).
var orgsAccess = access{reads: "the organizations"}

// ListOrganizations reads every page of the organizations these
// credentials can see, each once, as readList reads every list. name is
// sent as Atlas's own filter, a case-insensitive prefix match: the caller
// keeps the exact matches it wants.
func (c *Client) ListOrganizations(ctx context.Context, name *string) ([]Organization, error) {
	const path = "/api/atlas/v2/orgs"
	ep := endpoint{path: path, notFound: "The list of organizations", access: orgsAccess}
	return readList(ctx, c, list[Organization]{path: path, what: "organizations", access: orgsAccess,
		id: func(o *Organization) string { return o.GetId() },
		fetch: func(ctx context.Context, pageNum int) (page[Organization], error) {
			out, err := call(ctx, c, ep, func(ctx context.Context) (*admin.PaginatedOrganization, *http.Response, error) {
				req := c.sdk.OrganizationsApi.ListOrganizations(ctx).ItemsPerPage(PageSize).PageNum(pageNum).IncludeCount(true)
				if name != nil {
					req = req.Name(*name)
				}
				return req.Execute()
			})
			if err != nil {
				return page[Organization]{}, err
			}
			return page[Organization]{items: out.GetResults(), count: countOf(out.TotalCount)}, nil
		}})
}

// VisibleOrganizations is every organization these credentials can see,
// read once per client by the first caller, however it ends: it tells a
// wrong organization id from a missing role after a refusal, which many
// reads of one plan may meet at once. Concurrent callers wait for the one
// read.
func (c *Client) VisibleOrganizations(ctx context.Context) ([]Organization, error) {
	return c.orgs.visible.get(ctx, func() ([]Organization, error) { return c.ListOrganizations(ctx, nil) })
}
