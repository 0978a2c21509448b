package atlas_test

// FuzzAtlasAnswers's answer bodies: list pages (users; organizations in answers_fuzz_orgs_test.go), invitations, Atlas errors, odd bodies and token bodies, with their tables.

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
)

// apiBody is the body of an answer to any request but the token's.
func (x *fzExec) apiBody(a *fzAnswer, r *http.Request, status, page int, echo fzEcho) []byte {
	kind := int(a.body) % fzBodyKinds
	if kind == fzBodyNatural || kind > fzBodyHTML {
		switch {
		case status >= 300:
			kind = fzBodyError
		case strings.HasSuffix(r.URL.Path, "/users"):
			kind = fzBodyUsers
		case r.URL.Path == fzOrgsPath, r.URL.Path == fzProjectsPath, strings.HasSuffix(r.URL.Path, "/groups"),
			strings.HasSuffix(r.URL.Path, "/teams"):
			kind = fzBodyOrgs
		case r.URL.Path == fzOrgPath:
			kind = fzBodyOrg
		case strings.HasSuffix(r.URL.Path, "/invites"):
			kind = fzBodyInvites
		case strings.Contains(r.URL.Path, "/invites/"):
			kind = fzBodyInvite
		default:
			kind = map[int]int{fzReadInvites: fzBodyInvites, fzReadInvitesByUsername: fzBodyInvites,
				fzReadInvite: fzBodyInvite, fzReadOrg: fzBodyOrg, fzReadOrgs: fzBodyOrgs, fzReadOrgsByName: fzBodyOrgs,
				fzReadOrgProjects: fzBodyOrgs, fzReadOrgProjectsByName: fzBodyOrgs, fzReadTeams: fzBodyOrgs,
				fzReadProjectInvites: fzBodyInvites, fzReadProjectInvitesByUsername: fzBodyInvites,
				fzReadVisibleProjects: fzBodyOrgs}[x.plan.readKind()]
			if kind == 0 {
				kind = fzBodyUsers
			}
		}
	}
	switch kind {
	case fzBodyUsers:
		return x.listPage(a, page, fzUsersPath, writeUser)
	case fzBodyOrgs:
		// Organizations, projects and teams: rows of an id and a name.
		return x.listPage(a, page, r.URL.Path, writeOrgRow)
	case fzBodyOrg:
		return orgBody(a)
	case fzBodyInvites:
		var b bytes.Buffer
		b.WriteByte('[')
		for i := range int(a.p1) % 4 {
			if i > 0 {
				b.WriteByte(',')
			}
			writeInvitation(&b, a, i)
		}
		b.WriteByte(']')
		return b.Bytes()
	case fzBodyInvite:
		var b bytes.Buffer
		writeInvitation(&b, a, 0)
		return b.Bytes()
	case fzBodyError:
		return errorBody(a, status, echo)
	case fzBodyEmpty:
		return nil
	case fzBodyNull:
		return []byte("null")
	case fzBodyRaw:
		return a.chunk
	case fzBodyOdd:
		return []byte(fzOddBodies[int(a.p1)%len(fzOddBodies)])
	default:
		return []byte(`<!DOCTYPE html><html><head><title>Sign in</title></head><body><form>Log in</form></body></html>`)
	}
}

var fzOddBodies = [...]string{`{}`, `[]`, `"text"`, `0`, `true`, `{"results":null,"totalCount":1}`, `{"results":{}}`,
	`{"results":[`, `[null]`, `[{}]`, `{"results":[null],"totalCount":1}`, `{"results":[1,2]}`, `{"totalCount":5}`,
	`{"error":"x","errorCode":12}`, "  null \n", `{"results":[],"totalCount":-7}`}

// List pages (users, organizations). p1: bits 0-2 the rows (fzRows), bits
// 3-6 totalCount (fzCount*). p2: bits 0-2 the rows' shape, bits 3-5 their
// ids, bits 6-7 the page's own shape (2: "results": null, 3: no results).
var fzRows = [...]int{0, 1, 2, 499, 500, 500, 501, 3}

const (
	fzRows1   = 1
	fzRows2   = 2
	fzRows3   = 7
	fzRows499 = 3
	fzRows500 = 4
	fzRows501 = 6
)

const (
	fzCountAbsent  = 0
	fzCountNatural = 4
	fzCountPlus500 = 9
	fzCount2p62    = 10
)

