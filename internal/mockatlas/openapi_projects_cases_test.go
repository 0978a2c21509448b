package mockatlas

// The conformance cases of the projects endpoints (openapi_projects_test.go).

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// pathWith is path with q as its query, if any.
func pathWith(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

func projectsConformanceCases() []conformanceCase {
	var cases []conformanceCase
	add := func(op string, cs []conformanceCase) {
		for _, c := range cs {
			c.op = op
			cases = append(cases, c)
		}
	}
	add(opProjectInvites, projectInvitesCases())
	add(opOrgProjects, orgProjectsCases())
	add(opTeams, teamsCases())
	add(opProjects, projectsCases())
	fault := func(f Fault) func(*Server) { return func(s *Server) { s.Script(f) } }
	for _, op := range []struct{ id, path string }{
		{opProjectInvites, "/api/atlas/v2/groups/" + DemoProjectProd + "/invites"},
		{opOrgProjects, "/api/atlas/v2/orgs/" + DemoOrgID + "/groups"},
		{opTeams, "/api/atlas/v2/orgs/" + DemoOrgID + "/teams"},
		{opProjects, specProjectsPath},
	} {
		for _, status := range []int{400, 401, 403, 404, 406, 409, 410, 429, 500, 502, 503, 504} {
			cases = append(cases, conformanceCase{name: fmt.Sprintf("fault %d", status), op: op.id, path: op.path,
				auth: viaBearer, setup: fault(Fault{Status: status}), want: []int{status}})
		}
	}
	return cases
}

// Knobs a case sets and the case after it undoes (the server is shared).
func ownerOf(principal, project string, owner bool) func(*Server) {
	return func(s *Server) { s.SetProjectOwner(principal, project, owner) }
}

func roleOf(principal string, role OrgRole) func(*Server) {
	return func(s *Server) { s.SetOrgRole(principal, role) }
}

func projectInvitesCases() []conformanceCase {
	path := func(id string, q url.Values) string { return pathWith("/api/atlas/v2/groups/"+id+"/invites", q) }
	big, dated := GeneratedOrgID(60), GenerateProjects(GeneratedOrgID(63), 1)[0]
	generated := GenerateProjects(big, 3)[1].ID
	fault := func(f Fault) func(*Server) { return func(s *Server) { s.Script(f) } }
	return []conformanceCase{
		// The legacy invitation, made by an API key: its inviterUsername is
		// no e-mail address.
		{name: "a legacy invitation", path: path(DemoProjectProd, nil), auth: viaDigest, want: []int{401, 200}},
		{name: "username", path: path(DemoProjectAnalytics, url.Values{"username": {"dave@example.net"}}), auth: viaBearer, want: []int{200}},
		{name: "username matches nothing", path: path(DemoProjectAnalytics, url.Values{"username": {"nobody@example.com"}}), auth: viaBearer, want: []int{200}},
		{name: "no invitations", path: path(DemoProjectSandbox, nil), auth: viaBearer, want: []int{200}},
		{name: "pretty, after a delay", path: path(DemoProjectProd, url.Values{"pretty": {"true"}}), auth: viaBearer, want: []int{200},
			setup: func(s *Server) { s.SetProjectInvitationsDelay(5 * time.Millisecond) }, undo: func(s *Server) { s.SetProjectInvitationsDelay(0) }},
		{name: "a generated project", path: path(generated, nil), auth: viaBearer, want: []int{200},
			setup: func(s *Server) { s.AddGeneratedProjects(big, 3, 40) }},
		{name: "dates relative to now", path: path(dated.ID, nil), auth: viaBearer, want: []int{200},
			setup: func(s *Server) {
				s.AddProjects(dated.OrgID, dated)
				for _, inv := range DemoProjectInvitationsAt(time.Now()) {
					inv.GroupID, inv.GroupName = dated.ID, dated.Name
					s.AddProjectInvitations(dated.ID, inv)
				}
			}},
		{name: "401 no credentials", path: path(DemoProjectProd, nil), auth: viaNone, want: []int{401}},
		{name: "401 wrong private key", path: path(DemoProjectProd, nil), auth: viaBadDigest, want: []int{401, 401}},
		{name: "401 key without Project Owner there", path: path(DemoProjectProd, nil), auth: viaDigest, want: []int{401, 401},
			setup: ownerOf(DemoPublicKey, DemoProjectProd, false), undo: ownerOf(DemoPublicKey, DemoProjectProd, true)},
		{name: "401 Organization Member", path: path(DemoProjectProd, nil), auth: viaBearer, want: []int{401},
			setup: roleOf("token", RoleOrgMember), undo: roleOf("token", RoleOrgOwner)},
		{name: "200 Organization Member with Project Owner", path: path(DemoProjectProd, nil), auth: viaBearer, want: []int{200},
			setup: func(s *Server) {
				s.SetOrgRole("token", RoleOrgMember)
				s.SetProjectOwner("token", DemoProjectProd, true)
			},
			undo: roleOf("token", RoleOrgOwner)},
		{name: "401 token of another organization", path: path(DemoProjectProd, nil), auth: viaBearer, want: []int{401},
			setup: func(s *Server) { s.RestrictToOrg("token", big) }, undo: func(s *Server) { s.RestrictToOrg("token", "") }},
		{name: "403 address not on the access list", path: path(DemoProjectProd, nil), auth: viaBearer, want: []int{403},
			setup: func(s *Server) { s.SetAccessList("token", "192.0.2.0/24") }, undo: func(s *Server) { s.SetAccessList("token") }},
		{name: "404 unknown project", path: path(unknownOrgID, nil), auth: viaDigest, want: []int{401, 404}},
		{name: "400 invalid project id", path: path("abc", nil), auth: viaBearer, want: []int{400}, badParam: "groupId"},
		{name: "410 retired", path: path(DemoProjectProd, nil), auth: viaDigest, want: []int{401, 410},
			setup: func(s *Server) { s.RetireProjectInvitations(true) }, undo: func(s *Server) { s.RetireProjectInvitations(false) }},
		{name: "200 while the organization invitations are retired", path: path(DemoProjectProd, nil), auth: viaBearer, want: []int{200},
			setup: func(s *Server) { s.RetireInvitations(true) }, undo: func(s *Server) { s.RetireInvitations(false) }},
		{name: "406 other version", path: path(DemoProjectProd, nil), auth: viaBearer,
			hdr: map[string]string{"Accept": UsersMediaType}, want: []int{406}},
		{name: "control: username not an e-mail address", path: path(DemoProjectProd, nil), auth: viaBearer, want: []int{200},
			setup: fault(Fault{Body: `[{"id":"6636b8e0f1a2b3c4d5e6f701","username":"qzjxkbmw"}]`}), wantInvalid: "email"},
		{name: "control: a page instead of an array", path: path(DemoProjectProd, nil), auth: viaBearer, want: []int{200},
			setup: fault(Fault{Body: `{"results":[]}`}), wantInvalid: "doesn't match schema"},
		{name: "control: roles not unique", path: path(DemoProjectProd, nil), auth: viaBearer, want: []int{200},
			setup: fault(Fault{Body: `[{"id":"6636b8e0f1a2b3c4d5e6f701","roles":["GROUP_OWNER","GROUP_OWNER"]}]`}), wantInvalid: "duplicate"},
	}
}

func orgProjectsCases() []conformanceCase {
	path := func(orgID string, q url.Values) string { return pathWith("/api/atlas/v2/orgs/"+orgID+"/groups", q) }
	big := GeneratedOrgID(61)
	count := func(c Count) func(*Server) { return func(s *Server) { s.SetProjectsTotalCount(c) } }
	exact := count(Count{})
	neg := int64(-1)
	fault := func(f Fault) func(*Server) { return func(s *Server) { s.Script(f) } }
	return []conformanceCase{
		{name: "the demo's projects", path: path(DemoOrgID, nil), auth: viaDigest, want: []int{401, 200}},
		{name: "name prefix, any case", path: path(DemoOrgID, url.Values{"name": {"coffee-p"}}), auth: viaBearer, want: []int{200}},
		{name: "name matches nothing", path: path(DemoOrgID, url.Values{"name": {"nothing"}}), auth: viaBearer, want: []int{200}},
		{name: "page 1 of 3 with count", path: path(big, url.Values{"itemsPerPage": {"500"}, "pageNum": {"1"}, "includeCount": {"true"}}),
			auth: viaBearer, want: []int{200}, setup: func(s *Server) { s.AddProjects(big, GenerateProjects(big, 1234)...) }},
		{name: "page 3 without count", path: path(big, url.Values{"itemsPerPage": {"500"}, "pageNum": {"3"}, "includeCount": {"false"}}),
			auth: viaBearer, want: []int{200}},
		{name: "page past the end", path: path(big, url.Values{"itemsPerPage": {"500"}, "pageNum": {"9"}}), auth: viaBearer, want: []int{200}},
		{name: "count skewed", path: path(big, nil), auth: viaBearer, setup: count(Count{Skew: -7}), undo: exact, want: []int{200}},
		{name: "count absent although asked for", path: path(big, url.Values{"includeCount": {"true"}}), auth: viaBearer,
			setup: count(Count{Absent: true}), undo: exact, want: []int{200}},
		{name: "200 Organization Member", path: path(DemoOrgID, nil), auth: viaDigest, want: []int{401, 200},
			setup: roleOf(DemoPublicKey, RoleOrgMember), undo: roleOf(DemoPublicKey, RoleOrgOwner)},
		{name: "401 Organization Read Only", path: path(DemoOrgID, nil), auth: viaDigest, want: []int{401, 401},
			setup: roleOf(DemoPublicKey, RoleOrgReadOnly), undo: roleOf(DemoPublicKey, RoleOrgOwner)},
		{name: "401 key of another organization", path: path(DemoOrgID, nil), auth: viaDigest, want: []int{401, 401},
			setup: func(s *Server) { s.RestrictToOrg(DemoPublicKey, big) }, undo: func(s *Server) { s.RestrictToOrg(DemoPublicKey, "") }},
		{name: "403 address not on the access list", path: path(DemoOrgID, nil), auth: viaBearer, want: []int{403},
			setup: func(s *Server) { s.SetAccessList("token", "192.0.2.0/24") }, undo: func(s *Server) { s.SetAccessList("token") }},
		{name: "404 unknown org", path: path(unknownOrgID, nil), auth: viaBearer, want: []int{404}},
		{name: "400 invalid org id", path: path("abc", nil), auth: viaBearer, want: []int{400}, badParam: "orgId"},
		{name: "400 itemsPerPage over 500", path: path(DemoOrgID, url.Values{"itemsPerPage": {"501"}}), auth: viaBearer, want: []int{400}, badParam: "itemsPerPage"},
		{name: "406 other version", path: path(DemoOrgID, nil), auth: viaBearer, hdr: map[string]string{"Accept": UsersMediaType}, want: []int{406}},
		{name: "control: a project without a name", path: path(DemoOrgID, nil), auth: viaBearer, want: []int{200},
			setup:       fault(Fault{Body: `{"results":[{"id":"` + DemoProjectProd + `","orgId":"` + DemoOrgID + `","clusterCount":0,"created":"2024-01-01T00:00:00Z"}]}`}),
			wantInvalid: "doesn't match schema"},
		{name: "control: a name with a space", path: path(DemoOrgID, nil), auth: viaBearer, want: []int{200},
			setup:       fault(Fault{Body: `{"results":[{"id":"` + DemoProjectProd + `","orgId":"` + DemoOrgID + `","clusterCount":0,"created":"2024-01-01T00:00:00Z","name":"Coffee Prod"}]}`}),
			wantInvalid: "doesn't match schema"},
		{name: "control: negative count", path: path(DemoOrgID, nil), auth: viaBearer, setup: count(Count{Fixed: &neg}), undo: exact,
			want: []int{200}, wantInvalid: "doesn't match schema"},
	}
}

func teamsCases() []conformanceCase {
	path := func(orgID string, q url.Values) string { return pathWith("/api/atlas/v2/orgs/"+orgID+"/teams", q) }
	big := GeneratedOrgID(62)
	fault := func(f Fault) func(*Server) { return func(s *Server) { s.Script(f) } }
	return []conformanceCase{
		{name: "the demo's teams", path: path(DemoOrgID, nil), auth: viaDigest, want: []int{401, 200}},
		{name: "page 2 of 2 with count", path: path(big, url.Values{"itemsPerPage": {"500"}, "pageNum": {"2"}}), auth: viaBearer, want: []int{200},
			setup: func(s *Server) { s.AddTeams(big, GenerateTeams(big, 700)...) }},
		{name: "page 1 without count", path: path(big, url.Values{"itemsPerPage": {"500"}, "includeCount": {"false"}}), auth: viaBearer, want: []int{200}},
		{name: "an organization without teams", path: path(GeneratedOrgID(61), nil), auth: viaBearer, want: []int{200},
			setup: func(s *Server) { s.AddProjects(GeneratedOrgID(61)) }},
		{name: "count skewed", path: path(DemoOrgID, nil), auth: viaBearer, want: []int{200},
			setup: func(s *Server) { s.SetTeamsTotalCount(Count{Skew: 2}) }, undo: func(s *Server) { s.SetTeamsTotalCount(Count{}) }},
		{name: "200 Organization Member", path: path(DemoOrgID, nil), auth: viaBearer, want: []int{200},
			setup: roleOf("token", RoleOrgMember), undo: roleOf("token", RoleOrgOwner)},
		{name: "401 Organization Read Only", path: path(DemoOrgID, nil), auth: viaBearer, want: []int{401},
			setup: roleOf("token", RoleOrgReadOnly), undo: roleOf("token", RoleOrgOwner)},
		{name: "401 no credentials", path: path(DemoOrgID, nil), auth: viaNone, want: []int{401}},
		{name: "404 unknown org", path: path(unknownOrgID, nil), auth: viaBearer, want: []int{404}},
		{name: "400 pageNum 0", path: path(DemoOrgID, url.Values{"pageNum": {"0"}}), auth: viaBearer, want: []int{400}, badParam: "pageNum"},
		{name: "406 other version", path: path(DemoOrgID, nil), auth: viaBearer, hdr: map[string]string{"Accept": "application/json"}, want: []int{406}},
		{name: "control: a name that is a number", path: path(DemoOrgID, nil), auth: viaBearer, want: []int{200},
			setup: fault(Fault{Body: `{"results":[{"id":"65badf003cd654af4dfad714","name":7}]}`}), wantInvalid: "doesn't match schema"},
	}
}

func projectsCases() []conformanceCase {
	path := func(q url.Values) string { return pathWith(specProjectsPath, q) }
	home := GeneratedOrgID(61)
	return []conformanceCase{
		{name: "every project", path: path(nil), auth: viaDigest, want: []int{401, 200}},
		{name: "page 2 with count", path: path(url.Values{"itemsPerPage": {"500"}, "pageNum": {"2"}}), auth: viaBearer, want: []int{200}},
		{name: "pretty", path: path(url.Values{"pretty": {"true"}, "itemsPerPage": {"2"}}), auth: viaBearer, want: []int{200}},
		{name: "key of one organization", path: path(nil), auth: viaDigest, want: []int{401, 200},
			setup: func(s *Server) { s.RestrictToOrg(DemoPublicKey, home) }, undo: func(s *Server) { s.RestrictToOrg(DemoPublicKey, "") }},
		{name: "200 Organization Read Only", path: path(nil), auth: viaBearer, want: []int{200},
			setup: roleOf("token", RoleOrgReadOnly), undo: roleOf("token", RoleOrgOwner)},
		{name: "401 unknown bearer token", path: path(nil), auth: viaBadBearer, want: []int{401}},
		{name: "403 address not on the access list", path: path(nil), auth: viaDigest, want: []int{401, 403},
			setup: func(s *Server) { s.SetAccessList(DemoPublicKey, "192.0.2.0/24") }, undo: func(s *Server) { s.SetAccessList(DemoPublicKey) }},
		{name: "400 itemsPerPage 0", path: path(url.Values{"itemsPerPage": {"0"}}), auth: viaBearer, want: []int{400}, badParam: "itemsPerPage"},
		{name: "406 other version", path: path(nil), auth: viaBearer, hdr: map[string]string{"Accept": strings.Replace(MediaType, "2023-01-01", "2024-08-05", 1)},
			want: []int{406}},
	}
}
