package atlas_test

import "testing"

// Sequential reads of one client reuse one kept-alive connection: a pool
// without keep-alive would open one per request (two per digest read) and
// pay a TCP (and, against Atlas, a TLS) handshake each time.
func TestSequentialReadsReuseOneConnection(t *testing.T) {
	const reads = 5
	for _, mode := range allModes {
		t.Run(mode.String(), func(t *testing.T) {
			m, srv := newMock(t)
			c := newClient(t, testConfig(srv.URL, mode))
			for i := range reads {
				if err := list(t, c, testOrgID); err != nil {
					t.Fatalf("read %d: %v", i+1, err)
				}
			}
			if n := len(m.Requests()); n < reads {
				t.Fatalf("the mock saw %d requests for %d reads", n, reads)
			}
			if n := m.Connections(); n != 1 {
				t.Errorf("%d reads (%d requests) opened %d connections, want 1", reads, len(m.Requests()), n)
			}
		})
	}
}
