package atlas

import (
	"context"
	"errors"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/dns/dnsmessage"
)

// fakeDNS is a name server on loopback that answers every question with
// rcode, and counts the questions.
func fakeDNS(t *testing.T, rcode dnsmessage.RCode) (*net.Resolver, *atomic.Int32) {
	t.Helper()
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	var questions atomic.Int32
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := conn.ReadFrom(buf)
			if err != nil {
				return
			}
			var q dnsmessage.Message
			if q.Unpack(buf[:n]) != nil {
				continue
			}
			questions.Add(1)
			answer := dnsmessage.Message{Header: dnsmessage.Header{ID: q.ID, Response: true, Authoritative: true,
				RecursionDesired: q.RecursionDesired, RecursionAvailable: true, RCode: rcode}, Questions: q.Questions}
			if b, err := answer.Pack(); err == nil {
				_, _ = conn.WriteTo(b, from)
			}
		}
	}()
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", conn.LocalAddr().String())
	}}, &questions
}

// A name the resolver says does not exist fails at once, naming the host:
// it will not resolve on the next try either. A temporary failure of the
// resolver keeps its retries.
func TestHostNotFoundIsNotRetried(t *testing.T) {
	tests := []struct {
		name         string
		rcode        dnsmessage.RCode
		attempts     int
		hostNotFound string
	}{
		{"no such host", dnsmessage.RCodeNameError, 1, "atlas.example.test"},
		{"resolver failing", dnsmessage.RCodeServerFailure, 3, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resolver, questions := fakeDNS(t, tt.rcode)
			c, err := NewClient(Config{BaseURL: "https://atlas.example.test", Mode: AuthAccessToken, AccessToken: "eyJ" + "test",
				MaxRetries: 2, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond, RequestTimeout: 10 * time.Second,
				resolver: resolver})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			_, err = c.ListInvitations(ctx, "5f0c0ffee0c0ffee0c0ffee0", nil)
			var ae *Error
			if !errors.As(err, &ae) {
				t.Fatalf("%v, want an *Error", err)
			}
			if ae.Kind != KindNetwork || ae.Attempts != tt.attempts || ae.UnknownHost != tt.hostNotFound {
				t.Errorf("kind %v after %d attempts, host not found %q; want %v after %d, %q (%v)",
					ae.Kind, ae.Attempts, ae.UnknownHost, KindNetwork, tt.attempts, tt.hostNotFound, err)
			}
			if questions.Load() == 0 {
				t.Error("the fake name server was never asked")
			}
		})
	}
}