// Row shapes; fzShapeMixed mixes the ones that decode.
const (
	fzShapeFull = iota
	fzShapeMinimal
	fzShapeMixed
	fzShapeNulls
	fzShapeNoID
	fzShapeExtra
	fzShapeWrongType // the last row has a field of the wrong type
	fzShapeBadDate   // the last row has a date that is not one (organizations: a name that is not a string)
)

// Id schemes.
const (
	fzIDUnique    = 0 // 1 and 2 too
	fzIDPerRow    = 3 // the same ids on every page
	fzIDOverlap   = 4 // a page's last row is the next page's first
	fzIDSame      = 5
	fzIDChunk     = 6
	fzIDFirstDups = 7 // every page's first row is page 1's
)

// fzRowWriter writes row i of a page: its id (JSON) in its shape (fzShape*,
// never fzShapeMixed).
type fzRowWriter func(b *bytes.Buffer, id string, shape, i int)

func (x *fzExec) listPage(a *fzAnswer, page int, path string, row fzRowWriter) []byte {
	rows := fzRows[a.p1&7]
	if page > x.plan.lastFullPage() {
		rows = 0
	}
	natural := rows
	if rows >= atlas.PageSize {
		natural = atlas.PageSize * min(x.plan.lastFullPage(), atlas.MaxPages)
	}
	var b bytes.Buffer
	b.Grow(rows * 200)
	b.WriteString(`{"links":[{"href":"https://cloud.mongodb.com` + path + `?pageNum=` + strconv.Itoa(page) + `","rel":"self"}]`)
	switch a.p2 >> 6 {
	case 2:
		b.WriteString(`,"results":null`)
	case 3:
	default:
		b.WriteString(`,"results":[`)
		chunkID := ""
		if (a.p2>>3)&7 == fzIDChunk {
			chunkID = fzJSONString(a.chunk)
			chunkID = chunkID[:len(chunkID)-1]
		}
		for i := range rows {
			if i > 0 {
				b.WriteByte(',')
			}
			row(&b, rowID(a, page, i, chunkID), rowShape(a, page, i, rows), i)
		}
		b.WriteByte(']')
	}
	switch c := (a.p1 >> 3) & 15; c {
	case 0:
	case 1:
		b.WriteString(`,"totalCount":null`)
	case 2:
		b.WriteString(`,"totalCount":-1`)
	case 3:
		b.WriteString(`,"totalCount":0`)
	case 4, 15:
		b.WriteString(`,"totalCount":` + strconv.Itoa(natural))
	case 5, 6, 7, 8, 9:
		b.WriteString(`,"totalCount":` + strconv.Itoa(natural+[...]int{1, -1, 5, -5, 500}[c-5]))
	case 10:
		b.WriteString(`,"totalCount":4611686018427387904`)
	case 11:
		b.WriteString(`,"totalCount":9223372036854775807`)
	case 12:
		b.WriteString(`,"totalCount":"1000"`)
	case 13:
		b.WriteString(`,"totalCount":1.5`)
	case 14:
		b.WriteString(`,"totalCount":1e30`)
	}
	b.WriteByte('}')
	return b.Bytes()
}

func fzHex24(n uint64) string {
	s := strconv.FormatUint(n, 16)
	return strings.Repeat("0", 24-len(s)) + s
}

// rowID is row i's id on page, in p2's id scheme, as JSON.
func rowID(a *fzAnswer, page, i int, chunkID string) string {
	var id string
	switch (a.p2 >> 3) & 7 {
	case fzIDPerRow:
		id = `"` + fzHex24(uint64(i)) + `"`
	case fzIDOverlap:
		id = `"` + fzHex24(uint64((page-1)*(atlas.PageSize-1)+i)) + `"`
	case fzIDSame:
		id = `"` + testOrgID + `"`
	case fzIDChunk: // chunkID is a JSON string without its closing quote
		id = chunkID + "-" + strconv.Itoa(page) + "-" + strconv.Itoa(i) + `"`
	case fzIDFirstDups:
		if i == 0 {
			id = `"` + fzHex24(1<<20) + `"`
			break
		}
		fallthrough
	default:
		id = `"` + fzHex24(uint64(page)<<20|uint64(i)) + `"`
	}
	return id
}

// rowShape is row i's shape on a page of rows.
func rowShape(a *fzAnswer, page, i, rows int) int {
	shape := int(a.p2 & 7)
	if rows > 20 && i >= 10 && i < rows-10 && shape != fzShapeNulls && shape != fzShapeNoID {
		// The shape matters at a page's edges; its middle only has to be
		// there, and minimal rows keep a read of many full pages cheap.
		shape = fzShapeMinimal
	}
	if shape == fzShapeMixed {
		shape = [...]int{fzShapeFull, fzShapeMinimal, fzShapeNulls, fzShapeExtra}[(i*7+page)%4]
	}
	if (shape == fzShapeWrongType || shape == fzShapeBadDate) && i != rows-1 {
		shape = fzShapeMinimal
	}
	return shape
}

