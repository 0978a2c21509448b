package mockatlas

// Spec conformance: every answer the mock gives on the two invitation
// endpoints is checked against the OpenAPI document shipped inside the Atlas
// SDK module, with kin-openapi, over real HTTP.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/mongodb-forks/digest"
)

const (
	specListPath = "/api/atlas/v2/orgs/{orgId}/invites"
	specGetPath  = "/api/atlas/v2/orgs/{orgId}/invites/{invitationId}"
	opList       = "listOrganizationInvitations"
	opGet        = "getOrganizationInvitation"
)

// undocumentedStatuses are the statuses the mock answers on the invitation
// endpoints although the SDK's OpenAPI document does not list them for
// listOrganizationInvitations / getOrganizationInvitation (which document
// 200, 400, 401, 404 and 500, and no default). Atlas sends them anyway: 406
// for an unsupported Accept version, 403 for an address not on the API access
// list (a key without the role gets the documented 401), 410 for
// a sunset version, 429 when rate limited, 502/503/504 from its gateways.
// The test checks that this list matches the document, and validates such
// answers against the document's error response for the status (e.g.
// components/responses/forbidden) or, where it has none, the operation's
// documented 500 response: every error of this API is application/json with
// schema ApiError.
var undocumentedStatuses = map[int]bool{403: true, 406: true, 409: true, 410: true, 429: true, 502: true, 503: true, 504: true}

// componentResponseFor names the shared error responses of the document by
// status, for the undocumented statuses that have one.
var componentResponseFor = map[int]string{403: "forbidden", 409: "conflict", 410: "gone"}

type conformanceCase struct {
	name  string
	op    string // operationId the request must route to
	path  string // request URI on the test server
	auth  string
	hdr   map[string]string // extra request headers; Accept defaults to MediaType
	setup func(s *Server)
	undo  func(s *Server) // after the case: the server is shared
	// want are the statuses of the exchanges, in order (a digest client
	// makes two: the challenge, then the answer).
	want []int
	// badParam names the parameter the request deliberately breaks (the
	// spec rejects the request too); requests without credentials are
	// expected to fail the spec's security requirements.
	badParam string
	// wantInvalid, when set, makes the case a negative control: the answer
	// must NOT validate, with an error containing this text.
	wantInvalid string
}

const (
	unknownOrgID = "0123456789abcdef01234567"
	emptyOrgID   = "aaaaaaaaaaaaaaaaaaaaaaaa"
	fullInvite   = "6620e2486d132cded6237b2e" // alice: every field
	minimalID    = "66388e00d91e3f721fcb1971" // carol: id, orgId, orgName, username
	missingID    = "ffffffffffffffffffffffff"
)

