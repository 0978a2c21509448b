package provider

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/zclconf/go-cty/cty"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// checkDeprecationWarning checks the whole warning: the dates of the mock's
// headers (Wed, 19 Feb 2025 and Thu, 1 Jul 2027) in their places in one
// sentence, and the replacement block.
func checkDeprecationWarning(t *testing.T, d *tfprotov6.Diagnostic, block string) {
	t.Helper()
	sentence := "Atlas has marked the organization invitations API deprecated since 19 February 2025" +
		" and will remove it on 1 July 2027."
	if d.Severity != tfprotov6.DiagnosticSeverityWarning || d.Summary != "Atlas Invitations API Is Deprecated" {
		t.Errorf("got %v %q, want the deprecation warning", d.Severity, d.Summary)
	}
	if !strings.HasPrefix(d.Detail, sentence) {
		t.Errorf("warning does not start with %q:\n%s", sentence, d.Detail)
	}
	if !strings.Contains(d.Detail, "replacement is the data source atlasinv_org_users") || !strings.Contains(d.Detail, "\n\n"+block+"\n\n") {
		t.Errorf("warning does not name atlasinv_org_users with the block\n%s\n:\n%s", block, d.Detail)
	}
}

// The warning comes with a failed read too: a plan that fails is when the
// user most needs to hear that the API is going away.
func TestDeprecationWarningComesWithAFailedRead(t *testing.T) {
	t.Parallel()
	mock, url := newTestAtlas(t, inviteFull)
	mock.SetFault(&mockatlas.Fault{Status: http.StatusForbidden})
	server, schemas := protoServer(t, map[string]string{"base_url": url, "public_key": testPublicKey, "private_key": testPrivateKey})
	diags := readInvites(t, server, schemas)
	if len(diags) != 2 {
		t.Fatalf("%d diagnostics, want the warning and the error: %v", len(diags), diags)
	}
	checkDeprecationWarning(t, diags[0], usersReplacement(testOrgID, nil))
	if diags[1].Severity != tfprotov6.DiagnosticSeverityError || diags[1].Summary != "Atlas Denied Access" {
		t.Errorf("second diagnostic %v %q, want the 403 error", diags[1].Severity, diags[1].Summary)
	}
}

// The block in the warning is the one for the read that got it, username
// included, ready to paste.
func TestDeprecationWarningShowsTheReadsBlock(t *testing.T) {
	t.Parallel()
	_, url := newTestAtlas(t, inviteFull)
	server, schemas := protoServer(t, map[string]string{"base_url": url, "public_key": testPublicKey, "private_key": testPrivateKey})
	diags := readDataSource(t, server, schemas, "atlasinv_org_invites", map[string]string{"org_id": testOrgID, "username": "a+b@example.com"})
	if len(diags) != 1 {
		t.Fatalf("%d diagnostics, want the warning: %v", len(diags), diags)
	}
	checkDeprecationWarning(t, diags[0], `data "atlasinv_org_users" "pending" {
  # org_id: keep your data source's own expression (a variable, each.value); this is the value this read had.
  org_id                  = "`+testOrgID+`"
  username                = "a+b@example.com"
  org_membership_statuses = ["PENDING"]
}`)
}

// The replacement block is HCL that means what it says, whatever the
// username holds.
func TestUsersReplacementIsValidHCL(t *testing.T) {
	t.Parallel()
	for _, username := range []string{"a+b@example.com", `q"uote\back@x.io`, "${var.x}@x.io", "%{if}@x.io", "ünï@例え.jp"} {
		block := usersReplacement(testOrgID, &username)
		f, diags := hclsyntax.ParseConfig([]byte(block), "replacement.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%q: not HCL: %v\n%s", username, diags, block)
		}
		body, ok := f.Body.(*hclsyntax.Body)
		if !ok || len(body.Blocks) != 1 || body.Blocks[0].Type != "data" || body.Blocks[0].Labels[0] != "atlasinv_org_users" {
			t.Fatalf("%q: not one atlasinv_org_users data block:\n%s", username, block)
		}
		attrs := body.Blocks[0].Body.Attributes
		for name, want := range map[string]string{"org_id": testOrgID, "username": username} {
			v, diags := attrs[name].Expr.Value(nil)
			if diags.HasErrors() || v.Type() != cty.String || v.AsString() != want {
				t.Errorf("%q: %s = %#v (%v), want %q", username, name, v, diags, want)
			}
		}
		v, diags := attrs["org_membership_statuses"].Expr.Value(nil)
		if diags.HasErrors() || !v.CanIterateElements() || v.LengthInt() != 1 || v.Index(cty.NumberIntVal(0)).AsString() != "PENDING" {
			t.Errorf("%q: org_membership_statuses = %#v (%v), want [\"PENDING\"]", username, v, diags)
		}
	}
}

