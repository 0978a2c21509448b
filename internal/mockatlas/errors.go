package mockatlas

import (
	"encoding/json"
	"net/http"
	"strings"
)

// APIError is the Atlas error body (OpenAPI schema ApiError).
type APIError struct {
	Error      int    `json:"error"`
	ErrorCode  string `json:"errorCode"`
	Detail     string `json:"detail,omitempty"`
	Reason     string `json:"reason,omitempty"`
	Parameters []any  `json:"parameters"`
}

// ErrorMediaType is the Content-Type of every error answer. The Atlas
// OpenAPI document declares all error responses (badRequest, unauthorized,
// notFound, internalServerError, ...) as application/json with schema
// ApiError, whatever versioned media type the success answer has.
const ErrorMediaType = "application/json"

// writeError answers an Atlas error body as ErrorMediaType.
func writeError(w http.ResponseWriter, status int, code, detail string, params ...any) {
	writeErrorAs(w, ErrorMediaType, status, code, detail, params...)
}

// writeErrorAs answers an Atlas error body with the given Content-Type (a
// fault may ask for another one; Atlas's versioned media type gets its
// charset, as on a success).
func writeErrorAs(w http.ResponseWriter, contentType string, status int, code, detail string, params ...any) {
	if params == nil {
		params = []any{} // Atlas sends "parameters": [] rather than omitting it
	}
	body, _ := json.Marshal(APIError{
		Error:      status,
		ErrorCode:  code,
		Detail:     detail,
		Reason:     http.StatusText(status),
		Parameters: params,
	})
	w.Header().Set("Content-Type", contentTypeOf(contentType))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// faultErrors are the errorCode and detail a fault of that status answers
// with when it has no body of its own. Codes follow Atlas where known: a
// missing role is 401 USER_UNAUTHORIZED (SetOrgOwner), 403 the access list.
// 410 is not here: its detail names the request (versionGone).
var faultErrors = map[int]struct{ code, detail string }{
	http.StatusBadRequest:          {"VALIDATION_ERROR", "The request is invalid"},
	http.StatusUnauthorized:        {"UNAUTHORIZED", "You are not authorized for this resource"},
	http.StatusForbidden:           {AccessListCode, "IP address 192.0.2.1 is not allowed to access this resource"},
	http.StatusNotFound:            {"RESOURCE_NOT_FOUND", "Cannot find resource"},
	http.StatusNotAcceptable:       {"INVALID_VERSION_DATE", "The requested API version is not supported"},
	http.StatusTooManyRequests:     {"RATE_LIMITED", "Resource has received too many requests; retry later"},
	http.StatusInternalServerError: {"UNEXPECTED_ERROR", "Unexpected error"},
	http.StatusBadGateway:          {"BAD_GATEWAY", "Bad gateway"},
	http.StatusServiceUnavailable:  {"SERVICE_UNAVAILABLE", "Service temporarily unavailable; retry later"},
	http.StatusGatewayTimeout:      {"GATEWAY_TIMEOUT", "Gateway timeout"},
}

// statusError is the errorCode, detail and parameters of a scripted
// fault's status for request r. A 410 is worded exactly as Atlas words it,
// since clients may show or match that detail.
func statusError(r *http.Request, status int) (code, detail string, params []any) {
	if status == http.StatusGone {
		detail, params = versionGone(r)
		return "VERSION_GONE", detail, params
	}
	if e, ok := faultErrors[status]; ok {
		return e.code, e.detail + " (scripted fault).", nil
	}
	text := http.StatusText(status)
	if text == "" {
		text = "Unknown Error"
	}
	return strings.ToUpper(strings.ReplaceAll(text, " ", "_")), text + " (scripted fault).", nil
}
