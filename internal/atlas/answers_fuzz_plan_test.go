package atlas_test

// FuzzAtlasAnswers's input: the plan (fzPlan) decoded from and encoded to bytes, the tables its bytes index, and the seeds.

import (
	"bytes"
	"math"
	"strconv"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
)

// The reads, in the order of fzPlan.read.
const (
	fzReadInvites = iota
	fzReadInvitesByUsername
	fzReadInvite
	fzReadUsers
	fzReadUsersFiltered
	fzReadOrg // OrganizationName, then again from the client's cache
	fzReadOrgs
	fzReadOrgsByName
	fzReadOrgProjects
	fzReadOrgProjectsByName
	fzReadTeams
	fzReadProjectInvites
	fzReadProjectInvitesByUsername
	fzReadVisibleProjects // VisibleProjects, then again from the client's cache
	fzReads
)

// fzModes orders the auth modes of fzPlan.mode: the cheapest first, so that
// most inputs (whose bytes are often zero) take it.
var fzModes = [...]atlas.AuthMode{atlas.AuthAccessToken, atlas.AuthServiceAccount, atlas.AuthAPIKey}

// fzPlan is one execution. Every field is a byte of the input, read modulo
// the size of its table, so that any input is a valid plan.
type fzPlan struct {
	read, mode byte
	// stop: below 200 the read has the full bound; 200-227 a deadline of
	// 1-28 ms; 228-255 a cancel after 0-27 ms.
	stop byte
	// lastPage: pages after 1+lastPage%16 hold no users (255: no such
	// page), so that a read of many full pages stays the exception.
	lastPage byte
	token    []fzAnswer // POST /api/oauth/token, in turn (1 to 3)
	api      []fzAnswer // every other request (1 to 8)
}

// fzAnswer is one answer. flags: bit 0 Deprecation, bit 1 Sunset, bits 2-3
// WWW-Authenticate (fzChallenges), bit 4 answers an API-key request's
// unsigned first half in place of the mock's challenge. encoding: bits 0-3
// Content-Encoding (fzEnc*), bits 4-7 a Content-Length that lies. p1
// and p2 shape the body (see the body builders).
type fzAnswer struct {
	status, contentType, retryAfter, location byte
	flags, encoding                           byte
	body, p1, p2                              byte
	chunk                                     []byte // free text for some bodies, up to 255 bytes
	// echo: a secret the answer gives back, and where (fzEcho*); echoAt
	// picks the byte of a body it starts at. Both are read after every
	// answer's other fields, so that inputs written before they existed
	// keep their meaning.
	echo, echoAt byte
}

type fzReader struct{ b []byte }

