package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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

func TestEvaluateWire(t *testing.T) {
	t.Parallel()
	s4 := scenarioResult{ID: "S4", Floors: []measurement{{}},
		WireRuns: []wireStats{
			{PerRead: 1, TokenRequests: 1, Connections: 7},
			{PerRead: 1, TokenRequests: 1, Connections: 10},
		}}
	s4.Wire = worst(s4.WireRuns)
	for _, tg := range evaluate(&results{Scenarios: []scenarioResult{s4}}) {
		if !tg.Passed {
			t.Errorf("%s failed: %s", tg.Name, tg.Got)
		}
	}
	s4.WireRuns[0].TokenRequests = 0 // a plan that never fetched a token
	s4.WireRuns[1].Connections = 11
	s4.Wire = worst(s4.WireRuns)
	failed := map[string]bool{}
	for _, tg := range evaluate(&results{Scenarios: []scenarioResult{s4}}) {
		failed[tg.Name] = !tg.Passed
	}
	if !failed["S4 token requests per plan"] || !failed["S4 TCP connections per plan"] || failed["S4 API requests per data source"] {
		t.Errorf("failed targets: %v", failed)
	}
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
		if got := len(s.invitations(s.Orgs[0])); got != s.PerOrg {
			t.Errorf("%s: %d invitations per organization, want %d", s.ID, got, s.PerOrg)
		}
		for _, f := range s.Floors {
			if !strings.Contains(floorConfig(s, f), "n ") {
				t.Errorf("%s %s: floor configuration sets no n", s.ID, f.label())
			}
		}
	}
}
