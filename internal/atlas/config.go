// Package atlas is the Atlas side of the provider: it turns a resolved
// configuration into an Atlas SDK client with authentication, retries and
// logging, and turns SDK and HTTP failures into facts a diagnostic needs. It
// knows nothing of Terraform's types.
package atlas

import (
	"time"
)

// AuthMode is how requests prove who they come from.
type AuthMode int

const (
	// AuthAPIKey signs every request with HTTP digest (programmatic API key).
	AuthAPIKey AuthMode = iota + 1
	// AuthServiceAccount exchanges a client id and secret for a bearer token
	// (OAuth 2 client credentials) and reuses it until shortly before expiry.
	AuthServiceAccount
	// AuthAccessToken sends a bearer token the user already holds.
	AuthAccessToken
)

// String names the mode the way the documentation does.
func (m AuthMode) String() string {
	switch m {
	case AuthAPIKey:
		return "API key (HTTP digest)"
	case AuthServiceAccount:
		return "service account (OAuth 2 client credentials)"
	case AuthAccessToken:
		return "access token (bearer)"
	default:
		return "no authentication"
	}
}

// Defaults shared by the provider schema and the client.
const (
	DefaultBaseURL        = "https://cloud.mongodb.com"
	DefaultRequestTimeout = 60 * time.Second
	DefaultMaxRetries     = 4
)

// Config is everything the client needs, already resolved from provider
// attributes and environment variables.
type Config struct {
	BaseURL string
	Mode    AuthMode

	PublicKey, PrivateKey  string
	ClientID, ClientSecret string
	AccessToken            string

	// CredentialSource says where the credentials came from (attribute or
	// environment variable names), for error hints. Never a secret.
	CredentialSource string

	UserAgent      string
	RequestTimeout time.Duration // per HTTP attempt
	MaxRetries     int

	// RetryWaitMin and RetryWaitMax bound the backoff between attempts;
	// zero means the defaults. Tests shorten them.
	RetryWaitMin, RetryWaitMax time.Duration
}

// Principal identifies the credentials without revealing a secret.
func (c Config) Principal() string {
	switch c.Mode {
	case AuthAPIKey:
		return "public key " + quote(c.PublicKey)
	case AuthServiceAccount:
		return "client id " + quote(c.ClientID)
	case AuthAccessToken:
		return "an access token"
	default:
		return "no credentials"
	}
}

// secrets lists the values logging must never show.
func (c Config) secrets() []string {
	var out []string
	for _, s := range []string{c.PrivateKey, c.ClientSecret, c.AccessToken} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func quote(s string) string { return "\"" + s + "\"" }
