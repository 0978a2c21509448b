package mockatlas

import (
	"cmp"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlasapi"
)

// charset is what Atlas appends to the versioned media type of an answer:
// clients must match the Content-Type ignoring its parameters.
const charset = ";charset=utf-8"

// contentTypeOf is the Content-Type Atlas sends for an answer in mediaType:
// its own versioned media types carry the charset, anything else is left
// as it is.
func contentTypeOf(mediaType string) string {
	if strings.HasPrefix(mediaType, "application/vnd.atlas.") && !strings.Contains(mediaType, ";") {
		return mediaType + charset
	}
	return mediaType
}

// endpoint is what the checks in front of a handler need to know of it.
type endpoint struct {
	// versions are the media types it serves, each marked deprecated or
	// not (Atlas sends Deprecation and Sunset on a deprecated one).
	versions map[string]bool
	// def labels the answers to any other Accept.
	def string
	// need is the least organization role the credentials must have.
	need OrgRole
	// projectOwner endpoints also need Project Owner of the project the
	// path names (SetProjectOwner).
	projectOwner bool
	// dates is the deprecated API whose Deprecation and Sunset headers its
	// deprecated versions carry; retirable endpoints answer 410 once that
	// API is retired (RetireInvitations, RetireProjectInvitations).
	dates     deprecatedAPI
	retirable bool
}

// deprecatedAPI is one of the deprecated APIs the mock serves. Each has its
// own dates, and Atlas retires each on its own.
type deprecatedAPI int

const (
	// orgInvitationsAPI is the organization invitations', whose dates the
	// deprecated version of listOrgUsers carries too.
	orgInvitationsAPI deprecatedAPI = iota
	projectInvitationsAPI
)

var (
	invitationsEndpoint = endpoint{versions: map[string]bool{MediaType: true}, def: MediaType, need: RoleOrgOwner, retirable: true}
	usersEndpoint       = endpoint{versions: usersVersions, def: UsersMediaType, need: RoleOrgMember}
	// getOrganization: one version, not deprecated, Organization Member.
	orgEndpoint = endpoint{versions: map[string]bool{MediaType: false}, def: MediaType, need: RoleOrgMember}
	// Paths the mock does not serve announce no deprecation: there is
	// nothing there to retire.
	otherEndpoint = endpoint{versions: map[string]bool{MediaType: false}, def: MediaType, need: RoleOrgOwner}
)

// SetSunset sets the Sunset header (an HTTP date, sent as given) of the
// organization invitations' answers, and of the deprecated users version's,
// from now on: Atlas has moved the invitations API's date more than once.
// "" restores SunsetDate. The project invitations have their own
// (SetProjectInvitationsSunset).
func (s *Server) SetSunset(httpDate string) {
	if httpDate == "" {
		httpDate = SunsetDate
	}
	s.mu.Lock()
	s.sunset = httpDate
	s.mu.Unlock()
}

// RetireInvitations makes both organization invitations endpoints answer
// as Atlas does once a version is past its sunset: after authentication
// (and the Accept check), 410 VERSION_GONE naming the version and path,
// with the Deprecation and Sunset headers even if SetDeprecationHeaders
// turned them off. Scripted faults are not consumed meanwhile. false serves
// them again. The project invitations are retired on their own
// (RetireProjectInvitations).
func (s *Server) RetireInvitations(on bool) {
	s.mu.Lock()
	s.retired = on
	s.mu.Unlock()
}

// api wraps a handler in the checks Atlas makes, in Atlas' order:
// authentication, then what the credentials may do (access list, role),
// then the Accept media type, then whether the version is retired, then
// (mock only) rate limiting and the scripted fault, then the real answer.
func (s *Server) api(ep endpoint, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		accept := r.Header.Get("Accept")
		served := accept
		deprecated, ok := ep.versions[accept]
		if !ok {
			served, deprecated = ep.def, ep.versions[ep.def]
		}
		s.apiHeaders(w, ep.dates, served, deprecated)
		if !s.authenticate(w, r, recordOf(r)) || !s.authorize(w, r, recordOf(r), ep) {
			return
		}
		if !ok {
			writeError(w, http.StatusNotAcceptable, "INVALID_VERSION_DATE",
				fmt.Sprintf("The Accept header %q does not name a supported API version. This resource serves %s.", accept, ep.def),
				accept)
			return
		}
		s.mu.Lock()
		deprecation, sunset, retired := s.datesLocked(ep.dates)
		s.mu.Unlock()
		if retired && ep.retirable {
			w.Header().Set(atlasapi.DeprecationHeader, deprecation)
			w.Header().Set(atlasapi.SunsetHeader, sunset)
			code, detail, params := statusError(r, http.StatusGone)
			writeError(w, http.StatusGone, code, detail, params...)
			return
		}
		if s.limiter.refuse(w, r) {
			return
		}
		f, ok := s.nextFault()
		if ok && f.CutAfter > 0 {
			cutAnswer(w, r, f, h)
			return
		}
		if ok && s.applyFault(w, r, f) {
			return
		}
		h(w, r)
	}
}

// apiHeaders sets what every API answer carries, errors included (an error
// answer then replaces the Content-Type with ErrorMediaType).
func (s *Server) apiHeaders(w http.ResponseWriter, api deprecatedAPI, mediaType string, deprecated bool) {
	h := w.Header()
	h.Set("Content-Type", contentTypeOf(mediaType))
	// Not in the OpenAPI document; see atlasapi.RequestIDHeader.
	h.Set(atlasapi.RequestIDHeader, newRequestID())
	s.mu.Lock()
	on := s.deprecation && deprecated
	deprecation, sunset, _ := s.datesLocked(api)
	s.mu.Unlock()
	if on {
		// Not in the OpenAPI document; see atlasapi.DeprecationHeader.
		h.Set(atlasapi.DeprecationHeader, deprecation)
		h.Set(atlasapi.SunsetHeader, sunset)
	}
}

// datesLocked are api's Deprecation and Sunset headers, and whether it is
// retired. s.mu is held.
func (s *Server) datesLocked(api deprecatedAPI) (deprecation, sunset string, retired bool) {
	if api == projectInvitationsAPI {
		return ProjectInvitationsDeprecationDate, cmp.Or(s.proj.sunset, ProjectInvitationsSunsetDate), s.proj.retired
	}
	return DeprecationDate, s.sunset, s.retired
}

// acceptVersion is the date of an Atlas media type, e.g. 2023-01-01.
var acceptVersion = regexp.MustCompile(`^application/vnd\.atlas\.(\d{4}-\d{2}-\d{2})\+json`)

// versionGone is the detail and parameters of Atlas's 410 VERSION_GONE:
// the version asked for and the path, without its leading slash.
func versionGone(r *http.Request) (string, []any) {
	version := r.Header.Get("Accept")
	if m := acceptVersion.FindStringSubmatch(version); m != nil {
		version = m[1]
	}
	path := strings.TrimPrefix(r.URL.Path, "/")
	return fmt.Sprintf("Version %s of %s is no longer available", version, path), []any{version, path}
}
