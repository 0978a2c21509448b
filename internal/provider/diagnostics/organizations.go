package diagnostics

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
)

// Atlas answers credentials that are not in an organization as it answers
// a missing role (401 USER_UNAUTHORIZED) or a missing organization (404):
// advice for either, a role above all, must wait until the organizations the
// credentials see say which it is.

// maxOrgsShown bounds the organizations a diagnostic lists.
const maxOrgsShown = 10

// OrgMayBeWrong says whether err, from a read scoped to one organization,
// is an answer Atlas also gives credentials that are not in it: then the
// organizations they see decide the advice (AddOrgScopedError).
func OrgMayBeWrong(err error) bool {
	var e *atlas.Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Kind {
	case atlas.KindUnauthorized:
		return e.ErrorCode == atlas.CodeRoleMissing
	case atlas.KindNotFound:
		return e.ErrorCode == "ORG_NOT_FOUND" || e.ErrorCode == "RESOURCE_NOT_FOUND"
	}
	return false
}

// AddOrgScopedError words err, a failed read of organization orgID for
// which OrgMayBeWrong holds, with what the organizations the credentials
// see (visible, or listErr when reading them failed) tell:
//   - orgID is not among them: org_id is at fault, and no role is advised;
//   - it is: err's own advice (AddAtlasError);
//   - they could not be read: both causes, the org id first.
func AddOrgScopedError(diags *diag.Diagnostics, err error, dataSource string, notFoundAttr path.Path,
	orgID string, visible []atlas.Organization, listErr error) {
	scopedRead{
		attr: path.Root("org_id"), notFoundAttr: notFoundAttr, thing: "Organization",
		maybeWrong: func(c atlas.Setup) string {
			return fmt.Sprintf("org_id %q may not be an organization that the %s credentials (%s, from %s) belong to: "+
				"check it for a typo, or configure credentials of that organization.",
				orgID, c.Mode, c.Principal, c.CredentialSource)
		},
		notVisible: func(e *atlas.Error) string {
			c := e.Setup
			return fmt.Sprintf("org_id %q is not one of the organizations that the %s credentials (%s, from %s) can see, "+
				"which is why Atlas answered %d %s. Check org_id for a typo, or configure credentials of "+
				"that organization (one provider configuration per organization: see the Audit several "+
				"organizations guide). %s\n\n%s",
				orgID, c.Mode, c.Principal, c.CredentialSource, e.Status, e.ErrorCode, orgsSeen(visible), e.Facts())
		},
	}.add(diags, err, dataSource, slices.ContainsFunc(visible, func(o atlas.Organization) bool { return o.GetId() == orgID }), listErr)
}

// scopedRead words the refusal of a read scoped to one organization or
// project (thing), which Atlas also gives credentials that do not see it,
// once the list of what they see has been read (seen says whether the id is
// in it) or has failed (listErr).
type scopedRead struct {
	attr, notFoundAttr path.Path
	thing              string
	// maybeWrong is the first cause when the list could not be read;
	// notVisible the detail when the id is not in it.
	maybeWrong func(atlas.Setup) string
	notVisible func(*atlas.Error) string
}

func (s scopedRead) add(diags *diag.Diagnostics, err error, dataSource string, seen bool, listErr error) {
	var e *atlas.Error
	switch {
	case !errors.As(err, &e):
		AddAtlasError(diags, err, dataSource, s.notFoundAttr)
	case listErr != nil:
		addEitherError(diags, s.attr, e, dataSource, s.thing, listErr, s.maybeWrong(e.Setup))
	case !seen:
		diags.AddAttributeError(s.attr, s.thing+" Not Visible To These Credentials", s.notVisible(e))
	default:
		AddAtlasError(diags, err, dataSource, s.notFoundAttr)
	}
}

