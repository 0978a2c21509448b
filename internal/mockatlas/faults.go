package mockatlas

import (
	"net/http"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlasapi"
)

// Fault changes how the mock answers one request. The zero Fault changes
// nothing, which lets a script skip a request: Script(Fault{}, Fault{Status: 500})
// fails only the second.
type Fault struct {
	// Status answers with this status and an Atlas error body (unless Body
	// is set). 0 with no Body and no Drop means "answer normally" after
	// any Delay and with any RetryAfter header.
	Status int
	// RetryAfter is sent as the Retry-After header, e.g. "1" or an HTTP date.
	// Not in the OpenAPI document; see atlasapi.RetryAfterHeader for where
	// Atlas documents it.
	RetryAfter string
	// Delay waits before answering; the wait ends early, with no answer, if
	// the client goes away.
	Delay time.Duration
	// Body is sent as is instead of an error body (e.g. "<html>oops</html>"),
	// with ContentType (default: what the endpoint's success answer has) and
	// Status (0 means 200). With Status and no Body, ContentType replaces
	// the error media type (ErrorMediaType).
	Body        string
	ContentType string
	// Drop closes the connection without answering.
	Drop bool

	// The faults below are carried out in faults_body.go.

	// EmptyBody answers Status (0 means 200) with no body at all.
	EmptyBody bool
	// Location answers Status (0 means 302 Found) with this Location header:
	// a redirect, e.g. to another origin.
	Location string
	// BodySize streams a 200 answer of about this many bytes (a JSON array
	// of empty objects, chunked, never held in memory).
	BodySize int64
	// CutAfter sends the answer (Body, or the endpoint's normal answer) with
	// its full Content-Length but only its first CutAfter bytes, then closes
	// the connection; with Stall, it first waits that long (or until the
	// client gives up).
	CutAfter int
	Stall    time.Duration
}

// Script appends faults to the queue for API requests: each authenticated
// API request with an acceptable Accept header consumes the next one, in
// order. The token endpoint has its own queue (ScriptToken).
func (s *Server) Script(faults ...Fault) {
	s.mu.Lock()
	s.faults = append(s.faults, faults...)
	s.mu.Unlock()
}

// SetFault sets a fault applied to every API request while the Script queue is
// empty, e.g. &Fault{Status: 500} for "500 forever". nil clears it.
func (s *Server) SetFault(f *Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f == nil {
		s.persistent = nil
		return
	}
	c := *f
	s.persistent = &c
}

// ScriptToken appends faults to the queue for POST /api/oauth/token; they
// apply before the client credentials are checked.
func (s *Server) ScriptToken(faults ...Fault) {
	s.mu.Lock()
	s.tokenFaults = append(s.tokenFaults, faults...)
	s.mu.Unlock()
}

// PendingFaults reports how many scripted faults are still queued for the API
// and for the token endpoint, so a test can assert they were all consumed.
func (s *Server) PendingFaults() (api, token int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.faults), len(s.tokenFaults)
}

func (s *Server) nextFault() (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.faults) > 0 {
		f := s.faults[0]
		s.faults = s.faults[1:]
		return f, true
	}
	if s.persistent != nil {
		return *s.persistent, true
	}
	return Fault{}, false
}

func (s *Server) nextTokenFault() (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.tokenFaults) == 0 {
		return Fault{}, false
	}
	f := s.tokenFaults[0]
	s.tokenFaults = s.tokenFaults[1:]
	return f, true
}

// applyFault carries out f and reports whether it has answered (or dropped)
// the request; false means the request goes on to its normal answer.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f Fault) bool {
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			// The client gave up: answering would only fail, and the
			// record keeps Status 0 to show nothing was sent.
			t.Stop()
			return true
		}
	}
	if f.Drop {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			// HTTP/2 cannot hijack; aborting the handler resets the stream.
			panic(http.ErrAbortHandler)
		}
		_ = conn.Close()
		return true
	}
	if f.RetryAfter != "" {
		w.Header().Set(atlasapi.RetryAfterHeader, f.RetryAfter)
	}
	if applyBodyFault(w, r, f) {
		return true
	}
	switch {
	case f.Body != "":
		if f.ContentType != "" {
			w.Header().Set("Content-Type", f.ContentType)
		}
		status := f.Status
		if status == 0 {
			status = http.StatusOK
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(f.Body))
		return true
	case f.Status != 0:
		ct := f.ContentType
		if ct == "" {
			ct = ErrorMediaType
		}
		code, detail, params := statusError(r, f.Status)
		writeErrorAs(w, ct, f.Status, code, detail, params...)
		return true
	}
	return false
}
