package provider

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	usersadmin "go.mongodb.org/atlas-sdk/v20250312020/admin"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// decodeUsers parses the results of a listOrgUsers page the way the SDK does.
func decodeUsers(t testing.TB, results string) []usersadmin.OrgUserResponse {
	t.Helper()
	var page usersadmin.PaginatedOrgUser
	if err := json.Unmarshal([]byte(`{"results":`+results+`}`), &page); err != nil {
		t.Fatalf("decoding fixture: %v", err)
	}
	return page.Results
}

func groupRoles(groupID tftypes.Value, roles tftypes.Value) tftypes.Value {
	return tftypes.NewValue(userGroupRolesType, map[string]tftypes.Value{"group_id": groupID, "group_roles": roles})
}

func TestUsersListValue(t *testing.T) {
	t.Parallel()
	null := tftypes.NewValue(tftypes.String, nil)
	tests := []struct {
		name string
		body string
		want map[string]tftypes.Value
	}{
		{
			name: "active user: every field, times in UTC, sets deduplicated, no phone number",
			body: `[{"id":"6a0000000000000000000001","username":"a+b@example.com","orgMembershipStatus":"ACTIVE",
				"roles":{"orgRoles":["ORG_MEMBER","ORG_OWNER","ORG_MEMBER"],
				  "groupRoleAssignments":[{"groupId":"g2","groupRoles":["GROUP_READ_ONLY","GROUP_OWNER","GROUP_OWNER"]},{"groupId":"g1","groupRoles":["GROUP_READ_ONLY"]},
				    {"groupId":"g1","groupRoles":["GROUP_READ_ONLY"]}]},
				"teamIds":["t2","t1"],"createdAt":"2024-05-01T12:00:00+02:00","lastAuth":"2024-06-01T10:00:00.250Z",
				"firstName":"Ada","lastName":"Lovelace","country":"GB","mobileNumber":"2125550123",
				"links":[{"href":"https://example.com","rel":"self"}]}]`,
			want: map[string]tftypes.Value{
				"id": str("6a0000000000000000000001"), "username": str("a+b@example.com"), "org_membership_status": str("ACTIVE"),
				"org_roles": strSet("ORG_MEMBER", "ORG_OWNER"),
				"group_role_assignments": tftypes.NewValue(userGroupRolesSetType, []tftypes.Value{
					groupRoles(str("g1"), strSet("GROUP_READ_ONLY")),
					groupRoles(str("g2"), strSet("GROUP_OWNER", "GROUP_READ_ONLY")),
				}),
				"team_ids": strSet("t1", "t2"), "inviter_username": null,
				"invitation_created_at": null, "invitation_expires_at": null,
				"created_at": str("2024-05-01T10:00:00Z"), "last_auth": str("2024-06-01T10:00:00.25Z"),
				"first_name": str("Ada"), "last_name": str("Lovelace"), "country": str("GB"),
			},
		},
		{
			name: "rejected invitation: no expiry, empty roles object, empty project roles",
			body: `[{"id":"6a0000000000000000000002","username":"no@example.com","orgMembershipStatus":"INVITATION_REJECTED",
				"roles":{"groupRoleAssignments":[{"groupId":"g1"},{"groupId":"g1","groupRoles":[]}]},"inviterUsername":"boss@example.com",
				"invitationCreatedAt":"2024-03-11T11:11:11Z"}]`,
			want: map[string]tftypes.Value{
				"id": str("6a0000000000000000000002"), "username": str("no@example.com"), "org_membership_status": str("INVITATION_REJECTED"),
				"org_roles": strSet(),
				"group_role_assignments": tftypes.NewValue(userGroupRolesSetType, []tftypes.Value{
					groupRoles(str("g1"), strSet()),
				}),
				"team_ids": strSet(), "inviter_username": str("boss@example.com"),
				"invitation_created_at": str("2024-03-11T11:11:11Z"), "invitation_expires_at": null,
				"created_at": null, "last_auth": null, "first_name": null, "last_name": null, "country": null,
			},
		},
		{
			name: "only the required fields: absent is null, absent arrays are empty sets",
			body: `[{"id":"6a0000000000000000000003","username":"c@example.org","orgMembershipStatus":"PENDING","roles":{}}]`,
			want: map[string]tftypes.Value{
				"id": str("6a0000000000000000000003"), "username": str("c@example.org"), "org_membership_status": str("PENDING"),
				"org_roles": strSet(), "group_role_assignments": tftypes.NewValue(userGroupRolesSetType, []tftypes.Value{}),
				"team_ids": strSet(), "inviter_username": null, "invitation_created_at": null, "invitation_expires_at": null,
				"created_at": null, "last_auth": null, "first_name": null, "last_name": null, "country": null,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := usersListValue(decodeUsers(t, tt.body))
			want := tftypes.NewValue(userListType, []tftypes.Value{tftypes.NewValue(userType, tt.want)})
			if !got.Equal(want) {
				diffs, _ := got.Diff(want)
				t.Errorf("differs: %v", diffs)
			}
		})
	}
}