func conformanceCases() []conformanceCase {
	list := "/api/atlas/v2/orgs/" + DemoOrgID + "/invites"
	get := func(id string) string { return list + "/" + id }
	generated := GeneratedOrgID(0)
	fault := func(f Fault) func(*Server) { return func(s *Server) { s.Script(f) } }

	cases := []conformanceCase{
		// Success.
		{name: "list all (full and minimal invitations)", op: opList, path: list, auth: viaDigest, want: []int{401, 200}},
		{name: "list pretty", op: opList, path: list + "?pretty=true", auth: viaBearer, want: []int{200}},
		{name: "list filtered by username", op: opList, path: list + "?username=" + url.QueryEscape("bob+atlas@example.com"), auth: viaDigest, want: []int{401, 200}},
		{name: "list filter matches nothing", op: opList, path: list + "?username=" + url.QueryEscape("nobody@example.com"), auth: viaBearer, want: []int{200}},
		{name: "list empty organization", op: opList, path: "/api/atlas/v2/orgs/" + emptyOrgID + "/invites", auth: viaBearer,
			setup: func(s *Server) { s.AddOrg(emptyOrgID) }, want: []int{200}},
		{name: "list generated organization", op: opList, path: "/api/atlas/v2/orgs/" + generated + "/invites", auth: viaDigest,
			setup: func(s *Server) { s.AddOrg(generated, GenerateInvitations(generated, 60)...) }, want: []int{401, 200}},
		{name: "list dates relative to now", op: opList, path: "/api/atlas/v2/orgs/" + GeneratedOrgID(43) + "/invites", auth: viaBearer,
			setup: func(s *Server) {
				s.AddOrg(GeneratedOrgID(43), GenerateInvitationsAt(GeneratedOrgID(43), 30, time.Now())...)
			}, want: []int{200}},
		{name: "get all fields", op: opGet, path: get(fullInvite), auth: viaDigest, want: []int{401, 200}},
		{name: "get minimal fields", op: opGet, path: get(minimalID), auth: viaBearer, want: []int{200}},
		{name: "list after a delay", op: opList, path: list, auth: viaBearer, setup: fault(Fault{Delay: 5 * time.Millisecond}), want: []int{200}},
		{name: "list with Retry-After only", op: opList, path: list, auth: viaBearer, setup: fault(Fault{RetryAfter: "1"}), want: []int{200}},

		// Authentication.
		{name: "list 401 no credentials", op: opList, path: list, auth: viaNone, want: []int{401}},
		{name: "get 401 no credentials", op: opGet, path: get(fullInvite), auth: viaNone, want: []int{401}},
		{name: "list 401 wrong private key", op: opList, path: list, auth: viaBadDigest, want: []int{401, 401}},
		{name: "get 401 unknown bearer token", op: opGet, path: get(fullInvite), auth: viaBadBearer, want: []int{401}},
		// Valid credentials refused: the role (401 USER_UNAUTHORIZED, as
		// the document lists 401 for both operations) and the access list
		// (403, validated against components/responses/forbidden).
		{name: "list 401 key without Organization Owner", op: opList, path: list, auth: viaDigest, want: []int{401, 401},
			setup: func(s *Server) { s.SetOrgOwner(DemoPublicKey, false) }, undo: func(s *Server) { s.SetOrgOwner(DemoPublicKey, true) }},
		{name: "get 401 token without Organization Owner", op: opGet, path: get(fullInvite), auth: viaBearer, want: []int{401},
			setup: func(s *Server) { s.SetOrgOwner("token", false) }, undo: func(s *Server) { s.SetOrgOwner("token", true) }},
		{name: "list 401 key of another organization", op: opList, path: list, auth: viaDigest, want: []int{401, 401},
			setup: func(s *Server) { s.RestrictToOrg(DemoPublicKey, generated) }, undo: func(s *Server) { s.RestrictToOrg(DemoPublicKey, "") }},
		{name: "list 403 address not on the access list", op: opList, path: list, auth: viaBearer, want: []int{403},
			setup: func(s *Server) { s.SetAccessList("token", "192.0.2.0/24") }, undo: func(s *Server) { s.SetAccessList("token") }},
		{name: "get 403 address not on the access list", op: opGet, path: get(fullInvite), auth: viaDigest, want: []int{401, 403},
			setup: func(s *Server) { s.SetAccessList(DemoPublicKey, "192.0.2.0/24") }, undo: func(s *Server) { s.SetAccessList(DemoPublicKey) }},

		// Not found, bad ids.
		{name: "list 404 unknown org", op: opList, path: "/api/atlas/v2/orgs/" + unknownOrgID + "/invites", auth: viaDigest, want: []int{401, 404}},
		{name: "get 404 unknown org", op: opGet, path: "/api/atlas/v2/orgs/" + unknownOrgID + "/invites/" + fullInvite, auth: viaBearer, want: []int{404}},
		{name: "get 404 unknown invitation", op: opGet, path: get(missingID), auth: viaDigest, want: []int{401, 404}},
		{name: "list 400 invalid org id", op: opList, path: "/api/atlas/v2/orgs/abc/invites", auth: viaBearer, want: []int{400}, badParam: "orgId"},
		{name: "list 400 upper-case org id", op: opList, path: "/api/atlas/v2/orgs/" + strings.ToUpper(DemoOrgID) + "/invites", auth: viaBearer, want: []int{400}, badParam: "orgId"},
		{name: "get 400 invalid org id", op: opGet, path: "/api/atlas/v2/orgs/abc/invites/" + fullInvite, auth: viaBearer, want: []int{400}, badParam: "orgId"},
		{name: "get 400 invalid invitation id", op: opGet, path: get("not-an-id"), auth: viaBearer, want: []int{400}, badParam: "invitationId"},

		// A retired version, as Atlas answers it past the Sunset date.
		{name: "list 410 retired", op: opList, path: list, auth: viaDigest, want: []int{401, 410},
			setup: func(s *Server) { s.RetireInvitations(true) }, undo: func(s *Server) { s.RetireInvitations(false) }},
		{name: "get 410 retired", op: opGet, path: get(fullInvite), auth: viaBearer, want: []int{410},
			setup: func(s *Server) { s.RetireInvitations(true) }, undo: func(s *Server) { s.RetireInvitations(false) }},

		// Media type.
		{name: "list 406 plain JSON Accept", op: opList, path: list, auth: viaBearer, hdr: map[string]string{"Accept": "application/json"}, want: []int{406}},
		{name: "get 406 other API version", op: opGet, path: get(fullInvite), auth: viaDigest, hdr: map[string]string{"Accept": "application/vnd.atlas.2024-11-13+json"}, want: []int{401, 406}},

		// Negative controls: answers the mock can be told to give that are
		// not Atlas answers. The validator must reject them, or it checks
		// nothing.
		{name: "control: malformed JSON", op: opList, path: list, auth: viaBearer, setup: fault(Fault{Body: `[{"id": 12`}), want: []int{200},
			wantInvalid: "failed to decode response body"},
		{name: "control: createdAt as a number", op: opGet, path: get(fullInvite), auth: viaBearer,
			setup: fault(Fault{Body: `{"id":"` + fullInvite + `","createdAt":1714745000}`}), want: []int{200}, wantInvalid: "doesn't match schema"},
		{name: "control: createdAt not RFC 3339", op: opList, path: list, auth: viaBearer,
			setup: fault(Fault{Body: `[{"id":"` + fullInvite + `","createdAt":"03/05/2024 14:20"}]`}), want: []int{200}, wantInvalid: "doesn't match schema"},
		{name: "control: object instead of array", op: opList, path: list, auth: viaBearer,
			setup: fault(Fault{Body: `{"results":[]}`}), want: []int{200}, wantInvalid: "doesn't match schema"},
		{name: "control: HTML error page", op: opList, path: list, auth: viaBearer,
			setup: fault(Fault{Status: 500, Body: "<html>oops</html>", ContentType: "text/html"}), want: []int{500}, wantInvalid: "text/html"},
		{name: "control: undocumented success status", op: opGet, path: get(fullInvite), auth: viaBearer,
			setup: fault(Fault{Status: 201, Body: "{}"}), want: []int{201}, wantInvalid: "status is not supported"},
		{name: "control: error without errorCode", op: opList, path: list, auth: viaBearer,
			setup: fault(Fault{Status: 404, Body: `{"error":404}`, ContentType: ErrorMediaType}), want: []int{404}, wantInvalid: "errorCode"},
	}
	// Scripted faults: every status the fault table knows, on both
	// operations, as the real digest client sees them.
	for _, status := range []int{400, 401, 403, 404, 406, 409, 410, 429, 500, 502, 503, 504} {
		f := Fault{Status: status}
		if status == 429 || status == 503 {
			f.RetryAfter = "1"
		}
		cases = append(cases,
			conformanceCase{name: fmt.Sprintf("list fault %d", status), op: opList, path: list, auth: viaDigest, setup: fault(f), want: []int{401, status}},
			conformanceCase{name: fmt.Sprintf("get fault %d", status), op: opGet, path: get(fullInvite), auth: viaBearer, setup: fault(f), want: []int{status}},
		)
	}
	return cases
}

