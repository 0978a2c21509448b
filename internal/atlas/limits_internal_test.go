package atlas

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

func TestReadLimited(t *testing.T) {
	const limit = 1000
	boom := errors.New("connection reset")
	tests := []struct {
		name     string
		r        io.Reader
		declared int64
		wantLen  int
		wantErr  error
	}{
		{"empty", strings.NewReader(""), -1, 0, nil},
		{"under the limit", strings.NewReader(strings.Repeat("a", 999)), -1, 999, nil},
		{"exactly the limit", strings.NewReader(strings.Repeat("a", limit)), limit, limit, nil},
		// What was read comes back: the caller redacts its start, then cuts.
		{"one byte over, undeclared", strings.NewReader(strings.Repeat("a", limit+1)), -1, limit + 1, errTooLarge},
		{"far over, undeclared", io.LimitReader(infinite{}, 1<<30), -1, limit + 1, errTooLarge},
		{"declared over the limit", strings.NewReader("a"), limit + 1, 0, errTooLarge},
		{"cut off", iotest.ErrReader(boom), -1, 0, boom},
		{"cut off after some bytes", io.MultiReader(strings.NewReader("[{"), iotest.ErrReader(io.ErrUnexpectedEOF)), -1, 2, io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readLimited(tt.r, limit, tt.declared)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if len(got) != tt.wantLen {
				t.Errorf("read %d bytes back, want %d", len(got), tt.wantLen)
			}
		})
	}
}

// infinite is a body that never ends: only a limit stops reading it.
type infinite struct{}

func (infinite) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

func TestRedirectPolicy(t *testing.T) {
	policy := redirectPolicy(parseOrigin("https://cloud.mongodb.com"))
	tests := []struct {
		name    string
		target  string
		via     int
		wantErr bool
	}{
		{"same origin", "https://cloud.mongodb.com/api/atlas/v2/x", 1, false},
		{"same origin, default port spelled out", "https://cloud.mongodb.com:443/x", 1, false},
		{"same origin, host in upper case", "https://CLOUD.mongodb.com/x", 1, false},
		{"another host", "https://evil.example/x", 1, true},
		{"a subdomain", "https://api.cloud.mongodb.com/x", 1, true},
		{"another port", "https://cloud.mongodb.com:8443/x", 1, true},
		{"downgrade to http", "http://cloud.mongodb.com/x", 1, true},
		{"too many same-origin hops", "https://cloud.mongodb.com/x", maxRedirects, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, _ := url.Parse(tt.target)
			prev := &http.Request{URL: u, Response: &http.Response{StatusCode: http.StatusFound}}
			err := policy(prev, make([]*http.Request, tt.via))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error: %v", err, tt.wantErr)
			}
			if err == nil {
				return
			}
			if !isFinal(err) {
				t.Error("a refused redirect would be retried")
			}
			if strings.Contains(err.Error(), "/x") {
				t.Errorf("the error names more than an origin: %v", err)
			}
		})
	}
}

// The auth transports check the origin again, so no future path can hand
// a credential to another host.
func TestAuthTransportsRefuseOtherOrigins(t *testing.T) {
	var reached int
	wire := roundTripFunc(func(*http.Request) (*http.Response, error) {
		reached++
		return nil, errors.New("must not be reached")
	})
	for _, mode := range []AuthMode{AuthAPIKey, AuthAccessToken} {
		cfg := Config{BaseURL: "https://cloud.mongodb.com", Mode: mode, PublicKey: "abcdefgh", PrivateKey: "secret", AccessToken: "token"}
		rt, _ := newAuth(cfg, wire, nil)
		body := &closeRecorder{Reader: strings.NewReader("{}")}
		req := httptest.NewRequest(http.MethodPost, "https://cloud.mongodb.com.evil.example/api/atlas/v2/x", body)
		_, err := rt.RoundTrip(req)
		var oe *originError
		if !errors.As(err, &oe) {
			t.Errorf("%v: err = %v, want an origin error", mode, err)
		}
		// A RoundTripper closes the body it was given, even when it refuses.
		if !body.closed {
			t.Errorf("%v: the refused request's body was not closed", mode)
		}
	}
	if reached != 0 {
		t.Errorf("the wire was reached %d times", reached)
	}
}

type closeRecorder struct {
	io.Reader
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return nil }

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// HTTPS_PROXY and NO_PROXY as the standard library defines them, read when
// the provider is configured.
func TestPoolProxyFromEnvironment(t *testing.T) {
	t.Setenv("HTTPS_PROXY", "http://proxy.corp.example:3128")
	t.Setenv("https_proxy", "")
	t.Setenv("NO_PROXY", "internal.example")
	t.Setenv("no_proxy", "")
	proxy := newPool(nil).Proxy
	tests := []struct{ target, want string }{
		{"https://cloud.mongodb.com/api/atlas/v2", "http://proxy.corp.example:3128"},
		{"https://atlas.internal.example/api", ""},
	}
	for _, tt := range tests {
		got, err := proxy(httptest.NewRequest(http.MethodGet, tt.target, nil))
		if err != nil {
			t.Fatal(err)
		}
		if s := urlString(got); s != tt.want {
			t.Errorf("proxy for %s = %q, want %q", tt.target, s, tt.want)
		}
	}
	if tls := newPool(nil).TLSClientConfig; tls != nil && tls.InsecureSkipVerify {
		t.Error("TLS verification is off")
	}
}

