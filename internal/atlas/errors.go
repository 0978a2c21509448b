package atlas

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"regexp"
	"strings"

	"go.mongodb.org/atlas-sdk/v20241113001/admin"
	usersadmin "go.mongodb.org/atlas-sdk/v20250312020/admin"
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
)

// Error is a failed Atlas call with everything a diagnostic needs. It holds
// no secret: credentials appear only as their public identifiers.
type Error struct {
	Kind         ErrorKind
	Method, Path string
	Status       int    // 0 when Atlas did not answer
	ErrorCode    string // Atlas errorCode
	AtlasDetail  string // Atlas detail
	Attempts     int
	ContentType  string
	BodyStart    string
	// NotFound names what was looked up, for the 404 hint.
	NotFound string
	// MediaType is the API version asked for (the Accept header sent).
	MediaType string

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
			return "Atlas Credentials Lack The Organization Owner Role"
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
	default:
		return "Atlas Request Failed"
	}
}

// Detail says what to do, then the facts of the request.
func (e *Error) Detail() string {
	return e.hint() + "\n\n" + e.facts()
}

func (e *Error) hint() string {
	c := e.cfg
	switch e.Kind {
	case KindUnauthorized:
		if e.ErrorCode == codeRoleMissing {
			return fmt.Sprintf("Atlas accepted the %s credentials (%s, from %s), but they lack the Organization Owner "+
				"role in this organization, which reading its invitations requires. Give the API key or service account "+
				"the Organization Owner role (Atlas UI: Organization Access Manager, Applications), or configure "+
				"credentials that have it.", c.Mode, c.Principal(), c.CredentialSource)
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
		return fmt.Sprintf("Atlas kept answering 429 Too Many Requests after %d attempts (max_retries = %d, Retry-After honoured). "+
			"Run fewer plans against this organization at once, lower -parallelism, or raise max_retries.",
			e.Attempts, c.MaxRetries)
	case KindServer:
		return fmt.Sprintf("Atlas answered %d after %d attempts (max_retries = %d). "+
			"This is usually transient on Atlas's side: try again later, or raise max_retries.",
			e.Status, e.Attempts, c.MaxRetries)
	case KindTimeout:
		return fmt.Sprintf("No answer from %s within request_timeout (%s) per attempt, after %d attempts. "+
			"Raise request_timeout, or check the network path (proxy, firewall) to Atlas.",
			c.BaseURL, c.RequestTimeout, e.Attempts)
	case KindNetwork:
		return fmt.Sprintf("Could not connect to the Atlas API at %s after %d attempts: %s. "+
			"Check base_url (or MONGODB_ATLAS_BASE_URL), DNS, proxy settings and firewall.",
			c.BaseURL, e.Attempts, rootCause(e.cause))
	case KindBadResponse:
		return fmt.Sprintf("Atlas answered %d with content type %q, which is not the JSON this provider expects. "+
			"The body starts with: %q. Something other than the Atlas API (a proxy, a login page) may be answering "+
			"at %s: check base_url.", e.Status, e.ContentType, e.BodyStart, c.BaseURL)
	case KindCanceled:
		return "Terraform canceled the operation before Atlas answered."
	default:
		if e.Status != 0 {
			return fmt.Sprintf("Atlas answered %d %s.", e.Status, http.StatusText(e.Status))
		}
		return fmt.Sprintf("The request failed: %s.", rootCause(e.cause))
	}
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

func (e *Error) facts() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Request: %s %s", e.Method, e.Path)
	if e.Status != 0 {
		fmt.Fprintf(&b, "\nHTTP status: %d", e.Status)
	}
	if e.ErrorCode != "" {
		fmt.Fprintf(&b, "\nAtlas error code: %s", e.ErrorCode)
	}
	if e.AtlasDetail != "" {
		fmt.Fprintf(&b, "\nAtlas detail: %s", e.AtlasDetail)
	}
	return b.String()
}

// translate turns what the SDK returned into an *Error.
func (c *Client) translate(err error, resp *http.Response, st *callState, method, path, notFound string) *Error {
	e := &Error{Method: method, Path: path, NotFound: notFound, cfg: c.cfg, cause: err, Attempts: max(int(st.attempts.Load()), 1),
		MediaType: "application/vnd.atlas.2023-01-01+json"}
	if resp != nil {
		e.Status = resp.StatusCode
		e.ContentType = resp.Header.Get("Content-Type")
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
	var credErr *credentialsError
	var netErr net.Error
	switch {
	case errors.Is(err, context.Canceled):
		e.Kind = KindCanceled
	case errors.As(err, &credErr):
		e.Method, e.Path, e.Status = http.MethodPost, tokenPath, credErr.status()
		switch e.Status {
		case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden:
			e.Kind = KindUnauthorized
		case 0:
			e.Kind = networkOrTimeout(credErr.err)
		default:
			e.Kind = statusKind(e.Status)
		}
	case resp == nil && errors.As(err, &netErr) && netErr.Timeout(), errors.Is(err, context.DeadlineExceeded):
		e.Kind = KindTimeout
	case resp == nil:
		e.Kind = KindNetwork
	case resp.StatusCode < 300:
		e.Kind = KindBadResponse
		if p := st.peek.Load(); p != nil {
			e.BodyStart = string(*p)
		}
	default:
		e.Kind = statusKind(resp.StatusCode)
	}
	return e
}

func networkOrTimeout(err error) ErrorKind {
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return KindTimeout
	}
	return KindNetwork
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
