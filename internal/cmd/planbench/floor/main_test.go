package main

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// read runs the data source as Terraform would, with org_id and n set.
func read(tb testing.TB, orgID string, n int) tftypes.Value {
	tb.Helper()
	ctx := context.Background()
	var sr datasource.SchemaResponse
	invitesDataSource{}.Schema(ctx, datasource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx)
	listType := typ.(tftypes.Object).AttributeTypes["invites"] //nolint:forcetypeassert // a schema is an object
	cfg := tfsdk.Config{Schema: sr.Schema, Raw: tftypes.NewValue(typ, map[string]tftypes.Value{
		"org_id":  tftypes.NewValue(tftypes.String, orgID),
		"n":       tftypes.NewValue(tftypes.Number, n),
		"invites": tftypes.NewValue(listType, tftypes.UnknownValue),
	})}
	resp := datasource.ReadResponse{State: tfsdk.State{Schema: sr.Schema, Raw: cfg.Raw}}
	invitesDataSource{}.Read(ctx, datasource.ReadRequest{Config: cfg}, &resp)
	if resp.Diagnostics.HasError() {
		tb.Fatal(resp.Diagnostics)
	}
	return resp.State.Raw
}

// The two ways must hand Terraform the same state, or comparing plans with
// them would compare different work.
func TestRawAndFrameworkAgree(t *testing.T) {
	t.Parallel()
	framework := read(t, "raw-shaped", 3)
	raw := read(t, "raw", 3)
	rebuilt := rawState(context.Background(), raw.Type(), "raw-shaped", 3)
	if !framework.Equal(rebuilt) {
		diffs, _ := framework.Diff(rebuilt)
		t.Fatalf("framework and raw states differ: %v", diffs)
	}
	var got map[string]tftypes.Value
	var list []tftypes.Value
	if err := raw.As(&got); err != nil {
		t.Fatal(err)
	}
	if err := got["invites"].As(&list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 {
		t.Fatalf("raw read answered %d invitations, want 3", len(list))
	}
	var second map[string]tftypes.Value
	var user string
	if err := list[1].As(&second); err != nil {
		t.Fatal(err)
	}
	if err := second["username"].As(&user); err != nil || user != "user000001@big.example" {
		t.Errorf("second username = %q (%v)", user, err)
	}
}

func BenchmarkRead10k(b *testing.B) {
	for _, orgID := range []string{"framework", "raw"} {
		b.Run(orgID, func(b *testing.B) {
			for b.Loop() {
				read(b, orgID, 10000)
			}
		})
	}
}
