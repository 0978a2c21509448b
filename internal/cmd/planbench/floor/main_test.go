package main

import (
	"context"
	"testing"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/cmd/planbench/floor/shape"

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

// floor_project_invites answers n invitations of package shape, each to
// project i / shape.ProjectInvitesEach, as planbench's S9 serves them.
func TestProjectInvites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ds := projectInvitesDataSource{}
	var sr datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx)
	listType := typ.(tftypes.Object).AttributeTypes["invites"] //nolint:forcetypeassert // a schema is an object
	cfg := tfsdk.Config{Schema: sr.Schema, Raw: tftypes.NewValue(typ, map[string]tftypes.Value{
		"org_id":  tftypes.NewValue(tftypes.String, "framework"),
		"n":       tftypes.NewValue(tftypes.Number, 11),
		"invites": tftypes.NewValue(listType, tftypes.UnknownValue),
	})}
	resp := datasource.ReadResponse{State: tfsdk.State{Schema: sr.Schema, Raw: cfg.Raw}}
	ds.Read(ctx, datasource.ReadRequest{Config: cfg}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	var state struct {
		Invites []struct {
			ID          string   `tfsdk:"id"`
			ProjectID   string   `tfsdk:"project_id"`
			ProjectName string   `tfsdk:"project_name"`
			Username    string   `tfsdk:"username"`
			Inviter     string   `tfsdk:"inviter_username"`
			CreatedAt   string   `tfsdk:"created_at"`
			ExpiresAt   string   `tfsdk:"expires_at"`
			Roles       []string `tfsdk:"roles"`
		} `tfsdk:"invites"`
		OrgID string `tfsdk:"org_id"`
		N     int64  `tfsdk:"n"`
	}
	if d := resp.State.Get(ctx, &state); d.HasError() {
		t.Fatal(d)
	}
	if len(state.Invites) != 11 {
		t.Fatalf("%d invitations, want 11", len(state.Invites))
	}
	last := state.Invites[10]
	if last.ID != shape.ID(10) || last.Username != shape.Username(10) || last.ProjectID != shape.ProjectID(2) ||
		last.ProjectName != "Project-0003" || last.Inviter != shape.Inviter || last.CreatedAt != shape.CreatedAt ||
		last.ExpiresAt != shape.ExpiresAt || len(last.Roles) != 1 || last.Roles[0] != shape.ProjectRole {
		t.Errorf("invitation 10 = %+v", last)
	}
}