func (r *fzReader) next() byte {
	if len(r.b) == 0 {
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *fzReader) answer() fzAnswer {
	a := fzAnswer{status: r.next(), contentType: r.next(), retryAfter: r.next(), location: r.next(),
		flags: r.next(), encoding: r.next(), body: r.next(), p1: r.next(), p2: r.next()}
	n := min(int(r.next()), len(r.b))
	a.chunk = bytes.Clone(r.b[:n])
	r.b = r.b[n:]
	// The server never sends a secret of the client's (it only holds the
	// issued token, in token answers): then any secret in an error came from
	// the client.
	for _, s := range fzSecrets {
		a.chunk = bytes.ReplaceAll(a.chunk, []byte(s), []byte("x"))
	}
	return a
}

func fzDecode(data []byte) *fzPlan {
	r := &fzReader{data}
	p := &fzPlan{read: r.next(), mode: r.next(), stop: r.next(), lastPage: r.next()}
	nt, na := 1+int(r.next())%3, 1+int(r.next())%8
	for range nt {
		p.token = append(p.token, r.answer())
	}
	for range na {
		p.api = append(p.api, r.answer())
	}
	for i := range p.token {
		p.token[i].echo, p.token[i].echoAt = r.next(), r.next()
	}
	for i := range p.api {
		p.api[i].echo, p.api[i].echoAt = r.next(), r.next()
	}
	return p
}

// encode is fzDecode's inverse, for the seeds.
func (p *fzPlan) encode() []byte {
	b := []byte{p.read, p.mode, p.stop, p.lastPage, byte(len(p.token) - 1), byte(len(p.api) - 1)}
	all := append(append([]fzAnswer{}, p.token...), p.api...)
	for _, a := range all {
		b = append(b, a.status, a.contentType, a.retryAfter, a.location, a.flags, a.encoding, a.body, a.p1, a.p2, byte(len(a.chunk)))
		b = append(b, a.chunk...)
	}
	for _, a := range all {
		b = append(b, a.echo, a.echoAt)
	}
	return b
}

func (p *fzPlan) authMode() atlas.AuthMode { return fzModes[int(p.mode)%len(fzModes)] }

func (p *fzPlan) readKind() int { return int(p.read) % fzReads }

// readPath is the path the read asks for; other paths are redirects'.
func (p *fzPlan) readPath() string {
	switch p.readKind() {
	case fzReadInvites, fzReadInvitesByUsername:
		return fzInvitesPath
	case fzReadInvite:
		return fzInvitePath
	case fzReadOrg:
		return fzOrgPath
	case fzReadOrgs, fzReadOrgsByName:
		return fzOrgsPath
	case fzReadOrgProjects, fzReadOrgProjectsByName:
		return fzOrgProjectsPath
	case fzReadTeams:
		return fzTeamsPath
	case fzReadProjectInvites, fzReadProjectInvitesByUsername:
		return fzProjectInvitesPath
	case fzReadVisibleProjects:
		return fzProjectsPath
	}
	return fzUsersPath
}

// context is the read's deadline and, when >= 0, when it is canceled.
func (p *fzPlan) context() (deadline, cancelAfter time.Duration) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	switch s := int(p.stop); {
	case s < 200:
		return fzBound, -1
	case s < 228:
		return ms(s - 199), -1
	default:
		return fzBound, ms(s - 228)
	}
}

func (p *fzPlan) lastFullPage() int {
	if p.lastPage == 255 {
		return math.MaxInt
	}
	return 1 + int(p.lastPage)%16
}

// fzStatuses weights 200 and includes the statuses the client treats apart:
// redirects, 204/304 without a body, the retried ones, 501, odd ones.
var fzStatuses = [...]int{200, 200, 200, 200, 200, 201, 204, 206, 299, 301, 302, 303, 304, 307, 308, 399,
	400, 401, 403, 404, 405, 406, 409, 410, 429, 429, 500, 501, 502, 503, 504, 599}

func fzStatus(code int) byte {
	for i, s := range fzStatuses {
		if s == code {
			return byte(i)
		}
	}
	panic("fzStatus: " + strconv.Itoa(code))
}

// Content types; fzCTNatural is what Atlas sends on that endpoint.
const (
	fzCTNatural = iota
	fzCTJSON
	fzCTAtlasCharset
	fzCTPlain
	fzCTHTML
	fzCTEmpty
	fzCTAbsent // no header at all (and no sniffing)
	fzCTForm
)

var fzContentTypes = [...]string{fzCTJSON: "application/json", fzCTAtlasCharset: "application/vnd.atlas.2023-01-01+json;charset=utf-8",
	fzCTPlain: "text/plain; charset=utf-8", fzCTHTML: "text/html; charset=utf-8", fzCTForm: "application/x-www-form-urlencoded"}

// fzRetryAfters: the ones marked big make the client wait a second or more
// (up to its 60 s cap) on 429 and 503; the others parse as no wait or not
// at all.
var fzRetryAfters = [...]struct {
	value string
	big   bool
}{{}, {}, {}, {}, {"0", false}, {"0", false}, {"-1", false}, {"soon", false}, {"1.5", false},
	{"Mon, 01 Jan 2001 00:00:00 GMT", false}, {"-99999999999999999999", false}, {"0x10", false},
	{"1", true}, {"+1", true}, {"99999999999999999999", true}, {"future", true}}

