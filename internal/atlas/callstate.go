package atlas

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// callState follows one logical call (an API request, or a token fetch)
// through the layers below it: the retry layer counts attempts, the wire
// records the last answer. Error translation reads it afterwards. It is the
// one vocabulary the layers share, so that none of them reaches into another.
type callState struct {
	attempts atomic.Int32
	// secrets are those the call holds when asked: the configured ones and
	// any token issued by then. Nothing kept from an answer shows them.
	secrets func() []string

	mu   sync.Mutex
	last answer
}

// answer is what the wire saw of the last exchange of a call, secrets
// redacted.
type answer struct {
	url         string // as sent, without credentials
	status      int    // 0 when nothing came back
	contentType string
	bodyStart   []byte // the start of the body (peek)
	bodyLen     int64  // -1 while not read in full
}

// peekSize is how much of a body is kept to explain an answer that is not
// what the provider expects.
const peekSize = 256

type callStateKey struct{}

func withCallState(ctx context.Context, secrets func() []string) (context.Context, *callState) {
	st := &callState{secrets: secrets}
	return context.WithValue(ctx, callStateKey{}, st), st
}

// heldSecrets are the call's secrets now.
func (s *callState) heldSecrets() []string {
	if s == nil || s.secrets == nil {
		return nil
	}
	return s.secrets()
}

func callStateFrom(ctx context.Context) *callState {
	st, _ := ctx.Value(callStateKey{}).(*callState)
	return st
}

func (s *callState) setLast(a answer) {
	if s == nil {
		return
	}
	s.mu.Lock()
	s.last = a
	s.mu.Unlock()
}

func (s *callState) lastAnswer() answer {
	if s == nil {
		return answer{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

func (s *callState) attemptCount() int {
	if s == nil {
		return 0
	}
	return int(s.attempts.Load())
}

// finalError is implemented by errors that another attempt cannot fix (a
// refused redirect, an oversized body, a failed token fetch that already had
// its own retries): the retry layer stops at once.
type finalError interface {
	error
	final()
}

func isFinal(err error) bool {
	var f finalError
	return errors.As(err, &f)
}