// TestMockConformsToOpenAPI validates every answer of the mock on the two
// invitation endpoints against the operation's documented responses: status
// documented, media type, body schema.
func TestMockConformsToOpenAPI(t *testing.T) {
	doc := loadAtlasSpec(t)
	s, ts, _ := start(t)
	router := specRouter(t, doc, ts.URL)

	for _, tc := range conformanceCases() {
		t.Run(tc.name, func(t *testing.T) { checkConformance(t, s, ts.URL, doc, router, tc, undocumentedStatuses) })
	}
}

// checkConformance runs one case and validates every exchange against the
// document: the statuses, the request, and each answer (or, for a negative
// control, that its last answer does not validate).
func checkConformance(t *testing.T, s *Server, baseURL string, doc *openapi3.T, router routers.Router,
	tc conformanceCase, undocumented map[int]bool) {
	t.Helper()
	if tc.setup != nil {
		tc.setup(s)
	}
	if tc.undo != nil {
		t.Cleanup(func() { tc.undo(s) })
	}
	got := runCase(t, baseURL, tc)
	if api, _ := s.PendingFaults(); api != 0 {
		t.Fatalf("%d scripted faults left unconsumed", api)
	}
	var statuses []int
	for _, ex := range got {
		statuses = append(statuses, ex.status)
	}
	if !equalInts(statuses, tc.want) {
		// Not fatal: what the spec says of the answers matters more.
		t.Errorf("statuses = %v, want %v", statuses, tc.want)
	}
	for i, ex := range got {
		checkRequest(t, router, tc, ex)
		err := validateAnswer(t, doc, router, ex, undocumented)
		last := i == len(got)-1
		switch {
		case tc.wantInvalid != "" && last:
			if err == nil {
				t.Errorf("negative control validated: %d %s %s", ex.status, ex.header.Get("Content-Type"), ex.body)
			} else if !strings.Contains(err.Error(), tc.wantInvalid) {
				t.Errorf("negative control failed for another reason than %q: %v", tc.wantInvalid, err)
			}
		case err != nil:
			t.Errorf("answer %d of %d (%s %s) does not conform: %v\nContent-Type: %s\nbody: %s",
				i+1, len(got), ex.req.Method, ex.req.URL.RequestURI(), err, ex.header.Get("Content-Type"), ex.body)
		}
	}
}

