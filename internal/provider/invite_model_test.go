package provider

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"go.mongodb.org/atlas-sdk/v20241113001/admin"
)

func TestInvitesListValue(t *testing.T) {
	t.Parallel()
	emptyGroups := tftypes.NewValue(groupRoleSetType, []tftypes.Value{})
	tests := []struct {
		name string
		body string
		want []map[string]tftypes.Value
	}{
		{
			name: "every field, times normalised to UTC, sets deduplicated",
			body: `[{"id":"6a0000000000000000000001","orgId":"5f0c0ffee0c0ffee0c0ffee0","orgName":"Acme",
				"username":"a+b@example.com","inviterUsername":"boss@example.com",
				"createdAt":"2024-05-01T12:00:00+02:00","expiresAt":"2024-06-01T10:00:00.250Z",
				"roles":["ORG_MEMBER","ORG_BILLING_ADMIN","ORG_MEMBER"],"teamIds":["t2","t1"],
				"groupRoleAssignments":[{"groupId":"g1","groupRole":"GROUP_READ_ONLY"},{"groupId":"g1","groupRole":"GROUP_OWNER"}],
				"links":[{"href":"https://example.com","rel":"self"}]}]`,
			want: []map[string]tftypes.Value{{
				"id": str("6a0000000000000000000001"), "org_id": str("5f0c0ffee0c0ffee0c0ffee0"), "org_name": str("Acme"),
				"username": str("a+b@example.com"), "inviter_username": str("boss@example.com"),
				"created_at": str("2024-05-01T10:00:00Z"), "expires_at": str("2024-06-01T10:00:00.25Z"),
				"roles": strSet("ORG_BILLING_ADMIN", "ORG_MEMBER"), "team_ids": strSet("t1", "t2"),
				"group_role_assignments": tftypes.NewValue(groupRoleSetType, []tftypes.Value{
					tftypes.NewValue(groupRoleType, map[string]tftypes.Value{"group_id": str("g1"), "group_role": str("GROUP_OWNER")}),
					tftypes.NewValue(groupRoleType, map[string]tftypes.Value{"group_id": str("g1"), "group_role": str("GROUP_READ_ONLY")}),
				}),
			}},
		},
		{
			name: "absent fields are null, absent arrays empty sets",
			body: `[{"orgName":""}]`,
			want: []map[string]tftypes.Value{{
				"id": nullString, "org_id": nullString, "org_name": nullString, "username": nullString,
				"inviter_username": nullString, "created_at": nullString, "expires_at": nullString,
				"roles": strSet(), "team_ids": strSet(), "group_role_assignments": emptyGroups,
			}},
		},
		{
			name: "group role with a missing field keeps it null",
			body: `[{"id":"x","groupRoleAssignments":[{"groupId":"g1"}]}]`,
			want: []map[string]tftypes.Value{{
				"id": str("x"), "org_id": nullString, "org_name": nullString, "username": nullString,
				"inviter_username": nullString, "created_at": nullString, "expires_at": nullString,
				"roles": strSet(), "team_ids": strSet(),
				"group_role_assignments": tftypes.NewValue(groupRoleSetType, []tftypes.Value{
					tftypes.NewValue(groupRoleType, map[string]tftypes.Value{"group_id": str("g1"), "group_role": nullString}),
				}),
			}},
		},
		{
			name: "empty answer",
			body: `[]`,
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := invitesListValue(decodeInvites(t, tt.body))
			elems := make([]tftypes.Value, len(tt.want))
			for i, attrs := range tt.want {
				elems[i] = tftypes.NewValue(inviteType, attrs)
			}
			want := tftypes.NewValue(tftypes.List{ElementType: inviteType}, elems)
			if !got.Equal(want) {
				diffs, _ := got.Diff(want)
				t.Errorf("value differs: %v", diffs)
			}
		})
	}
}

