package atlas

import (
	"context"
	"errors"
	"fmt"
	"github.com/hashicorp/go-retryablehttp"
	"io"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"testing"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlasapi"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	date := func(d time.Duration) string { return now.Add(d).Format(http.TimeFormat) }
	tests := []struct {
		name   string
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"seconds", "5", 5 * time.Second, true},
		{"one second", "1", time.Second, true},
		{"zero", "0", 0, true},
		{"at the cap", "60", maxRetryAfter, true},
		{"negative", "-1", 0, false},
		{"negative zero", "-0", 0, true},
		{"above the cap", "61", maxRetryAfter, true},
		{"an hour", "3600", maxRetryAfter, true},
		{"max int64 seconds", "9223372036854775807", maxRetryAfter, true},
		// Still delay-seconds (RFC 9110 §10.2.3: 1*DIGIT), merely too many
		// of them for an int64: the server asked for a long wait.
		{"beyond int64", "99999999999999999999", maxRetryAfter, true},
		{"date in the future", date(10 * time.Second), 10 * time.Second, true},
		{"date far in the future", date(24 * time.Hour), maxRetryAfter, true},
		{"date now", date(0), 0, true},
		{"date in the past", date(-time.Hour), 0, true},
		{"RFC 850 date", now.Add(7 * time.Second).Format("Monday, 02-Jan-06 15:04:05 GMT"), 7 * time.Second, true},
		{"ANSI C date", now.Add(3 * time.Second).Format(time.ANSIC), 3 * time.Second, true},
		{"garbage", "soon", 0, false},
		{"fraction", "1.5", 0, false},
		{"unit suffix", "5s", 0, false},
		{"empty", "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseRetryAfter(tt.in, now)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func respWith(status int, retryAfter string) *http.Response {
	r := &http.Response{StatusCode: status, Header: http.Header{}}
	if retryAfter != "" {
		r.Header.Set(atlasapi.RetryAfterHeader, retryAfter)
	}
	return r
}

func TestBackoffHonoursRetryAfterOnlyOn429And503(t *testing.T) {
	const waitMin, waitMax = 10 * time.Millisecond, 20 * time.Millisecond
	tests := []struct {
		status  int
		honours bool
	}{
		{http.StatusTooManyRequests, true},
		{http.StatusServiceUnavailable, true},
		{http.StatusInternalServerError, false},
		{http.StatusBadGateway, false},
		{http.StatusGatewayTimeout, false},
		{http.StatusOK, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			for range 20 {
				got := backoff(waitMin, waitMax, 0, respWith(tt.status, "7"))
				if tt.honours && got != 7*time.Second {
					t.Fatalf("backoff with Retry-After: 7 on %d = %v, want 7s", tt.status, got)
				}
				if !tt.honours && (got < waitMin/2 || got > waitMin) {
					t.Fatalf("backoff with Retry-After: 7 on %d = %v, want the exponential delay in [%v, %v]",
						tt.status, got, waitMin/2, waitMin)
				}
			}
		})
	}
	t.Run("capped", func(t *testing.T) {
		if got := backoff(waitMin, waitMax, 0, respWith(http.StatusTooManyRequests, "86400")); got != maxRetryAfter {
			t.Errorf("backoff with Retry-After: 86400 = %v, want the cap %v", got, maxRetryAfter)
		}
	})
	t.Run("unparsable falls back to exponential", func(t *testing.T) {
		if got := backoff(waitMin, waitMax, 0, respWith(http.StatusTooManyRequests, "later")); got < waitMin/2 || got > waitMin {
			t.Errorf("backoff with Retry-After: later = %v, want within [%v, %v]", got, waitMin/2, waitMin)
		}
	})
	t.Run("no response", func(t *testing.T) {
		if got := backoff(waitMin, waitMax, 0, nil); got < waitMin/2 || got > waitMin {
			t.Errorf("backoff without a response = %v, want within [%v, %v]", got, waitMin/2, waitMin)
		}
	})
}