// runCase sends the case's request through a real client and returns every
// exchange it made.
func runCase(t *testing.T, baseURL string, tc conformanceCase) []exchange {
	t.Helper()
	pool := &http.Transport{}
	defer pool.CloseIdleConnections()
	rec := &recordingTransport{base: pool}
	var rt http.RoundTripper = rec
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, baseURL+tc.path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", MediaType)
	switch tc.auth {
	case viaDigest:
		rt = digest.NewTransportWithHTTPRoundTripper(DemoPublicKey, DemoPrivateKey, rec)
	case viaBadDigest:
		rt = digest.NewTransportWithHTTPRoundTripper(DemoPublicKey, "not-the-private-key", rec)
	case viaBearer:
		req.Header.Set("Authorization", "Bearer "+testToken)
	case viaBadBearer:
		req.Header.Set("Authorization", "Bearer never-issued")
	case viaNone:
	default:
		t.Fatalf("unknown auth %q", tc.auth)
	}
	for k, v := range tc.hdr {
		req.Header.Set(k, v)
	}
	resp, err := (&http.Client{Transport: rt}).Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", tc.path, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return rec.got
}

// checkRequest routes the request to its operation and validates it: valid,
// except for a deliberately bad parameter or missing credentials.
func checkRequest(t *testing.T, router routers.Router, tc conformanceCase, ex exchange) {
	t.Helper()
	route, params, err := router.FindRoute(ex.req)
	if err != nil {
		t.Fatalf("%s: no route in the OpenAPI document: %v", ex.req.URL.RequestURI(), err)
	}
	if route.Operation.OperationID != tc.op {
		t.Fatalf("%s routed to %s, want %s", ex.req.URL.RequestURI(), route.Operation.OperationID, tc.op)
	}
	err = openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{
		Request: ex.req, PathParams: params, Route: route, Options: specOptions(),
	})
	var secErr *openapi3filter.SecurityRequirementsError
	var reqErr *openapi3filter.RequestError
	switch {
	case ex.req.Header.Get("Authorization") == "":
		if !errors.As(err, &secErr) {
			t.Errorf("request without credentials: want a security requirements error, got %v", err)
		}
	case tc.badParam != "":
		if !errors.As(err, &reqErr) || reqErr.Parameter == nil || reqErr.Parameter.Name != tc.badParam {
			t.Errorf("request with a bad %s: want a parameter error on it, got %v", tc.badParam, err)
		}
	case err != nil:
		t.Errorf("request %s does not conform: %v", ex.req.URL.RequestURI(), err)
	}
}

