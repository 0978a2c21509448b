package atlasspec_test

import (
	"strings"
	"testing"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas/atlasspec"
)

// The schema check that test fixtures go through accepts what Atlas sends and
// rejects what it cannot, or it would check nothing.
func TestValidateValueInvitation(t *testing.T) {
	doc, file, err := atlasspec.Load()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("document: %s", file)
	valid := mockatlas.Invitation{
		ID: "6a0000000000000000000a01", OrgID: "5f0c0ffee0c0ffee0c0ffee0", OrgName: "Acme-Corp",
		Username: "a+b@example.com", InviterUsername: "owner@example.com",
		CreatedAt: "2024-05-01T10:00:00Z", ExpiresAt: "2024-05-31T10:00:00Z",
		Roles: []string{"ORG_MEMBER"}, TeamIDs: []string{"6b0000000000000000000b01"},
		GroupRoleAssignments: []mockatlas.GroupRole{{GroupID: "6c0000000000000000000c01", GroupRole: "GROUP_READ_ONLY"}},
	}
	tests := []struct {
		name   string
		change func(*mockatlas.Invitation)
		want   string // substring of the error; "" means valid
	}{
		{"every field", func(*mockatlas.Invitation) {}, ""},
		{"orgName only", func(i *mockatlas.Invitation) { *i = mockatlas.Invitation{OrgName: "Acme"} }, ""},
		{"orgName with a space", func(i *mockatlas.Invitation) { i.OrgName = "Acme Corp" }, "orgName"},
		{"no orgName", func(i *mockatlas.Invitation) { i.OrgName = "" }, "orgName"},
		{"id not 24 hex", func(i *mockatlas.Invitation) { i.ID = "6A0000000000000000000A01" }, "id"},
		{"createdAt not RFC 3339", func(i *mockatlas.Invitation) { i.CreatedAt = "2024-05-01 10:00" }, "createdAt"},
		{"username not an e-mail address", func(i *mockatlas.Invitation) { i.Username = "dave" }, "username"},
		{"team id repeated", func(i *mockatlas.Invitation) { i.TeamIDs = append(i.TeamIDs, i.TeamIDs[0]) }, "teamIds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := valid
			tt.change(&inv)
			err := atlasspec.ValidateValue(doc, "OrganizationInvitation", inv)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("rejected: %v", err)
			case tt.want != "" && err == nil:
				t.Errorf("accepted, want an error about %s", tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Errorf("error %q does not name %s", err, tt.want)
			}
		})
	}
}

// The mock's built-in fixtures pass the same check.
func TestMockFixturesValidate(t *testing.T) {
	doc, _, err := atlasspec.Load()
	if err != nil {
		t.Fatal(err)
	}
	org := mockatlas.GeneratedOrgID(0)
	for _, inv := range append(mockatlas.DemoInvitations(), mockatlas.GenerateInvitations(org, 50)...) {
		if err := atlasspec.ValidateValue(doc, "OrganizationInvitation", inv); err != nil {
			t.Errorf("%s: %v", inv.ID, err)
		}
	}
}
