package provider

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"go.mongodb.org/atlas-sdk/v20241113001/admin"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
)

// The way off the invitations API: the words of the deprecation warning and
// of the error once Atlas has retired the API, each with the data source
// block that replaces the one being read, ready to paste.

// migrationGuide names the guide page (templates/guides) for the details.
const migrationGuide = `the provider documentation's guide "Migrate from atlasinv_org_invites to atlasinv_org_users"`

// replacement is the atlasinv_org_users block to paste in place of a read,
// and the sentence that says what it lists.
type replacement struct {
	block, lists string
}

// listReplacement replaces an atlasinv_org_invites read of orgID (and
// username): the same invitations.
func listReplacement(orgID string, username *string) replacement {
	return replacement{usersReplacement(orgID, username), "This block lists the same invitations:"}
}

// inviteReplacement replaces an atlasinv_org_invite read. Its invitee's
// address is known only when the read succeeded; otherwise the block lists
// the whole organization, and the sentence says how to narrow it.
func inviteReplacement(orgID string, inv *admin.OrganizationInvitation) replacement {
	if inv != nil && inv.Username != nil {
		return replacement{usersReplacement(orgID, inv.Username), "This block lists the same invitation, by its invitee's address:"}
	}
	return replacement{usersReplacement(orgID, nil), "This block lists every pending invitation of the organization; " +
		"add username = \"<the invitee's email address>\" to list one invitee's only:"}
}

// usersReplacement is the atlasinv_org_users block that lists the pending
// invitations of orgID (and username). A read sees only the value of its
// org_id, not the expression that gave it (a variable, each.value of a
// for_each), so the block says to keep that expression.
func usersReplacement(orgID string, username *string) string {
	var b strings.Builder
	b.WriteString("data \"atlasinv_org_users\" \"pending\" {\n")
	b.WriteString("  # org_id: keep your data source's own expression (a variable, each.value); this is the value this read had.\n")
	fmt.Fprintf(&b, "  org_id                  = %s\n", hclString(orgID))
	if username != nil {
		fmt.Fprintf(&b, "  username                = %s\n", hclString(*username))
	}
	b.WriteString("  org_membership_statuses = [\"PENDING\"]\n}")
	return b.String()
}

// hclString quotes s as an HCL string literal: Go's escapes, which HCL
// shares, and template sequences doubled so they stay literal.
func hclString(s string) string {
	q := strconv.Quote(s)
	q = strings.ReplaceAll(q, "${", "$${")
	return strings.ReplaceAll(q, "%{", "%%{")
}

func deprecationDetail(d atlas.Deprecation, r replacement) string {
	return fmt.Sprintf("Atlas has marked the organization invitations API deprecated since %s and will remove it on %s. "+
		"From that date, with invitations_source = \"auto\" (the default), atlasinv_org_invites reads the same "+
		"invitations from the organization users API (with the users' ids in place of the invitations' ids) and "+
		"atlasinv_org_invite fails; with invitations_source = \"invitations\", both fail.\n\n"+
		"Their replacement is the data source atlasinv_org_users, on Atlas's organization users API, where a pending "+
		"invitation is a user whose membership status is PENDING. %s\n\n%s\n\n"+
		"Each invitation attribute and its counterpart are in %s.",
		cmp.Or(headerDate(d.Deprecated), "an unannounced date"), cmp.Or(headerDate(d.Sunset), "a date Atlas has not announced"),
		r.lists, r.block, migrationGuide)
}

// invitationsRetired says whether err, the failure of a read of the
// invitations list or of one invitation, means Atlas no longer serves the
// invitations API: 410 VERSION_GONE from Atlas's API itself (not from the
// token endpoint), its documented answer for a retired version, and nothing
// else. A 404 is a missing organization or invitation, whatever its code:
// one stale invitation id must not switch a whole configuration. A 406 is a
// version Atlas does not accept, which has its own diagnosis. The one rule
// for the error and for invitations_source = "auto"'s switch.
func invitationsRetired(err error) bool {
	var ae *atlas.Error
	return errors.As(err, &ae) && ae.Kind == atlas.KindVersionGone &&
		ae.Status == http.StatusGone && ae.ErrorCode == "VERSION_GONE"
}

func addRetiredError(diags *diag.Diagnostics, err error, r replacement) {
	var ae *atlas.Error
	errors.As(err, &ae)
	announced := ""
	if ae.Sunset != "" {
		announced = " (its Sunset header gives " + headerDate(ae.Sunset) + ")"
	}
	diags.AddError("Atlas Invitations API Retired",
		fmt.Sprintf("Atlas no longer serves the organization invitations API that atlasinv_org_invites and "+
			"atlasinv_org_invite read%s. With invitations_source = \"invitations\" this read cannot succeed again; "+
			"set invitations_source = \"auto\" (the default) for atlasinv_org_invites to read the same invitations from the organization users API. "+
			"Replace the data source with atlasinv_org_users, where a pending invitation is a user whose membership "+
			"status is PENDING. %s\n\n%s\n\n"+
			"Each invitation attribute and its counterpart are in %s.\n\n%s",
			announced, r.lists, r.block, migrationGuide, ae.Facts()))
}

// headerDate writes a Deprecation or Sunset header's HTTP date as a date a
// reader takes in at a glance ("1 July 2027"). Atlas has moved the
// invitations API's sunset twice, so the date always comes from the header;
// a value that is not an HTTP date is shown as sent.
func headerDate(h string) string {
	h = strings.TrimSpace(h)
	if secs, err := strconv.ParseInt(strings.TrimPrefix(h, "@"), 10, 64); err == nil && strings.HasPrefix(h, "@") {
		return time.Unix(secs, 0).UTC().Format("2 January 2006") // a structured date, "@" and Unix seconds
	}
	for _, layout := range []string{http.TimeFormat, "Mon, 2 Jan 2006 15:04:05 GMT", time.RFC850, time.ANSIC} {
		if t, err := time.Parse(layout, h); err == nil {
			return t.Format("2 January 2006")
		}
	}
	return h
}

// addDeprecationWarning warns once per provider that the invitations API
// is going away, as soon as Atlas says so, and shows the replacement.
func addDeprecationWarning(diags *diag.Diagnostics, client *atlas.Client, r replacement) {
	d, ok := client.TakeDeprecation()
	if !ok {
		return
	}
	diags.AddWarning("Atlas Invitations API Is Deprecated", deprecationDetail(d, r))
}
