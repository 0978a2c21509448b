package mockatlas

import (
	"net/http"
	"time"
)

// SetLatency makes every answer of the mock wait d first (0 turns it off):
// every API endpoint, served or not, authentication challenges and errors
// included, and the OAuth endpoints, like the round trip to a real Atlas.
// The wait ends, with no answer, if the client goes away. SetUsersPageDelay
// and a scripted Delay fault add to it.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	s.latency = d
	s.mu.Unlock()
}

// wait waits d, or until r's client goes away, and reports whether the
// request is still worth answering.
func wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}
