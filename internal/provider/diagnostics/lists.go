package diagnostics

import (
	"fmt"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
)

// listSubject names a list that failed as a whole.
func listSubject(e *atlas.Error) string {
	if e.List != nil && e.List.What == "organizations" {
		return "Organizations"
	}
	return "Organization Users"
}

// narrowing is, for each data source that reads a list page by page, the
// attributes that make its read smaller: only its own, since a hint that
// names another data source's attribute sends the user to an error.
var narrowing = map[string]string{
	"atlasinv_org_invites": "username",
	"atlasinv_org_users":   "username or org_membership_statuses",
	"atlasinv_orgs":        "name",
}

// listNarrow is how the user of dataSource narrows its read.
func listNarrow(dataSource string) string {
	if attrs, ok := narrowing[dataSource]; ok {
		return attrs
	}
	return "the data source's filters"
}

// listHint words the failures of a whole read of many pages by dataSource.
func listHint(e *atlas.Error, dataSource string) string {
	l := e.List
	if e.Kind == atlas.KindListChanged {
		return fmt.Sprintf("The %s changed while Terraform read them page by page, on two reads in a row (%s). "+
			"Terraform does not use a list that may miss or repeat some of them. Run the plan again; if this persists, "+
			"the list is changing continuously: plan when it is quieter, or narrow the read with %s.",
			l.What, l.Change, listNarrow(dataSource))
	}
	return fmt.Sprintf("Atlas listed more than %d %s (%d full pages of %d), the most one read of this provider takes, "+
		"far beyond the largest real lists; the read stopped there rather than grow without bound. "+
		"Narrow the read with %s, and check base_url: something other than Atlas may be answering.",
		l.MaxPages*l.PageSize, l.What, l.MaxPages, l.PageSize, listNarrow(dataSource))
}
