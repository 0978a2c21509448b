package mockatlas

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlasapi"
)

func projectInvitesURL(baseURL, projectID string) string {
	return baseURL + "/api/atlas/v2/groups/" + projectID + "/invites"
}

func decodeProjectInvites(t *testing.T, body []byte) []ProjectInvitation {
	t.Helper()
	var out []ProjectInvitation
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("body is not a JSON array of project invitations: %v: %s", err, body)
	}
	return out
}

// getPage reads one page of a projects or teams list: the ids and names of
// its results, its links by rel, and its count.
func getPage(t *testing.T, url string) (ids, names []string, links map[string]string, count *int64) {
	t.Helper()
	status, _, body := do(t, nil, http.MethodGet, url, bearer())
	var page struct {
		Links   []link `json:"links"`
		Results []struct {
			ID, Name string
		} `json:"results"`
		TotalCount *int64 `json:"totalCount"`
	}
	if err := json.Unmarshal(body, &page); status != 200 || err != nil {
		t.Fatalf("GET %s: %d %v: %s", url, status, err, body)
	}
	links = map[string]string{}
	for _, l := range page.Links {
		links[l.Rel] = l.Href
	}
	for _, r := range page.Results {
		ids, names = append(ids, r.ID), append(names, r.Name)
	}
	return ids, names, links, page.TotalCount
}

// The demo's legacy project invitation is in the project invitations, and
// in neither organization list; the demo's projects and teams name every
// id its invitations and users carry.
func TestDemoProjectsAndTeams(t *testing.T) {
	_, ts, _ := start(t)
	const legacy = "mallory.contractor@example.org"
	_, _, body := do(t, nil, http.MethodGet, projectInvitesURL(ts.URL, DemoProjectProd), bearer())
	got := decodeProjectInvites(t, body)
	if len(got) != 1 || got[0].ID != DemoLegacyInviteID || got[0].Username != legacy || !slices.Equal(got[0].Roles, []string{"GROUP_OWNER"}) ||
		got[0].GroupName != "Coffee-Prod" || strings.Contains(got[0].InviterUsername, "@") {
		t.Errorf("Coffee-Prod's invitations: %+v, want the legacy GROUP_OWNER, invited by an API key", got)
	}
	for u, hdr := range map[string]map[string]string{
		invitesURL(ts, DemoOrgID): bearer(),
		usersURL(ts.URL, DemoOrgID, url.Values{"orgMembershipStatuses": UserStatuses}): usersAs(UsersMediaType),
	} {
		if status, _, body := do(t, nil, http.MethodGet, u, hdr); status != 200 || strings.Contains(string(body), legacy) {
			t.Errorf("%s: %d, or it lists the legacy project invitation: %s", u, status, body)
		}
	}
	projects := map[string]bool{}
	ids, _, _, _ := getPage(t, orgURL(ts.URL, DemoOrgID)+"/groups")
	for _, id := range ids {
		projects[id] = true
	}
	teams := map[string]bool{}
	ids, _, _, _ = getPage(t, orgURL(ts.URL, DemoOrgID)+"/teams")
	for _, id := range ids {
		teams[id] = true
	}
	for _, inv := range DemoInvitations() {
		for _, g := range inv.GroupRoleAssignments {
			if !projects[g.GroupID] {
				t.Errorf("invitation %s names project %s, which the demo does not hold", inv.ID, g.GroupID)
			}
		}
		for _, id := range inv.TeamIDs {
			if !teams[id] {
				t.Errorf("invitation %s names team %s, which the demo does not hold", inv.ID, id)
			}
		}
	}
	if len(projects) != 3 || len(teams) != 3 || len(DemoInvitations()) != 5 || len(DemoUsers()) != 9 {
		t.Errorf("%d projects, %d teams, %d invitations, %d users", len(projects), len(teams), len(DemoInvitations()), len(DemoUsers()))
	}
}

