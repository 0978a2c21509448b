package diagnostics

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
)

// hint says what to do about e, naming the settings that decide it and, for
// a failed list, the attributes of dataSource that narrow it.
func hint(e *atlas.Error, dataSource string) string {
	c := e.Setup
	switch e.Kind {
	case atlas.KindUnauthorized:
		if e.ErrorCode == atlas.CodeRoleMissing && e.Role == "" {
			// Atlas documents no role for this read: a role named here
			// would be a guess, so say only what Atlas answered.
			return fmt.Sprintf("Atlas accepted the %s credentials (%s, from %s), but answered %d %s when they read %s; "+
				"Atlas documents no role that this read requires. Check what the API key or service account may access "+
				"(Atlas UI: Organization Access Manager, Applications), or configure other credentials.",
				c.Mode, c.Principal, c.CredentialSource, e.Status, e.ErrorCode, e.Reads)
		}
		if e.ErrorCode == atlas.CodeRoleMissing {
			return fmt.Sprintf("Atlas accepted the %s credentials (%s, from %s), but they lack the %s "+
				"role in this %s, which reading %s requires. Give the API key or service account "+
				"the %s role (Atlas UI: %s), or configure "+
				"credentials that have it.", c.Mode, c.Principal, c.CredentialSource, e.Role, roleScope(e.Role), e.Reads, e.Role,
				accessManager(e.Role))
		}
		return fmt.Sprintf("Atlas did not accept the %s credentials (%s, from %s). "+
			"Check that they are the right ones for %s, current and not revoked, and which ones Terraform used: "+
			"credentials in the provider block are used whenever it holds a complete set, the MONGODB_ATLAS_* "+
			"environment variables only otherwise; within one place an access token wins over a service account, "+
			"which wins over an API key.", c.Mode, c.Principal, c.CredentialSource, c.BaseURL)
	case atlas.KindForbidden:
		addr := e.BlockedAddress()
		if addr == "" {
			addr = "this machine's address"
		}
		lead := fmt.Sprintf("Atlas refused the request from %s", addr)
		if e.ErrorCode != atlas.CodeAccessList {
			lead = "Atlas answered 403 Forbidden; for this API that means the request came from an address it does not allow"
		}
		return fmt.Sprintf("%s: it is not on the API access list of the %s credentials (%s, from %s). "+
			"Add %s to the access list of the API key or service account (Atlas UI: Organization Access Manager, "+
			"Applications, Edit Access List), or run Terraform from an address on it.", lead, c.Mode, c.Principal, c.CredentialSource, addr)
	case atlas.KindNotFound:
		lead := ""
		switch e.Missing() {
		case atlas.MissingOrganization:
			lead = "Atlas found no such organization. "
		case atlas.MissingInvitation:
			lead = "Atlas found the organization but no such invitation (it may have been accepted, revoked or expired). "
		}
		return fmt.Sprintf("%s%s does not exist or is not visible to the %s credentials (%s, from %s). "+
			"Check the id (Atlas UI: Organization Settings) and that the credentials belong to that organization.",
			lead, e.NotFound, c.Mode, c.Principal, c.CredentialSource)
	case atlas.KindVersionGone:
		return versionHint(e)
	case atlas.KindRateLimited:
		return fmt.Sprintf("Atlas kept answering 429 Too Many Requests after %s (max_retries = %d, Retry-After honoured). "+
			"Run fewer plans against this organization at once, lower -parallelism, or raise max_retries.",
			attempts(e.Attempts), c.MaxRetries)
	case atlas.KindServer:
		return fmt.Sprintf("Atlas answered %d after %s (max_retries = %d). "+
			"This is usually transient on Atlas's side: try again later, or raise max_retries.",
			e.Status, attempts(e.Attempts), c.MaxRetries)
	case atlas.KindTimeout:
		return fmt.Sprintf("No answer from %s within request_timeout (%s) per attempt, after %s. "+
			"Raise request_timeout, or check the network path (proxy, firewall) to Atlas.",
			c.BaseURL, c.RequestTimeout, attempts(e.Attempts))
	case atlas.KindNetwork:
		if host := e.UnknownHost; host != "" {
			return fmt.Sprintf("The name %s does not exist: the resolver answered \"no such host\", so the request was "+
				"not retried. Check the host name in base_url (or MONGODB_ATLAS_BASE_URL), now %s; Atlas's is cloud.mongodb.com.",
				host, c.BaseURL)
		}
		return fmt.Sprintf("Could not connect to the Atlas API at %s after %s: %s. "+
			"Check base_url (or MONGODB_ATLAS_BASE_URL), DNS, proxy settings and firewall.",
			c.BaseURL, attempts(e.Attempts), e.RootCause())
	case atlas.KindBadResponse:
		return fmt.Sprintf("Atlas answered %d with content type %q, which is not the JSON this provider expects. "+
			"The body starts with: %q%s. Something other than the Atlas API (a proxy, a login page) may be answering "+
			"at %s: check base_url.", e.Status, e.ContentType, e.BodyStart, emptyNote(e.BodyStart), c.BaseURL)
	case atlas.KindCanceled:
		return "Terraform canceled the operation before Atlas answered in full."
	default:
		return transportHint(e, dataSource)
	}
}