func TestBackoffExponentialWithJitter(t *testing.T) {
	tests := []struct {
		name             string
		waitMin, waitMax time.Duration
		attempt          int
		want             time.Duration // the delay before jitter
	}{
		{"attempt 0", time.Second, 30 * time.Second, 0, time.Second},
		{"attempt 1", time.Second, 30 * time.Second, 1, 2 * time.Second},
		{"attempt 2", time.Second, 30 * time.Second, 2, 4 * time.Second},
		{"attempt 4", time.Second, 30 * time.Second, 4, 16 * time.Second},
		{"attempt 5 hits the bound", time.Second, 30 * time.Second, 5, 30 * time.Second},
		{"attempt 29", time.Second, 30 * time.Second, 29, 30 * time.Second},
		{"attempt 30", time.Second, 30 * time.Second, 30, 30 * time.Second},
		{"attempt 63", time.Second, 30 * time.Second, 63, 30 * time.Second},
		{"attempt 64", time.Second, 30 * time.Second, 64, 30 * time.Second},
		{"attempt 1000", time.Second, 30 * time.Second, 1000, 30 * time.Second},
		{"min above max", time.Minute, 30 * time.Second, 0, 30 * time.Second},
		{"millisecond test waits", time.Millisecond, 5 * time.Millisecond, 3, 5 * time.Millisecond},
		{"nanosecond min", time.Nanosecond, time.Hour, 20, time.Duration(1 << 20)},
		{"no minimum: the maximum", 0, 30 * time.Second, 3, 30 * time.Second},
		{"nanosecond waits", time.Nanosecond, time.Nanosecond, 0, time.Nanosecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi := tt.want/2, tt.want
			seen := map[time.Duration]bool{}
			for range 200 {
				got := backoff(tt.waitMin, tt.waitMax, tt.attempt, nil)
				if got < lo || got > hi {
					t.Fatalf("backoff(%v, %v, %d) = %v, want within [%v, %v]", tt.waitMin, tt.waitMax, tt.attempt, got, lo, hi)
				}
				seen[got] = true
			}
			if tt.want >= time.Millisecond && len(seen) < 2 {
				t.Errorf("backoff(%v, %v, %d) always %v: no jitter", tt.waitMin, tt.waitMax, tt.attempt, seen)
			}
		})
	}
}

// A large RetryWaitMin (the cancellation tests use an hour) shifted by the
// attempt number must saturate at waitMax, never wrap around to a small or
// negative delay.
func TestBackoffDoesNotOverflow(t *testing.T) {
	// 1<<40 + 1<<10 ns (about 18 minutes) shifted by 24 wraps to exactly
	// 1<<34 ns (17s): positive and below waitMax, so a "did it go negative"
	// guard does not notice.
	const wrapsPositive = time.Duration(1<<40 + 1<<10)
	for _, waitMin := range []time.Duration{time.Second, time.Minute, time.Hour, 1000 * time.Hour, wrapsPositive} {
		waitMax := 2 * waitMin
		for attempt := range 70 {
			got := backoff(waitMin, waitMax, attempt, nil)
			lo := min(waitMin, waitMax) / 2
			if attempt > 0 {
				lo = waitMax / 2
			}
			if got < lo || got > waitMax {
				t.Errorf("backoff(%v, %v, %d) = %v, want within [%v, %v]", waitMin, waitMax, attempt, got, lo, waitMax)
			}
		}
	}
}

func TestRetryableStatus(t *testing.T) {
	retried := map[int]bool{429: true, 500: true, 502: true, 503: true, 504: true}
	for _, code := range []int{200, 204, 301, 400, 401, 403, 404, 405, 406, 409, 410, 422, 429, 500, 501, 502, 503, 504, 505, 599} {
		if got := retryableStatus(code); got != retried[code] {
			t.Errorf("retryableStatus(%d) = %v, want %v", code, got, retried[code])
		}
	}
}

