package mockatlas

import (
	"net"
	"net/http"
	"net/url"
	"time"
)

// AuthKind is the kind of credentials a request carried, whether or not they
// were valid.
type AuthKind string

// Kinds of Authorization header the mock recognises.
const (
	AuthNone   AuthKind = "none"
	AuthDigest AuthKind = "digest"
	AuthBearer AuthKind = "bearer"
	AuthBasic  AuthKind = "basic" // the token endpoint's client credentials
	// AuthUnknown is an Authorization header with a scheme the mock does not
	// speak, kept apart from AuthNone so a test can tell "sent nothing" from
	// "sent something odd".
	AuthUnknown AuthKind = "unknown"
)

// Request is what the mock recorded about one request. It never holds a
// secret: no private key, client secret, token or Authorization value.
type Request struct {
	Method, Path string
	Query        url.Values // decoded
	RawQuery     string
	Auth         AuthKind // what the request carried
	// Authenticated is true when the credentials were valid (for the token
	// endpoint: the client id and secret).
	Authenticated bool
	// Principal is the public key (digest), the client id (token endpoint,
	// or bearer with a token the endpoint issued), or "token" for a token
	// registered with AddAccessToken. Empty when nothing identifies the
	// caller.
	Principal string
	// Status is what the mock answered; 0 means no answer was sent (a Drop
	// fault, the client went away during a Delay, or still in flight).
	Status            int
	Accept, UserAgent string
	Time              time.Time // arrival
}

// Requests returns a copy of the record, in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.record))
	for i, r := range s.record {
		out[i] = *r
		out[i].Query = cloneValues(r.Query)
	}
	return out
}

// Reset clears the record and the connection count, nothing else: fixtures,
// credentials, issued tokens and queued faults stay.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record = nil
	s.conns = 0
}

// ConnState counts new connections; wire it as http.Server.ConnState so tests
// can assert that a client reuses its connections.
func (s *Server) ConnState(_ net.Conn, st http.ConnState) {
	if st != http.StateNew {
		return
	}
	s.mu.Lock()
	s.conns++
	s.mu.Unlock()
}

// Connections is the number of connections opened since New or Reset.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// OnRequest registers fn to be called with each request's record once it has
// been answered (the standalone command logs with it). nil removes it. fn
// runs on the request's goroutine, outside the server's lock.
func (s *Server) OnRequest(fn func(Request)) {
	s.mu.Lock()
	s.onRequest = fn
	s.mu.Unlock()
}

// begin records a request at arrival, so the record keeps arrival order even
// when answers are delayed. The returned pointer is updated by finish; it
// stays valid (if orphaned) across Reset.
func (s *Server) begin(r *http.Request) *Request {
	rec := &Request{
		Method:    r.Method,
		Path:      r.URL.Path,
		Query:     r.URL.Query(),
		RawQuery:  r.URL.RawQuery,
		Auth:      AuthNone,
		Accept:    r.Header.Get("Accept"),
		UserAgent: r.Header.Get("User-Agent"),
	}
	s.mu.Lock()
	rec.Time = s.now()
	s.record = append(s.record, rec)
	s.mu.Unlock()
	return rec
}

// finish stores the answered status and notifies the OnRequest hook.
func (s *Server) finish(rec *Request, status int) {
	s.mu.Lock()
	rec.Status = status
	snap := *rec
	snap.Query = cloneValues(rec.Query)
	fn := s.onRequest
	s.mu.Unlock()
	if fn != nil {
		fn(snap)
	}
}

// setAuth updates the auth facts of an in-flight record under the lock, since
// Requests may read it concurrently.
func (s *Server) setAuth(rec *Request, kind AuthKind, ok bool, principal string) {
	s.mu.Lock()
	rec.Auth, rec.Authenticated, rec.Principal = kind, ok, principal
	s.mu.Unlock()
}

func cloneValues(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// statusWriter remembers the status written, for the record. Unwrap lets
// http.ResponseController reach the real writer (Hijack, Flush).
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