const (
	fzRetryZero      = 4
	fzRetryOneSecond = 12
)

// Locations: none, the same URL (a loop), another path of the origin, and
// another origin (a second server that must never be asked anything).
const (
	fzLocNone = iota
	fzLocSame
	fzLocPath
	fzLocOther
)

const (
	fzFlagDeprecation = 1 << 0
	fzFlagSunset      = 1 << 1
	fzFlagUnsigned    = 1 << 4
)

// fzChallenges are WWW-Authenticate values (flags bits 2-3): none, a proxy's
// Basic, a digest challenge with a nonce the mock never issued, and one
// with an algorithm the digest library lacks.
var fzChallenges = [...]string{"", `Basic realm="proxy"`,
	`Digest realm="MMS Public API", domain="", nonce="fz-nonce", algorithm=MD5, qop="auth", stale=false`,
	`Digest realm="MMS Public API", nonce="fz-nonce", algorithm=SHA-512, qop="auth"`}

const fzChallengeBasic = 1 << 2

// Content-Encoding (encoding bits 0-3) and Content-Length (bits 4-7):
// mostly honest, or a good part of the inputs would end cut off.
const (
	fzEncGzip     = 13 // a real gzip body
	fzEncFakeGzip = 14 // the header, and a plain body
	fzEncDeflate  = 15
	fzLenLong     = 13 << 4 // declares 7 bytes more than sent: cut off
	fzLenShort    = 14 << 4 // declares one byte less than the body
)

// Body kinds of API answers; natural is the endpoint's shape on a 2xx and
// an Atlas error otherwise.
const (
	fzBodyNatural = 0
	fzBodyOrg     = 1
	fzBodyOrgs    = 2
	fzBodyUsers   = 4
	fzBodyInvites = 5
	fzBodyInvite  = 6
	fzBodyError   = 7
	fzBodyEmpty   = 8
	fzBodyNull    = 9
	fzBodyRaw     = 10
	fzBodyOdd     = 11
	fzBodyHTML    = 12 // 3 too
	fzBodyKinds   = 16 // 13-15 are natural too
)

// Body kinds of token answers.
const (
	fzTokJSON     = 0 // 1 and 2 too
	fzTokForm     = 3
	fzTokOAuthErr = 4
	fzTokEmpty    = 5
	fzTokRaw      = 6
	fzTokHTML     = 7
	fzTokKinds    = 8
)

