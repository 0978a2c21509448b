package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

func TestAccOrgInvites_allFieldsSorted(t *testing.T) {
	mock, url := newTestAtlas(t, inviteMinimal, inviteFull, inviteRolesOnly)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) + fmt.Sprintf(`
data "atlasinv_org_invites" "test" {
  org_id = %q
}`, testOrgID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.atlasinv_org_invites.test", tfjsonpath.New("org_id"), knownvalue.StringExact(testOrgID)),
				statecheck.ExpectKnownValue("data.atlasinv_org_invites.test", tfjsonpath.New("username"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.atlasinv_org_invites.test", tfjsonpath.New("invites"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":               knownvalue.StringExact("6a0000000000000000000a01"),
						"org_id":           knownvalue.StringExact(testOrgID),
						"org_name":         knownvalue.StringExact("Acme-Corp"),
						"username":         knownvalue.StringExact("a+b@example.com"),
						"inviter_username": knownvalue.StringExact("owner@example.com"),
						"created_at":       knownvalue.StringExact("2024-05-01T10:00:00Z"),
						"expires_at":       knownvalue.StringExact("2024-05-31T10:00:00Z"),
						"roles": knownvalue.SetExact([]knownvalue.Check{
							knownvalue.StringExact("ORG_BILLING_ADMIN"), knownvalue.StringExact("ORG_MEMBER"),
						}),
						"team_ids": knownvalue.SetExact([]knownvalue.Check{
							knownvalue.StringExact("6b0000000000000000000b01"), knownvalue.StringExact("6b0000000000000000000b02"),
						}),
						"group_role_assignments": knownvalue.SetExact([]knownvalue.Check{
							knownvalue.ObjectExact(map[string]knownvalue.Check{
								"group_id":   knownvalue.StringExact("6c0000000000000000000c01"),
								"group_role": knownvalue.StringExact("GROUP_READ_ONLY"),
							}),
							knownvalue.ObjectExact(map[string]knownvalue.Check{
								"group_id":   knownvalue.StringExact("6c0000000000000000000c02"),
								"group_role": knownvalue.StringExact("GROUP_DATA_ACCESS_ADMIN"),
							}),
						}),
					}),
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":                     knownvalue.StringExact("6a0000000000000000000a02"),
						"org_id":                 knownvalue.StringExact(testOrgID),
						"org_name":               knownvalue.StringExact("Acme-Corp"),
						"username":               knownvalue.StringExact("carol@example.com"),
						"inviter_username":       knownvalue.StringExact("owner@example.com"),
						"created_at":             knownvalue.StringExact("2024-05-02T08:30:00Z"),
						"expires_at":             knownvalue.StringExact("2024-06-01T08:30:00Z"),
						"roles":                  knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("ORG_OWNER")}),
						"team_ids":               emptySet(),
						"group_role_assignments": emptySet(),
					}),
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":                     knownvalue.StringExact("6a0000000000000000000a03"),
						"org_id":                 knownvalue.StringExact(testOrgID),
						"org_name":               knownvalue.StringExact("Acme-Corp"),
						"username":               knownvalue.StringExact("dave@example.com"),
						"inviter_username":       knownvalue.Null(),
						"created_at":             knownvalue.Null(),
						"expires_at":             knownvalue.Null(),
						"roles":                  emptySet(),
						"team_ids":               emptySet(),
						"group_role_assignments": emptySet(),
					}),
				})),
			},
			Check: func(*terraform.State) error {
				// One digest exchange per read: the challenge, then the signed request.
				for _, r := range apiRequests(mock) {
					if r.Authenticated && r.Auth != mockatlas.AuthDigest {
						return fmt.Errorf("authenticated with %s, want digest", r.Auth)
					}
				}
				return nil
			},
		}},
	})
}

