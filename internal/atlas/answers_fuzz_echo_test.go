package atlas_test

// FuzzAtlasAnswers's secrets, drawn per process, and the echoes: where an answer gives one back, and the check that no text shows any part of it.

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
)

// The client's secrets: random, so that no innocent text matches them, and
// the same for every execution of a process, so that an input names a secret
// by its index (fzAnswer.echo), never by its value.
var (
	// fzIssued is the token the fuzzed token endpoint issues: a secret as
	// much as those of the configuration.
	fzIssued = randomChars(43, base64URLChars)

	fzKnown = [...]testSecret{randomPrivateKey(), randomClientSecret(), randomAccessToken(),
		{name: "the issued token", value: fzIssued}}
	// fzSecrets are their values, which no free text of an input holds.
	fzSecrets = []string{fzKnown[0].value, fzKnown[1].value, fzKnown[2].value, fzIssued}
)

const fzIssuedIndex = 3

// fzConfig is the client's configuration: the test one, with this
// process's secrets.
func fzConfig(baseURL string, mode atlas.AuthMode) atlas.Config {
	cfg := testConfig(baseURL, mode)
	cfg.PrivateKey, cfg.ClientSecret, cfg.AccessToken = fzKnown[0].value, fzKnown[1].value, fzKnown[2].value
	return cfg
}

// Where an answer echoes a secret: fzAnswer.echo bits 2-5 (bits 0-1 are
// the index of the secret in fzKnown; bit 6 is fzEchoTwice). The places of
// an API answer are these.
const (
	fzEchoNone = iota
	fzEchoBody // at a byte around peekSize: echoAt picks it
	// In an Atlas error body's fields, when the answer has one.
	fzEchoDetail
	fzEchoCode
	fzEchoParameters
	// As a header's whole value.
	fzEchoSunset
	fzEchoDate
	fzEchoDeprecation
	fzEchoContentType
	fzEchoChallenge // as the scheme of WWW-Authenticate
	fzEchoLocation  // in the query of a redirect within the origin
)

// fzEchoTwice puts a secret in a body twice: at its start too.
const fzEchoTwice = 1 << 6

// The places of a token answer: its OAuth error's fields.
const (
	fzEchoOAuthError = 1 + iota
	fzEchoOAuthDescription
	fzEchoOAuthURI
	fzEchoOAuthForm // error and error_description, form-encoded
)

// fzEcho is the secret an answer echoes, and where; where is fzEchoNone
// when it echoes none.
type fzEcho struct {
	secret string
	where  int
}

