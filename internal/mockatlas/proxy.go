package mockatlas

import (
	"io"
	"net"
	"net/http"
	"sync"
)

// Proxy is a small HTTP proxy for tests: CONNECT tunnels (what a client
// uses for https:// through HTTPS_PROXY) to the loopback address a host name
// maps to, recording what passed. It never dials anything it was not given:
// a host missing from Hosts is answered 502.
type Proxy struct {
	// Hosts maps "host:port" as the client asked for it to the loopback
	// address that serves it.
	Hosts map[string]string

	mu      sync.Mutex
	tunnels []ProxyTunnel
}

// ProxyTunnel is one CONNECT the proxy saw.
type ProxyTunnel struct {
	Target   string // host:port the client asked for
	Accepted bool   // the proxy knew the host and opened the tunnel
}

// Tunnels returns a copy of the record, in arrival order.
func (p *Proxy) Tunnels() []ProxyTunnel {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]ProxyTunnel(nil), p.tunnels...)
}

func (p *Proxy) add(t ProxyTunnel) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tunnels = append(p.tunnels, t)
}

func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodConnect {
		http.Error(w, "this test proxy only tunnels (CONNECT)", http.StatusMethodNotAllowed)
		return
	}
	addr, ok := p.Hosts[r.Host]
	p.add(ProxyTunnel{Target: r.Host, Accepted: ok})
	if !ok {
		http.Error(w, "unknown host "+r.Host, http.StatusBadGateway)
		return
	}
	upstream, err := net.Dial("tcp", addr)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer func() { _ = upstream.Close() }()
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	defer func() { _ = conn.Close() }()
	if _, err := conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n")); err != nil {
		return
	}
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(conn, upstream)
		close(done)
	}()
	_, _ = io.Copy(upstream, buf)
	if tcp, ok := upstream.(*net.TCPConn); ok {
		_ = tcp.CloseWrite()
	}
	<-done
}

// BasicChallenge answers every request 401 with a Basic challenge, as a
// proxy or gateway in front of Atlas that wants its own credentials does.
// It counts the requests it answered.
type BasicChallenge struct {
	Realm string

	mu    sync.Mutex
	count int
}

func (b *BasicChallenge) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	b.mu.Lock()
	b.count++
	b.mu.Unlock()
	w.Header().Set("WWW-Authenticate", `Basic realm="`+b.Realm+`"`)
	http.Error(w, "proxy authentication required", http.StatusUnauthorized)
}

// Requests is how many requests it answered.
func (b *BasicChallenge) Requests() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.count
}
