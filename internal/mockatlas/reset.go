package mockatlas

import (
	"bufio"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
)

// Resetter is a loopback server that reads each request and resets the
// connection without answering: a network failure on every attempt. Tests
// use it instead of a closed port, which another test's server may take
// between the close and the dial.
type Resetter struct {
	URL    string
	ln     net.Listener
	resets atomic.Int32
	wg     sync.WaitGroup
}

// StartResetter listens on a free loopback port until Close.
func StartResetter() (*Resetter, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &Resetter{URL: "http://" + ln.Addr().String(), ln: ln}
	r.wg.Add(1)
	go r.serve()
	return r, nil
}

func (r *Resetter) serve() {
	defer r.wg.Done()
	for {
		conn, err := r.ln.Accept()
		if err != nil {
			return
		}
		// Reading the whole request first makes the client's failure a
		// read of the answer ("connection reset by peer"), not a race
		// with its write.
		if _, err := http.ReadRequest(bufio.NewReader(conn)); err == nil {
			r.resets.Add(1)
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // close with RST, not FIN
		}
		_ = conn.Close()
	}
}

// Resets is how many requests were read and answered with a reset.
func (r *Resetter) Resets() int { return int(r.resets.Load()) }

// Close stops listening.
func (r *Resetter) Close() {
	_ = r.ln.Close()
	r.wg.Wait()
}