// echo is what a is to echo, and records the secret as echoed. A secret
// the client does not hold is never echoed: the issued token only once a
// request has carried it, the private key in its place before.
func (x *fzExec) echo(a *fzAnswer, token bool) fzEcho {
	where, i := int(a.echo>>2)&15, int(a.echo&3)
	if where == fzEchoNone || token && where > fzEchoOAuthForm || where > fzEchoLocation {
		return fzEcho{}
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if i == fzIssuedIndex && !x.issuedSeen {
		i = 0
	}
	x.placed |= 1 << i
	return fzEcho{secret: fzKnown[i].value, where: where}
}

// placeInBody puts the secret at a byte from 2 plus its length before
// peekSize (256) to 2 after it, padding a shorter body with spaces; at
// least one byte follows it, so that a Content-Length one byte short does
// not cut it. Twice, the secret starts the body too, and the range reaches
// as far past 256 as its redaction shortens the text.
func placeInBody(body []byte, secret string, at byte, twice bool) []byte {
	span := len(secret) + 5
	if twice {
		body = append([]byte(secret), body...)
		span += max(len(secret)-len("(redacted)"), 0)
	}
	pos := 256 - len(secret) - 2 + int(at)%span
	out := make([]byte, 0, max(len(body), pos)+len(secret)+1)
	out = append(out, body[:min(pos, len(body))]...)
	out = append(out, bytes.Repeat([]byte(" "), max(pos-len(body), 0))...)
	out = append(out, secret...)
	if pos >= len(body) {
		return append(out, ' ')
	}
	return append(out, body[pos:]...)
}

// echoHeaders sets the headers an echo is in.
func (x *fzExec) echoHeaders(h http.Header, e fzEcho) {
	switch e.where {
	case fzEchoSunset:
		h.Set("Sunset", e.secret)
	case fzEchoDate:
		h.Set("Date", e.secret)
	case fzEchoDeprecation:
		h.Set("Deprecation", e.secret)
	case fzEchoContentType:
		h.Set("Content-Type", e.secret)
	case fzEchoChallenge:
		h.Set("WWW-Authenticate", e.secret+` realm="proxy"`)
	case fzEchoLocation:
		h.Set("Location", x.base+"/api/atlas/v2/moved?token="+e.secret)
	}
}

// oauthEchoBody is a token answer's OAuth error holding the echo, and its
// content type ("" keeps the answer's).
func oauthEchoBody(e fzEcho) ([]byte, string) {
	switch e.where {
	case fzEchoOAuthError:
		return []byte(`{"error":"` + e.secret + `","error_description":"The client credentials are invalid."}`), ""
	case fzEchoOAuthDescription:
		return []byte(`{"error":"invalid_client","error_description":"No client ` + e.secret + `."}`), ""
	case fzEchoOAuthURI:
		return []byte(`{"error":"invalid_client","error_uri":"https://example.net/` + e.secret + `"}`), ""
	}
	return []byte("error=" + e.secret + "&error_description=" + e.secret), "application/x-www-form-urlencoded"
}

// checkSecrets fails the execution when the read failed otherwise than
// with an *atlas.Error, or when a text of the read (the error's, the
// deprecation notice) shows a secret whole, or minShown characters of a
// secret an answer echoed whole.
func (x *fzExec) checkSecrets(t *testing.T, c *atlas.Client, err error) {
	t.Helper()
	d, noticed := c.TakeDeprecation()
	if noticed && x.plan.readKind() >= fzReadUsers {
		t.Fatalf("a users, organizations or projects answer's headers were taken for the invitations API's deprecation")
	}
	pd, projectNoticed := c.TakeProjectInvitationsDeprecation()
	if read := x.plan.readKind(); projectNoticed && read != fzReadProjectInvites && read != fzReadProjectInvitesByUsername {
		t.Fatalf("another answer's headers were taken for the project invitations API's deprecation")
	}
	texts := map[string]string{"the deprecation notice": deprecationText(d)}
	kind := "no error"
	if err != nil {
		var ae *atlas.Error
		if !errors.As(err, &ae) {
			t.Fatalf("error %T is not an *atlas.Error: %v", err, err)
		}
		texts, kind = shownTexts(err, ae, d), ae.Kind.String()
	}
	texts["the project invitations' deprecation notice"] = deprecationText(pd)
	x.mu.Lock()
	placed := x.placed
	x.mu.Unlock()
	for name, text := range texts {
		for i, s := range fzKnown {
			if strings.Contains(text, s.value) || placed&(1<<i) != 0 && s.shownIn(text) {
				t.Fatalf("%s (%s) shows %s, or %d or more of its characters after an answer echoed it (starred):\n%s",
					name, kind, s.name, minShown, hidden(text, fzKnown[:]...))
			}
		}
	}
}

// fzEchoSeeds place each secret at every byte around the cut of a body's
// start, and in every other place, in each auth mode that holds it.
func fzEchoSeeds() []*fzPlan {
	accessToken, serviceAccount, apiKey := byte(0), byte(1), byte(2)
	goodToken := []fzAnswer{{status: fzStatus(200)}}
	var seeds []*fzPlan
	for i, s := range fzKnown {
		mode := accessToken
		if i == fzIssuedIndex {
			mode = serviceAccount
		}
		// Then, behind the secret at the body's start, the bytes that its
		// redaction brings before the cut.
		for at := range 2*len(s.value) - 5 {
			echo := fzEchoBody<<2 | byte(i)
			if at >= len(s.value)+5 {
				echo |= fzEchoTwice
			}
			seeds = append(seeds, &fzPlan{mode: mode, token: goodToken, api: []fzAnswer{{status: fzStatus(200),
				body: fzBodyHTML, echo: echo, echoAt: byte(at)}}})
		}
	}
	api := []struct {
		where  byte
		answer fzAnswer
	}{
		{fzEchoDetail, fzAnswer{status: fzStatus(400), body: fzBodyError}},
		{fzEchoCode, fzAnswer{status: fzStatus(404), body: fzBodyError}},
		{fzEchoParameters, fzAnswer{status: fzStatus(403), body: fzBodyError}},
		{fzEchoSunset, fzAnswer{status: fzStatus(410), body: fzBodyError, p1: fzCodeVersionGone}},
		{fzEchoDate, fzAnswer{status: fzStatus(410), body: fzBodyError, p1: fzCodeVersionGone}},
		{fzEchoDeprecation, fzAnswer{status: fzStatus(404), body: fzBodyError}},
		{fzEchoContentType, fzAnswer{status: fzStatus(200), body: fzBodyHTML}},
		{fzEchoChallenge, fzAnswer{status: fzStatus(401), body: fzBodyHTML, flags: fzFlagUnsigned}},
		{fzEchoLocation, fzAnswer{status: fzStatus(302)}},
	}
	// Each mode's own secret: its index in fzKnown.
	own := [...]struct{ mode, i byte }{{accessToken, 2}, {serviceAccount, 1}, {apiKey, 0}}
	for _, e := range api {
		for _, o := range own {
			mode, i := o.mode, o.i
			if e.where == fzEchoChallenge && mode != apiKey {
				continue
			}
			indexes := []byte{i}
			if mode == serviceAccount {
				indexes = append(indexes, fzIssuedIndex)
			}
			for _, i := range indexes {
				a := e.answer
				a.echo = e.where<<2 | i
				seeds = append(seeds, &fzPlan{mode: mode, token: goodToken, api: []fzAnswer{a}})
			}
		}
	}
	for where := byte(fzEchoOAuthError); where <= fzEchoOAuthForm; where++ {
		// The client secret in the first exchange; the issued token in the
		// renewal that page 2 needs, the first token expiring within the
		// minute.
		seeds = append(seeds,
			&fzPlan{mode: serviceAccount, token: []fzAnswer{{status: fzStatus(401), body: fzTokOAuthErr, echo: where<<2 | 1}},
				api: goodToken},
			&fzPlan{read: fzReadUsers, mode: serviceAccount, lastPage: 1,
				token: []fzAnswer{{status: fzStatus(200), p1: 4}, {status: fzStatus(400), body: fzTokOAuthErr, echo: where<<2 | fzIssuedIndex}},
				api:   []fzAnswer{{status: fzStatus(200), body: fzBodyUsers, p1: fzRows500 | fzCountNatural<<3}}})
	}
	return seeds
}

// deprecationText is the notice a client took, for the checks.
func deprecationText(d atlas.Deprecation) string {
	return strings.TrimSpace(d.Deprecated + " " + d.Sunset)
}
