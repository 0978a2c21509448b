package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// The whole read of a data source as the provider serves it to Terraform:
// HTTP to the mock on loopback, the SDK's decode, the conversion, the
// framework's handling of the state and its msgpack encoding. make bench's
// S3 and S6 time the same reads through the CLI; these say where the
// provider's part of that time goes:
//
//	go test -bench ReadDataSource -run '^$' -cpuprofile cpu.out ./internal/provider/
//	go tool pprof -top cpu.out
func BenchmarkReadDataSource(b *testing.B) {
	const n = 10000
	orgID := mockatlas.GeneratedOrgID(0)
	m := mockatlas.New()
	m.AddAccessToken(testAccessToken)
	m.AddOrg(orgID, mockatlas.GenerateInvitations(orgID, n)...)
	m.AddUsers(orgID, mockatlas.GenerateUsers(orgID, n, mockatlas.StatusPending)...)
	srv := m.Start()
	b.Cleanup(srv.Close)
	server, schemas := protoServer(b, map[string]string{"base_url": srv.URL, "access_token": testAccessToken})

	reads := []struct {
		name, typeName, list string
		config               map[string]any
	}{
		{"invites_10k_one_answer", "atlasinv_org_invites", "invites", map[string]any{"org_id": orgID}},
		{"pending_users_10k_20_pages", "atlasinv_org_users", "users", map[string]any{"org_id": orgID,
			"org_membership_statuses": []tftypes.Value{tftypes.NewValue(tftypes.String, mockatlas.StatusPending)}}},
	}
	for _, r := range reads {
		b.Run(r.name, func(b *testing.B) {
			s := schemas.DataSourceSchemas[r.typeName]
			req := &tfprotov6.ReadDataSourceRequest{TypeName: r.typeName, Config: configValue(b, s, r.config)}
			b.ReportAllocs()
			var resp *tfprotov6.ReadDataSourceResponse
			for b.Loop() {
				var err error
				if resp, err = server.ReadDataSource(context.Background(), req); err != nil {
					b.Fatal(err)
				}
			}
			// Checked once, outside the timed loop: decoding the state is
			// Terraform's work, not the provider's.
			for _, d := range resp.Diagnostics {
				if d.Severity == tfprotov6.DiagnosticSeverityError {
					b.Fatalf("%s: %s", d.Summary, d.Detail)
				}
			}
			if got := listLength(b, s, resp.State, r.list); got != n {
				b.Fatalf("%s holds %d, want %d", r.list, got, n)
			}
		})
	}
}

// listLength decodes the state the provider returned and counts list's
// elements.
func listLength(b *testing.B, s *tfprotov6.Schema, state *tfprotov6.DynamicValue, list string) int {
	b.Helper()
	v, err := state.Unmarshal(s.ValueType())
	if err != nil {
		b.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	var elems []tftypes.Value
	if err := v.As(&attrs); err != nil {
		b.Fatal(err)
	}
	if err := attrs[list].As(&elems); err != nil {
		b.Fatal(err)
	}
	return len(elems)
}
