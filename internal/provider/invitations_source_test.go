package provider

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// pairedAtlas is a mock whose test organization has the demo invitations
// and, in the users API, their pending users as Atlas pairs them.
func pairedAtlas(t *testing.T) (*mockatlas.Server, string, []mockatlas.Invitation) {
	t.Helper()
	invites := mockatlas.DemoInvitations()
	for i := range invites {
		invites[i].OrgID = testOrgID
	}
	mock, url := newTestAtlas(t, invites...)
	mock.AddUsers(testOrgID, mockatlas.PendingUsersFor(invites)...)
	return mock, url, invites
}

// invitesByUsername is an atlasinv_org_invites in state: each invitation's
// flattened attributes, by username.
func invitesByUsername(s *terraform.State, address string) (map[string]map[string]string, error) {
	rs, ok := s.RootModule().Resources[address]
	if !ok {
		return nil, fmt.Errorf("%s not in state", address)
	}
	byIndex := map[string]map[string]string{}
	for k, v := range rs.Primary.Attributes {
		rest, ok := strings.CutPrefix(k, "invites.")
		if !ok || rest == "#" || rest == "%" {
			continue
		}
		index, attr, _ := strings.Cut(rest, ".")
		if byIndex[index] == nil {
			byIndex[index] = map[string]string{}
		}
		byIndex[index][attr] = v
	}
	out := map[string]map[string]string{}
	for _, inv := range byIndex {
		out[inv["username"]] = inv
	}
	return out, nil
}

// sameInvitations compares two reads of the same organization's
// invitations: the same invitees with every attribute equal, ids apart,
// which differ (the users API gives the pending user's id).
func sameInvitations(before, after map[string]map[string]string) error {
	if len(before) == 0 || len(before) != len(after) {
		return fmt.Errorf("%d invitations before, %d after", len(before), len(after))
	}
	for user, b := range before {
		a, ok := after[user]
		if !ok {
			return fmt.Errorf("%s's invitation is missing", user)
		}
		if a["id"] == b["id"] {
			return fmt.Errorf("%s: the same id %s, want the pending user's id", user, a["id"])
		}
		for attr, v := range b {
			if attr != "id" && a[attr] != v {
				return fmt.Errorf("%s: %s = %q, was %q", user, attr, a[attr], v)
			}
		}
		if len(a) != len(b) {
			return fmt.Errorf("%s: %d attributes, was %d", user, len(a), len(b))
		}
	}
	return nil
}

// readInvitesState plans config and returns its atlasinv_org_invites.x as
// invitesByUsername gives it. (Each test case is its own provider process,
// as each configuration is for Terraform; aliases in one case would share
// one in-process server.)
func readInvitesState(t *testing.T, config string) map[string]map[string]string {
	t.Helper()
	var got map[string]map[string]string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: config + invitesBlock,
			Check: func(s *terraform.State) error {
				var err error
				got, err = invitesByUsername(s, "data.atlasinv_org_invites.x")
				return err
			},
		}},
	})
	return got
}

// invitesBlock is the atlasinv_org_invites block the tests above read.
var invitesBlock = fmt.Sprintf("data \"atlasinv_org_invites\" \"x\" {\n  org_id = %q\n}\n", testOrgID)

// Today, org_users gives the same invitations as the invitations API, ids
// apart: a team can plan now against what the sunset brings.
func TestAccInvitationsSource_orgUsersListsTheSameInvitations(t *testing.T) {
	t.Parallel()
	mock, url, _ := pairedAtlas(t)
	today := readInvitesState(t, digestProvider(url))
	tomorrow := readInvitesState(t, digestProvider(url, `invitations_source = "org_users"`))
	if err := sameInvitations(today, tomorrow); err != nil {
		t.Error(err)
	}
	for _, r := range mock.Requests() {
		if r.Authenticated && r.Path == "/api/atlas/v2/orgs/"+testOrgID+"/users" && strings.Join(r.Query["orgMembershipStatuses"], ",") != "PENDING" {
			t.Errorf("users read with %s, want orgMembershipStatuses=PENDING", r.RawQuery)
		}
	}
}