// fzSeeds are Atlas's normal answers to each read in each mode, and the
// answers that are easy to get wrong: absurd or missing counts, tokens in
// the wrong content type, redirects, retired versions, throttling, lying
// encodings, empty bodies.
func fzSeeds() []*fzPlan {
	ok := fzAnswer{status: fzStatus(200)}
	users := func(rows, count byte) fzAnswer {
		return fzAnswer{status: fzStatus(200), body: fzBodyUsers, p1: rows | count<<3}
	}
	orgs := func(rows, count byte) fzAnswer {
		return fzAnswer{status: fzStatus(200), body: fzBodyOrgs, p1: rows | count<<3}
	}
	errAns := func(status int, code byte) fzAnswer {
		return fzAnswer{status: fzStatus(status), body: fzBodyError, p1: code}
	}
	goodToken := []fzAnswer{ok}
	accessToken, serviceAccount, apiKey := byte(0), byte(1), byte(2)
	var seeds []*fzPlan
	// Normal answers, every read in every mode.
	for read := range byte(fzReads) {
		for mode := range byte(3) {
			api := []fzAnswer{ok}
			if read == fzReadUsers || read == fzReadUsersFiltered {
				api = []fzAnswer{users(fzRows3, fzCountNatural)}
			} else if read == fzReadOrgs || read == fzReadOrgsByName || read >= fzReadOrgProjects && read <= fzReadTeams ||
				read == fzReadVisibleProjects {
				api = []fzAnswer{orgs(fzRows3, fzCountNatural)}
			} else if read < fzReadInvite || read == fzReadProjectInvites || read == fzReadProjectInvitesByUsername {
				api = []fzAnswer{{status: fzStatus(200), p1: 2, flags: fzFlagDeprecation | fzFlagSunset}}
			}
			seeds = append(seeds, &fzPlan{read: read, mode: mode, token: goodToken, api: api})
		}
	}
	seeds = append(seeds,
		// 500 rows and a count of 2^62, then a short page with the same count.
		&fzPlan{read: fzReadUsers, lastPage: 1, token: goodToken,
			api: []fzAnswer{users(fzRows500, fzCount2p62), users(fzRows3, fzCount2p62)}},
		// Full pages without a count: read one by one.
		&fzPlan{read: fzReadUsers, lastPage: 2, token: goodToken, api: []fzAnswer{users(fzRows500, fzCountAbsent)}},
		// 499, 500 and 501 rows; a count off by 500.
		&fzPlan{read: fzReadUsersFiltered, lastPage: 3, token: goodToken, api: []fzAnswer{users(fzRows499, fzCountNatural)}},
		&fzPlan{read: fzReadUsers, lastPage: 1, token: goodToken,
			api: []fzAnswer{users(fzRows500, fzCountPlus500), users(fzRows501, fzCountNatural)}},
		// The organizations: 500 and a count of 2^62, then a short page;
		// full pages without a count; 404 on the organization itself.
		&fzPlan{read: fzReadOrgs, lastPage: 1, token: goodToken,
			api: []fzAnswer{orgs(fzRows500, fzCount2p62), orgs(fzRows3, fzCount2p62)}},
		&fzPlan{read: fzReadOrgsByName, lastPage: 2, mode: serviceAccount, token: goodToken, api: []fzAnswer{orgs(fzRows500, fzCountAbsent)}},
		&fzPlan{read: fzReadOrgs, token: goodToken, api: []fzAnswer{orgs(fzRows2, fzCountAbsent)}},
		&fzPlan{read: fzReadOrg, token: goodToken, api: []fzAnswer{errAns(404, 2)}},
		// The projects and teams: full pages without a count; a short page
		// after a full one; the project invitations retired.
		&fzPlan{read: fzReadOrgProjects, lastPage: 2, token: goodToken, api: []fzAnswer{orgs(fzRows500, fzCountAbsent)}},
		&fzPlan{read: fzReadTeams, lastPage: 1, mode: serviceAccount, token: goodToken,
			api: []fzAnswer{orgs(fzRows500, fzCountNatural), orgs(fzRows2, fzCountNatural)}},
		&fzPlan{read: fzReadVisibleProjects, lastPage: 1, token: goodToken, api: []fzAnswer{orgs(fzRows501, fzCountNatural)}},
		&fzPlan{read: fzReadProjectInvites, token: goodToken,
			api: []fzAnswer{{status: fzStatus(410), body: fzBodyError, p1: fzCodeVersionGone | 1<<4, p2: 3, flags: fzFlagSunset | fzFlagDeprecation}}},
		// The same ids on every page.
		&fzPlan{read: fzReadUsers, lastPage: 2, mode: serviceAccount, token: goodToken,
			api: []fzAnswer{{status: fzStatus(200), body: fzBodyUsers, p1: fzRows500 | fzCountNatural<<3, p2: fzIDPerRow << 3}}},
		// 200 text/plain holding a JSON token.
		&fzPlan{mode: serviceAccount, token: []fzAnswer{{status: fzStatus(200), contentType: fzCTPlain}}, api: []fzAnswer{ok}},
		// A form-encoded token, then an OAuth error.
		&fzPlan{mode: serviceAccount, read: fzReadUsers, token: []fzAnswer{{status: fzStatus(200), contentType: fzCTForm, body: fzTokForm}},
			api: []fzAnswer{users(fzRows1, fzCountNatural)}},
		&fzPlan{mode: serviceAccount, token: []fzAnswer{{status: fzStatus(401), body: fzTokOAuthErr}}, api: []fzAnswer{ok}},
		// 302 to another origin, from the API and from the token endpoint.
		&fzPlan{token: goodToken, api: []fzAnswer{{status: fzStatus(302), location: fzLocOther}}},
		&fzPlan{mode: serviceAccount, token: []fzAnswer{{status: fzStatus(307), location: fzLocOther}}, api: []fzAnswer{ok}},
		&fzPlan{mode: apiKey, token: goodToken, api: []fzAnswer{{status: fzStatus(301), location: fzLocPath}, ok}},
		// 410 VERSION_GONE, with its Sunset.
		&fzPlan{read: fzReadInvite, token: goodToken,
			api: []fzAnswer{{status: fzStatus(410), body: fzBodyError, p1: fzCodeVersionGone | 1<<4, p2: 3, flags: fzFlagSunset}}},
		// 429 with Retry-After: 0, then an answer; and with 1 s, which the
		// cancel ends.
		&fzPlan{read: fzReadUsers, token: goodToken,
			api: []fzAnswer{{status: fzStatus(429), retryAfter: fzRetryZero, body: fzBodyError}, users(fzRows2, fzCountNatural)}},
		&fzPlan{token: goodToken, api: []fzAnswer{{status: fzStatus(429), retryAfter: fzRetryOneSecond, body: fzBodyError}}},
		// gzip announced, plain JSON sent; and real gzip.
		&fzPlan{read: fzReadInvites, token: goodToken, api: []fzAnswer{{status: fzStatus(200), encoding: fzEncFakeGzip, p1: 1}}},
		&fzPlan{read: fzReadUsers, token: goodToken, api: []fzAnswer{{status: fzStatus(200), encoding: fzEncGzip, body: fzBodyUsers, p1: fzRows3}}},
		// A body cut off.
		&fzPlan{read: fzReadInvite, token: goodToken, api: []fzAnswer{{status: fzStatus(200), encoding: fzLenLong}}},
		// Empty bodies and null, from the API and the token endpoint.
		&fzPlan{token: goodToken, api: []fzAnswer{{status: fzStatus(200), body: fzBodyEmpty}}},
		&fzPlan{read: fzReadUsers, token: goodToken, api: []fzAnswer{{status: fzStatus(200), body: fzBodyNull}}},
		&fzPlan{read: fzReadInvite, token: goodToken, api: []fzAnswer{{status: fzStatus(200), body: fzBodyNull}}},
		&fzPlan{mode: serviceAccount, token: []fzAnswer{{status: fzStatus(200), body: fzTokEmpty}}, api: []fzAnswer{ok}},
		// A proxy's Basic challenge in place of Atlas's digest one.
		&fzPlan{mode: apiKey, token: goodToken, api: []fzAnswer{{status: fzStatus(401), flags: fzFlagUnsigned | fzChallengeBasic, body: fzBodyHTML}}},
		// Errors that the hints read: the access list, a missing role.
		&fzPlan{mode: accessToken, token: goodToken, api: []fzAnswer{errAns(403, 4|2<<4)}},
		&fzPlan{mode: apiKey, read: fzReadUsers, token: goodToken, api: []fzAnswer{errAns(401, 3|3<<4)}},
		// Garbage.
		&fzPlan{read: fzReadUsers, token: goodToken, api: []fzAnswer{{status: fzStatus(200), body: fzBodyRaw, chunk: []byte(`{"results":[{"id":`)}}},
		&fzPlan{stop: 240, read: fzReadUsers, lastPage: 5, token: goodToken, api: []fzAnswer{users(fzRows500, fzCountNatural)}},
	)
	return append(seeds, fzEchoSeeds()...)
}
