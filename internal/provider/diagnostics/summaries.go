package diagnostics

import "github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"

// Summary is the diagnostic's short Title Case line.
func Summary(e *atlas.Error) string {
	switch e.Kind {
	case atlas.KindUnauthorized:
		switch {
		case e.ErrorCode == atlas.CodeRoleMissing && e.Role == "":
			return "Atlas Did Not Authorize The Read"
		case e.ErrorCode == atlas.CodeRoleMissing:
			return "Atlas Credentials Lack The " + e.Role + " Role"
		}
		return "Atlas Rejected The Credentials"
	case atlas.KindForbidden:
		return "Atlas Denied Access"
	case atlas.KindNotFound:
		return "Atlas Resource Not Found"
	case atlas.KindVersionGone:
		return versionSummary(e)
	case atlas.KindRateLimited:
		return "Atlas Rate Limit Exceeded"
	case atlas.KindServer:
		return "Atlas Server Error"
	case atlas.KindTimeout:
		return "Atlas Request Timed Out"
	case atlas.KindNetwork:
		return "Cannot Reach Atlas"
	case atlas.KindBadResponse:
		return "Unexpected Atlas Response"
	case atlas.KindCanceled:
		return "Atlas Request Canceled"
	case atlas.KindRedirect:
		return "Atlas Answered With A Redirect"
	case atlas.KindTooLarge:
		return "Atlas Answer Too Large"
	case atlas.KindCutOff:
		return "Atlas Answer Cut Off"
	case atlas.KindChallenge:
		return "Unexpected Authentication Challenge"
	case atlas.KindTokenRejected:
		return "Atlas Rejected The Service Account Credentials"
	case atlas.KindTokenEndpoint:
		return "Atlas Token Request Failed"
	case atlas.KindListChanged:
		return listSubject(e) + " Changed During The Read"
	case atlas.KindListTooLong:
		return listSubject(e) + " List Too Long"
	default:
		return "Atlas Request Failed"
	}
}
