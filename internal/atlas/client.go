package atlas

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"go.mongodb.org/atlas-sdk/v20241113001/admin"
)

// Client is the Atlas client of one configured provider, shared by every
// read: one connection pool, one token cache, one deprecation notice.
type Client struct {
	cfg     Config
	sdk     *admin.APIClient
	pending atomic.Pointer[Deprecation]
	warned  atomic.Bool
}

// NewClient builds the SDK client for cfg. It never touches
// http.DefaultClient, which the SDK's own auth helpers overwrite.
func NewClient(cfg Config) (*Client, error) {
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	sdk, err := admin.NewClient(
		admin.UseBaseURL(cfg.BaseURL),
		admin.UseHTTPClient(newHTTPClient(cfg, newPool())),
		admin.UseUserAgent(cfg.UserAgent),
	)
	if err != nil {
		return nil, err
	}
	return &Client{cfg: cfg, sdk: sdk}, nil
}

// Config returns the configuration the client was built with.
func (c *Client) Config() Config { return c.cfg }

// ListInvitations lists an organization's pending invitations, filtered by
// username when one is given.
func (c *Client) ListInvitations(ctx context.Context, orgID string, username *string) ([]admin.OrganizationInvitation, error) {
	ctx, st := withCallState(c.LogContext(ctx))
	req := c.sdk.OrganizationsApi.ListOrganizationInvitations(ctx, orgID)
	if username != nil {
		req = req.Username(*username)
	}
	invites, resp, err := req.Execute()
	c.noteDeprecation(resp)
	if err != nil {
		return nil, c.translate(err, resp, st, http.MethodGet, "/api/atlas/v2/orgs/"+orgID+"/invites", "Organization "+quote(orgID))
	}
	return invites, nil
}

// GetInvitation reads one invitation by id.
func (c *Client) GetInvitation(ctx context.Context, orgID, invitationID string) (*admin.OrganizationInvitation, error) {
	ctx, st := withCallState(c.LogContext(ctx))
	invite, resp, err := c.sdk.OrganizationsApi.GetOrganizationInvitation(ctx, orgID, invitationID).Execute()
	c.noteDeprecation(resp)
	if err != nil {
		return nil, c.translate(err, resp, st, http.MethodGet, "/api/atlas/v2/orgs/"+orgID+"/invites/"+invitationID,
			"Invitation "+quote(invitationID)+" in organization "+quote(orgID))
	}
	return invite, nil
}

// authorizationValue matches what follows an auth scheme, should any library
// ever log a header.
var authorizationValue = regexp.MustCompile(`(?i)\b(Bearer|Digest|Basic)\s+[^\s"]+`)

// LogContext adds the atlas log subsystem and masks every secret of this
// client in it. tflog's Mask functions return a new context: the caller must
// use the one returned.
func (c *Client) LogContext(ctx context.Context) context.Context {
	ctx = tflog.NewSubsystem(ctx, LogSubsystem)
	if s := c.cfg.secrets(); len(s) > 0 {
		ctx = tflog.MaskAllFieldValuesStrings(ctx, s...)
		ctx = tflog.MaskMessageStrings(ctx, s...)
		ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, LogSubsystem, s...)
		ctx = tflog.SubsystemMaskMessageStrings(ctx, LogSubsystem, s...)
	}
	ctx = tflog.SubsystemMaskAllFieldValuesRegexes(ctx, LogSubsystem, authorizationValue)
	ctx = tflog.SubsystemMaskMessageRegexes(ctx, LogSubsystem, authorizationValue)
	return ctx
}

// Deprecation is what Atlas said about the end of the invitations API.
type Deprecation struct {
	Deprecated string // the Deprecation header
	Sunset     string // the Sunset header
}

// noteDeprecation remembers the first deprecation headers seen.
func (c *Client) noteDeprecation(resp *http.Response) {
	if resp == nil {
		return
	}
	d := Deprecation{Deprecated: resp.Header.Get("Deprecation"), Sunset: resp.Header.Get("Sunset")}
	if d == (Deprecation{}) {
		return
	}
	c.pending.CompareAndSwap(nil, &d)
}

// TakeDeprecation returns the deprecation notice once per client (one
// configured provider, which Terraform runs as one process): the first
// caller after Atlas sent the headers gets it, every later caller gets false.
func (c *Client) TakeDeprecation() (Deprecation, bool) {
	d := c.pending.Load()
	if d == nil || !c.warned.CompareAndSwap(false, true) {
		return Deprecation{}, false
	}
	return *d, true
}
