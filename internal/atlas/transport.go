package atlas

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/mongodb-forks/digest"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlasapi"
)

const (
	// LogSubsystem is the tflog subsystem of every Atlas log line.
	LogSubsystem = "atlas"

	// maxRetryAfter caps a server's Retry-After so one answer cannot stall a
	// plan for an hour.
	maxRetryAfter = 60 * time.Second

	defaultRetryWaitMin = 1 * time.Second
	defaultRetryWaitMax = 30 * time.Second

	// peekSize is how much of a successful body is kept to explain a body
	// that turns out not to be JSON.
	peekSize = 256
)

// callState follows one SDK call through the transports: how many attempts
// the retry layer made, and the start of the body it finally got.
type callState struct {
	attempts atomic.Int32
	peek     atomic.Pointer[[]byte]
}

type callStateKey struct{}

func withCallState(ctx context.Context) (context.Context, *callState) {
	st := &callState{}
	return context.WithValue(ctx, callStateKey{}, st), st
}

func callStateFrom(ctx context.Context) *callState {
	st, _ := ctx.Value(callStateKey{}).(*callState)
	return st
}

// newHTTPClient builds the chain every SDK request goes through:
// retry (one logical request, several attempts) -> per-attempt timeout ->
// authentication -> wire logging -> a pooled connection transport.
func newHTTPClient(cfg Config, pool http.RoundTripper) (*http.Client, *tokenSource) {
	wire := &wireTransport{base: pool}
	auth, tokens := authTransport(cfg, wire)
	retry := newRetryClient(cfg, auth)
	return &http.Client{Transport: &retryablehttp.RoundTripper{Client: retry}}, tokens
}

// maxConns bounds the connections one configured provider opens to Atlas:
// Terraform reads up to 10 data sources at once (its default -parallelism).
const maxConns = 10

// newPool is the connection pool of one configured provider. Keeping as many
// idle connections as parallel reads means they reuse connections instead of
// opening new ones; the cap also stops the race where a request that found no
// idle connection dials one, gets a connection freed meanwhile, and leaves
// the new one as an extra. Reads beyond the cap wait for a free connection.
func newPool() *http.Transport {
	t := cleanhttp.DefaultPooledTransport()
	t.MaxIdleConnsPerHost = maxConns
	t.MaxConnsPerHost = maxConns
	return t
}

func newRetryClient(cfg Config, inner http.RoundTripper) *retryablehttp.Client {
	waitMin, waitMax := cfg.RetryWaitMin, cfg.RetryWaitMax
	if waitMin <= 0 {
		waitMin = defaultRetryWaitMin
	}
	if waitMax <= 0 {
		waitMax = defaultRetryWaitMax
	}
	return &retryablehttp.Client{
		HTTPClient:   &http.Client{Transport: inner, Timeout: cfg.RequestTimeout},
		RetryMax:     cfg.MaxRetries,
		RetryWaitMin: waitMin,
		RetryWaitMax: waitMax,
		CheckRetry:   shouldRetry,
		Backoff:      backoff,
		// Hand the last response to the SDK so it can decode Atlas's error body.
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
		RequestLogHook: func(_ retryablehttp.Logger, req *http.Request, attempt int) {
			if st := callStateFrom(req.Context()); st != nil {
				st.attempts.Store(int32(attempt + 1))
			}
			if attempt > 0 {
				tflog.SubsystemDebug(req.Context(), LogSubsystem, "Retrying Atlas request", map[string]any{
					"method": req.Method, "path": req.URL.Path, "attempt": attempt + 1,
				})
			}
		},
	}
}

// retryableStatus is the set SPEC §5 names: throttling and transient
// server faults. 501 and other 5xx are permanent.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

func shouldRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		var credErr *credentialsError
		if errors.As(err, &credErr) {
			return false, err
		}
		// Connection errors and timeouts: the library knows which are final.
		return retryablehttp.DefaultRetryPolicy(ctx, nil, err)
	}
	return retryableStatus(resp.StatusCode), nil
}

