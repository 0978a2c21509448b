package mockatlas

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/mongodb-forks/digest"
	"go.mongodb.org/atlas-sdk/v20241113001/admin"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlasapi"
)

// sdkClient is the Atlas SDK the provider uses, pointed at the mock with the
// demo API key. The digest transport wraps a private http.Transport so no
// process-wide client is touched.
func sdkClient(t *testing.T, baseURL string) *admin.APIClient {
	t.Helper()
	hc := &http.Client{Transport: digest.NewTransportWithHTTPRoundTripper(DemoPublicKey, DemoPrivateKey, &http.Transport{})}
	c, err := admin.NewClient(admin.UseHTTPClient(hc), admin.UseBaseURL(baseURL))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The SDK decodes the mock's answers into its own models, errors included.
func TestAtlasSDKReadsTheMock(t *testing.T) {
	_, ts, _ := start(t)
	c := sdkClient(t, ts.URL)
	ctx := context.Background()

	list, resp, err := c.OrganizationsApi.ListOrganizationInvitations(ctx, DemoOrgID).Execute()
	if err != nil || len(list) != 5 {
		t.Fatalf("list: %d invitations, err %v", len(list), err)
	}
	if resp.Header.Get(atlasapi.DeprecationHeader) != DeprecationDate {
		t.Errorf("Deprecation header = %q", resp.Header.Get(atlasapi.DeprecationHeader))
	}
	full := list[1]
	if full.GetUsername() != "alice.admin@example.com" || len(full.GetGroupRoleAssignments()) != 3 || len(full.GetTeamIds()) != 2 ||
		!full.GetCreatedAt().Equal(time.Date(2024, 4, 18, 9, 5, 12, 0, time.UTC)) {
		t.Errorf("full invitation decoded as %+v", full)
	}
	if minimal := list[2]; minimal.HasCreatedAt() || minimal.HasRoles() || minimal.HasInviterUsername() {
		t.Errorf("minimal invitation has fields it was not sent: %+v", minimal)
	}

	// The SDK encodes '+' as %2B; the filter must match.
	filtered, _, err := c.OrganizationsApi.ListOrganizationInvitations(ctx, DemoOrgID).Username("bob+atlas@example.com").Execute()
	if err != nil || len(filtered) != 1 || filtered[0].GetId() != "663212a0174494d6493c9d5c" {
		t.Fatalf("filtered: %+v, err %v", filtered, err)
	}

	one, _, err := c.OrganizationsApi.GetOrganizationInvitation(ctx, DemoOrgID, "663212a0174494d6493c9d5c").Execute()
	if err != nil || one.GetUsername() != "bob+atlas@example.com" {
		t.Fatalf("get: %+v, err %v", one, err)
	}

	_, _, err = c.OrganizationsApi.ListOrganizationInvitations(ctx, "0123456789abcdef01234567").Execute()
	if !admin.IsErrorCode(err, "ORG_NOT_FOUND") {
		t.Fatalf("unknown org: err %v, want ORG_NOT_FOUND", err)
	}
	if apiErr, ok := admin.AsError(err); !ok || apiErr.GetError() != 404 || apiErr.GetDetail() == "" {
		t.Errorf("SDK error model = %+v", apiErr)
	}
}

// Error answers are application/json, as the OpenAPI document declares them;
// the SDK must still decode them into its ApiError model.
func TestAtlasSDKDecodesErrors(t *testing.T) {
	s, ts, _ := start(t)
	c := sdkClient(t, ts.URL)
	ctx := context.Background()
	tests := []struct {
		name   string
		fault  *Fault
		orgID  string
		invID  string
		status int
		code   string
	}{
		{name: "unknown invitation", orgID: DemoOrgID, invID: "ffffffffffffffffffffffff", status: 404, code: "INVITATION_NOT_FOUND"},
		{name: "unknown org", orgID: "0123456789abcdef01234567", invID: "663212a0174494d6493c9d5c", status: 404, code: "ORG_NOT_FOUND"},
		{name: "bad invitation id", orgID: DemoOrgID, invID: "not-an-id", status: 400, code: "INVALID_INVITATION_ID"},
		{name: "forbidden", fault: &Fault{Status: 403}, orgID: DemoOrgID, invID: "663212a0174494d6493c9d5c", status: 403, code: AccessListCode},
		{name: "version", fault: &Fault{Status: 406}, orgID: DemoOrgID, invID: "663212a0174494d6493c9d5c", status: 406, code: "INVALID_VERSION_DATE"},
		{name: "rate limited", fault: &Fault{Status: 429, RetryAfter: "1"}, orgID: DemoOrgID, invID: "663212a0174494d6493c9d5c", status: 429, code: "RATE_LIMITED"},
		{name: "unavailable", fault: &Fault{Status: 503}, orgID: DemoOrgID, invID: "663212a0174494d6493c9d5c", status: 503, code: "SERVICE_UNAVAILABLE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.fault != nil {
				s.Script(*tt.fault)
			}
			_, resp, err := c.OrganizationsApi.GetOrganizationInvitation(ctx, tt.orgID, tt.invID).Execute()
			apiErr, ok := admin.AsError(err)
			if !ok || apiErr.GetError() != tt.status || apiErr.GetErrorCode() != tt.code || apiErr.GetDetail() == "" {
				t.Fatalf("err %v decoded as %+v (ok %v), want %d %s", err, apiErr, ok, tt.status, tt.code)
			}
			if ct := resp.Header.Get("Content-Type"); ct != ErrorMediaType {
				t.Errorf("Content-Type = %q, want %q", ct, ErrorMediaType)
			}
		})
	}

	// 401: a wrong private key; the digest client answers the challenge and
	// hands the second 401 to the SDK.
	hc := &http.Client{Transport: digest.NewTransportWithHTTPRoundTripper(DemoPublicKey, "not-the-key", &http.Transport{})}
	bad, err := admin.NewClient(admin.UseHTTPClient(hc), admin.UseBaseURL(ts.URL))
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = bad.OrganizationsApi.ListOrganizationInvitations(ctx, DemoOrgID).Execute()
	if apiErr, ok := admin.AsError(err); !ok || apiErr.GetError() != 401 || apiErr.GetErrorCode() != "UNAUTHORIZED" {
		t.Fatalf("wrong key: err %v decoded as %+v (ok %v)", err, apiErr, ok)
	}
}

