package atlas

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
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

	cfg   Config
	cause error
}

func (e *Error) Error() string { return e.Summary() + ": " + e.Detail() }
func (e *Error) Unwrap() error { return e.cause }

// Summary is a short Title Case line.
func (e *Error) Summary() string {
	switch e.Kind {
	case KindUnauthorized:
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
		return fmt.Sprintf("Atlas did not accept the %s credentials (%s, from %s). "+
			"Check that they are current and not revoked, and which ones Terraform used: a value in the provider block "+
			"wins over the MONGODB_ATLAS_* environment variables, and an access token wins over a service account, "+
			"which wins over an API key.", c.Mode, c.Principal(), c.CredentialSource)
	case KindForbidden:
		return fmt.Sprintf("The credentials (%s) are valid but may not read this organization's invitations. "+
			"Give the API key or service account the Organization Owner role in that organization, "+
			"and check that its IP access list allows this machine.", c.Principal())
	case KindNotFound:
		return fmt.Sprintf("%s does not exist or is not visible to %s. "+
			"Check the id (Atlas UI: Organization Settings) and that the credentials belong to that organization.",
			e.NotFound, c.Principal())
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
	} else if apiErr, ok := usersadmin.AsError(err); ok { // the org users API's SDK
		e.ErrorCode = apiErr.ErrorCode
		e.AtlasDetail = apiErr.GetDetail()
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
