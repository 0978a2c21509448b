package atlas

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"testing"
)

// Error is one line of facts: the kind, the request, then whatever of the
// status, Atlas's code and Atlas's detail (else the root cause) there is.
func TestErrorLine(t *testing.T) {
	const u = "https://cloud.mongodb.com/api/atlas/v2/orgs/5f0c0ffee0c0ffee0c0ffee0/invites"
	// The root cause under the wrapper net/http adds.
	reset := &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
	wrapped := &url.Error{Op: "Get", URL: u, Err: reset}
	tests := []struct {
		name string
		err  *Error
		want string
	}{
		{
			"status, code and detail",
			&Error{Kind: KindUnauthorized, Method: "GET", URL: u, Status: 401, ErrorCode: CodeRoleMissing,
				AtlasDetail: "Current user is not authorized to perform this action.", cause: errors.New("401 Unauthorized")},
			"atlas: unauthorized: GET " + u + ": 401 USER_UNAUTHORIZED: Current user is not authorized to perform this action.",
		},
		{
			"status without a code",
			&Error{Kind: KindServer, Method: "GET", URL: u, Status: 502},
			"atlas: server error: GET " + u + ": 502",
		},
		{
			// The root cause, once, without the URL wrapper.
			"no status, a cause",
			&Error{Kind: KindNetwork, Method: "GET", URL: u, cause: wrapped},
			"atlas: network: GET " + u + ": read tcp: connection reset by peer",
		},
		{
			// An answer's own error text may quote its body, token and all.
			"a status and a cause that quotes the body",
			&Error{Kind: KindTokenRejected, Method: "POST", URL: "https://cloud.mongodb.com/api/oauth/token", Status: 400,
				cause: errors.New(`oauth2: cannot fetch token: 400 Bad Request Response: {"access_token":"tok"}`)},
			"atlas: token rejected: POST https://cloud.mongodb.com/api/oauth/token: 400",
		},
		{
			"nothing but the request",
			&Error{Kind: KindCanceled, Method: "POST", URL: "https://cloud.mongodb.com/api/oauth/token"},
			"atlas: canceled: POST https://cloud.mongodb.com/api/oauth/token",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q\nwant      %q", got, tt.want)
			}
		})
	}
}

// TestTranslateSortsByWhatCameBack: the kind follows what the wire gave,
// whatever error the SDK wrapped around it.
func TestTranslateSortsByWhatCameBack(t *testing.T) {
	answered := func(status int) *http.Response { return &http.Response{StatusCode: status, Header: http.Header{}} }
	const u = "https://cloud.mongodb.com/api/atlas/v2/orgs"
	tests := []struct {
		name string
		err  error
		resp *http.Response
		want ErrorKind
	}{
		{"a network timeout without an answer", &url.Error{Op: "Get", URL: u, Err: &net.DNSError{Err: "i/o timeout", IsTimeout: true}}, nil, KindTimeout},
		{"a deadline without an answer", context.DeadlineExceeded, nil, KindTimeout},
		{"no answer", &url.Error{Op: "Get", URL: u, Err: &net.DNSError{Err: "no such host", IsNotFound: true}}, nil, KindNetwork},
		{"a 2xx the SDK could not read", errors.New("undecodable"), answered(299), KindBadResponse},
		{"a 300", errors.New("300"), answered(300), KindOther},
		{"a 404", errors.New("404"), answered(404), KindNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if e := translate(context.Background(), tt.err, tt.resp, request{method: http.MethodGet, url: u}); e.Kind != tt.want {
				t.Errorf("kind %v, want %v", e.Kind, tt.want)
			}
		})
	}
}
