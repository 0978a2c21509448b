package atlas

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/net/http/httpproxy"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlasapi"
)

const (
	// LogSubsystem is the tflog subsystem of every Atlas log line.
	LogSubsystem = "atlas"

	// MaxBodyBytes bounds every answer the provider reads, success or error,
	// counted after decompression: about 140,000 invitations, far above the
	// largest real organization, and far below what would exhaust a CI
	// runner's memory.
	MaxBodyBytes int64 = 64 << 20

	// maxRetryAfter caps a server's Retry-After so one answer cannot stall a
	// plan for an hour.
	maxRetryAfter = 60 * time.Second

	defaultRetryWaitMin = 1 * time.Second
	defaultRetryWaitMax = 30 * time.Second
)

// maxConns bounds the connections one configured provider opens to Atlas:
// Terraform reads up to 10 data sources at once (its default -parallelism).
const maxConns = 10

// newPool is the connection pool of one configured provider. Keeping as many
// idle connections as parallel reads means they reuse connections instead of
// opening new ones; the cap also stops the race where a request that found no
// idle connection dials one, gets a connection freed meanwhile, and leaves
// the new one as an extra. Reads beyond the cap wait for a free connection.
//
// HTTPS_PROXY, HTTP_PROXY and NO_PROXY are read here, when the provider is
// configured, as the standard library defines them (http.ProxyFromEnvironment
// reads them once per process, which would make them untestable). TLS
// certificates are always verified: nothing sets InsecureSkipVerify.
func newPool(resolver *net.Resolver) *http.Transport {
	t := cleanhttp.DefaultPooledTransport()
	if resolver != nil {
		t.DialContext = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Resolver: resolver}).DialContext
	}
	t.MaxIdleConnsPerHost = maxConns
	t.MaxConnsPerHost = maxConns
	t.Proxy = proxyFromEnvironment()
	return t
}

func proxyFromEnvironment() func(*http.Request) (*url.URL, error) {
	proxy := httpproxy.FromEnvironment().ProxyFunc()
	return func(req *http.Request) (*url.URL, error) { return proxy(req.URL) }
}

// retryingClient is one logical request over inner: attempts with backoff,
// a per-attempt timeout, and the redirect policy that keeps credentials with
// base_url's origin, at both levels (the outer client would otherwise follow
// a redirect the retry layer handed back).
func retryingClient(cfg Config, inner http.RoundTripper) *http.Client {
	policy := redirectPolicy(parseOrigin(cfg.BaseURL))
	waitMin, waitMax := cfg.RetryWaitMin, cfg.RetryWaitMax
	if waitMin <= 0 {
		waitMin = defaultRetryWaitMin
	}
	if waitMax <= 0 {
		waitMax = defaultRetryWaitMax
	}
	retry := &retryablehttp.Client{
		HTTPClient:   &http.Client{Transport: inner, Timeout: cfg.RequestTimeout, CheckRedirect: policy},
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
	return &http.Client{Transport: oneOutcome{&retryablehttp.RoundTripper{Client: retry}}, CheckRedirect: policy}
}

// oneOutcome hands up a response or an error, never both. The retry layer
// returns both when the inner client refused a redirect; net/http would
// then print "RoundTripper returned a response & error; ignoring response"
// to the plugin's stderr and leave that response's body open.
type oneOutcome struct {
	base http.RoundTripper
}

func (t oneOutcome) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil && resp != nil {
		_ = resp.Body.Close() // a client's response always has a Body
		resp = nil
	}
	return resp, err
}

// retryableStatus is throttling (429) and the transient server faults 500,
// 502, 503 and 504. 501 and other 5xx are permanent.
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
		if isFinal(err) {
			return false, nil
		}
		if _, ok := hostNotFound(err); ok {
			return false, nil
		}
		// Connection errors, timeouts and bodies cut off: the library
		// knows which are final (bad certificates, unsupported schemes).
		return retryablehttp.DefaultRetryPolicy(ctx, nil, err)
	}
	return retryableStatus(resp.StatusCode), nil
}

// hostNotFound is the resolver's final answer that a host has no address
// ("no such host"): unlike a timeout, a temporary resolver failure or a
// refused connection, asking again gets the same answer.
func hostNotFound(err error) (string, bool) {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return dnsErr.Name, true
	}
	return "", false
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
// HTTP date), capped at maxRetryAfter. A date is rounded up to the next
// second: the header has second precision, and retrying early just earns
// another 429.
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

type userAgentTransport struct {
	base      http.RoundTripper
	userAgent string
}

func (t *userAgentTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.Header.Set("User-Agent", t.userAgent)
	return t.base.RoundTrip(r)
}

// wireTransport is the layer next to the network, under authentication, so
// it sees every exchange (a digest read is two, a redirect one more). It
// reads each body in full, bounded by MaxBodyBytes, before handing the
// response up: reading the body is part of the attempt, so an answer cut off
// mid-body fails the attempt (and is retried like a dropped connection), a
// cancel during the body is a cancel, and the connection's body is closed
// on every path. It logs each exchange without headers, so no credential
// reaches the log, and records the last answer for error messages.
type wireTransport struct {
	base  http.RoundTripper
	limit int64 // 0 means MaxBodyBytes
}

