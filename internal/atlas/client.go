package atlas

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"go.mongodb.org/atlas-sdk/v20241113001/admin"
	usersadmin "go.mongodb.org/atlas-sdk/v20250312020/admin"
	"golang.org/x/sync/singleflight"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlasapi"
)

// Client is the Atlas client of one configured provider, shared by every
// read: one connection pool, one token cache, one deprecation notice per
// deprecated API.
type Client struct {
	cfg    Config
	sdk    *admin.APIClient
	tokens *tokenSource // service accounts only
	// invitations and projectInvitations are the deprecation notices of the
	// organization and the project invitations APIs, which Atlas deprecates
	// and retires each on its own.
	invitations, projectInvitations notice

	// users is the org users API's SDK, on the same http.Client as sdk; the
	// projects, teams and project invitations are read with it too.
	users *usersadmin.APIClient
	orgs  orgNames
	// visibleProjects is every project the credentials see (VisibleProjects).
	visibleProjects readOnce[usersadmin.Group]
}

// NewClient builds the SDK client for cfg. It never touches
// http.DefaultClient, which the SDK's own auth helpers overwrite.
//
// Every request goes through: retry (one logical request, several attempts,
// the redirect policy) -> per-attempt timeout -> authentication -> the wire
// (bounded body read, logging) -> a pooled connection. Service-account token
// requests share the wire and the pool, with retries of their own.
func NewClient(cfg Config) (*Client, error) {
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	wire := &wireTransport{base: newPool(cfg.resolver)}
	var tokenClient *http.Client
	if cfg.Mode == AuthServiceAccount {
		tokenClient = retryingClient(cfg, &userAgentTransport{base: wire, userAgent: cfg.UserAgent})
	}
	auth, tokens := newAuth(cfg, wire, tokenClient)
	// One http.Client for both SDKs: the same auth, retries, limits and pool.
	apiClient := retryingClient(cfg, auth)
	sdk, err := admin.NewClient(
		admin.UseBaseURL(cfg.BaseURL),
		admin.UseHTTPClient(apiClient),
		admin.UseUserAgent(cfg.UserAgent),
	)
	if err != nil {
		return nil, err
	}
	users, err := newUsersSDK(cfg, apiClient)
	if err != nil {
		return nil, err
	}
	return &Client{cfg: cfg, sdk: sdk, users: users, tokens: tokens}, nil
}

// newUsersSDK is the org users API's SDK client on httpClient.
func newUsersSDK(cfg Config, httpClient *http.Client) (*usersadmin.APIClient, error) {
	return usersadmin.NewClient(
		usersadmin.UseBaseURL(cfg.BaseURL),
		usersadmin.UseHTTPClient(httpClient),
		usersadmin.UseUserAgent(cfg.UserAgent),
	)
}

// orgNames reads each organization's name once per client: reads that ask
// at the same time share one request, and a failure is not kept, so the
// next read asks again.
type orgNames struct {
	flight singleflight.Group
	mu     sync.Mutex
	names  map[string]string
	// visible is every organization the credentials see
	// (VisibleOrganizations).
	visible readOnce[admin.AtlasOrganization]
}

// readOnce is a list read at most once per client, failure included: the
// first caller reads it, with its context, and concurrent callers wait for
// that read. A read cut short by its caller's context (a cancelled plan, a
// deadline) is not kept: it says nothing about Atlas, and the next caller
// reads again.
type readOnce[T any] struct {
	mu    sync.Mutex
	done  bool
	items []T
	err   error
}

func (r *readOnce[T]) get(ctx context.Context, read func() ([]T, error)) ([]T, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.done {
		return r.items, r.err
	}
	items, err := read()
	if err != nil && ctx.Err() != nil {
		return nil, err
	}
	r.done, r.items, r.err = true, items, err
	return items, err
}

func (o *orgNames) known(orgID string) (string, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	name, ok := o.names[orgID]
	return name, ok
}

// secrets are the credentials this client holds now: the configured ones
// and the service-account token it was issued.
func (c *Client) secrets() []string {
	if c.tokens != nil {
		return c.tokens.secrets()
	}
	return c.cfg.secrets()
}

// Config returns the configuration the client was built with.
func (c *Client) Config() Config { return c.cfg }

// ListInvitations lists an organization's pending invitations, filtered by
// username when one is given.
func (c *Client) ListInvitations(ctx context.Context, orgID string, username *string) ([]admin.OrganizationInvitation, error) {
	return call(ctx, c, c.invitationsEndpoint("/api/atlas/v2/orgs/"+orgID+"/invites", "Organization "+quote(orgID)),
		func(ctx context.Context) ([]admin.OrganizationInvitation, *http.Response, error) {
			req := c.sdk.OrganizationsApi.ListOrganizationInvitations(ctx, orgID)
			if username != nil {
				req = req.Username(*username)
			}
			return req.Execute()
		})
}

// GetInvitation reads one invitation by id.
func (c *Client) GetInvitation(ctx context.Context, orgID, invitationID string) (*admin.OrganizationInvitation, error) {
	return call(ctx, c, c.invitationsEndpoint("/api/atlas/v2/orgs/"+orgID+"/invites/"+invitationID,
		"Invitation "+quote(invitationID)+" in organization "+quote(orgID)),
		func(ctx context.Context) (*admin.OrganizationInvitation, *http.Response, error) {
			return c.sdk.OrganizationsApi.GetOrganizationInvitation(ctx, orgID, invitationID).Execute()
		})
}

