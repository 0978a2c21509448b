package provider

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

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
	gone := func(path string) *mockatlas.Fault {
		return &mockatlas.Fault{Status: http.StatusNotFound, ContentType: mockatlas.ErrorMediaType, Body: `{"error":404,"errorCode":"RESOURCE_NOT_FOUND",` +
			`"detail":"Cannot find resource ` + path + `.","reason":"Not Found","parameters":["` + path + `"]}`}
	}
	for name, setup := range map[string]struct {
		source string
		retire bool
		fault  func(invitationID string) *mockatlas.Fault
		want   string
	}{
		"org_users": {`invitations_source = "org_users"`, false, nil, `because invitations_source = "org_users" is set`},
		"auto, 410": {"", true, nil, `because Atlas has retired the invitations API (it answered 410 VERSION_GONE (its Sunset header gives 1 July 2027))`},
		"auto, 404 gone": {"", false, func(id string) *mockatlas.Fault { return gone("/api/atlas/v2/orgs/" + testOrgID + "/invites/" + id) },
			`because Atlas has retired the invitations API (it answered 404 RESOURCE_NOT_FOUND`},
	} {
		t.Run(name, func(t *testing.T) {
			mock, url, invites := pairedAtlas(t)
			mock.RetireInvitations(setup.retire)
			if setup.fault != nil {
				mock.SetFault(setup.fault(invites[0].ID))
			}
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
		"because Atlas answered the invitations API with 410 VERSION_GONE (its Sunset header gives 15 September 2026)",
		"each invitation's id is now the pending user's id",
		"\n\n" + usersReplacement(testOrgID, nil) + "\n\n",
	} {
		if !strings.Contains(diags[0].Detail, want) {
			t.Errorf("warning lacks %q:\n%s", want, diags[0].Detail)
		}
	}
}

// One rule decides "retired", for the error and for auto's switch.
func TestInvitationsRetired(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		status int
		code   string
		path   string
		detail string
		want   bool
	}{
		{name: "410 VERSION_GONE", status: 410, code: "VERSION_GONE", want: true},
		{name: "410 from something else", status: 410, code: "", want: false},
		{name: "406 INVALID_VERSION_DATE", status: 406, code: "INVALID_VERSION_DATE", want: true},
		{name: "406 without the code", status: 406, want: false},
		{name: "404 code says gone", status: 404, code: "ENDPOINT_GONE", want: true},
		{name: "404 for the invitations path", status: 404, code: "RESOURCE_NOT_FOUND", path: "/api/atlas/v2/orgs/x/invites",
			detail: "Cannot find resource /api/atlas/v2/orgs/x/invites.", want: true},
		{name: "404 for one invitation's path", status: 404, code: "RESOURCE_NOT_FOUND", path: "/api/atlas/v2/orgs/x/invites/y",
			detail: "Cannot find resource /api/atlas/v2/orgs/x/invites/y.", want: true},
		{name: "404 under a base_url with the API prefix", status: 404, code: "RESOURCE_NOT_FOUND", path: "/api/atlas/v2/api/atlas/v2/orgs/x/invites",
			detail: "Cannot find resource /api/atlas/v2/api/atlas/v2/orgs/x/invites.", want: false},
		{name: "404 naming another path", status: 404, code: "RESOURCE_NOT_FOUND", path: "/api/atlas/v2/orgs/x/invites",
			detail: "Cannot find resource /login.", want: false},
		{name: "404 organization", status: 404, code: "ORG_NOT_FOUND", want: false},
		{name: "500", status: 500, code: "VERSION_GONE", want: false},
		{name: "not an Atlas error", err: fmt.Errorf("boom"), want: false},
		{name: "nil", want: false},
	}
	for _, tt := range tests {
		err := tt.err
		if err == nil && tt.status != 0 {
			err = &atlas.Error{Status: tt.status, ErrorCode: tt.code, Path: tt.path, AtlasDetail: tt.detail}
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
