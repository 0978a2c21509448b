package provider

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// readDiagnostics keeps the diagnostics of every data source read that the
// CLI asks of the providers its factories serve: terraform-plugin-testing
// fails a step on an error and shows no warning.
type readDiagnostics struct {
	mu    sync.Mutex
	diags []*tfprotov6.Diagnostic
}

func (r *readDiagnostics) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	serve := factories(nil)["atlasinv"]
	return map[string]func() (tfprotov6.ProviderServer, error){
		"atlasinv": func() (tfprotov6.ProviderServer, error) {
			server, err := serve()
			if err != nil {
				return nil, err
			}
			return readRecorder{server, r}, nil
		},
	}
}

// withSummary are the diagnostics kept with that summary.
func (r *readDiagnostics) withSummary(summary string) []*tfprotov6.Diagnostic {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*tfprotov6.Diagnostic
	for _, d := range r.diags {
		if d.Summary == summary {
			out = append(out, d)
		}
	}
	return out
}

type readRecorder struct {
	tfprotov6.ProviderServer
	kept *readDiagnostics
}

func (s readRecorder) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	resp, err := s.ProviderServer.ReadDataSource(ctx, req)
	if resp != nil {
		s.kept.mu.Lock()
		s.kept.diags = append(s.kept.diags, resp.Diagnostics...)
		s.kept.mu.Unlock()
	}
	return resp, err
}

// capitalsInvite is an invitation whose address Atlas holds with capitals,
// as it was typed.
var capitalsInvite = mockatlas.Invitation{
	ID: "6a0000000000000000000a0c", OrgID: testOrgID, OrgName: mockatlas.DemoOrgName,
	Username: "Mixed.Case@Example.com", InviterUsername: "owner@coffee.example.com",
	CreatedAt: "2024-05-04T11:00:00Z", ExpiresAt: "2024-06-03T11:00:00Z",
	Roles: []string{"ORG_MEMBER"},
}

const usernameCaseSummary = "No Match For A Username With Upper-Case Letters"

// An empty read filtered on a username with capitals warns, on username,
// with the address in lower case to try: the mock compares case (its
// reading; Atlas documents nothing), and an audit that finds nobody must
// say why it might have. Through the CLI, for each way a username is
// filtered: atlasinv_org_invites on the invitations API, the same from the
// users API (asked for, or after the invitations API's retirement), and
// atlasinv_org_users. In each configuration, three reads that must not
// warn: the same address in lower case (it matches, so nothing to say), a
// lower-case address that matches nobody (case cannot be why), and an
// address with capitals that matches one held with the same capitals.
func TestAccUsernameCaseWarning(t *testing.T) {
	const (
		upperNoMatch = "Alice.Admin@example.com" // stored as alice.admin@example.com
		lowerNoMatch = "nobody@example.com"
	)
	tests := []struct {
		name     string
		provider string // provider block lines
		retire   bool
		data     string // the data source type
		// detail is how the warning on upperNoMatch starts: what was asked.
		detail string
	}{
		{
			name: "org_invites, invitations API", data: "atlasinv_org_invites",
			detail: `atlasinv_org_invites found no pending invitation with username "Alice.Admin@example.com" in organization ` + testOrgID + ".",
		},
		{
			name: "org_invites, org_users source", data: "atlasinv_org_invites", provider: `invitations_source = "org_users"`,
			detail: `atlasinv_org_invites found no pending invitation with username "Alice.Admin@example.com" in organization ` + testOrgID + ".",
		},
		{
			name: "org_invites, auto after the switch", data: "atlasinv_org_invites", retire: true,
			detail: `atlasinv_org_invites found no pending invitation with username "Alice.Admin@example.com" in organization ` + testOrgID + ".",
		},
		{
			name: "org_users", data: "atlasinv_org_users",
			detail: `atlasinv_org_users found no user with username "Alice.Admin@example.com" in organization ` + testOrgID +
				` among its ACTIVE and PENDING users (Atlas's default when org_membership_statuses is left out).`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			invites := append(mockatlas.DemoInvitations(), capitalsInvite)
			for i := range invites {
				invites[i].OrgID = testOrgID
			}
			mock, url := newTestAtlas(t, invites...)
			mock.AddUsers(testOrgID, mockatlas.PendingUsersFor(invites)...)
			mock.RetireInvitations(tt.retire)
			list := "invites"
			if tt.data == "atlasinv_org_users" {
				list = "users"
			}
			block := func(name, username string) string {
				return fmt.Sprintf("data %q %q {\n  org_id   = %q\n  username = %q\n}\n", tt.data, name, testOrgID, username)
			}
			count := func(name string, n int) statecheck.StateCheck {
				return statecheck.ExpectKnownValue("data."+tt.data+"."+name, tfjsonpath.New(list), knownvalue.ListSizeExact(n))
			}
			var kept readDiagnostics
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: kept.factories(),
				Steps: []resource.TestStep{{
					Config: digestProvider(url, tt.provider) +
						block("upper_none", upperNoMatch) +
						block("lower_match", strings.ToLower(upperNoMatch)) +
						block("lower_none", lowerNoMatch) +
						block("upper_match", capitalsInvite.Username),
					ConfigStateChecks: []statecheck.StateCheck{
						count("upper_none", 0), count("lower_match", 1), count("lower_none", 0), count("upper_match", 1),
					},
				}},
			})
			warnings := kept.withSummary(usernameCaseSummary)
			if len(warnings) == 0 {
				t.Fatalf("no %q warning for username %q, which matched nobody", usernameCaseSummary, upperNoMatch)
			}
			for _, d := range warnings {
				checkUsernameCaseWarning(t, d, tt.detail, strings.ToLower(upperNoMatch))
			}
		})
	}
}