// The project invitations carry their own Deprecation and Sunset headers;
// the other new endpoints carry none.
func TestProjectInvitationsDeprecationHeaders(t *testing.T) {
	s, ts, _ := start(t)
	get := func(u string) (string, string) {
		_, h, _ := do(t, nil, http.MethodGet, u, bearer())
		return h.Get(atlasapi.DeprecationHeader), h.Get(atlasapi.SunsetHeader)
	}
	project := projectInvitesURL(ts.URL, DemoProjectProd)
	s.SetSunset("Tue, 15 Sep 2026 00:00:00 GMT") // the organization invitations' alone
	if dep, sun := get(project); dep != ProjectInvitationsDeprecationDate || sun != ProjectInvitationsSunsetDate {
		t.Errorf("project invitations: Deprecation %q, Sunset %q", dep, sun)
	}
	if dep, sun := get(invitesURL(ts, DemoOrgID)); dep != DeprecationDate || sun != "Tue, 15 Sep 2026 00:00:00 GMT" {
		t.Errorf("organization invitations: Deprecation %q, Sunset %q", dep, sun)
	}
	s.SetProjectInvitationsSunset("Fri, 31 Jul 2026 00:00:00 GMT")
	if _, sun := get(project); sun != "Fri, 31 Jul 2026 00:00:00 GMT" {
		t.Errorf("moved Sunset: %q", sun)
	}
	if _, sun := get(projectInvitesURL(ts.URL, unknownOrgID)); sun != "Fri, 31 Jul 2026 00:00:00 GMT" {
		t.Errorf("404: Sunset %q, want it on errors too", sun)
	}
	s.SetProjectInvitationsSunset("")
	for _, u := range []string{orgURL(ts.URL, DemoOrgID) + "/groups", orgURL(ts.URL, DemoOrgID) + "/teams", ts.URL + specProjectsPath} {
		if dep, sun := get(u); dep != "" || sun != "" {
			t.Errorf("%s: Deprecation %q, Sunset %q, want none", u, dep, sun)
		}
	}
	s.SetDeprecationHeaders(false)
	if dep, sun := get(project); dep != "" || sun != "" {
		t.Errorf("headers off: Deprecation %q, Sunset %q", dep, sun)
	}
}

// Atlas retires the two invitations APIs on their own: each switch retires
// one, with Atlas's wording and that API's headers.
func TestInvitationsRetireSeparately(t *testing.T) {
	s, ts, _ := start(t)
	project, org := projectInvitesURL(ts.URL, DemoProjectProd), invitesURL(ts, DemoOrgID)
	s.SetDeprecationHeaders(false) // a retired API still sends them
	s.RetireProjectInvitations(true)
	status, h, body := do(t, nil, http.MethodGet, project, bearer())
	e := decodeError(t, body)
	wantDetail := "Version 2023-01-01 of api/atlas/v2/groups/" + DemoProjectProd + "/invites is no longer available"
	if status != http.StatusGone || e.ErrorCode != "VERSION_GONE" || e.Detail != wantDetail ||
		h.Get(atlasapi.DeprecationHeader) != ProjectInvitationsDeprecationDate || h.Get(atlasapi.SunsetHeader) != ProjectInvitationsSunsetDate {
		t.Errorf("retired project invitations: %d %+v %v", status, e, h)
	}
	if status, _, _ := do(t, nil, http.MethodGet, org, bearer()); status != 200 {
		t.Errorf("organization invitations while the project invitations are retired: %d", status)
	}
	s.RetireProjectInvitations(false)
	s.RetireInvitations(true)
	if status, _, _ := do(t, nil, http.MethodGet, project, bearer()); status != 200 {
		t.Errorf("project invitations while the organization invitations are retired: %d", status)
	}
	if status, h, _ := do(t, nil, http.MethodGet, org, bearer()); status != http.StatusGone || h.Get(atlasapi.DeprecationHeader) != DeprecationDate {
		t.Errorf("retired organization invitations: %d %v", status, h)
	}
}

// A key without Project Owner on one project reads every other.
func TestProjectOwnerOnOneProject(t *testing.T) {
	s, ts, _ := start(t)
	s.SetProjectOwner("token", DemoProjectProd, false)
	status, h, body := do(t, nil, http.MethodGet, projectInvitesURL(ts.URL, DemoProjectProd), bearer())
	if e := decodeError(t, body); status != 401 || e.ErrorCode != RoleMissingCode || e.Detail != RoleMissingDetail || h.Get("WWW-Authenticate") != "" {
		t.Errorf("the project without the role: %d %+v %v", status, e, h)
	}
	for _, u := range []string{projectInvitesURL(ts.URL, DemoProjectAnalytics), orgURL(ts.URL, DemoOrgID) + "/groups", invitesURL(ts, DemoOrgID)} {
		if status, _, body := do(t, nil, http.MethodGet, u, bearer()); status != 200 {
			t.Errorf("%s: %d %s", u, status, body)
		}
	}
	// A project the mock does not hold is 404 whatever the roles.
	status, _, body = do(t, nil, http.MethodGet, projectInvitesURL(ts.URL, unknownOrgID), bearer())
	if e := decodeError(t, body); status != 404 || e.ErrorCode != "GROUP_NOT_FOUND" || e.Detail != "No group with ID "+unknownOrgID+" exists." ||
		len(e.Parameters) != 1 || e.Parameters[0] != unknownOrgID {
		t.Errorf("unknown project: %d %+v", status, e)
	}
	status, _, body = do(t, nil, http.MethodGet, projectInvitesURL(ts.URL, "ABC"), bearer())
	if e := decodeError(t, body); status != 400 || e.ErrorCode != "INVALID_GROUP_ID" {
		t.Errorf("invalid project id: %d %+v", status, e)
	}
}

