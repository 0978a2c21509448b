package atlas_test

import (
	"context"
	"testing"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// The size of BenchmarkListOrgUsersPageLatency: issue 9 bounds this read at
// 0.35 s, where reading the 20 pages one after another takes 20 x 50 ms = 1 s.
const (
	benchUsers       = 10000
	benchPageLatency = 50 * time.Millisecond
)

// BenchmarkListOrgUsersPageLatency is one read of 10,000 pending users (20
// pages of 500) from a mock that waits 50 ms before each page, over
// loopback, with HTTP digest as in make bench. Each read gets a new client,
// as each terraform plan does: its connections are dialled and its digest
// challenge answered inside the timed read.
func BenchmarkListOrgUsersPageLatency(b *testing.B) {
	m := mockatlas.New()
	m.AddAPIKey(testPublicKey, testPrivateKey)
	m.AddUsers(testOrgID, mockatlas.GenerateUsers(testOrgID, benchUsers, mockatlas.StatusPending)...)
	m.SetUsersPageDelay(benchPageLatency)
	srv := m.Start()
	b.Cleanup(srv.Close)
	cfg := testConfig(srv.URL, atlas.AuthAPIKey)
	f := atlas.UsersFilter{Statuses: []string{mockatlas.StatusPending}}
	for b.Loop() {
		c, err := atlas.NewClient(cfg)
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		users, err := c.ListOrgUsers(ctx, testOrgID, f)
		cancel()
		if err != nil || len(users) != benchUsers {
			b.Fatalf("read %d users (%v), want %d", len(users), err, benchUsers)
		}
	}
}