// checkUsernameCaseWarning checks one warning: on username, saying what
// was asked, why case may matter, and the lower-case address to try.
func checkUsernameCaseWarning(t *testing.T, d *tfprotov6.Diagnostic, asked, lower string) {
	t.Helper()
	if d.Severity != tfprotov6.DiagnosticSeverityWarning {
		t.Errorf("severity %v, want a warning", d.Severity)
	}
	if want := tftypes.NewAttributePath().WithAttributeName("username"); !d.Attribute.Equal(want) {
		t.Errorf("on %v, want on username", d.Attribute)
	}
	for _, want := range []string{
		asked,
		"Atlas usernames are e-mail addresses, typed at sign-up or in the invitation",
		"Atlas documents neither whether it keeps their capitals nor how it compares their case",
		fmt.Sprintf("username = %q", lower),
	} {
		if !strings.Contains(d.Detail, want) {
			t.Errorf("warning lacks %q:\n%s", want, d.Detail)
			return
		}
	}
}

// The warning names the statuses atlasinv_org_users was asked for: a user
// pending under the capitals' address is not among the ACTIVE ones.
func TestAccUsernameCaseWarning_namesTheStatuses(t *testing.T) {
	_, url := newUsersAtlas(t, mockatlas.PendingUsersFor(mockatlas.DemoInvitations())...)
	var kept readDiagnostics
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: kept.factories(),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) + usersBlock("active", `username = "Alice.Admin@example.com"`,
				`org_membership_statuses = ["PENDING", "ACTIVE"]`),
		}},
	})
	warnings := kept.withSummary(usernameCaseSummary)
	if len(warnings) == 0 {
		t.Fatalf("no %q warning", usernameCaseSummary)
	}
	for _, d := range warnings {
		checkUsernameCaseWarning(t, d, `atlasinv_org_users found no user with username "Alice.Admin@example.com" in organization `+
			testOrgID+" among its ACTIVE and PENDING users.", "alice.admin@example.com")
	}
}