// TestAccInvitations_retiredAPIShowsTheReplacement: once Atlas no longer
// serves the invitations API (410 VERSION_GONE), both data sources say so
// and show the block to paste. Nothing else is retirement: a 404 stays a
// not-found and a 406 a refused version, each with its own diagnosis, and
// under "auto" too, where none of them switches to the users API.
func TestAccInvitations_retiredAPIShowsTheReplacement(t *testing.T) {
	t.Parallel()
	gone := func(path string) *mockatlas.Fault {
		return &mockatlas.Fault{Status: http.StatusNotFound, ContentType: mockatlas.ErrorMediaType, Body: `{"error":404,"errorCode":"RESOURCE_NOT_FOUND",` +
			`"detail":"Cannot find resource ` + path + `.","reason":"Not Found","parameters":["` + path + `"]}`}
	}
	invitesPath := "/api/atlas/v2/orgs/" + testOrgID + "/invites"
	invitePath := invitesPath + "/" + inviteFull.ID
	retired := `Atlas Invitations API Retired ... Atlas no longer serves the organization invitations API ... ` +
		`data "atlasinv_org_users" "pending" { # org_id: keep your data source's own expression (a variable, each.value); this is the value this read had. org_id = "` + testOrgID + `" ... org_membership_statuses = ["PENDING"] } ... Request: GET ... `
	versionRefused := `Atlas API Version No Longer Served ... Upgrade the atlasinv provider. ... Request: GET ... `
	notFound := `Atlas Resource Not Found ... `
	tests := []struct {
		name    string
		fault   *mockatlas.Fault
		read    string // the data source block
		retired bool   // the answer is Atlas's retirement: auto would switch
		want    string
	}{
		{"list 410", &mockatlas.Fault{Status: http.StatusGone}, "atlasinv_org_invites", true, retired + invitesPath + ` ... HTTP status: 410 ... VERSION_GONE`},
		{"get 410", &mockatlas.Fault{Status: http.StatusGone}, "atlasinv_org_invite", true, retired + invitePath + ` ... HTTP status: 410 ... VERSION_GONE`},
		{"list 406", &mockatlas.Fault{Status: http.StatusNotAcceptable}, "atlasinv_org_invites", false,
			versionRefused + invitesPath + ` ... HTTP status: 406 ... INVALID_VERSION_DATE`},
		{"get 406", &mockatlas.Fault{Status: http.StatusNotAcceptable}, "atlasinv_org_invite", false,
			versionRefused + invitePath + ` ... HTTP status: 406 ... INVALID_VERSION_DATE`},
		{"list 410 without an Atlas errorCode", &mockatlas.Fault{Status: http.StatusGone, Body: "Gone", ContentType: "text/plain"}, "atlasinv_org_invites", false,
			`Answer Not From The Atlas API ... answered 410 Gone (content type "text/plain") without an Atlas error code ... ` +
				`Upgrading the provider would not change it: check base_url ... HTTP status: 410`},
		{"list 404 RESOURCE_NOT_FOUND", gone(invitesPath), "atlasinv_org_invites", false,
			notFound + `Organization "` + testOrgID + `" does not exist ... HTTP status: 404 ... RESOURCE_NOT_FOUND`},
		{"get 404 RESOURCE_NOT_FOUND", gone(invitePath), "atlasinv_org_invite", false,
			notFound + `Invitation "` + inviteFull.ID + `" in organization "` + testOrgID + `" does not exist ... HTTP status: 404 ... RESOURCE_NOT_FOUND`},
		{"list 404 organization", &mockatlas.Fault{Status: http.StatusNotFound, ContentType: mockatlas.ErrorMediaType,
			Body: `{"error":404,"errorCode":"ORG_NOT_FOUND","detail":"Organization ` + testOrgID + ` does not exist.","parameters":[]}`},
			"atlasinv_org_invites", false, notFound + `Organization "` + testOrgID + `" does not exist`},
	}
	for _, tt := range tests {
		for _, source := range []string{"invitations", "auto"} {
			if tt.retired && source == "auto" {
				continue // auto switches: TestAccInvitationsSource_unchangedConfigurationPlansAfterRetirement
			}
			t.Run(tt.name+", "+source, func(t *testing.T) {
				mock, url := newTestAtlas(t, inviteFull)
				mock.AddUsers(testOrgID, mockatlas.PendingUsersFor([]mockatlas.Invitation{inviteFull})...)
				mock.SetFault(tt.fault)
				args := ""
				if tt.read == "atlasinv_org_invite" {
					args = fmt.Sprintf("invitation_id = %q", inviteFull.ID)
				}
				resource.Test(t, resource.TestCase{
					ProtoV6ProviderFactories: factories(nil),
					Steps: []resource.TestStep{{
						Config: digestProvider(url, fmt.Sprintf("invitations_source = %q", source)) +
							fmt.Sprintf("data %q \"x\" {\n  org_id = %q\n  %s\n}\n", tt.read, testOrgID, args),
						ExpectError: errorText(tt.want),
					}},
				})
				if n := countRequests(mock, func(r mockatlas.Request) bool { return r.Path == testUsersPath }); n != 0 {
					t.Errorf("%d requests to the users API, want none", n)
				}
			})
		}
	}
}