// The day after the sunset, an unchanged configuration still plans: the
// same invitations, read from the users API.
func TestAccInvitationsSource_unchangedConfigurationPlansAfterRetirement(t *testing.T) {
	t.Parallel()
	mock, url, _ := pairedAtlas(t)
	yesterday := readInvitesState(t, digestProvider(url))
	mock.RetireInvitations(true)
	today := readInvitesState(t, digestProvider(url))
	if err := sameInvitations(yesterday, today); err != nil {
		t.Error(err)
	}
}

// With invitations_source = "invitations", a retired API fails the read
// with the block to paste, as before.
func TestAccInvitationsSource_invitationsFailsAfterRetirement(t *testing.T) {
	mock, url, _ := pairedAtlas(t)
	mock.RetireInvitations(true)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url, `invitations_source = "invitations"`) + invitesBlock,
			ExpectError: errorText(`Atlas Invitations API Retired ... With invitations_source = "invitations" this read cannot succeed again ... ` +
				`data "atlasinv_org_users" "pending" { # org_id: keep your data source's own expression (a variable, each.value); this is the value this read had. org_id = "` + testOrgID + `" ... org_membership_statuses = ["PENDING"] }`),
		}},
	})
	if n := len(usersPages(mock)); n != 0 {
		t.Errorf("%d users requests, want none: invitations never reads the users API", n)
	}
}

// atlasinv_org_invite reads one invitation by its id, which the users API
// does not know: under org_users, and after the switch, it says so.
func TestAccInvitationsSource_oneInvitationByIDFails(t *testing.T) {
	for name, setup := range map[string]struct {
		source string
		retire bool
		want   string
	}{
		"org_users": {`invitations_source = "org_users"`, false, `because invitations_source = "org_users" is set`},
		"auto, 410": {"", true, `because Atlas has retired the invitations API: it answered 410 VERSION_GONE (its Sunset header gives 1 July 2027). The organization users API has no invitation ids`},
	} {
		t.Run(name, func(t *testing.T) {
			mock, url, invites := pairedAtlas(t)
			mock.RetireInvitations(setup.retire)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config: digestProvider(url, setup.source) +
						fmt.Sprintf("data \"atlasinv_org_invite\" \"x\" {\n  org_id = %q\n  invitation_id = %q\n}\n", testOrgID, invites[0].ID),
					ExpectError: errorText(`Invitation Ids Unknown To The Organization Users API ... ` + setup.want + ` ... invitation "` +
						invites[0].ID + `" cannot be read by its id ... data "atlasinv_org_users" "pending" { ... username = "the invitee's email address"`),
				}},
			})
		})
	}
}

