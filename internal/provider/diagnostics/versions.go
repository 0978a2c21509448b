package diagnostics

import (
	"fmt"
	"net/http"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
)

// versionCodes are the errorCodes with which Atlas's API says it does not
// serve the API version asked for: VERSION_GONE (410) once a version is
// retired, the "gone" answer of Atlas's OpenAPI document, and
// INVALID_VERSION_DATE (406) for a version it does not accept. Only these
// earn "upgrade the provider": a 406 or 410 without an errorCode comes from
// something other than Atlas's API, whose error body always has one.
var versionCodes = map[string]bool{"VERSION_GONE": true, "INVALID_VERSION_DATE": true}

// versionRefused says whether e, a 406 or 410, is Atlas's own answer that
// it does not serve the API version the provider asked for.
func versionRefused(e *atlas.Error) bool {
	return versionCodes[e.ErrorCode]
}

// versionSummary is the summary of a 406 or 410 (atlas.KindVersionGone).
func versionSummary(e *atlas.Error) string {
	switch {
	case versionRefused(e):
		return "Atlas API Version No Longer Served"
	case e.ErrorCode == "":
		return "Answer Not From The Atlas API"
	}
	return "Atlas Request Failed"
}

// versionHint says what to do about a 406 or 410: upgrade only when Atlas
// said the version is not served; without an errorCode, look at what
// answered instead.
func versionHint(e *atlas.Error) string {
	c := e.Setup
	switch {
	case versionRefused(e):
		return fmt.Sprintf("Atlas no longer serves the API version this provider speaks (%s) "+
			"for this endpoint. Upgrade the atlasinv provider.", e.MediaType)
	case e.ErrorCode == "":
		return fmt.Sprintf("The server at %s answered %d %s%s without an Atlas error code. Every error answer of "+
			"Atlas's API carries one, so this answer did not come from Atlas's API but from something in between, such "+
			"as a proxy, or from a base_url that is not the Atlas API. Upgrading the provider would not change it: check "+
			"base_url (or MONGODB_ATLAS_BASE_URL) and any proxy (HTTPS_PROXY, NO_PROXY) between this machine and Atlas.",
			c.BaseURL, e.Status, http.StatusText(e.Status), contentTypeNote(e.ContentType))
	}
	return fmt.Sprintf("Atlas answered %d %s with error code %s, which does not say that it no longer serves the API "+
		"version this provider speaks (%s). Act on Atlas's detail below.", e.Status, http.StatusText(e.Status), e.ErrorCode, e.MediaType)
}

func contentTypeNote(contentType string) string {
	if contentType == "" {
		return ""
	}
	return fmt.Sprintf(" (content type %q)", contentType)
}
