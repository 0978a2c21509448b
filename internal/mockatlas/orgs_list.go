package mockatlas

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The organizations the credentials can see (GET /api/atlas/v2/orgs,
// operation listOrganizations), as Atlas serves it: version 2023-01-01,
// not deprecated, readable with any role, paginated like
// listOrgUsers, optionally filtered by a case-insensitive name prefix.
// Every organization of the mock, or only its own for credentials that
// belong to one (RestrictToOrg).

// orgsEndpoint is listOrganizations. The older document names Organization
// Member; the newer users SDK's document (operation listOrgs), which wins,
// names no role. The mock's reading: any role in an organization lets the
// credentials list it, since the list is of the organizations they belong to.
var orgsEndpoint = endpoint{versions: map[string]bool{MediaType: false}, def: MediaType, need: RoleOrgReadOnly}

// orgsPage is one answer of listOrganizations (OpenAPI schema
// PaginatedOrganization).
type orgsPage struct {
	Links      []link         `json:"links"`
	Results    []organization `json:"results"`
	TotalCount *int64         `json:"totalCount,omitempty"`
}

// SetOrgsTotalCount scripts the totalCount of listOrganizations from now on,
// as SetUsersTotalCount does for a users list; Count{} restores the exact
// count.
func (s *Server) SetOrgsTotalCount(c Count) {
	s.mu.Lock()
	s.orgsCount = c.own()
	s.mu.Unlock()
}

func (s *Server) listOrgs(w http.ResponseWriter, r *http.Request) {
	q, ok := parsePaging(w, r)
	if !ok {
		return
	}
	v := r.URL.Query()
	prefix, filtered := v.Get("name"), v.Has("name")

	s.mu.Lock()
	home, homed := s.homeOrgLocked(r, recordOf(r).Principal)
	all := make([]organization, 0, len(s.orgs))
	for id, invites := range s.orgs {
		if homed && id != home {
			continue
		}
		name := s.orgNameLocked(id, invites)
		if filtered && !hasPrefixFold(name, prefix) {
			continue
		}
		all = append(all, organization{ID: id, Name: name})
	}
	count := s.orgsCount
	s.mu.Unlock()

	// Atlas's order: name, then id.
	slices.SortFunc(all, func(a, b organization) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
	})
	start := min((q.pageNum-1)*q.itemsPerPage, len(all))
	end := min(start+q.itemsPerPage, len(all))
	page := orgsPage{Results: all[start:end:end], Links: []link{{Href: pageURL(r, q.pageNum, q.itemsPerPage), Rel: "self"}}}
	if q.pageNum > 1 {
		page.Links = append(page.Links, link{Href: pageURL(r, q.pageNum-1, q.itemsPerPage), Rel: "previous"})
	}
	if end < len(all) {
		page.Links = append(page.Links, link{Href: pageURL(r, q.pageNum+1, q.itemsPerPage), Rel: "next"})
	}
	base := selfURL(r)
	for i := range page.Results {
		page.Results[i].Links = []link{{Href: base + "/" + page.Results[i].ID, Rel: "self"}}
	}
	if q.includeCount {
		page.TotalCount = count.answer(len(all))
	}
	writeJSON(w, r, page)
}

// hasPrefixFold reports whether s starts with prefix, ignoring case as
// Unicode simple folding does (what Atlas documents for the name filter:
// a case-insensitive search for names that start with it). Folding a rune
// keeps it one rune, so the prefix is the first as many runes of s.
func hasPrefixFold(s, prefix string) bool {
	n := utf8.RuneCountInString(prefix)
	i := 0
	for k := 0; k < n; k++ {
		if i >= len(s) {
			return false
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return strings.EqualFold(s[:i], prefix)
}

// pageURL is the link to page pageNum of the list r asked for: the same
// query (filters included, pretty left out), that page and size.
func pageURL(r *http.Request, pageNum, itemsPerPage int) string {
	v := url.Values{}
	for k, vals := range r.URL.Query() {
		if k != "pretty" {
			v[k] = vals
		}
	}
	v.Set("pageNum", strconv.Itoa(pageNum))
	v.Set("itemsPerPage", strconv.Itoa(itemsPerPage))
	return selfURL(r) + "?" + v.Encode()
}
