package atlas_test

// FuzzAtlasAnswers: the target, the harness (servers, serving, each answer's status, headers and encoding) and each execution's run and checks.

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// FuzzAtlasAnswers reads through the client while whatever answers at
// base_url (and at its token endpoint) says anything at all: any status,
// the headers the client reads, and bodies from well-formed Atlas pages to
// garbage. Whatever it says, every read ends soon after its context does,
// fails only with an *atlas.Error that shows no secret, a list of users,
// organizations, projects or teams that succeeds holds each id once, and an
// organization's name or the projects the credentials see, once read, are
// the client's without another request. An answer may
// echo a secret (answers_fuzz_echo_test.go): then no text of the read shows
// 8 characters of it.
//
// The input is a plan (fzPlan): which read, which authentication, when the
// read's context ends, and the answers, chosen per request from the request
// itself (path, pageNum, how often it was asked) so that a read of many
// pages sees different pages. Access-token and service-account reads go
// straight to the fuzzed answers. An API-key read gets its digest challenge
// from the real mock, which also checks the signed request before the fuzzed
// answer is sent; an answer may instead take the challenge's place, which
// is how odd challenges (Basic, an unknown algorithm) are fuzzed.
func FuzzAtlasAnswers(f *testing.F) {
	for _, p := range fzSeeds() {
		f.Add(p.encode())
	}
	h := fzStart(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		h.run(t, fzDecode(data))
	})
}

const (
	// fzBound is each read's context: long enough for a read of many pages
	// on a slow machine, short enough that a stuck read is found quickly.
	fzBound = 3 * time.Second

	fzInvitationID = "6634f290a54dca182530bb1d"
	fzInvitesPath  = "/api/atlas/v2/orgs/" + testOrgID + "/invites"
	fzInvitePath   = fzInvitesPath + "/" + fzInvitationID
	fzUsersPath    = "/api/atlas/v2/orgs/" + testOrgID + "/users"
	fzOrgsPath     = "/api/atlas/v2/orgs"
	fzOrgPath      = fzOrgsPath + "/" + testOrgID

	fzProjectID          = "6634f290a54dca182530bb1e"
	fzOrgProjectsPath    = fzOrgPath + "/groups"
	fzTeamsPath          = fzOrgPath + "/teams"
	fzProjectsPath       = "/api/atlas/v2/groups"
	fzProjectInvitesPath = fzProjectsPath + "/" + fzProjectID + "/invites"
)

// fzHarness is one fuzz process's servers, reused by every execution: the
// current execution's plan is swapped in under mu, and a request is matched
// to it by its User-Agent, unique per execution, so that anything left over
// from an earlier one is turned away.
type fzHarness struct {
	srv, other *httptest.Server
	mock       *mockatlas.Server
	seq        atomic.Int64
	strays     atomic.Int64 // requests that reached the other origin

	mu  sync.Mutex
	cur *fzExec
}

func fzStart(f *testing.F) *fzHarness {
	h := &fzHarness{mock: mockatlas.New()}
	h.mock.AddAPIKey(testPublicKey, fzKnown[0].value)
	h.mock.AddOrg(testOrgID)
	h.srv = httptest.NewServer(http.HandlerFunc(h.serve))
	h.other = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h.strays.Add(1)
		w.WriteHeader(http.StatusTeapot)
	}))
	f.Cleanup(h.other.Close)
	f.Cleanup(h.srv.Close)
	return h
}

