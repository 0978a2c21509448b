package atlas

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// Unit tests of how the client tells answers apart, beside the acceptance
// tests that show the same through the CLI (provider/answers_test.go).

const answersOrgID = "5f0c0ffee0c0ffee0c0ffee0"

func answersClient(t *testing.T, m *mockatlas.Server) *Client {
	t.Helper()
	m.AddAccessToken("answers-token")
	m.AddOrg(answersOrgID)
	srv := m.Start()
	t.Cleanup(srv.Close)
	c, err := NewClient(Config{BaseURL: srv.URL, Mode: AuthAccessToken, AccessToken: "answers-token",
		RequestTimeout: 10 * time.Second, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func asError(t *testing.T, err error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want an *Error", err)
	}
	return e
}

// TestEmptyAnswersAreUnexpected: a 2xx whose body is JSON null, empty, or
// null padded to the edge of what is kept of a body, is not "nothing
// there", for every read.
func TestEmptyAnswersAreUnexpected(t *testing.T) {
	bodies := []struct {
		name  string
		fault mockatlas.Fault
	}{
		{"null", mockatlas.Fault{Body: "null"}},
		{"empty", mockatlas.Fault{EmptyBody: true, ContentType: mockatlas.MediaType}},
		{"null padded to the peek size", mockatlas.Fault{Body: strings.Repeat(" ", peekSize-4) + "null"}},
	}
	reads := map[string]func(*Client) error{
		"list": func(c *Client) error {
			_, err := c.ListInvitations(context.Background(), answersOrgID, nil)
			return err
		},
		"get": func(c *Client) error {
			_, err := c.GetInvitation(context.Background(), answersOrgID, "6634f290a54dca182530bb1d")
			return err
		},
		"users": func(c *Client) error {
			_, err := c.ListOrgUsers(context.Background(), answersOrgID, UsersFilter{})
			return err
		},
	}
	for _, b := range bodies {
		for name, read := range reads {
			t.Run(b.name+"/"+name, func(t *testing.T) {
				m := mockatlas.New()
				c := answersClient(t, m)
				m.SetFault(&b.fault)
				e := asError(t, read(c))
				if e.Kind != KindBadResponse || e.Status != http.StatusOK {
					t.Errorf("kind %v status %d, want an unexpected 200\n%s", e.Kind, e.Status, e.Facts())
				}
			})
		}
	}
}

// TestBasicChallengeIsNamed: a 401 asking for Basic, met by the unsigned
// first request of a digest exchange, is named by its scheme.
func TestBasicChallengeIsNamed(t *testing.T) {
	proxy := &mockatlas.BasicChallenge{Realm: "corporate proxy"}
	srv := httptest.NewServer(proxy)
	t.Cleanup(srv.Close)
	c, err := NewClient(Config{BaseURL: srv.URL, Mode: AuthAPIKey, PublicKey: "abcdefgh", PrivateKey: "p", RequestTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListInvitations(context.Background(), answersOrgID, nil)
	e := asError(t, err)
	if e.Kind != KindChallenge || e.Status != http.StatusUnauthorized || e.Challenge != "Basic" {
		t.Errorf("kind %v, status %d, challenge %q; want a 401 Basic challenge named:\n%s", e.Kind, e.Status, e.Challenge, e.Facts())
	}
}

// TestRedirectElsewhereKeepsItsStatus: the refused redirect's status is in
// the facts, with the origin it pointed at.
func TestRedirectElsewhereKeepsItsStatus(t *testing.T) {
	m := mockatlas.New()
	c := answersClient(t, m)
	m.SetFault(&mockatlas.Fault{Status: http.StatusTemporaryRedirect, Location: "http://192.0.2.1:9/api/atlas/v2/orgs/x/invites"})
	_, err := c.ListInvitations(context.Background(), answersOrgID, nil)
	e := asError(t, err)
	if e.Kind != KindRedirect || e.Status != http.StatusTemporaryRedirect || !strings.Contains(e.Facts(), "HTTP status: 307") {
		t.Errorf("kind %v status %d, want a refused 307:\n%s", e.Kind, e.Status, e.Facts())
	}
	if e.RedirectTarget != "http://192.0.2.1:9" {
		t.Errorf("RedirectTarget = %q, want the Location's origin http://192.0.2.1:9", e.RedirectTarget)
	}
}

// TestAccessListAddressFromParameters: the blocked address comes from
// Atlas's parameters when its detail does not name it.
func TestAccessListAddressFromParameters(t *testing.T) {
	m := mockatlas.New()
	c := answersClient(t, m)
	m.SetFault(&mockatlas.Fault{Status: http.StatusForbidden, ContentType: mockatlas.ErrorMediaType,
		Body: `{"error":403,"errorCode":"IP_ADDRESS_NOT_ON_ACCESS_LIST","detail":"Access denied.","parameters":["192.0.2.7"]}`})
	_, err := c.ListInvitations(context.Background(), answersOrgID, nil)
	e := asError(t, err)
	if e.ErrorCode != CodeAccessList || e.BlockedAddress() != "192.0.2.7" {
		t.Errorf("ErrorCode %q, BlockedAddress() %q; want %s and the address from the parameters:\n%s",
			e.ErrorCode, e.BlockedAddress(), CodeAccessList, e.Facts())
	}
}

// TestTokenRejectionNamesTheOAuthError: the OAuth error code is the
// error's code when the token endpoint sends one, and no code at all (no
// empty one in the line or the facts) when it does not.
func TestTokenRejectionNamesTheOAuthError(t *testing.T) {
	tests := []struct {
		name   string
		fault  *mockatlas.Fault
		secret string
		kind   ErrorKind
		status int
		code   string
	}{
		{"wrong secret", nil, "wrong-secret", KindTokenRejected, http.StatusUnauthorized, "invalid_client"},
		{"404 without a code", &mockatlas.Fault{Status: http.StatusNotFound}, internalClientSecret, KindTokenEndpoint, http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mockatlas.New()
			m.AddServiceAccount(internalClientID, internalClientSecret)
			srv := m.Start()
			t.Cleanup(srv.Close)
			if tt.fault != nil {
				m.ScriptToken(*tt.fault)
			}
			c, err := NewClient(Config{BaseURL: srv.URL, Mode: AuthServiceAccount, ClientID: internalClientID, ClientSecret: tt.secret,
				RequestTimeout: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.ListInvitations(context.Background(), answersOrgID, nil)
			e := asError(t, err)
			if e.Kind != tt.kind || e.Status != tt.status || e.ErrorCode != tt.code {
				t.Errorf("kind %v, status %d, code %q; want %v, %d, %q", e.Kind, e.Status, e.ErrorCode, tt.kind, tt.status, tt.code)
			}
			wantLine := fmt.Sprintf("atlas: %s: POST %s: %d", tt.kind, e.URL, tt.status)
			if tt.code != "" {
				wantLine += " " + tt.code
			}
			if line := e.Error(); line != wantLine && !strings.HasPrefix(line, wantLine+": ") {
				t.Errorf("Error() = %q, want it to start %q", line, wantLine)
			}
			var codeLines []string
			for _, line := range strings.Split(e.Facts(), "\n") {
				if strings.HasPrefix(line, "Atlas error code") {
					codeLines = append(codeLines, line)
				}
			}
			if want := "Atlas error code: " + tt.code; tt.code == "" && len(codeLines) != 0 || tt.code != "" && !slices.Equal(codeLines, []string{want}) {
				t.Errorf("code lines of Facts() = %q, want one %q only when there is a code:\n%s", codeLines, want, e.Facts())
			}
		})
	}
}

// TestAbandonedTokenFetchIsCanceled: when the only read waiting for a token
// gives up, the fetch is canceled and the next read starts a new one instead
// of waiting on it.
func TestAbandonedTokenFetchIsCanceled(t *testing.T) {
	started := make(chan struct{}, 2)
	canceled := make(chan struct{}, 2)
	var hang atomic.Bool
	hang.Store(true)
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		started <- struct{}{}
		if hang.Load() {
			<-r.Context().Done()
			canceled <- struct{}{}
			return nil, r.Context().Err()
		}
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Request: r,
			Body: io.NopCloser(strings.NewReader(`{"access_token":"fresh","token_type":"bearer","expires_in":3600}`))}, nil
	})}
	ts := newTokenSource(Config{BaseURL: "https://cloud.mongodb.com", ClientID: internalClientID, ClientSecret: internalClientSecret}, client)

	ctx, cancel := context.WithCancel(context.Background())
	errs := make(chan error, 1)
	go func() { _, err := ts.token(ctx); errs <- err }()
	<-started
	cancel()
	if err := <-errs; !errors.Is(err, context.Canceled) {
		t.Fatalf("the read that gave up got %v, want context.Canceled", err)
	}
	select {
	case <-canceled:
	case <-time.After(time.Minute): // a hang detector, not a speed check
		t.Fatal("the abandoned fetch was never canceled")
	}
	hang.Store(false)
	tok, err := ts.token(context.Background())
	if err != nil || tok != "fresh" {
		t.Fatalf("the next read got %q, %v; want a fresh token from a new fetch", tok, err)
	}
}