func TestAccOrgInvites_usernameFilterKeepsPlus(t *testing.T) {
	mock, url := newTestAtlas(t, inviteMinimal, inviteFull, inviteRolesOnly)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) + fmt.Sprintf(`
data "atlasinv_org_invites" "test" {
  org_id   = %q
  username = "a+b@example.com"
}`, testOrgID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.atlasinv_org_invites.test", tfjsonpath.New("username"), knownvalue.StringExact("a+b@example.com")),
				statecheck.ExpectKnownValue("data.atlasinv_org_invites.test", tfjsonpath.New("invites"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.atlasinv_org_invites.test",
					tfjsonpath.New("invites").AtSliceIndex(0).AtMapKey("id"), knownvalue.StringExact(inviteFull.ID)),
			},
			Check: func(*terraform.State) error {
				seen := 0
				for _, r := range apiRequests(mock) {
					if !r.Authenticated {
						continue
					}
					seen++
					if got := r.Query.Get("username"); got != "a+b@example.com" {
						return fmt.Errorf("mock saw username %q (raw query %q), want a+b@example.com", got, r.RawQuery)
					}
				}
				if seen == 0 {
					return fmt.Errorf("mock saw no authenticated request")
				}
				return nil
			},
		}},
	})
}

func TestAccOrgInvites_emptyResults(t *testing.T) {
	mock, url := newTestAtlas(t, inviteFull)
	const emptyOrg = "5f0c0ffee0c0ffee0c0ff000"
	mock.AddOrg(emptyOrg)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) + fmt.Sprintf(`
data "atlasinv_org_invites" "no_match" {
  org_id   = %q
  username = "nobody@example.com"
}
data "atlasinv_org_invites" "empty_org" {
  org_id = %q
}`, testOrgID, emptyOrg),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.atlasinv_org_invites.no_match", tfjsonpath.New("invites"), knownvalue.ListExact([]knownvalue.Check{})),
				statecheck.ExpectKnownValue("data.atlasinv_org_invites.empty_org", tfjsonpath.New("invites"), knownvalue.ListExact([]knownvalue.Check{})),
			},
		}},
	})
}

func TestAccOrgInvites_invalidOrgIDFailsBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	mock, url := newTestAtlas(t, inviteFull)
	for _, bad := range []string{"5F0C0FFEE0C0FFEE0C0FFEE0", "5f0c0ffee0c0ffee0c0ffee", "not-an-org"} {
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(nil),
			Steps: []resource.TestStep{{
				Config: digestProvider(url) + fmt.Sprintf(`
data "atlasinv_org_invites" "test" {
  org_id = %q
}`, bad),
				ExpectError: errorText(`Attribute org_id must be the 24-character lower-case hexadecimal id`),
			}},
		})
	}
	if n := len(mock.Requests()); n != 0 {
		t.Errorf("mock saw %d requests, want none: validation must fail before any request", n)
	}
}

// An organization the credentials do not see is named as such, with the
// organizations they do see, and no role advice.
func TestAccOrgInvites_unknownOrgIsNotVisible(t *testing.T) {
	_, url := newTestAtlas(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: digestProvider(url) + `
data "atlasinv_org_invites" "test" {
  org_id = "0123456789abcdef01234567"
}`,
			ExpectError: errorText(`Organization Not Visible To These Credentials ... org_id "0123456789abcdef01234567" is not one of the ` +
				`organizations that the API key (HTTP digest) credentials (public key "testpubk", from the provider attributes public_key ` +
				`and private_key) can see, which is why Atlas answered 404 ORG_NOT_FOUND. Check org_id for a typo, or configure ` +
				`credentials of that organization ... They see 1 organization: ... (` + testOrgID + `).`),
		}},
	})
}

