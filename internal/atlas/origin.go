package atlas

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// origin is the scheme, host and port of a URL, with the default port made
// explicit: https://cloud.mongodb.com and https://cloud.mongodb.com:443 are
// one origin, http:// and https:// of the same host are two.
type origin string

func originOf(u *url.URL) origin {
	if u == nil {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return origin(scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port))
}

func parseOrigin(rawURL string) origin {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return originOf(u)
}

// maxRedirects bounds same-origin redirects, as Go's default client does.
const maxRedirects = 10

// redirectPolicy is the CheckRedirect of every client the provider builds.
//
// Credentials stay with base_url's origin: a redirect to any other origin is
// refused, because the transports below add Authorization to every hop (Go
// only strips it on redirects when it was set on the original request, and
// even then keeps it for another port of the same host). A redirect within
// the origin is followed: the server that would receive the credentials is
// the one that already has them, and a digest exchange answers that server's
// own fresh challenge on each hop. Atlas's API does not redirect, so either
// case points at a base_url or a proxy that is not Atlas.
func redirectPolicy(pinned origin) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if got := originOf(req.URL); got != pinned {
			status := 0
			if req.Response != nil {
				status = req.Response.StatusCode
			}
			return &redirectError{status: status, target: got, pinned: pinned}
		}
		if len(via) >= maxRedirects {
			return &redirectError{status: 0, target: originOf(req.URL), pinned: pinned, tooMany: true}
		}
		return nil
	}
}

// redirectError is a redirect the provider would not follow. It names
// origins only: a path or query could carry a token.
type redirectError struct {
	status  int
	target  origin
	pinned  origin
	tooMany bool
}

func (e *redirectError) final() {}

func (e *redirectError) Error() string {
	if e.tooMany {
		return fmt.Sprintf("stopped after %d redirects within %s", maxRedirects, e.pinned)
	}
	return fmt.Sprintf("Atlas answered %d with a redirect to %s, another origin than %s; not followed", e.status, e.target, e.pinned)
}

// originError is a request that would have carried credentials to another
// origin than base_url's. The redirect policy stops that earlier; the auth
// transports check again so that no future path can leak a credential.
type originError struct {
	target, pinned origin
}

func (e *originError) final() {}

func (e *originError) Error() string {
	return fmt.Sprintf("refusing to send credentials to %s: they belong to %s", e.target, e.pinned)
}