// validateAnswer validates one answer against its operation. An answer with
// a status the operation does not document must be in undocumentedStatuses
// (the operation's list) and is validated against the document's error
// response for it.
func validateAnswer(t *testing.T, doc *openapi3.T, router routers.Router, ex exchange, undocumentedStatuses map[int]bool) error {
	t.Helper()
	route, params, err := router.FindRoute(ex.req)
	if err != nil {
		return err
	}
	op := route.Operation
	documented := op.Responses.Status(ex.status) != nil || op.Responses.Default() != nil
	switch {
	case documented && undocumentedStatuses[ex.status]:
		t.Errorf("%s now documents %d: remove it from undocumentedStatuses", op.OperationID, ex.status)
	case !documented && undocumentedStatuses[ex.status]:
		fallback := op.Responses.Status(http.StatusInternalServerError)
		if name, ok := componentResponseFor[ex.status]; ok {
			fallback = doc.Components.Responses[name]
		}
		if fallback == nil {
			t.Fatalf("%s: no error response to validate %d against", op.OperationID, ex.status)
		}
		widened := *op
		widened.Responses = openapi3.NewResponses(openapi3.WithStatus(ex.status, fallback))
		r := *route
		r.Operation = &widened
		route = &r
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: ex.req, PathParams: params, Route: route},
		Status:                 ex.status,
		Header:                 ex.header,
		Options:                specOptions(),
	}
	in.SetBodyBytes(ex.body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return err
	}
	// What the schema cannot say: ApiError.error is the HTTP status.
	if ex.status >= 400 {
		var e APIError
		if err := json.Unmarshal(ex.body, &e); err != nil || e.Error != ex.status {
			return fmt.Errorf("error body's \"error\" is %d, HTTP status %d (%v)", e.Error, ex.status, err)
		}
	}
	return nil
}

// The document's own view of what this test relies on, so that a newer SDK
// that changes it is noticed here rather than as odd failures above.
func TestAtlasSpecFacts(t *testing.T) {
	doc := loadAtlasSpec(t)
	for _, path := range []string{specListPath, specGetPath} {
		op := doc.Paths.Value(path).Get
		ok := op.Responses.Status(200).Value.Content.Get(MediaType)
		if ok == nil {
			t.Errorf("%s: 200 is not %s", op.OperationID, MediaType)
		}
		var codes []string
		for code, ref := range op.Responses.Map() {
			codes = append(codes, code)
			if code == "200" {
				continue
			}
			if len(ref.Value.Content) != 1 || ref.Value.Content.Get(ErrorMediaType) == nil {
				t.Errorf("%s %s: error content is %v, want only %s", op.OperationID, code, keys(ref.Value.Content), ErrorMediaType)
			}
		}
		sort.Strings(codes)
		t.Logf("%s documents %v (file %s)", op.OperationID, codes, filepath.Base(atlasSpec.file))
		// 401 is documented as the shared "unauthorized" response: an
		// ApiError, no WWW-Authenticate header declared.
		if r := op.Responses.Status(401); r == nil || r.Ref != "#/components/responses/unauthorized" || len(r.Value.Headers) != 0 {
			t.Errorf("%s: 401 is not the plain shared unauthorized response: %+v", op.OperationID, r)
		}
	}
	if ss := doc.Components.SecuritySchemes["DigestAuth"]; ss == nil || ss.Value.Type != "http" || ss.Value.Scheme != "digest" {
		t.Errorf("DigestAuth scheme = %+v", ss)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