func TestAccOrgInvites_wrongCredentials(t *testing.T) {
	mock, url := newTestAtlas(t, inviteFull)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "atlasinv" {
  base_url    = %q
  public_key  = %q
  private_key = "wrong-private-key-value"
}
data "atlasinv_org_invites" "test" {
  org_id = %q
}`, url, testPublicKey, testOrgID),
			ExpectError: errorText(`Atlas Rejected The Credentials ... did not accept the API key (HTTP digest) credentials (public key "testpubk", from the provider attributes public_key and private_key) ... HTTP status: 401`),
		}},
	})
	if n := countRequests(mock, func(r mockatlas.Request) bool { return r.Authenticated }); n != 0 {
		t.Errorf("mock accepted %d requests signed with a wrong key", n)
	}
}

// TestAccOrgInvites_hostileInput: every odd org_id or username either fails
// validation at plan, before any request, or reaches Atlas exactly as typed.
func TestAccOrgInvites_hostileInput(t *testing.T) {
	t.Parallel()
	rejected := []struct {
		name, attr, value, want string
	}{
		{"empty org_id", "org_id", "", "Attribute org_id must be the 24-character"},
		{"23 characters", "org_id", "5f0c0ffee0c0ffee0c0ffee", "Attribute org_id must be the 24-character"},
		{"25 characters", "org_id", "5f0c0ffee0c0ffee0c0ffee00", "Attribute org_id must be the 24-character"},
		{"upper-case hex", "org_id", "5F0C0FFEE0C0FFEE0C0FFEE0", "Attribute org_id must be the 24-character"},
		{"not hex", "org_id", "5f0c0ffee0c0ffee0c0ffeeg", "Attribute org_id must be the 24-character"},
		{"surrounding spaces", "org_id", " 5f0c0ffee0c0ffee0c0ffee0 ", "Attribute org_id must be the 24-character"},
		{"non-ASCII", "org_id", "5f0c0ffee0c0ffee0c0ffeé0", "Attribute org_id must be the 24-character"},
		{"empty username", "username", "", `Empty Username Filter ... An empty filter is not "no filter": leave username out`},
		{"spaces only", "username", "   ", "Invalid Username Filter ... starts or ends with white space"},
		{"10,000 characters", "username", strings.Repeat("a", 9988) + "@example.com", "Username Filter Too Long ... username is 10000 characters, which take 10000 bytes"},
		{"212 characters, 412 bytes", "username", strings.Repeat("é", 200) + "@example.com",
			"username is 212 characters, which take 412 bytes in UTF-8; an email address is at most 254 bytes"},
	}
	mock, url := newTestAtlas(t, inviteFull)
	for _, tt := range rejected {
		orgID, username := fmt.Sprintf("%q", testOrgID), "null"
		if tt.attr == "org_id" {
			orgID = fmt.Sprintf("%q", tt.value)
		} else {
			username = fmt.Sprintf("%q", tt.value)
		}
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(nil),
			Steps: []resource.TestStep{{
				Config: digestProvider(url) + fmt.Sprintf(`
data "atlasinv_org_invites" "test" {
  org_id   = %s
  username = %s
}`, orgID, username),
				ExpectError: errorText(tt.want),
			}},
		})
		if n := len(mock.Requests()); n != 0 {
			t.Fatalf("%s: mock saw %d requests, want none", tt.name, n)
		}
	}

	// Accepted values go to Atlas unchanged, in one plan.
	accepted := []string{
		"ünïcødé@例え.jp",
		"a+b%20c&d#e/f?g=h@example.com",
		"o'brien+tag@example.com",
	}
	var hcl strings.Builder
	hcl.WriteString(digestProvider(url))
	for i, u := range accepted {
		fmt.Fprintf(&hcl, "data \"atlasinv_org_invites\" \"u%d\" {\n  org_id   = %q\n  username = %q\n}\n", i, testOrgID, u)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps:                    []resource.TestStep{{Config: hcl.String()}},
	})
	seen := map[string]bool{}
	for _, r := range apiRequests(mock) {
		if r.Authenticated {
			seen[r.Query.Get("username")] = true
		}
	}
	for _, u := range accepted {
		if !seen[u] {
			t.Errorf("mock never saw username %q exactly; it saw %v", u, seen)
		}
	}
}