func TestInvitesListValueOrder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want []string // id of each element, in order
	}{
		{
			name: "by username then id, byte-wise",
			body: `[{"id":"3","username":"b@x.io"},{"id":"2","username":"a@x.io"},{"id":"1","username":"b@x.io"},
				{"id":"4","username":"B@x.io"},{"id":"5","username":"a+b@x.io"}]`,
			want: []string{"4", "5", "2", "1", "3"},
		},
		{
			name: "missing username sorts first",
			body: `[{"id":"2","username":"a@x.io"},{"id":"1"}]`,
			want: []string{"1", "2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var elems []tftypes.Value
			if err := invitesListValue(decodeInvites(t, tt.body)).As(&elems); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range elems {
				var attrs map[string]tftypes.Value
				var id string
				if err := e.As(&attrs); err != nil {
					t.Fatal(err)
				}
				if err := attrs["id"].As(&id); err != nil {
					t.Fatal(err)
				}
				got = append(got, id)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
}

// TestInviteTypeMatchesSchema keeps the hand-written tftypes in step with
// the schema the user sees: State.Raw is set directly, so a mismatch would
// only show up as a failed plan.
func TestInviteTypeMatchesSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, ds := range []datasource.DataSource{newOrgInvitesDataSource(), newOrgInviteDataSource()} {
		var resp datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &resp)
		if resp.Diagnostics.HasError() {
			t.Fatal(resp.Diagnostics)
		}
		obj, ok := resp.Schema.Type().TerraformType(ctx).(tftypes.Object)
		if !ok {
			t.Fatalf("schema type is %T", resp.Schema.Type().TerraformType(ctx))
		}
		if list, ok := obj.AttributeTypes["invites"]; ok {
			if !list.Equal(tftypes.List{ElementType: inviteType}) {
				t.Errorf("invites type %s differs from the conversion's %s", list, inviteType)
			}
			continue
		}
		for name, typ := range inviteAttrTypes {
			if !obj.AttributeTypes[name].Equal(typ) {
				t.Errorf("%s: schema type %v differs from the conversion's %v", name, obj.AttributeTypes[name], typ)
			}
		}
	}
}

// FuzzInvitesListValue feeds arbitrary Atlas-shaped JSON through the SDK's
// structs and the conversion: it must never panic and must always produce a
// value Terraform can be sent.
func FuzzInvitesListValue(f *testing.F) {
	for _, seed := range []string{
		`[]`,
		`[{"orgName":""}]`,
		`[{"id":"6a0000000000000000000001","orgId":"5f0c0ffee0c0ffee0c0ffee0","orgName":"Acme","username":"a+b@example.com",
			"inviterUsername":"boss@example.com","createdAt":"2024-05-01T12:00:00+02:00","expiresAt":"2024-06-01T10:00:00Z",
			"roles":["ORG_MEMBER"],"teamIds":["t1"],"groupRoleAssignments":[{"groupId":"g1","groupRole":"GROUP_READ_ONLY"}]}]`,
		`[{"username":"ü@例え.jp","roles":["A","A",""],"groupRoleAssignments":[{},{"groupId":""},{}]}]`,
		`[{"id":"1","username":"b"},{"id":"0","username":"b"},{"id":"2"}]`,
	} {
		f.Add([]byte(seed))
	}
	listType := tftypes.List{ElementType: inviteType}
	f.Fuzz(func(t *testing.T, body []byte) {
		var invs []admin.OrganizationInvitation
		if json.Unmarshal(body, &invs) != nil {
			return
		}
		v := invitesListValue(invs)
		if !v.Type().Equal(listType) {
			t.Fatalf("type %s", v.Type())
		}
		var elems []tftypes.Value
		if err := v.As(&elems); err != nil || len(elems) != len(invs) {
			t.Fatalf("%d elements for %d invitations (%v)", len(elems), len(invs), err)
		}
		if _, err := tfprotov6.NewDynamicValue(listType, v); err != nil {
			t.Fatalf("cannot encode for Terraform: %v", err)
		}
	})
}
