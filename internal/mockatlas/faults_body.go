package mockatlas

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"time"
)

// applyBodyFault carries out the body faults of f that answer on their own
// (EmptyBody, Location, BodySize) and reports whether it answered.
func applyBodyFault(w http.ResponseWriter, r *http.Request, f Fault) bool {
	status := f.Status
	switch {
	case f.Location != "":
		if status == 0 {
			status = http.StatusFound
		}
		w.Header().Set("Location", f.Location)
		w.Header().Del("Content-Type")
		w.WriteHeader(status)
		return true
	case f.EmptyBody:
		if status == 0 {
			status = http.StatusOK
		}
		if f.ContentType != "" {
			w.Header().Set("Content-Type", f.ContentType)
		}
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(status)
		return true
	case f.BodySize > 0:
		if status == 0 {
			status = http.StatusOK
		}
		streamBody(w, r, status, f.BodySize)
		return true
	}
	return false
}

// streamBody writes a JSON array of about size bytes in chunks, without a
// Content-Length, stopping as soon as the client goes away: the mock's
// memory stays flat whatever size is asked for.
func streamBody(w http.ResponseWriter, r *http.Request, status int, size int64) {
	chunk := bytes.Repeat([]byte("{},"), 64<<10/3)
	w.WriteHeader(status)
	if _, err := w.Write([]byte("[")); err != nil {
		return
	}
	for sent := int64(1); sent < size-3; sent += int64(len(chunk)) {
		if r.Context().Err() != nil {
			return
		}
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
	_, _ = w.Write([]byte("{}]"))
}

// cutAnswer sends the answer h (or f.Body) would give with its full
// Content-Length, but only its first f.CutAfter bytes; after f.Stall (or at
// once) it closes the connection.
func cutAnswer(w http.ResponseWriter, r *http.Request, f Fault, h http.HandlerFunc) {
	rec := httptest.NewRecorder()
	if f.Body != "" {
		rec.WriteHeader(http.StatusOK)
		_, _ = rec.WriteString(f.Body)
	} else {
		h(rec, r)
	}
	body := rec.Body.Bytes()
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rec.Code)
	_, _ = w.Write(body[:min(f.CutAfter, len(body))])
	rc := http.NewResponseController(w)
	_ = rc.Flush()
	if f.Stall > 0 {
		t := time.NewTimer(f.Stall)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
		}
	}
	if conn, _, err := rc.Hijack(); err == nil {
		_ = conn.Close()
		return
	}
	panic(http.ErrAbortHandler)
}