// Credentials of one organization see its projects alone, and are refused
// the invitations of another organization's project.
func TestProjectsOfOneOrganization(t *testing.T) {
	s, ts, _ := start(t)
	home := GeneratedOrgID(7)
	mine := s.AddGeneratedProjects(home, 2, 1)
	s.RestrictToOrg("token", home)
	ids, _, _, count := getPage(t, ts.URL+specProjectsPath)
	if !slices.Equal(ids, []string{mine[0].ID, mine[1].ID}) || count == nil || *count != 2 {
		t.Errorf("listGroups: %v (count %v), want %s and %s", ids, count, mine[0].ID, mine[1].ID)
	}
	if status, _, _ := do(t, nil, http.MethodGet, projectInvitesURL(ts.URL, DemoProjectProd), bearer()); status != 401 {
		t.Errorf("another organization's project: %d, want 401", status)
	}
	if status, _, body := do(t, nil, http.MethodGet, projectInvitesURL(ts.URL, mine[1].ID), bearer()); status != 200 || len(decodeProjectInvites(t, body)) != 1 {
		t.Errorf("its own project: %d %s", status, body)
	}
	s.RestrictToOrg("token", "")
	if ids, _, _, _ := getPage(t, ts.URL+specProjectsPath); len(ids) != 5 {
		t.Errorf("unrestricted: %d projects, want 5", len(ids))
	}
}

// getOrgGroups pages by name, filters by a case-insensitive prefix and
// estimates its count as scripted.
func TestOrgProjectsPages(t *testing.T) {
	s, ts, _ := start(t)
	org := GeneratedOrgID(8)
	s.AddProjects(org, GenerateProjects(org, 1234)...)
	base := orgURL(ts.URL, org) + "/groups"
	var all, names []string
	for page := 1; page <= 3; page++ {
		ids, ns, links, count := getPage(t, base+"?itemsPerPage=500&pageNum="+string(rune('0'+page)))
		all, names = append(all, ids...), append(names, ns...)
		if count == nil || *count != 1234 || links["self"] == "" || (links["next"] != "") != (page < 3) || (links["previous"] != "") != (page > 1) {
			t.Errorf("page %d: count %v, links %v", page, count, links)
		}
	}
	slices.Sort(all)
	if len(slices.Compact(all)) != 1234 || !slices.IsSorted(names) || names[0] != "Project-0001-"+strings.SplitN(names[0], "-", 3)[2] {
		t.Errorf("%d distinct projects, sorted by name %v, first %q", len(all), slices.IsSorted(names), names[0])
	}
	_, ns, _, count := getPage(t, base+"?name=pROJECT-000")
	if len(ns) != 9 || *count != 9 {
		t.Errorf("name prefix: %v (count %v), want Project-0001 to -0009", ns, *count)
	}
	s.SetProjectsTotalCount(Count{Skew: 3})
	if _, _, _, count := getPage(t, base+"?itemsPerPage=1"); *count != 1237 {
		t.Errorf("skewed count %d", *count)
	}
	s.SetProjectsTotalCount(Count{Absent: true})
	if _, _, _, count := getPage(t, base); count != nil {
		t.Errorf("absent count %d", *count)
	}
}

// listOrgTeams pages by name.
func TestTeamsPages(t *testing.T) {
	s, ts, _ := start(t)
	org := GeneratedOrgID(9)
	s.AddTeams(org, GenerateTeams(org, 501)...)
	ids, names, links, count := getPage(t, orgURL(ts.URL, org)+"/teams?itemsPerPage=500")
	more, _, _, _ := getPage(t, links["next"])
	if len(ids) != 500 || len(more) != 1 || *count != 501 || !slices.IsSorted(names) || names[0] != "Team-0001" {
		t.Errorf("%d then %d teams, count %d, first %q", len(ids), len(more), *count, names[0])
	}
	_, names, _, _ = getPage(t, orgURL(ts.URL, DemoOrgID)+"/teams")
	if !slices.Equal(names, []string{"Baristas", "Platform-Ops", "Roasters"}) {
		t.Errorf("demo teams %v", names)
	}
}

func TestProjectInvitationsDelay(t *testing.T) {
	s, ts, _ := start(t)
	const d = 40 * time.Millisecond
	s.SetProjectInvitationsDelay(d)
	begin := time.Now()
	if status, _, _ := do(t, nil, http.MethodGet, projectInvitesURL(ts.URL, DemoProjectProd), bearer()); status != 200 || time.Since(begin) < d {
		t.Errorf("status %d after %v, want 200 after at least %v", status, time.Since(begin), d)
	}
}
