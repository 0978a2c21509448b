package atlas

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
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
					t.Errorf("kind %v status %d, want an unexpected 200\n%s", e.Kind, e.Status, e.Detail())
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
	if e.Kind != KindChallenge || !strings.Contains(e.Detail(), "asking for Basic authentication") {
		t.Errorf("kind %v, want a Basic challenge named:\n%s", e.Kind, e.Detail())
	}
}

// TestRedirectElsewhereKeepsItsStatus: the refused redirect's status is in
// the facts.
func TestRedirectElsewhereKeepsItsStatus(t *testing.T) {
	m := mockatlas.New()
	c := answersClient(t, m)
	m.SetFault(&mockatlas.Fault{Status: http.StatusTemporaryRedirect, Location: "http://192.0.2.1:9/api/atlas/v2/orgs/x/invites"})
	_, err := c.ListInvitations(context.Background(), answersOrgID, nil)
	e := asError(t, err)
	if e.Kind != KindRedirect || e.Status != http.StatusTemporaryRedirect || !strings.Contains(e.Detail(), "HTTP status: 307") {
		t.Errorf("kind %v status %d, want a refused 307:\n%s", e.Kind, e.Status, e.Detail())
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
	if !strings.Contains(e.Detail(), "Atlas refused the request from 192.0.2.7") {
		t.Errorf("the hint does not name the address from the parameters:\n%s", e.Detail())
	}
}

// TestTokenRejectionNamesTheOAuthError: the OAuth error code is shown when
// the token endpoint sends one, and no empty parentheses when it does not.
func TestTokenRejectionNamesTheOAuthError(t *testing.T) {
	tests := []struct {
		name   string
		fault  *mockatlas.Fault
		secret string
		want   string
	}{
		{"wrong secret", nil, "wrong-secret", "with 401 (invalid_client)"},
		{"404 without a code", &mockatlas.Fault{Status: http.StatusNotFound}, internalClientSecret, "answered 404 Not Found, so no"},
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
			if !strings.Contains(e.Detail(), tt.want) || strings.Contains(e.Detail(), "()") {
				t.Errorf("detail lacks %q (or has empty parentheses):\n%s", tt.want, e.Detail())
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