func writeUser(b *bytes.Buffer, id string, shape, i int) {
	n := strconv.Itoa(i)
	switch shape {
	case fzShapeFull:
		b.WriteString(`{"id":` + id + `,"username":"user` + n + `@example.net","orgMembershipStatus":"ACTIVE",` +
			`"roles":{"orgRoles":["ORG_MEMBER"],"groupRoleAssignments":[{"groupId":"6634f290a54dca182530bb1e","groupRoles":["GROUP_READ_ONLY"]}]},` +
			`"teamIds":["6634f290a54dca182530bb1f"],"createdAt":"2024-01-01T00:00:00Z","lastAuth":"2024-05-01T12:00:00+02:00",` +
			`"firstName":"Ada","lastName":"L","country":"GB","mobileNumber":"+445550100"}`)
	case fzShapeMinimal:
		b.WriteString(`{"id":` + id + `,"username":"u` + n + `@example.net"}`)
	case fzShapeNulls:
		b.WriteString(`{"id":` + id + `,"username":null,"orgMembershipStatus":null,"roles":null,"teamIds":null,` +
			`"lastAuth":null,"createdAt":null,"country":null,"invitationCreatedAt":null}`)
	case fzShapeNoID:
		b.WriteString(`{"username":"u` + n + `@example.net","orgMembershipStatus":"PENDING","invitationCreatedAt":"2024-05-01T12:00:00Z"}`)
	case fzShapeExtra:
		b.WriteString(`{"id":` + id + `,"username":"ü` + n + `@例え.jp","unknown":{"nested":[1,2,3]},` +
			`"roles":{"orgRoles":["A","A",""],"groupRoleAssignments":[{},{}]},"lastAuth":"2024-05-01T12:00:00.123456789+02:00"}`)
	case fzShapeWrongType:
		b.WriteString(`{"id":` + id + `,"username":"u` + n + `@example.net","teamIds":"notalist"}`)
	default:
		b.WriteString(`{"id":` + id + `,"username":"u` + n + `@example.net","lastAuth":"yesterday"}`)
	}
}

// writeInvitation writes invitation i. p2 bits 0-2: its shape.
func writeInvitation(b *bytes.Buffer, a *fzAnswer, i int) {
	id := `"` + fzHex24(uint64(0x6634f290<<32)|uint64(i)) + `"`
	switch a.p2 & 7 {
	case 0, 1:
		b.WriteString(`{"id":` + id + `,"orgId":"` + testOrgID + `","orgName":"Test-Org","username":"dave@example.net",` +
			`"roles":["ORG_READ_ONLY"],"teamIds":[],"groupRoleAssignments":[{"groupId":"6634f290a54dca182530bb1e","groupRole":"GROUP_READ_ONLY"}],` +
			`"createdAt":"2024-05-01T12:00:00Z","expiresAt":"2024-06-01T12:00:00Z","inviterUsername":"owner@example.net"}`)
	case 2:
		b.WriteString(`{"orgName":"Test-Org"}`)
	case 3:
		b.WriteString(`{"id":null,"orgId":null,"orgName":null,"username":null,"roles":null,"teamIds":null,"createdAt":null}`)
	case 4:
		b.WriteString(`{"id":` + id + `,"orgName":"Test-Org","roles":"ORG_OWNER"}`)
	case 5:
		b.WriteString(`{"id":` + id + `,"orgName":"Test-Org","createdAt":"soon"}`)
	case 6:
		b.WriteString(`{"id":` + id + `,"username":` + fzJSONString(a.chunk) + `,"extra":{"a":[1,{}]}}`)
	default:
		b.WriteString(`{"id":` + id + `,"orgName":"ü例え","roles":["ORG_OWNER","ORG_OWNER",""],"links":[{"rel":"self"}]}`)
	}
}

// Atlas error bodies. p1: bits 0-3 errorCode, bits 4-6 detail. p2: bits
// 0-2 parameters, bit 3 "error" as a string, bit 4 no reason.
var fzErrorCodes = [...]string{`"VERSION_GONE"`, `"INVITATION_NOT_FOUND"`, `"ORG_NOT_FOUND"`, `"USER_UNAUTHORIZED"`,
	`"IP_ADDRESS_NOT_ON_ACCESS_LIST"`, `"RATE_LIMITED"`, `"UNEXPECTED_ERROR"`, `"INVALID_VERSION_DATE"`, `"UNAUTHORIZED"`,
	`"RESOURCE_NOT_FOUND"`, `""`, "chunk", `"VALIDATION_ERROR"`, `"SERVICE_UNAVAILABLE"`, `null`, `12345`}