func TestUsersListValueOrder(t *testing.T) {
	t.Parallel()
	// Byte-wise: upper case before lower case, '+' before '.', then id; a
	// tie on both keeps Atlas's order (told apart by first_name).
	users := decodeUsers(t, `[
		{"id":"2","username":"b@x.io","roles":{},"firstName":"first tie"},
		{"id":"1","username":"b@x.io","roles":{}},
		{"id":"9","username":"B@x.io","roles":{}},
		{"id":"3","username":"a.b@x.io","roles":{}},
		{"id":"4","username":"a+b@x.io","roles":{}},
		{"id":"2","username":"b@x.io","roles":{},"firstName":"second tie"}]`)
	var elems []tftypes.Value
	if err := usersListValue(users).As(&elems); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range elems {
		var attrs map[string]tftypes.Value
		if err := e.As(&attrs); err != nil {
			t.Fatal(err)
		}
		var id, name string
		var first *string
		_ = attrs["id"].As(&id)
		_ = attrs["username"].As(&name)
		_ = attrs["first_name"].As(&first)
		entry := name + "/" + id
		if first != nil {
			entry += "/" + *first
		}
		got = append(got, entry)
	}
	want := []string{"B@x.io/9", "a+b@x.io/4", "a.b@x.io/3", "b@x.io/1", "b@x.io/2/first tie", "b@x.io/2/second tie"}
	if !slices.Equal(got, want) {
		t.Errorf("order %q, want %q", got, want)
	}
}

// TestUserTypeMatchesSchema keeps the hand-written tftypes in step with the
// schema the user sees (State.Raw is set directly).
func TestUserTypeMatchesSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var resp datasource.SchemaResponse
	newOrgUsersDataSource().Schema(ctx, datasource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	obj, ok := resp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatalf("schema type is %T", resp.Schema.Type().TerraformType(ctx))
	}
	if !obj.AttributeTypes["users"].Equal(userListType) {
		t.Errorf("users type %s differs from the conversion's %s", obj.AttributeTypes["users"], userListType)
	}
	if !obj.AttributeTypes["org_membership_statuses"].Equal(stringSetType) {
		t.Errorf("org_membership_statuses type %s", obj.AttributeTypes["org_membership_statuses"])
	}
	for _, hidden := range []string{"mobile_number", "links"} {
		if _, ok := userAttrTypes[hidden]; ok {
			t.Errorf("%s is exposed", hidden)
		}
	}
}

// referenceUsersValue is the users conversion written the plain way: every
// value built afresh, every set cloned and sorted. usersListValue shares
// values and reuses buffers; it must give exactly the same result.
func referenceUsersValue(users []usersadmin.OrgUserResponse) tftypes.Value {
	order := make([]int, len(users))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(users[a].Username, users[b].Username), cmp.Compare(users[a].Id, users[b].Id))
	})
	str := func(s *string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	sorted := func(items *[]string) []string {
		if items == nil {
			return nil
		}
		return slices.Compact(slices.Sorted(slices.Values(*items)))
	}
	strs := func(items *[]string) tftypes.Value {
		elems := []tftypes.Value{}
		for _, s := range sorted(items) {
			elems = append(elems, tftypes.NewValue(tftypes.String, s))
		}
		return tftypes.NewValue(stringSetType, elems)
	}
	groups := func(items *[]usersadmin.GroupRoleAssignment) tftypes.Value {
		type g struct {
			key string
			a   usersadmin.GroupRoleAssignment
		}
		var gs []g
		if items != nil {
			for _, a := range *items {
				gs = append(gs, g{fmt.Sprintf("%v%q%q", a.GroupId == nil, a.GetGroupId(), sorted(a.GroupRoles)), a})
			}
		}
		slices.SortFunc(gs, func(x, y g) int { return cmp.Compare(x.key, y.key) })
		gs = slices.CompactFunc(gs, func(x, y g) bool { return x.key == y.key })
		elems := []tftypes.Value{}
		for _, e := range gs {
			elems = append(elems, groupRoles(str(e.a.GroupId), strs(e.a.GroupRoles)))
		}
		return tftypes.NewValue(userGroupRolesSetType, elems)
	}
	elems := make([]tftypes.Value, len(order))
	for i, pos := range order {
		u := &users[pos]
		elems[i] = tftypes.NewValue(userType, map[string]tftypes.Value{
			"id": tftypes.NewValue(tftypes.String, u.Id), "username": tftypes.NewValue(tftypes.String, u.Username),
			"org_membership_status": tftypes.NewValue(tftypes.String, u.OrgMembershipStatus),
			"org_roles":             strs(u.Roles.OrgRoles), "group_role_assignments": groups(u.Roles.GroupRoleAssignments),
			"team_ids": strs(u.TeamIds), "inviter_username": str(u.InviterUsername),
			"invitation_created_at": timeValue(u.InvitationCreatedAt), "invitation_expires_at": timeValue(u.InvitationExpiresAt),
			"created_at": timeValue(u.CreatedAt), "last_auth": timeValue(u.LastAuth),
			"first_name": str(u.FirstName), "last_name": str(u.LastName), "country": str(u.Country),
		})
	}
	return tftypes.NewValue(userListType, elems)
}