// Only an empty read with capitals in username warns, whatever the letters
// (not only ASCII); the statuses asked for are named in Atlas's order.
func TestUsernameCaseWarning_onlyWhenEmptyWithCapitals(t *testing.T) {
	upper, lower, accented := "Alice.Admin@example.com", "alice.admin@example.com", "élodie@Exemple.fr"
	tests := []struct {
		name     string
		username *string
		found    int
		try      string // the address the warning gives; "" for no warning
	}{
		{"no filter", nil, 0, ""},
		{"lower case, nothing found", &lower, 0, ""},
		{"capitals, found", &upper, 1, ""},
		{"capitals, nothing found", &upper, 0, lower},
		{"capitals past ASCII, nothing found", &accented, 0, "élodie@exemple.fr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := atlasDataSource{name: "org_invites"}
			var diags diag.Diagnostics
			d.warnUsernameCase(&diags, "organization "+testOrgID, tt.username, tt.found, "pending invitation", "")
			switch {
			case tt.try == "" && len(diags) > 0:
				t.Errorf("want no warning, got %v", diags)
			case tt.try != "" && (len(diags) != 1 || !strings.Contains(diags[0].Detail(), fmt.Sprintf("username = %q", tt.try))):
				t.Errorf("want one warning giving %q, got %v", tt.try, diags)
			}
		})
	}
	for statuses, want := range map[string]string{
		"":                                  " among its ACTIVE and PENDING users (Atlas's default when org_membership_statuses is left out)",
		"PENDING":                           " among its PENDING users",
		"ACTIVE,PENDING":                    " among its ACTIVE and PENDING users",
		"ACTIVE,INVITATION_EXPIRED,PENDING": " among its ACTIVE, INVITATION_EXPIRED and PENDING users",
	} {
		var list []string
		if statuses != "" {
			list = strings.Split(statuses, ",")
		}
		if got := amongStatuses(list); got != want {
			t.Errorf("amongStatuses(%q) = %q, want %q", list, got, want)
		}
	}
}

// atlasinv_project_invites warns as the other lists do, naming the project
// or the organization it read; once Atlas has retired the project
// invitations API the list is empty for that reason alone, and it does not.
func TestAccUsernameCaseWarning_projectInvites(t *testing.T) {
	const upper = "Dave@Example.net" // invited as dave@example.net
	block := func(name, scope, username string) string {
		return projectInvitesBlock(name, fmt.Sprintf("%s\n  username = %q", scope, username))
	}
	byProject, byOrg := fmt.Sprintf("project_id = %q", projProd), fmt.Sprintf("org_id = %q", testOrgID)
	count := func(name string, n int) statecheck.StateCheck {
		return statecheck.ExpectKnownValue("data.atlasinv_project_invites."+name, tfjsonpath.New("invites"), knownvalue.ListSizeExact(n))
	}
	_, url := projectsAtlas(t)
	var kept readDiagnostics
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: kept.factories(),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) + block("project_upper", byProject, upper) + block("org_upper", byOrg, upper) +
				block("project_lower", byProject, strings.ToLower(upper)) + block("org_lower", byOrg, strings.ToLower(upper)),
			ConfigStateChecks: []statecheck.StateCheck{
				count("project_upper", 0), count("org_upper", 0), count("project_lower", 1), count("org_lower", 2),
			},
		}},
	})
	warnings := kept.withSummary(usernameCaseSummary)
	var inProject, inOrg int
	for _, d := range warnings {
		switch {
		case strings.Contains(d.Detail, "in project "+projProd+"."):
			inProject++
			checkUsernameCaseWarning(t, d, `atlasinv_project_invites found no pending project invitation with username "`+upper+`" in project `+projProd+".", strings.ToLower(upper))
		case strings.Contains(d.Detail, "in organization "+testOrgID+"."):
			inOrg++
			checkUsernameCaseWarning(t, d, `atlasinv_project_invites found no pending project invitation with username "`+upper+`" in organization `+testOrgID+".", strings.ToLower(upper))
		default:
			t.Errorf("a warning for neither read:\n%s", d.Detail)
		}
	}
	if inProject == 0 || inOrg == 0 {
		t.Errorf("%d warnings for the project read, %d for the organization read; want both", inProject, inOrg)
	}

}

// After the project invitations API's retirement, an empty list says
// nothing about case: no username warning, only the retirement's.
func TestAccUsernameCaseWarning_projectInvitesRetired(t *testing.T) {
	retired, url := projectsAtlas(t)
	retired.RetireProjectInvitations(true)
	count := statecheck.ExpectKnownValue("data.atlasinv_project_invites.project_upper", tfjsonpath.New("invites"), knownvalue.ListSizeExact(0))
	var none readDiagnostics
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: none.factories(),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) + projectInvitesBlock("project_upper",
				fmt.Sprintf("project_id = %q\n  username = %q", projProd, "Dave@Example.net")),
			ConfigStateChecks: []statecheck.StateCheck{count},
		}},
	})
	if w := none.withSummary(usernameCaseSummary); len(w) != 0 {
		t.Errorf("retired API: %d username warnings, want none:\n%s", len(w), w[0].Detail)
	}
	if len(none.withSummary("Project Invitations No Longer Readable")) == 0 {
		t.Error("retired API: no retirement warning, so the test did not read a retired API")
	}
}
