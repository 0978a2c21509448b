package atlas

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ErrorKind sorts failures by what went wrong, which decides what the user
// has to do about them.
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

// String names the kind in a word or two, for Error and logs.
func (k ErrorKind) String() string {
	if k >= 0 && k < numKinds {
		return kindNames[k]
	}
	return "unknown"
}

var kindNames = [numKinds]string{
	KindOther: "request failed", KindUnauthorized: "unauthorized", KindForbidden: "forbidden",
	KindNotFound: "not found", KindVersionGone: "API version gone", KindRateLimited: "rate limited",
	KindServer: "server error", KindTimeout: "timeout", KindNetwork: "network", KindBadResponse: "bad response",
	KindCanceled: "canceled", KindRedirect: "redirect refused", KindTooLarge: "answer too large",
	KindCutOff: "answer cut off", KindChallenge: "foreign challenge", KindTokenRejected: "token rejected",
	KindTokenEndpoint: "token endpoint", KindListChanged: "list changed", KindListTooLong: "list too long",
}

// Error is a failed Atlas call: what was asked, what came back, and the
// configuration it ran with. It holds facts only, and no secret:
// credentials appear only as their public identifiers. Wording it for a
// user is the caller's job.
type Error struct {
	Kind         ErrorKind
	Method, Path string
	// URL is the URL actually sent (for a token failure, the token URL),
	// without credentials.
	URL         string
	Status      int    // 0 when Atlas did not answer
	ErrorCode   string // Atlas errorCode
	AtlasDetail string // Atlas detail
	// Parameters are the parameters Atlas sent with its error.
	Parameters  []any
	Attempts    int
	ContentType string
	BodyStart   string
	// BodyLen is the length of a token endpoint's answer, whose body is
	// never kept; -1 when it was not read in full.
	BodyLen int64
	// NotFound names what was looked up, for a 404.
	NotFound string
	// MediaType is the API version asked for (the Accept header sent).
	MediaType string
	// Sunset is the answer's Sunset header, when it had one: the date Atlas
	// gives for the end of this endpoint's version. Date is its Date header.
	Sunset, Date string
	// List is what a read of many pages saw, for the kinds of a whole read
	// (KindListChanged, KindListTooLong).
	List *ListFacts
	// RedirectTarget is the origin a refused redirect pointed at.
	RedirectTarget string
	// Challenge is the scheme of a 401 challenge that is not Atlas's digest.
	Challenge string
	// UnknownHost is the host the resolver said has no address ("no such
	// host"), which is not retried.
	UnknownHost string
	// Role is the role the request needs (Atlas's x-rolesRequirements;
	// empty when that names none): a role in the organization, or, for a
	// project's invitations, "Project Owner", a role in the project. Reads
	// is what it reads with it.
	Role, Reads string
	// Setup is the configuration the call ran with.
	Setup Setup

	cause error
	root  string // RootCause, secrets redacted; "" when not worked out yet
}

// Setup is a client's configuration without its secrets.
type Setup struct {
	Mode AuthMode
	// Principal names the credentials (Config.Principal); CredentialSource
	// says where they came from.
	Principal, CredentialSource string
	// BaseURLSource says where BaseURL came from (Config.BaseURLSource).
	BaseURL, BaseURLSource string
	// BaseOrigin is BaseURL's scheme, host and port, the port explicit.
	BaseOrigin     string
	RequestTimeout time.Duration // per attempt
	MaxRetries     int
}

func (c Config) setup() Setup {
	return Setup{Mode: c.Mode, Principal: c.Principal(), CredentialSource: c.CredentialSource, BaseURL: c.BaseURL,
		BaseURLSource: c.BaseURLSource, BaseOrigin: string(parseOrigin(c.BaseURL)), RequestTimeout: c.RequestTimeout, MaxRetries: c.MaxRetries}
}

// Error is one line of facts: the kind, the request, Atlas's status and code.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "atlas: %s: %s %s", e.Kind, e.Method, e.URL)
	if e.Status != 0 {
		fmt.Fprintf(&b, ": %d", e.Status)
	}
	if e.ErrorCode != "" {
		b.WriteString(" " + e.ErrorCode)
	}
	// The root cause only when nothing answered: an answer's own error text
	// (oauth2's quotes the body) may hold a token.
	switch {
	case e.AtlasDetail != "":
		b.WriteString(": " + e.AtlasDetail)
	case e.cause != nil && e.Status == 0:
		b.WriteString(": " + e.RootCause())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.cause }

// Atlas error codes a caller tells apart. Neither the SDK's OpenAPI file nor
// the API reference lists the codes an operation can answer; these are the
// ones Atlas sends (and the mock follows).
const (
	CodeRoleMissing = "USER_UNAUTHORIZED"             // 401: valid credentials without the role
	CodeAccessList  = "IP_ADDRESS_NOT_ON_ACCESS_LIST" // 403: address not on the API access list
)

// What a 404 says was not found, from Atlas's errorCode.
const (
	MissingOrganization = "organization"
	MissingInvitation   = "invitation"
	MissingProject      = "project"
)

var missingByCode = map[string]string{
	"ORG_NOT_FOUND":        MissingOrganization,
	"INVITATION_NOT_FOUND": MissingInvitation,
	"GROUP_NOT_FOUND":      MissingProject,
}

// Missing names what Atlas's errorCode says was not found
// (MissingOrganization, MissingInvitation, MissingProject), or "" when the
// code names nothing this client asks for.
func (e *Error) Missing() string {
	if e.Kind != KindNotFound {
		return ""
	}
	return missingByCode[e.ErrorCode]
}

var blockedAddressRE = regexp.MustCompile(`IP address (\S+) is not allowed`)

// BlockedAddress is the caller's address from an access-list refusal: the
// first parameter Atlas sends with it, else the one its detail names; ""
// when neither holds an address.
func (e *Error) BlockedAddress() string {
	for _, p := range e.Parameters {
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

// TimedOut says whether the call failed on a deadline: a request timeout,
// or the caller's.
func (e *Error) TimedOut() bool {
	var netErr net.Error
	return errors.Is(e.cause, context.DeadlineExceeded) || errors.As(e.cause, &netErr) && netErr.Timeout()
}

// Facts are the request, status and Atlas's own words, one per line.
func (e *Error) Facts() string {
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
		fmt.Fprintf(&b, "\nAtlas's estimated count: %s on page 1, %s on %s", countText(l.FirstCount), countText(l.LastCount), pageText(l.LastCountPage))
	}
	// When nothing answered, where the base URL came from may be the
	// mistake: a misspelt variable leaves the default.
	if e.Status == 0 && e.Kind != KindCanceled && e.Setup.BaseURLSource != "" {
		fmt.Fprintf(&b, "\nBase URL: %s, from %s", e.Setup.BaseURL, e.Setup.BaseURLSource)
	}
	return b.String()
}

// ListFacts are what one read of every page of a list saw.
type ListFacts struct {
	What                  string // what the list holds: "users", "organizations"
	Pages, Items          int    // pages asked for, distinct items merged
	FirstCount, LastCount *int   // Atlas's estimate on page 1 and on page LastCountPage
	// LastCountPage is the first page whose count differed from page 1's,
	// or else the page that ended the list (0: not known).
	LastCountPage      int
	Change             string
	MaxPages, PageSize int
}

func pageText(n int) string {
	if n == 0 {
		return "the last page"
	}
	return "page " + strconv.Itoa(n)
}

func countText(n *int) string {
	if n == nil {
		return "none"
	}
	return strconv.Itoa(*n)
}
