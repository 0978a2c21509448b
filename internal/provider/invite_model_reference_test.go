package provider

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"go.mongodb.org/atlas-sdk/v20241113001/admin"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// referenceListValue is the conversion written from the data source's
// documented rules alone (each attribute from its API field, an absent
// field null, an absent array an empty set, sorted by username then id),
// sharing nothing with invite_model.go (no type, helper or rule of it): its
// own type literals, its own null rules, a stable sort, and sets built
// element by element, each value kept once by value equality.
// invitesListValue shares values and reuses buffers; it must give exactly
// the same result, on chosen answers and under the fuzzer.
func referenceListValue(invs []admin.OrganizationInvitation) tftypes.Value {
	str := tftypes.String
	group := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"group_id": str, "group_role": str}}
	strSet, groupSet := tftypes.Set{ElementType: str}, tftypes.Set{ElementType: group}
	invite := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"id": str, "org_id": str, "org_name": str, "username": str, "inviter_username": str,
		"created_at": str, "expires_at": str, "roles": strSet, "team_ids": strSet, "group_role_assignments": groupSet,
	}}

	// A field Atlas leaves out is null, not "".
	field := func(p *string) tftypes.Value {
		if p == nil {
			return tftypes.NewValue(str, nil)
		}
		return tftypes.NewValue(str, *p)
	}
	// Times are RFC 3339 in UTC; an absent one is null, not a zero time.
	when := func(p *time.Time) tftypes.Value {
		if p == nil {
			return tftypes.NewValue(str, nil)
		}
		return tftypes.NewValue(str, p.In(time.UTC).Format(time.RFC3339Nano))
	}
	// A set holds each value once; an absent array is the empty set.
	set := func(typ tftypes.Set, elems []tftypes.Value) tftypes.Value {
		kept := []tftypes.Value{}
		for _, e := range elems {
			if !slices.ContainsFunc(kept, e.Equal) {
				kept = append(kept, e)
			}
		}
		return tftypes.NewValue(typ, kept)
	}
	stringSet := func(p *[]string) tftypes.Value {
		var elems []tftypes.Value
		if p != nil {
			for _, s := range *p {
				elems = append(elems, tftypes.NewValue(str, s))
			}
		}
		return set(strSet, elems)
	}
	groups := func(p *[]admin.GroupRole) tftypes.Value {
		var elems []tftypes.Value
		if p != nil {
			for _, g := range *p {
				elems = append(elems, tftypes.NewValue(group, map[string]tftypes.Value{
					"group_id": field(g.GroupId), "group_role": field(g.GroupRole),
				}))
			}
		}
		return set(groupSet, elems)
	}
	// orgName is required by the OpenAPI schema, so the SDK holds it as a
	// plain string: empty is the only way to see that Atlas left it out.
	orgName := func(s string) tftypes.Value {
		if s == "" {
			return tftypes.NewValue(str, nil)
		}
		return tftypes.NewValue(str, s)
	}
	text := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}

	// Sorted by username, then id, byte-wise; ties keep Atlas's order.
	sorted := slices.Clone(invs)
	sort.SliceStable(sorted, func(i, j int) bool {
		if a, b := text(sorted[i].Username), text(sorted[j].Username); a != b {
			return a < b
		}
		return text(sorted[i].Id) < text(sorted[j].Id)
	})
	elems := []tftypes.Value{}
	for _, inv := range sorted {
		elems = append(elems, tftypes.NewValue(invite, map[string]tftypes.Value{
			"id": field(inv.Id), "org_id": field(inv.OrgId), "org_name": orgName(inv.OrgName),
			"username": field(inv.Username), "inviter_username": field(inv.InviterUsername),
			"created_at": when(inv.CreatedAt), "expires_at": when(inv.ExpiresAt),
			"roles": stringSet(inv.Roles), "team_ids": stringSet(inv.TeamIds), "group_role_assignments": groups(inv.GroupRoleAssignments),
		}))
	}
	return tftypes.NewValue(tftypes.List{ElementType: invite}, elems)
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
	  {"id":"5","groupRoleAssignments":[{"groupId":"g"},{"groupId":"g"},{}]},{"id":"6","groupRoleAssignments":[{},{"groupId":"g"}]},
	  {"id":"7","groupRoleAssignments":[{"groupId":"g"},{},{"groupId":"g"}]}]`,
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
