package atlas

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// TestReadLimitedGrowsToTheBody reads bodies larger than the first buffer,
// with and without a declared length, at a limit large enough for the
// buffer to grow: every byte comes back, a declared length is read into one
// buffer of exactly that size (plus the byte that shows the end), and the
// buffer never grows past the limit.
func TestReadLimitedGrowsToTheBody(t *testing.T) {
	const limit = 1 << 20
	tests := []struct {
		name     string
		size     int
		declared bool
		wantErr  error
	}{
		{"empty, declared", 0, true, nil},
		{"100 KiB, undeclared", 100 << 10, false, nil},
		{"100 KiB, declared", 100 << 10, true, nil},
		{"exactly the limit, undeclared", limit, false, nil},
		{"exactly the limit, declared", limit, true, nil},
		{"one byte over, undeclared", limit + 1, false, errTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := bytes.Repeat([]byte("0123456789abcdef"), tt.size/16+1)[:tt.size]
			declared := int64(-1)
			if tt.declared {
				declared = int64(tt.size)
			}
			r := &firstReadSize{r: bytes.NewReader(body)}
			got, err := readLimited(r, limit, declared)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr != nil {
				return
			}
			if !bytes.Equal(got, body) {
				t.Errorf("read %d bytes back, want the %d sent", len(got), len(body))
			}
			if tt.declared && (cap(got) != tt.size+1 || r.size != tt.size+1) {
				t.Errorf("a declared %d bytes were read into a buffer of %d (first read %d), want one of %d",
					tt.size, cap(got), r.size, tt.size+1)
			}
			if cap(got) > limit+1 {
				t.Errorf("the buffer grew to %d, past the limit %d (+1)", cap(got), limit)
			}
		})
	}
}

// firstReadSize records the room the reader was given on its first read.
type firstReadSize struct {
	r    *bytes.Reader
	size int
	read bool
}

func (f *firstReadSize) Read(p []byte) (int, error) {
	if !f.read {
		f.size, f.read = len(p), true
	}
	return f.r.Read(p)
}

// TestErrorShowsTheURLSent: a failed request names the URL the wire sent,
// query included, not one rebuilt from the base URL and the path.
func TestErrorShowsTheURLSent(t *testing.T) {
	m := mockatlas.New()
	m.AddAccessToken("token-for-url-test")
	m.AddOrg("5f0c0ffee0c0ffee0c0ffee0")
	srv := m.Start()
	t.Cleanup(srv.Close)
	m.SetFault(&mockatlas.Fault{Status: 500})
	c, err := NewClient(Config{BaseURL: srv.URL, Mode: AuthAccessToken, AccessToken: "token-for-url-test", MaxRetries: 0})
	if err != nil {
		t.Fatal(err)
	}
	username := "dave+x@example.net"
	_, err = c.ListInvitations(context.Background(), "5f0c0ffee0c0ffee0c0ffee0", &username)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want an *Error", err)
	}
	want := srv.URL + "/api/atlas/v2/orgs/5f0c0ffee0c0ffee0c0ffee0/invites?username=" + url.QueryEscape(username)
	if e.URL != want || !strings.Contains(e.Facts(), "Request: GET "+want) {
		t.Errorf("URL = %q, want %q\n%s", e.URL, want, e.Facts())
	}
}