// One stale atlasinv_org_invite id (an invitation accepted, revoked or
// never made) beside two atlasinv_org_invites reads, under auto: the stale
// read fails as not found, whichever of the two answers Atlas may give a
// stale id it gets, and switches nothing, so the lists keep their
// invitation ids and no read goes to the users API. The first step is the
// configuration as written; the second reads the stale id inside a check
// block, where its failure is a warning, so that the lists read beside it
// reach the state.
func TestAccInvitationsSource_staleInvitationIDSwitchesNothing(t *testing.T) {
	t.Parallel()
	const staleID = "6a00000000000000000fffff"
	for name, answer := range map[string]mockatlas.StaleAnswer{
		"RESOURCE_NOT_FOUND":   mockatlas.StaleResourceNotFound,
		"INVITATION_NOT_FOUND": mockatlas.StaleInvitationNotFound,
	} {
		t.Run(name, func(t *testing.T) {
			mock, url, invites := pairedAtlas(t)
			mock.SetStaleInvitationAnswer(answer)
			sorted := slices.Clone(invites)
			slices.SortFunc(sorted, func(a, b mockatlas.Invitation) int {
				return cmp.Or(cmp.Compare(a.Username, b.Username), cmp.Compare(a.ID, b.ID))
			})
			allIDs := make([]knownvalue.Check, len(sorted))
			for i, inv := range sorted {
				allIDs[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(inv.ID)})
			}
			lists := fmt.Sprintf("data \"atlasinv_org_invites\" \"all\" {\n  org_id = %q\n}\n"+
				"data \"atlasinv_org_invites\" \"one\" {\n  org_id = %q\n  username = %q\n}\n",
				testOrgID, testOrgID, invites[0].Username)
			stale := fmt.Sprintf("data \"atlasinv_org_invite\" \"stale\" {\n  org_id = %q\n  invitation_id = %q\n}\n", testOrgID, staleID)
			checked := "check \"stale\" {\n" + stale +
				"  assert {\n    condition = data.atlasinv_org_invite.stale.username != \"\"\n    error_message = \"stale\"\n  }\n}\n"
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{
					{
						Config: digestProvider(url) + lists + stale,
						ExpectError: errorText(`Atlas Resource Not Found ... Invitation "` + staleID + `" in organization "` +
							testOrgID + `" does not exist or is not visible to the API key (HTTP digest) credentials (public key "` + testPublicKey + `"`),
					},
					{
						Config: digestProvider(url) + lists + checked,
						// A check block's data source that failed is read
						// again by every plan: the plan is never empty.
						ExpectNonEmptyPlan: true,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.atlasinv_org_invites.all", tfjsonpath.New("invites"), knownvalue.ListExact(allIDs)),
							statecheck.ExpectKnownValue("data.atlasinv_org_invites.one", tfjsonpath.New("invites"), knownvalue.ListExact(
								[]knownvalue.Check{knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(invites[0].ID)})})),
						},
					},
				},
			})
			stalePath := "/api/atlas/v2/orgs/" + testOrgID + "/invites/" + staleID
			if n := countRequests(mock, func(r mockatlas.Request) bool {
				return r.Authenticated && r.Path == stalePath && r.Status == http.StatusNotFound
			}); n == 0 {
				t.Error("the stale id was never read")
			}
			if n := countRequests(mock, func(r mockatlas.Request) bool { return strings.HasPrefix(r.Path, testUsersPath) }); n != 0 {
				t.Errorf("%d requests to the users API, want none: a stale id is no retirement", n)
			}
		})
	}
}

func TestAccInvitationsSource_checkedAtPlan(t *testing.T) {
	mock, url, _ := pairedAtlas(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:      digestProvider(url, `invitations_source = "users"`) + invitesBlock,
			ExpectError: errorText(`invitations_source value must be one of: ["auto" "invitations" "org_users"], got: "users"`),
		}},
	})
	if n := len(mock.Requests()); n != 0 {
		t.Errorf("%d requests, want none: the value is checked before any read", n)
	}
}

// An invitations_source known only at apply (here from a resource not yet
// created) is refused at plan, as every other provider attribute is,
// rather than read as "auto"; nothing is asked of Atlas.
func TestAccInvitationsSource_unknownAtPlanRefused(t *testing.T) {
	mock, url, _ := pairedAtlas(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: "resource \"terraform_data\" \"source\" {\n  input = \"auto\"\n}\n" +
				digestProvider(url, `invitations_source = terraform_data.source.output`) + invitesBlock,
			ExpectError: errorText(`Unknown Provider Configuration Value ... The provider cannot be configured because ` +
				`invitations_source is not known until apply ... Set invitations_source to a known value`),
		}},
	})
	if n := len(apiRequests(mock)); n != 0 {
		t.Errorf("%d requests, want none: the configuration is refused before any read", n)
	}
}

// A failed getOrganization (org_name's source) fails the read with its own
// diagnostic.
func TestAccInvitationsSource_organizationNameFailure(t *testing.T) {
	mock, url, _ := pairedAtlas(t)
	// The users page, then getOrganization.
	mock.Script(mockatlas.Fault{}, mockatlas.Fault{Status: http.StatusServiceUnavailable})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url, `invitations_source = "org_users"`, "max_retries = 0") + invitesBlock,
			ExpectError: errorText(`Organization Name Not Read ... does not carry the organization's name that org_name holds ... ` +
				`Request: GET ... /api/atlas/v2/orgs/` + testOrgID + ` ... HTTP status: 503`),
		}},
	})
}