func TestShouldRetry(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	refused := &url.Error{Op: "Get", URL: "http://127.0.0.1:1/x", Err: &net.OpError{
		Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "connection refused"},
	}}
	reset := &url.Error{Op: "Get", URL: "http://127.0.0.1:1/x", Err: syscall.ECONNRESET}
	tooManyRedirects := &url.Error{Op: "Get", URL: "http://127.0.0.1:1/x", Err: errors.New("stopped after 10 redirects")}
	credErr := &url.Error{Op: "Get", URL: "http://127.0.0.1:1/x", Err: &tokenError{err: errors.New("oauth2: 401")}}
	bareCredErr := &tokenError{err: errors.New("oauth2: 401")}
	redirect := &url.Error{Op: "Get", URL: "http://127.0.0.1:1/x", Err: &redirectError{status: 302, target: "http://127.0.0.1:2"}}
	tooLarge := &url.Error{Op: "Get", URL: "http://127.0.0.1:1/x", Err: &bodyLimitError{Limit: MaxBodyBytes}}
	challenge := &url.Error{Op: "Get", URL: "http://127.0.0.1:1/x", Err: &challengeError{header: "Basic realm=x"}}
	cutOff := &url.Error{Op: "Get", URL: "http://127.0.0.1:1/x", Err: &cutOffError{err: io.ErrUnexpectedEOF}}

	tests := []struct {
		name      string
		ctx       context.Context
		resp      *http.Response
		err       error
		wantRetry bool
		wantErr   error // checked with errors.Is; nil means no error
	}{
		{"429", context.Background(), respWith(429, ""), nil, true, nil},
		{"500", context.Background(), respWith(500, ""), nil, true, nil},
		{"502", context.Background(), respWith(502, ""), nil, true, nil},
		{"503", context.Background(), respWith(503, ""), nil, true, nil},
		{"504", context.Background(), respWith(504, ""), nil, true, nil},
		{"200", context.Background(), respWith(200, ""), nil, false, nil},
		{"400", context.Background(), respWith(400, ""), nil, false, nil},
		{"401", context.Background(), respWith(401, ""), nil, false, nil},
		{"403", context.Background(), respWith(403, ""), nil, false, nil},
		{"404", context.Background(), respWith(404, ""), nil, false, nil},
		{"406", context.Background(), respWith(406, ""), nil, false, nil},
		{"410", context.Background(), respWith(410, ""), nil, false, nil},
		{"501", context.Background(), respWith(501, ""), nil, false, nil},
		{"connection refused", context.Background(), nil, refused, true, nil},
		{"connection reset", context.Background(), nil, reset, true, nil},
		{"bare net error", context.Background(), nil, &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}, true, nil},
		{"too many redirects", context.Background(), nil, tooManyRedirects, false, nil},
		{"token error", context.Background(), nil, credErr, false, nil},
		{"bare token error", context.Background(), nil, bareCredErr, false, nil},
		{"redirect to another origin", context.Background(), nil, redirect, false, nil},
		{"body over the limit", context.Background(), nil, tooLarge, false, nil},
		{"basic challenge", context.Background(), nil, challenge, false, nil},
		{"body cut off", context.Background(), nil, cutOff, true, nil},
		{"canceled with 503", canceled, respWith(503, ""), nil, false, context.Canceled},
		{"canceled with a connection error", canceled, nil, refused, false, context.Canceled},
		{"deadline with 500", expired, respWith(500, ""), nil, false, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			retry, err := shouldRetry(tt.ctx, tt.resp, tt.err)
			if retry != tt.wantRetry {
				t.Errorf("retry = %v, want %v", retry, tt.wantRetry)
			}
			switch {
			case tt.wantErr == nil && err != nil:
				t.Errorf("err = %v, want nil", err)
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

// Zero or negative waits in the configuration (the provider never sets
// them) mean the documented defaults, 1 s to 30 s; tests shorten them.
func TestRetryWaitDefaults(t *testing.T) {
	tests := []struct {
		name                     string
		waitMin, waitMax         time.Duration
		wantWaitMin, wantWaitMax time.Duration
	}{
		{"unset", 0, 0, time.Second, 30 * time.Second},
		{"negative", -time.Second, -time.Second, time.Second, 30 * time.Second},
		{"set", time.Millisecond, 5 * time.Millisecond, time.Millisecond, 5 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			outer, _ := retryingClient(Config{RetryWaitMin: tt.waitMin, RetryWaitMax: tt.waitMax}, http.DefaultTransport).Transport.(oneOutcome)
			rt, ok := outer.base.(*retryablehttp.RoundTripper)
			if !ok {
				t.Fatal("the client does not retry")
			}
			c := rt.Client
			if c.RetryWaitMin != tt.wantWaitMin || c.RetryWaitMax != tt.wantWaitMax {
				t.Errorf("waits = %v, %v; want %v, %v", c.RetryWaitMin, c.RetryWaitMax, tt.wantWaitMin, tt.wantWaitMax)
			}
		})
	}
}