// The SDK's OrganizationsApi.ListOrganizations reads the list, its name
// filter and paging; a key of one organization gets that one, and the
// SDK's error for another.
func TestAtlasSDKListsOrganizations(t *testing.T) {
	s, ts, _ := start(t)
	for i := 0; i < 3; i++ {
		s.AddOrg(GeneratedOrgID(i), GenerateInvitations(GeneratedOrgID(i), 2)...)
	}
	c := sdkClient(t, ts.URL)
	ctx := context.Background()

	page, resp, err := c.OrganizationsApi.ListOrganizations(ctx).Execute()
	if err != nil || page.GetTotalCount() != 4 || len(page.GetResults()) != 4 || resp.Header.Get(atlasapi.DeprecationHeader) != "" {
		t.Fatalf("list: %+v, err %v", page, err)
	}
	if first := page.GetResults()[0]; first.GetId() != DemoOrgID || first.GetName() != DemoOrgName || first.GetIsDeleted() {
		t.Errorf("first organization %+v", first)
	}
	filtered, _, err := c.OrganizationsApi.ListOrganizations(ctx).Name("org-").ItemsPerPage(2).PageNum(2).IncludeCount(false).Execute()
	// "Org-000001" to "Org-000003"; page 2 of 2 is the third.
	if err != nil || filtered.HasTotalCount() || len(filtered.GetResults()) != 1 || filtered.GetResults()[0].GetId() != GeneratedOrgID(2) ||
		filtered.GetResults()[0].GetName() != GeneratedOrgName(GeneratedOrgID(2)) {
		t.Fatalf("filtered: %+v, err %v", filtered, err)
	}

	s.RestrictToOrg(DemoPublicKey, GeneratedOrgID(1))
	own, _, err := c.OrganizationsApi.ListOrganizations(ctx).Execute()
	if err != nil || len(own.GetResults()) != 1 || own.GetResults()[0].GetId() != GeneratedOrgID(1) {
		t.Fatalf("restricted: %+v, err %v", own, err)
	}
	_, _, err = c.OrganizationsApi.GetOrganization(ctx, DemoOrgID).Execute()
	if apiErr, ok := admin.AsError(err); !ok || apiErr.GetError() != 401 || apiErr.GetErrorCode() != RoleMissingCode {
		t.Fatalf("another organization: err %v", err)
	}
}
