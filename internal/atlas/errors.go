package atlas

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strings"

	"go.mongodb.org/atlas-sdk/v20241113001/admin"
	usersadmin "go.mongodb.org/atlas-sdk/v20250312020/admin"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlasapi"
)

// ErrorKind sorts failures by what the user has to do about them.
type ErrorKind int

const (
	KindOther ErrorKind = iota
	KindUnauthorized
	KindForbidden
	KindNotFound
	KindVersionGone
	KindRateLimited
	KindServer
	KindTimeout
	KindNetwork
	KindBadResponse
	KindCanceled
	// KindRedirect is a redirect to another origin, not followed.
	KindRedirect
	// KindTooLarge is an answer over MaxBodyBytes, refused while read.
	KindTooLarge
	// KindCutOff is an answer whose body ended early or stalled, on every
	// attempt.
	KindCutOff
	// KindChallenge is a 401 whose challenge is not Atlas's digest (a proxy
	// asking for Basic credentials).
	KindChallenge
	// KindTokenRejected is the token endpoint refusing the service
	// account's client id and secret (400 or 401).
	KindTokenRejected
	// KindTokenEndpoint is any other failure of the token endpoint.
	KindTokenEndpoint

	// KindListChanged is a list that moved while its pages were read, on
	// two reads in a row.
	KindListChanged
	// KindListTooLong is a list past MaxPages full pages.
	KindListTooLong

	// numKinds counts the kinds above; keep it last.
	numKinds
)

// Error is a failed Atlas call with everything a diagnostic needs. It holds
// no secret: credentials appear only as their public identifiers.
type Error struct {
	Kind         ErrorKind
	Method, Path string
	// URL is the URL actually sent (for a token failure, the token URL),
	// without credentials.
	URL         string
	Status      int    // 0 when Atlas did not answer
	ErrorCode   string // Atlas errorCode
	AtlasDetail string // Atlas detail
	Attempts    int
	ContentType string
	BodyStart   string
	// BodyLen is the length of a token endpoint's answer, whose body is
	// never kept; -1 when it was not read in full.
	BodyLen int64
	// NotFound names what was looked up, for the 404 hint.
	NotFound string
	// MediaType is the API version asked for (the Accept header sent).
	MediaType string
	// Sunset is the answer's Sunset header, when it had one: the date Atlas
	// gives for the end of this endpoint's version. Date is its Date header.
	Sunset, Date string
	// List is what a read of many pages saw, for the kinds of a whole read
	// (KindListChanged, KindListTooLong).
	List *ListFacts

	redirectTarget origin
	challenge      string
	access         access // the role the request needs

	cfg        Config
	cause      error
	parameters []any // Atlas parameters
}

func (e *Error) Error() string { return e.Summary() + ": " + e.Detail() }
func (e *Error) Unwrap() error { return e.cause }

// Summary is a short Title Case line.
func (e *Error) Summary() string {
	switch e.Kind {
	case KindUnauthorized:
		if e.ErrorCode == codeRoleMissing {
			return "Atlas Credentials Lack The " + e.role() + " Role"
		}
		return "Atlas Rejected The Credentials"
	case KindForbidden:
		return "Atlas Denied Access"
	case KindNotFound:
		return "Atlas Resource Not Found"
	case KindVersionGone:
		return "Atlas API Version No Longer Served"
	case KindRateLimited:
		return "Atlas Rate Limit Exceeded"
	case KindServer:
		return "Atlas Server Error"
	case KindTimeout:
		return "Atlas Request Timed Out"
	case KindNetwork:
		return "Cannot Reach Atlas"
	case KindBadResponse:
		return "Unexpected Atlas Response"
	case KindCanceled:
		return "Atlas Request Canceled"
	case KindRedirect:
		return "Atlas Answered With A Redirect"
	case KindTooLarge:
		return "Atlas Answer Too Large"
	case KindCutOff:
		return "Atlas Answer Cut Off"
	case KindChallenge:
		return "Unexpected Authentication Challenge"
	case KindTokenRejected:
		return "Atlas Rejected The Service Account Credentials"
	case KindTokenEndpoint:
		return "Atlas Token Request Failed"
	case KindListChanged:
		return "Atlas List Changed During The Read"
	case KindListTooLong:
		return "Atlas List Too Long"
	default:
		return "Atlas Request Failed"
	}
}