// The users API answering 410 is not the invitations API retiring: the
// provider names the version it spoke.
func TestAccOrgUsers_versionGoneNamesItsVersion(t *testing.T) {
	mock, url := newUsersAtlas(t)
	mock.SetFault(&mockatlas.Fault{Status: http.StatusGone})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) + usersBlock("x"),
			ExpectError: errorText(`Atlas API Version No Longer Served ... Atlas no longer serves the API version this provider speaks (` +
				mockatlas.UsersMediaType + `) for this endpoint. Upgrade the atlasinv provider. ... Request: GET ... ` + testUsersPath),
		}},
	})
}

// Atlas has moved the invitations API's sunset twice: the date shown is
// always the header's, in any form of HTTP date, or the header as sent.
func TestHeaderDate(t *testing.T) {
	tests := []struct{ header, want string }{
		{"Fri, 31 Jul 2026 00:00:00 GMT", "31 July 2026"},
		{"Tue, 15 Sep 2026 00:00:00 GMT", "15 September 2026"},
		{"Thu, 1 Jul 2027 00:00:00 GMT", "1 July 2027"},
		{"Thu, 01 Jul 2027 00:00:00 GMT", "1 July 2027"},
		{"Thursday, 01-Jul-27 00:00:00 GMT", "1 July 2027"},
		{"@1789430400", "15 September 2026"},
		{" Tue, 15 Sep 2026 00:00:00 GMT ", "15 September 2026"},
		{"next summer", "next summer"},
		{"@soon", "@soon"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := headerDate(tt.header); got != tt.want {
			t.Errorf("headerDate(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}

// The warning gives the date of the Sunset header Atlas sent, each of the
// dates Atlas has announced in turn, never one of the provider's own.
func TestDeprecationWarningGivesTheHeadersSunset(t *testing.T) {
	t.Parallel()
	for header, want := range map[string]string{
		"Fri, 31 Jul 2026 00:00:00 GMT": "31 July 2026",
		"Tue, 15 Sep 2026 00:00:00 GMT": "15 September 2026",
		"Thu, 1 Jul 2027 00:00:00 GMT":  "1 July 2027",
	} {
		mock, url := newTestAtlas(t, inviteFull)
		mock.SetSunset(header)
		server, schemas := protoServer(t, map[string]string{"base_url": url, "public_key": testPublicKey, "private_key": testPrivateKey})
		diags := readInvites(t, server, schemas)
		if len(diags) != 1 || !strings.Contains(diags[0].Detail, "will remove it on "+want+".") {
			t.Errorf("Sunset %q: diagnostics %v, want the warning with %q", header, diags, want)
		}
	}
}

// Retired, the API answers 410 VERSION_GONE as Atlas words it, with its
// Sunset header: the error gives that date and Atlas's own words.
func TestAccInvitations_retiredSaysTheSunsetHeadersDate(t *testing.T) {
	mock, url := newTestAtlas(t, inviteFull)
	mock.RetireInvitations(true)
	mock.SetSunset("Tue, 15 Sep 2026 00:00:00 GMT")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url, `invitations_source = "invitations"`) +
				fmt.Sprintf("data \"atlasinv_org_invites\" \"x\" {\n  org_id = %q\n}\n", testOrgID),
			ExpectError: errorText(`Atlas Invitations API Retired ... atlasinv_org_invite read (its Sunset header gives 15 September 2026) ... ` +
				`HTTP status: 410 ... Atlas error code: VERSION_GONE ... Atlas detail: Version 2023-01-01 of api/atlas/v2/orgs/` +
				testOrgID + `/invites is no longer available`),
		}},
	})
}