// errEmptyAnswer is a 2xx whose body is empty or JSON null: the SDK decodes
// both to nothing, which would read as "no invitations" or crash the
// conversion.
var errEmptyAnswer = errors.New("the answer is an empty body or null")

// endpoint is what a call says about the request it makes, for the
// diagnostic when it fails: its path, what a 404 means was missing, and the
// role it needs; and, for a deprecated API, the notice its Deprecation and
// Sunset headers go to (another endpoint's headers concern that endpoint,
// and are not kept).
type endpoint struct {
	path, notFound string
	access         access
	notice         *notice
}

func (c *Client) invitationsEndpoint(path, notFound string) endpoint {
	return endpoint{path: path, notFound: notFound, access: invitationsAccess, notice: &c.invitations}
}

var (
	invitationsAccess = access{role: "Organization Owner", reads: "its invitations"}
	usersAccess       = access{role: "Organization Member", reads: "its users"}
)

// call runs one SDK request with what every read shares: logging, the
// service-account token, the deprecation notice and error translation.
func call[T any](ctx context.Context, c *Client, ep endpoint, do func(context.Context) (T, *http.Response, error)) (T, error) {
	var zero T
	ctx, st := withCallState(c.LogContext(ctx), c.secrets)
	fail := func(err error, resp *http.Response) (T, error) {
		return zero, translate(ctx, err, resp, request{
			cfg: c.cfg, method: http.MethodGet, url: c.cfg.BaseURL + ep.path, notFound: ep.notFound, access: ep.access,
			attempts: st.attemptCount(), last: st.lastAnswer(), secrets: c.secrets(),
		})
	}
	// Fetch the token first, with the caller's context: inside the request
	// it would share one attempt's request_timeout with its own retries.
	if c.tokens != nil {
		if _, err := c.tokens.token(ctx); err != nil {
			return fail(err, nil)
		}
	}
	out, resp, err := do(ctx)
	if ep.notice != nil {
		ep.notice.note(resp, c.secrets())
	}
	if err == nil && decodedNothing(out) {
		err = errEmptyAnswer
	}
	if err != nil {
		return fail(err, resp)
	}
	return out, nil
}

// decodedNothing says whether the SDK decoded an answer to a nil pointer or
// slice: a body that starts with null decodes so whatever follows it, since
// the SDK's decoder reads only the first JSON value (found by
// FuzzAtlasAnswers: null, then a long tail, crashed a list read).
func decodedNothing(v any) bool {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Slice:
		return rv.IsNil()
	}
	return false
}

// authorizationValue matches an Authorization value, should any library (or
// a server echoing it in a header we log) ever bring one to a log call. A
// Bearer or Basic credential is one token; a Digest answer is a list of
// parameters, quoted strings with spaces and commas among them, so
// everything after "Digest" to the end of the line goes.
var authorizationValue = regexp.MustCompile(`(?i)\b(?:(?:Bearer|Basic)\s+[^\s"]+|Digest\s[^\r\n]*)`)

// LogContext adds the atlas log subsystem, with the fields the framework
// set on the provider's logger (data source type, request id), and masks
// every secret of this client in it. tflog's Mask functions return a new
// context: the caller must use the one returned.
func (c *Client) LogContext(ctx context.Context) context.Context {
	ctx = tflog.NewSubsystem(ctx, LogSubsystem, tflog.WithRootFields())
	if s := c.secrets(); len(s) > 0 {
		ctx = tflog.MaskAllFieldValuesStrings(ctx, s...)
		ctx = tflog.MaskMessageStrings(ctx, s...)
		ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, LogSubsystem, s...)
		ctx = tflog.SubsystemMaskMessageStrings(ctx, LogSubsystem, s...)
	}
	ctx = tflog.SubsystemMaskAllFieldValuesRegexes(ctx, LogSubsystem, authorizationValue)
	ctx = tflog.SubsystemMaskMessageRegexes(ctx, LogSubsystem, authorizationValue)
	return ctx
}

// Deprecation is what Atlas said about the end of a deprecated API, in the
// headers of its endpoints' answers.
type Deprecation struct {
	Deprecated string // the Deprecation header
	Sunset     string // the Sunset header
}

// notice is one deprecated API's deprecation notice: the first Deprecation
// and Sunset headers its answers carried, given out once.
type notice struct {
	pending atomic.Pointer[Deprecation]
	warned  atomic.Bool
}

// note remembers the first deprecation headers seen.
func (n *notice) note(resp *http.Response, secrets []string) {
	if resp == nil {
		return
	}
	d := Deprecation{Deprecated: resp.Header.Get(atlasapi.DeprecationHeader), Sunset: resp.Header.Get(atlasapi.SunsetHeader)}
	if d == (Deprecation{}) {
		return
	}
	// Shown as sent when they are not dates: an echoed secret goes.
	d.Deprecated, d.Sunset = redact(d.Deprecated, secrets), redact(d.Sunset, secrets)
	n.pending.CompareAndSwap(nil, &d)
}

// take returns the notice to its first caller after the headers came, and
// false to every later one.
func (n *notice) take() (Deprecation, bool) {
	d := n.pending.Load()
	if d == nil || !n.warned.CompareAndSwap(false, true) {
		return Deprecation{}, false
	}
	return *d, true
}

// TakeDeprecation returns the organization invitations API's deprecation
// notice once per client (one configured provider, which Terraform runs as
// one process): the first caller after Atlas sent the headers gets it,
// every later caller gets false.
func (c *Client) TakeDeprecation() (Deprecation, bool) { return c.invitations.take() }