// role is the organization role the request needs.
func (e *Error) role() string { return cmp.Or(e.access.role, invitationsAccess.role) }

// Detail says what to do, then the facts of the request.
func (e *Error) Detail() string {
	return e.hint() + "\n\n" + e.facts()
}

func (e *Error) hint() string {
	c := e.cfg
	switch e.Kind {
	case KindUnauthorized:
		if e.ErrorCode == codeRoleMissing {
			reads := cmp.Or(e.access.reads, invitationsAccess.reads)
			return fmt.Sprintf("Atlas accepted the %s credentials (%s, from %s), but they lack the %s "+
				"role in this organization, which reading %s requires. Give the API key or service account "+
				"the %s role (Atlas UI: Organization Access Manager, Applications), or configure "+
				"credentials that have it.", c.Mode, c.Principal(), c.CredentialSource, e.role(), reads, e.role())
		}
		return fmt.Sprintf("Atlas did not accept the %s credentials (%s, from %s). "+
			"Check that they are the right ones for %s, current and not revoked, and which ones Terraform used: "+
			"credentials in the provider block are used whenever it holds a complete set, the MONGODB_ATLAS_* "+
			"environment variables only otherwise; within one place an access token wins over a service account, "+
			"which wins over an API key.", c.Mode, c.Principal(), c.CredentialSource, c.BaseURL)
	case KindForbidden:
		addr := e.blockedAddress()
		if addr == "" {
			addr = "this machine's address"
		}
		lead := fmt.Sprintf("Atlas refused the request from %s", addr)
		if e.ErrorCode != codeAccessList {
			lead = "Atlas answered 403 Forbidden; for this API that means the request came from an address it does not allow"
		}
		return fmt.Sprintf("%s: it is not on the API access list of the %s credentials (%s, from %s). "+
			"Add %s to the access list of the API key or service account (Atlas UI: Organization Access Manager, "+
			"Applications, Edit Access List), or run Terraform from an address on it.", lead, c.Mode, c.Principal(), c.CredentialSource, addr)
	case KindNotFound:
		lead := ""
		switch e.Missing() {
		case MissingOrganization:
			lead = "Atlas found no such organization. "
		case MissingInvitation:
			lead = "Atlas found the organization but no such invitation (it may have been accepted, revoked or expired). "
		}
		return fmt.Sprintf("%s%s does not exist or is not visible to %s. "+
			"Check the id (Atlas UI: Organization Settings) and that the credentials belong to that organization.",
			lead, e.NotFound, c.Principal())
	case KindVersionGone:
		return fmt.Sprintf("Atlas no longer serves the API version this provider speaks (%s) "+
			"for this endpoint. Upgrade the atlasinv provider.", e.MediaType)
	case KindRateLimited:
		return fmt.Sprintf("Atlas kept answering 429 Too Many Requests after %s (max_retries = %d, Retry-After honoured). "+
			"Run fewer plans against this organization at once, lower -parallelism, or raise max_retries.",
			attempts(e.Attempts), c.MaxRetries)
	case KindServer:
		return fmt.Sprintf("Atlas answered %d after %s (max_retries = %d). "+
			"This is usually transient on Atlas's side: try again later, or raise max_retries.",
			e.Status, attempts(e.Attempts), c.MaxRetries)
	case KindTimeout:
		return fmt.Sprintf("No answer from %s within request_timeout (%s) per attempt, after %s. "+
			"Raise request_timeout, or check the network path (proxy, firewall) to Atlas.",
			c.BaseURL, c.RequestTimeout, attempts(e.Attempts))
	case KindNetwork:
		return fmt.Sprintf("Could not connect to the Atlas API at %s after %s: %s. "+
			"Check base_url (or MONGODB_ATLAS_BASE_URL), DNS, proxy settings and firewall.",
			c.BaseURL, attempts(e.Attempts), rootCause(e.cause))
	case KindBadResponse:
		return fmt.Sprintf("Atlas answered %d with content type %q, which is not the JSON this provider expects. "+
			"The body starts with: %q%s. Something other than the Atlas API (a proxy, a login page) may be answering "+
			"at %s: check base_url.", e.Status, e.ContentType, e.BodyStart, emptyNote(e.BodyStart), c.BaseURL)
	case KindCanceled:
		return "Terraform canceled the operation before Atlas answered in full."
	default:
		return e.transportHint()
	}
}

