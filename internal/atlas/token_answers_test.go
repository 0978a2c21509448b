package atlas_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// A 2xx answer of the token endpoint that the OAuth client cannot read may
// still hold the token it just issued: the error gives its content type and
// length, never its body.
func TestTokenAnswerBodyNeverShown(t *testing.T) {
	const live = "eyJhbGciOi.live-token-just-issued"
	tests := []struct {
		name        string
		contentType string
		body        string
	}{
		// A proxy that rewrites the content type: the JSON is read as a form.
		{"JSON sent as text/plain", "text/plain", `{"access_token":"` + live + `","token_type":"Bearer","expires_in":3600}`},
		{"fractional expires_in", "application/json", `{"access_token":"` + live + `","token_type":"Bearer","expires_in":3599.5}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, srv := newMock(t)
			m.ScriptToken(mockatlas.Fault{Body: tt.body, ContentType: tt.contentType})
			c := newClient(t, testConfig(srv.URL, atlas.AuthServiceAccount))
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			_, err := c.ListInvitations(ctx, testOrgID, nil)
			ae := asAtlasError(t, err)
			if ae.Kind != atlas.KindTokenEndpoint || ae.Status != http.StatusOK {
				t.Fatalf("kind %v status %d, want a token endpoint failure with 200: %v", ae.Kind, ae.Status, err)
			}
			for _, text := range errorTexts(err, ae) {
				if strings.Contains(text, live) || strings.Contains(text, "live-token") {
					t.Errorf("the token endpoint's body reached the error:\n%s", text)
				}
			}
			if ae.ContentType != tt.contentType || ae.BodyLen != int64(len(tt.body)) {
				t.Errorf("ContentType, BodyLen = %q, %d; want %q, %d", ae.ContentType, ae.BodyLen, tt.contentType, len(tt.body))
			}
		})
	}
}

// A token endpoint answer over the body limit is refused as too large, like
// any other answer, not called "not a token" or "rejected credentials".
func TestTokenAnswerTooLarge(t *testing.T) {
	t.Parallel()
	m, srv := newMock(t)
	m.ScriptToken(mockatlas.Fault{BodySize: atlas.MaxBodyBytes + 1<<20})
	c := newClient(t, testConfig(srv.URL, atlas.AuthServiceAccount))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	_, err := c.ListInvitations(ctx, testOrgID, nil)
	ae := asAtlasError(t, err)
	if ae.Kind != atlas.KindTooLarge || ae.Method != http.MethodPost || ae.URL != srv.URL+"/api/oauth/token" {
		t.Errorf("kind %v, %s %s; want KindTooLarge for POST %s/api/oauth/token\n%s", ae.Kind, ae.Method, ae.URL, srv.URL, ae.Facts())
	}
	if n := count(m, isAPIRequest); n != 0 {
		t.Errorf("%d API requests after the token fetch failed, want 0", n)
	}
}

// Deprecation and Sunset headers concern the endpoint that sent them: on a
// users answer they are not the invitations API's deprecation.
func TestDeprecationOnlyFromInvitationsAnswers(t *testing.T) {
	t.Parallel()
	m, srv := newMock(t)
	m.AddUsers(testOrgID, mockatlas.DemoUsers()...)
	withHeaders := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/users") {
			w.Header().Set("Deprecation", "Mon, 01 Dec 2025 00:00:00 GMT")
			w.Header().Set("Sunset", "Tue, 01 Dec 2026 00:00:00 GMT")
		}
		m.ServeHTTP(w, r)
	})
	srv.Config.Handler = withHeaders
	m.SetDeprecationHeaders(false)
	c := newClient(t, testConfig(srv.URL, atlas.AuthAccessToken))
	if _, err := listUsers(t, c, atlas.UsersFilter{}); err != nil {
		t.Fatal(err)
	}
	if d, ok := c.TakeDeprecation(); ok {
		t.Errorf("a users answer was taken for the invitations API's deprecation: %+v", d)
	}
	m.SetDeprecationHeaders(true)
	if err := list(t, c, testOrgID); err != nil {
		t.Fatal(err)
	}
	if d, ok := c.TakeDeprecation(); !ok || d.Sunset != mockatlas.SunsetDate {
		t.Errorf("after an invitations answer: %+v, %v; want its Sunset %q", d, ok, mockatlas.SunsetDate)
	}
}

// A server or proxy that echoes a credential it received, in an error's
// detail or in a body that is not JSON, does not get it into the error.
func TestEchoedSecretsRedacted(t *testing.T) {
	tests := []struct {
		name   string
		mode   atlas.AuthMode
		secret string
		fault  func(secret string) mockatlas.Fault
	}{
		{"access token in an error detail", atlas.AuthAccessToken, testAccessToken, func(s string) mockatlas.Fault {
			return mockatlas.Fault{Status: http.StatusBadRequest, ContentType: mockatlas.ErrorMediaType,
				Body: `{"error":400,"errorCode":"INVALID_TOKEN","detail":"token ` + s + ` is malformed","parameters":[]}`}
		}},
		{"access token in a login page", atlas.AuthAccessToken, testAccessToken, func(s string) mockatlas.Fault {
			return mockatlas.Fault{Body: "<html>Authorization: Bearer " + s + "</html>", ContentType: "text/html"}
		}},
		{"private key in an error detail", atlas.AuthAPIKey, testPrivateKey, func(s string) mockatlas.Fault {
			return mockatlas.Fault{Status: http.StatusBadRequest, ContentType: mockatlas.ErrorMediaType,
				Body: `{"error":400,"errorCode":"X","detail":"key ` + s + `","parameters":[]}`}
		}},
		{"client secret in a login page", atlas.AuthServiceAccount, testClientSecret, func(s string) mockatlas.Fault {
			return mockatlas.Fault{Body: "<html>" + s + "</html>", ContentType: "text/html"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, srv := newMock(t)
			f := tt.fault(tt.secret)
			m.SetFault(&f)
			err := list(t, newClient(t, testConfig(srv.URL, tt.mode)), testOrgID)
			ae := asAtlasError(t, err)
			for _, text := range errorTexts(err, ae) {
				if strings.Contains(text, tt.secret) {
					t.Errorf("the echoed secret reached the error:\n%s", text)
				}
			}
			// The echo is kept, with the secret redacted, where the server's
			// words are: Atlas's detail (and so the facts), or the start of
			// a body that is not JSON.
			echo := ae.BodyStart
			if ae.Status != http.StatusOK {
				echo = ae.AtlasDetail
				if !strings.Contains(ae.Facts(), "Atlas detail: "+echo) {
					t.Errorf("Facts() do not show Atlas's detail %q:\n%s", echo, ae.Facts())
				}
			}
			if !strings.Contains(echo, "(redacted)") {
				t.Errorf("AtlasDetail %q, BodyStart %q; want the echo with the secret redacted", ae.AtlasDetail, ae.BodyStart)
			}
		})
	}
}

// The service-account token issued for this client is redacted too.
func TestEchoedIssuedTokenRedacted(t *testing.T) {
	t.Parallel()
	m, srv := newMock(t)
	var mu sync.Mutex
	var issued string
	next := srv.Config.Handler
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			mu.Lock()
			issued = tok
			mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
	c := newClient(t, testConfig(srv.URL, atlas.AuthServiceAccount))
	if err := list(t, c, testOrgID); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	tok := issued
	mu.Unlock()
	if tok == "" {
		t.Fatal("no bearer token reached the server")
	}
	m.SetFault(&mockatlas.Fault{Body: "<html>Bearer " + tok + "</html>", ContentType: "text/html"})
	err := list(t, c, testOrgID)
	ae := asAtlasError(t, err)
	for _, text := range errorTexts(err, ae) {
		if strings.Contains(text, tok) {
			t.Errorf("the issued token reached the error:\n%s", text)
		}
	}
	if !strings.Contains(ae.BodyStart, "(redacted)") {
		t.Errorf("BodyStart %q, want the echo with the issued token redacted", ae.BodyStart)
	}
}