func (t *wireTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	st := callStateFrom(ctx)
	secrets := st.heldSecrets()
	// A redirect within the origin may have put a secret in the URL.
	sent := redact(redactedURL(req.URL), secrets)
	start := time.Now()
	resp, err := t.base.RoundTrip(req)
	fields := map[string]any{"method": req.Method, "path": req.URL.Path, "url": sent}
	if st != nil {
		fields["attempt"] = st.attemptCount()
	}
	if err != nil {
		st.setLast(answer{url: sent})
		fields["duration_ms"] = time.Since(start).Milliseconds()
		fields["error"] = err.Error()
		tflog.SubsystemDebug(ctx, LogSubsystem, "Atlas request failed", fields)
		return nil, err
	}
	a := answer{url: sent, status: resp.StatusCode, contentType: redact(resp.Header.Get("Content-Type"), secrets), bodyLen: -1}
	body, readErr := t.readBody(req, resp, sent)
	a.bodyStart = peek(body, secrets, readErr == nil)
	if readErr == nil {
		a.bodyLen = int64(len(body))
	}
	st.setLast(a)
	fields["duration_ms"] = time.Since(start).Milliseconds()
	if id := resp.Header.Get(atlasapi.RequestIDHeader); id != "" {
		fields["request_id"] = id
	}
	if readErr != nil {
		fields["status"] = resp.StatusCode
		fields["error"] = readErr.Error()
		tflog.SubsystemDebug(ctx, LogSubsystem, "Atlas answer not read in full", fields)
		return nil, readErr
	}
	if challenge := resp.Header.Get("WWW-Authenticate"); resp.StatusCode == http.StatusUnauthorized &&
		challenge != "" && req.Header.Get("Authorization") == "" {
		// The first half of every digest exchange: not a rejection.
		scheme, _, _ := strings.Cut(challenge, " ")
		fields["scheme"] = scheme
		tflog.SubsystemDebug(ctx, LogSubsystem, "Atlas authentication challenge", fields)
	} else {
		fields["status"] = resp.StatusCode
		tflog.SubsystemDebug(ctx, LogSubsystem, "Atlas request", fields)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// readBody reads and closes resp.Body. It returns what it read, and an error
// when the body was too large or did not arrive in full. sent is the URL as
// the messages show it.
func (t *wireTransport) readBody(req *http.Request, resp *http.Response, sent string) ([]byte, error) {
	defer func() { _ = resp.Body.Close() }()
	limit := t.limit
	if limit <= 0 {
		limit = MaxBodyBytes
	}
	body, err := readLimited(resp.Body, limit, resp.ContentLength)
	if errors.Is(err, errTooLarge) {
		return body, &bodyLimitError{Limit: limit, Method: req.Method, URL: sent, Status: resp.StatusCode}
	}
	if err != nil {
		return body, &cutOffError{err: err}
	}
	return body, nil
}

var errTooLarge = errors.New("body over the limit")

// readLimited reads r to its end, refusing it as soon as it has gone past
// limit bytes, and returns what it read either way. A declared length over
// the limit is refused before reading. The buffer grows by doubling but
// never past limit+1, so refusing a huge answer holds at most one limit's
// worth plus the buffer it outgrew, until the caller has taken its start.
func readLimited(r io.Reader, limit, declared int64) ([]byte, error) {
	if declared > limit {
		return nil, errTooLarge
	}
	size := int64(32 << 10)
	if declared >= 0 {
		size = declared + 1 // room to see the end (or a longer body)
	}
	buf := make([]byte, 0, min(size, limit+1))
	for {
		if len(buf) == cap(buf) {
			if int64(len(buf)) > limit {
				return buf, errTooLarge
			}
			grown := make([]byte, len(buf), min(int64(cap(buf))*2, limit+1))
			copy(grown, buf)
			buf = grown
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			if int64(len(buf)) > limit {
				return buf, errTooLarge
			}
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// bodyLimitError is an answer refused for its size. Another attempt would
// get the same answer, so it is final.
type bodyLimitError struct {
	Limit       int64
	Method, URL string
	Status      int
}

func (e *bodyLimitError) final() {}

func (e *bodyLimitError) Error() string {
	return fmt.Sprintf("the answer to %s %s is larger than %d MiB; refused", e.Method, e.URL, e.Limit>>20)
}

// cutOffError is an answer whose body ended early or stalled: retried like
// a dropped connection.
type cutOffError struct {
	err error
}

func (e *cutOffError) Error() string { return "answer cut off mid-body: " + e.err.Error() }
func (e *cutOffError) Unwrap() error { return e.err }

// redactedURL is u as sent, without user information.
func redactedURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	return c.String()
}