const fzCodeVersionGone = 0

var fzDetails = [...]string{`""`, `"Version 2023-01-01 of api/atlas/v2/orgs/` + testOrgID + `/invites is no longer available"`,
	`"IP address 192.0.2.7 is not allowed to access this resource."`, `"Current user is not authorized to perform this action."`,
	"chunk", `"` + strings.Repeat("long detail ", 40) + `"`, `"line\nbreak\ttab \u2028"`, `null`}

var fzParameters = [...]string{`[]`, ``, `["192.0.2.7"]`, `["2023-01-01","api/atlas/v2/orgs/` + testOrgID + `/invites"]`,
	`[null,1,{},[]]`, `"notalist"`, "chunk", `["::1"]`}

func errorBody(a *fzAnswer, status int, echo fzEcho) []byte {
	pick := func(s string, where int) string {
		switch {
		case echo.where == where && where == fzEchoDetail:
			return `"Token ` + echo.secret + ` is not valid."`
		case echo.where == where && where == fzEchoParameters:
			return `["` + echo.secret + `"]`
		case echo.where == where:
			return `"` + echo.secret + `"`
		case s == "chunk":
			return fzJSONString(a.chunk)
		}
		return s
	}
	var b strings.Builder
	b.WriteString(`{"detail":` + pick(fzDetails[(a.p1>>4)&7], fzEchoDetail))
	if a.p2&8 != 0 {
		b.WriteString(`,"error":"` + strconv.Itoa(status) + `"`)
	} else {
		b.WriteString(`,"error":` + strconv.Itoa(status))
	}
	b.WriteString(`,"errorCode":` + pick(fzErrorCodes[a.p1&15], fzEchoCode))
	if p := pick(fzParameters[a.p2&7], fzEchoParameters); p != "" {
		b.WriteString(`,"parameters":` + p)
	}
	if a.p2&16 == 0 {
		b.WriteString(`,"reason":"` + http.StatusText(status) + `"`)
	}
	b.WriteByte('}')
	return []byte(b.String())
}

// Token bodies. JSON tokens: p1 bits 0-2 expires_in, p2 bits 0-2 the other
// fields. OAuth errors: p1 bits 0-2 the code.
var fzExpiresIn = [...]string{`,"expires_in":3600`, ``, `,"expires_in":0`, `,"expires_in":-5`,
	`,"expires_in":59`, `,"expires_in":"3600"`, `,"expires_in":3599.5`, `,"expires_in":1e20`}

var fzTokenFields = [...]string{`"access_token":"` + fzIssued + `","token_type":"Bearer"`,
	`"access_token":"` + fzIssued + `","token_type":"Bearer","scope":"","refresh_token":null`,
	`"access_token":"` + fzIssued + `","token_type":"bearer"`, `"access_token":"` + fzIssued + `","token_type":"mac"`,
	`"access_token":"` + fzIssued + `"`, `"access_token":"","token_type":"Bearer"`, `"token_type":"Bearer"`,
	`"access_token":123,"token_type":"Bearer"`}

var fzOAuthCodes = [...]string{"invalid_client", "invalid_grant", "unauthorized_client", "invalid_request",
	"", "server_error", "temporarily_unavailable", "chunk"}

func tokenBody(a *fzAnswer) []byte {
	switch int(a.body) % fzTokKinds {
	case fzTokForm:
		return []byte("access_token=" + fzIssued + "&token_type=bearer&expires_in=3600")
	case fzTokOAuthErr:
		code := `"` + fzOAuthCodes[a.p1&7] + `"`
		if a.p1&7 == 7 {
			code = fzJSONString(a.chunk)
		}
		return []byte(`{"error":` + code + `,"error_description":"The client credentials are invalid."}`)
	case fzTokEmpty:
		if a.p1&1 != 0 {
			return []byte("null")
		}
		return nil
	case fzTokRaw:
		return a.chunk
	case fzTokHTML:
		return []byte(`<html><body>Sign in to continue</body></html>`)
	default:
		return []byte(`{` + fzTokenFields[a.p2&7] + fzExpiresIn[a.p1&7] + `}`)
	}
}

func fzJSONString(b []byte) string {
	s, _ := json.Marshal(string(b))
	return string(s)
}
