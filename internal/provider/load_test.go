package provider

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// TestAccLoad_hundredReadsThroughRateLimit reads 100 data sources (Terraform
// runs 10 at a time, its default parallelism) through a mock that enforces a
// token bucket (429 with Retry-After past it) and fails a seeded 5 % of the
// requests it admits with 503. Every read must succeed with exactly its own
// invitation, and no request may arrive before the Retry-After its previous
// attempt was given. The figures are logged for the release note.
func TestAccLoad_hundredReadsThroughRateLimit(t *testing.T) {
	const reads = 100
	invites := make([]mockatlas.Invitation, reads)
	for i := range invites {
		invites[i] = mockatlas.Invitation{
			ID: fmt.Sprintf("6a00000000000000000%05x", i), OrgID: testOrgID, OrgName: "Acme",
			Username: fmt.Sprintf("user%03d@example.com", i), Roles: []string{"ORG_MEMBER"},
		}
	}
	mock, url := newTestAtlas(t, invites...)
	mock.SetRateLimit(&mockatlas.RateLimit{Rate: 20, Burst: 10, FailRate: 0.05, Seed: 20241113})

	config := digestProvider(url, "max_retries = 10") + fmt.Sprintf(`
data "atlasinv_org_invites" "load" {
  count    = %d
  org_id   = %q
  username = format("user%%03d@example.com", count.index)
}`, reads, testOrgID)

	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: config,
			Check: func(s *terraform.State) error {
				for i, want := range invites {
					name := fmt.Sprintf("data.atlasinv_org_invites.load.%d", i)
					rs, ok := s.RootModule().Resources[name]
					if !ok {
						return fmt.Errorf("%s is not in state", name)
					}
					a := rs.Primary.Attributes
					if a["invites.#"] != "1" || a["invites.0.id"] != want.ID || a["invites.0.username"] != want.Username {
						return fmt.Errorf("%s holds %s invitations, first %q %q; want exactly %q %q",
							name, a["invites.#"], a["invites.0.id"], a["invites.0.username"], want.ID, want.Username)
					}
				}
				return nil
			},
		}},
	})
	wall := time.Since(start)

	stats := mock.RateStats()
	sent := len(mock.Requests())
	signed := countRequests(mock, func(r mockatlas.Request) bool { return r.Authenticated })
	throttled := countRequests(mock, func(r mockatlas.Request) bool { return r.Status == http.StatusTooManyRequests })
	if stats.Early != 0 {
		t.Errorf("%d requests arrived before the Retry-After they were given", stats.Early)
	}
	if stats.Throttled == 0 || stats.Failed == 0 {
		t.Errorf("the limiter throttled %d and failed %d requests: the test exercised nothing", stats.Throttled, stats.Failed)
	}
	if throttled != stats.Throttled {
		t.Errorf("the record shows %d answers 429, the limiter %d", throttled, stats.Throttled)
	}
	t.Logf("load: %d data sources, every Terraform command of the step: %d requests sent (%d signed, %d digest challenges), "+
		"%d answered 429, %d answered 503, %d retries (every refused request), %d admitted, %d early; wall time %s",
		reads, sent, signed, sent-signed, stats.Throttled, stats.Failed, stats.Throttled+stats.Failed, stats.Admitted, stats.Early,
		wall.Round(100*time.Millisecond))
}
