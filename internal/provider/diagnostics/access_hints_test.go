package diagnostics_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/provider/diagnostics"
)

// TestAccessHints drives the three ways Atlas refuses a request for who
// makes it, in every auth mode, against the mock answering as Atlas does,
// and checks the hint tells them apart.
func TestAccessHints(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(m *mockatlas.Server, principal string)
		wrong   bool // send a wrong secret
		kind    atlas.ErrorKind
		summary string
		has     []string
		hasNot  []string
	}{
		{
			name:    "valid credentials without Organization Owner",
			setup:   func(m *mockatlas.Server, p string) { m.SetOrgOwner(p, false) },
			kind:    atlas.KindUnauthorized,
			summary: "Atlas Credentials Lack The Organization Owner Role",
			has:     []string{"Atlas accepted the", "lack the Organization Owner role", "from provider block", "Atlas error code: USER_UNAUTHORIZED"},
			hasNot:  []string{"revoked", "not accept", "wrong"},
		},
		{
			name:    "wrong credentials",
			wrong:   true,
			kind:    atlas.KindUnauthorized,
			summary: "Atlas Rejected The Credentials",
			has:     []string{"Atlas did not accept the", "current and not revoked", "from provider block"},
			hasNot:  []string{"Organization Owner"},
		},
		{
			name:    "address not on the access list",
			setup:   func(m *mockatlas.Server, p string) { m.SetAccessList(p, "192.0.2.0/24") },
			kind:    atlas.KindForbidden,
			summary: "Atlas Denied Access",
			has:     []string{"Atlas refused the request from 127.0.0.1", "Add 127.0.0.1 to the access list", "IP_ADDRESS_NOT_ON_ACCESS_LIST"},
			hasNot:  []string{"Organization Owner"},
		},
		{
			name: "another 403",
			setup: func(m *mockatlas.Server, _ string) {
				m.Script(mockatlas.Fault{Status: 403, Body: `{"error":403,"errorCode":"SOMETHING_ELSE","parameters":[]}`, ContentType: "application/json"})
			},
			kind:    atlas.KindForbidden,
			summary: "Atlas Denied Access",
			has:     []string{"Atlas answered 403 Forbidden", "Add this machine's address to the access list"},
		},
	}
	modes := []struct {
		mode      atlas.AuthMode
		principal string // as the mock names it
		who       string // as the hint names it
		wrong     func(c *atlas.Config)
	}{
		{atlas.AuthAPIKey, testPublicKey, `public key "` + testPublicKey + `"`, func(c *atlas.Config) { c.PrivateKey += "x" }},
		{atlas.AuthServiceAccount, testClientID, `client id "` + testClientID + `"`, func(c *atlas.Config) { c.ClientSecret += "x" }},
		{atlas.AuthAccessToken, "token", "an access token", func(c *atlas.Config) { c.AccessToken += "x" }},
	}
	for _, md := range modes {
		for _, tt := range tests {
			t.Run(md.mode.String()+"/"+tt.name, func(t *testing.T) {
				m, srv := newMock(t)
				if tt.setup != nil {
					tt.setup(m, md.principal)
				}
				cfg := testConfig(srv.URL, md.mode)
				if tt.wrong {
					md.wrong(&cfg)
				}
				_, err := newClient(t, cfg).ListInvitations(context.Background(), testOrgID, nil)
				e := asAtlasError(t, err)
				kind, summary, has := tt.kind, tt.summary, append(tt.has, md.mode.String(), md.who)
				if tt.wrong && md.mode == atlas.AuthServiceAccount {
					// The token endpoint refuses a wrong secret first, and
					// that is said as such (issue 11).
					kind, summary = atlas.KindTokenRejected, "Atlas Rejected The Service Account Credentials"
					has = []string{md.who, "from provider block", "/api/oauth/token"}
				}
				if e.Kind != kind || diagnostics.Summary(e) != summary {
					t.Fatalf("got %v %q, want %v %q\n%s", e.Kind, diagnostics.Summary(e), kind, summary, diagnostics.Detail(e))
				}
				hint, _, _ := strings.Cut(diagnostics.Detail(e), "\n\nRequest:")
				for _, s := range has {
					if !strings.Contains(diagnostics.Detail(e), s) {
						t.Errorf("detail lacks %q:\n%s", s, diagnostics.Detail(e))
					}
				}
				for _, s := range tt.hasNot {
					if strings.Contains(hint, s) {
						t.Errorf("hint says %q:\n%s", s, hint)
					}
				}
				assertNoSecret(t, "the error", diagnostics.Summary(e), diagnostics.Detail(e))
			})
		}
	}
}

