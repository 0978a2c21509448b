package provider

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// The size of BenchmarkProjectInvitesOrgWide, issue 26's speed case: an
// organization of 200 projects from an Atlas 50 ms away. Its invitations
// are read at most projectInvitesInFlight at once, so 200 x 50 ms / 9 is
// 23 rounds, 1.15 s, after the one page of projects; the issue bounds the
// read with an access token at 2 s.
const (
	benchProjects        = 200
	benchInvitesEach     = 5
	benchProjectsLatency = 50 * time.Millisecond
)

// BenchmarkProjectInvitesOrgWide is one read of atlasinv_project_invites
// with org_id over benchProjects projects, as the provider serves it to
// Terraform, from a mock that waits 50 ms before every answer: the page of
// projects, each project's invitations and, with an API key, each digest
// challenge, which is a round trip of its own. Each read configures a new
// provider, as each terraform plan does, so its connections are dialled
// inside the timed read. make bench's S9 and S9d time the same reads
// through the CLI.
func BenchmarkProjectInvitesOrgWide(b *testing.B) {
	orgID := mockatlas.GeneratedOrgID(0)
	m := mockatlas.New()
	m.AddAPIKey(testPublicKey, testPrivateKey)
	m.AddAccessToken(testAccessToken)
	m.AddGeneratedProjects(orgID, benchProjects, benchInvitesEach)
	m.SetLatency(benchProjectsLatency)
	srv := m.Start()
	b.Cleanup(srv.Close)
	for _, auth := range []struct {
		name  string
		attrs map[string]string
	}{
		{"access_token", map[string]string{"base_url": srv.URL, "access_token": testAccessToken}},
		{"digest", map[string]string{"base_url": srv.URL, "public_key": testPublicKey, "private_key": testPrivateKey}},
	} {
		b.Run(auth.name, func(b *testing.B) {
			var (
				resp   *tfprotov6.ReadDataSourceResponse
				schema *tfprotov6.Schema
			)
			for b.Loop() {
				server, schemas := protoServer(b, auth.attrs)
				schema = schemas.DataSourceSchemas["atlasinv_project_invites"]
				req := &tfprotov6.ReadDataSourceRequest{TypeName: "atlasinv_project_invites",
					Config: configValue(b, schema, map[string]string{"org_id": orgID})}
				var err error
				if resp, err = server.ReadDataSource(context.Background(), req); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/read")
			for _, d := range resp.Diagnostics {
				if d.Severity == tfprotov6.DiagnosticSeverityError {
					b.Fatalf("%s: %s", d.Summary, d.Detail)
				}
			}
			if got := listLength(b, schema, resp.State, "invites"); got != benchProjects*benchInvitesEach {
				b.Fatalf("invites holds %d, want %d", got, benchProjects*benchInvitesEach)
			}
		})
	}
}
