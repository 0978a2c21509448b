package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
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
	for _, tg := range scenarioTargets(s4, r) {
		if !tg.Passed {
			t.Errorf("%s failed: %s", tg.Name, tg.Got)
		}
	}
	r.WireRuns[0].TokenRequests = 0 // a plan that never fetched a token
	r.WireRuns[1].Connections = 11
	failed := map[string]bool{}
	for _, tg := range scenarioTargets(s4, r) {
		failed[tg.Name] = !tg.Passed
	}
	want := map[string]bool{"S4 token requests per plan": true, "S4 TCP connections per plan": true,
		"S4 API requests per data source": false}
	if !maps.Equal(failed, want) {
		t.Errorf("failed targets: %v, want %v", failed, want)
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

// Every organization of every scenario is served with PerOrg invitations,
// once, even when scenarios share organizations (S4 and S5).
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
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/api/atlas/v2/orgs/"+org+"/invites", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer bench-token")
		req.Header.Set("Accept", mockatlas.MediaType)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var got []json.RawMessage
		err = json.NewDecoder(resp.Body).Decode(&got)
		_ = resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || len(got) != s.PerOrg {
			t.Errorf("%s: org %s: status %d, %d invitations (%v), want %d", s.ID, org, resp.StatusCode, len(got), err, s.PerOrg)
		}
	}
}