func (e *Error) transportHint() string {
	c := e.cfg
	switch e.Kind {
	case KindRedirect:
		return fmt.Sprintf("Atlas answered with a redirect to %s, another origin than base_url's (%s). "+
			"The redirect was not followed: credentials are never sent to another origin. Atlas's API does not "+
			"redirect, so check base_url (or MONGODB_ATLAS_BASE_URL) and any proxy (HTTPS_PROXY) between this "+
			"machine and Atlas.", e.redirectTarget, parseOrigin(c.BaseURL))
	case KindTooLarge:
		return fmt.Sprintf("The answer to %s %s was larger than the provider's limit of %d MiB and was refused "+
			"while it was read (retrying would get the same answer). Atlas's answers are far smaller (the limit holds "+
			"about 140,000 invitations): something other than the Atlas API (a proxy, another server) may be "+
			"answering at %s. Check base_url and any proxy.", e.Method, e.URL, MaxBodyBytes>>20, c.BaseURL)
	case KindCutOff:
		return fmt.Sprintf("Atlas's answer ended before its body was complete (the connection dropped or stalled past "+
			"request_timeout = %s) on each of %s: %s. Check the network path (proxy, firewall) to Atlas, "+
			"or raise request_timeout.", c.RequestTimeout, attempts(e.Attempts), rootCause(e.cause))
	case KindChallenge:
		return fmt.Sprintf("The server at %s answered 401 asking for %s authentication, not the digest challenge "+
			"Atlas sends for an API key. Something between this machine and Atlas (a proxy) is asking for its own "+
			"credentials: check base_url and your proxy settings (HTTPS_PROXY, NO_PROXY).", c.BaseURL, e.challenge)
	case KindTokenRejected:
		return fmt.Sprintf("Atlas's token endpoint (%s) refused the service account credentials (%s, from %s) "+
			"with %d%s. Check that client_id and client_secret are a current pair of the same service account.",
			e.URL, c.Principal(), c.CredentialSource, e.Status, oauthNote(e.ErrorCode))
	case KindTokenEndpoint:
		return e.tokenEndpointHint()
	case KindListChanged:
		return fmt.Sprintf("The list changed while its pages were read, on two reads in a row (%s).", e.List.Change)
	case KindListTooLong:
		return fmt.Sprintf("The list has more than %d full pages of %d.", e.List.MaxPages, e.List.PageSize)
	}
	if e.Status != 0 {
		return fmt.Sprintf("Atlas answered %d %s.", e.Status, http.StatusText(e.Status))
	}
	return fmt.Sprintf("The request failed: %s.", rootCause(e.cause))
}

// tokenEndpointHint explains a token endpoint failure as such: it is never
// the organization's or the API version's fault.
func (e *Error) tokenEndpointHint() string {
	c := e.cfg
	const check = " Check base_url (or MONGODB_ATLAS_BASE_URL): it must be the Atlas origin (https://cloud.mongodb.com) " +
		"with no path, and any proxy in between."
	var netErr net.Error
	switch {
	case e.Status == 0 && (errors.Is(e.cause, context.DeadlineExceeded) || errors.As(e.cause, &netErr) && netErr.Timeout()):
		return fmt.Sprintf("Atlas's token endpoint (%s) did not answer within request_timeout (%s) on each of %s.",
			e.URL, c.RequestTimeout, attempts(e.Attempts)) + check
	case e.Status == 0:
		return fmt.Sprintf("Could not get a service account token from Atlas's token endpoint (%s) after %s: %s.",
			e.URL, attempts(e.Attempts), rootCause(e.cause)) + check
	case e.Status < 300:
		return fmt.Sprintf("Atlas's token endpoint (%s) answered %d with content type %q and %s, not a token this "+
			"provider can read. The body is not shown: it may hold a live token.",
			e.URL, e.Status, e.ContentType, bodyLength(e.BodyLen)) + check
	case e.Status >= 500 || e.Status == http.StatusTooManyRequests:
		return fmt.Sprintf("Atlas's token endpoint (%s) answered %d %s after %s (max_retries = %d). "+
			"This is usually transient on Atlas's side: try again later.",
			e.URL, e.Status, http.StatusText(e.Status), attempts(e.Attempts), c.MaxRetries)
	default:
		return fmt.Sprintf("Atlas's token endpoint (%s) answered %d %s%s, so no service account token was issued.",
			e.URL, e.Status, http.StatusText(e.Status), oauthNote(e.ErrorCode)) + check
	}
}