// TestNotFoundNamesWhatIsMissing: the errorCode of a 404 says which id Atlas
// did not find; the provider blames that attribute.
func TestNotFoundNamesWhatIsMissing(t *testing.T) {
	tests := []struct {
		name, orgID, invitationID string
		setup                     func(m *mockatlas.Server)
		code, missing             string
		has                       string
	}{
		{name: "unknown org", orgID: unknownOrgID, invitationID: "6634f290a54dca182530bb1d",
			code: "ORG_NOT_FOUND", missing: atlas.MissingOrganization, has: "Atlas found no such organization."},
		{name: "unknown invitation", orgID: testOrgID, invitationID: "ffffffffffffffffffffffff",
			code: "INVITATION_NOT_FOUND", missing: atlas.MissingInvitation, has: "Atlas found the organization but no such invitation"},
		{name: "a code that names nothing", orgID: testOrgID, invitationID: "6634f290a54dca182530bb1d",
			setup: func(m *mockatlas.Server) { m.Script(mockatlas.Fault{Status: 404}) },
			code:  "RESOURCE_NOT_FOUND", missing: "", has: `Invitation "6634f290a54dca182530bb1d" in organization`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, srv := newMock(t)
			if tt.setup != nil {
				tt.setup(m)
			}
			_, err := newClient(t, testConfig(srv.URL, atlas.AuthAPIKey)).GetInvitation(context.Background(), tt.orgID, tt.invitationID)
			e := asAtlasError(t, err)
			if e.Kind != atlas.KindNotFound || e.ErrorCode != tt.code || e.Missing() != tt.missing {
				t.Fatalf("got %v %q Missing() %q, want 404 %q %q", e.Kind, e.ErrorCode, e.Missing(), tt.code, tt.missing)
			}
			if !strings.Contains(diagnostics.Detail(e), tt.has) {
				t.Errorf("detail lacks %q:\n%s", tt.has, diagnostics.Detail(e))
			}
		})
	}
}

// TestRoleHintNamesTheRoleTheReadNeeds: listOrgUsers needs Organization
// Member, the invitation operations Organization Owner; the 401
// USER_UNAUTHORIZED hint names the one the failed request needed. Atlas
// documents no role for listing organizations, so that refusal names none.
func TestRoleHintNamesTheRoleTheReadNeeds(t *testing.T) {
	m, srv := newMock(t)
	c := newClient(t, testConfig(srv.URL, atlas.AuthAPIKey))
	ctx := context.Background()
	listUsers := func() error { _, err := c.ListOrgUsers(ctx, testOrgID, atlas.UsersFilter{}); return err }
	listInvites := func() error { _, err := c.ListInvitations(ctx, testOrgID, nil); return err }
	listOrgsRefused := func() error {
		m.SetFault(&mockatlas.Fault{Status: http.StatusUnauthorized, ContentType: mockatlas.ErrorMediaType,
			Body: `{"detail":"` + mockatlas.RoleMissingDetail + `","error":401,"errorCode":"` + mockatlas.RoleMissingCode + `","parameters":[],"reason":"Unauthorized"}`})
		defer m.SetFault(nil)
		_, err := c.ListOrganizations(ctx, nil)
		return err
	}

	m.SetOrgRole(testPublicKey, mockatlas.RoleOrgMember)
	if err := listUsers(); err != nil {
		t.Fatalf("an Organization Member reads the users: %v", err)
	}
	tests := []struct {
		name   string
		role   mockatlas.OrgRole
		read   func() error
		want   []string
		hasNot []string
	}{
		{"member reading invitations", mockatlas.RoleOrgMember, listInvites,
			[]string{"Lack The Organization Owner Role", "lack the Organization Owner role", "reading its invitations requires"}, []string{"Member"}},
		{"read-only reading users", mockatlas.RoleOrgReadOnly, listUsers,
			[]string{"Lack The Organization Member Role", "lack the Organization Member role", "reading its users requires", "/users"}, []string{"Owner"}},
		// Atlas documents no role for listing organizations, so any role
		// lists them; its refusal is scripted.
		{"a refused listing of organizations", mockatlas.RoleOrgReadOnly, listOrgsRefused,
			[]string{"Atlas Did Not Authorize The Read", "answered 401 USER_UNAUTHORIZED when they read the organizations",
				"Atlas documents no role that this read requires", "Request: GET " + srv.URL + "/api/atlas/v2/orgs?"},
			[]string{"Member", "Owner", "Read Only", "Lack", "lack", "Give the"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m.SetOrgRole(testPublicKey, tt.role)
			e := asAtlasError(t, tt.read())
			text := diagnostics.Summary(e) + "\n" + diagnostics.Detail(e)
			for _, s := range tt.want {
				if !strings.Contains(text, s) {
					t.Errorf("lacks %q:\n%s", s, text)
				}
			}
			for _, s := range tt.hasNot {
				if strings.Contains(text, s) {
					t.Errorf("names the wrong role (%q):\n%s", s, text)
				}
			}
		})
	}
}