// backoff waits what the server asked for, or an exponential delay with
// jitter so that parallel plans do not retry in lock step.
func backoff(waitMin, waitMax time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := parseRetryAfter(resp.Header.Get(atlasapi.RetryAfterHeader), time.Now()); ok {
			return d
		}
	}
	d := waitMax
	// Compare before shifting, so a large attempt cannot wrap around.
	if attempt < 63 && waitMin > 0 && waitMin <= waitMax>>attempt {
		d = waitMin << attempt
	}
	return d/2 + rand.N(d/2+1)
}

// parseRetryAfter reads both forms of Retry-After (delay seconds and an
// HTTP date), capped at maxRetryAfter.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	var d time.Duration
	secs, err := strconv.ParseInt(v, 10, 64)
	if errors.Is(err, strconv.ErrRange) && v[0] != '-' {
		return maxRetryAfter, true
	}
	if err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true
		}
		d = time.Duration(secs) * time.Second
	} else if at, err := http.ParseTime(v); err == nil {
		d = max(at.Sub(now), 0)
	} else {
		return 0, false
	}
	return min(d, maxRetryAfter), true
}

// authTransport signs each attempt afresh: the digest transport fetches a new
// challenge every time, so a retry never replays a nonce.
// The token source of a service account is returned too, so that a call can
// fetch the token before its request starts.
func authTransport(cfg Config, wire http.RoundTripper) (http.RoundTripper, *tokenSource) {
	switch cfg.Mode {
	case AuthAPIKey:
		return digest.NewTransportWithHTTPRoundTripper(cfg.PublicKey, cfg.PrivateKey, wire), nil
	case AuthServiceAccount:
		tokens := newTokenSource(cfg, wire)
		return &bearerTransport{base: wire, token: tokens.token}, tokens
	case AuthAccessToken:
		return &bearerTransport{base: wire, token: func(context.Context) (string, error) { return cfg.AccessToken, nil }}, nil
	default:
		return wire, nil
	}
}

type bearerTransport struct {
	base  http.RoundTripper
	token func(context.Context) (string, error)
}

func (t *bearerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	tok, err := t.token(req.Context())
	if err != nil {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, err
	}
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+tok)
	return t.base.RoundTrip(r)
}

// wireTransport logs every request that reaches the network (a digest
// exchange is two) and keeps the start of successful bodies for error
// messages. It never logs headers, so no credential reaches the log.
type wireTransport struct {
	base http.RoundTripper
}

func (t *wireTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	start := time.Now()
	resp, err := t.base.RoundTrip(req)
	fields := map[string]any{
		"method":      req.Method,
		"path":        req.URL.Path,
		"duration_ms": time.Since(start).Milliseconds(),
	}
	st := callStateFrom(ctx)
	if st != nil {
		fields["attempt"] = st.attempts.Load()
	}
	if err != nil {
		fields["error"] = err.Error()
		tflog.SubsystemDebug(ctx, LogSubsystem, "Atlas request failed", fields)
		return nil, err
	}
	fields["status"] = resp.StatusCode
	if id := resp.Header.Get(atlasapi.RequestIDHeader); id != "" {
		fields["request_id"] = id
	}
	tflog.SubsystemDebug(ctx, LogSubsystem, "Atlas request", fields)
	if st != nil && resp.StatusCode < 300 {
		resp.Body = &peekBody{ReadCloser: resp.Body, st: st}
	}
	return resp, nil
}

// peekBody records the first bytes read from a body.
type peekBody struct {
	io.ReadCloser
	st   *callState
	seen []byte
}

func (b *peekBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if room := peekSize - len(b.seen); room > 0 && n > 0 {
		b.seen = append(b.seen, p[:min(n, room)]...)
		kept := b.seen
		b.st.peek.Store(&kept)
	}
	return n, err
}
