package provider

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"go.mongodb.org/atlas-sdk/v20241113001/admin"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// The conversion is measured beside the decode the SDK does for the same
// answer (encoding/json into []admin.OrganizationInvitation): a read pays
// both, and the conversion should cost no more than the decode
// (make bench checks that at 10,000 invitations). The conversion shares
// values between invitations; a plain reference conversion below checks it
// gives the same result.
//
//	go test -bench . -benchmem -run '^$' ./internal/provider/

var benchSizes = []int{1, 1000, 10000}

// benchBody is the JSON the mock answers for n generated invitations.
func benchBody(b *testing.B, n int) []byte {
	b.Helper()
	body, err := json.Marshal(mockatlas.GenerateInvitations(mockatlas.GeneratedOrgID(0), n))
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// BenchmarkInvitesListValue is the response-to-state conversion alone, on
// invitations already decoded by the SDK.
func BenchmarkInvitesListValue(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			body := benchBody(b, n)
			var invs []admin.OrganizationInvitation
			if err := json.Unmarshal(body, &invs); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if v := invitesListValue(invs); v.IsNull() {
					b.Fatal("null list")
				}
			}
		})
	}
}

// BenchmarkSDKDecode is what the SDK does with the same bytes before the
// conversion sees them.
func BenchmarkSDKDecode(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			body := benchBody(b, n)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				var invs []admin.OrganizationInvitation
				if err := json.Unmarshal(body, &invs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// referenceListValue is the conversion written the plain way: every value
// built afresh, every set cloned and sorted. invitesListValue shares values
// and reuses buffers; it must give exactly the same result.
func referenceListValue(invs []admin.OrganizationInvitation) tftypes.Value {
	order := make([]int, len(invs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(invs[a].GetUsername(), invs[b].GetUsername()), cmp.Compare(invs[a].GetId(), invs[b].GetId()))
	})
	str := func(s *string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	tm := func(t *time.Time) tftypes.Value {
		if t == nil {
			return tftypes.NewValue(tftypes.String, nil)
		}
		return tftypes.NewValue(tftypes.String, t.UTC().Format(time.RFC3339Nano))
	}
	strs := func(items *[]string) tftypes.Value {
		var u []string
		if items != nil {
			u = slices.Compact(slices.Sorted(slices.Values(*items)))
		}
		elems := []tftypes.Value{}
		for _, s := range u {
			elems = append(elems, tftypes.NewValue(tftypes.String, s))
		}
		return tftypes.NewValue(stringSetType, elems)
	}
	groups := func(items *[]admin.GroupRole) tftypes.Value {
		var u []admin.GroupRole
		if items != nil {
			u = slices.Clone(*items)
		}
		key := func(g admin.GroupRole) string {
			return fmt.Sprintf("%v%q%v%q", g.GroupId == nil, g.GetGroupId(), g.GroupRole == nil, g.GetGroupRole())
		}
		slices.SortFunc(u, func(a, b admin.GroupRole) int {
			return cmp.Or(comparePtr(a.GroupId, b.GroupId), comparePtr(a.GroupRole, b.GroupRole))
		})
		u = slices.CompactFunc(u, func(a, b admin.GroupRole) bool { return key(a) == key(b) })
		elems := []tftypes.Value{}
		for _, g := range u {
			elems = append(elems, tftypes.NewValue(groupRoleType, map[string]tftypes.Value{
				"group_id": str(g.GroupId), "group_role": str(g.GroupRole),
			}))
		}
		return tftypes.NewValue(groupRoleSetType, elems)
	}
	elems := make([]tftypes.Value, len(order))
	for i, pos := range order {
		inv := &invs[pos]
		orgName := tftypes.NewValue(tftypes.String, nil)
		if inv.OrgName != "" {
			orgName = tftypes.NewValue(tftypes.String, inv.OrgName)
		}
		elems[i] = tftypes.NewValue(inviteType, map[string]tftypes.Value{
			"id": str(inv.Id), "org_id": str(inv.OrgId), "org_name": orgName, "username": str(inv.Username),
			"inviter_username": str(inv.InviterUsername), "created_at": tm(inv.CreatedAt), "expires_at": tm(inv.ExpiresAt),
			"roles": strs(inv.Roles), "team_ids": strs(inv.TeamIds), "group_role_assignments": groups(inv.GroupRoleAssignments),
		})
	}
	return tftypes.NewValue(tftypes.List{ElementType: inviteType}, elems)
}

// sharingCases are answers where sharing values could go wrong: sets that
// differ only in how their bytes split into strings, absent against empty
// fields, the same set in another order, duplicates.
var sharingCases = []string{
	`[{"id":"1","roles":["a\u0000b"]},{"id":"2","roles":["a","b"]},{"id":"3","roles":["b","a","a"]},{"id":"4","roles":["a","b"]},
	  {"id":"5","roles":["a\u0001b"]},{"id":"6","roles":["a\u0001\u0000b"]},{"id":"7","roles":["a","\u0001b"]}]`,
	`[{"id":"1","teamIds":["1x"]},{"id":"2","teamIds":["1","x"]},{"id":"3","teamIds":[""]},{"id":"4","teamIds":[]}]`,
	`[{"id":"1","groupRoleAssignments":[{"groupId":"g"}]},{"id":"2","groupRoleAssignments":[{"groupId":"g","groupRole":""}]},
	  {"id":"3","groupRoleAssignments":[{"groupRole":"g"}]},{"id":"4","groupRoleAssignments":[{"groupId":"","groupRole":"g"}]},
	  {"id":"5","groupRoleAssignments":[{"groupId":"g"},{"groupId":"g"},{}]},{"id":"6","groupRoleAssignments":[{},{"groupId":"g"}]}]`,
	`[{"id":"1","roles":["x"],"teamIds":["x"]},{"id":"2","roles":["x"],"groupRoleAssignments":[{"groupId":"x","groupRole":"x"}]}]`,
	`[{"id":"1","orgId":"o","orgName":"n","inviterUsername":"i"},{"id":"2","orgId":"o","orgName":"","inviterUsername":"o"},{"id":"3"}]`,
	`[{"id":"b","username":"u"},{"id":"a","username":"u"},{"id":"a","username":"u","orgName":"second"},{"username":"u"}]`,
}

func TestInvitesListValueMatchesReference(t *testing.T) {
	t.Parallel()
	bodies := slices.Clone(sharingCases)
	// Ties on username and id keep Atlas's order, beyond the few elements an
	// insertion sort would keep in order anyway.
	var ties []string
	for i := range 60 {
		ties = append(ties, fmt.Sprintf(`{"id":"a","username":"%c","orgName":"n%02d"}`, "wuv"[i%3], i))
	}
	bodies = append(bodies, "["+strings.Join(ties, ",")+"]")
	for _, n := range []int{1, 1000} {
		body, err := json.Marshal(mockatlas.GenerateInvitations(mockatlas.GeneratedOrgID(n), n))
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, string(body))
	}
	for i, body := range bodies {
		invs := decodeInvites(t, body)
		if got, want := invitesListValue(invs), referenceListValue(invs); !got.Equal(want) {
			diffs, _ := got.Diff(want)
			t.Errorf("answer %d: differs from the reference conversion: %v", i, diffs)
		}
	}
}

// FuzzConversionMatchesReference checks the shared-value conversion
// against the plain one on arbitrary Atlas-shaped JSON.
func FuzzConversionMatchesReference(f *testing.F) {
	for _, seed := range sharingCases {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var invs []admin.OrganizationInvitation
		if json.Unmarshal(body, &invs) != nil {
			return
		}
		if got, want := invitesListValue(invs), referenceListValue(invs); !got.Equal(want) {
			diffs, _ := got.Diff(want)
			t.Fatalf("differs from the reference conversion: %v", diffs)
		}
	})
}
