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

// S6 is held to S3's atlasinv plans, not to its floor, and S7's added time
// to S6's; a reference that did not run is a miss, not a pass.
func TestVersusTargets(t *testing.T) {
	t.Parallel()
	floor := []measurement{{Label: "floor raw", MedianSec: 1, PeakRSSKiB: 1000}}
	s3 := scenarioResult{ID: "S3", Atlasinv: measurement{MedianSec: 2, PeakRSSKiB: 100000}, Floors: floor}
	s6 := scenarioResult{ID: "S6", Atlasinv: measurement{MedianSec: 2.4, PeakRSSKiB: 131000}, Floors: floor,
		WireRuns: []wireStats{{APIRequests: 42, Unauthorized: 21, Connections: 9}}}
	s7 := scenarioResult{ID: "S7", Atlasinv: measurement{MedianSec: 2.8, PeakRSSKiB: 131000}, Floors: floor,
		WireRuns: []wireStats{{APIRequests: 42, Unauthorized: 21, Connections: 9}}}
	all := []scenarioResult{s3, s6, s7}
	got := map[string]bool{}
	for _, id := range []string{"S6", "S7"} {
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
	}
	if !maps.Equal(got, want) {
		t.Errorf("targets passed: %v, want %v", got, want)
	}
	for _, tg := range scenarioTargets(scenarioByID(t, "S6"), s6, []scenarioResult{s6}) {
		if tg.Passed {
			t.Errorf("%s passed without S3: %s", tg.Name, tg.Got)
		}
	}
}

func TestSelectScenariosRunsWhatTheyCompareWith(t *testing.T) {
	t.Parallel()
	for only, want := range map[string]string{"S7": "S3,S6,S7", "s6": "S3,S6", "S1,S3": "S1,S3", "": "S1,S2,S2=,S3,S3=,S4,S5,S6,S7"} {
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
		for _, f := range s.Floors {
			if !strings.Contains(floorConfig(s, f), fmt.Sprintf("n = %d\n", s.PerOrg)) {
				t.Errorf("%s %s: floor configuration does not ask for %d objects", s.ID, f.label(), s.PerOrg)
			}
		}
	}
}

// Every organization of every scenario is served with PerOrg invitations
// (or pending users, for a users scenario), once, even when scenarios share
// organizations (S4 and S5, S6 and S7).
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
		url, accept := srv.URL+"/api/atlas/v2/orgs/"+org+"/invites", mockatlas.MediaType
		if s.Source == pendingUsers {
			url, accept = srv.URL+"/api/atlas/v2/orgs/"+org+"/users?orgMembershipStatuses=PENDING&itemsPerPage=1", mockatlas.UsersMediaType
		}
		req, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer bench-token")
		req.Header.Set("Accept", accept)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if s.Source == pendingUsers {
			var page struct{ TotalCount int }
			err = json.NewDecoder(resp.Body).Decode(&page)
			n = page.TotalCount
		} else {
			var got []json.RawMessage
			err = json.NewDecoder(resp.Body).Decode(&got)
			n = len(got)
		}
		_ = resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || n != s.PerOrg {
			t.Errorf("%s: org %s: status %d, %d served (%v), want %d", s.ID, org, resp.StatusCode, n, err, s.PerOrg)
		}
	}
}
