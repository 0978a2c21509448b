package provider

import (
	"cmp"
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// Through the Terraform CLI, the diagnostic the user reads when Atlas fails
// a read: how Atlas refuses who asks, which attribute a not-found answer
// blames, an answer that is not Atlas's JSON, and the hint each status gets.

// TestAccDiagnostics_refusals tells the three refusals apart as Atlas sends
// them: a valid key without the role (401 USER_UNAUTHORIZED), a wrong key
// (401 with a fresh challenge), an address not on the access list (403).
func TestAccDiagnostics_refusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(m *mockatlas.Server)
		extra string // provider block lines
		data  string // the data source; the invitations list when empty
		want  string
	}{
		{
			name:  "key without Organization Owner",
			setup: func(m *mockatlas.Server) { m.SetOrgOwner(testPublicKey, false) },
			want: `Atlas Credentials Lack The Organization Owner Role ... Atlas accepted the API key (HTTP digest) credentials ` +
				`(public key "testpubk", from the provider attributes public_key and private_key), but they lack the ` +
				`Organization Owner role in this organization ... HTTP status: 401 Atlas error code: USER_UNAUTHORIZED ` +
				`Atlas detail: Current user is not authorized to perform this action.`,
		},
		{
			name:  "read-only key reading org users",
			setup: func(m *mockatlas.Server) { m.SetOrgRole(testPublicKey, mockatlas.RoleOrgReadOnly) },
			data:  dataSourceConfigs[2].config,
			want: `Atlas Credentials Lack The Organization Member Role ... but they lack the Organization Member role in ` +
				`this organization, which reading its users requires ... Request: GET ... /orgs/` + testOrgID + `/users? ... HTTP status: 401`,
		},
		{
			// Atlas documents no role for listing organizations: the
			// diagnostic says what Atlas answered and names no role.
			name: "organizations listing refused",
			setup: func(m *mockatlas.Server) {
				m.SetFault(&mockatlas.Fault{Status: http.StatusUnauthorized, ContentType: mockatlas.ErrorMediaType,
					Body: `{"detail":"` + mockatlas.RoleMissingDetail + `","error":401,"errorCode":"` + mockatlas.RoleMissingCode + `","parameters":[],"reason":"Unauthorized"}`})
			},
			data: "data \"atlasinv_orgs\" \"all\" {}\n",
			want: `Atlas Did Not Authorize The Read ... Atlas accepted the API key (HTTP digest) credentials (public key "testpubk", ` +
				`from the provider attributes public_key and private_key), but answered 401 USER_UNAUTHORIZED when they read the ` +
				`organizations; Atlas documents no role that this read requires. Check what the API key or service account may access ` +
				`... Request: GET ... /api/atlas/v2/orgs? ... HTTP status: 401 Atlas error code: USER_UNAUTHORIZED`,
		},
		{
			name:  "member key reading invitations",
			setup: func(m *mockatlas.Server) { m.SetOrgRole(testPublicKey, mockatlas.RoleOrgMember) },
			want:  `Atlas Credentials Lack The Organization Owner Role ... which reading its invitations requires`,
		},
		{
			name:  "address not on the access list",
			setup: func(m *mockatlas.Server) { m.SetAccessList(testPublicKey, "192.0.2.0/24") },
			want: `Atlas Denied Access ... Atlas refused the request from 127.0.0.1: it is not on the API access list of the ` +
				`API key (HTTP digest) credentials (public key "testpubk", from the provider attributes public_key and private_key). ` +
				`Add 127.0.0.1 to the access list ... HTTP status: 403 Atlas error code: IP_ADDRESS_NOT_ON_ACCESS_LIST`,
		},
		{
			name: "a 403 without Atlas's code",
			setup: func(m *mockatlas.Server) {
				m.SetFault(&mockatlas.Fault{Status: http.StatusForbidden, Body: `{"error":403,"errorCode":"X","parameters":[]}`, ContentType: "application/json"})
			},
			want: `Atlas Denied Access ... Atlas answered 403 Forbidden ... Add this machine's address to the access list`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mock, url := newTestAtlas(t, inviteFull)
			tt.setup(mock)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config:      configFor(url, tt.extra, tt.data),
					ExpectError: errorText(tt.want),
				}},
			})
		})
	}
}

func configFor(url, extra, data string) string {
	if data == "" {
		return listConfig(url, extra)
	}
	return digestProvider(url, extra) + data
}