func bodyLength(n int64) string {
	switch {
	case n < 0:
		return "a body not read in full"
	case n == 1:
		return "a body of 1 byte"
	}
	return fmt.Sprintf("a body of %d bytes", n)
}

func oauthNote(code string) string {
	if code == "" {
		return ""
	}
	return " (" + code + ")"
}

func emptyNote(bodyStart string) string {
	switch strings.TrimSpace(bodyStart) {
	case "":
		return " (an empty body)"
	case "null":
		return " (JSON null: no data at all)"
	}
	return ""
}

// Facts are the request, status and Atlas's own words, without the hint: for
// a caller that words the hint itself.
func (e *Error) Facts() string { return e.facts() }

// Atlas error codes the hints depend on. Neither the SDK's OpenAPI file nor
// the API reference lists the codes an operation can answer; these are the
// ones Atlas sends (and the mock follows).
const (
	codeRoleMissing = "USER_UNAUTHORIZED"             // 401: valid credentials without the role
	codeAccessList  = "IP_ADDRESS_NOT_ON_ACCESS_LIST" // 403: address not on the API access list
)

// What a 404 says was not found, from Atlas's errorCode.
const (
	MissingOrganization = "organization"
	MissingInvitation   = "invitation"
)

var missingByCode = map[string]string{
	"ORG_NOT_FOUND":        MissingOrganization,
	"INVITATION_NOT_FOUND": MissingInvitation,
}

// Missing names what Atlas's errorCode says was not found
// (MissingOrganization, MissingInvitation), or "" when the code names
// nothing this provider asks for.
func (e *Error) Missing() string {
	if e.Kind != KindNotFound {
		return ""
	}
	return missingByCode[e.ErrorCode]
}

var blockedAddressRE = regexp.MustCompile(`IP address (\S+) is not allowed`)

// blockedAddress is the caller's address from an access-list refusal: the
// first parameter Atlas sends with it, else the one its detail names.
func (e *Error) blockedAddress() string {
	for _, p := range e.parameters {
		if s, ok := p.(string); ok {
			if _, err := netip.ParseAddr(s); err == nil {
				return s
			}
		}
	}
	if m := blockedAddressRE.FindStringSubmatch(e.AtlasDetail); m != nil {
		if _, err := netip.ParseAddr(m[1]); err == nil {
			return m[1]
		}
	}
	return ""
}

// attempts counts honestly: "1 attempt", "3 attempts".
func attempts(n int) string {
	if n == 1 {
		return "1 attempt"
	}
	return fmt.Sprintf("%d attempts", n)
}

func (e *Error) facts() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Request: %s %s", e.Method, e.URL)
	if e.Status != 0 {
		fmt.Fprintf(&b, "\nHTTP status: %d", e.Status)
	}
	if e.ErrorCode != "" {
		fmt.Fprintf(&b, "\nAtlas error code: %s", e.ErrorCode)
	}
	if e.AtlasDetail != "" {
		fmt.Fprintf(&b, "\nAtlas detail: %s", e.AtlasDetail)
	}
	if l := e.List; l != nil {
		fmt.Fprintf(&b, "\nPages read: %d (of %d items each), %d distinct %s", l.Pages, l.PageSize, l.Items, l.What)
		fmt.Fprintf(&b, "\nAtlas's estimated count: %s on page 1, %s on the last page", countText(l.FirstCount), countText(l.LastCount))
	}
	return b.String()
}

// request is what a call knows about itself when it fails.
type request struct {
	cfg         Config
	method, url string // url: as the call meant it, before any answer
	notFound    string
	access      access
	attempts    int
	last        answer   // what the wire saw last, if anything
	secrets     []string // never shown, even when an answer echoes one
}