// addEitherError is the refusal e of a read scoped to one organization or
// project (thing) when the list that would tell a wrong id from a missing
// role (of things) could not be read: both causes, the id first.
func addEitherError(diags *diag.Diagnostics, attr path.Path, e *atlas.Error, dataSource, thing string,
	listErr error, wrongID string) {
	summary := "Wrong " + thing + " Id Or No Access"
	if e.Kind == atlas.KindUnauthorized && e.Role != "" {
		summary = "Wrong " + thing + " Id Or Missing " + e.Role + " Role"
	}
	diags.AddAttributeError(attr, summary, fmt.Sprintf(
		"Atlas answered %d %s. Either of two things is wrong, and the list of %s the credentials "+
			"see, which would tell which, could not be read (%s):\n\n1. %s\n2. %s\n\n%s",
		e.Status, e.ErrorCode, strings.ToLower(thing)+"s", listFailure(listErr), wrongID, hint(e, dataSource), e.Facts()))
}

// orgsSeen lists up to maxOrgsShown organizations, names and ids.
func orgsSeen(orgs []atlas.Organization) string {
	if len(orgs) == 0 {
		return "They see no organization."
	}
	shown := make([]string, 0, min(len(orgs), maxOrgsShown))
	for i := range orgs[:min(len(orgs), maxOrgsShown)] {
		shown = append(shown, fmt.Sprintf("%q (%s)", orgs[i].GetName(), orgs[i].GetId()))
	}
	more := ""
	if n := len(orgs) - maxOrgsShown; n > 0 {
		more = fmt.Sprintf(", and %d more", n)
	}
	noun := "organizations"
	if len(orgs) == 1 {
		noun = "organization"
	}
	return fmt.Sprintf("They see %d %s: %s%s.", len(orgs), noun, strings.Join(shown, ", "), more)
}

// listFailure is why the organizations could not be read, in a few words.
func listFailure(err error) string {
	var e *atlas.Error
	if errors.As(err, &e) {
		if e.Status != 0 {
			return fmt.Sprintf("%s: Atlas answered %d %s to %s %s", Summary(e), e.Status, e.ErrorCode, e.Method, e.URL)
		}
		return Summary(e) + ": " + e.RootCause()
	}
	return err.Error()
}

// ProjectMayBeWrong is OrgMayBeWrong for a read scoped to one project:
// Atlas answers a project the credentials do not see as it answers a
// missing role or a missing project.
func ProjectMayBeWrong(err error) bool {
	var e *atlas.Error
	return errors.As(err, &e) && (e.Kind == atlas.KindNotFound ||
		e.Kind == atlas.KindUnauthorized && e.ErrorCode == atlas.CodeRoleMissing)
}

// AddProjectScopedError is AddOrgScopedError for project projectID, with
// the projects the credentials see: a project they do not see is named as
// the fault, with no role advice; when they could not be read, both causes
// are named, the project id first.
func AddProjectScopedError(diags *diag.Diagnostics, err error, dataSource, projectID string, visible []atlas.Project, listErr error) {
	scopedRead{
		attr: path.Root("project_id"), notFoundAttr: path.Root("project_id"), thing: "Project",
		maybeWrong: func(c atlas.Setup) string {
			return fmt.Sprintf("project_id %q may not be a project that the %s credentials (%s, from %s) can see: "+
				"check it for a typo (Atlas UI: Project Settings), or configure credentials of that project's organization.",
				projectID, c.Mode, c.Principal, c.CredentialSource)
		},
		notVisible: func(e *atlas.Error) string {
			c := e.Setup
			return fmt.Sprintf("project_id %q is not one of the %d projects that the %s credentials (%s, from %s) can see, "+
				"which is why Atlas answered %d %s. Check project_id for a typo (Atlas UI: Project Settings), or configure "+
				"credentials of that project's organization.\n\n%s",
				projectID, len(visible), c.Mode, c.Principal, c.CredentialSource, e.Status, e.ErrorCode, e.Facts())
		},
	}.add(diags, err, dataSource, slices.ContainsFunc(visible, func(p atlas.Project) bool { return p.GetId() == projectID }), listErr)
}