// userSharingCases are answers where sharing values could go wrong: role
// sets that differ only in how their bytes split into strings, a project
// without roles against one with an empty list, the same project twice.
var userSharingCases = []string{
	`[{"id":"1","roles":{"orgRoles":["a\u0000b"]}},{"id":"2","roles":{"orgRoles":["a","b"]}},{"id":"3","roles":{"orgRoles":["b","a","a"]}}]`,
	`[{"id":"1","roles":{"groupRoleAssignments":[{"groupId":"g","groupRoles":["x"]}]}},
	  {"id":"2","roles":{"groupRoleAssignments":[{"groupId":"gx"}]}},
	  {"id":"3","roles":{"groupRoleAssignments":[{"groupId":"g"},{"groupId":"g","groupRoles":[]},{}]}},
	  {"id":"4","roles":{"groupRoleAssignments":[{"groupRoles":["g"]},{"groupId":"","groupRoles":["g"]}]}},
	  {"id":"5","roles":{"groupRoleAssignments":[{"groupId":"g","groupRoles":["x","y"]},{"groupId":"g","groupRoles":["y","x"]},{"groupId":"g","groupRoles":["x"]}]}}]`,
	`[{"id":"1","teamIds":["x"],"roles":{"orgRoles":["x"]}},{"id":"2","roles":{"groupRoleAssignments":[{"groupId":"x","groupRoles":["x"]}]}}]`,
	`[{"id":"b","username":"u","roles":{}},{"id":"a","username":"u","roles":{}},{"id":"a","username":"u","country":"second"},{"username":"u"}]`,
}

func TestUsersListValueMatchesReference(t *testing.T) {
	t.Parallel()
	bodies := slices.Clone(userSharingCases)
	var ties []string
	for i := range 60 {
		ties = append(ties, fmt.Sprintf(`{"id":"a","username":"%c","firstName":"n%02d","roles":{}}`, "wuv"[i%3], i))
	}
	bodies = append(bodies, "["+strings.Join(ties, ",")+"]")
	for _, n := range []int{1, 1000} {
		body, err := json.Marshal(mockatlas.GenerateUsers(mockatlas.GeneratedOrgID(n), n, mockatlas.UserStatuses...))
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, string(body))
	}
	for i, body := range bodies {
		users := decodeUsers(t, body)
		if got, want := usersListValue(users), referenceUsersValue(users); !got.Equal(want) {
			diffs, _ := got.Diff(want)
			t.Errorf("answer %d: differs from the reference conversion: %v", i, diffs)
		}
	}
}

// FuzzUsersListValue feeds arbitrary Atlas-shaped JSON through the SDK's
// structs and the conversion: it must never panic, must give exactly what
// the plain conversion gives, and must produce a value Terraform can be sent.
func FuzzUsersListValue(f *testing.F) {
	for _, seed := range append(slices.Clone(userSharingCases), `[]`, `[{"roles":{"groupRoleAssignments":[{},{}]}}]`,
		`[{"username":"ü@例え.jp","lastAuth":"2024-05-01T12:00:00+02:00","roles":{"orgRoles":["A","A",""]}}]`) {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var page usersadmin.PaginatedOrgUser
		if json.Unmarshal(append(append([]byte(`{"results":`), body...), '}'), &page) != nil {
			return
		}
		v := usersListValue(page.Results)
		if want := referenceUsersValue(page.Results); !v.Equal(want) {
			diffs, _ := v.Diff(want)
			t.Fatalf("differs from the reference conversion: %v", diffs)
		}
		var elems []tftypes.Value
		if err := v.As(&elems); err != nil || len(elems) != len(page.Results) {
			t.Fatalf("%d elements for %d users (%v)", len(elems), len(page.Results), err)
		}
		if _, err := tfprotov6.NewDynamicValue(userListType, v); err != nil {
			t.Fatalf("cannot encode for Terraform: %v", err)
		}
	})
}