// translate turns what the SDK (or a layer under it) returned into an *Error.
func translate(ctx context.Context, err error, resp *http.Response, r request) *Error {
	e := &Error{Method: r.method, URL: r.url, NotFound: r.notFound, access: r.access, cfg: r.cfg, cause: err, Attempts: max(r.attempts, 1),
		MediaType: "application/vnd.atlas.2023-01-01+json"}
	if r.last.url != "" {
		e.URL = r.last.url
	}
	if u, perr := url.Parse(e.URL); perr == nil {
		e.Path = u.Path
	}
	if resp != nil {
		e.Status = resp.StatusCode
		e.ContentType = resp.Header.Get("Content-Type")
		e.Sunset, e.Date = resp.Header.Get(atlasapi.SunsetHeader), resp.Header.Get("Date")
		if resp.Request != nil && resp.Request.Header.Get("Accept") != "" {
			e.MediaType = resp.Request.Header.Get("Accept")
		}
	}
	if apiErr, ok := admin.AsError(err); ok {
		e.ErrorCode = apiErr.ErrorCode
		e.AtlasDetail = apiErr.GetDetail()
		e.parameters = apiErr.GetParameters()
	} else if apiErr, ok := usersadmin.AsError(err); ok { // the org users API's SDK
		e.ErrorCode = apiErr.ErrorCode
		e.AtlasDetail = apiErr.GetDetail()
		e.parameters = apiErr.GetParameters()
	}
	var tokErr *tokenError
	var redirect *redirectError
	var tooLarge *bodyLimitError
	var challenge *challengeError
	var cut *cutOffError
	var netErr net.Error
	switch {
	case errors.Is(ctx.Err(), context.Canceled), errors.Is(err, context.Canceled):
		e.Kind = KindCanceled
	case errors.As(err, &tokErr):
		e.Method, e.URL, e.Path = http.MethodPost, tokErr.URL, tokenPath
		e.Status, e.ContentType, e.BodyLen = tokErr.Status, tokErr.ContentType, tokErr.BodyLen
		e.ErrorCode, e.Attempts = tokErr.OAuthError, tokErr.Attempts
		e.Kind = KindTokenEndpoint
		switch {
		case errors.As(err, &redirect):
			e.Kind, e.Status, e.redirectTarget = KindRedirect, redirect.status, redirect.target
		case errors.As(err, &tooLarge):
			e.Kind, e.Status = KindTooLarge, tooLarge.Status
		case tokErr.Rejected():
			e.Kind = KindTokenRejected
		}
	case errors.As(err, &redirect):
		e.Kind, e.Status, e.redirectTarget = KindRedirect, redirect.status, redirect.target
	case errors.As(err, &tooLarge):
		e.Kind, e.Status, e.URL = KindTooLarge, tooLarge.Status, tooLarge.URL
	case errors.As(err, &challenge):
		e.Kind, e.Status, e.challenge = KindChallenge, http.StatusUnauthorized, challenge.Scheme()
	case errors.As(err, &cut):
		e.Kind, e.Status = KindCutOff, r.last.status
	case resp == nil && errors.As(err, &netErr) && netErr.Timeout(), errors.Is(err, context.DeadlineExceeded):
		e.Kind = KindTimeout
	case resp == nil:
		e.Kind = KindNetwork
	case resp.StatusCode < 300:
		e.Kind = KindBadResponse
		e.BodyStart = string(r.last.bodyStart)
	default:
		e.Kind = statusKind(resp.StatusCode)
	}
	// What the server wrote is shown word for word; a server (or a proxy)
	// that echoes a credential it received must not get it into a diagnostic.
	e.AtlasDetail, e.BodyStart = redact(e.AtlasDetail, r.secrets), redact(e.BodyStart, r.secrets)
	return e
}

// redact replaces every secret in s.
func redact(s string, secrets []string) string {
	for _, secret := range secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "(redacted)")
		}
	}
	return s
}

func statusKind(status int) ErrorKind {
	switch {
	case status == http.StatusUnauthorized:
		return KindUnauthorized
	case status == http.StatusForbidden:
		return KindForbidden
	case status == http.StatusNotFound:
		return KindNotFound
	case status == http.StatusNotAcceptable, status == http.StatusGone:
		return KindVersionGone
	case status == http.StatusTooManyRequests:
		return KindRateLimited
	case status >= 500:
		return KindServer
	default:
		return KindOther
	}
}

// rootCause strips the URL wrappers so the message names the real failure
// (connection refused, no such host) once.
func rootCause(err error) string {
	if err == nil {
		return "unknown error"
	}
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		var op *net.OpError
		if errors.As(err, &op) && op == err {
			return err.Error()
		}
		err = next
	}
}
