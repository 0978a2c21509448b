package diagnostics

import (
	"fmt"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
)

// listSubject and listNarrow name a list that failed as a whole, and the
// attributes that make its read smaller.
func listSubject(e *atlas.Error) string {
	if e.List != nil && e.List.What == "organizations" {
		return "Organizations"
	}
	return "Organization Users"
}

func listNarrow(l *atlas.ListFacts) string {
	if l.What == "organizations" {
		return "name"
	}
	return "username or org_membership_statuses"
}

// listHint words the failures of a whole read of many pages.
func listHint(e *atlas.Error) string {
	l := e.List
	if e.Kind == atlas.KindListChanged {
		return fmt.Sprintf("The %s changed while Terraform read them page by page, on two reads in a row (%s). "+
			"Terraform does not use a list that may miss or repeat some. Run the plan again; if this persists, "+
			"the list is changing continuously: plan when it is quieter, or narrow the read with %s.",
			l.What, l.Change, listNarrow(l))
	}
	return fmt.Sprintf("Atlas listed more than %d %s (%d full pages of %d), the most one read of this provider takes, "+
		"far beyond the largest real lists; the read stopped there rather than grow without bound. "+
		"Narrow the read with %s, and check base_url: something other than Atlas may be answering.",
		l.MaxPages*l.PageSize, l.What, l.MaxPages, l.PageSize, listNarrow(l))
}