func (h *fzHarness) serve(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	x := h.cur
	h.mu.Unlock()
	if x == nil || r.Header.Get("User-Agent") != x.id {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	x.serve(w, r, h.mock)
}

// fzExec is one execution's state on the server side.
type fzExec struct {
	id          string
	plan        *fzPlan
	base, other string
	cancel      context.CancelFunc

	mu         sync.Mutex
	hits       map[string]int
	tokenHits  int
	requests   int // every request of this execution, token and challenges included
	armed      bool
	violations []string
	issuedSeen bool // a request carried the issued token
	placed     int  // the secrets (bits, by index in fzKnown) that answers echoed
}

func (x *fzExec) violate(s string) {
	x.mu.Lock()
	x.violations = append(x.violations, s)
	x.mu.Unlock()
}

func (x *fzExec) serve(w http.ResponseWriter, r *http.Request, mock *mockatlas.Server) {
	p := x.plan
	x.mu.Lock()
	x.requests++
	x.issuedSeen = x.issuedSeen || r.Header.Get("Authorization") == "Bearer "+fzIssued
	x.mu.Unlock()
	if r.Method == http.MethodPost && r.URL.Path == tokenPath {
		x.mu.Lock()
		a := &p.token[x.tokenHits%len(p.token)]
		x.tokenHits++
		x.mu.Unlock()
		x.write(w, r, a, 1, true)
		return
	}
	page := 1
	if n, err := strconv.Atoi(r.URL.Query().Get("pageNum")); err == nil {
		page = n
	}
	key := r.URL.Path + "#" + strconv.Itoa(page)
	salt := 0
	if r.URL.Path != p.readPath() {
		salt = 1
	}
	x.mu.Lock()
	i := ((page-1+x.hits[key]+salt)%len(p.api) + len(p.api)) % len(p.api)
	a := &p.api[i]
	if p.authMode() == atlas.AuthAPIKey {
		auth := r.Header.Get("Authorization")
		if auth == "" && a.flags&fzFlagUnsigned == 0 {
			x.mu.Unlock()
			mock.ServeHTTP(w, r) // Atlas's challenge, with a nonce the mock keeps
			return
		}
		if auth != "" && !strings.Contains(auth, `nonce="fz-nonce"`) {
			// Signed against the mock's challenge: the mock must accept it.
			x.mu.Unlock()
			rec := httptest.NewRecorder()
			mock.ServeHTTP(rec, r)
			if rec.Code == http.StatusUnauthorized && !strings.Contains(rec.Body.String(), mockatlas.RoleMissingCode) {
				x.violate("the mock refused a signed request: " + rec.Body.String())
			}
			x.mu.Lock()
		}
	}
	x.hits[key]++
	x.mu.Unlock()
	x.write(w, r, a, page, false)
}

// naturalType is the content type Atlas sends for the request.
func naturalType(r *http.Request, token bool) string {
	switch {
	case token:
		return "application/json"
	case strings.HasSuffix(r.URL.Path, "/users"):
		return "application/vnd.atlas.2025-02-19+json;charset=utf-8"
	}
	return "application/vnd.atlas.2023-01-01+json;charset=utf-8"
}

func (x *fzExec) write(w http.ResponseWriter, r *http.Request, a *fzAnswer, page int, token bool) {
	status := fzStatuses[int(a.status)%len(fzStatuses)]
	echo := x.echo(a, token)
	var body []byte
	var echoType string
	switch {
	case token && echo.where != fzEchoNone:
		body, echoType = oauthEchoBody(echo)
	case token:
		body = tokenBody(a)
	case echo.where == fzEchoBody:
		body = placeInBody(x.apiBody(a, r, status, page, echo), echo.secret, a.echoAt, a.echo&fzEchoTwice != 0)
	default:
		body = x.apiBody(a, r, status, page, echo)
	}
	h := w.Header()
	switch ct := int(a.contentType) % 8; ct {
	case fzCTNatural:
		h.Set("Content-Type", naturalType(r, token))
	case fzCTEmpty:
		h["Content-Type"] = []string{""}
	case fzCTAbsent:
		h["Content-Type"] = nil
	default:
		h.Set("Content-Type", fzContentTypes[ct])
	}
	if ra := fzRetryAfters[int(a.retryAfter)%len(fzRetryAfters)]; ra.value != "" {
		v := ra.value
		if v == "future" {
			v = time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
		}
		h.Set("Retry-After", v)
		if ra.big && (status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable) {
			// The client may now wait up to a minute: end the read
			// shortly, which must end the wait. Waiting out the
			// deadline instead would make this input 3 s long.
			x.mu.Lock()
			if !x.armed {
				x.armed = true
				time.AfterFunc(5*time.Millisecond, x.cancel)
			}
			x.mu.Unlock()
		}
	}
	switch int(a.location) % 4 {
	case fzLocSame:
		h.Set("Location", x.base+r.URL.RequestURI())
	case fzLocPath:
		h.Set("Location", "/api/atlas/v2/moved?pageNum="+strconv.Itoa(page))
	case fzLocOther:
		h.Set("Location", x.other+"/elsewhere")
	}
	if a.flags&fzFlagDeprecation != 0 {
		h.Set("Deprecation", "Mon, 01 Dec 2025 00:00:00 GMT")
	}
	if a.flags&fzFlagSunset != 0 {
		h.Set("Sunset", "Tue, 01 Dec 2026 00:00:00 GMT")
	}
	if c := fzChallenges[int(a.flags>>2)%4]; c != "" {
		h.Set("WWW-Authenticate", c)
	}
	if echoType != "" {
		h.Set("Content-Type", echoType)
	} else if !token {
		x.echoHeaders(h, echo)
	}
	switch a.encoding & 15 {
	case fzEncGzip:
		var z bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&z, gzip.BestSpeed)
		_, _ = zw.Write(body)
		_ = zw.Close()
		body = z.Bytes()
		h.Set("Content-Encoding", "gzip")
	case fzEncFakeGzip:
		h.Set("Content-Encoding", "gzip")
	case fzEncDeflate:
		h.Set("Content-Encoding", "deflate")
	}
	switch a.encoding & (15 << 4) {
	case fzLenLong:
		h.Set("Content-Length", strconv.Itoa(len(body)+7))
	case fzLenShort:
		if len(body) > 0 {
			h.Set("Content-Length", strconv.Itoa(len(body)-1))
		}
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// run is one execution: the read, bounded, and the properties.
func (h *fzHarness) run(t *testing.T, p *fzPlan) {
	id := "fz/" + strconv.FormatInt(h.seq.Add(1), 10)
	cfg := fzConfig(h.srv.URL, p.authMode())
	cfg.UserAgent = id
	cfg.MaxRetries = 1
	cfg.RetryWaitMin, cfg.RetryWaitMax = time.Millisecond, time.Millisecond
	cfg.RequestTimeout = 2 * time.Second
	c, err := atlas.NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}

	deadline, cancelAfter := p.context()
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	var endedAt atomic.Int64
	defer context.AfterFunc(ctx, func() { endedAt.Store(time.Now().UnixNano()) })()
	if cancelAfter >= 0 {
		defer time.AfterFunc(cancelAfter, cancel).Stop()
	}

	x := &fzExec{id: id, plan: p, base: h.srv.URL, other: h.other.URL, cancel: cancel, hits: map[string]int{}}
	h.mu.Lock()
	h.cur = x
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		h.cur = nil
		h.mu.Unlock()
		// Each client has its own pool: close its connections here, or
		// 100,000 executions leave as many idle ones open.
		h.srv.CloseClientConnections()
		h.mock.Reset()
	}()

	done := make(chan fzResult, 1)
	go func() { done <- fzRead(ctx, c, p) }()
	var res fzResult
	ctxDeadline, _ := ctx.Deadline()
	select {
	case res = <-done:
	case <-time.After(time.Until(ctxDeadline) + time.Second):
		t.Fatalf("the read did not return within 1 s of its context's deadline (%s)", deadline)
	}
	if at := endedAt.Load(); at != 0 {
		if late := time.Since(time.Unix(0, at)); late > time.Second {
			t.Fatalf("the read returned %s after its context ended", late)
		}
	}

	x.checkSecrets(t, c, res.err)
	if res.err == nil {
		seen := map[string]bool{}
		fzDistinct(t, "user", res.users, func(u atlas.User) string { return u.Id }, seen)
		fzDistinct(t, "organization", res.orgs, func(o atlas.Organization) string { return o.GetId() }, seen)
		fzDistinct(t, "project", res.projects, func(p atlas.Project) string { return p.GetId() }, seen)
		fzDistinct(t, "team", res.teams, func(team atlas.Team) string { return team.GetId() }, seen)
		switch p.readKind() {
		case fzReadOrg:
			x.readAgain(t, "the organization's name", res.name, func(ctx context.Context) (string, error) {
				return c.OrganizationName(ctx, testOrgID)
			})
		case fzReadVisibleProjects:
			x.readAgain(t, "the visible projects", strconv.Itoa(len(res.projects)), func(ctx context.Context) (string, error) {
				projects, err := c.VisibleProjects(ctx)
				return strconv.Itoa(len(projects)), err
			})
		}
	}
	x.mu.Lock()
	v := x.violations
	x.mu.Unlock()
	if len(v) > 0 {
		t.Fatalf("server side: %s", strings.Join(v, "; "))
	}
	if n := h.strays.Load(); n > 0 {
		t.Fatalf("%d requests reached another origin than the configured base URL's", n)
	}
}
