package atlas

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"slices"

	"go.mongodb.org/atlas-sdk/v20241113001/admin"
	usersadmin "go.mongodb.org/atlas-sdk/v20250312020/admin"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlasapi"
)

// access is the role an operation needs (empty when Atlas documents none),
// in the organization or, for a project's invitations, in the project, and
// what it reads.
type access struct {
	role, reads string
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
	e := &Error{Method: r.method, URL: r.url, NotFound: r.notFound, Role: r.access.role, Reads: r.access.reads,
		Setup: r.cfg.setup(), cause: err, Attempts: max(r.attempts, 1), MediaType: "application/vnd.atlas.2023-01-01+json"}
	if r.last.url != "" {
		e.URL = r.last.url
	}
	e.UnknownHost, _ = hostNotFound(err)
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
		e.Parameters = apiErr.GetParameters()
	} else if apiErr, ok := usersadmin.AsError(err); ok { // the org users API's SDK
		e.ErrorCode = apiErr.ErrorCode
		e.AtlasDetail = apiErr.GetDetail()
		e.Parameters = apiErr.GetParameters()
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
			e.Kind, e.Status, e.RedirectTarget = KindRedirect, redirect.status, string(redirect.target)
		case errors.As(err, &tooLarge):
			e.Kind, e.Status = KindTooLarge, tooLarge.Status
		case tokErr.Rejected():
			e.Kind = KindTokenRejected
		}
	case errors.As(err, &redirect):
		e.Kind, e.Status, e.RedirectTarget = KindRedirect, redirect.status, string(redirect.target)
	case errors.As(err, &tooLarge):
		e.Kind, e.Status, e.URL = KindTooLarge, tooLarge.Status, tooLarge.URL
	case errors.As(err, &challenge):
		e.Kind, e.Status, e.Challenge = KindChallenge, http.StatusUnauthorized, challenge.Scheme()
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
	e.redactAnswer(r.secrets)
	return e
}

// redactAnswer replaces every secret in what e keeps from the answer, shown
// word for word: Atlas's words, the headers, the URL a redirect led to, and
// the root cause, whose text may quote the answer. BodyStart was redacted
// before its cut.
func (e *Error) redactAnswer(secrets []string) {
	for _, s := range []*string{&e.URL, &e.Path, &e.ErrorCode, &e.AtlasDetail, &e.ContentType, &e.BodyStart,
		&e.Sunset, &e.Date, &e.Challenge} {
		*s = redact(*s, secrets)
	}
	// A redirect's target is an origin: its host is lower-cased.
	e.RedirectTarget = redact(e.RedirectTarget, slices.Concat(secrets, lowered(secrets)))
	if e.Parameters != nil {
		e.Parameters, _ = redactValue(e.Parameters, secrets).([]any)
	}
	e.root = redact(rootCause(e.cause), secrets)
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

// RootCause is the failure under the URL wrappers (connection refused, no
// such host), named once.
func (e *Error) RootCause() string {
	if e.root != "" {
		return e.root
	}
	return rootCause(e.cause)
}

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
