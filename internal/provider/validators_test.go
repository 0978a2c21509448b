package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// TestOneErrorPerBadValue validates configurations the way Terraform does
// and counts the diagnostics: one bad value, one error, whose detail does
// not read like a second one.
func TestOneErrorPerBadValue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	server, schemas := newProtoServer(t, nil)
	config := func(s *tfprotov6.Schema, set map[string]string) *tfprotov6.DynamicValue {
		return configValue(t, s, set)
	}
	tests := []struct {
		name, summary string
		validate      func() []*tfprotov6.Diagnostic
	}{
		{"request_timeout = \"abc\"", "Invalid Request Timeout", func() []*tfprotov6.Diagnostic {
			resp, _ := server.ValidateProviderConfig(ctx, &tfprotov6.ValidateProviderConfigRequest{
				Config: config(schemas.Provider, map[string]string{"request_timeout": "abc"})})
			return resp.Diagnostics
		}},
		{"request_timeout = \"0s\"", "Invalid Request Timeout", func() []*tfprotov6.Diagnostic {
			resp, _ := server.ValidateProviderConfig(ctx, &tfprotov6.ValidateProviderConfigRequest{
				Config: config(schemas.Provider, map[string]string{"request_timeout": "0s"})})
			return resp.Diagnostics
		}},
		{"username = \"\"", "Empty Username Filter", func() []*tfprotov6.Diagnostic {
			resp, _ := server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{
				TypeName: "atlasinv_org_invites",
				Config:   config(schemas.DataSourceSchemas["atlasinv_org_invites"], map[string]string{"org_id": testOrgID, "username": ""})})
			return resp.Diagnostics
		}},
		{"username = \" \"", "Invalid Username Filter", func() []*tfprotov6.Diagnostic {
			resp, _ := server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{
				TypeName: "atlasinv_org_invites",
				Config:   config(schemas.DataSourceSchemas["atlasinv_org_invites"], map[string]string{"org_id": testOrgID, "username": " "})})
			return resp.Diagnostics
		}},
		{"username of 300 bytes", "Username Filter Too Long", func() []*tfprotov6.Diagnostic {
			resp, _ := server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{
				TypeName: "atlasinv_org_invites",
				Config: config(schemas.DataSourceSchemas["atlasinv_org_invites"],
					map[string]string{"org_id": testOrgID, "username": strings.Repeat("a", 288) + "@example.com"})})
			return resp.Diagnostics
		}},
	}
	for _, tt := range tests {
		diags := tt.validate()
		if len(diags) != 1 {
			t.Errorf("%s: %d diagnostics, want exactly one: %v", tt.name, len(diags), diags)
			continue
		}
		d := diags[0]
		if d.Summary != tt.summary || strings.Contains(d.Detail, "Error:") || d.Attribute == nil {
			t.Errorf("%s: got %q / %q on %v, want %q on the attribute, one message", tt.name, d.Summary, d.Detail, d.Attribute, tt.summary)
		}
	}
}

// TestUsernameOfTheLongestAddressIsValid: SMTP carries addresses of up to
// 254 bytes, and such a filter is valid; one byte more is not.
func TestUsernameOfTheLongestAddressIsValid(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	server, schemas := newProtoServer(t, nil)
	for _, tt := range []struct {
		bytes int
		diags int
	}{{254, 0}, {255, 1}} {
		username := strings.Repeat("a", tt.bytes-len("@example.com")) + "@example.com"
		resp, _ := server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{
			TypeName: "atlasinv_org_invites",
			Config: configValue(t, schemas.DataSourceSchemas["atlasinv_org_invites"],
				map[string]string{"org_id": testOrgID, "username": username})})
		if len(resp.Diagnostics) != tt.diags {
			t.Errorf("username of %d bytes: %d diagnostics, want %d: %v", tt.bytes, len(resp.Diagnostics), tt.diags, resp.Diagnostics)
		}
	}
}