// notFoundAt matches the start of a diagnostic and the configuration line
// Terraform quotes under it: the attribute's line for an attribute error,
// the block's first line for an error on the whole data source.
// errorAt matches the error summary quoting line of the data source.
func errorAt(summary, dataSource, line string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)Error: ` + summary + `\s+with data\.` + dataSource + `\.test,\s+on \S+ line \d+, in data "` +
		dataSource + `" "test":\s+\d+:\s+` + line)
}

// TestAccDiagnostics_notFoundBlamesTheAttributeAtlasNames checks the
// attribute a 404 points at, chosen from Atlas's errorCode. An organization
// the credentials do not see is named as such, at org_id.
func TestAccDiagnostics_notFoundBlamesTheAttributeAtlasNames(t *testing.T) {
	t.Parallel()
	const unknownOrg, unknownInvitation = "0123456789abcdef01234567", "6a00000000000000000fffff"
	tests := []struct {
		name       string
		dataSource string
		orgID      string
		inviteID   string
		fault      *mockatlas.Fault // the read's answer; the organizations are listed as usual
		at         string           // what the quoted line starts with
		summary    string           // "Atlas Resource Not Found" when empty
	}{
		{name: "invite: ORG_NOT_FOUND blames org_id", dataSource: "atlasinv_org_invite", orgID: unknownOrg, inviteID: inviteFull.ID, at: `org_id\s+=`,
			summary: "Organization Not Visible To These Credentials"},
		{name: "invite: INVITATION_NOT_FOUND blames invitation_id", dataSource: "atlasinv_org_invite", orgID: testOrgID, inviteID: unknownInvitation, at: `invitation_id\s+=`},
		{
			name: "invite: a code naming neither blames the data source", dataSource: "atlasinv_org_invite", orgID: testOrgID, inviteID: inviteFull.ID,
			fault: &mockatlas.Fault{Status: http.StatusNotFound}, at: `data "atlasinv_org_invite" "test" \{`,
		},
		{name: "invites: ORG_NOT_FOUND blames org_id", dataSource: "atlasinv_org_invites", orgID: unknownOrg, at: `org_id\s+=`,
			summary: "Organization Not Visible To These Credentials"},
		{
			name: "invites: any 404 blames org_id, its only id", dataSource: "atlasinv_org_invites", orgID: testOrgID,
			fault: &mockatlas.Fault{Status: http.StatusNotFound}, at: `org_id\s+=`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mock, url := newTestAtlas(t, inviteFull)
			if tt.fault != nil {
				mock.Script(*tt.fault)
			}
			args := fmt.Sprintf("org_id = %q", tt.orgID)
			if tt.inviteID != "" {
				args += fmt.Sprintf("\n  invitation_id = %q", tt.inviteID)
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config: digestProvider(url) + fmt.Sprintf(`
data %q "test" {
  %s
}`, tt.dataSource, args),
					ExpectError: errorAt(cmp.Or(tt.summary, "Atlas Resource Not Found"), tt.dataSource, tt.at),
				}},
			})
		})
	}
}

func TestAccDiagnostics_htmlBodyShowsContentTypeAndStart(t *testing.T) {
	mock, url := newTestAtlas(t, inviteFull)
	mock.SetFault(&mockatlas.Fault{Body: "<html><body>Please sign in to the corporate proxy</body></html>", ContentType: "text/html"})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config:      listConfig(url),
			ExpectError: errorText(`Unexpected Atlas Response ... answered 200 with content type "text/html" ... The body starts with: "<html><body>Please sign in`),
		}},
	})
}

func TestAccDiagnostics_eachStatusHasItsHint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault mockatlas.Fault
		want  string
	}{
		{"403", mockatlas.Fault{Status: 403}, `Atlas Denied Access ... Atlas refused the request from 192.0.2.1 ... API access list ... HTTP status: 403`},
		{"406", mockatlas.Fault{Status: 406}, `Atlas API Version No Longer Served ... Upgrade the atlasinv provider. ... HTTP status: 406 ... INVALID_VERSION_DATE`},
		{"410", mockatlas.Fault{Status: 410}, `Atlas Invitations API Retired ... org_membership_statuses = ["PENDING"] ... HTTP status: 410`},
		{"429 after retries", mockatlas.Fault{Status: 429, RetryAfter: "0"}, `Atlas Rate Limit Exceeded ... after 2 attempts (max_retries = 1, Retry-After honoured) ... lower -parallelism`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mock, url := newTestAtlas(t, inviteFull)
			mock.SetFault(&tt.fault)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					// invitations: a retired API fails the read instead of switching.
					Config:      listConfig(url, "max_retries = 1", `invitations_source = "invitations"`),
					ExpectError: errorText(tt.want),
				}},
			})
		})
	}
}