// In process, as Terraform runs one configuration: the first reads that
// get the retired answer switch the configuration; each gets at most one
// invitations answer, the warning comes once, and every later read goes
// only to the users API.
func TestInvitationsSource_switchUnderParallelReads(t *testing.T) {
	t.Parallel()
	mock, url, _ := pairedAtlas(t)
	mock.RetireInvitations(true)
	server, schemas := protoServer(t, map[string]string{"base_url": url, "public_key": testPublicKey, "private_key": testPrivateKey})
	const reads = 20
	wave := func() (warnings int) {
		var mu sync.Mutex
		var wg sync.WaitGroup
		for range reads {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, d := range readInvites(t, server, schemas) {
					mu.Lock()
					switch {
					case d.Severity == tfprotov6.DiagnosticSeverityWarning && d.Summary == "Invitations Read From The Organization Users API":
						warnings++
					default:
						t.Errorf("unexpected diagnostic %v %q: %s", d.Severity, d.Summary, d.Detail)
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		return warnings
	}
	invitationsPath := "/api/atlas/v2/orgs/" + testOrgID + "/invites"
	countInvitations := func() int {
		n := 0
		for _, r := range mock.Requests() {
			if r.Authenticated && r.Path == invitationsPath {
				n++
			}
		}
		return n
	}
	if w := wave(); w != 1 {
		t.Errorf("%d warnings over %d parallel reads, want 1", w, reads)
	}
	first := countInvitations()
	t.Logf("%d parallel reads met %d retired answers, then switched", reads, first)
	if first < 1 || first > reads {
		t.Errorf("%d retired answers for %d reads, want 1 to %d: at most one per read in flight", first, reads, reads)
	}
	if w := wave(); w != 0 {
		t.Errorf("%d warnings in the second wave, want none: once per configuration", w)
	}
	if n := countInvitations(); n != first {
		t.Errorf("%d invitations requests after the switch, want none", n-first)
	}
	// getOrganization is read once per organization per configuration.
	orgReads := 0
	for _, r := range mock.Requests() {
		if r.Authenticated && r.Path == "/api/atlas/v2/orgs/"+testOrgID {
			orgReads++
		}
	}
	if orgReads != 1 {
		t.Errorf("%d getOrganization requests, want 1", orgReads)
	}
}

// The warning says why the users API served the read, with the answer's
// Sunset date, that ids changed, and shows the block to paste.
func TestInvitationsSource_warningSaysWhy(t *testing.T) {
	t.Parallel()
	mock, url, _ := pairedAtlas(t)
	mock.RetireInvitations(true)
	mock.SetSunset("Tue, 15 Sep 2026 00:00:00 GMT")
	server, schemas := protoServer(t, map[string]string{"base_url": url, "public_key": testPublicKey, "private_key": testPrivateKey})
	diags := readInvites(t, server, schemas)
	if len(diags) != 1 {
		t.Fatalf("%d diagnostics, want exactly one warning: %v", len(diags), diags)
	}
	for _, want := range []string{
		"because Atlas answered a read of the invitations API with 410 VERSION_GONE (its Sunset header gives 15 September 2026)",
		"each invitation's id is now the pending user's id",
		"\n\n" + usersReplacement(testOrgID, nil) + "\n\n",
	} {
		if !strings.Contains(diags[0].Detail, want) {
			t.Errorf("warning lacks %q:\n%s", want, diags[0].Detail)
		}
	}
}

// One rule decides "retired", for the error and for auto's switch: Atlas's
// 410 VERSION_GONE, and nothing else. A 404 stays a not-found and a 406 a
// version Atlas does not accept, whatever their code, path or detail.
func TestInvitationsRetired(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		kind   atlas.ErrorKind // as the atlas package sorts the answer
		status int
		code   string
		path   string
		detail string
		want   bool
	}{
		{name: "410 VERSION_GONE", kind: atlas.KindVersionGone, status: 410, code: "VERSION_GONE", want: true},
		{name: "410 VERSION_GONE wrapped", err: fmt.Errorf("read: %w", &atlas.Error{Kind: atlas.KindVersionGone, Status: 410, ErrorCode: "VERSION_GONE"}), want: true},
		{name: "410 from something else", kind: atlas.KindVersionGone, status: 410, code: "", want: false},
		{name: "410 with another code", kind: atlas.KindVersionGone, status: 410, code: "GONE", want: false},
		{name: "410 VERSION_GONE from the token endpoint", kind: atlas.KindTokenEndpoint, status: 410, code: "VERSION_GONE", want: false},
		{name: "406 INVALID_VERSION_DATE", kind: atlas.KindVersionGone, status: 406, code: "INVALID_VERSION_DATE", want: false},
		{name: "406 without the code", kind: atlas.KindVersionGone, status: 406, want: false},
		{name: "404 code says gone", kind: atlas.KindNotFound, status: 404, code: "ENDPOINT_GONE", want: false},
		{name: "404 for the invitations path", kind: atlas.KindNotFound, status: 404, code: "RESOURCE_NOT_FOUND", path: "/api/atlas/v2/orgs/x/invites",
			detail: "Cannot find resource /api/atlas/v2/orgs/x/invites.", want: false},
		{name: "404 for one invitation's path (a stale id)", kind: atlas.KindNotFound, status: 404, code: "RESOURCE_NOT_FOUND", path: "/api/atlas/v2/orgs/x/invites/y",
			detail: "Cannot find resource /api/atlas/v2/orgs/x/invites/y.", want: false},
		{name: "404 invitation", kind: atlas.KindNotFound, status: 404, code: "INVITATION_NOT_FOUND", want: false},
		{name: "404 organization", kind: atlas.KindNotFound, status: 404, code: "ORG_NOT_FOUND", want: false},
		{name: "500", kind: atlas.KindServer, status: 500, code: "VERSION_GONE", want: false},
		{name: "not an Atlas error", err: fmt.Errorf("boom"), want: false},
		{name: "nil", want: false},
	}
	for _, tt := range tests {
		err := tt.err
		if err == nil && tt.status != 0 {
			err = &atlas.Error{Kind: tt.kind, Status: tt.status, ErrorCode: tt.code, Path: tt.path, AtlasDetail: tt.detail}
		}
		if got := invitationsRetired(err); got != tt.want {
			t.Errorf("%s: invitationsRetired = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestRetiredOnSaysWhichHeaderDatesTheEnd: the Sunset header when Atlas sent
// one, else the answer's Date, else nothing.
func TestRetiredOnSaysWhichHeaderDatesTheEnd(t *testing.T) {
	const sunset, date = "Tue, 15 Sep 2026 00:00:00 GMT", "Wed, 16 Sep 2026 08:00:00 GMT"
	tests := []struct {
		err  atlas.Error
		want string
	}{
		{atlas.Error{Sunset: sunset, Date: date}, " (its Sunset header gives 15 September 2026)"},
		{atlas.Error{Date: date}, " (dated 16 September 2026)"},
		{atlas.Error{}, ""},
	}
	for _, tt := range tests {
		if got := retiredOn(&tt.err); got != tt.want {
			t.Errorf("retiredOn(Sunset %q, Date %q) = %q, want %q", tt.err.Sunset, tt.err.Date, got, tt.want)
		}
	}
}

// TestOrgNameErrorOfAnyError: a failure that is not an Atlas call's is
// still an error on the read, in its own words.
func TestOrgNameErrorOfAnyError(t *testing.T) {
	var diags diag.Diagnostics
	addOrgNameError(&diags, errors.New("boom"))
	if len(diags) != 1 || diags[0].Summary() != "Organization Name Not Read" || diags[0].Detail() != "boom" {
		t.Errorf("got %v", diags)
	}
	diags = nil
	addOrgNameError(&diags, &atlas.Error{Kind: atlas.KindServer, Status: 503, Attempts: 1})
	if len(diags) != 1 || !strings.Contains(diags[0].Detail(), "reading it from the organization itself failed: Atlas Server Error. Atlas answered 503 after 1 attempt") {
		t.Errorf("got %v", diags)
	}
}
