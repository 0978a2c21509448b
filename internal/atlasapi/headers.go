// Package atlasapi names the HTTP headers of the Atlas Administration API
// that the client (internal/atlas) and the mock (internal/mockatlas) must
// agree on. None of them is in the OpenAPI document the mock is checked
// against, so each says where Atlas documents it, or that it does not: one
// definition, so that the two sides cannot drift apart.
package atlasapi

const (
	// DeprecationHeader and SunsetHeader announce the end of an endpoint
	// version. Atlas documents the deprecated and sunset stages of a
	// resource version in "Versioned Atlas Administration API Overview"
	// (https://www.mongodb.com/docs/atlas/api/versioned-api-overview/); the
	// headers are those of RFC 9745 (Deprecation) and RFC 8594 (Sunset), and
	// the OpenAPI document only marks sunset operations with x-sunset. Real
	// answers of the invitations endpoints carry "Wed, 19 Feb 2025 00:00:00
	// GMT" and, as of December 2026, "Thu, 1 Jul 2027 00:00:00 GMT"; Atlas
	// has moved the sunset before, so the provider reads the date from the
	// header and keeps none of its own.
	DeprecationHeader = "Deprecation"
	SunsetHeader      = "Sunset"

	// RetryAfterHeader is how long to wait before retrying. Atlas documents
	// it on 429 in "Atlas Administration API Rate Limits"
	// (https://www.mongodb.com/docs/atlas/api/api-rate-limit/: seconds, only
	// when the limit is exceeded, and not always sent). On 503 it is HTTP's
	// own (RFC 9110 §10.2.3), which Atlas's docs do not mention; the client
	// honours it when present and backs off on its own when not.
	RetryAfterHeader = "Retry-After"

	// RequestIDHeader carries the id of one request, for logs and support
	// tickets. Atlas documents no request-id header (not in the OpenAPI
	// document, nor in the API docs above): the name is the common
	// X-Request-Id convention. The client only logs it when present, so a
	// different name costs a log field, nothing else.
	RequestIDHeader = "X-Request-Id"
)