func transportHint(e *atlas.Error, dataSource string) string {
	c := e.Setup
	switch e.Kind {
	case atlas.KindRedirect:
		return fmt.Sprintf("Atlas answered with a redirect to %s, another origin than base_url's (%s). "+
			"The redirect was not followed: credentials are never sent to another origin. Atlas's API does not "+
			"redirect, so check base_url (or MONGODB_ATLAS_BASE_URL) and any proxy (HTTPS_PROXY) between this "+
			"machine and Atlas.", e.RedirectTarget, c.BaseOrigin)
	case atlas.KindTooLarge:
		return fmt.Sprintf("The answer to %s %s was larger than the provider's limit of %d MiB and was refused "+
			"while it was read (retrying would get the same answer). Atlas's answers are far smaller (the limit holds "+
			"about 140,000 invitations): something other than the Atlas API (a proxy, another server) may be "+
			"answering at %s. Check base_url and any proxy.", e.Method, e.URL, atlas.MaxBodyBytes>>20, c.BaseURL)
	case atlas.KindCutOff:
		return fmt.Sprintf("Atlas's answer ended before its body was complete (the connection dropped or stalled past "+
			"request_timeout = %s) %s: %s. Check the network path (proxy, firewall) to Atlas, "+
			"or raise request_timeout.", c.RequestTimeout, onEach(e.Attempts), e.RootCause())
	case atlas.KindChallenge:
		return fmt.Sprintf("The server at %s answered 401 asking for %s authentication, not the digest challenge "+
			"Atlas sends for an API key. Something between this machine and Atlas (a proxy) is asking for its own "+
			"credentials: check base_url and your proxy settings (HTTPS_PROXY, NO_PROXY).", c.BaseURL, e.Challenge)
	case atlas.KindTokenRejected:
		return fmt.Sprintf("Atlas's token endpoint (%s) refused the service account credentials (%s, from %s) "+
			"with %d%s. Check that client_id and client_secret are a current pair of the same service account.",
			e.URL, c.Principal, c.CredentialSource, e.Status, oauthNote(e.ErrorCode))
	case atlas.KindTokenEndpoint:
		return tokenEndpointHint(e)
	case atlas.KindListChanged, atlas.KindListTooLong:
		if e.List != nil {
			return listHint(e, dataSource)
		}
	}
	if e.Status != 0 {
		return fmt.Sprintf("Atlas answered %d %s.", e.Status, http.StatusText(e.Status))
	}
	return fmt.Sprintf("The request failed: %s.", e.RootCause())
}

// tokenEndpointHint explains a token endpoint failure as such: it is never
// the organization's or the API version's fault.
func tokenEndpointHint(e *atlas.Error) string {
	c := e.Setup
	const check = " Check base_url (or MONGODB_ATLAS_BASE_URL), which must be the Atlas origin (https://cloud.mongodb.com) " +
		"with no path, and any proxy in between."
	switch {
	case e.Status == 0 && e.TimedOut():
		return fmt.Sprintf("Atlas's token endpoint (%s) did not answer within request_timeout (%s) %s.",
			e.URL, c.RequestTimeout, onEach(e.Attempts)) + check
	case e.Status == 0:
		return fmt.Sprintf("Could not get a service account token from Atlas's token endpoint (%s) after %s: %s.",
			e.URL, attempts(e.Attempts), e.RootCause()) + check
	case e.Status < 300:
		return fmt.Sprintf("Atlas's token endpoint (%s) answered %d with content type %q and %s, not a token this "+
			"provider can read. The body is not shown: it may hold a live token.",
			e.URL, e.Status, e.ContentType, bodyLength(e.BodyLen)) + check
	case e.Status >= 500 || e.Status == http.StatusTooManyRequests:
		return fmt.Sprintf("Atlas's token endpoint (%s) answered %d %s after %s (max_retries = %d). "+
			"This is usually transient on Atlas's side: try again later.",
			e.URL, e.Status, http.StatusText(e.Status), attempts(e.Attempts), c.MaxRetries)
	default:
		return fmt.Sprintf("Atlas's token endpoint (%s) answered %d %s%s, so no service account token was issued.",
			e.URL, e.Status, http.StatusText(e.Status), oauthNote(e.ErrorCode)) + check
	}
}

func bodyLength(n int64) string {
	switch {
	case n < 0:
		return "a body not read in full"
	case n == 1:
		return "a body of 1 byte"
	}
	return fmt.Sprintf("a body of %d bytes", n)
}

func oauthNote(code string) string {
	if code == "" {
		return ""
	}
	return " (" + code + ")"
}

func emptyNote(bodyStart string) string {
	switch strings.TrimSpace(bodyStart) {
	case "":
		return " (an empty body)"
	case "null":
		return " (JSON null: no data at all)"
	}
	return ""
}

// attempts counts honestly: "1 attempt", "3 attempts".
func attempts(n int) string {
	if n == 1 {
		return "1 attempt"
	}
	return fmt.Sprintf("%d attempts", n)
}

// onEach says that something happened on every attempt: "on each of 3
// attempts", and for one, "on its only attempt" ("each of 1 attempt" is not
// English).
func onEach(n int) string {
	if n == 1 {
		return "on its only attempt"
	}
	return "on each of " + attempts(n)
}

// roleScope is where role is held: Project Owner in a project, the other
// roles the provider's reads need in the organization.
func roleScope(role string) string {
	if strings.HasPrefix(role, "Project ") {
		return "project"
	}
	return "organization"
}

// accessManager is the Atlas UI page where role is given.
func accessManager(role string) string {
	if roleScope(role) == "project" {
		return "Project Access Manager, Applications"
	}
	return "Organization Access Manager, Applications"
}