// TestAccInvitations_retiredErrorComesAlone: once Atlas has retired the
// invitations API, the plan says so once. The 410 carries the Deprecation
// and Sunset headers, and a warning that Atlas "will remove" the API beside
// the error that it has was two stories; neither data source of the
// configuration warns, whichever reads first. Every diagnostic the provider
// gave the CLI is checked, warnings included, which ExpectError cannot see.
func TestAccInvitations_retiredErrorComesAlone(t *testing.T) {
	t.Parallel()
	mock, url := newTestAtlas(t, inviteFull)
	mock.RetireInvitations(true)
	var sink diagSink
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factoriesInto(&sink, nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url, `invitations_source = "invitations"`) + fmt.Sprintf(invitesData, testOrgID) + "\n" +
				fmt.Sprintf("data \"atlasinv_org_invite\" \"x\" {\n  org_id = %q\n  invitation_id = %q\n}\n", testOrgID, inviteFull.ID),
			ExpectError: errorText(`Atlas Invitations API Retired ... HTTP status: 410 ... VERSION_GONE`),
		}},
	})
	retired := 0
	for _, d := range sink.all() {
		switch {
		case d.Severity == tfprotov6.DiagnosticSeverityError && d.Summary == "Atlas Invitations API Retired":
			retired++
		default:
			t.Errorf("%v %q beside the retired error:\n%s", d.Severity, d.Summary, d.Detail)
		}
		if strings.Contains(d.Detail, "will remove it") {
			t.Errorf("%q says Atlas will remove the API it has removed:\n%s", d.Summary, d.Detail)
		}
	}
	if retired != 2 {
		t.Errorf("%d retired errors, want one for each data source", retired)
	}
	if n := countRequests(mock, func(r mockatlas.Request) bool { return r.Status == http.StatusGone }); n == 0 {
		t.Error("the mock answered no 410: the invitations API was not retired")
	}
}

// atlasinv_org_invite's block is true to the read: after a successful read
// it carries the invitee's address; after a failed one, the text says the
// block lists the whole organization and how to narrow it.
func TestInviteReplacementIsTrueToTheRead(t *testing.T) {
	t.Parallel()
	mock, url := newTestAtlas(t, inviteFull)
	server, schemas := protoServer(t, map[string]string{"base_url": url, "public_key": testPublicKey,
		"private_key": testPrivateKey, "invitations_source": "invitations"})
	args := map[string]string{"org_id": testOrgID, "invitation_id": inviteFull.ID}
	diags := readDataSource(t, server, schemas, "atlasinv_org_invite", args)
	if len(diags) != 1 {
		t.Fatalf("%d diagnostics, want the warning: %v", len(diags), diags)
	}
	want := "This block lists the same invitation, by its invitee's address:\n\n" + usersReplacement(testOrgID, &inviteFull.Username)
	if !strings.Contains(diags[0].Detail, want) {
		t.Errorf("warning lacks %q:\n%s", want, diags[0].Detail)
	}

	mock.SetFault(&mockatlas.Fault{Status: http.StatusGone})
	server, schemas = protoServer(t, map[string]string{"base_url": url, "public_key": testPublicKey,
		"private_key": testPrivateKey, "invitations_source": "invitations"})
	diags = readDataSource(t, server, schemas, "atlasinv_org_invite", args)
	if len(diags) != 1 || diags[0].Summary != "Atlas Invitations API Retired" {
		t.Fatalf("diagnostics %v, want the retired error alone", diags)
	}
	want = `This block lists every pending invitation of the organization; add username = "<the invitee's email address>" ` +
		"to list one invitee's only:\n\n" + usersReplacement(testOrgID, nil)
	for _, d := range diags {
		if !strings.Contains(d.Detail, want) {
			t.Errorf("%s lacks %q:\n%s", d.Summary, want, d.Detail)
		}
	}
}

func TestDeprecationWarningOncePerProvider(t *testing.T) {
	t.Parallel()
	for _, headers := range []bool{true, false} {
		mock, url := newTestAtlas(t, inviteFull)
		mock.SetDeprecationHeaders(headers)
		server, schemas := protoServer(t, map[string]string{"base_url": url, "public_key": testPublicKey, "private_key": testPrivateKey})
		const reads = 6
		var mu sync.Mutex
		var warnings []*tfprotov6.Diagnostic
		var wg sync.WaitGroup
		for range reads {
			wg.Go(func() {
				for _, d := range readInvites(t, server, schemas) {
					if d.Severity == tfprotov6.DiagnosticSeverityError {
						t.Errorf("read failed: %s: %s", d.Summary, d.Detail)
					}
					mu.Lock()
					warnings = append(warnings, d)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		want := 0
		if headers {
			want = 1
		}
		if len(warnings) != want {
			t.Fatalf("deprecation headers %v: %d warnings over %d reads, want %d: %v", headers, len(warnings), reads, want, warnings)
		}
		if headers {
			checkDeprecationWarning(t, warnings[0], usersReplacement(testOrgID, nil))
		}
	}
}