func urlString(u *url.URL) string {
	if u == nil {
		return ""
	}
	return u.String()
}

// A cancel while the body streams is a cancel, not a bad answer.
func TestCancelDuringBodyIsACancel(t *testing.T) {
	m := mockatlas.New()
	m.AddAccessToken("tok")
	m.AddOrg("5f0c0ffee0c0ffee0c0ffee0", mockatlas.Invitation{ID: "6634f290a54dca182530bb1d", Username: "a@example.com"})
	m.Script(mockatlas.Fault{CutAfter: 5, Stall: time.Minute})
	flushed := make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.ServeHTTP(&flushSignal{ResponseWriter: w, flushed: func() { once.Do(func() { close(flushed) }) }}, r)
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(Config{BaseURL: srv.URL, Mode: AuthAccessToken, AccessToken: "tok", UserAgent: "test", MaxRetries: 2})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-flushed // the headers and the first bytes are on their way
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	_, err = c.ListInvitations(ctx, "5f0c0ffee0c0ffee0c0ffee0", nil)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindCanceled {
		t.Fatalf("err = %v, want KindCanceled", err)
	}
	if n := len(m.Requests()); n != 1 {
		t.Errorf("%d requests, want 1 (a cancel is not retried)", n)
	}
}

// flushSignal reports the mock's first flush: the answer has started.
type flushSignal struct {
	http.ResponseWriter
	flushed func()
}

func (f *flushSignal) Flush() {
	if fl, ok := f.ResponseWriter.(http.Flusher); ok {
		fl.Flush()
	}
	f.flushed()
}

func (f *flushSignal) Unwrap() http.ResponseWriter { return f.ResponseWriter }

// One token fetch in flight: reads that need a token while it runs wait for
// it and share its failure; the next read tries again.
func TestTokenSourceOneFetchInFlight(t *testing.T) {
	m := mockatlas.New()
	m.AddServiceAccount(internalClientID, internalClientSecret)
	release := make(chan struct{})
	var mu sync.Mutex
	tokenCalls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == tokenPath {
			mu.Lock()
			tokenCalls++
			mu.Unlock()
			<-release
		}
		m.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	m.ScriptToken(mockatlas.Fault{Status: http.StatusServiceUnavailable})
	cfg := Config{BaseURL: srv.URL, Mode: AuthServiceAccount, ClientID: internalClientID, ClientSecret: internalClientSecret,
		UserAgent: "test", RequestTimeout: 10 * time.Second, MaxRetries: 0}
	ts := newTokenSource(cfg, retryingClient(cfg, &wireTransport{base: newPool(nil)}))

	const readers = 10
	errs := make(chan error, readers)
	for range readers {
		go func() {
			_, err := ts.token(context.Background())
			errs <- err
		}()
	}
	// Wait until every reader waits on the one fetch, then let it fail.
	for {
		ts.mu.Lock()
		waiting := ts.flight != nil && ts.flight.waiters == readers
		ts.mu.Unlock()
		if waiting {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	var first error
	for range readers {
		err := <-errs
		var te *tokenError
		if !errors.As(err, &te) || te.Status != http.StatusServiceUnavailable {
			t.Fatalf("a waiting read got %v, want the fetch's 503", err)
		}
		if first == nil {
			first = err
		} else if err != first {
			t.Error("waiting reads got different errors: the failure was not shared")
		}
	}
	if tokenCalls != 1 {
		t.Errorf("%d token requests for %d waiting reads, want 1", tokenCalls, readers)
	}
	// The next read tries again, and succeeds.
	if _, err := ts.token(context.Background()); err != nil {
		t.Errorf("the read after the failure: %v", err)
	}
	if tokenCalls != 2 {
		t.Errorf("%d token requests in all, want 2", tokenCalls)
	}
}

// The wire reads and closes every body it is handed, on every path: a
// complete body, one cut off, one over the limit, and one arriving with a
// cancel.
func TestWireClosesEveryBody(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name    string
		ctx     context.Context
		body    io.Reader
		wantErr bool
	}{
		{"complete", context.Background(), strings.NewReader(`[]`), false},
		{"cut off", context.Background(), io.MultiReader(strings.NewReader("[{"), iotest.ErrReader(io.ErrUnexpectedEOF)), true},
		{"over the limit", context.Background(), io.LimitReader(infinite{}, 2000), true},
		{"arriving with a cancel", canceled, &ctxReader{ctx: canceled}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := &closeTracker{Reader: tt.body}
			wire := &wireTransport{limit: 1000, base: roundTripFunc(func(*http.Request) (*http.Response, error) {
				return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: body, ContentLength: -1}, nil
			})}
			req := httptest.NewRequest(http.MethodGet, "https://cloud.mongodb.com/x", nil).WithContext(tt.ctx)
			resp, err := wire.RoundTrip(req)
			if (err != nil) != tt.wantErr {
				t.Errorf("err = %v, want an error: %v", err, tt.wantErr)
			}
			if err == nil {
				_ = resp.Body.Close()
			}
			if !body.closed {
				t.Error("the body was not closed")
			}
		})
	}
}

type closeTracker struct {
	io.Reader
	closed bool
}

func (c *closeTracker) Close() error { c.closed = true; return nil }

// ctxReader fails like a body whose request was canceled.
type ctxReader struct{ ctx context.Context }

func (r *ctxReader) Read([]byte) (int, error) { return 0, r.ctx.Err() }
