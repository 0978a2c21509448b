package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

func TestParseGoBench(t *testing.T) {
	t.Parallel()
	out := `goos: linux
BenchmarkInvitesListValue/10000-2         	      22	  48052294 ns/op	23421403 B/op	  340343 allocs/op
BenchmarkInvitesListValue/10000-2         	      24	  47645396 ns/op	23435042 B/op	  340343 allocs/op
BenchmarkInvitesListValue/10000-2         	      22	  58491019 ns/op	23421128 B/op	  340342 allocs/op
BenchmarkSDKDecode/10000-2                	      28	  39546087 ns/op	 128.63 MB/s	10837728 B/op	  300251 allocs/op
BenchmarkSDKDecode/1                      	  238472	      4939 ns/op	  90.30 MB/s	     992 B/op	      36 allocs/op
BenchmarkProjectInvitesOrgWide/access_token-2         	       5	1521965687 ns/op	      1522 ms/read	41529848 B/op	  890499 allocs/op
PASS
`
	file := filepath.Join(t.TempDir(), "bench.txt")
	if err := os.WriteFile(file, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := parseGoBench(file)
	if err != nil {
		t.Fatal(err)
	}
	want := []goBench{
		{Name: "BenchmarkInvitesListValue/10000", NsPerOp: 48052294, BytesPerOp: 23421128, AllocsPerOp: 340342, Samples: 3},
		{Name: "BenchmarkSDKDecode/10000", NsPerOp: 39546087, BytesPerOp: 10837728, AllocsPerOp: 300251, Samples: 1},
		{Name: "BenchmarkSDKDecode/1", NsPerOp: 4939, BytesPerOp: 992, AllocsPerOp: 36, Samples: 1},
		// A metric of its own (ms/read) is left out, the others kept.
		{Name: "BenchmarkProjectInvitesOrgWide/access_token", NsPerOp: 1521965687, BytesPerOp: 41529848, AllocsPerOp: 890499, Samples: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("benchmark %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestOutputN(t *testing.T) {
	t.Parallel()
	plan := "Changes to Outputs:\n  + n = 10000\n\nYou can apply this plan"
	if n, ok := outputN(plan); !ok || n != 10000 {
		t.Errorf("outputN = %d, %v", n, ok)
	}
	if _, ok := outputN("No changes."); ok {
		t.Error("found an n in a plan without one")
	}
}

func TestWireTargets(t *testing.T) {
	t.Parallel()
	s4 := scenarioByID(t, "S4")
	r := scenarioResult{ID: "S4", Floors: []measurement{{}},
		WireRuns: []wireStats{
			{PerRead: 1, TokenRequests: 1, Connections: 7},
			{PerRead: 1, TokenRequests: 1, Connections: 10},
		}}
	for _, tg := range scenarioTargets(s4, r, nil) {
		if !tg.Passed {
			t.Errorf("%s failed: %s", tg.Name, tg.Got)
		}
	}
	r.WireRuns[0].TokenRequests = 0 // a plan that never fetched a token
	r.WireRuns[1].Connections = 11
	failed := map[string]bool{}
	for _, tg := range scenarioTargets(s4, r, nil) {
		failed[tg.Name] = !tg.Passed
	}
	want := map[string]bool{"S4 token requests per plan": true, "S4 TCP connections per plan": true,
		"S4 API requests per data source": false}
	if !maps.Equal(failed, want) {
		t.Errorf("failed targets: %v, want %v", failed, want)
	}
}

// S6 is held to S3's atlasinv plans, not to its floor, S7's added time to
// S6's, and S8 to S2's atlasinv plans; a reference that did not run is a
// miss, not a pass.
func TestVersusTargets(t *testing.T) {
	t.Parallel()
	floor := []measurement{{Label: "floor raw", MedianSec: 1, PeakRSSKiB: 1000}}
	s3 := scenarioResult{ID: "S3", Atlasinv: measurement{MedianSec: 2, PeakRSSKiB: 100000}, Floors: floor}
	s6 := scenarioResult{ID: "S6", Atlasinv: measurement{MedianSec: 2.4, PeakRSSKiB: 131000}, Floors: floor,
		WireRuns: []wireStats{{APIRequests: 42, Unauthorized: 21, Connections: 9}}}
	s7 := scenarioResult{ID: "S7", Atlasinv: measurement{MedianSec: 2.8, PeakRSSKiB: 131000}, Floors: floor,
		WireRuns: []wireStats{{APIRequests: 42, Unauthorized: 21, Connections: 9}}}
	floor2 := []measurement{{Label: "floor raw", MedianSec: 0.5, PeakRSSKiB: 1000}}
	s2 := scenarioResult{ID: "S2", Atlasinv: measurement{MedianSec: 1, PeakRSSKiB: 30000}, Floors: floor2}
	s8 := scenarioResult{ID: "S8", Atlasinv: measurement{MedianSec: 1.15, PeakRSSKiB: 40000}, Floors: floor2,
		WireRuns: []wireStats{{APIRequests: 8, Unauthorized: 4, UsersPages: 3, OrgReads: 1, Connections: 3}}}
	all := []scenarioResult{s2, s3, s6, s7, s8}
	got := map[string]bool{}
	for _, id := range []string{"S6", "S7", "S8"} {
		r := all[slices.IndexFunc(all, func(r scenarioResult) bool { return r.ID == id })]
		for _, tg := range scenarioTargets(scenarioByID(t, id), r, all) {
			got[tg.Name] = tg.Passed
		}
	}
	want := map[string]bool{
		"S6 plan time": true, "S6 provider peak RSS": false, // 1.20 x S3; 1.31 x S3
		"S6 pages read per plan": true, "S6 TCP connections per plan": true,
		"S7 plan time added":     false, // 0.4s over S6
		"S7 pages read per plan": true, "S7 TCP connections per plan": true,
		"S8 plan time":                 true, // 1.15 x S2 (2.30 x its floor)
		"S8 users pages read per plan": true, "S8 getOrganization reads per plan": true,
		"S8 other API requests per plan": true, "S8 TCP connections per plan": true,
	}
	if !maps.Equal(got, want) {
		t.Errorf("targets passed: %v, want %v", got, want)
	}
	for _, tc := range []struct {
		id string
		r  scenarioResult
	}{{"S6", s6}, {"S8", s8}} {
		for _, tg := range scenarioTargets(scenarioByID(t, tc.id), tc.r, []scenarioResult{tc.r}) {
			if tg.Passed {
				t.Errorf("%s passed without %s: %s", tg.Name, scenarioByID(t, tc.id).Versus, tg.Got)
			}
		}
	}
	s8.Atlasinv.MedianSec = 1.25
	for _, tg := range scenarioTargets(scenarioByID(t, "S8"), s8, all) {
		if tg.Name == "S8 plan time" && tg.Passed {
			t.Errorf("S8 at 1.25 x S2 passed: %s", tg.Got)
		}
	}
}

// S8 reads 3 users pages (the third empty), getOrganization once and
// nothing else in every plan, within the connection cap.
func TestInviteesWire(t *testing.T) {
	t.Parallel()
	s8 := scenarioByID(t, "S8")
	ok := wireStats{APIRequests: 8, Unauthorized: 4, UsersPages: 3, OrgReads: 1, Connections: 3}
	for name, tc := range map[string]struct {
		plan   func(*wireStats)
		failed string
	}{
		"as read":              {func(*wireStats) {}, ""},
		"a fourth page":        {func(w *wireStats) { w.APIRequests += 2; w.Unauthorized++; w.UsersPages++ }, "S8 users pages read per plan"},
		"stopped at page 2":    {func(w *wireStats) { w.APIRequests -= 2; w.Unauthorized--; w.UsersPages-- }, "S8 users pages read per plan"},
		"no organization name": {func(w *wireStats) { w.APIRequests -= 2; w.Unauthorized--; w.OrgReads-- }, "S8 getOrganization reads per plan"},
		"the invitations API":  {func(w *wireStats) { w.APIRequests += 2; w.Unauthorized++ }, "S8 other API requests per plan"},
		"over the cap":         {func(w *wireStats) { w.Connections = 11 }, "S8 TCP connections per plan"},
	} {
		bad := ok
		tc.plan(&bad)
		r := scenarioResult{ID: "S8", Atlasinv: measurement{MedianSec: 1}, Floors: []measurement{{}}, WireRuns: []wireStats{ok, bad, ok}}
		s2 := scenarioResult{ID: "S2", Atlasinv: measurement{MedianSec: 1}}
		ts := scenarioTargets(s8, r, []scenarioResult{s2, r})
		if len(ts) != 1+len(s8.Wire) {
			t.Fatalf("%s: targets %+v", name, ts)
		}
		for _, tg := range ts {
			if tg.Passed == (tg.Name == tc.failed) {
				t.Errorf("%s: %s passed = %v (%s)", name, tg.Name, tg.Passed, tg.Got)
			}
		}
	}
}

// A digest plan's record: every request challenged once, then answered;
// users pages and getOrganization counted apart from the invitations API.
func TestCountRequests(t *testing.T) {
	t.Parallel()
	org := "/api/atlas/v2/orgs/" + mockatlas.GeneratedOrgID(s2OrgID)
	var reqs []mockatlas.Request
	for _, path := range []string{org + "/users", org + "/users", org + "/users", org, org + "/invites", "/api/oauth/token"} {
		if path != "/api/oauth/token" {
			reqs = append(reqs, mockatlas.Request{Path: path, Status: http.StatusUnauthorized})
		}
		reqs = append(reqs, mockatlas.Request{Path: path, Status: http.StatusOK})
	}
	got := countRequests(reqs, 1)
	want := wireStats{APIRequests: 10, PerRead: 10, Unauthorized: 5, TokenRequests: 1, UsersPages: 3, OrgReads: 1}
	if got != want {
		t.Errorf("countRequests = %+v, want %+v", got, want)
	}
	if other := otherPerPlan(got); other != 1 {
		t.Errorf("other API requests = %v, want 1 (the invitations API)", other)
	}
}

func TestSelectScenariosRunsWhatTheyCompareWith(t *testing.T) {
	t.Parallel()
	for only, want := range map[string]string{"S7": "S3,S6,S7", "s6": "S3,S6", "S8": "S2,S8", "S7,s8": "S2,S3,S6,S7,S8",
		"S1,S3": "S1,S3", "s9d": "S9d", "": "S1,S2,S2=,S3,S3=,S4,S5,S6,S7,S8,S9,S9d"} {
		var ids []string
		for _, s := range selectScenarios(scenarios(), only) {
			ids = append(ids, s.ID)
		}
		if got := strings.Join(ids, ","); got != want {
			t.Errorf("selectScenarios(%q) = %s, want %s", only, got, want)
		}
	}
}

func TestUsersReadTarget(t *testing.T) {
	t.Parallel()
	for ns, pass := range map[float64]bool{290e6: true, 350e6: true, 351e6: false, 1e9: false} {
		ts := usersReadTarget([]goBench{{Name: "BenchmarkListOrgUsersPageLatency", NsPerOp: ns, Samples: 1}})
		if len(ts) != 1 || ts[0].Passed != pass {
			t.Errorf("%v ns/op: %+v, want passed = %v", ns, ts, pass)
		}
	}
	if ts := usersReadTarget(nil); ts != nil {
		t.Errorf("a target without the benchmark: %+v", ts)
	}
}

// The token read is held to 2 s; the digest read, which the same
// benchmark measures, to nothing.
func TestProjectInvitesReadTarget(t *testing.T) {
	t.Parallel()
	for ns, pass := range map[float64]bool{1.2e9: true, 2e9: true, 2.001e9: false} {
		ts := projectInvitesReadTarget([]goBench{
			{Name: "BenchmarkProjectInvitesOrgWide/access_token", NsPerOp: ns, Samples: 3},
			{Name: "BenchmarkProjectInvitesOrgWide/digest", NsPerOp: 9e9, Samples: 3},
		})
		if len(ts) != 1 || ts[0].Passed != pass {
			t.Errorf("%v ns/op: %+v, want passed = %v", ns, ts, pass)
		}
	}
	if ts := projectInvitesReadTarget([]goBench{{Name: "BenchmarkProjectInvitesOrgWide/digest", NsPerOp: 1}}); ts != nil {
		t.Errorf("a target without the token benchmark: %+v", ts)
	}
}

// S9 may add 2 s to its floor's plan; S9d has no time target. Both read the
// one page of projects and 200 invitation lists, S9d with one challenge
// before each, neither with a token request.
func TestProjectsTargets(t *testing.T) {
	t.Parallel()
	token := wireStats{APIRequests: 201, Connections: 9}
	digest := wireStats{APIRequests: 402, Unauthorized: 201, Connections: 9}
	floor := []measurement{{Label: "floor framework", MedianSec: 0.4}}
	for name, tc := range map[string]struct {
		id     string
		median float64
		wire   wireStats
		failed string
	}{
		"S9 as read":              {"S9", 1.6, token, ""},
		"S9 2s over the floor":    {"S9", 2.4, token, ""},
		"S9 slower":               {"S9", 2.41, token, "S9 plan time added"},
		"S9 a project read again": {"S9", 1.6, wireStats{APIRequests: 202, Connections: 9}, "S9 API requests answered per plan"},
		"S9 challenged":           {"S9", 1.6, wireStats{APIRequests: 202, Unauthorized: 1, Connections: 9}, "S9 401 challenges per plan"},
		"S9 a token":              {"S9", 1.6, wireStats{APIRequests: 201, TokenRequests: 1, Connections: 9}, "S9 token requests per plan"},
		"S9 over the cap":         {"S9", 1.6, wireStats{APIRequests: 201, Connections: 11}, "S9 TCP connections per plan"},
		"S9d as read":             {"S9d", 9, digest, ""},
		"S9d a project short":     {"S9d", 3, wireStats{APIRequests: 400, Unauthorized: 201, Connections: 9}, "S9d API requests answered per plan"},
		"S9d a challenge short":   {"S9d", 3, wireStats{APIRequests: 401, Unauthorized: 200, Connections: 9}, "S9d 401 challenges per plan"},
	} {
		r := scenarioResult{ID: tc.id, Atlasinv: measurement{MedianSec: tc.median}, Floors: floor,
			WireRuns: []wireStats{tc.wire}}
		s := scenarioByID(t, tc.id)
		ts := scenarioTargets(s, r, []scenarioResult{r})
		if want := len(s.Wire) + map[string]int{"S9": 1, "S9d": 0}[tc.id]; len(ts) != want {
			t.Fatalf("%s: %d targets, want %d: %+v", name, len(ts), want, ts)
		}
		for _, tg := range ts {
			if tg.Passed == (tg.Name == tc.failed) {
				t.Errorf("%s: %s passed = %v (%s)", name, tg.Name, tg.Passed, tg.Got)
			}
		}
	}
}

// S9's floor answers floor_project_invites, the others floor_org_invites,
// and S9's configuration reads every project of its organization.
func TestProjectsConfigs(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"S9", "S9d"} {
		s := scenarioByID(t, id)
		if cfg := atlasinvConfig(s); !strings.Contains(cfg, `data "atlasinv_project_invites" "this"`) ||
			strings.Contains(cfg, "project_id") {
			t.Errorf("%s: configuration\n%s", id, cfg)
		}
		if cfg := floorConfig(s, s.Floors[0]); !strings.Contains(cfg, `data "floor_project_invites" "this"`) {
			t.Errorf("%s: floor configuration\n%s", id, cfg)
		}
	}
	if cfg := floorConfig(scenarioByID(t, "S1"), floorVariant{}); !strings.Contains(cfg, `data "floor_org_invites" "this"`) {
		t.Errorf("S1: floor configuration\n%s", cfg)
	}
}

func scenarioByID(t *testing.T, id string) scenario {
	t.Helper()
	for _, s := range scenarios() {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no scenario %s", id)
	return scenario{}
}

func TestConfigsReadEveryOrganization(t *testing.T) {
	t.Parallel()
	for _, s := range scenarios() {
		cfg := atlasinvConfig(s)
		for _, org := range s.Orgs {
			if !strings.Contains(cfg, `"`+org+`"`) {
				t.Errorf("%s: configuration does not read %s", s.ID, org)
			}
		}
		block := fmt.Sprintf("provider \"atlasinv\" {\n  invitations_source = %q\n}\n", s.InvitationsSource)
		if has := strings.Contains(cfg, `provider "atlasinv"`); has != (s.InvitationsSource != "") || has && !strings.Contains(cfg, block) {
			t.Errorf("%s: invitations_source %q, configuration:\n%s", s.ID, s.InvitationsSource, cfg)
		}
		for _, f := range s.Floors {
			if !strings.Contains(floorConfig(s, f), fmt.Sprintf("n = %d\n", s.PerOrg)) {
				t.Errorf("%s %s: floor configuration does not ask for %d objects", s.ID, f.label(), s.PerOrg)
			}
		}
	}
}

// Every organization of every scenario is served with PerOrg invitations
// (or pending users, for a scenario reading the users API, or project
// invitations over its projects), once, even when scenarios share
// organizations (S4 and S5, S6 and S7, S2 and S8, S9 and S9d).
func TestServeEveryOrganizationOnce(t *testing.T) {
	t.Parallel()
	mock := mockatlas.New()
	mock.AddAccessToken("bench-token")
	srv := mock.Start()
	defer srv.Close()
	served := map[string]bool{}
	for _, s := range scenarios() {
		s.serve(mock, served)
	}
	for _, s := range scenarios() {
		org := s.Orgs[len(s.Orgs)-1]
		var n int
		switch s.fixtures() {
		case "users":
			var page struct{ TotalCount int }
			getJSON(t, srv.Client(), srv.URL+"/api/atlas/v2/orgs/"+org+"/users?orgMembershipStatuses=PENDING&itemsPerPage=1",
				mockatlas.UsersMediaType, &page)
			n = page.TotalCount
		case "projects":
			var page struct{ Results []struct{ ID string } }
			getJSON(t, srv.Client(), fmt.Sprintf("%s/api/atlas/v2/orgs/%s/groups?itemsPerPage=%d", srv.URL, org,
				mockatlas.MaxItemsPerPage), mockatlas.MediaType, &page)
			if len(page.Results) != orgProjects {
				t.Errorf("%s: org %s has %d projects, want %d", s.ID, org, len(page.Results), orgProjects)
			}
			for _, p := range page.Results {
				var got []json.RawMessage
				getJSON(t, srv.Client(), srv.URL+"/api/atlas/v2/groups/"+p.ID+"/invites", mockatlas.MediaType, &got)
				n += len(got)
			}
		default:
			var got []json.RawMessage
			getJSON(t, srv.Client(), srv.URL+"/api/atlas/v2/orgs/"+org+"/invites", mockatlas.MediaType, &got)
			n = len(got)
		}
		if n != s.PerOrg {
			t.Errorf("%s: org %s: %d served, want %d", s.ID, org, n, s.PerOrg)
		}
	}
}

// S8's pending users are S2's invitations, one for one, as the org users API
// pairs them, whichever of the two is served first.
func TestS8ServesS2Invitees(t *testing.T) {
	t.Parallel()
	s2, s8 := scenarioByID(t, "S2"), scenarioByID(t, "S8")
	if !slices.Equal(s8.Orgs, s2.Orgs) || s8.PerOrg != s2.PerOrg || s8.Auth != s2.Auth || s8.Versus != "S2" {
		t.Fatalf("S8 reads %v x %d (%s), S2 %v x %d (%s)", s8.Orgs, s8.PerOrg, s8.Auth, s2.Orgs, s2.PerOrg, s2.Auth)
	}
	for _, order := range [][]scenario{{s2, s8}, {s8, s2}} {
		mock := mockatlas.New()
		mock.AddAccessToken("bench-token")
		srv := mock.Start()
		served := map[string]bool{}
		for _, s := range order {
			s.serve(mock, served)
		}
		org := s2.Orgs[0]
		var invites []mockatlas.Invitation
		getJSON(t, srv.Client(), srv.URL+"/api/atlas/v2/orgs/"+org+"/invites", mockatlas.MediaType, &invites)
		var users []mockatlas.User
		for page := 1; ; page++ {
			var p struct{ Results []mockatlas.User }
			getJSON(t, srv.Client(), fmt.Sprintf("%s/api/atlas/v2/orgs/%s/users?orgMembershipStatuses=PENDING&itemsPerPage=%d&pageNum=%d",
				srv.URL, org, mockatlas.MaxItemsPerPage, page), mockatlas.UsersMediaType, &p)
			users = append(users, p.Results...)
			if len(p.Results) < mockatlas.MaxItemsPerPage {
				break
			}
		}
		srv.Close()
		want := mockatlas.PendingUsersFor(invites)
		byName := func(a, b mockatlas.User) int { return strings.Compare(a.Username, b.Username) }
		slices.SortFunc(want, byName)
		slices.SortFunc(users, byName)
		if len(invites) != s2.PerOrg || !slices.EqualFunc(users, want, func(a, b mockatlas.User) bool {
			x, _ := json.Marshal(a)
			y, _ := json.Marshal(b)
			return string(x) == string(y)
		}) {
			t.Errorf("served %s then %s: %d invitations, %d pending users, not PendingUsersFor(the invitations)",
				order[0].ID, order[1].ID, len(invites), len(users))
		}
	}
}

func getJSON(t *testing.T, c *http.Client, url, accept string, v any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer bench-token")
	req.Header.Set("Accept", accept)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", url, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}
