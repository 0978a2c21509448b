package mockatlas

import (
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// RateLimit makes the mock throttle authenticated API requests like a busy
// Atlas: a token bucket (Rate per second, Burst at most) answers 429 with
// Retry-After past it, and a seeded random FailRate of the requests it lets
// through fail with 503.
type RateLimit struct {
	Rate     float64 // tokens per second
	Burst    int
	FailRate float64 // 0..1
	Seed     uint64
}

// RateStats is what the limiter saw. Early counts requests that arrived
// before the Retry-After their previous attempt was given (same method and
// URL): a client that honours Retry-After keeps it at 0.
type RateStats struct {
	Admitted, Throttled, Failed, Early int
}

type limiter struct {
	mu        sync.Mutex
	on        bool
	cfg       RateLimit
	rng       *rand.Rand
	tokens    float64
	last      time.Time
	notBefore map[string]time.Time // method + URL -> earliest allowed retry
	stats     RateStats
}

// SetRateLimit turns the limiter on (nil turns it off) with a full bucket.
func (s *Server) SetRateLimit(rl *RateLimit) {
	l := &s.limiter
	l.mu.Lock()
	defer l.mu.Unlock()
	if rl == nil {
		l.on = false
		return
	}
	l.on, l.cfg = true, *rl
	l.rng = rand.New(rand.NewPCG(rl.Seed, rl.Seed^0x9e3779b97f4a7c15))
	l.tokens, l.last = float64(rl.Burst), time.Now()
	l.notBefore = map[string]time.Time{}
	l.stats = RateStats{}
}

// RateStats returns the limiter's counts so far.
func (s *Server) RateStats() RateStats {
	s.limiter.mu.Lock()
	defer s.limiter.mu.Unlock()
	return s.limiter.stats
}

// refuse answers 429 or 503 when the limiter says so, and reports whether
// it answered.
func (l *limiter) refuse(w http.ResponseWriter, r *http.Request) bool {
	l.mu.Lock()
	if !l.on {
		l.mu.Unlock()
		return false
	}
	now := time.Now()
	key := r.Method + " " + r.URL.RequestURI()
	if nb, ok := l.notBefore[key]; ok {
		if now.Before(nb) {
			l.stats.Early++
		}
		delete(l.notBefore, key)
	}
	l.tokens = math.Min(float64(l.cfg.Burst), l.tokens+now.Sub(l.last).Seconds()*l.cfg.Rate)
	l.last = now
	if l.tokens < 1 {
		wait := max(1, int(math.Ceil((1-l.tokens)/l.cfg.Rate)))
		l.notBefore[key] = now.Add(time.Duration(wait) * time.Second)
		l.stats.Throttled++
		l.mu.Unlock()
		w.Header().Set("Retry-After", strconv.Itoa(wait))
		code, detail, _ := statusError(r, http.StatusTooManyRequests)
		writeError(w, http.StatusTooManyRequests, code, detail)
		return true
	}
	l.tokens--
	fail := l.rng.Float64() < l.cfg.FailRate
	if fail {
		l.stats.Failed++
	} else {
		l.stats.Admitted++
	}
	l.mu.Unlock()
	if fail {
		code, detail, _ := statusError(r, http.StatusServiceUnavailable)
		writeError(w, http.StatusServiceUnavailable, code, detail)
	}
	return fail
}
